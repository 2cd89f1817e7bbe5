"""Behaviour of the whole extractor on small hand-written documents."""

from __future__ import annotations

import datetime as dt

import pytest

from airace_pipeline.extraction import FactMention, RuleBasedExtractor


def only(mentions: list[FactMention], fact_type: str) -> list[FactMention]:
    return [m for m in mentions if m.fact_type == fact_type]


def test_interface(extractor: RuleBasedExtractor) -> None:
    assert extractor.name == "rules" and extractor.version == "1"


def test_spans_index_the_document(extractor, make_document) -> None:
    document = make_document(
        "Home | World | Business\n\nOpenAI said on 2 October 2024 that it has raised $6.6 billion in new "
        "funding at a post-money valuation of $157 billion.\n\nAdvertisement\n"
    )
    mentions = extractor.extract(document)
    assert mentions
    for mention in mentions:
        assert document.text[mention.span_start : mention.span_end] == mention.sentence


def test_investment_round(extractor, make_document) -> None:
    [fact] = extractor.extract(
        make_document(
            "Sarvam AI, a Bengaluru-based generative AI startup, said on Thursday it has raised $41 million "
            "in a Series A round led by Lightspeed Venture Partners.",
            published=dt.date(2023, 12, 7),
        )
    )
    assert (fact.fact_type, fact.subtype, fact.round_type) == ("investment", "private_round", "series_a")
    assert (fact.amount, fact.currency, fact.announced_on) == (41e6, "USD", dt.date(2023, 12, 7))
    roles = {(p.organisation_id, p.role) for p in fact.participants}
    assert roles == {("sarvam-ai", "recipient"), ("lightspeed", "lead")}
    assert fact.country_code == "IN"


def test_valuation_is_not_the_amount(extractor, make_document) -> None:
    [fact] = extractor.extract(
        make_document(
            "OpenAI said on 2 October 2024 that it has raised $6.6 billion at a $157 billion valuation."
        )
    )
    assert fact.amount == 6.6e9 and fact.announced_on == dt.date(2024, 10, 2)


def test_corporate_investment_and_alliance_in_one_sentence(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Microsoft and OpenAI announced a multiyear partnership on 22 July 2019 under which Microsoft "
            "will invest $1 billion in OpenAI."
        )
    )
    [investment] = only(mentions, "investment")
    assert investment.subtype == "corporate_strategic"
    assert {(p.organisation_id, p.role) for p in investment.participants} == {
        ("openai", "recipient"),
        ("microsoft", "lead"),
    }
    [alliance] = only(mentions, "alliance")
    assert {p.organisation_id for p in alliance.participants} == {"microsoft", "openai"}


def test_alliance_coreference_carries_the_money(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Japan and South Korea formed an alliance on chips and quantum computing. "
            "This collaboration includes a $5 billion investment in research and development."
        )
    )
    assert [m.fact_type for m in mentions] == ["alliance"]
    [alliance] = mentions
    assert {(p.country_code, p.is_country, p.role) for p in alliance.participants} == {
        ("JP", True, "member"),
        ("KR", True, "member"),
    }
    assert (alliance.amount, alliance.currency) == (5e9, "USD")
    assert {"chips", "quantum computing"} <= set(alliance.focus_areas)
    assert alliance.sentence.endswith("research and development.")


def test_company_coreference(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Cohere is a Toronto-based enterprise AI developer. The company raised US$270 million in a "
            "Series C round led by Inovia Capital."
        )
    )
    [fact] = only(mentions, "investment")
    assert ("cohere", "recipient") in {(p.organisation_id, p.role) for p in fact.participants}
    assert ("Inovia Capital", "lead") in {(p.name, p.role) for p in fact.participants}


def test_government_programme(extractor, make_document) -> None:
    [investment, policy] = extractor.extract(
        make_document(
            "The Union Cabinet, chaired by Prime Minister Narendra Modi, on 7 March 2024 approved the "
            "IndiaAI Mission with a budget outlay of ₹10,371.92 crore over five years.",
            published=dt.date(2024, 3, 7),
        )
    )
    assert investment.subtype == "government_programme" and investment.name == "IndiaAI Mission"
    assert investment.amount == pytest.approx(1.037192e11) and investment.currency == "INR"
    assert ("IN", True, "recipient") in {
        (p.country_code, p.is_country, p.role) for p in investment.participants
    }
    assert ("gov-in", "funder") in {(p.organisation_id, p.role) for p in investment.participants}
    assert (policy.fact_type, policy.subtype, policy.status) == ("policy", "funding_programme", "adopted")


def test_executive_order_policy(extractor, make_document) -> None:
    [policy] = extractor.extract(
        make_document(
            'President Joe Biden signed Executive Order 14110, "Safe, Secure, and Trustworthy Development and '
            'Use of Artificial Intelligence", at the White House on Monday, 30 October 2023.',
            published=dt.date(2023, 10, 30),
        )
    )
    assert (policy.name, policy.subtype, policy.country_code) == (
        "Executive Order 14110",
        "executive_order",
        "US",
    )
    assert policy.announced_on == dt.date(2023, 10, 30) and policy.status == "adopted"
    assert ("eo_number", "14110") in policy.external_ids
    assert ("fr_document_number", "2023-24283") in policy.external_ids


def test_revocation_is_a_revoked_mention(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "It follows the revocation of Executive Order 14110 on 20 January 2025 by Executive Order 14148.",
            published=dt.date(2025, 1, 23),
        )
    )
    by_name = {m.name: m for m in mentions}
    assert by_name["Executive Order 14110"].status == "revoked"
    assert by_name["Executive Order 14110"].announced_on == dt.date(2025, 1, 20)
    assert (
        by_name.get("Executive Order 14148") is None or by_name["Executive Order 14148"].status != "revoked"
    )


def test_eu_ai_act(extractor, make_document) -> None:
    [policy] = extractor.extract(
        make_document(
            "The European Parliament approved the Artificial Intelligence Act on Wednesday, 13 March 2024."
        )
    )
    assert (policy.name, policy.country_code, policy.subtype) == ("EU AI Act", "EU", "regulation")
    assert policy.announced_on == dt.date(2024, 3, 13) and ("celex", "32024R1689") in policy.external_ids


def test_passing_mention_of_a_policy_is_not_a_fact(extractor, make_document) -> None:
    assert not only(
        extractor.extract(
            make_document("The bill takes a risk-based approach similar to the European Union's AI Act.")
        ),
        "policy",
    )


def test_regulatory_incident(extractor, make_document) -> None:
    [incident] = extractor.extract(
        make_document(
            "On 30 January, Italy's data protection authority, the Garante, ordered DeepSeek to block its "
            "chatbot for Italian users and opened an investigation into its handling of personal data.",
            published=dt.date(2025, 1, 31),
        )
    )
    assert incident.subtype == "regulatory_investigation" and incident.announced_on == dt.date(2025, 1, 30)
    roles = {(p.organisation_id, p.role) for p in incident.participants}
    assert roles == {("it-garante", "regulator"), ("deepseek", "subject")}
    assert incident.country_code == "IT"


def test_litigation_roles(extractor, make_document) -> None:
    [incident] = extractor.extract(
        make_document("The New York Times sued OpenAI and Microsoft for copyright infringement on Wednesday.")
    )
    assert incident.subtype == "litigation"
    assert {(p.organisation_id, p.role) for p in incident.participants} == {
        ("new-york-times", "harmed_party"),
        ("openai", "subject"),
        ("microsoft", "subject"),
    }


def test_military_deployment_and_certainty(extractor, make_document) -> None:
    [incident] = extractor.extract(
        make_document(
            "The Israel Defense Forces on Wednesday denied reports that it uses an artificial intelligence "
            "system to identify Hamas operatives as targets in Gaza."
        )
    )
    assert incident.subtype == "military_deployment" and incident.certainty == "denied"
    assert ("il-idf", "deployer") in {(p.organisation_id, p.role) for p in incident.participants}


def test_rumoured_investment(extractor, make_document) -> None:
    [fact] = extractor.extract(
        make_document(
            "Alibaba Group Holding has led a funding round of about $1 billion in Moonshot AI, according to "
            "people familiar with the deal."
        )
    )
    assert fact.certainty == "rumoured" and fact.amount == 1e9
    assert {(p.organisation_id, p.role) for p in fact.participants} == {
        ("moonshot-ai", "recipient"),
        ("alibaba", "lead"),
    }


def test_date_falls_back_to_paragraph_then_publication(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Japan and South Korea formed an alliance on chips on 3 February 2025.\n\n"
            "Microsoft will invest $1.5 billion in G42.",
            published=dt.date(2025, 2, 28),
        )
    )
    alliance, investment = mentions
    assert alliance.announced_on == dt.date(2025, 2, 3)
    assert (investment.announced_on, investment.date_precision) == (dt.date(2025, 2, 28), "day")


def test_boilerplate_yields_nothing(extractor, make_document) -> None:
    text = (
        "Home | World | Business | Tech\n\nSubscribe to our newsletter\n\nAdvertisement\n\n"
        "We use cookies to improve your experience. [Accept]\n\n"
        "Our partners: Google Microsoft Nvidia Amazon Meta OpenAI\n\n"
        "Related stories\n- OpenAI raises $6.6 billion in new funding\n- Trump signs executive order 14179\n\n"
        "Copyright 2025. All rights reserved.\n"
    )
    assert extractor.extract(make_document(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01\x02",
        "ÿ" * 50_000,
        "$$$ €€€ 1,2,3 billion " * 2_000,
        "Act. " * 10_000,
        "(" * 5_000,
    ],
)
def test_odd_input_never_raises(extractor, make_document, text: str) -> None:
    assert isinstance(extractor.extract(make_document(text)), list)


def test_missing_publication_date_does_not_raise(extractor, make_document) -> None:
    document = make_document("Microsoft will invest $1.5 billion in G42 on Tuesday.")
    document = type(document)(document_id="d", title="", text=document.text, published_on=None)  # type: ignore[arg-type]
    [fact] = extractor.extract(document)
    assert fact.announced_on is None


def test_deterministic(extractor, make_document) -> None:
    document = make_document(
        "SoftBank, OpenAI, Oracle and MGX announced the Stargate Project. The partners said they intend to "
        "invest $500 billion in AI infrastructure over four years."
    )
    assert extractor.extract(document) == extractor.extract(document)


def test_held_investment_is_completed_by_later_sentences(extractor, make_document) -> None:
    [fact] = extractor.extract(
        make_document(
            "President Donald Trump on Tuesday announced a private-sector investment of up to $500 billion in "
            "AI infrastructure. The joint venture is called Stargate. SoftBank, OpenAI, Oracle and the Abu Dhabi "
            "technology investor MGX are its initial equity backers.",
            published=dt.date(2025, 1, 22),
        )
    )
    assert (fact.name, fact.subtype, fact.amount, fact.is_upper_bound) == (
        "Stargate",
        "public_private_initiative",
        5e11,
        True,
    )
    assert {"softbank", "openai", "oracle", "mgx"} <= {p.organisation_id for p in fact.participants}
    assert fact.announced_on == dt.date(2025, 1, 21)


def test_unnamed_investment_without_recipient_is_dropped(extractor, make_document) -> None:
    assert not extractor.extract(
        make_document("The aid is meant to draw more than ¥50 trillion in investment.")
    )


def test_revocation_stated_by_the_previous_sentence(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Trump signed Executive Order 14148 on 20 January 2025. The order cancels dozens of executive "
            "actions taken by President Joe Biden. Among them is Executive Order 14110, which Biden signed on "
            "30 October 2023.",
            published=dt.date(2025, 1, 21),
        )
    )
    eo = {(m.status, m.announced_on) for m in mentions if m.name == "Executive Order 14110"}
    assert eo == {("revoked", dt.date(2025, 1, 20)), ("adopted", dt.date(2023, 10, 30))}
    revoked = next(m for m in mentions if m.name == "Executive Order 14110" and m.status == "revoked")
    assert revoked.sentence.startswith("The order cancels")


def test_promised_repeal_is_not_a_revocation(extractor, make_document) -> None:
    # A pledge is not an event of the act: no mention (a "revoked" one would poison the act's status).
    assert not extractor.extract(
        make_document("The party platform adopted in July 2024 pledged to repeal Executive Order 14110.")
    )


def test_deal_amount_and_unknown_name_reused_later(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Nvidia said on Wednesday it has agreed to acquire Runtastic, a Tel Aviv-based company that makes "
            "software. The deal is worth about $700 million, according to people familiar with it.\n\n"
            "Runtastic had raised $118 million from investors including Insight Partners and Tiger Global.",
            published=dt.date(2024, 4, 24),
        )
    )
    acquisition, round_ = only(mentions, "investment")
    assert (acquisition.subtype, acquisition.amount) == ("acquisition", 7e8)
    assert {(p.name, p.role) for p in acquisition.participants} == {
        ("Runtastic", "recipient"),
        ("Nvidia", "lead"),
    }
    assert ("Runtastic", "recipient") in {(p.name, p.role) for p in round_.participants}


def test_state_investment_abroad(extractor, make_document) -> None:
    [fact] = extractor.extract(
        make_document(
            "The United Arab Emirates agreed to invest between €30 billion and €50 billion in a data centre "
            "campus in France."
        )
    )
    assert (fact.amount, fact.currency, fact.is_upper_bound) == (5e10, "EUR", True)
    assert {(p.country_code, p.role) for p in fact.participants} == {("FR", "recipient"), ("AE", "funder")}


def test_incident_parties_named_in_the_next_sentence(extractor, make_document) -> None:
    [incident] = extractor.extract(
        make_document(
            "The Federal Trade Commission on 25 January 2024 issued orders under Section 6(b) of the FTC Act to "
            "five companies. The orders were sent to Alphabet, Amazon and OpenAI."
        )
    )
    assert {(p.organisation_id, p.role) for p in incident.participants} == {
        ("us-ftc", "regulator"),
        ("alphabet", "subject"),
        ("amazon", "subject"),
        ("openai", "subject"),
    }


def test_descriptive_reference_does_not_borrow_the_previous_deal(extractor, make_document) -> None:
    mentions = extractor.extract(
        make_document(
            "Liquid AI raised $250 million in a Series A round led by AMD on 13 December. "
            "The AI search company was reported to be in talks to raise $500 million."
        )
    )
    assert len(only(mentions, "investment")) == 1
