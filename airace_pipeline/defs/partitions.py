"""Partitions shared by the per-document assets.

Documents belong to a publication day, and the per-document assets are partitioned by the *month* of
that day; the fact tables are derived from all mentions and are not partitioned. Months, not days,
because Dagster records one materialisation per partition of a ranged run for each partitioned asset:
about 3,600 days since 2017 times three assets cost minutes of SQLite writes per full run, 120 months a
couple of seconds. A month costs little to redo: ingestion opens only the files holding a day of the
window, and extraction skips the documents it has already read as they are (see README, "Runs do only
new work"). The range starts with the earliest events we track; `end_offset=1` includes the current
month, so a file dropped today is processed by the next run instead of waiting for the month to end.

The asset modules import `DAILY_PARTITIONS` and `window_dates`: the name stays (it is what they
partition by), and `window_dates` gives the [start, end) days of whatever window a run covers.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

PARTITIONS_START = dt.date(2017, 1, 1)
PARTITIONS = dg.MonthlyPartitionsDefinition(start_date=PARTITIONS_START.isoformat(), end_offset=1)
DAILY_PARTITIONS = PARTITIONS  # the name the asset modules import; the partitions are months of days
SINGLE_RUN = dg.BackfillPolicy.single_run()
DUCKDB_POOL = "duckdb"


def window_dates(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date]:
    """The [start, end) days of the partition window being materialised (a range in a backfill)."""
    window = context.partition_time_window
    return window.start.date(), window.end.date()


def last_partition_day() -> dt.date:
    """Today (UTC): the last publication day a document may have and still be partitioned."""
    return dt.datetime.now(tz=dt.UTC).date()


def partition_key_for_day(day: dt.date) -> str:
    """The key of the partition holding documents published on `day` (its month)."""
    return day.replace(day=1).isoformat()


def partition_key_range(first: dt.date, last: dt.date) -> tuple[str, str]:
    """First and last partition keys of a run covering the days first..last (inclusive).

    Callers speak in days (the CLI, `make backfill`, the sensor, the tests); only this module knows what
    a partition key looks like.
    """
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    return partition_key_for_day(first), partition_key_for_day(last)


def parse_day(text: str, what: str = "date") -> dt.date:
    """A publication day from YYYY-MM-DD, inside the partitioned range, or a ValueError that says why."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date in the form YYYY-MM-DD") from None
    if not PARTITIONS_START <= day <= last_partition_day():
        raise ValueError(
            f"{what} {day} is outside the partitioned range {PARTITIONS_START}..{last_partition_day()}"
        )
    return day
