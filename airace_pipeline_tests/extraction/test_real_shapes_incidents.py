"""Incident shapes seen in real reporting, each with a small sentence written for this test."""

from __future__ import annotations

import datetime as dt

import pytest

from airace_pipeline.extraction import FactMention


def incidents(mentions: list[FactMention]) -> list[FactMention]:
    return [m for m in mentions if m.fact_type == "incident"]


def roles(mention: FactMention) -> set[tuple[str, str]]:
    return {(p.organisation_id or p.name, p.role) for p in mention.participants}


def test_a_fine_carries_its_amount(extractor, make_document) -> None:
    [fine] = incidents(extractor.extract(make_document("The CNIL fined Clearview AI €5 million on Tuesday.")))
    assert (fine.subtype, fine.amount, fine.currency) == ("regulatory_investigation", 5e6, "EUR")


def test_damages_sought_are_not_a_rumour(extractor, make_document) -> None:
    [suit] = incidents(
        extractor.extract(
            make_document("A novelist sued Meta last week and is seeking $2 million in damages.")
        )
    )
    assert (suit.subtype, suit.certainty, suit.amount) == ("litigation", "reported", 2e6)


def test_a_product_stands_for_its_developer(extractor, make_document) -> None:
    [ban] = incidents(extractor.extract(make_document("The Garante ordered a halt to ChatGPT in Italy.")))
    assert ("openai", "subject") in roles(ban)


def test_an_unlisted_department_is_the_regulator(extractor, make_document) -> None:
    [probe] = incidents(
        extractor.extract(
            make_document(
                "The Nevada Department of Road Safety opened an investigation into Waymo on Monday."
            )
        )
    )
    assert ("Nevada Department of Road Safety", "regulator") in roles(probe)
    assert ("waymo", "subject") in roles(probe)


def test_a_suspended_permit_is_a_regulatory_action(extractor, make_document) -> None:
    [action] = incidents(
        extractor.extract(
            make_document("Japan's transport ministry suspended Waymo's test permit on Friday.")
        )
    )
    assert action.subtype == "regulatory_investigation"
    assert ("waymo", "subject") in roles(action)


def test_a_probe_after_a_failure_states_both(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "The NHTSA opened a probe into Waymo after its cars failed to stop for a school bus in Texas."
            )
        )
    )
    assert {m.subtype for m in found} == {"regulatory_investigation", "safety_failure"}
    [failure] = [m for m in found if m.subtype == "safety_failure"]
    assert roles(failure) == {("waymo", "deployer")}


def test_a_fine_for_deepfake_calls_states_the_misuse(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "The FCC imposed a $3 million fine on a telecom firm for deepfake robocalls to voters."
            )
        )
    )
    assert {m.subtype for m in found} == {"regulatory_investigation", "misuse"}
    [fine] = [m for m in found if m.subtype == "regulatory_investigation"]
    assert fine.amount == 3e6


def test_a_relative_clause_tells_a_past_incident(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "Italy's privacy watchdog, which fined Replika in April 2023, is now examining DeepSeek's apps.",
                published=dt.date(2025, 3, 3),
            )
        )
    )
    by_subject = {p.organisation_id: m for m in found for p in m.participants if p.role == "subject"}
    assert set(by_subject) == {"luka-inc", "deepseek"}
    assert by_subject["luka-inc"].announced_on == dt.date(2023, 4, 1)
    assert by_subject["deepseek"].announced_on == dt.date(2025, 3, 3)
    assert all(("it-garante", "regulator") in roles(m) for m in found)


def test_an_exposed_database_is_a_data_breach(extractor, make_document) -> None:
    [breach] = incidents(
        extractor.extract(
            make_document(
                "Researchers at Wiz revealed that DeepSeek left a database of user logs publicly accessible."
            )
        )
    )
    assert breach.subtype == "data_breach"
    assert roles(breach) == {("deepseek", "deployer")}


def test_a_newspaper_investigation_is_not_a_probe(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "The report follows an investigation by the newspaper into chips sent through Malaysia."
            )
        )
    )
    assert found == []


def test_restricted_goods_are_not_an_action(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(make_document("The trader used U.S. warehouses to move restricted chips abroad."))
    )
    assert found == []


def test_chip_smuggling_charges_are_an_export_control_incident(extractor, make_document) -> None:
    [charge] = incidents(
        extractor.extract(
            make_document("The Justice Department charged three men with smuggling Nvidia chips to China.")
        )
    )
    assert charge.subtype == "export_control"


def test_an_authorised_export_is_an_export_control_incident(extractor, make_document) -> None:
    [licence] = incidents(
        extractor.extract(
            make_document("The Commerce Department said it had authorized the export of Nvidia chips to G42.")
        )
    )
    assert licence.subtype == "export_control"
    assert ("g42", "subject") in roles(licence)


def test_a_pedestrian_hit_by_a_robotaxi_is_a_safety_failure(extractor, make_document) -> None:
    [crash] = incidents(
        extractor.extract(make_document("A Baidu robotaxi collided with a pedestrian in Wuhan on Sunday."))
    )
    assert crash.subtype == "safety_failure"


def test_a_cleared_partnership_keeps_its_alliance(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document("The CMA cleared a partnership between Microsoft and Mistral AI on Monday.")
    )
    assert [m.subtype for m in incidents(mentions)] == ["regulatory_investigation"]
    [alliance] = [m for m in mentions if m.fact_type == "alliance"]
    assert {p.organisation_id for p in alliance.participants} == {"microsoft", "mistral-ai"}


def test_a_capital_acts_for_its_government(extractor, make_document) -> None:
    [listing] = incidents(
        extractor.extract(
            make_document("Beijing has added Micron to a list of unreliable suppliers, blacklisting it.")
        )
    )
    assert ("CN", "regulator") in {(p.country_code, p.role) for p in listing.participants if p.is_country}
    assert ("micron", "subject") in roles(listing)


def test_a_named_risk_of_misuse_is_not_a_misuse(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "The rule guards against actors that may use AI models to conduct cyberattacks, e.g. on banks."
            )
        )
    )
    assert found == []


def test_a_ban_on_a_class_of_firms_is_not_an_incident(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document("In 2023 the US blocked Chinese companies from buying advanced lithography tools.")
        )
    )
    assert found == []


def test_a_second_case_still_under_review_keeps_the_regulator(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "The CMA cleared a partnership between Microsoft and Mistral AI, while a deal between Amazon and "
                "Anthropic remains under review."
            )
        )
    )
    assert [sorted(o for o, role in roles(m) if role == "subject") for m in found] == [
        ["microsoft", "mistral-ai"],
        ["amazon", "anthropic"],
    ]
    assert all(("uk-cma", "regulator") in roles(m) for m in found)


def test_a_suit_for_an_amount_carries_it(extractor, make_document) -> None:
    [suit] = incidents(
        extractor.extract(make_document("A photographer is suing Stability AI for $4 million."))
    )
    assert (suit.subtype, suit.amount, suit.currency) == ("litigation", 4e6, "USD")


def test_a_suit_that_seeks_to_hold_a_firm_liable_is_reported(extractor, make_document) -> None:
    [suit] = incidents(
        extractor.extract(
            make_document(
                "A judge let a lawsuit against Character.AI go ahead, a case that seeks to hold it liable."
            )
        )
    )
    assert (suit.subtype, suit.certainty) == ("litigation", "reported")


def test_weighing_legal_action_is_a_rumoured_suit(extractor, make_document) -> None:
    [suit] = incidents(
        extractor.extract(
            make_document("Anthropic weighs legal action against Cursor over its use of Claude.")
        )
    )
    assert (suit.subtype, suit.certainty) == ("litigation", "rumoured")
    assert ("anysphere", "subject") in roles(suit)


def test_a_trial_against_a_firm_is_litigation(extractor, make_document) -> None:
    [suit] = incidents(
        extractor.extract(make_document("Talks may wait until the end of the ongoing trial against OpenAI."))
    )
    assert suit.subtype == "litigation"
    assert ("openai", "subject") in roles(suit)


def test_charges_over_exported_chips_are_an_export_control_incident(extractor, make_document) -> None:
    [charge] = incidents(
        extractor.extract(
            make_document(
                "Thai prosecutors filed charges against two traders over servers exported with Nvidia chips."
            )
        )
    )
    assert charge.subtype == "export_control"


def test_the_country_that_investigates_is_the_regulator(extractor, make_document) -> None:
    [probe] = incidents(
        extractor.extract(
            make_document(
                "Japan said the parts went to Vietnam while Vietnam said it is investigating the exporter."
            )
        )
    )
    assert (probe.subtype, probe.country_code) == ("regulatory_investigation", "VN")


def test_the_platform_x_is_read_from_an_enforcement_context(extractor, make_document) -> None:
    [probe] = incidents(
        extractor.extract(
            make_document("The European Commission opened formal proceedings against X over its ads.")
        )
    )
    assert ("x-corp", "subject") in roles(probe)


def test_an_owners_first_name_is_not_a_party(extractor, make_document) -> None:
    [probe] = incidents(
        extractor.extract(
            make_document(
                "The European Commission opened a formal investigation against Elon Musk’s X on Monday."
            )
        )
    )
    assert {name for name, _ in roles(probe)} == {"european-commission", "x-corp"}


def test_a_one_letter_description_is_not_a_party(extractor, make_document) -> None:
    [probe] = incidents(
        extractor.extract(
            make_document(
                "The European Commission opened a probe into Grok, a chatbot built into the platform X."
            )
        )
    )
    assert "x-corp" not in {name for name, _ in roles(probe)}


def test_the_platform_a_misuse_spread_on_deploys_it(extractor, make_document) -> None:
    [misuse] = incidents(
        extractor.extract(make_document("Deepfake videos of a mayor spread quickly on X over the weekend."))
    )
    assert misuse.subtype == "misuse"
    assert ("x-corp", "deployer") in roles(misuse)


def test_a_post_on_x_is_not_a_party(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document("A robotaxi from Baidu struck a cyclist, a local paper said in a post on X.")
        )
    )
    assert all("x-corp" not in {name for name, _ in roles(m)} for m in found)


def test_the_owner_of_a_suspended_permit_is_the_subject(extractor, make_document) -> None:
    [action] = incidents(
        extractor.extract(
            make_document(
                "The Ohio Department of Transport on Monday suspended Drivelo’s permit to test vans."
            )
        )
    )
    assert action.subtype == "regulatory_investigation"
    assert ("Drivelo", "subject") in roles(action)
    assert action.country_code == "US"  # a state's agency places it in the state's country


def test_a_partys_answer_to_a_claim_is_no_new_incident(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(make_document("Midjourney is contesting the lawsuit, which it calls baseless."))
    )
    assert found == []


def test_the_maker_of_smuggled_chips_is_not_a_party(extractor, make_document) -> None:
    [charge] = incidents(
        extractor.extract(
            make_document(
                "The Justice Department charged three men with smuggling Nvidia H20 graphics processing "
                "units to China."
            )
        )
    )
    assert charge.subtype == "export_control"
    assert "nvidia" not in {name for name, _ in roles(charge)}


def test_a_regulator_evaluating_safety_is_investigating(extractor, make_document) -> None:
    [probe] = incidents(
        extractor.extract(
            make_document(
                "The National Highway Traffic Safety Administration, which is also evaluating the safety of the "
                "robotaxis, said it was told of the crash."
            )
        )
    )
    assert probe.subtype == "regulatory_investigation"


def test_an_embedded_post_is_not_a_second_incident(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "Regulator sends orders to five app makers: https://t.co/abc — FTC (@FTC) May 2, 2025"
            )
        )
    )
    assert found == []


def test_a_retold_action_of_the_same_regulator_is_one_incident(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "The Federal Trade Commission opened an inquiry into Meta and OpenAI over companion chatbots. "
                "Critics said the FTC launched the inquiry into chatbots too late."
            )
        )
    )
    assert len(found) == 1
    assert ("openai", "subject") in roles(found[0])


def test_a_dated_earlier_step_of_the_regulator_is_kept(extractor, make_document) -> None:
    found = incidents(
        extractor.extract(
            make_document(
                "In May 2023, the Garante fined OpenAI 10 million euros. "
                "In March 2022, the Garante ordered the company to stop processing data of Italian users."
            )
        )
    )
    assert len(found) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Ireland's data protection regulator has fined Quorvia €20 million.",
        "Italy's privacy watchdog ordered Quorvia to stop processing Italian users' data.",
        "Quorvia was fined €20 million by the Dutch data protection authority.",
    ],
)
def test_an_unknown_company_fined_or_ordered_is_the_subject(extractor, make_document, text: str) -> None:
    facts = [f for f in extractor.extract(make_document(text)) if f.fact_type == "incident"]
    assert ("Quorvia", "subject") in {(p.name, p.role) for f in facts for p in f.participants}


def test_prosecutors_are_no_organisation(extractor, make_document) -> None:
    facts = extractor.extract(make_document("Prosecutors charged Quorvia with smuggling chips."))
    assert "Prosecutors" not in {p.name for f in facts for p in f.participants}
