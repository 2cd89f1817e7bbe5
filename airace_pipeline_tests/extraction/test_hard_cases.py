"""The hard cases the evaluation set is built around, one small example each (data/eval/
holds the measured set)."""

from __future__ import annotations

import datetime as dt

from airace_pipeline.extraction import FactMention


def only(mentions: list[FactMention], fact_type: str) -> list[FactMention]:
    return [m for m in mentions if m.fact_type == fact_type]


def _recipient(mention: FactMention) -> str | None:
    return next((p.organisation_id or p.name for p in mention.participants if p.role == "recipient"), None)


def test_several_deals_in_one_sentence(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Moore Threads raised 2.5 billion yuan, while Biren Technology closed a round of 1.5 billion "
            "yuan led by state-backed funds."
        )
    )
    deals = {(_recipient(m), m.amount) for m in only(mentions, "investment")}
    assert deals == {("moore-threads", 2.5e9), ("biren", 1.5e9)}


def test_one_deal_among_other_figures_keeps_its_own_amount(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "On the same day, the company said it had spent about $30 billion on data centres last year, "
            "and xAI said it was seeking $6 billion from investors."
        )
    )
    [deal] = only(mentions, "investment")
    assert (_recipient(deal), deal.amount, deal.certainty) == ("xai", 6e9, "rumoured")


def test_this_collaboration_includes_makes_the_parties_an_alliance(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Saudi Arabia's Public Investment Fund and Google announced plans for an AI hub in the kingdom. "
            "This collaboration includes a $10 billion investment in data centres and research."
        )
    )
    [alliance] = only(mentions, "alliance")
    assert {p.organisation_id for p in alliance.participants} == {"pif", "google"}
    assert (alliance.amount, alliance.currency) == (1e10, "USD")
    assert only(mentions, "investment") == []


def test_a_sale_is_the_buyers_acquisition(extractor, make_document) -> None:
    [deal] = extractor.extract(
        make_document("SoftBank Group agreed to sell chip designer Arm to Nvidia for up to $40 billion.")
    )
    roles = {p.organisation_id: p.role for p in deal.participants}
    assert deal.subtype == "acquisition"
    assert roles == {"arm": "recipient", "nvidia": "lead", "softbank": "participant"}


def test_a_grant_to_a_foreign_company_is_the_funders_programme(extractor, make_document) -> None:
    [deal] = only(
        extractor.extract(
            make_document(
                "The Commerce Department finalised up to $6.6 billion in CHIPS Act grants for TSMC's Arizona "
                "factories on 15 November 2024."
            )
        ),
        "investment",
    )
    assert (deal.subtype, deal.country_code, _recipient(deal)) == ("government_programme", "US", "tsmc")
    assert deal.is_upper_bound


def test_talks_without_an_amount_are_a_rumour(extractor, make_document) -> None:
    [deal] = extractor.extract(
        make_document(
            "OpenAI is reportedly in talks to raise funding at a valuation of more than $100 billion, with "
            "Thrive Capital expected to lead the round."
        )
    )
    assert (_recipient(deal), deal.amount, deal.certainty) == ("openai", None, "rumoured")


def test_a_forecast_with_a_party_is_kept_marked_and_dated_at_its_horizon(extractor, make_document) -> None:
    [deal] = extractor.extract(
        make_document(
            "Amazon could invest $30 billion in data centres in India by 2030, an analyst predicted."
        )
    )
    assert (deal.certainty, deal.amount, deal.announced_on) == ("forecast", 3e10, dt.date(2030, 1, 1))
    assert ("India", "recipient") in {(p.name, p.role) for p in deal.participants}


def test_a_market_forecast_with_no_party_is_not_a_fact(extractor, make_document) -> None:
    # Whose money would it be? A sector's projected spending is a statistic, not an investment row.
    text = "Global spending on AI could reach $632 billion by 2028, according to a forecast by IDC."
    assert extractor.extract(make_document(text)) == []


def test_a_state_law_is_a_us_policy(extractor, make_document) -> None:
    policies = only(
        extractor.extract(
            make_document(
                "Tennessee Governor Bill Lee signed the ELVIS Act on 21 March 2024.", dt.date(2024, 3, 22)
            )
        ),
        "policy",
    )
    assert [(p.name, p.country_code, p.announced_on) for p in policies] == [
        ("ELVIS Act", "US", dt.date(2024, 3, 21))
    ]


def test_an_export_ban_is_a_policy_not_an_investigation(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "China's commerce ministry banned exports of gallium, germanium and antimony to the United States "
            "on Tuesday.",
            dt.date(2024, 12, 4),
        )
    )
    [policy] = only(mentions, "policy")
    assert (policy.subtype, policy.country_code, policy.announced_on) == (
        "export_control",
        "CN",
        dt.date(2024, 12, 3),
    )
    assert only(mentions, "incident") == []


def test_two_incidents_in_one_sentence(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "South Korea's Personal Information Protection Commission fined OpenAI 3.6 million won in 2023; "
            "on Tuesday it opened a new probe into DeepSeek.",
            dt.date(2024, 5, 28),
        )
    )
    incidents = only(mentions, "incident")
    subjects = [{p.organisation_id for p in m.participants if p.role == "subject"} for m in incidents]
    assert subjects == [{"openai"}, {"deepseek"}]
    assert all(any(p.role == "regulator" for p in m.participants) for m in incidents)


def test_a_negated_action_is_no_incident(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document("The Dutch government said it would not block the sale of the chip plant.")
    )
    assert only(mentions, "incident") == []
