"""The SQL contract: the tables consumers query, their columns, types and keys.

Consumers (DuckDB CLI, notebooks, BI tools) rely on these names, so they live in one place: the DDL, the
Dagster column-schema metadata and the docs are all generated from here, and a test checks that the
pandera models agree. Add columns freely; never rename or drop one without a migration note.
"""

from __future__ import annotations

from dataclasses import dataclass

from airace_pipeline.normalise.money import STALE_AFTER_DAYS


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    description: str
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    # (column, referenced table, referenced column); a NULL value does not need to resolve.
    foreign_keys: tuple[tuple[str, str, str], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def create_sql(self, schema: str = "main") -> str:
        """DDL for this table. Names come from this module's constants, never from input, and DuckDB
        cannot bind identifiers as parameters, hence the quoted string building here only."""
        cols = ",\n  ".join(
            f'"{c.name}" {c.sql_type}{"" if c.nullable else " NOT NULL"}' for c in self.columns
        )
        return f'CREATE TABLE IF NOT EXISTS "{schema}"."{self.name}" (\n  {cols}\n)'


def _c(name: str, sql_type: str, description: str, nullable: bool = True) -> Column:
    return Column(name, sql_type, description, nullable)


def _fx_rate_stale(usd_column: str, day: str) -> Column:
    """The stale-rate flag beside every USD conversion, worded once so the tables agree."""
    return _c(
        "fx_rate_stale",
        "BOOLEAN",
        f"True when the rate used for {usd_column} is more than {STALE_AFTER_DAYS} days older than {day} "
        "(the ECB no longer quotes the currency, or the shipped rates end before it); NULL without a USD "
        "value.",
    )


_PROVENANCE_NOTE = "See `evidence` for the sentences that state it."

DOCUMENTS = Table(
    "documents",
    "One row per ingested document, from every enabled source.",
    (
        _c("document_id", "VARCHAR", "Stable id from the source entry and the document's origin.", False),
        _c("collection", "VARCHAR", "funding_announcement, policy_text or news.", False),
        _c(
            "source", "VARCHAR", "Publisher or outlet (the source entry's name when the document names none)."
        ),
        _c("url", "VARCHAR", "Where the document was published, when known."),
        _c("title", "VARCHAR", "Title from metadata, the first heading, or the file name."),
        _c("published_on", "DATE", "Publication day; the document's partition.", False),
        _c("content_sha256", "VARCHAR", "SHA-256 of the text, to see when a document changed.", False),
        _c("ingested_at", "TIMESTAMP WITH TIME ZONE", "When the document was last loaded."),
        _c("source_name", "VARCHAR", "The sources.yaml entry the document came from.", False),
        _c("origin", "VARCHAR", "Path (or URL, feed id) inside that source.", False),
        _c("date_basis", "VARCHAR", "Where published_on came from: metadata, text or file_modified."),
        _c("text", "VARCHAR", "Document text (HTML reduced to text); evidence spans index into it.", False),
        _c(
            "structured_facts",
            "VARCHAR",
            "JSON list of facts the source states as data (Federal Register EOs, AIID incidents, EUR-Lex "
            "acts); they become mentions citing the text's first line. NULL for plain documents.",
        ),
    ),
    ("document_id",),
)

COUNTRIES = Table(
    "countries",
    "ISO 3166-1 alpha-2 countries plus EU (supranational) and XK.",
    (
        _c("country_code", "VARCHAR", "ISO 3166-1 alpha-2, or EU.", False),
        _c("iso3", "VARCHAR", "ISO 3166-1 alpha-3 (XKX for Kosovo, NULL for the EU)."),
        _c("name", "VARCHAR", "Common English name.", False),
        _c("is_supranational", "BOOLEAN", "True for the EU.", False),
    ),
    ("country_code",),
)

ORGANISATIONS = Table(
    "organisations",
    "One canonical row per real-world organisation (gazetteer entries and names found in the text).",
    (
        _c(
            "organisation_id",
            "VARCHAR",
            "Gazetteer id, or 'org-' + a slug of the name when not in it.",
            False,
        ),
        _c("name", "VARCHAR", "Canonical name.", False),
        _c("country_code", "VARCHAR", "Country of headquarters (ISO alpha-2 or EU)."),
        _c(
            "kind",
            "VARCHAR",
            "company, investor, government, intergovernmental, university, nonprofit, military, other.",
            False,
        ),
        _c("parent_id", "VARCHAR", "Related parent organisation (e.g. Google DeepMind -> Alphabet)."),
        _c("aliases", "VARCHAR[]", "Other names it is known by."),
        _c("in_gazetteer", "BOOLEAN", "False when minted from a name seen only in the text.", False),
    ),
    ("organisation_id",),
    (("country_code", "countries", "country_code"), ("parent_id", "organisations", "organisation_id")),
)

INVESTMENTS = Table(
    "investments",
    f"One row per real-world investment, funding round or public programme. {_PROVENANCE_NOTE}",
    (
        _c("investment_id", "VARCHAR", "Stable id.", False),
        _c("announced_on", "DATE", "Announcement date."),
        _c(
            "recipient_id",
            "VARCHAR",
            "Organisation receiving the money (NULL for a country-level programme).",
        ),
        _c("country_code", "VARCHAR", "Country of the recipient or of the programme."),
        _c("amount", "DOUBLE", "Amount as stated, in `currency` units (NULL when undisclosed)."),
        _c("currency", "VARCHAR", "ISO 4217 code of the stated amount."),
        _c("amount_usd", "DOUBLE", "Amount in US dollars at the announcement date's reference rate."),
        _c("is_upper_bound", "BOOLEAN", "True for 'up to' amounts.", False),
        _c(
            "kind",
            "VARCHAR",
            "private_round, corporate_strategic, government_programme, public_private_initiative, "
            "acquisition, other.",
            False,
        ),
        _c(
            "round_type",
            "VARCHAR",
            "pre_seed, seed, series_a..series_j, corporate_round, debt, grant, undisclosed.",
        ),
        _c("name", "VARCHAR", "Name of the programme or initiative when it has one (e.g. Stargate)."),
        _c("certainty", "VARCHAR", "reported, rumoured, denied or forecast.", False),
        _c("fx_rate_date", "DATE", "Date of the exchange rate used for amount_usd."),
        _c("evidence_count", "INTEGER", "How many sentences state it.", False),
        _fx_rate_stale("amount_usd", "the announcement date"),
    ),
    ("investment_id",),
    (("recipient_id", "organisations", "organisation_id"), ("country_code", "countries", "country_code")),
)

INVESTMENT_PARTICIPANTS = Table(
    "investment_participants",
    "Investors and funders of each investment.",
    (
        _c("investment_id", "VARCHAR", "The investment.", False),
        _c("organisation_id", "VARCHAR", "The investor or funder.", False),
        _c("role", "VARCHAR", "lead, participant or funder.", False),
    ),
    ("investment_id", "organisation_id", "role"),
    (
        ("investment_id", "investments", "investment_id"),
        ("organisation_id", "organisations", "organisation_id"),
    ),
)

ALLIANCES = Table(
    "alliances",
    f"Partnerships, pacts, memoranda and declarations between organisations or countries. {_PROVENANCE_NOTE}",
    (
        _c("alliance_id", "VARCHAR", "Stable id.", False),
        _c("name", "VARCHAR", "Name of the alliance or agreement."),
        _c("announced_on", "DATE", "Announcement or signature date."),
        _c("focus_areas", "VARCHAR[]", "Areas of cooperation (e.g. chips, quantum computing)."),
        _c("committed_amount_usd", "DOUBLE", "Money committed within the alliance, in US dollars."),
        _c("committed_amount", "DOUBLE", "That money as stated."),
        _c("committed_currency", "VARCHAR", "ISO 4217 code of the stated commitment."),
        _c("certainty", "VARCHAR", "reported, rumoured, denied or forecast.", False),
        _c("evidence_count", "INTEGER", "How many sentences state it.", False),
        _c("fx_rate_date", "DATE", "Date of the exchange rate used for committed_amount_usd."),
        _fx_rate_stale("committed_amount_usd", "the announcement date"),
    ),
    ("alliance_id",),
)

ALLIANCE_MEMBERS = Table(
    "alliance_members",
    "Members of each alliance: an organisation, a country, or both.",
    (
        _c("alliance_id", "VARCHAR", "The alliance.", False),
        _c("organisation_id", "VARCHAR", "Member organisation (NULL when a country is the member)."),
        _c("country_code", "VARCHAR", "Member country, or the organisation's country."),
        _c("role", "VARCHAR", "member, founding_member, signatory or host.", False),
    ),
    ("alliance_id", "organisation_id", "country_code", "role"),
    (
        ("alliance_id", "alliances", "alliance_id"),
        ("organisation_id", "organisations", "organisation_id"),
        ("country_code", "countries", "country_code"),
    ),
)

INCIDENTS = Table(
    "incidents",
    f"Leaks, breaches, investigations, lawsuits, deployments and misuse involving AI. {_PROVENANCE_NOTE}",
    (
        _c("incident_id", "VARCHAR", "Stable id.", False),
        _c(
            "incident_type",
            "VARCHAR",
            "model_leak, data_breach, regulatory_investigation, litigation, military_deployment, "
            "export_control, misuse, safety_failure, other.",
            False,
        ),
        _c("occurred_on", "DATE", "When it happened or was first reported."),
        _c("country_code", "VARCHAR", "Where it happened, or the acting regulator's country."),
        _c("title", "VARCHAR", "Short title."),
        _c("description", "VARCHAR", "The sentence that first states it."),
        _c("amount", "DOUBLE", "Money involved as stated (a fine, a fraud), if any."),
        _c("currency", "VARCHAR", "ISO 4217 code of `amount`."),
        _c("amount_usd", "DOUBLE", "`amount` in US dollars."),
        _c("certainty", "VARCHAR", "reported, rumoured, denied or forecast.", False),
        _c("evidence_count", "INTEGER", "How many sentences state it.", False),
        _c("aiid_incident_id", "VARCHAR", "AI Incident Database incident number, when it comes from AIID."),
        _c("fx_rate_date", "DATE", "Date of the exchange rate used for amount_usd."),
        _fx_rate_stale("amount_usd", "occurred_on"),
    ),
    ("incident_id",),
    (("country_code", "countries", "country_code"),),
)

INCIDENT_ACTORS = Table(
    "incident_actors",
    "Who was involved in each incident, and how.",
    (
        _c("incident_id", "VARCHAR", "The incident.", False),
        _c("organisation_id", "VARCHAR", "The organisation (NULL when a country acts as such)."),
        _c("country_code", "VARCHAR", "The actor's country."),
        _c("role", "VARCHAR", "developer, deployer, harmed_party, regulator, subject or perpetrator.", False),
    ),
    ("incident_id", "organisation_id", "country_code", "role"),
    (
        ("incident_id", "incidents", "incident_id"),
        ("organisation_id", "organisations", "organisation_id"),
        ("country_code", "countries", "country_code"),
    ),
)

POLICIES = Table(
    "policies",
    f"Laws, regulations, executive orders, strategies, programmes, guidance and agreements. {_PROVENANCE_NOTE}",
    (
        _c("policy_id", "VARCHAR", "Stable id.", False),
        _c("title", "VARCHAR", "Short canonical title.", False),
        _c("jurisdiction_code", "VARCHAR", "Country (ISO alpha-2) or EU."),
        _c(
            "instrument_type",
            "VARCHAR",
            "law, regulation, executive_order, national_strategy, funding_programme, guidance, "
            "export_control, international_agreement, other.",
            False,
        ),
        _c("status", "VARCHAR", "proposed, adopted, in_force, revoked or unknown.", False),
        _c("announced_on", "DATE", "Date signed, adopted or issued."),
        _c("revoked_on", "DATE", "Date revoked, when it was."),
        _c("eo_number", "VARCHAR", "US executive order number."),
        _c("celex", "VARCHAR", "EUR-Lex CELEX number."),
        _c("fr_document_number", "VARCHAR", "US Federal Register document number."),
        _c("certainty", "VARCHAR", "reported, rumoured, denied or forecast.", False),
        _c("evidence_count", "INTEGER", "How many sentences state it.", False),
    ),
    ("policy_id",),
    (("jurisdiction_code", "countries", "country_code"),),
)

EVIDENCE = Table(
    "evidence",
    "The sentences behind every fact row: cite these. span_start/span_end index documents.text.",
    (
        _c("fact_table", "VARCHAR", "investments, alliances, incidents or policies.", False),
        _c("fact_id", "VARCHAR", "Id of the fact row in that table.", False),
        _c("document_id", "VARCHAR", "The document.", False),
        _c("sentence", "VARCHAR", "The sentence as written.", False),
        _c("span_start", "INTEGER", "Character offset of the sentence in documents.text.", False),
        _c("span_end", "INTEGER", "End offset (exclusive).", False),
        _c("mention_id", "VARCHAR", "The extracted mention this row comes from.", False),
        _c("certainty", "VARCHAR", "Certainty of this statement.", False),
    ),
    ("fact_table", "fact_id", "mention_id"),
    (("document_id", "documents", "document_id"),),
)

QUARANTINE = Table(
    "quarantine",
    "Everything that was not loaded, with the stage and the reason: nothing is dropped silently.",
    (
        _c("stage", "VARCHAR", "ingest, extract or validate.", False),
        _c("record", "VARCHAR", "The rejected record as JSON.", False),
        _c("reason", "VARCHAR", "Why it was rejected (the failed check and value).", False),
        _c("document_id", "VARCHAR", "The document it came from, when known."),
        _c("quarantined_at", "TIMESTAMP WITH TIME ZONE", "When it was rejected.", False),
        _c("table_name", "VARCHAR", "The table the record was meant for."),
    ),
    (),
)

FACT_TABLES: tuple[Table, ...] = (
    INVESTMENTS,
    INVESTMENT_PARTICIPANTS,
    ALLIANCES,
    ALLIANCE_MEMBERS,
    INCIDENTS,
    INCIDENT_ACTORS,
    POLICIES,
    EVIDENCE,
)
CONTRACT: tuple[Table, ...] = (DOCUMENTS, COUNTRIES, ORGANISATIONS, *FACT_TABLES, QUARANTINE)
BY_NAME: dict[str, Table] = {t.name: t for t in CONTRACT}
