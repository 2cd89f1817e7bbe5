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
