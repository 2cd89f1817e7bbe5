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
