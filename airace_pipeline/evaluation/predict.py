"""Predicted fact rows per case: the rule-based extractor, then the pipeline's own resolution and clustering.

Scoring table rows rather than raw mentions is the point: a fact told twice in one case (or by two
documents of a case) must come out as one row, exactly as `fact_tables` would store it. Each case is
clustered on its own, so events of different cases never merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from airace_pipeline.evaluation.cases import Case
from airace_pipeline.extraction import Document, RuleBasedExtractor
from airace_pipeline.extraction.frames import extract_documents
from airace_pipeline.normalise.facts import build_fact_tables
from airace_pipeline.normalise.money import UsdRates
from airace_pipeline.normalise.organisations import government_id, participant_key, resolve_organisations
from airace_pipeline.reference.countries import all_countries
from airace_pipeline.reference.organisations import Organisation

# The fact table, its id column, its child table of participants, and the column holding the type.
_SHAPES = {
    "investments": ("investment_id", "investment_participants", "kind"),
    "alliances": ("alliance_id", "alliance_members", None),
    "incidents": ("incident_id", "incident_actors", "incident_type"),
    "policies": ("policy_id", None, "instrument_type"),
}


@dataclass(frozen=True)
class PredictedFact:
    table: str
    type: str | None
    amount: float | None
    currency: str | None
    amount_usd: float | None
    date: str | None
    country: str | None
    certainty: str
    # (organisation id, role); a country acting as such is its government's id, as gold `gov:XX` is.
    orgs: frozenset[tuple[str, str]]
    sentence: str
    name: str | None = None  # a policy's title, an alliance's or a programme's name


def predict(
    cases: Sequence[Case], organisations: Sequence[Organisation], rates: UsdRates
) -> dict[str, list[PredictedFact]]:
    """Fact rows per case id."""
    extractor = RuleBasedExtractor(organisations)
    documents = [
        Document(
            document_id=f"{case.case_id}#{n}",
            title="",
            text=doc.text,
            published_on=doc.published,
            date_known=doc.date_known,
        )
        for case in cases
        for n, doc in enumerate(case.documents)
    ]
    batch = extract_documents(extractor, documents)
    errors = batch.document_runs[batch.document_runs["error"].notna()]
    if not errors.empty:
        raise RuntimeError(f"the extractor failed on {errors[['document_id', 'error']].to_dict('records')}")
    mentions = batch.mentions
    participants = batch.participants
    resolution = resolve_organisations(participants, organisations, all_countries())
    participants = _resolved(participants, resolution.name_map)
    org_countries = dict(
        zip(
            resolution.organisations["organisation_id"], resolution.organisations["country_code"], strict=True
        )
    )
    case_of = mentions["document_id"].str.split("#").str[0]
    out: dict[str, list[PredictedFact]] = {case.case_id: [] for case in cases}
    for case_id, case_mentions in mentions.groupby(case_of, sort=False):
        case_participants = participants[participants["mention_id"].isin(case_mentions["mention_id"])]
        tables = build_fact_tables(case_mentions, case_participants, org_countries, rates).tables
        out[str(case_id)] = _facts(tables)
    return out


def _resolved(participants: pd.DataFrame, name_map: pd.DataFrame) -> pd.DataFrame:
    """The same join as the `fact_tables` asset: each participant with its organisation / government id."""
    participants = participants.copy()
    participants["participant_key"] = [
        participant_key(
            r.name,
            r.organisation_id if isinstance(r.organisation_id, str) else None,
            bool(r.is_country),
            r.country_code if isinstance(r.country_code, str) else None,
        )
        for r in participants.itertuples(index=False)
    ]
    resolved = participants.drop(columns=["organisation_id"]).merge(
        name_map, on="participant_key", how="left"
    )
    return resolved.astype(object).where(resolved.notna(), None)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: object) -> float | None:
    return float(value) if value is not None and not pd.isna(value) else None


def _day(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _facts(tables: dict[str, pd.DataFrame]) -> list[PredictedFact]:
    evidence = tables["evidence"]
    facts: list[PredictedFact] = []
    for table, (id_column, child, type_column) in _SHAPES.items():
        frame = tables[table]
        links = tables[child] if child else None
        for row in frame.to_dict("records"):
            fact_id = row[id_column]
            orgs: set[tuple[str, str]] = set()
            if table == "investments" and _text(row["recipient_id"]):
                orgs.add((row["recipient_id"], "recipient"))
            if links is not None:
                for link in links[links[id_column] == fact_id].to_dict("records"):
                    org = _text(link["organisation_id"])
                    if org is None and _text(link.get("country_code")):
                        org = government_id(link["country_code"])
                    if org is not None:
                        orgs.add((org, link["role"]))
            amount_column = "committed_amount" if table == "alliances" else "amount"
            currency_column = "committed_currency" if table == "alliances" else "currency"
            usd_column = "committed_amount_usd" if table == "alliances" else "amount_usd"
            date_column = {"incidents": "occurred_on"}.get(table, "announced_on")
            country_column = {"policies": "jurisdiction_code"}.get(table, "country_code")
            sentences = evidence.loc[evidence["fact_id"] == fact_id, "sentence"]
            facts.append(
                PredictedFact(
                    table=table,
                    type=_text(row[type_column]) if type_column else None,
                    amount=_number(row.get(amount_column)),
                    currency=_text(row.get(currency_column)),
                    amount_usd=_number(row.get(usd_column)),
                    date=_day(row[date_column]),
                    country=_text(row.get(country_column)),
                    certainty=row["certainty"],
                    orgs=frozenset(orgs),
                    sentence=str(sentences.iloc[0]) if len(sentences) else "",
                    name=_text(row.get("title" if table == "policies" else "name")),
                )
            )
    return facts
