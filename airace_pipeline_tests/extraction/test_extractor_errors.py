"""An extractor error is never swallowed: the document reaches quarantine with the exception, the rest go on."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from airace_pipeline.extraction import Document
from airace_pipeline.extraction.frames import extract_documents
from airace_pipeline.validation.quarantine import ValidationSplit
from airace_pipeline.warehouse.mentions import extraction_quarantine


def test_a_crashing_document_is_quarantined_and_the_others_extracted(extractor) -> None:
    day = dt.date(2024, 6, 11)
    good = Document("good", "", "Mistral AI raised €600 million in a round led by General Catalyst.", day)
    # Text that is not a string (a source handing over raw bytes) makes the extractor raise.
    bad = Document("bad", "", b"Mistral AI raised \xe2\x82\xac600 million.", day)  # type: ignore[arg-type]

    batch = extract_documents(extractor, [good, bad])

    runs = batch.document_runs.set_index("document_id")
    assert runs.loc["good", "error"] is None and runs.loc["good", "mention_count"] >= 1
    assert runs.loc["bad", "mention_count"] == 0
    assert runs.loc["bad", "error"].startswith("TypeError: document bad: text is bytes")
    assert set(batch.mentions["document_id"]) == {"good"}

    empty = ValidationSplit(valid=pd.DataFrame(), rejected=pd.DataFrame(), reasons=pd.Series(dtype=str))
    quarantined = extraction_quarantine(batch.document_runs, empty, empty)
    [row] = quarantined.to_dict("records")
    assert row["stage"] == "extract" and row["document_id"] == "bad"
    assert "TypeError" in row["reason"] and row["reason"].startswith("extractor failed: ")
