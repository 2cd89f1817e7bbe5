"""The local Dask cluster is real (a scheduler and N workers, separate processes on 127.0.0.1) and leaves
nothing running; a scheduler that does not answer gives an error naming the address and the setting."""

from __future__ import annotations

import os
import socket
import time

import psutil
import pytest

from airace_pipeline.cluster.dask_cluster import local_dask_cluster
from airace_pipeline.engines.distributed import SCHEDULER_ENV_VAR, SchedulerUnreachable, connect

pytestmark = pytest.mark.slow


def test_cluster_is_separate_processes_on_loopback_and_stops_them_all() -> None:
    with local_dask_cluster(workers=2) as cluster:
        pids = cluster.pids
        assert len(set(pids)) == 3
        assert psutil.Process().pid not in pids
        assert cluster.address.startswith("tcp://127.0.0.1:")
        for pid in pids:
            process = psutil.Process(pid)
            assert process.is_running() and process.status() != psutil.STATUS_ZOMBIE
            listening = [
                c.laddr.ip for c in process.net_connections("inet") if c.status == psutil.CONN_LISTEN
            ]
            assert listening, f"process {pid} listens on nothing"
            assert set(listening) == {"127.0.0.1"}, f"process {pid} listens beyond loopback: {listening}"
        from distributed import Client

        with Client(cluster.address, set_as_default=False) as client:
            assert sorted(client.run(os.getpid).values()) == sorted(pids[1:])
    deadline = time.monotonic() + 5
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in pids):
        assert time.monotonic() < deadline, "cluster processes still running after exit"
        time.sleep(0.1)


def test_unreachable_scheduler_names_address_and_setting() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    began = time.monotonic()
    with pytest.raises(SchedulerUnreachable) as raised, connect(address, timeout=2):
        pass
    assert time.monotonic() - began < 15
    assert address in str(raised.value)
    assert SCHEDULER_ENV_VAR in str(raised.value)
