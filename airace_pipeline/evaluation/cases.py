"""The labelled evaluation cases: passages (or small sets of documents) with the facts they state.

A case file is YAML with a list `cases`; each case has an `id`, a `published` date, `tags` naming the hard
kinds it exercises (coreference, boilerplate, negation, ...), a `text` or a list of `documents`, and the
gold `facts`. A fact names its `table`, `type` (investment kind, incident type or instrument type), the
amount and currency as stated, the `date` at the precision stated (YYYY, YYYY-MM or YYYY-MM-DD), the
`country`, the `certainty`, `orgs` as [name, role] pairs (`gov:XX` for a country's government) and
`countries` acting as such (alliance members, incident actors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from airace_pipeline.paths import REPO_ROOT

DEFAULT_CASES_DIR = REPO_ROOT / "data" / "eval" / "cases"
TABLES: tuple[str, ...] = ("investments", "alliances", "incidents", "policies")
T = TypeVar("T")


@dataclass(frozen=True)
class GoldFact:
    table: str
    type: str | None
    amount: float | None
    currency: str | None
    date: str | None
    country: str | None
    certainty: str
    orgs: tuple[tuple[str, str], ...] = ()
    countries: tuple[str, ...] = ()
    name: str | None = None


@dataclass(frozen=True)
class CaseDocument:
    published: dt.date
    text: str
    # False for a page that states no publication date: `published` then only orders it, as a file's
    # modification time does in the pipeline, and dates no fact.
    date_known: bool = True


@dataclass(frozen=True)
class Case:
    case_id: str
    tags: tuple[str, ...]
    documents: tuple[CaseDocument, ...]
    facts: tuple[GoldFact, ...] = field(default_factory=tuple)


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def fact_from_yaml(raw: dict, where: str) -> GoldFact:
    table = raw["table"]
    if table not in TABLES:
        raise ValueError(f"{where}: unknown table {table!r}")
    codes = [raw.get("country"), *(raw.get("countries") or ())]
    bad = [c for c in codes if c is not None and not (isinstance(c, str) and len(c) == 2)]
    if bad:
        # YAML reads an unquoted NO (Norway) as false: say so rather than score a wrong label.
        raise ValueError(f"{where}: country codes must be two-letter strings (quote NO), got {bad!r}")
    amount = raw.get("amount")
    date = raw.get("date")
    return GoldFact(
        table=table,
        type=raw.get("type"),
        amount=float(str(amount)) if amount is not None else None,
        currency=raw.get("currency"),
        date=date.isoformat() if isinstance(date, dt.date) else (str(date) if date is not None else None),
        country=raw.get("country"),
        certainty=raw.get("certainty", "reported"),
        orgs=tuple((str(name), str(role)) for name, role in raw.get("orgs") or ()),
        countries=tuple(raw.get("countries") or ()),
        name=raw.get("name"),
    )


def _case(raw: dict, path: Path) -> Case:
    where = f"{path.name}:{raw.get('id')}"
    if "documents" in raw:
        documents = tuple(CaseDocument(_date(d["published"]), d["text"]) for d in raw["documents"])
    else:
        documents = (CaseDocument(_date(raw["published"]), raw["text"]),)
    return Case(
        case_id=raw["id"],
        tags=tuple(raw.get("tags") or ()),
        documents=documents,
        facts=tuple(fact_from_yaml(f, where) for f in raw.get("facts") or ()),
    )


def load_entries(
    directory: Path, key: str, build: Callable[[dict, Path], T], id_of: Callable[[T], str]
) -> list[T]:
    """Every entry under `key` of every `*.yaml` file in `directory`, in file order; ids must be unique."""
    entries: list[T] = []
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries.extend(build(item, path) for item in raw.get(key) or ())
    ids = [id_of(entry) for entry in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate ids under {key!r} in {directory}: {duplicates}")
    return entries


def load_cases(directory: Path = DEFAULT_CASES_DIR) -> list[Case]:
    """Every case of every `*.yaml` file in `directory`, in file order; ids must be unique."""
    return load_entries(directory, "cases", _case, lambda case: case.case_id)
