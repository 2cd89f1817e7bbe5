"""Extraction on a Dask cluster (AIRACE_DASK_SCHEDULER), with the contract of `parallel.extract_chunks`.

The cluster exists already (started by `make run-scaled`, or a deployment's own scheduler and workers), so
nothing here starts or stops processes: the step connects a `distributed.Client` to the scheduler, sends
chunks of documents, and yields one batch per chunk in the order the chunks were given, so the output does
not depend on how many workers there are. At most two chunks per worker thread are in flight, so memory
stays bounded however many documents a window holds, as with the local pool.

Each worker process builds the extractor once per factory and keeps it (`_extractors`); the factory goes
to the workers once per run (`Client.scatter(broadcast=True)`), not with every chunk. Before building, a
worker compares its own extractor code with the step's (`version`): a long-lived remote worker still
running yesterday's code would otherwise store old results under the new extractor fingerprint.

`distributed` is imported inside the functions: importing it takes about a second, which every load of the
code location (six per `dagster asset materialize`) would pay even when no cluster is configured.
"""

from __future__ import annotations

import hashlib
import pickle
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from airace_pipeline.extraction.frames import ExtractionBatch, extract_documents
from airace_pipeline.extraction.model import Document, Extractor

if TYPE_CHECKING:
    from distributed import Client, Future

ExtractorFactory = Callable[[], Extractor]
ExtractorVersion = Callable[[], str]

SCHEDULER_ENV_VAR = "AIRACE_DASK_SCHEDULER"
# Chunks in flight per worker thread: one running, one waiting, so a worker never idles between chunks.
IN_FLIGHT_PER_THREAD = 2

# In each worker process: the extractor of the factory last used there, by the factory's digest. One entry
# only, so a long-lived worker does not accumulate gazetteers as the reference data changes.
_extractors: dict[str, Extractor] = {}


class SchedulerUnreachable(RuntimeError):
    """No scheduler answered at the configured address, or it has no worker."""


class ChunkFailed(RuntimeError):
    """A chunk could not be extracted on the cluster (a worker died repeatedly, or a task raised)."""


class WorkerCodeMismatch(RuntimeError):
    """A worker runs other extractor code (or reference data) than the step that sent it work."""


@contextmanager
def connect(address: str, *, timeout: float = 30.0) -> Iterator[Client]:
    """A client of the scheduler at `address` with at least one worker, closed on exit.

    Fails within `timeout` seconds with a message naming the address and the setting, rather than
    Dask's own retry loop and a bare OSError deep in a Dagster step.
    """
    from distributed import Client

    advice = f"(set by {SCHEDULER_ENV_VAR}; leave it empty to extract in local worker processes)"
    try:
        client = Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerUnreachable(
            f"no Dask scheduler answered at {address!r} within {timeout:g} s {advice}: {exc}"
        ) from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError as exc:
            raise SchedulerUnreachable(
                f"the Dask scheduler at {address!r} has had no worker for {timeout:g} s {advice}"
            ) from exc
        yield client
    finally:
        client.close()


def cluster_workers(client: Client) -> tuple[int, int]:
    """(worker processes, worker threads) the scheduler knows now."""
    threads = client.nthreads()
    return len(threads), sum(threads.values())


def extract_chunks_on_cluster(
    client: Client,
    factory: ExtractorFactory,
    chunks: Iterable[list[Document]],
    *,
    version: ExtractorVersion | None = None,
) -> Iterator[ExtractionBatch]:
    """Extract each chunk on the cluster, yielding one batch per chunk in the order given.

    `factory` must be picklable (a module-level function or a partial of one). `version`, a module-level
    function, is run here and on each worker before it builds an extractor; they must agree. A document the
    extractor fails on is recorded with its error as in one process (`extract_documents`); a chunk that
    fails as a whole raises `ChunkFailed` naming it, after the chunks still in flight are cancelled.
    """
    payload = pickle.dumps(factory)
    expected = version() if version is not None else None
    cache_key = hashlib.sha256(payload + (expected or "").encode()).hexdigest()[:16]
    _, threads = cluster_workers(client)
    limit = IN_FLIGHT_PER_THREAD * max(threads, 1)
    # Sent once, to every worker now known; a worker joining later fetches it from a peer.
    factory_on_workers = client.scatter(factory, broadcast=True, hash=False)
    run = uuid.uuid4().hex[:8]
    # The bounded window is written out: `Client.map` and `as_completed` need every task up front (the
    # chunks are read lazily from DuckDB, a window may hold millions of documents) or yield in completion
    # order, and the output must come in submission order whatever the number of workers.
    pending: deque[tuple[str, Future]] = deque()
    try:
        for index, chunk in enumerate(chunks):
            label = _describe(index, chunk)
            future = client.submit(
                _extract_chunk,
                factory_on_workers,
                cache_key,
                version,
                expected,
                chunk,
                key=f"airace-extract-{run}-{index}",
                pure=False,
            )
            pending.append((label, future))
            if len(pending) >= limit:
                yield _result(*pending.popleft())
        while pending:
            yield _result(*pending.popleft())
    finally:
        if pending:
            client.cancel([future for _, future in pending])
        factory_on_workers.release()


def _describe(index: int, chunk: list[Document]) -> str:
    if not chunk:
        return f"chunk {index} (empty)"
    return f"chunk {index} ({len(chunk)} documents, {chunk[0].document_id} .. {chunk[-1].document_id})"


def _result(label: str, future: Future) -> ExtractionBatch:
    try:
        return future.result()
    except WorkerCodeMismatch as exc:
        raise ChunkFailed(f"{label}: {exc}") from exc
    except Exception as exc:
        raise ChunkFailed(f"{label} failed on the Dask cluster: {type(exc).__name__}: {exc}") from exc


def _extract_chunk(
    factory: ExtractorFactory,
    cache_key: str,
    version: ExtractorVersion | None,
    expected: str | None,
    chunk: list[Document],
) -> ExtractionBatch:
    """Runs on a worker: the cached extractor (built on the worker's first chunk of this factory)."""
    extractor = _extractors.get(cache_key)
    if extractor is None:
        found = version() if version is not None else None
        if found != expected:
            raise WorkerCodeMismatch(
                f"worker extractor code/reference data {found} differs from the step's {expected}; "
                "restart the Dask workers from the same checkout as the Dagster code"
            )
        extractor = factory()
        _extractors.clear()
        _extractors[cache_key] = extractor
    return extract_documents(extractor, chunk)
