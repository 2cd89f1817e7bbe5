"""Alliance shapes seen in real reporting, one invented sentence each: member lists, subsidiaries named
after a country, subject lists, "agreement between", partnerships stated inside an incident, and the
sentences that only look like alliances (questions, doubts, back-references)."""

from __future__ import annotations

from airace_pipeline.extraction import FactMention
from airace_pipeline.extraction.clauses import member_list_spans


def alliances(mentions: list[FactMention]) -> list[FactMention]:
    return [m for m in mentions if m.fact_type == "alliance"]


def members(mention: FactMention) -> set[str]:
    return {p.organisation_id or p.country_code or p.name for p in mention.participants}


def names(text: str) -> list[str]:
    return [text[a:b] for a, b in member_list_spans(text)]


def test_member_list_after_including_names_unknown_members(extractor, make_document) -> None:
    text = (
        "The Open Robotics Alliance also counts several public bodies among its members, including ESA, "
        "Fraunhofer Society, Karolinska Hospital and the University of Porto."
    )
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert {"ESA", "Fraunhofer Society", "Karolinska Hospital", "University of Porto"} <= members(alliance)


def test_list_stops_at_prose_and_at_a_cut_off_item() -> None:
    assert names("The group said it is working with partners to advance open tools.") == []
    assert names("Members include Acme Labs, Borealis Analytics, Corvid") == [
        "Acme Labs",
        "Borealis Analytics",
    ]
    assert names("a pact signed by Nvidia's Jensen Huang and Arm's chief") == []


def test_appositive_inside_a_between_list(extractor, make_document) -> None:
    text = "A new partnership between Nvidia, the graphics chip giant, and the University of Leeds was announced."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"nvidia", "University of Leeds"}


def test_name_with_and_before_its_acronym_is_one_member() -> None:
    text = "The lab runs in partnership with Marine Science and Technology (MST), Intel and HPE."
    assert names(text) == ["Marine Science and Technology", "Intel", "HPE"]


def test_company_followed_by_a_country_is_its_local_arm(extractor, make_document) -> None:
    text = "An MoU was signed between Microsoft Kenya and Savannah Robotics Division to train engineers."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"Microsoft Kenya", "Savannah Robotics Division"}


def test_leaders_of_a_country_stay_the_country(extractor, make_document) -> None:
    text = "Leaders of Canada, Mexico and the United States agreed to cooperate on chip supply chains."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"CA", "MX", "US"}


def test_subject_list_of_three_with_an_unknown_member(extractor, make_document) -> None:
    text = "Toyota, Zentrix, and OpenAI today announced a strategic partnership on factory robots."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"toyota", "Zentrix", "openai"}


def test_agreement_between_two_capitals(extractor, make_document) -> None:
    text = (
        "The chip approvals form part of a wider AI agreement between Washington and Tokyo, officials said."
    )
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"US", "JP"}


def test_countries_partnering_on_a_project(extractor, make_document) -> None:
    text = "France and India are partnering on a large computing campus near Chennai."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"FR", "IN"}


def test_joint_ventures_with_two_companies(extractor, make_document) -> None:
    text = "Anthropic said it would set up joint ventures with Samsung and SK Hynix to build two plants."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert {"samsung", "sk-hynix"} <= members(alliance)


def test_agreement_with_links_its_two_sides(extractor, make_document) -> None:
    text = "Humain said a supply agreement with Nvidia sets up a wider partnership over the next three years."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"humain", "nvidia"}


def test_partnership_stated_inside_a_lawsuit(extractor, make_document) -> None:
    text = (
        "The complaint says models built by OpenAI and Microsoft, which have a $13 billion partnership, "
        "copied thousands of news stories."
    )
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"openai", "microsoft"}


def test_questions_doubts_and_back_references_state_no_alliance(extractor, make_document) -> None:
    for text in (
        "Will Google and MediaTek Partner on Server Chips?",
        "It is unclear whether Google and MediaTek will partner on server chips.",
        "Through these partnerships, Samsung Electronics and SK Hynix plan to expand memory output.",
    ):
        assert alliances(extractor.extract(make_document(text))) == [], text


def test_plural_deals_with_a_list_are_one_alliance_per_partner(extractor, make_document) -> None:
    text = (
        "Mistral AI has secured partnerships with the lenders BNP Paribas and Credit Mutuel Arkea this year."
    )
    found = {frozenset(members(a)) for a in alliances(extractor.extract(make_document(text)))}
    assert found == {
        frozenset({"mistral-ai", "BNP Paribas"}),
        frozenset({"mistral-ai", "Credit Mutuel Arkea"}),
    }


def test_list_item_extending_a_known_company_names_its_unit(extractor, make_document) -> None:
    text = "OpenAI also signed an agreement with Samsung Heavy Industries, Samsung SDS and Naver Cloud."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert {"Samsung Heavy Industries", "Samsung SDS"} <= members(alliance)


def test_list_with_descriptors_and_legal_endings_joins_its_members(extractor, make_document) -> None:
    text = (
        "The state unveiled a new chip venture led by state investor Temasek Holdings Co. and cloud "
        "firm Alibaba as founding partners."
    )
    [alliance] = alliances(extractor.extract(make_document(text)))
    roles = {p.organisation_id or p.name: p.role for p in alliance.participants}
    assert roles.get("alibaba") == "founding_member" and len(roles) == 2


def test_rule_jointly_issued_by_two_ministries_is_no_alliance(extractor, make_document) -> None:
    text = (
        "The Provisions were jointly drafted and issued by the Ministry of Commerce and the Ministry of "
        "Science and Technology to cooperate on data rules."
    )
    assert alliances(extractor.extract(make_document(text))) == []


def test_deals_listed_after_a_sentence_naming_their_party(extractor, make_document) -> None:
    text = (
        "Anthropic signed several agreements in Tokyo on Monday. These include a partnership with "
        "Rakuten on cloud capacity, as well as an agreement with Fujitsu and NEC on research."
    )
    found = {frozenset(members(a)) for a in alliances(extractor.extract(make_document(text)))}
    assert frozenset({"anthropic", "rakuten"}) in found
    assert any({"anthropic", "fujitsu"} <= group for group in found)


def test_titled_person_and_words_containing_mou_are_no_alliance(extractor, make_document) -> None:
    for text in (
        "Ghana signed a deal with President Maria Lopes for a new data centre.",
        "Worries have been mounting since a small lab built a model rivalling those made by OpenAI and Google.",
    ):
        assert alliances(extractor.extract(make_document(text))) == [], text


def test_second_dated_clause_is_a_second_alliance(extractor, make_document) -> None:
    text = (
        "In March 2024, Aleph Alpha and SAP signed an MoU on language models and in June 2023, "
        "Helsing and SAP collaborated on defence software."
    )
    found = {frozenset(members(a)) for a in alliances(extractor.extract(make_document(text)))}
    assert len(found) == 2 and all("sap" in group for group in found)


def test_next_sentence_adding_members_extends_the_alliance(extractor, make_document) -> None:
    text = (
        "Nvidia, Intel and Google on Monday formed a new industry alliance to set memory standards. "
        "The Open Memory Group also counts Micron, Broadcom and Cisco among its members. "
        "They also include research bodies such as Fraunhofer Society and Inria."
    )
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert {"nvidia", "intel", "google", "broadcom", "cisco", "Fraunhofer Society"} <= members(alliance)


def test_countries_signing_a_named_convention(extractor, make_document) -> None:
    text = "Canada, Japan and Norway signed the Geneva Convention on Machine Learning Safety on 3 March."
    found = [a for a in alliances(extractor.extract(make_document(text))) if {"CA", "JP", "NO"} <= members(a)]
    assert found and all(p.role == "signatory" for p in found[0].participants)


def test_chained_deal_lists_keep_the_party_named_first(extractor, make_document) -> None:
    text = (
        "Mistral AI also inked several agreements on Tuesday to study new computing sites in Portugal. "
        "These include an MoU with the Portuguese Agency for Digital Affairs to look at sites near Lisbon. "
        "The agreements signed on Tuesday also include a partnership with Nokia to test edge servers, as well "
        "as an agreement with Siemens Energy and Iberdrola to plan power supply."
    )
    found = {frozenset(members(a)) for a in alliances(extractor.extract(make_document(text)))}
    assert frozenset({"mistral-ai", "nokia"}) in found
    assert any({"mistral-ai", "Siemens Energy"} <= group for group in found)


def test_possessive_deal_list_names_one_partner(extractor, make_document) -> None:
    text = (
        "Cohere has been central to the region's software push. Its partnerships include one with Oracle, "
        "which is helping the Canadian firm expand."
    )
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"cohere", "oracle"}


def test_background_after_a_partnership_adds_no_members(extractor, make_document) -> None:
    text = (
        "Mistral AI and Nvidia signed a partnership on Monday to build a model. "
        "The partnership comes amid Paris's efforts to curb imports, with the US adding three firms to a trade list."
    )
    for alliance in alliances(extractor.extract(make_document(text))):
        assert "US" not in members(alliance)


def test_abbreviation_of_a_place_is_no_party(extractor, make_document) -> None:
    text = "The plant will be built near Mombasa by IBM, jointly with a firm based in the United Arab Emirates (UAE)."
    assert alliances(extractor.extract(make_document(text))) == []


def test_firms_that_have_all_struck_deals_are_no_alliance(extractor, make_document) -> None:
    text = "Over the past year, Nvidia, Oracle, AMD and Intel have all struck a string of partnerships with labs."
    assert alliances(extractor.extract(make_document(text))) == []


def test_comment_on_possible_talks_is_no_alliance(extractor, make_document) -> None:
    text = "Mistral AI also clarified its stance on possible partnership talks with Samsung on Friday."
    assert alliances(extractor.extract(make_document(text))) == []


def test_meeting_of_a_partnership_council_in_a_city(extractor, make_document) -> None:
    text = "On 2 May 2024, the Third Meeting of the Canada-Korea Digital Partnership Council was held in Oslo, Norway."
    for alliance in alliances(extractor.extract(make_document(text))):
        assert (
            "NO" not in members(alliance)
            and alliance.name != "Third Meeting of the Canada-Korea Digital Partnership"
        )


def test_understanding_between_a_ministry_and_an_owned_institute(extractor, make_document) -> None:
    text = (
        "Alongside an understanding between Kenya’s Department of Science and Innovation and Japan’s Institute "
        "of Physical and Chemical Research (RIKEN) on a joint lab, both governments plan a fund for startups."
    )
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"Department of Science and Innovation", "riken"}


def test_topics_on_the_agenda_of_a_meeting_are_no_alliance(extractor, make_document) -> None:
    text = (
        "Energy cooperation and trade will top the agenda of the summit between Kenya and Germany next week."
    )
    assert alliances(extractor.extract(make_document(text))) == []


def test_customer_of_a_supply_deal_is_a_party(extractor, make_document) -> None:
    text = "Intel and Micron have signed letters of intent to supply processors for Anthropic's clusters in Ohio."
    [alliance] = alliances(extractor.extract(make_document(text)))
    assert members(alliance) == {"intel", "micron", "anthropic"}


def test_combined_market_share_is_no_alliance(extractor, make_document) -> None:
    text = "Intel and AMD together hold about 90% of the market for desktop processors."
    assert alliances(extractor.extract(make_document(text))) == []
