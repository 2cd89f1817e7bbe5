"""Every asset materialised over the bundled corpus into temporary DuckDB files, as `make run` does.

One full run is shared by the module (it takes about a minute and a half, most of it Dagster recording
3,600 daily partitions); the assertions read the published reader file, as a consumer would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from airace_pipeline.defs.partitions import PARTITIONS_START, last_partition_day
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.warehouse.integrity import integrity_violations
from airace_pipeline_tests.conftest import make_resources, materialize_range, table_hashes

pytestmark = pytest.mark.slow
CORPUS = REPO_ROOT / "data" / "corpus"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("e2e")
    result = materialize_range(
        make_resources(tmp), PARTITIONS_START.isoformat(), last_partition_day().isoformat()
    )
    assert result.success
    return tmp


@pytest.fixture
def db(run_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = duckdb.connect(str(run_dir / "airace.duckdb"), read_only=True)
    yield conn
    conn.close()


def _one(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    rows = conn.execute(sql, params or []).fetchall()
    assert len(rows) == 1, (sql, rows)
    return rows[0]


def test_every_corpus_document_is_loaded(db: duckdb.DuckDBPyConnection) -> None:
    files = len(list(CORPUS.glob("*.md")))
    assert files >= 150
    documents, quarantined = _one(
        db,
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM quarantine WHERE stage = 'ingest')",
    )
    assert documents + quarantined == files
    assert quarantined == 0
    assert _one(db, "SELECT count(DISTINCT collection) FROM documents")[0] == 3


def test_stargate(db: duckdb.DuckDBPyConnection) -> None:
    investment_id, amount_usd, currency, country, upper = _one(
        db,
        "SELECT investment_id, amount_usd, currency, country_code, is_upper_bound FROM investments "
        "WHERE name = 'Stargate' AND certainty = 'reported'",
    )
    assert (amount_usd, currency, country, upper) == (5e11, "USD", "US", False)
    funders = {
        r[0]
        for r in db.execute(
            "SELECT organisation_id FROM investment_participants WHERE investment_id = ?", [investment_id]
        ).fetchall()
    }
    assert {"softbank", "openai", "oracle", "mgx"} <= funders
    # Told by several documents, kept as one fact with several pieces of evidence.
    assert _one(db, "SELECT count(*) FROM evidence WHERE fact_id = ?", [investment_id])[0] >= 3


def test_eu_ai_act_under_eu(db: duckdb.DuckDBPyConnection) -> None:
    title, jurisdiction, instrument = _one(
        db, "SELECT title, jurisdiction_code, instrument_type FROM policies WHERE celex = '32024R1689'"
    )
    assert "AI Act" in title
    assert jurisdiction == "EU"
    assert instrument in ("regulation", "law")


def test_executive_order_14110(db: duckdb.DuckDBPyConnection) -> None:
    jurisdiction, instrument, announced, status, revoked = _one(
        db,
        "SELECT jurisdiction_code, instrument_type, announced_on, status, revoked_on FROM policies WHERE eo_number = '14110'",
    )
    assert (jurisdiction, instrument, announced) == ("US", "executive_order", dt.date(2023, 10, 30))
    assert (status, revoked) == ("revoked", dt.date(2025, 1, 20))


def test_japan_south_korea_alliance_with_both_members(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        "SELECT a.alliance_id, a.committed_amount_usd, list(DISTINCT m.country_code ORDER BY m.country_code) "
        "FROM alliances a JOIN alliance_members m USING (alliance_id) "
        "GROUP BY ALL HAVING list_has_all(list(m.country_code), ['JP', 'KR'])"
    ).fetchall()
    assert any(amount == 5e9 for _, amount, _ in rows), rows


def test_indiaai_mission_in_rupees_and_dollars(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        "SELECT amount, currency, amount_usd, fx_rate_date FROM investments WHERE currency = 'INR' AND amount = 1.037192e11"
    ).fetchall()
    assert rows, "IndiaAI Mission's ₹10,371.92 crore not found"
    amount, _, usd, rate_date = rows[0]
    assert usd == pytest.approx(amount * 1.0895 / 90.1205, rel=1e-3)  # ECB rates of 2024-03-07
    assert rate_date == dt.date(2024, 3, 7)


def test_keys_foreign_keys_and_evidence(db: duckdb.DuckDBPyConnection) -> None:
    assert integrity_violations(db) == {}
    for table in ("investments", "alliances", "incidents", "policies"):
        assert _one(db, f"SELECT count(*) FROM {table}")[0] > 10, table


def test_evidence_spans_point_at_their_sentences(db: duckdb.DuckDBPyConnection) -> None:
    mismatched = _one(
        db,
        "SELECT count(*) FROM evidence e JOIN documents d USING (document_id) "
        "WHERE substring(d.text, e.span_start + 1, e.span_end - e.span_start) <> e.sentence",
    )[0]
    assert mismatched == 0


def test_boilerplate_yields_no_fact(db: duckdb.DuckDBPyConnection) -> None:
    boilerplate = db.execute(
        "SELECT sentence FROM evidence WHERE regexp_matches(sentence, "
        "'(?i)subscribe to our newsletter|our partners:|advertisement|cookie|related stories|home \\| ')"
    ).fetchall()
    assert boilerplate == []


def test_row_conservation_in_the_working_file(run_dir: Path) -> None:
    conn = duckdb.connect(str(run_dir / "work" / "airace_work.duckdb"), read_only=True)
    try:
        documents, runs = _one(
            conn, "SELECT (SELECT count(*) FROM main.documents), (SELECT count(*) FROM extract.document_runs)"
        )
        assert documents == runs
        mentions, evidence, quarantined = _one(
            conn,
            "SELECT (SELECT count(*) FROM extract.fact_mentions), (SELECT count(*) FROM main.evidence), "
            "(SELECT count(*) FROM main.quarantine WHERE stage = 'validate' AND table_name = 'evidence')",
        )
        assert mentions == evidence + quarantined
    finally:
        conn.close()


def test_backfill_in_pieces_equals_one_full_run(run_dir: Path, tmp_path: Path) -> None:
    resources = make_resources(tmp_path)
    for start, end in (("2017-01-01", "2020-12-31"), ("2021-01-01", "2023-12-31"), ("2024-01-01", None)):
        assert materialize_range(resources, start, end or last_partition_day().isoformat()).success
    assert table_hashes(tmp_path / "airace.duckdb") == table_hashes(run_dir / "airace.duckdb")


def test_rerunning_a_partition_range_changes_nothing(run_dir: Path) -> None:
    before = table_hashes(run_dir / "airace.duckdb")
    result = materialize_range(
        make_resources(run_dir), "2025-01-01", "2025-02-28", dg.DagsterInstance.ephemeral()
    )
    assert result.success
    assert table_hashes(run_dir / "airace.duckdb") == before
