"""Late-arriving documents: files dropped (or edited) for days whose partitions already ran.

The daily schedule only processes the day that just ended, so a document published last March and
dropped into the folder today would never be read. This sensor compares the local folders with the
published `documents` table (the reader file: it never waits for the pipeline's lock) and requests one
single-run backfill over the days that have new or changed documents. The run key is derived from the
documents' ids and content hashes, so the same drop never triggers twice.
"""

import datetime as dt
import hashlib
from pathlib import Path

import dagster as dg
import duckdb

from airace_pipeline.defs.partitions import PARTITIONS_START, last_partition_day
from airace_pipeline.defs.resources import SourcesResource, WarehouseResource
from airace_pipeline.defs.schedules import daily_job
from airace_pipeline.sources.local_folder import document_files
from airace_pipeline.sources.local_folder.readers import FileContext, read_file

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def pending_documents(sources: SourcesResource, published: Path) -> dict[str, tuple[str, dt.date]]:
    """document_id -> (content hash, publication day) of usable local documents not yet published as is."""
    now = dt.datetime.now(tz=dt.UTC)
    found: dict[str, tuple[str, dt.date]] = {}
    for spec in sources.load().enabled("local_folder"):
        for path in document_files(spec.path):
            for record in read_file(FileContext(spec.name, spec.path, path, now)):
                day = record["published_on"]
                if record["rejected_reason"] is None and PARTITIONS_START <= day <= last_partition_day():
                    found[record["document_id"]] = (record["content_sha256"], day)
    if not found:
        return {}
    conn = duckdb.connect(str(published), read_only=True)
    try:
        known = dict(conn.execute("SELECT document_id, content_sha256 FROM documents").fetchall())
    finally:
        conn.close()
    return {doc_id: value for doc_id, value in found.items() if known.get(doc_id) != value[0]}


@dg.sensor(
    job=daily_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Backfills the days of documents that arrived after their day's partition had run.",
)
def late_documents_sensor(
    context: dg.SensorEvaluationContext, sources: SourcesResource, warehouse: WarehouseResource
) -> dg.SensorResult | dg.SkipReason:
    if not warehouse.published.exists():
        return dg.SkipReason(f"{warehouse.published} does not exist yet: run the pipeline once (make run)")
    pending = pending_documents(sources, warehouse.published)
    if not pending:
        return dg.SkipReason("every local document is published as it is on disk")
    days = sorted(day for _, day in pending.values())
    fingerprint = hashlib.sha256(repr(sorted((k, v[0]) for k, v in pending.items())).encode()).hexdigest()[
        :16
    ]
    context.log.info(f"{len(pending)} new or changed documents published {days[0]}..{days[-1]}")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"late-documents-{fingerprint}",
                tags={RANGE_START_TAG: days[0].isoformat(), RANGE_END_TAG: days[-1].isoformat()},
            )
        ]
    )
