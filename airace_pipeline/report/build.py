"""`build_report`: the published file in, the report folder out. What the Dagster asset and `make report`
call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from airace_pipeline.report import charts, links, queries, topics
from airace_pipeline.report.facts import Limits
from airace_pipeline.report.health import health
from airace_pipeline.report.render import render_files, replace_folder
from airace_pipeline.report.views import ChartView, Table, TopicPage
from airace_pipeline.warehouse.publish import open_published


class PublishedFileMissing(FileNotFoundError):
    """There is nothing to report on yet."""


@dataclass(frozen=True)
class BuiltReport:
    index: Path
    pages: int
    charts: int
    facts: int  # facts listed with their evidence
    run_id: str | None


def build_report(published: Path, folder: Path, limits: Limits | None = None) -> BuiltReport:
    """Render the report of `published` into `folder`, replacing the previous report in one step."""
    limits = limits or Limits()
    if not published.exists():
        raise PublishedFileMissing(f"{published} does not exist yet; run `make run` first")
    with open_published(published) as conn:
        fact_topics = [
            topics.investments(conn, limits),
            topics.alliances(conn, limits),
            topics.incidents(conn, limits),
            topics.policies(conn, limits),
        ]
        health_page, quarantine_page = health(conn, limits)
        counts = dict(queries.row_counts(conn))
        run = queries.latest_run(conn)
    facts = pd.concat([t.facts for t in fact_topics], ignore_index=True)
    topic_pages = [overview(facts, counts), *(t.page for t in fact_topics), health_page]
    fact_pages = [page for t in fact_topics for page in t.fact_pages] + [quarantine_page]
    context = {
        "published_file": str(published),
        "run_id": run[0] if run else None,
        "published_at": run[1] if run else None,
    }
    replace_folder(folder, lambda staging: render_files(staging, topic_pages, fact_pages, context))
    return BuiltReport(
        index=folder / "index.html",
        pages=len(topic_pages) + len(fact_pages),
        charts=sum(chart.spec is not None for page in topic_pages for chart in page.charts),
        facts=len(facts),
        run_id=context["run_id"],
    )


def overview(facts: pd.DataFrame, counts: dict[str, int]) -> TopicPage:
    """The front page: how many facts of each kind, and when they happened."""
    per_year = (
        facts.assign(year=facts["date"].map(links.year_of))
        .groupby(["year", "fact_table"], as_index=False)
        .agg(facts=("fact_id", "count"))
        .assign(
            href=lambda f: [links.fact_page(t, y) for t, y in zip(f["fact_table"], f["year"], strict=True)]
        )
    )
    kinds = ("investments", "alliances", "incidents", "policies")
    return TopicPage(
        path="index.html",
        title="Overview",
        intro=(
            "Investments, alliances, incidents and policies of the global AI race, as the pipeline read them "
            "from the documents. Every bar, point and row leads to the facts behind it and the sentence each "
            "was read from, highlighted in its document with the title, source and URL. The report is "
            "rebuilt after every publication and opens from the file system with no network."
        ),
        charts=[
            ChartView(
                "facts_per_year",
                "Facts per year",
                "By announcement or occurrence date; a segment leads to that year's facts.",
                None
                if per_year.empty
                else charts.stacked_bars(
                    per_year,
                    x="year",
                    x_title="year",
                    value="facts",
                    value_title="facts",
                    colour="fact_table",
                    colour_title="table",
                    tooltip=[("year:O", "year"), ("fact_table:N", "table"), ("facts:Q", "facts")],
                ),
                empty="The published file holds no facts yet.",
            )
        ],
        tables=[
            (
                "Facts",
                Table(
                    ["table", "rows"],
                    [[k, f"{counts.get(k, 0):,}"] for k in (*kinds, "documents", "evidence")],
                    [*(f"{k}.html" for k in kinds), "health.html", "health.html"],
                ),
            )
        ],
    )
