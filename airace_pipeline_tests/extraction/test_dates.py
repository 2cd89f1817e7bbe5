from __future__ import annotations

import datetime as dt

import pytest

from airace_pipeline.extraction.dates import DateMatcher

MATCHER = DateMatcher()
REFERENCE = dt.date(2025, 1, 23)  # a Thursday


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("on 21 January 2025", dt.date(2025, 1, 21), "day"),
        ("on January 21, 2025", dt.date(2025, 1, 21), "day"),
        ("on Jan. 21, 2025", dt.date(2025, 1, 21), "day"),
        ("dated 2025-01-21", dt.date(2025, 1, 21), "day"),
        ("in March 2023", dt.date(2023, 3, 1), "month"),
        ("in 2019", dt.date(2019, 1, 1), "year"),
        ("on Tuesday", dt.date(2025, 1, 21), "day"),
        ("on Thursday", dt.date(2025, 1, 23), "day"),
        ("yesterday", dt.date(2025, 1, 22), "day"),
        ("last week", dt.date(2025, 1, 16), "day"),
        ("last month", dt.date(2024, 12, 1), "month"),
        ("last year", dt.date(2024, 1, 1), "year"),
        ("on 30 October", dt.date(2024, 10, 30), "day"),
        ("on 20 January", dt.date(2025, 1, 20), "day"),
        ("in December", dt.date(2024, 12, 1), "month"),
    ],
)
def test_dates(text: str, date: dt.date, precision: str) -> None:
    [found] = MATCHER.find(text, REFERENCE)
    assert (found.date, found.precision) == (date, precision)


@pytest.mark.parametrize(
    "text", ["by 2030", "entered into force on 1 August 2024", "since 2019", "until 2030"]
)
def test_targets_are_flagged(text: str) -> None:
    [found] = MATCHER.find(text, REFERENCE)
    assert found.is_target


def test_event_dates_are_flagged() -> None:
    [found] = MATCHER.find("President Joe Biden signed it on October 30, 2023", REFERENCE)
    assert found.is_event and found.date == dt.date(2023, 10, 30)


def test_no_relative_dates_without_reference() -> None:
    assert MATCHER.find("on Tuesday", None) == []
    assert MATCHER.find("on 21 January 2025", None)[0].date == dt.date(2025, 1, 21)


def test_invalid_dates_are_ignored() -> None:
    assert MATCHER.find("on 31 February 2025", REFERENCE) == []
