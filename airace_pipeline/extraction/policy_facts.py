"""Policy facts: which act, of which jurisdiction, what instrument, at what stage, with which native ids."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.extraction.lexicons import Lexicons
from airace_pipeline.extraction.model import Participant
from airace_pipeline.extraction.participants import dedupe, is_government, is_modifier, participant
from airace_pipeline.reference.patterns import lazy_compile
from airace_pipeline.reference.policies import KnownInstrument
from airace_pipeline.reference.subnational import state_country

_PROMISE = lazy_compile(
    r"\b(?:pledg\w+|promis\w+|vow\w*|plans?|expected|would|will|could|may|might|threaten\w*|seeks?|"
    r"wants?|calls?\s+(?:for|to))\s+(?:to\s+)?$",
    re.IGNORECASE,
)
_US_PRESIDENT = lazy_compile(r"\bPresident\s+(?:Joe\s+|Donald\s+|Barack\s+)?(?:Biden|Trump|Obama)\b")
_CELEX_TYPE = {"Regulation": "R", "Directive": "L", "Decision": "D"}
# State bills are named by number ("AB 2013", "SB 1047").
_BILL_NUMBER = lazy_compile(r"\b(?:AB|SB|HB)\s?\d{1,5}\b")
# An act that the sentence describes instead of naming: "issued a proposed rule", "approved a national
# strategy on ...", "released a Voluntary AI Safety Standard", "announced export controls on gallium".
_UNNAMED_INSTRUMENT = lazy_compile(
    r"\b(?:issued|adopted|approved|published|released|unveiled|finali[sz]ed|signed|imposed|announced|"
    r"introduced|enacted|endorsed)\s+(?:(?:a|an|its|the|new|draft|proposed|final)\s+){0,3}"
    r"(?P<name>(?:[\w-]+\s+){0,3}?(?:rules?|regulations?|guidelines|strategy|white\s+paper|standard|code\s+of\s+conduct|"
    r"export\s+controls|executive\s+order|measures|memorandum\s+[A-Z]-?\d[\w-]*))\b"
    # "Dutch export rules covering ... took effect on 1 September": the act as the subject of its entry.
    # "banned exports of gallium, germanium and antimony to the United States", "restricted sales of
    # advanced AI chips to China": an export control stated by its effect.
    r"|\b(?:banned|restricted|curbed|halted)\s+(?:the\s+)?(?P<exports>(?:exports?|sales)\s+of\s+"
    r"(?:[\w-]+(?:,\s+|\s+and\s+|\s+)){1,6}?)(?=to\b|from\b|in\b|on\b)"
    # "ruled on 8 February 2024 that robocalls using AI-generated voices are illegal": a regulator's ruling.
    r"|\b(?P<ruling>ruled\s+(?:[^,;]{0,30}?\s)?that\s+[^.;]{5,80}?\s+(?:are|is)\s+(?:illegal|unlawful|prohibited))"
    r"|(?<![\w-])(?P<subject>(?:[\w-]+\s+){0,2}?(?:export\s+)?(?:rules|controls|regulations|law))\s+"
    r"(?:[^.;]{0,80}?\s)?(?:took|take|takes|came\s+into)\s+(?:effect|force)\b",
    re.IGNORECASE,
)
_EVENT_BEFORE_DRAFT = lazy_compile(
    r"\b(?:issued|published|released|unveiled|presented|tabled|introduced)\s+(?:a|an|its|the)\s+"
    r"(?:draft|proposed)\s+$",
    re.IGNORECASE,
)
_GENERIC_STOP = lazy_compile(
    r"^(?:The|This|That|A|An|Its|Their|Our|New|Draft|Proposed|Under|Section|Article|Annex|Such|Each|Any)\s+"
    r"(?:Act|Law|Regulation|Directive|Strategy|Framework|Guidelines|Measures|Provisions|Convention|Treaty|Plan|Bill|"
    r"Mission|Order|Rule|Roadmap|Principles)$"
)
_PASSING_REFERENCE = lazy_compile(
    r"(?:\bunder|\bpursuant\s+to|\bsection\s+\S+\s+of|\bin\s+line\s+with|\bcomply\s+with|\bcomplied\s+with|\bcompliance\s+with|"
    r"\bviolat\w+|\bbreach\w*\s+of|\bas\s+required\s+by|(?<!came\s)\bin|\bto|\bsimilar\s+to|\blike|\bunlike|"
    r"\bmodel\w*\s+on|\bfollows|\bfollowed|\breplaces|\breplaced|\bbuilds\s+on|\bbased\s+on|\benforce|"
    r"\bimplement\w*|\bamend\w*|\bsuch\s+as|\bincluding|\blike)\s+(?:section\s+\S+\s+of\s+)?(?:the\s+)?(?:(?:[A-Z][\w.]*\s+){0,2}[A-Z][\w.]*(?:'s|’s)\s+)?"
    r"(?:(?:now-)?(?:revoked|rescinded|repealed|former|earlier|previous)\s+)?$",
    re.IGNORECASE,
)


@dataclass
class PolicySlots:
    name: str
    instrument_type: str
    status: str
    country_code: str | None
    external_ids: tuple[tuple[str, str], ...]
    participants: tuple[Participant, ...]
    known_date: dt.date | None
    name_start: int
    promised: bool = False
    known_revoked_on: dt.date | None = None  # "pledged to repeal X": a revocation that has not happened


def _status(text: str, lex: Lexicons, start: int, end: int, revoked_target: bool) -> str:
    if revoked_target:
        return "revoked"
    if lex.status_in_force.search(text):
        return "in_force"
    if lex.status_proposed.search(text) and not re.search(
        r"\b(?:passed|signed|adopted|enacted)\b", text, re.I
    ):
        return "proposed"
    if lex.status_adopted.search(text):
        return "adopted"
    return "unknown"


def _instrument(name: str, text: str, lex: Lexicons) -> str:
    for instrument, pattern in lex.instrument_cues:
        if pattern.search(name):
            return instrument
    for instrument, pattern in lex.instrument_cues:
        if instrument in ("funding_programme", "international_agreement"):
            continue
        if pattern.search(text):
            return instrument
    return "other"


def _ids_from_text(text: str, lex: Lexicons) -> list[tuple[str, str]]:
    ids: list[tuple[str, str]] = []
    for match in lex.eo_number.finditer(text):
        ids.append(("eo_number", match.group("n")))
    for match in lex.celex.finditer(text):
        if match.group("celex"):
            ids.append(("celex", match.group("celex")))
        else:
            ids.append(
                (
                    "celex",
                    f"3{match.group('year')}{_CELEX_TYPE[match.group('type')]}{int(match.group('num')):04d}",
                )
            )
    for match in lex.fr_document.finditer(text):
        ids.append(("fr_document_number", match.group("fr")))
    return ids


def _merge_ids(*groups) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for group in groups:
        for key, value in group:
            seen.setdefault(key, value)
    return tuple(sorted(seen.items()))


def build_policies(
    info: SentenceInfo, lex: Lexicons, country_name, us_issuer: Participant | None = None
) -> list[PolicySlots]:
    """Every policy the sentence names and does something with (adopts, revokes, enforces, proposes)."""
    text = info.text
    if lex.policy.search(text) is None and not info.known:
        return []
    named: list[tuple[int, int, str, KnownInstrument | None]] = []
    for mention in info.known:
        if mention.instrument.fact_type == "policy" and not any(
            n[2] == mention.instrument.name for n in named
        ):
            named.append((mention.start, mention.end, mention.instrument.name, mention.instrument))
    for match in lex.eo_number.finditer(text):
        if not any(s <= match.start() < e for s, e, _, _ in named):
            named.append((match.start(), match.end(), f"Executive Order {match.group('n')}", None))
    for match in lex.policy_name.finditer(text):
        start, end = match.span("name")
        raw = re.sub(r"^(?:the|The)\s+", "", match.group("name"))
        start = end - len(raw)
        if any(s < end and start < e for s, e, _, _ in named):
            continue
        words = raw.split()
        if (
            len(words) < 2
            or _GENERIC_STOP.match(raw)
            or (words[-1] == "Bill" and re.match(r"\s+[A-Z][a-z]", text[end : end + 3]))
            or not words[0][0].isupper()
            or raw.startswith("Memorandum of")
        ):
            continue
        if raw.split()[0] in (
            "In",
            "On",
            "At",
            "By",
            "For",
            "With",
            "Under",
            "After",
            "Before",
            "Since",
            "As",
        ):
            continue
        if any(raw in known.surface_forms for _, _, _, known in named if known is not None):
            continue
        if any(known is not None and abs(start - k_start) < 120 for k_start, _, _, known in named):
            continue  # the formal title of a known act named nearby ("..., commonly called the AI Basic Act")
        named.append((start, end, raw, None))
    for match in _BILL_NUMBER.finditer(text):
        if not any(s <= match.start() < e for s, e, _, _ in named):
            named.append((match.start(), match.end(), match.group(0), None))
    unnamed = _UNNAMED_INSTRUMENT.search(text)
    group = (
        None
        if unnamed is None
        else next(g for g in ("name", "exports", "ruling", "subject") if unnamed.group(g))
    )
    # A described act counts when nothing is named; a ruling counts even beside the act it applies
    # ("ruled that AI robocalls are illegal under the Telephone Consumer Protection Act").
    if (
        unnamed is not None
        and (not named or group == "ruling")
        and not re.match(r"(?i)the\s", unnamed.group(group))
    ):
        named.append((unnamed.start(group), unnamed.end(group), unnamed.group(group), None))
    if not named:
        return []
    named.sort()
    has_event = bool(
        lex.status_adopted.search(text)
        or lex.status_revoked.search(text)
        or lex.status_in_force.search(text)
        or lex.status_proposed.search(text)
        or any(n.startswith("ruled ") for _, _, n, _ in named)
    )
    revoke = lex.status_revoked.search(text)
    issuers = [
        e
        for e in info.entities
        if (is_government(e) or e.is_country) and not is_modifier(text, e, info.entities)
    ]
    issuers_all = [e for e in info.entities if is_government(e) or e.is_country]
    subjects = [e for e in info.entities if e.kind in ("company", "investor", None) and not e.is_country]
    results: list[PolicySlots] = []
    text_ids = _ids_from_text(text, lex)
    for start, end, name, known in named:
        passing = (
            _PASSING_REFERENCE.search(text[max(0, start - 40) : start]) is not None
            or re.search(
                r"\b(?:the|a|its)\s+(?:\d{4}\s+)?(?:proposed|draft|planned|revoked|former)\s+$",
                text[max(0, start - 30) : start],
            )
            is not None
        ) and _EVENT_BEFORE_DRAFT.search(text[max(0, start - 40) : start]) is None
        window = text[max(0, start - 90) : min(len(text), end + 90)]
        if passing or (known is None and not has_event):
            continue
        state_issuer = state_country(text) is not None
        if known is None and not issuers_all and "Executive Order" not in name and not state_issuer:
            continue
        revoked_target = False
        promised = (
            revoke is not None
            and _PROMISE.search(text[max(0, revoke.start() - 40) : revoke.start()]) is not None
        )
        revoke_here = revoke
        if revoke_here is not None:
            after_verb = start >= revoke.end()
            others_after = any(s >= revoke.end() for s, _, _, _ in named)
            revoked_target = (
                after_verb
                or (
                    not others_after
                    and start < revoke.start()
                    and re.search(
                        r"\b(?:was|were|been|is|being)\s+(?:\w+\s+)?$", text[end : revoke.start()] + " "
                    )
                    is not None
                )
                or (not others_after and len(named) == 1)
            )
        if (
            revoked_target
            and revoke_here is not None
            and start >= revoke_here.end()
            and re.search(
                r"\b(?:came\s+in|in|by|through|via|under|with)\s+(?:the\s+)?$",
                text[max(revoke_here.end(), start - 20) : start],
            )
        ):
            revoked_target = False  # "the revocation came in Executive Order 14148": the revoking act
        if promised and revoked_target:
            continue  # "pledged to repeal X": no revocation happened; the sentence states nothing about X
        status = _status(window, lex, start, end, revoked_target)
        if status == "unknown" and ((known is not None and len(named) <= 2) or len(named) == 1):
            status = _status(text, lex, start, end, revoked_target)
        if status == "unknown" and name.startswith("ruled "):
            status = "adopted"  # a regulator's ruling applies once issued
        if status == "unknown":
            continue  # a passing mention ("similar to the EU's AI Act") states no policy event
        instrument = (
            known.instrument_type if known and known.instrument_type else _instrument(name, text, lex)
        )
        country = known.country_code if known else None
        if country is None and known is None:
            if name.startswith("Executive Order"):
                country = "US"
            elif any(k == "celex" for k, _ in text_ids):
                country = "EU"
            else:
                country = next((e.country_code for e in issuers_all if e.country_code), None)
                if country is None and state_issuer:
                    country = state_country(text)
        own_ids: list[tuple[str, str]] = []
        if name.startswith("Executive Order "):
            own_ids.append(("eo_number", name.split()[-1]))
        if len(named) == 1:
            own_ids.extend(text_ids)
        external_ids = _merge_ids(known.external_ids if known else (), own_ids)
        participants: list[Participant] = []
        for entity in issuers:
            participants.append(
                participant(
                    entity, "issuer", country_name(entity.country_code) if entity.is_country else None
                )
            )
        if (
            not participants
            and us_issuer is not None
            and (
                (instrument == "executive_order" and country == "US")
                or (_US_PRESIDENT.search(text) and country == "US")
            )
        ):
            participants.append(us_issuer)
        if instrument in ("export_control",) or status == "in_force":
            for entity in subjects:
                participants.append(participant(entity, "subject"))
        results.append(
            PolicySlots(
                name=name,
                instrument_type=instrument,
                status=status,
                country_code=country,
                external_ids=external_ids,
                participants=dedupe(participants),
                known_date=known.date if known else None,
                name_start=start,
                promised=promised and revoked_target,
                known_revoked_on=known.revoked_on if known else None,
            )
        )
    return results
