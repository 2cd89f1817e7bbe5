"""Dagster definitions: resources, partitions, assets, checks and schedules, one module each."""

import warnings

import dagster as dg

# We use `backfill_policy`, `pool` and dagster-dlt deliberately; their beta/preview notices would repeat
# on every asset definition in every process Dagster starts and bury the run's own log lines.
warnings.filterwarnings("ignore", category=dg.BetaWarning)
warnings.filterwarnings("ignore", category=dg.PreviewWarning)
