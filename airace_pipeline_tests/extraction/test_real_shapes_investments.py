"""Investment shapes seen on real pages (the sentences here are our own, written after those shapes)."""

from __future__ import annotations

import datetime as dt

import pytest

from airace_pipeline.extraction.money import MoneyMatcher

DAY = dt.date(2025, 5, 2)


def investments(extractor, make_document, text: str) -> list:
    return [f for f in extractor.extract(make_document(text, DAY)) if f.fact_type == "investment"]


def roles(fact) -> set[tuple[str, str]]:
    return {(p.name, p.role) for p in fact.participants}


@pytest.mark.parametrize(
    ("text", "recipient", "amount"),
    [
        # A long appositive between the company and its verb.
        (
            "Radiolytix, a diagnostics software company focused on triaging chest scans for rural clinics "
            "and mobile screening vans, has raised $42 million in a Series B round.",
            "Radiolytix",
            42e6,
        ),
        # A relative clause, and a name that starts with a digit.
        ("7Harbor, which builds port scheduling agents, announced a $9 million Series A.", "7Harbor", 9e6),
        # "said it brought in": a reporting verb and a phrasal raise verb.
        (
            "On March 3, Quillmark said it brought in $31 million at a valuation of $400 million.",
            "Quillmark",
            31e6,
        ),
        # An adjective between "announced a" and the amount.
        (
            "On June 9, Tessarine Inc. announced an oversubscribed $64 million Series A financing.",
            "Tessarine Inc.",
            64e6,
        ),
    ],
)
def test_recipient_survives_appositives_and_reporting_verbs(
    extractor, make_document, text: str, recipient: str, amount: float
) -> None:
    [fact] = investments(extractor, make_document, text)
    assert fact.amount == amount
    assert (recipient, "recipient") in roles(fact)


def test_a_relative_clause_verb_does_not_make_a_round_a_forecast(extractor, make_document) -> None:
    [fact] = investments(
        extractor,
        make_document,
        "Gridsight, which uses machine learning to predict power demand, announced $3 million in funding.",
    )
    assert fact.certainty == "reported"
    assert ("Gridsight", "recipient") in roles(fact)


def test_round_up_deal_lines_and_their_investor_label(extractor, make_document) -> None:
    text = (
        "Funding this week\n"
        "Brightfold — $48M Series B\n"
        "- What they do: software that plans warehouse robots\n"
        "- Lead investor: Tallgrass Capital and Northbeam co-led\n"
        "Kivo — $6M (Undisclosed Round)\n"
        "- Lead investor: Not yet disclosed\n"
    )
    facts = {
        next(p.name for p in f.participants if p.role == "recipient"): f
        for f in investments(extractor, make_document, text)
    }
    assert set(facts) == {"Brightfold", "Kivo"}
    assert facts["Brightfold"].amount == 48e6 and facts["Brightfold"].round_type == "series_b"
    assert {("Tallgrass Capital", "lead"), ("Northbeam", "lead")} <= roles(facts["Brightfold"])
    assert roles(facts["Kivo"]) == {("Kivo", "recipient")}


@pytest.mark.parametrize(
    "text",
    [
        "Global venture funding reached $91 billion in the third quarter, up 12% on the year.",
        "The author is seeking $12 million in damages from the chatbot maker.",
        "Investigators said at least $80 million worth of accelerators were shipped through resellers.",
    ],
)
def test_statistics_damages_and_goods_values_are_not_investments(extractor, make_document, text: str) -> None:
    assert investments(extractor, make_document, text) == []


def test_a_currency_code_after_a_dollar_amount_names_the_dollar() -> None:
    [money] = MoneyMatcher().find("Ottawa will spend the $2 billion CAD it set aside.")
    assert (money.amount, money.currency, money.text) == (2e9, "CAD", "$2 billion CAD")


def test_a_canadian_government_programme_in_bare_dollars_is_cad(extractor, make_document) -> None:
    [fact] = investments(
        extractor,
        make_document,
        "Canada's government will provide $1.5 billion for a national AI compute programme, the finance "
        "minister said.",
    )
    assert fact.subtype == "government_programme"
    assert (fact.amount, fact.currency) == (1.5e9, "CAD")


def test_a_stake_taken_before_its_price_is_told(extractor, make_document) -> None:
    [fact] = investments(
        extractor,
        make_document,
        "The French government has taken a 12% equity stake in chipmaker Soitec Corp. under a deal signed on "
        "Monday. The stake was bought for €300 million, the finance ministry said.",
    )
    assert (fact.amount, fact.currency, fact.subtype) == (3e8, "EUR", "government_programme")
    assert ("Soitec Corp.", "recipient") in roles(fact)


def test_talks_to_take_a_stake_are_a_rumoured_deal(extractor, make_document) -> None:
    [fact] = investments(
        extractor, make_document, "Japan is in talks to take about a 5% stake in local chip maker Rapidus."
    )
    assert fact.certainty == "rumoured"
    assert ("Rapidus", "recipient") in roles(fact) and ("Japan", "funder") in roles(fact)


def test_the_government_of_a_page_that_names_its_country_elsewhere(extractor, make_document) -> None:
    text = (
        "The government will set up a 20 trillion won fund, worth about 14 billion U.S. dollars, for chips "
        "and AI. South Korea's finance ministry will run it with state lenders."
    )
    [fact] = investments(extractor, make_document, text)
    assert (fact.amount, fact.currency, fact.country_code) == (2e13, "KRW", "KR")


def test_a_hyphenated_scale_is_read() -> None:
    [money] = MoneyMatcher().find("The startup raised about $410-million last year.")
    assert money.amount == 4.1e8


def test_a_company_set_to_receive_an_amount_is_its_recipient(extractor, make_document) -> None:
    [fact] = investments(
        extractor, make_document, "Hokuto Systems is set to receive 8.5 billion yen of the aid."
    )
    assert (fact.amount, fact.currency) == (8.5e9, "JPY")
    assert roles(fact) == {("Hokuto Systems", "recipient")}


def test_the_close_of_a_round_and_the_investors_after_the_lead(extractor, make_document) -> None:
    [fact] = investments(
        extractor,
        make_document,
        "Norvane Labs today announced the close of a $220 million Series C financing led by Sequoia "
        "Capital, with participation from Samsung Electronics.",
    )
    assert fact.amount == 2.2e8 and fact.round_type == "series_c"
    assert {
        ("Norvane Labs", "recipient"),
        ("Sequoia Capital", "lead"),
        ("Samsung Electronics", "participant"),
    } <= roles(fact)
