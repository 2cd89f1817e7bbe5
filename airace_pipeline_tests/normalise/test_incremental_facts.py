"""An incremental `fact_tables` run gives exactly the tables of a full rebuild.

A real pipeline run over generated documents (the benchmark's generator: popular companies, retold deals,
rumours and denials, so groups collide) fills a working file. Then mentions are removed, added back,
changed and moved in time, as late documents, re-extracted days and backfills do, and after each change
the incremental run's tables are compared with those of `full_rebuild` on a copy of the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from airace_pipeline.defs.assets.normalise import fact_tables
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.warehouse.contract import FACT_TABLES
from airace_pipeline_tests.conftest import make_resources, materialize_range, write_sources
from bench import generate

START = dt.date(2024, 1, 1)
DAYS = 40


@pytest.fixture(scope="module")
def working_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("incremental-facts")
    generate.generate(700, tmp / "docs", seed=3, start=START, days=DAYS)
    resources = make_resources(tmp, write_sources(tmp, tmp / "docs"))
    last = START + dt.timedelta(days=DAYS - 1)
    materialize_range(resources, START.isoformat(), last.isoformat())
    return tmp / "work" / "airace_work.duckdb"


def _run(path: Path, *, full: bool, step: int = 10_000_000) -> dg.MaterializeResult:
    result = dg.materialize(
        [fact_tables],
        resources={
            "warehouse": WarehouseResource(
                published_path=str(path.parent / "unused.duckdb"), working_path=str(path)
            ),
            "reference": ReferenceDataResource(),
        },
        run_config={"ops": {"fact_tables": {"config": {"full_rebuild": full, "step_mentions": step}}}},
    )
    assert result.success
    return result


def _refresh(result: dg.ExecuteInProcessResult) -> dict:
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("evidence")]
    return event.materialization.metadata["refresh"].value


def _hashes(path: Path) -> dict[str, str]:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table in FACT_TABLES:
            rows = conn.execute(f"SELECT * FROM main.{table.name} ORDER BY ALL").fetchall()
            out[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        for name, sql in {
            "quarantine": "SELECT stage, record, reason, document_id, table_name FROM extract.stage_quarantine "
            "WHERE stage = 'validate' ORDER BY ALL",
            "assignments": "SELECT * FROM extract.fact_assignments ORDER BY ALL",
            "keys": "SELECT * FROM extract.fact_keys ORDER BY ALL",
        }.items():
            out[name] = hashlib.sha256(repr(conn.execute(sql).fetchall()).encode()).hexdigest()
        return out
    finally:
        conn.close()


def _assert_equals_full_rebuild(path: Path, tmp_path: Path, step: int = 10_000_000) -> dict:
    """The incremental run (in steps of `step` mentions) against one full rebuild in a single step."""
    incremental = _run(path, full=False, step=step)
    copy = tmp_path / f"full-{random.random()}.duckdb"
    shutil.copy(path, copy)
    _run(copy, full=True)
    assert _hashes(path) == _hashes(copy)
    return _refresh(incremental)


def _sql(path: Path, *statements: tuple[str, list]) -> None:
    conn = duckdb.connect(str(path))
    try:
        for sql, params in statements:
            conn.execute(sql, params)
    finally:
        conn.close()


def _stash(path: Path, where: str, params: list) -> None:
    """Move some documents' mentions aside (documents not arrived yet, or re-extracted to nothing)."""
    _sql(
        path,
        (
            "CREATE OR REPLACE TABLE extract.held_m AS SELECT * FROM extract.fact_mentions WHERE " + where,
            params,
        ),
        (
            "CREATE OR REPLACE TABLE extract.held_p AS SELECT * FROM extract.mention_participants "
            "WHERE mention_id IN (SELECT mention_id FROM extract.held_m)",
            [],
        ),
        (
            "DELETE FROM extract.mention_participants WHERE mention_id IN (SELECT mention_id FROM extract.held_m)",
            [],
        ),
        ("DELETE FROM extract.fact_mentions WHERE mention_id IN (SELECT mention_id FROM extract.held_m)", []),
    )


def _restore(path: Path) -> None:
    _sql(
        path,
        ("INSERT INTO extract.fact_mentions SELECT * FROM extract.held_m", []),
        ("INSERT INTO extract.mention_participants SELECT * FROM extract.held_p", []),
        ("DROP TABLE extract.held_m", []),
        ("DROP TABLE extract.held_p", []),
    )


@pytest.fixture
def work(working_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "work.duckdb"
    shutil.copy(working_file, path)
    _run(path, full=True)
    return path


def test_nothing_changed_reclusters_nothing(work: Path, tmp_path: Path) -> None:
    refresh = _assert_equals_full_rebuild(work, tmp_path)
    assert refresh["mode"] == "unchanged"
    assert refresh["mentions_clustered"] == 0


def test_new_days_at_the_end_cluster_only_their_mentions(work: Path, tmp_path: Path) -> None:
    last_days = START + dt.timedelta(days=DAYS - 3)
    _stash(work, "published_on >= ?", [last_days])
    _run(work, full=False)  # the tables as they were three days ago
    new = (
        duckdb.connect(str(work), read_only=True).execute("SELECT count(*) FROM extract.held_m").fetchone()[0]
    )
    _restore(work)
    refresh = _assert_equals_full_rebuild(work, tmp_path)
    assert refresh["mode"] == "incremental"
    assert 0 < refresh["mentions_clustered"] == new


@pytest.mark.parametrize("seed", range(4))
def test_random_removals_additions_and_changes_equal_a_full_rebuild(
    seed: int, work: Path, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    conn = duckdb.connect(str(work), read_only=True)
    documents = [
        r[0]
        for r in conn.execute("SELECT DISTINCT document_id FROM extract.fact_mentions ORDER BY 1").fetchall()
    ]
    mentions = [
        r[0] for r in conn.execute("SELECT mention_id FROM extract.fact_mentions ORDER BY 1").fetchall()
    ]
    conn.close()
    # Late documents: a random scattering of old days arrives after the rest.
    held = rng.sample(documents, k=max(1, len(documents) // 10))
    _stash(work, "document_id IN (SELECT unnest(?::VARCHAR[]))", [held])
    _assert_equals_full_rebuild(work, tmp_path)
    _restore(work)
    # Small steps: the late mentions are spread over the archive, so this replays most of it in pieces.
    _assert_equals_full_rebuild(work, tmp_path, step=97 + seed)
    # Re-extraction changed some mentions: other amounts, another stated date, another certainty.
    changed = rng.sample(mentions, k=20)
    _sql(
        work,
        (
            "UPDATE extract.fact_mentions SET amount = amount * 1.1 WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
            [changed[:8]],
        ),
        (
            "UPDATE extract.fact_mentions SET announced_on = announced_on - INTERVAL 60 DAY "
            "WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
            [changed[8:14]],
        ),
        (
            "UPDATE extract.fact_mentions SET certainty = 'rumoured' WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
            [changed[14:]],
        ),
    )
    _assert_equals_full_rebuild(work, tmp_path)
    # A participant now resolves to another organisation (the gazetteer grew an alias).
    _sql(
        work,
        (
            "UPDATE extract.organisation_names SET organisation_id = 'openai' "
            "WHERE participant_key IN (SELECT participant_key FROM extract.organisation_names "
            "WHERE organisation_id IS NOT NULL ORDER BY hash(participant_key || ?::VARCHAR) LIMIT 3)",
            [seed],
        ),
    )
    _assert_equals_full_rebuild(work, tmp_path)


def test_a_code_or_rates_change_rebuilds_everything(work: Path, tmp_path: Path) -> None:
    _sql(work, ("UPDATE extract.fact_state SET fingerprint = 'from-older-code'", []))
    refresh = _assert_equals_full_rebuild(work, tmp_path)
    assert refresh["mode"] == "full"
    assert refresh["steps"] == _types_present(work)  # one step per fact type


def test_a_full_rebuild_in_small_steps_equals_one_in_a_single_step(work: Path, tmp_path: Path) -> None:
    per_type = (
        duckdb.connect(str(work), read_only=True)
        .execute("SELECT count(*) FROM extract.fact_mentions GROUP BY fact_type")
        .fetchall()
    )
    _sql(work, ("UPDATE extract.fact_state SET fingerprint = 'from-older-code'", []))
    refresh = _assert_equals_full_rebuild(work, tmp_path, step=250)
    assert refresh["mode"] == "full"
    assert refresh["mentions_clustered"] == sum(n for (n,) in per_type)
    assert refresh["steps"] == sum(-(-n // 250) for (n,) in per_type)  # each type in its own steps


def _types_present(work: Path) -> int:
    conn = duckdb.connect(str(work), read_only=True)
    try:
        return conn.execute("SELECT count(DISTINCT fact_type) FROM extract.fact_mentions").fetchone()[0]
    finally:
        conn.close()
