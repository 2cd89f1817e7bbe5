"""The Dagster UI as a user sees it: `dagster dev` on 127.0.0.1, the asset graph in headless Chromium, and a
backfill launched through the GraphQL API the UI itself uses.

Needs Debian's `chromium` (`make test` installs it); the Python `playwright` package drives it through
`executable_path`, since browser downloads do not work offline.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.definitions import defs as load_defs
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import write_sources
from airace_pipeline_tests.operations.dagster_services import dagster_service, free_port, graphql

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
DOCS = [
    "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md",
    "2024-06-12-mistral-ai-funding-5-8-billion-valuation-boilerplate-page.md",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    tmp = tmp_path_factory.mktemp("ui")
    folder = tmp / "drop"
    folder.mkdir()
    for name in DOCS:
        shutil.copy(REPO_ROOT / "data" / "corpus" / name, folder / name)
    home = tmp / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "AIRACE_DUCKDB_PATH": str(tmp / "airace.duckdb"),
        "AIRACE_WORK_DUCKDB_PATH": str(tmp / "work" / "airace_work.duckdb"),
        "AIRACE_SOURCES": str(write_sources(tmp, folder)),
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "1",
    }
    log_path = tmp / "dagster_dev.log"
    command = ["dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)]
    base = f"http://127.0.0.1:{port}"
    with dagster_service(log_path, "dagster", command, env) as process:
        deadline = time.monotonic() + 120
        while True:
            try:
                if graphql(base, "{ assetNodes { id } }")["assetNodes"]:
                    break
            except OSError:
                pass
            assert process.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "the Dagster UI did not come up within 120 s"
            time.sleep(1)
        yield base, tmp


@pytest.fixture(scope="module")
def graph():
    return load_defs().resolve_asset_graph()


def test_graph_edges_and_checks_served_to_the_ui(server: tuple[str, Path], graph) -> None:
    base, _ = server
    nodes = graphql(
        base,
        "{ assetNodes { assetKey { path } dependencyKeys { path } assetChecksOrError { "
        "... on AssetChecks { checks { name } } } } }",
    )["assetNodes"]
    served = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    expected = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert set(served) == expected
    for key in graph.get_all_asset_keys():
        node = served[key.to_user_string()]
        assert {"/".join(d["path"]) for d in node["dependencyKeys"]} == {
            parent.to_user_string() for parent in graph.get(key).parent_keys
        }
    checks = {
        (name, c["name"]) for name, n in served.items() for c in n["assetChecksOrError"].get("checks", [])
    }
    assert {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys} == checks


def test_lineage_page_in_a_real_browser(server: tuple[str, Path], graph) -> None:
    from playwright.sync_api import sync_playwright

    base, tmp = server
    names = {key.path[-1] for key in graph.get_all_asset_keys()}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 2200, "height": 1300})
            groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
            _open_lineage_page(page, base, groups, names)
            _expand_graph_groups(page)
            # The README's picture is taken after a run by docs/screenshots.py (`make screenshots`);
            # this one, before any run, is kept for debugging a failure only.
            page.screenshot(path=str(tmp / "lineage.png"))

            page.goto(f"{base}/assets/evidence?view=checks", wait_until="networkidle")
            page.wait_for_function(
                "() => document.body.innerText.includes('row_conservation')", timeout=60_000
            )
            assert "pandera_schema" in page.inner_text("body")
        finally:
            browser.close()


def _open_lineage_page(page, base: str, groups: set[str], names: set[str]) -> None:
    """Load the global asset graph and open every group, until every asset's name is on the page.

    On a loaded machine the left-hand tree can still be filling in when the page reports network idle;
    expanding it then opened nothing and the test waited for names that never came. So wait for the
    tree to list every group first, and load the page once more if the names still do not show.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for attempt in range(2):
        page.goto(f"{base}/asset-groups", wait_until="networkidle")
        page.wait_for_function(
            "groups => groups.every(g => document.body.innerText.includes(g))",
            arg=sorted(groups),
            timeout=60_000,
        )
        page.wait_for_timeout(1000)
        _dismiss_dialogs(page)
        _expand_sidebar_groups(page)
        try:
            page.wait_for_function(
                "names => names.every(n => document.body.innerText.includes(n))",
                arg=sorted(names),
                timeout=45_000,
            )
            return
        except PlaywrightTimeoutError:
            if attempt:
                raise


def _dismiss_dialogs(page) -> None:
    """Close the first-visit community dialog, which may open after the page is idle; its backdrop would
    swallow the clicks that open the groups."""
    backdrop = page.locator(".bp5-overlay-backdrop")
    for _ in range(5):
        if not backdrop.count():
            return
        skip = page.get_by_role("button", name="Skip")
        if skip.count():
            skip.first.click()
        else:
            page.keyboard.press("Escape")
        page.wait_for_timeout(500)


def _expand_sidebar_groups(page) -> None:
    """Open every group in the left-hand tree, which lists each asset of the group by name."""
    arrows = page.locator('[aria-label="arrow_drop_down"]')
    for i in range(arrows.count()):
        box = arrows.nth(i).bounding_box()
        if box and box["x"] < 400:  # the tree, not the "Materialize all" menu
            _dismiss_dialogs(page)
            arrows.nth(i).click()
            page.wait_for_timeout(200)


def _expand_graph_groups(page) -> None:
    """Zoom out, open every collapsed group box in the graph, and centre the drawing for the screenshot."""
    page.mouse.move(1300, 700)
    page.keyboard.down("Control")
    for _ in range(3):
        page.mouse.wheel(0, 120)
        page.wait_for_timeout(150)
    page.keyboard.up("Control")
    for _ in range(12):
        icons = page.locator('[aria-label="unfold_more"]')
        if not icons.count():
            break
        icons.first.click()
        page.wait_for_timeout(700)
    page.keyboard.down("Control")
    page.mouse.wheel(0, 120)
    page.keyboard.up("Control")
    page.mouse.move(1300, 900)
    page.mouse.down()
    page.mouse.move(1200, 550, steps=10)
    page.mouse.up()
    page.wait_for_timeout(1500)


LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}
"""
STATUS = """
query Status($id: String!) {
  partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill { status } }
}
"""


def test_backfill_launched_like_the_ui_completes(server: tuple[str, Path], graph) -> None:
    base, tmp = server
    keys = [{"path": key.path} for key in graph.get_all_asset_keys()]
    result = graphql(
        base,
        LAUNCH,
        {"params": {"assetSelection": keys, "partitionNames": ["2024-06-01"]}},  # June 2024: both documents
    )["launchPartitionBackfill"]
    assert result["__typename"] == "LaunchBackfillSuccess", result
    deadline = time.monotonic() + 300
    status = None
    while time.monotonic() < deadline:
        status = graphql(base, STATUS, {"id": result["backfillId"]})["partitionBackfillOrError"]["status"]
        if status in ("COMPLETED", "COMPLETED_SUCCESS", "FAILED", "COMPLETED_FAILED", "CANCELED"):
            break
        time.sleep(2)
    assert status in ("COMPLETED", "COMPLETED_SUCCESS"), (
        status,
        (tmp / "dagster_dev.log").read_text()[-3000:],
    )
    materialised = graphql(
        base,
        '{ assetOrError(assetKey: {path: ["documents"]}) { ... on Asset { assetMaterializations { partition } } } }',
    )["assetOrError"]["assetMaterializations"]
    assert "2024-06-01" in {m["partition"] for m in materialised}
    conn = duckdb.connect(str(tmp / "airace.duckdb"), read_only=True)
    try:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(DOCS)
    finally:
        conn.close()
