"""A throwaway PostgreSQL cluster for the whole test session, importable by any test folder:

    from airace_pipeline_tests.cluster.fixtures import postgres_cluster  # noqa: F401 (a fixture)

Each test that needs storage of its own takes a fresh database of it (`fresh_database`), so the session
pays initdb and start-up (about a second) once. Without Debian's server binaries the tests are skipped
with a message saying `make postgres`, except under CI, where they fail: CI runs `make test`, which
installs them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from airace_pipeline.cluster.postgres import (
    PostgresCluster,
    PostgresUnavailable,
    create_databases,
    find_bin_dir,
    throwaway_postgres,
)

_database_numbers = itertools.count(1)


def require_postgres() -> None:
    """Skip (fail under CI) when Debian's PostgreSQL server binaries are missing."""
    try:
        find_bin_dir()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {exc}")
        pytest.skip(str(exc))


def fresh_database(cluster: PostgresCluster, prefix: str = "test") -> str:
    """A new, empty database on the session's cluster; its name (`cluster.url(name)` for psycopg2,
    `cluster.dagster_url(name)` for Dagster)."""
    name = f"{prefix}_{next(_database_numbers)}"
    create_databases(cluster, [name])
    return name


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    require_postgres()
    with throwaway_postgres(databases=()) as cluster:
        yield cluster
