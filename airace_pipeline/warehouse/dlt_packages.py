"""dlt's run of a live source in two phases, so that only the load holds the working file.

A live source spends most of its run waiting on the network (up to `source_deadline_s`). dlt's
`pipeline.run()` would do that inside the `duckdb` pool, since it restores the pipeline state from the
destination (the working file) before extracting and loads right after. So the phases are called
separately:

- `fetch_packages`: `extract()` and `normalize()` only. They write dlt's local folder (state, schemas,
  load packages) and never open the working file: neither syncs state from the destination (only `run()`
  and `sync_destination()` do), and normalize asks the destination class for its capabilities without
  connecting (`test_live_pool.py` checks this with the working file locked by another process).
- `load_packages`: `load()` of every package still pending, oldest first, into the working file.

The local folder is therefore the source of the cursors between runs (dlt still loads the state into
`raw._dlt_pipeline_state` with each package). A package fetched but not loaded (a crash between the
steps, a lock) stays pending and the next load takes it, before or together with newer ones; loads merge
on document_id, so nothing is duplicated. When the working file is gone, the local state is dropped before
fetching: its cursors describe rows that no longer exist, and a fresh start fetches them again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

from airace_pipeline.warehouse.raw import RAW_DATASET


@dataclass(frozen=True)
class FetchedPackages:
    """What a fetch left for the load: the pending package ids and the rows normalised now per table."""

    pending_load_ids: list[str]
    rows_fetched: dict[str, int]
    started_afresh: bool


def working_destination(working: Path, memory_limit: str) -> Any:
    """dlt's DuckDB destination on the working file, under the same memory cap as our own connections.

    Without the cap, DuckDB may use most of the machine's memory for dlt's merge of a large load.
    """
    return dlt.destinations.duckdb(
        DuckDbCredentials(str(working), global_config={"memory_limit": memory_limit})
    )


def open_pipeline(name: str, destination: Any, pipelines_dir: Path) -> dlt.Pipeline:
    """The dlt pipeline `name` with its local folder under `pipelines_dir` (creating it does not open the
    working file)."""
    return dlt.pipeline(
        pipeline_name=name,
        destination=destination,
        dataset_name=RAW_DATASET,
        pipelines_dir=str(pipelines_dir),
    )


def fetch_packages(pipeline: dlt.Pipeline, source: Any, working_exists: bool) -> FetchedPackages:
    """Extract `source` (the network) and normalise it into load packages, without the working file.

    What is pending afterwards includes packages left by an earlier fetch whose load did not happen.
    """
    started_afresh = False
    if not working_exists and pipeline.has_data:
        pipeline = pipeline.drop()
        started_afresh = True
    pipeline.extract(source)
    info = pipeline.normalize()
    rows = dict(info.row_counts) if info is not None else {}
    return FetchedPackages(list(pipeline.list_normalized_load_packages()), rows, started_afresh)


def load_packages(pipeline: dlt.Pipeline) -> tuple[LoadInfo | None, dt.datetime | None]:
    """Load every pending package into the working file: dlt's load info (None when nothing was pending)
    and when the oldest of them was fetched.

    A package extracted but not normalised (a fetch that stopped between the two) is normalised first:
    local work, no network. A dlt load id is the time its package was created, before the source ran, so
    the rows these packages hold were stamped (ingested_at) at that time or later.
    """
    if pipeline.list_extracted_load_packages():
        pipeline.normalize()
    pending = pipeline.list_normalized_load_packages()
    if not pending:
        return None, None
    fetched_since = dt.datetime.fromtimestamp(min(float(load_id) for load_id in pending), tz=dt.UTC)
    info = pipeline.load()
    info.raise_on_failed_jobs()
    return info, fetched_since
