"""Several deals in one sentence: "Moore Threads raised 2.5 billion yuan, while Biren closed 1.5 billion".

The investment builder reads one deal per sentence. A sentence that lists several (a funding round-up,
"X raised $A; separately, Y secured $B, and Z closed $C") is cut at clause breaks into clauses that each
state an amount, and each clause is read on its own. The cut is only used when at least two clauses yield
a deal with its own recipient, so an ordinary sentence with a valuation or a second figure is untouched.
"""

from __future__ import annotations

import dataclasses
import itertools

from airace_pipeline.extraction.analysis import SentenceInfo
from airace_pipeline.reference.patterns import lazy_compile

# Where one deal's clause may end and another's begin. A candidate cut that leaves a clause without an
# amount is undone ("led by A, B and C" stays whole).
_CLAUSE_BREAK = lazy_compile(
    r";\s+|:\s+(?=[A-Z])|,\s+(?:while|whereas)\s+|,\s+(?:and\s+)?(?:separately|meanwhile),?\s+|"
    r",\s+and\s+|,\s+(?=[A-Z])"
)


def clause_spans(info: SentenceInfo) -> list[tuple[int, int]]:
    """[start, end) spans of the sentence's clauses that each hold at least one amount (or one span)."""
    text = info.text
    if len(info.moneys) < 2:
        return [(0, len(text))]
    cuts = [0]
    for match in _CLAUSE_BREAK.finditer(text):
        cuts.append(match.end())
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    for start, end in itertools.pairwise(cuts):
        has_money = any(start <= m.start < end for m in info.moneys)
        if spans and not has_money:
            spans[-1] = (spans[-1][0], end)
        elif spans and not any(spans[-1][0] <= m.start < spans[-1][1] for m in info.moneys):
            spans[-1] = (spans[-1][0], end)  # a lead-in without an amount ("Three big cheques:") joins
        else:
            spans.append((start, end))
    return spans


_EVENT_BREAK = lazy_compile(r";\s+|,\s+(?:and|while|whereas)\s+|:\s+(?=[A-Z])")


def event_clause_spans(info: SentenceInfo) -> list[tuple[int, int]]:
    """Clauses joined by "; ", ", and ", ", while ": "Italy's Garante fined Luka €5 million, and the Dutch
    authority opened an inquiry into Microsoft" states two incidents. The caller keeps the cut only when
    each clause reads as an event of its own."""
    cuts = [0, *(m.end() for m in _EVENT_BREAK.finditer(info.text)), len(info.text)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


# "A and B signed an MoU in July 2023 and in September 2022, C and B collaborated": a new dated clause
# opens a second alliance even without a comma before "and".
_DATED_CLAUSE_BREAK = lazy_compile(
    r"\s+and\s+(?=(?:in|on|since)\s+(?:(?:early|late|mid-?)\s*)?(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December|\d{4})\b[^,]{0,20},)"
)


def alliance_clause_spans(info: SentenceInfo) -> list[tuple[int, int]]:
    """The event clauses of a sentence (`event_clause_spans`), also cut before a dated "and in <date>,"."""
    cuts = {0, len(info.text), *(m.end() for m in _EVENT_BREAK.finditer(info.text))}
    cuts.update(m.end() for m in _DATED_CLAUSE_BREAK.finditer(info.text))
    ordered = sorted(cuts)
    return [(a, b) for a, b in itertools.pairwise(ordered) if b > a]


def clause_info(info: SentenceInfo, start: int, end: int) -> SentenceInfo:
    """The part of `info` in [start, end), with every mention's offsets made relative to the clause."""
    sentence = info.sentence
    clause = dataclasses.replace(
        sentence, start=sentence.start + start, end=sentence.start + end, text=sentence.text[start:end]
    )

    def inside(items: list) -> list:
        return [
            dataclasses.replace(item, start=item.start - start, end=item.end - start)
            for item in items
            if start <= item.start and item.end <= end
        ]

    return SentenceInfo(
        sentence=clause,
        entities=inside(info.entities),
        moneys=inside(info.moneys),
        dates=inside(info.dates),
        known=inside(info.known),
        published_on=info.published_on,
    )


# Member lists of an alliance: "members include A, B and C", "a partnership between A, <appositive>, and
# B", "A, B, and C announced ...". The gazetteer cannot know every member (research centres, banks, state
# bodies), so the list's shape names them: capitalised items joined by commas and "and".
_LIST_CUE = lazy_compile(
    r"\b(?:including|includes?|included|such\s+as|among\s+them|members?\s+(?:are|were)|"
    r"(?:partnerships?|alliances?|agreements?|ventures?|MoUs?|memorand(?:um|a)(?:\s+of\s+\w+)?|"
    r"collaborations?|cooperation|pacts?|deals?)\s+(?:(?:signed|announced|was|is)\s+){0,2}(?:with|between)|"
    r"(?:[a-z]{3,}ed|struck)\s+(?:\w+ly\s+)?(?:by|between)|led\s+by|(?:and|with)\s+partners|partners\s+(?:are|were))\s+"
)
_NAME_WORD = r"(?:[A-Z][\w&.-]*[\w&]|[A-Z]|\d+\w*[A-Za-z][\w-]*)"
# An item: an optional article and up to three descriptor words ("sovereign wealth fund", "AI firm"), then
# the name, a legal abbreviation's full stop ("Co.") and a parenthesised short form ("(UKRI)").
_DESCRIPTOR = r"(?:(?!(?:and|or|for|of|to|in|by|with|on|at|from|the|a|an|its|their)\s)[a-z][a-z-]+|AI)\s+"
_LIST_ITEM = lazy_compile(
    rf"(?:[Tt]he\s+)?(?:{_DESCRIPTOR}){{0,3}}?(?!AI\s+[a-z])(?P<name>{_NAME_WORD}"
    rf"(?:(?:\s+(?:of|for|de)\s+(?:the\s+)?|\s+){_NAME_WORD}){{0,5}}(?:(?:(?<=Co)|(?<=Inc)|(?<=Corp)|(?<=Ltd))\.)?)"
    r"(?:\s+\([^()]{1,30}\))?"
)
_LIST_GLUE = lazy_compile(
    r"(?:,\s+(?:(?:a|an|the)\s+[^,;()]{1,60},\s+)?(?:and\s+|&\s+)?|\s+and\s+|\s+&\s+|\s+as\s+well\s+as\s+)"
)
# An item must not run into a possessive ("OpenAI's data centres") or into the end of a cut-off text.
_LIST_END = lazy_compile(r"(?!['’]s\b|$)")
# Capitalised words that open a list item but are no member: months, days, titles, pronouns.
_NOT_MEMBER = frozenset(
    {
        "The", "A", "An", "This", "That", "It", "They", "We", "He", "She", "In", "On", "At", "By", "For",
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "President", "Prime", "Minister", "Chancellor", "Secretary", "CEO", "Chief", "Mr", "Ms", "Dr",
    }
)  # fmt: skip


# A name joined by "and" is one body when an acronym of its initials follows it.
_AND_ACRONYM = lazy_compile(
    rf"\s+and\s+(?P<rest>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s+\((?P<acronym>[A-Z]{{3,}})\)"
)
# Items naming the instrument, not a member ("sign the Seoul Declaration and ...").
_INSTRUMENTS = frozenset(
    {"Declaration", "Alliance", "Partnership", "Forum", "Initiative", "Pact", "Accord", "Agreement", "Statement",
     "Summit", "Act", "Report", "Programme", "Program", "Project", "Treaty", "Convention", "Charter"}
)  # fmt: skip
# A listed person ("President Lula", "CEO Sam Altman") is no member organisation.
_TITLES = frozenset({"President", "Minister", "Prime", "Chancellor", "Secretary", "CEO", "Premier", "King"})


def member_list_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of every listed member name (see `member_lists`)."""
    return [span for group in member_lists(text) for span in group]


def member_lists(text: str) -> list[list[tuple[int, int]]]:
    """The name spans of each list of at least two names after a member cue, and of each list of names
    that is the subject of an alliance verb ("A, B and C signed").

    Items are read one by one and the list stops at the first thing that is not a capitalised name, so
    a cue followed by prose ("with partners to advance ...") yields nothing."""
    groups = [_list_at(text, cue.end()) for cue in _LIST_CUE.finditer(text)]
    groups += [_subject_list(text, verb.start()) for verb in _SUBJECT_VERB.finditer(text)]
    return [group for group in groups if group]


# The verb after a subject list: "A, B, and C today announced", "A, B and C have signed".
_SUBJECT_VERB = lazy_compile(
    r"(?<=[\w)])\s+(?:(?:have|has|had|will|also|jointly|today|formally|officially|on\s+\w+)\s+){0,3}"
    r"(?:announced|signed|formed|launched|agreed|unveiled|established|founded|joined|created|teamed|partnered|"
    r"struck|sealed|inked|pledged|endorsed|collaborated|cooperated)\b"
)
# Where a subject list may start: the sentence's start or a comma, dash, colon or a dateline before it.
_LIST_START = lazy_compile(r"(?:^|[,:;—–-]\s+|\d\s+|\)\s+)(?=[A-Z0-9])")


def _subject_list(text: str, verb_start: int) -> list[tuple[int, int]]:
    """The longest list of two or more names ending right before the verb at `verb_start`."""
    window = max(0, verb_start - 200)
    for start in _LIST_START.finditer(text, window, verb_start):
        items = _list_at(text, start.end())
        if len(items) >= 2 and _SHORT_FORM.fullmatch(text, items[-1][1], verb_start):
            return items
    return []


# Between the last name of a subject list and its verb: nothing, or a short form "(UK)".
_SHORT_FORM = lazy_compile(r"(?:\s*\([^()]{1,30}\))?")
_POSSESSIVE = lazy_compile(r"['’]s\b")
_LAST_GLUE = lazy_compile(r"\band\s*$|&\s*$|\bas\s+well\s+as\s*$")


def _list_at(text: str, index: int) -> list[tuple[int, int]]:
    """The names of the list starting at `index`, read item by item; [] unless it holds two or more."""
    items: list[tuple[int, int]] = []
    last = False
    while True:
        item = _LIST_ITEM.match(text, index)
        words = item.group("name").split() if item is not None else []
        if not words or words[0] in _NOT_MEMBER or _TITLES.intersection(words) or words[-1] in _INSTRUMENTS:
            break
        if _POSSESSIVE.search(item.group("name")) or _LIST_END.match(text, item.end()) is None:
            break
        end = item.end("name")
        joined = _AND_ACRONYM.match(text, end)
        if joined is not None and joined.group("acronym")[0] == words[0][0]:
            end = joined.end("rest")  # "Science Research and Innovation (SRI)": one body
        items.append((item.start("name"), end))
        if last:
            break
        glue = _LIST_GLUE.match(
            text, joined.end() if joined is not None and end > item.end("name") else item.end()
        )
        if glue is None:
            break
        # "A, B and C": the item after "and" is the last one.
        last = _LAST_GLUE.search(glue.group()) is not None
        index = glue.end()
    return items if len(items) >= 2 else []
