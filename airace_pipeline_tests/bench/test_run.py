"""The benchmark driver: the figures and targets it derives, and one small end-to-end run (slow)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bench import run


def _size(documents: int, inside: float, naive: float, rss: int, incremental: float | None = None) -> dict:
    out = {
        "documents": documents,
        "floor": {"seconds": inside / 20},
        "naive": {"seconds": naive},
        "ours": {"ok": True, "inside_assets": inside, "wall": inside + 30, "peak_tree_rss": rss, "steps": {}},
    }
    if incremental is not None:
        out["incremental"] = {
            "ok": True,
            "documents": documents // 100,
            "inside_assets": incremental,
            "wall": incremental + 20,
            "peak_tree_rss": rss,
            "steps": {},
        }
        out["nothing_new"] = {
            "ok": True,
            "documents": 0,
            "peak_tree_rss": rss,
            "inside_assets": 1.0,
            "wall": 20.0,
            "steps": {},
            "metadata": {"fact_mentions": {"documents_extracted": 0, "window_documents_in": 0}},
        }
    return out


def test_targets_pass_and_fail_on_the_figures() -> None:
    results = {
        10_000: _size(10_000, 10.0, 30.0, 900 * 2**20, incremental=0.4),
        200_000: _size(200_000, 220.0, 500.0, 1200 * 2**20, incremental=20.0),
        1_000_000: _size(1_000_000, 1150.0, 2600.0, 1900 * 2**20),
    }
    summary = run.summarise(results)
    targets = summary["targets"]
    assert targets["speed"][0] == "PASS"  # 220 / 500 = 0.44
    assert targets["flat"][0] == "PASS"  # 1000, 1100, 1150 µs/doc: 15%
    assert targets["memory"][0] == "PASS"
    assert targets["incremental"][0] == "FAIL"  # 20 / 220 = 9%
    assert targets["nothing_new"][0] == "PASS"
    assert summary["per_size"][200_000]["inside_over_naive"] == pytest.approx(0.44)
    assert summary["per_size"][10_000]["us_per_doc"] == pytest.approx(1000)

    results[1_000_000]["ours"]["inside_assets"] = 1500.0  # 1500 µs/doc: 50% over 10k
    results[1_000_000]["ours"]["peak_tree_rss"] = 3 * 2**30
    targets = run.summarise(results)["targets"]
    assert targets["flat"][0] == "FAIL"
    assert targets["memory"][0] == "FAIL"


def test_the_report_lists_every_target_and_size() -> None:
    results = {10_000: _size(10_000, 10.0, 30.0, 2**29, incremental=0.3)}
    for r in results.values():
        r |= {"bytes": 16_000_000, "first_day": "2024-01-01", "last_day": "2025-12-31", "measured_at": "now"}
    text = run.report(results, run.summarise(results), run.machine(), "--sizes 10000")
    for target in run.TARGETS.values():
        assert target in text
    assert "## 10,000 documents" in text
    assert "## Where the time goes" in text


def _steps(**seconds: float) -> dict:
    return {key: {"seconds": value, "peak_tree_rss": 0} for key, value in seconds.items()}


def test_around_extraction_target_sums_the_four_stages_against_naive() -> None:
    """Ingest + documents + normalise (all four steps) + publish, extraction left out, over naive."""
    results = {200_000: _size(200_000, 400.0, 60.0, 2**30)}
    results[200_000]["ours"]["steps"] = _steps(
        raw_local_documents=10.0,
        documents=5.0,
        fact_mentions=300.0,
        countries=1.0,
        organisations=2.0,
        fact_tables=8.0,
        quarantine=1.0,
        published_warehouse=3.0,
    )
    summary = run.summarise(results)
    row = summary["per_size"][200_000]
    assert row["around"] == pytest.approx(30.0)
    assert row["around_over_naive"] == pytest.approx(0.5)
    verdict, detail = summary["targets"]["around"]
    assert verdict == "PASS" and "0.50" in detail
    results[200_000]["ours"]["steps"]["documents"]["seconds"] = 6.0  # 31 / 60 > 0.5
    assert run.summarise(results)["targets"]["around"][0] == "FAIL"
    del results[200_000]["ours"]["steps"]["published_warehouse"]  # a stage missing: no figure
    assert run.summarise(results)["per_size"][200_000]["around"] is None
    assert run.summarise(results)["targets"]["around"][0] == "n/a"


def test_nothing_new_wall_target() -> None:
    """A scheduled run with nothing new must take at most 10 s from the command's start to its end."""
    results = {10_000: _size(10_000, 10.0, 30.0, 2**29, incremental=0.3)}
    results[10_000]["nothing_new"]["wall"] = 9.5
    assert run.summarise(results)["targets"]["nothing_new_wall"][0] == "PASS"
    results[10_000]["nothing_new"]["wall"] = 10.5
    assert run.summarise(results)["targets"]["nothing_new_wall"] == ("FAIL", "10,000: 10.50 s")


def test_runs_name_the_partitions_the_pipeline_uses() -> None:
    """The full run covers the months holding the set; the scheduled run the month holding its day."""
    assert run.full_range(dt.date(2024, 1, 1), dt.date(2025, 12, 31)) == "2024-01-01...2025-12-01"
    assert run.partition_of(dt.date(2026, 1, 1)) == "2026-01-01"
    assert run.partition_of(dt.date(2026, 1, 17)) == "2026-01-01"
    assert run.materialize_command("2026-01-01")[-4:-2] == ["--partition", "2026-01-01"]


def test_sizes_accept_suffixes() -> None:
    assert run.parse_sizes("10k, 100000,1m") == [10_000, 100_000, 1_000_000]


@pytest.mark.slow
def test_bench_runs_end_to_end_on_a_few_hundred_documents(tmp_path: Path) -> None:
    code = run.main(
        [
            "--sizes", "300",
            "--days", "10",
            "--out-dir", str(tmp_path / "out"),
            "--data-root", str(tmp_path / "data"),
            "--work-root", str(tmp_path / "work"),
        ]
    )  # fmt: skip
    assert code == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    size = results["sizes"]["300"]
    assert size["floor"]["rows"] == 300
    assert size["naive"]["rows"] == 300
    assert size["ours"]["ok"] and size["ours"]["inside_assets"] > 0
    assert size["ours"]["metadata"]["fact_mentions"]["documents_extracted"] == 300
    assert set(size["ours"]["steps"]) >= {
        "raw_local_documents",
        "documents",
        "fact_mentions",
        "published_warehouse",
    }
    assert size["incremental"]["ok"] and size["incremental"]["documents"] == 3
    assert size["incremental"]["metadata"]["fact_mentions"]["documents_extracted"] == 3
    assert size["nothing_new"]["ok"]
    assert size["nothing_new"]["metadata"]["fact_mentions"]["documents_extracted"] == 0
    text = (tmp_path / "out" / "RESULTS.md").read_text(encoding="utf-8")
    assert "| 300 |" in text and "Peak RSS" in text
    assert not (tmp_path / "work" / "size-300").exists()  # scratch removed unless --keep
