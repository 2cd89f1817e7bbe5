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


@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        # A participle clause: the sentence's subject raised the money.
        (
            "Corvex Robotics hit a $1.2 billion valuation this spring, becoming the best-funded startup "
            "in Portugal after raising $90 million in Series B funding.",
            "Corvex Robotics",
        ),
        # An owner before the company it qualifies: the company raised, not the owner.
        (
            "Neo Tan's robotics venture Figure AI turned into a unicorn after raising $70 million.",
            "Figure AI",
        ),
    ],
)
def test_a_participle_clause_raises_for_the_sentence_subject(
    extractor, make_document, text: str, recipient: str
) -> None:
    [fact] = investments(extractor, make_document, text)
    assert fact.amount in (9e7, 7e7)  # the round, not the valuation
    assert roles(fact) == {(recipient, "recipient")}


def test_a_described_company_invests_named_in_the_sentence_before(extractor, make_document) -> None:
    facts = investments(
        extractor,
        make_document,
        "Oracle is betting heavily on machine learning. "
        "The software giant will invest $2.4 billion in data centres in Vietnam.",
    )
    [fact] = facts
    assert fact.amount == 2.4e9
    assert {("Oracle", "lead")} <= roles(fact)
    assert fact.country_code == "VN"


def test_a_pledge_announced_is_money_going_out(extractor, make_document) -> None:
    [fact] = investments(
        extractor,
        make_document,
        "Orbitane Cloud announced a $900 million commitment to expand its computing capacity in Poland.",
    )
    assert fact.amount == 9e8
    assert ("Orbitane Cloud", "lead") in roles(fact)
    assert ("Orbitane Cloud", "recipient") not in roles(fact)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("The ministry set aside two-point-five trillion won for chip research.", 2.5e12, "KRW"),
        ("That is roughly 18-point-two billion U.S. dollars.", 18.2e9, "USD"),
        ("It will form a three-point-one-trillion-won fund.", 3.1e12, "KRW"),
        ("Officials promised twenty-one-point-five billion yen.", 21.5e9, "JPY"),
    ],
)
def test_amounts_with_a_spelled_decimal_point(text: str, amount: float, currency: str) -> None:
    [money] = MoneyMatcher().find(text)
    assert (money.amount, money.currency) == (amount, currency)


def test_a_national_programme_is_funded_by_its_government(extractor, make_document) -> None:
    [fact] = investments(
        extractor,
        make_document,
        "The Dutch government will spend €250 million on a national AI computing centre.",
    )
    assert fact.subtype == "government_programme"
    assert {(p.country_code, p.role) for p in fact.participants} >= {("NL", "recipient"), ("NL", "funder")}


def test_a_state_programme_is_not_funded_by_the_national_government(extractor, make_document) -> None:
    [fact] = investments(
        extractor, make_document, "Kerala's government announced a ₹40 lakh fund for AI start-ups in Kochi."
    )
    assert not any(p.role == "funder" for p in fact.participants)


def test_a_ceiling_per_applicant_is_not_an_investment(extractor, make_document) -> None:
    text = (
        "Under the Digital Seed Scheme, eligible founders can get up to ₹15 lakh as a grant for prototypes."
    )
    assert investments(extractor, make_document, text) == []


def test_a_list_of_companies_each_raising_a_round_without_its_figure(extractor, make_document) -> None:
    facts = investments(
        extractor,
        make_document,
        "Chip startup Cerebras, robotics company Figure AI and coding tool maker Cursor each raised "
        "billion-dollar rounds this quarter.",
    )
    assert [next(p.name for p in f.participants if p.role == "recipient") for f in facts] == [
        "Cerebras",
        "Figure AI",
        "Cursor",
    ]
    assert all(f.subtype == "private_round" and f.amount is None for f in facts)


@pytest.mark.parametrize(
    ("text", "recipient", "amount"),
    [
        # A city inside the appositive is a description of the subject, not the subject.
        ("Quorvia GmbH, a Berlin maker of warehouse robots, has raised €20 million.", "Quorvia GmbH", 20e6),
        ("Tallowin, the Oslo developer of ship routing software, has raised $8 million.", "Tallowin", 8e6),
    ],
)
def test_a_place_in_the_appositive_is_not_the_recipient(
    extractor, make_document, text: str, recipient: str, amount: float
) -> None:
    [fact] = investments(extractor, make_document, text)
    assert fact.amount == amount
    assert (recipient, "recipient") in roles(fact)


@pytest.mark.parametrize(
    ("text", "recipient", "amount"),
    [
        # The owner of a stated round, even a name no gazetteer knows.
        ("The city's lead is thanks in part to Brimstone's US$66 million Series C round.", "Brimstone", 66e6),
        ("Backers piled into Vexa's latest Series A, worth $80 million.", "Vexa", 80e6),
    ],
)
def test_the_owner_of_a_round_is_its_recipient(
    extractor, make_document, text: str, recipient: str, amount: float
) -> None:
    [fact] = investments(extractor, make_document, text)
    assert fact.amount == amount
    assert (recipient, "recipient") in roles(fact)


def test_a_place_owning_seed_funding_is_no_round(extractor, make_document) -> None:
    assert investments(extractor, make_document, "Europe's seed funding rose to $3 billion last year.") == []


@pytest.mark.parametrize(
    "second",
    [
        "Its Series B round brought in $35 million from investors in three countries.",
        "The March 2025 Series B round brought in $35 million.",
        "The $35 million round was led by Northpine Ventures.",
    ],
)
def test_a_round_with_no_owner_belongs_to_the_company_named_just_before(
    extractor, make_document, second: str
) -> None:
    text = "Mistral AI trains open-weight language models. " + second
    [fact] = investments(extractor, make_document, text)
    assert fact.amount == 35e6
    assert ("Mistral AI", "recipient") in roles(fact)


def test_the_lead_of_the_round_is_not_made_its_owner(extractor, make_document) -> None:
    text = "Northpine Ventures backs robotics startups. The $35 million round was led by Northpine Ventures."
    assert all(
        ("Northpine Ventures", "recipient") not in roles(f)
        for f in investments(extractor, make_document, text)
    )


def test_a_running_total_is_not_the_round(extractor, make_document) -> None:
    text = (
        "Mistral AI raised $40 million in March. The new money pushed total capital raised past $90 million."
    )
    assert [f.amount for f in investments(extractor, make_document, text)] == [40e6]


def test_a_total_to_date_is_not_the_round(extractor, make_document) -> None:
    text = "Mistral AI raised $40 million in March. The round brings the total amount raised to date up to $90 million."
    assert [f.amount for f in investments(extractor, make_document, text)] == [40e6]


@pytest.mark.parametrize(
    "text",
    [
        "Kestrel Harbour raised $800 million across 63 deals in 2024.",
        "Kestrel Harbour raised $4.4 billion total, more than any other city.",
    ],
)
def test_an_aggregate_over_many_deals_is_no_round(extractor, make_document, text: str) -> None:
    assert investments(extractor, make_document, text) == []


@pytest.mark.parametrize(
    "text",
    [
        # A day between the reporting verb and "it": the name is still the subject.
        "Quorvia, which makes warehouse robots, said Tuesday it had raised $20 million.",
        "Quorvia announced on Monday that it has closed a $20 million Series A.",
        # A participial appositive names another company; that company is not the recipient.
        "Quorvia, founded in 2021 by two former Amazon engineers, has raised $20 million.",
    ],
)
def test_the_subject_survives_a_day_or_a_participial_appositive(extractor, make_document, text: str) -> None:
    [fact] = investments(extractor, make_document, text)
    assert fact.amount == 20e6
    assert {name for name, role in roles(fact) if role == "recipient"} == {"Quorvia"}


@pytest.mark.parametrize(
    "text",
    [
        # "today" between the name and its verb, as press releases write it.
        "Quorvia, the warehouse robotics company, today announced $20 million in Series A funding.",
        # Where the company sits is no part of its name.
        "On Tuesday, Paris-based Quorvia said it raised $20 million in a Series A round.",
        # The company a round is "in".
        "Northpine Ventures has led a $20 million round in Quorvia.",
    ],
)
def test_unknown_recipient_found_from_its_slot(extractor, make_document, text: str) -> None:
    [fact] = investments(extractor, make_document, text)
    assert fact.amount == 20e6
    assert {name for name, role in roles(fact) if role == "recipient"} == {"Quorvia"}
