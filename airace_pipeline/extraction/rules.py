"""The rule-based extractor: sentences in, one `FactMention` per fact stated, in text order.

Per sentence: a cheap pre-filter (a trigger word, a currency or a known act's name) decides whether the slow
path runs; then the four builders each try to read their fact. Discourse is kept small and explicit
(`_DiscourseState`): for three sentences after an investment, alliance or incident, a sentence that refers
back ("This collaboration includes $5bn", "The joint venture is called Stargate", "SoftBank, OpenAI, Oracle
and MGX are its equity backers", "The deal is worth $700m", "The orders were sent to Alphabet, ...")
completes that fact instead of starting a new one, and the completed mention's span grows to cover the
sentences it was read from. An investment with neither a recipient nor a programme name is held back until
such a sentence completes it, and dropped otherwise.

Dates (`announced_on`, `date_precision`):
- investments, alliances, incidents: the date the sentence states (an event date beats a target or deadline
  such as "by 2030" or "entered into force on"; a precise date beats a relative one); else the nearest date
  stated earlier in the same paragraph; else the document's publication date with precision "day".
- policies: the date the sentence states for the act; if none, the act's own date from
  data/reference/policies.yaml (signature/adoption) when the act is known and not merely proposed; else as
  above. A mention saying an act entered into force keeps the act's adoption date.
- revocations: "Trump revoked EO 14110 on 20 January 2025" is a mention of EO 14110 with status "revoked",
  dated when the revocation happened (the sentence's date, else the gazetteer's `revoked_on`); mentions of
  the act itself keep its own date, so downstream can take the act's date from the non-revoked mentions and
  its current status from the latest one. "pledged to repeal EO 14110" yields no mention at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from airace_pipeline.extraction.alliances import (
    AllianceSlots,
    background_alliance,
    bilateral,
    build_alliance,
    focus_areas,
    listed_deal,
    lists_deals,
    more_members,
    paired_alliance,
    sets_scene,
)
from airace_pipeline.extraction.analysis import (
    ALLIANCE_NOUNS,
    GROUP_NOUNS,
    ORG_NOUNS,
    VENTURE_NOUNS,
    KnownMention,
    SentenceInfo,
    anaphor,
)
from airace_pipeline.extraction.certainty import classify_certainty
from airace_pipeline.extraction.clauses import (
    alliance_clause_spans,
    clause_info,
    event_clause_spans,
)
from airace_pipeline.extraction.dates import DateMatcher, DateMention
from airace_pipeline.extraction.entities import EntityMatcher, EntityMention
from airace_pipeline.extraction.incidents import (
    IncidentSlots,
    build_incident,
    consequent_incidents,
    incident_type,
    relative_clause_parts,
    without_bare_repeats,
)
from airace_pipeline.extraction.investments import (
    DEAL_REFERENCE,
    DESCRIBED_ORG,
    build_investment,
    choose_amount,
    clause_deals,
    enrich_investment,
    investment_mention,
    is_complete,
    opens_with_round,
    programme_name,
)
from airace_pipeline.extraction.lexicons import Lexicons
from airace_pipeline.extraction.model import Document, FactMention, Participant
from airace_pipeline.extraction.money import MoneyMatcher
from airace_pipeline.extraction.participants import (
    dedupe,
    is_government,
    is_modifier,
    names_currency,
    participant,
)
from airace_pipeline.extraction.policy_facts import build_policies
from airace_pipeline.extraction.text import Sentence, split_sentences
from airace_pipeline.reference.organisations import Organisation
from airace_pipeline.reference.patterns import lazy_compile, literal_union
from airace_pipeline.reference.policies import (
    DEFAULT_POLICIES_PATH,
    KnownInstrument,
    index_by_title_key,
    load_known_instruments,
)

_INCIDENT_REFERENCE = lazy_compile(
    r"^\W*(?:The|This|These)\s+(?:orders?|investigation|probe|inquiry|fine|penalty|lawsuit|suit|case|ban|"
    r"complaint|review|action)\b"
)
# "cleared a partnership between A and B": a regulator's review of an alliance states both facts.
_REVIEWED_PARTNERSHIP = lazy_compile(
    r"\b(?:partnership|alliance|joint\s+venture|collaboration)\s+(?:between|with)\b", re.IGNORECASE
)


def _is_regulator(member: Participant, incident: IncidentSlots) -> bool:
    return any(
        p.role == "regulator" and (p.organisation_id or p.name) == (member.organisation_id or member.name)
        for p in incident.participants
    )


_OPENING_ORG_REFERENCE = lazy_compile(r"^\W*(?:The\s+(?:company|startup|start-up|firm|lab)|It)\b")
_DEFINITE_DEAL = lazy_compile(
    r"\b(?:the|this)\s+(?:round|deal|transaction|investment|funding|financing)\b", re.I
)
_PUBLICATION = lazy_compile(r"\bpublished\s+in\s+the\s+(?:Federal\s+Register|Official\s+Journal)\b")
_AMONG = lazy_compile(
    r"^\W*(?:Among\s+(?:them|those|these)|These\s+include|They\s+include|This\s+includes)\b"
)

# A clause whose subject is "it"/"they" acting as a regulator ("it opened a new probe into DeepSeek").
_PRONOUN_ACTION = lazy_compile(
    r"\b(?:it|they)\s+(?:has\s+|have\s+|also\s+)?(?:opened|launched|started|fined|ordered|banned|blocked)\b"
)
# "..., while a deal between A and B remains under review": the same regulator's open case.
_UNDER_REVIEW = lazy_compile(
    r"\b(?:remains?|is|are|was|were)\s+(?:still\s+)?under\s+(?:review|investigation|scrutiny)\b"
)
_PRONOUN_SUBJECT = lazy_compile(r"\b(?:it|they)\s+(?:has\s+|have\s+|also\s+)?\w+ed\b")
# Nouns that refer back to a joint undertaking of the parties just named.
_JOINT_NOUNS = frozenset({"collaboration", "partnership", "alliance", "cooperation", "agreement", "pact"})
# Sentences longer than this are almost always junk (tables, minified scripts) and slow to scan.
_MAX_SENTENCE_CHARS = 2_000
_MAX_DOCUMENT_CHARS = 2_000_000


class RuleBasedExtractor:
    """Deterministic, offline extractor; build once per run, call `extract` per document."""

    name = "rules"
    version = "1"

    def __init__(
        self,
        organisations: Sequence[Organisation],
        known_instruments: Sequence[KnownInstrument] | None = None,
    ) -> None:
        if known_instruments is None:
            known_instruments = (
                load_known_instruments(DEFAULT_POLICIES_PATH) if DEFAULT_POLICIES_PATH.exists() else []
            )
        self._entities = EntityMatcher(organisations)
        self._money = MoneyMatcher()
        self._dates = DateMatcher()
        self._lex = Lexicons()
        self._known_by_form: dict[str, KnownInstrument] = {}
        for instrument in known_instruments:
            for form in instrument.surface_forms:
                self._known_by_form.setdefault(form, instrument)
        self._known_by_name = {instrument.name: instrument for instrument in known_instruments}
        self._known_by_key = index_by_title_key(list(known_instruments))
        self._known_pattern = re.compile(r"(?<![\w])(?:" + literal_union(self._known_by_form) + r")(?![\w])")
        gov_us = next((org for org in organisations if org.organisation_id == "gov-us"), None)
        self._issuer_for_us = (
            Participant(
                name=gov_us.name, role="issuer", organisation_id=gov_us.organisation_id, country_code="US"
            )
            if gov_us is not None
            else Participant(name="United States", role="issuer", country_code="US", is_country=True)
        )
        self._prefilter = re.compile(
            "|".join(
                f"(?:{pattern.pattern})"
                for pattern in (
                    self._lex.investment,
                    self._lex.alliance,
                    self._lex.incident,
                    self._lex.policy,
                )
            ),
            re.IGNORECASE,
        )

    # ------------------------------------------------------------------ public API
    def extract(self, document: Document) -> list[FactMention]:
        """Return every fact the document states.

        It does not catch its own errors: a document it cannot read raises, and the extract stage
        (`frames.extract_documents`) records the exception so that the document lands in quarantine
        instead of being stored as read with no facts.
        """
        if not isinstance(document.text, str):
            raise TypeError(
                f"document {document.document_id}: text is {type(document.text).__name__}, not str"
            )
        return self._extract(document)

    # ------------------------------------------------------------------ pipeline
    def _extract(self, document: Document) -> list[FactMention]:
        text = document.text
        if not text.strip():
            return []
        if len(text) > _MAX_DOCUMENT_CHARS:
            text = text[:_MAX_DOCUMENT_CHARS]
        published = (
            document.published_on
            if document.date_known and isinstance(document.published_on, dt.date)
            else None
        )
        sentences = split_sentences(text)
        infos: dict[int, SentenceInfo] = {}

        local_names: dict[str, None] = {}

        def info_for(index: int) -> SentenceInfo:
            if index not in infos:
                infos[index] = self._analyse(sentences[index], published, local_names)
            return infos[index]

        state = _DiscourseState(text=text)
        for index, sentence in enumerate(sentences):
            if sentence.is_heading or len(sentence.text) > _MAX_SENTENCE_CHARS:
                continue
            if not (
                self._prefilter.search(sentence.text)
                or self._money.has_money(sentence.text)
                or self._known_pattern.search(sentence.text)
                or (state.incident is not None and _INCIDENT_REFERENCE.match(sentence.text))
                or (state.alliance is not None and more_members(sentence.text))
            ):
                state.previous_index = index
                continue
            info = info_for(index)
            previous = state.previous_index
            context = (
                info_for(previous)
                if previous is not None
                and (sentences[previous].paragraph == sentence.paragraph or index - previous == 1)
                else None
            )
            state.expire(index)
            for mention in info.known:
                if mention.instrument.fact_type == "alliance" or (
                    mention.instrument.instrument_type == "international_agreement"
                ):
                    state.agreement, state.agreement_index = mention.instrument.name, index
            facts = self._facts_for(document, info, context, state, sentences, index, info_for, published)
            if state.investment is not None and not any(f.fact_type == "investment" for f in facts):
                enriched = enrich_investment(text, state.investment, info)
                if enriched is not None:
                    state.replace(state.investment, enriched, index, keep_if=is_complete)
            if state.incident is not None and not any(f.fact_type == "incident" for f in facts):
                enriched_incident = self._enrich_incident(text, state.incident, info)
                if enriched_incident is not None:
                    state.replace(state.incident, enriched_incident, index)
            for fact in facts:
                if fact.fact_type == "investment":
                    state.add_investment(fact, index, emit=is_complete(fact))
                elif fact.fact_type == "alliance":
                    state.add_alliance(fact, index)
                elif fact.fact_type == "incident":
                    state.add_incident(fact, index)
                else:
                    state.mentions.append(fact)
            state.previous_index = index
        state.mentions.sort(key=lambda mention: mention.span_start)
        return without_bare_repeats(state.mentions)

    def _home_country(self, state: _DiscourseState) -> str | None:
        """The country a page names most often: who "the government" is when a sentence names none
        ("The government plans a 50 trillion won fund" on a Korean news site)."""
        if not state.home:
            codes = Counter(
                code
                for _, end, code in self._entities.countries.find(state.text)
                if not names_currency(state.text, end)
            )
            state.home.append(codes.most_common(1)[0][0] if codes else None)
        return state.home[0]

    def _enrich_incident(self, text: str, fact: FactMention, info: SentenceInfo) -> FactMention | None:
        """ "The orders were sent to Alphabet, Amazon, ...": the parties of the incident stated just before."""
        if not _INCIDENT_REFERENCE.match(info.text):
            return None
        known = {p.organisation_id or p.name for p in fact.participants}
        added = [
            participant(e, "subject")
            for e in info.organisations()
            if not is_government(e) and (e.organisation_id or e.name) not in known
        ]
        if not added:
            return None
        return dataclasses.replace(
            fact,
            participants=dedupe((*fact.participants, *added)),
            sentence=text[fact.span_start : info.sentence.end],
            span_end=info.sentence.end,
        )

    def _analyse(
        self, sentence: Sentence, published: dt.date | None, local_names: dict[str, None] | None = None
    ) -> SentenceInfo:
        text = sentence.text
        known = [
            KnownMention(match.start(), match.end(), self._known_by_form[match.group()])
            for match in self._known_pattern.finditer(text)
        ]
        entities = self._entities.find(text, tuple(local_names or ()))
        if local_names is not None:
            # Unknown organisations introduced once ("Run:ai, a Tel Aviv-based company") are recognised
            # when named again later in the same document.
            for entity in entities:
                if entity.organisation_id is None and not entity.is_country:
                    local_names.setdefault(entity.name, None)
        # A known programme's own name is not an organisation participant ("Stargate" the venture).
        entities = [e for e in entities if not any(k.start <= e.start and e.end <= k.end for k in known)]
        return SentenceInfo(
            sentence=sentence,
            entities=entities,
            moneys=self._money.find(text),
            dates=self._dates.find(text, published),
            known=known,
            published_on=published,
        )

    # ------------------------------------------------------------------ facts of one sentence
    def _facts_for(self, document, info, context, state, sentences, index, info_for, published):
        text = info.text
        lex = self._lex
        country_name = self._entities.country_name
        facts: list[FactMention] = []
        ref = anaphor(text)

        def certainty_for(pattern: re.Pattern[str]) -> str:
            trigger = pattern.search(text)
            return classify_certainty(text, trigger.start() if trigger else None)

        base = {
            "document_id": document.document_id,
            "sentence": text,
            "span_start": info.sentence.start,
            "span_end": info.sentence.end,
        }
        announced, precision = self._choose_date(info, sentences, index, info_for, published)

        # "This collaboration includes a $5 billion investment": the money and members belong to the
        # alliance stated just before, not to a new fact.
        if state.alliance is not None and (
            (ref is not None and ref[1] in ALLIANCE_NOUNS) or more_members(text)
        ):
            previous_alliance = state.alliance
            money = choose_amount(text, info.moneys)
            own = build_alliance(info, lex, country_name, require_members=False)
            if sets_scene(text):  # "The partnership comes amid ...": the background names no members
                background = background_alliance(info, lex, country_name)
                if background is not None:  # "... comes after A signed its own deal with B"
                    facts.append(
                        self._alliance_mention(
                            {**base, "certainty": certainty_for(lex.alliance)},
                            background,
                            announced,
                            precision,
                            None,
                        )
                    )
                return facts + self._policy_mentions(info, base, certainty_for, announced, precision, state)
            if own is not None:
                extra = list(own.participants)
            else:
                extra = [
                    participant(e, "member", country_name(e.country_code) if e.is_country else None)
                    for e in info.entities
                    if not is_modifier(text, e, info.entities)
                ]
            start = previous_alliance.span_start
            updated = dataclasses.replace(
                previous_alliance,
                sentence=document.text[start : info.sentence.end],
                span_end=info.sentence.end,
                amount=previous_alliance.amount if money is None else money.amount,
                currency=previous_alliance.currency if money is None else money.currency,
                is_upper_bound=previous_alliance.is_upper_bound if money is None else money.is_upper_bound,
                focus_areas=tuple(dict.fromkeys((*previous_alliance.focus_areas, *focus_areas(text, lex)))),
                participants=dedupe((*previous_alliance.participants, *extra)),
            )
            state.replace(previous_alliance, updated, index)
            # The sentence may still state a policy ("The declaration ... the AI Act").
            facts.extend(self._policy_mentions(info, base, certainty_for, announced, precision, state))
            return facts

        if (
            ref is not None
            and ref[1] in _JOINT_NOUNS
            and state.alliance is None
            and not state.agreement
            and context is not None
        ):
            # "PIF and Google announced plans for an AI hub. This collaboration includes a $10 billion
            # investment": the reference makes the previous sentence's parties an alliance.
            earlier = build_alliance(context, lex, country_name, require_members=False)
            if earlier is not None and len(earlier.participants) >= 2:
                start = context.sentence.start
                joint = {
                    **base,
                    "sentence": document.text[start : info.sentence.end],
                    "span_start": start,
                    "certainty": classify_certainty(context.text + " " + text),
                }
                money = choose_amount(text, info.moneys)
                facts.append(self._alliance_mention(joint, earlier, announced, precision, money))
                facts.extend(self._policy_mentions(info, base, certainty_for, announced, precision, state))
                return facts

        if ref is not None and ref[1] in ALLIANCE_NOUNS and state.alliance is None and state.agreement:
            # "The statement was signed by France, China, India and the EU." after a sentence naming the
            # declaration: its signatories form an alliance named after it.
            signed = build_alliance(info, lex, country_name, require_members=False)
            if signed is not None and len(signed.participants) >= 2:
                signed.name = signed.name or state.agreement
                facts.append(
                    self._alliance_mention(
                        {**base, "certainty": certainty_for(lex.alliance)}, signed, announced, precision, None
                    )
                )
                facts.extend(self._policy_mentions(info, base, certainty_for, announced, precision, state))
                return facts

        context_orgs: list[EntityMention] = []
        inherited_name = None
        extra_members: list[EntityMention] = []
        if context is not None and ref is not None:
            context_orgs = [
                e for e in context.organisations() if not is_modifier(context.text, e, context.entities)
            ]
            known_inv = next(
                (k.instrument for k in context.known if k.instrument.fact_type == "investment"), None
            )
            if known_inv is not None and (
                ref[1] in VENTURE_NOUNS or ref[1] in GROUP_NOUNS or ref[0] == "pronoun"
            ):
                inherited_name = (known_inv.name, known_inv.kind, known_inv.country_code)
            if ref[1] in GROUP_NOUNS:
                extra_members = [
                    e
                    for e in context.entities
                    if not is_modifier(context.text, e, context.entities) and not is_government(e)
                ]
            if ref[1] in ORG_NOUNS or ref[0] == "pronoun":
                context_orgs = context_orgs[:1]
        if context is not None and ref is None and opens_with_round(text):
            # "Its Series B round brought in $35 million": the round of the company named just before.
            context_orgs = [
                e for e in context.organisations() if not is_modifier(context.text, e, context.entities)
            ]
        # "The tech giant will invest $1.7bn ...": the investor is the one the sentence before named.
        described = (
            next(
                (e for e in context.organisations() if not is_modifier(context.text, e, context.entities)),
                None,
            )
            if context is not None and ref is None and DESCRIBED_ORG.match(text)
            else None
        )

        previous_investment = state.investment
        if previous_investment is None and _OPENING_ORG_REFERENCE.match(text):
            previous_investment = state.last_investment  # "The company raised ..." paragraphs later
        investment = build_investment(
            info,
            lex,
            context_orgs,
            inherited_name,
            country_name,
            previous_investment,
            home_country=lambda: self._home_country(state),
            described=described,
        )
        if (
            investment is not None
            and state.investment is not None
            and state.investment.amount is not None
            and _DEFINITE_DEAL.search(text)
            and not any(p.role == "recipient" for p in investment.participants)
        ):
            investment = None  # "the round consists of €468 million in equity and ...": a breakdown
        if (
            investment is not None
            and state.investment is not None
            and state.investment.amount is None
            and DEAL_REFERENCE.match(text)
            and not any(p.role == "recipient" and not p.is_country for p in investment.participants)
        ):
            investment = None  # "The stake was bought for $8.9 billion": the price of the deal just told
        if investment is not None and ref is not None and ref[1] in GROUP_NOUNS and extra_members:
            # "The partners said they intend to invest $500 billion": the partners are the investors.
            investors = tuple(
                participant(e, "participant", country_name(e.country_code) if e.is_country else None)
                for e in extra_members
                if not e.is_country
            )
            investment = dataclasses.replace(
                investment, participants=dedupe((*investment.participants, *investors))
            )
        incident = build_incident(info, lex, country_name)
        alliance = (
            build_alliance(info, lex, country_name)
            if incident is None or _REVIEWED_PARTNERSHIP.search(text)
            else None
        )
        if alliance is not None and incident is not None:
            # "The regulator cleared a partnership between A and B": the partners, not the regulator.
            alliance.participants = tuple(
                p for p in alliance.participants if p.role != "regulator" and not _is_regulator(p, incident)
            )
            if len(alliance.participants) < 2:
                alliance = None
        if incident is None:  # "These include an MoU with X": a deal of the party named just before
            alliance = listed_deal(info, context, lex, country_name, state.deal_source) or alliance
        if incident is None and (alliance is None or len(alliance.participants) < 2):
            # "The two partnered in ...": the pair the sentence before named.
            alliance = paired_alliance(info, context, lex, country_name) or alliance
        if context is not None and not lists_deals(context.text):
            state.deal_source = context  # the party of a later chain of listed deals (see `listed_deal`)
        if alliance is not None and alliance.name is None and ref is not None:
            alliance.name = state.alliance.name if state.alliance is not None else state.agreement
        if investment is not None and alliance is not None:
            recipients = [p for p in investment.participants if p.role == "recipient"]
            members = {
                (p.organisation_id, p.country_code if p.is_country else None) for p in alliance.participants
            }
            if not recipients or all(
                (p.organisation_id, p.country_code if p.is_country else None) in members and p.is_country
                for p in recipients
            ):
                # "X and Y formed an alliance with a $5bn investment": one alliance carrying the amount.
                facts.append(
                    self._alliance_mention(
                        {**base, "certainty": certainty_for(lex.alliance)},
                        alliance,
                        announced,
                        precision,
                        investment.money,
                    )
                )
                alliance = None
                investment = None
        if (
            investment is not None
            and investment.name is not None
            and investment.money is not None
            and re.search(
                r"\b(?:includ\w+|comprising|of\s+which)\b[^.;]{0,40}$", text[: investment.money.start]
            )
        ):
            investment = None  # "InvestAI includes a €20bn fund": a component, not the programme's size
        policies = self._policy_mentions(info, base, certainty_for, announced, precision, state)
        if context is not None and _AMONG.match(text) and self._lex.status_revoked.search(context.text):
            # "The order cancels dozens of executive actions. Among them is Executive Order 14110 ...":
            # the act named here is revoked, as the previous sentence says.
            previous_index = sentences.index(context.sentence)
            revoked_on, revoked_precision = self._choose_date(
                context, sentences, previous_index, info_for, published
            )
            for policy in list(policies):
                if policy.status == "revoked":
                    continue
                policies.append(
                    dataclasses.replace(
                        policy,
                        status="revoked",
                        announced_on=revoked_on,
                        date_precision=revoked_precision,
                        span_start=context.sentence.start,
                        sentence=document.text[context.sentence.start : info.sentence.end],
                    )
                )
        deals = clause_deals(info, investment, lex, country_name) if investment is not None else []
        for investment, deal_text in deals:
            name = investment.name
            if name is None and investment.kind == "government_programme":
                name = next((p.name for p in policies if p.subtype == "funding_programme"), None)
                name = name or programme_name(text)
            known_programme = self._known_by_name.get(name or "")
            dated = (announced, precision)
            if (
                known_programme is not None
                and known_programme.date
                and self._sentence_event_date(info) is None
            ):
                # "initiatives such as the $500 billion Stargate Project": the programme's own date, not the
                # date of the article that mentions it in passing.
                dated = (known_programme.date, "day")
            facts.append(
                investment_mention(
                    investment, deal_text, base, name, dated, lambda: certainty_for(lex.investment)
                )
            )
        for found_alliance, clause in self._alliances(info, alliance):
            own_date = self._pick(clause.dates) if clause is not info else None
            trigger = lex.alliance.search(clause.text)
            facts.append(
                self._alliance_mention(
                    {
                        **base,
                        "certainty": classify_certainty(clause.text, trigger.start() if trigger else None),
                    },
                    found_alliance,
                    own_date.date if own_date else announced,
                    own_date.precision if own_date else precision,
                    None,
                )
            )
        for found_incident, clause in self._incidents(info, incident):
            own_date = self._pick(clause.dates) if clause is not info else None
            trigger = lex.incident.search(clause.text)
            facts.append(
                FactMention(
                    fact_type="incident",
                    subtype=found_incident.incident_type,
                    announced_on=own_date.date if own_date else announced,
                    date_precision=own_date.precision if own_date else precision,
                    country_code=found_incident.country_code,
                    participants=found_incident.participants,
                    amount=found_incident.money.amount if found_incident.money else None,
                    currency=found_incident.money.currency if found_incident.money else None,
                    **{
                        **base,
                        "certainty": classify_certainty(clause.text, trigger.start() if trigger else None),
                    },
                )
            )
        facts.extend(policies)
        return facts

    def _policy_mentions(
        self, info, base, certainty_for, announced, precision, state: _DiscourseState
    ) -> list[FactMention]:
        mentions: list[FactMention] = []
        for policy in build_policies(
            info,
            self._lex,
            self._entities.country_name,
            self._issuer_for_us,
            self._known_by_key,
            home_country=lambda: self._home_country(state),
        ):
            date, date_precision = announced, precision
            if policy.status == "revoked" and not policy.promised:
                event_date = self._sentence_event_date(info)
                if event_date is not None:
                    date, date_precision = event_date
                elif policy.known_revoked_on is not None:
                    date, date_precision = policy.known_revoked_on, "day"
            if policy.status == "in_force" and policy.known_date is not None:
                # "The AI Act entered into force on 1 August 2024": the act's own date stays its adoption.
                date, date_precision = policy.known_date, "day"
            elif policy.status != "revoked":
                event_date = self._sentence_event_date(info)
                if (
                    event_date is not None
                    and policy.known_date is not None
                    and _PUBLICATION.search(info.text)
                ):
                    event_date = None  # "published in the Federal Register on 1 November": not its signing
                if event_date is not None:
                    date, date_precision = event_date
                elif policy.known_date is not None and policy.status != "proposed":
                    date, date_precision = policy.known_date, "day"
            if policy.stated_date is not None and policy.status != "revoked":
                # "the Data Law (2021)": the date its title carries is the act's own.
                own = policy.stated_date[0]
                known_same_year = policy.known_date is not None and policy.known_date.year == own.year
                date, date_precision = (policy.known_date, "day") if known_same_year else policy.stated_date
            mentions.append(
                FactMention(
                    fact_type="policy",
                    subtype=policy.instrument_type,
                    name=policy.name,
                    announced_on=date,
                    date_precision=date_precision,
                    country_code=policy.country_code,
                    status=policy.status,
                    participants=policy.participants,
                    external_ids=policy.external_ids,
                    **{
                        **base,
                        "certainty": "forecast"
                        if policy.promised
                        # "as laid out in the 2023 Skills Plan, ministers will ...": the plan exists.
                        else "reported"
                        if policy.established
                        else certainty_for(self._lex.policy),
                    },
                )
            )
        return mentions

    def _incidents(self, info: SentenceInfo, incident) -> list[tuple[object, SentenceInfo]]:
        """The sentence's incident, or one per clause when its clauses each state one (see `clauses`); a
        probe or fine may also state the failure or misuse behind it (see `consequent_incidents`)."""
        if incident is None:
            return []
        found = self._clause_incidents(info, incident)
        if len(found) == 1:
            found = self._relative_incidents(info) or found
        if len(found) == 1:
            found.extend((extra, info) for extra in consequent_incidents(incident, info.text, self._lex))
        return found

    def _relative_incidents(self, info: SentenceInfo) -> list[tuple[object, SentenceInfo]]:
        """Two incidents when a relative clause tells a past one of the same actor (see
        `relative_clause_parts`); each keeps only its own parties and dates."""
        parts = relative_clause_parts(info)
        if parts is None:
            return []
        found = []
        for part in parts:
            own = build_incident(part, self._lex, self._entities.country_name)
            if own is None or not any(p.role != "regulator" for p in own.participants):
                return []
            found.append((own, part))
        return found

    def _clause_incidents(self, info: SentenceInfo, incident) -> list[tuple[object, SentenceInfo]]:
        spans = event_clause_spans(info)
        if len(spans) >= 2:
            found = []
            for start, end in spans:
                clause = clause_info(info, start, end)
                own = build_incident(clause, self._lex, self._entities.country_name)
                if (
                    own is None
                    and found
                    and (_PRONOUN_ACTION.search(clause.text) or _UNDER_REVIEW.search(clause.text))
                ):
                    own = self._continued_incident(clause, found[-1][0])
                if own is not None and own.participants:
                    found.append((own, clause))
            if len(found) >= 2:
                return found
        return [(incident, info)]

    def _alliances(
        self, info: SentenceInfo, alliance: AllianceSlots | None
    ) -> list[tuple[AllianceSlots, SentenceInfo]]:
        """The sentence's alliance, or one per clause: "Mistral AI signed a deal with AFP in January, and on
        Monday it announced a partnership with Helsing" states two, "it" being the first clause's party."""
        if alliance is None:
            return []
        spans = alliance_clause_spans(info)
        if len(spans) >= 2:
            found: list[tuple[AllianceSlots, SentenceInfo]] = []
            for start, end in spans:
                clause = clause_info(info, start, end)
                own = build_alliance(clause, self._lex, self._entities.country_name, require_members=False)
                if own is None or self._lex.alliance.search(clause.text) is None:
                    continue
                if found and len(own.participants) == 1 and _PRONOUN_SUBJECT.search(clause.text):
                    subject = found[-1][0].participants[0]
                    own.participants = dedupe((subject, *own.participants))
                if len(own.participants) >= 2:
                    found.append((own, clause))
            if len(found) >= 2:
                return found
        return [(slots, info) for slots in bilateral(alliance)]

    def _continued_incident(self, clause: SentenceInfo, previous) -> IncidentSlots | None:
        """ "... fined OpenAI in 2023; on Tuesday it opened a probe into DeepSeek": "it" is the regulator of
        the clause before, and the organisations this clause names are the subjects."""
        regulators = [p for p in previous.participants if p.role == "regulator"]
        kind = incident_type(clause.text, self._lex, bool(regulators))
        subjects = [
            participant(e, "subject")
            for e in clause.entities
            if not e.is_country and not is_government(e) and not is_modifier(clause.text, e, clause.entities)
        ]
        if kind is None or not regulators or not subjects:
            return None
        return IncidentSlots(kind, dedupe((*regulators, *subjects)), previous.country_code)

    def _alliance_mention(self, base, alliance: AllianceSlots, announced, precision, money) -> FactMention:
        return FactMention(
            fact_type="alliance",
            name=alliance.name,
            announced_on=announced,
            date_precision=precision,
            country_code=alliance.country_code,
            amount=money.amount if money else None,
            currency=money.currency if money else None,
            is_upper_bound=money.is_upper_bound if money else False,
            focus_areas=alliance.focus_areas,
            participants=alliance.participants,
            **base,
        )

    # ------------------------------------------------------------------ dates
    @staticmethod
    def _pick(dates: list[DateMention]) -> DateMention | None:
        usable = [d for d in dates if not d.is_target]
        if not usable:
            return None
        events = [d for d in usable if d.is_event]
        pool = events or usable
        # "Earlier this month, on 7 March": the more precise statement wins, then the earlier one.
        rank = {"day": 0, "month": 1, "year": 2}
        return min(pool, key=lambda d: (rank.get(d.precision, 3), d.is_relative, d.start))

    def _sentence_event_date(self, info: SentenceInfo):
        chosen = self._pick(info.dates)
        if chosen is None:
            return None
        return chosen.date, chosen.precision

    def _choose_date(self, info, sentences, index, info_for, published):
        chosen = self._pick(info.dates)
        if chosen is not None:
            return chosen.date, chosen.precision
        paragraph = sentences[index].paragraph
        # Nearest stated date earlier in the same paragraph (a later sentence often moves to another
        # event: "The episode recalled the March 2023 leak ...").
        for other in range(index - 1, max(-1, index - 8), -1):
            if sentences[other].paragraph != paragraph:
                break
            if sentences[other].is_heading:
                continue
            picked = self._pick(info_for(other).dates)
            if picked is not None:
                return picked.date, picked.precision
        if published is not None:
            return published, "day"
        return None, None


@dataclasses.dataclass
class _DiscourseState:
    """What later sentences of a document may refer back to, and the mentions emitted so far."""

    text: str
    mentions: list[FactMention] = dataclasses.field(default_factory=list)
    previous_index: int | None = None
    investment: FactMention | None = None
    investment_index: int = -1
    last_investment: FactMention | None = None
    investment_emitted: bool = False
    alliance: FactMention | None = None
    alliance_index: int = -1
    incident: FactMention | None = None
    incident_index: int = -1
    agreement: str | None = None  # the latest declaration or alliance named, for "The signatories ..."
    agreement_index: int = -1
    # The sentence whose single party a list of deals ("These include an MoU with X") belongs to.
    deal_source: SentenceInfo | None = None
    # The country the page is mostly about, found on first need (see `RuleBasedExtractor._home_country`).
    home: list[str | None] = dataclasses.field(default_factory=list)

    # How many sentences later "the venture" / "this collaboration" may still refer back.
    window: int = 3

    def expire(self, index: int) -> None:
        if self.investment is not None and index - self.investment_index > self.window:
            self.investment = None
        if self.alliance is not None and index - self.alliance_index > self.window:
            self.alliance = None
        if self.incident is not None and index - self.incident_index > self.window:
            self.incident = None
        if self.agreement is not None and index - self.agreement_index > self.window:
            self.agreement = None

    def add_investment(self, fact: FactMention, index: int, emit: bool) -> None:
        self.investment, self.investment_index, self.investment_emitted = fact, index, emit
        self.last_investment = fact
        if emit:
            self.mentions.append(fact)

    def add_incident(self, fact: FactMention, index: int) -> None:
        self.incident, self.incident_index = fact, index
        self.mentions.append(fact)

    def add_alliance(self, fact: FactMention, index: int) -> None:
        self.alliance, self.alliance_index = fact, index
        self.mentions.append(fact)

    def replace(self, old: FactMention, new: FactMention, index: int, keep_if=None) -> None:
        """Swap an open fact for its completed version (emitting a held investment once complete)."""
        if old is self.investment:
            if self.investment_emitted:
                self.mentions[self.mentions.index(old)] = new
            elif keep_if is not None and keep_if(new):
                self.mentions.append(new)
                self.investment_emitted = True
            self.investment, self.investment_index = new, index
            self.last_investment = new
        elif old is self.alliance:
            self.mentions[self.mentions.index(old)] = new
            self.alliance, self.alliance_index = new, index
        elif old is self.incident:
            self.mentions[self.mentions.index(old)] = new
            self.incident, self.incident_index = new, index
