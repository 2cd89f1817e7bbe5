"""Extraction on a real local Dask cluster (two worker processes) gives exactly what one process gives:
the same batches in the same chunk order, and through Dagster the same mentions and published tables."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from airace_pipeline.cluster.dask_cluster import LocalDaskCluster
from airace_pipeline.engines import distributed
from airace_pipeline.engines.distributed import ChunkFailed, connect, extract_chunks_on_cluster
from airace_pipeline.engines.process_pool import extract_chunks
from airace_pipeline.warehouse.working import FACT_MENTIONS
from airace_pipeline_tests.cluster.dask_fixtures import (
    CORPUS,
    corpus_documents,
    dask_cluster,
    pipeline_factory,
    without_timestamps,
)
from airace_pipeline_tests.conftest import make_resources, materialize_range, table_hashes, write_sources

__all__ = ["dask_cluster"]  # the fixture, imported for this module's tests
pytestmark = pytest.mark.slow


def test_cluster_gives_what_one_process_gives_in_chunk_order(dask_cluster: LocalDaskCluster) -> None:
    documents = corpus_documents(40)
    chunks = [documents[i : i + 2] for i in range(0, len(documents), 2)]
    factory = pipeline_factory()
    serial = list(extract_chunks(factory, chunks, workers=1, expected_documents=len(documents)))
    with connect(dask_cluster.address, timeout=10) as client:
        spread = list(extract_chunks_on_cluster(client, factory, chunks))
        # Both workers took chunks, and each built its extractor once. (A lambda: cloudpickle sends it by
        # value, as the workers cannot import the test package.)
        assert sorted(client.run(lambda: len(distributed._extractors)).values()) == [1, 1]
    assert len(spread) == len(chunks)
    assert sum(len(b.mentions) for b in serial) > 20
    for index, (one, many) in enumerate(zip(serial, spread, strict=True)):
        assert list(many.document_runs["document_id"]) == [d.document_id for d in chunks[index]]
        for name, frame in without_timestamps(one).items():
            pd.testing.assert_frame_equal(frame, without_timestamps(many)[name])


def test_a_worker_on_other_code_fails_the_chunk_by_name(dask_cluster: LocalDaskCluster) -> None:
    documents = corpus_documents(3)
    with (
        connect(dask_cluster.address, timeout=10) as client,
        pytest.raises(ChunkFailed, match=rf"chunk 0 \(3 documents, {documents[0].document_id}") as raised,
    ):
        # A new random token each call stands for code that differs between this process and a worker.
        list(extract_chunks_on_cluster(client, pipeline_factory(), [documents], version=secrets.token_hex))
    assert "restart the Dask workers" in str(raised.value)


def _mentions(working: Path) -> pd.DataFrame:
    conn = duckdb.connect(str(working), read_only=True)
    try:
        return conn.execute(f"SELECT * FROM extract.{FACT_MENTIONS.name} ORDER BY mention_id").df()
    finally:
        conn.close()


def test_dagster_run_on_the_cluster_publishes_what_the_local_run_does(
    tmp_path: Path, dask_cluster: LocalDaskCluster
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for path in sorted(CORPUS.glob("2024-0[45]-*")):
        shutil.copy(path, drop / path.name)
    sources = write_sources(tmp_path, drop)
    runs = {}
    for engine, scheduler in (("local", ""), ("dask", dask_cluster.address)):
        folder = tmp_path / engine
        result = materialize_range(
            make_resources(folder, sources, dask_scheduler=scheduler), "2024-04-01", "2024-05-31"
        )
        assert result.success
        metadata = result.asset_materializations_for_node("fact_mentions")[0].metadata
        runs[engine] = (folder, metadata)
    (local, local_meta), (spread, dask_meta) = runs["local"], runs["dask"]
    assert dask_meta["extraction_engine"].value.startswith(f"dask {dask_cluster.address}")
    assert dask_meta["extraction_workers"].value == 2
    assert local_meta["extraction_engine"].value == "this process"
    assert dask_meta["documents_extracted"].value == local_meta["documents_extracted"].value > 15
    mentions = _mentions(local / "work" / "airace_work.duckdb")
    assert len(mentions) > 20
    pd.testing.assert_frame_equal(mentions, _mentions(spread / "work" / "airace_work.duckdb"))
    assert table_hashes(local / "airace.duckdb") == table_hashes(spread / "airace.duckdb")
