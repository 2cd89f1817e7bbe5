"""Publishing the reader file: written aside, closed, then renamed over the old one.

Readers and the writer exclude each other in DuckDB (NOTES pitfall 2), so consumers never open the working
file. `os.replace` is atomic on one filesystem: a reader opening the published path gets either the whole
previous run or the whole new one, never a half-written file. A reader already connected keeps its old
snapshot until it reconnects.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from airace_pipeline.warehouse.contract import CONTRACT

PUBLISH_ALIAS = "publish_target"


# Rows in = rows out + rows quarantined, per stage, so a reader can check any snapshot on its own.
_STAGE_COUNTS_SQL = """
SELECT 'ingest' AS stage,
       (SELECT count(*) FROM ({raw})) AS rows_in,
       (SELECT count(*) FROM main.documents) AS rows_out,
       (SELECT count(*) FROM main.quarantine WHERE stage = 'ingest') AS rows_quarantined
UNION ALL
SELECT 'extract',
       (SELECT count(*) FROM main.documents),
       (SELECT count(*) FROM extract.document_runs WHERE error IS NULL
          AND document_id IN (SELECT document_id FROM main.documents)),
       (SELECT count(*) FROM main.quarantine WHERE stage = 'extract')
UNION ALL
SELECT 'facts',
       (SELECT count(*) FROM extract.fact_mentions),
       (SELECT count(*) FROM main.evidence),
       (SELECT count(*) FROM main.quarantine WHERE stage = 'validate' AND table_name = 'evidence')
"""


def publish(conn: duckdb.DuckDBPyConnection, target: Path, run_id: str, raw_union_sql: str) -> dict[str, int]:
    """Copy every contract table from the working connection into a fresh file at `target`.

    `raw_union_sql` selects every raw document row (all sources), for the ingest stage's count.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging_files(target)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    counts: dict[str, int] = {}
    try:
        conn.execute("ATTACH ? AS publish_target", [str(staging)])
        try:
            for table in CONTRACT:
                conn.execute(table.create_sql(PUBLISH_ALIAS))
                # Identifiers come from the contract module; DuckDB cannot bind them as parameters.
                conn.execute(f'INSERT INTO {PUBLISH_ALIAS}."{table.name}" SELECT * FROM main."{table.name}"')
                counts[table.name] = conn.execute(f'SELECT count(*) FROM main."{table.name}"').fetchone()[0]
            conn.execute(
                f"CREATE TABLE {PUBLISH_ALIAS}.pipeline_runs AS "
                "SELECT ?::VARCHAR AS run_id, ?::TIMESTAMPTZ AS published_at",
                [run_id, dt.datetime.now(tz=dt.UTC)],
            )
            conn.execute(
                f"CREATE TABLE {PUBLISH_ALIAS}.stage_counts AS {_STAGE_COUNTS_SQL.format(raw=raw_union_sql)}"
            )
        finally:
            conn.execute(f"DETACH {PUBLISH_ALIAS}")
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    return counts


def _remove_abandoned_staging_files(target: Path) -> None:
    """A run killed while publishing leaves its staging file behind; the next publication removes it.

    Publications are serialised by the `duckdb` pool, so no other staging file is being written now.
    """
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):
        leftover.unlink(missing_ok=True)


@contextmanager
def open_published(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published file, as a SQL reader would open it."""
    conn = duckdb.connect(str(path), read_only=True)
    try:
        yield conn
    finally:
        conn.close()
