"""Investment shapes that real pages use and the rules once missed, on invented sentences and companies.

Each test stands for a class of phrasing, not for one page: a subject described between dashes, a
round named by its owner's possessive whatever the amount's notation, a currency code after an amount.
"""

from __future__ import annotations

import datetime as dt

import pytest

DAY = dt.date(2025, 5, 2)


def facts(extractor, make_document, text: str, kind: str = "investment") -> list:
    return [f for f in extractor.extract(make_document(text, DAY)) if f.fact_type == kind]


def roles(fact) -> set[tuple[str, str]]:
    return {(p.name, p.role) for p in fact.participants}


def recipients(fact) -> set[str]:
    return {p.name for p in fact.participants if p.role == "recipient"}


# --- a subject described between dashes --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Quantel – a robotics startup founded in 2019 – received a $15 million investment from Zorvex Ventures.",
        "Quantel — the drone software maker — raised $15 million in a round led by Zorvex Ventures.",
        # A known name inside the description is not the actor.
        "Quantel - a spin-off of Siemens - has raised $15 million from Zorvex Ventures.",
    ],
)
def test_the_subject_before_a_dashed_appositive_is_the_recipient(extractor, make_document, text) -> None:
    [fact] = facts(extractor, make_document, text)
    assert fact.amount == 15e6
    assert recipients(fact) == {"Quantel"}


# --- "<Name>'s <amount> round" -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency", "lead"),
    [
        ("Helix Partners leads Quantel's Rs 250 crore round", 2.5e9, "INR", "Helix Partners"),
        ("Helix Partners co-led Quantel’s new $12 million seed round.", 12e6, "USD", "Helix Partners"),
        ("Quantel's 40 million euro funding round was led by Helix Partners.", 40e6, "EUR", "Helix Partners"),
    ],
)
def test_the_owner_of_a_round_is_its_recipient_whatever_the_notation(
    extractor, make_document, text, amount, currency, lead
) -> None:
    [fact] = facts(extractor, make_document, text)
    assert (fact.amount, fact.currency) == (amount, currency)
    assert recipients(fact) == {"Quantel"}
    assert (lead, "lead") in roles(fact)


def test_a_country_owning_an_amount_is_not_a_round_s_recipient(extractor, make_document) -> None:
    found = facts(extractor, make_document, "Analysts said Brazil's $3 billion funding round tally fell.")
    assert not any("Brazil's" in name for f in found for name in recipients(f))


def test_a_possessive_without_a_round_noun_names_no_recipient(extractor, make_document) -> None:
    # "Quantel's $2 billion valuation": a valuation, not a round; no deal is read from the owner.
    assert facts(extractor, make_document, "Quantel's $2 billion valuation surprised analysts.") == []


# --- currency codes are money, not parties -----------------------------------------------------------


def test_a_currency_code_after_an_amount_is_no_organisation(extractor, make_document) -> None:
    text = (
        "Lisbon saw $300 million USD invested across 40 deals, while Porto raised $90 million USD. "
        # A name read once as an unknown organisation ("Porto raised") is no name inside "Porto-based".
        "Quantel, the Porto-based robotics maker, said it raised $20 million USD in Series A funding."
    )
    found = facts(extractor, make_document, text)
    assert not any(name in ("USD",) for f in found for name, _ in roles(f))
    assert any(recipients(f) == {"Quantel"} and f.amount == 20e6 for f in found)


# --- a deal named by its noun, the buyer after "by" / "from" ------------------------------------------


@pytest.mark.parametrize(
    ("text", "target", "buyer", "amount"),
    [
        (
            "Quantel Robotics rejected a $2 billion takeover bid from Zorvex Holdings.",
            "Quantel Robotics",
            "Zorvex Holdings",
            2e9,
        ),
        (
            "Regulators cleared the acquisition of Quantel Robotics by Zorvex Holdings.",
            "Quantel Robotics",
            "Zorvex Holdings",
            None,
        ),
        (
            "Quantel Robotics has denied talks about its acquisition by Nvidia.",
            "Quantel Robotics",
            "Nvidia",
            None,
        ),
        # A buyer no gazetteer knows, a person described by a common noun.
        (
            "Quantel Robotics turned down a $900 million buyout offer from investor Jan Kowal.",
            "Quantel Robotics",
            "Jan Kowal",
            900e6,
        ),
    ],
)
def test_a_bid_or_acquisition_noun_names_target_and_buyer(
    extractor, make_document, text, target, buyer, amount
) -> None:
    [fact] = facts(extractor, make_document, text)
    assert fact.subtype == "acquisition"
    assert fact.amount == amount
    assert recipients(fact) == {target}
    assert (buyer, "lead") in roles(fact)


def test_a_denied_acquisition_is_marked_denied(extractor, make_document) -> None:
    [fact] = facts(
        extractor, make_document, "Quantel Robotics has denied talks about its acquisition by Nvidia."
    )
    assert fact.certainty == "denied"


def test_a_bid_whose_buyer_is_unnamed_is_no_acquisition(extractor, make_document) -> None:
    found = facts(
        extractor, make_document, "Quantel Robotics rejected a $2 billion takeover bid from a rival."
    )
    assert not any(f.subtype == "acquisition" for f in found)


def test_a_time_after_by_is_no_buyer(extractor, make_document) -> None:
    found = facts(extractor, make_document, "Zorvex Holdings expects to complete the acquisition by March.")
    assert not any(name == "March" for f in found for name, _ in roles(f))


# --- a named share of the state programme told just before -------------------------------------------


@pytest.mark.parametrize(
    ("share", "amount", "name"),
    [
        ("Another €40 million will go towards the Lumen Skills Programme.", 40e6, "Lumen Skills Programme"),
        (
            "The remaining €60 million has been dedicated to small firms through the Lumen Compute Fund.",
            60e6,
            "Lumen Compute Fund",
        ),
    ],
)
def test_a_named_share_of_a_state_programme_keeps_its_funder(
    extractor, make_document, share, amount, name
) -> None:
    text = f"The Irish government will invest €200 million in AI research over five years. {share}"
    found = facts(extractor, make_document, text)
    [part] = [f for f in found if f.amount == amount]
    assert part.subtype == "government_programme"
    assert part.name == name
    assert part.country_code == "IE"
    assert any(role == "funder" for _, role in roles(part))


def test_a_share_going_to_a_company_is_not_the_state_s_own_programme(extractor, make_document) -> None:
    text = (
        "The Irish government will invest €200 million in AI research over five years. "
        "Another €40 million will go to Quantel Robotics under the Lumen Skills Programme."
    )
    found = facts(extractor, make_document, text)
    assert not any(
        f.amount == 40e6 and f.name == "Lumen Skills Programme" and not recipients(f) for f in found
    )


def test_a_share_with_no_state_programme_before_it_is_no_fact(extractor, make_document) -> None:
    text = "Quantel Robotics raised €200 million. Another €40 million will go towards the Lumen Skills Programme."
    assert not any(f.amount == 40e6 for f in facts(extractor, make_document, text))
