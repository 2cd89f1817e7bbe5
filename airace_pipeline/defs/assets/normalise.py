"""Normalise group: reference tables, canonical organisations, and one row per real-world event.

These assets are not partitioned: facts span documents and days. The fact tables are
derived from all mentions, but only the mentions a run added, changed or removed (and those after them in
clustering order) are clustered again (normalise/incremental.py), so a backfill of any range re-derives
the facts consistently and a daily run costs what its new documents cost.
"""

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

import dagster as dg
import pandas as pd
from pydantic import Field

from airace_pipeline.defs.assets.ingest import RAW_DATASET, RAW_TABLES
from airace_pipeline.defs.fx_checks import stale_fx_check_results, stale_fx_check_specs
from airace_pipeline.defs.metadata import (
    schema_check_result,
    schema_check_result_from,
    schema_check_spec,
    table_metadata,
)
from airace_pipeline.defs.partitions import DUCKDB_POOL, SINGLE_RUN
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.normalise.facts import FACT_TYPES, build_tables
from airace_pipeline.normalise.incremental import (
    FactStep,
    next_step,
    normalisation_fingerprint,
    org_countries,
    prepare_inputs,
    state_is_current,
)
from airace_pipeline.normalise.organisations import resolve_organisations
from airace_pipeline.paths import resolve_path
from airace_pipeline.reference.countries import all_countries
from airace_pipeline.validation.quarantine import (
    ValidationSplit,
    keep_quarantine_rows,
    quarantine_rows,
    split_valid,
)
from airace_pipeline.validation.schemas import MODELS, CountriesModel, OrganisationsModel
from airace_pipeline.warehouse.contract import (
    ALLIANCES,
    COUNTRIES,
    FACT_TABLES,
    INCIDENTS,
    INVESTMENTS,
    ORGANISATIONS,
    POLICIES,
    QUARANTINE,
)
from airace_pipeline.warehouse.working import (
    EXTRACT_SCHEMA,
    FACT_ASSIGNMENTS,
    FACT_KEYS,
    FACT_MENTIONS,
    FACT_STATE,
    MENTION_PARTICIPANTS,
    ORGANISATION_NAMES,
    STAGE_QUARANTINE,
)
from airace_pipeline.warehouse.writes import (
    delete_assignments_from,
    delete_quarantine_of,
    delete_where_in,
    insert_frame,
    replace_table,
    replace_unpartitioned_quarantine,
    table_exists,
)

_COMMON = {"backfill_policy": SINGLE_RUN, "pool": DUCKDB_POOL, "group_name": "normalise"}
_PARENT_TABLES = {
    "investments": INVESTMENTS,
    "alliances": ALLIANCES,
    "incidents": INCIDENTS,
    "policies": POLICIES,
}
_ID_COLUMN = {t.name: t.primary_key[0] for t in _PARENT_TABLES.values()}
_CHILD_OF = {
    "investment_participants": "investments",
    "alliance_members": "alliances",
    "incident_actors": "incidents",
}


@dg.asset(
    **_COMMON,
    kinds={"duckdb", "pandera"},
    description=COUNTRIES.description,
    metadata=table_metadata(COUNTRIES),
    check_specs=[schema_check_spec("countries", "CountriesModel")],
)
@retry_transient
def countries(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    frame = pd.DataFrame([c.__dict__ for c in all_countries()], columns=COUNTRIES.column_names)
    split = split_valid(frame, CountriesModel)
    with warehouse.connect() as conn:
        conn.execute("BEGIN TRANSACTION")
        replace_table(conn, "main", COUNTRIES.name, split.valid[COUNTRIES.column_names])
        replace_unpartitioned_quarantine(
            conn,
            _unpartitioned(quarantine_rows(split, stage="validate", table_name="countries")),
            stage="validate",
            table_names=["countries"],
        )
        conn.execute("COMMIT")
    return dg.MaterializeResult(
        metadata={"dagster/row_count": len(split.valid)}, check_results=[schema_check_result(split)]
    )


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
        participants = conn.execute(
            # Ordered: a minted organisation takes the country of its first row, which must not depend
            # on the order DISTINCT happens to return (the fact tables are rebuilt when it changes).
            f"SELECT DISTINCT name, organisation_id, is_country, country_code "
            f"FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name} ORDER BY ALL"
        ).df()
        resolution = resolve_organisations(participants, reference.organisations(), all_countries())
        split = split_valid(resolution.organisations, OrganisationsModel)
        conn.execute("BEGIN TRANSACTION")
        replace_table(conn, "main", ORGANISATIONS.name, split.valid[ORGANISATIONS.column_names])
        replace_table(conn, EXTRACT_SCHEMA, ORGANISATION_NAMES.name, resolution.name_map)
        replace_unpartitioned_quarantine(
            conn,
            _unpartitioned(quarantine_rows(split, stage="validate", table_name="organisations")),
            stage="validate",
            table_names=["organisations"],
        )
        conn.execute("COMMIT")
    methods = resolution.name_map["method"].value_counts().to_dict()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(split.valid),
            "names_resolved_by": {k: int(v) for k, v in methods.items()},
        },
        check_results=[schema_check_result(split)],
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
            conn.execute("BEGIN TRANSACTION")
            _reset(conn, fingerprint)
            conn.execute("COMMIT")
        countries_of = org_countries(conn)
        for fact_type in FACT_TYPES:
            while (step := next_step(conn, rates, config.step_mentions, fact_type)) is not None:
                splits, quarantine = _validate_facts(build_tables(step.groups, countries_of))
                # Each step commits on its own and leaves a consistent state: a crash loses one step,
                # and the next run's cut-off is where it stopped.
                conn.execute("BEGIN TRANSACTION")
                _replace_touched(conn, step, splits, quarantine)
                conn.execute("COMMIT")
                progress["mentions_clustered"] += step.mentions_replayed
                progress["stored_groups_reopened"] += step.groups_loaded
                progress["facts_written"] += len(step.groups)
                progress["steps"] += 1
                context.log.info(
                    f"{fact_type}: clustered {step.mentions_replayed} mentions from {step.cutoff[0]} "
                    f"({step.groups_loaded} stored facts reopened, {len(step.groups)} facts written; "
                    f"{progress['mentions_clustered']} mentions of all types so far)"
                )
                del step, splits, quarantine
        if not progress["steps"]:
            context.log.info("No mention changed since the last run: the fact tables stand as they are.")
        totals = _totals(conn)
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


def _reset(conn, fingerprint: str) -> None:
    """Empty the fact tables and the clustering state, so that every mention is clustered again."""
    for table in FACT_TABLES:
        replace_table(conn, "main", table.name, pd.DataFrame(columns=table.column_names))
    replace_unpartitioned_quarantine(
        conn, pd.DataFrame(), stage="validate", table_names=[t.name for t in FACT_TABLES]
    )
    for table in (FACT_ASSIGNMENTS, FACT_KEYS):
        replace_table(conn, EXTRACT_SCHEMA, table.name, pd.DataFrame(columns=table.column_names))
    replace_table(conn, EXTRACT_SCHEMA, FACT_STATE.name, pd.DataFrame({"fingerprint": [fingerprint]}))


def _replace_touched(conn, refresh: FactStep, splits, quarantine: pd.DataFrame) -> None:
    """Delete the rows of every reopened or dissolved group, then insert the rebuilt ones."""
    for parent, ids in refresh.replaced_ids.items():
        id_column = _ID_COLUMN[parent]
        children = [child for child, of in _CHILD_OF.items() if of == parent]
        for table_name in [parent, *children]:
            delete_where_in(conn, "main", table_name, id_column, ids)
            delete_quarantine_of(conn, table_name, id_column, ids)
        conn.execute(
            "DELETE FROM main.evidence WHERE fact_table = ? AND fact_id IN (SELECT unnest(?::VARCHAR[]))",
            [parent, ids],
        )
        delete_quarantine_of(conn, "evidence", "fact_id", ids)
    delete_assignments_from(
        conn, refresh.fact_type, refresh.cutoff, [i for ids in refresh.replaced_ids.values() for i in ids]
    )
    for table in FACT_TABLES:
        insert_frame(conn, "main", table.name, splits[table.name].valid[table.column_names])
    insert_frame(conn, EXTRACT_SCHEMA, STAGE_QUARANTINE.name, _unpartitioned(quarantine))
    insert_frame(conn, EXTRACT_SCHEMA, FACT_ASSIGNMENTS.name, refresh.assignments)
    insert_frame(conn, EXTRACT_SCHEMA, FACT_KEYS.name, refresh.keys)


@dataclass(frozen=True)
class _Totals:
    mentions: int
    rows: dict[str, int]
    quarantined: dict[str, tuple[int, list[dict[str, str]]]]  # table -> (rows, a sample)


def _totals(conn) -> _Totals:
    """Whole-table figures, so the checks read the same after an incremental run as after a full one."""
    mentions = conn.execute(f"SELECT count(*) FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name}").fetchone()[0]
    rows, quarantined = {}, {}
    for table in FACT_TABLES:
        # Identifiers come from the contract module; DuckDB cannot bind them as parameters.
        rows[table.name] = conn.execute(f'SELECT count(*) FROM main."{table.name}"').fetchone()[0]
        found = conn.execute(
            f"SELECT record, reason, count(*) OVER () FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name} "
            "WHERE stage = 'validate' AND table_name = ? ORDER BY record LIMIT 5",
            [table.name],
        ).fetchall()
        quarantined[table.name] = (
            found[0][2] if found else 0,
            [{"row": record, "reason": reason} for record, reason, _ in found],
        )
    return _Totals(mentions, rows, quarantined)


def _validate_facts(built: dict[str, pd.DataFrame]) -> tuple[dict[str, ValidationSplit], pd.DataFrame]:
    """Validate parents first; a rejected fact takes its children and evidence with it into quarantine,
    and its mentions are counted as quarantined, so the conservation law still adds up."""
    splits: dict[str, ValidationSplit] = {}
    quarantine: list[pd.DataFrame] = []
    rejected_ids: set[tuple[str, str]] = set()
    for name in _PARENT_TABLES:
        splits[name] = split_valid(built[name], MODELS[name])
        quarantine.append(quarantine_rows(splits[name], stage="validate", table_name=name))
        rejected_ids |= {(name, i) for i in splits[name].rejected[_ID_COLUMN[name]]}
    for child, parent in _CHILD_OF.items():
        frame = built[child]
        keep = [(parent, i) not in rejected_ids for i in frame[_ID_COLUMN[parent]]]
        frame = frame.loc[pd.Series(keep, index=frame.index, dtype=bool)]
        splits[child] = split_valid(frame, MODELS[child])
        quarantine.append(quarantine_rows(splits[child], stage="validate", table_name=child))
    evidence = built["evidence"]
    orphan_mask = [
        (t, i) in rejected_ids for t, i in zip(evidence["fact_table"], evidence["fact_id"], strict=True)
    ]
    orphaned = evidence.loc[pd.Series(orphan_mask, index=evidence.index, dtype=bool)]
    splits["evidence"] = split_valid(evidence.drop(index=orphaned.index), MODELS["evidence"])
    quarantine.append(quarantine_rows(splits["evidence"], stage="validate", table_name="evidence"))
    # The fact rows were quarantined with their reason; record each mention they carried too.
    if not orphaned.empty:
        quarantine.append(
            pd.DataFrame(
                {
                    "stage": "validate",
                    "record": [json.dumps(r, default=str) for r in orphaned.to_dict("records")],
                    "reason": "its fact row failed validation (see the quarantine row of table "
                    + orphaned["fact_table"]
                    + ")",
                    "document_id": orphaned["document_id"],
                    "quarantined_at": pd.Timestamp.now(tz="UTC"),
                    "table_name": "evidence",
                }
            )
        )
    frames = [q for q in quarantine if not q.empty]
    combined = pd.concat(frames, ignore_index=True) if frames else quarantine[0]
    return splits, combined


def _unpartitioned(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(published_on=None)


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
        parts = [
            "SELECT 'ingest' AS stage, to_json(struct_pack(source_name, origin, format, title, published_on))"
            "::VARCHAR AS record, rejected_reason AS reason, document_id, ingested_at AS quarantined_at, "
            f"'{RAW_DATASET}.{t}' AS table_name FROM {RAW_DATASET}.\"{t}\" WHERE rejected_reason IS NOT NULL"
            for t in RAW_TABLES
            if table_exists(conn, RAW_DATASET, t)
        ]
        parts.append(
            f"SELECT stage, record, reason, document_id, quarantined_at, table_name FROM {EXTRACT_SCHEMA}.stage_quarantine"
        )
        frame = conn.execute(" UNION ALL ".join(parts)).df()
        kept = keep_quarantine_rows(frame)
        conn.execute("BEGIN TRANSACTION")
        replace_table(conn, "main", QUARANTINE.name, kept.rows[QUARANTINE.column_names])
        conn.execute("COMMIT")
        by_stage = frame.groupby("stage").size().to_dict() if not frame.empty else {}
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(kept.rows),
            "by_stage": {k: int(v) for k, v in by_stage.items()},
        },
        check_results=[schema_check_result(kept.split)],
    )
