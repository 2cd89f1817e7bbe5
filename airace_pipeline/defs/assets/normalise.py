"""Normalise group: reference tables, canonical organisations, and one row per real-world event.

These assets are not partitioned: facts span documents and days. The fact tables are
derived from all mentions, but only the mentions a run added, changed or removed (and those after them in
clustering order) are clustered again (normalise/incremental.py), so a backfill of any range re-derives
the facts consistently and a daily run costs what its new documents cost.
"""

import time
from collections.abc import Sequence

import dagster as dg
import pandas as pd
from pydantic import Field

from airace_pipeline.defs.fx_checks import stale_fx_check_results, stale_fx_check_specs
from airace_pipeline.defs.metadata import (
    schema_check_result_from,
    schema_check_spec,
    table_metadata,
)
from airace_pipeline.defs.partitions import DUCKDB_POOL, SINGLE_RUN
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.normalise.facts import FACT_TYPES, build_tables
from airace_pipeline.normalise.incremental import (
    next_step,
    normalisation_fingerprint,
    org_countries,
    prepare_inputs,
    state_is_current,
)
from airace_pipeline.normalise.organisations import resolve_organisations
from airace_pipeline.normalise.reference_inputs import (
    countries_fingerprint,
    organisations_fingerprint,
    quarantine_fingerprint,
)
from airace_pipeline.paths import resolve_path
from airace_pipeline.reference.countries import all_countries
from airace_pipeline.validation.quarantine import ValidationSplit, keep_quarantine_rows, split_valid
from airace_pipeline.validation.schemas import MODELS, CountriesModel, OrganisationsModel
from airace_pipeline.warehouse.contract import COUNTRIES, FACT_TABLES, ORGANISATIONS, QUARANTINE
from airace_pipeline.warehouse.facts import fact_totals, reset_facts, write_step
from airace_pipeline.warehouse.quarantine_table import (
    candidates_digest,
    quarantine_candidates,
    replace_quarantine,
)
from airace_pipeline.warehouse.reference_tables import (
    BuildState,
    distinct_participants,
    participants_digest,
    replace_countries,
    replace_organisations,
    stored_outcome,
)

_COMMON = {"backfill_policy": SINGLE_RUN, "pool": DUCKDB_POOL, "group_name": "normalise"}


@dg.asset(
    **_COMMON,
    kinds={"duckdb", "pandera"},
    description=COUNTRIES.description,
    metadata=table_metadata(COUNTRIES),
    check_specs=[schema_check_spec("countries", "CountriesModel")],
)
@retry_transient
def countries(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    fingerprint = countries_fingerprint()
    with warehouse.connect() as conn:
        outcome = stored_outcome(conn, COUNTRIES.name, fingerprint)
        unchanged = outcome is not None
        if outcome is None:
            frame = pd.DataFrame([c.__dict__ for c in all_countries()], columns=COUNTRIES.column_names)
            split = split_valid(frame, CountriesModel)
            outcome = _outcome(split)
            replace_countries(conn, split, BuildState(fingerprint, outcome))
    return _reference_result(outcome, unchanged)


@dg.asset(
    **_COMMON,
    deps=["fact_mentions", "countries"],
    kinds={"python", "duckdb", "pandera"},
    description=ORGANISATIONS.description
    + " Resolution order: gazetteer id, exact alias, fuzzy match (rapidfuzz), else a new id from the name.",
    metadata=table_metadata(ORGANISATIONS),
    check_specs=[schema_check_spec("organisations", "OrganisationsModel")],
)
@retry_transient
def organisations(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, reference: ReferenceDataResource
) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        fingerprint = organisations_fingerprint(reference.organisations_file(), participants_digest(conn))
        outcome = stored_outcome(conn, ORGANISATIONS.name, fingerprint)
        unchanged = outcome is not None
        if outcome is None:
            participants = distinct_participants(conn)
            resolution = resolve_organisations(participants, reference.organisations(), all_countries())
            split = split_valid(resolution.organisations, OrganisationsModel)
            methods = resolution.name_map["method"].value_counts().to_dict()
            outcome = _outcome(split, names_resolved_by={k: int(v) for k, v in methods.items()})
            replace_organisations(conn, split, resolution.name_map, BuildState(fingerprint, outcome))
    return _reference_result(outcome, unchanged)


def _outcome(split: ValidationSplit, **extra: object) -> dict:
    """What a reference table's build reports, stored with its fingerprint so an unchanged run can
    report the same without rebuilding."""
    return {"row_count": len(split.valid), "failures": split.failure_count, "sample": split.sample(), **extra}


def _reference_result(outcome: dict, unchanged: bool) -> dg.MaterializeResult:
    extra = {k: v for k, v in outcome.items() if k not in ("row_count", "failures", "sample")}
    return dg.MaterializeResult(
        metadata={"dagster/row_count": outcome["row_count"], **extra, "inputs_unchanged": unchanged},
        check_results=[schema_check_result_from(outcome["failures"], outcome["sample"])],
    )


class FactTablesConfig(dg.Config):
    full_rebuild: bool = Field(
        default=False,
        description="Re-cluster every mention instead of only those after the earliest new, changed or "
        "removed one. Never needed for correctness (a change of code or exchange rates triggers it); "
        "useful to time or to check a full rebuild.",
    )
    step_mentions: int = Field(
        default=100_000,
        description="Mentions of one fact type clustered per step, each step committed on its own. Steps "
        "bound the memory of a full rebuild (a few KB per mention held), at the cost of reloading, in "
        "each step, the stored facts its mentions can join. Measured on 1.25M mentions: one step per "
        "fact type 132 s and 3.3 GB; steps of 200,000 160 s and 1.7 GB; of 100,000 193 s and 1.5 GB.",
    )
    duckdb_memory_limit: str = Field(
        default="256MB",
        description="DuckDB's memory cap while clustering, below the warehouse's: this step holds its "
        "mentions in Python, and DuckDB fills its buffer up to the cap. On 1.26M mentions a full rebuild "
        "peaked at 1.8 GB with 512MB and at 1.6 GB with 256MB (and with 128MB), in about the same time.",
    )


_FACT_SPECS = [
    dg.AssetSpec(
        table.name,
        description=table.description,
        kinds={"python", "duckdb", "pandera"},
        metadata=table_metadata(table),
        group_name="normalise",
        deps=["fact_mentions", "organisations", "countries", "documents"],
    )
    for table in FACT_TABLES
]


@dg.multi_asset(
    specs=_FACT_SPECS,
    backfill_policy=SINGLE_RUN,
    pool=DUCKDB_POOL,
    name="fact_tables",
    check_specs=[
        *(schema_check_spec(t.name, MODELS[t.name].__name__) for t in FACT_TABLES),
        dg.AssetCheckSpec(
            "row_conservation",
            asset="evidence",
            description="Every valid mention ends as exactly one evidence row or one quarantine row.",
        ),
        *stale_fx_check_specs(),
    ],
)
@retry_transient
def fact_tables(
    context: dg.AssetExecutionContext,
    config: FactTablesConfig,
    warehouse: WarehouseResource,
    reference: ReferenceDataResource,
):
    """Investments, alliances, incidents, policies, their participants and the evidence, in one pass so
    that every fact row and its evidence always come from the same clustering.

    Only the mentions from the earliest new, changed or removed one on are clustered again, into the
    stored groups they can join (normalise/incremental.py); the result equals a full rebuild.
    """
    started = time.perf_counter()
    fingerprint = normalisation_fingerprint(resolve_path(reference.rates_path))
    rates = reference.rates()
    progress = {"mentions_clustered": 0, "stored_groups_reopened": 0, "facts_written": 0, "steps": 0}
    with warehouse.connect(memory_limit=config.duckdb_memory_limit) as conn:
        prepare_inputs(conn)
        full = config.full_rebuild or not state_is_current(conn, fingerprint)
        if full:
            reset_facts(conn, fingerprint)
        countries_of = org_countries(conn)
        for fact_type in FACT_TYPES:
            while (step := next_step(conn, rates, config.step_mentions, fact_type)) is not None:
                # Each step commits on its own: a crash loses one step, and the next run's cut-off is
                # where it stopped.
                write_step(conn, step, build_tables(step.groups, countries_of))
                progress["mentions_clustered"] += step.mentions_replayed
                progress["stored_groups_reopened"] += step.groups_loaded
                progress["facts_written"] += len(step.groups)
                progress["steps"] += 1
                context.log.info(
                    f"{fact_type}: clustered {step.mentions_replayed} mentions from {step.cutoff[0]} "
                    f"({step.groups_loaded} stored facts reopened, {len(step.groups)} facts written; "
                    f"{progress['mentions_clustered']} mentions of all types so far)"
                )
                del step
        if not progress["steps"]:
            context.log.info("No mention changed since the last run: the fact tables stand as they are.")
        totals = fact_totals(conn)
        fx_checks = stale_fx_check_results(conn)
    run_metadata = {
        "mode": "full" if full else "incremental" if progress["steps"] else "unchanged",
        **progress,
        "seconds": round(time.perf_counter() - started, 3),
    }
    for table in FACT_TABLES:
        failures, sample = totals.quarantined[table.name]
        yield dg.MaterializeResult(
            asset_key=table.name,
            metadata={
                "dagster/row_count": totals.rows[table.name],
                "quarantined": failures,
                **({"refresh": run_metadata} if table.name == "evidence" else {}),
            },
            check_results=[schema_check_result_from(failures, sample, table.name)],
        )
    mentions_quarantined = totals.quarantined["evidence"][0]
    yield dg.AssetCheckResult(
        check_name="row_conservation",
        asset_key=dg.AssetKey("evidence"),
        passed=totals.mentions == totals.rows["evidence"] + mentions_quarantined,
        metadata={
            "mentions_in": totals.mentions,
            "evidence_rows": totals.rows["evidence"],
            "mentions_quarantined": mentions_quarantined,
        },
    )
    yield from fx_checks


def build_quarantine_asset(raw_keys: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """Built per set of enabled sources, like `documents`, so its lineage names only real raw assets."""
    return dg.asset(
        name="quarantine",
        **_COMMON,
        deps=[
            *raw_keys,
            "documents",
            "fact_mentions",
            "countries",
            "organisations",
            *[t.name for t in FACT_TABLES],
        ],
        kinds={"duckdb"},
        description=QUARANTINE.description,
        metadata=table_metadata(QUARANTINE),
        check_specs=[schema_check_spec("quarantine", "QuarantineModel")],
    )(retry_transient(_quarantine))


def _quarantine(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        fingerprint = quarantine_fingerprint(candidates_digest(conn))
        outcome = stored_outcome(conn, QUARANTINE.name, fingerprint)
        unchanged = outcome is not None
        if outcome is None:
            frame = quarantine_candidates(conn)
            kept = keep_quarantine_rows(frame)
            by_stage = frame.groupby("stage").size().to_dict() if not frame.empty else {}
            outcome = {
                "row_count": len(kept.rows),
                "failures": kept.split.failure_count,
                "sample": kept.split.sample(),
                "by_stage": {k: int(v) for k, v in by_stage.items()},
            }
            replace_quarantine(conn, kept.rows, BuildState(fingerprint, outcome))
    return _reference_result(outcome, unchanged)
