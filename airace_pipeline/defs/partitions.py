"""Partitions shared by the per-document assets.

Documents belong to a publication day, so ingestion and extraction are partitioned daily; the fact
tables are derived from all mentions and are not partitioned. The range starts with the
earliest events we track; `end_offset=1` includes today, so a file dropped today is processed by the
next run instead of waiting a day.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

PARTITIONS_START = dt.date(2017, 1, 1)
DAILY_PARTITIONS = dg.DailyPartitionsDefinition(start_date=PARTITIONS_START.isoformat(), end_offset=1)
SINGLE_RUN = dg.BackfillPolicy.single_run()
DUCKDB_POOL = "duckdb"


def window_dates(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date]:
    """The [start, end) days of the partition window being materialised (a range in a backfill)."""
    window = context.partition_time_window
    return window.start.date(), window.end.date()


def last_partition_day() -> dt.date:
    return dt.datetime.now(tz=dt.UTC).date()
