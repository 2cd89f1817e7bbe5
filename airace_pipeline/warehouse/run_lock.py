"""One pipeline run at a time per working file: a lock file beside it naming the run that owns it.

The `duckdb` concurrency pool serialises steps, not runs: two runs started together interleave their
steps, and the second run's publication can publish the first run's half-written state. So the first step
of a run claims the working file for its run; every later step of that run passes, and a step of another
run waits (or stops) until the owner is over. The claim stays in the file after the run ends, because
Dagster gives a resource no hook at the end of a run: the next run takes it over once it sees the owner
finished, failed or canceled, or its processes gone, so a killed run never blocks for ever.

This module is the mechanism only: the owner record, an `flock`-guarded check-and-claim (two runs never
both claim), and the wait. Whether an owner is over is known to Dagster's instance; the caller passes that
knowledge in (`defs/resources.py`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path


class RunLockHeldError(RuntimeError):
    """Another run owns the working file; this run stopped so that the two do not interleave."""


@dataclass(frozen=True)
class LockOwner:
    """The run that owns the working file, and where it runs."""

    run_id: str
    pid: int  # the process of the run's step using the file now; 0 between its steps
    host: str
    since: str  # when the run claimed the file (UTC, ISO 8601)

    def describe(self) -> str:
        where = f"pid {self.pid} on {self.host}" if self.pid else f"between steps, on {self.host}"
        return f"run {self.run_id} ({where}, owner since {self.since})"


# Takes an owner that is not us; returns why it is over (to take the lock over), or None if it is not.
OwnerOver = Callable[[LockOwner], str | None]


def lock_path(working: Path) -> Path:
    """The lock file: beside the working file, so every run configured with that file finds it."""
    return working.with_name(f"{working.name}.run-lock")


def acquire(
    path: Path,
    run_id: str,
    owner_over: OwnerOver,
    stop_waiting: OwnerOver,
    timeout: float,
    poll: float,
    log: Callable[[str], None],
) -> None:
    """Claim `path` for `run_id`, waiting while another run owns it.

    `stop_waiting` says when waiting cannot help (the owner waits for something this step holds); then,
    or after `timeout` seconds, `RunLockHeldError` names the owner.
    """
    deadline = time.monotonic() + timeout
    while True:
        other, taken_over = _try_claim(path, run_id, owner_over)
        if other is None:
            if taken_over is not None:
                log(f"took over {path} for run {run_id}: {taken_over}")
            return
        if (why := stop_waiting(other)) is not None:
            raise RunLockHeldError(
                f"the working file is in use by {other.describe()} ({path}), and {why}; this run stops so the "
                "two runs do not interleave. Run it again once that run has finished."
            )
        if time.monotonic() >= deadline:
            raise RunLockHeldError(
                f"the working file is still in use by {other.describe()} after {timeout:.0f} s ({path}); "
                "this run stops so the two runs do not interleave. Run it again once that run has finished."
            )
        log(f"waiting for {other.describe()}: it owns the working file ({path}); next look in {poll:.0f} s")
        time.sleep(poll)


def release_step(path: Path, run_id: str) -> None:
    """A step of the owning run has finished: keep the claim, but record that no process holds it now."""
    if not path.exists():
        return
    with _locked(path) as fd:
        owner = _read(fd)
        if owner is not None and owner.run_id == run_id:
            _write(fd, replace(owner, pid=0))


def read_owner(path: Path) -> LockOwner | None:
    """The current owner (for tests and messages)."""
    if not path.exists():
        return None
    with _locked(path) as fd:
        return _read(fd)


def _try_claim(path: Path, run_id: str, owner_over: OwnerOver) -> tuple[LockOwner | None, str | None]:
    """(None, why an old owner was taken over or None) when `run_id` now owns `path`; (owner, None) when
    another run does."""
    with _locked(path) as fd:
        current = _read(fd)
        taken_over = None
        if current is not None and current.run_id != run_id:
            taken_over = owner_over(current)
            if taken_over is None:
                return current, None
            taken_over = f"{current.describe()} {taken_over}"
        since = current.since if current is not None and current.run_id == run_id else _now()
        _write(fd, LockOwner(run_id, os.getpid(), socket.gethostname(), since))
        return None, taken_over


@contextmanager
def _locked(path: Path) -> Iterator[int]:
    """The lock file, opened and held exclusively (`flock`) for one read-decide-write; the kernel drops
    the `flock` if the process dies, so it never outlives its holder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def _read(fd: int) -> LockOwner | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = b""
    while chunk := os.read(fd, 65536):
        raw += chunk
    try:
        return LockOwner(**json.loads(raw))
    except (ValueError, TypeError):
        return None  # empty (never claimed) or unreadable: nobody owns the file


def _write(fd: int, owner: LockOwner) -> None:
    data = json.dumps(asdict(owner)).encode()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    os.fsync(fd)


def _now() -> str:
    return dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")
