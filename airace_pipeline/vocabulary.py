"""Controlled vocabularies of the SQL contract (README "SQL contract"); validation enforces them.

A module of its own, with no imports, so that reference data, validation and the extractor can all use
it without importing each other.
"""

from __future__ import annotations

FACT_TYPES: tuple[str, ...] = ("investment", "alliance", "incident", "policy")
CERTAINTIES: tuple[str, ...] = ("reported", "rumoured", "denied", "forecast")

INVESTMENT_KINDS: tuple[str, ...] = (
    "private_round",
    "corporate_strategic",
    "government_programme",
    "public_private_initiative",
    "acquisition",
    "other",
)
ROUND_TYPES: tuple[str, ...] = (
    "pre_seed",
    "seed",
    *(f"series_{letter}" for letter in "abcdefghij"),
    "corporate_round",
    "debt",
    "grant",
    "undisclosed",
)
INCIDENT_TYPES: tuple[str, ...] = (
    "model_leak",
    "data_breach",
    "regulatory_investigation",
    "litigation",
    "military_deployment",
    "export_control",
    "misuse",
    "safety_failure",
    "other",
)
INSTRUMENT_TYPES: tuple[str, ...] = (
    "law",
    "regulation",
    "executive_order",
    "national_strategy",
    "funding_programme",
    "guidance",
    "export_control",
    "international_agreement",
    "other",
)
POLICY_STATUSES: tuple[str, ...] = ("proposed", "adopted", "in_force", "revoked", "unknown")

# Participant roles, per fact type. "recipient" is the investment's recipient (investments.recipient_id);
# the others become rows of investment_participants / alliance_members / incident_actors.
INVESTMENT_ROLES: tuple[str, ...] = ("recipient", "lead", "participant", "funder")
ALLIANCE_ROLES: tuple[str, ...] = ("member", "founding_member", "signatory", "host")
INCIDENT_ROLES: tuple[str, ...] = (
    "developer",
    "deployer",
    "harmed_party",
    "regulator",
    "subject",
    "perpetrator",
)
POLICY_ROLES: tuple[str, ...] = ("issuer", "subject")
ORGANISATION_KINDS: tuple[str, ...] = (
    "company",
    "investor",
    "government",
    "intergovernmental",
    "university",
    "nonprofit",
    "military",
    "other",
)
