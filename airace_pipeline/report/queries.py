"""The SQL the report runs on the published file: one function per question, parameterised values only.

Everything reads the published file through a read-only connection, so the report can be built while a
reader (or another report build) has the file open, and never changes what it reads. Table and column
names are constants of this module or of the contract, never input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from airace_pipeline.warehouse.contract import CONTRACT

# Characters of the document shown on each side of an evidence sentence, so a reader sees it in context.
CONTEXT_CHARS = 200


def _frame(conn: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    return conn.execute(sql, list(params)).df()


@dataclass(frozen=True)
class Counted:
    """A capped selection of rows and how many there are in all, so a page can say what it leaves out."""

    rows: pd.DataFrame
    total: int

    @property
    def capped(self) -> bool:
        return len(self.rows) < self.total


def _count(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def investments(conn: duckdb.DuckDBPyConnection, limit: int) -> Counted:
    """The most recent `limit` investments, with the recipient's name and the stated and USD amounts."""
    rows = _frame(
        conn,
        """
        SELECT i.investment_id AS fact_id, i.announced_on, i.name, i.recipient_id,
               o.name AS recipient, i.country_code, i.amount, i.currency, i.amount_usd, i.is_upper_bound,
               i.kind, i.round_type, i.certainty, i.fx_rate_date, i.fx_rate_stale, i.evidence_count
        FROM investments i LEFT JOIN organisations o ON o.organisation_id = i.recipient_id
        ORDER BY i.announced_on DESC NULLS LAST, i.investment_id
        LIMIT ?
        """,
        [limit],
    )
    return Counted(rows, _count(conn, "SELECT count(*) FROM investments"))


def investment_parties(conn: duckdb.DuckDBPyConnection, fact_ids: Sequence[str]) -> pd.DataFrame:
    """Investors and funders of the given investments, by name and role."""
    return _frame(
        conn,
        """
        SELECT p.investment_id AS fact_id, p.organisation_id, o.name AS organisation, p.role
        FROM investment_participants p JOIN organisations o USING (organisation_id)
        WHERE p.investment_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY p.investment_id, p.role, o.name
        """,
        [list(fact_ids)],
    )


def alliances(conn: duckdb.DuckDBPyConnection, limit: int) -> Counted:
    """The most recent `limit` alliances with their focus areas and any committed money."""
    rows = _frame(
        conn,
        """
        SELECT alliance_id AS fact_id, name, announced_on, focus_areas, committed_amount,
               committed_currency, committed_amount_usd, certainty, fx_rate_date, fx_rate_stale,
               evidence_count
        FROM alliances
        ORDER BY announced_on DESC NULLS LAST, alliance_id
        LIMIT ?
        """,
        [limit],
    )
    return Counted(rows, _count(conn, "SELECT count(*) FROM alliances"))


def alliance_members(conn: duckdb.DuckDBPyConnection, fact_ids: Sequence[str]) -> pd.DataFrame:
    """Members of the given alliances: an organisation (with its country) or a country as such."""
    return _frame(
        conn,
        """
        SELECT m.alliance_id AS fact_id, m.organisation_id, o.name AS organisation, m.country_code,
               c.name AS country, m.role
        FROM alliance_members m
        LEFT JOIN organisations o ON o.organisation_id = m.organisation_id
        LEFT JOIN countries c ON c.country_code = m.country_code
        WHERE m.alliance_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY m.alliance_id, m.role, o.name, m.country_code
        """,
        [list(fact_ids)],
    )


def incidents(conn: duckdb.DuckDBPyConnection, limit: int) -> Counted:
    """The most recent `limit` incidents."""
    rows = _frame(
        conn,
        """
        SELECT incident_id AS fact_id, incident_type, occurred_on, country_code, title, amount, currency,
               amount_usd, certainty, aiid_incident_id, fx_rate_date, fx_rate_stale, evidence_count
        FROM incidents
        ORDER BY occurred_on DESC NULLS LAST, incident_id
        LIMIT ?
        """,
        [limit],
    )
    return Counted(rows, _count(conn, "SELECT count(*) FROM incidents"))


def incident_actors(conn: duckdb.DuckDBPyConnection, fact_ids: Sequence[str]) -> pd.DataFrame:
    """Actors of the given incidents with their roles (developer, regulator, ...)."""
    return _frame(
        conn,
        """
        SELECT a.incident_id AS fact_id, a.organisation_id, o.name AS organisation, a.country_code,
               a.role
        FROM incident_actors a LEFT JOIN organisations o ON o.organisation_id = a.organisation_id
        WHERE a.incident_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY a.incident_id, a.role, o.name
        """,
        [list(fact_ids)],
    )


def policies(conn: duckdb.DuckDBPyConnection, limit: int) -> Counted:
    """The most recent `limit` policies with their status and identifiers."""
    rows = _frame(
        conn,
        """
        SELECT policy_id AS fact_id, title, jurisdiction_code, instrument_type, status, announced_on,
               revoked_on, eo_number, celex, fr_document_number, certainty, evidence_count
        FROM policies
        ORDER BY announced_on DESC NULLS LAST, policy_id
        LIMIT ?
        """,
        [limit],
    )
    return Counted(rows, _count(conn, "SELECT count(*) FROM policies"))


def evidence(
    conn: duckdb.DuckDBPyConnection, fact_table: str, fact_ids: Sequence[str], per_fact: int
) -> pd.DataFrame:
    """Up to `per_fact` evidence rows per fact (earliest documents first) with the document's title,
    source and URL, the sentence, the text around it (and whether the document goes on beyond that),
    and how many evidence rows the fact has in all."""
    return _frame(
        conn,
        """
        WITH chosen AS (
            SELECT e.*, d.title, d.source, d.url, d.published_on, d.text,
                   row_number() OVER (PARTITION BY e.fact_id
                                      ORDER BY d.published_on, e.document_id, e.span_start) AS n,
                   count(*) OVER (PARTITION BY e.fact_id) AS evidence_total
            FROM evidence e JOIN documents d USING (document_id)
            WHERE e.fact_table = ? AND e.fact_id IN (SELECT unnest(?::VARCHAR[]))
        )
        SELECT fact_id, document_id, title, source, url, published_on, certainty,
               substring(text, greatest(span_start - ?, 0) + 1, span_start - greatest(span_start - ?, 0))
                   AS before,
               substring(text, span_start + 1, span_end - span_start) AS sentence,
               substring(text, span_end + 1, ?) AS after,
               span_start > ? AS before_cut, length(text) - span_end > ? AS after_cut,
               evidence_total
        FROM chosen WHERE n <= ?
        ORDER BY fact_id, n
        """,
        [fact_table, list(fact_ids), *[CONTEXT_CHARS] * 5, per_fact],
    )


def row_counts(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Rows per contract table. Table names come from the contract, never from input (DuckDB cannot bind
    identifiers), as in `python -m airace_pipeline summary`."""
    return [(table.name, _count(conn, f'SELECT count(*) FROM main."{table.name}"')) for table in CONTRACT]


def stage_counts(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows in, out and quarantined per stage, as the publication recorded them."""
    return _frame(
        conn,
        """
        SELECT stage, rows_in, rows_out, rows_quarantined,
               rows_in = rows_out + rows_quarantined AS conserved
        FROM stage_counts ORDER BY CASE stage WHEN 'ingest' THEN 0 WHEN 'extract' THEN 1 ELSE 2 END, stage
        """,
    )


def quarantine_by_reason(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Quarantined rows per stage, table and reason (the reason's first line, cut to 120 characters,
    so that reasons differing only in the rejected value group together)."""
    return _frame(
        conn,
        """
        SELECT stage, coalesce(table_name, '') AS table_name,
               left(split_part(reason, chr(10), 1), 120) AS reason, count(*) AS rows
        FROM quarantine GROUP BY ALL ORDER BY rows DESC, stage, table_name, reason
        """,
    )


def quarantine_rows(conn: duckdb.DuckDBPyConnection, limit: int) -> Counted:
    """The most recent `limit` quarantined rows with the document they came from, when known."""
    rows = _frame(
        conn,
        """
        SELECT q.stage, coalesce(q.table_name, '') AS table_name,
               left(split_part(q.reason, chr(10), 1), 120) AS reason_group, q.reason,
               left(q.record, 2000) AS record, q.document_id, q.quarantined_at, d.title, d.source, d.url
        FROM quarantine q LEFT JOIN documents d USING (document_id)
        ORDER BY q.quarantined_at DESC, q.stage, q.document_id
        LIMIT ?
        """,
        [limit],
    )
    return Counted(rows, _count(conn, "SELECT count(*) FROM quarantine"))


def fx_rate_dates(conn: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    """Every USD conversion's fact date and ECB rate date (the most recent `limit` per table), to see how
    old the rates behind the dollar figures are."""
    return _frame(
        conn,
        """
        SELECT * FROM (
            (SELECT 'investments' AS fact_table, investment_id AS fact_id, announced_on AS fact_date,
                    currency, fx_rate_date, fx_rate_stale
             FROM investments WHERE fx_rate_date IS NOT NULL
             ORDER BY announced_on DESC NULLS LAST, investment_id LIMIT ?)
            UNION ALL
            (SELECT 'alliances', alliance_id, announced_on, committed_currency, fx_rate_date, fx_rate_stale
             FROM alliances WHERE fx_rate_date IS NOT NULL
             ORDER BY announced_on DESC NULLS LAST, alliance_id LIMIT ?)
            UNION ALL
            (SELECT 'incidents', incident_id, occurred_on, currency, fx_rate_date, fx_rate_stale
             FROM incidents WHERE fx_rate_date IS NOT NULL
             ORDER BY occurred_on DESC NULLS LAST, incident_id LIMIT ?)
        ) ORDER BY fact_table, fact_date, fact_id
        """,
        [limit, limit, limit],
    )


def latest_run(conn: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    """The run that wrote the file and when it published, to date the report."""
    row = conn.execute(
        "SELECT run_id, strftime(published_at, '%Y-%m-%d %H:%M UTC') FROM pipeline_runs "
        "ORDER BY published_at DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else None
