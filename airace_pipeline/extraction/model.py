"""The data the extraction stage hands to the rest of the pipeline.

These dataclasses are the seam between "reading text" and "building tables": an extractor (rule-based
today, model-based later) only has to turn a `Document` into `FactMention`s, and everything downstream
(validation, de-duplication, normalisation, provenance) works on mentions without knowing how they were
found. Each mention is one fact as stated in one sentence, so the same real-world event told by three
documents arrives as three mentions and is merged later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

FactType = Literal["investment", "alliance", "incident", "policy"]
Certainty = Literal["reported", "rumoured", "denied", "forecast"]
DatePrecision = Literal["day", "month", "year"]

# The controlled vocabularies live in `airace_pipeline.vocabulary` (reference data and validation use them
# without importing the extractor); re-exported here because extractors speak in them.
from airace_pipeline.vocabulary import (  # noqa: E402
    ALLIANCE_ROLES,
    CERTAINTIES,
    FACT_TYPES,
    INCIDENT_ROLES,
    INCIDENT_TYPES,
    INSTRUMENT_TYPES,
    INVESTMENT_KINDS,
    INVESTMENT_ROLES,
    ORGANISATION_KINDS,
    POLICY_ROLES,
    POLICY_STATUSES,
    ROUND_TYPES,
)

__all__ = [
    "ALLIANCE_ROLES",
    "CERTAINTIES",
    "FACT_TYPES",
    "INCIDENT_ROLES",
    "INCIDENT_TYPES",
    "INSTRUMENT_TYPES",
    "INVESTMENT_KINDS",
    "INVESTMENT_ROLES",
    "ORGANISATION_KINDS",
    "POLICY_ROLES",
    "POLICY_STATUSES",
    "ROUND_TYPES",
    "Certainty",
    "DatePrecision",
    "Document",
    "Extractor",
    "FactMention",
    "FactType",
    "Participant",
]


@dataclass(frozen=True)
class Document:
    """One ingested document, as the extractor sees it (plain text: HTML was reduced at ingest)."""

    document_id: str
    title: str
    text: str
    published_on: dt.date
    collection: str = "news"
    source: str = ""
    # Facts the source states as data (JSON), for extractors that use them; the text is still read.
    structured_facts: str | None = None
    # False when `published_on` is only a stand-in (a file's modification time): the extractor then
    # resolves no relative date against it and dates no fact by it.
    date_known: bool = True


@dataclass(frozen=True)
class Participant:
    """An organisation or country taking part in a fact.

    `name` is the surface form as written. `organisation_id` is the canonical id from the organisation
    gazetteer when the name is known there, else None (normalisation then mints an id from the name).
    A participant that is a country acting as such ("Japan and South Korea agreed ...") has no name of an
    organisation: `name` is the country's name, `organisation_id` None and `country_code` set.
    """

    name: str
    role: str
    organisation_id: str | None = None
    country_code: str | None = None
    is_country: bool = False


@dataclass(frozen=True)
class FactMention:
    """One fact as stated in one sentence of one document, with its provenance.

    `span_start`/`span_end` are character offsets of the sentence in `Document.text` (end exclusive), so
    `document.text[span_start:span_end] == sentence`. `subtype` holds the fact type's own category:
    investments.kind, incidents.incident_type or policies.instrument_type (None for alliances).
    `announced_on` is the event's date (occurred_on for incidents), resolved against the document date
    when the text says "on Monday" or "last March"; `date_precision` says how much of it was stated.
    """

    fact_type: FactType
    document_id: str
    sentence: str
    span_start: int
    span_end: int
    certainty: Certainty = "reported"
    subtype: str | None = None
    name: str | None = None
    announced_on: dt.date | None = None
    date_precision: DatePrecision | None = None
    country_code: str | None = None
    amount: float | None = None
    currency: str | None = None
    is_upper_bound: bool = False
    round_type: str | None = None
    status: str | None = None
    focus_areas: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = field(default_factory=tuple)
    # Native identifiers when the source states them (EO number, CELEX, Federal Register document number).
    external_ids: tuple[tuple[str, str], ...] = ()


class Extractor(Protocol):
    """What the pipeline needs from an extractor; a model-based one can implement the same."""

    name: str
    version: str

    def extract(self, document: Document) -> list[FactMention]:
        """Return every fact the document states, in text order. Odd text yields no facts; an error the
        extractor cannot recover from raises, and the extract stage quarantines that document."""
        ...
