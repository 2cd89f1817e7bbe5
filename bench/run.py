"""`make bench`: the floor, the naive dlt load and our pipeline on the same generated documents.

    python -m bench.run --sizes 10000,100000,200000,1000000
    python -m bench.run --sizes 10000 --quick          # no incremental runs
    python -m bench.run --sizes 10000 --profile        # then profile ours (bench/profiles/)
    python -m bench.run --stages none --profile 100k   # only the profile

For each size, on the same cached document set (bench/.data/docs-<N>-seed<S>/):

1. floor: DuckDB `read_json` + `regexp_extract` of the first money amount into a table (one process);
2. naive: dlt loading the documents yielded as Python dicts into DuckDB (one process);
3. ours: `dagster asset materialize --select '*'` over the partitions (months) holding the set, with its own
   DAGSTER_HOME, sources file and warehouse files, as `make run` does it. "Inside the assets" is the sum of
   the step durations Dagster recorded (STEP_START to STEP_SUCCESS); "wall" is the whole CLI command,
   process start included;
4. incremental: 1% new documents dated the day after the set, materialised as the daily schedule does it
   (every asset, the one partition holding that day), then the same partition again with nothing new.

Memory is the peak RSS summed over the process tree (sampled every 0.2 s), per stage and per step. The
figures are printed and written to RESULTS.md with the machine's description.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import generate as gen
from bench import scaleout
from bench.measure import Measured, run_measured

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_SIZES = (10_000, 100_000, 200_000, 1_000_000)
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}

# Dagster step keys -> the stage of the issue they belong to.
STAGES: dict[str, tuple[str, ...]] = {
    "ingest (dlt)": ("raw_local_documents",),
    "documents": ("documents",),
    "extract + validate": ("fact_mentions",),
    "normalise": ("countries", "organisations", "fact_tables", "quarantine"),
    "publish": ("published_warehouse",),
}

# The stages the throughput target covers: everything around extraction, which is CPU-bound rules
# and scales out separately (Dask), so it is left out of that figure.
AROUND_EXTRACTION: tuple[str, ...] = ("ingest (dlt)", "documents", "normalise", "publish")

TARGETS = {
    "speed": "ours (inside assets) on 200k <= 0.5 x naive dlt load",
    "around": "stages around extraction on 200k <= 0.5 x naive dlt load",
    "flat": "cost per document flat within 25% from 10k to 1M",
    "memory": "peak RSS at 1M < 2 GB (read as 2 GiB: 2,048 MiB)",
    "incremental": "1% new documents: scheduled run <= 5% of the full run",
    "nothing_new": "a run with nothing new extracts nothing",
    "nothing_new_wall": "a scheduled run with nothing new <= 10 s wall",
}


# --------------------------------------------------------------------------------------------------------
# Running the stages
# --------------------------------------------------------------------------------------------------------


PROFILE_NOTES = Path(__file__).resolve().parent / "PROFILE.md"


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["RUNTIME__DLTHUB_TELEMETRY"] = "false"  # no network calls from dlt, in every stage alike
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _last_json(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON result in output:\n{stdout[-2000:]}")


def _mem(m: Measured) -> dict[str, Any]:
    return {
        "peak_tree_rss": m.peak_tree_rss,
        "max_process_rss": m.max_process_rss,
        "processes": m.peak_processes,
    }


def run_floor(docs: Path, work: Path, repeat: int) -> dict[str, Any]:
    best: dict[str, Any] | None = None
    for i in range(repeat):
        db = work / "floor.duckdb"
        db.unlink(missing_ok=True)
        command = [sys.executable, "-m", "bench.baselines", "floor", "--docs", str(docs), "--db", str(db)]
        m = run_measured(command, env=base_env(), cwd=REPO_ROOT, log_dir=work / "logs", name=f"floor-{i}")
        m.check()
        result = _last_json(m.stdout) | {"wall": m.seconds, **_mem(m)}
        if best is None or result["seconds"] < best["seconds"]:
            best = result
        db.unlink(missing_ok=True)
    assert best is not None
    return best


def run_naive(docs: Path, work: Path, repeat: int) -> dict[str, Any]:
    best: dict[str, Any] | None = None
    for i in range(repeat):
        target = work / "naive"
        shutil.rmtree(target, ignore_errors=True)
        command = [
            sys.executable,
            "-m",
            "bench.baselines",
            "naive",
            "--docs",
            str(docs),
            "--work",
            str(target),
        ]
        m = run_measured(command, env=base_env(), cwd=REPO_ROOT, log_dir=work / "logs", name=f"naive-{i}")
        m.check()
        result = _last_json(m.stdout) | {"wall": m.seconds, **_mem(m)}
        if best is None or result["seconds"] < best["seconds"]:
            best = result
        shutil.rmtree(target, ignore_errors=True)
    assert best is not None
    return best


@dataclasses.dataclass(frozen=True)
class OursSetup:
    home: Path
    env: dict[str, str]
    increment_dir: Path
    warehouse: Path


def setup_ours(work: Path, docs: Path) -> OursSetup:
    """A DAGSTER_HOME, sources file and warehouse files of its own, as `make run` sets them up."""
    home = work / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    increment = work / "increment"
    increment.mkdir(parents=True, exist_ok=True)
    sources = work / "sources.yaml"
    # The increment folder is a second source, empty for the full run: the cached set stays untouched.
    sources.write_text(
        "sources:\n"
        f"  - name: bench\n    kind: local_folder\n    path: {json.dumps(str(docs))}\n"
        f"  - name: bench_new\n    kind: local_folder\n    path: {json.dumps(str(increment))}\n",
        encoding="utf-8",
    )
    env = base_env() | {
        "DAGSTER_HOME": str(home),
        "AIRACE_SOURCES": str(sources),
        "AIRACE_DUCKDB_PATH": str(work / "airace.duckdb"),
        "AIRACE_WORK_DUCKDB_PATH": str(work / "work" / "airace_work.duckdb"),
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "1",
    }
    return OursSetup(home, env, increment, work / "airace.duckdb")


def full_range(first_day: dt.date, last_day: dt.date) -> str:
    """The --partition-range of the partitions holding first_day..last_day (the pipeline's own mapping)."""
    from airace_pipeline.defs.partitions import partition_key_range

    first, last = partition_key_range(first_day, last_day)
    return f"{first}...{last}"


def partition_of(day: dt.date) -> str:
    """The --partition holding `day`, as the daily schedule picks it."""
    from airace_pipeline.defs.partitions import partition_key_for_day

    return partition_key_for_day(day)


def materialize_command(partition: str, config: dict[str, Any] | None = None) -> list[str]:
    flag = "--partition-range" if "..." in partition else "--partition"
    return [
        str(BIN / "dagster"), "asset", "materialize",
        "-m", "airace_pipeline.definitions",
        "--select", "*",
        flag, partition,
        "--config-json", json.dumps(config or QUIET_LOGS),
    ]  # fmt: skip


def run_ours(setup: OursSetup, partition: str, documents: int, log_dir: Path, name: str) -> dict[str, Any]:
    """One `dagster asset materialize` run, measured from outside and read back from the instance."""
    m = run_measured(materialize_command(partition), env=setup.env, cwd=REPO_ROOT, log_dir=log_dir, name=name)
    result: dict[str, Any] = {"partition": partition, "documents": documents, "wall": m.seconds, **_mem(m)}
    run = read_run(setup.home)
    result.update(run)
    result["ok"] = m.returncode == 0 and run.get("status") == "SUCCESS"
    if not result["ok"]:
        result["error"] = "\n".join(m.stderr.splitlines()[-30:])
    result["steps"] = {
        key: step | {"peak_tree_rss": _peak_between(m.samples, step["start"], step["end"])}
        for key, step in run.get("steps", {}).items()
    }
    return result


def _peak_between(samples: Sequence[tuple[float, int]], start: float | None, end: float | None) -> int:
    if start is None or end is None:
        return 0
    inside = [rss for t, rss in samples if start <= t <= end]
    return max(inside, default=0)


def read_run(home: Path) -> dict[str, Any]:
    """The latest run of the instance in `home`: status, step durations, materialisation metadata."""
    import dagster as dg
    from dagster._core.events import DagsterEventType

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {"status": "NO RUN"}
        run = runs[0]
        stats = instance.get_run_stats(run.run_id)
        steps = {}
        for step in instance.get_run_step_stats(run.run_id):
            seconds = (step.end_time - step.start_time) if step.start_time and step.end_time else None
            steps[step.step_key] = {
                "status": step.status.value if step.status else None,
                "start": step.start_time,
                "end": step.end_time,
                "seconds": seconds,
            }
        metadata_by_asset: dict[str, dict[str, Any]] = {}
        first_event: dict[str, float] = {}
        for record in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION):
            if record.step_key:
                first_event[record.step_key] = min(
                    first_event.get(record.step_key, record.timestamp), record.timestamp
                )
            materialization = record.dagster_event.event_specific_data.materialization
            key = materialization.asset_key.to_user_string()
            if key in metadata_by_asset:
                continue  # a ranged run records one materialisation per partition, same metadata
            metadata_by_asset[key] = {k: _plain(v) for k, v in materialization.metadata.items()}
    # After the asset's code returns, Dagster records one materialisation per partition of the range (plus
    # check results): time inside the step but not in our code. Shown apart so the two are not confused.
    for key, step in steps.items():
        if key in first_event and step["end"]:
            step["recording_seconds"] = max(0.0, step["end"] - first_event[key])
    inside = sum(s["seconds"] or 0.0 for s in steps.values())
    return {
        "dagster_recording": sum(s.get("recording_seconds", 0.0) for s in steps.values()),
        "run_id": run.run_id,
        "status": run.status.value,
        "run_seconds": (stats.end_time - stats.start_time) if stats.start_time and stats.end_time else None,
        "inside_assets": inside,
        "steps": steps,
        "metadata": metadata_by_asset,
    }


def _plain(value: Any) -> Any:
    """Numbers and short strings of a metadata value (dlt's job lists and table schemas are left out)."""
    raw = getattr(value, "value", value)
    if isinstance(raw, int | float | bool) or raw is None:
        return raw
    text = str(raw)
    return text if len(text) <= 200 else f"<{len(text)} characters>"


def stage_seconds(steps: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    out = {}
    for stage, keys in STAGES.items():
        found = [steps[k] for k in keys if k in steps and steps[k]["seconds"] is not None]
        if found:
            out[stage] = {
                "seconds": sum(s["seconds"] for s in found),
                "peak_tree_rss": max(s.get("peak_tree_rss", 0) for s in found),
            }
    known = {k for keys in STAGES.values() for k in keys}
    for key, step in steps.items():  # steps added to the pipeline later still show up
        if key not in known and step["seconds"] is not None:
            out[key] = {"seconds": step["seconds"], "peak_tree_rss": step.get("peak_tree_rss", 0)}
    return out


def around_extraction_seconds(steps: dict[str, dict[str, Any]]) -> float | None:
    """Sum of the ingest, documents, normalise and publish stages (None unless all four were measured)."""
    stages = stage_seconds(steps)
    if not all(name in stages for name in AROUND_EXTRACTION):
        return None
    return sum(stages[name]["seconds"] for name in AROUND_EXTRACTION)


def extracted_documents(result: dict[str, Any]) -> tuple[int | None, str]:
    meta = result.get("metadata", {}).get("fact_mentions", {})
    if "documents_extracted" in meta:
        return meta["documents_extracted"], "documents_extracted"
    if "window_documents_in" in meta:
        return meta["window_documents_in"], "window_documents_in (documents_extracted missing)"
    return None, "no fact_mentions metadata"


def measure_size(n: int, args: argparse.Namespace, log: Any) -> dict[str, Any]:
    docs = gen.cached_set(n, args.seed, args.start, args.days, root=args.data_root, jobs=args.jobs, log=log)
    work = args.work_root / f"size-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out: dict[str, Any] = {
        "documents": docs.documents,
        "bytes": docs.bytes,
        "first_day": docs.first_day.isoformat(),
        "last_day": docs.last_day.isoformat(),
        "measured_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
    }
    if "floor" in args.stages:
        log(f"[{n:,}] floor: DuckDB read_json + regexp_extract ...")
        out["floor"] = run_floor(docs.path, work, args.repeat)
        log(f"[{n:,}] floor: {out['floor']['seconds']:.2f}s")
    if "naive" in args.stages:
        log(f"[{n:,}] naive: dlt loading Python dicts ...")
        out["naive"] = run_naive(docs.path, work, args.repeat)
        log(f"[{n:,}] naive: {out['naive']['seconds']:.2f}s")
    if "ours" in args.stages:
        setup = setup_ours(work, docs.path)
        partition = full_range(docs.first_day, docs.last_day)
        log(f"[{n:,}] ours: dagster asset materialize --partition-range {partition} ...")
        full = run_ours(setup, partition, docs.documents, work / "logs", "ours-full")
        out["ours"] = full
        log(
            f"[{n:,}] ours: {'ok' if full['ok'] else 'FAILED'}, inside assets {full.get('inside_assets', 0):.1f}s, wall {full['wall']:.1f}s"
        )
        if full["ok"] and not args.quick:
            day = docs.last_day + dt.timedelta(days=1)
            new_docs = max(1, docs.documents // 100)
            gen.write_increment(setup.increment_dir, new_docs, day, args.seed)
            log(f"[{n:,}] incremental: {new_docs:,} new documents dated {day}, scheduled-style run ...")
            key = partition_of(day)
            out["incremental"] = run_ours(setup, key, new_docs, work / "logs", "ours-incremental")
            log(f"[{n:,}] nothing new: the same partition again ...")
            out["nothing_new"] = run_ours(setup, key, 0, work / "logs", "ours-nothing-new")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return out


def profile_ours(n: int, args: argparse.Namespace, log: Any) -> dict[str, str]:
    """Run ours on a fresh warehouse under a profiler; outputs go to bench/profiles/."""
    docs = gen.cached_set(n, args.seed, args.start, args.days, root=args.data_root, jobs=args.jobs, log=log)
    pwork = args.work_root / f"profile-{n}"
    shutil.rmtree(pwork, ignore_errors=True)
    setup = setup_ours(pwork, docs.path)
    partition = full_range(docs.first_day, docs.last_day)
    args.profiles_dir.mkdir(parents=True, exist_ok=True)
    stem = args.profiles_dir / f"ours-{n}"
    if args.profiler == "py-spy":
        # The real executor (a process per step, extraction workers): py-spy follows the subprocesses.
        py_spy = shutil.which("py-spy") or str(BIN / "py-spy")
        if not Path(py_spy).exists():
            raise SystemExit("py-spy is not installed: pip install py-spy==0.4.3 (it needs ptrace: root)")
        output = stem.with_suffix(".speedscope.json")
        command = [py_spy, "record", "--subprocesses", "--format", "speedscope", "-o", str(output), "--"]
        command += materialize_command(partition)
        log(f"[{n:,}] profile: py-spy over the real run -> {output}")
        m = run_measured(command, env=setup.env, cwd=REPO_ROOT, log_dir=pwork / "logs", name="profile")
        m.check()
        if not args.keep:
            shutil.rmtree(pwork, ignore_errors=True)
        return {
            "profiler": "py-spy",
            "size": n,
            "output": _repo_relative(output),
            "seconds": f"{m.seconds:.1f}",
        }
    # pyinstrument samples one process: run every step in-process and extraction without workers, so the
    # profile covers the whole pipeline (the CPU split between stages, not the parallel wall time).
    config = QUIET_LOGS | {
        "execution": {"config": {"in_process": {}}},
        "ops": {"fact_mentions": {"config": {"workers": 1}}},
    }
    session = pwork / "profile.pyisession"  # every sample: hundreds of MB, so not kept
    # About 10k samples per 10k documents whatever the size, so the HTML stays a few MB.
    interval = args.profile_interval or max(0.01, 0.01 * n / 10_000)
    command = [sys.executable, "-m", "pyinstrument", "--interval", str(interval)]
    command += [
        "-r",
        "session",
        "-o",
        str(session),
        "-m",
        "dagster",
        *materialize_command(partition, config)[1:],
    ]
    log(f"[{n:,}] profile: pyinstrument, in-process executor, 1 extraction worker -> {stem}.html/.txt")
    m = run_measured(command, env=setup.env, cwd=REPO_ROOT, log_dir=pwork / "logs", name="profile")
    m.check()
    for renderer, suffix in (("html", ".html"), ("text", ".txt")):
        render = [sys.executable, "-m", "pyinstrument", "--load", str(session), "-r", renderer]
        render += ["-o", str(stem.with_suffix(suffix))]
        if renderer == "text":
            render.append("--no-color")
        run_measured(
            render, env=base_env(), cwd=REPO_ROOT, log_dir=pwork / "logs", name=f"render-{renderer}"
        ).check()
    if not args.keep:
        shutil.rmtree(pwork, ignore_errors=True)
    return {
        "profiler": "pyinstrument",
        "size": n,
        "output": f"{_repo_relative(stem)}.html, {_repo_relative(stem)}.txt",
        "seconds": f"{m.seconds:.1f}",
    }


def _repo_relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------------------------
# Figures, targets and the report
# --------------------------------------------------------------------------------------------------------


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def _fmt_rate(n: int, seconds: float | None) -> str:
    if not seconds:
        return "—"
    rate = n / seconds
    return f"{rate:,.0f}/s"


def _fmt_mb(b: int | None) -> str:
    return "—" if not b else f"{b / 2**20:,.0f} MiB"


def _fmt_x(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}×"


def summarise(results: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Ratios, cost per document and the PASS/FAIL of each target, from the per-size results."""
    per_size: dict[int, dict[str, Any]] = {}
    for n, r in sorted(results.items()):
        ours = r.get("ours") or {}
        ok = ours.get("ok", False)
        inside = ours.get("inside_assets") if ok else None
        wall = ours.get("wall") if ok else None
        floor = (r.get("floor") or {}).get("seconds")
        naive = (r.get("naive") or {}).get("seconds")
        around = around_extraction_seconds(ours.get("steps") or {}) if ok else None
        row = {
            "inside": inside,
            "around": around,
            "around_over_naive": _ratio(around, naive),
            "wall": wall,
            "floor": floor,
            "naive": naive,
            "inside_over_floor": _ratio(inside, floor),
            "inside_over_naive": _ratio(inside, naive),
            "wall_over_naive": _ratio(wall, naive),
            "us_per_doc": inside / r["documents"] * 1e6 if inside else None,
            # Without Dagster's recording of one event per partition: a cost per day range, not per document.
            "us_per_doc_code": (inside - (ours.get("dagster_recording") or 0.0)) / r["documents"] * 1e6
            if inside
            else None,
            "peak_rss": ours.get("peak_tree_rss") if ok else None,
        }
        inc, nothing = r.get("incremental"), r.get("nothing_new")
        if inc and inc.get("ok") and inside:
            row["incremental_inside"] = inc["inside_assets"]
            row["incremental_wall"] = inc["wall"]
            row["incremental_ratio"] = inc["inside_assets"] / inside
            row["incremental_wall_ratio"] = inc["wall"] / wall if wall else None
        if nothing and nothing.get("ok"):
            row["nothing_new_extracted"], row["nothing_new_basis"] = extracted_documents(nothing)
            row["nothing_new_wall"] = nothing.get("wall")
        per_size[n] = row

    targets: dict[str, tuple[str, str]] = {}
    r200 = per_size.get(200_000)
    if r200 and r200["inside_over_naive"] is not None:
        ratio = r200["inside_over_naive"]
        targets["speed"] = ("PASS" if ratio <= 0.5 else "FAIL", f"ours/naive at 200k = {ratio:.2f} (≤ 0.50)")
    else:
        measured = {
            n: v["inside_over_naive"] for n, v in per_size.items() if v["inside_over_naive"] is not None
        }
        shown = ", ".join(f"{n:,}: {_fmt_x(x)}" for n, x in measured.items())
        detail = "ours not measured at 200k" if r200 else "200k not measured"
        if r200 and r200["naive"]:
            detail += f" (naive {_fmt_s(r200['naive'])}, so ours must take ≤ {_fmt_s(r200['naive'] / 2)})"
        targets["speed"] = ("n/a", f"{detail}; ours/naive elsewhere: {shown or '—'}")
    if r200 and r200["around_over_naive"] is not None:
        ratio = r200["around_over_naive"]
        targets["around"] = (
            "PASS" if ratio <= 0.5 else "FAIL",
            f"(ingest + documents + normalise + publish)/naive at 200k = {_fmt_s(r200['around'])} / "
            f"{_fmt_s(r200['naive'])} = {ratio:.2f} (≤ 0.50)",
        )
    else:
        measured = {
            n: v["around_over_naive"] for n, v in per_size.items() if v["around_over_naive"] is not None
        }
        shown = ", ".join(f"{n:,}: {_fmt_x(x)}" for n, x in measured.items())
        targets["around"] = ("n/a", f"200k not measured; elsewhere: {shown or '—'}")
    costs = {n: v["us_per_doc"] for n, v in per_size.items() if v["us_per_doc"]}
    if len(costs) >= 2:
        spread = max(costs.values()) / min(costs.values()) - 1
        covered = min(costs) <= 10_000 and max(costs) >= 1_000_000
        verdict = (
            ("PASS" if spread <= 0.25 else "FAIL") if covered else ("PASS*" if spread <= 0.25 else "FAIL")
        )
        note = "" if covered else f" (*sizes {min(costs):,}..{max(costs):,} only)"
        code = [v["us_per_doc_code"] for v in per_size.values() if v.get("us_per_doc_code")]
        code_spread = max(code) / min(code) - 1 if len(code) >= 2 else None
        aside = (
            f"; without Dagster's per-partition recording {code_spread:.0%}"
            if code_spread is not None
            else ""
        )
        targets["flat"] = (verdict, f"max/min − 1 = {spread:.0%} over {len(costs)} sizes{note}{aside}")
    else:
        targets["flat"] = ("n/a", "needs two sizes or more")
    r1m = per_size.get(1_000_000)
    if r1m and r1m["peak_rss"]:
        targets["memory"] = (
            "PASS" if r1m["peak_rss"] < 2 * 2**30 else "FAIL",
            f"{_fmt_mb(r1m['peak_rss'])} at 1M ({r1m['peak_rss'] / 1e9:.3f} GB in decimal units)",
        )
    else:
        biggest = max((n for n, v in per_size.items() if v["peak_rss"]), default=None)
        detail = (
            f"1M not measured; {_fmt_mb(per_size[biggest]['peak_rss'])} at {biggest:,}" if biggest else "—"
        )
        targets["memory"] = ("n/a", detail)
    incs = {n: v["incremental_ratio"] for n, v in per_size.items() if v.get("incremental_ratio") is not None}
    if incs:
        worst = max(incs.values())
        detail = ", ".join(f"{n:,}: {x:.1%}" for n, x in incs.items())
        targets["incremental"] = ("PASS" if worst <= 0.05 else "FAIL", detail)
    else:
        targets["incremental"] = ("n/a", "no incremental run")
    nothing = {n: v["nothing_new_extracted"] for n, v in per_size.items() if "nothing_new_extracted" in v}
    if nothing:
        bad = {n: x for n, x in nothing.items() if x != 0}
        basis = {v["nothing_new_basis"] for v in per_size.values() if "nothing_new_basis" in v}
        detail = ", ".join(f"{n:,}: {x}" for n, x in nothing.items()) + f" (from {', '.join(sorted(basis))})"
        targets["nothing_new"] = ("FAIL" if bad else "PASS", detail)
    else:
        targets["nothing_new"] = ("n/a", "no nothing-new run")
    walls = {n: v["nothing_new_wall"] for n, v in per_size.items() if v.get("nothing_new_wall") is not None}
    if walls:
        detail = ", ".join(f"{n:,}: {_fmt_s(x)}" for n, x in walls.items())
        targets["nothing_new_wall"] = ("PASS" if max(walls.values()) <= 10.0 else "FAIL", detail)
    else:
        targets["nothing_new_wall"] = ("n/a", "no nothing-new run")
    return {"per_size": per_size, "targets": targets}


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kib / 2**20:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (kernel {platform.release()})"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for package in ("dagster", "dagster-dlt", "dlt", "duckdb", "pandas", "pandera", "pyarrow"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "CPU": cpu,
        "Cores": f"{usable} usable of {os.cpu_count()}",
        "Memory": mem,
        "OS": os_name,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Libraries": ", ".join(versions),
        "Load average at start (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in load),
        "Date": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def report(
    results: dict[int, dict[str, Any]],
    summary: dict[str, Any],
    info: dict[str, str],
    argv: str,
    profiles: Sequence[dict[str, Any]] = (),
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench.run {argv}` (`make bench`); re-running overwrites this file.",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
        "Timings on a shared machine are noisy: compare the load average with the number of cores.",
        "",
        "## What is measured",
        "",
        "- **Documents**: synthetic, from `bench/generate.py` (seeded; corpus-like mix of funding "
        "announcements, policy texts, alliances, incidents, multi-event news, rumours/denials and "
        "boilerplate), one JSON Lines file per publication day over two years (2024-01-01..2025-12-31), "
        "cached in `bench/.data/` and read warm from the page cache by every stage.",
        "- **Floor**: one DuckDB `CREATE TABLE AS SELECT title, published, regexp_extract(text, <money>, 0) "
        "FROM read_json(...)`, DuckDB's default threads.",
        "- **Naive**: a `dlt.resource` yielding one dict per document (`json.loads` per line), "
        "`pipeline.run` into DuckDB, default dlt settings (extract + normalize + load).",
        "- **Ours, inside assets**: the sum of the Dagster step durations of the run (each step from its "
        "start to its success event; process start-up and Dagster's orchestration between steps are not "
        "included). **Ours, wall**: the whole `dagster asset materialize --select '*' "
        "--partition-range FIRST...LAST` command over the months holding the set, process start "
        "included, as `make run` does it.",
        "- **Peak RSS**: the largest sum of resident memory over the stage's process tree (Dagster's "
        "run process, its step processes if any and the extraction workers), sampled every 0.2 s; shared "
        "pages count once per process, so this is an upper bound.",
        "- **Incremental**: 1% new documents dated the day after the set (a second local folder "
        "source), then `dagster asset materialize --select '*' --partition <the month holding that day>` — what the daily "
        "schedule (`daily_refresh`: every asset, one partition) runs. **Nothing new**: the same again.",
        "- **Around extraction**: the sum of the ingest, documents, normalise and publish stages of the "
        "full run (everything inside the assets but extraction, which is CPU-bound rules and scales out "
        "separately), against the naive dlt load of the same run.",
        "- **Cost per document**: ours inside assets / documents.",
        "",
        "## Targets",
        "",
        "| Target | Result | Figures |",
        "|---|---|---|",
    ]
    for key, text in TARGETS.items():
        verdict, detail = summary["targets"][key]
        lines.append(f"| {text} | **{verdict}** | {detail} |")
    lines += [
        "",
        "## Totals per size",
        "",
        "| Documents | Floor | Naive dlt | Ours inside assets | Ours wall | Ours/floor | Ours/naive "
        "| Ours wall/naive | Around extraction | Around/naive | µs/doc (ours) | Peak RSS ours |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, row in summary["per_size"].items():
        us = "—" if not row["us_per_doc"] else f"{row['us_per_doc']:,.0f}"
        lines.append(
            f"| {n:,} | {_fmt_s(row['floor'])} | {_fmt_s(row['naive'])} | {_fmt_s(row['inside'])} "
            f"| {_fmt_s(row['wall'])} | {_fmt_x(row['inside_over_floor'])} | {_fmt_x(row['inside_over_naive'])} "
            f"| {_fmt_x(row['wall_over_naive'])} | {_fmt_s(row.get('around'))} "
            f"| {_fmt_x(row.get('around_over_naive'))} | {us} | {_fmt_mb(row['peak_rss'])} |"
        )
    for n, r in sorted(results.items()):
        lines += ["", f"## {n:,} documents", ""]
        lines.append(
            f"Set: {r['documents']:,} documents, {r['bytes'] / 1e6:,.0f} MB of JSON Lines, "
            f"{r['first_day']}..{r['last_day']}; measured {r['measured_at']}."
        )
        lines += ["", "| Stage | Seconds | Documents/s | Peak RSS |", "|---|---:|---:|---:|"]
        for key, label in (("floor", "Floor (DuckDB SQL)"), ("naive", "Naive dlt (dicts)")):
            if key in r:
                s = r[key]
                lines.append(
                    f"| {label} | {_fmt_s(s['seconds'])} | {_fmt_rate(r['documents'], s['seconds'])} "
                    f"| {_fmt_mb(s.get('peak_tree_rss'))} |"
                )
                if key == "naive" and s.get("dlt_steps"):
                    for step, secs in s["dlt_steps"].items():
                        lines.append(
                            f"| &nbsp;&nbsp;dlt {step} | {_fmt_s(secs)} | {_fmt_rate(r['documents'], secs)} | |"
                        )
        ours = r.get("ours")
        if ours:
            if not ours.get("ok"):
                lines.append(f"| Ours | FAILED ({ours.get('status')}) | | |")
            else:
                for stage, s in stage_seconds(ours["steps"]).items():
                    lines.append(
                        f"| Ours: {stage} | {_fmt_s(s['seconds'])} | {_fmt_rate(r['documents'], s['seconds'])} "
                        f"| {_fmt_mb(s.get('peak_tree_rss'))} |"
                    )
                around = around_extraction_seconds(ours["steps"])
                lines.append(
                    f"| Ours: around extraction (ingest + documents + normalise + publish) | {_fmt_s(around)} "
                    f"| {_fmt_rate(r['documents'], around)} | |"
                )
                lines.append(
                    f"| **Ours: inside assets** | {_fmt_s(ours['inside_assets'])} "
                    f"| {_fmt_rate(r['documents'], ours['inside_assets'])} | {_fmt_mb(ours['peak_tree_rss'])} |"
                )
                lines.append(
                    f"| &nbsp;&nbsp;of which Dagster recording per-partition events | "
                    f"{_fmt_s(ours.get('dagster_recording'))} | | |"
                )
                lines.append(
                    f"| Ours: Dagster run (first to last event) | {_fmt_s(ours.get('run_seconds'))} "
                    f"| {_fmt_rate(r['documents'], ours.get('run_seconds'))} | |"
                )
                lines.append(
                    f"| **Ours: wall** (`dagster asset materialize`) | {_fmt_s(ours['wall'])} "
                    f"| {_fmt_rate(r['documents'], ours['wall'])} | {_fmt_mb(ours['peak_tree_rss'])} |"
                )
        for key, label in (("incremental", "Incremental (+1%)"), ("nothing_new", "Nothing new")):
            inc = r.get(key)
            if not inc:
                continue
            if not inc.get("ok"):
                lines.append(f"| {label} | FAILED ({inc.get('status')}) | | |")
                continue
            extracted, basis = extracted_documents(inc)
            lines.append(
                f"| {label}: inside assets | {_fmt_s(inc['inside_assets'])} | {inc['documents']:,} new docs "
                f"| {_fmt_mb(inc['peak_tree_rss'])} |"
            )
            steps = ", ".join(f"{k} {_fmt_s(v['seconds'])}" for k, v in stage_seconds(inc["steps"]).items())
            lines.append(f"| &nbsp;&nbsp;{label}: per stage | {steps} | | |")
            lines.append(
                f"| {label}: wall | {_fmt_s(inc['wall'])} | documents extracted: {extracted} ({basis}) | |"
            )
        if ours and ours.get("ok"):
            meta = ours.get("metadata", {}).get("fact_mentions", {})
            facts = {
                k: meta[k]
                for k in ("documents_extracted", "window_mentions_produced", "window_mentions_stored")
                if k in meta
            }
            if facts:
                lines += [
                    "",
                    "Extraction (full run): " + ", ".join(f"{k} = {v:,}" for k, v in facts.items()) + ".",
                ]
        if ours and not ours.get("ok"):
            lines += ["", "```", ours.get("error", ""), "```"]
    # Written by `bench.instance_storage` and `bench.distributed_extraction` (`make bench` runs both first).
    if scaleout_section := scaleout.render():
        lines += ["", scaleout_section]
    lines += [
        "",
        "## Where the time goes",
        "",
        # Written by hand from the profiles (bench/PROFILE.md), so re-running the benchmark keeps it.
        PROFILE_NOTES.read_text(encoding="utf-8").strip()
        if PROFILE_NOTES.is_file()
        else "_Not written yet: profile with `python -m bench.run --stages none --profile 100k` and record "
        "the findings in bench/PROFILE.md._",
        "",
    ]
    for p in profiles:
        lines.append(
            f"- Profile of ours at {p['size']:,} documents ({p['profiler']}, {p['seconds']} s under the "
            f"profiler): {p['output']}"
        )
    if profiles:
        lines.append("")
    return "\n".join(lines)


def print_summary(results: dict[int, dict[str, Any]], summary: dict[str, Any]) -> None:
    print()
    header = f"{'docs':>10} {'floor':>9} {'naive':>9} {'ours-in':>9} {'ours-wall':>10} {'in/floor':>9} {'in/naive':>9} {'wall/naive':>10} {'around':>9} {'ar/naive':>9} {'us/doc':>8} {'peakRSS':>10}"
    print(header)
    for n, row in summary["per_size"].items():
        us = f"{row['us_per_doc']:,.0f}" if row["us_per_doc"] else "—"
        print(
            f"{n:>10,} {_fmt_s(row['floor']):>9} {_fmt_s(row['naive']):>9} {_fmt_s(row['inside']):>9} "
            f"{_fmt_s(row['wall']):>10} {_fmt_x(row['inside_over_floor']):>9} {_fmt_x(row['inside_over_naive']):>9} "
            f"{_fmt_x(row['wall_over_naive']):>10} {_fmt_s(row['around']):>9} "
            f"{_fmt_x(row['around_over_naive']):>9} {us:>8} {_fmt_mb(row['peak_rss']):>10}"
        )
    for n, r in sorted(results.items()):
        ours = r.get("ours")
        if ours and ours.get("ok"):
            print(f"\n{n:,} documents, ours per stage:")
            for stage, s in stage_seconds(ours["steps"]).items():
                print(
                    f"  {stage:<22} {_fmt_s(s['seconds']):>9} {_fmt_rate(r['documents'], s['seconds']):>12} "
                    f"peak {_fmt_mb(s['peak_tree_rss'])}"
                )
        for key in ("incremental", "nothing_new"):
            inc = r.get(key)
            if inc:
                extracted, basis = extracted_documents(inc)
                state = "ok" if inc.get("ok") else "FAILED"
                print(
                    f"  {key:<22} {state} inside {_fmt_s(inc.get('inside_assets'))}, wall {_fmt_s(inc['wall'])}, "
                    f"extracted {extracted} ({basis})"
                )
    print("\nTargets:")
    for key, text in TARGETS.items():
        verdict, detail = summary["targets"][key]
        print(f"  [{verdict:>5}] {text}: {detail}")


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        factor = 1_000_000 if part.endswith("m") else 1000 if part.endswith("k") else 1
        sizes.append(int(float(part.rstrip("mk")) * factor))
    return sizes


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), help="e.g. 10k,100k,1m")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--start", type=dt.date.fromisoformat, default=gen.DEFAULT_START, help=argparse.SUPPRESS
    )
    parser.add_argument("--days", type=int, default=gen.DEFAULT_DAYS, help=argparse.SUPPRESS)
    parser.add_argument("--stages", default="floor,naive,ours", help="any of floor,naive,ours, or none")
    parser.add_argument("--quick", action="store_true", help="skip the incremental and nothing-new runs")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each baseline; the fastest counts")
    parser.add_argument(
        "--profile",
        nargs="?",
        const=0,
        type=lambda text: parse_sizes(text)[0],
        metavar="N",
        help="then run ours at N documents (default: the smallest size) under a profiler",
    )
    parser.add_argument("--profiler", choices=("pyinstrument", "py-spy"), default="pyinstrument")
    parser.add_argument("--profile-interval", type=float, help="pyinstrument sampling interval, s")
    parser.add_argument(
        "--out-dir", type=Path, default=Path(__file__).resolve().parent, help="where RESULTS.md goes"
    )
    parser.add_argument("--data-root", type=Path, default=gen.DATA_ROOT, help="cache of generated sets")
    parser.add_argument("--work-root", type=Path, default=gen.DATA_ROOT / "runs", help="scratch per size")
    parser.add_argument("--profiles-dir", type=Path, default=Path(__file__).resolve().parent / "profiles")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="generator processes")
    parser.add_argument("--keep", action="store_true", help="keep each size's warehouse and logs")
    parser.add_argument("--merge", action="store_true", help="keep other sizes of the previous results")
    args = parser.parse_args(argv)
    args.stages = {s.strip() for s in args.stages.split(",") if s.strip()} - {"none"}

    def log(message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)

    info = machine()
    results_json = args.out_dir / "results.json"
    results: dict[int, dict[str, Any]] = {}
    profiles: list[dict[str, Any]] = []
    if args.merge and results_json.is_file():
        previous = json.loads(results_json.read_text(encoding="utf-8"))
        results = {int(k): v for k, v in previous["sizes"].items()}
        profiles = previous.get("profiles", [])
        if not args.stages:
            info = previous.get("machine", info)  # re-rendering only: the machine as it was measured

    def write() -> None:
        # Written after every size, so a long run that is stopped still leaves its figures.
        summary = summarise(results)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        document = {"machine": info, "sizes": results, "summary": summary, "profiles": profiles}
        results_json.write_text(json.dumps(document, indent=1, default=str), encoding="utf-8")
        text = report(results, summary, info, " ".join(argv), profiles)
        (args.out_dir / "RESULTS.md").write_text(text, encoding="utf-8")

    if args.stages:
        for n in args.sizes:
            results[n] = measure_size(n, args, log)
            write()
    elif args.merge and results:
        write()  # `--stages none --merge`: re-render RESULTS.md from results.json (after editing PROFILE.md)
    if args.profile is not None:
        n = args.profile or min(args.sizes)
        profiles = [p for p in profiles if p.get("size") != n] + [profile_ours(n, args, log)]
        write()
    summary = summarise(results)
    if results:
        print_summary(results, summary)
    print(f"\nWrote {args.out_dir / 'RESULTS.md'}")
    failed = [n for n, r in results.items() if r.get("ours") and not r["ours"].get("ok")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
