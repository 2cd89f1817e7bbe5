"""A live source waits on the network outside the `duckdb` pool and loads within it.

Real parts throughout: a loopback feed that answers slowly and records when, a DuckDB working file held
open for writing by another process, and Dagster materialisations whose event log says which step did
what and when.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from airace_pipeline.definitions import all_assets
from airace_pipeline_tests.conftest import make_resources
from airace_pipeline_tests.sources.live import RSS

DELAY_S = 1.0
PARTITION = "2024-06-01"
FETCH_STEP, LOAD_STEP = "fetched__rss_documents", "raw_rss_documents"


def _slow_feed(requests: list[tuple[float, float]]):
    def handler(_request: Request) -> Response:
        started = time.time()
        time.sleep(DELAY_S)
        requests.append((started, time.time()))
        return Response(RSS, content_type="application/rss+xml")

    return handler


def _sources(tmp: Path, server: HTTPServer) -> Path:
    path = tmp / "sources.yaml"
    path.write_text(
        f"sources:\n  - name: feeds\n    kind: rss\n    feeds: [{server.url_for('/rss')}]\n"
        "    timeout_s: 5\n    retries: 1\n    backoff_s: 0.05\n",
        encoding="utf-8",
    )
    return path


def _step_times(instance: dg.DagsterInstance, run_id: str) -> dict[tuple[str, str], float]:
    return {
        (entry.step_key, entry.dagster_event.event_type_value): entry.timestamp
        for entry in instance.all_logs(run_id)
        if entry.dagster_event is not None and entry.step_key is not None
    }


def test_the_fetch_waits_on_the_network_without_the_working_file_and_the_pool_step_only_loads(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    requests: list[tuple[float, float]] = []
    httpserver.expect_request("/rss").respond_with_handler(_slow_feed(requests))
    resources = make_resources(tmp_path, _sources(tmp_path, httpserver))
    working = tmp_path / "work" / "airace_work.duckdb"
    working.parent.mkdir(parents=True)
    assets = all_assets(["rss"])
    by_key = {key.to_user_string(): a for a in assets for key in a.keys}
    assert by_key["fetched/rss_documents"].op.pool is None
    assert by_key["raw/rss_documents"].op.pool == "duckdb"
    instance = dg.DagsterInstance.ephemeral()

    # Another process writes the working file for the whole fetch: the fetch must not need it.
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(working)!r}); print('held', "
         "flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        fetched = dg.materialize(
            assets,
            selection=[dg.AssetKey(["fetched", "rss_documents"])],
            resources=resources,
            instance=instance,
            partition_key=PARTITION,
        )
    finally:
        holder.communicate(input="")
    assert fetched.success
    assert len(requests) == 1
    times = _step_times(instance, fetched.run_id)
    assert times[(FETCH_STEP, "STEP_START")] <= requests[0][0]
    assert requests[0][1] <= times[(FETCH_STEP, "STEP_SUCCESS")]
    [event] = fetched.get_asset_materialization_events()
    assert event.step_materialization_data.materialization.metadata["rows_fetched"].value == 3

    # The next run loads that package as well as its own fetch, once each; the pool step starts after
    # the request of its run has completed and makes none itself.
    full = dg.materialize(assets, resources=resources, instance=instance, partition_key=PARTITION)
    assert full.success
    assert len(requests) == 2
    times = _step_times(instance, full.run_id)
    assert times[(FETCH_STEP, "STEP_START")] <= requests[1][0]
    assert requests[1][1] <= times[(FETCH_STEP, "STEP_SUCCESS")] <= times[(LOAD_STEP, "STEP_START")]
    raw = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in full.get_asset_materialization_events()
    }["raw/rss_documents"]
    assert raw["packages_loaded"].value == 2
    assert raw["rows_loaded_this_run"].value == 3
    conn = duckdb.connect(str(working), read_only=True)
    try:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT document_id) FROM raw.rss_documents"
        ).fetchone()
        assert (total, distinct) == (3, 3)
    finally:
        conn.close()
