"""The daily job and its schedule: yesterday's publication day, then the facts and the reader file."""

from __future__ import annotations

import datetime as dt

import dagster as dg

daily_job = dg.define_asset_job(
    "daily_refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest and extract one publication day, then rebuild the facts and publish the reader file.",
)


@dg.schedule(job=daily_job, cron_schedule="30 1 * * *", execution_timezone="UTC")
def daily_refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 01:30 UTC, process the day that just ended (documents published during it)."""
    day = (context.scheduled_execution_time - dt.timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=f"daily-{day}", partition_key=day)
