"""`python -m airace_pipeline.evaluation.real_cli`: save, check, split and score the real-text passages."""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import yaml

from airace_pipeline.evaluation import real
from airace_pipeline.evaluation.__main__ import report
from airace_pipeline.evaluation.baseline import score_cases
from airace_pipeline.evaluation.cases import TABLES
from airace_pipeline.evaluation.intervals import ROUNDS, bootstrap
from airace_pipeline.evaluation.scoring import CAUSES, Scores


def _save(args: argparse.Namespace) -> int:
    literal = Path(args.json_file).read_text(encoding="utf-8").strip()
    sha, length = real.save_passage(args.id, literal, Path(args.texts))
    print(f"sha256: {sha}\nlength: {length}")
    return 0


def _check(args: argparse.Namespace) -> int:
    bad = 0
    pointers = real.load_pointers()
    for pointer in pointers:
        try:
            real.read_text(pointer, Path(args.texts))
        except real.TextMismatch as error:
            bad += 1
            print(error)
    outlets = {p.outlet for p in pointers}
    print(f"{len(pointers) - bad} of {len(pointers)} passages match their pointers; {len(outlets)} outlets")
    return 1 if bad else 0


def _split(args: argparse.Namespace) -> int:
    """Draw the dev/test split once; passages added later go to either side at the same odds."""
    current = real.load_split() if real.SPLIT_PATH.exists() else {}
    new = sorted(p.passage_id for p in real.load_pointers() if p.passage_id not in current)
    rng = random.Random(args.seed)
    rng.shuffle(new)
    n_test = round(len(new) / 3)
    current.update({pid: "test" for pid in new[:n_test]})
    current.update({pid: "dev" for pid in new[n_test:]})
    out = {name: sorted(pid for pid, s in current.items() if s == name) for name in real.SPLITS}
    real.SPLIT_PATH.write_text(
        "# Drawn once at random (seeded) by `real_cli split`; tune on dev only.\n"
        + yaml.safe_dump(out, sort_keys=False),
        encoding="utf-8",
    )
    print(f"{len(new)} new passages split; dev {len(out['dev'])}, test {len(out['test'])}")
    return 0


def _score(args: argparse.Namespace) -> int:
    split = None if args.split == "all" else args.split
    cases = real.load_real_cases(Path(args.texts), split)
    if args.ids:
        # A fresh batch (--ids="-3[0-9][0-9]") scored before anyone reads it: what predicts new pages.
        cases = [c for c in cases if re.search(args.ids, c.case_id)]
    outlets = {p.outlet for p in real.load_pointers() if p.passage_id in {c.case_id for c in cases}}
    chosen = f" matching {args.ids}" if args.ids else ""
    print(f"split {args.split}{chosen}: {len(cases)} passages from {len(outlets)} outlets\n")
    scores = score_cases(cases)
    print(report(scores, args.misses))
    print("\n" + uncertainty_report(scores))
    return 0


def uncertainty_report(scores: Scores) -> str:
    """What a reader needs beside the figures on a small split: how wide they are, and where the errors
    come from (see `scoring._causes`)."""
    intervals = bootstrap(scores.per_case, TABLES)
    lines = [f"95% intervals (bootstrap over {len(scores.per_case)} passages, {ROUNDS} rounds):"]
    for table in TABLES:
        p, r = intervals[table]["precision"], intervals[table]["recall"]
        lines.append(f"  {table:<12} precision {p.low:.2f}-{p.high:.2f}   recall {r.low:.2f}-{r.high:.2f}")
    lines += ["", "errors by cause:", "  " + " " * 12 + "".join(f"{c:>24}" for c in CAUSES)]
    for table in TABLES:
        lines.append(f"  {table:<12}" + "".join(f"{scores.causes[table][c]:>24}" for c in CAUSES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m airace_pipeline.evaluation.real_cli", description=__doc__
    )
    sub = parser.add_subparsers(dest="command", required=True)
    save = sub.add_parser("save", help="write a passage from the search tool's JSON string literal")
    save.add_argument("id")
    save.add_argument("json_file")
    check = sub.add_parser("check", help="check every fetched passage against its pointer")
    split = sub.add_parser("split", help="assign passages that have no split yet (2/3 dev, 1/3 test)")
    split.add_argument("--seed", type=int, default=20261207)
    score = sub.add_parser("score", help="precision and recall on one split")
    score.add_argument("--split", choices=(*real.SPLITS, "all"), default="dev")
    score.add_argument("--misses", type=int, default=40, help="how many of the worst misses to list")
    score.add_argument("--ids", help="score only the passages whose id matches this regular expression")
    for command in (save, check, score):
        command.add_argument("--texts", default=str(real.DEFAULT_TEXTS_DIR))
    handlers = {"save": _save, "check": _check, "split": _split, "score": _score}
    args = parser.parse_args(argv)
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
