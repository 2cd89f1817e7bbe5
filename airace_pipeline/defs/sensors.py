"""Late-arriving documents: files dropped (or edited) for days whose partitions already ran.

The daily schedule only re-derives the month holding the day that just ended, so a document published
last March and dropped into the folder today would never be read. This sensor compares the local folders
with the published `documents` table (the reader file: it never waits for the pipeline's lock) and
requests one single-run backfill over the months that have new or changed documents. The run key is
derived from the documents' ids and content hashes, so the same drop never triggers twice.

A tick opens only new or changed files: what each file held is kept in a file index beside the working
file (`sources/local_folder/file_index.py`), keyed by size and modification time, so an archive of
years costs a directory listing and one query per tick, not a read of every file.
"""

import datetime as dt
import hashlib
from pathlib import Path

import dagster as dg

from airace_pipeline.defs.partitions import PARTITIONS_START, last_partition_day, partition_key_range
from airace_pipeline.defs.resources import SourcesResource, WarehouseResource
from airace_pipeline.defs.schedules import daily_job
from airace_pipeline.sources.local_folder import document_files
from airace_pipeline.sources.local_folder.file_index import FileIndex, IndexedDocument
from airace_pipeline.sources.local_folder.readers import FileContext, read_file
from airace_pipeline.warehouse.publish import published_content_hashes

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def file_index_path(warehouse: WarehouseResource) -> Path:
    """The sensor's file index: beside the working file, so it follows the sources file as that does."""
    working = warehouse.working
    return working.with_name(f"{working.stem}.sensor_files.json")


def _usable_documents(ctx: FileContext) -> tuple[list[IndexedDocument], bool]:
    """The file's usable documents, and whether every record was usable (only such files are indexed)."""
    documents, clean = [], True
    for record in read_file(ctx):
        if record["rejected_reason"] is not None:
            clean = False
            continue
        documents.append((record["document_id"], record["content_sha256"], record["published_on"]))
    return documents, clean


def local_documents(sources: SourcesResource, index: FileIndex) -> dict[str, tuple[str, dt.date]]:
    """document_id -> (content hash, publication day) of the usable local documents, read via the index."""
    now = dt.datetime.now(tz=dt.UTC)
    found: dict[str, tuple[str, dt.date]] = {}
    for spec in sources.load().enabled("local_folder"):
        for path in document_files(spec.path):
            key = f"{spec.name}:{path.relative_to(spec.path).as_posix()}"
            stat = path.stat()  # before reading: a file written meanwhile is read again next tick
            documents = index.lookup(key, stat)
            if documents is None:
                documents, clean = _usable_documents(FileContext(spec.name, spec.path, path, now))
                if clean:  # a file with a rejected record is read on every tick, as the ingest does
                    index.record(key, stat, documents)
            for doc_id, sha, day in documents:
                found[doc_id] = (sha, day)
    return found


def pending_documents(
    sources: SourcesResource, published: Path, index_path: Path
) -> dict[str, tuple[str, dt.date]]:
    """document_id -> (content hash, publication day) of usable local documents not yet published as is."""
    index = FileIndex.load(index_path)
    found = {
        doc_id: (sha, day)
        for doc_id, (sha, day) in local_documents(sources, index).items()
        if PARTITIONS_START <= day <= last_partition_day()
    }
    index.save()
    if not found:
        return {}
    known = published_content_hashes(published)
    return {doc_id: value for doc_id, value in found.items() if known.get(doc_id) != value[0]}


@dg.sensor(
    job=daily_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Backfills the months of documents that arrived after their month's partition had run.",
)
def late_documents_sensor(
    context: dg.SensorEvaluationContext, sources: SourcesResource, warehouse: WarehouseResource
) -> dg.SensorResult | dg.SkipReason:
    if not warehouse.published.exists():
        return dg.SkipReason(f"{warehouse.published} does not exist yet: run the pipeline once (make run)")
    pending = pending_documents(sources, warehouse.published, file_index_path(warehouse))
    if not pending:
        return dg.SkipReason("every local document is published as it is on disk")
    days = sorted(day for _, day in pending.values())
    first_key, last_key = partition_key_range(days[0], days[-1])
    fingerprint = hashlib.sha256(repr(sorted((k, v[0]) for k, v in pending.items())).encode()).hexdigest()[
        :16
    ]
    context.log.info(f"{len(pending)} new or changed documents published {days[0]}..{days[-1]}")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"late-documents-{fingerprint}",
                tags={RANGE_START_TAG: first_key, RANGE_END_TAG: last_key},
            )
        ]
    )
