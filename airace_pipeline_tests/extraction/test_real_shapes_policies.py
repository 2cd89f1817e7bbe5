"""Policy shapes met in real reporting, each written here in the tests' own invented sentences.

Acts are recognised from how they are named and enacted; the gazetteer only makes one act's spellings
agree. Titles are kept whole (never cut at a comma, a dash or inside quotes), bill numbers are read in
their usual spellings, and an act stated by what it does (an export control stated by its effect) counts
as well as a titled one.
"""

from __future__ import annotations

import datetime as dt

from airace_pipeline.extraction.policy_facts import bill_id
from airace_pipeline.reference.policies import (
    index_by_title_key,
    load_known_instruments,
    lookup_title,
    title_key,
)


def policies(extractor, make_document, text: str, published: dt.date = dt.date(2025, 2, 28)):
    return [f for f in extractor.extract(make_document(text, published=published)) if f.fact_type == "policy"]


def test_known_form_at_the_end_of_a_longer_title_is_not_the_known_act(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "On Friday Oregon's governor signed House Bill 4120, the Safe Frontier Artificial Intelligence Act, after a long debate.",
    )
    assert policy.name == "Safe Frontier Artificial Intelligence Act"
    assert (policy.subtype, policy.country_code) == ("law", "US")
    assert ("bill_number", "US HB 4120") in policy.external_ids


def test_bill_numbers_in_their_usual_spellings() -> None:
    assert bill_id("Senate Bill 12") == "SB 12"
    assert bill_id("SB 12") == "SB 12"
    assert bill_id("SB25-118") == "SB 25-118"
    assert bill_id("Bill S. 2207-A") == "S 2207-A"
    assert bill_id("Artificial Intelligence Act") is None


def test_bill_known_by_a_number_with_a_chamber_letter(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "On 3 March 2025 Spain's Congress voted through Bill S. 2207-A by a wide margin.",
    )
    assert (policy.name, policy.subtype, policy.country_code) == ("Bill S. 2207-A", "law", "ES")


def test_headline_with_a_verb_is_not_a_title(extractor, make_document) -> None:
    found = policies(
        extractor,
        make_document,
        "Nevada Passes Landmark Artificial Intelligence Safety Law\nNevada's governor signed SB 88 on 2 June.",
        published=dt.date(2025, 6, 3),
    )
    assert [p.name for p in found] == ["SB 88"]


def test_loose_title_key_joins_spellings_of_one_known_act() -> None:
    index = index_by_title_key(load_known_instruments())
    assert title_key("the Korean AI Basic Law")[0] == title_key("AI Basic Act")[0]
    assert lookup_title(index, "South Korean AI Basic Law").name == "Korea AI Basic Act"
    # Another jurisdiction's act of the same shape is not the known one.
    assert lookup_title(index, "Japanese AI Act") is None


def test_known_act_under_another_spelling_is_normalised(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "Lawmakers in Seoul passed the Korean AI Basic Law by a large majority.",
    )
    assert (policy.name, policy.country_code) == ("Korea AI Basic Act", "KR")


def test_title_that_carries_its_year_is_stated_even_in_passing(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "Grants under Vietnam's Digital Technology Industry Law (2025) have been slow to reach start-ups.",
    )
    assert policy.name == "Digital Technology Industry Law"
    assert (policy.country_code, policy.announced_on, policy.date_precision) == (
        "VN",
        dt.date(2025, 1, 1),
        "year",
    )


def test_title_preceded_by_its_month_and_year(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "The grant fits within the March 2024 Digital Sovereignty Roadmap published by France.",
    )
    assert policy.name == "Digital Sovereignty Roadmap"
    assert (policy.announced_on, policy.date_precision) == (dt.date(2024, 3, 1), "month")


def test_reference_that_states_what_a_plan_does(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "As set out in the National Quantum Computing Plan, Ireland committed to double its research budget.",
    )
    assert (policy.name, policy.country_code) == ("National Quantum Computing Plan", "IE")


def test_code_of_practice_and_possessive_owner(extractor, make_document) -> None:
    [code] = policies(
        extractor,
        make_document,
        "The European Commission released the Foundation Model Code of Practice on Thursday, after months of talks.",
    )
    assert (code.name, code.subtype, code.country_code) == (
        "Foundation Model Code of Practice",
        "guidance",
        "EU",
    )
    [strategy] = policies(
        extractor,
        make_document,
        "Officials said a first draft of Ghana’s National AI Strategy had been written and circulated.",
    )
    assert (strategy.name, strategy.country_code) == ("National AI Strategy", "GH")


def test_quoted_title_runs_to_its_closing_quote(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        'Japan\'s cabinet approved the "Compute Expansion Plan Using Domestic Accelerators" last autumn.',
    )
    assert policy.name == "Compute Expansion Plan Using Domestic Accelerators"


def test_state_programme_known_as_money_is_also_a_funding_programme(extractor, make_document) -> None:
    found = policies(
        extractor,
        make_document,
        "India's cabinet approved the IndiaAI Mission and its five-year budget.",
    )
    assert [(p.name, p.subtype, p.country_code) for p in found] == [
        ("IndiaAI Mission", "funding_programme", "IN")
    ]


def test_executive_order_signed_by_a_us_president_without_a_country_named(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "President Donald Trump signed an executive order setting up a federal office to test AI models.",
    )
    assert (policy.subtype, policy.country_code) == ("executive_order", "US")


def test_export_controls_stated_by_their_effect(extractor, make_document) -> None:
    [blocked] = policies(
        extractor,
        make_document,
        "Last spring the United States barred Russian companies from importing server GPUs.",
    )
    assert (blocked.subtype, blocked.country_code) == ("export_control", "US")
    [effect] = policies(
        extractor,
        make_document,
        "Japan's tighter export rules barring toolmakers from shipping chip equipment abroad surprised "
        "its neighbours.",
    )
    assert effect.subtype == "export_control"
    [authorised] = policies(
        extractor,
        make_document,
        "President Donald Trump authorized sales of older accelerators to Vietnam this week.",
    )
    assert (authorised.subtype, authorised.country_code) == ("export_control", "US")


def test_exports_authorised_to_named_companies_are_not_a_policy(extractor, make_document) -> None:
    assert not policies(
        extractor,
        make_document,
        "The US authorized the export of advanced accelerators to Microsoft for its Gulf data centres.",
    )


def test_initiative_needs_a_qualifier_to_be_an_act(extractor, make_document) -> None:
    [policy] = policies(
        extractor, make_document, "Last week Beijing unveiled a national robotics initiative."
    )
    assert (policy.subtype, policy.country_code) == ("national_strategy", "CN")
    assert not policies(
        extractor,
        make_document,
        "Chile's president announced an initiative to invest $500 million in data centres.",
    )


def test_programme_named_with_the_us_spelling(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "Greece rolled out its National Program for Quantum Technologies in 2022 with EU funds.",
    )
    assert (policy.name, policy.subtype, policy.country_code) == (
        "National Program for Quantum Technologies",
        "funding_programme",
        "GR",
    )


def test_headline_run_does_not_lend_one_items_verb_to_another(extractor, make_document) -> None:
    found = policies(
        extractor,
        make_document,
        "In this issue:\nNorway's Robot Grand Plan Stays On Paper\nA new chip fab opens\n"
        "Five years ago, Norway launched its National Program for Ocean Robotics.",
    )
    assert [p.name for p in found] == ["National Program for Ocean Robotics"]


def test_controls_described_with_their_maker(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "The new rule extends earlier controls on quantum sensors (aimed mainly at Russia) issued by BIS "
        "in March 2023.",
    )
    assert policy.name == "controls on quantum sensors"
    assert (policy.subtype, policy.country_code) == ("export_control", "US")


def test_ruling_that_applies_a_named_act(extractor, make_document) -> None:
    found = policies(
        extractor,
        make_document,
        "Regulators at the FCC ruled that the Junk Fax Prevention Act also applies to faxes drafted by chatbots.",
    )
    assert [(p.name, p.country_code) for p in found] == [("Junk Fax Prevention Act", "US")]


def test_title_kept_whole_across_two_heads_and_a_dash_subtitle(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "Last year China's regulator released the Data Security Standard Practice Guide – Model Output "
        "Watermarking Method for Online Services.",
    )
    assert policy.name == (
        "Data Security Standard Practice Guide – Model Output Watermarking Method for Online Services"
    )
    assert (policy.subtype, policy.country_code) == ("guidance", "CN")


def test_head_words_alone_refer_back_to_an_act(extractor, make_document) -> None:
    assert not policies(
        extractor,
        make_document,
        "The Framework Convention was adopted by the ministers of the Council of Europe in Strasbourg.",
    )


def test_named_initiative_and_a_code_of_practice_being_drafted(extractor, make_document) -> None:
    [initiative] = policies(
        extractor,
        make_document,
        "At a Delhi summit in March 2025, India unveiled the Global Digital Commons Initiative.",
    )
    assert (initiative.subtype, initiative.country_code) == ("international_agreement", "IN")
    [code] = policies(
        extractor,
        make_document,
        "Officials at the European Commission are drafting a code of practice for AI chatbots.",
    )
    assert (code.subtype, code.country_code, code.status) == ("guidance", "EU", "proposed")


def test_the_agent_after_by_is_the_maker_not_the_target(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "Exporters face export controls on lithography tools (aimed at China and Hong Kong) issued by BIS in 2023.",
    )
    assert (policy.subtype, policy.country_code) == ("export_control", "US")


def test_things_issued_by_unnamed_agencies_are_not_an_act(extractor, make_document) -> None:
    assert not policies(
        extractor,
        make_document,
        "Rules issued by agencies keep applying while the review goes on.",
    )


def test_a_body_named_before_the_title_is_not_part_of_it(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "The agency wrote the guide at the direction of Congress in the Digital Skills Funding Act of 2021.",
    )
    assert policy.name == "Digital Skills Funding Act"


def test_an_act_cited_for_what_it_sets_out_is_reported(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "As set out in the 2024 National Robotics Plan, Denmark will double its research grants by 2030.",
    )
    assert (policy.name, policy.certainty, policy.country_code) == (
        "National Robotics Plan",
        "reported",
        "DK",
    )


def test_a_state_body_named_without_its_country_still_makes_an_act(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "The government announced the Smart Port Automation Roadmap in December last year.",
    )
    assert (policy.name, policy.country_code) == ("Smart Port Automation Roadmap", None)
    # Nobody who can make an act: a company's plan is not a policy.
    assert not policies(
        extractor, make_document, "The retailer announced the Store Renewal Plan in December last year."
    )


def test_a_word_of_the_title_is_not_an_event(extractor, make_document) -> None:
    # "Bill" names the act; it does not say the act was proposed in this sentence.
    assert not policies(
        extractor,
        make_document,
        "Bill C-12 is Canada's first federal law written specifically for delivery robots.",
    )


def test_being_the_nth_state_to_enact_is_no_event(extractor, make_document) -> None:
    assert not policies(
        extractor,
        make_document,
        "SB 77, which would make Idaho the fifth state to enact a drone privacy law, awaits a hearing.",
    )


def test_the_passage_of_an_act_is_its_adoption(extractor, make_document) -> None:
    found = policies(
        extractor,
        make_document,
        "Brazil started work on robotics rules soon after the passage of the European Union's AI Act.",
    )
    assert [(p.country_code, p.status) for p in found] == [("EU", "adopted")]


def test_consulting_on_a_new_state_fund_is_a_proposed_programme(extractor, make_document) -> None:
    [policy] = policies(
        extractor,
        make_document,
        "Canada will begin consulting with universities on a new Quantum Access Fund and a strategy to go with it.",
    )
    assert (policy.name, policy.subtype, policy.status, policy.country_code) == (
        "Quantum Access Fund",
        "funding_programme",
        "proposed",
        "CA",
    )


def test_a_list_item_that_is_only_an_act_states_the_act(extractor, make_document) -> None:
    found = policies(
        extractor,
        make_document,
        "Agreements that came before it:\n- Europe's AI Act, and\n- several national codes.",
    )
    assert [(p.country_code, p.subtype) for p in found] == [("EU", "regulation")]


def test_each_update_of_an_act_is_an_act_of_its_own_date(extractor, make_document) -> None:
    found = policies(
        extractor,
        make_document,
        "The new licence builds on earlier export controls on quantum sensors issued by the US Commerce "
        "Department in March 2021 and "
        "amended in June 2022 and May 2023.",
    )
    assert sorted((p.announced_on, p.subtype, p.country_code) for p in found) == [
        (dt.date(2021, 3, 1), "export_control", "US"),
        (dt.date(2022, 6, 1), "export_control", "US"),
        (dt.date(2023, 5, 1), "export_control", "US"),
    ]
    assert len({p.name for p in found}) == 3  # named apart, so that the merge keeps the updates apart
