"""How many stored USD conversions rest on a stale exchange rate, per table and currency.

A stale rate (`normalise.money.STALE_AFTER_DAYS`) is not an error: the amount as stated is still right
and the USD value is the best the shipped rates allow. So the rows stay, flagged in `fx_rate_stale`, and
this summary feeds a warning check that says how many there are, in which currencies and since when, so
that a currency the ECB dropped or a rate file left unrefreshed is seen rather than silently used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

# Each contract table that carries a USD conversion, with the column of its stated currency.
CURRENCY_COLUMN: dict[str, str] = {
    "investments": "currency",
    "alliances": "committed_currency",
    "incidents": "currency",
}


@dataclass(frozen=True)
class StaleConversions:
    table: str
    by_currency: dict[str, int]
    oldest_rate_date: dt.date | None

    @property
    def count(self) -> int:
        return sum(self.by_currency.values())


def stale_conversions(conn: duckdb.DuckDBPyConnection, table: str) -> StaleConversions:
    """The rows of `table` (a key of CURRENCY_COLUMN) whose USD value uses a stale rate."""
    currency = CURRENCY_COLUMN[table]
    # Identifiers come from CURRENCY_COLUMN above; DuckDB cannot bind them as parameters.
    rows = conn.execute(
        f'SELECT "{currency}", count(*), min(fx_rate_date) FROM main."{table}" '
        f'WHERE fx_rate_stale GROUP BY "{currency}" ORDER BY "{currency}"'
    ).fetchall()
    oldest = min((r[2] for r in rows if r[2] is not None), default=None)
    return StaleConversions(table, {str(r[0]): int(r[1]) for r in rows}, oldest)
