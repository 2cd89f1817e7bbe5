"""The report as an analyst meets it: opened from the file system in headless Chromium with the network
blocked, every chart drawn with marks and no console error, and a click on a known fact's mark reaching
the sentence that states it.

Needs Debian's `chromium` (`make test` installs it), driven by the Python `playwright` package through
`executable_path`, as the UI test does.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from airace_pipeline_tests.operations.test_ui import CHROMIUM_ARGS
from airace_pipeline_tests.report.conftest import ReportRun

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = ["index", "investments", "alliances", "incidents", "policies", "health"]


@pytest.fixture(scope="module")
def browser_page(report_run: ReportRun) -> Iterator[tuple[object, list[str]]]:
    """A page in a context where every request that is not for a local file fails, and the problems the
    browser reports (console errors, uncaught exceptions, failed requests) collected."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            context.set_offline(True)
            context.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
            )
            page = context.new_page()
            page.on(
                "console",
                lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            yield page, problems
        finally:
            browser.close()


def _open(page, report_run: ReportRun, name: str) -> None:
    page.goto((report_run.folder / f"{name}.html").as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every(c => c.dataset.rendered === 'true')",
        timeout=30_000,
    )


def test_every_chart_renders_marks_offline_without_errors(browser_page, report_run: ReportRun) -> None:
    page, problems = browser_page
    drawn = {}
    for name in PAGES:
        _open(page, report_run, name)
        for chart in page.locator(".chart").all():
            drawn[chart.get_attribute("data-chart")] = chart.locator("svg g.role-mark > *").count()
    assert len(drawn) == 12, drawn
    assert all(count > 0 for count in drawn.values()), drawn
    assert problems == []


def test_a_point_leads_to_the_sentence_of_its_fact(browser_page, report_run: ReportRun) -> None:
    """The Mistral AI round of €600 million (data/corpus/2024-06-11-mistral-ai-600-million-euros-...)."""
    page, problems = browser_page
    _open(page, report_run, "investments")
    point = page.locator(
        '#chart-investments_over_time [aria-label*="investment: Mistral AI"][aria-label*="stated: 600,000,000 EUR"]'
    )
    assert point.count() == 1
    point.click()
    page.wait_for_url(re.compile(r"/facts/investments-2024\.html#inv_[0-9a-f]+$"), timeout=15_000)
    fact_id = page.url.rsplit("#", 1)[1]
    sentences = page.locator(f"article#{fact_id} blockquote mark").all_inner_texts()
    assert any("€600 million" in s and "Mistral AI" in s for s in sentences), sentences
    cite = page.locator(f"article#{fact_id} cite").first.inner_text()
    assert "Mistral AI raises 600 million euros" in cite and "Reuters" in cite and "https://" in cite
    assert problems == []


def test_a_bar_leads_to_the_sentences_of_its_group(browser_page, report_run: ReportRun) -> None:
    page, problems = browser_page
    _open(page, report_run, "investments")
    bar = page.locator('#chart-top_recipients [aria-label*="recipient: Mistral AI"]')
    assert bar.count() == 1
    bar.click()
    page.wait_for_url(re.compile(r"/facts/investments-recipients\.html#mistral-ai$"), timeout=15_000)
    sentences = page.locator("section#mistral-ai blockquote mark").all_inner_texts()
    assert any("Mistral" in s and "€600 million" in s for s in sentences), sentences
    assert problems == []
