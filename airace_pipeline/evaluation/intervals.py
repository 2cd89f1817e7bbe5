"""How far a precision or recall on a few dozen passages can be trusted: a bootstrap over passages.

A real-text split is small (a table may have fifteen gold facts on test), so one passage read
differently moves a figure by several points. Resampling whole passages, not single facts, keeps the
facts of one page together: they share its wording and its outlet's style, so they are not independent
draws. The percentile interval is the plain textbook one; with counts this small a finer method would
suggest more precision than the data has.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ROUNDS = 2000
SEED = 20261207
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def _ratio(correct: int, total: int) -> float:
    # The scorer's convention: nothing predicted (or nothing to find) is a precision (recall) of 1.
    return correct / total if total else 1.0


def _percentiles(values: list[float]) -> Interval:
    ordered = sorted(values)
    tail = (1 - LEVEL) / 2
    return Interval(ordered[int(tail * len(ordered))], ordered[int((1 - tail) * len(ordered)) - 1])


def bootstrap(
    per_case: Mapping[str, Mapping[str, Sequence[int]]],
    tables: Sequence[str],
    rounds: int = ROUNDS,
    seed: int = SEED,
) -> dict[str, dict[str, Interval]]:
    """Per table, 95% intervals for precision and recall from `per_case` ([gold, predicted, correct] per
    case and table), resampling cases with replacement; seeded, so a report prints the same interval twice."""
    cases = sorted(per_case)
    rng = random.Random(seed)
    samples: dict[str, dict[str, list[float]]] = {t: {"precision": [], "recall": []} for t in tables}
    for _ in range(rounds):
        drawn = [per_case[cases[rng.randrange(len(cases))]] for _ in cases]
        for table in tables:
            gold = sum(c[table][0] for c in drawn)
            predicted = sum(c[table][1] for c in drawn)
            correct = sum(c[table][2] for c in drawn)
            samples[table]["precision"].append(_ratio(correct, predicted))
            samples[table]["recall"].append(_ratio(correct, gold))
    return {t: {name: _percentiles(values) for name, values in samples[t].items()} for t in tables}
