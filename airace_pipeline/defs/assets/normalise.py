"""Normalise group: reference tables, canonical organisations, and one row per real-world event.

These assets are not partitioned: facts span documents and days (NOTES section 5), and rebuilding them
from all mentions in DuckDB is cheap, so a backfill of any range re-derives the facts consistently.
"""

import json
from collections.abc import Sequence

import dagster as dg
import pandas as pd

from airace_pipeline.defs.assets.ingest import RAW_DATASET, RAW_TABLES
from airace_pipeline.defs.metadata import schema_check_result, schema_check_spec, table_metadata
from airace_pipeline.defs.partitions import DUCKDB_POOL, SINGLE_RUN
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.normalise.facts import build_fact_tables
from airace_pipeline.normalise.organisations import participant_key, resolve_organisations
from airace_pipeline.reference.countries import all_countries
from airace_pipeline.validation.quarantine import ValidationSplit, quarantine_rows, split_valid
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
    FACT_MENTIONS,
    MENTION_PARTICIPANTS,
    ORGANISATION_NAMES,
)
from airace_pipeline.warehouse.writes import replace_table, replace_unpartitioned_quarantine, table_exists

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
            f"SELECT DISTINCT name, organisation_id, is_country, country_code "
            f"FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name}"
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
    ],
)
@retry_transient
def fact_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, reference: ReferenceDataResource
):
    """Investments, alliances, incidents, policies, their participants and the evidence, in one pass so
    that every fact row and its evidence always come from the same clustering."""
    with warehouse.connect() as conn:
        mentions = conn.execute(f"SELECT * FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name}").df()
        participants = _resolved_participants(conn)
        org_countries = dict(
            conn.execute("SELECT organisation_id, country_code FROM main.organisations").fetchall()
        )
        built = build_fact_tables(mentions, participants, org_countries, reference.rates()).tables
        splits, quarantine, rejected_mentions = _validate_facts(built)
        conn.execute("BEGIN TRANSACTION")
        for table in FACT_TABLES:
            replace_table(conn, "main", table.name, splits[table.name].valid[table.column_names])
        replace_unpartitioned_quarantine(
            conn, _unpartitioned(quarantine), stage="validate", table_names=[t.name for t in FACT_TABLES]
        )
        conn.execute("COMMIT")

    evidence_rows = len(splits["evidence"].valid)
    conserved = len(mentions) == evidence_rows + rejected_mentions
    for table in FACT_TABLES:
        split = splits[table.name]
        yield dg.MaterializeResult(
            asset_key=table.name,
            metadata={"dagster/row_count": len(split.valid), "quarantined": split.failure_count},
            check_results=[schema_check_result(split, table.name)],
        )
    yield dg.AssetCheckResult(
        check_name="row_conservation",
        asset_key=dg.AssetKey("evidence"),
        passed=conserved,
        metadata={
            "mentions_in": len(mentions),
            "evidence_rows": evidence_rows,
            "mentions_quarantined": rejected_mentions,
        },
    )


def _resolved_participants(conn) -> pd.DataFrame:
    participants = conn.execute(f"SELECT * FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name}").df()
    names = conn.execute(f"SELECT * FROM {EXTRACT_SCHEMA}.{ORGANISATION_NAMES.name}").df()
    # dtype=object: with no participants at all an empty list would make a float column that cannot merge.
    participants["participant_key"] = pd.Series(
        [
            participant_key(
                r.name,
                r.organisation_id if isinstance(r.organisation_id, str) else None,
                bool(r.is_country),
                r.country_code if isinstance(r.country_code, str) else None,
            )
            for r in participants.itertuples(index=False)
        ],
        index=participants.index,
        dtype=object,
    )
    resolved = participants.drop(columns=["organisation_id"]).merge(names, on="participant_key", how="left")
    return resolved.astype(object).where(resolved.notna(), None)


def _validate_facts(built: dict[str, pd.DataFrame]) -> tuple[dict[str, ValidationSplit], pd.DataFrame, int]:
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
    rejected_mentions = len(orphaned) + splits["evidence"].failure_count
    frames = [q for q in quarantine if not q.empty]
    combined = pd.concat(frames, ignore_index=True) if frames else quarantine[0]
    return splits, combined, rejected_mentions


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
        split = split_valid(frame, MODELS["quarantine"])
        conn.execute("BEGIN TRANSACTION")
        replace_table(conn, "main", QUARANTINE.name, split.valid[QUARANTINE.column_names])
        conn.execute("COMMIT")
        by_stage = frame.groupby("stage").size().to_dict() if not frame.empty else {}
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(split.valid),
            "by_stage": {k: int(v) for k, v in by_stage.items()},
        },
        check_results=[schema_check_result(split)],
    )
