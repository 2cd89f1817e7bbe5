"""US-dollar values at the announcement date, from the ECB euro foreign exchange reference rates.

The rates file is the ECB's own `eurofxref-hist.zip` (units of each currency per euro, TARGET business
days, `N/A` where not quoted), shipped in `data/reference/ecb/` so that runs are offline and repeatable;
README "Exchange rates" says how to refresh it. USD value = amount x (USD per EUR) / (currency per EUR),
taken on the announcement date or, on a weekend or holiday, the nearest earlier business day; the rate
date used is kept with the row, and so is whether that rate is stale (older than STALE_AFTER_DAYS): the
ECB stops quoting a currency (RUB since March 2022) and the shipped file ends on its last business day,
and the nearest earlier rate is then months or years old, a figure a reader should not take at face value.

The ECB does not quote every currency we meet. Those pegged to the dollar are converted at their
central bank's peg (documented in PEGS); any other unquoted currency gets no USD value (NULL) rather than
a guess.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from airace_pipeline.paths import REPO_ROOT

DEFAULT_RATES_PATH = REPO_ROOT / "data" / "reference" / "ecb" / "eurofxref-hist.zip"

# Units of currency per US dollar, fixed by the issuing central bank.
PEGS: dict[str, float] = {
    "AED": 3.6725,  # UAE dirham, Central Bank of the UAE, since 1997
    "SAR": 3.75,  # Saudi riyal, Saudi Central Bank, since 1986
    "QAR": 3.64,  # Qatari riyal, Qatar Central Bank, since 2001
    "BHD": 0.376,  # Bahraini dinar, Central Bank of Bahrain
    "OMR": 0.3845,  # Omani rial, Central Bank of Oman
}

# A rate more than this many days older than the fact's date is stale. The ECB publishes every TARGET
# business day; its longest regular pause (Good Friday to Easter Monday, Christmas to 26 December) makes
# the newest rate at most 4 days old (5 days between publications in the shipped history, 2000-2026).
# A week covers that with margin, and anything older means the currency or the file stopped being quoted.
STALE_AFTER_DAYS = 7


@dataclass(frozen=True)
class UsdRates:
    """Long table of (currency, rate_date, usd_per_unit), sorted for `merge_asof`."""

    table: pd.DataFrame

    @property
    def currencies(self) -> set[str]:
        return set(self.table["currency"].unique()) | set(PEGS) | {"USD"}

    def to_usd(self, amounts: pd.Series, currencies: pd.Series, dates: pd.Series) -> pd.DataFrame:
        """Vectorised conversion; returns columns amount_usd, fx_rate_date and fx_rate_stale (nullable
        boolean: NA where there is no USD value) aligned with the input."""
        query = pd.DataFrame(
            {
                "row": range(len(amounts)),
                "amount": pd.to_numeric(amounts, errors="coerce").to_numpy(dtype=float),
                "currency": currencies.astype("object").to_numpy(),
                "date": pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]"),
            }
        )
        out = pd.DataFrame(
            {"amount_usd": pd.Series(float("nan"), index=query.index, dtype=float), "fx_rate_date": pd.NaT}
        )
        usable = query["amount"].notna() & query["currency"].notna() & query["date"].notna()

        direct = usable & query["currency"].isin(["USD", *PEGS])
        per_usd = query.loc[direct, "currency"].map(lambda c: 1.0 if c == "USD" else PEGS[c])
        out.loc[direct, "amount_usd"] = (query.loc[direct, "amount"] / per_usd).to_numpy(dtype=float)
        out.loc[direct, "fx_rate_date"] = query.loc[direct, "date"]

        ecb = query[usable & ~direct].sort_values("date")
        if not ecb.empty:
            matched = pd.merge_asof(
                ecb,
                self.table,
                left_on="date",
                right_on="rate_date",
                by="currency",
                direction="backward",
            ).set_index("row")
            out.loc[matched.index, "amount_usd"] = (matched["amount"] * matched["usd_per_unit"]).to_numpy()
            out.loc[matched.index, "fx_rate_date"] = matched["rate_date"].to_numpy()
        out["fx_rate_date"] = pd.to_datetime(out["fx_rate_date"])
        age_days = (query["date"] - out["fx_rate_date"]).dt.days
        out["fx_rate_stale"] = (age_days > STALE_AFTER_DAYS).astype("boolean").mask(age_days.isna())
        return out


@cache
def load_rates(path: Path = DEFAULT_RATES_PATH) -> UsdRates:
    """Read the ECB history (zip or csv) into a long USD-per-unit table; cached per path."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".csv"))
            raw = archive.read(name)
    else:
        raw = path.read_bytes()
    wide = pd.read_csv(io.BytesIO(raw), na_values=["N/A"], parse_dates=["Date"])
    wide = wide.loc[:, ~wide.columns.str.startswith("Unnamed")].rename(columns={"Date": "rate_date"})
    usd_per_eur = wide["USD"]
    long = wide.melt(id_vars="rate_date", var_name="currency", value_name="per_eur").dropna()
    long = long.merge(
        pd.DataFrame({"rate_date": wide["rate_date"], "usd_per_eur": usd_per_eur}), on="rate_date"
    )
    long["usd_per_unit"] = long["usd_per_eur"] / long["per_eur"]
    eur = pd.DataFrame({"rate_date": wide["rate_date"], "currency": "EUR", "usd_per_unit": usd_per_eur})
    table = pd.concat([long[["rate_date", "currency", "usd_per_unit"]], eur], ignore_index=True)
    table = table.dropna().sort_values("rate_date").reset_index(drop=True)
    return UsdRates(table)
