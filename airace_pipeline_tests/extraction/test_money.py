from __future__ import annotations

import pytest

from airace_pipeline.extraction.money import MoneyMatcher

MATCHER = MoneyMatcher()


@pytest.mark.parametrize(
    ("text", "amount", "currency", "upper"),
    [
        ("$5 billion", 5e9, "USD", False),
        ("US$1.5bn", 1.5e9, "USD", False),
        ("€600 million", 6e8, "EUR", False),
        ("€600m", 6e8, "EUR", False),
        ("£100m", 1e8, "GBP", False),
        ("¥10 trillion", 1e13, "JPY", False),
        ("₩26 trillion", 2.6e13, "KRW", False),
        ("KRW 1 trillion", 1e12, "KRW", False),
        ("RMB 344 billion", 3.44e11, "CNY", False),
        ("344 billion yuan", 3.44e11, "CNY", False),
        ("HK$200 million", 2e8, "HKD", False),
        ("C$2.4 billion", 2.4e9, "CAD", False),
        ("₹10,371.92 crore", 1.037192e11, "INR", False),
        ("₹50 lakh", 5e6, "INR", False),
        ("3 billion dollars", 3e9, "USD", False),
        ("$157bn", 1.57e11, "USD", False),
        ("Rs 500 crore", 5e9, "INR", False),
        ("9.4 trillion won", 9.4e12, "KRW", False),
        ("up to $500 billion", 5e11, "USD", True),
        ("as much as $10 billion", 1e10, "USD", True),
        ("$5 billion to $10 billion", 1e10, "USD", True),
        ("$5-10 billion", 1e10, "USD", True),
        ("between $1bn and $2bn", 2e9, "USD", True),
        ("£7,552,800", 7552800.0, "GBP", False),
    ],
)
def test_amounts(text: str, amount: float, currency: str, upper: bool) -> None:
    [money] = MATCHER.find(text)
    assert money.amount == pytest.approx(amount)
    assert money.currency == currency
    assert money.is_upper_bound is upper


def test_more_than_is_a_floor_not_a_ceiling() -> None:
    [money] = MATCHER.find("more than $1 billion")
    assert money.amount == 1e9
    assert money.is_lower_bound and not money.is_upper_bound


def test_offsets_point_at_the_text() -> None:
    text = "OpenAI raised $6.6 billion at a $157 billion valuation."
    found = MATCHER.find(text)
    assert [text[m.start : m.end] for m in found] == ["$6.6 billion", "$157 billion"]


@pytest.mark.parametrize("text", ["$5 per month", "In 2024 it had 500 employees", "US officials said", ""])
def test_no_money(text: str) -> None:
    assert MATCHER.find(text) == []


def test_has_money_prefilter() -> None:
    assert MATCHER.has_money("a €20bn fund")
    assert not MATCHER.has_money("Japan and South Korea formed an alliance.")
