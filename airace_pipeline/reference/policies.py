"""Known policies and named programmes (data/reference/policies.yaml).

A source may call the same act "the AI Act", "Regulation (EU) 2024/1689" or "the EU's AI law"; the
gazetteer turns the named forms into one canonical name, its jurisdiction, instrument and native ids, so
mentions from different documents agree before de-duplication. Named investment programmes (Stargate,
the IndiaAI Mission) and alliances (iCET, the Frontier Model Forum) live here too: they are named things
whose kind the text alone rarely states.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from airace_pipeline.vocabulary import FACT_TYPES, INSTRUMENT_TYPES, INVESTMENT_KINDS

DEFAULT_POLICIES_PATH = Path(__file__).resolve().parents[2] / "data/reference/policies.yaml"


@dataclass(frozen=True)
class KnownInstrument:
    name: str
    aliases: tuple[str, ...]
    country_code: str | None
    fact_type: str
    instrument_type: str | None = None
    kind: str | None = None
    date: dt.date | None = None
    external_ids: tuple[tuple[str, str], ...] = ()
    revoked_on: dt.date | None = None

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _entry(path: Path, index: int, raw: Any) -> KnownInstrument:
    label = f"{path}: entry #{index + 1}"
    if not isinstance(raw, dict) or not raw.get("name"):
        raise ValueError(f"{label}: expected a mapping with a 'name'")
    label += f" ({raw['name']!r})"
    fact_type = raw.get("fact_type", "policy")
    if fact_type not in FACT_TYPES:
        raise ValueError(f"{label}: unknown fact_type {fact_type!r}")
    instrument = raw.get("instrument_type")
    if instrument is not None and instrument not in INSTRUMENT_TYPES:
        raise ValueError(f"{label}: unknown instrument_type {instrument!r}")
    kind = raw.get("kind")
    if kind is not None and kind not in INVESTMENT_KINDS:
        raise ValueError(f"{label}: unknown kind {kind!r}")
    date = raw.get("date")
    revoked_on = raw.get("revoked_on")
    for key, value in (("date", date), ("revoked_on", revoked_on)):
        if value is not None and not isinstance(value, dt.date):
            raise ValueError(f"{label}: {key!r} must be YYYY-MM-DD")
    ids = raw.get("external_ids") or {}
    if not isinstance(ids, dict):
        raise ValueError(f"{label}: 'external_ids' must be a mapping")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        raise ValueError(f"{label}: 'aliases' must be a list")
    return KnownInstrument(
        name=str(raw["name"]),
        aliases=tuple(str(alias) for alias in aliases),
        country_code=raw.get("country_code"),
        fact_type=fact_type,
        instrument_type=instrument,
        kind=kind,
        date=date,
        external_ids=tuple((str(key), str(value)) for key, value in ids.items()),
        revoked_on=revoked_on,
    )


def load_known_instruments(path: Path = DEFAULT_POLICIES_PATH) -> list[KnownInstrument]:
    """Read and validate the gazetteer of named policies, programmes and alliances."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("policies"), list):
        raise ValueError(f"{path}: expected a top-level 'policies:' list")
    entries = [_entry(path, index, raw) for index, raw in enumerate(document["policies"])]
    seen: dict[str, str] = {}
    for entry in entries:
        for form in entry.surface_forms:
            if seen.setdefault(form, entry.name) != entry.name:
                raise ValueError(
                    f"{path}: alias {form!r} of {entry.name!r} is already used by {seen[form]!r}"
                )
    return entries


# Words that every title shares, and words that say whose act it is (with that jurisdiction's code):
# dropping them lets "the Korean AI Basic Law" and "AI Basic Act" meet on one key.
_KEY_STOP = frozenset({"the", "of", "on", "for", "and", "a", "an", "in", "to", "s", "no", "u"})
_JURISDICTION_WORDS = {
    **dict.fromkeys(("eu", "european", "union"), "EU"),
    **dict.fromkeys(("us", "american"), "US"),
    **dict.fromkeys(("uk", "british"), "GB"),
    **dict.fromkeys(("korea", "korean", "south"), "KR"),
    **dict.fromkeys(("china", "chinese"), "CN"),
    **dict.fromkeys(("japan", "japanese"), "JP"),
    **dict.fromkeys(("india", "indian"), "IN"),
    **dict.fromkeys(("canada", "canadian"), "CA"),
    **dict.fromkeys(("france", "french"), "FR"),
    **dict.fromkeys(("germany", "german"), "DE"),
    **dict.fromkeys(("italy", "italian"), "IT"),
    **dict.fromkeys(("brazil", "brazilian"), "BR"),
    **dict.fromkeys(("singapore", "singaporean"), "SG"),
}
# The head word a title ends with may be written either way ("Basic Law" / "Basic Act").
_KEY_SYNONYMS = {"law": "act", "artificial": "ai", "intelligence": ""}
_KEY_WORD = re.compile(r"[a-z0-9]+")


def title_key(title: str) -> tuple[str, frozenset[str]]:
    """A loose key for a title, and the jurisdictions its words name: lower case, stop words and
    jurisdiction words dropped, "law" read as "act" and "artificial intelligence" as "ai", so that
    outlets' spellings of one act agree."""
    words: list[str] = []
    places: set[str] = set()
    for word in _KEY_WORD.findall(title.lower()):
        word = _KEY_SYNONYMS.get(word, word)
        if word in _JURISDICTION_WORDS:
            places.add(_JURISDICTION_WORDS[word])
        elif word and word not in _KEY_STOP:
            words.append(word)
    return " ".join(words), frozenset(places)


def index_by_title_key(instruments: list[KnownInstrument]) -> dict[str, KnownInstrument]:
    """Known policies by the loose key of each surface form; a key two acts share is left out, since it
    cannot tell them apart, and so is a key of one word (too loose to name an act)."""
    index: dict[str, KnownInstrument] = {}
    clashes: set[str] = set()
    for instrument in instruments:
        if instrument.fact_type != "policy":
            continue
        for form in instrument.surface_forms:
            key, _ = title_key(form)
            if len(key.split()) < 2:
                continue
            if index.setdefault(key, instrument).name != instrument.name:
                clashes.add(key)
    for key in clashes:
        del index[key]
    return index


def lookup_title(index: dict[str, KnownInstrument], title: str) -> KnownInstrument | None:
    """The known act a title names however it is spelt, unless the title names another jurisdiction
    ("Japan's AI Act" is not the EU's)."""
    key, places = title_key(title)
    known = index.get(key)
    if known is None or (places and known.country_code not in places):
        return None
    return known
