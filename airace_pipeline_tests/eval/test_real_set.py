"""The real-text evaluation's committed pointers and its text checks (the passages themselves are not in the
repository, so CI checks their shape, the split and the sha256 guard, not the scores)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from airace_pipeline.evaluation import real
from airace_pipeline.evaluation.cases import TABLES, fact_from_yaml


@pytest.fixture(scope="module")
def pointers() -> list[real.Pointer]:
    return real.load_pointers()


def test_the_set_is_as_large_and_varied_as_promised(pointers: list[real.Pointer]) -> None:
    scored = [p for p in pointers if p.syndicated_of is None]
    assert len(scored) >= 150
    assert len({p.outlet for p in pointers}) >= 60
    facts = [fact_from_yaml(f, p.passage_id) for p in scored for f in p.raw_facts]
    assert set(Counter(f.table for f in facts)) == set(TABLES)
    assert sum(1 for p in scored if not p.raw_facts) >= 10  # pages that state no fact


def test_every_pointer_can_find_its_text_again(pointers: list[real.Pointer]) -> None:
    for pointer in pointers:
        assert pointer.query and pointer.rank >= 1 and pointer.url.startswith("http"), pointer.passage_id
        assert re.fullmatch(r"[0-9a-f]{64}", pointer.sha256) and pointer.length > 0, pointer.passage_id


def test_the_split_was_drawn_once_and_covers_every_passage(pointers: list[real.Pointer]) -> None:
    split = real.load_split()
    assert set(split) == {p.passage_id for p in pointers}
    counts = Counter(split.values())
    assert abs(counts["test"] / len(split) - 1 / 3) < 0.02


def _pointer_for(text: str) -> real.Pointer:
    sha, length = real.digest(text)
    return real.Pointer(
        "x-001", "q", 1, "https://example.org/a", "example.org", sha, length, None, (), None, ()
    )


def test_a_text_that_differs_from_its_pointer_is_refused(tmp_path: Path) -> None:
    pointer = _pointer_for("Line one.\nLine “two”.")
    real.save_passage("x-001", json.dumps("Line one.\nLine “two”."), tmp_path)
    assert real.read_text(pointer, tmp_path) == "Line one.\nLine “two”."
    (tmp_path / "x-001.txt").write_text("Line one.\nLine two.", encoding="utf-8")
    with pytest.raises(real.TextMismatch, match="sha256"):
        real.read_text(pointer, tmp_path)
    with pytest.raises(real.TextMismatch, match="missing"):
        real.read_text(dataclasses.replace(pointer, passage_id="x-002"), tmp_path)


def test_a_passage_is_saved_exactly_as_the_json_literal_says(tmp_path: Path) -> None:
    literal = r'"A \"quoted\" line\nand caf\u00e9 \u2014 2"'
    sha, length = real.save_passage("x-003", literal, tmp_path)
    text = (tmp_path / "x-003.txt").read_bytes().decode("utf-8")
    assert text == 'A "quoted" line\nand café — 2'
    assert (sha, length) == real.digest(text)
