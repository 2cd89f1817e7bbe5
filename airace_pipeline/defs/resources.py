"""Resources: where the files are. Set through environment variables (dg.EnvVar), never read in assets.

Relative paths are taken from the repository root, so the same settings work for `make`, `dagster dev`
and any working directory.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from pydantic import Field

from airace_pipeline.defs.partitions import DUCKDB_POOL
from airace_pipeline.normalise.money import UsdRates, load_rates
from airace_pipeline.paths import resolve_path
from airace_pipeline.recovery import alive, processes_gone
from airace_pipeline.reference.organisations import Organisation, load_organisations
from airace_pipeline.reference.policies import DEFAULT_POLICIES_PATH
from airace_pipeline.sources.config import SourcesConfig, load_sources_config
from airace_pipeline.warehouse.connection import ensure_working_schema, open_duckdb
from airace_pipeline.warehouse.dlt_packages import working_destination
from airace_pipeline.warehouse.lake import Lake, LakePublication, publish_to_lake
from airace_pipeline.warehouse.lake_working import lake_destination, open_lake_working, working_lake_exists
from airace_pipeline.warehouse.publish import Publication, publish
from airace_pipeline.warehouse.run_lock import LockOwner, acquire, lock_path, release_step

log = logging.getLogger(__name__)


class WarehouseResource(dg.ConfigurableResource):
    """The private working DuckDB file (only the pipeline opens it) and the published reader file.

    Not dagster_duckdb.DuckDBResource: its connection is not closed when the body raises, which keeps the
    file locked for the next retry in the same process, and it resolves paths against the working
    directory. `open_duckdb` retries on a held lock with backoff in the same way.

    Set up for a step of a run, it claims the working file for that run (`warehouse/run_lock.py`), so the
    steps of two runs never interleave on one working file.
    """

    published_path: str = Field(description="The file SQL readers open (AIRACE_DUCKDB_PATH).")
    working_path: str = Field(description="The pipeline's private working file (AIRACE_WORK_DUCKDB_PATH).")
    lock_attempts: int = Field(
        default=6,
        description="Attempts to open a locked working file (backoff 0.5 s doubling) before giving up.",
    )
    memory_limit: str = Field(
        default="512MB",
        description="DuckDB's memory cap per connection; beyond it DuckDB spills to disk, so a run over "
        "millions of documents stays within a small machine's memory.",
    )

    run_lock_timeout_seconds: float = Field(
        default=3600.0,
        description="How long a step waits while another run owns the working file before its run fails.",
    )
    run_lock_poll_seconds: float = Field(
        default=5.0, description="How often a waiting step looks whether the owning run is over."
    )
    lake_catalog: str = Field(
        default="",
        description="The DuckLake's catalog database, a libpq DSN or postgresql:// URL (AIRACE_LAKE_CATALOG); "
        "empty: no lake, only the published file.",
    )
    lake_data_path: str = Field(
        default="",
        description="Where the DuckLake keeps its Parquet files, a shared folder or object-store URL "
        "(AIRACE_LAKE_DATA_PATH).",
    )
    lake_extension_directory: str = Field(
        default="",
        description="DuckDB's extension directory for the lake's extensions; empty: ~/.duckdb/extensions.",
    )

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Claim the working file for this run, waiting while another run owns it.

        Without a run (a sensor reading the published file) there is nothing to claim.
        """
        if context.run is None or context.instance is None:
            return
        acquire(
            lock_path(self.working),
            context.run.run_id,
            owner_over=partial(_owner_over, context.instance),
            stop_waiting=partial(_waiting_deadlocks, context.instance, context.run.run_id),
            timeout=self.run_lock_timeout_seconds,
            poll=self.run_lock_poll_seconds,
            log=(context.log.info if context.log is not None else log.info),
        )

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        """The step (or, in-process, the run) is done with the file; the claim stays with the run."""
        if context.run is not None and context.instance is not None:
            release_step(lock_path(self.working), context.run.run_id)

    @property
    def published(self) -> Path:
        return resolve_path(self.published_path)

    @property
    def working(self) -> Path:
        return resolve_path(self.working_path)

    @property
    def dlt_pipelines_dir(self) -> Path:
        """dlt's local folders (state, cursors, pending load packages) sit beside the working file."""
        return self.working.parent / "dlt_pipelines"

    @contextmanager
    def connect(self, memory_limit: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The working state: the working file, or the working lake when a lake is configured
        (`warehouse/lake_working.py`); `memory_limit` overrides the resource's for a step that needs it."""
        limit = memory_limit or self.memory_limit
        lake = self.lake
        if lake is not None:
            opened = open_lake_working(lake, limit)
        else:
            opened = open_duckdb(self.working, attempts=self.lock_attempts, config={"memory_limit": limit})
        with opened as conn:
            ensure_working_schema(conn)
            yield conn

    def dlt_destination(self) -> Any:
        """Where dlt loads the raw rows: the working file, or the working lake."""
        lake = self.lake
        if lake is not None:
            return lake_destination(lake, self.memory_limit)
        return working_destination(self.working, self.memory_limit)

    def working_exists(self) -> bool:
        """Whether the working state exists yet (dlt's local state is dropped when it does not)."""
        lake = self.lake
        return working_lake_exists(lake) if lake is not None else self.working.exists()

    def publish(self, conn: duckdb.DuckDBPyConnection, run_id: str, raw_union_sql: str) -> Publication:
        return publish(conn, self.published, run_id, raw_union_sql)

    @property
    def lake(self) -> Lake | None:
        """The DuckLake the published file is copied into, or None when none is configured."""
        if not self.lake_catalog:
            return None
        return Lake(self.lake_catalog, self.lake_data_path, self.lake_extension_directory)

    def publish_to_lake(self) -> LakePublication | None:
        """After `publish`: the published file's tables into the lake, if one is configured."""
        lake = self.lake
        return None if lake is None else publish_to_lake(self.published, lake)


def _owner_over(instance: dg.DagsterInstance, owner: LockOwner) -> str | None:
    """Why the owning run is over (its claim may be taken over), or None while it may still write."""
    run = instance.get_run_by_id(owner.run_id)
    if run is None:
        # A run of another Dagster instance (an ephemeral one: a test, a notebook); only its process tells.
        if owner.pid == 0:
            return "is not in this Dagster instance and no step of it holds the file"
        if owner.host == socket.gethostname() and not alive(owner.pid):
            return f"is not in this Dagster instance and its process {owner.pid} is gone"
        return None
    if run.is_finished:
        return f"has finished ({run.status.value})"
    if processes_gone(instance, owner.run_id):
        return "was killed: none of its processes is alive"
    return None


def _waiting_deadlocks(instance: dg.DagsterInstance, run_id: str, owner: LockOwner) -> str | None:
    """Whether waiting would deadlock: this run's step holds the `duckdb` pool slot (a step process of
    the multiprocess executor claims it before the resources are set up) and the owning run waits for
    that slot. Waiting then only stalls the owner until the timeout, so the waiting run stops at once."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return None
    pool = storage.get_concurrency_info(DUCKDB_POOL)
    holds_slot = run_id in pool.active_run_ids or run_id in pool.assigned_run_ids
    if holds_slot and owner.run_id in pool.pending_run_ids:
        return f"that run waits for the '{DUCKDB_POOL}' pool slot this run's step holds"
    return None


class ReportResource(dg.ConfigurableResource):
    """Where the HTML report is written, and from which published file.

    `report_dir` empty means `report/` beside the published file, so a run on other files (a test, your
    own AIRACE_DUCKDB_PATH) never overwrites the default report.
    """

    published_path: str = Field(description="The published file the report reads (AIRACE_DUCKDB_PATH).")
    report_dir: str = Field(
        default="",
        description="The report's folder (AIRACE_REPORT_DIR); empty: `report/` beside the published file.",
    )
    max_facts: int = Field(
        default=2000,
        description="Most recent facts per table drawn and listed; the pages say when more exist.",
    )
    evidence_per_fact: int = Field(default=3, description="Sentences listed per fact (earliest first).")

    @property
    def published(self) -> Path:
        return resolve_path(self.published_path)

    @property
    def folder(self) -> Path:
        return resolve_path(self.report_dir) if self.report_dir else self.published.parent / "report"


class SourcesResource(dg.ConfigurableResource):
    """The sources YAML file (AIRACE_SOURCES; default data/sources.yaml)."""

    config_path: str = Field(description="Path of the sources YAML file.")

    def load(self) -> SourcesConfig:
        return load_sources_config(self.config_path)


class ReferenceDataResource(dg.ConfigurableResource):
    """Editable reference data: the organisation gazetteer and the ECB exchange-rate history."""

    organisations_path: str = Field(default="data/reference/organisations.yaml")
    rates_path: str = Field(default="data/reference/ecb/eurofxref-hist.zip")

    def organisations_file(self) -> Path:
        return resolve_path(self.organisations_path)

    def organisations(self) -> list[Organisation]:
        return load_organisations(self.organisations_file())

    def extraction_files(self) -> list[Path]:
        """The reference files the extractor matches text against (part of its fingerprint)."""
        return [resolve_path(self.organisations_path), DEFAULT_POLICIES_PATH]

    def rates(self) -> UsdRates:
        return load_rates(resolve_path(self.rates_path))


class ExtractionEngineResource(dg.ConfigurableResource):
    """Where `fact_mentions` extracts: worker processes on this machine (the default), or the workers of
    a Dask cluster that already runs (AIRACE_DASK_SCHEDULER), for more cores than one machine has.

    A resource rather than step config because it describes the deployment, not a run: the same code
    location runs against the local pool on a laptop and against a cluster in production.
    """

    dask_scheduler: str = Field(
        default="",
        description="Address of a Dask scheduler, e.g. tcp://10.0.0.5:8786 (AIRACE_DASK_SCHEDULER); empty: "
        "worker processes on this machine (ExtractionConfig.workers).",
    )
    connect_timeout_seconds: float = Field(
        default=30.0,
        description="How long the step waits for the scheduler to answer and to have a worker before it fails.",
    )
