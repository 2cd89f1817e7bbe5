"""Whole-document checks on the bundled corpus (data/corpus); each test skips if its file is absent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter
import pytest

from airace_pipeline.extraction import Document, FactMention, RuleBasedExtractor
from airace_pipeline.paths import REPO_ROOT

CORPUS = REPO_ROOT / "data" / "corpus"


def load(name: str) -> Document:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} is not in the corpus")
    post = frontmatter.load(path)
    published = post.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return Document(
        document_id=path.stem, title=str(post.get("title", "")), text=post.content, published_on=published
    )


def facts(extractor: RuleBasedExtractor, name: str, fact_type: str) -> list[FactMention]:
    return [m for m in extractor.extract(load(name)) if m.fact_type == fact_type]


def org_ids(mention: FactMention) -> set[str]:
    return {p.organisation_id for p in mention.participants if p.organisation_id}


def test_every_document_extracts_cleanly(extractor: RuleBasedExtractor) -> None:
    paths = sorted(Path(CORPUS).glob("*.md"))
    if not paths:
        pytest.skip("no corpus")
    for path in paths:
        document = load(path.name)
        for mention in extractor.extract(document):
            assert document.text[mention.span_start : mention.span_end] == mention.sentence, path.name


def test_stargate_announcement(extractor: RuleBasedExtractor) -> None:
    [stargate] = [
        m
        for m in facts(extractor, "2025-01-21-stargate-project-openai-announcement.md", "investment")
        if m.name == "Stargate"
    ]
    assert (stargate.amount, stargate.currency, stargate.is_upper_bound) == (5e11, "USD", False)
    assert stargate.subtype == "public_private_initiative" and stargate.announced_on == dt.date(2025, 1, 21)
    assert {"softbank", "openai", "oracle", "mgx"} <= org_ids(stargate)


def test_stargate_in_a_roundup(extractor: RuleBasedExtractor) -> None:
    name = "2025-01-31-roundup-stargate-microsoft-openai-deepseek-exposure-garante.md"
    [stargate] = [m for m in facts(extractor, name, "investment") if m.name == "Stargate"]
    assert (stargate.amount, stargate.is_upper_bound) == (5e11, False)
    assert {"softbank", "openai", "oracle", "mgx"} <= org_ids(stargate)


def test_boilerplate_page_keeps_only_the_story(extractor: RuleBasedExtractor) -> None:
    document = load("2025-01-22-stargate-ai-venture-boilerplate-page.md")
    for mention in extractor.extract(document):
        assert "Related stories" not in mention.sentence and "cookie" not in mention.sentence.lower()
        assert "executive orders on his first day" not in mention.sentence


def test_japan_korea_alliance(extractor: RuleBasedExtractor) -> None:
    name = "2025-02-28-roundup-japan-korea-ai-alliance-meta-discord-leak.md"
    [alliance] = facts(extractor, name, "alliance")
    assert {(p.country_code, p.is_country) for p in alliance.participants} >= {("JP", True), ("KR", True)}
    assert (alliance.amount, alliance.currency) == (5e9, "USD")
    investments = facts(extractor, name, "investment")
    assert not [m for m in investments if m.amount == 5e9]


def test_eo_14110(extractor: RuleBasedExtractor) -> None:
    [policy] = facts(extractor, "2023-10-30-us-eo-14110-safe-secure-trustworthy-ai-fact-sheet.md", "policy")[
        :1
    ]
    assert (policy.name, policy.country_code, policy.subtype) == (
        "Executive Order 14110",
        "US",
        "executive_order",
    )
    assert policy.announced_on == dt.date(2023, 10, 30)


def test_eo_14110_revocation(extractor: RuleBasedExtractor) -> None:
    mentions = facts(extractor, "2025-01-21-eo-14148-revokes-eo-14110.md", "policy")
    eo = [m for m in mentions if m.name == "Executive Order 14110"]
    assert {(m.status, m.announced_on) for m in eo} == {
        ("revoked", dt.date(2025, 1, 20)),
        ("adopted", dt.date(2023, 10, 30)),
    }


def test_eu_ai_act(extractor: RuleBasedExtractor) -> None:
    mentions = facts(extractor, "2024-03-13-eu-parliament-adopts-ai-act.md", "policy")
    act = [m for m in mentions if m.name == "EU AI Act"]
    assert act and all(m.country_code == "EU" for m in act)
    assert act[0].announced_on == dt.date(2024, 3, 13)


def test_indiaai_mission(extractor: RuleBasedExtractor) -> None:
    [investment] = facts(
        extractor, "2024-03-07-indiaai-mission-cabinet-approves-10371-crore.md", "investment"
    )
    assert investment.amount == pytest.approx(1.037192e11) and investment.currency == "INR"
    assert investment.subtype == "government_programme" and investment.name == "IndiaAI Mission"


def test_openai_round_amount_is_not_the_valuation(extractor: RuleBasedExtractor) -> None:
    [investment] = facts(
        extractor, "2024-10-02-openai-6-6-billion-funding-157-billion-valuation.md", "investment"
    )
    assert investment.amount == 6.6e9 and "openai" in org_ids(investment)
