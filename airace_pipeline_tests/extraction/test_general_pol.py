"""Policy facts in shapes real pages use, on invented sentences and invented acts.

Each test names the mechanism it covers: hard-wrapped lines, head words inside longer proper names,
lists of acts sharing one verb, acts placed by the page's country, and titles glued to a reference.
"""

from __future__ import annotations

import datetime as dt

DAY = dt.date(2025, 5, 2)


def policies(extractor, make_document, text: str) -> list:
    return [f for f in extractor.extract(make_document(text, DAY)) if f.fact_type == "policy"]


def names(extractor, make_document, text: str) -> set[str]:
    return {p.name for p in policies(extractor, make_document, text)}


# Hard-wrapped lines -----------------------------------------------------------------------------------


def test_a_hard_wrapped_line_keeps_the_verb_on_the_line_before(extractor, make_document) -> None:
    text = (
        "Chile has taken\n"
        "a bold step with the official launch of its\n"
        "National Robotics Strategy 2026-2031 at the harbour hall."
    )
    [policy] = policies(extractor, make_document, text)
    assert policy.name == "National Robotics Strategy 2026-2031"
    assert (policy.country_code, policy.subtype) == ("CL", "national_strategy")


def test_a_run_of_headlines_is_not_a_wrapped_line(extractor, make_document) -> None:
    text = "Chile Opens Robotics Week In Valparaiso\nNational Drone Strategy Under Review\n"
    assert "National Drone Strategy" not in names(extractor, make_document, text)


# A head word inside a longer proper name ----------------------------------------------------------------


def test_a_council_or_venue_named_after_a_head_word_is_no_act(extractor, make_document) -> None:
    text = (
        "The Robotics Strategy Council of Chile published a report on Monday, and the summit took place "
        "at the Andes International Convention Centre."
    )
    assert not names(extractor, make_document, text)


def test_a_described_act_inside_a_longer_name_is_no_act(extractor, make_document) -> None:
    text = "Chile published the Drone Strategy Council report on Monday."
    assert not names(extractor, make_document, text)


# Lists of acts ------------------------------------------------------------------------------------------


def test_a_list_of_acts_shares_its_verb(extractor, make_document) -> None:
    text = (
        "Peru's Congress passed the first-ever Law on Robotics (LR), alongside the Law on amendments and "
        "supplements to several articles of the Law on Seed Patents, and the revised Law on Drone "
        "Registration during its autumn session on 3 March 2025."
    )
    found = {p.name: p for p in policies(extractor, make_document, text)}
    assert set(found) == {
        "Law on Robotics",
        "Law on amendments and supplements to several articles of the Law on Seed Patents",
        "Law on Drone Registration",
    }
    assert {p.country_code for p in found.values()} == {"PE"}
    assert {p.status for p in found.values()} == {"adopted"}


def test_acts_joined_by_as_well_as_share_the_verb(extractor, make_document) -> None:
    text = "Chile approved the Harbour Robotics Act as well as the Tidal Drone Safety Act on Monday, 28 April 2025."
    assert names(extractor, make_document, text) == {"Harbour Robotics Act", "Tidal Drone Safety Act"}


def test_an_act_beside_a_list_but_cited_in_passing_stays_out(extractor, make_document) -> None:
    text = (
        "Chile approved the Harbour Robotics Act on Monday, whose authors say the text is modelled on the "
        "Orchard Drone Safety Act."
    )
    assert names(extractor, make_document, text) == {"Harbour Robotics Act"}


# Acts placed by the page's country ----------------------------------------------------------------------


def test_a_released_act_no_sentence_places_is_the_page_s(extractor, make_document) -> None:
    text = (
        "Australia's ministers met industry groups in Canberra this week.\n\n"
        "Concurrently released, the new Voluntary Drone Safety Standard sets out ten practices for operators."
    )
    [policy] = [p for p in policies(extractor, make_document, text) if "Drone" in (p.name or "")]
    assert policy.country_code == "AU"
    assert policy.subtype == "guidance"


def test_a_dated_list_item_is_an_act_of_the_page_s_country(extractor, make_document) -> None:
    text = (
        "Japan's ministries merged their earlier texts into one draft this week.\n\n"
        "Two guidelines were merged: Robot Design Guidelines (2018; the ministry), and Drone Utilisation "
        "Guidelines (2020; the ministry)."
    )
    found = {p.name: p for p in policies(extractor, make_document, text)}
    assert {"Robot Design Guidelines", "Drone Utilisation Guidelines"} <= set(found)
    assert found["Drone Utilisation Guidelines"].country_code == "JP"
    assert found["Drone Utilisation Guidelines"].announced_on.year == 2020


def test_a_company_s_own_standard_is_not_the_page_s_act(extractor, make_document) -> None:
    text = (
        "Chile's robotics firms grew fast last year.\n\n"
        "Velquor Robotics released its new Responsible Robotics Standard for suppliers on Monday."
    )
    assert not names(extractor, make_document, text)


def test_talk_of_a_bill_does_not_make_an_unplaced_act(extractor, make_document) -> None:
    text = (
        "Korea's parliament met again this week.\n\n"
        "While the bill is often called the K-Robot Act, it differs from the Robot Promotion Act."
    )
    assert not names(extractor, make_document, text)


# A title glued to a reference ----------------------------------------------------------------------------


def test_a_title_does_not_start_inside_an_article_number(extractor, make_document) -> None:
    text = "The order was issued in Chile under Article 4/B of Law No. 7781, which allows blocking of sites."
    assert not any(n.startswith("B ") for n in names(extractor, make_document, text))
    assert "Law No. 7781" not in names(extractor, make_document, text)


# A known title given to another jurisdiction -------------------------------------------------------------


def test_another_jurisdiction_s_act_is_not_the_known_act_of_that_title(extractor, make_document) -> None:
    [policy] = policies(extractor, make_document, "Japan’s AI Act was passed by the Diet on Friday.")
    assert (policy.country_code, policy.name) == ("JP", "AI Act")


def test_the_body_that_makes_an_act_gives_its_jurisdiction(extractor, make_document) -> None:
    text = "The European Commission first proposed the €12 billion ($13.1 billion) Chips Act last spring."
    [policy] = policies(extractor, make_document, text)
    assert policy.country_code == "EU"
    assert policy.name != "CHIPS and Science Act"


def test_the_known_act_s_own_jurisdiction_keeps_it_known(extractor, make_document) -> None:
    [policy] = policies(extractor, make_document, "The European Parliament approved the AI Act on Wednesday.")
    assert (policy.country_code, policy.name) == ("EU", "EU AI Act")


# A participle and a date after the title ----------------------------------------------------------------


def test_a_title_with_when_it_was_made_after_it_is_an_act_even_when_cited(extractor, make_document) -> None:
    text = "These risks are set out in the National Strategy for Robotics (NSR) released in June, 2018, in Chile."
    [policy] = policies(extractor, make_document, text)
    assert policy.name == "National Strategy for Robotics"
    assert (policy.announced_on, policy.country_code) == (dt.date(2018, 6, 1), "CL")


def test_a_sentence_opening_preposition_is_not_part_of_the_title(extractor, make_document) -> None:
    text = "Under the Drone Safety Act, adopted in 2021, operators in Chile must register their craft."
    [policy] = policies(extractor, make_document, text)
    assert (policy.name, policy.announced_on.year) == ("Drone Safety Act", 2021)


def test_a_cited_title_without_a_date_stays_a_passing_mention(extractor, make_document) -> None:
    text = "Under the Drone Safety Act, operators in Chile must register their craft."
    assert not policies(extractor, make_document, text)


# Short names and symbols in titles -----------------------------------------------------------------------


def test_a_short_name_in_brackets_is_the_same_act(extractor, make_document) -> None:
    text = "On 3 March 2025, Chile's president signed the Robotics Policy Act (the Chile Robot Act) into law."
    assert names(extractor, make_document, text) == {"Robotics Policy Act"}


def test_an_also_known_as_name_is_the_same_act(extractor, make_document) -> None:
    text = "Chile passed the Robotics Policy Act, also known as the Robot Act, on Monday."
    assert names(extractor, make_document, text) == {"Robotics Policy Act"}


def test_an_ampersand_stays_inside_a_title(extractor, make_document) -> None:
    assert names(extractor, make_document, "Chile adopted the Robot R&D Guidelines on Monday.") == {
        "Robot R&D Guidelines"
    }


# Proposed rules and a sentence-opening year ---------------------------------------------------------------


def test_a_government_proposing_regulations_states_a_regulation(extractor, make_document) -> None:
    text = "In 2023, the government of Chile proposed regulations to oversee drone imports."
    [policy] = policies(extractor, make_document, text)
    assert (policy.subtype, policy.country_code, policy.status) == ("regulation", "CL", "proposed")
    assert (policy.announced_on, policy.date_precision) == (dt.date(2023, 1, 1), "year")


def test_a_company_proposing_rules_states_no_policy(extractor, make_document) -> None:
    text = "Velquor Robotics proposed new rules for its suppliers on Monday."
    assert not policies(extractor, make_document, text)
