"""Scale words (thousand ... trillion, bn, m, k, lakh, crore and their compounds), and the places that stand
for a country: demonyms, capitals used as metonyms, and US and Indian states."""

from __future__ import annotations

import pytest

from airace_pipeline.extraction.money import MoneyMatcher
from airace_pipeline.reference.countries import CountryMatcher, country_code_for
from airace_pipeline.reference.subnational import find_states, state_country

MONEY = MoneyMatcher()


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$40 thousand", 4e4, "USD"),
        ("$250k", 2.5e5, "USD"),
        ("€5m", 5e6, "EUR"),
        ("$7 million", 7e6, "USD"),
        ("£1.2bn", 1.2e9, "GBP"),
        ("$1 trillion", 1e12, "USD"),
        ("₹75 lakh", 7.5e6, "INR"),
        ("Rs 10 crore", 1e8, "INR"),
        ("₹1.26 lakh crore", 1.26e12, "INR"),  # a compound: 1.26 x 10^5 x 10^7
        ("Rs 1 thousand crore", 1e10, "INR"),
        ("1 billion zloty", 1e9, "PLN"),
    ],
)
def test_scale_words(text: str, amount: float, currency: str) -> None:
    [money] = MONEY.find(text)
    assert (money.amount, money.currency) == (pytest.approx(amount), currency)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("South Korean", "KR"),
        ("Emirati", "AE"),
        ("Saudi", "SA"),
        ("Beijing", "CN"),
        ("Washington", "US"),
        ("Brussels", "EU"),
        ("Moscow", "RU"),
        ("UAE", "AE"),
    ],
)
def test_demonyms_and_capitals(name: str, code: str) -> None:
    assert country_code_for(name) == code


def test_metonyms_in_running_text() -> None:
    text = "South Korean and Emirati officials met in Brussels while Beijing and Washington watched."
    assert [code for _, _, code in CountryMatcher().find(text)] == ["KR", "AE", "EU", "CN", "US"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tennessee Governor Bill Lee signed the ELVIS Act", "US"),
        ("data centres in Mount Pleasant, Wisconsin", "US"),
        ("Karnataka's government unveiled a prize pool", "IN"),
        ("Tamil Nadu has sanctioned Rs 10 crore", "IN"),
        ("Georgia's parliament passed a law", None),  # Georgia is a country, not only a US state
        ("Washington said", None),  # the capital, handled as a metonym by the country matcher
    ],
)
def test_states_name_their_country(text: str, code: str | None) -> None:
    assert state_country(text) == code


def test_state_offsets() -> None:
    text = "plants in New York and Gujarat"
    assert [(text[s:e], c) for s, e, c in find_states(text)] == [("New York", "US"), ("Gujarat", "IN")]
