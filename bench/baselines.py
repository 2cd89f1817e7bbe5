"""The two baselines our pipeline is compared with, each meant to run in its own process:

    python -m bench.baselines floor --docs DIR --db FILE      # plain DuckDB SQL: the floor
    python -m bench.baselines naive --docs DIR --work DIR     # dlt loading Python dicts: the naive way

Each prints one JSON object (seconds measured inside the process, rows written) on its last line; the
caller measures wall time and memory from outside (`bench.measure`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

# The first money amount of a text, as written: symbol or ISO-style prefix, number, optional unit; or a
# number followed by a currency word ("2.5 billion yuan"). RE2 syntax (DuckDB's regex engine).
MONEY_REGEX = (
    r"(?:(?:US|C|S|HK|A)?\$|€|£|¥|₹|₩|Rs\.? )\s?\d[\d,]*(?:\.\d+)?"
    r"(?:\s?(?:lakh crore|crore|lakh|trillion|billion|million|bn|m)\b)?"
    r"|\d[\d,]*(?:\.\d+)?\s(?:trillion|billion|million)\s(?:yuan|yen|won|euros|dollars|pounds|rupees)"
)


def docs_glob(folder: Path) -> str:
    return str(folder / "**" / "*.jsonl")


def floor(docs: Path, db: Path, threads: int | None = None) -> dict[str, object]:
    """One CREATE TABLE AS over read_json: DuckDB parses, extracts the first amount and stores."""
    import duckdb

    began = time.perf_counter()
    conn = duckdb.connect(str(db))
    try:
        if threads:
            conn.execute(f"SET threads = {int(threads)}")
        pattern = docs_glob(docs).replace("'", "''")
        regex = MONEY_REGEX.replace("'", "''")
        conn.execute(
            "CREATE OR REPLACE TABLE docs_floor AS "
            f"SELECT title, published, regexp_extract(text, '{regex}', 0) AS first_amount "
            f"FROM read_json('{pattern}', format = 'newline_delimited')"
        )
        rows, with_amount = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE first_amount <> '') FROM docs_floor"
        ).fetchone()
        threads_used = conn.execute("SELECT current_setting('threads')").fetchone()[0]
    finally:
        conn.close()
    return {
        "stage": "floor",
        "seconds": time.perf_counter() - began,
        "rows": rows,
        "rows_with_amount": with_amount,
        "threads": threads_used,
    }


def iter_documents(folder: Path) -> Iterator[dict]:
    """Every document of a generated set as a Python dict, file by file, line by line."""
    for path in sorted(folder.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def naive(docs: Path, work: Path) -> dict[str, object]:
    """dlt as its getting-started guide shows it: a resource yielding dicts, `pipeline.run`, DuckDB."""
    import dlt

    began = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)

    @dlt.resource(name="documents", write_disposition="append")
    def documents() -> Iterator[dict]:
        yield from iter_documents(docs)

    pipeline = dlt.pipeline(
        pipeline_name="bench_naive",
        destination=dlt.destinations.duckdb(str(work / "bench_naive.duckdb")),
        dataset_name="naive",
        pipelines_dir=str(work / "dlt_pipelines"),
    )
    pipeline.run(documents())
    seconds = time.perf_counter() - began
    steps = {
        step.step: (step.finished_at - step.started_at).total_seconds()
        for step in pipeline.last_trace.steps
        if step.step in ("extract", "normalize", "load") and step.finished_at is not None
    }
    with pipeline.sql_client() as client:
        rows = client.execute_sql("SELECT count(*) FROM documents")[0][0]
    return {"stage": "naive", "seconds": seconds, "rows": rows, "dlt_steps": steps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baselines")
    sub = parser.add_subparsers(dest="stage", required=True)
    f = sub.add_parser("floor", help="DuckDB read_json + regexp_extract into a table")
    f.add_argument("--docs", type=Path, required=True)
    f.add_argument("--db", type=Path, required=True)
    f.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: DuckDB's own)")
    n = sub.add_parser("naive", help="dlt loading the documents as Python dicts into DuckDB")
    n.add_argument("--docs", type=Path, required=True)
    n.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    result = floor(args.docs, args.db, args.threads) if args.stage == "floor" else naive(args.docs, args.work)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
