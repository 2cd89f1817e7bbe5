"""Run the whole evaluation, and keep or compare the committed baseline figures.

The baseline is a floor: the test suite fails when any precision, recall or F1 drops below it, or when
boilerplate yields more rows than it records. Improving the extractor and re-writing the baseline
(`python -m airace_pipeline.evaluation --write-baseline`) raises the floor.
"""

from __future__ import annotations

import json
from pathlib import Path

from airace_pipeline.evaluation.cases import DEFAULT_CASES_DIR, TABLES, Case, load_cases
from airace_pipeline.evaluation.predict import predict
from airace_pipeline.evaluation.scoring import FIELDS, Scores, resolve_gold, score
from airace_pipeline.normalise.money import load_rates
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.reference.organisations import load_organisations

DEFAULT_BASELINE_PATH = REPO_ROOT / "data" / "eval" / "baseline.json"
# Figures are rounded to 4 places; allow that much, no more.
FLOAT_NOISE = 1e-4


def evaluate(cases_dir: Path = DEFAULT_CASES_DIR) -> Scores:
    return score_cases(load_cases(cases_dir))


def score_cases(cases: list[Case]) -> Scores:
    """Predict and score any list of cases (the labelled set, or the real-text passages)."""
    organisations = load_organisations()
    rates = load_rates()
    predicted = predict(cases, organisations, rates)
    gold = resolve_gold(cases, organisations, rates)
    return score(cases, gold, predicted)


def write_baseline(scores: Scores, path: Path = DEFAULT_BASELINE_PATH) -> None:
    path.write_text(json.dumps(scores.figures(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_baseline(path: Path = DEFAULT_BASELINE_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def regressions(current: dict, baseline: dict) -> list[str]:
    """Every figure of `current` that is worse than `baseline`, as readable lines (empty when none)."""
    out: list[str] = []
    for group in ("tables", "fields"):
        for name, figures in baseline[group].items():
            now = current[group].get(name)
            for metric in ("precision", "recall", "f1"):
                if now is None or now[metric] < figures[metric] - FLOAT_NOISE:
                    got = None if now is None else now[metric]
                    out.append(f"{group}.{name}.{metric}: {got} < baseline {figures[metric]}")
    if current["boilerplate_rows"] > baseline["boilerplate_rows"]:
        out.append(
            f"boilerplate_rows: {current['boilerplate_rows']} > baseline {baseline['boilerplate_rows']}"
        )
    return out


def markdown_table(figures: dict) -> str:
    """The figures as the README's "Extraction quality" table (a test keeps the two in step)."""
    lines = ["| | precision | recall | F1 |", "| --- | ---: | ---: | ---: |"]
    for group, label, order in (("tables", "table", TABLES), ("fields", "field", FIELDS)):
        for name in order:
            f = figures[group][name]
            lines.append(f"| {label} `{name}` | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} |")
    lines.append(f"| rows from boilerplate | {figures['boilerplate_rows']} | | |")
    return "\n".join(lines)
