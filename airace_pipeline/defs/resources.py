"""Resources: where the files are. Set through environment variables (dg.EnvVar), never read in assets.

Relative paths are taken from the repository root, so the same settings work for `make`, `dagster dev`
and any working directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from airace_pipeline.normalise.money import UsdRates, load_rates
from airace_pipeline.paths import resolve_path
from airace_pipeline.reference.organisations import Organisation, load_organisations
from airace_pipeline.reference.policies import DEFAULT_POLICIES_PATH
from airace_pipeline.sources.config import SourcesConfig, load_sources_config
from airace_pipeline.warehouse.connection import ensure_working_schema, open_duckdb
from airace_pipeline.warehouse.publish import Publication, publish


class WarehouseResource(dg.ConfigurableResource):
    """The private working DuckDB file (only the pipeline opens it) and the published reader file.

    Not dagster_duckdb.DuckDBResource: its connection is not closed when the body raises, which keeps the
    file locked for the next retry in the same process, and it resolves paths against the working
    directory. `open_duckdb` retries on a held lock with backoff in the same way.
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

    @property
    def published(self) -> Path:
        return resolve_path(self.published_path)

    @property
    def working(self) -> Path:
        return resolve_path(self.working_path)

    @property
    def dlt_pipelines_dir(self) -> Path:
        """dlt's local state sits beside the working file; dagster-dlt restores it from the destination."""
        return self.working.parent / "dlt_pipelines"

    @contextmanager
    def connect(self, memory_limit: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The working file; `memory_limit` overrides the resource's for a step that needs its memory."""
        with open_duckdb(
            self.working,
            attempts=self.lock_attempts,
            config={"memory_limit": memory_limit or self.memory_limit},
        ) as conn:
            ensure_working_schema(conn)
            yield conn

    def publish(self, conn: duckdb.DuckDBPyConnection, run_id: str, raw_union_sql: str) -> Publication:
        return publish(conn, self.published, run_id, raw_union_sql)


class SourcesResource(dg.ConfigurableResource):
    """The sources YAML file (AIRACE_SOURCES; default data/sources.yaml)."""

    config_path: str = Field(description="Path of the sources YAML file.")

    def load(self) -> SourcesConfig:
        return load_sources_config(self.config_path)


class ReferenceDataResource(dg.ConfigurableResource):
    """Editable reference data: the organisation gazetteer and the ECB exchange-rate history."""

    organisations_path: str = Field(default="data/reference/organisations.yaml")
    rates_path: str = Field(default="data/reference/ecb/eurofxref-hist.zip")

    def organisations(self) -> list[Organisation]:
        return load_organisations(resolve_path(self.organisations_path))

    def extraction_files(self) -> list[Path]:
        """The reference files the extractor matches text against (part of its fingerprint)."""
        return [resolve_path(self.organisations_path), DEFAULT_POLICIES_PATH]

    def rates(self) -> UsdRates:
        return load_rates(resolve_path(self.rates_path))
