"""The throwaway PostgreSQL cluster: reachable only on 127.0.0.1 and only with its password, and gone
(port, folder, processes) once its block ends; the instance file that puts Dagster on it."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import psycopg2
import pytest
import yaml

from airace_pipeline.cluster.postgres import (
    PostgresCluster,
    PostgresUnavailable,
    find_bin_dir,
    throwaway_postgres,
)
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.cluster.fixtures import fresh_database, require_postgres

_LISTEN = "0A"


def _listening_addresses(port: int) -> list[tuple[str, str]]:
    """(table, hex local address) of every socket listening on `port`, IPv4 and IPv6, from /proc."""
    found = []
    for table in ("tcp", "tcp6"):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == _LISTEN:
                found.append((table, address))
    return found


def _server_processes(cluster: PostgresCluster) -> list[int]:
    """Live (not zombie) processes whose command line names the cluster's data folder or runs as its
    postmaster's pid."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if str(cluster.data_dir) in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


def test_starts_on_loopback_only_and_leaves_nothing_behind() -> None:
    require_postgres()
    with throwaway_postgres(databases=("dagster", "warehouse")) as cluster:
        assert cluster.url("dagster").startswith(f"postgresql://airace:{cluster.password}@127.0.0.1:")
        assert cluster.dagster_url() == cluster.url("dagster").replace("postgresql:", "postgresql+psycopg2:")
        with psycopg2.connect(cluster.url("warehouse")) as conn, conn.cursor() as cur:
            cur.execute("SELECT current_setting('listen_addresses'), inet_server_addr()::text")
            assert cur.fetchone() == ("127.0.0.1", "127.0.0.1/32")
            cur.execute("SELECT datname FROM pg_database WHERE datname IN ('dagster', 'warehouse')")
            assert sorted(r[0] for r in cur.fetchall()) == ["dagster", "warehouse"]
        assert _listening_addresses(cluster.port) == [("tcp", "0100007F")]  # 127.0.0.1, no IPv6
        with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
            psycopg2.connect(cluster.url("dagster").replace(cluster.password, "wrong"))
        server = _server_processes(cluster)
        assert server, "no postgres process found for the cluster"
        if os.geteuid() == 0:  # run as the unprivileged user, never as root
            assert all(Path(f"/proc/{pid}").stat().st_uid == cluster.run_as[0] for pid in server)
    assert not cluster.folder.exists()
    assert not _server_processes(cluster)
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", cluster.port))


def test_databases_of_the_session_cluster_are_separate(postgres_cluster: PostgresCluster) -> None:
    first, second = (postgres_cluster.url(fresh_database(postgres_cluster)) for _ in range(2))
    assert first != second
    with psycopg2.connect(first) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE marker (x int)")
    with psycopg2.connect(second) as conn, conn.cursor() as cur:
        cur.execute("SELECT to_regclass('marker')")
        assert cur.fetchone() == (None,)


def test_missing_binaries_name_make_postgres(tmp_path: Path) -> None:
    with pytest.raises(PostgresUnavailable, match="make postgres"):
        find_bin_dir(tmp_path)


def test_highest_version_wins(tmp_path: Path) -> None:
    for version in ("9.6", "15", "16", "notaversion"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "initdb").touch()
    assert find_bin_dir(tmp_path) == tmp_path / "16" / "bin"


def test_postgres_instance_file_is_the_sqlite_one_plus_storage() -> None:
    sqlite = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    postgres = yaml.safe_load((REPO_ROOT / "deploy" / "dagster-postgres.yaml").read_text())
    storage = postgres.pop("storage")
    assert storage == {"postgres": {"postgres_url": {"env": "AIRACE_DAGSTER_PG_URL"}}}
    assert "storage" not in sqlite
    assert postgres == sqlite


def test_make_installs_the_instance_file_the_variable_chooses(tmp_path: Path) -> None:
    """Switching to PostgreSQL and back replaces the installed file each time, never leaving a stale one."""
    target = tmp_path / "home" / "dagster.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "AIRACE_DAGSTER_PG_URL"))}
    env["DAGSTER_HOME"] = str(tmp_path / "home")
    expected = []
    for url in ("", "postgresql+psycopg2://u:p@127.0.0.1:5432/dagster", ""):
        step_env = {**env, "AIRACE_DAGSTER_PG_URL": url} if url else env
        subprocess.run(
            ["make", "-s", str(target)], cwd=REPO_ROOT, env=step_env, check=True, capture_output=True
        )
        expected.append(target.read_text())
    assert expected[0] == expected[2] == (REPO_ROOT / "dagster.yaml").read_text()
    assert expected[1] == (REPO_ROOT / "deploy" / "dagster-postgres.yaml").read_text()
