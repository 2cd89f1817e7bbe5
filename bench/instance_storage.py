"""Dagster's per-partition recording cost on PostgreSQL against SQLite (issue 15, point 5).

    python -m bench.instance_storage                      # 120 monthly partitions, 5 rounds
    python -m bench.instance_storage --partitions 36 --rounds 3

What is measured is Dagster's bookkeeping only, not the pipeline: a trivial monthly-partitioned asset
with a single-run backfill policy, materialised in process (`dg.materialize`, as the tests do) over
1 partition and over N partitions in one run, as `make run` does over the real range. Each run writes
the run record, its step events and one materialisation event per partition to the instance's storage,
so (time for N - time for 1) / (N - 1) is the cost of recording one more partition. A third figure is
`report_runless_asset_event` N times: one event per call, each its own write.

Both instances are real: SQLite files in a temporary DAGSTER_HOME (the default dagster.yaml) and a
throwaway PostgreSQL cluster on 127.0.0.1 (airace_pipeline/cluster/postgres.py, fsync on, the package's
default settings), measured in the same process, alternating, so that load on the machine falls on both.
Medians over the rounds are printed with the ratios PostgreSQL / SQLite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from airace_pipeline.cluster.postgres import create_databases, throwaway_postgres
from bench import scaleout

REPO_ROOT = Path(__file__).resolve().parents[1]
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _asset(partitions: int) -> tuple[dg.AssetsDefinition, list[str]]:
    months = dg.MonthlyPartitionsDefinition(
        start_date="2010-01-01", end_date=f"{2011 + partitions // 12}-01-01"
    )

    @dg.asset(partitions_def=months, backfill_policy=dg.BackfillPolicy.single_run())
    def trivial(context) -> None:  # unannotated: a string annotation is not resolved in a closure
        context.log.debug(f"{len(context.partition_keys)} partitions")

    return trivial, months.get_partition_keys()[:partitions]


def _home(folder: Path, postgres_url: str | None) -> Path:
    """A DAGSTER_HOME with the repository's instance file (SQLite) or its PostgreSQL variant."""
    folder.mkdir(parents=True)
    source = REPO_ROOT / ("deploy/dagster-postgres.yaml" if postgres_url else "dagster.yaml")
    shutil.copy(source, folder / "dagster.yaml")
    return folder


def _timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def _one_round(instance: dg.DagsterInstance, asset: dg.AssetsDefinition, keys: list[str]) -> dict[str, float]:
    def run(first: str, last: str) -> None:
        result = dg.materialize(
            [asset], instance=instance, tags={RANGE_START: first, RANGE_END: last}, run_config=QUIET
        )
        assert result.success

    def runless() -> None:
        for key in keys:
            instance.report_runless_asset_event(dg.AssetMaterialization(asset_key="runless", partition=key))

    return {
        "run, 1 partition": _timed(lambda: run(keys[0], keys[0])),
        f"run, {len(keys)} partitions": _timed(lambda: run(keys[0], keys[-1])),
        f"{len(keys)} runless events": _timed(runless),
    }


def measure(partitions: int, rounds: int) -> dict[str, dict[str, float]]:
    """Median seconds per figure and backend."""
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "1")  # as the Makefile sets
    asset, keys = _asset(partitions)
    samples: dict[str, dict[str, list[float]]] = {"sqlite": {}, "postgres": {}}
    with (
        tempfile.TemporaryDirectory(prefix="airace-bench-instance-") as tmp,
        throwaway_postgres(databases=()) as pg,
    ):
        create_databases(pg, ["bench"])
        os.environ["AIRACE_DAGSTER_PG_URL"] = pg.dagster_url("bench")
        homes = {"sqlite": _home(Path(tmp) / "sqlite", None), "postgres": _home(Path(tmp) / "postgres", "pg")}
        instances = {name: dg.DagsterInstance.from_config(str(home)) for name, home in homes.items()}
        try:
            for instance in instances.values():  # warm-up: schema creation, first connections
                _one_round(instance, asset, keys[:2])
            for _ in range(rounds):
                for name, instance in instances.items():
                    for figure, seconds in _one_round(instance, asset, keys).items():
                        samples[name].setdefault(figure, []).append(seconds)
        finally:
            for instance in instances.values():
                instance.dispose()
    return {name: {f: statistics.median(v) for f, v in figures.items()} for name, figures in samples.items()}


def report(medians: dict[str, dict[str, float]], partitions: int) -> str:
    sqlite, postgres = medians["sqlite"], medians["postgres"]
    lines = [
        "| figure (median) | SQLite | PostgreSQL | PostgreSQL / SQLite |",
        "| --- | ---: | ---: | ---: |",
    ]
    for figure in sqlite:
        lines.append(
            f"| {figure} | {sqlite[figure]:.3f} s | {postgres[figure]:.3f} s | {postgres[figure] / sqlite[figure]:.2f} |"
        )
    per = {
        name: (m[f"run, {partitions} partitions"] - m["run, 1 partition"]) / (partitions - 1)
        for name, m in medians.items()
    }
    lines.append(
        f"| one more partition in a run | {per['sqlite'] * 1000:.1f} ms | {per['postgres'] * 1000:.1f} ms "
        f"| {per['postgres'] / per['sqlite']:.2f} |"
    )
    runless = {name: m[f"{partitions} runless events"] / partitions for name, m in medians.items()}
    lines.append(
        f"| one runless event | {runless['sqlite'] * 1000:.1f} ms | {runless['postgres'] * 1000:.1f} ms "
        f"| {runless['postgres'] / runless['sqlite']:.2f} |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.instance_storage", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--partitions", type=int, default=120, help="monthly partitions in the ranged run")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per backend (medians are reported)")
    parser.add_argument("--json", type=Path, default=scaleout.DEFAULT_PATH, help="where the figures go")
    args = parser.parse_args(argv)
    if args.partitions < 2:
        parser.error("--partitions must be at least 2")
    table = report(measure(args.partitions, args.rounds), args.partitions)
    print(table)
    scaleout.record(
        args.json, "instance_storage", {"partitions": args.partitions, "rounds": args.rounds, "table": table}
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
