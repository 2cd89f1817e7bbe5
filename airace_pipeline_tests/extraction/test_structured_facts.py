"""Structured facts become mentions that cite the document's first line; a scheduled run vs a backfill."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from airace_pipeline.extraction.model import Document
from airace_pipeline.extraction.structured_facts import WithStructuredFacts, structured_mentions
from airace_pipeline.sources.window import fetch_window

TEXT = "Executive Order 14110: Safe, Secure AI\n\nBy the authority vested in me..."
FACTS = json.dumps(
    [
        {
            "fact_type": "policy",
            "subtype": "executive_order",
            "name": "Safe, Secure AI",
            "announced_on": "2023-10-30",
            "date_precision": "day",
            "country_code": "US",
            "status": "adopted",
            "external_ids": {"eo_number": "14110", "fr_document_number": "2023-24283"},
            "participants": [{"name": "Openai", "role": "developer"}, {"name": "", "role": "deployer"}],
        }
    ]
)


def test_mention_cites_the_first_line_with_exact_ids_and_date() -> None:
    (mention,) = structured_mentions("doc1", TEXT, FACTS)
    assert (
        TEXT[mention.span_start : mention.span_end]
        == mention.sentence
        == "Executive Order 14110: Safe, Secure AI"
    )
    assert mention.announced_on == dt.date(2023, 10, 30) and mention.subtype == "executive_order"
    assert dict(mention.external_ids) == {"eo_number": "14110", "fr_document_number": "2023-24283"}
    assert [(p.name, p.role) for p in mention.participants] == [("Openai", "developer")]  # empty name dropped


class _Inner:
    name, version = "inner", "1"

    def extract(self, document: Document) -> list:
        return []


def test_wrapper_adds_structured_facts_and_raises_on_malformed_json() -> None:
    doc = Document("doc1", "t", TEXT, dt.date(2023, 11, 1))
    assert len(WithStructuredFacts(_Inner(), {"doc1": FACTS}).extract(doc)) == 1
    assert WithStructuredFacts(_Inner(), {}).extract(doc) == []
    # The extract stage catches this per document and quarantines it with the error.
    with pytest.raises(ValueError):
        WithStructuredFacts(_Inner(), {"doc1": "[{"}).extract(doc)


def test_a_window_reaching_today_is_scheduled_an_older_one_a_backfill() -> None:
    today = dt.date(2026, 1, 10)
    assert not fetch_window(dt.date(2026, 1, 9), today, today).backfill  # the daily schedule's window
    assert not fetch_window(dt.date(2017, 1, 1), dt.date(2026, 1, 11), today).backfill  # make run
    assert fetch_window(dt.date(2025, 1, 1), dt.date(2025, 2, 1), today).backfill
