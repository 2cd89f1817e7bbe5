"""Investment facts: amount, recipient, investors and the kind of deal, from one sentence (+ context)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.extraction.certainty import classify_certainty
from airace_pipeline.extraction.clauses import clause_info, clause_spans
from airace_pipeline.extraction.entities import EntityMention
from airace_pipeline.extraction.lexicons import HANDOVER_VERBS, Lexicons
from airace_pipeline.extraction.model import FactMention, Participant
from airace_pipeline.extraction.money import Money
from airace_pipeline.extraction.participants import (
    dedupe,
    is_government,
    is_location,
    is_modifier,
    list_after,
    list_before,
    names_currency,
    participant,
    subject_before,
)
from airace_pipeline.reference.patterns import lazy_compile
from airace_pipeline.reference.subnational import find_states, state_country

# Money that is not the amount invested: valuations, revenue, totals of other things, first tranches.
_NOT_THE_AMOUNT_BEFORE = lazy_compile(
    r"(?:valuation\s+of|valued\s+at|valu(?:es|ing)\s+(?:it|the\s+[\w-]+(?:\s+[\w-]+)?)\s+at|value\s+of|"
    r"market\s+(?:value|cap\w*)"
    r"\s+of|revenue\s+of|revenues\s+of|sales\s+of|turnover|starting\s+with|beginning\s+with|including|of\s+which|"
    r"fine\s+of|fined|penalty\s+of|salary|salaries|price\s+of|priced\s+at|bringing\s+(?:its|the)\s+\w+(?:\s+\w+)?"
    r"\s+to|brings\s+(?:its|the)\s+\w+(?:\s+\w+)?\s+to|up\s+from|down\s+from|"
    r"previous(?:ly)?|earlier|had\s+invested|has\s+invested\s+a\s+total\s+of|already\s+invested|"
    # A statistic's level, not a deal: "funding reached $24 billion", "rose to $79 billion".
    r"reach(?:ed|es|ing)|total(?:l?ed|l?ing)|(?:rose|climbed|grew|fell|jumped)\s+to|"
    # A running total: "pushed total capital raised past $479 million".
    r"total\s+(?:[\w-]+\s+){0,5}?(?:to|past|above|beyond|over)(?:\s+date)?|"
    r"damages\s+of)\s*(?:a\s+|an\s+|"
    r"the\s+|about\s+|around\s+|some\s+|nearly\s+|roughly\s+|more\s+than\s+|over\s+|up\s+to\s+)?$",
    re.IGNORECASE,
)
_NOT_THE_AMOUNT_AFTER = lazy_compile(
    r"^\s*(?:(?:post-money|pre-money|post|pre)[\s-]*)?(?:valuation|market\s+(?:value|cap\w*)|in\s+(?:annual\s+)?"
    r"revenue|in\s+sales|a\s+year\s+in\s+revenue|annuali[sz]ed|immediately|right\s+away|at\s+the\s+start|"
    r"initially|in\s+the\s+first\s+(?:phase|tranche|year)|fine|penalty|of\s+annual|in\s+losses|loss|"
    r"(?:in\s+)?damages|in\s+compensation|worth\s+of|in\s+(?:fines|penalties)|"
    # An aggregate over many deals, not one: "$4.4 billion total", "$800 million invested across 63 deals".
    r"(?:[A-Z]{3}\s+)?(?:in\s+)?total|(?:[A-Z]{3}\s+)?(?:(?:invested|raised)\s+)?(?:across|in|over)\s+"
    r"(?:\d[\d,]*|several|dozens\s+of|hundreds\s+of)\s+(?:deals|rounds|startups|companies|transactions))\b",
    re.IGNORECASE,
)
_RAISE_VERB = lazy_compile(
    r"\b(?:rais(?:ed|es|ing|e)|secur(?:ed|es|ing)|clos(?:ed|es|ing)|land(?:ed|s)|gets?|got|receiv(?:e|ed|es)|"
    r"bagg(?:ed|s)|attract(?:ed|s)|announc(?:ed|es)\s+(?:a|an|its)?\s*(?:[\w-]+\s+){0,2}?(?:[$€£¥₹]|new|funding|"
    r"financing|series|seed)|brought\s+in|"
    r"announc(?:ed|es)\s+(?:the\s+)?(?:close|closing|completion)\s+of|"
    r"complet(?:ed|es)\s+(?:a|an|its)|is\s+raising|has\s+raised|have\s+raised|will\s+raise|"
    r"pull(?:ed|s)\s+in|picked\s+up|brought\s+in|won|(?:is|was|are|were)\s+seeking)\b",
    re.IGNORECASE,
)
_INVEST_VERB = lazy_compile(
    r"\b(?:invest(?:s|ed|ing)?|will\s+invest|to\s+invest|commit(?:s|ted)?|pledg(?:ed|es)|put|pour(?:s|ed)?|"
    r"inject(?:s|ed)?|back(?:s|ed|ing)|fund(?:s|ed|ing)?|financ(?:es|ed|ing)|acquir(?:e|es|ed|ing)|buy(?:s|ing)?|"
    r"bought|(?:take|taken|took|takes|taking)\s+(?:about\s+|nearly\s+|roughly\s+)?(?:a|an)\s+"
    r"(?:[\w.%-]+\s+){0,3}?stake|allocat(?:e|es|ed)|approv(?:e|es|ed)|"
    r"earmark(?:s|ed)?|set\s+up|provid(?:e|es|ed)|spend(?:s|ing)?|promis(?:e|es|ed)|announc(?:e|es|ed)|"
    r"investment|contribut(?:e|es|ed)|set\s+aside|sets\s+aside)\b",
    re.IGNORECASE,
)
_ACQUISITION_VERB = lazy_compile(
    r"\b(?:acquir(?:e|es|ed|ing)|agreed\s+to\s+buy|to\s+buy|buys|buying|will\s+buy|bought|takeover\s+of|"
    r"acquisition\s+of|purchase\s+of|bid(?:ding)?\s+for)\b",
    re.IGNORECASE,
)
_PASSIVE_BACKED = lazy_compile(
    r"\b(?:is|was|are|were|been|being)\s+(?:also\s+|already\s+)?(?:backed|funded|financed)\s+by\b",
    re.IGNORECASE,
)
_OBJECT_PHRASE = lazy_compile(
    r"\b(?:stake\s+in|investments?\s+in|funding\s+(?:for|to)|invest(?:s|ed|ing)?(?:\s+[^;]{0,60}?)?\s+in|"
    r"backing\s+for|financing\s+for|round\s+for|bet\s+on|inject(?:s|ed)?(?:\s+[^;]{0,40}?)?\s+into|"
    r"commit(?:s|ted)?(?:\s+[^;]{0,40}?)?\s+to|allocate[sd]?(?:\s+[^;]{0,40}?)?\s+to|back(?:s|ed|ing)(?!\s+by\b)|"
    r"(?:funding|financing)?\s*round\s+(?:of\s+[^;]{0,30}?\s+)?in|series\s+[a-j](?:\s+round)?\s+in|to\s+support|"
    r"put(?:s|ting)?(?:\s+[^;]{0,40}?)?\s+into|acquir(?:e|es|ed|ing)|buy(?:s|ing)?|bought)\s+",
    re.IGNORECASE,
)
_NATIONAL_CUE = lazy_compile(
    r"\b(?:government|(?:prime|finance)\s+minister|president|cabinet|budget|national|package|state-backed|"
    r"taxpayer|public\s+funds?|treasury|ministry|sanction(?:ed|s))\b",
    re.IGNORECASE,
)
_ASSET_AFTER = lazy_compile(r"^\s+(?:plant|factory|fab|facility|site|campus|shares|stock|headquarters)\b")
_OPENING_REFERENCE = lazy_compile(
    r"^\W*(?:(?:In|On|By|Last|Earlier|Later|Then)\b[^,]{0,30},?\s+)?(?:(?:The|the)\s+(?:company|startup|"
    r"start-up|firm|lab|group|developer|maker|(?:[\w-]+\s+){1,3}(?:company|startup|start-up|firm|maker|developer|giant))\b|"
    r"(?:It|it)\b)"
)
_BARE_REFERENCE = lazy_compile(
    r"^\W*(?:(?:In|On|By|Last|Earlier|Later|Then)\b[^,]{0,30},?\s+)?(?:(?:The|the)\s+(?:company|startup|"
    r"start-up|firm|lab)|It|it)\b"
)
_LED_BY = lazy_compile(r"\b(?:led|co-led|headed|spearheaded)\s+by\b", re.IGNORECASE)
_LEADS = lazy_compile(
    r"\b(?:led|leads|co-led|co-leads|is\s+leading|was\s+leading)\s+(?:the|a|an|its|this\b|"
    # "Zorvex leads Quantel's $30 million round": the round named by its owner.
    r"(?-i:(?:[A-Z][\w.&+-]*\s+){0,2}[A-Z][\w.&+-]*)(?:'s|’s)\s)",
    re.IGNORECASE,
)
_PARTICIPATION = lazy_compile(
    r"\b(?:participation\s+(?:from|of|by)|alongside|joined\s+by|investors?\s+(?:including|such\s+as|like)|"
    r"backers?\s+(?:including|such\s+as)|including|from\s+(?:investors|backers)\s+(?:including|such\s+as)?|"
    r"along\s+with|together\s+with|as\s+well\s+as|with\s+support\s+from|backed\s+by|funded\s+by|from)\b",
    re.IGNORECASE,
)
_IN_TARGET = lazy_compile(r"\b(?:in|into|for|to)\s+$")
_FOR_OBJECT = lazy_compile(
    r"\b(?:stake\s+in|investment\s+in|investments\s+in|funding\s+(?:for|to)|invest(?:s|ed|ing)?"
    r"(?:\s+[^.;]{0,60}?)?\s+in|backing\s+for|acquisition\s+of|acquir(?:e|es|ed|ing)|"
    r"buy(?:s|ing)?|bought|bet\s+on|financing\s+for|round\s+for)\s+(?:the\s+|a\s+)?$",
    re.IGNORECASE,
)
# Public grants to a company: "awarded Micron up to $6.1 billion", "$6.6 billion in CHIPS Act grants for
# TSMC's Arizona factories". The company is the recipient, the government body awarding it the funder.
_GRANT_CUE = lazy_compile(r"\b(?:grants?|subsid(?:y|ies)|direct\s+funding|incentives)\b", re.IGNORECASE)
_AWARD_VERB = lazy_compile(r"\b(?:award(?:s|ed)?|give[sn]?|gave|grant(?:s|ed)?)\s+$", re.IGNORECASE)
_GRANT_FOR = lazy_compile(
    r"\b(?:grants?|subsid(?:y|ies)|funding|incentives)\s+(?:for|to)\s+(?:the\s+)?$", re.IGNORECASE
)
# "will provide 70 billion yen to Rapidus", "lent $500 million to the chipmaker SMIC": a verb that hands
# money over, the amount, then its beneficiary after "to" or "for".
_HANDOVER_VERB = lazy_compile(
    rf"\b(?:{HANDOVER_VERBS}|lent\b|give|gave|grant|award|offer)\w*\b",
    re.IGNORECASE,
)
_TO_BENEFICIARY = lazy_compile(
    r"\s+(?:in\s+(?:[\w-]+\s+){0,3})?(?:to|for)\s+(?:the\s+|its\s+)?(?:[a-z][\w-]*\s+){0,3}", re.IGNORECASE
)


def _beneficiary_after(
    text: str, entities: list[EntityMention], money: Money, investors: list[EntityMention]
) -> EntityMention | None:
    """The organisation a handed-over amount goes to, when the verb before the amount hands money over."""
    verbs = list(_HANDOVER_VERB.finditer(text, 0, money.start))
    verb = verbs[-1] if verbs else None
    if verb is None or money.start - verb.end() > 40:
        return None
    following = next((e for e in entities if e.start >= money.end), None)
    if (
        following is None
        or following.is_country
        or is_government(following)
        or following in investors
        or not _TO_BENEFICIARY.fullmatch(text[money.end : following.start])
    ):
        return None
    return following


# "invested in Mistral AI's €600 million round": the possessive names the round's recipient.
_OWN_ROUND = lazy_compile(
    r"(?:'s|’s)\s+(?:latest\s+|new\s+|recent\s+)?(?:[$€£¥₹₩]|\S+\s+(?:round|funding|financing)|"
    r"(?:series\s+[a-j]|seed|funding|financing)\b)",
    re.IGNORECASE,
)
# A deal named by its noun with the buyer after "by"/"from": "a $2 billion takeover bid from Y", "talks
# about its acquisition by Y", "the acquisition of X by Y".
_ACQUIRED_BY = lazy_compile(
    r"\b(?:takeover|buyout|acquisition|purchase)(?P<of>\s+of\s+)?(?(of)[^;,]{1,60}?\s+|"
    r"(?:\s+(?:bid|offer|proposal|approach|attempt))?\s+)(?:by|from)\s+",
    re.IGNORECASE,
)


_BIDDER_NAME = lazy_compile(
    r"(?:the\s+|a\s+|an\s+)?(?:[a-z][\w-]*\s+){0,3}"
    # "complete the acquisition by March": a time, not a buyer.
    r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Q[1-4]|H[12])\b)(?P<name>[A-Z][\w.&'’-]*[\w](?:\s+[A-Z][\w.&'’-]*[\w]){0,2})"
    r"(?=[\s,.;:)]|$)"
)


def _bought_by(
    text: str, entities: list[EntityMention], bid: re.Match[str]
) -> tuple[EntityMention, EntityMention] | None:
    """(company bought, buyer) of a deal named by its noun: the target is the organisation after "of",
    else the sentence's subject ("Quantel rejected a takeover bid from Y"); both must be named."""
    parties = [e for e in entities if not e.is_country and not is_government(e)]
    buyer = next((e for e in parties if e.start >= bid.end()), None)
    if buyer is None or not _DESCRIPTOR.fullmatch(text, bid.end(), buyer.start):
        # "a takeover bid from billionaire Jan Kowal": a buyer no gazetteer knows, often a person.
        named = _BIDDER_NAME.match(text, bid.end())
        if named is None:
            return None
        start, end = named.span("name")
        buyer = next(
            (e for e in parties if (e.start, e.end) == (start, end)),
            EntityMention(start, end, named.group("name"), None, None, False, None),
        )
    if bid.group("of"):
        target = next((e for e in parties if e.start >= bid.end("of")), None)
        if (
            target is None
            or target.end > bid.end()
            or not _DESCRIPTOR.fullmatch(text, bid.end("of"), target.start)
        ):
            return None
    else:
        target = subject_before(text, parties, bid.start())
    if target is None or _key(target) == _key(buyer):
        return None
    return target, buyer


# "in talks to raise", "in discussions to invest in OpenAI": a rumoured deal may state no amount yet.
_TALKS = lazy_compile(
    r"\b(?:in\s+(?:early\s+|advanced\s+)?(?:talks|discussions|negotiations)\s+to\s+(?:raise|invest|buy|acquire)|"
    r"(?:is|are)\s+(?:reportedly\s+)?(?:seeking|looking)\s+to\s+raise)\b",
    re.IGNORECASE,
)
_SALE_VERB = lazy_compile(r"\b(?:agreed\s+to\s+sell|to\s+sell|will\s+sell|sells|sold)\b", re.IGNORECASE)
# What may stand between a deal verb and the company it is about: "to buy legal AI provider Casetext".
_DESCRIPTOR = lazy_compile(
    r"\s*(?:the\s+|a\s+|an\s+|its\s+)?(?:(?:[\w-]+\s+){1,3}(?:startup|start-up|company|firm|"
    r"developer|maker|lab|provider|designer|chipmaker|operator)\s+)?"
)
# "took a 9.9% equity stake in Intel": buying into a named company is a deal even before its price is given.
_STAKE = lazy_compile(
    r"\b(?:acquir(?:e|es|ed|ing)|tak(?:e|en|es|ing)|took|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing))\s+"
    r"(?:(?:about|nearly|roughly|around|almost)\s+)?(?:a|an|its)\s+(?:[\w.%-]+\s+){0,4}?stake\s+in\b",
    re.IGNORECASE,
)
_TRANCHE_ONLY = lazy_compile(
    r"\b(?:immediately|right\s+away|at\s+the\s+start|initially|first\s+tranche)\b", re.IGNORECASE
)


# Round-ups list deals as lines "<Company> — <amount> <round>" and then "Lead investor: A and B".
_DEAL_LINE = lazy_compile(
    r"^[^\w\n]*(?P<name>(?:[A-Z]|\d+[A-Za-z])[\w.&'’+-]*(?:[ \t]+[A-Z][\w.&'’+-]*){0,3})[ \t]*(?:[—–:|]|[ \t]-)[ \t]*",
    re.MULTILINE,
)
_DEAL_LINE_MAX_CHARS = 160
_INVESTOR_LABEL = lazy_compile(
    r"^\W*(?P<label>lead\s+investors?|investors?|backers?|led\s+by)\s*:\s*", re.IGNORECASE
)
_UNDISCLOSED = lazy_compile(
    r"(?:not\s+(?:yet\s+)?disclosed|undisclosed|n/?a\b|unknown|none\b)", re.IGNORECASE
)
_LABELLED_NAME = lazy_compile(r"(?:[A-Z]|\d+[A-Za-z])[\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|&))*")


def deal_line_recipient(
    text: str, entities: list[EntityMention], money: Money | None
) -> EntityMention | None:
    """The company heading a round-up's deal line, whose amount follows the dash right away.

    Such a line has no verb for the usual rules to hang the recipient on, and its name is often a
    single word no gazetteer or suffix rule knows ("Fun — $72M Series A").
    """
    if money is None or len(text) > _DEAL_LINE_MAX_CHARS:
        return None
    # A line of its own, though an unpunctuated heading above it may share the sentence.
    match = next((m for m in _DEAL_LINE.finditer(text) if m.end() == money.start), None)
    if match is None:
        return None
    start, end = match.span("name")
    for entity in entities:
        if entity.start < end and start < entity.end and not entity.is_country:
            return entity
    return EntityMention(start, end, match.group("name"), None, None, False, None)


def labelled_investors(info: SentenceInfo) -> list[Participant]:
    """Investors listed under a label ("Lead investor: A and B co-led"), known to the gazetteer or not."""
    label = _INVESTOR_LABEL.match(info.text)
    if label is None or _UNDISCLOSED.match(info.text, label.end()):
        return []
    role = "participant" if label.group("label").lower().startswith(("investor", "backer")) else "lead"
    found = [
        participant(e, "funder" if is_government(e) else role)
        for e in info.entities
        if e.start >= label.end() and not e.is_country
    ]
    covered = [(e.start, e.end) for e in info.entities]
    for match in _LABELLED_NAME.finditer(info.text, label.end()):
        if not any(a < match.end() and match.start() < b for a, b in covered):
            found.append(Participant(name=match.group().strip(), role=role))
    return found


@dataclass
class InvestmentSlots:
    amount: float | None = None
    currency: str | None = None
    is_upper_bound: bool = False
    kind: str = "other"
    round_type: str | None = None
    name: str | None = None
    country_code: str | None = None
    participants: tuple[Participant, ...] = ()
    money: Money | None = None
    extra: dict = field(default_factory=dict)


def choose_amount(text: str, moneys: list[Money], acquisition: bool = False) -> Money | None:
    """The invested amount: the first money that is not a valuation, revenue, fine or first tranche.

    In an acquisition "a transaction valued at $665 million" is the price, so "valued at" stays.
    """
    for money in moneys:
        before = text[max(0, money.start - 45) : money.start]
        after = text[money.end : money.end + 40]
        if acquisition and re.search(
            r"\b(?:valued\s+at|worth)\s*(?:about\s+|approximately\s+|around\s+)?$", before
        ):
            return money
        if _NOT_THE_AMOUNT_BEFORE.search(before) or _NOT_THE_AMOUNT_AFTER.search(after):
            continue
        if re.search(
            r"\b(?:total|totals|cumulative)\b[^$€£¥₹₩]{0,60}\bto\s*$",
            text[max(0, money.start - 90) : money.start],
        ):
            continue  # "brings Amazon's total investment in Anthropic to $8 billion"
        if re.search(r"\bat\s+an?\s*$", before) and re.match(r"^\s*(?:[\w-]+\s+)?valuation", after):
            continue
        if re.search(
            r"\bvalu(?:es|ed|ing|ation)\b[^$€£¥₹₩.;]{0,50}\b(?:at|of)\s+(?:about\s+|around\s+|roughly\s+|"
            r"some\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+)?$",
            text[max(0, money.start - 70) : money.start],
        ):
            continue
        return money
    return None


def build_investment(
    info: SentenceInfo,
    lex: Lexicons,
    context_orgs: list[EntityMention],
    inherited_name: tuple[str, str | None, str | None] | None,
    country_name,
    previous: FactMention | None = None,
    home_country: Callable[[], str | None] | None = None,
    described: EntityMention | None = None,
) -> InvestmentSlots | None:
    """Return the investment stated by the sentence, or None when it states no amount or deal.

    `context_orgs` are the organisations of the previous sentence, used when this one opens with "The
    company" or "It"; `previous` is the latest investment of the document, which a sentence like "In March
    it completed the commitment with a further $2.75 billion" continues. `home_country` names the country
    the page is about, for "the government" in a sentence that names no country. `described` is the
    organisation a sentence opening "The tech giant ..." stands for, used only as the investor.
    """
    text = info.text
    if (share := _programme_share(info, previous)) is not None:
        return share
    trigger = lex.investment.search(text)
    if trigger is None:
        return None
    acquisition = _ACQUISITION_VERB.search(text)
    money = choose_amount(text, info.moneys, acquisition is not None)
    stated_round = _STATED_ROUND.search(text)
    talks = _TALKS.search(text)
    stake = _STAKE.search(text)
    bid = _ACQUIRED_BY.search(text)
    if (
        money is None
        and acquisition is None
        and not (stated_round and _RAISE_VERB.search(text))
        and not talks
        and stake is None
        and bid is None
    ):
        return None
    if money is not None and _TRANCHE_ONLY.search(text[money.end : money.end + 30]):
        return None
    if money is not None and _PER_BENEFICIARY.search(text[max(0, money.start - 40) : money.start]):
        return None  # "eligible start-ups can get up to ₹20 lakh": a ceiling per applicant, not a deal
    known = next((k.instrument for k in info.known if k.instrument.fact_type == "investment"), None)
    name = known.name if known else None
    kind_hint = known.kind if known else None
    country_code = known.country_code if known else None
    if known is None and inherited_name is not None:
        name, kind_hint, country_code = inherited_name

    entities = [
        e
        for e in info.entities
        if not is_modifier(text, e, info.entities) and not _ASSET_AFTER.match(text[e.end : e.end + 20])
    ]
    roles: dict[int, str] = {}  # id(entity) -> role

    def assign(entity: EntityMention, role: str, force: bool = False) -> None:
        if force or id(entity) not in roles:
            roles[id(entity)] = role

    for match in _LED_BY.finditer(text):
        for entity in list_after(text, entities, match.end()):
            assign(entity, "lead", force=True)
    for match in _LEADS.finditer(text):
        for entity in list_before(text, entities, match.start()) or [
            subject_before(text, entities, match.start())
        ]:
            if entity is not None:
                assign(entity, "lead", force=True)

    opening_reference = _refers_to_org(text)
    recipient = deal_line_recipient(text, entities, money)
    if recipient is not None and recipient not in entities:
        entities = [recipient, *entities]
    investors: list[EntityMention] = []
    if bid is not None and recipient is None and (pair := _bought_by(text, entities, bid)) is not None:
        # "X rejected a takeover bid from Y", "the acquisition of X by Y": the buyer follows "by"/"from".
        acquisition, (recipient, buyer) = bid, pair
        if buyer not in entities:
            entities = [*entities, buyer]
        investors.append(buyer)
        assign(buyer, "lead")
    elif acquisition is None and money is None and not talks and stake is None and not stated_round:
        return None  # a bid whose parties the sentence does not name
    sale = _SALE_VERB.search(text) if acquisition is None else None
    if sale is not None:
        # "SoftBank agreed to sell chip designer Arm to Nvidia": Arm is bought, Nvidia buys, SoftBank sells.
        sold = [e for e in entities if e.start >= sale.end() and not e.is_country]
        if sold and _DESCRIPTOR.fullmatch(text[sale.end() : sold[0].start]):
            buyer = next(
                (e for e in sold[1:] if re.fullmatch(r"\s+to\s+(?:the\s+)?", text[sold[0].end : e.start])),
                None,
            )
            if buyer is not None:
                acquisition, recipient = sale, sold[0]
                investors.append(buyer)
                assign(buyer, "lead")
                seller = subject_before(text, entities, sale.start())
                if seller is not None:
                    assign(seller, "participant")
    if acquisition is not None and recipient is None:
        targets = [
            e
            for e in [e for e in entities if e.start >= acquisition.end()][:1]
            if _DESCRIPTOR.fullmatch(text[acquisition.end() : e.start])
        ]
        if not targets:
            acquisition = None  # "acquired material influence over OpenAI": no company was bought
        if targets:
            recipient = targets[0]
            buyer = subject_before(text, entities, acquisition.start())
            if buyer is not None and buyer is not recipient:
                investors.append(buyer)
                assign(buyer, "lead")
        elif money is None and not stated_round and stake is None:
            return None
    passive = _PASSIVE_BACKED.search(text)
    if recipient is None and _GRANT_CUE.search(text):
        for entity in info.entities:
            before = text[max(0, entity.start - 40) : entity.start]
            if entity.is_country or is_government(entity):
                continue
            if _AWARD_VERB.search(before) or _GRANT_FOR.search(before):
                recipient = entity
                if entity not in entities:
                    entities.append(entity)
                investors.extend(e for e in entities if is_government(e) and e not in investors)
                break
    if recipient is None and money is not None:
        recipient = _beneficiary_after(text, entities, money, investors)
        if recipient is not None:
            # The state handing the money over: "The Dutch government", "Tokyo's cabinet" (a demonym or
            # a capital before the verb counts, though it only modifies the body that acts).
            givers = [
                e
                for e in info.entities
                if (is_government(e) or e.is_country) and e.start < money.start and e is not recipient
            ]
            # The nearest one before the amount: "The G7 endorsed ..., while Britain pledged £100 million".
            if givers and givers[-1] not in entities:
                entities.append(givers[-1])
            investors.extend(e for e in givers[-1:] if e not in investors)
    if recipient is None and passive is not None:
        subject = subject_before(text, entities, passive.start())
        backers = list_after(text, entities, passive.end())
        if subject is not None and backers:
            recipient = subject
            for backer in backers:
                investors.append(backer)
    if recipient is None:
        for match in _OBJECT_PHRASE.finditer(text):
            following = [e for e in entities if e.start >= match.end()]
            if following and re.fullmatch(
                r"\s*(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+){0,4}",
                _without_countries(text, match.end(), following[0].start, info),
            ):
                candidate = following[0]
                if re.match(r"(?:'s|’s)\s", text[candidate.end : candidate.end + 3]) and not _OWN_ROUND.match(
                    text[candidate.end : candidate.end + 50]
                ):
                    continue  # "the largest venture investment in Amazon's history"
                if candidate.kind in ("government",) and not candidate.is_country:
                    continue
                recipient = candidate
                break
            if re.match(r"\s*(?:the\s+(?:company|startup|start-up|firm|lab)|it)\b", text[match.end() :]):
                recipient = _resolve_reference(text, entities, context_orgs, previous, exclude=investors)
                if recipient is not None and recipient not in entities:
                    entities = [recipient, *entities]
                break
    if recipient is None:
        for match in _RAISE_VERB.finditer(text):
            if _OUTGOING_PLEDGE.match(text, match.end()):
                continue
            if _AFTER_RAISING.search(text, 0, match.end()):
                subject = _main_subject(text, entities)
                if subject is not None:
                    recipient = subject
                    break
            subject = subject_before(text, entities, match.start())
            if subject is not None and not is_government(subject) and not subject.is_country:
                recipient = subject
                break
            if opening_reference and match.start() < 60:
                recipient = _resolve_reference(text, entities, context_orgs, previous, exclude=[])
                if recipient is not None and recipient not in entities:
                    entities = [recipient, *entities]
                break
    if recipient is None:
        recipient = _round_owner(text, entities)
    if recipient is None and (owner := _amount_owner(text, entities, money, info.countries())) is not None:
        recipient = owner
        if owner not in entities:
            entities = [*entities, owner]
    if recipient is None and opens_with_round(text):
        taken = {_key(e) for e in entities if id(e) in roles}
        recipient = _round_subject_recipient(context_orgs, previous, taken)
        if recipient is not None:
            entities = [recipient, *entities]
    if recipient is None and opening_reference and previous is not None and _BARE_REFERENCE.match(text):
        # "In March 2024 it completed the commitment with a further $2.75 billion investment."
        inherited = [p for p in previous.participants if p.role == "recipient"]
        if inherited:
            recipient = EntityMention(
                0,
                0,
                inherited[0].name,
                inherited[0].organisation_id,
                inherited[0].country_code,
                inherited[0].is_country,
                None,
            )
            entities = [recipient, *entities]
            if not any(not e.is_country for e in entities[1:]):
                for item in previous.participants:
                    if item.role in ("lead", "funder"):
                        entities.append(
                            EntityMention(
                                0,
                                0,
                                item.name,
                                item.organisation_id,
                                item.country_code,
                                item.is_country,
                                None,
                            )
                        )
                        assign(entities[-1], item.role)

    if recipient is None and previous is not None:
        # "Google has invested $500 million upfront ...": the same investor as the previous deal.
        subject = subject_before(text, entities, trigger.start())
        previous_leads = {
            p.organisation_id for p in previous.participants if p.role == "lead" and p.organisation_id
        }
        inherited = [p for p in previous.participants if p.role == "recipient" and not p.is_country]
        if subject is not None and subject.organisation_id in previous_leads and inherited:
            recipient = EntityMention(
                0, 0, inherited[0].name, inherited[0].organisation_id, inherited[0].country_code, False, None
            )
            entities = [recipient, *entities]
    if not investors:
        for match in _INVEST_VERB.finditer(text):
            if (
                recipient is not None
                and match.start() < recipient.end
                and recipient.start > 0
                and (
                    _RAISE_VERB.search(text[recipient.end : match.start() + 1]) is None
                    and match.start() > recipient.start
                )
            ):
                pass
            found = [e for e in list_before(text, entities, match.start()) if e is not recipient]
            if not found:
                subject = subject_before(text, entities, match.start())
                if subject is not None and subject is not recipient:
                    found = [subject]
            if not found and (described := _described_investor(text, entities, described, match.start())):
                found = [] if described is recipient else [described]
                if found and described not in entities:
                    entities = [*entities, described]
            if found:
                investors.extend(found)
                break
    sole_source = None
    for match in _PARTICIPATION.finditer(text):
        listed = [e for e in list_after(text, entities, match.end()) if e is not recipient]
        for entity in listed:
            assign(entity, "participant")
        if match.group().lower() in ("from", "funded by", "backed by") and len(listed) == 1:
            sole_source = listed[0]
    if sole_source is not None and not any(role == "lead" for role in roles.values()):
        assign(sole_source, "lead", force=True)
        investors.append(sole_source)

    # The same organisation named twice ("Microsoft and OpenAI ... Microsoft will invest $1bn in OpenAI").
    recipient_key = _key(recipient) if recipient is not None else None
    unique: dict[str, EntityMention] = {}
    for entity in investors:
        if _key(entity) != recipient_key:
            unique.setdefault(_key(entity), entity)
    investors = list(unique.values())
    countries = [e for e in entities if e.is_country]
    orgs = [e for e in entities if not e.is_country]
    government_funded = any(is_government(e) or e.is_country for e in investors)
    private_investors = [e for e in investors if not is_government(e) and not e.is_country]
    for entity in investors:
        if is_government(entity) or entity.is_country:
            assign(entity, "funder")
        elif len(private_investors) == 1:
            assign(entity, "lead")
        else:
            assign(entity, "participant")

    # Kind.
    implied_countries: list[EntityMention] = []
    if not orgs and not countries and not investors:
        implied = _implied_country(info, money, country_name, home_country)
        implied_countries = [implied] if implied is not None else []
    if kind_hint:
        kind = kind_hint
    elif acquisition is not None and (recipient is not None or investors):
        kind = "acquisition"
    elif implied_countries:
        countries = implied_countries
        kind = "government_programme"
    elif (
        government_funded
        or (lex.government_cue.search(text) and not orgs and countries)
        or (
            lex.government_cue.search(text)
            and any(is_government(e) for e in orgs)
            and not any(e.kind in ("company", "investor", None) for e in orgs)
        )
    ):
        kind = "government_programme"
        if lex.public_private_cue.search(text) and any(e.kind == "company" for e in orgs):
            kind = "public_private_initiative"
    elif lex.private_round.search(text) and recipient is not None:
        kind = "private_round"
        backers = [e for e in entities if roles.get(id(e)) in ("lead", "participant")]
        if (
            backers
            and all(e.kind == "company" for e in backers)
            and not re.search(r"\bround\b|\bseries\b|\bseed\b", text, re.I)
        ):
            kind = "corporate_strategic"
    elif recipient is not None and any(e.kind == "company" for e in investors):
        kind = "corporate_strategic"
    elif recipient is not None and private_investors:
        kind = "private_round" if any(e.kind == "investor" for e in private_investors) else "other"
    else:
        kind = "other"

    abroad = [
        e
        for e in info.countries()
        if e.start > trigger.start()
        and re.search(r"\bin\s+(?:the\s+)?$", text[max(0, e.start - 8) : e.start])
        and all(e.country_code != i.country_code for i in investors)
    ]
    if recipient is None and abroad and any(i.is_country for i in investors) and not kind_hint:
        # "The United Arab Emirates agreed to invest €50 billion in a data centre campus in France".
        recipient, kind = abroad[0], "other"
        entities.append(recipient)
    if kind == "government_programme" and recipient is None:
        # A national programme's beneficiary is the country itself.
        home = countries[0] if countries else None
        if home is None:
            home_code = (
                next((e.country_code for e in investors if e.country_code), None)
                or next((e.country_code for e in orgs if is_government(e) and e.country_code), None)
                or country_code
            )
            if home_code:
                home = EntityMention(0, 0, country_name(home_code), None, home_code, True, "country")
                entities.append(home)
        recipient = home
        if not investors:
            for entity in [e for e in orgs if is_government(e)][:1]:
                assign(entity, "funder")

    if recipient is None and investors and kind != "government_programme":
        # "Brookfield plans to invest €20 billion in AI infrastructure in France": the host country.
        hosts = [
            e
            for e in info.countries()
            if e.start > trigger.start()
            and re.search(r"\bin\s+(?:the\s+)?$", text[max(0, e.start - 8) : e.start])
        ]
        if hosts:
            recipient = hosts[0]
            entities.append(recipient)
        else:
            # "... in chip plants in Arizona", "in Mount Pleasant, Wisconsin": a state names the host country.
            for start, _, code in find_states(text):
                if start > trigger.start() and re.search(
                    r"\bin\s+(?:[A-Z][\w.-]*\s+){0,2}(?:[A-Z][\w.-]*,\s+)?$", text[max(0, start - 40) : start]
                ):
                    recipient = EntityMention(0, 0, country_name(code), None, code, True, "country")
                    entities.append(recipient)
                    break
    participants: list[Participant] = []
    if recipient is not None:
        participants.append(
            participant(
                recipient,
                "recipient",
                country_name(recipient.country_code)
                if recipient.is_country and recipient.country_code
                else None,
            )
        )
    role_by_key: dict[str, str] = {}
    for entity in entities:
        if id(entity) in roles:
            role_by_key.setdefault(_key(entity), roles[id(entity)])
    for entity in entities:
        if entity is recipient or (recipient_key is not None and _key(entity) == recipient_key):
            continue
        role = roles.get(id(entity)) or role_by_key.get(_key(entity))
        if role is None:
            if entity.is_country:
                continue
            if kind in ("private_round", "public_private_initiative") and entity.kind == "investor":
                role = "participant"
            elif kind == "government_programme" and is_government(entity):
                role = "funder"
            else:
                continue
        participants.append(
            participant(entity, role, country_name(entity.country_code) if entity.is_country else None)
        )
    participants_tuple = _with_state_funder(text, dedupe(participants), kind, recipient)

    round_type = None
    round_match = lex.round_type.search(text)
    if round_match is not None:
        if round_match.group("series"):
            round_type = f"series_{round_match.group('letter').lower()}"
        elif round_match.group("preseed"):
            round_type = "pre_seed"
        elif round_match.group("seed"):
            round_type = "seed"
        elif (
            round_match.group("debt")
            and money is not None
            and re.search(
                r"(?:debt|credit|loan|convertible|bond)",
                text[max(0, money.start - 40) : money.end + 40],
                re.I,
            )
        ):
            round_type = "debt"
        elif round_match.group("grant") and kind == "government_programme":
            round_type = "grant"
    if round_type is None and kind == "corporate_strategic":
        round_type = "corporate_round"

    if kind == "government_programme" and country_code is None:
        # A public grant to a foreign company (CHIPS Act money for TSMC) belongs to the funder's country.
        country_code = next(
            (e.country_code for e in investors if (is_government(e) or e.is_country) and e.country_code), None
        )
    if country_code is None and recipient is not None:
        country_code = recipient.country_code
    return InvestmentSlots(
        amount=money.amount if money else None,
        currency=_programme_currency(money, kind, country_code),
        is_upper_bound=money.is_upper_bound if money else False,
        kind=kind,
        round_type=round_type,
        name=name,
        country_code=country_code,
        participants=participants_tuple,
        money=money,
    )


# "Another S$7 million will go towards the Quorum Skills Programme", "The remaining $300 million has been
# dedicated to the Compute Access Fund": a share of the state programme told just before, earmarked for a
# programme the sentence names.
_EARMARKED = lazy_compile(
    r"\b(?:(?:will|would|is\s+to|are\s+to)\s+go|goes|is\s+going)\s+(?:to|towards?|into)\b|"
    r"\b(?:has|have|will)\s+been?\s+(?:dedicated|earmarked|allocated|set\s+aside|reserved)\s+(?:to|for)\b",
    re.IGNORECASE,
)
_SHARE_NAME = lazy_compile(
    r"(?P<name>(?:[A-Z][\w'’-]*\s+){1,6}(?:Fund|Programme|Program|Challenge|Scheme|Initiative|Mission|"
    r"Grants?))\b"
)


def _programme_share(info: SentenceInfo, previous: FactMention | None) -> InvestmentSlots | None:
    """A named share of the government programme stated just before, funded by the same state."""
    if previous is None or previous.subtype != "government_programme" or len(info.moneys) != 1:
        return None
    text, money = info.text, info.moneys[0]
    earmark = _EARMARKED.search(text, money.end)
    if earmark is None or earmark.start() - money.end > 30:
        return None  # the amount must be the subject of the earmarking verb
    named = _SHARE_NAME.search(text, earmark.end())
    if named is None or any(
        not e.is_country and not is_government(e) and not named.start() <= e.start < named.end()
        for e in info.entities
    ):
        return None  # no programme named, or a company receives it (a grant, read by the usual rules)
    funders = tuple(p for p in previous.participants if p.role == "funder")
    if not funders:
        return None
    kind = "government_programme"
    return InvestmentSlots(
        amount=money.amount,
        currency=_programme_currency(money, kind, previous.country_code),
        is_upper_bound=money.is_upper_bound,
        kind=kind,
        round_type="grant" if re.search(r"\bgrants?\b", named.group("name"), re.I) else None,
        name=named.group("name").strip(),
        country_code=previous.country_code,
        participants=funders,
        money=money,
    )


# "announced a $3 billion pledge to build ... in the UK": money going out, not a round coming in.
_OUTGOING_PLEDGE = lazy_compile(
    r"[\d.,\s]*(?:billion|million|bn|mn|m|b|trillion)?\b\s*(?:[\w-]+\s+){0,2}?"
    r"(?:investment|pledge|commitment|package)\s+(?:in|into|to|for|across)\b",
    re.IGNORECASE,
)
# "..., after raising $135 million in a Series B": a participle whose subject opens the sentence.
_AFTER_RAISING = lazy_compile(
    r"\b(?:after|before|following|since|while)\s+(?:raising|securing|closing|landing)\s*$", re.IGNORECASE
)
_SUBJECT_LEAD = lazy_compile(r"\W*(?:(?:In|On|By|Last|Earlier|Later|Then)\b[^,]{0,30},\s+)?(?:the\s+)?")


_POSSESSIVE = lazy_compile(r"(?:'s|’s)\b")
_OWNED_GAP = lazy_compile(r"(?:\s+[\w-]+){0,3}?\s+")


def _main_subject(text: str, entities: list[EntityMention]) -> EntityMention | None:
    """The organisation opening the sentence ("X reached a $2bn valuation ..., after raising $100m"):
    the actor of a participle clause later in the sentence, when it is a company and not a state."""
    first = next((e for e in entities if not e.is_country), None)
    if first is None or is_government(first) or not _SUBJECT_LEAD.fullmatch(text, 0, first.start):
        return None
    owner = _POSSESSIVE.search(text, first.start, min(len(text), first.end + 3))
    if owner is None:
        return first
    # "Founder's AI venture X ...": the owner qualifies the subject named just after it.
    owned = next((e for e in entities if e.start >= first.end and not e.is_country), None)
    if owned is not None and _OWNED_GAP.fullmatch(text, owner.end(), owned.start):
        return owned
    return None if owned is not None else first  # "X's founders ... after raising": X raised


# "thanks to Brimstone's $66 million Series C round": the owner of a stated round is its recipient. A
# round noun must follow, so "Amazon's $4 billion investment" (the investor's money) is not read so.
_OWNED_ROUND = lazy_compile(
    r"(?:'s|’s)\s+(?:(?:latest|new|recent|first|second|third|oversubscribed)\s+)?"
    r"(?:(?:US|C|A)?[$€£¥₹₩]\s?\d[\d.,]*\s*(?:million|billion|bn|mn|m|b)?\s+)?"
    r"(?:(?:series\s+[a-j]|seed|pre-seed|growth|funding|financing)\s+)*"
    r"(?:round|funding|financing|series\s+[a-j]|seed)\b",
    re.IGNORECASE,
)


def _round_owner(text: str, entities: list[EntityMention]) -> EntityMention | None:
    """The company whose round the sentence names with a possessive, when no verb names a recipient."""
    for entity in entities:
        if entity.is_country or is_government(entity):
            continue
        if _OWNED_ROUND.match(text, entity.end):
            return entity
    return None


# "Zorvex leads Quantel's Rs 730 crore round", "Quantel’s €20 million funding round": a capitalised name
# owning the amount, whatever its notation, when a round noun follows the amount.
_OWNER_BEFORE_AMOUNT = lazy_compile(
    r"(?<![\w.])(?P<name>(?:[A-Z]|\d+[A-Za-z])[\w.&+-]*[\w](?:\s+[A-Z][\w.&+-]*[\w]){0,2})(?:'s|’s)\s+"
    r"(?:(?:latest|new|recent|fresh|oversubscribed)\s+)?$"
)
_ROUND_AFTER_AMOUNT = lazy_compile(
    r"\s*(?:(?:series\s+[a-j]|seed|pre-seed|growth|equity|venture)\s+)?(?:funding\s+|financing\s+)?"
    r"(?:round|raise)\b",
    re.IGNORECASE,
)


def _amount_owner(
    text: str, entities: list[EntityMention], money: Money | None, countries: list[EntityMention]
) -> EntityMention | None:
    """The owner of a round stated as "<Name>'s <amount> round", known to the gazetteer or not."""
    if money is None or not _ROUND_AFTER_AMOUNT.match(text, money.end):
        return None
    owner = _OWNER_BEFORE_AMOUNT.search(text, 0, money.start)
    if owner is None:
        return None
    start, end = owner.span("name")
    if any(c.start < end and start < c.end for c in countries):
        return None  # "India's $1 billion round" is a statistic about a country, not a company's round
    for entity in entities:
        if entity.start < end and start < entity.end:
            return None if is_government(entity) else entity
    return EntityMention(start, end, owner.group("name"), None, None, False, None)


# "The November Series B round brought in $35 million", "Its $35 million round was led by A": the round is
# the subject and the company it belongs to was named in the sentence before.
_ROUND_SUBJECT = lazy_compile(
    r"^\W*(?:(?:In|On|By|Last|Earlier|Later|Then)\b[^,]{0,30},?\s+)?(?:The|Its|This|That|Their)\s+"
    r"(?:[\w$€£¥₹.,-]+\s+){0,5}?(?:round|funding|financing|raise)\b(?!\s+(?:of|for|in|to|from)\b)"
)


def opens_with_round(text: str) -> bool:
    """The sentence's subject is a round with no owner named ("Its Series B round brought in ...")."""
    return _ROUND_SUBJECT.match(text) is not None


def _round_subject_recipient(
    context_orgs: list[EntityMention], previous: FactMention | None, taken: set[str]
) -> EntityMention | None:
    """The company of the sentence before (else the latest deal's recipient) for a round with no owner;
    never a party the sentence itself gives a role ("... was led by A" after a sentence naming A)."""
    for entity in context_orgs:
        if not entity.is_country and not is_government(entity) and _key(entity) not in taken:
            return dataclasses.replace(entity, start=0, end=0)
    if previous is not None:
        for item in previous.participants:
            if item.role == "recipient" and not item.is_country:
                return EntityMention(0, 0, item.name, item.organisation_id, item.country_code, False, None)
    return None


def _described_investor(
    text: str, entities: list[EntityMention], described: EntityMention | None, verb_start: int
) -> EntityMention | None:
    """Who "The tech giant will invest ..." is: the organisation of the sentence before, when the
    description is the subject of the verb (nothing named between them) and that sentence named one."""
    reference = _OPENING_REFERENCE.match(text)
    if reference is None or described is None or verb_start - reference.end() > 40:
        return None
    if any(reference.end() <= e.start < verb_start for e in entities):
        return None
    return None if described.is_country or is_government(described) else described


# A round stated without its figure: "a Series A round", "raised a billion-dollar round".
_STATED_ROUND = lazy_compile(
    r"\b(?:(?:series\s+[a-j]|seed)\s+(?:funding\s+)?round|(?:billion|million|\d+-million)-dollar\s+"
    r"(?:funding\s+)?rounds?)\b",
    re.IGNORECASE,
)
_PER_BENEFICIARY = lazy_compile(
    r"\b(?:can|could|may|are\s+eligible\s+to|is\s+eligible\s+to)\s+(?:get|receive|claim|avail(?:\s+of)?|apply\s+for)"
    r"\s+(?:grants?\s+of\s+)?(?:up\s+to\s+)?$",
    re.IGNORECASE,
)
_PRIVATE_MONEY = lazy_compile(r"\bprivate(?:ly)?\b", re.IGNORECASE)


def _with_state_funder(
    text: str, participants: tuple[Participant, ...], kind: str, recipient: EntityMention | None
) -> tuple[Participant, ...]:
    """A national programme with no named funder is paid by the government of the country it serves
    ("the government will spend $2bn on compute"): that country is both the beneficiary and the funder.
    Not when a state or province pays (its country's government does not), nor for private money."""
    if kind != "government_programme" or recipient is None or not recipient.is_country:
        return participants
    if _PRIVATE_MONEY.search(text) or state_country(text) is not None:
        return participants
    if any(p.role == "funder" for p in participants):
        return participants
    home = next((p for p in participants if p.role == "recipient" and p.is_country), None)
    return participants if home is None else (*participants, dataclasses.replace(home, role="funder"))


def _implied_country(
    info: SentenceInfo, money: Money | None, country_name, home_country: Callable[[], str | None] | None
) -> EntityMention | None:
    """Whose programme a sentence states when it names no party but a national actor, or None."""
    text = info.text
    if _NATIONAL_CUE.search(text) is not None:
        # "Japanese Prime Minister Shigeru Ishiba said the government will provide ¥10 trillion".
        for country in info.countries():
            if not is_location(text, country, info.entities) and not names_currency(text, country.end):
                return country
        # "Karnataka's government unveiled a ₹75 lakh prize pool": a state's programme, in its country.
        if (code := state_country(text)) is not None:
            return EntityMention(0, 0, country_name(code), None, code, True, "country")
    if home_country is not None and money is not None and _THE_GOVERNMENT.search(text):
        code = home_country() or _CURRENCY_HOME.get(money.currency)
        if code is not None:
            return EntityMention(0, 0, country_name(code), None, code, True, "country")
    return None


# "The government", "the cabinet", "the finance ministry": a national actor the sentence does not name.
_THE_GOVERNMENT = lazy_compile(
    r"\b(?:the|its)\s+(?:(?:federal|national|central|liberal|labour|conservative|coalition|new)\s+)?"
    r"(?:government|cabinet|(?:[\w-]+\s+)?ministry)\b",
    re.IGNORECASE,
)
# A national currency names the government that budgets in it when the page names no country ("the
# government plans a 50 trillion won fund"); shared or reserve currencies (USD, EUR) name none.
_CURRENCY_HOME = {"KRW": "KR", "JPY": "JP", "INR": "IN", "GBP": "GB", "CNY": "CN", "CAD": "CA", "AUD": "AU"}
# Countries whose own currency is written with a bare "$".
_LOCAL_DOLLARS = {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD", "TW": "TWD"}


def _programme_currency(money: Money | None, kind: str, country_code: str | None) -> str | None:
    """A government budgets in its own currency: "$2 billion" in a Canadian federal programme is CAD.

    Only a bare "$" is re-read, and only for state money; a private round reported from the same
    country is as often stated in US dollars, so it keeps USD.
    """
    if money is None:
        return None
    local = _LOCAL_DOLLARS.get(country_code or "")
    if kind == "government_programme" and local and re.search(r"(?<![A-Za-z])\$", money.text):
        return local
    return money.currency


def _without_countries(text: str, start: int, end: int, info: SentenceInfo) -> str:
    """text[start:end] less the country names in it: "a stake in U.S. chip maker Intel" describes Intel
    with its country, which should not hide it from the verb's object slot."""
    pieces, cursor = [], start
    for country in info.countries():
        if start <= country.start and country.end <= end:
            pieces.append(text[cursor : country.start])
            cursor = country.end
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _key(entity: EntityMention) -> str:
    if entity.organisation_id:
        return entity.organisation_id
    if entity.is_country:
        return f"country:{entity.country_code}"
    return entity.name


def _resolve_reference(
    text: str,
    entities: list[EntityMention],
    context_orgs: list[EntityMention],
    previous: FactMention | None,
    exclude: list[EntityMention],
) -> EntityMention | None:
    """Who "the company"/"it" is: the sentence's own first organisation when it names one before the
    reference, else the previous investment's recipient, else the previous sentence's first organisation."""
    own = [e for e in entities if not e.is_country and e not in exclude]
    if own and not _refers_to_org(text):
        return own[0]
    if re.match(
        r"^\W*(?:(?:In|On|By|Last|Earlier|Later|Then)\b[^,]{0,30},?\s+)?The\s+(?:[\w-]+\s+){1,3}"
        r"(?:company|startup|start-up|firm|maker|developer)\b",
        text,
    ):
        # "The AI search company ...": a description, not a plain back-reference; trust only the
        # organisation named in the sentence just before.
        return context_orgs[0] if context_orgs else None
    if previous is not None:
        for item in previous.participants:
            if item.role == "recipient" and not item.is_country:
                return EntityMention(0, 0, item.name, item.organisation_id, item.country_code, False, None)
    if context_orgs:
        return context_orgs[0]
    return None


def _refers_to_org(text: str) -> bool:
    return _OPENING_REFERENCE.match(text) is not None


# --- what later sentences add to an investment, and when it is a fact -----------------------------

_NAMING = lazy_compile(r"\b(?:is|was|will\s+be)\s+(?:called|named|known\s+as|dubbed)\b")
_VENTURE_REFERENCE = lazy_compile(
    r"\b(?:the|this|its|their)\s+(?:joint\s+)?(?:venture|project|fund|initiative|programme|program|company|"
    r"deal|round|start-up|startup)\b|\bits\s+(?:initial\s+)?(?:equity\s+)?(?:funders|backers|investors|partners)\b|"
    r"\b(?:is|was|will\s+be)\s+(?:called|named|known\s+as|dubbed)\b",
    re.IGNORECASE,
)
_ALSO_INVESTED = lazy_compile(
    r"\b(?:also\s+(?:invested|participated|took\s+part|joined)|joined\s+the\s+round|participated\s+in\s+the\s+round)\b"
)
_INVESTOR_NOUNS = lazy_compile(
    r"\b(?:(?:initial\s+)?(?:equity\s+)?(?:funders|backers|investors|shareholders)|lead\s+partners|"
    r"equity\s+partners)\b",
    re.IGNORECASE,
)
_HORIZON = lazy_compile(r"\bby\s+(?:the\s+end\s+of\s+)?(?P<year>20[2-9]\d)\b")
_PROGRAMME_NAME = lazy_compile(
    r"(?P<name>(?:[A-Z][\w'’-]*\s+){1,6}(?:Scheme|Fund|Programme|Program|Initiative|Mission|Package))\b"
)
# "The tech giant", "The chip designer": a description standing for an organisation named just before.
DESCRIBED_ORG = lazy_compile(
    r"^\W*(?:(?:In|On|By|Last|Earlier|Later|Then)\b[^,]{0,30},?\s+)?The\s+(?:[\w-]+\s+){1,3}"
    r"(?:giant|company|firm|maker|developer|startup|start-up|group)\b"
)
DEAL_REFERENCE = lazy_compile(
    r"^\W*(?:The|This|That)\s+(?:deal|transaction|acquisition|purchase|round|investment|takeover|stake)\b"
)


def is_complete(fact: FactMention) -> bool:
    """An investment row needs its recipient or its programme's name; without either it is held back
    (a later sentence may still name the venture) and otherwise dropped. A forecast, rumour or denial
    with an amount ("AI spending could reach $632 billion by 2028", "Nvidia denied it would invest in the
    $7 trillion venture") is kept without one, marked, so that reported facts stay complete."""
    return (
        any(p.role == "recipient" for p in fact.participants)
        or fact.name is not None
        # A forecast, rumour or denial must still say whose money it is: an amount with no party
        # ("AI spending could reach $632 billion") is a statistic, not a fact.
        or (
            fact.certainty in ("forecast", "rumoured", "denied")
            and fact.amount is not None
            and bool(fact.participants)
        )
    )


def enrich_investment(text: str, fact: FactMention, info: SentenceInfo) -> FactMention | None:
    """Add a name or investors stated by a later sentence about the same venture, or return None."""
    sentence = info.text
    money = choose_amount(sentence, info.moneys)
    if money is not None:
        # "The deal is worth about $700 million": the amount of a deal stated without one.
        if fact.amount is None and DEAL_REFERENCE.match(sentence):
            return dataclasses.replace(
                fact,
                amount=money.amount,
                currency=money.currency,
                is_upper_bound=money.is_upper_bound,
                sentence=text[fact.span_start : info.sentence.end],
                span_end=info.sentence.end,
            )
        return None
    name, kind, country = fact.name, fact.subtype, fact.country_code
    known = next((k.instrument for k in info.known if k.instrument.fact_type == "investment"), None)
    naming = _NAMING.search(sentence)
    if (
        known is not None
        and (fact.name is None or fact.name == known.name)
        and (naming or _VENTURE_REFERENCE.search(sentence))
    ):
        name, kind, country = known.name, known.kind or kind, known.country_code or country
    added: list[Participant] = labelled_investors(info)
    role_words = _INVESTOR_NOUNS.search(sentence) or _ALSO_INVESTED.search(sentence)
    leads_round = re.search(r"\b(?:led|co-led)\s+the\s+(?:round|investment|financing|funding)\b", sentence)
    if leads_round is not None:
        for entity in info.organisations():
            if entity.end <= leads_round.start():
                added.append(participant(entity, "lead"))
    led = re.search(r"\b(?:led|co-led)\s+by\s+", sentence)
    if led is not None and DEAL_REFERENCE.match(sentence):
        for entity in info.organisations():
            if entity.start >= led.end():
                added.append(participant(entity, "lead"))
    if role_words is not None and (
        _VENTURE_REFERENCE.search(sentence) or fact.name is not None or _ALSO_INVESTED.search(sentence)
    ):
        role = "lead" if re.search(r"\blead\b", role_words.group(), re.IGNORECASE) else "participant"
        for entity in info.organisations():
            if entity.end <= role_words.start() and not is_modifier(sentence, entity, info.entities):
                added.append(participant(entity, role))
    if name == fact.name and not added:
        return None
    participants = list(fact.participants)
    if added:
        by_id = {p.organisation_id or p.name: i for i, p in enumerate(participants)}
        for item in added:
            key = item.organisation_id or item.name
            if key in by_id:
                if item.role == "lead" and participants[by_id[key]].role == "participant":
                    participants[by_id[key]] = dataclasses.replace(participants[by_id[key]], role="lead")
            else:
                by_id[key] = len(participants)
                participants.append(item)
    return dataclasses.replace(
        fact,
        name=name,
        subtype=kind,
        country_code=country,
        participants=tuple(participants),
        sentence=text[fact.span_start : info.sentence.end],
        span_end=info.sentence.end,
    )


def programme_name(text: str) -> str | None:
    """A capitalised name ending in Scheme, Fund, Programme ... ("the Startup India Seed Fund Scheme")."""
    match = _PROGRAMME_NAME.search(text)
    return match.group("name") if match else None


_EACH_RAISED = lazy_compile(
    r"\s+each\s+(?:have\s+|has\s+)?(?:raised|received|secured|closed|landed|got)\b", re.IGNORECASE
)


# ", data company X and biotech company Y": list glue with a short description before each name.
_DESCRIBED_LIST_GAP = lazy_compile(r"(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?(?:[\w-]+\s+){0,4}")


def _each_recipient(
    info: SentenceInfo, investment: InvestmentSlots
) -> list[tuple[InvestmentSlots, str]] | None:
    """ "A, B and C each raised $100 million rounds": one deal per company, each with the same terms."""
    match = _EACH_RAISED.search(info.text)
    if match is None:
        return None
    orgs = [e for e in info.entities if not e.is_country and e.end <= match.start()]
    if not orgs or orgs[-1].end != match.start():
        return None
    listed = [orgs[-1]]
    for entity in reversed(orgs[:-1]):
        if not _DESCRIBED_LIST_GAP.fullmatch(info.text, entity.end, listed[0].start):
            break
        listed.insert(0, entity)
    if len(listed) < 2:
        return None
    others = tuple(p for p in investment.participants if p.role != "recipient")
    return [
        (
            dataclasses.replace(
                investment,
                participants=(participant(e, "recipient"), *others),
                country_code=e.country_code or investment.country_code,
            ),
            info.text,
        )
        for e in listed
    ]


def clause_deals(
    info: SentenceInfo, investment: InvestmentSlots, lex: Lexicons, country_name
) -> list[tuple[InvestmentSlots, str]]:
    """The deals of a sentence with their own text: a round-up sentence with several deals gives one
    investment per clause (see `clauses`), so each recipient keeps its own clause's amount."""
    deals = [(investment, info.text)]
    if (each := _each_recipient(info, investment)) is not None:
        return each
    if len(info.moneys) < 2 or investment.name is not None:
        return deals
    per_clause = []
    spans = clause_spans(info)
    for start, end in spans:
        clause = clause_info(info, start, end)
        found = build_investment(clause, lex, [], None, country_name, None)
        if found is not None and any(p.role == "recipient" for p in found.participants):
            per_clause.append((found, clause.text))
    # Several deals, or one deal among other figures ("spent $30 billion on data centres last year, and
    # xAI was seeking $6 billion").
    return per_clause if len(per_clause) >= 2 or (per_clause and len(spans) >= 2) else deals


def investment_mention(
    investment: InvestmentSlots,
    deal_text: str,
    base: dict,
    name: str | None,
    dated: tuple[dt.date | None, str | None],
    sentence_certainty: Callable[[], str],
) -> FactMention:
    """The mention of one deal; `base` holds its provenance (document, sentence, span)."""
    announced_on, precision = dated
    # The modal or forecast cue that matters sits next to the amount ("could reach $632 billion").
    certainty = (
        classify_certainty(deal_text, investment.money.start)
        if investment.money is not None
        else sentence_certainty()
    )
    horizon = _HORIZON.search(deal_text)
    if certainty == "forecast" and horizon is not None:
        # A forecast is about its horizon: "could reach $632 billion by 2028" is dated 2028.
        announced_on, precision = dt.date(int(horizon.group("year")), 1, 1), "year"
    return FactMention(
        fact_type="investment",
        subtype=investment.kind,
        name=name,
        announced_on=announced_on,
        date_precision=precision,
        country_code=investment.country_code,
        amount=investment.amount,
        currency=investment.currency,
        is_upper_bound=investment.is_upper_bound,
        round_type=investment.round_type,
        participants=investment.participants,
        **{**base, "certainty": certainty},
    )
