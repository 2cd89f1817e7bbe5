"""Everything the fact builders need to know about one sentence, computed once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from airace_pipeline.extraction.dates import DateMention
from airace_pipeline.extraction.entities import EntityMention
from airace_pipeline.extraction.money import Money
from airace_pipeline.extraction.text import Sentence
from airace_pipeline.reference.patterns import lazy_compile
from airace_pipeline.reference.policies import KnownInstrument


@dataclass(frozen=True)
class KnownMention:
    start: int
    end: int
    instrument: KnownInstrument


@dataclass
class SentenceInfo:
    """A sentence with its recognised mentions (offsets relative to the sentence)."""

    sentence: Sentence
    entities: list[EntityMention]
    moneys: list[Money]
    dates: list[DateMention]
    known: list[KnownMention]
    published_on: dt.date | None
    facts: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.sentence.text

    def organisations(self) -> list[EntityMention]:
        return [entity for entity in self.entities if not entity.is_country]

    def countries(self) -> list[EntityMention]:
        return [entity for entity in self.entities if entity.is_country]


_ANAPHOR = lazy_compile(
    r"^\W*(?:\*\*[^*]*\*\*\s*)?(?:(?P<bare>Signatories|Members|Founding\s+members|Participants)\b|(?P<det>This|The|That|Such|Its|Their|These|Under\s+the|Under\s+this)\s+(?:new\s+|"
    r"joint\s+|two\s+|three\s+|four\s+|same\s+)?(?P<noun>collaboration|partnership|alliance|pact|agreement|"
    r"initiative|deal|cooperation|venture|project|fund|company|companies|startup|start-up|firm|group|lab|"
    r"mission|programme|program|plan|partners|two\s+sides|sides|countries|governments|investment|round|"
    r"declaration|memorandum|statement|signatories|members|regulator|authority|watchdog|agency|order|act|law|regulation)\b|"
    r"(?P<pron>It|They|He|She)\b)"
)
ALLIANCE_NOUNS = frozenset(
    {
        "collaboration",
        "partnership",
        "alliance",
        "pact",
        "agreement",
        "initiative",
        "cooperation",
        "memorandum",
        "declaration",
        "statement",
        "two sides",
        "sides",
        "countries",
        "governments",
        "signatories",
        "members",
    }
)
GROUP_NOUNS = frozenset({"partners", "companies", "two sides", "sides", "countries", "governments"})
VENTURE_NOUNS = frozenset(
    {
        "venture",
        "project",
        "fund",
        "mission",
        "programme",
        "program",
        "plan",
        "deal",
        "investment",
        "round",
        "initiative",
    }
)
ORG_NOUNS = frozenset(
    {"company", "startup", "start-up", "firm", "group", "lab", "regulator", "authority", "watchdog", "agency"}
)


def anaphor(text: str) -> tuple[str, str] | None:
    """Return ("noun", word) or ("pronoun", word) when the sentence opens by referring back."""
    match = _ANAPHOR.match(text)
    if match is None:
        return None
    if match.group("pron"):
        return "pronoun", match.group("pron")
    if match.group("bare"):
        return "noun", "signatories"
    return "noun", re.sub(r"\s+", " ", match.group("noun").lower())
