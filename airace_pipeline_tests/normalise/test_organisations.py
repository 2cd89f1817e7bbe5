"""Organisation resolution: gazetteer aliases, the documented fuzzy threshold, governments per country."""

from __future__ import annotations

import pandas as pd
import pytest
from rapidfuzz import fuzz

from airace_pipeline.normalise.organisations import (
    FUZZY_THRESHOLD,
    normalised_form,
    participant_key,
    resolve_organisations,
)
from airace_pipeline.reference.countries import all_countries
from airace_pipeline.reference.organisations import load_organisations


def _resolve(*names: str, countries: tuple[str, ...] = ()) -> tuple[dict[str, tuple[str, str]], pd.DataFrame]:
    rows = [{"name": n, "organisation_id": None, "is_country": False, "country_code": None} for n in names]
    rows += [{"name": c, "organisation_id": None, "is_country": True, "country_code": c} for c in countries]
    resolution = resolve_organisations(pd.DataFrame(rows), load_organisations(), all_countries())
    by_key = {
        key: (org or gov, method)
        for key, org, gov, method in resolution.name_map.itertuples(index=False, name=None)
    }
    out = {
        r["name"]: by_key[participant_key(r["name"], None, r["is_country"], r["country_code"])] for r in rows
    }
    return out, resolution.organisations


@pytest.mark.parametrize(
    ("name", "organisation_id", "method"),
    [
        ("Open AI", "openai", "exact"),  # an alias in data/reference/organisations.yaml
        ("OpenAI Inc.", "openai", "exact"),  # legal suffixes are dropped
        ("The Commerce Department", "us-doc", "exact"),
        ("Hugging Faces", "hugging-face", "fuzzy"),  # ratio 96 >= 90
        ("Mistral A.I.", "mistral-ai", "fuzzy"),
        ("Anthropik", "org-anthropik", "minted"),  # ratio 89 < 90: a new organisation, not a guess
        ("Metaculus", "org-metaculus", "minted"),
    ],
)
def test_one_canonical_organisation_per_entity(name: str, organisation_id: str, method: str) -> None:
    resolved, _ = _resolve(name)
    assert resolved[name] == (organisation_id, method)


def test_the_threshold_is_the_documented_one() -> None:
    assert FUZZY_THRESHOLD == 90.0
    assert fuzz.ratio(normalised_form("Anthropik"), "anthropic") < FUZZY_THRESHOLD
    assert fuzz.ratio(normalised_form("Hugging Faces"), "hugging face") >= FUZZY_THRESHOLD


def test_countries_acting_as_such_resolve_to_their_government() -> None:
    resolved, organisations = _resolve(countries=("IN", "EU"))
    assert resolved["IN"] == ("gov-in", "country")
    government = organisations.set_index("organisation_id").loc["gov-in"]
    assert (government["kind"], government["country_code"]) == ("government", "IN")
    assert resolved["EU"][0] == "gov-eu"
