"""Checks a publication must pass before readers see it, as SQL that counts violations.

Integrity (keys unique, foreign keys resolve, every fact has evidence) holds the tables to the contract's
rules; row conservation compares a staged file with the working tables it was built from, because an
incremental publication starts from a copy of the previous file and trusts it: a row that the copy kept
and should not have (or lost) shows there, whatever its keys. Used by publication on the staged file and
by the tests, so both hold the tables to the same rules.
"""

from __future__ import annotations

import duckdb

from airace_pipeline.validation.schemas import FACT_TABLE_NAMES
from airace_pipeline.warehouse.contract import BY_NAME, CONTRACT, DOCUMENTS, Table

# `text` is left out of the documents' fingerprint: `content_sha256` is the SHA-256 of the text, set with it
# by every source, so the fingerprint covers the text without reading it (1.4 KB a row, a million rows).
DOCUMENT_KEY_COLUMNS = tuple(c for c in DOCUMENTS.column_names if c != "text")


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


def integrity_rule_count() -> int:
    """How many rules `integrity_violations` counts: a key per keyed table, each foreign key, and two per
    fact table (its evidence resolves, it has evidence); reported with a check that found none violated."""
    keys = sum(1 for table in CONTRACT if table.primary_key)
    return keys + sum(len(table.foreign_keys) for table in CONTRACT) + 2 * len(FACT_TABLE_NAMES)


def table_fingerprint(conn: duckdb.DuckDBPyConnection, schema: str, table: Table) -> tuple[int, int | None]:
    """A table's rows as a multiset: the count and the sum of the rows' 64-bit hashes.

    A sum of hashes, not an EXCEPT, because `quarantine` has no key and may hold equal rows.
    """
    columns = ", ".join(
        f'"{c}"' for c in (DOCUMENT_KEY_COLUMNS if table is DOCUMENTS else table.column_names)
    )
    count, total = conn.execute(
        f'SELECT count(*), sum(hash({columns})::HUGEINT) FROM {schema}."{table.name}"'
    ).fetchone()
    return count, None if total is None else int(total)


def conservation_mismatches(conn: duckdb.DuckDBPyConnection, published: str, working: str) -> dict[str, str]:
    """Contract table -> how its rows in `published` differ from `working` (only tables that differ).

    Both are schema qualifiers (`"catalog".main`). Equal counts with unequal hashes mean rows changed
    content; the message gives both counts either way.
    """
    problems: dict[str, str] = {}
    for table in CONTRACT:
        (out_rows, out_hash) = table_fingerprint(conn, published, table)
        (in_rows, in_hash) = table_fingerprint(conn, working, table)
        if out_rows != in_rows:
            problems[table.name] = f"{out_rows} rows in the staged file, {in_rows} in the working tables"
        elif out_hash != in_hash:
            problems[table.name] = f"{out_rows} rows on both sides, but their content differs"
    return problems
