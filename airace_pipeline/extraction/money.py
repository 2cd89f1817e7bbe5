"""Money amounts in running text: "$5 billion", "€600m", "₹10,371.92 crore", "344 billion yuan".

Written by hand because the libraries that parse prices (price-parser, quantulum3) do not know Indian
scale words or news shorthand ("$157bn", "US$1.5bn") and return no offsets we could trust.

Ranges ("$5 billion to $10 billion", "$5-10bn") keep the UPPER value with `is_upper_bound=True`: the fact
is "at most this much", which is what `is_upper_bound` means downstream. "more than $X" keeps X as stated
(a floor) and sets `is_lower_bound`, which the fact model does not carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "K": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "M": 1e6,
    "mil": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "B": 1e9,
    "bln": 1e9,
    "Bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "tr": 1e12,
    "T": 1e12,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lakh crore": 1e12,
    "lakh crores": 1e12,
    "thousand crore": 1e10,
    "thousand crores": 1e10,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
    "Cr": 1e7,
}
_PREFIX_CURRENCIES = {
    "US$": "USD",
    "U.S.$": "USD",
    "USD": "USD",
    "$": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "JP¥": "JPY",
    "CN¥": "CNY",
    "CNY": "CNY",
    "RMB": "CNY",
    "Rmb": "CNY",
    "₩": "KRW",
    "KRW": "KRW",
    "HK$": "HKD",
    "HKD": "HKD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
    "S$": "SGD",
    "SGD": "SGD",
    "NT$": "TWD",
    "TWD": "TWD",
    "₹": "INR",
    "Rs": "INR",
    "Rs.": "INR",
    "INR": "INR",
    "AED": "AED",
    "Dh": "AED",
    "SAR": "SAR",
    "CHF": "CHF",
    "R$": "BRL",
    "BRL": "BRL",
    "₪": "ILS",
    "NIS": "ILS",
    "ILS": "ILS",
    "SEK": "SEK",
    "NOK": "NOK",
    "DKK": "DKK",
    "QAR": "QAR",
    "MXN": "MXN",
    "ZAR": "ZAR",
    "NZ$": "NZD",
    "₽": "RUB",
    "RUB": "RUB",
}
_SUFFIX_CURRENCIES = {
    "dollars": "USD",
    "dollar": "USD",
    "US dollars": "USD",
    "U.S. dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "won": "KRW",
    "rupees": "INR",
    "rupee": "INR",
    "dirhams": "AED",
    "riyals": "SAR",
    "Swiss francs": "CHF",
    "Hong Kong dollars": "HKD",
    "Canadian dollars": "CAD",
    "Australian dollars": "AUD",
    "Singapore dollars": "SGD",
    "Taiwan dollars": "TWD",
    "New Taiwan dollars": "TWD",
    "shekels": "ILS",
    "roubles": "RUB",
    "zloty": "PLN",
    "złoty": "PLN",
    "rubles": "RUB",
    "USD": "USD",
    "EUR": "EUR",
    "GBP": "GBP",
    "JPY": "JPY",
    "CNY": "CNY",
    "RMB": "CNY",
    "KRW": "KRW",
    "INR": "INR",
}

_DOLLAR_CODES = {
    "USD": "USD",
    "CAD": "CAD",
    "AUD": "AUD",
    "NZD": "NZD",
    "SGD": "SGD",
    "HKD": "HKD",
    "TWD": "TWD",
}
_DOLLAR_CODE_AFTER = re.compile(r"\s?(?P<code>" + "|".join(_DOLLAR_CODES) + r")\b")
_NUMBER = r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Compound Indian scales first: "₹1.26 lakh crore" is 1.26 x 10^12, not 1.26 lakh.
_SCALE = (
    r"lakh\s+crores?|thousand\s+crores?|"
    r"thousand|million|billion|trillion|lakhs?|lac|crores?|mln|bln|trn|mil|bn|Bn|mn|tn|tr|Cr|cr|k|K|m|M|b|B|T"
)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_QUALIFIER = (
    r"(?P<qual>up\s+to|as\s+much\s+as|as\s+many\s+as|no\s+more\s+than|at\s+most|a\s+maximum\s+of|capped\s+at|"
    r"more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|nearly|almost|about|around|roughly|"
    r"approximately|some|close\s+to|between)\s+"
)
_UPPER_QUALIFIERS = (
    "up to",
    "as much as",
    "as many as",
    "no more than",
    "at most",
    "a maximum of",
    "capped at",
)
_LOWER_QUALIFIERS = ("more than", "over", "at least", "upwards of", "in excess of")


@dataclass(frozen=True)
class Money:
    """An amount in units of `currency` (ISO 4217), with its [start, end) offsets in the searched text."""

    start: int
    end: int
    amount: float
    currency: str
    is_upper_bound: bool = False
    is_lower_bound: bool = False
    text: str = ""


class MoneyMatcher:
    """Find money amounts; compile once and reuse."""

    def __init__(self) -> None:
        prefix = _alternation(list(_PREFIX_CURRENCIES))
        suffix = _alternation(list(_SUFFIX_CURRENCIES))
        # No letter may precede a code ("CUSD") and no digit may follow a plain number ("5 billion2").
        # "$410-million": some house styles hyphenate the scale.
        a1, a2, a3, a4 = (rf"(?P<num{i}>{_NUMBER})(?:[\s-]?(?P<scale{i}>{_SCALE})\b)?" for i in "1234")
        prefixed = (
            rf"(?<![A-Za-z])(?P<cur>{prefix})\s?{a1}"
            rf"(?:\s?(?:-|–|—|to|and)\s?(?:{prefix})?\s?{a2})?"
        )
        suffixed = (
            rf"(?<![\w.,]){a3}"
            rf"(?:\s?(?:-|–|—|to|and)\s?{a4})?\s(?P<word>{suffix})\b"
        )
        self._pattern = re.compile(rf"(?:{_QUALIFIER})?(?:{prefixed}|{suffixed})")
        self._has_money_hint = re.compile(
            rf"[$€£¥₩₹₪₽]|\b(?:{_alternation([c for c in _PREFIX_CURRENCIES if c.isalpha()])})\b|"
            r"\b(?:dollars?|euros?|pounds|yen|yuan|renminbi|won|rupees?|dirhams|riyals|francs|crores?|lakhs?|zloty)\b"
        )

    def has_money(self, text: str) -> bool:
        """Cheap test used by the extractor's pre-filter."""
        return self._has_money_hint.search(text) is not None

    def find(self, text: str) -> list[Money]:
        found: list[Money] = []
        for match in self._pattern.finditer(text):
            money = self._convert(match)
            if money is not None:
                found.append(money)
        if "-point-" in text:
            found.extend(_spelled(text, found))
            found.sort(key=lambda money: money.start)
        return found

    def _convert(self, match: re.Match[str]) -> Money | None:
        groups = match.groupdict()
        if groups["cur"] is not None:
            currency = _PREFIX_CURRENCIES[groups["cur"]]
            first, second = ("num1", "scale1"), ("num2", "scale2")
        else:
            currency = _SUFFIX_CURRENCIES.get(groups["word"] or "")
            first, second = ("num3", "scale3"), ("num4", "scale4")
            if currency is None:
                return None
        low = _value(groups[first[0]], groups[first[1]])
        high = _value(groups[second[0]], groups[second[1]]) if groups[second[0]] else None
        if low is None:
            return None
        if high is not None and groups[first[1]] is None and groups[second[1]] is not None:
            # "$5-10 billion": the scale written once applies to both ends.
            low = _value(groups[first[0]], groups[second[1]])
        scale_given = groups[first[1]] or groups[second[1]]
        if (
            groups["cur"] in ("$", "Dh")
            and scale_given is None
            and low is not None
            and low < 1000
            and high is None
        ):
            # "$5" alone (a share price, a per-user fee) is never the size of an AI-race fact.
            return None
        qualifier = re.sub(r"\s+", " ", (groups["qual"] or "").lower())
        is_upper = qualifier in _UPPER_QUALIFIERS
        is_lower = qualifier in _LOWER_QUALIFIERS
        amount = low
        if high is not None and low is not None and high > low:
            amount, is_upper = high, True
        elif qualifier == "between" and high is None:
            return None
        start = match.start("cur") if groups["cur"] is not None else match.start(first[0])
        if groups["qual"] is not None:
            start = match.start()
        end = match.end()
        if groups["cur"] == "$" and (code := _DOLLAR_CODE_AFTER.match(match.string, end)) is not None:
            # "$2 billion CAD": the code after the amount says which dollar the sign meant.
            currency, end = _DOLLAR_CODES[code.group("code")], code.end()
        return Money(
            start=start,
            end=end,
            amount=float(amount),
            currency=currency,
            is_upper_bound=is_upper,
            is_lower_bound=is_lower,
            text=match.string[start:end],
        )


_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
_TEENS = ("twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_DIGIT_WORDS = {word: index for index, word in enumerate((*_UNITS, *_TEENS))}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TENS_WORDS = {word: 20 + 10 * index for index, word in enumerate(_TENS)}
_WHOLE = r"\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?|[a-z]+"
# Broadcast house style spells the decimal point: "nine-point-four trillion won", "one-point-four-trillion-won".
_SPELLED = re.compile(
    rf"(?<![\w-])(?P<whole>{_WHOLE})-point-(?P<frac>(?:[a-z]+|\d)(?:-(?:zero|one|two|three|four|five|six|seven|"
    r"eight|nine))*)[\s-](?P<scale>thousand|million|billion|trillion)[\s-]"
    rf"(?P<word>{_alternation(list(_SUFFIX_CURRENCIES))})\b",
    re.IGNORECASE,
)


def _spelled_whole(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    tens, _, unit = word.lower().partition("-")
    if tens in _TENS_WORDS:
        return _TENS_WORDS[tens] + (_DIGIT_WORDS.get(unit, -100) if unit else 0)
    return _DIGIT_WORDS.get(word.lower())


def _spelled(text: str, found: list[Money]) -> list[Money]:
    """Amounts written out in words around a spelled point, skipping spans a digit amount already took."""
    out: list[Money] = []
    for match in _SPELLED.finditer(text):
        whole = _spelled_whole(match.group("whole"))
        digits = [
            _DIGIT_WORDS.get(w.lower(), int(w) if w.isdigit() else -1) for w in match["frac"].split("-")
        ]
        currency = _SUFFIX_CURRENCIES.get(match.group("word"))
        if whole is None or whole < 0 or any(d < 0 or d > 9 for d in digits) or currency is None:
            continue
        if any(m.start < match.end() and match.start() < m.end for m in found):
            continue
        value = round(
            float(f"{whole}.{''.join(str(d) for d in digits)}") * _SCALES[match.group("scale").lower()]
        )
        out.append(Money(match.start(), match.end(), value, currency, text=match.group()))
    return out


def _value(number: str | None, scale: str | None) -> float | None:
    if not number:
        return None
    try:
        base = float(number.replace(",", ""))
    except ValueError:
        return None
    scale = re.sub(r"\s+", " ", scale) if scale else scale
    multiplier = _SCALES.get(scale or "")
    if multiplier is None and scale:
        multiplier = _SCALES.get(scale.lower(), 1.0)
    return base * (multiplier or 1.0)
