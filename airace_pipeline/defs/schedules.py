"""The daily job and its schedule: the month holding yesterday, then the facts and the reader file.

On by default (`DefaultScheduleStatus.RUNNING`), like the late-documents sensor: a scheduled pipeline
that someone has to remember to switch on in the UI loses days. Partitions are months
(`defs/partitions.py`), so each night re-derives the month that holds the day that just ended; only its
new or changed files are read and only new or changed documents extracted, so redoing the month's
earlier days costs little, and a document dated earlier in the month that arrived late is picked up too.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from airace_pipeline.defs.partitions import partition_key_for_day

daily_job = dg.define_asset_job(
    "daily_refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest and extract the month holding yesterday, then rebuild the facts and publish the "
    "reader file.",
)


@dg.schedule(
    job=daily_job,
    cron_schedule="30 1 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 01:30 UTC, process the day that just ended (documents published during it) with its month."""
    day = (context.scheduled_execution_time - dt.timedelta(days=1)).date()
    # One run per day (the run key), each re-deriving the month that holds that day.
    return dg.RunRequest(run_key=f"daily-{day.isoformat()}", partition_key=partition_key_for_day(day))
