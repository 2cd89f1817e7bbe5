"""The labelled evaluation set guards extraction quality: no figure may fall below the committed baseline.

`make eval` prints the same figures with the worst misses; after an improvement,
`python -m airace_pipeline.evaluation --write-baseline` raises the floor (commit baseline.json with it).
"""

from __future__ import annotations

import pytest

from airace_pipeline.evaluation.baseline import (
    DEFAULT_BASELINE_PATH,
    evaluate,
    markdown_table,
    read_baseline,
    regressions,
)
from airace_pipeline.evaluation.cases import TABLES, load_cases
from airace_pipeline.evaluation.scoring import Scores
from airace_pipeline.paths import REPO_ROOT


@pytest.fixture(scope="module")
def scores() -> Scores:
    return evaluate()


def test_the_set_is_large_and_covers_the_hard_cases() -> None:
    cases = load_cases()
    assert len(cases) >= 200
    tags = {t for c in cases for t in c.tags}
    assert {
        "coreference",
        "multi_event",
        "boilerplate",
        "indian_units",
        "bound",
        "negation",
        "rumour",
        "forecast",
        "retrospective",
        "two_outlets",
    } <= tags
    assert {f.table for c in cases for f in c.facts} == set(TABLES)


def test_no_figure_below_the_committed_baseline(scores: Scores) -> None:
    assert regressions(scores.figures(), read_baseline(DEFAULT_BASELINE_PATH)) == []


def test_boilerplate_yields_no_fact_row(scores: Scores) -> None:
    assert scores.boilerplate_rows == 0, [m for m in scores.misses if m.kind == "spurious"]


def test_the_readme_shows_the_committed_figures() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table(read_baseline(DEFAULT_BASELINE_PATH)) in readme, (
        "README 'Extraction quality' is out of date: paste `python -m airace_pipeline.evaluation --markdown`"
    )
