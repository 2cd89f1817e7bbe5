"""Tables of the private working database that are not part of the consumer contract.

The extraction stage writes mentions here per partition; the fact tables are derived from them. Keeping
them out of the published file keeps the consumer contract small and stable.
"""

from __future__ import annotations

from airace_pipeline.warehouse.contract import Column, Table

EXTRACT_SCHEMA = "extract"

_c = Column

FACT_MENTIONS = Table(
    "fact_mentions",
    "One row per fact as stated in one sentence (before de-duplication across documents).",
    (
        _c("mention_id", "VARCHAR", "Stable id: document, span and fact type.", False),
        _c("document_id", "VARCHAR", "Document.", False),
        _c("published_on", "DATE", "The document's publication day (its partition).", False),
        _c("fact_type", "VARCHAR", "investment, alliance, incident or policy.", False),
        _c("sentence", "VARCHAR", "Sentence text.", False),
        _c("span_start", "INTEGER", "Sentence start offset in the document text.", False),
        _c("span_end", "INTEGER", "Sentence end offset (exclusive).", False),
        _c("certainty", "VARCHAR", "reported, rumoured, denied or forecast.", False),
        _c("subtype", "VARCHAR", "Investment kind, incident type or policy instrument type."),
        _c("name", "VARCHAR", "Name or title of the fact."),
        _c("announced_on", "DATE", "Date of the event as stated."),
        _c("date_precision", "VARCHAR", "day, month or year."),
        _c("country_code", "VARCHAR", "Main country or jurisdiction."),
        _c("amount", "DOUBLE", "Amount as stated."),
        _c("currency", "VARCHAR", "ISO 4217 code."),
        _c("is_upper_bound", "BOOLEAN", "'up to' amounts.", False),
        _c("round_type", "VARCHAR", "Funding round type."),
        _c("status", "VARCHAR", "Policy status."),
        _c("focus_areas", "VARCHAR[]", "Alliance focus areas."),
        _c("external_ids", "VARCHAR", "JSON object of native identifiers (eo_number, celex, ...)."),
        _c("extractor", "VARCHAR", "Extractor name and version.", False),
    ),
    ("mention_id",),
)

MENTION_PARTICIPANTS = Table(
    "mention_participants",
    "Organisations and countries named in each mention, with their role.",
    (
        _c("mention_id", "VARCHAR", "Mention.", False),
        _c("document_id", "VARCHAR", "Document.", False),
        _c("position", "INTEGER", "Order within the mention.", False),
        _c("name", "VARCHAR", "Surface form.", False),
        _c("role", "VARCHAR", "Role in the fact.", False),
        _c("organisation_id", "VARCHAR", "Gazetteer id when known."),
        _c("country_code", "VARCHAR", "Country of the participant."),
        _c("is_country", "BOOLEAN", "The participant is a country acting as such.", False),
    ),
    ("mention_id", "position"),
)

DOCUMENT_RUNS = Table(
    "document_runs",
    "One row per document the extractor saw: how many mentions, or the error that stopped it.",
    (
        _c("document_id", "VARCHAR", "Document.", False),
        _c("published_on", "DATE", "Publication day.", False),
        _c("extractor", "VARCHAR", "Extractor name and version.", False),
        _c("mention_count", "INTEGER", "Mentions produced (valid ones).", False),
        _c("rejected_mentions", "INTEGER", "Mentions that failed validation.", False),
        _c("error", "VARCHAR", "Why extraction failed for this document, if it did."),
        _c("extracted_at", "TIMESTAMP WITH TIME ZONE", "When.", False),
        _c("content_sha256", "VARCHAR", "The text that was read: a changed text is read again."),
        _c("fingerprint", "VARCHAR", "Extractor code and reference data it ran with (see fingerprint.py)."),
    ),
    ("document_id",),
)

STAGE_QUARANTINE = Table(
    "stage_quarantine",
    "Quarantine rows of the extract and validate stages, replaced per partition or per run.",
    (
        _c("stage", "VARCHAR", "extract or validate.", False),
        _c("record", "VARCHAR", "Rejected record as JSON.", False),
        _c("reason", "VARCHAR", "Failed check and value.", False),
        _c("document_id", "VARCHAR", "Document."),
        _c("quarantined_at", "TIMESTAMP WITH TIME ZONE", "When.", False),
        _c("table_name", "VARCHAR", "Target table."),
        _c("published_on", "DATE", "Partition day of the document (extract stage)."),
    ),
    (),
)

ORGANISATION_NAMES = Table(
    "organisation_names",
    "How each distinct participant (as the extractor gave it) resolved to an organisation, and by which rule.",
    (
        _c("participant_key", "VARCHAR", "Extractor id, is-country flag, country and surface name.", False),
        _c("organisation_id", "VARCHAR", "Resolved organisation (NULL for a country acting as such)."),
        _c("government_id", "VARCHAR", "The country's government organisation, for a country participant."),
        _c("method", "VARCHAR", "gazetteer_id, exact, fuzzy, minted or country.", False),
    ),
    ("participant_key",),
)

FACT_ASSIGNMENTS = Table(
    "fact_assignments",
    "Which fact each mention was clustered into, and what the mention looked like then: the state that lets "
    "a run cluster only new and changed mentions (normalise/incremental.py).",
    (
        _c("mention_id", "VARCHAR", "Mention.", False),
        _c("fact_type", "VARCHAR", "investment, alliance, incident or policy.", False),
        _c("fact_id", "VARCHAR", "The fact it is evidence of.", False),
        _c(
            "published_on",
            "DATE",
            "Its place in the clustering order, with announced_on and mention_id.",
            False,
        ),
        _c("announced_on", "DATE", "Stated date when clustered."),
        _c("digest", "UBIGINT", "Hash of the mention and its resolved participants when clustered.", False),
    ),
    ("mention_id",),
)


def cluster_order_sql(alias: str = "") -> str:
    """normalise.facts.CLUSTER_ORDER as an SQL row value (undated last within a day), comparable with a
    (day, day, text) parameter triple: the order `fact_assignments` and `fact_mentions` are cut in."""
    a = f"{alias}." if alias else ""
    return f"({a}published_on, coalesce({a}announced_on, DATE '9999-12-31'), {a}mention_id)"


FACT_KEYS = Table(
    "fact_keys",
    "The blocking keys each clustered mention gave its group: a new mention is compared only with the "
    "groups found under its own keys.",
    (
        _c("fact_type", "VARCHAR", "investment, alliance, incident or policy.", False),
        _c("key", "VARCHAR", "Blocking key as text (normalise.facts.key_text).", False),
        _c("mention_id", "VARCHAR", "The mention that added it.", False),
    ),
    (),
)

FACT_STATE = Table(
    "fact_state",
    "One row: the fingerprint of the code and reference data the stored clustering was made with.",
    (_c("fingerprint", "VARCHAR", "See normalise/incremental.py.", False),),
    (),
)

REFERENCE_STATE = Table(
    "reference_state",
    "Per table rebuilt whole from its inputs (countries, organisations, quarantine): the fingerprint of the "
    "inputs it was last built from and what that build reported, so a run whose inputs are unchanged "
    "reports it again instead of rebuilding (normalise/reference_inputs.py).",
    (
        _c("table_name", "VARCHAR", "countries, organisations or quarantine.", False),
        _c(
            "fingerprint", "VARCHAR", "Code, reference data and (organisations) distinct participants.", False
        ),
        _c("outcome", "VARCHAR", "JSON: the row count and check figures the build reported.", False),
    ),
    ("table_name",),
)

ENABLED_SOURCES = Table(
    "enabled_sources",
    "The entries enabled in the sources file when `documents` last ran: raw rows of any other entry stay in "
    "the raw tables but reach no further (warehouse/documents.py).",
    (_c("source_name", "VARCHAR", "A sources.yaml entry name.", False),),
    ("source_name",),
)

WORKING_TABLES: tuple[Table, ...] = (
    FACT_MENTIONS,
    MENTION_PARTICIPANTS,
    DOCUMENT_RUNS,
    STAGE_QUARANTINE,
    ORGANISATION_NAMES,
    FACT_ASSIGNMENTS,
    FACT_KEYS,
    FACT_STATE,
    REFERENCE_STATE,
    ENABLED_SOURCES,
)
