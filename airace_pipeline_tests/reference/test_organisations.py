from __future__ import annotations

from pathlib import Path

import pytest

from airace_pipeline.extraction.entities import EntityMatcher
from airace_pipeline.extraction.model import ORGANISATION_KINDS
from airace_pipeline.reference.organisations import (
    DEFAULT_ORGANISATIONS_PATH,
    Organisation,
    load_organisations,
)


@pytest.fixture(scope="module")
def organisations() -> list[Organisation]:
    return load_organisations(DEFAULT_ORGANISATIONS_PATH)


def test_bundled_gazetteer(organisations: list[Organisation]) -> None:
    by_id = {org.organisation_id: org for org in organisations}
    assert len(organisations) >= 200
    assert {org.kind for org in organisations} <= set(ORGANISATION_KINDS)
    assert by_id["openai"].country_code == "US" and by_id["openai"].kind == "company"
    assert by_id["mgx"].kind == "investor" and by_id["mgx"].country_code == "AE"
    assert by_id["gov-us"].kind == "government" and by_id["gov-eu"].country_code == "EU"
    assert by_id["us-dod"].kind == "military"
    assert by_id["european-commission"].parent_id == "gov-eu"
    assert by_id["google-deepmind"].parent_id == "google" and by_id["google"].parent_id == "alphabet"
    assert {"Facebook", "Meta Platforms"} <= set(by_id["meta"].aliases)


def test_default_path_is_in_the_repo() -> None:
    assert DEFAULT_ORGANISATIONS_PATH.name == "organisations.yaml"
    assert DEFAULT_ORGANISATIONS_PATH.parent.name == "reference"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "organisations.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_loads_a_minimal_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "organisations:\n  - id: acme\n    name: Acme AI\n    aliases: [Acme]\n    country_code: fr\n"
        "    kind: company\n",
    )
    assert load_organisations(path) == [Organisation("acme", "Acme AI", ("Acme",), "FR", "company", None)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("organisations: [", "malformed YAML"),
        ("things: []", "top-level 'organisations:'"),
        ("organisations:\n  - name: X\n    kind: company\n", "missing 'id'"),
        ("organisations:\n  - {id: a, name: A, kind: robot}\n", "unknown kind"),
        ("organisations:\n  - {id: a, name: A, kind: company, country_code: QQ}\n", "unknown country_code"),
        ("organisations:\n  - {id: a, name: A, kind: company, country_code: NO}\n", "quote the value"),
        (
            "organisations:\n  - {id: a, name: A, kind: company}\n  - {id: a, name: B, kind: company}\n",
            "duplicate id",
        ),
        (
            "organisations:\n  - {id: a, name: A, aliases: [X], kind: company}\n"
            "  - {id: b, name: B, aliases: [X], kind: company}\n",
            "duplicate alias 'X'",
        ),
        ("organisations:\n  - {id: a, name: A, kind: company, parent_id: zz}\n", "unknown parent_id"),
        ("organisations:\n  - {id: a, name: A, kind: company, colour: red}\n", "unknown keys"),
    ],
)
def test_bad_files_name_the_problem(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ValueError) as error:
        load_organisations(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        load_organisations(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Google DeepMind and Alphabet", [("Google DeepMind", "google-deepmind"), ("Alphabet", "alphabet")]),
        ("Meta Platforms, formerly Facebook", [("Meta Platforms", "meta"), ("Facebook", "meta")]),
        (
            "the Federal Trade Commission and the CMA",
            [("Federal Trade Commission", "us-ftc"), ("CMA", "uk-cma")],
        ),
        ("Italy's Garante fined OpenAI", [("Italy's Garante", "it-garante"), ("OpenAI", "openai")]),
        ("Abu Dhabi's MGX and Saudi Arabia's PIF", [("MGX", "mgx"), ("PIF", "pif")]),
        ("a startup called Acme Robotics", [("Acme Robotics", None)]),
        ("the Pentagon said", [("the Pentagon", "us-dod")]),
        ("analysts at Dell'Oro said", []),
        ("the arm of the law", []),
    ],
)
def test_entity_matching(organisations: list[Organisation], text: str, expected: list) -> None:
    matcher = EntityMatcher(organisations)
    found = [(e.name, e.organisation_id) for e in matcher.find(text) if not e.is_country]
    assert found == expected
