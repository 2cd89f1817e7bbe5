"""Extraction of the same generated documents in one process, on a local Dask cluster of 1 and of 2 workers
(and, for reference, in the local process pool of 2), in one go; prints seconds, rates and ratios.

    python -m bench.distributed_extraction --docs 10000 --rounds 2

What is timed is extraction alone (as `fact_mentions` runs it: chunks of 250 documents, results in order,
each engine building its extractors), not DuckDB: that part is the same whatever the engine. The cluster's
start is timed apart, because a deployment's cluster runs already. Rounds are interleaved (every engine once
per round) and the fastest round of each is kept, so a noisy neighbour on a shared machine costs less.
The serial share comes from the 1- to 2-worker speed-up by Amdahl's law, and the expected speed-up for N
workers from that share; that is arithmetic on two measurements, not a measurement of N workers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from airace_pipeline.cluster.dask_cluster import local_dask_cluster
from airace_pipeline.defs.assets.extract import build_extractor
from airace_pipeline.defs.resources import ReferenceDataResource
from airace_pipeline.engines.distributed import connect, extract_chunks_on_cluster
from airace_pipeline.engines.process_pool import extract_chunks
from airace_pipeline.extraction.model import Document
from bench import scaleout
from bench.generate import cached_set

CHUNK = 250  # ExtractionConfig.chunk_documents


def _documents(folder: Path) -> list[Document]:
    """The generated JSON Lines, read as the pipeline's local-folder reader reads them."""
    from airace_pipeline.sources.local_folder.readers import FileContext, read_file

    now = dt.datetime.now(tz=dt.UTC)
    records = [
        r for p in sorted(folder.rglob("*.jsonl")) for r in read_file(FileContext("b", folder, p, now))
    ]
    return [
        Document(r["document_id"], r["title"] or "", r["text"], r["published_on"], r["collection"], "b")
        for r in records
    ]


def _timed(run: Callable[[], Iterator]) -> tuple[float, int]:
    began = time.perf_counter()
    mentions = sum(len(batch.mentions) for batch in run())
    return time.perf_counter() - began, mentions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.distributed_extraction")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=scaleout.DEFAULT_PATH, help="where the figures go")
    args = parser.parse_args(argv)
    documents = _documents(cached_set(args.docs).path)
    chunks = [documents[i : i + CHUNK] for i in range(0, len(documents), CHUNK)]
    factory = partial(build_extractor, ReferenceDataResource().organisations())
    cores = len(os.sched_getaffinity(0))
    print(
        f"{len(documents):,} documents in {len(chunks)} chunks of {CHUNK}; {cores} cores; load {os.getloadavg()}"
    )

    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    starts: dict[int, float] = {}

    def record(name: str, seconds: float, mentions: int) -> None:
        best[name] = min(best.get(name, float("inf")), seconds)
        counts.setdefault(name, mentions)
        print(f"  {name:<22} {seconds:7.2f} s  {len(documents) / seconds:7.0f} docs/s  {mentions} mentions")

    for round_ in range(args.rounds):
        print(f"round {round_ + 1}")
        record(
            "one process", *_timed(lambda: extract_chunks(factory, chunks, workers=1, expected_documents=0))
        )
        record(
            "local pool, 2",
            *_timed(lambda: extract_chunks(factory, chunks, workers=2, expected_documents=len(documents))),
        )
        for workers in (1, 2):
            began = time.perf_counter()
            with local_dask_cluster(workers) as cluster, connect(cluster.address) as client:
                starts[workers] = time.perf_counter() - began
                record(
                    f"dask, {workers} worker(s)",
                    *_timed(lambda: extract_chunks_on_cluster(client, factory, chunks)),
                )

    assert len(set(counts.values())) == 1, f"engines disagree on the mentions: {counts}"
    one, d1, d2 = best["one process"], best["dask, 1 worker(s)"], best["dask, 2 worker(s)"]
    speedup = d1 / d2
    # Amdahl: T(N) = T(1) * (s + (1 - s) / N), so T(1) / T(2) = 1 / (s + (1 - s) / 2) gives s.
    serial = max(0.0, min(1.0, 2 / speedup - 1))
    expected = {n: 1 / (serial + (1 - serial) / n) for n in (2, 4, 8, 16)}
    summary = {
        "documents": len(documents),
        "cores": cores,
        "seconds": {k: round(v, 2) for k, v in best.items()},
        "cluster_start_seconds": {str(k): round(v, 2) for k, v in starts.items()},
        "dask_1_vs_one_process": round(d1 / one, 3),
        "dask_2_vs_dask_1_speedup": round(speedup, 3),
        "dask_2_vs_one_process_speedup": round(one / d2, 3),
        "local_pool_2_vs_one_process_speedup": round(one / best["local pool, 2"], 3),
        "serial_share_amdahl": round(serial, 3),
        "expected_speedup_on_paper": {str(n): round(v, 2) for n, v in expected.items()},
    }
    print(json.dumps(summary, indent=2))
    scaleout.record(args.json, "distributed_extraction", summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
