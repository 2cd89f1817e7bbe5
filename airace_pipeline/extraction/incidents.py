"""Incident facts: what went wrong (leak, breach, probe, lawsuit, deployment, misuse) and who was involved."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.extraction.entities import EntityMention
from airace_pipeline.extraction.lexicons import Lexicons
from airace_pipeline.extraction.model import FactMention, Participant
from airace_pipeline.extraction.money import Money
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
from airace_pipeline.reference.subnational import state_country

_SUED = lazy_compile(
    r"\b(?:su(?:ed|es|ing)|filed\s+(?:a\s+)?(?:lawsuit|suit|complaint)\s+against|took\s+\w+\s+to\s+court)\b",
    re.IGNORECASE,
)
_PASSIVE_SUED = lazy_compile(r"\b(?:was|were|been|being)\s+sued\s+by\b", re.IGNORECASE)
_VICTIM = lazy_compile(
    r"\b(?:victims?|defrauded|tricked|lost|harmed|targeted|affected|impersonat\w+|scammed|duped|swindled)\b",
    re.IGNORECASE,
)
_VICTIM_OR_POLICE = lazy_compile(
    r"\b(?:police|fraudsters|criminals|scammers|tricked|defrauded|victims?|stole|stolen|scammed|duped|"
    r"swindled|conned)\b",
    re.IGNORECASE,
)
# Verbs that say a misuse happened, whatever risks the sentence also names.
_MISUSE_DONE = lazy_compile(
    r"\b(?:arrested|charged|scammed|tricked|defrauded|duped|stole|spread|posted|circulated|created|"
    r"generated|impersonated|cloned|targeted|lost|fined|sued)\b",
    re.IGNORECASE,
)
# An enforcement step by a public body: with a regulator named, the sentence is about the probe or the
# fine even when it also names the misuse being punished.
_ENFORCEMENT = lazy_compile(
    r"\b(?:fine[sd]?|fining|forfeiture|penalt(?:y|ies)|settlement|investigat\w+|probe[sd]?|probing|inquiry|"
    r"ordered|proceedings|suspen\w+)\b",
    re.IGNORECASE,
)
# What an incident's amount can be: a fine, damages sought, money lost to a fraud.
_AMOUNT_CUE = lazy_compile(
    r"\b(?:fine[sd]?|fining|forfeiture|penalt(?:y|ies)|settlement|damages|compensation|scamm\w+|"
    r"defrauded|swindled|stole|stolen|lost|transferr\w+|transaction)\b|"
    r"\bsu(?:e|es|ed|ing)\b[^.;]{0,60}\bfor\s+(?:about\s+|more\s+than\s+)?(?:[A-Z]{1,3})?[$€£¥₹]",
    re.IGNORECASE,
)
# Public bodies the gazetteer does not list ("the California Department of Motor Vehicles").
_PUBLIC_BODY = lazy_compile(
    r"\b(?:Department|Ministry|Commission|Authority|Agency|Administration|Board|Bureau|Police|Customs|"
    r"Regulator|Commissioner|Inspectorate|Prosecutors?|Attorney\s+General)\b"
)
# "Tencent-backed Zhipu", "Alphabet-owned Waymo": the backer only describes the company named next.
_BACKED_AFTER = lazy_compile(r"^(?:\s+\w+)?-(?:backed|owned|funded|controlled|linked)\b")
# "an investigation by the newspaper": journalists' findings, not a regulator's probe.
_MEDIA_INQUIRY = lazy_compile(
    r"\b(?:investigation|inquiry|probe)\s+(?:by|from)\s+(?:the\s+)?(?:media|news|newspaper|outlet|"
    r"magazine|journalists?|reporters?|broadcaster|website)",
    re.IGNORECASE,
)
# "restricted chips", "restricted items": an adjective naming controlled goods, not an action.
_RESTRICTED_GOODS = lazy_compile(
    r"\brestricted\s+(?:\w+\s+)?(?:chips?|items|goods|technolog\w+|products|hardware|components|"
    r"processors|GPUs|semiconductors)\b",
    re.IGNORECASE,
)
# "smuggled Nvidia chips", "servers containing chips from Nvidia": the maker of the goods moved or seized
# is no party to a smuggling or fraud case about them.
_GOODS_AFTER = lazy_compile(
    r"(?:['’]s)?\s+(?:(?:[A-Z0-9][\w-]*|advanced|high-end|artificial|intelligence|graphics|computer)"
    r",?\s+(?:and\s+)?){0,5}?(?i:chips?|GPUs?|processors?|processing\s+units|semiconductors|servers)\b"
)
_GOODS_BEFORE = lazy_compile(
    r"\b(?:chips?|GPUs?|processors?|semiconductors|servers)\s+(?:made\s+)?(?:from|by)\s+$"
)


def is_goods_maker(text: str, entity: EntityMention) -> bool:
    """The entity names who made the goods ("Acme chips", "chips from Acme"), not an actor."""
    return bool(
        _GOODS_AFTER.match(text, entity.end)
        or _GOODS_BEFORE.search(text, max(0, entity.start - 40), entity.start)
    )


# The firm that found or reported an exposure ("researchers at Wiz revealed ...") is not its party.
_FINDER_AFTER = lazy_compile(r"\s+(?:found|discovered|said|reported|researchers?|revealed|warned)\b")
_EXPORT_ACTION = lazy_compile(
    r"\b(?:added|adds|adding|placed|blacklisted|imposed|announced|unveiled|issued|expanded|tightened|"
    r"restricted|told|informed|banned|barred|require[sd]?|charged|charges|indicted|arrested|seized|"
    r"authori[sz]ed|approved|granted)\b",
    re.IGNORECASE,
)
_NEGATED_ACTION = lazy_compile(
    r"\b(?:would|will|did|does|do)\s+not\s+(?:\w+\s+)?(?:block|ban|fine|investigate|probe|sue|restrict)\b",
    re.IGNORECASE,
)
_RULED_ILLEGAL = lazy_compile(r"\bruled\b[^.;]{0,120}\b(?:illegal|unlawful|prohibited)\b", re.IGNORECASE)
_EXPORT_BAN = lazy_compile(
    r"\b(?:banned|restricted|curbed|halted)\s+(?:the\s+)?(?:exports?|sales)\s+of\b|"
    r"\b(?:controls?|rules?)\s+(?:that|which)\s+(?:restrict|ban|curb|limit)s?\s+(?:the\s+)?exports?\b",
    re.IGNORECASE,
)
_POLICY_SUBJECT = lazy_compile(
    r"\b(?:the\s+)?(?:act|law|regulation|rules?|directive|bill|treaty|convention|declaration)\s+"
    r"(?:bans?|prohibits?|restricts?|requires?|would\s+ban|will\s+ban)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = lazy_compile(
    r"\b(?:could\s+face|may\s+face|might\s+face|risks?\s+of|such\s+as|for\s+example|"
    r"to\s+prevent|to\s+avoid|aims?\s+to|designed\s+to|concerns?\s+(?:\w+\s+){0,3}that|"
    r"will\s+(?:result\s+in|lead\s+to)|(?:may|might|could)\s+use|e\.g\.)",
    re.IGNORECASE,
)


# "blocked Chinese companies from buying chips": a rule over a whole class of firms is a policy.
_GENERIC_TARGET = lazy_compile(
    r"\b(?:blocked|banned|barred|restricted|prohibited)\s+(?:\w+\s+){0,2}(?:companies|firms|entities|businesses)\b",
    re.IGNORECASE,
)
# "Washington has added Zhipu to a blacklist": a capital acting for its government.
_ACTION_AFTER = (
    r"\s+(?:(?:has|have|had|is|was|also)\s+)*(?:added|banned|blocked|fined|ordered|imposed|restricted|"
    r"blacklisted|sanctioned|charged|opened|launched|placed)\b"
)
_CAPITAL_ACTOR = lazy_compile(
    r"\b(?P<city>Washington|Beijing|Brussels|Tokyo|Moscow|Seoul|London|New\s+Delhi|Paris|Berlin)"
    + _ACTION_AFTER
)
# "Washington has added X": a country (or capital) that is the subject of an enforcement verb acts itself.
_ACTS = lazy_compile(_ACTION_AFTER)
_CAPITALS = {
    "Washington": "US",
    "Beijing": "CN",
    "Brussels": "EU",
    "Tokyo": "JP",
    "Moscow": "RU",
    "Seoul": "KR",
    "London": "GB",
    "New Delhi": "IN",
    "Paris": "FR",
    "Berlin": "DE",
}


# "the Saudi Arabian AI firm Humain": an unknown "<adjective> AI" before a role noun describes the company
# named next; it is no party of its own.
_ROLE_NOUN_AFTER = lazy_compile(
    r"\s+(?:firm|company|startup|start-up|venture|developer|group|lab|champion)\b"
)


def is_description(text: str, entity: EntityMention) -> bool:
    return (
        entity.organisation_id is None
        and entity.name.endswith(" AI")
        and bool(_ROLE_NOUN_AFTER.match(text, entity.end))
    )


def with_acting_capital(text: str, entities: list[EntityMention]) -> list[EntityMention]:
    """Read a capital that acts ("Washington has blacklisted ...") as its country."""
    match = _CAPITAL_ACTOR.search(text)
    if match is None:
        return entities
    start, end = match.span("city")
    if any(e.start < end and start < e.end for e in entities):
        return entities
    code = _CAPITALS[re.sub(r"\s+", " ", match.group("city"))]
    capital = EntityMention(start, end, match.group("city"), None, code, True, "country")
    return sorted([*entities, capital], key=lambda e: e.start)


# Products whose developer is the party of an incident about them ("Italy banned ChatGPT").
_PRODUCTS = lazy_compile(
    r"\b(?:(?P<openai>ChatGPT|DALL-E|Sora)|(?P<xai>Grok)|(?P<google>Gemini|Bard)|(?P<anthropic>Claude)|"
    r"(?P<meta>Llama|LLaMA)|(?P<microsoft>Copilot|Bing\s+Chat)|(?P<stability>Stable\s+Diffusion)|"
    r"(?P<tesla>Autopilot|Full\s+Self-Driving))\b"
    # The platform X is a one-letter name: read it only where its context says it is the platform (an
    # enforcement verb's object, where misuse spread "on X", an owner's possessive, or "X's"); "the
    # platform X" is only a description.
    r"|(?<=\bon\s)(?P<x_on>X)(?![\w-]|\.\w)"
    r"|(?:(?<=\bagainst\s)|(?<=\border\s)|(?<=\binto\s)|(?<=\bfined\s)|(?<='s\s)|(?<=’s\s))"
    r"(?P<x>X)(?![\w-]|\.\w)"
    r"|\b(?P<x_owner>X)(?=['’]s\b)"
)
_PRODUCT_OWNERS = {
    "openai": ("OpenAI", "openai", "US"),
    "xai": ("xAI", "xai", "US"),
    "google": ("Google", "google", "US"),
    "anthropic": ("Anthropic", "anthropic", "US"),
    "meta": ("Meta", "meta", "US"),
    "microsoft": ("Microsoft", "microsoft", "US"),
    "stability": ("Stability AI", "stability-ai", "GB"),
    "tesla": ("Tesla", "tesla", "US"),
    "x": ("X", "x-corp", "US"),
    "x_owner": ("X", "x-corp", "US"),
    "x_on": ("X", "x-corp", "US"),
}


def with_product_owners(text: str, entities: list[EntityMention]) -> list[EntityMention]:
    """Read a product's name as its developer: the incident is the developer's. An unknown name that is a
    product ("Stable Diffusion" read as an organisation) is replaced the same way."""
    owners = []
    for match in _PRODUCTS.finditer(text):
        if match.lastgroup == "x_on" and not _SPREAD_ON.search(
            text, max(0, match.start() - 40), match.start()
        ):
            continue  # "said in a post on X": where a statement was made, not a party
        name, organisation_id, country = _PRODUCT_OWNERS[match.lastgroup]
        owners.append(
            EntityMention(match.start(), match.end(), name, organisation_id, country, False, "company")
        )
    # A one-letter unknown name ("the platform X") outside those contexts is a description, not a party.
    entities = [e for e in entities if e.organisation_id is not None or len(e.name) > 1]
    if not owners:
        return entities
    kept = [
        e
        for e in entities
        if not any(o.start < e.end and e.start < o.end for o in owners)
        or (e.organisation_id is not None and not any(o.start <= e.start and e.end <= o.end for o in owners))
    ]
    free = [o for o in owners if not any(o.start < e.end and e.start < o.end for e in kept)]
    return sorted([*kept, *free], key=lambda e: e.start)


# "suspended Acme's permit to test": the owner of what a regulator suspends or revokes is the subject,
# even when it is a one-word name the gazetteer does not list.
_POSSESSED_TARGET = lazy_compile(
    r"\b(?:suspend(?:ed|s)?|revok(?:ed|es?)|pull(?:ed|s)?|halt(?:ed|s)?|cancel(?:led|ed|s)?|withdr[ae]w)\s+"
    r"(?P<name>[A-Z][\w&.-]*[a-z0-9])['’]s\s+(?:\w+\s+){0,2}?(?:permits?|licen[cs]es?|authori[sz]ations?|"
    r"approvals?|certificat(?:es?|ions?))\b"
)


def with_possessed_subject(text: str, entities: list[EntityMention]) -> list[EntityMention]:
    """Add the owner of a suspended permit or licence as an unknown organisation when nothing covers it."""
    match = _POSSESSED_TARGET.search(text)
    if match is None or match.group("name") in _NOT_OWNERS:
        return entities
    start, end = match.span("name")
    if any(e.start < end and start < e.end for e in entities):
        return entities
    owner = EntityMention(start, end, match.group("name"), None, None, False, None)
    return sorted([*entities, owner], key=lambda e: e.start)


# Capitalised possessors that are not companies ("suspended its own ...", "the State's licence").
_NOT_OWNERS = frozenset({"The", "Its", "Their", "State", "Government", "Company", "Firm"})


# "X is opposing the claim", "X argues the allegations stem from ...": a party's answer to a case already
# reported is no new incident (a denial of the event itself, "denied the smuggling", is kept).
_DEFENCE = lazy_compile(
    r"\b(?:opposing|contesting|disputing|disput(?:es|ed)|contest(?:s|ed)|argu(?:es|ed)|reject(?:s|ed))\s+"
    r"(?:that\s+)?the\s+(?:claims?|allegations?|lawsuit|suit|accusations?|complaint)\b"
)


# "deepfakes spread on X": the platform that carried a misuse (not "said in a post on X").
_SPREAD_ON = lazy_compile(
    r"\b(?:spread|spreading|posted|shared|circulated|circulating|went\s+viral)\s+(?:\w+\s+){0,2}?on\s+$"
)


# The signature line of an embedded post: "— Agency name (@handle) March 3, 2025".
_EMBEDDED_POST = lazy_compile(r"[—–-]\s*[^()\n]{1,80}\(@\w{1,30}\)\s+[A-Z][a-z]+\s+\d{1,2},\s+\d{4}")


# A penalty agreed or a settlement reached: "Acme agreed to pay a $2 million civil penalty", "the agency
# reached a settlement with Acme". The outcome of an enforcement case, stated without a probe verb; a civil
# penalty is a public body's even when the sentence does not name it.
_PENALTY_AGREED = lazy_compile(
    r"\bagree(?:s|d|ing)?\s+to\s+(?:pay\s+)?(?:an?\s+|the\s+)?[^.;]{0,40}?\b(?:penalt(?:y|ies)|fines?)\b|"
    r"\b(?:reached|reaches|struck|entered\s+into)\s+(?:an?\s+)?(?:[\w-]+\s+)?settlement\s+with\b|"
    r"\bsettled\s+(?:[\w-]+\s+)?(?:charges|claims|allegations)\b",
    re.IGNORECASE,
)
# "the regulator took action against two advisers", "announced settled actions against Acme": an
# enforcement step, when a public body is the one acting.
_ACTION_AGAINST = lazy_compile(
    r"\b(?:took|taken|take|takes|taking|brought|brings|announced)\s+(?:[\w-]+\s+){0,2}?actions?\s+against\b",
    re.IGNORECASE,
)
# The party of a penalty or settlement that the gazetteer may not know: "Acme agreed to pay ...",
# "a settlement with Acme Telecom".
_NAME = r"(?P<name>[A-Z][\w&.'-]*[\w](?:\s+[A-Z][\w&.'-]*[\w]){0,2})"
_PENALTY_PARTY = lazy_compile(
    rf"(?<![\w.]){_NAME}\s+(?:has\s+|had\s+|also\s+)?agree(?:s|d)\s+to\s+(?:pay\s+)?(?:an?\s+|the\s+)?"
    r"[^.;]{0,40}?\b(?:penalt(?:y|ies)|fines?)\b|"
    rf"\bsettlement\s+with\s+{_NAME.replace('name', 'other')}(?=[\s,.;:)]|$)"
)


def with_penalty_party(text: str, entities: list[EntityMention]) -> list[EntityMention]:
    """Add the unknown party of a penalty agreement or settlement as an organisation (see
    `_PENALTY_PARTY`); a name that another mention covers stays as found."""
    added = []
    for match in _PENALTY_PARTY.finditer(text):
        group = "name" if match.group("name") else "other"
        start, end = match.span(group)
        name = match.group(group)
        if name.split()[0] in _NOT_PARTIES or any(e.start < end and start < e.end for e in entities):
            continue
        added.append(EntityMention(start, end, name, None, None, False, None))
    return sorted([*entities, *added], key=lambda e: e.start) if added else entities


# Capitalised words that start a clause but name no party ("The company agreed to pay ...").
_NOT_PARTIES = frozenset({"The", "It", "They", "This", "That", "Both", "Each", "He", "She", "Its", "Their"})


@dataclass
class IncidentSlots:
    incident_type: str
    participants: tuple[Participant, ...]
    country_code: str | None
    money: Money | None = None


# "opened a probe into Waymo after its robotaxis failed to stop": the failure that set off the probe.
_AFTER_FAILURE = lazy_compile(
    r"\b(?:after|following)\b[^.;]{0,80}?\b(?:incidents?|crash(?:es|ed)?|collisions?|collided|failed\s+to|"
    r"failures?|malfunction\w*|(?:hit|struck|hitting)\s+a\s+pedestrian)\b",
    re.IGNORECASE,
)


# "failure to comply with privacy rules": a breach of a rule, which the probe itself is about.
_COMPLIANCE_FAILURE = lazy_compile(
    r"\b(?:comply|adhere|privacy|data\s+protection|personal\s+data|disclos\w+|transparency)\b", re.IGNORECASE
)
# A fine or penalty for something done: "a $6 million fine ... for illegal robocalls". (A probe "over"
# a practice is mostly about compliance, not a misuse of its own.)
_PUNISHED = lazy_compile(
    r"\b(?:fine[sd]?|fining|forfeiture|penalt(?:y|ies))\b[^.;]{0,80}?\b(?:for|over)\b", re.IGNORECASE
)


def consequent_incidents(slots: IncidentSlots, text: str, lex: Lexicons) -> list[IncidentSlots]:
    """A probe or fine can state a second incident: the failure that set off the probe ("opened a probe
    into Waymo after its robotaxis failed to stop"), whose deployer is the probe's subject, or the misuse
    being punished ("fined a consultant for deepfake robocalls"), done by the fine's subject."""
    if slots.incident_type != "regulatory_investigation":
        return []
    subjects = [p for p in slots.participants if p.role == "subject" and not p.is_country]
    failure = _AFTER_FAILURE.search(text)
    if (
        failure is not None
        and subjects
        and _COMPLIANCE_FAILURE.search(text, failure.start(), failure.end() + 60) is None
    ):
        deployers = tuple(dataclasses.replace(p, role="deployer") for p in subjects)
        return [IncidentSlots("safety_failure", deployers, slots.country_code)]
    if lex.misuse.search(text) and _PUNISHED.search(text):
        perpetrators = tuple(dataclasses.replace(p, role="perpetrator") for p in subjects)
        return [IncidentSlots("misuse", perpetrators, slots.country_code)]
    return []


# "The watchdog, which banned ChatGPT in 2023, is now examining DeepSeek": a past incident told in a
# relative clause about the actor of the present one.
_RELATIVE_CLAUSE = lazy_compile(r",\s+which\s+[^,;]{8,160},\s+")


def relative_clause_parts(info: SentenceInfo) -> tuple[SentenceInfo, SentenceInfo] | None:
    """Split "A, which did X to B, is doing Y to C" into "A, which did X to B," and "A ... is doing Y to C",
    each with only its own names, dates and amounts (the other part's text is blanked, offsets kept)."""
    match = _RELATIVE_CLAUSE.search(info.text)
    if match is None or not any(e.end <= match.start() for e in info.entities):
        return None
    start, end = match.start(), match.end()
    text = info.text

    def part(keep) -> SentenceInfo:
        masked = "".join(ch if keep(i) else " " for i, ch in enumerate(text))
        inside = lambda item: keep(item.start) and keep(max(item.start, item.end - 1))  # noqa: E731
        return dataclasses.replace(
            info,
            sentence=dataclasses.replace(info.sentence, text=masked),
            entities=[e for e in info.entities if inside(e)],
            moneys=[m for m in info.moneys if inside(m)],
            dates=[d for d in info.dates if inside(d)],
        )

    past = part(lambda i: i < end)
    # The relative clause's date is an aside for the sentence, but it is the past incident's own date.
    past = dataclasses.replace(past, dates=[dataclasses.replace(d, is_target=False) for d in past.dates])
    present = part(lambda i: not start < i < end)
    return past, present


# "Italy's privacy watchdog": the country's data protection authority, as the gazetteer names it.
_PRIVACY_WATCHDOG_AFTER = lazy_compile(
    r"^(?:'s|’s)?\s+(?:data\s+protection|(?:data\s+)?privacy)\s+(?:watchdog|regulator|authority|agency)\b"
)
_PRIVACY_WATCHDOGS = {
    "IT": ("Garante", "it-garante"),
    "FR": ("CNIL", "fr-cnil"),
    "GB": ("Information Commissioner's Office", "uk-ico"),
    "IE": ("Data Protection Commission", "ie-dpc"),
    "NL": ("Dutch Data Protection Authority", "nl-ap"),
    "KR": ("Personal Information Protection Commission", "kr-pipc"),
    "CA": ("Office of the Privacy Commissioner of Canada", "ca-opc"),
}


def privacy_watchdog(text: str, entity: EntityMention) -> EntityMention:
    """A country named as the owner of its privacy watchdog stands for that watchdog."""
    known = _PRIVACY_WATCHDOGS.get(entity.country_code or "")
    if not entity.is_country or known is None or not _PRIVACY_WATCHDOG_AFTER.match(text[entity.end :]):
        return entity
    name, organisation_id = known
    return EntityMention(
        entity.start, entity.end, name, organisation_id, entity.country_code, False, "government"
    )


def acting_country(text: str, countries: list[EntityMention], lex: Lexicons) -> EntityMention:
    """Of several countries, the one acting is the nearest before the enforcement word: "Singapore said
    the servers went to Malaysia, while Malaysia said it is investigating" is Malaysia's probe."""
    trigger = lex.regulatory.search(text)
    before = [e for e in countries if trigger is not None and e.end <= trigger.start()]
    return before[-1] if len(countries) > 1 and before else countries[0]


def regulator_state_country(participants: tuple[Participant, ...]) -> str | None:
    """A state's own agency ("the Ohio Department of Transport") places the incident in its country."""
    return next(
        (code for p in participants if p.role == "regulator" and (code := state_country(p.name))), None
    )


def is_public_body(entity: EntityMention) -> bool:
    """A regulator or ministry: a gazetteer government body, or an unknown name that says it is one."""
    if is_government(entity):
        return entity.kind != "military"
    return entity.organisation_id is None and not entity.is_country and bool(_PUBLIC_BODY.search(entity.name))


def incident_money(info: SentenceInfo, kind: str) -> Money | None:
    """The fine, damages or loss the sentence states: the first amount (a conversion in brackets follows
    it), and only when a cue says what the money is, so a company's valuation is not read as a fine."""
    if kind not in ("regulatory_investigation", "litigation", "misuse") or not info.moneys:
        return None
    if _AMOUNT_CUE.search(info.text) is None:
        return None
    return info.moneys[0]


# "exposure" and "exposed" are a breach only about data or the systems that hold it: "gave the app
# preferential exposure", "exposure to China", "brands face the highest exposure" are visibility or risk.
_EXPOSURE = lazy_compile(r"^expos(?:ed|ure)$", re.IGNORECASE)
_DATA_NOUN = lazy_compile(
    r"\b(?:data(?:base|sets?)?|databases|information|records?|histor(?:y|ies)|credentials|passwords?|keys?|"
    r"servers?|buckets?|names|e-?mails?|addresses|files|documents|details|chats?|logs?|code|secrets|"
    r"accounts?|photos|images|users?|customers?|patients?|employees?)\b",
    re.IGNORECASE,
)


def is_data_breach(text: str, lex: Lexicons) -> bool:
    """A breach cue, where a bare "exposure"/"exposed" counts only with data or a system named near it."""
    for match in lex.data_breach.finditer(text):
        if not _EXPOSURE.match(match.group()):
            return True
        if _DATA_NOUN.search(text, max(0, match.start() - 60), match.end() + 60):
            return True
    return False


# "the fraud case over servers holding AI chips that were sent to Malaysia": a fraud about where chips
# went is a case of chips moved past export rules, not a misuse of AI.
_FRAUD_ONLY = lazy_compile(r"^(?:fraud\w*|scam\w*)$", re.IGNORECASE)
_GOODS_MOVED = lazy_compile(
    r"\b(?:chips?|GPUs?|servers|semiconductors|processors)\b[^.;]{0,100}?\b(?:sent|shipped|exported|"
    r"transported|re-?routed|diverted|re-?exported)\b|"
    r"\b(?:sent|shipped|exported|transported|re-?routed|diverted|re-?exported)\b[^.;]{0,60}?"
    r"\b(?:chips?|GPUs?|servers|semiconductors|processors)\b",
    re.IGNORECASE,
)


# "plans to greenlight the first sales of AI chips to Acme", "approved exports of GPUs to Acme": a
# government letting named buyers have controlled chips applies export rules to them.
_EXPORT_APPROVAL = lazy_compile(
    r"\b(?:approv(?:e|es|ed|ing)|green-?light(?:s|ed|ing)?|clear(?:s|ed|ing)?|licen[cs](?:e|es|ed|ing))\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:sales?|exports?|shipments?)\s+of\s+[^.;]{0,60}?"
    # Plural goods, not a business sold ("the sale of its chips unit").
    r"\b(?:chips|GPUs|semiconductors|processors|accelerators)\b(?!\s+(?:unit|business|division|arm|operations?))",
    re.IGNORECASE,
)


def is_chip_fraud(text: str, lex: Lexicons) -> bool:
    """The misuse cues are all "fraud"/"scam", and the sentence says chips or servers were moved."""
    cues = [m.group() for m in lex.misuse.finditer(text)]
    return bool(cues) and all(_FRAUD_ONLY.match(c) for c in cues) and bool(_GOODS_MOVED.search(text))


def incident_type(text: str, lex: Lexicons, has_regulator: bool) -> str | None:
    if lex.model_leak.search(text):
        return "model_leak"
    if lex.export_control.search(text) or is_chip_fraud(text, lex) or _EXPORT_APPROVAL.search(text):
        return "export_control"
    if lex.litigation.search(text) and not re.search(r"\bcourt(?:ed|ing)\b", text):
        return "litigation"
    if is_data_breach(text, lex):
        return "data_breach"
    if lex.military.search(text) and lex.military_action.search(text):
        return "military_deployment"
    if lex.misuse.search(text) and not (has_regulator and _ENFORCEMENT.search(text)):
        return "misuse"
    if _PENALTY_AGREED.search(text) or (has_regulator and _ACTION_AGAINST.search(text)):
        return "regulatory_investigation"  # the outcome of an enforcement case (see `_PENALTY_AGREED`)
    if lex.regulatory.search(text) and has_regulator:
        return "regulatory_investigation"
    if lex.safety_failure.search(text):
        return "safety_failure"
    return None


def build_incident(info: SentenceInfo, lex: Lexicons, country_name) -> IncidentSlots | None:
    text = info.text
    if lex.incident.search(text) is None or _POLICY_SUBJECT.search(text):
        return None
    if (
        lex.incident_event.search(text) is None
        and _PENALTY_AGREED.search(text) is None
        and _EXPORT_APPROVAL.search(text) is None
    ):
        return None  # "Companies on the Entity List cannot receive ...": a state of affairs, not an event.
    if _MEDIA_INQUIRY.search(text):
        return None  # "follows an investigation by the newspaper": reporting, not a probe
    if _EMBEDDED_POST.search(text):
        return None  # an embedded social-media post repeats the article's news with the post's own date
    if _DEFENCE.search(text):
        return None  # "the firm is contesting the claim": a party's answer to a case told before
    found = [
        privacy_watchdog(text, e)
        for e in with_acting_capital(
            text,
            with_possessed_subject(text, with_penalty_party(text, with_product_owners(text, info.entities))),
        )
    ]
    entities = [
        e
        for e in found
        if (not is_modifier(text, e, found) or (e.is_country and _ACTS.match(text, e.end)))
        and not _BACKED_AFTER.match(text[e.end : e.end + 24])
        and not is_description(text, e)
    ]
    modifiers = [e for e in found if e.is_country and e not in entities]
    regulators = [e for e in entities if is_public_body(e)]
    if not regulators:
        # "The EU's antitrust regulators ...": the country acts through an unnamed public body.
        proxies = [e for e in found if acting_through(text, e)]
        if proxies:
            entities = sorted({id(e): e for e in (proxies[0], *entities)}.values(), key=lambda e: e.start)
            regulators = [proxies[0]]
    # "Italy blocks DeepSeek": a country acting as regulator.
    acting_countries = [e for e in entities if e.is_country]
    kind = incident_type(_RESTRICTED_GOODS.sub("goods", text), lex, bool(regulators or acting_countries))
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
    if kind == "export_control" and not (_EXPORT_ACTION.search(text) or _EXPORT_APPROVAL.search(text)):
        return None  # "Companies on the Entity List cannot receive ...": a standing rule, not an event
    if (
        kind in ("regulatory_investigation",)
        and _HYPOTHETICAL.search(text)
        and not re.search(r"\b(?:opened|launched|started|fined|ordered|blocked|banned)\b", text)
    ):
        return None
    if kind == "misuse" and _HYPOTHETICAL.search(text) and not _MISUSE_DONE.search(text):
        return None  # "actors that may use AI to conduct cyberattacks": a risk named, not a misuse
    if kind in ("export_control", "misuse"):
        entities = [e for e in entities if e.is_country or is_public_body(e) or not is_goods_maker(text, e)]
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
            if is_public_body(e):
                add(e, "regulator")
            elif not e.is_country:
                add(e, "subject")
    elif kind in ("regulatory_investigation", "export_control"):
        for e in entities:
            if (
                is_public_body(e)
                or e in regulators
                or (e.is_country and (not regulators and e is acting_country(text, acting_countries, lex)))
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
                    for e in found
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
            if _FINDER_AFTER.match(text[e.end : e.end + 16]):
                continue
            if is_government(e):
                add(e, "regulator")
            elif not e.is_country:
                add(e, "deployer")
    elif kind in ("model_leak", "safety_failure"):
        for e in entities:
            if _FINDER_AFTER.match(text[e.end : e.end + 16]):
                continue  # the security firm that found the exposure is not its developer
            if is_government(e):
                add(e, "regulator")
            elif e.kind in ("company", None) and not e.is_country:
                add(e, "developer")
    elif kind == "misuse":
        for e in entities:
            if is_government(e):
                add(e, "regulator")
            elif not e.is_country and _SPREAD_ON.search(text, max(0, e.start - 40), e.start):
                add(e, "deployer")  # "deepfakes spread on X": the platform that carried the misuse
            elif not e.is_country:
                add(e, "harmed_party" if _VICTIM.search(text) else "subject")
    result = dedupe(participants)
    if (
        kind in ("regulatory_investigation", "export_control")
        and not any(p.role == "subject" for p in result)
        and _GENERIC_TARGET.search(text)
    ):
        return None
    if not result and not (kind == "misuse" and modifiers and _VICTIM_OR_POLICE.search(text)):
        return None  # a misuse (a deepfake fraud) may name only where it happened
    country = next(
        (p.country_code for p in result if p.role in ("regulator", "deployer") and p.country_code), None
    )
    if country is None:
        country = next((p.country_code for p in result if p.country_code), None)
    if country is None and modifiers:
        country = modifiers[0].country_code
    if country is None:
        country = regulator_state_country(result)
    return IncidentSlots(
        incident_type=kind, participants=result, country_code=country, money=incident_money(info, kind)
    )


# "the company", "the software firm": a party the sentence refers to without naming it.
_UNNAMED_PARTY = lazy_compile(r"\bthe\s+(?:[a-z-]+\s+)?(?:company|firm|startup|start-up|developer)\b")


def _regulator_keys(mention: FactMention) -> frozenset[str]:
    return frozenset(
        p.organisation_id or p.country_code or p.name for p in mention.participants if p.role == "regulator"
    )


def without_bare_repeats(mentions: list[FactMention]) -> list[FactMention]:
    """Drop an incident that names only its regulator (no subject, no amount) when the same page states an
    incident of the same kind by the same regulator, on the same date, with its subjects: a headline or a
    later line that retells that action ("the agency launched an inquiry") adds nothing and would stand as a
    second fact. A dated earlier step ("in January the watchdog sent objections") is its own event."""
    full = [
        m
        for m in mentions
        if m.fact_type == "incident" and any(p.role != "regulator" for p in m.participants)
    ]
    if not full:
        return mentions

    def is_repeat(mention: FactMention) -> bool:
        if mention.fact_type != "incident" or mention.amount is not None:
            return False
        if any(p.role != "regulator" for p in mention.participants):
            return False
        if _UNNAMED_PARTY.search(mention.sentence):
            return False  # "the watchdog ordered the company to stop": an action of its own on the party
        regulators = _regulator_keys(mention)
        return bool(regulators) and any(
            m.subtype == mention.subtype
            and regulators & _regulator_keys(m)
            and (mention.announced_on is None or m.announced_on in (None, mention.announced_on))
            for m in full
        )

    return [m for m in mentions if not is_repeat(m)]
