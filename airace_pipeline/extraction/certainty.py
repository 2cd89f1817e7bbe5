"""How sure the source is: reported, rumoured, denied or forecast, from cue words in the sentence."""

from __future__ import annotations

import re

from airace_pipeline.extraction.model import Certainty
from airace_pipeline.reference.patterns import lazy_compile

_DENIED = lazy_compile(
    r"(?<!not\s)(?<!n't\s)\b(?:denied|denies|deny|dismissed\s+(?:the\s+)?(?:reports?|claims?|rumou?rs?)|rejected\s+(?:the\s+)?"
    r"(?:reports?|claims?)|called\s+(?:the\s+)?(?:reports?|claims?)\s+(?:false|inaccurate|untrue)|"
    r"no\s+(?:such\s+)?(?:plans?|talks)|not\s+in\s+talks|refuted|"
    r"reports?\s+(?:are|is|were|was)\s+(?:incorrect|false|untrue|inaccurate|baseless|unfounded))\b",
    re.IGNORECASE,
)
_RUMOURED = lazy_compile(
    r"\b(?:reportedly|is\s+said\s+to|are\s+said\s+to|was\s+said\s+to|were\s+said\s+to|in\s+talks|"
    r"in\s+discussions|in\s+early\s+talks|sources?\s+(?:say|said|familiar)|people\s+familiar|"
    r"according\s+to\s+(?:people|sources|a\s+person|two\s+people|three\s+people|reports?|media\s+reports?)|"
    r"rumou?r(?:s|ed)?|plans?\s+to|planned\s+to|planning\s+to|the\s+(?:people|person|sources)\s+said|"
    r"people\s+(?:said|say)|considering|weighing|exploring|in\s+negotiations?|"
    r"nearing\s+a\s+deal|close\s+to\s+a\s+deal|weighs|to\s+weigh|"
    # A lawsuit "seeks to hold the company accountable": the claim's aim, not a rumour.
    r"seeks\s+to(?!\s+(?:hold|block|stop|recover|force|compel|halt)\b)|"
    # A plaintiff "is seeking $15 million in damages": a claim stated in a lawsuit, not a rumour.
    r"(?:is|are|was|were)\s+seeking(?![^.;]{0,40}\b(?:damages|compensation|restitution)\b)|"
    r"looking\s+to\s+raise|"
    r"unconfirmed|speculat\w+|could\s+announce|may\s+announce|is\s+expected\s+to\s+announce)\b",
    re.IGNORECASE,
)
_FORECAST = lazy_compile(
    r"\b(?:expected\s+to|is\s+projected|are\s+projected|projected\s+to|forecasts?|"
    r"forecasted|predicts?|predicted|estimates?\s+that|is\s+set\s+to\s+reach|expected\s+to\s+reach|"
    r"will\s+reach|by\s+20[3-9]\d|poised\s+to|on\s+track\s+to)\b",
    re.IGNORECASE,
)
_RELATIVE_CLAUSE = lazy_compile(r",\s*(?:which|who)\b[^,;]*,")
# Modal verbs are matched in lower case only, so the month "May" is not a forecast.
_MODAL = lazy_compile(r"\b(?:could|may|might)\s+(?!have\b)\w+")


def classify_certainty(sentence: str, focus: int | None = None) -> Certainty:
    """Denial outranks rumour, which outranks forecast: "denied reports it plans to" is a denial.

    `focus` is where the fact's trigger word starts; a modal verb ("could", "may") only makes the fact a
    forecast when it is near that trigger, so "said it was checking whether the deal could be reviewed"
    stays a reported investigation.
    """
    if _DENIED.search(sentence):
        return "denied"
    if _RUMOURED.search(sentence):
        return "rumoured"
    start = 0 if focus is None else max(0, focus - 40)
    window = sentence if focus is None else sentence[start : focus + 25]
    # "X, which uses models to predict demand, raised $2 million": a relative clause describes the
    # company; its verbs say nothing about how sure the deal is.
    described = [m.span() for m in _RELATIVE_CLAUSE.finditer(sentence)]

    def cue(pattern: re.Pattern[str]) -> bool:
        return any(
            not any(a <= start + m.start() < b for a, b in described) for m in pattern.finditer(window)
        )

    if cue(_FORECAST) or cue(_MODAL) or re.search(r"\bby\s+20[3-9]\d\b", sentence):
        return "forecast"
    return "reported"
