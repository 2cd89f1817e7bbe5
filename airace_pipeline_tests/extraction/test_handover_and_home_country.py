"""Money handed over by a verb, and acts made by a legislature the sentence does not place.

The sentences are invented; the shapes are ones real pages use ("will provide 70 billion yen to ...",
"is setting aside $2.4 billion", "The National Assembly passed the ... Law").
"""

from __future__ import annotations

import datetime as dt

import pytest

DAY = dt.date(2025, 5, 2)


def facts(extractor, make_document, text: str, kind: str) -> list:
    return [f for f in extractor.extract(make_document(text, DAY)) if f.fact_type == kind]


def roles(fact) -> set[tuple[str, str]]:
    return {(p.name, p.role) for p in fact.participants}


@pytest.mark.parametrize(
    ("text", "amount", "currency", "recipient"),
    [
        # An amount written with a currency word, not a symbol, after a handing-over verb.
        ("The Dutch government said it would provide 90 million euros to Quantiq.", 90e6, "EUR", "Quantiq"),
        (
            "Tokyo's cabinet agreed to allocate 45 billion yen for Korvena, the chip foundry.",
            45e9,
            "JPY",
            "Korvena",
        ),
        # "in <noun>" between the amount and its beneficiary.
        ("The German government will extend €500 million in loans to Velatron.", 500e6, "EUR", "Velatron"),
    ],
)
def test_a_handover_verb_names_the_beneficiary_after_the_amount(
    extractor, make_document, text, amount, currency, recipient
) -> None:
    [fact] = facts(extractor, make_document, text, "investment")
    assert (fact.amount, fact.currency) == (amount, currency)
    assert (recipient, "recipient") in roles(fact)
    assert any(role == "funder" for _, role in roles(fact))


def test_a_country_is_never_taken_as_the_beneficiary_after_to(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "The French government will provide €300 million to France's chip makers.",
        "investment",
    )
    assert ("France", "recipient") in roles(fact) or fact.country_code == "FR"
    assert not any(name == "France's chip makers" for name, _ in roles(fact))


def test_an_unplaced_legislature_makes_an_act_of_the_page_s_country(extractor, make_document) -> None:
    text = (
        "Lawmakers in Vietnam have debated artificial intelligence for two years. "
        "The National Assembly passed the Law on Digital Technology Industry on Wednesday."
    )
    [policy] = [p for p in facts(extractor, make_document, text, "policy") if "Digital" in (p.name or "")]
    assert policy.country_code == "VN"
    assert policy.name == "Law on Digital Technology Industry"


def test_without_a_page_country_the_legislature_places_nothing(extractor, make_document) -> None:
    text = "The National Assembly passed the Law on Digital Technology Industry on Wednesday."
    assert all(p.country_code is None for p in facts(extractor, make_document, text, "policy"))
