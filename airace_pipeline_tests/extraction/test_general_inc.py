"""Incident phrasings that real pages use and the rules once missed, on invented sentences.

The company names are invented; the shapes are general ("agreed to pay a $X civil penalty", "reached a
settlement with X", "took action against X").
"""

from __future__ import annotations

import datetime as dt

import pytest

DAY = dt.date(2025, 5, 2)


def facts(extractor, make_document, text: str, kind: str = "incident") -> list:
    return [f for f in extractor.extract(make_document(text, DAY)) if f.fact_type == kind]


def roles(fact) -> set[tuple[str, str]]:
    return {(p.name, p.role) for p in fact.participants}


# --- a penalty agreed, a settlement reached, an action taken -------------------------------------------


@pytest.mark.parametrize(
    ("text", "party", "amount"),
    [
        ("Brindlecast agreed to pay a $310,000 civil penalty to resolve the matter.", "Brindlecast", 310e3),
        (
            "Without admitting the findings, Quorvane Labs has agreed to a $2 million fine.",
            "Quorvane Labs",
            2e6,
        ),
        (
            "The FCC reached a settlement with Talvora Wireless, under which it will pay a $4 million penalty.",
            "Talvora Wireless",
            4e6,
        ),
    ],
)
def test_a_penalty_agreed_is_an_enforcement_outcome(extractor, make_document, text, party, amount) -> None:
    [fact] = facts(extractor, make_document, text)
    assert fact.subtype == "regulatory_investigation"
    assert (party, "subject") in roles(fact)
    assert fact.amount == amount


def test_two_penalties_in_one_sentence_are_two_incidents(extractor, make_document) -> None:
    found = facts(
        extractor,
        make_document,
        "Brindlecast agreed to pay a $310,000 penalty, while Orrimet agreed to a $95,000 penalty.",
    )
    assert sorted((f.amount, next(iter(roles(f)))[0]) for f in found) == [
        (95e3, "Orrimet"),
        (310e3, "Brindlecast"),
    ]


def test_a_regulator_taking_action_against_a_company_is_a_probe(extractor, make_document) -> None:
    [fact] = facts(
        extractor, make_document, "On June 3, the SEC announced settled actions against Brindlecast."
    )
    assert fact.subtype == "regulatory_investigation"
    assert {("SEC", "regulator"), ("Brindlecast", "subject")} <= roles(fact)


@pytest.mark.parametrize(
    "text",
    [
        # No public body acts: a company acting against abuse of its service is no enforcement case.
        "Velmora took action against spammers on its platform last year.",
        # A settlement of a commercial dispute names no penalty.
        "Velmora agreed to pay $40 million for the data centre site.",
    ],
)
def test_no_enforcement_without_a_penalty_or_a_public_body(extractor, make_document, text) -> None:
    assert facts(extractor, make_document, text) == []


# --- "exposure" as visibility or risk, not a breach -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Critics sued Harvonel, claiming it gave its own assistant preferential exposure on its store.",
        "Analysts said Harvonel's exposure to the Chinese market was growing after the deal.",
    ],
)
def test_exposure_without_data_is_no_breach(extractor, make_document, text) -> None:
    assert not any(f.subtype == "data_breach" for f in facts(extractor, make_document, text))


@pytest.mark.parametrize(
    "text",
    [
        "Researchers said Harvonel Technologies exposed a database holding customer chat logs for a week.",
        "An exposed server at Harvonel Technologies let anyone read user records.",
    ],
)
def test_exposure_of_data_is_a_breach(extractor, make_document, text) -> None:
    [fact] = facts(extractor, make_document, text)
    assert fact.subtype == "data_breach"
    assert ("Harvonel Technologies", "deployer") in roles(fact)


# --- a fraud about where chips went is an export case ---------------------------------------------------


def test_a_fraud_case_over_shipped_chips_is_an_export_case(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Singapore charged three men with fraud over servers holding Nvidia chips that were shipped to Malaysia.",
    )
    assert fact.subtype == "export_control"
    assert ("Singapore", "regulator") in roles(fact)


def test_a_fraud_case_that_only_mentions_shipped_chips_is_no_event(extractor, make_document) -> None:
    text = (
        "Officials in Singapore said servers tied to a fraud case might have held AI chips that were "
        "later sent to Malaysia."
    )
    assert facts(extractor, make_document, text) == []


def test_a_deepfake_fraud_stays_a_misuse(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Police in Italy said scammers used a deepfake of a minister to defraud Varellio of €1 million.",
    )
    assert fact.subtype == "misuse"


# --- a government approving chip sales to a named buyer -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The US plans to greenlight the first sales of advanced AI chips to the Qatari AI firm Ostrava Labs.",
        "The Commerce Department approved exports of Nvidia accelerators to Ostrava Labs last week.",
    ],
)
def test_an_export_approval_names_the_buyer_as_subject(extractor, make_document, text) -> None:
    [fact] = facts(extractor, make_document, text)
    assert fact.subtype == "export_control"
    assert ("Ostrava Labs", "subject") in roles(fact)
    assert fact.country_code == "US"
    # "the Qatari AI firm": a description of the buyer, no party of its own.
    assert not any(name.endswith(" AI") for name, _ in roles(fact))


@pytest.mark.parametrize(
    "text",
    [
        "Shareholders of Ostrava Labs approved the sale of its chips business to Corvinel Systems.",
        "Investors approved the sale of the chip unit to Corvinel Systems.",
    ],
)
def test_a_business_sold_is_no_export_approval(extractor, make_document, text) -> None:
    assert not any(f.subtype == "export_control" for f in facts(extractor, make_document, text))
