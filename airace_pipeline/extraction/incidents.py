"""Incident facts: what went wrong (leak, breach, probe, lawsuit, deployment, misuse) and who was involved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.extraction.lexicons import Lexicons
from airace_pipeline.extraction.model import Participant
from airace_pipeline.extraction.participants import (
    acting_through,
    dedupe,
    is_government,
    is_modifier,
    list_after,
    list_before,
    participant,
    subject_before,
)
from airace_pipeline.reference.patterns import lazy_compile

_SUED = lazy_compile(
    r"\b(?:su(?:ed|es|ing)|filed\s+(?:a\s+)?(?:lawsuit|suit|complaint)\s+against|took\s+\w+\s+to\s+court)\b",
    re.IGNORECASE,
)
_PASSIVE_SUED = lazy_compile(r"\b(?:was|were|been|being)\s+sued\s+by\b", re.IGNORECASE)
_VICTIM = lazy_compile(
    r"\b(?:victims?|defrauded|tricked|lost|harmed|targeted|affected|impersonat\w+)\b", re.IGNORECASE
)
_VICTIM_OR_POLICE = lazy_compile(
    r"\b(?:police|fraudsters|criminals|scammers|tricked|defrauded|victims?|stole|stolen)\b", re.IGNORECASE
)
_EXPORT_ACTION = lazy_compile(
    r"\b(?:added|adds|adding|placed|blacklisted|imposed|announced|unveiled|issued|expanded|tightened|"
    r"restricted|told|informed|banned|barred|require[sd]?)\b",
    re.IGNORECASE,
)
_NEGATED_ACTION = lazy_compile(
    r"\b(?:would|will|did|does|do)\s+not\s+(?:\w+\s+)?(?:block|ban|fine|investigate|probe|sue|restrict)\b",
    re.IGNORECASE,
)
_RULED_ILLEGAL = lazy_compile(r"\bruled\b[^.;]{0,120}\b(?:illegal|unlawful|prohibited)\b", re.IGNORECASE)
_EXPORT_BAN = lazy_compile(
    r"\b(?:banned|restricted|curbed|halted)\s+(?:the\s+)?(?:exports?|sales)\s+of\b", re.IGNORECASE
)
_POLICY_SUBJECT = lazy_compile(
    r"\b(?:the\s+)?(?:act|law|regulation|rules?|directive|bill|treaty|convention|declaration)\s+"
    r"(?:bans?|prohibits?|restricts?|requires?|would\s+ban|will\s+ban)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = lazy_compile(
    r"\b(?:could\s+face|may\s+face|might\s+face|risks?\s+of|such\s+as|for\s+example|"
    r"to\s+prevent|to\s+avoid|aims?\s+to|designed\s+to)\b",
    re.IGNORECASE,
)


@dataclass
class IncidentSlots:
    incident_type: str
    participants: tuple[Participant, ...]
    country_code: str | None


def incident_type(text: str, lex: Lexicons, has_regulator: bool) -> str | None:
    if lex.model_leak.search(text):
        return "model_leak"
    if lex.export_control.search(text):
        return "export_control"
    if lex.litigation.search(text) and not re.search(r"\bcourt(?:ed|ing)\b", text):
        return "litigation"
    if lex.data_breach.search(text):
        return "data_breach"
    if lex.military.search(text) and lex.military_action.search(text):
        return "military_deployment"
    if lex.misuse.search(text):
        return "misuse"
    if lex.regulatory.search(text) and has_regulator:
        return "regulatory_investigation"
    if lex.safety_failure.search(text):
        return "safety_failure"
    return None


def build_incident(info: SentenceInfo, lex: Lexicons, country_name) -> IncidentSlots | None:
    text = info.text
    if lex.incident.search(text) is None or _POLICY_SUBJECT.search(text):
        return None
    if lex.incident_event.search(text) is None:
        return None  # "Companies on the Entity List cannot receive ...": a state of affairs, not an event.
    entities = [e for e in info.entities if not is_modifier(text, e, info.entities)]
    modifiers = [e for e in info.entities if e.is_country and e not in entities]
    regulators = [e for e in entities if is_government(e) and e.kind != "military"]
    if not regulators:
        # "The EU's antitrust regulators ...": the country acts through an unnamed public body.
        proxies = [e for e in info.entities if acting_through(text, e)]
        if proxies:
            entities = [proxies[0], *[e for e in entities if e is not proxies[0]]]
            regulators = [proxies[0]]
    # "Italy blocks DeepSeek": a country acting as regulator.
    acting_countries = [e for e in entities if e.is_country]
    kind = incident_type(text, lex, bool(regulators or acting_countries))
    if kind is None or (not entities and not (kind == "misuse" and modifiers)):
        return None
    if _NEGATED_ACTION.search(text):
        return None  # "said it would not block the sale": nothing happened
    if kind == "misuse" and _RULED_ILLEGAL.search(text):
        return None  # "the FCC ruled that AI robocalls are illegal": a rule about misuse, not a misuse
    if kind == "regulatory_investigation" and _EXPORT_BAN.search(text):
        return (
            None  # "banned exports of gallium to the United States": a policy (export control), not a probe
        )
    if kind == "export_control" and not _EXPORT_ACTION.search(text):
        return None  # "Companies on the Entity List cannot receive ...": a standing rule, not an event
    if (
        kind in ("regulatory_investigation",)
        and _HYPOTHETICAL.search(text)
        and not re.search(r"\b(?:opened|launched|started|fined|ordered|blocked|banned)\b", text)
    ):
        return None
    participants: list[Participant] = []

    def add(entity, role):
        participants.append(
            participant(entity, role, country_name(entity.country_code) if entity.is_country else None)
        )

    if kind == "litigation":
        passive = _PASSIVE_SUED.search(text)
        sued = _SUED.search(text)
        against = re.search(r"\bagainst\s+", text)
        if against and not passive:
            for e in list_after(text, entities, against.end()):
                add(e, "subject")
            plaintiff = subject_before(text, entities, sued.start()) if sued else None
            if plaintiff is None and entities and entities[0].start < against.start():
                plaintiff = entities[0]
            if plaintiff is not None:
                add(plaintiff, "harmed_party")
        if passive:
            for e in list_after(text, entities, passive.end()):
                add(e, "harmed_party")
            for e in list_before(text, entities, passive.start()):
                add(e, "subject")
        elif sued:
            for e in list_before(text, entities, sued.start()):
                add(e, "harmed_party")
            for e in list_after(text, entities, sued.end()):
                add(e, "subject")
        for e in entities:
            if is_government(e):
                add(e, "regulator")
            elif not e.is_country:
                add(e, "subject")
    elif kind in ("regulatory_investigation", "export_control"):
        for e in entities:
            if (
                (is_government(e) and e.kind != "military")
                or e in regulators
                or (e.is_country and (not regulators and e is acting_countries[0]))
            ):
                add(e, "regulator")
            elif not e.is_country:
                add(e, "subject")
    elif kind == "military_deployment":
        for e in entities:
            if e.kind == "military" or (e.is_country and e is acting_countries[0] and e.start < 40):
                add(e, "deployer")
            elif e.kind == "company":
                add(e, "developer")
        if not any(p.role == "deployer" for p in participants):
            # "Ukraine's military has been using ...": the country owning the armed forces deploys.
            owner = next(
                (
                    e
                    for e in info.entities
                    if e.is_country
                    and e.start < 40
                    and re.match(
                        r"(?:'s|’s)?\s+(?:military|army|armed\s+forces|defen[cs]e\s+forces)\b", text[e.end :]
                    )
                ),
                None,
            )
            if owner is None:
                return None
            add(owner, "deployer")
    elif kind == "data_breach":
        for e in entities:
            if re.match(r"\s+(?:found|discovered|said|reported|researchers?)\b", text[e.end : e.end + 16]):
                continue
            if is_government(e):
                add(e, "regulator")
            elif not e.is_country:
                add(e, "deployer")
    elif kind in ("model_leak", "safety_failure"):
        for e in entities:
            if re.match(r"\s+(?:found|discovered|said|reported|researchers?)\b", text[e.end : e.end + 16]):
                continue  # the security firm that found the exposure is not its developer
            if is_government(e):
                add(e, "regulator")
            elif e.kind in ("company", None) and not e.is_country:
                add(e, "developer")
    elif kind == "misuse":
        for e in entities:
            if is_government(e):
                add(e, "regulator")
            elif not e.is_country:
                add(e, "harmed_party" if _VICTIM.search(text) else "subject")
    result = dedupe(participants)
    if not result and not (kind == "misuse" and modifiers and _VICTIM_OR_POLICE.search(text)):
        return None  # a misuse (a deepfake fraud) may name only where it happened
    country = next(
        (p.country_code for p in result if p.role in ("regulator", "deployer") and p.country_code), None
    )
    if country is None:
        country = next((p.country_code for p in result if p.country_code), None)
    if country is None and modifiers:
        country = modifiers[0].country_code
    return IncidentSlots(incident_type=kind, participants=result, country_code=country)
