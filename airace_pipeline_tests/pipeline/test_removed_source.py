"""A source entry removed from the sources file stops contributing, as the README's example switches files.

First a run with a second sources file (the bundled corpus plus an extra local folder), then one with the
default file: the extra folder's documents, mentions and facts are gone from the published tables.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import make_resources, materialize_range

pytestmark = pytest.mark.slow
START, END = "2024-06-10", "2024-06-14"


def _with_extra_folder(tmp: Path, folder: Path) -> Path:
    path = tmp / "mine.yaml"
    default = (REPO_ROOT / "data" / "sources.yaml").read_text(encoding="utf-8")
    path.write_text(
        default.replace(
            "sources:\n",
            f"sources:\n  - name: extra_folder\n    kind: local_folder\n    path: {folder}\n",
            1,
        ),
        encoding="utf-8",
    )
    return path


def _published(tmp: Path, sql: str) -> int:
    conn = duckdb.connect(str(tmp / "airace.duckdb"), read_only=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


_EXTRA_DOCUMENTS = "SELECT count(*) FROM documents WHERE source_name = 'extra_folder'"
_EXTRA_FACT = "SELECT count(*) FROM investments WHERE amount = 77e6"
_EXTRA_EVIDENCE = "SELECT count(*) FROM evidence WHERE sentence LIKE 'Zyphrant Robotics%'"


def test_a_source_removed_from_the_file_leaves_the_published_tables(tmp_path: Path) -> None:
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "round.md").write_text(
        "---\ntitle: Zyphrant round\npublished: 2024-06-12\ncollection: funding_announcement\n---\n"
        "Zyphrant Robotics raised $77 million in a Series B round led by General Catalyst.\n",
        encoding="utf-8",
    )
    mine = _with_extra_folder(tmp_path, folder)
    assert materialize_range(make_resources(tmp_path, mine), START, END).success
    assert _published(tmp_path, _EXTRA_DOCUMENTS) == 1
    assert _published(tmp_path, _EXTRA_FACT) == 1 and _published(tmp_path, _EXTRA_EVIDENCE) == 1
    corpus = _published(tmp_path, "SELECT count(*) FROM documents WHERE source_name = 'bundled_corpus'")

    result = materialize_range(make_resources(tmp_path), START, END)  # the default sources file
    assert result.success
    assert _published(tmp_path, _EXTRA_DOCUMENTS) == 0
    assert _published(tmp_path, _EXTRA_FACT) == 0 and _published(tmp_path, _EXTRA_EVIDENCE) == 0
    assert _published(tmp_path, "SELECT count(*) FROM documents") == corpus
    # Its raw rows stay (dlt's state stays valid should the entry come back) but count nowhere.
    ingest_in, ingest_out, ingest_quarantined = (
        _published(tmp_path, f"SELECT {c} FROM stage_counts WHERE stage = 'ingest'")
        for c in ("rows_in", "rows_out", "rows_quarantined")
    )
    assert ingest_in == ingest_out + ingest_quarantined == corpus + ingest_quarantined
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "raw_rows_processed"]
    assert check.passed
