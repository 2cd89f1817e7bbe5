"""`countries`, `organisations` and `quarantine` are left as they are when their inputs are unchanged, and
rebuilt, with the result of a build on a fresh working file, as soon as a participant, the gazetteer or a
quarantined row changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from airace_pipeline.defs.assets.normalise import build_quarantine_asset, countries, organisations
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.paths import REPO_ROOT

_PARTICIPANTS = [
    # mention_id, document_id, position, name, role, organisation_id, country_code, is_country
    ("m1", "d1", 0, "OpenAI", "funder", None, "US", False),
    ("m1", "d1", 1, "Japan", "member", None, "JP", True),
    ("m2", "d2", 0, "Zyxwv Robotics", "recipient", None, "DE", False),
]
_NEW = ("m3", "d3", 0, "Qwerty Dynamics Ltd", "recipient", None, "FR", False)
_TABLES = ("main.countries", "main.organisations", "extract.organisation_names")


def _warehouse(tmp: Path) -> WarehouseResource:
    return WarehouseResource(
        published_path=str(tmp / "airace.duckdb"), working_path=str(tmp / "work" / "airace_work.duckdb")
    )


def _add(warehouse: WarehouseResource, rows: list[tuple]) -> None:
    with warehouse.connect() as conn:
        conn.executemany("INSERT INTO extract.mention_participants VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _run(warehouse: WarehouseResource, reference: ReferenceDataResource) -> dict[str, bool]:
    """Materialise both tables; whether each found its inputs unchanged."""
    result = dg.materialize(
        [countries, organisations], resources={"warehouse": warehouse, "reference": reference}
    )
    assert result.success
    return {
        name: result.asset_materializations_for_node(name)[0].metadata["inputs_unchanged"].value
        for name in ("countries", "organisations")
    }


def _contents(warehouse: WarehouseResource) -> dict[str, list[tuple]]:
    with warehouse.connect() as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in _TABLES}


def _fresh(tmp: Path, rows: list[tuple], reference: ReferenceDataResource) -> dict[str, list[tuple]]:
    warehouse = _warehouse(tmp)
    _add(warehouse, rows)
    assert _run(warehouse, reference) == {"countries": False, "organisations": False}
    return _contents(warehouse)


def test_unchanged_inputs_are_not_rebuilt_and_changed_ones_are(tmp_path: Path) -> None:
    reference = ReferenceDataResource()
    warehouse = _warehouse(tmp_path / "kept")
    _add(warehouse, _PARTICIPANTS)
    assert _run(warehouse, reference) == {"countries": False, "organisations": False}
    built = _contents(warehouse)

    assert _run(warehouse, reference) == {"countries": True, "organisations": True}
    assert _contents(warehouse) == built

    _add(warehouse, [_NEW])
    assert _run(warehouse, reference) == {"countries": True, "organisations": False}
    after = _contents(warehouse)
    assert after == _fresh(tmp_path / "fresh", [*_PARTICIPANTS, _NEW], reference)
    assert any(row[1] == "Qwerty Dynamics Ltd" for row in after["main.organisations"])


def test_a_gazetteer_edit_rebuilds_the_organisations(tmp_path: Path) -> None:
    gazetteer = tmp_path / "organisations.yaml"
    shutil.copy(REPO_ROOT / "data" / "reference" / "organisations.yaml", gazetteer)
    reference = ReferenceDataResource(organisations_path=str(gazetteer))
    warehouse = _warehouse(tmp_path / "kept")
    _add(warehouse, _PARTICIPANTS)
    _run(warehouse, reference)
    assert _run(warehouse, reference)["organisations"] is True

    entry = "  - {id: zyxwv-robotics, name: Zyxwv Robotics, aliases: [], country_code: DE, kind: company}\n"
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8") + entry, encoding="utf-8")
    assert _run(warehouse, reference)["organisations"] is False
    assert _contents(warehouse) == _fresh(tmp_path / "fresh", _PARTICIPANTS, reference)
    with duckdb.connect(str(tmp_path / "kept" / "work" / "airace_work.duckdb"), read_only=True) as conn:
        method = conn.execute(
            "SELECT method FROM extract.organisation_names WHERE participant_key LIKE '%Zyxwv Robotics'"
        ).fetchone()
    assert method == ("exact",)


def _quarantine_run(warehouse: WarehouseResource) -> bool:
    result = dg.materialize([build_quarantine_asset([])], resources={"warehouse": warehouse})
    assert result.success
    return result.asset_materializations_for_node("quarantine")[0].metadata["inputs_unchanged"].value


def _quarantined(warehouse: WarehouseResource, rows: list[tuple]) -> None:
    with warehouse.connect() as conn:
        conn.executemany(
            "INSERT INTO extract.stage_quarantine VALUES (?, ?, ?, ?, TIMESTAMPTZ '2025-01-02 03:04:05+00', ?, ?)",
            rows,
        )


def _quarantine_rows(warehouse: WarehouseResource) -> list[tuple]:
    with warehouse.connect() as conn:
        return conn.execute("SELECT * FROM main.quarantine ORDER BY ALL").fetchall()


def test_the_quarantine_is_rebuilt_only_when_its_rows_change(tmp_path: Path) -> None:
    first = ("extract", '{"a": 1}', "bad amount", "d1", "fact_mentions", None)
    second = ("validate", '{"b": 2}', "bad date", "d2", "investments", None)
    warehouse = _warehouse(tmp_path / "kept")
    _quarantined(warehouse, [first])
    assert _quarantine_run(warehouse) is False
    built = _quarantine_rows(warehouse)
    assert len(built) == 1

    assert _quarantine_run(warehouse) is True
    assert _quarantine_rows(warehouse) == built

    _quarantined(warehouse, [second])
    assert _quarantine_run(warehouse) is False
    fresh = _warehouse(tmp_path / "fresh")
    _quarantined(fresh, [first, second])
    assert _quarantine_run(fresh) is False
    assert _quarantine_rows(warehouse) == _quarantine_rows(fresh)
    assert len(_quarantine_rows(fresh)) == 2
