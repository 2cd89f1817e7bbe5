"""The scale-out figures reach RESULTS.md as measured: each bench writes its key, a re-run replaces only
its own, and the section renders what is there (nothing when nothing was measured)."""

from __future__ import annotations

from pathlib import Path

from bench import scaleout

DASK = {
    "documents": 2000,
    "cores": 2,
    "seconds": {"one process": 20.0, "dask, 1 worker(s)": 21.0, "dask, 2 worker(s)": 12.0},
    "dask_2_vs_dask_1_speedup": 1.75,
    "dask_2_vs_one_process_speedup": 1.667,
    "local_pool_2_vs_one_process_speedup": 1.8,
    "serial_share_amdahl": 0.143,
    "expected_speedup_on_paper": {"4": 2.8, "8": 4.0},
}


def test_nothing_measured_renders_nothing(tmp_path: Path) -> None:
    assert scaleout.render(tmp_path / "none.json") == ""


def test_each_bench_keeps_its_own_figures(tmp_path: Path) -> None:
    path = tmp_path / "scaleout.json"
    scaleout.record(path, "instance_storage", {"partitions": 120, "rounds": 3, "table": "| old |"})
    scaleout.record(path, "distributed_extraction", DASK)
    scaleout.record(path, "instance_storage", {"partitions": 120, "rounds": 3, "table": "| new |"})
    text = scaleout.render(path)
    assert "| new |" in text and "| old |" not in text
    assert "| dask, 2 worker(s) | 12.00 | 167 |" in text
    assert "**1.75×**" in text and "8 workers 4.0×" in text
    assert "load [" in text
