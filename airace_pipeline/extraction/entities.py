"""Who a sentence talks about: gazetteer organisations, unknown organisation-like phrases and countries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from airace_pipeline.extraction.lexicons import HANDOVER_VERBS
from airace_pipeline.reference.countries import CountryMatcher, all_countries, is_demonym
from airace_pipeline.reference.organisations import Organisation
from airace_pipeline.reference.patterns import literal_union

_ORG_SUFFIXES = (
    "Inc.",
    "Inc",
    "Corp.",
    "Corp",
    "Corporation",
    "Ltd",
    "Ltd.",
    "Limited",
    "LLC",
    "PLC",
    "plc",
    "GmbH",
    "SA",
    "AG",
    "SE",
    "AI",
    "Labs",
    "Lab",
    "Group",
    "Capital",
    "Ventures",
    "Partners",
    "Technologies",
    "Technology",
    "Holdings",
    "Systems",
    "Robotics",
    "Semiconductor",
    "Semiconductors",
    "Intelligence",
    "Networks",
    "Bank",
    "Fund",
    "Foundation",
    "Institute",
    "University",
    "Investments",
    "Industries",
    "Motors",
    "Electronics",
    "Authority",
    "Agency",
    "Ministry",
    "Commission",
    "Administration",
    "Association",
    "Guild",
    "Council",
    "Office",
    "Company",
    "Capital",
    # Common last words of company names in funding news (names the gazetteer cannot list ahead).
    "Analytics",
    "Associates",
    "Therapeutics",
    "Biosciences",
    "Dynamics",
    "Software",
    "Solutions",
    "Computing",
    "Aerospace",
)
# Legal and sector endings as a set: a name that only adds one to a known organisation is that organisation.
ORG_SUFFIXES = frozenset(_ORG_SUFFIXES) | {"Co.", "Co", "Corp", "Incorporated", "Platforms", "Investment"}
# Capitalised words that start sentences or name things but never begin an organisation's name.
_NOT_NAME_START = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "By",
    "For",
    "With",
    "From",
    "Its",
    "Their",
    "His",
    "Her",
    "Our",
    "We",
    "It",
    "They",
    "He",
    "She",
    "As",
    "And",
    "But",
    "Or",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Under",
    "Last",
    "Next",
    "New",
    "Both",
    "Each",
    "Every",
    "Some",
    "Many",
    "Most",
    "Several",
    "Other",
    "Meanwhile",
    "However",
    "Also",
    "Since",
    "Such",
    "Generative",
    "Artificial",
    "Open",
    "Frontier",
    "Chinese",
    "American",
    "European",
    "British",
    "Japanese",
    "Korean",
    "Indian",
    "French",
    "German",
    "Saudi",
    "Emirati",
    "US",
    "U.S.",
    "UK",
    "EU",
    "China",
    "Japan",
    "Korea",
    "India",
    "Former",
    "President",
    "Prime",
    "Minister",
    "Secretary",
    "Chief",
    "CEO",
    "Founder",
    "Co-founder",
    "According",
    "Why",
    "How",
    "What",
    "Who",
    "Where",
    "Which",
    "National",
    "Global",
    "International",
    "Federal",
    "State",
}
# Capitalised words that are not names in a verb's argument slot (sentence openers, titles, dates).
_NOT_ARGUMENT = {
    "It",
    "He",
    "She",
    "They",
    "We",
    "Separately",
    "Meanwhile",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "President",
    "Governor",
    "Minister",
    "Chancellor",
    "Prime",
    "Chief",
    "CEO",
    "Also",
    "Last",
    "Earlier",
    "Later",
    "Today",
    "Yesterday",
    "AI",
    # Currency codes after an amount ("$800 million USD invested"): money, never a party.
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "SGD",
    "CNY",
    "RMB",
    "JPY",
    "KRW",
    "INR",
    "HKD",
    "CHF",
}
_OWNER_SURNAME = re.compile(r"\s+[A-Z][\w-]*’s\b")
# " and France" closing a public body's name when "’s" follows: the owner of the next party, not the name.
_AND_OWNER = re.compile(r"\s+and\s+[A-Z][\w-]*$")
# A participle opening an appositive that describes the name before it: "X, founded by ..., raised".
DESCRIBING_PARTICIPLE = (
    r"(?:founded|co-founded|based|headquartered|backed|owned|created|launched|started|spun|run|led)"
)
# "Paris-based Quorvia": where a company sits describes it and is no part of its name.
_LOCATIVE = re.compile(r"[A-Z][\w.-]*-(?:based|headquartered|born|founded)")
# When a reporting verb was used: "said Tuesday it raised", "announced on Monday that it closed".
_WHEN = (
    r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|"
    r"this\s+week|last\s+week)"
)
_PERIOD_NAME = re.compile(r"(?:Q[1-4]|H[12]|FY\s?\d{2,4})(?:\s+\d{4})?")
_CAPITAL_WORD = r"(?:[A-Z][\w&'.-]*|[0-9][\w.-]*[A-Za-z][\w.-]*)"


@dataclass(frozen=True)
class EntityMention:
    """A named participant candidate in a sentence, with offsets relative to the sentence."""

    start: int
    end: int
    name: str
    organisation_id: str | None
    country_code: str | None
    is_country: bool
    kind: str | None = None


class EntityMatcher:
    """Gazetteer, unknown-organisation and country recognition; compiled once per extractor."""

    def __init__(self, organisations: Sequence[Organisation]) -> None:
        self._by_form: dict[str, Organisation] = {}
        for org in organisations:
            for form in org.surface_forms:
                self._by_form.setdefault(form, org)
        self._org_pattern = re.compile(
            r"(?<![\w])(?:" + literal_union(self._by_form) + r")(?![\w]|\.\w|-\w|'(?!s\b)\w|’(?!s\b)\w)"
        )
        suffixes = literal_union(_ORG_SUFFIXES)
        self._candidate_pattern = re.compile(
            rf"(?<![\w.])(?P<name>(?:{_CAPITAL_WORD}\s+){{1,3}}(?:{suffixes}))(?![\w])"
        )
        # "the startup World Labs", "chip designer Sophgo": a role noun introduces an unknown name.
        self._appositive_pattern = re.compile(
            r"\b(?:startup|start-up|company|firm|developer|designer|maker|chipmaker|lab|unicorn|rival|"
            r"group|investor|subsidiary|platform|venture\s+capital\s+firm|consultancy|operator|generators?|"
            r"provider|app|chatbot)\s+"
            r"(?P<name>(?:[A-Z]|\d+[a-z])[\w&.'-]*(?:[ \t]+[A-Z][\w&.'-]*){0,2})(?=[\s,.;:)]|$)"
        )
        # "MosaicML, a generative AI startup": a name described by the appositive that follows it.
        self._described_pattern = re.compile(
            r"(?<![\w.])(?P<name>[A-Z][\w:.&'-]*[\w](?:\s+[A-Z][\w:.&'-]*[\w]){0,2}),\s+(?:a|an)\s+"
            r"(?:[\w-]+\s+){0,5}?(?:startup|start-up|company|firm|developer|maker|provider|lab|chipmaker|"
            r"designer)\b"
        )
        # Unknown names in the argument slots of a deal verb: "ServiceNow has agreed to acquire Moveworks",
        # "Thomson Reuters will buy ...", "... filed a lawsuit against Udio". One to three capitalised words.
        # A name may start with digits ("54gene", "4Paradigm").
        name = r"(?P<name>(?:[A-Z]|\d+[A-Za-z])[\w&.'-]*[\w](?:\s+[A-Z][\w&.'-]*[\w]){0,2})"
        # "X, which builds ..., announced", "X said it raised": the subject stays the actor across a
        # relative clause or appositive and a reporting verb.
        self._subject_pattern = re.compile(
            rf"(?<![\w.]){name}(?:,\s+(?:a|an|the|which|who|that|{DESCRIBING_PARTICIPLE})\b[^,;]{{0,160}},"
            # "X – a robotics startup founded in 2019 – received": the same appositive set off by dashes.
            r"|\s+[–—-]\s+(?:a|an|the)\s[^–—;:()]{1,120}?\s[–—-])?\s+"
            rf"(?:{_WHEN}\s+)?"
            rf"(?:(?:said|says|announced|confirmed)(?:\s+{_WHEN})?\s+(?:that\s+)?it\s+)?"
            r"(?:has\s+|have\s+|had\s+|will\s+|is\s+|was\s+)?(?:agreed\s+to\s+|"
            r"(?:also\s+)?)(?:(?:acquire[sd]?|buys?|buying|bought|raised|raises|secured|closed|invest(?:s|ed)?|"
            r"sued|pulled\s+in|brought\s+in|landed|bagged|completed|(?:set\s+to\s+)?receive[sd]?|"
            # Passive only: "X was fined"; the one who fines is a known regulator or no company at all.
            r"(?:(?<=was\s)|(?<=were\s)|(?:been|being)\s+)(?:fined|banned|charged|ordered))\b|"
            r"announced\s+(?:a|an|its)?\s*"
            r"(?:[\w-]+\s+){0,2}?(?:[$€£¥₹]|series\b|seed\b|funding\b|financing\b))"
        )
        # "Constellation Energy and Microsoft signed ...": unknown names coordinated as a joint subject.
        self._joint_subject_pattern = re.compile(
            rf"(?<![\w.]){name}\s+and\s+(?P<other>[A-Z][\w&.'-]*[\w](?:\s+[A-Z][\w&.'-]*[\w]){{0,2}})\s+"
            r"(?:have\s+|has\s+|are\s+|will\s+|also\s+)?(?:announced|signed|agreed|formed|launched|expanded|"
            r"teamed|struck|sealed|working|partnered|extended|deepened)\b"
        )
        # "Brimstone's $66 million Series C": the owner of a lettered or seed round is a company.
        self._round_owner_pattern = re.compile(
            rf"(?<![\w.]){name}(?:'s|’s)\s+(?:(?:latest|new|recent|oversubscribed)\s+)?"
            r"(?:(?:US|C|A)?[$€£¥₹₩]\s?\d[\d.,]*\s*(?:million|billion|bn|mn|m)?\s+)?"
            r"(?:Series\s+[A-J]|[Ss]eed|[Pp]re-[Ss]eed)\b"
        )
        self._object_pattern = re.compile(
            r"\b(?:acquire[sd]?|acquiring|buy|buys|buying|bought|sued|invest(?:s|ed|ing)?\s+in|stake\s+in|"
            r"round\s+in|fined|ordered|banned|charged|penali[sz]ed|"
            rf"against|into|(?:deal|agreement|partnership|pact)\s+with)\s+{name}(?=[\s,.;:)]|$)"
        )
        # "will provide 90 million euros to Quantiq", "allocate 45 billion yen for Korvena": the party an
        # amount is handed to, after a verb that hands money over.
        self._beneficiary_pattern = re.compile(
            rf"\b(?:{HANDOVER_VERBS}|grant|award)\w*"
            r"\s+[^.;]{0,40}?\d[\d.,]*\s*(?:million|billion|trillion|bn|mn|m|crore|lakh)?\s*"
            r"(?:[a-z]+\s+)?(?:in\s+(?:[\w-]+\s+){0,2})?(?:to|for)\s+(?:the\s+)?"
            rf"{name}(?=[\s,.;:)]|$)"
        )
        # "the California Department of Motor Vehicles", "the National Transportation Safety Board": public
        # bodies named by their function, which end in no company suffix.
        self._public_body_pattern = re.compile(
            r"(?<![\w.])(?P<name>(?:[A-Z][\w-]*\s+){0,3}(?:Department|Ministry|Bureau)\s+(?:of|for)\s+"
            r"(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){0,3}|(?:[A-Z][\w-]*\s+){1,4}Board)(?![\w])"
        )
        # "the University of Tsukuba", "the Institute for Research in Computer Science": research bodies named
        # by their head word first, which end in no suffix the candidate pattern knows.
        self._research_body_pattern = re.compile(
            r"(?<![\w.])(?P<name>(?:[A-Z][\w-]*\s+){0,2}(?:University|Institute|Academy|Centre|Center)\s+"
            r"(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+|in\s+|(?:of|for|on)\s+(?:the\s+)?)?"
            r"(?!(?:University|Institute|Academy|Centre|Center)\b)[A-Z][\w-]*){0,5})"
            r"(?![\w])(?P<short>\s*\([^()]{2,12}\))?"
        )
        self._countries = CountryMatcher()
        self._country_names = {country.country_code: country.name for country in all_countries()}
        self._organisations = {org.organisation_id: org for org in organisations}

    @property
    def countries(self) -> CountryMatcher:
        return self._countries

    def organisation(self, organisation_id: str) -> Organisation | None:
        return self._organisations.get(organisation_id)

    def country_name(self, code: str) -> str:
        return self._country_names.get(code, code)

    def find(self, sentence: str, local_names: tuple[str, ...] = ()) -> list[EntityMention]:
        """Organisations first (longest wins), then unknown suffixed names, then countries, no overlaps.

        `local_names` are unknown organisations already seen in the same document.
        """
        mentions: list[EntityMention] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return not any(start < b and a < end for a, b in taken)

        for name in local_names:
            for match in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w]|-\w)", sentence):
                if free(*match.span()):
                    mentions.append(EntityMention(match.start(), match.end(), name, None, None, False, None))
                    taken.append(match.span())

        for match in self._org_pattern.finditer(sentence):
            org = self._by_form[match.group()]
            mentions.append(
                EntityMention(
                    match.start(),
                    match.end(),
                    match.group(),
                    org.organisation_id,
                    org.country_code,
                    False,
                    org.kind,
                )
            )
            taken.append(match.span())
        for match in self._candidate_pattern.finditer(sentence):
            start, end = match.span("name")
            words = match.group("name").split()
            while words and (
                words[0] in _NOT_NAME_START
                or words[0].endswith("'s")
                or is_demonym(words[0])
                or _LOCATIVE.fullmatch(words[0])
            ):
                start += len(words[0]) + 1
                start = _skip_space(sentence, start)
                words = words[1:]
            if len(words) < 2 or not free(start, end):
                continue
            if re.match(r"\s+[A-Z]", sentence[end : end + 2]) or _inside_quotes(sentence, start):
                continue  # "Advance AI Governance", a quoted title
            name = sentence[start:end]
            mentions.append(EntityMention(start, end, name, None, None, False, None))
            taken.append((start, end))
        for match in self._public_body_pattern.finditer(sentence):
            start, end = match.span("name")
            words = match.group("name").split()
            while words and words[0] in _NOT_NAME_START and words[0] not in ("National", "Federal", "State"):
                start = _skip_space(sentence, start + len(words[0]))
                words = words[1:]
            owner = _AND_OWNER.search(sentence, start, end)
            if owner is not None and sentence.startswith(("'s", "’s"), end):
                end = owner.start()  # "A's Department of Science and France's institute": the partner's owner
            if len(words) < 2 or not free(start, end):
                continue
            mentions.append(EntityMention(start, end, sentence[start:end], None, None, False, None))
            taken.append((start, end))
        for match in self._research_body_pattern.finditer(sentence):
            start, end = match.span("name")
            if match.group("short") and not free(*match.span("short")):
                # "... Automation (INRIA)": the known short form after it names the body, and no fragment of
                # the long form is another party.
                taken.append(match.span("name"))
                continue
            words = match.group("name").split()
            while words[0] in _NOT_NAME_START and words[0] not in ("National", "Federal", "State"):
                start = _skip_space(sentence, start + len(words[0]))
                words = words[1:]
            if not free(start, end):
                continue
            mentions.append(EntityMention(start, end, sentence[start:end], None, None, False, None))
            taken.append((start, end))
        for match in self._described_pattern.finditer(sentence):
            start, end = match.span("name")
            name = match.group("name")
            if not free(start, end) or name.split()[0] in _NOT_NAME_START or self._countries.find(name):
                continue
            mentions.append(EntityMention(start, end, name, None, None, False, None))
            taken.append((start, end))
        for match in self._appositive_pattern.finditer(sentence):
            start, end = match.span("name")
            name = match.group("name").rstrip(".")
            end = start + len(name)
            if not free(start, end) or name.split()[0] in _NOT_NAME_START or self._countries.find(name):
                continue
            mentions.append(EntityMention(start, end, name, None, None, False, None))
            taken.append((start, end))
        arguments = [
            (*match.span(group), match.group(group))
            for pattern in (
                self._subject_pattern,
                self._object_pattern,
                self._beneficiary_pattern,
                self._joint_subject_pattern,
                self._round_owner_pattern,
            )
            for match in pattern.finditer(sentence)
            for group in ("name", "other")
            if group in pattern.groupindex
        ]
        for start, end, name in arguments:
            words = name.split()
            while words and (
                words[0] in _NOT_NAME_START or words[0] in _NOT_ARGUMENT or _LOCATIVE.fullmatch(words[0])
            ):
                start = _skip_space(sentence, start + len(words[0]))
                words = words[1:]
            if not words or not free(start, end) or _is_country_name(self._countries, sentence[start:end]):
                continue
            if any(w in _NOT_ARGUMENT and w != "AI" for w in words) or words[-1].endswith(("'s", "’s")):
                continue
            if _PERIOD_NAME.fullmatch(sentence[start:end]):
                continue  # "invested in Q2": a quarter, not a company
            if _OWNER_SURNAME.match(sentence, end):
                continue  # "against Jane Roe’s company": a person's first name, the owner of the object
            mentions.append(EntityMention(start, end, sentence[start:end], None, None, False, None))
            taken.append((start, end))
        for start, end, code in self._countries.find(sentence):
            if not free(start, end):
                continue
            mentions.append(EntityMention(start, end, sentence[start:end], None, code, True, "country"))
            taken.append((start, end))
        mentions.sort(key=lambda mention: mention.start)
        return mentions


def _is_country_name(countries: CountryMatcher, name: str) -> bool:
    """The whole name is a country ("France"), not a name containing one ("Agence France-Presse")."""
    return any(start == 0 and end == len(name) for start, end, _ in countries.find(name))


def _inside_quotes(text: str, index: int) -> bool:
    before = text[:index]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index
