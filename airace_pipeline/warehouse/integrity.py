"""Key and foreign-key integrity of the contract tables, as SQL that counts violations.

Used by the publish asset's check on the file readers get, and by the tests, so both hold the tables to
the same rules.
"""

from __future__ import annotations

import duckdb

from airace_pipeline.validation.schemas import FACT_TABLE_NAMES
from airace_pipeline.warehouse.contract import BY_NAME, CONTRACT


def integrity_violations(conn: duckdb.DuckDBPyConnection, schema: str = "main") -> dict[str, int]:
    """Rule name -> number of violating rows (only rules that are violated are returned)."""
    problems: dict[str, int] = {}
    # Identifiers below come from the contract module; DuckDB cannot bind them as parameters.
    for table in CONTRACT:
        if table.primary_key:
            key = ", ".join(f'"{c}"' for c in table.primary_key)
            duplicates = conn.execute(
                f'SELECT count(*) FROM (SELECT {key} FROM {schema}."{table.name}" GROUP BY ALL HAVING count(*) > 1)'
            ).fetchone()[0]
            if duplicates:
                problems[f"{table.name}: duplicate key ({key})"] = duplicates
        for column, ref_table, ref_column in table.foreign_keys:
            dangling = conn.execute(
                f'SELECT count(*) FROM {schema}."{table.name}" AS t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM {schema}."{ref_table}" AS r WHERE r."{ref_column}" = t."{column}")'
            ).fetchone()[0]
            if dangling:
                problems[f"{table.name}.{column} -> {ref_table}.{ref_column}"] = dangling
    for fact_table in FACT_TABLE_NAMES:
        id_column = BY_NAME[fact_table].primary_key[0]
        orphans = conn.execute(
            f"SELECT count(*) FROM {schema}.evidence AS e WHERE e.fact_table = ? AND NOT EXISTS "
            f'(SELECT 1 FROM {schema}."{fact_table}" AS f WHERE f."{id_column}" = e.fact_id)',
            [fact_table],
        ).fetchone()[0]
        if orphans:
            problems[f"evidence -> {fact_table}"] = orphans
        unevidenced = conn.execute(
            f'SELECT count(*) FROM {schema}."{fact_table}" AS f WHERE NOT EXISTS '
            f'(SELECT 1 FROM {schema}.evidence AS e WHERE e.fact_table = ? AND e.fact_id = f."{id_column}")',
            [fact_table],
        ).fetchone()[0]
        if unevidenced:
            problems[f"{fact_table} without evidence"] = unevidenced
    return problems
