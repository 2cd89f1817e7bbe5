"""Alliance facts: who joins whom, under what name, around which focus areas."""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.extraction.clauses import clause_info, member_lists
from airace_pipeline.extraction.entities import ORG_SUFFIXES, EntityMention
from airace_pipeline.extraction.lexicons import Lexicons
from airace_pipeline.extraction.model import Participant
from airace_pipeline.extraction.participants import (
    acting_through,
    dedupe,
    is_modifier,
    list_after,
    participant,
)
from airace_pipeline.reference.patterns import lazy_compile

_NAMED_ALLIANCE = lazy_compile(
    r"(?P<name>(?:[A-Z][\w.'’-]*\s+|(?:on|of|for|and|the)\s+){0,6}?[A-Z][\w.'’-]*\s+"
    r"(?:Alliance|Partnership|Forum|Initiative|Declaration|Pact|Consortium|Coalition|Compact|Accord|Dialogue|"
    r"Network))\b"
    # "the X Partnership Council", "the Y Alliance Summit": a body or a meeting of the alliance, not its name.
    r"(?!\s+(?:Council|Committee|Board|Meeting|Summit|Secretariat|Ministerial)\b)"
)
_ALLIANCE_EVENT = lazy_compile(
    r"\b(?:form(?:ed|s|ing)?|launch(?:ed|es|ing)?|sign(?:ed|s|ing)?|agree(?:d|s)?|announc(?:ed|es|e)|"
    r"establish(?:ed|es)?|creat(?:ed|es|e)|join(?:ed|s|ing)?|enter(?:ed|s)?\s+into|struck|reach(?:ed)?|"
    r"unveil(?:ed|s)?|team(?:ed)?\s+up|pair(?:s|ed|ing)?\s+up|partner(?:ed|s|ing)?\s+(?:with|on)|(?:have|has|had)\s+(?:an?\s+)?"
    r"(?:[\w$.-]+\s+){0,3}(?:partnerships?|alliances?)|secur(?:ed|es|ing)|extend(?:ed|s)?|expand(?:ed|s)?|"
    r"deepen(?:ed|s)?|renew(?:ed|s)?|includes?|included|cooperat\w+|collaborat\w+|work(?:ing)?\s+together|"
    r"endorsed|adopted|co-host\w*|hosted|met|held|inaugural|will|would|plans?\s+to|in\s+talks|talks|described|"
    r"set(?:s|ting)?\s+up|(?:its|their)\s+members|members\s+(?:include|are)|"
    r"seal(?:ed|s)|forg(?:ed|es)|jointly|together|co-develop\w*|develop(?:ing|s|ed)?|gain(?:ed|s)|welcom(?:ed|es)|"
    r"(?:partnership|alliance|agreement|accord|pact|MoUs?|memorand\w+|collaboration|cooperation|venture|"
    r"understanding)\s+between)\b",
    re.IGNORECASE,
)
_NEGATED = lazy_compile(
    # "clarified its stance on possible partnership talks": a comment on talks, no alliance of its own.
    r"\b(?:clarif(?:y|ies|ied)\s+(?:its|their|his|her)\s+(?:stance|position)|did\s+not|didn't|declined\s+to|refused\s+to|will\s+not|won't|has\s+not|have\s+not|ended|"
    r"terminated|pulled\s+out|withdr[ae]w|not\s+(?:to\s+)?join|(?:unclear|uncertain|not\s+clear)\s+(?:whether|if))\b",
    re.IGNORECASE,
)
_COORDINATION = lazy_compile(
    r"^(?:\s*\([A-Za-z&.-]{2,12}\))?\s*(?:,|and|,\s*and|&|as\s+well\s+as|together\s+with|along\s+with)\s*(?:the\s+)?"
    r"(?:[A-Z][\w.-]*(?:'s|’s)\s+)?(?:[a-z][\w-]*\s+){0,3}$|"
    r"^\s+(?:and|with)\s+(?:the\s+)?$|"
    r"^(?:'s)?\s+(?:President|Prime\s+Minister|Premier|Chancellor|King|leader|Emir)\s+"
    r"(?:[A-Z][\w-]*\s+){1,3}and\s+$"
)
# "A said a supply agreement with B ...": in a sentence that already reads as an alliance, an indefinite
# deal noun followed by "with" joins its two sides ("the agreement with B" refers back to one stated).
_DEAL_WITH = lazy_compile(
    r"\b(?:(?:an?|new)\s+(?:[\w-]+\s+){0,2}?(?:agreement|deal|MoU|memorandum|venture|accord)|"
    r"(?:agreements|deals|MoUs|memoranda|ventures|accords))\s+with\b",
    re.IGNORECASE,
)
# "Through these partnerships, A and B will ...": the sentence works out deals stated before; it states
# no new alliance of its own.
_BACK_REFERENCE = lazy_compile(
    r"^\W*(?:Through|Under|Via|With|As\s+part\s+of)\s+(?:these|this|those|the)\s+(?:new\s+)?"
    r"(?:partnerships?|alliances?|agreements?|collaborations?|deals?|pacts?)\b"
)
# "Nvidia (NASDAQ:NVDA), AMD (NYSE: AMD) and ...": a stock ticker in brackets names no party of its own and
# sits inside a list of parties without breaking it.
_TICKER = lazy_compile(r"\s*\(\s*[A-Z][A-Za-z.]{1,10}\s*:\s*[A-Z0-9][A-Z0-9.]{0,9}\s*\)")
# "A is in early talks with B and C to form a joint venture": the talks join their two sides when the
# sentence already reads as an alliance (the trigger is checked before).
_TALKS_WITH = lazy_compile(
    r"\b(?:in\s+(?:\w+\s+)?(?:talks|discussions|negotiations)|negotiat(?:ing|es|ed)|"
    r"(?:holding|held|hold|holds)\s+(?:\w+\s+)?talks)\s+with\b",
    re.IGNORECASE,
)
# "partnerships that get a $110 million cash infusion from A and B", "with financial support from C": the
# parties money or support comes from fund the alliance; they are not its members.
_FUNDED_FROM = lazy_compile(
    r"\b(?:(?:support|funding|backing|financing|infusion|grants?|contributions?|donations?|sponsorship)\s+from|"
    r"(?:funded|financed|sponsored|bankrolled)\s+by)\s+",
    re.IGNORECASE,
)
# "Baidu has joined the Partnership on AI", "the Frontier Model Forum, which includes A and B": a body the
# gazetteer knows as an organisation but whose name is an alliance's is the alliance joined, not a member.
_ALLIANCE_BODY = lazy_compile(r"\b(?:Partnership|Alliance|Consortium|Coalition|Forum)\b")
_JOINED_BEFORE = lazy_compile(
    r"\b(?:join(?:s|ed|ing)?|members?\s+of|signed\s+up\s+to)\s+(?:the\s+)?$", re.IGNORECASE
)
_MEMBERS_AFTER = lazy_compile(
    r"(?:\s*\([^()]{1,12}\))?,?\s+(?:which\s+|that\s+)?(?:includes|counts|comprises|"
    r"(?:whose\s+)?members\s+include)\b"
)
# "a US-led group", "a Paris-based lab": a country glued to a participle only describes something else.
_DESCRIBING_SUFFIX = lazy_compile(r"-(?:led|backed|based|born|headquartered|owned|funded)\b")
_HOSTED_BY = lazy_compile(r"\bhost(?:ed|s|ing)?\s+(?:by\s+)?", re.IGNORECASE)
_FOUNDING = lazy_compile(
    r"\bfound(?:ing|ational)\s+(?:members?|partners?|signator\w+)\b|\bco-?founded\b|\bfounded\s+by\b",
    re.IGNORECASE,
)
_SIGNED = lazy_compile(r"\b(?:signed|signatories|signatory|endorsed|agreed)\b", re.IGNORECASE)
_NOT_ALLIANCE = lazy_compile(
    r"\b(?:partnership\s+(?:with|between)\s+(?:users|customers)|in\s+partnership\s+with\s+(?:local|its)|"
    r"public-private\s+partnership|ties\s+with|"
    # "A and B together hold 70% of the market": a combined share, not a joint act.
    r"together\s+(?:hold|held|control|controlled|account(?:ed)?\s+for|make\s+up|own|owned)|"
    # "Trade and cooperation will top the agenda of the talks between A and B": topics of a meeting.
    r"(?:top|tops|topped|dominate[sd]?|high\s+on)\s+the\s+agenda|"
    # "A, B and C have all struck partnerships": each its own deals, no alliance of the listed firms.
    r"(?:have|has|had)\s+all\s+(?:struck|signed|formed|announced|inked|sealed|entered|forged|made)|"
    # "The Measures were jointly issued by two ministries": co-authors of a rule are no alliance.
    r"jointly\s+(?:[a-z]+\s+and\s+)?(?:issued|promulgated|published|released)\s+by|"
    # "A signed an agreement to merge with B", "a deal to acquire C": a takeover, not an alliance.
    r"(?:agreements?|deals?|pacts?|MoUs?|accords?)\s+to\s+(?:merge|acquire|buy|sell|take\s+over)|"
    r"agreed\s+to\s+(?:merge|be\s+acquired|be\s+bought|sell\s+(?:itself|the\s+company))|merger\s+agreement)\b",
    re.IGNORECASE,
)


@dataclass
class AllianceSlots:
    name: str | None
    participants: tuple[Participant, ...]
    focus_areas: tuple[str, ...]
    country_code: str | None = None
    # "A signed agreements with B and C": the partners of one party, each its own bilateral alliance.
    partners_of: Participant | None = None
    # "a partnership with A, as well as an agreement with B and C": the parties of each deal.
    groups: tuple[tuple[Participant, ...], ...] = ()


def bilateral(alliance: AllianceSlots) -> list[AllianceSlots]:
    """One alliance per partner when a single party states separate deals with each of several others,
    and one per deal when a sentence lists several deals."""
    if alliance.groups:
        return [dataclasses.replace(alliance, participants=group, groups=()) for group in alliance.groups]
    if alliance.partners_of is None:
        return [alliance]
    return [
        dataclasses.replace(alliance, participants=(alliance.partners_of, other), partners_of=None)
        for other in alliance.participants
        if other is not alliance.partners_of
    ]


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


def listed_entities(
    info: SentenceInfo, lists: list[list[tuple[int, int]]] | None = None
) -> list[EntityMention]:
    """The sentence's entities plus the members its lists name that the gazetteer does not know.

    A listed item that covers nothing recognised becomes an unknown organisation ("including CERN and
    NASA"); an item made of a known company and a country ("Google India") names the local subsidiary."""
    entities = list(info.entities)
    lists = member_lists(info.text) if lists is None else lists
    for start, end in (span for group in lists for span in group):
        inside = [e for e in entities if e.start < end and start < e.end]
        name = info.text[start:end]
        if not inside:
            entities.append(EntityMention(start, end, name, None, None, False, None))
        elif (
            _is_subsidiary(inside, start, end)
            or _country_inside_name(info.text, inside, start, end)
            or _unit_of(info.text, inside, start, end)
        ):
            entities = [e for e in entities if e not in inside]
            entities.append(EntityMention(start, end, name, None, None, False, None))
    return sorted(entities, key=lambda e: e.start)


def _is_subsidiary(inside: list[EntityMention], start: int, end: int) -> bool:
    """ "IBM India": a company name followed by the country it operates in, spanning the whole item."""
    return (
        len(inside) == 2
        and not inside[0].is_country
        and inside[1].is_country
        and inside[0].start == start
        and inside[1].end == end
    )


# "These include an MoU with X", "The agreements signed today also include a partnership with Y": the
# deals of a party named in the sentence before, listed one by one.
# "Its partnerships include one with X": the same listing, the party named by a possessive.
_LISTED_DEALS = lazy_compile(
    r"^\W*(?:These|They|Those|(?:The|Its|Their)\s+(?:agreements|deals|partnerships|MoUs|memoranda|alliances)"
    r"(?:\s+[a-z]+){0,3})\s+(?:also\s+)?include\s+(?:(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:memorandum|MoU|"
    r"partnership|agreement|deal|joint\s+venture|collaboration)\b|one\s+with\b)",
    re.IGNORECASE,
)


def lists_deals(text: str) -> bool:
    """Whether the sentence lists deals of a party named before it ("These include an MoU with X")."""
    return _LISTED_DEALS.match(text) is not None


def listed_deal(
    info: SentenceInfo,
    context: SentenceInfo | None,
    lex: Lexicons,
    country_name,
    earlier: SentenceInfo | None = None,
) -> AllianceSlots | None:
    """The deals a sentence lists for the single party of the sentence before: "These include an MoU with
    X" is one alliance of that party and X; "... a partnership with Y, as well as an agreement with Z and W"
    is one alliance per deal. When the sentence before is itself such a list ("These include ... The
    agreements also include ..."), the party is the one that list took from `earlier`."""
    if context is None or _LISTED_DEALS.match(info.text) is None:
        return None
    if _LISTED_DEALS.match(context.text):
        context = earlier  # a list of deals after another one: its party is further back
        if context is None or _LISTED_DEALS.match(context.text):
            return None
    parties = [
        e for e in context.entities if not e.is_country and not is_modifier(context.text, e, context.entities)
    ]
    if len({e.organisation_id or e.name for e in parties}) != 1:
        return None
    own = build_alliance(info, lex, country_name, extra_members=parties[:1], require_members=False)
    if own is None or len(own.participants) < 2:
        return None
    key = parties[0].organisation_id or parties[0].name
    party = next((p for p in own.participants if (p.organisation_id or p.name) == key), None)
    if party is None:
        return own
    groups = []
    starts = [m.end() for m in _DEAL_NOUN_WITH.finditer(info.text)]
    entities = listed_entities(info)
    for start, end in itertools.pairwise([*starts, len(info.text)]):
        named = {e.organisation_id or e.name for e in entities if start <= e.start < end}
        group = [p for p in own.participants if (p.organisation_id or p.name) in named and p is not party]
        partner = _partner_after(info.text, entities, start, end)
        if partner is not None and not group:
            # "a partnership with A to explore ...": a single partner the member lists did not join.
            group = [participant(partner, party.role)]
        if group:
            groups.append((party, *group))
    if len(groups) >= 2:
        own.groups = tuple(groups)
    return own


def _partner_after(text: str, entities: list[EntityMention], start: int, end: int) -> EntityMention | None:
    """The organisation right after "a partnership with" (an article and a demonym may come between)."""
    first = next((e for e in entities if start <= e.start < end), None)
    if first is None or first.is_country or _PARTNER_GAP.fullmatch(text, start, first.start) is None:
        return None
    return first


_PARTNER_GAP = lazy_compile(r"\s*(?:the\s+)?(?:[A-Z][a-z]+\s+)?")


_DEAL_NOUN_WITH = lazy_compile(
    r"\b(?:memorandum|MoU|partnership|agreement|deal|joint\s+venture|collaboration)"
    r"(?:\s+of\s+understanding)?(?:\s+\([^()]{1,10}\))?\s+with\b",
    re.IGNORECASE,
)


# "President Joe Biden", "CEO Sam Altman": a person guessed as an unknown name is no party.
_TITLE_BEFORE = lazy_compile(
    r"\b(?:President|Prime\s+Minister|Minister|Secretary|Chancellor|Premier|King|Sheikh|Prince|CEO|"
    r"Governor|Senator|Mr\.?|Ms\.?|Dr\.?)\s+$"
)


def _titled_person(text: str, entity: EntityMention) -> bool:
    return (
        entity.organisation_id is None
        and not entity.is_country
        and _TITLE_BEFORE.search(text[max(0, entity.start - 20) : entity.start]) is not None
    )


# "They also include A and B", "The group also counts C and D among its members": more members of the
# alliance stated just before.
_MORE_MEMBERS = lazy_compile(
    r"^\W*(?:They|It|The\s+(?:[A-Z][\w-]*\s+){0,4}(?:[Gg]roup|[Aa]lliance|[Cc]onsortium|[Cc]oalition))\s+also\s+"
    r"(?:include[sd]?\b|count(?:s|ed)?\s+[^.]{1,200}\bamong\s+(?:its|their)\s+members)"
)


# "The partnership comes amid X's efforts ...", "The deal came as Y ...": the alliance just stated set in its
# background; the parties of that background are no members.
_SETS_SCENE = lazy_compile(
    r"^\W*(?:The|This|That|Their|Its)\s+(?:new\s+|latest\s+)?(?:partnership|alliance|deal|agreement|"
    r"collaboration|pact|venture|tie-up|MoU)\s+(?:also\s+)?(?:comes?|came|follows?|followed|arrives?|arrived)\s+"
    r"(?:amid|as|after|at\s+a\s+time|against|weeks|days|months|shortly|just|on\s+the\s+heels|"
    # "comes five months after ...", "came a year after ..."
    r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a\s+few|\d+)\s+"
    r"(?:weeks?|days?|months?|years?)\s+(?:after|since))\b",
    re.IGNORECASE,
)


def sets_scene(text: str) -> bool:
    """Whether the sentence only places the alliance stated before in its background."""
    return _SETS_SCENE.match(text) is not None


def more_members(text: str) -> bool:
    """Whether the sentence names further members of the alliance stated just before."""
    return _MORE_MEMBERS.match(text) is not None


def _unit_of(text: str, inside: list[EntityMention], start: int, end: int) -> bool:
    """ "Samsung Heavy Industries", "MeitY Startup Hub": a listed name that starts with a known organisation
    and goes on with words of its own names a unit or affiliate ("Nvidia Corp" only adds a legal suffix)."""
    if len(inside) != 1 or inside[0].start != start or inside[0].end >= end or inside[0].is_country:
        return False
    rest = text[inside[0].end : end].split()
    return not all(word in ORG_SUFFIXES for word in rest)


_OF_BEFORE = lazy_compile(r"\bof\s+(?:the\s+)?$")


def _country_inside_name(text: str, inside: list[EntityMention], start: int, end: int) -> bool:
    """ "Digital India Bhashini Division": a country word (or a fragment guessed as an unknown name) inside a
    longer listed name is part of that name. "Leaders of Australia" or "the Government of Japan" ends with
    the country it stands for, so the country stays the party."""
    if inside[-1].is_country and inside[-1].end == end and _OF_BEFORE.search(text, start, inside[-1].start):
        return False
    return all(e.is_country or e.organisation_id is None for e in inside) and all(
        e.end - e.start < end - start for e in inside
    )


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
    if require_members and (_BACK_REFERENCE.match(text) or text.rstrip().endswith("?")):
        return None  # a question ("Will A and B partner?") states no alliance
    name = alliance_name(info)
    if require_members and _ALLIANCE_EVENT.search(text) is None:
        return None
    # "the French defence ministry's AI agency": a country acting through an unnamed public body is a party.
    lists = member_lists(text)
    entities = listed_entities(info, lists)
    candidates = [
        e
        for e in entities
        if (not is_modifier(text, e, entities) or acting_through(text, e)) and not _titled_person(text, e)
    ]
    candidates = _without_dropped_aliases(text, entities, candidates)
    candidates = [
        e
        for e in candidates
        if not (e.is_country and (_DESCRIBING_SUFFIX.match(text, e.end) or _owns_next(text, e, entities)))
    ]
    body = _joined_body(text, candidates)
    if body is not None:
        candidates = [e for e in candidates if _key(e) != _key(body)]
        name = name or body.name
    funders = [e for m in _FUNDED_FROM.finditer(text) for e in list_after(text, entities, m.end())]
    if funders:
        candidates = [e for e in candidates if e not in funders]
    tickers = [m.span() for m in _TICKER.finditer(text)]
    if tickers:
        candidates = [e for e in candidates if not any(a <= e.start and e.end <= b for a, b in tickers)]
    customer = _supplied_customer(text, entities)
    if customer is not None and customer not in candidates:
        candidates = sorted([*candidates, customer], key=lambda e: e.start)
    linked: list[EntityMention] = []
    for first, second in itertools.pairwise(candidates):
        gap = text[first.end : second.start]
        if tickers:
            gap = _TICKER.sub("", gap)
        joined = _COORDINATION.match(gap) is not None or (
            len(gap.split()) <= 14
            and (
                lex.alliance.search(gap) is not None
                or _DEAL_WITH.search(gap) is not None
                or _TALKS_WITH.search(gap) is not None
            )
            and re.search(r"\bwith\b", gap)
        )
        if joined:
            for entity in (first, second):
                if entity not in linked:
                    linked.append(entity)
    for group in lists:
        # "led by the fund Mubadala Investment Co. and AI firm G42": the names of one list are joined even
        # when descriptors or name endings sit between the recognised parts.
        listed = [e for e in candidates if any(e.start < b and a < e.end for a, b in group)]
        if len(listed) >= 2:
            linked.extend(e for e in listed if e not in linked)
    if customer is not None and linked and customer not in linked:
        linked.append(customer)
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
    participants = list(dedupe(participants))
    return AllianceSlots(
        name=name,
        participants=tuple(participants),
        focus_areas=focus_areas(text, lex),
        country_code=known_country,
        partners_of=_single_party(text, members, participants) if name is None else None,
    )


# "China's Internet giant Baidu": a country's possessive before a described organisation places it.
_OWNER_GAP = lazy_compile(r"(?:'s|’s)\s+(?:[\w-]+\s+){0,3}")


def _owns_next(text: str, country: EntityMention, entities: list[EntityMention]) -> bool:
    following = next((e for e in entities if e.start >= country.end), None)
    return (
        following is not None
        and not following.is_country
        and _OWNER_GAP.fullmatch(text, country.end, following.start) is not None
    )


def _joined_body(text: str, candidates: list[EntityMention]) -> EntityMention | None:
    """The known organisation named like an alliance that the sentence's parties join or that counts
    them as members (see `_ALLIANCE_BODY`)."""
    for entity in candidates:
        if entity.is_country or entity.organisation_id is None or not _ALLIANCE_BODY.search(entity.name):
            continue
        if _JOINED_BEFORE.search(text, max(0, entity.start - 40), entity.start) or _MEMBERS_AFTER.match(
            text, entity.end
        ):
            return entity
    return None


# "A and B signed letters of intent to supply chips for C's data centres": the customer of the supply deal
# is a party, even when named as the owner of what is supplied.
_SUPPLY_FOR = lazy_compile(
    r"\b(?:letters?\s+of\s+intent|agreements?|deals?|MoUs?|contracts?|partnerships?)\s+to\s+(?:supply|provide|"
    r"deliver)\s+(?:[\w-]+\s+){1,4}?(?:for|to)\s+(?:the\s+)?$"
)


def _supplied_customer(text: str, entities: list[EntityMention]) -> EntityMention | None:
    """The organisation a supply deal serves, named right after "to supply ... for"."""
    for entity in entities:
        if not entity.is_country and _SUPPLY_FOR.search(text, max(0, entity.start - 120), entity.start):
            return entity
    return None


_ALIAS_GAP = lazy_compile(r"\s*\(\s*")


def _key(entity: EntityMention) -> str | None:
    return entity.country_code if entity.is_country else entity.organisation_id or entity.name


def _without_dropped_aliases(
    text: str, entities: list[EntityMention], candidates: list[EntityMention]
) -> list[EntityMention]:
    """ "a company based in the United Arab Emirates (UAE)": an abbreviation in brackets repeats the name
    before it, so it is no party when that name is none (a place, a modifier)."""
    dropped = [
        second
        for first, second in itertools.pairwise(entities)
        if first not in candidates
        and _key(first) == _key(second)
        and _ALIAS_GAP.fullmatch(text, first.end, second.start) is not None
    ]
    return [e for e in candidates if e not in dropped]


# Plural deals with a list of partners: "secured partnerships with A and B", "signed MoUs with A, B and C".
_PLURAL_WITH = lazy_compile(
    r"\b(?:partnerships|agreements|deals|MoUs|memoranda(?:\s+of\s+understanding)?|pacts|alliances)\s+with\s+"
)


def _single_party(
    text: str, members: list[EntityMention], participants: list[Participant]
) -> Participant | None:
    """The one party before "partnerships with A and B" when two or more partners follow it."""
    match = _PLURAL_WITH.search(text)
    if match is None or len(members) != len(participants):
        return None
    before = [i for i, e in enumerate(members) if e.end <= match.start()]
    after = [e for e in members if e.start >= match.end()]
    if len(before) != 1 or len(after) < 2 or len(after) + 1 != len(members):
        return None
    return participants[before[0]]


# "The two partnered in ...", "Both companies will collaborate on ...", "The two firms later signed a
# partnership": the subject is the pair of parties the sentence before named.
_PAIR_SUBJECT = (
    r"^\W*(?:The\s+two|Both)(?:\s+(?:companies|firms|groups|sides|countries|governments|organi[sz]ations|"
    r"institutions|universities|partners|start-?ups|labs|nations))?\s+"
    r"(?:(?:have|has|had|will|would|also|jointly|then|later|previously|already|are|were|is)\s+){0,2}"
)
# Verbs that are an alliance by themselves.
_PAIR_ACT = lazy_compile(
    _PAIR_SUBJECT + r"(?:partner(?:ed|ing)?|team(?:ed|ing)?\s+up|join(?:ed|ing)?\s+forces|collaborat\w+|"
    r"cooperat\w+|co-?found\w+|work(?:ed|ing)?\s+together|pair(?:ed|ing)?\s+up)\b",
    re.IGNORECASE,
)
# Verbs that are an alliance when the sentence names one ("signed a partnership", "formed a joint venture").
_PAIR_DEAL = lazy_compile(
    _PAIR_SUBJECT + r"(?:signed|agreed|formed|launched|set\s+up|struck|sealed|inked|entered|established|"
    r"announced|unveiled|created)\b",
    re.IGNORECASE,
)


def paired_alliance(
    info: SentenceInfo, context: SentenceInfo | None, lex: Lexicons, country_name
) -> AllianceSlots | None:
    """The alliance of "The two partnered ..." between the two parties of the sentence before, when that
    sentence names exactly two (a country that only qualifies a party is none)."""
    text = info.text
    if context is None or _NEGATED.search(text) or text.rstrip().endswith("?"):
        return None
    if _PAIR_ACT.match(text) is None and (
        _PAIR_DEAL.match(text) is None or lex.alliance.search(text) is None
    ):
        return None
    parties = [
        e
        for e in context.entities
        if not is_modifier(context.text, e, context.entities) and not _titled_person(context.text, e)
    ]
    keys = list(dict.fromkeys(_key(e) for e in parties))
    if len(keys) != 2:
        return None
    pair = [next(e for e in parties if _key(e) == key) for key in keys]
    role = "founding_member" if _FOUNDING.search(text) else "signatory" if _SIGNED.search(text) else "member"
    return AllianceSlots(
        name=alliance_name(info),
        participants=tuple(
            participant(e, role, country_name(e.country_code) if e.is_country else None) for e in pair
        ),
        focus_areas=focus_areas(text, lex),
    )


# "... comes five months after A announced its own deal with B": the background is itself an alliance.
_OWN_DEAL = lazy_compile(
    r"\b(?:announced|signed|struck|inked|sealed|reached|agreed|formed)\s+(?:an?|its\s+own|its|their\s+own|"
    r"their)\s+(?:[\w-]+\s+){0,2}?(?:deal|partnership|agreement|alliance|pact|MoU|collaboration)\s+with\b",
    re.IGNORECASE,
)


def background_alliance(info: SentenceInfo, lex: Lexicons, country_name) -> AllianceSlots | None:
    """The earlier alliance a scene-setting sentence ("The deal comes after A signed its own deal with B")
    tells in its background clause, with only that clause's parties."""
    scene = _SETS_SCENE.match(info.text)
    if scene is None or _OWN_DEAL.search(info.text, scene.end()) is None:
        return None
    clause = clause_info(info, scene.end(), len(info.text))
    own = build_alliance(clause, lex, country_name, require_members=False)
    return own if own is not None and len(own.participants) >= 2 else None
