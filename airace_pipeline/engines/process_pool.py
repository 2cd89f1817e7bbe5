"""Extraction spread over worker processes, one chunk of documents at a time.

The rule-based extractor is pure Python and CPU-bound, so threads would share one core (the GIL); a
process pool uses them all. Each worker builds its extractor once (loading the gazetteer and compiling the
patterns takes about half a second) and then receives chunks of documents. At most two chunks per worker are
in flight, so memory stays bounded however many documents a window holds, and results come back in
submission order, so the output does not depend on the number of workers.

Workers are started with "spawn", not "fork": the Dagster step process that calls this has threads of its
own (event log writers), and forking a threaded process can deadlock the child.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from airace_pipeline.extraction.frames import ExtractionBatch, extract_documents
from airace_pipeline.extraction.model import Document, Extractor

ExtractorFactory = Callable[[], Extractor]

# Below this many documents a pool costs more to start (about a second per worker) than it saves.
MIN_DOCUMENTS_FOR_WORKERS = 2_000

_worker_extractor: Extractor | None = None


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_chunks(
    factory: ExtractorFactory,
    chunks: Iterable[list[Document]],
    *,
    workers: int,
    expected_documents: int,
) -> Iterator[ExtractionBatch]:
    """Extract each chunk of documents, yielding one batch per chunk in the order given.

    `factory` must be picklable (a module-level function or a functools.partial of one) when more than
    one worker is used. `expected_documents` decides whether a pool is worth starting at all.
    """
    if workers <= 1 or expected_documents < MIN_DOCUMENTS_FOR_WORKERS:
        extractor = factory()
        for chunk in chunks:
            yield extract_documents(extractor, chunk)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(factory,)
    ) as pool:
        pending: deque[Future[ExtractionBatch]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_extract_chunk, chunk))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _start_worker(factory: ExtractorFactory) -> None:
    global _worker_extractor
    _worker_extractor = factory()


def _extract_chunk(chunk: list[Document]) -> ExtractionBatch:
    assert _worker_extractor is not None, "worker started without its extractor"
    return extract_documents(_worker_extractor, chunk)
