"""Alliance facts: who joins whom, under what name, around which focus areas."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.extraction.entities import EntityMention
from airace_pipeline.extraction.lexicons import Lexicons
from airace_pipeline.extraction.model import Participant
from airace_pipeline.extraction.participants import acting_through, dedupe, is_modifier, participant
from airace_pipeline.reference.patterns import lazy_compile

_NAMED_ALLIANCE = lazy_compile(
    r"(?P<name>(?:[A-Z][\w.'’-]*\s+|(?:on|of|for|and|the)\s+){0,6}?[A-Z][\w.'’-]*\s+"
    r"(?:Alliance|Partnership|Forum|Initiative|Declaration|Pact|Consortium|Coalition|Compact|Accord|Dialogue|"
    r"Network))\b"
)
_ALLIANCE_EVENT = lazy_compile(
    r"\b(?:form(?:ed|s|ing)?|launch(?:ed|es|ing)?|sign(?:ed|s|ing)?|agree(?:d|s)?|announc(?:ed|es|e)|"
    r"establish(?:ed|es)?|creat(?:ed|es|e)|join(?:ed|s)?|enter(?:ed|s)?\s+into|struck|reach(?:ed)?|"
    r"unveil(?:ed|s)?|team(?:ed)?\s+up|partner(?:ed|s|ing)?\s+with|extend(?:ed|s)?|expand(?:ed|s)?|"
    r"deepen(?:ed|s)?|renew(?:ed|s)?|includes?|included|cooperat\w+|collaborat\w+|work(?:ing)?\s+together|"
    r"endorsed|adopted|co-host\w*|hosted|met|held|inaugural|will|plans?\s+to|in\s+talks|talks|described|"
    r"seal(?:ed|s)|forg(?:ed|es)|jointly|together|co-develop\w*|develop(?:ing|s|ed)?|gain(?:ed|s)|welcom(?:ed|es))\b",
    re.IGNORECASE,
)
_NEGATED = lazy_compile(
    r"\b(?:did\s+not|didn't|declined\s+to|refused\s+to|will\s+not|won't|has\s+not|have\s+not|ended|"
    r"terminated|pulled\s+out|withdr[ae]w|not\s+(?:to\s+)?join)\b",
    re.IGNORECASE,
)
_COORDINATION = lazy_compile(
    r"^\s*(?:,|and|,\s*and|&|as\s+well\s+as|together\s+with|along\s+with)\s*(?:the\s+)?"
    r"(?:[A-Z][\w.-]*(?:'s|’s)\s+)?(?:[a-z][\w-]*\s+){0,3}$|"
    r"^\s+(?:and|with)\s+(?:the\s+)?$|"
    r"^(?:'s)?\s+(?:President|Prime\s+Minister|Premier|Chancellor|King|leader|Emir)\s+"
    r"(?:[A-Z][\w-]*\s+){1,3}and\s+$"
)
_HOSTED_BY = lazy_compile(r"\bhost(?:ed|s|ing)?\s+(?:by\s+)?", re.IGNORECASE)
_FOUNDING = lazy_compile(
    r"\bfounding\s+(?:members?|partners?|signator\w+)\b|\bco-?founded\b|\bfounded\s+by\b", re.IGNORECASE
)
_SIGNED = lazy_compile(r"\b(?:signed|signatories|signatory|endorsed|agreed)\b", re.IGNORECASE)
_NOT_ALLIANCE = lazy_compile(
    r"\b(?:partnership\s+(?:with|between)\s+(?:users|customers)|in\s+partnership\s+with\s+(?:local|its)|"
    r"public-private\s+partnership|ties\s+with)\b",
    re.IGNORECASE,
)


@dataclass
class AllianceSlots:
    name: str | None
    participants: tuple[Participant, ...]
    focus_areas: tuple[str, ...]
    country_code: str | None = None


def focus_areas(text: str, lex: Lexicons) -> tuple[str, ...]:
    return tuple(area for area, pattern in lex.focus_areas if pattern.search(text))


def alliance_name(info: SentenceInfo) -> str | None:
    known = next((k.instrument for k in info.known if k.instrument.fact_type in ("alliance",)), None)
    if known is not None:
        return known.name
    known = next(
        (k.instrument for k in info.known if k.instrument.instrument_type == "international_agreement"), None
    )
    if known is not None:
        return known.name
    match = _NAMED_ALLIANCE.search(info.text)
    if match is None:
        return None
    name = re.sub(r"^(?:The|the)\s+", "", match.group("name")).strip()
    if len(name.split()) < 2:
        return None
    return name


def build_alliance(
    info: SentenceInfo,
    lex: Lexicons,
    country_name,
    extra_members: list[EntityMention] | None = None,
    require_members: bool = True,
) -> AllianceSlots | None:
    """The alliance a sentence states, or None. With `require_members=False` (a sentence that continues
    an alliance: "The signatories include A, B and C") any listed party is a member."""
    text = info.text
    trigger = lex.alliance.search(text)
    if _NEGATED.search(text) or (require_members and (trigger is None or _NOT_ALLIANCE.search(text))):
        return None
    name = alliance_name(info)
    if require_members and _ALLIANCE_EVENT.search(text) is None:
        return None
    # "the French defence ministry's AI agency": a country acting through an unnamed public body is a party.
    candidates = [
        e for e in info.entities if not is_modifier(text, e, info.entities) or acting_through(text, e)
    ]
    linked: list[EntityMention] = []
    for first, second in itertools.pairwise(candidates):
        gap = text[first.end : second.start]
        joined = _COORDINATION.match(gap) is not None or (
            len(gap.split()) <= 14 and lex.alliance.search(gap) is not None and re.search(r"\bwith\b", gap)
        )
        if joined:
            for entity in (first, second):
                if entity not in linked:
                    linked.append(entity)
    between = re.search(r"\bbetween\s+", text)
    if between is not None:
        for entity in [e for e in candidates if e.start >= between.end()][:2]:
            if entity not in linked:
                linked.append(entity)
    members = (
        sorted(linked, key=lambda e: e.start)
        if linked
        else (candidates if name or not require_members else [])
    )
    members.extend(extra_members or [])
    distinct = {(e.organisation_id or e.name) if not e.is_country else e.country_code for e in members}
    if require_members and len(distinct) < 2 and not (name and distinct):
        return None
    if not distinct:
        return None
    founding = _FOUNDING.search(text) is not None
    signed = _SIGNED.search(text) is not None
    hosts: set[int] = set()
    for match in _HOSTED_BY.finditer(text):
        after = [e for e in members if e.start >= match.end()]
        if after and after[0].start - match.end() < 12:
            hosts.add(id(after[0]))
        before = [e for e in members if e.end <= match.start()]
        if (
            before
            and match.start() - before[-1].end < 25
            and re.search(r"\b(?:to|will|would)\s+(?:co-)?$", text[before[-1].end : match.start()])
        ):
            hosts.add(id(before[-1]))
    participants: list[Participant] = []
    members.sort(key=lambda e: id(e) not in hosts)  # a host keeps its role when named twice
    for entity in members:
        role = (
            "host"
            if id(entity) in hosts
            else "founding_member"
            if founding
            else "signatory"
            if signed
            else "member"
        )
        participants.append(
            participant(entity, role, country_name(entity.country_code) if entity.is_country else None)
        )
    known_country = next(
        (k.instrument.country_code for k in info.known if k.instrument.fact_type == "alliance"), None
    )
    return AllianceSlots(
        name=name,
        participants=dedupe(participants),
        focus_areas=focus_areas(text, lex),
        country_code=known_country,
    )
