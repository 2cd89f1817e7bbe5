"""A SQL reader as users run one: query the published file in a loop and check every snapshot.

Run as `python -m airace_pipeline_tests.operations.reader_loop MODE DB STOPFILE OUT`. In `poll` mode, until
STOPFILE exists it connects read-only, checks keys, foreign keys and the row-conservation law, and
disconnects. In `hold` mode it keeps one connection open the whole time and queries it, as a BI tool
would. (Two processes, because DuckDB shares one database instance among a process's connections to the
same path: while one stays open, new ones in that process see the same, old file.) It writes what it saw
to OUT as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from airace_pipeline.warehouse.integrity import integrity_violations


def check_snapshot(conn: duckdb.DuckDBPyConnection) -> list[str]:
    problems = [f"{rule}: {count}" for rule, count in integrity_violations(conn).items()]
    for stage, rows_in, rows_out, quarantined in conn.execute("SELECT * FROM stage_counts").fetchall():
        if rows_in != rows_out + quarantined:
            problems.append(f"stage {stage}: {rows_in} in != {rows_out} out + {quarantined} quarantined")
    documents, evidence = conn.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM evidence)"
    ).fetchone()
    counted = dict(conn.execute("SELECT stage, rows_out FROM stage_counts").fetchall())
    if (counted["ingest"], counted["facts"]) != (documents, evidence):
        problems.append("stage_counts do not match the tables of the same snapshot")
    return problems


def main(mode: str, db: Path, stop: Path, out: Path) -> None:
    held = duckdb.connect(str(db), read_only=True) if mode == "hold" else None
    snapshots, errors, run_ids = 0, [], set()
    while not stop.exists():
        try:
            conn = held or duckdb.connect(str(db), read_only=True)
            try:
                run_ids.add(conn.execute("SELECT run_id FROM pipeline_runs").fetchone()[0])
                errors.extend(check_snapshot(conn))
                snapshots += 1
            finally:
                if held is None:
                    conn.close()
        except Exception as exc:  # every error is a finding, not a crash of the reader
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.05)
    if held is not None:
        held.close()
    out.write_text(json.dumps({"snapshots": snapshots, "errors": errors, "run_ids": sorted(run_ids)}))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
