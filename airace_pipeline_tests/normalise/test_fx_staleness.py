"""A USD value converted at a rate far older than the fact is flagged on its row and counted by a check.

The ECB stopped quoting RUB on 1 March 2022, so a 2024 rouble amount can only use that rate; a euro
amount on a day the ECB is closed uses the previous business day's rate, which is not stale.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from airace_pipeline.defs.assets.normalise import fact_tables
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.normalise.facts import build_fact_tables
from airace_pipeline.normalise.money import STALE_AFTER_DAYS, load_rates
from airace_pipeline.warehouse.connection import ensure_working_schema
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, FACT_MENTIONS
from airace_pipeline.warehouse.writes import insert_frame

RUB_LAST_QUOTED = pd.Timestamp("2022-03-01")


def _convert(currency: str, day: str, path: Path | None = None) -> pd.Series:
    rates = load_rates(path) if path else load_rates()
    return rates.to_usd(pd.Series([1e9]), pd.Series([currency]), pd.Series([day])).iloc[0]


def test_a_2024_rouble_amount_uses_the_last_rub_rate_and_is_stale() -> None:
    row = _convert("RUB", "2024-05-15")
    assert row["amount_usd"] > 0
    assert row["fx_rate_date"] == RUB_LAST_QUOTED
    assert row["fx_rate_stale"]


@pytest.mark.parametrize(
    ("day", "rate_day"),
    [
        ("2023-05-01", "2023-04-28"),  # Labour Day, a Monday: Friday's rate
        ("2024-04-01", "2024-03-28"),  # Easter Monday: Maundy Thursday's rate, the longest regular pause
        ("2024-06-09", "2024-06-07"),  # a Sunday
    ],
)
def test_a_closed_day_uses_the_previous_business_day_and_is_not_stale(day: str, rate_day: str) -> None:
    row = _convert("EUR", day)
    assert row["fx_rate_date"] == pd.Timestamp(rate_day)
    assert not row["fx_rate_stale"]


def test_stale_means_more_than_the_threshold(tmp_path: Path) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("Date,USD,GBP,\n2024-01-02,1.10,0.86,\n", encoding="utf-8")
    last_fresh = (dt.date(2024, 1, 2) + dt.timedelta(days=STALE_AFTER_DAYS)).isoformat()
    first_stale = (dt.date(2024, 1, 2) + dt.timedelta(days=STALE_AFTER_DAYS + 1)).isoformat()
    assert not _convert("GBP", last_fresh, rates)["fx_rate_stale"]
    assert _convert("GBP", first_stale, rates)["fx_rate_stale"]


def test_no_usd_value_has_no_flag() -> None:
    assert pd.isna(_convert("TWD", "2024-05-15")["fx_rate_stale"])


def _mention(mention_id: str, fact_type: str, currency: str, day: dt.date, subtype: str | None) -> dict:
    row = dict.fromkeys(FACT_MENTIONS.column_names)
    row.update(
        mention_id=mention_id,
        document_id=f"doc-{mention_id}",
        published_on=day,
        fact_type=fact_type,
        sentence=f"sentence {mention_id}",
        span_start=0,
        span_end=10,
        certainty="reported",
        subtype=subtype,
        name=f"fact {mention_id}",
        announced_on=day,
        date_precision="day",
        amount=5e9,
        currency=currency,
        is_upper_bound=False,
        focus_areas=[],
        extractor="test",
    )
    return row


_MENTIONS = [
    _mention("inv-rub", "investment", "RUB", dt.date(2024, 5, 15), "government_programme"),
    _mention("inv-eur", "investment", "EUR", dt.date(2023, 5, 1), "private_round"),
    _mention("all-rub", "alliance", "RUB", dt.date(2024, 7, 2), None),
    _mention("inc-rub", "incident", "RUB", dt.date(2024, 9, 3), "regulatory_investigation"),
]
_PARTICIPANTS = pd.DataFrame(
    columns=["mention_id", "name", "role", "organisation_id", "government_id", "country_code", "is_country"]
)


def test_every_usd_table_carries_the_rate_date_and_the_flag() -> None:
    tables = build_fact_tables(pd.DataFrame(_MENTIONS), _PARTICIPANTS, {}, load_rates()).tables
    investments = tables["investments"].set_index("currency")
    assert pd.Timestamp(investments.loc["RUB", "fx_rate_date"]) == RUB_LAST_QUOTED
    assert investments.loc["RUB", "fx_rate_stale"]
    assert pd.Timestamp(investments.loc["EUR", "fx_rate_date"]) == pd.Timestamp("2023-04-28")
    assert not investments.loc["EUR", "fx_rate_stale"]
    for table in ("alliances", "incidents"):
        [row] = tables[table].to_dict("records")
        assert pd.Timestamp(row["fx_rate_date"]) == RUB_LAST_QUOTED, table
        assert row["fx_rate_stale"], table


def _run_fact_tables(path: Path, mentions: list[dict]) -> dg.ExecuteInProcessResult:
    """The real `fact_tables` step on a working file holding these extracted mentions."""
    conn = duckdb.connect(str(path))
    try:
        ensure_working_schema(conn)
        insert_frame(conn, EXTRACT_SCHEMA, FACT_MENTIONS.name, pd.DataFrame(mentions))
    finally:
        conn.close()
    result = dg.materialize(
        [fact_tables],
        resources={
            "warehouse": WarehouseResource(
                published_path=str(path.parent / "unused.duckdb"), working_path=str(path)
            ),
            "reference": ReferenceDataResource(),
        },
    )
    assert result.success
    return result


def test_the_fact_tables_run_stores_the_flag_and_its_check_counts_stale_conversions(tmp_path: Path) -> None:
    path = tmp_path / "work.duckdb"
    result = _run_fact_tables(path, _MENTIONS)
    checks = {
        e.asset_key.path[-1]: e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "fx_rates_fresh"
    }
    assert set(checks) == {"investments", "alliances", "incidents"}
    investments = checks["investments"]
    assert not investments.passed
    assert investments.severity == dg.AssetCheckSeverity.WARN
    assert investments.metadata["stale_count"].value == 1
    assert investments.metadata["stale_by_currency"].value == {"RUB": 1}
    assert investments.metadata["oldest_rate_date"].value == "2022-03-01"
    conn = duckdb.connect(str(path), read_only=True)
    try:
        stored = conn.execute(
            "SELECT currency, fx_rate_date, fx_rate_stale FROM main.investments ORDER BY currency"
        ).fetchall()
    finally:
        conn.close()
    assert stored == [("EUR", dt.date(2023, 4, 28), False), ("RUB", dt.date(2022, 3, 1), True)]


def test_the_check_passes_without_stale_conversions(tmp_path: Path) -> None:
    result = _run_fact_tables(tmp_path / "work.duckdb", _MENTIONS[1:2])
    checks = [e for e in result.get_asset_check_evaluations() if e.check_name == "fx_rates_fresh"]
    assert len(checks) == 3 and all(e.passed for e in checks)
    assert all(e.metadata["stale_count"].value == 0 for e in checks)
