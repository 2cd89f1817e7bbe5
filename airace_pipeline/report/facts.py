"""The pages a chart mark leads to: facts with the sentences that state them, grouped as the mark was.

Every fact has one home, the page of its table and year, where it has its own anchor; a bar standing for
a group (a country's investments in a year, a recipient, a focus area) links to a section listing that
group's facts with their evidence, so a click on any mark reaches sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import pandas as pd

from airace_pipeline.report import links
from airace_pipeline.report.views import EvidenceView, FactPage, FactView, Section, present


@dataclass(frozen=True)
class Limits:
    """Caps that keep the report's files small on a large warehouse; pages say when they apply."""

    max_facts: int = 2000  # most recent facts per table shown in charts and listings
    evidence_per_fact: int = 3  # sentences shown per fact (earliest documents first)


def fact_views(
    rows: pd.DataFrame,
    evidence: dict[str, tuple[list[EvidenceView], int]],
    heading: Callable[[dict], str],
    details: Callable[[dict], list[tuple[str, str]]],
    *,
    table: str,
    date_column: str,
) -> dict[str, FactView]:
    views = {}
    for row in rows.to_dict("records"):
        shown, more = evidence.get(row["fact_id"], ([], 0))
        home = links.fact_href(table, row[date_column], row["fact_id"]).removeprefix(f"{links.FACTS_DIR}/")
        views[row["fact_id"]] = FactView(row["fact_id"], heading(row), details(row), shown, more, home)
    return views


def year_pages(
    table: str,
    noun: str,
    rows: pd.DataFrame,
    views: dict[str, FactView],
    *,
    date_column: str,
    group_column: str | None,
    group_heading: Callable[[object], str] = str,
    note: str = "",
) -> list[FactPage]:
    """One page per year of a table's facts (newest first), in sections by `group_column`, each fact
    with its own anchor: where points link to, and bars for a (year, group) pair."""
    frame = rows.assign(_year=rows[date_column].map(links.year_of))
    pages = []
    for year, of_year in frame.groupby("_year", sort=True):
        if group_column is None:
            sections = [Section("all", f"{noun.capitalize()}, {year}", _ordered(of_year, date_column, views))]
        else:
            sections = [
                Section(links.group_anchor(key), group_heading(key), _ordered(group, date_column, views))
                for key, group in of_year.groupby(of_year[group_column].fillna("unknown"), sort=True)
            ]
        pages.append(
            FactPage(
                path=links.fact_page(table, str(year)),
                title=f"{noun.capitalize()}, {year}",
                sections=sections,
                note=note,
                fact_anchors=True,
            )
        )
    return pages


def _ordered(rows: pd.DataFrame, date_column: str, views: dict[str, FactView]) -> list[FactView]:
    ordered = rows.sort_values([date_column, "fact_id"], ascending=[False, True], na_position="last")
    return [views[fact_id] for fact_id in ordered["fact_id"]]


def grouped_page(
    path: str,
    title: str,
    groups: Iterable[tuple[tuple[object, ...], str, list[str]]],
    views: dict[str, FactView],
    note: str = "",
) -> FactPage:
    """A page of sections, one per (key, heading, fact ids); a fact may appear in several sections, so
    each shows its first sentence only and links to its full entry (which keeps such pages small)."""
    sections = [
        Section(links.group_anchor(*key), heading, [_brief(views[f]) for f in fact_ids if f in views])
        for key, heading, fact_ids in groups
    ]
    return FactPage(path=path, title=title, sections=sections, note=note)


def _brief(view: FactView) -> FactView:
    hidden = len(view.evidence[1:])
    return replace(view, evidence=view.evidence[:1], more_evidence=view.more_evidence + hidden)


def cap_note(shown: int, total: int, noun: str) -> str:
    if shown >= total:
        return ""
    return (
        f"Showing the {shown:,} most recent of {total:,} {noun}: charts and listings cover those "
        "(the report's max_facts setting); query the published file for the rest."
    )


def label(*candidates: object, fallback: str) -> str:
    return next((str(c) for c in candidates if present(c) and str(c)), fallback)
