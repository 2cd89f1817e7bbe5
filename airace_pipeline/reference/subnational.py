"""States and provinces that stand for their country when the text names no country.

"Tennessee Governor Bill Lee signed the ELVIS Act", "Karnataka's government unveiled ₹75 lakh",
"data centres in Mount Pleasant, Wisconsin": the jurisdiction or host country is the United States or
India although neither is named. Only the US states and the Indian states and union territories are
listed (the two federations whose states act most often in our sources); Georgia is left out because it is
also a country, and "Washington" because it is the US capital (a metonym handled by the country matcher).
"""

from __future__ import annotations

import re

from airace_pipeline.reference.patterns import lazy_compile, literal_union

_US_STATES = (
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Wisconsin",
    "Wyoming",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "West Virginia",
    "Washington State",
)
_INDIAN_STATES = (
    "Andhra Pradesh",
    "Arunachal Pradesh",
    "Assam",
    "Bihar",
    "Chhattisgarh",
    "Goa",
    "Gujarat",
    "Haryana",
    "Himachal Pradesh",
    "Jharkhand",
    "Karnataka",
    "Kerala",
    "Madhya Pradesh",
    "Maharashtra",
    "Manipur",
    "Meghalaya",
    "Mizoram",
    "Nagaland",
    "Odisha",
    "Punjab",
    "Rajasthan",
    "Sikkim",
    "Tamil Nadu",
    "Telangana",
    "Tripura",
    "Uttar Pradesh",
    "Uttarakhand",
    "West Bengal",
    "Delhi",
)

STATE_COUNTRY: dict[str, str] = {
    **{name: "US" for name in _US_STATES},
    **{name: "IN" for name in _INDIAN_STATES},
}
_PATTERN = lazy_compile(r"(?<![\w-])(?:" + literal_union(STATE_COUNTRY) + r")(?![\w-])")


def find_states(text: str) -> list[tuple[int, int, str]]:
    """(start, end, country code) of every state named in `text`, in order."""
    return [
        (m.start(), m.end(), STATE_COUNTRY[re.sub(r"\s+", " ", m.group())]) for m in _PATTERN.finditer(text)
    ]


def state_country(text: str) -> str | None:
    """The country of the first state named in `text`, if any."""
    found = find_states(text)
    return found[0][2] if found else None
