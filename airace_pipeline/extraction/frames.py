"""Run an extractor over documents and lay its mentions out as the working tables' dataframes.

Kept apart from the extractor so that any `Extractor` (rule-based now, model-based later) is stored the
same way, and so that one broken document is recorded with its error instead of stopping the partition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from airace_pipeline.extraction.model import Document, Extractor, FactMention
from airace_pipeline.warehouse.working import DOCUMENT_RUNS, FACT_MENTIONS, MENTION_PARTICIPANTS


@dataclass(frozen=True)
class ExtractionBatch:
    mentions: pd.DataFrame
    participants: pd.DataFrame
    document_runs: pd.DataFrame  # one row per document; `error` set where the extractor raised


def mention_id_for(mention: FactMention) -> str:
    # The name is part of the key: one sentence can state two facts of one type (two policies).
    key = "\x1f".join(
        [
            mention.document_id,
            mention.fact_type,
            str(mention.span_start),
            str(mention.span_end),
            mention.name or "",
        ]
    )
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def extract_documents(
    extractor: Extractor,
    documents: Iterable[Document],
) -> ExtractionBatch:
    """Extract every document (the extract asset reports progress per batch of chunks)."""
    label = f"{extractor.name}/{extractor.version}"
    now = dt.datetime.now(tz=dt.UTC)
    mention_rows: list[dict] = []
    participant_rows: list[dict] = []
    run_rows: list[dict] = []
    for document in documents:
        error = None
        try:
            mentions = extractor.extract(document)
        except Exception as exc:  # one bad document must not stop the partition: it goes to quarantine
            mentions, error = [], f"{type(exc).__name__}: {exc}"
        ids: dict[str, int] = {}
        for mention in mentions:
            mention_id = mention_id_for(mention)
            # Two facts of one type in one sentence share a span; number them to keep ids unique.
            ids[mention_id] = ids.get(mention_id, -1) + 1
            if ids[mention_id]:
                mention_id = f"{mention_id}-{ids[mention_id]}"
            mention_rows.append(_mention_row(mention_id, mention, document.published_on, label))
            participant_rows.extend(
                {
                    "mention_id": mention_id,
                    "document_id": document.document_id,
                    "position": position,
                    "name": p.name,
                    "role": p.role,
                    "organisation_id": p.organisation_id,
                    "country_code": p.country_code,
                    "is_country": p.is_country,
                }
                for position, p in enumerate(mention.participants)
            )
        run_rows.append(
            {
                "document_id": document.document_id,
                "published_on": document.published_on,
                "extractor": label,
                "mention_count": len(mentions),
                "rejected_mentions": 0,
                "error": error,
                "extracted_at": now,
            }
        )
    return ExtractionBatch(
        pd.DataFrame(mention_rows, columns=FACT_MENTIONS.column_names),
        pd.DataFrame(participant_rows, columns=MENTION_PARTICIPANTS.column_names),
        pd.DataFrame(run_rows, columns=DOCUMENT_RUNS.column_names),
    )


def _mention_row(mention_id: str, m: FactMention, published_on: dt.date, label: str) -> dict:
    return {
        "mention_id": mention_id,
        "document_id": m.document_id,
        "published_on": published_on,
        "fact_type": m.fact_type,
        "sentence": m.sentence,
        "span_start": m.span_start,
        "span_end": m.span_end,
        "certainty": m.certainty,
        "subtype": m.subtype,
        "name": m.name,
        "announced_on": m.announced_on,
        "date_precision": m.date_precision,
        "country_code": m.country_code,
        "amount": m.amount,
        "currency": m.currency,
        "is_upper_bound": m.is_upper_bound,
        "round_type": m.round_type,
        "status": m.status,
        "focus_areas": list(m.focus_areas),
        "external_ids": json.dumps(dict(m.external_ids), sort_keys=True) if m.external_ids else None,
        "extractor": label,
    }
