"""Where each fact and each group of facts lives in the report, so every chart mark and table row can link
to it. All paths are relative to the report's folder: the report opens from the file system, anywhere."""

from __future__ import annotations

import re

import pandas as pd

FACTS_DIR = "facts"
UNDATED = "undated"


def slug(value: object) -> str:
    """An anchor-safe form of a group's key (a country code, an organisation id, a reason)."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def year_of(day: object) -> str:
    """The year a fact is filed under (its page), `undated` when it has no date."""
    return UNDATED if day is None or pd.isna(day) else str(pd.Timestamp(day).year)


def fact_page(table: str, year: str) -> str:
    """The page listing a table's facts of one year, each with its evidence."""
    return f"{FACTS_DIR}/{table}-{year}.html"


def fact_href(table: str, day: object, fact_id: str) -> str:
    return f"{fact_page(table, year_of(day))}#{fact_id}"


def group_page(name: str) -> str:
    """A page of facts grouped another way than by year (by recipient, by focus area, ...)."""
    return f"{FACTS_DIR}/{name}.html"


def group_anchor(*key: object) -> str:
    """The anchor of one group on a page: its key's parts, slugged and joined."""
    return "--".join(slug(k) for k in key)


def group_href(page: str, *key: object) -> str:
    return f"{page}#{group_anchor(*key)}"
