"""The real-text evaluation: passages of public pages nobody on the team wrote, scored like `make eval`.

The repository keeps pointers and gold labels only (`data/eval/real/passages/*.yaml`);
the passages themselves live in a git-ignored folder, one `<id>.txt` each, written exactly as the search
corpus returned them. Every file is checked against the pointer's sha256 and length before scoring, so a
figure is never computed on text that differs from what was labelled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from airace_pipeline.evaluation.cases import Case, CaseDocument, fact_from_yaml, load_entries
from airace_pipeline.paths import REPO_ROOT

REAL_DIR = REPO_ROOT / "data" / "eval" / "real"
PASSAGES_DIR = REAL_DIR / "passages"
SPLIT_PATH = REAL_DIR / "split.yaml"
DEFAULT_TEXTS_DIR = REPO_ROOT / "data" / "real_texts"
SPLITS: tuple[str, ...] = ("dev", "test")
# Passages that state no publication date are filed under this day, the day the set was collected, as the
# pipeline files an undated file under its modification time: it orders them and dates no fact.
UNDATED_READ_AS = dt.date(2026, 12, 7)


@dataclass(frozen=True)
class Pointer:
    """Where a passage came from and how to recognise it again."""

    passage_id: str
    query: str
    rank: int
    url: str
    outlet: str
    sha256: str
    length: int
    published: dt.date | None
    tags: tuple[str, ...]
    syndicated_of: str | None
    raw_facts: tuple[dict, ...]


class TextMismatch(ValueError):
    """A fetched passage is missing or differs from its pointer."""


def digest(text: str) -> tuple[str, int]:
    """sha256 of the UTF-8 text and its length in characters, as pointers record them."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), len(text)


def _pointer(raw: dict, path: Path) -> Pointer:
    published = raw.get("published")
    if published is not None and not isinstance(published, dt.date):
        published = dt.date.fromisoformat(str(published))
    return Pointer(
        passage_id=str(raw["id"]),
        query=str(raw["query"]),
        rank=int(raw["rank"]),
        url=str(raw["url"]),
        outlet=str(raw["outlet"]),
        sha256=str(raw["sha256"]),
        length=int(raw["length"]),
        published=published,
        tags=tuple(raw.get("tags") or ()),
        syndicated_of=raw.get("syndicated_of"),
        raw_facts=tuple(raw.get("facts") or ()),
    )


def load_pointers(directory: Path = PASSAGES_DIR) -> list[Pointer]:
    """Every pointer of every `*.yaml` file, in file order; ids must be unique."""
    return load_entries(directory, "passages", _pointer, lambda pointer: pointer.passage_id)


def read_text(pointer: Pointer, texts_dir: Path) -> str:
    """The passage's text, checked against its pointer."""
    path = texts_dir / f"{pointer.passage_id}.txt"
    if not path.exists():
        raise TextMismatch(f"{pointer.passage_id}: {path} is missing (see {REAL_DIR / 'README.md'})")
    text = path.read_bytes().decode("utf-8")
    sha, length = digest(text)
    if (sha, length) != (pointer.sha256, pointer.length):
        raise TextMismatch(
            f"{pointer.passage_id}: {path} has sha256 {sha[:12]}… and {length} characters; the pointer "
            f"expects {pointer.sha256[:12]}… and {pointer.length}"
        )
    return text


def load_split(path: Path = SPLIT_PATH) -> dict[str, str]:
    """Passage id -> "dev" or "test", as drawn once (`split` below) and committed."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(pid): name for name in SPLITS for pid in raw.get(name) or ()}


def to_case(pointer: Pointer, text: str) -> Case:
    published = pointer.published or UNDATED_READ_AS
    where = f"{pointer.passage_id}"
    return Case(
        case_id=pointer.passage_id,
        tags=pointer.tags,
        documents=(CaseDocument(published, text, date_known=pointer.published is not None),),
        facts=tuple(fact_from_yaml(f, where) for f in pointer.raw_facts),
    )


def load_real_cases(texts_dir: Path, split: str | None) -> list[Case]:
    """The scored cases of one split (all when None): syndicated copies are left out, since they repeat
    a story already scored and serve the cross-outlet merge instead."""
    pointers = [p for p in load_pointers() if p.syndicated_of is None]
    if split is not None:
        assignment = load_split()
        unassigned = [p.passage_id for p in pointers if p.passage_id not in assignment]
        if unassigned:
            raise ValueError(f"passages with no split: {unassigned}; draw it with `split`")
        pointers = [p for p in pointers if assignment[p.passage_id] == split]
    return [to_case(p, read_text(p, texts_dir)) for p in pointers]


def save_passage(passage_id: str, json_literal: str, texts_dir: Path = DEFAULT_TEXTS_DIR) -> tuple[str, int]:
    """Write a passage from the search tool's JSON string literal, decoded, exactly; return its digest."""
    text = json.loads(json_literal)
    if not isinstance(text, str):
        raise ValueError("expected one JSON string literal, with its quotes")
    texts_dir.mkdir(parents=True, exist_ok=True)
    (texts_dir / f"{passage_id}.txt").write_bytes(text.encode("utf-8"))
    return digest(text)
