"""The `fx_rates_fresh` asset checks: one per fact table with a USD conversion, on the `fact_tables` step.

They warn rather than fail: a stale rate still gives the best USD value the shipped rates allow, and the
rows say so (`fx_rate_stale`). The check makes the count visible per run, so that a currency the ECB
stopped quoting, or a rate file nobody refreshed, is noticed.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from airace_pipeline.normalise.money import STALE_AFTER_DAYS
from airace_pipeline.warehouse.fx_health import CURRENCY_COLUMN, stale_conversions

CHECK_NAME = "fx_rates_fresh"


def stale_fx_check_specs() -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=table,
            description=f"USD values converted at an exchange rate more than {STALE_AFTER_DAYS} days older "
            "than the fact's date (fx_rate_stale), counted per currency; passes when there are none.",
        )
        for table in CURRENCY_COLUMN
    ]


def stale_fx_check_results(conn: duckdb.DuckDBPyConnection) -> list[dg.AssetCheckResult]:
    """Whole-table counts, so the result reads the same after an incremental run as after a full one."""
    results = []
    for table in CURRENCY_COLUMN:
        stale = stale_conversions(conn, table)
        results.append(
            dg.AssetCheckResult(
                check_name=CHECK_NAME,
                asset_key=dg.AssetKey(table),
                passed=stale.count == 0,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "stale_count": stale.count,
                    "stale_by_currency": stale.by_currency,
                    "oldest_rate_date": str(stale.oldest_rate_date) if stale.oldest_rate_date else None,
                    "stale_after_days": STALE_AFTER_DAYS,
                },
            )
        )
    return results
