"""How the fact tables are written: investments, alliances, incidents, policies, their participants and
the evidence, with the clustering state (`fact_assignments`, `fact_keys`, `fact_state`) that lets a run
cluster only new and changed mentions (normalise/incremental.py).

A rejected fact takes its children and evidence with it into quarantine, so every valid mention ends as
exactly one evidence row or one quarantine row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from airace_pipeline.normalise.incremental import FactStep
from airace_pipeline.validation.quarantine import (
    SchemaContractError,
    ValidationSplit,
    quarantine_rows,
    split_valid,
)
from airace_pipeline.validation.schemas import MODELS
from airace_pipeline.warehouse.contract import (
    ALLIANCES,
    BY_NAME,
    FACT_TABLES,
    INCIDENTS,
    INVESTMENTS,
    POLICIES,
)
from airace_pipeline.warehouse.working import (
    EXTRACT_SCHEMA,
    FACT_ASSIGNMENTS,
    FACT_KEYS,
    FACT_MENTIONS,
    FACT_STATE,
    STAGE_QUARANTINE,
)
from airace_pipeline.warehouse.writes import (
    delete_assignments_from,
    delete_quarantine_of,
    delete_where_in,
    insert_frame,
    replace_table,
    replace_unpartitioned_quarantine,
)

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


@dataclass(frozen=True)
class FactTotals:
    mentions: int
    rows: dict[str, int]
    quarantined: dict[str, tuple[int, list[dict[str, str]]]]  # table -> (rows, a sample)


def reset_facts(conn: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    """Empty the fact tables and the clustering state in one transaction, so that every mention is
    clustered again."""
    conn.execute("BEGIN TRANSACTION")
    for table in FACT_TABLES:
        replace_table(conn, "main", table.name, pd.DataFrame(columns=table.column_names))
    replace_unpartitioned_quarantine(
        conn, pd.DataFrame(), stage="validate", table_names=[t.name for t in FACT_TABLES]
    )
    for table in (FACT_ASSIGNMENTS, FACT_KEYS):
        replace_table(conn, EXTRACT_SCHEMA, table.name, pd.DataFrame(columns=table.column_names))
    replace_table(conn, EXTRACT_SCHEMA, FACT_STATE.name, pd.DataFrame({"fingerprint": [fingerprint]}))
    conn.execute("COMMIT")


def write_step(
    conn: duckdb.DuckDBPyConnection, step: FactStep, built: dict[str, pd.DataFrame]
) -> dict[str, ValidationSplit]:
    """Validate one clustering step's tables and write them in one transaction.

    Each step commits on its own and leaves a consistent state: a crash loses one step, and the next
    run's cut-off is where it stopped.
    """
    splits, quarantine = validate_facts(built)
    conn.execute("BEGIN TRANSACTION")
    _replace_touched(conn, step, splits, quarantine)
    conn.execute("COMMIT")
    return splits


def _replace_touched(
    conn: duckdb.DuckDBPyConnection,
    step: FactStep,
    splits: dict[str, ValidationSplit],
    quarantine: pd.DataFrame,
) -> None:
    """Delete the rows of every reopened or dissolved group, then insert the rebuilt ones."""
    for parent, ids in step.replaced_ids.items():
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
        conn, step.fact_type, step.cutoff, [i for ids in step.replaced_ids.values() for i in ids]
    )
    for table in FACT_TABLES:
        insert_frame(conn, "main", table.name, splits[table.name].valid[table.column_names])
    insert_frame(conn, EXTRACT_SCHEMA, STAGE_QUARANTINE.name, unpartitioned(quarantine))
    insert_frame(conn, EXTRACT_SCHEMA, FACT_ASSIGNMENTS.name, step.assignments)
    insert_frame(conn, EXTRACT_SCHEMA, FACT_KEYS.name, step.keys)


def fact_totals(conn: duckdb.DuckDBPyConnection) -> FactTotals:
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
    return FactTotals(mentions, rows, quarantined)


def validate_facts(built: dict[str, pd.DataFrame]) -> tuple[dict[str, ValidationSplit], pd.DataFrame]:
    """Validate parents first; a rejected fact takes its children and evidence with it into quarantine,
    and its mentions are counted as quarantined, so the conservation law still adds up."""
    splits: dict[str, ValidationSplit] = {}
    quarantine: list[pd.DataFrame] = []
    rejected_ids: set[tuple[str, str]] = set()
    for name in _PARENT_TABLES:
        splits[name] = _split(built[name], name)
        quarantine.append(quarantine_rows(splits[name], stage="validate", table_name=name))
        rejected_ids |= {(name, i) for i in splits[name].rejected[_ID_COLUMN[name]]}
    for child, parent in _CHILD_OF.items():
        frame = built[child]
        keep = [(parent, i) not in rejected_ids for i in frame[_ID_COLUMN[parent]]]
        frame = frame.loc[pd.Series(keep, index=frame.index, dtype=bool)]
        splits[child] = _split(frame, child)
        quarantine.append(quarantine_rows(splits[child], stage="validate", table_name=child))
    evidence = built["evidence"]
    orphan_mask = [
        (t, i) in rejected_ids for t, i in zip(evidence["fact_table"], evidence["fact_id"], strict=True)
    ]
    orphaned = evidence.loc[pd.Series(orphan_mask, index=evidence.index, dtype=bool)]
    splits["evidence"] = _split(evidence.drop(index=orphaned.index), "evidence")
    quarantine.append(quarantine_rows(splits["evidence"], stage="validate", table_name="evidence"))
    # The fact rows were quarantined with their reason; record each mention they carried too.
    if not orphaned.empty:
        quarantine.append(_orphaned_evidence_rows(orphaned))
    frames = [q for q in quarantine if not q.empty]
    combined = pd.concat(frames, ignore_index=True) if frames else quarantine[0]
    return splits, combined


def _split(frame: pd.DataFrame, table_name: str) -> ValidationSplit:
    """`split_valid`, except for a frame with no rows, which has nothing to validate: a step clusters one
    fact type, so six of its eight frames are empty, and pandera took about 50 ms per frame all the same
    (about a second of a scheduled run's `fact_tables`). The columns are still checked."""
    if not frame.empty:
        return split_valid(frame, MODELS[table_name])
    missing = [c for c in BY_NAME[table_name].column_names if c not in frame.columns]
    if missing:
        raise SchemaContractError(f"{MODELS[table_name].__name__}: no column {', '.join(missing)}")
    return ValidationSplit(frame, frame, pd.Series(dtype=str))


def _orphaned_evidence_rows(orphaned: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
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


def unpartitioned(rows: pd.DataFrame) -> pd.DataFrame:
    """Quarantine rows of an unpartitioned table carry no publication day."""
    return rows.assign(published_on=None)
