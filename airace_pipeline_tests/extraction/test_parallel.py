"""Extraction in worker processes gives exactly what one process gives, in the same order."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pandas as pd

from airace_pipeline.defs.assets.extract import build_extractor
from airace_pipeline.defs.resources import ReferenceDataResource
from airace_pipeline.engines.process_pool import MIN_DOCUMENTS_FOR_WORKERS, extract_chunks
from airace_pipeline.extraction.fingerprint import extraction_fingerprint
from airace_pipeline.extraction.model import Document
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.sources.local_folder.readers import FileContext, read_file


def _corpus_documents(limit: int) -> list[Document]:
    folder = REPO_ROOT / "data" / "corpus"
    now = dt.datetime.now(tz=dt.UTC)
    records = [
        r for p in sorted(folder.iterdir())[:limit] for r in read_file(FileContext("c", folder, p, now))
    ]
    return [
        Document(r["document_id"], r["title"] or "", r["text"], r["published_on"], r["collection"], "c")
        for r in records
    ]


def _combined(batches) -> dict[str, pd.DataFrame]:
    batches = list(batches)
    return {
        name: pd.concat([getattr(b, name) for b in batches], ignore_index=True).drop(
            columns=["extracted_at"], errors="ignore"
        )
        for name in ("mentions", "participants", "document_runs")
    }


def test_workers_give_what_one_process_gives() -> None:
    documents = _corpus_documents(40)
    chunks = [documents[i : i + 7] for i in range(0, len(documents), 7)]
    factory = partial(build_extractor, ReferenceDataResource().organisations())
    serial = _combined(extract_chunks(factory, chunks, workers=1, expected_documents=len(documents)))
    parallel = _combined(
        extract_chunks(factory, chunks, workers=2, expected_documents=MIN_DOCUMENTS_FOR_WORKERS)
    )
    assert len(serial["mentions"]) > 20
    for name, frame in serial.items():
        pd.testing.assert_frame_equal(frame, parallel[name])


def test_fingerprint_follows_the_reference_data(tmp_path: Path) -> None:
    data = tmp_path / "organisations.yaml"
    data.write_text("a: 1\n")
    first = extraction_fingerprint([data])
    assert extraction_fingerprint([data]) == first
    data.write_text("a: 2\n")
    assert extraction_fingerprint([data]) != first
