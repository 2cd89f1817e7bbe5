"""Countries and the ways news text names them.

pycountry supplies ISO 3166-1; we add the reserved `EU` (the Union acts as a jurisdiction in our tables)
and the user-assigned `XK` (Kosovo), and a hand-kept table of the short names, demonyms and capitals that
news uses metonymically ("Beijing said ...", "Brussels fined ..."). Matching is case-sensitive: country
names are proper nouns, and "us"/"chad"/"turkey" in lower case are ordinary words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pycountry

from airace_pipeline.reference.patterns import lazy_compile, literal_union


@dataclass(frozen=True)
class Country:
    country_code: str
    iso3: str | None
    name: str
    is_supranational: bool


_EXTRA_COUNTRIES = (
    Country("EU", None, "European Union", True),
    Country("XK", "XKX", "Kosovo", False),
)

# Short names people write, where pycountry's `name` is the formal "Korea, Republic of" style.
_PREFERRED_NAMES = {
    "BO": "Bolivia",
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VE": "Venezuela",
    "VN": "Vietnam",
}

# Surface forms beyond pycountry's names. Demonyms that are also languages or ambiguous adjectives are
# kept because in this domain "Chinese regulators" / "a French startup" almost always mean the country.
_ALIASES: dict[str, tuple[str, ...]] = {
    "US": (
        "US",
        "U.S.",
        "U.S",
        "USA",
        "U.S.A.",
        "United States of America",
        "the States",
        "America",
        "American",
        "Americans",
        "Washington",
        "Washington, D.C.",
        "Washington DC",
        "White House",
    ),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "British", "England", "English", "London", "Whitehall"),
    "CN": (
        "China",
        "PRC",
        "People's Republic of China",
        "Mainland China",
        "mainland China",
        "Chinese",
        "Beijing",
    ),
    "HK": ("Hong Kong", "Hong Kong's"),
    "TW": ("Taiwan", "Taiwanese", "Taipei"),
    "KR": ("South Korea", "Korea", "Republic of Korea", "ROK", "South Korean", "Korean", "Seoul"),
    "KP": ("North Korea", "North Korean", "DPRK", "Pyongyang"),
    "JP": ("Japan", "Japanese", "Tokyo"),
    "IN": ("India", "Indian", "New Delhi", "Delhi"),
    "EU": (
        "European Union",
        "EU",
        "E.U.",
        "European Commission",
        "European Parliament",
        "Council of the EU",
        "Council of the European Union",
        "Brussels",
        "EU's",
    ),
    "AE": ("UAE", "U.A.E.", "United Arab Emirates", "Emirati", "Emiratis", "Abu Dhabi", "Dubai"),
    "SA": ("Saudi Arabia", "Saudi", "Saudis", "Kingdom of Saudi Arabia", "KSA", "Riyadh"),
    "QA": ("Qatar", "Qatari", "Doha"),
    "KW": ("Kuwait", "Kuwaiti"),
    "BH": ("Bahrain", "Bahraini"),
    "OM": ("Oman", "Omani"),
    "IL": ("Israel", "Israeli", "Israelis", "Tel Aviv", "Jerusalem"),
    "RU": ("Russia", "Russian", "Russians", "Russian Federation", "Moscow", "Kremlin"),
    "UA": ("Ukraine", "Ukrainian", "Kyiv", "Kiev"),
    "CA": ("Canada", "Canadian", "Ottawa"),
    "MX": ("Mexico", "Mexican"),
    "BR": ("Brazil", "Brazilian", "Brasilia", "Brasília"),
    "AR": ("Argentina", "Argentine", "Argentinian"),
    "CL": ("Chile", "Chilean"),
    "CO": ("Colombia", "Colombian"),
    "FR": ("France", "French", "Paris", "Elysee", "Élysée"),
    "DE": ("Germany", "German", "Berlin"),
    "IT": ("Italy", "Italian", "Rome"),
    "ES": ("Spain", "Spanish", "Madrid"),
    "PT": ("Portugal", "Portuguese", "Lisbon"),
    "NL": ("Netherlands", "the Netherlands", "Dutch", "Holland", "The Hague", "Amsterdam"),
    "BE": ("Belgium", "Belgian"),
    "CH": ("Switzerland", "Swiss", "Bern"),
    "AT": ("Austria", "Austrian", "Vienna"),
    "SE": ("Sweden", "Swedish", "Stockholm"),
    "NO": ("Norway", "Norwegian", "Oslo"),
    "DK": ("Denmark", "Danish", "Copenhagen"),
    "FI": ("Finland", "Finnish", "Helsinki"),
    "IE": ("Ireland", "Irish", "Dublin"),
    "PL": ("Poland", "Polish", "Warsaw"),
    "CZ": ("Czech Republic", "Czechia", "Czech", "Prague"),
    "HU": ("Hungary", "Hungarian", "Budapest"),
    "RO": ("Romania", "Romanian"),
    "GR": ("Greece", "Greek", "Athens"),
    "EE": ("Estonia", "Estonian", "Tallinn"),
    "TR": ("Turkey", "Türkiye", "Turkish", "Ankara"),
    "EG": ("Egypt", "Egyptian", "Cairo"),
    "NG": ("Nigeria", "Nigerian", "Abuja"),
    "KE": ("Kenya", "Kenyan", "Nairobi"),
    "ZA": ("South Africa", "South African", "Pretoria"),
    "RW": ("Rwanda", "Rwandan", "Kigali"),
    "ET": ("Ethiopia", "Ethiopian"),
    "MA": ("Morocco", "Moroccan"),
    "ID": ("Indonesia", "Indonesian", "Jakarta"),
    "MY": ("Malaysia", "Malaysian", "Kuala Lumpur"),
    "SG": ("Singapore", "Singaporean"),
    "TH": ("Thailand", "Thai", "Bangkok"),
    "VN": ("Vietnam", "Viet Nam", "Vietnamese", "Hanoi"),
    "PH": ("Philippines", "the Philippines", "Filipino", "Philippine", "Manila"),
    "PK": ("Pakistan", "Pakistani", "Islamabad"),
    "BD": ("Bangladesh", "Bangladeshi", "Dhaka"),
    "AU": ("Australia", "Australian", "Canberra"),
    "NZ": ("New Zealand", "Wellington"),
    "IR": ("Iran", "Iranian", "Tehran"),
    "IQ": ("Iraq", "Iraqi", "Baghdad"),
    "JO": ("Jordan", "Jordanian", "Amman"),
    "LB": ("Lebanon", "Lebanese"),
    "KZ": ("Kazakhstan", "Kazakh", "Astana"),
    "XK": ("Kosovo",),
    "VA": ("Vatican", "Holy See"),
}

# Adjectival forms: "Chinese regulators" names a country's actor, not the country acting as a party.
_DEMONYMS = frozenset(
    {
        "American",
        "Americans",
        "British",
        "English",
        "Chinese",
        "Taiwanese",
        "South Korean",
        "Korean",
        "North Korean",
        "Japanese",
        "Indian",
        "Emirati",
        "Emiratis",
        "Saudi",
        "Saudis",
        "Qatari",
        "Kuwaiti",
        "Bahraini",
        "Omani",
        "Israeli",
        "Israelis",
        "Russian",
        "Russians",
        "Ukrainian",
        "Canadian",
        "Mexican",
        "Brazilian",
        "Argentine",
        "Argentinian",
        "Chilean",
        "Colombian",
        "French",
        "German",
        "Italian",
        "Spanish",
        "Portuguese",
        "Dutch",
        "Belgian",
        "Swiss",
        "Austrian",
        "Swedish",
        "Norwegian",
        "Danish",
        "Finnish",
        "Irish",
        "Polish",
        "Czech",
        "Hungarian",
        "Romanian",
        "Greek",
        "Estonian",
        "Turkish",
        "Egyptian",
        "Nigerian",
        "Kenyan",
        "South African",
        "Rwandan",
        "Ethiopian",
        "Moroccan",
        "Indonesian",
        "Malaysian",
        "Singaporean",
        "Thai",
        "Vietnamese",
        "Filipino",
        "Philippine",
        "Pakistani",
        "Bangladeshi",
        "Australian",
        "Iranian",
        "Iraqi",
        "Jordanian",
        "Lebanese",
        "Kazakh",
    }
)


# Cities used as metonyms; inside a longer proper name ("AI Seoul Summit", "Tokyo Electron") they are not.
_CITIES = frozenset(
    {
        "Washington",
        "Washington, D.C.",
        "Washington DC",
        "London",
        "Beijing",
        "Taipei",
        "Seoul",
        "Pyongyang",
        "Tokyo",
        "New Delhi",
        "Delhi",
        "Brussels",
        "Abu Dhabi",
        "Dubai",
        "Riyadh",
        "Doha",
        "Tel Aviv",
        "Jerusalem",
        "Moscow",
        "Kyiv",
        "Kiev",
        "Ottawa",
        "Brasilia",
        "Brasília",
        "Paris",
        "Berlin",
        "Rome",
        "Madrid",
        "Lisbon",
        "The Hague",
        "Amsterdam",
        "Bern",
        "Vienna",
        "Stockholm",
        "Oslo",
        "Copenhagen",
        "Helsinki",
        "Dublin",
        "Warsaw",
        "Prague",
        "Budapest",
        "Athens",
        "Tallinn",
        "Ankara",
        "Cairo",
        "Abuja",
        "Nairobi",
        "Pretoria",
        "Kigali",
        "Jakarta",
        "Kuala Lumpur",
        "Bangkok",
        "Hanoi",
        "Manila",
        "Islamabad",
        "Dhaka",
        "Canberra",
        "Wellington",
        "Tehran",
        "Baghdad",
        "Amman",
        "Astana",
    }
)
_CAPITALISED_NEIGHBOUR_BEFORE = lazy_compile(r"(?:[A-Z][\w'-]*|AI)\s$")
_CAPITALISED_NEIGHBOUR_AFTER = lazy_compile(r"^\s(?!And\b|The\b)[A-Z][a-z]")


def is_demonym(surface: str) -> bool:
    """Say whether a country mention is an adjective ("French startup") rather than a name."""
    return surface in _DEMONYMS


# "America" inside these phrases is a region, not the United States; "Washington" inside these is a
# newspaper, a state or a university. A match followed/preceded by them is dropped.
_FALSE_CONTEXT_BEFORE = lazy_compile(r"(?:Latin|South|North|Central|Bank of|Voice of|Corporate|Made in)\s+$")
_FALSE_CONTEXT_AFTER = lazy_compile(
    r"^(?:'s)?\s+(?:Post|Times|state|State|University|Institute|Street)\b|^\s+(?:Monthly|Journal)\b"
)
_FALSE_PREFIX_AFTER_UNIVERSITY = lazy_compile(r"(?:University of|Univ\. of)\s+$")
# Organisation-like phrases that start with a demonym or place but name no country ("Korean Air" still is).
_ENGLISH_LANGUAGE = lazy_compile(r"^\s+(?:language|speaking|Channel)\b")


def all_countries() -> list[Country]:
    """Every ISO 3166-1 country plus EU and XK, ordered by code (a fresh list; the records are cached)."""
    return list(_all_countries())


@functools.cache
def _all_countries() -> tuple[Country, ...]:
    countries = [
        Country(
            country_code=record.alpha_2,
            iso3=record.alpha_3,
            name=_PREFERRED_NAMES.get(record.alpha_2, getattr(record, "common_name", None) or record.name),
            is_supranational=False,
        )
        for record in pycountry.countries
    ]
    countries.extend(_EXTRA_COUNTRIES)
    return tuple(sorted(countries, key=lambda country: country.country_code))


@functools.cache
def _surface_forms() -> dict[str, str]:
    """Map each surface form to its alpha-2 code; hand-kept aliases override pycountry's names."""
    forms: dict[str, str] = {}
    for record in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(record, attr, None)
            # Formal inverted names ("Korea, Republic of") never occur in running text.
            if value and "," not in value:
                forms[value] = record.alpha_2
    for country in _EXTRA_COUNTRIES:
        forms[country.name] = country.country_code
    for code, aliases in _ALIASES.items():
        for alias in aliases:
            forms[alias] = code
    # pycountry calls Taiwan "Taiwan, Province of China" and Vatican "Holy See (Vatican City State)": fine
    # above. Drop entries that are ordinary English words when capitalised at a sentence start.
    for word in ("Chad", "Guinea", "Niger", "Georgia", "Jersey", "Mali", "Togo", "Turkey", "Jordan"):
        if word in forms and word not in _ALIASES.get(forms[word], ()):
            forms.pop(word)
    return forms


def country_code_for(name: str) -> str | None:
    """Resolve a country name, short name, code, demonym or capital to its alpha-2 code."""
    if not name:
        return None
    text = name.strip()
    forms = _surface_forms()
    if text in forms:
        return forms[text]
    upper = text.upper()
    if len(upper) == 2 and any(c.country_code == upper for c in _all_countries()):
        return upper
    if len(upper) == 3:
        for country in _all_countries():
            if country.iso3 == upper:
                return country.country_code
    return _lowered_forms().get(text.lower())


@functools.cache
def _lowered_forms() -> dict[str, str]:
    """Case-insensitive lookup for names long enough not to collide with words ("us", "in")."""
    return {form.lower(): code for form, code in _surface_forms().items() if len(form) > 3}


class CountryMatcher:
    """Find country mentions in text; build once and reuse (the pattern has a few thousand names)."""

    def __init__(self) -> None:
        forms = _surface_forms()
        self._codes = forms
        self._pattern = re.compile(r"(?<![\w.])(" + literal_union(forms) + r")(?![\w]|\.\w)")

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, country_code) for each mention, left to right, non-overlapping."""
        found: list[tuple[int, int, str]] = []
        for match in self._pattern.finditer(text):
            surface = match.group(1)
            start, end = match.span(1)
            if surface.endswith("'s"):
                end -= 2
                surface = surface[:-2]
            code = self._codes.get(match.group(1)) or self._codes.get(surface)
            if code is None:
                continue
            before = text[max(0, start - 20) : start]
            after = text[end : end + 24]
            if surface in ("America", "American", "Americans") and _FALSE_CONTEXT_BEFORE.search(before):
                continue
            if surface in ("Washington", "America", "Korea", "Korean") and _FALSE_CONTEXT_AFTER.search(after):
                continue
            if _FALSE_PREFIX_AFTER_UNIVERSITY.search(before) and surface == "Washington":
                continue
            if surface in ("English", "French", "Spanish") and _ENGLISH_LANGUAGE.search(after):
                continue
            if surface == "US" and (after[:1] == "$" or text[start - 1 : start] == "-"):
                continue  # "US$1bn" is a currency.
            if surface in _CITIES and (
                _CAPITALISED_NEIGHBOUR_AFTER.match(after)
                or (
                    _CAPITALISED_NEIGHBOUR_BEFORE.search(before)
                    and not re.search(r"(?:^|[.!?]\s)\S+\s$", before)
                )
            ):
                continue  # "the AI Seoul Summit", "Tokyo Electron"
            if after[:2] in ("'O", "’O"):
                continue
            found.append((start, end, code))
        return found
