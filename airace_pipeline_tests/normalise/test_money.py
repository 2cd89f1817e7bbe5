"""USD conversion with the shipped ECB history."""

from __future__ import annotations

import pandas as pd
import pytest

from airace_pipeline.normalise.money import PEGS, load_rates


def _convert(amount: float, currency: str, date: str) -> tuple[float, pd.Timestamp]:
    out = load_rates().to_usd(pd.Series([amount]), pd.Series([currency]), pd.Series([date]))
    return out["amount_usd"].iloc[0], out["fx_rate_date"].iloc[0]


@pytest.mark.parametrize(
    ("amount", "currency", "date", "usd", "rate_date"),
    [
        # ECB 2024-06-11: USD 1.073 per EUR (the shipped file).
        (600e6, "EUR", "2024-06-11", 600e6 * 1.073, "2024-06-11"),
        # 2024-03-07: USD 1.0895, INR 90.1205 per EUR: ₹10,371.92 crore ~ US$1.25bn.
        (1.037192e11, "INR", "2024-03-07", 1.037192e11 * 1.0895 / 90.1205, "2024-03-07"),
        # A Saturday falls back to Friday's rates.
        (1e6, "GBP", "2024-02-03", None, "2024-02-02"),
        (5e11, "USD", "2025-01-21", 5e11, "2025-01-21"),
        (3.75e9, "SAR", "2024-03-19", 1e9, "2024-03-19"),
    ],
)
def test_conversion(amount: float, currency: str, date: str, usd: float | None, rate_date: str) -> None:
    value, used = _convert(amount, currency, date)
    if usd is not None:
        assert value == pytest.approx(usd, rel=1e-4)
    else:
        assert value > 0
    assert used == pd.Timestamp(rate_date)


def test_unquoted_currency_gets_no_guess() -> None:
    value, used = _convert(1e9, "TWD", "2024-01-02")
    assert pd.isna(value) and pd.isna(used)
    assert "TWD" not in PEGS


def test_missing_date_or_amount() -> None:
    out = load_rates().to_usd(
        pd.Series([None, 5.0]), pd.Series(["USD", "EUR"]), pd.Series(["2024-01-02", None])
    )
    assert out["amount_usd"].isna().all()
