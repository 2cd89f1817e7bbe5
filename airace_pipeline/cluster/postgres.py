"""A throwaway PostgreSQL cluster on 127.0.0.1, from Debian's `postgresql` package, for `make run-scaled`,
the tests and the instance-storage benchmark.

Why a cluster of our own instead of the system's: the machine's service (if any) belongs to its
administrator, needs root to configure, and outlives us. This one lives in a fresh folder (data, unix
socket, server log), listens on a free loopback port only, and is stopped and deleted by whoever started
it, so a test session or a `make run-scaled` leaves nothing behind.

- Binaries: `/usr/lib/postgresql/<version>/bin` (Debian's layout), the highest version present.
- Auth: `scram-sha-256` with a random password for every connection, TCP and unix socket alike
  (`initdb --auth=scram-sha-256 --pwfile`). `trust` on loopback would let any local user (another
  worker, another test session) connect to a port they can guess; the password costs nothing and keeps the
  URL the only way in.
- Root: PostgreSQL refuses to run as root. When we are root, initdb, pg_ctl and the server run as
  `nobody` (present on every Debian) through `setpriv` (util-linux, essential), with the folder given to
  it; nothing is added to the system. The folder is created in the system temporary folder by default,
  because a folder under a root-only parent (pytest's `/tmp/pytest-of-root`) is out of nobody's reach.
- Durability: initdb skips its fsync (`--no-sync`), the folder is deleted at the end anyway; the server
  runs with PostgreSQL's default settings (fsync on), so timings taken against it are those of a real one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

DEBIAN_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "airace"
UNPRIVILEGED_USER = "nobody"
DEFAULT_DATABASES = ("dagster", "warehouse")
_INSTALL_HINT = "run `make postgres` (or, as root, `apt-get install postgresql`)"


class PostgresUnavailable(RuntimeError):
    """Debian's PostgreSQL binaries are not installed: the message says how to install them."""


@dataclass(frozen=True)
class PostgresCluster:
    """A running throwaway cluster: where it lives, how to reach it, and who runs it."""

    folder: Path
    bin_dir: Path
    port: int
    password: str
    run_as: tuple[int, int] | None  # (uid, gid) when we started it as root on someone else's behalf
    host: str = "127.0.0.1"
    user: str = SUPERUSER

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def log_file(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        """`postgresql://user:password@127.0.0.1:port/database`, what dagster-postgres and psycopg2 take."""
        password = quote(self.password, safe="")
        return f"postgresql://{self.user}:{password}@{self.host}:{self.port}/{quote(database, safe='')}"

    def dagster_url(self, database: str = "dagster") -> str:
        """The URL for AIRACE_DAGSTER_PG_URL: `url(database)` naming the psycopg2 driver, which
        dagster-postgres needs (SQLAlchemy 2.1 takes a bare postgresql:// for psycopg 3's)."""
        return self.url(database).replace("postgresql://", "postgresql+psycopg2://", 1)

    def postmaster_pid(self) -> int | None:
        """The server's pid from `postmaster.pid`, or None once it has stopped."""
        try:
            first = (self.data_dir / "postmaster.pid").read_text().splitlines()[0]
        except (FileNotFoundError, IndexError):
            return None
        return int(first) if first.strip().isdigit() else None


def find_bin_dir(root: Path = DEBIAN_ROOT) -> Path:
    """The `bin` folder of the highest PostgreSQL version installed the Debian way, holding initdb and
    pg_ctl; PostgresUnavailable (saying how to install it) when there is none."""
    versions = []
    if root.is_dir():
        for child in root.iterdir():
            bin_dir = child / "bin"
            if re.fullmatch(r"\d+(\.\d+)?", child.name) and (bin_dir / "initdb").exists():
                versions.append((tuple(int(part) for part in child.name.split(".")), bin_dir))
    if not versions:
        raise PostgresUnavailable(
            f"no PostgreSQL server binaries under {root}/<version>/bin: {_INSTALL_HINT}"
        )
    return max(versions)[1]


def postgres_available() -> bool:
    try:
        find_bin_dir()
    except PostgresUnavailable:
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unprivileged_ids() -> tuple[int, int] | None:
    """(uid, gid) to run the server as when we are root, else None (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(UNPRIVILEGED_USER)
    return entry.pw_uid, entry.pw_gid


def _check_reachable(folder: Path, ids: tuple[int, int]) -> None:
    """Every parent of `folder` must let the unprivileged user through, or initdb fails with a puzzling
    'permission denied'; say which parent is in the way instead."""
    uid, gid = ids
    for parent in folder.resolve().parents:
        mode = parent.stat()
        through = (
            (mode.st_uid == uid and mode.st_mode & stat.S_IXUSR)
            or (mode.st_gid == gid and mode.st_mode & stat.S_IXGRP)
            or mode.st_mode & stat.S_IXOTH
        )
        if not through:
            raise PermissionError(
                f"{parent} is closed to {UNPRIVILEGED_USER}, who runs PostgreSQL when we are root: "
                "put the cluster's folder elsewhere (the default, the system temporary folder, works)"
            )


def _environment() -> dict[str, str]:
    """Ours without PG* variables (PGDATA, PGPORT, ... would redirect the tools) and in the C locale."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def _run(
    cluster_or_ids: PostgresCluster | tuple[int, int] | None,
    command: Sequence[str],
    cwd: Path,
    timeout: float,
) -> subprocess.CompletedProcess:
    """A PostgreSQL tool, as the unprivileged user when we are root."""
    ids = cluster_or_ids.run_as if isinstance(cluster_or_ids, PostgresCluster) else cluster_or_ids
    prefix = []
    if ids is not None:
        prefix = ["setpriv", f"--reuid={ids[0]}", f"--regid={ids[1]}", "--clear-groups", "--"]
    result = subprocess.run(
        [*prefix, *command],
        cwd=cwd,
        env=_environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return result


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent (pid 1 here) to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _conf_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _wait_for_connections(cluster: PostgresCluster, timeout: float) -> None:
    """pg_ctl -w waits for the unix socket; wait until a TCP login works too, as clients will use it."""
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg2.connect(cluster.url(), connect_timeout=5).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def create_databases(cluster: PostgresCluster, databases: Sequence[str]) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(cluster.url(), connect_timeout=10)
    try:
        conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with conn.cursor() as cur:
            for name in databases:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def _start_server(cluster: PostgresCluster, timeout: float) -> subprocess.CompletedProcess:
    conf = cluster.data_dir / "postgresql.conf"
    with conf.open("a", encoding="utf-8") as out:
        out.write(
            "\n# airace_pipeline throwaway cluster: loopback only, sockets in its own folder\n"
            "listen_addresses = '127.0.0.1'\n"
            f"port = {cluster.port}\n"
            f"unix_socket_directories = {_conf_string(str(cluster.folder))}\n"
        )
    return _run(
        cluster,
        [str(cluster.bin_dir / "pg_ctl"), "start", "-D", str(cluster.data_dir), "-l", str(cluster.log_file),
         "-w", "-t", str(int(timeout))],
        cwd=cluster.folder,
        timeout=timeout + 10,
    )  # fmt: skip


def start_postgres(
    folder: Path | None = None,
    *,
    databases: Sequence[str] = DEFAULT_DATABASES,
    timeout: float = 60,
) -> PostgresCluster:
    """initdb a new cluster in `folder` (created; by default a new folder in the system temporary folder),
    start it on a free 127.0.0.1 port, wait until it accepts logins and create `databases`. Stop it with
    `stop_postgres`, which also deletes the folder."""
    bin_dir = find_bin_dir()
    ids = _unprivileged_ids()
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="airace-postgres-"))
    else:
        folder.mkdir(parents=True, exist_ok=False)
    folder = folder.resolve()
    cluster = PostgresCluster(folder, bin_dir, port=0, password=secrets.token_urlsafe(24), run_as=ids)
    try:
        if ids is not None:
            _check_reachable(folder, ids)
            os.chown(folder, *ids)
        folder.chmod(0o700)
        pwfile = folder / "pwfile"
        pwfile.write_text(cluster.password + "\n", encoding="utf-8")
        if ids is not None:
            os.chown(pwfile, *ids)
        initdb = _run(
            ids,
            [str(bin_dir / "initdb"), "-D", str(cluster.data_dir), "-U", SUPERUSER, f"--pwfile={pwfile}",
             "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            cwd=folder,
            timeout=timeout,
        )  # fmt: skip
        pwfile.unlink()
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed ({initdb.returncode}):\n{initdb.stdout}{initdb.stderr}")
        # A free port can be taken between our probe and the server's bind: try a few.
        for attempt in range(3):
            cluster = PostgresCluster(folder, bin_dir, free_port(), cluster.password, ids)
            started = _start_server(cluster, timeout)
            if started.returncode == 0:
                break
            log = cluster.log_file.read_text(errors="replace") if cluster.log_file.exists() else ""
            if attempt == 2 or "Address already in use" not in log:
                raise RuntimeError(
                    f"pg_ctl start failed ({started.returncode}):\n{started.stdout}{started.stderr}\n{log}"
                )
        _wait_for_connections(cluster, timeout)
        create_databases(cluster, databases)
    except BaseException:
        stop_postgres(cluster)
        raise
    return cluster


def stop_postgres(cluster: PostgresCluster, timeout: float = 30) -> None:
    """Stop the server (`pg_ctl stop -m fast`: open sessions are rolled back, not waited for), kill it
    and its children if that fails, and delete the folder."""
    pid = cluster.postmaster_pid()
    if pid is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            _run(
                cluster,
                [str(cluster.bin_dir / "pg_ctl"), "stop", "-D", str(cluster.data_dir), "-m", "fast", "-w",
                 "-t", str(int(timeout))],
                cwd=cluster.folder,
                timeout=timeout + 10,
            )  # fmt: skip
        # Still there (the stop timed out or failed): SIGQUIT is PostgreSQL's immediate shutdown, which
        # ends the backends too (each runs in a session of its own, so no process group holds them all);
        # SIGKILL if even that is not enough, after which the backends exit on their postmaster's death.
        for sig, wait in ((signal.SIGQUIT, 10.0), (signal.SIGKILL, 0.0)):
            if cluster.postmaster_pid() != pid or not _alive(pid):
                break
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
    shutil.rmtree(cluster.folder, ignore_errors=True)


@contextlib.contextmanager
def throwaway_postgres(
    folder: Path | None = None, *, databases: Sequence[str] = DEFAULT_DATABASES, timeout: float = 60
) -> Iterator[PostgresCluster]:
    """A running cluster for the duration of the block; stopped and deleted at its end, whatever happens."""
    cluster = start_postgres(folder, databases=databases, timeout=timeout)
    try:
        yield cluster
    finally:
        stop_postgres(cluster)


def main(argv: list[str] | None = None) -> int:
    """`python -m airace_pipeline.cluster.postgres`: start a cluster, print one `name=url` line per
    database and the AIRACE_DAGSTER_PG_URL line (for its `dagster` database), and keep it until SIGINT or
    SIGTERM, for a shell script that needs one."""
    parser = argparse.ArgumentParser(prog="python -m airace_pipeline.cluster.postgres")
    parser.add_argument("--folder", type=Path, help="the cluster's folder (created, deleted at the end)")
    parser.add_argument("--database", action="append", help="a database to create (repeatable)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with throwaway_postgres(args.folder, databases=args.database or DEFAULT_DATABASES) as cluster:
            for name in args.database or DEFAULT_DATABASES:
                print(f"{name}={cluster.url(name)}", flush=True)
            print(f"AIRACE_DAGSTER_PG_URL={cluster.dagster_url()}", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
    except PostgresUnavailable as exc:
        print(f"airace_pipeline: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
