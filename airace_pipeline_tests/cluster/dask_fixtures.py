"""Shared by the Dask tests: one real local cluster per test module, and documents from the corpus.

Import the fixture into a test module (`from ...dask_fixtures import dask_cluster`); starting a scheduler
and two worker processes takes a few seconds, so a module starts one and all its tests share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

import pandas as pd
import pytest

from airace_pipeline.cluster.dask_cluster import LocalDaskCluster, local_dask_cluster
from airace_pipeline.defs.assets.extract import build_extractor
from airace_pipeline.defs.resources import ReferenceDataResource
from airace_pipeline.extraction.frames import ExtractionBatch
from airace_pipeline.extraction.model import Document
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.sources.local_folder.readers import FileContext, read_file

CORPUS = REPO_ROOT / "data" / "corpus"


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[LocalDaskCluster]:
    with local_dask_cluster(workers=2) as cluster:
        yield cluster


def corpus_documents(limit: int) -> list[Document]:
    """The first `limit` corpus files as documents, read as the local-folder source reads them."""
    now = dt.datetime.now(tz=dt.UTC)
    records = [
        r for p in sorted(CORPUS.iterdir())[:limit] for r in read_file(FileContext("c", CORPUS, p, now))
    ]
    return [
        Document(r["document_id"], r["title"] or "", r["text"], r["published_on"], r["collection"], "c")
        for r in records
    ]


def pipeline_factory() -> partial:
    return partial(build_extractor, ReferenceDataResource().organisations())


def without_timestamps(batch: ExtractionBatch) -> dict[str, pd.DataFrame]:
    """A batch's frames without the extraction time, which differs between any two runs."""
    return {
        name: getattr(batch, name).drop(columns=["extracted_at"], errors="ignore")
        for name in ("mentions", "participants", "document_runs")
    }
