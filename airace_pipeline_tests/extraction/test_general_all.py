"""Alliances in the shapes news pages use: talks between named sides, stock tickers inside a list of
partners, idioms of teaming up, research bodies named head-first.

The sentences and company names are invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

DAY = dt.date(2025, 5, 2)


def facts(extractor, make_document, text: str, kind: str = "alliance") -> list:
    return [f for f in extractor.extract(make_document(text, DAY)) if f.fact_type == kind]


def names(fact) -> set[str]:
    return {p.name for p in fact.participants}


def test_talks_with_several_partners_join_the_subject_to_them(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Nvidia is in early talks with Qualcomm, Broadcom and AMD to form a joint venture for chip packaging.",
    )
    assert names(fact) == {"Nvidia", "Qualcomm", "Broadcom", "AMD"}
    assert fact.certainty == "rumoured"


def test_stock_tickers_neither_break_a_list_nor_name_a_party(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Intel (NASDAQ:INTC) is in discussions with Nvidia (NASDAQ: NVDA), AMD (NASDAQ:AMD) and "
        "Qualcomm (NASDAQ:QCOM) to set up a joint venture.",
    )
    assert names(fact) == {"Intel", "Nvidia", "AMD", "Qualcomm"}


def test_talks_alone_state_no_alliance(extractor, make_document) -> None:
    text = "Microsoft is in talks with OpenAI about the price of computing capacity."
    assert facts(extractor, make_document, text) == []


def test_pairing_up_and_joining_hands_are_alliances(extractor, make_document) -> None:
    [fact] = facts(
        extractor, make_document, "Varlo Robotics joined hands with Brenner Labs to build warehouse robots."
    )
    assert names(fact) == {"Varlo Robotics", "Brenner Labs"}


def test_two_pairings_in_one_sentence_are_two_alliances(extractor, make_document) -> None:
    found = facts(
        extractor,
        make_document,
        "The programme will see the University of Eldoria pairing up with the University of Marrowby, "
        "while Carnegie Mellon University will be joining forces with Tokyo's Keio University.",
    )
    assert {frozenset(names(f)) for f in found} == {
        frozenset({"University of Eldoria", "University of Marrowby"}),
        frozenset({"Carnegie Mellon University", "Keio University"}),
    }


def test_a_research_body_named_head_first_is_an_organisation(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Zentrix Labs signed a memorandum of understanding with the Institute for Research in Quantum Optics.",
    )
    assert names(fact) == {"Zentrix Labs", "Institute for Research in Quantum Optics"}


def test_a_known_short_form_after_a_research_body_keeps_its_identity(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Orvane Systems signed a partnership with France's Institute for Research in Computer Science and "
        "Automation (INRIA) on robotics.",
    )
    assert "INRIA" in names(fact)
    assert not any(name.startswith("Institute for Research") for name in names(fact))


def test_the_parties_money_comes_from_are_no_members(extractor, make_document) -> None:
    text = (
        "Two new research partnerships are getting a $40 million cash infusion from Nvidia, Microsoft and "
        "a group of local firms."
    )
    assert facts(extractor, make_document, text) == []


def test_support_from_funders_is_no_alliance_of_them(extractor, make_document) -> None:
    text = (
        "The plan was drafted in close collaboration, with technical and financial support from the "
        "European Union and Germany."
    )
    assert facts(extractor, make_document, text) == []


def test_funders_drop_out_but_the_partners_stay(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Halvora Labs formed a partnership with Quenby Robotics, funded by Microsoft.",
    )
    assert names(fact) == {"Halvora Labs", "Quenby Robotics"}


def test_an_agreement_to_merge_is_a_takeover_not_an_alliance(extractor, make_document) -> None:
    text = "Chip startup Brisk Semiconductor has signed an agreement to merge with Tarnow Systems."
    assert facts(extractor, make_document, text) == []


def test_joining_a_body_named_like_an_alliance_makes_it_the_alliance(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "Japan's software giant Korito Labs has joined the Frontier Model Forum, a US-led industry body.",
    )
    assert fact.name == "Frontier Model Forum"
    assert names(fact) == {"Korito Labs"}


def test_a_body_that_counts_members_names_them_and_itself_as_the_alliance(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "The Partnership on AI, which includes members like Google and Apple, was set up as an industry "
        "consortium.",
    )
    assert fact.name == "Partnership on AI"
    assert names(fact) == {"Google", "Apple"}


def test_the_same_body_joined_in_two_sentences_is_one_alliance(extractor, make_document) -> None:
    text = (
        "Korito Labs has joined the Partnership on AI. "
        "The Partnership on AI, which includes members like Google and Apple, was set up as an industry "
        "consortium."
    )
    assert {f.name for f in facts(extractor, make_document, text)} == {"Partnership on AI"}


def test_a_body_named_like_an_alliance_that_acts_stays_a_party(extractor, make_document) -> None:
    [fact] = facts(
        extractor,
        make_document,
        "The Partnership on AI signed a memorandum of understanding with Halvora Labs on safety research.",
    )
    assert names(fact) == {"Partnership on AI", "Halvora Labs"}


@pytest.mark.parametrize(
    "second",
    [
        "The two partnered in leading a joint venture for a quantum start-up.",
        "The two companies later signed a partnership on cloud computing.",
        "Both firms have teamed up on a new inference chip.",
    ],
)
def test_the_two_refers_to_the_pair_named_just_before(extractor, make_document, second) -> None:
    text = "Microsoft put $2 billion into Mistral AI in March. " + second
    [fact] = facts(extractor, make_document, text)
    assert names(fact) == {"Microsoft", "Mistral AI"}


def test_the_two_needs_exactly_two_parties_before(extractor, make_document) -> None:
    text = "Nvidia, Intel and AMD reported strong sales. The two partnered on a new chip."
    assert facts(extractor, make_document, text) == []


def test_the_two_signing_something_that_is_no_alliance_states_none(extractor, make_document) -> None:
    text = "Nvidia reported strong sales and Intel cut jobs. The two signed a lease."
    assert facts(extractor, make_document, text) == []


def test_a_background_deal_is_its_own_alliance_not_more_members(extractor, make_document) -> None:
    text = (
        "Mistral AI partnered with Helsing on defence models. The collaboration comes five months after "
        "Microsoft announced its own deal with OpenAI on cloud capacity."
    )
    found = facts(extractor, make_document, text)
    assert {frozenset(names(f)) for f in found} == {
        frozenset({"Mistral AI", "Helsing"}),
        frozenset({"Microsoft", "OpenAI"}),
    }


def test_a_background_without_a_deal_adds_nobody(extractor, make_document) -> None:
    text = (
        "Mistral AI partnered with Helsing on defence models. The deal comes two weeks after Nvidia "
        "reported record sales."
    )
    [fact] = facts(extractor, make_document, text)
    assert names(fact) == {"Mistral AI", "Helsing"}
