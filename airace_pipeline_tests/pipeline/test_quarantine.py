"""Bad input lands in quarantine with its reason, and every stage's rows add up."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import make_resources, materialize_range, write_sources

pytestmark = pytest.mark.slow

GOOD = [
    "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md",
    "2024-03-07-indiaai-mission-cabinet-approves-10371-crore.md",
    "2024-04-01-us-uk-ai-safety-institutes-memorandum.md",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("quarantine")
    folder = tmp / "drop"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(REPO_ROOT / "data" / "corpus" / name, folder / name)
    (folder / "latin1.txt").write_bytes("Caf\xe9 \xe0 Paris".encode("latin-1"))
    (folder / "broken-front-matter.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    (folder / "future.md").write_text("---\npublished: 2999-01-01\n---\nFrom the future.\n", encoding="utf-8")
    (folder / "empty.md").write_text("---\npublished: 2024-05-01\n---\n\n", encoding="utf-8")
    (folder / "export.json").write_text('[{"title": "no body", "published": "2024-05-02"}]', encoding="utf-8")
    (folder / "huge-amount.md").write_text(
        "---\npublished: 2024-05-03\ncollection: funding_announcement\n---\n"
        "Mistral AI raised $90,000,000 trillion in a Series C round led by General Catalyst.\n",
        encoding="utf-8",
    )
    result = materialize_range(make_resources(tmp, write_sources(tmp, folder)), "2024-01-01", "2024-12-31")
    assert result.success
    return tmp


@pytest.fixture
def db(run_dir: Path):
    conn = duckdb.connect(str(run_dir / "airace.duckdb"), read_only=True)
    yield conn
    conn.close()


def test_each_bad_file_is_quarantined_with_its_reason(db: duckdb.DuckDBPyConnection) -> None:
    reasons = dict(
        db.execute(
            "SELECT json_extract_string(record, '$.origin'), reason FROM quarantine WHERE stage = 'ingest'"
        ).fetchall()
    )
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "front matter" in reasons["broken-front-matter.md"]
    assert "outside the partitioned range" in reasons["future.md"]
    assert "no text" in reasons["empty.md"]
    assert "no text field" in reasons["export.json"]


def test_files_in_equal_documents_plus_quarantine(db: duckdb.DuckDBPyConnection, run_dir: Path) -> None:
    files = len(list((run_dir / "drop").iterdir()))
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    ingest_quarantine = db.execute("SELECT count(*) FROM quarantine WHERE stage = 'ingest'").fetchone()[0]
    assert documents == len(GOOD) + 1
    assert documents + ingest_quarantine == files


def test_an_impossible_amount_is_quarantined_not_loaded(db: duckdb.DuckDBPyConnection) -> None:
    assert db.execute("SELECT count(*) FROM investments WHERE amount > 1e16").fetchone()[0] == 0
    reasons = [r[0] for r in db.execute("SELECT reason FROM quarantine WHERE stage = 'validate'").fetchall()]
    assert any("amount" in r for r in reasons), reasons


def test_mentions_in_equal_evidence_plus_quarantine(run_dir: Path) -> None:
    conn = duckdb.connect(str(run_dir / "work" / "airace_work.duckdb"), read_only=True)
    try:
        mentions, evidence, quarantined = conn.execute(
            "SELECT (SELECT count(*) FROM extract.fact_mentions), (SELECT count(*) FROM main.evidence), "
            "(SELECT count(*) FROM main.quarantine WHERE stage = 'validate' AND table_name = 'evidence')"
        ).fetchone()
        assert mentions > 0
        assert mentions == evidence + quarantined
    finally:
        conn.close()
