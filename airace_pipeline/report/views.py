"""What the templates show: plain dataclasses of strings, built from query rows.

The templates only lay these out (Jinja autoescapes every value), so formatting a number or cutting a
context window happens once, here, where it can be tested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class EvidenceView:
    """One sentence stating a fact, in its document's words, with the text around it."""

    title: str
    source: str
    url: str
    published_on: str
    certainty: str
    before: str
    sentence: str
    after: str


@dataclass(frozen=True)
class FactView:
    fact_id: str
    heading: str
    details: list[tuple[str, str]]
    evidence: list[EvidenceView]
    more_evidence: int  # evidence rows not shown (a fact told by many documents)
    home: str = ""  # the fact's own entry, relative to the fact pages' folder


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    facts: list[FactView]


@dataclass(frozen=True)
class FactPage:
    """A page of facts with their evidence. `fact_anchors` gives each fact its own anchor, which only a
    page listing every fact once can do (the year pages); pages grouping facts otherwise link to those."""

    path: str
    title: str
    sections: list[Section]
    note: str = ""
    fact_anchors: bool = False


@dataclass(frozen=True)
class ChartView:
    name: str
    title: str
    caption: str
    spec: dict | None  # None when there is nothing to draw; `empty` says so instead
    empty: str = ""


@dataclass
class Table:
    """A small table of figures; `links` holds each row's target (or "")."""

    columns: list[str]
    rows: list[list[str]]
    links: list[str] = field(default_factory=list)


@dataclass
class TopicPage:
    path: str
    title: str
    intro: str
    charts: list[ChartView] = field(default_factory=list)
    tables: list[tuple[str, Table]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def present(value: object) -> bool:
    if value is None:
        return False
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array (focus areas) is present
        return True


def day(value: object) -> str:
    return pd.Timestamp(value).date().isoformat() if present(value) else "no date"


def stated(amount: object, currency: object, upper_bound: object = False) -> str:
    """An amount as the source stated it, e.g. `up to 600,000,000 EUR`."""
    if not present(amount):
        return "undisclosed"
    prefix = "up to " if present(upper_bound) and bool(upper_bound) else ""
    return f"{prefix}{float(amount):,.0f} {currency if present(currency) else ''}".rstrip()


def usd(amount_usd: object, fx_rate_date: object = None, stale: object = False) -> str:
    """A dollar figure with the day of the ECB rate behind it, flagged when that rate is stale."""
    if not present(amount_usd):
        return "no USD value"
    text = f"${float(amount_usd):,.0f}"
    if present(fx_rate_date):
        text += f" (ECB rate of {day(fx_rate_date)}{', stale' if present(stale) and stale else ''})"
    return text


def _trim_before(text: str, cut: bool) -> str:
    """The context before a sentence; when the document goes on before it, from a word boundary."""
    if not cut:
        return text
    space = text.find(" ")
    return "…" + (text[space + 1 :] if space >= 0 else text)


def _trim_after(text: str, cut: bool) -> str:
    if not cut:
        return text
    space = text.rfind(" ")
    return (text[:space] if space > 0 else text) + "…"


def evidence_by_fact(rows: pd.DataFrame) -> dict[str, tuple[list[EvidenceView], int]]:
    """Evidence rows grouped per fact, with how many more the fact has than are shown."""
    grouped: dict[str, list[EvidenceView]] = defaultdict(list)
    totals: dict[str, int] = {}
    for row in rows.itertuples(index=False):
        grouped[row.fact_id].append(
            EvidenceView(
                title=row.title if present(row.title) else "(untitled document)",
                source=row.source if present(row.source) else "",
                url=row.url if present(row.url) else "",
                published_on=day(row.published_on),
                certainty=row.certainty,
                before=_trim_before(row.before or "", bool(row.before_cut)),
                sentence=row.sentence,
                after=_trim_after(row.after or "", bool(row.after_cut)),
            )
        )
        totals[row.fact_id] = int(row.evidence_total)
    return {k: (v, totals[k] - len(v)) for k, v in grouped.items()}


def names_with_roles(rows: pd.DataFrame, name_columns: Iterable[str]) -> dict[str, str]:
    """Per fact, its parties as `Name (role)`, the first present name column naming each party."""
    columns = list(name_columns)
    parties: dict[str, list[str]] = defaultdict(list)
    for row in rows.to_dict("records"):
        name = next((row[c] for c in columns if present(row.get(c))), None) or "unknown"
        parties[row["fact_id"]].append(f"{name} ({row['role']})")
    return {k: ", ".join(v) for k, v in parties.items()}
