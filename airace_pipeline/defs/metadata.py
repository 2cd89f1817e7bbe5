"""Asset metadata generated from the SQL contract, so the UI shows the same columns the docs describe."""

from __future__ import annotations

import dagster as dg

from airace_pipeline.validation.quarantine import ValidationSplit
from airace_pipeline.warehouse.contract import Table


def table_metadata(table: Table) -> dict[str, object]:
    return {
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(c.name, c.sql_type, description=c.description) for c in table.columns]
        ),
        "dagster/table_name": f"main.{table.name}",
        "primary_key": ", ".join(table.primary_key) or "(none)",
    }


def schema_check_spec(asset: str | dg.AssetKey, model_name: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        "pandera_schema",
        asset=asset,
        description=f"Rows that fail the pandera model {model_name} (they go to quarantine, the run goes on).",
    )


def schema_check_result(
    split: ValidationSplit, asset: str | dg.AssetKey | None = None
) -> dg.AssetCheckResult:
    return schema_check_result_from(split.failure_count, split.sample(), asset)


def schema_check_result_from(
    failures: int, sample: list[dict[str, str]], asset: str | dg.AssetKey | None = None
) -> dg.AssetCheckResult:
    """The pandera check's result when rows were validated in several batches."""
    return dg.AssetCheckResult(
        check_name="pandera_schema",
        asset_key=dg.AssetKey(asset) if isinstance(asset, str) else asset,
        passed=failures == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"failures": failures, "sample": sample},
    )
