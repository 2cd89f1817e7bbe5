"""One canonical organisation per name seen in the text.

Order of trust: the extractor's gazetteer id; an exact (case-folded, legal-suffix-stripped) match on a
gazetteer name or alias; a fuzzy match (rapidfuzz `fuzz.ratio` >= FUZZY_THRESHOLD on those normalised
forms, which catches "Open AI" or "Anthropic PBC" but not "Meta" vs "Metaculus"; a tie between two
organisations is no match); otherwise a new id minted
from the name, so that every participant still resolves to an `organisations` row. A country acting as
such ("Japan and South Korea agreed") maps to its government, `gov-<code>`, where an organisation is
needed (investment funders).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from airace_pipeline.reference.countries import Country
from airace_pipeline.reference.organisations import Organisation

FUZZY_THRESHOLD = 90.0
_LEGAL_SUFFIX = re.compile(
    r"[,.]?\s+(inc|incorporated|corp|corporation|ltd|limited|llc|plc|gmbh|sa|sas|ag|co|pbc|lp|holdings)\.?$",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^0-9a-z]+")

NAME_MAP_COLUMNS = ["participant_key", "organisation_id", "government_id", "method"]


def participant_key(
    name: str, organisation_id: str | None, is_country: bool, country_code: str | None
) -> str:
    """The identity of a participant as the extractor gave it, for joining to the name map."""
    return "\x1f".join([organisation_id or "", "1" if is_country else "0", country_code or "", name])


def normalised_form(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip()
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    while (stripped := _LEGAL_SUFFIX.sub("", text)) != text:
        text = stripped
    return _NON_WORD.sub(" ", text.casefold()).strip()


def slug(name: str) -> str:
    return normalised_form(name).replace(" ", "-")[:60] or "unnamed"


def government_id(country_code: str) -> str:
    return f"gov-{country_code.lower()}"


@dataclass(frozen=True)
class Resolution:
    organisations: pd.DataFrame  # the `organisations` table
    name_map: pd.DataFrame  # participant_key -> organisation_id / government_id, with the method used


def resolve_organisations(
    participants: pd.DataFrame, gazetteer: Sequence[Organisation], countries: Sequence[Country]
) -> Resolution:
    """Build the organisations table and the map from each distinct participant to its organisation.

    `participants` needs columns name, organisation_id, is_country, country_code (one row per mention
    participant; duplicates are fine).
    """
    by_id = {org.organisation_id: org for org in gazetteer}
    exact: dict[str, str] = {}
    for org in gazetteer:
        for form in org.surface_forms:
            exact.setdefault(normalised_form(form), org.organisation_id)
    choices = list(exact)
    country_names = {c.country_code: c.name for c in countries}

    rows = {org.organisation_id: _gazetteer_row(org) for org in gazetteer}
    mapping: list[tuple[str, str | None, str | None, str]] = []
    distinct = participants[["name", "organisation_id", "is_country", "country_code"]].drop_duplicates()
    for name, given_id, is_country, country in distinct.itertuples(index=False, name=None):
        given_id = given_id if isinstance(given_id, str) else None
        country = country if isinstance(country, str) else None
        key = participant_key(name, given_id, bool(is_country), country)
        if is_country and country:
            gov = government_id(country)
            if gov not in rows:
                label = country_names.get(country, country)
                rows[gov] = _row(gov, f"Government of {label}", country, "government", in_gazetteer=False)
            mapping.append((key, None, gov, "country"))
            continue
        org_id, method = _match(name, given_id, by_id, exact, choices)
        if org_id is None:
            org_id, method = f"org-{slug(name)}", "minted"
            rows.setdefault(org_id, _row(org_id, name.strip(), country, "other", in_gazetteer=False))
        mapping.append((key, org_id, None, method))
    organisations = pd.DataFrame(list(rows.values())).sort_values("organisation_id", ignore_index=True)
    name_map = pd.DataFrame(mapping, columns=NAME_MAP_COLUMNS).drop_duplicates("participant_key")
    return Resolution(organisations, name_map)


def _match(
    name: str, given_id: str | None, by_id: dict[str, Organisation], exact: dict[str, str], choices: list[str]
) -> tuple[str | None, str]:
    if given_id and given_id in by_id:
        return given_id, "gazetteer_id"
    form = normalised_form(name)
    if form in exact:
        return exact[form], "exact"
    if form and choices:
        best = process.extract(form, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None)
        top = {exact[choice] for choice, score, _ in best if score == best[0][1]} if best else set()
        # A tie between two organisations is no match: a bare "AI Safety Institute" is as close to the
        # US one as to the UK one, and picking the first would assert a country the text never gave.
        if len(top) == 1:
            return top.pop(), "fuzzy"
    return None, "minted"


def _gazetteer_row(org: Organisation) -> dict[str, object]:
    row = _row(org.organisation_id, org.name, org.country_code, org.kind, in_gazetteer=True)
    row.update(parent_id=org.parent_id, aliases=list(org.aliases))
    return row


def _row(org_id: str, name: str, country: str | None, kind: str, *, in_gazetteer: bool) -> dict[str, object]:
    return {
        "organisation_id": org_id,
        "name": name,
        "country_code": country,
        "kind": kind,
        "parent_id": None,
        "aliases": [],
        "in_gazetteer": in_gazetteer,
    }
