"""Sentences of a document, with their offsets in the original text, minus boilerplate.

Cleaning never rewrites the text: a boilerplate line is simply not turned into sentences, so every span
we report still indexes `Document.text` directly (provenance must point at what the source said).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from airace_pipeline.reference.patterns import lazy_compile

# Lines that carry site furniture rather than content.
_BOILERPLATE_LINE = lazy_compile(
    r"""^\W*(?:
        subscribe\b|sign\s+up\b|sign\s+in\b|log\s*in\b|newsletter\b|advertisement\b|advert\b|sponsored\b|
        read\s+more\b|related\s+(?:stories|articles|coverage|reading|news|content)\b|related\s*:|more\s+from\b|
        share\s+(?:this|on)\b|follow\s+us\b|click\s+here\b|all\s+rights\s+reserved|copyright\b|©|
        we\s+use\s+cookies|this\s+(?:site|website)\s+uses\s+cookies|cookie|accept\s+(?:all\s+)?cookies|
        privacy\s+policy|terms\s+of\s+(?:use|service)|skip\s+to\b|back\s+to\s+top|
        (?:our\s+)?(?:partners|sponsors|supporters|clients|trusted\s+by)\s*:|
        (?:photo|image|credit|source|caption)\s*:|tags?\s*:|topics?\s*:|filed\s+under\b|
        you\s+might\s+also\s+like|recommended\b|trending\b|most\s+read\b|listen\s+to\s+this|
        download\s+(?:the|our)\s+app|watch\s*:|video\s*:|get\s+the\s+day's|advertis\w+|
        (?:read|see)\s+also\b|more\s+on\s+this\b|editor'?s\s+picks?\b|popular\s+now\b|up\s+next\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_COOKIE_OR_SUBSCRIBE = lazy_compile(
    r"\b(?:cookies?|subscribe|newsletter|unsubscribe|javascript|enable\s+js|your\s+browser|in\s+your\s+inbox|"
    r"all\s+rights\s+reserved|sign\s+up|log\s+in)\b|\[(?:accept|sign\s+up|subscribe|manage\s+settings|"
    r"read\s+more|share)[^\]]*\]",
    re.IGNORECASE,
)
# A header that introduces a block of links to other stories; the block ends at the next blank line.
_LINK_BLOCK_HEADER = lazy_compile(
    r"^\W*(?:related|read\s+more|more\s+from|more\s+stories|recommended|you\s+might\s+also\s+like|"
    r"most\s+read|trending|popular|see\s+also|read\s+also|editor'?s\s+picks?|latest\s+news|more\s+on)\b"
    r"[^.!?]{0,40}$",
    re.IGNORECASE,
)
_NAV_SEPARATORS = lazy_compile(r"\s[|•·»›/>]\s")
_WORD = lazy_compile(r"[A-Za-z][\w'&.-]*")
_SENTENCE_VERB_HINT = lazy_compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|said|says|announced|signed|raised|invest\w*|agreed|"
    r"launched|adopted|published|issued|fined|opened|filed|reported|plans?|led|made|took|set|became)\b",
    re.IGNORECASE,
)

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = (
    "U.S",
    "U.K",
    "U.N",
    "E.U",
    "U.S.A",
    "U.A.E",
    "D.C",
    "Inc",
    "Corp",
    "Co",
    "Ltd",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Prof",
    "Sen",
    "Rep",
    "Gov",
    "Gen",
    "Lt",
    "Col",
    "St",
    "Jr",
    "Sr",
    "No",
    "Nos",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "approx",
    "Art",
    "para",
    "Fig",
    "Vol",
    "Rs",
    "Mt",
    "Ave",
    "ca",
    "cf",
    "al",
    "Bros",
    "Pres",
    "Dept",
    "Est",
    "Rev",
    "Hon",
    "Sec",
)
_ABBREVIATION_END = lazy_compile(
    r"(?:(?<![\w.])(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")|(?<![\w.])[A-Z])$"
)
# A full stop followed by a space ends a sentence; so does one glued to the next sentence's first word
# ("artificial intelligence(AI).The government"), which page extraction leaves where markup stood.
_SENTENCE_END = lazy_compile(r"[.!?]+[\"'”’)\]*]*(?=\s+|$)|(?<=[a-z)])[.!?](?=[A-Z][a-z]+\s)")
_LINE = lazy_compile(r"[^\n]*\n?")
_BOLD_LABEL = lazy_compile(r"(?:\*\*|__)[^*_]{1,120}(?:\*\*|__)[.:]?")
_LIST_MARKER = lazy_compile(r"^\s*(?:[-*+•]|\d+[.)]|#{1,6})\s+")


@dataclass(frozen=True)
class Sentence:
    """A sentence's text and its [start, end) offsets in the document; `paragraph` groups sentences."""

    start: int
    end: int
    text: str
    paragraph: int
    is_heading: bool = False


def _normalised_line(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip().lower()


_AMOUNT_HINT = re.compile(r"[$€£¥₹₩]\s?\d")


def is_boilerplate_line(line: str) -> bool:
    """Say whether a single line is site furniture (navigation, cookie notice, logo list, promo)."""
    stripped = _LIST_MARKER.sub("", line.strip()).strip()
    if not stripped:
        return True
    if _BOILERPLATE_LINE.match(stripped):
        return True
    words = _WORD.findall(stripped)
    if len(_NAV_SEPARATORS.findall(" " + stripped + " ")) >= 2 and not _SENTENCE_VERB_HINT.search(stripped):
        return True  # "Home | World | Business | Tech"
    if len(words) <= 25 and _COOKIE_OR_SUBSCRIBE.search(stripped):
        return True
    if len(words) >= 4 and not re.search(r"[.,;:!?]", stripped.rstrip(".")):
        capitalised = sum(1 for word in words if word[0].isupper())
        # A run of capitalised names with no verb and no punctuation is a logo strip or a menu; a line
        # stating an amount is a round-up's deal line ("Acme — $5M Series A"), not furniture.
        if (
            capitalised == len(words)
            and not _SENTENCE_VERB_HINT.search(stripped)
            and not _AMOUNT_HINT.search(stripped)
        ):
            return True
    return False


_TITLE_LINE_MAX_WORDS = 20
# A line wrapped mid-sentence ends on a word that needs what follows.
_OPEN_ENDING = lazy_compile(
    r"(?:\b(?:a|an|the|of|in|to|for|with|by|at|on|and|or|but|from|as|its|their|his|her|that|which|"
    r"who|said|says|is|are|was|were|has|have|had|will|would|could|also|than|into|about|after|before)|"
    r"[,;:(\-–—&/])$",
    re.IGNORECASE,
)


def _is_title_line(line: str) -> bool:
    """A short line without closing punctuation that does not end mid-phrase: a headline, a byline, a
    label. Text wrapped at a fixed width ends its lines anywhere, mostly on words this rejects."""
    stripped = line.strip()
    if not stripped or stripped[-1] in ".!?\"'”’)]":
        return False
    return len(stripped.split()) <= _TITLE_LINE_MAX_WORDS and not _OPEN_ENDING.search(stripped)


def _is_sentence_line(line: str) -> bool:
    """A line that reads as a whole sentence: several words and a closing full stop, not a menu label."""
    stripped = line.strip()
    return len(stripped.split()) >= _SENTENCE_LINE_MIN_WORDS and stripped[-1:] in '.!?"”’'


_SENTENCE_LINE_MIN_WORDS = 8


def _repeated_lines(text: str) -> set[str]:
    """Lines (of a few words at least) that occur more than once: page furniture, not news."""
    counts = Counter(key for line in text.splitlines() if len(key := _normalised_line(line)) >= 12)
    return {line for line, count in counts.items() if count > 1}


def _split_block(text: str, start: int, end: int, paragraph: int, heading: bool) -> list[Sentence]:
    sentences: list[Sentence] = []
    cursor = start
    block = text[start:end]
    for match in _SENTENCE_END.finditer(block):
        stop = start + match.end()
        candidate_end = start + match.start()
        preceding = text[max(cursor, candidate_end - 12) : candidate_end]
        single_period = match.group().startswith(".") and len(match.group().rstrip("\"'”’)]")) == 1
        if single_period and _ABBREVIATION_END.search(preceding):
            following = text[stop : stop + 30].lstrip()
            if _continues_after_abbreviation(preceding, following):
                continue
        _append(sentences, text, cursor, stop, paragraph, heading)
        cursor = stop
    _append(sentences, text, cursor, end, paragraph, heading)
    return sentences


def _continues_after_abbreviation(preceding: str, following: str) -> bool:
    """ "U.S. officials" continues the sentence; "in the U.S. The next" starts a new one."""
    if not following or not following[0].isupper() or preceding.endswith(("Inc", "Corp", "Ltd")):
        return True
    if re.search(r"(?:Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Gen|No|St|vs|Art)$", preceding):
        return True
    if re.search(r"(?<![\w.])[A-Z]$", preceding) and not preceding.endswith(("U.S", "U.K", "E.U")):
        return True  # initials: "Jake S. Sullivan"
    # "U.S. Department of Commerce", "U.S. National Security Advisor"
    return preceding.endswith(("U.S", "U.K", "E.U", "U.N", "D.C")) and bool(
        re.match(r"(?:[A-Z][a-z]+\s+(?:of|and|for|to)\b|[A-Z][a-z]+\s+[A-Z])", following)
    )


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int, heading: bool) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= 3:
        body = text[start:end]
        # A bold run-in label ("**Japan and South Korea.**") titles what follows, like a heading.
        label = _BOLD_LABEL.fullmatch(body) is not None
        out.append(Sentence(start, end, body, paragraph, heading or label))


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into content sentences with exact offsets, skipping boilerplate lines.

    Markdown list items and headings are their own sentences; a blank line starts a new paragraph.
    """
    if not text:
        return []
    repeated = _repeated_lines(text)
    seen_repeats: set[str] = set()
    sentences: list[Sentence] = []
    paragraph = 0
    position = 0
    block_start: int | None = None
    block_end = 0
    last_line_start = 0
    in_link_block = False
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        line_start, line_end = match.start(), match.end()
        content = line.rstrip("\n")
        if not content.strip():
            in_link_block = False
            if block_start is not None:
                sentences.extend(_split_block(text, block_start, block_end, paragraph, False))
                block_start = None
            paragraph += 1
            continue
        if in_link_block:
            continue
        if _LINK_BLOCK_HEADER.match(content.strip()):
            in_link_block = True
            if block_start is not None:
                sentences.extend(_split_block(text, block_start, block_end, paragraph, False))
                block_start = None
            continue
        key = _normalised_line(content)
        # A repeated line is page furniture, except the first copy of a full sentence: a lede repeated as
        # the page's summary still states its fact once.
        skip = is_boilerplate_line(content) or (
            key in repeated and (key in seen_repeats or not _is_sentence_line(content))
        )
        if key in repeated:
            seen_repeats.add(key)
        marker = _LIST_MARKER.match(content)
        standalone = marker is not None
        if skip or standalone:
            if block_start is not None:
                sentences.extend(_split_block(text, block_start, block_end, paragraph, False))
                block_start = None
            if not skip:
                body_start = line_start + marker.end()
                heading = content.lstrip().startswith("#")
                sentences.extend(
                    _split_block(text, body_start, line_start + len(content), paragraph, heading)
                )
            continue
        if (
            block_start is not None
            and _is_title_line(text[last_line_start:block_end])
            and content[:1].isupper()
        ):
            # A headline or a label line has no full stop; the next line is a sentence of its own.
            sentences.extend(_split_block(text, block_start, block_end, paragraph, False))
            block_start = None
        if block_start is None:
            block_start = line_start
        block_end = line_start + len(content)
        last_line_start = line_start
        position = line_end
    if block_start is not None:
        sentences.extend(_split_block(text, block_start, block_end, paragraph, False))
    del position
    return sentences
