"""Scheduled run or backfill: which one a partition window means for a live source.

A window that reaches today (the daily schedule's window [yesterday, today), or `make run`'s whole range)
is a scheduled run: fetch what is new since the source's saved cursor and move the cursor. A window that
ends before today is a backfill: fetch exactly that window, and neither read nor write the cursor, so a
backfill never disturbs the schedule (the same contract as `dlt.sources.incremental` with an end value).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class FetchWindow:
    start: dt.date
    end: dt.date  # exclusive
    backfill: bool

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day < self.end


def fetch_window(start: dt.date, end: dt.date, today: dt.date | None = None) -> FetchWindow:
    today = today or dt.datetime.now(tz=dt.UTC).date()
    return FetchWindow(start=start, end=end, backfill=end < today)
