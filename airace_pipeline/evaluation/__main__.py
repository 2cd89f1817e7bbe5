"""`python -m airace_pipeline.evaluation [--write-baseline] [--misses N]`: print the figures (and the worst
misses), compare them with the committed baseline, or re-write it."""

from __future__ import annotations

import argparse
import sys

from airace_pipeline.evaluation.baseline import (
    DEFAULT_BASELINE_PATH,
    evaluate,
    markdown_table,
    read_baseline,
    regressions,
    write_baseline,
)
from airace_pipeline.evaluation.scoring import Scores


def _table(title: str, rows: dict[str, dict[str, float]]) -> str:
    lines = [f"{title:<14} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5} {'pred':>5} {'right':>5}"]
    for name, f in rows.items():
        lines.append(
            f"{name:<14} {f['precision']:>9.3f} {f['recall']:>7.3f} {f['f1']:>6.3f} "
            f"{f['gold']:>5} {f['predicted']:>5} {f['correct']:>5}"
        )
    return "\n".join(lines)


def report(scores: Scores, misses: int) -> str:
    parts = [
        _table("table", scores.tables),
        _table("field", scores.fields),
        f"rows from boilerplate: {scores.boilerplate_rows}",
        f"worst misses ({min(misses, len(scores.misses))} of {len(scores.misses)}):",
        *(f"  {m.case_id:<8} {m.kind:<12} {m.table:<11} {m.detail}" for m in scores.misses[:misses]),
    ]
    return "\n\n".join(parts[:3]) + "\n\n" + "\n".join(parts[3:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m airace_pipeline.evaluation", description=__doc__)
    parser.add_argument(
        "--write-baseline", "--update", action="store_true", help="re-write the baseline file"
    )
    parser.add_argument("--misses", type=int, default=25, help="how many of the worst misses to list")
    parser.add_argument("--markdown", action="store_true", help="also print the README table of the figures")
    args = parser.parse_args(argv)
    scores = evaluate()
    print(report(scores, args.misses))
    if args.markdown:
        print("\n" + markdown_table(scores.figures()))
    if args.write_baseline:
        write_baseline(scores)
        print(f"\nbaseline written to {DEFAULT_BASELINE_PATH}")
        return 0
    if DEFAULT_BASELINE_PATH.exists():
        worse = regressions(scores.figures(), read_baseline())
        print(
            "\nbelow the committed baseline:\n  " + "\n  ".join(worse)
            if worse
            else "\nat or above the baseline"
        )
        return 1 if worse else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
