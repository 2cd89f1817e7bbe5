"""The bootstrap intervals and the error causes printed beside the real-text figures."""

from __future__ import annotations

from airace_pipeline.evaluation.cases import GoldFact
from airace_pipeline.evaluation.intervals import bootstrap
from airace_pipeline.evaluation.predict import PredictedFact
from airace_pipeline.evaluation.scoring import CAUSES, Gold, _causes

TABLES = ("investments", "policies")


def _case(gold: int, predicted: int, correct: int) -> dict[str, list[int]]:
    return {"investments": [gold, predicted, correct], "policies": [0, 0, 0]}


def test_a_split_that_is_always_right_has_no_width() -> None:
    per_case = {f"c{i}": _case(2, 2, 2) for i in range(30)}
    intervals = bootstrap(per_case, TABLES, rounds=200)
    assert (intervals["investments"]["recall"].low, intervals["investments"]["recall"].high) == (1.0, 1.0)
    # A table with nothing to find and nothing found counts as right, as in the scorer.
    assert intervals["policies"]["precision"].low == 1.0


def test_the_interval_holds_the_figure_and_narrows_with_more_passages() -> None:
    # Half the passages find their one fact, half find nothing: recall 0.5.
    small = {f"c{i}": _case(1, i % 2, i % 2) for i in range(12)}
    large = {f"c{i}": _case(1, i % 2, i % 2) for i in range(240)}
    few = bootstrap(small, TABLES, rounds=400)["investments"]["recall"]
    many = bootstrap(large, TABLES, rounds=400)["investments"]["recall"]
    assert few.low < 0.5 < few.high and many.low < 0.5 < many.high
    assert many.high - many.low < (few.high - few.low) / 2
    # Seeded: the same report prints the same interval twice.
    assert bootstrap(small, TABLES, rounds=400)["investments"]["recall"] == few


def _gold(table: str) -> Gold:
    return Gold(GoldFact(table, None, None, None, None, None, "reported"), None, frozenset())


def _pred(table: str) -> PredictedFact:
    return PredictedFact(table, None, None, None, None, None, None, "reported", frozenset(), "s")


def test_errors_are_split_by_whether_the_table_was_triggered() -> None:
    pairs = [
        (_gold("investments"), None),  # no investment row at all in the passage
        (_gold("incidents"), None),  # an incident row exists, but it matched nothing
        (None, _pred("incidents")),  # ... and is itself spurious beside a gold incident
        (None, _pred("policies")),  # a policy row where the passage states none
        (_gold("alliances"), _pred("alliances")),  # matched: no error
    ]
    assert _causes(pairs) == [
        ("investments", CAUSES[0]),
        ("incidents", CAUSES[1]),
        ("incidents", CAUSES[3]),
        ("policies", CAUSES[2]),
    ]
