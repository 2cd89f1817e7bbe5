"""`python -m airace_pipeline run|summary|report|partition-range`: what `make run`, `make backfill` and
`make report` call.

`run` materialises every asset over the whole partition range (or the months holding --start..--end) in
one run, through Dagster's own CLI (so the run is recorded in $DAGSTER_HOME and shows in the UI), then
prints the row count of each published table. Days are checked here, before Dagster starts, so a typo
in `make backfill START=... END=...` gets a one-line answer instead of a stack trace. `report` renders
the HTML report from the current published file without running anything (the `report` asset does the
same after every run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb

from airace_pipeline.defs.partitions import (
    DUCKDB_POOL,
    PARTITIONS_START,
    last_partition_day,
    parse_day,
    partition_key_range,
)
from airace_pipeline.paths import REPO_ROOT, resolve_path
from airace_pipeline.recovery import recover_interrupted_runs
from airace_pipeline.warehouse.contract import CONTRACT

_QUIET_LOGS = json.dumps({"loggers": {"console": {"config": {"log_level": "INFO"}}}})


def partition_range(start: str | None = None, end: str | None = None) -> str:
    """START...END partition keys covering the days start..end (default: the whole partitioned range)."""
    first = parse_day(start, "start") if start else PARTITIONS_START
    last = parse_day(end, "end") if end else last_partition_day()
    first_key, last_key = partition_key_range(first, last)
    return f"{first_key}...{last_key}"


def ensure_pool_limit(instance: dg.DagsterInstance, pool: str = DUCKDB_POOL) -> None:
    """Create the pool's limit row before the run, tolerating another process doing it at the same moment.

    Dagster creates it when a step first claims the pool. On PostgreSQL two runs starting together on a
    new instance (two machines, a test) both insert it, and the loser's fallback UPDATE runs inside the
    failed transaction, so its run fails (UniqueViolation, then InFailedSqlTransaction). Here the loser
    finds the row there and goes on.
    """
    from sqlalchemy.exc import DBAPIError

    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits or pool in storage.get_concurrency_keys():
        return
    try:
        storage.initialize_concurrency_limit_to_default(pool)
    except DBAPIError:
        if pool not in storage.get_concurrency_keys():
            raise


def run(start: str | None, end: str | None, dry_run: bool = False) -> int:
    try:
        keys = partition_range(start, end)
    except ValueError as exc:
        print(f"airace_pipeline: {exc}", file=sys.stderr)
        return 2
    if dry_run:  # what the README test uses to check the documented days without running anything
        print(keys)
        return 0
    with dg.DagsterInstance.get() as instance:
        for run_id in recover_interrupted_runs(instance):
            print(f"airace_pipeline: run {run_id} had been killed; marked failed and freed its pool slot")
        ensure_pool_limit(instance)
    dagster = Path(sys.executable).with_name("dagster")
    command = [
        str(dagster), "asset", "materialize",
        "-m", "airace_pipeline.definitions",
        "--select", "*",
        "--partition-range", keys,
        "--config-json", _QUIET_LOGS,
    ]  # fmt: skip
    days = f"{start or PARTITIONS_START}..{end or last_partition_day()}"
    print(f"airace_pipeline: materialising every asset over {days} (partitions {keys})", flush=True)
    began = time.monotonic()
    result = subprocess.run(command, cwd=REPO_ROOT, check=False)
    if result.returncode != 0:
        print(
            "airace_pipeline: the run failed; the log above names the failed step. Fix the cause and run "
            "`make run` again: the pipeline picks up where it stopped without duplicating rows.",
            file=sys.stderr,
        )
        return result.returncode
    print(f"airace_pipeline: run finished in {time.monotonic() - began:.0f}s")
    return summary()


def summary() -> int:
    path = resolve_path(os.environ.get("AIRACE_DUCKDB_PATH", "data/airace.duckdb"))
    if not path.exists():
        print(f"airace_pipeline: {path} does not exist yet; run `make run` first", file=sys.stderr)
        return 1
    conn = duckdb.connect(str(path), read_only=True)
    try:
        print(f"\nPublished warehouse {path}")
        print(f"{'table':<26}{'rows':>8}")
        for table in CONTRACT:
            count = conn.execute(f'SELECT count(*) FROM main."{table.name}"').fetchone()[0]
            print(f"{table.name:<26}{count:>8}")
    finally:
        conn.close()
    return 0


def report() -> int:
    """Build the report from the published file, with the paths the `report` asset uses: AIRACE_REPORT_DIR,
    else `report/` beside AIRACE_DUCKDB_PATH."""
    from airace_pipeline.report.build import PublishedFileMissing, build_report

    published = resolve_path(os.environ.get("AIRACE_DUCKDB_PATH", "data/airace.duckdb"))
    folder_setting = os.environ.get("AIRACE_REPORT_DIR")
    folder = resolve_path(folder_setting) if folder_setting else published.parent / "report"
    try:
        built = build_report(published, folder)
    except PublishedFileMissing as exc:
        print(f"airace_pipeline: {exc}", file=sys.stderr)
        return 1
    print(
        f"airace_pipeline: report of run {built.run_id} ({built.pages} pages, {built.charts} charts, "
        f"{built.facts} facts) written to {built.index}\nopen {built.index.resolve().as_uri()}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m airace_pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="materialise everything over a partition range, then summarise")
    run_parser.add_argument("--start", help=f"first publication day (default {PARTITIONS_START})")
    run_parser.add_argument("--end", help="last publication day (default today, UTC)")
    run_parser.add_argument(
        "--dry-run", action="store_true", help="check the days and print the partition range; run nothing"
    )
    sub.add_parser("summary", help="row counts of the published tables")
    sub.add_parser("report", help="build the HTML report from the published file (runs nothing else)")
    sub.add_parser("partition-range", help="print the full partition range as START...END keys")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.start, args.end, args.dry_run)
    if args.command == "summary":
        return summary()
    if args.command == "report":
        return report()
    print(partition_range())
    return 0


if __name__ == "__main__":
    sys.exit(main())
