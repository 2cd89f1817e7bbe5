"""One pandera model per table, mirroring `warehouse.contract` (a test keeps the two in step).

Checks are vectorised built-ins (isin, ranges, string lengths) because element-wise Python checks are
slow at a million rows. Cross-table rules (foreign keys) are not here: they need the
other tables and are asset checks instead.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from airace_pipeline.sources.schema import COLLECTIONS
from airace_pipeline.vocabulary import (
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

PARTICIPANT_ROLES: tuple[str, ...] = ("lead", "participant", "funder")
FACT_TABLE_NAMES: tuple[str, ...] = ("investments", "alliances", "incidents", "policies")
STAGES: tuple[str, ...] = ("ingest", "extract", "validate")
_CODE = {"str_matches": r"^[A-Z]{2}$"}
_CURRENCY = {"str_matches": r"^[A-Z]{3}$"}


class _Strict(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = True


class DocumentsModel(_Strict):
    document_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 8})
    collection: Series[str] = pa.Field(isin=COLLECTIONS)
    source: Series[str] = pa.Field(nullable=True)
    url: Series[str] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    published_on: Series[pd.Timestamp] = pa.Field()
    content_sha256: Series[str] = pa.Field(str_length=64)
    ingested_at: Series[pd.DatetimeTZDtype] = pa.Field(
        nullable=True, dtype_kwargs={"unit": "us", "tz": "UTC"}
    )
    source_name: Series[str] = pa.Field()
    origin: Series[str] = pa.Field()
    date_basis: Series[str] = pa.Field(nullable=True, isin=("metadata", "text", "file_modified"))
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    structured_facts: Series[str] = pa.Field(nullable=True)


class CountriesModel(_Strict):
    country_code: Series[str] = pa.Field(unique=True, **_CODE)
    iso3: Series[str] = pa.Field(nullable=True, str_length=3)
    name: Series[str] = pa.Field()
    is_supranational: Series[bool] = pa.Field()


class OrganisationsModel(_Strict):
    organisation_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    country_code: Series[str] = pa.Field(nullable=True, **_CODE)
    kind: Series[str] = pa.Field(isin=ORGANISATION_KINDS)
    parent_id: Series[str] = pa.Field(nullable=True)
    aliases: Series[object] = pa.Field(nullable=True)
    in_gazetteer: Series[bool] = pa.Field()


class FactMentionsModel(_Strict):
    """The extract stage's output; a mention failing here never reaches the fact tables."""

    mention_id: Series[str] = pa.Field(unique=True)
    document_id: Series[str] = pa.Field()
    published_on: Series[pd.Timestamp] = pa.Field()
    fact_type: Series[str] = pa.Field(isin=FACT_TYPES)
    sentence: Series[str] = pa.Field(str_length={"min_value": 1})
    span_start: Series[int] = pa.Field(ge=0)
    span_end: Series[int] = pa.Field(ge=1)
    certainty: Series[str] = pa.Field(isin=CERTAINTIES)
    subtype: Series[str] = pa.Field(
        nullable=True, isin=(*INVESTMENT_KINDS, *INCIDENT_TYPES, *INSTRUMENT_TYPES)
    )
    name: Series[str] = pa.Field(nullable=True)
    announced_on: Series[pd.Timestamp] = pa.Field(nullable=True)
    date_precision: Series[str] = pa.Field(nullable=True, isin=("day", "month", "year"))
    country_code: Series[str] = pa.Field(nullable=True, **_CODE)
    amount: Series[float] = pa.Field(nullable=True, ge=0, lt=1e16)
    currency: Series[str] = pa.Field(nullable=True, **_CURRENCY)
    is_upper_bound: Series[bool] = pa.Field()
    round_type: Series[str] = pa.Field(nullable=True, isin=ROUND_TYPES)
    status: Series[str] = pa.Field(nullable=True, isin=POLICY_STATUSES)
    focus_areas: Series[object] = pa.Field(nullable=True)
    external_ids: Series[str] = pa.Field(nullable=True)
    extractor: Series[str] = pa.Field()

    @pa.dataframe_check(error="span_end must be greater than span_start")
    @classmethod
    def span_order(cls, df: pd.DataFrame) -> Series[bool]:
        return df["span_end"] > df["span_start"]

    @pa.dataframe_check(error="an amount needs a currency")
    @classmethod
    def amount_has_currency(cls, df: pd.DataFrame) -> Series[bool]:
        return df["amount"].isna() | df["currency"].notna()


class MentionParticipantsModel(_Strict):
    mention_id: Series[str] = pa.Field()
    document_id: Series[str] = pa.Field()
    position: Series[int] = pa.Field(ge=0)
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    role: Series[str] = pa.Field(isin=(*INVESTMENT_ROLES, *ALLIANCE_ROLES, *INCIDENT_ROLES, *POLICY_ROLES))
    organisation_id: Series[str] = pa.Field(nullable=True)
    country_code: Series[str] = pa.Field(nullable=True, **_CODE)
    is_country: Series[bool] = pa.Field()

    class Config:
        unique = ["mention_id", "position"]


class _Fact(_Strict):
    certainty: Series[str] = pa.Field(isin=CERTAINTIES)
    evidence_count: Series[int] = pa.Field(ge=1)


class InvestmentsModel(_Fact):
    investment_id: Series[str] = pa.Field(unique=True)
    announced_on: Series[pd.Timestamp] = pa.Field(nullable=True)
    recipient_id: Series[str] = pa.Field(nullable=True)
    country_code: Series[str] = pa.Field(nullable=True, **_CODE)
    amount: Series[float] = pa.Field(nullable=True, ge=0, lt=1e16)
    currency: Series[str] = pa.Field(nullable=True, **_CURRENCY)
    amount_usd: Series[float] = pa.Field(nullable=True, ge=0, lt=1e14)
    is_upper_bound: Series[bool] = pa.Field()
    kind: Series[str] = pa.Field(isin=INVESTMENT_KINDS)
    round_type: Series[str] = pa.Field(nullable=True, isin=ROUND_TYPES)
    name: Series[str] = pa.Field(nullable=True)
    fx_rate_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    fx_rate_stale: Series[pd.BooleanDtype] = pa.Field(nullable=True)

    @pa.dataframe_check(error="an amount needs a currency")
    @classmethod
    def amount_has_currency(cls, df: pd.DataFrame) -> Series[bool]:
        return df["amount"].isna() | df["currency"].notna()


class InvestmentParticipantsModel(_Strict):
    investment_id: Series[str] = pa.Field()
    organisation_id: Series[str] = pa.Field()
    role: Series[str] = pa.Field(isin=PARTICIPANT_ROLES)

    class Config:
        unique = ["investment_id", "organisation_id", "role"]


class AlliancesModel(_Fact):
    alliance_id: Series[str] = pa.Field(unique=True)
    name: Series[str] = pa.Field(nullable=True)
    announced_on: Series[pd.Timestamp] = pa.Field(nullable=True)
    focus_areas: Series[object] = pa.Field(nullable=True)
    committed_amount_usd: Series[float] = pa.Field(nullable=True, ge=0, lt=1e14)
    committed_amount: Series[float] = pa.Field(nullable=True, ge=0)
    committed_currency: Series[str] = pa.Field(nullable=True, **_CURRENCY)
    fx_rate_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    fx_rate_stale: Series[pd.BooleanDtype] = pa.Field(nullable=True)


class AllianceMembersModel(_Strict):
    alliance_id: Series[str] = pa.Field()
    organisation_id: Series[str] = pa.Field(nullable=True)
    country_code: Series[str] = pa.Field(nullable=True, **_CODE)
    role: Series[str] = pa.Field(isin=ALLIANCE_ROLES)

    @pa.dataframe_check(error="a member needs an organisation or a country")
    @classmethod
    def has_member(cls, df: pd.DataFrame) -> Series[bool]:
        return df["organisation_id"].notna() | df["country_code"].notna()


class IncidentsModel(_Fact):
    incident_id: Series[str] = pa.Field(unique=True)
    incident_type: Series[str] = pa.Field(isin=INCIDENT_TYPES)
    occurred_on: Series[pd.Timestamp] = pa.Field(nullable=True)
    country_code: Series[str] = pa.Field(nullable=True, **_CODE)
    title: Series[str] = pa.Field(nullable=True)
    description: Series[str] = pa.Field(nullable=True)
    amount: Series[float] = pa.Field(nullable=True, ge=0)
    currency: Series[str] = pa.Field(nullable=True, **_CURRENCY)
    amount_usd: Series[float] = pa.Field(nullable=True, ge=0)
    aiid_incident_id: Series[str] = pa.Field(nullable=True)
    fx_rate_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    fx_rate_stale: Series[pd.BooleanDtype] = pa.Field(nullable=True)


class IncidentActorsModel(_Strict):
    incident_id: Series[str] = pa.Field()
    organisation_id: Series[str] = pa.Field(nullable=True)
    country_code: Series[str] = pa.Field(nullable=True, **_CODE)
    role: Series[str] = pa.Field(isin=INCIDENT_ROLES)

    @pa.dataframe_check(error="an actor needs an organisation or a country")
    @classmethod
    def has_actor(cls, df: pd.DataFrame) -> Series[bool]:
        return df["organisation_id"].notna() | df["country_code"].notna()


class PoliciesModel(_Fact):
    policy_id: Series[str] = pa.Field(unique=True)
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    jurisdiction_code: Series[str] = pa.Field(nullable=True, **_CODE)
    instrument_type: Series[str] = pa.Field(isin=INSTRUMENT_TYPES)
    status: Series[str] = pa.Field(isin=POLICY_STATUSES)
    announced_on: Series[pd.Timestamp] = pa.Field(nullable=True)
    revoked_on: Series[pd.Timestamp] = pa.Field(nullable=True)
    eo_number: Series[str] = pa.Field(nullable=True)
    celex: Series[str] = pa.Field(nullable=True)
    fr_document_number: Series[str] = pa.Field(nullable=True)


class EvidenceModel(_Strict):
    fact_table: Series[str] = pa.Field(isin=FACT_TABLE_NAMES)
    fact_id: Series[str] = pa.Field()
    document_id: Series[str] = pa.Field()
    sentence: Series[str] = pa.Field(str_length={"min_value": 1})
    span_start: Series[int] = pa.Field(ge=0)
    span_end: Series[int] = pa.Field(ge=1)
    mention_id: Series[str] = pa.Field()
    certainty: Series[str] = pa.Field(isin=CERTAINTIES)

    class Config:
        unique = ["fact_table", "fact_id", "mention_id"]


class QuarantineModel(_Strict):
    stage: Series[str] = pa.Field(isin=STAGES)
    record: Series[str] = pa.Field()
    reason: Series[str] = pa.Field(str_length={"min_value": 1})
    document_id: Series[str] = pa.Field(nullable=True)
    quarantined_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs={"unit": "us", "tz": "UTC"})
    table_name: Series[str] = pa.Field(nullable=True)


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "documents": DocumentsModel,
    "countries": CountriesModel,
    "organisations": OrganisationsModel,
    "fact_mentions": FactMentionsModel,
    "mention_participants": MentionParticipantsModel,
    "investments": InvestmentsModel,
    "investment_participants": InvestmentParticipantsModel,
    "alliances": AlliancesModel,
    "alliance_members": AllianceMembersModel,
    "incidents": IncidentsModel,
    "incident_actors": IncidentActorsModel,
    "policies": PoliciesModel,
    "evidence": EvidenceModel,
    "quarantine": QuarantineModel,
}
