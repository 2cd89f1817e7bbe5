"""Dates in running text, absolute or relative to the document's publication date.

Hand-written rather than dateparser: we need the offsets of every date in a sentence, its precision
(day/month/year) and a few news conventions ("on Tuesday" = the latest Tuesday not after publication),
and dateparser's search mode is slow and guesses bare numbers as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from airace_pipeline.extraction.model import DatePrecision
from airace_pipeline.reference.patterns import lazy_compile

_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    "Monday": 0,
    "Tuesday": 1,
    "Wednesday": 2,
    "Thursday": 3,
    "Friday": 4,
    "Saturday": 5,
    "Sunday": 6,
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"

# Words before a date that make it a target or a deadline rather than when the fact happened.
_TARGET_BEFORE = lazy_compile(
    r"(?:\bby|\buntil|\btill|\bthrough|\bbefore|\bdeadline\w*|\bend\s+of|\bfrom|\bstarting|\bbeginning|"
    r"\beffective|\bapply\w*\s+(?:from|on|as\s+of)|\bforce\s+on|\bforce\s+in|\beffect\s+on|\beffect\s+in|"
    r"\bexpires?|\bto|\bthrough\s+to|\bentered\s+into\s+force\s+on|\bentering\s+into\s+force\s+(?:on|in)|"
    r"\bwill\s+\w+\s+(?:on|in)|\bscheduled\s+for|\bdue)\s*(?:the\s+)?(?:on\s+|in\s+)?$",
    re.IGNORECASE,
)
# Event words before a date that make it the fact's own date.
_EVENT_BEFORE = lazy_compile(
    r"\b(?:signed|adopted|issued|announced|unveiled|published|approved|passed|released|launched|enacted|"
    r"revoked|rescinded|agreed|formed|founded|raised|closed|disclosed|filed|fined|opened|introduced|"
    r"declared|endorsed|established|leaked|confirmed|said|revealed|reported)\b[^.;]{0,30}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: dt.date
    precision: DatePrecision
    is_relative: bool = False
    is_target: bool = False
    is_event: bool = False


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class DateMatcher:
    """Find dates; compile once and reuse."""

    def __init__(self) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = [
            ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")),
            ("dmy", re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH}),?\s+(?P<y>{_YEAR})\b")),
            ("mdy", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b")),
            (
                "my",
                re.compile(rf"\b(?:(?:early|mid|late)[- ])?(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
            ),
            ("dm", re.compile(rf"\b(?P<d>{_DAY})\s+(?P<mon>{_MONTH})(?!\w)(?!,?\s+\d)")),
            ("md", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>{_DAY})\b(?!,?\s+\d{{4}})(?![\d,.]\d)")),
            (
                "m",
                re.compile(
                    r"\b(?P<rel>last|this|next|in|since|earlier\s+this|from|by|until|early|late|mid-)\s*"
                    rf"(?P<mon>{_MONTH})(?!\w)(?!,?\s+(?:\d|of\s+\d))"
                ),
            ),
            (
                "y",
                re.compile(
                    # "In 2021, Chile launched ...": a sentence may open on the preposition.
                    r"\b(?P<prep>in|In|since|Since|during|During|of|from|From|until|by|By|through|early|Early|late|"
                    rf"Late|mid-|throughout|before|Before|after|After)\s*(?:the\s+year\s+)?(?P<y>{_YEAR})\b(?![-/]\d)"
                ),
            ),
            (
                "y_adj",
                re.compile(
                    rf"(?<![\w$€£-])(?P<y>{_YEAR})(?=\s+(?:executive\s+order|act|law|strategy|plan|"
                    r"declaration|summit|deal|agreement|round|investment|pact|budget|announcement)\b)",
                    re.IGNORECASE,
                ),
            ),
            (
                "weekday",
                re.compile(
                    r"\b(?:on\s+|last\s+|this\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|"
                    r"Saturday|Sunday)\b"
                ),
            ),
            (
                "rel",
                re.compile(
                    r"\b(?P<rel>today|yesterday|last\s+week|last\s+month|last\s+year|this\s+week|"
                    r"this\s+month|this\s+year|earlier\s+this\s+(?:week|month|year)|"
                    r"earlier\s+today)\b",
                    re.IGNORECASE,
                ),
            ),
        ]

    def find(self, text: str, reference: dt.date | None) -> list[DateMention]:
        """Return dates left to right, without overlaps (the most specific pattern wins)."""
        found: list[DateMention] = []
        taken: list[tuple[int, int]] = []
        for kind, pattern in self._patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < b and a < end for a, b in taken):
                    continue
                resolved = self._resolve(kind, match, reference)
                if resolved is None:
                    if kind in ("iso", "dmy", "mdy"):
                        taken.append((start, end))  # "31 February 2025" is no date, not "February 2025"
                    continue
                date, precision, relative = resolved
                before = text[max(0, start - 40) : start]
                own_prep = match.groupdict().get("prep") or match.groupdict().get("rel") or ""
                is_target = bool(_TARGET_BEFORE.search(before)) or own_prep.lower() in (
                    "by",
                    "until",
                    "through",
                )
                if own_prep.lower() == "from" and kind in ("y", "m"):
                    is_target = True
                is_event = bool(_EVENT_BEFORE.search(before))
                if kind == "y" and own_prep.lower() in ("since", "before", "after"):
                    is_target = True  # "since 2019" dates a state, not this fact.
                clause = text[text.rfind(",", 0, start) + 1 : start]
                if re.search(r"\b(?:that|which|who|whose)\b", clause) and text[end : end + 1] == ",":
                    is_target = True  # "the model that Meta announced in February 2023, has leaked": an aside
                taken.append((start, end))
                found.append(DateMention(start, end, date, precision, relative, is_target, is_event))
        found.sort(key=lambda mention: mention.start)
        return found

    def _resolve(
        self, kind: str, match: re.Match[str], reference: dt.date | None
    ) -> tuple[dt.date, DatePrecision, bool] | None:
        groups = match.groupdict()
        month = _MONTHS.get((groups.get("mon") or "").rstrip(".")) if groups.get("mon") else None
        day = int(re.sub(r"\D", "", groups["d"])) if groups.get("d") else None
        year = int(groups["y"]) if groups.get("y") else None
        if kind == "iso":
            date = _safe_date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
            return (date, "day", False) if date else None
        if kind in ("dmy", "mdy") and month and day and year:
            date = _safe_date(year, month, day)
            return (date, "day", False) if date else None
        if kind == "my" and month and year:
            return dt.date(year, month, 1), "month", False
        if kind in ("y", "y_adj") and year:
            return dt.date(year, 1, 1), "year", False
        if reference is None:
            return None
        if kind in ("dm", "md") and month and day:
            # A day and month without a year: the latest such date not after publication (news reports
            # the past), unless that is more than ~10 months back and the next one is near.
            date = _safe_date(reference.year, month, day)
            if date is None:
                return None
            if date > reference + dt.timedelta(days=60):
                date = _safe_date(reference.year - 1, month, day)
            return (date, "day", True) if date else None
        if kind == "m" and month:
            relation = (groups.get("rel") or "").lower()
            year_guess = reference.year
            if relation == "last" or (relation not in ("next", "by", "until") and month > reference.month):
                year_guess -= 1 if month >= reference.month or relation == "last" else 0
            if relation in ("next", "by", "until") and month < reference.month:
                year_guess += 1
            if relation in ("in", "since", "earlier this", "early", "late", "mid-", "this", "from") and (
                month <= reference.month
            ):
                year_guess = reference.year
            return dt.date(year_guess, month, 1), "month", True
        if kind == "weekday":
            weekday = _WEEKDAYS[groups["wd"]]
            delta = (reference.weekday() - weekday) % 7
            if match.group().lower().startswith("last") and delta == 0:
                delta = 7
            return reference - dt.timedelta(days=delta), "day", True
        if kind == "rel":
            relation = re.sub(r"\s+", " ", groups["rel"].lower())
            if relation in ("today", "earlier today"):
                return reference, "day", True
            if relation == "yesterday":
                return reference - dt.timedelta(days=1), "day", True
            if relation == "last week":
                return reference - dt.timedelta(days=7), "day", True
            if relation in ("this week", "earlier this week"):
                return reference, "day", True
            if relation == "last month":
                previous = reference.replace(day=1) - dt.timedelta(days=1)
                return previous.replace(day=1), "month", True
            if relation in ("this month", "earlier this month"):
                return reference.replace(day=1), "month", True
            if relation == "last year":
                return dt.date(reference.year - 1, 1, 1), "year", True
            if relation in ("this year", "earlier this year"):
                return dt.date(reference.year, 1, 1), "year", True
        return None
