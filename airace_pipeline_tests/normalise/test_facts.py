"""The matching rules of `normalise.facts` (README "How facts are merged"), on hand-made mentions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from airace_pipeline.normalise.facts import build_fact_tables
from airace_pipeline.normalise.money import load_rates
from airace_pipeline.warehouse.working import FACT_MENTIONS

_ORG_COUNTRIES = {"figure-ai": "US", "microsoft": "US", "tsmc": "TW", "us-doc": "US", "xai": "US"}


def _mention(mention_id: str, **fields) -> dict:
    row = dict.fromkeys(FACT_MENTIONS.column_names)
    row.update(
        mention_id=mention_id,
        document_id=f"doc-{mention_id}",
        published_on=dt.date(2024, 3, 1),
        fact_type="investment",
        sentence=f"sentence {mention_id}",
        span_start=0,
        span_end=10,
        certainty="reported",
        subtype="private_round",
        announced_on=dt.date(2024, 2, 29),
        date_precision="day",
        currency="USD",
        is_upper_bound=False,
        focus_areas=[],
        extractor="test",
    )
    row.update(fields)
    return row


def _party(mention_id: str, organisation_id: str | None, role: str, **fields) -> dict:
    row = {
        "mention_id": mention_id,
        "name": organisation_id or fields.get("country_code", ""),
        "role": role,
        "organisation_id": organisation_id,
        "government_id": None,
        "country_code": None,
        "is_country": False,
    }
    row.update(fields)
    return row


def _build(mentions: list[dict], parties: list[dict]) -> dict[str, pd.DataFrame]:
    return build_fact_tables(
        pd.DataFrame(mentions), pd.DataFrame(parties), _ORG_COUNTRIES, load_rates()
    ).tables


def test_two_outlets_with_slightly_different_figures_make_one_row_with_two_evidence_rows() -> None:
    tables = _build(
        [_mention("a", amount=675e6), _mention("b", amount=680e6, published_on=dt.date(2024, 3, 2))],
        [_party("a", "figure-ai", "recipient"), _party("b", "figure-ai", "recipient")],
    )
    investments = tables["investments"]
    assert len(investments) == 1
    row = investments.iloc[0]
    assert row["amount"] == 675e6  # a tie: the earliest-published figure
    assert row["evidence_count"] == 2
    assert len(tables["evidence"]) == 2
    assert set(tables["evidence"]["fact_id"]) == {row["investment_id"]}


def test_different_recipients_stay_two_rows() -> None:
    tables = _build(
        [_mention("a", amount=6e9), _mention("b", amount=6e9)],
        [_party("a", "xai", "recipient"), _party("b", "figure-ai", "recipient")],
    )
    assert len(tables["investments"]) == 2


def test_amounts_far_apart_stay_two_rows() -> None:
    tables = _build(
        [_mention("a", amount=6e9), _mention("b", amount=4e9)],
        [_party("a", "xai", "recipient"), _party("b", "xai", "recipient")],
    )
    assert len(tables["investments"]) == 2


def test_a_denial_is_kept_apart_from_the_report() -> None:
    tables = _build(
        [_mention("a", amount=1e9), _mention("b", amount=1e9, certainty="denied")],
        [_party("a", "xai", "recipient"), _party("b", "xai", "recipient")],
    )
    assert sorted(tables["investments"]["certainty"]) == ["denied", "reported"]


def test_a_rumour_and_a_report_of_one_deal_merge_into_a_reported_row() -> None:
    tables = _build(
        [_mention("a", amount=680e6, certainty="rumoured"), _mention("b", amount=675e6)],
        [_party("a", "figure-ai", "recipient"), _party("b", "figure-ai", "recipient")],
    )
    investments = tables["investments"]
    assert len(investments) == 1
    assert investments.iloc[0]["certainty"] == "reported"
    assert investments.iloc[0]["amount"] == 675e6  # the reported figure, not the rumoured one


def test_a_plain_select_of_reported_facts_excludes_rumours_denials_and_forecasts() -> None:
    certainties = ["reported", "rumoured", "denied", "forecast"]
    tables = _build(
        [_mention(c, amount=1e9, certainty=c) for c in certainties],
        [_party(c, org, "recipient") for c, org in zip(certainties, _ORG_COUNTRIES, strict=False)],
    )
    investments = tables["investments"]
    assert sorted(investments["certainty"]) == sorted(certainties)
    reported = investments[investments["certainty"] == "reported"]
    assert len(reported) == 1
    assert reported.iloc[0]["certainty"] == "reported"


def test_a_government_programme_belongs_to_the_funding_country() -> None:
    tables = _build(
        [_mention("a", amount=6.6e9, subtype="government_programme", country_code="US")],
        [_party("a", "tsmc", "recipient"), _party("a", "us-doc", "funder")],
    )
    row = tables["investments"].iloc[0]
    assert (row["recipient_id"], row["country_code"]) == ("tsmc", "US")


def test_usd_value_and_rate_date_are_recorded() -> None:
    tables = _build(
        [_mention("a", amount=1.037192e11, currency="INR", announced_on=dt.date(2024, 3, 9))],
        [_party("a", "xai", "recipient")],
    )
    row = tables["investments"].iloc[0]
    # 9 March 2024 is a Saturday: Friday's ECB rates are used, and the row says so.
    assert pd.Timestamp(row["fx_rate_date"]) == pd.Timestamp("2024-03-08")
    friday = load_rates().to_usd(pd.Series([1.037192e11]), pd.Series(["INR"]), pd.Series(["2024-03-08"]))
    assert (row["amount"], row["currency"]) == (1.037192e11, "INR")
    assert row["amount_usd"] == pytest.approx(friday["amount_usd"].iloc[0])


def test_incidents_merge_on_type_and_actors_and_alliances_on_members() -> None:
    tables = _build(
        [
            _mention("i1", fact_type="incident", subtype="regulatory_investigation", currency=None),
            _mention("i2", fact_type="incident", subtype="regulatory_investigation", currency=None),
            _mention("i3", fact_type="incident", subtype="litigation", currency=None),
            _mention("a1", fact_type="alliance", subtype=None, currency=None),
            _mention("a2", fact_type="alliance", subtype=None, currency=None),
        ],
        [
            _party("i1", "microsoft", "subject"),
            _party("i2", "microsoft", "subject"),
            _party("i3", "microsoft", "subject"),
            *(_party(m, None, "member", country_code=c, is_country=True) for m in ("a1", "a2") for c in "JK"),
        ],
    )
    assert sorted(tables["incidents"]["incident_type"]) == ["litigation", "regulatory_investigation"]
    assert len(tables["alliances"]) == 1
    assert tables["alliances"].iloc[0]["evidence_count"] == 2


def _probe(mention_id: str) -> dict:
    return _mention(
        mention_id, fact_type="incident", subtype="regulatory_investigation", amount=None, currency=None
    )


def test_one_regulator_acting_on_two_companies_is_two_incidents() -> None:
    tables = _build(
        [_probe("a"), _probe("b")],
        [
            _party("a", "us-doc", "regulator"),
            _party("a", "xai", "subject"),
            _party("b", "us-doc", "regulator"),
            _party("b", "figure-ai", "subject"),
        ],
    )
    assert len(tables["incidents"]) == 2


def test_probes_of_one_company_in_two_countries_are_two_incidents_one_country_stays_one() -> None:
    # Italy's and Korea's watchdogs both act on one model maker; a second report of the Italian probe
    # (no regulator named) and a report with no country join it, a Korean one does not.
    mentions = [
        {**_probe("it"), "country_code": "IT"},
        {**_probe("kr"), "country_code": "KR"},
        {**_probe("it-again"), "country_code": "IT"},
        {**_probe("anywhere"), "country_code": None},
    ]
    parties = [
        _party("it", "it-garante", "regulator"),
        *(_party(m, "deepseek", "subject") for m in ("it", "kr", "it-again", "anywhere")),
    ]
    incidents = _build(mentions, parties)["incidents"]
    assert sorted(incidents["evidence_count"]) == [1, 3]
    assert sorted(incidents["country_code"].dropna()) == ["IT", "KR"]
    # A leak is one event wherever it is reported from.
    leaks = [
        {**_probe(m), "subtype": "data_breach", "country_code": c} for m, c in (("x", "US"), ("y", "GB"))
    ]
    assert len(_build(leaks, [_party(m, "deepseek", "subject") for m in ("x", "y")])["incidents"]) == 1


def test_two_regulators_acting_on_one_company_merge_and_a_regulator_alone_still_matches() -> None:
    tables = _build(
        [_probe("a"), _probe("b"), _probe("c"), _probe("d")],
        [
            _party("a", "us-doc", "regulator"),
            _party("a", "xai", "subject"),
            _party("b", "microsoft", "regulator"),
            _party("b", "xai", "subject"),
            # Mentions naming only the regulator still merge on it.
            _party("c", "tsmc", "regulator"),
            _party("d", "tsmc", "regulator"),
        ],
    )
    assert len(tables["incidents"]) == 2
