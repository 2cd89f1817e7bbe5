"""Policy facts: which act, of which jurisdiction, what instrument, at what stage, with which native ids."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.extraction.lexicons import Lexicons
from airace_pipeline.extraction.model import Participant
from airace_pipeline.extraction.participants import (
    dedupe,
    is_government,
    is_modifier,
    names_currency,
    participant,
)
from airace_pipeline.reference.patterns import lazy_compile
from airace_pipeline.reference.policies import KnownInstrument, lookup_title, title_key
from airace_pipeline.reference.subnational import state_country

_PROMISE = lazy_compile(
    r"\b(?:pledg\w+|promis\w+|vow\w*|plans?|expected|would|will|could|may|might|threaten\w*|seeks?|"
    r"wants?|calls?\s+(?:for|to))\s+(?:to\s+)?$",
    re.IGNORECASE,
)
_US_PRESIDENT = lazy_compile(r"\bPresident\s+(?:Joe\s+|Donald\s+|Barack\s+)?(?:Biden|Trump|Obama)\b")
# "as laid out in the Skills Plan, ministers pledged ...": the reference states what the act does.
_STATING_REFERENCE = lazy_compile(
    r"\b(?:outlined|set\s+out|laid\s+out|announced|committed|promised|pledged)\s+in\s+(?:the\s+|its\s+)?$",
    re.IGNORECASE,
)
_CELEX_TYPE = {"Regulation": "R", "Directive": "L", "Decision": "D"}
# Bills are named by number: "AB 2013", "SB 1047", "SB25-118", "Senate Bill 12", "Bill S. 2207-A".
_BILL_NUMBER = lazy_compile(
    r"\b(?:(?P<chamber>Senate|House|Assembly)\s+Bill\s+(?:No\.\s*)?(?P<n1>\d{1,5})"
    r"|Bill\s+(?P<letter>[SCH])\.?[\s-]?(?P<n2>\d{1,5}(?:-[A-Z0-9]+)?)"
    r"|(?P<abbr>AB|SB|HB)\s?(?P<n3>\d{1,5}(?:-\d{1,5})?))\b"
)
_CHAMBER = {"Senate": "SB", "House": "HB", "Assembly": "AB"}
# A title-cased headline is not a title: "Ohio Adopts Sweeping New Robotics Safety Law".
_HEADLINE_VERB = lazy_compile(
    r"\b(?:Passes|Signs|Approves|Adopts|Unveils|Launches|Announces|Publishes|Releases|Enacts|Introduces|"
    r"Issues|Rolls|Sets|Plans|Moves|Unveiled|Passed|Signed|Approved|Adopted|Launched|Announced)\b"
)
# A subtitle after a dash, of at least three capitalised words ("– Model Output Watermarking Method").
_DASH_SUBTITLE = lazy_compile(
    r"[ \t]+[–—][ \t]+[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|for|and|on|the|in|to)[ \t]+)*(?:[A-Z][\w'’-]*|AI)){2,}"
)
_CLOSING_QUOTE = {"“": "”", '"': '"', "‘": "’", "'": "'"}
# Connectors a name match may start with ("of Ghana's Data Strategy") and a possessive owner.
_LEADING_NOISE = lazy_compile(
    r"^(?:(?:In|On|At|By|For|With|Under|After|Before|Since|As)\s+(?=the\s|its\s|their\s))?"
    r"(?:(?:the|The|and|on|of|for|in|to)\s+)*(?:(?:[A-Z][\w.-]*\s+){0,2}[A-Z][\w.-]*(?:'s|’s)\s+)?"
)
# The rest of a word a name match started inside ("8/A of ", "2B-Ready for "), with its connectors.
_GLUED_LEAD = lazy_compile(r"\S*\s+(?:(?:of|on|the|and|for|in|to)\s+)*")
# "at the request of Congress in the Rural Broadband Act": a body or place before the title.
_LEADING_PLACE = lazy_compile(r"^[A-Z][\w'’.-]*\s+(?:in|at|by|from|with|under)\s+(?:the\s+)?(?=[A-Z])")
_MONTHS_FULL = r"January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS = (
    _MONTHS_FULL + r"|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
# A name that carries its own date states when the act was made: "the Rural Broadband Act of 2019",
# "the Data Law (2021)", "the May 2023 Skills Plan", "the accord (June 2022)".
_OWN_DATE_AFTER = lazy_compile(
    rf"^(?:\s+of|\s*\(|\s*,)\s*(?:(?P<month>{_MONTHS})\s+)?(?P<year>(?:19|20)\d\d)(?:\)|(?![\d/-]))"
)
_OWN_DATE_BEFORE = lazy_compile(
    rf"\b(?:the|its|a|an|their)\s+(?:(?P<month>{_MONTHS})\s+)?(?P<year>(?:19|20)\d\d)\s+$"
)
# "the Robotics Strategy (NRS) released in June, 2018", "the Data Law, adopted in 2021,": a participle
# right after the title states when the act was made, even where the sentence only cites it.
_MADE_IN_AFTER = lazy_compile(
    rf"^\s*(?:\([^()]{{0,30}}\)\s*)?,?\s*(?:(?:which|that)\s+was\s+)?(?:first\s+)?(?:released|adopted|launched|"
    rf"published|issued|passed|enacted|signed|unveiled|approved|introduced)\s+(?:in|on)\s+"
    rf"(?:\d{{1,2}}\s+)?(?:(?P<month>{_MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+)?(?P<year>(?:19|20)\d\d)\b"
)
_MONTH_NUMBER = {m[:3].lower(): i for i, m in enumerate(_MONTHS.split("|")[:12], start=1)}
# A name match can run on into a date ("the Code of Practice on Thursday"): no title ends in one.
_TRAILING_DATE = lazy_compile(
    rf"\s+(?:on|in|from|by|since|until)\s+(?:the\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    rf"Sunday|{_MONTHS_FULL})\b.*$"
)
# An act that the sentence describes instead of naming: "issued a proposed rule", "approved a national
# strategy on ...", "released a Voluntary AI Safety Standard", "announced export controls on gallium".
_UNNAMED_INSTRUMENT = lazy_compile(
    r"\b(?:issued|adopted|approved|published|released|unveiled|finali[sz]ed|signed|imposed|announced|proposed|"
    r"introduced|enacted|endorsed|put(?:s|ting)?\s+forth|rolled\s+out|drafting)\s+"
    # "released a draft of the nation's robotics strategy", "put forth a 'quantum sensing initiative'".
    r"(?:(?:a|an|its|the|new|draft|proposed|final|initial)\s+|draft\s+of\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:country|nation|state|government)(?:'s|’s)\s+){0,3}[\"“']?"
    r"(?P<name>(?:[\w-]+\s+){0,3}?(?:rules?|regulations?|guidelines|strategy|white\s+paper|standard|code\s+of\s+conduct|"
    r"export\s+controls|executive\s+order|measures|initiative|code\s+of\s+practice|memorandum\s+[A-Z]-?\d[\w-]*))\b"
    # "Dutch export rules covering ... took effect on 1 September": the act as the subject of its entry.
    # "banned exports of gallium, germanium and antimony to the United States", "restricted sales of
    # advanced AI chips to China", "permitted sales of older GPUs to Vietnam": an export control
    # stated by its effect.
    r"|\b(?:banned|restricted|curbed|halted|authori[sz]ed|permitted|allowed)\s+(?:the\s+)?"
    r"(?P<exports>(?:exports?|sales)\s+of\s+(?:[\w-]+(?:,\s+|\s+and\s+|\s+)){1,6}?)(?=to\b|from\b|in\b|on\b)"
    # "barred Russian buyers from importing server GPUs": the same, stated by whom it bars.
    r"|\b(?P<barred>(?:blocked|barred|banned|prohibited)\s+(?:[\w-]+\s+){1,3}?(?:companies|firms|entities|buyers)\s+"
    r"from\s+(?:acquiring|buying|importing|obtaining|purchasing)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:chips|semiconductors|GPUs|accelerators|chipmaking\s+equipment))\b"
    # "tighter export rules barring toolmakers from shipping chip equipment abroad", "sweeping curbs
    # aimed at keeping GPUs out of Iran": a new control stated by what it stops.
    r"|\b(?:new|fresh|tighter|sweeping)\s+(?:round\s+of\s+)?(?P<effect>(?:export\s+)?(?:controls|rules|regulations|"
    r"restrictions|curbs))\s+(?=(?:aimed\s+at\s+)?(?:keeping|preventing|barring|banning|blocking|restricting|"
    r"limiting)\b[^.;]{0,120}?\b(?:chips?|semiconductors?|GPUs?|accelerators?|exports?)\b)"
    # "the controls on lithography tools (aimed at Russia) issued by BIS in 2023": an act and its maker.
    r"|(?<![\w-])(?:(?:prior|earlier|existing|previous|new)\s+)?(?P<passive>(?:export\s+)?(?:controls|rules|regulations|guidelines|measures|"
    r"restrictions)(?:\s+on\s+(?:[\w-]+\s+){0,4}?[\w-]+)?)\s+(?:\([^()]{0,80}\)\s+)?"
    r"(?:issued|imposed|adopted|introduced|published|announced)\s+(?:in\s+[\w\s]{3,20}?\s+)?by\s+(?:the\s+)?"
    r"(?=(?-i:[A-Z]))"
    # "ruled on 8 February 2024 that robocalls using AI-generated voices are illegal": a regulator's ruling.
    r"|\b(?P<ruling>ruled\s+(?:[^,;]{0,30}?\s)?that\s+[^.;]{5,80}?\s+(?:are|is)\s+(?:illegal|unlawful|prohibited))"
    # "confirmed that the Consumer Act's limits apply to cloned voices": a ruling applying a named act.
    r"|\b(?P<applies>(?:ruled|confirmed|clarified|declared)\s+(?:[^,;]{0,30}?\s)?that\s+[^.;]{5,120}?\s+"
    r"appl(?:y|ies)\s+to)\b"
    r"|(?<![\w-])(?P<subject>(?:[\w-]+\s+){0,2}?(?:export\s+)?(?:rules|controls|regulations|law))\s+"
    r"(?:[^.;]{0,80}?\s)?(?:took|take|takes|came\s+into)\s+(?:effect|force)\b",
    re.IGNORECASE,
)
_AUTHORISED = lazy_compile(r"\b(?:authori[sz]ed|permitted|allowed)\s+(?:the\s+)?$", re.IGNORECASE)
# "earlier controls on ...": when an act was made is its date's business, not its name's.
_DESCRIBED_LEAD = lazy_compile(r"^(?:prior|earlier|previous|existing)\s+", re.IGNORECASE)
# A state body the sentence names without its country ("The government announced the X Plan",
# "the Cabinet approved the Y Bill"): the act is a state's, though the sentence does not say which.
_STATE_BODY = lazy_compile(
    r"\b(?:[Tt]he\s+(?:(?:federal|national|central)\s+)?government|(?:[Tt]he|[Ii]ts)\s+(?:Union\s+)?[Cc]abinet|"
    r"the\s+Kingdom|Prime\s+Minister|(?:[Tt]he\s+)?National\s+Assembly|(?:[Tt]he\s+)?[Pp]arliament|"
    r"(?:[Tt]he\s+)?(?:[Ss]tate\s+)?[Ll]egislature|[Ll]awmakers|[Ll]egislators|"
    r"(?:National|State|Federal|Central)\s+(?:[A-Z][\w-]*\s+){0,5}(?:Committee|Commission|Council|Administration|"
    r"Agency|Authority|Bureau|Ministry))\b"
)
_BY_BEFORE = lazy_compile(r"\bby\s+(?:the\s+)?$")
_EXPORT_DESCRIPTIONS = frozenset({"barred", "effect", "exports"})
_TARGET_BEFORE = lazy_compile(r"\b(?:at|to|against|on|into|towards?)\s+(?:the\s+)?$", re.IGNORECASE)
_CONTROLS = lazy_compile(r"\b(?:controls|restrictions)\b", re.IGNORECASE)
_GLOBAL = lazy_compile(r"(?:Global|International)\b")
_INITIATIVE = lazy_compile(r"\binitiative$", re.IGNORECASE)
# Described acts whose very description says they were made ("blocked firms from buying chips").
_ENACTED_BY_DESCRIPTION = frozenset({"ruling", "barred", "effect", "exports", "passive"})
_UNNAMED_GROUPS = ("name", "exports", "barred", "effect", "passive", "ruling", "applies", "subject")
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
# "the Framework Convention", "the Action Plan": head words alone refer back to an act named in full.
_ONLY_HEADS = lazy_compile(
    r"^(?:(?:Framework|Convention|Act|Law|Regulation|Directive|Strategy|Guidelines|Measures|Provisions|Treaty|"
    r"Principles|Action|Plan|Bill|Mission|Order|Rule|Roadmap|Guide|Standard|Programme|Program|Scheme|"
    r"Memorandum|Blueprint)(?:\s+|$))+$"
)
# "the Robotics Strategy Council", "the Kenyatta International Convention Centre": a head word followed
# by a capitalised noun on the same line is inside a longer proper name (a body, a venue), not a title.
_NAME_GOES_ON = lazy_compile(r"[ \t]+[A-Z][a-z]+\b(?!['’])")
_NOT_TITLE_START = frozenset(
    {"In", "On", "At", "By", "For", "With", "Under", "After", "Before", "Since", "As"}
)
_PASSING_REFERENCE = lazy_compile(
    r"(?:\bunder|\bpursuant\s+to|\bsection\s+\S+\s+of|\bin\s+line\s+with|\bcomply\s+with|\bcomplied\s+with|\bcompliance\s+with|"
    r"\bviolat\w+|\bbreach\w*\s+of|\bas\s+required\s+by|(?<!came\s)\bin|\bto|\bsimilar\s+to|\blike|\bunlike|"
    r"\bmodel\w*\s+on|\bfollows|\bfollowed|\breplaces|\breplaced|\bbuilds\s+on|\bbased\s+on|\benforce|"
    r"\bimplement\w*|\bamend\w*|\bsuch\s+as|\bincluding|\blike)\s+(?:(?:section|article)\s+\S+\s+of\s+)?(?:the\s+)?(?:(?:[A-Z][\w.]*\s+){0,2}[A-Z][\w.]*(?:'s|’s)\s+)?"
    r"(?:(?:now-)?(?:revoked|rescinded|repealed|former|earlier|previous|relevant|applicable|existing)\s+)?$",
    re.IGNORECASE,
)
# "which would make Ohio the ninth state to enact such a law": a comparison with other states, not an
# event of the act itself.
_RANK_AMONG_STATES = lazy_compile(
    r"\b(?:(?:would|could|will)\s+make|mak(?:es|ing))\s+(?:it|\w+(?:\s+\w+)?)\s+the\s+(?:\w+|\d+\w*)\s+"
    r"(?:state|country|nation|jurisdiction)s?\s+(?:in\s+the\s+\w+\s+)?to\s+\w+",
    re.IGNORECASE,
)
# A list item that is nothing but an act ("- the Data Act (2021),"; "Ghana's Robotics Plan, and"): a list of
# acts states acts that exist, as a heading over it ("Earlier agreements") says. A bullet, or the comma
# or date that runs a list on, tells an item from a bare heading.
_ITEM_BEFORE = lazy_compile(
    r"^[ \t]*(?P<bullet>(?:[-•*▪–]|\d{1,2}[.)])[ \t]+)?(?:(?:the|The)\s+)?(?:[A-Z][\w.-]*(?:'s|’s)\s+)?$"
)
_ITEM_AFTER = lazy_compile(r"^\s*(?P<date>\([^()\n]{0,30}\))?\s*(?P<comma>[,;]\s*(?:and|or)?)?\s*\.?\s*$")
# "rules issued in 2022 and updated in March 2023 and May 2024": each update is an act of its own date.
_ONE_DATE = rf"(?:(?:{_MONTHS})\s+)?(?:19|20)\d\d"
_UPDATED_IN = lazy_compile(
    rf"[^.;]{{0,140}}?\b(?:updated|amended|expanded|revised|tightened|strengthened)\s+(?:again\s+|further\s+)?in\s+"
    rf"(?P<dates>{_ONE_DATE}(?:\s*,\s*(?:and\s+)?{_ONE_DATE}|\s+and\s+{_ONE_DATE})*)"
)
# A break inside a running sentence ("... with the official launch of its\nNational Robotics Strategy"):
# the line before ends on a word that cannot end a title or headline, or the next one goes on in
# lower case. A bullet opens a list item, never a wrapped line.
_WRAPPED_BEFORE = lazy_compile(
    r"(?:,|\b(?:of|its|the|a|an|to|and|or|for|in|on|with|by|at|from|as|that|their|this|these|"
    r"has|have|had|is|are|was|were))[ \t]*$"
)
_WRAPPED_AFTER = lazy_compile(r"[ \t]*[a-z]")
_BULLET_AFTER = lazy_compile(r"[ \t]*(?:[-•*▪–]|\d{1,2}[.)])\s")
# Between a jurisdiction and the act it owns ("Japan's AI Act", "the EU's new Chips Act") or makes
# ("the Commission first proposed the €43 billion Chips Act").
_OWNER_GAP = lazy_compile(r"(?:'s|’s)\s+(?:(?:own|new|draft|proposed|landmark|planned|first)\s+){0,2}")
_MAKER_GAP = lazy_compile(
    r"\s+(?:\w+\s+){0,2}?(?:proposed|passed|adopted|approved|enacted|introduced|unveiled|published|issued|"
    r"signed|tabled)\s+(?:the|its|a|an)\s+(?:[^.;,:]|(?<=\d)[.,](?=\d)){0,40}?"
)
# Between an act's title and the short name it goes by ("X (the Y)", "X, also known as Y").
_ALIAS_GAP = lazy_compile(
    r"\s*\(\s*(?:the\s+)?|\s*,?\s*(?:also\s+|commonly\s+|often\s+)?(?:known\s+as|called|dubbed)\s+(?:the\s+)?"
)
# What joins the acts of one list: "X (AI), alongside the Y", "X, Y, and the revised Z", "X as well as Y".
_LIST_JOIN = lazy_compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:,\s*(?:(?:and|or|as\s+well\s+as|alongside|along\s+with|together\s+with)\s+)?|"
    r"\s+(?:and|or|as\s+well\s+as|alongside|along\s+with|together\s+with)\s+)"
    r"(?:the\s+)?(?:(?:revised|amended|updated|new|first-ever)\s+)?"
)
# An amending act's title holds the title of the act it amends ("the Law on amendments to several
# articles of the Patent Law", "an Act to amend the Data Act"): the title starts at its own head word.
_AMENDING_LEAD = lazy_compile(
    r"\b(?:Law|Act|Decree|Decision|Bill|Ordinance)\s+(?:on|to)\s+(?:the\s+)?amend\w*(?:\s+[a-z][\w-]*){0,8}\s+$"
)
_DATE_PARTS = lazy_compile(rf"(?:(?P<month>{_MONTHS})\s+)?(?P<year>(?:19|20)\d\d)")


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
    stated_date: tuple[dt.date, str] | None = None  # the date the title carries ("Act of 2022")
    established: bool = False  # a dated act, or one a sentence cites for what it sets out, exists


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
    if _INITIATIVE.search(name):
        # "a national robotics initiative" a government announces; a "Global ... Initiative" it puts to
        # other states is a proposed international framework.
        return "international_agreement" if _GLOBAL.match(name) else "national_strategy"
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


Named = tuple[int, int, str, "KnownInstrument | None"]


def bill_id(name: str) -> str | None:
    """A bill's number in one spelling ("Senate Bill 53" and "SB 53" are "SB 53"), so that the mentions
    of one bill by number and by title meet in the merge."""
    match = _BILL_NUMBER.fullmatch(name)
    if match is None:
        return None
    if match.group("chamber"):
        return f"{_CHAMBER[match.group('chamber')]} {match.group('n1')}"
    if match.group("letter"):
        return f"{match.group('letter')} {match.group('n2')}"
    return f"{match.group('abbr')} {match.group('n3')}"


def _clean_title(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The title inside a name match: leading connectors and an owner's possessive dropped; None for a
    headline (a title holds no finite verb) or what is left too short to name anything."""
    raw = text[start:end]
    glued = (
        _GLUED_LEAD.match(raw) if start and (text[start - 1] == "/" or text[start - 1].isalnum()) else None
    )
    if glued is not None and glued.end() < len(raw):
        start, raw = start + glued.end(), raw[glued.end() :]  # "Article 8/A of Law No. 12": not "A of ..."
    for leading in (_LEADING_NOISE, _LEADING_PLACE):
        lead = leading.match(raw)
        if lead is not None and lead.end() < len(raw):
            start, raw = start + lead.end(), raw[lead.end() :]
    if _HEADLINE_VERB.search(raw):
        return None
    trailing = _TRAILING_DATE.search(raw)
    if trailing is not None:
        end, raw = start + trailing.start(), raw[: trailing.start()]
    closing = _CLOSING_QUOTE.get(text[start - 1 : start]) if start else None
    if closing is not None:
        # A quoted title runs to its closing quote ("the 'X Plan Using Y' "), however it is worded.
        close = text.find(closing, end, end + 100)
        if close > 0 and not re.search(r"[.;:!?\n]", text[end:close]):
            end, raw = close, text[start:close]
    return start, end, raw


def _is_wrap(text: str, newline: int) -> bool:
    """Whether the line break at `newline` only wraps a running sentence (see `_WRAPPED_BEFORE`)."""
    return (
        _WRAPPED_BEFORE.search(text, max(0, newline - 40), newline) is not None
        or _WRAPPED_AFTER.match(text, newline + 1) is not None
    ) and _BULLET_AFTER.match(text, newline + 1) is None


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line a name stands on: a run of headlines or list items can reach the extractor as one
    sentence, and one item's verb says nothing about the next item's act. A hard-wrapped paragraph
    (a PDF or a government notice) is one line, however many breaks it holds."""
    line_start = text.rfind("\n", 0, start) + 1
    while line_start > 0 and _is_wrap(text, line_start - 1):
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    line_end = text.find("\n", end)
    while line_end >= 0 and _is_wrap(text, line_end):
        line_end = text.find("\n", line_end + 1)
    return line_start, len(text) if line_end < 0 else line_end


def _maker_country(text: str, issuers: list, issuers_all: list, end: int, group: str | None) -> str | None:
    """The jurisdiction of an act the gazetteer does not know: the party that makes it, not a country
    named as its target ("curbs aimed at Iran") or as a modifier ("U.S. dollars"). An act described
    as made "by" someone takes that agent; an export control never belongs to the place it keeps chips
    from."""
    agent = next(
        (
            e
            for e in issuers_all
            if group == "passive"
            and e.start >= end
            and e.country_code
            and _BY_BEFORE.search(text[max(0, e.start - 8) : e.start])
        ),
        None,
    )
    if agent is not None:
        return agent.country_code

    def rank(entity) -> tuple[bool, bool, bool]:
        target = _TARGET_BEFORE.search(text[max(0, entity.start - 12) : entity.start]) is not None
        # "Spain's Congress": the possessor says whose body acts (not "Washington's new curbs").
        owner = (
            entity.is_country
            and text[entity.end : entity.end + 2] in ("'s", "’s")
            and any(entity.end + 2 < other.start <= entity.end + 4 for other in issuers_all)
        )
        return target, not owner, entity not in issuers

    # "six billion U.S. dollars": a currency, not a party.
    makers = sorted((e for e in issuers_all if not names_currency(text, e.end)), key=rank)
    if group in _EXPORT_DESCRIPTIONS:
        makers = [e for e in makers if not rank(e)[0]]
    return next((e.country_code for e in makers if e.country_code), None)


def _line_has_event(text: str, act: Named, lex: Lexicons) -> bool:
    line_start, line_end = _line_bounds(text, act[0], act[1])
    line = text[line_start:line_end]
    return any(
        pattern.search(line) is not None
        for pattern in (lex.status_adopted, lex.status_in_force, lex.status_proposed, lex.status_revoked)
    )


def _event_text(text: str, named: list[Named]) -> str:
    """The sentence with the acts' own names and comparisons with other states blanked out (same
    length, so offsets hold): a word of a title ("Bill C-12", "Adoption Act") says nothing about what
    happened to the act, nor does being "the ninth state to enact" one."""
    spans = [(start, end) for start, end, _, _ in named]
    spans.extend(match.span() for match in _RANK_AMONG_STATES.finditer(text))
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _listed_alone(text: str, start: int, end: int) -> bool:
    """Whether the act is a list item on its own (see `_ITEM_BEFORE`)."""
    line_start, line_end = _line_bounds(text, start, end)
    before = _ITEM_BEFORE.match(text[line_start:start])
    after = _ITEM_AFTER.match(text[end:line_end])
    return (
        before is not None
        and after is not None
        and bool(before.group("bullet") or after.group("date") or after.group("comma"))
    )


def _update_dates(text: str, end: int, next_start: int) -> list[tuple[dt.date, str]]:
    """The dates of later updates the sentence gives right after the act, before any other act."""
    match = _UPDATED_IN.match(text, end, next_start)
    if match is None:
        return []
    dates = []
    for part in _DATE_PARTS.finditer(match.group("dates")):
        year = int(part.group("year"))
        if part.group("month"):
            dates.append((dt.date(year, _MONTH_NUMBER[part.group("month")[:3].lower()], 1), "month"))
        else:
            dates.append((dt.date(year, 1, 1), "year"))
    return dates


def _updates(slots: PolicySlots, dates: list[tuple[dt.date, str]]) -> list[PolicySlots]:
    """One act per update, named after the act and its date so that the merge keeps the updates apart."""
    out = []
    for date, precision in dates:
        label = date.strftime("%B %Y") if precision == "month" else str(date.year)
        out.append(
            replace(
                slots,
                name=f"{slots.name} ({label} update)",
                status="adopted",
                external_ids=(),
                known_date=None,
                stated_date=(date, precision),
                established=True,
            )
        )
    return out


def _is_policy(known: KnownInstrument) -> bool:
    """A known act, or a known state programme that is also an instrument (a mission a cabinet approves
    is both money and a funding programme)."""
    return known.fact_type == "policy" or known.instrument_type == "funding_programme"


def _join_titles(text: str, titles: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep a title whole: two head words in a row ("... Safety Standard Practice Guide") are one title, and so
    is a title with a long subtitle after a dash ("... Guide – Content Labelling Method for ...")."""
    joined: list[tuple[int, int, str]] = []
    for start, end, _ in titles:
        if joined and re.fullmatch(r"[ \t]+", text[joined[-1][1] : start]):
            start = joined.pop()[0]
        joined.append((start, end, text[start:end]))
    out = []
    for start, end, _ in joined:
        tail = _DASH_SUBTITLE.match(text, end)
        if tail is not None:
            end = tail.end()
        out.append((start, end, text[start:end]))
    return out


def _with_amending_lead(text: str, start: int, end: int, raw: str) -> tuple[int, int, str]:
    """The whole title of an amending act (see `_AMENDING_LEAD`), else the title as found."""
    lead = _AMENDING_LEAD.search(text, max(0, start - 120), start)
    return (lead.start(), end, text[lead.start() : end]) if lead is not None else (start, end, raw)


def _made_elsewhere(text: str, start: int, entities: list, known: KnownInstrument) -> bool:
    """Whether the sentence gives the act to another jurisdiction than the known act of that title:
    its owner ("the EU's Chips Act" is not the US one) or the state body that makes it ("the
    Commission proposed the €43 billion Chips Act")."""
    if known.country_code is None:
        return False
    return any(
        entity.country_code
        and entity.country_code != known.country_code
        and entity.end <= start
        and (is_government(entity) or entity.is_country)
        and (_OWNER_GAP.fullmatch(text, entity.end, start) or _MAKER_GAP.fullmatch(text, entity.end, start))
        for entity in entities
    )


def _covered_by_longer_title(start: int, end: int, titles: list[tuple[int, int, str]]) -> bool:
    """A known form that is the tail of a longer title ("... Safe Frontier Models Artificial Intelligence Act") is
    not that known act: the whole title names another one. A jurisdiction before it ("European Union
    AI Act") does not make a longer title."""
    return any(
        t_start < start and end <= t_end and title_key(raw[: start - t_start])[0]
        for t_start, t_end, raw in titles
    )


def _own_date(text: str, start: int, end: int) -> tuple[dt.date, str] | None:
    """The date a title carries ("Act of 2022", "Law (2017)", "the July 2025 Roadmap"), if any."""
    match = (
        _OWN_DATE_AFTER.match(text[end : end + 24])
        or _MADE_IN_AFTER.match(text[end : end + 70])
        or _OWN_DATE_BEFORE.search(text[max(0, start - 30) : start])
    )
    if match is None:
        return None
    year = int(match.group("year"))
    if match.group("month"):
        return dt.date(year, _MONTH_NUMBER[match.group("month")[:3].lower()], 1), "month"
    return dt.date(year, 1, 1), "year"


def _merge_appositives(text: str, named: list[Named]) -> tuple[list[Named], dict[int, str]]:
    """A bill's number and its title side by side ("SB 53, the Transparency ... Act"; "the ... Act
    (SB 53)") name one act: keep the title, and the number as the act's id."""
    merged: list[Named] = []
    bills: dict[int, str] = {}
    skip: set[int] = set()
    for i, (start, end, name, known) in enumerate(named):
        if i in skip:
            continue
        if i + 1 < len(named):
            n_start, n_end, n_name, n_known = named[i + 1]
            between = text[end:n_start]
            number, title = bill_id(name), bill_id(n_name)
            if re.fullmatch(r",\s*(?:the\s+)?|\s*\(\s*|\s*,?\s*(?:also\s+)?known\s+as\s+", between) and (
                (number is None) != (title is None)
            ):
                skip.add(i + 1)
                if number is not None:
                    merged.append((n_start, n_end, n_name, n_known))
                    bills[n_start] = number
                else:
                    merged.append((start, end, name, known))
                    bills[start] = title or ""
                continue
            if (
                number is None
                and title is None
                and _ALIAS_GAP.fullmatch(between)
                and (not between.strip().startswith("(") or text[n_end : n_end + 1] == ")")
            ):
                # "the Robotics Policy Act (the Chile Robot Act)": a short name is the same act.
                skip.add(i + 1)
                merged.append(named[i + 1] if n_known is not None and known is None else named[i])
                continue
        merged.append((start, end, name, known))
        if bill_id(name):
            bills[start] = bill_id(name) or ""
    return merged, bills


def _named_acts(
    info: SentenceInfo, lex: Lexicons, known_by_key: dict[str, KnownInstrument] | None
) -> tuple[list[Named], dict[int, str]]:
    """Every act the sentence names: known forms, executive order numbers, titles recognised by their
    form (a capitalised name ending in Act, Law, Strategy, Measures ...; normalised to a known act when
    the gazetteer knows it under another spelling), bill numbers, and else an act the sentence
    describes (with which shape of `_UNNAMED_INSTRUMENT` described it, by start)."""
    text = info.text
    titles: list[tuple[int, int, str]] = []
    groups: dict[int, str] = {}
    for match in lex.policy_name.finditer(text):
        cleaned = _clean_title(text, *match.span("name"))
        if cleaned is not None:
            titles.append(cleaned)
    titles = [_with_amending_lead(text, *title) for title in _join_titles(text, titles)]
    named: list[Named] = []
    for mention in info.known:
        if (
            not _is_policy(mention.instrument)
            or _covered_by_longer_title(mention.start, mention.end, titles)
            or _made_elsewhere(text, mention.start, info.entities, mention.instrument)
        ):
            continue
        found = (mention.start, mention.end, mention.instrument.name, mention.instrument)
        earlier = next((i for i, n in enumerate(named) if n[2] == mention.instrument.name), None)
        if earlier is None:
            named.append(found)
        elif not _line_has_event(text, named[earlier], lex) and _line_has_event(text, found, lex):
            named[earlier] = found  # a heading names the act, the next line says what happened to it
    for match in lex.eo_number.finditer(text):
        if not any(s <= match.start() < e for s, e, _, _ in named):
            named.append((match.start(), match.end(), f"Executive Order {match.group('n')}", None))
    others = [(m.start, m.end) for m in info.known if not _is_policy(m.instrument)]
    for start, end, raw in titles:
        if any(s < end and start < e for s, e, _, _ in named) or any(
            s < end and start < e for s, e in others
        ):
            continue  # a known programme or alliance ("the U.S.-India Initiative on ...") is not an act
        words = raw.split()
        if (
            len(words) < 2
            or _GENERIC_STOP.match(raw)
            or _ONLY_HEADS.match(raw)
            or (words[-1] == "Bill" and re.match(r"\s+[A-Z][a-z]", text[end : end + 3]))
            or _NAME_GOES_ON.match(text, end) is not None
            or not words[0][0].isupper()
            or raw.startswith("Memorandum of")
            or words[0] in _NOT_TITLE_START
        ):
            continue
        known = lookup_title(known_by_key, raw) if known_by_key else None
        if known is not None and _made_elsewhere(text, start, info.entities, known):
            known = None  # "Japan's AI Act": a title like a known act's, of another jurisdiction
        if known is not None:
            if not any(n[3] is known for n in named):
                named.append((start, end, known.name, known))
            continue
        if any(raw in k.surface_forms for _, _, _, k in named if k is not None):
            continue
        if any(k is not None and abs(start - k_start) < 120 for k_start, _, _, k in named):
            continue  # the formal title of a known act named nearby ("..., commonly called the AI Basic Act")
        named.append((start, end, raw, None))
    for match in _BILL_NUMBER.finditer(text):
        if not any(s <= match.start() < e for s, e, _, _ in named):
            named.append((match.start(), match.end(), match.group(0), None))
    unnamed = _UNNAMED_INSTRUMENT.search(text)
    group = None if unnamed is None else next(g for g in _UNNAMED_GROUPS if unnamed.group(g))
    if group == "applies":
        # The act the ruling applies is the fact, made effective by the ruling.
        for start, _, _, _ in named:
            if unnamed.start(group) <= start < unnamed.end(group):
                groups[start] = "ruling"
        group = unnamed = None
    # A described act counts when nothing is named; a ruling counts even beside the act it applies
    # ("ruled that AI robocalls are illegal under the Telephone Consumer Protection Act").
    if (
        unnamed is not None
        and (not named or group == "ruling")
        and not re.match(r"(?i)the\s", unnamed.group(group))
        # "announced an initiative to invest ...": an initiative named by nothing is money, not an act.
        and unnamed.group(group).strip().lower() != "initiative"
        # "published the Robotics Strategy Council report": a capitalised head inside a longer name.
        and not (
            unnamed.group(group)[-1:].isalpha()
            and unnamed.group(group).split()[-1][0].isupper()
            and _NAME_GOES_ON.match(text, unnamed.end(group))
        )
    ):
        described = "export controls" if group == "effect" else unnamed.group(group).strip()
        described = _DESCRIBED_LEAD.sub("", described)
        named.append((unnamed.start(group), unnamed.end(group), described, None))
        groups[unnamed.start(group)] = group
    named.sort()
    return named, groups


def build_policies(
    info: SentenceInfo,
    lex: Lexicons,
    country_name,
    us_issuer: Participant | None = None,
    known_by_key: dict[str, KnownInstrument] | None = None,
    home_country: Callable[[], str | None] | None = None,
) -> list[PolicySlots]:
    """Every policy the sentence names and does something with (adopts, revokes, enforces, proposes).

    `home_country` names the country the page is about: whose act it is when a state body the sentence
    does not place makes it ("The National Assembly passed the Law on Artificial Intelligence")."""
    text = info.text
    if lex.policy.search(text) is None and not info.known:
        return []
    acts, described = _named_acts(info, lex, known_by_key)
    named, bills = _merge_appositives(text, acts)
    if not named:
        return []
    events = _event_text(text, [n for n in acts if n[0] not in described])
    has_event = bool(
        lex.status_adopted.search(events)
        or lex.status_revoked.search(events)
        or lex.status_in_force.search(events)
        or lex.status_proposed.search(events)
        or any(group in _ENACTED_BY_DESCRIPTION for group in described.values())
    )
    revoke = lex.status_revoked.search(events)
    issuers = [
        e
        for e in info.entities
        if (is_government(e) or e.is_country) and not is_modifier(text, e, info.entities)
    ]
    issuers_all = [e for e in info.entities if is_government(e) or e.is_country]
    subjects = [e for e in info.entities if e.kind in ("company", "investor", None) and not e.is_country]
    results: list[PolicySlots] = []
    text_ids = _ids_from_text(text, lex)
    made: dict[int, str] = {}  # the status of each act kept so far, by its start
    for index, (start, end, name, known) in enumerate(named):
        passing = (
            _PASSING_REFERENCE.search(text[max(0, start - 40) : start]) is not None
            or re.search(
                r"\b(?:the|a|its)\s+(?:\d{4}\s+)?(?:proposed|draft|planned|revoked|former)\s+$",
                text[max(0, start - 30) : start],
            )
            is not None
        ) and _EVENT_BEFORE_DRAFT.search(text[max(0, start - 40) : start]) is None
        stating = _STATING_REFERENCE.search(text[max(0, start - 40) : start]) is not None or _listed_alone(
            text, start, end
        )
        # "extends rules issued by the ministry in 2021": the description itself states the act's making.
        passing = passing and not stating and described.get(start) not in _ENACTED_BY_DESCRIPTION
        line_start, line_end = _line_bounds(text, start, end)
        window = events[max(line_start, start - 90) : min(line_end, end + 90)]
        # A title with its own date states the act even in passing ("under the Act of 2022").
        own_date = None if bill_id(name) else _own_date(text, start, end)
        if own_date is None and not stating and (passing or (known is None and not has_event)):
            continue
        if (
            described.get(start) == "exports"
            and subjects
            and _AUTHORISED.search(text[max(0, start - 30) : start])
        ):
            continue  # exports authorised to named companies: a licence applied to parties, an incident
        state_issuer = state_country(text) is not None
        us_order = _US_PRESIDENT.search(text) is not None  # a US president signs or authorises US acts
        # "Concurrently released, the new Robotics Safety Standard aims to ...": a titled act that no
        # company before it owns, on a page about one country, is that country's.
        page_act = (
            described.get(start) is None
            and home_country is not None
            and not any(e.start < start for e in subjects)
            and home_country() is not None
        )
        unplaced = (
            known is None
            and not issuers_all
            and not name.startswith("Executive Order")
            and not us_order
            and not state_issuer
            and not (described.get(start) is None and _STATE_BODY.search(text))
        )
        if unplaced and not page_act:
            continue  # nobody in the sentence can make the act: no act, or one we cannot place
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
            status = _status(events[line_start:line_end], lex, start, end, revoked_target)
        if (
            status == "unknown"
            and index
            and named[index - 1][0] in made
            and _LIST_JOIN.fullmatch(text, named[index - 1][1], start) is not None
        ):
            status = made[named[index - 1][0]]  # "passed the X Law, alongside the Y Law": one verb, a list
        if status == "unknown" and (
            described.get(start) in _ENACTED_BY_DESCRIPTION or own_date is not None or stating
        ):
            # A ruling applies once issued; a dated act, or one that sets out a plan, exists.
            status = "adopted"
        if status == "unknown":
            continue  # a passing mention ("similar to the EU's AI Act") states no policy event
        if (
            unplaced
            and status == "proposed"
            and own_date is None
            and not stating
            and not any(
                cue.search(events[line_start:line_end])
                for cue in (lex.status_adopted, lex.status_in_force, lex.status_revoked)
            )
        ):
            continue  # an act placed only by the page needs more than talk of a bill to be one
        instrument = (
            known.instrument_type
            if known and known.instrument_type
            else "law"
            if bill_id(name)
            else "export_control"
            if described.get(start) in ("barred", "effect")
            or (described.get(start) == "passive" and _CONTROLS.search(name))
            else _instrument(name, text, lex)
        )
        country = known.country_code if known else None
        if country is None and known is None:
            if name.startswith("Executive Order") or us_order:
                country = "US"
            elif any(k == "celex" for k, _ in text_ids):
                country = "EU"
            else:
                country = _maker_country(text, issuers, issuers_all, end, described.get(start))
                if country is None and state_issuer:
                    country = state_country(text)
                if country is None and home_country is not None and (_STATE_BODY.search(text) or unplaced):
                    country = home_country()
        own_ids: list[tuple[str, str]] = []
        if name.startswith("Executive Order "):
            own_ids.append(("eo_number", name.split()[-1]))
        if len(named) == 1:
            own_ids.extend(text_ids)
        if start in bills:
            own_ids.append(("bill_number", f"{country or '?'} {bills[start]}"))
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
        made[start] = status
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
                stated_date=own_date,
                # "rules issued by the ministry in 2021": the participle states a completed act.
                established=(own_date is not None or stating or described.get(start) == "passive")
                and not promised,
            )
        )
        following = [s for s, _, _, _ in named if s > start]
        results.extend(_updates(results[-1], _update_dates(text, end, min(following, default=len(text)))))
    return results
