"""Fast literal-alternation regexes for gazetteer matching.

A plain ``a|b|c`` alternation of a few thousand names makes Python's ``re`` try every alternative at every
character. Folding the names into a trie first gives a pattern whose cost per position is bounded by the
length of the longest name, and the trie order makes the longest name win at a given start. A dependency
(pyahocorasick) would do the same, but this is twenty lines and keeps regex features (boundaries, flags).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def _trie_to_regex(node: dict) -> str:
    alternatives: list[str] = []
    optional = False
    for char in sorted(node):
        if char == _END:
            optional = True
            continue
        alternatives.append(re.escape(char) + _trie_to_regex(node[char]))
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    if optional:
        # Greedy "?" keeps the longer name first; a shorter one is still found by backtracking.
        body = "(?:" + body + ")?"
    return body


def literal_union(words: Iterable[str]) -> str:
    """Return a regex source matching any of `words`, preferring the longest at a given position."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = True
    if not trie:
        return r"(?!x)x"
    return _trie_to_regex(trie)


def bounded_union(words: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """Compile `words` into a pattern that only matches whole words (no letter/digit on either side)."""
    return re.compile(r"(?<![\w])(?:" + literal_union(words) + r")(?![\w])", flags)


class LazyPattern:
    """A regular expression compiled on first use, so that importing a module does no work.

    Module-level constants stay readable (`_WORD = lazy_compile(r"...")`) while `dagster dev`, which
    re-imports code often, pays nothing until an extractor actually runs.
    """

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)


def lazy_compile(source: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(source, flags)
