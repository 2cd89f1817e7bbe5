"""Incremental runs: documents already read as they are, by the same extractor, are not read again.

Real materialisations over a small drop folder; what was extracted is read from the run's own
materialisation metadata, and the tables are compared by content hash.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import make_resources, materialize_range, table_hashes, write_sources

DOCS = [
    "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md",
    "2024-06-12-mistral-ai-funding-5-8-billion-valuation-boilerplate-page.md",
]
START, END = "2024-06-10", "2024-06-14"


def _extraction(result: dg.ExecuteInProcessResult) -> dict[str, int]:
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey("fact_mentions")
        and e.materialization.metadata.get("documents_extracted") is not None
    ][:1]
    meta = event.materialization.metadata
    return {
        k: meta[k].value
        for k in ("window_documents_in", "documents_extracted", "documents_skipped_unchanged")
    }


def _publication(result: dg.ExecuteInProcessResult) -> tuple[str, int]:
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey("published_warehouse")
    ]
    meta = event.materialization.metadata
    return meta["publish_mode"].value, meta["documents_written"].value


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    for name in DOCS:
        shutil.copy(REPO_ROOT / "data" / "corpus" / name, folder / name)
    return folder


def test_a_run_with_nothing_new_extracts_nothing(drop: Path, tmp_path: Path) -> None:
    resources = make_resources(tmp_path, write_sources(tmp_path, drop))
    first = materialize_range(resources, START, END)
    assert _extraction(first) == {
        "window_documents_in": 2,
        "documents_extracted": 2,
        "documents_skipped_unchanged": 0,
    }
    before = table_hashes(tmp_path / "airace.duckdb")

    again = materialize_range(resources, START, END)
    assert _extraction(again) == {
        "window_documents_in": 2,
        "documents_extracted": 0,
        "documents_skipped_unchanged": 2,
    }
    assert table_hashes(tmp_path / "airace.duckdb") == before
    # The window's documents were loaded again (a new ingested_at), so only they are rewritten.
    assert _publication(first) == ("full", 2)
    assert _publication(again) == ("incremental", 2)


def test_only_new_and_changed_documents_are_read(drop: Path, tmp_path: Path) -> None:
    resources = make_resources(tmp_path, write_sources(tmp_path, drop))
    materialize_range(resources, START, END)
    (drop / "2024-06-13-new.md").write_text(
        "---\ntitle: New round\npublished: 2024-06-13\n---\n"
        "Helsing raised €450 million in a Series C round led by General Catalyst.\n",
        encoding="utf-8",
    )
    changed = drop / DOCS[0]
    changed.write_text(
        changed.read_text(encoding="utf-8")
        + "\nSeparately, Poolside raised $500 million in a Series B round led by Bain Capital Ventures.\n",
        encoding="utf-8",
    )
    result = materialize_range(resources, START, END)
    assert _extraction(result) == {
        "window_documents_in": 3,
        "documents_extracted": 2,
        "documents_skipped_unchanged": 1,
    }
    assert _publication(result) == ("incremental", 3)

    # The same tables as a fresh run over the final folder: skipping changed nothing, and the published
    # file, rewritten from a copy of the previous one, holds what a file written anew holds.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    materialize_range(make_resources(fresh, write_sources(fresh, drop)), START, END)
    assert table_hashes(tmp_path / "airace.duckdb") == table_hashes(fresh / "airace.duckdb")
