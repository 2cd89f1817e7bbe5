from __future__ import annotations

import pytest

from airace_pipeline.reference.countries import Country, CountryMatcher, all_countries, country_code_for

MATCHER = CountryMatcher()


def codes(text: str) -> list[str]:
    return [code for _, _, code in MATCHER.find(text)]


def test_all_countries_extends_iso() -> None:
    countries = {c.country_code: c for c in all_countries()}
    assert len(countries) == 251
    assert countries["EU"] == Country("EU", None, "European Union", True)
    assert countries["XK"] == Country("XK", "XKX", "Kosovo", False)
    assert countries["KR"].name == "South Korea" and countries["KR"].iso3 == "KOR"
    assert not countries["US"].is_supranational


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Japan and South Korea formed an alliance", ["JP", "KR"]),
        ("the U.S. and the UK", ["US", "GB"]),
        ("United States, Britain, Korea", ["US", "GB", "KR"]),
        ("North Korea fired missiles", ["KP"]),
        ("a South Korean chipmaker and an Emirati fund", ["KR", "AE"]),
        ("Saudi officials met Chinese regulators", ["SA", "CN"]),
        ("the European Commission and the European Parliament", ["EU", "EU"]),
        ("a European startup", []),
        ("Beijing and Washington traded barbs; Brussels fined it", ["CN", "US", "EU"]),
        (
            "Tokyo, Seoul, New Delhi, Abu Dhabi, Riyadh, Moscow, Ottawa",
            ["JP", "KR", "IN", "AE", "SA", "RU", "CA"],
        ),
        ("Paris, Berlin, London, Tel Aviv and Jerusalem", ["FR", "DE", "GB", "IL", "IL"]),
        ("Mainland China", ["CN"]),
        ("Latin America and South America", []),
        ("The Washington Post reported", []),
        ("it raised US$5bn", []),
        ("the AI Seoul Summit", []),
        ("the Republic of Korea and Türkiye", ["KR", "TR"]),
    ],
)
def test_find(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_find_offsets() -> None:
    text = "Officials in Abu Dhabi met."
    [(start, end, code)] = MATCHER.find(text)
    assert (text[start:end], code) == ("Abu Dhabi", "AE")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("United Kingdom", "GB"),
        ("Britain", "GB"),
        ("Emirati", "AE"),
        ("korea", "KR"),
        ("DEU", "DE"),
        ("fr", "FR"),
        ("European Union", "EU"),
        ("Kosovo", "XK"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_code_for(name: str, code: str | None) -> None:
    assert country_code_for(name) == code
