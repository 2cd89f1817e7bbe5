"""Turn the facts a structured source states as data (`documents.structured_facts`) into FactMentions.

A Federal Register executive order states its number and signing date, an AIID incident its parties,
an EUR-Lex act its CELEX: mining those from text would only lose precision. The source puts a title line
stating them at the start of the document's text, and each structured fact cites that line, so its
evidence row points at a real span like every other mention. Malformed JSON yields no mentions and an
error the extract stage records for the document, rather than stopping the partition.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from airace_pipeline.extraction.model import Document, Extractor, FactMention, Participant


def structured_mentions(document_id: str, text: str, facts_json: str | None) -> list[FactMention]:
    """Mentions for the JSON list `facts_json`; each cites the first line of `text`."""
    if not facts_json:
        return []
    facts = json.loads(facts_json)
    if not isinstance(facts, list):
        raise ValueError("structured_facts must be a JSON list")
    end = text.find("\n")
    end = len(text) if end < 0 else end
    sentence = text[:end]
    return [_mention(document_id, sentence, end, fact) for fact in facts if isinstance(fact, dict)]


def _mention(document_id: str, sentence: str, end: int, fact: dict[str, Any]) -> FactMention:
    day = fact.get("announced_on")
    return FactMention(
        fact_type=fact["fact_type"],
        document_id=document_id,
        sentence=sentence,
        span_start=0,
        span_end=end,
        certainty="reported",
        subtype=fact.get("subtype"),
        name=fact.get("name"),
        announced_on=dt.date.fromisoformat(day) if day else None,
        date_precision=fact.get("date_precision") if day else None,
        country_code=fact.get("country_code"),
        status=fact.get("status"),
        participants=tuple(
            Participant(name=p["name"], role=p["role"], country_code=p.get("country_code"))
            for p in fact.get("participants") or []
            if p.get("name") and p.get("role")
        ),
        external_ids=tuple(sorted((str(k), str(v)) for k, v in (fact.get("external_ids") or {}).items())),
    )


@dataclass
class WithStructuredFacts:
    """An Extractor that adds each document's structured facts to what `inner` finds in its text.

    Wrapping keeps the extraction package unaware of sources: any extractor gets the structured facts,
    and a malformed JSON raises inside `extract`, which the extract stage already quarantines per document.
    """

    inner: Extractor
    # By document id; a document's own `structured_facts` is used when it is not listed here.
    facts_by_document: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    def extract(self, document: Document) -> list[FactMention]:
        facts = self.facts_by_document.get(document.document_id, document.structured_facts)
        structured = structured_mentions(document.document_id, document.text, facts)
        return [*structured, *self.inner.extract(document)]
