"""Run a command and measure it: wall time, and memory of the whole process tree it starts.

Two memory figures, both in bytes:

- `peak_tree_rss`: the largest sum of the resident set sizes of the command and all its descendants seen
  at one instant, sampled from /proc every `interval` seconds. Dagster runs each step in its own process
  and the extraction step starts worker processes of its own, so this is what the machine must hold.
  Sampling can miss a peak shorter than the interval; pages shared between processes are counted in each.
- `max_process_rss`: the largest RSS any single process of the tree reached, exactly, from the kernel's
  accounting (`wait4` returns the child's rusage including that of its waited-for descendants; Linux
  reports ru_maxrss in KiB).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    command: list[str]
    returncode: int
    seconds: float
    peak_tree_rss: int
    max_process_rss: int
    peak_processes: int
    stdout: str
    stderr: str
    samples: list[tuple[float, int]]  # (unix time, RSS sum of the tree), for peaks within a time window

    def check(self) -> Measured:
        if self.returncode != 0:
            tail = "\n".join(self.stderr.splitlines()[-40:])
            raise RuntimeError(f"command failed ({self.returncode}): {' '.join(self.command)}\n{tail}")
        return self


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses; fields after the last ')' are fixed.
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_pids(root: int) -> list[int]:
    children = _children_map()
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(children.get(pid, ()))
    return pids


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler:
    """Samples the RSS sum of a process tree in a thread until stopped."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        self.root = root
        self.interval = interval
        self.peak = 0
        self.peak_processes = 0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            pids = tree_pids(self.root)
            total = sum(rss_bytes(pid) for pid in pids)
            self.samples.append((time.time(), total))
            if total > self.peak:
                self.peak = total
            self.peak_processes = max(self.peak_processes, len(pids))
            if self._stop.wait(self.interval):
                return


def run_measured(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    log_dir: Path | None = None,
    name: str = "command",
    interval: float = 0.2,
) -> Measured:
    """Run `command` to completion; its stdout/stderr go to files in `log_dir` (and are returned)."""
    log_dir = Path(log_dir) if log_dir is not None else Path(os.environ.get("TMPDIR", "/tmp"))
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.stdout.log", log_dir / f"{name}.stderr.log"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        began = time.monotonic()
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        with TreeSampler(proc.pid, interval) as sampler:
            _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        command=command,
        returncode=proc.returncode,
        seconds=seconds,
        peak_tree_rss=max(sampler.peak, usage.ru_maxrss * 1024),
        max_process_rss=usage.ru_maxrss * 1024,
        peak_processes=sampler.peak_processes,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        samples=sampler.samples,
    )
