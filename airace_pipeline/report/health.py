"""The data-health page: row counts, stage conservation, quarantine by stage and reason, and the dates of
the exchange rates behind the dollar figures; each row or mark leads to the rows it counts."""

from __future__ import annotations

import duckdb
import pandas as pd

from airace_pipeline.report import charts, links, queries
from airace_pipeline.report.facts import Limits, cap_note
from airace_pipeline.report.views import (
    ChartView,
    FactPage,
    FactView,
    Section,
    Table,
    TopicPage,
    day,
    present,
)

QUARANTINE_PAGE = links.group_page("quarantine")
TOPIC_PAGES = {t: f"{t}.html" for t in ("investments", "alliances", "incidents", "policies")}


def health(conn: duckdb.DuckDBPyConnection, limits: Limits) -> tuple[TopicPage, FactPage]:
    counts = queries.row_counts(conn)
    stages = queries.stage_counts(conn)
    by_reason = queries.quarantine_by_reason(conn)
    quarantined = queries.quarantine_rows(conn, limits.max_facts)
    rates = queries.fx_rate_dates(conn, limits.max_facts)

    row_table = Table(
        ["table", "rows"],
        [[name, f"{n:,}"] for name, n in counts],
        [TOPIC_PAGES.get(name, QUARANTINE_PAGE if name == "quarantine" else "") for name, _ in counts],
    )
    stage_table = Table(
        ["stage", "rows in", "rows out", "quarantined", "in = out + quarantined"],
        [
            [
                r.stage,
                f"{r.rows_in:,}",
                f"{r.rows_out:,}",
                f"{r.rows_quarantined:,}",
                "yes" if r.conserved else "NO",
            ]
            for r in stages.itertuples(index=False)
        ],
        [links.group_href(QUARANTINE_PAGE, r) for r in stages["stage"]],
    )
    rates = rates.assign(
        rate_age_days=lambda f: (pd.to_datetime(f["fact_date"]) - pd.to_datetime(f["fx_rate_date"])).dt.days,
        stale=lambda f: f["fx_rate_stale"].map(lambda s: "stale" if present(s) and s else "fresh"),
        href=lambda f: [
            links.fact_href(t, d, i)
            for t, d, i in zip(f["fact_table"], f["fact_date"], f["fact_id"], strict=True)
        ],
    )
    rate_table = Table(
        ["table", "USD conversions", "oldest rate", "newest rate", "stale rates"],
        [
            [
                table,
                f"{len(g):,}",
                day(g["fx_rate_date"].min()),
                day(g["fx_rate_date"].max()),
                f"{(g['stale'] == 'stale').sum():,}",
            ]
            for table, g in rates.groupby("fact_table")
        ],
        [TOPIC_PAGES[table] for table, _ in rates.groupby("fact_table")],
    )
    reasons = by_reason.assign(href=lambda f: [links.group_href(QUARANTINE_PAGE, s) for s in f["stage"]])
    page = TopicPage(
        path="health.html",
        title="Data health",
        intro=(
            "What the published file holds and what it does not: rows per table, rows in and out of each "
            "stage, what was quarantined and why, and how old the exchange rates behind the dollar figures "
            "are. Nothing is dropped silently: every stage's rows in equal its rows out plus quarantined."
        ),
        charts=[
            ChartView(
                "quarantine_by_stage",
                "Quarantine by stage and reason",
                "Rows set aside, per stage, coloured by reason; a bar leads to the rows.",
                None
                if reasons.empty
                else charts.stacked_bars(
                    reasons,
                    x="stage",
                    x_title="stage",
                    value="rows",
                    value_title="rows quarantined",
                    colour="reason",
                    colour_title="reason",
                    tooltip=[
                        ("stage:N", "stage"),
                        ("table_name:N", "table"),
                        ("reason:N", "reason"),
                        ("rows:Q", "rows"),
                    ],
                    x_type="N",
                ),
                empty="Nothing is quarantined: every file, document and mention was loaded.",
            ),
            ChartView(
                "fx_rate_dates",
                "Exchange-rate dates",
                "Days between each fact and the ECB rate used to convert it (0: the same day; weekends and "
                "holidays use the previous business day). Stale rates are more than 7 days older.",
                None if rates.empty else charts.fx_rate_ages(rates),
                empty="No amount was converted to US dollars.",
            ),
        ],
        tables=[
            ("Rows per table", row_table),
            ("Stage conservation", stage_table),
            ("Exchange-rate dates", rate_table),
        ],
    )
    return page, _quarantine_page(quarantined, stages)


def _quarantine_page(quarantined: queries.Counted, stages: pd.DataFrame) -> FactPage:
    rows = quarantined.rows
    sections = []
    for stage in dict.fromkeys([*stages["stage"], *rows["stage"]]):
        of_stage = rows[rows["stage"] == stage]
        sections.append(
            Section(
                links.group_anchor(stage),
                f"Stage {stage}: {len(of_stage):,} rows" + ("" if len(of_stage) else " (none quarantined)"),
                [_quarantined_view(i, r) for i, r in enumerate(of_stage.to_dict("records"))],
            )
        )
    return FactPage(
        path=QUARANTINE_PAGE,
        title="Quarantine",
        sections=sections,
        note=cap_note(len(rows), quarantined.total, "quarantined rows"),
    )


def _quarantined_view(number: int, row: dict) -> FactView:
    details = [
        ("table", row["table_name"] or "unknown"),
        ("reason", row["reason"]),
        ("record", row["record"]),
    ]
    if present(row["title"]):
        source = f" ({row['source']})" if present(row["source"]) else ""
        details.append(("document", f"{row['title']}{source}"))
    if present(row["url"]):
        details.append(("URL", row["url"]))
    details.append(("quarantined at", str(row["quarantined_at"])))
    return FactView(f"q{number}", row["reason_group"], details, [], 0)
