"""Refresh the README's two pictures: `make screenshots` (about two minutes).

- docs/lineage.png: the asset graph in the Dagster UI after a run over the bundled corpus, every group
  open, zoomed until each asset shows its materialisation and its checks, cropped to the graph;
- docs/report.png: the report's investments page as that run rendered it, and docs/report-evidence.png:
  where a click on the point of Mistral AI's €600 million round leads, its sentences highlighted.

Everything runs on temporary files (a DAGSTER_HOME, published and working files and report of its own),
with `dagster dev` on 127.0.0.1 and Debian's chromium driven by playwright, as the UI test does; the
repository's own data/ and .dagster_home are not touched.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # the test helpers below are not installed, only the package is

from airace_pipeline_tests.operations.dagster_services import (  # noqa: E402
    cli_env,
    dagster_service,
    free_port,
    graphql,
)
from airace_pipeline_tests.operations.test_ui import CHROMIUM, CHROMIUM_ARGS, _dismiss_dialogs  # noqa: E402

LINEAGE = REPO_ROOT / "docs" / "lineage.png"
REPORT = REPO_ROOT / "docs" / "report.png"
EVIDENCE = REPO_ROOT / "docs" / "report-evidence.png"


def main() -> int:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="airace-screenshots-"))
    env = cli_env(tmp)
    env.pop("AIRACE_REPORT_DIR", None)  # the report goes beside the temporary published file
    print(f"screenshots: running the pipeline on temporary files in {tmp}", flush=True)
    subprocess.run(
        [sys.executable, "-m", "airace_pipeline", "run"],
        env=env,
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = ["dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)]
    with dagster_service(tmp / "dagster_dev.log", "dagster", command, env), sync_playwright() as p:
        _wait_for_ui(base)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 2560, "height": 1500})
            _lineage(page, base)
            _report(browser.new_page(viewport={"width": 1100, "height": 820}), tmp / "report")
        finally:
            browser.close()
    for path in (LINEAGE, REPORT, EVIDENCE):
        print(f"screenshots: wrote {path.relative_to(REPO_ROOT)} ({path.stat().st_size // 1024} KB)")
    return 0


def _report(page, folder: Path) -> None:
    """The investments page's first chart, then the entry a click on one of its points opens."""
    page.goto((folder / "investments.html").as_uri())
    page.wait_for_function("() => document.querySelector('.chart[data-rendered]') !== null")
    page.screenshot(path=str(REPORT))
    page.locator('#chart-investments_over_time [aria-label*="stated: 600,000,000 EUR"]').first.click()
    page.wait_for_url("**/facts/investments-2024.html#*")
    fact_id = page.url.rsplit("#", 1)[1]
    page.wait_for_timeout(500)
    page.locator(f"article#{fact_id}").screenshot(path=str(EVIDENCE))


def _wait_for_ui(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if graphql(base, "{ assetNodes { id } }")["assetNodes"]:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("screenshots: the Dagster UI did not come up within 120 s")


def _lineage(page, base: str) -> None:
    """Open every group, lay the graph out top to bottom (it is wide, not tall, that way), zoom until the
    nodes show their details (latest materialisation, checks passed), centre it and crop to it."""
    page.goto(f"{base}/asset-groups", wait_until="networkidle")
    page.wait_for_timeout(2000)
    _dismiss_dialogs(page)
    page.get_by_text("Hide navigation").click()
    _open_groups(page)
    page.locator('[aria-label="settings"]').last.click()
    vertical = page.get_by_text("Change graph to vertical orientation")
    if vertical.count():
        vertical.click()
    page.keyboard.press("Escape")
    page.reload(wait_until="networkidle")  # fits the opened, re-oriented graph to the window
    page.wait_for_timeout(2500)
    _dismiss_dialogs(page)
    tree_toggle = page.locator('[aria-label="panel_show_right"]')
    if tree_toggle.count():
        tree_toggle.first.click()
        page.wait_for_timeout(800)
    _open_groups(page)
    for _ in range(6):
        if page.get_by_text("Asset checks").count():
            break
        page.locator('[aria-label="zoom_in"]').first.click()
        page.wait_for_timeout(800)
    box = _graph_box(page)
    centre_x, centre_y = box[0] + (box[2] - box[0]) / 2, box[1] + (box[3] - box[1]) / 2
    page.mouse.move(centre_x, centre_y)
    page.mouse.down()
    page.mouse.move(1280, 780, steps=15)
    page.mouse.up()
    page.wait_for_timeout(1200)
    left, top, right, bottom = _graph_box(page)
    page.screenshot(
        path=str(LINEAGE),
        clip={
            "x": max(left - 30, 0),
            "y": max(top - 40, 0),
            "width": right - left + 60,
            "height": bottom - top + 80,
        },
    )


def _open_groups(page) -> None:
    for _ in range(12):
        icons = page.locator('[aria-label="unfold_more"]')
        if not icons.count():
            return
        icons.first.click()
        page.wait_for_timeout(600)


def _graph_box(page) -> tuple[float, float, float, float]:
    """The box around the graph's group frames and asset nodes as drawn now."""
    boxes = page.eval_on_selector_all(
        "[data-testid^='asset-node'], [data-testid^='group-node'], foreignObject",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
        ".filter(b => b[2] - b[0] > 20 && b[3] - b[1] > 10)",
    )
    if not boxes:
        raise SystemExit("screenshots: no asset node found on the lineage page")
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


if __name__ == "__main__":
    sys.exit(main())
