"""One extractor per test session: building it compiles a few thousand gazetteer names."""

from __future__ import annotations

import datetime as dt

import pytest

from airace_pipeline.extraction import Document, RuleBasedExtractor
from airace_pipeline.reference.organisations import load_organisations


@pytest.fixture(scope="session")
def extractor() -> RuleBasedExtractor:
    return RuleBasedExtractor(load_organisations())


@pytest.fixture
def make_document():
    def build(text: str, published: dt.date = dt.date(2025, 2, 28), document_id: str = "doc") -> Document:
        return Document(document_id=document_id, title="", text=text, published_on=published)

    return build
