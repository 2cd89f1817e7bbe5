"""The raw document record every source produces, as an Arrow schema and matching dlt column hints.

One shape for all sources means the `documents` asset can union them without per-source code, and the
hints make dlt create every column even when a run yields an empty batch.
"""

from __future__ import annotations

import hashlib

import pyarrow as pa

COLLECTIONS: tuple[str, ...] = ("funding_announcement", "policy_text", "news")

RAW_DOCUMENT_SCHEMA = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("source_name", pa.string(), nullable=False),
        pa.field("origin", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("collection", pa.string()),
        pa.field("published_on", pa.date32()),
        pa.field("date_basis", pa.string()),
        pa.field("format", pa.string()),
        pa.field("text", pa.string()),
        pa.field("content_sha256", pa.string()),
        pa.field("structured_facts", pa.string()),
        pa.field("source_fields", pa.string()),
        pa.field("rejected_reason", pa.string()),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC")),
    ]
)

RAW_DOCUMENT_COLUMNS: dict[str, dict[str, object]] = {
    "document_id": {"data_type": "text", "nullable": False, "primary_key": True},
    "source": {"data_type": "text", "nullable": True},
    "source_name": {"data_type": "text", "nullable": False},
    "origin": {"data_type": "text", "nullable": False},
    "url": {"data_type": "text", "nullable": True},
    "title": {"data_type": "text", "nullable": True},
    "collection": {"data_type": "text", "nullable": True},
    "published_on": {"data_type": "date", "nullable": True},
    "date_basis": {"data_type": "text", "nullable": True},
    "format": {"data_type": "text", "nullable": True},
    "text": {"data_type": "text", "nullable": True},
    "content_sha256": {"data_type": "text", "nullable": True},
    # JSON list of facts a structured source states outright (an EO's number and date, an AIID
    # incident's parties); `fact_mentions` turns them into mentions citing the text's first line.
    "structured_facts": {"data_type": "text", "nullable": True},
    # JSON object of the service's own fields worth keeping (Federal Register agencies, citation, ...).
    "source_fields": {"data_type": "text", "nullable": True},
    "rejected_reason": {"data_type": "text", "nullable": True},
    "ingested_at": {"data_type": "timestamp", "nullable": True},
}


def document_id_for(source_name: str, origin: str) -> str:
    """A stable id from where the document came from (source entry + path, URL or feed id).

    Origin rather than content: an edited file keeps its id, so the merge on `document_id` updates the
    row instead of leaving the old version beside the new one. `content_sha256` tracks the content.
    """
    return hashlib.sha256(f"{source_name}\x1f{origin}".encode()).hexdigest()[:32]


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
