"""The floor and naive baselines on a few hundred documents, and the measuring helpers."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from bench import baselines
from bench import generate as gen
from bench.measure import run_measured


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    gen.generate(200, out, seed=0, start=dt.date(2024, 1, 1), days=10)
    return out


def test_floor_loads_every_document_with_its_first_amount(docs: Path, tmp_path: Path) -> None:
    result = baselines.floor(docs, tmp_path / "floor.duckdb")
    assert result["rows"] == 200
    # Most documents state an amount; boilerplate and many incidents/policies do not.
    assert 0.4 * 200 < result["rows_with_amount"] < 200


def test_money_regex_finds_the_forms_the_documents_use(tmp_path: Path) -> None:
    import duckdb

    conn = duckdb.connect()
    cases = {
        "raised $45 million in a Series A": "$45 million",
        "an outlay of ₹10,371.92 crore over": "₹10,371.92 crore",
        "closed a €600 million round": "€600 million",
        "paying out HK$200 million, about": "HK$200 million",
        "worth 2.5 billion yuan in": "2.5 billion yuan",
        "no money here, 40% growth": "",
    }
    for text, expected in cases.items():
        found = conn.execute("SELECT regexp_extract(?, ?, 0)", [text, baselines.MONEY_REGEX]).fetchone()[0]
        assert found == expected, text


def test_naive_dlt_load_loads_every_document(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    result = baselines.naive(docs, tmp_path / "naive")
    assert result["rows"] == 200
    assert set(result["dlt_steps"]) == {"extract", "normalize", "load"}


def test_run_measured_sees_the_memory_of_child_processes(tmp_path: Path) -> None:
    # The child starts a grandchild holding ~150 MB: the tree's peak must include it.
    grandchild = "import time; b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}], check=True)"
    m = run_measured([sys.executable, "-c", child], log_dir=tmp_path, name="mem").check()
    assert m.returncode == 0
    assert m.max_process_rss > 150 * 2**20  # from the kernel, over waited-for descendants
    assert m.peak_tree_rss >= m.max_process_rss
    assert m.peak_processes >= 2
    assert m.samples
