"""The organisation gazetteer: canonical ids for the labs, investors, governments and regulators we track.

Users edit `data/reference/organisations.yaml`; a bad edit must fail loudly with the file and the entry
named, because a silently dropped alias means facts silently lose their canonical organisation.

Modelling choices (documented here because the YAML cannot carry comments through every edit):
- Governments are `kind: government` with ids `gov-<alpha2 lower>` and their country's code.
- The European Commission is `kind: government` with country `EU`, parent `gov-eu`: it is the EU's
  executive and acts as a jurisdiction's government (issuing policy, fining firms), which is how the rest of
  the pipeline uses governments. Treaty bodies with member states (OECD, UN, G7) are `intergovernmental`.
- Related but distinct entities (Google vs Alphabet vs Google DeepMind) are separate ids tied by
  `parent_id`; one entity under several names (Meta, Meta Platforms, Facebook) is one id with aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from airace_pipeline.vocabulary import ORGANISATION_KINDS

DEFAULT_ORGANISATIONS_PATH = Path(__file__).resolve().parents[2] / "data/reference/organisations.yaml"


@dataclass(frozen=True)
class Organisation:
    organisation_id: str
    name: str
    aliases: tuple[str, ...]
    country_code: str | None
    kind: str
    parent_id: str | None = None

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The name and its aliases, as matched in text."""
        return (self.name, *self.aliases)


def _fail(path: Path, entry: str, problem: str) -> ValueError:
    return ValueError(f"{path}: {entry}: {problem}")


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        # YAML 1.1 reads an unquoted NO (Norway) or ON as a boolean: make the user quote it.
        raise TypeError(f"got the boolean {value!r}; quote the value")
    return str(value).strip() or None


def _parse_entry(path: Path, index: int, raw: Any, known_codes: set[str]) -> Organisation:
    try:
        return _parse_fields(path, index, raw, known_codes)
    except TypeError as error:
        raise _fail(path, f"entry #{index + 1}", str(error)) from error


def _parse_fields(path: Path, index: int, raw: Any, known_codes: set[str]) -> Organisation:
    label = f"entry #{index + 1}"
    if not isinstance(raw, dict):
        raise _fail(path, label, f"expected a mapping, got {type(raw).__name__}")
    org_id = _str_or_none(raw.get("id"))
    if org_id is None:
        raise _fail(path, label, "missing 'id'")
    label = f"entry #{index + 1} (id {org_id!r})"
    unknown_keys = set(raw) - {"id", "name", "aliases", "country_code", "kind", "parent_id"}
    if unknown_keys:
        raise _fail(path, label, f"unknown keys {sorted(unknown_keys)}")
    name = _str_or_none(raw.get("name"))
    if name is None:
        raise _fail(path, label, "missing 'name'")
    aliases_raw = raw.get("aliases") or []
    if not isinstance(aliases_raw, list) or not all(isinstance(a, (str, int)) for a in aliases_raw):
        raise _fail(path, label, "'aliases' must be a list of strings")
    aliases = tuple(str(alias).strip() for alias in aliases_raw if str(alias).strip())
    kind = _str_or_none(raw.get("kind"))
    if kind not in ORGANISATION_KINDS:
        raise _fail(path, label, f"unknown kind {kind!r} (expected one of {', '.join(ORGANISATION_KINDS)})")
    country = _str_or_none(raw.get("country_code"))
    if country is not None:
        country = country.upper()
        if country not in known_codes:
            raise _fail(path, label, f"unknown country_code {country!r}")
    return Organisation(
        organisation_id=org_id,
        name=name,
        aliases=aliases,
        country_code=country,
        kind=kind,
        parent_id=_str_or_none(raw.get("parent_id")),
    )


def load_organisations(path: Path = DEFAULT_ORGANISATIONS_PATH) -> list[Organisation]:
    """Read and validate the gazetteer; raise ValueError naming the file, entry and problem."""
    from airace_pipeline.reference.countries import all_countries

    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: malformed YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("organisations"), list):
        raise ValueError(f"{path}: expected a top-level 'organisations:' list")
    known_codes = {country.country_code for country in all_countries()}
    organisations: list[Organisation] = []
    ids: set[str] = set()
    owner_of_form: dict[str, str] = {}
    for index, raw in enumerate(document["organisations"]):
        org = _parse_entry(path, index, raw, known_codes)
        label = f"entry #{index + 1} (id {org.organisation_id!r})"
        if org.organisation_id in ids:
            raise _fail(path, label, "duplicate id")
        ids.add(org.organisation_id)
        for form in org.surface_forms:
            owner = owner_of_form.get(form)
            if owner is not None and owner != org.organisation_id:
                raise _fail(path, label, f"duplicate alias {form!r} (already used by {owner!r})")
            owner_of_form[form] = org.organisation_id
        organisations.append(org)
    for index, org in enumerate(organisations):
        if org.parent_id is not None and org.parent_id not in ids:
            label = f"entry #{index + 1} (id {org.organisation_id!r})"
            raise _fail(path, label, f"unknown parent_id {org.parent_id!r}")
    return organisations
