from __future__ import annotations

from airace_pipeline.extraction.investments import choose_amount
from airace_pipeline.extraction.money import MoneyMatcher

MATCHER = MoneyMatcher()


def pick(text: str, acquisition: bool = False) -> float | None:
    money = choose_amount(text, MATCHER.find(text), acquisition)
    return None if money is None else money.amount


def test_valuation_is_not_the_amount_raised() -> None:
    assert pick("OpenAI raised $6.6 billion at a $157 billion valuation.") == 6.6e9
    assert pick("It raised $3.5 billion at a post-money valuation of $61.5 billion.") == 3.5e9
    assert pick("The round values Moonshot AI at around 2.5 billion dollars.") is None


def test_totals_and_first_tranches_are_skipped() -> None:
    assert pick("The new commitment brings Amazon's total investment in Anthropic to $8 billion.") is None
    assert pick("Zhipu AI said it has raised a total of 2.5 billion yuan so far in 2023.") == 2.5e9


def test_deal_value_counts_for_acquisitions() -> None:
    text = "AMD agreed to acquire Silo AI in an all-cash transaction valued at approximately $665 million."
    assert pick(text, acquisition=True) == 6.65e8
