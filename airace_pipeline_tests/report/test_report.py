"""The report's files, read as a browser would follow them: every link of every page and chart mark reaches
an existing page and anchor; evidence is escaped and highlighted; the folder is replaced whole."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.__main__ import main
from airace_pipeline.report.build import PublishedFileMissing, build_report
from airace_pipeline.report.facts import Limits
from airace_pipeline.report.render import replace_folder
from airace_pipeline.warehouse.contract import CONTRACT
from airace_pipeline_tests.report.conftest import ReportRun

TOPIC_PAGES = ["index", "investments", "alliances", "incidents", "policies", "health"]


class _Page(HTMLParser):
    """The links, element ids and chart specs of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


_PARSED: dict[Path, _Page] = {}


def _parse(path: Path) -> _Page:
    if path not in _PARSED:
        _PARSED[path] = page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
    return _PARSED[path]


def _chart_hrefs(page: _Page) -> dict[str, list[str]]:
    """Per chart, the `href` of each of its data rows (what a click on the mark opens)."""
    for script in page.scripts:
        match = re.search(r"const specs = (\{.*\});", script, re.DOTALL)
        if match:
            specs = json.loads(match.group(1))
            return {
                name: [
                    row["href"]
                    for values in spec.get("datasets", {}).values()
                    for row in values
                    if "href" in row
                ]
                + [row["href"] for row in _inline_values(spec) if "href" in row]
                for name, spec in specs.items()
            }
    return {}


def _inline_values(spec: dict) -> list[dict]:
    rows = list(spec.get("data", {}).get("values", []))
    for layer in spec.get("layer", []):
        rows += _inline_values(layer)
    return rows


def _resolves(folder: Path, page_path: Path, href: str) -> bool:
    target, _, anchor = href.partition("#")
    file = (page_path.parent / target).resolve() if target else page_path
    if not file.is_file() or folder.resolve() not in file.parents:
        return False
    return not anchor or anchor in _parse(file).ids


@pytest.mark.slow  # the shared run over the bundled corpus (about 25 s)
def test_the_asset_writes_the_report_and_links_to_it(report_run: ReportRun) -> None:
    index = report_run.folder / "index.html"
    assert index.is_file()
    assert report_run.metadata["report"].value == index.resolve().as_uri()
    assert report_run.metadata["charts"].value == 12  # every chart has something to draw on the corpus
    assert report_run.metadata["facts_listed"].value > 150
    assert (report_run.folder / "assets" / "vega-bundle.js").stat().st_size > 500_000
    leftovers = [p.name for p in report_run.folder.parent.iterdir() if p.name.startswith(".report.")]
    assert leftovers == []


@pytest.mark.slow  # the shared run over the bundled corpus (about 25 s)
def test_every_mark_and_link_reaches_an_existing_page_and_anchor(report_run: ReportRun) -> None:
    folder = report_run.folder
    for name in TOPIC_PAGES:
        path = folder / f"{name}.html"
        page = _parse(path)
        hrefs = _chart_hrefs(page)
        assert hrefs, f"{name}.html has no chart"
        for chart, targets in hrefs.items():
            assert targets, f"{name}.html: chart {chart} has no linked marks"
            broken = [t for t in set(targets) if not _resolves(folder, path, t)]
            assert not broken, f"{name}.html: chart {chart} links nowhere: {broken[:5]}"
        broken = [t for t in page.links if not t.startswith("http") and not _resolves(folder, path, t)]
        assert not broken, f"{name}.html: {broken[:5]}"
    for path in sorted((folder / "facts").glob("*.html")):
        page = _parse(path)
        broken = [t for t in page.links if not t.startswith("http") and not _resolves(folder, path, t)]
        assert not broken, f"{path.name}: {broken[:5]}"


@pytest.mark.slow  # the shared run over the bundled corpus (about 25 s)
def test_a_known_fact_is_listed_with_its_sentence_highlighted(report_run: ReportRun) -> None:
    conn = duckdb.connect(str(report_run.published), read_only=True)
    try:
        fact_id, day = conn.execute(
            "SELECT investment_id, announced_on FROM investments i JOIN organisations o "
            "ON o.organisation_id = i.recipient_id WHERE o.name = 'Mistral AI' AND i.amount = 600e6"
        ).fetchone()
    finally:
        conn.close()
    page = (report_run.folder / "facts" / f"investments-{day.year}.html").read_text(encoding="utf-8")
    entry = re.search(rf'<article class="fact" id="{fact_id}".*?</article>', page, re.DOTALL)
    assert entry, fact_id
    highlighted = re.findall(r"<mark>(.*?)</mark>", entry.group(0), re.DOTALL)
    assert any("€600 million" in sentence and "Mistral AI" in sentence for sentence in highlighted)
    assert "600,000,000 EUR" in entry.group(0) and "$643,800,000" in entry.group(0)  # stated beside USD
    assert "https://www.reuters.com/" in entry.group(0)


@pytest.mark.slow  # the shared run over the bundled corpus (about 25 s)
def test_a_capped_report_says_so_and_still_links_everywhere(report_run: ReportRun, tmp_path: Path) -> None:
    folder = tmp_path / "capped"
    built = build_report(report_run.published, folder, Limits(max_facts=5, evidence_per_fact=1))
    assert built.facts == 20
    assert "Showing the 5 most recent of" in (folder / "investments.html").read_text(encoding="utf-8")
    path = folder / "investments.html"
    for targets in _chart_hrefs(_parse(path)).values():
        assert all(_resolves(folder, path, t) for t in targets)


def _hostile_published_file(path: Path) -> None:
    """A published file with one investment whose document's title and sentence hold markup."""
    conn = duckdb.connect(str(path))
    try:
        for table in CONTRACT:
            conn.execute(table.create_sql())
        conn.execute("CREATE TABLE pipeline_runs (run_id VARCHAR, published_at TIMESTAMPTZ)")
        conn.execute(
            "CREATE TABLE stage_counts (stage VARCHAR, rows_in BIGINT, rows_out BIGINT, rows_quarantined BIGINT)"
        )
        text = 'Intro line. Acme <b>raised</b> $5 million from "Evil & Co". Outro.'
        start = text.index("Acme")
        end = text.index(" Outro")
        conn.execute(
            "INSERT INTO documents BY NAME SELECT 'd1' AS document_id, 'news' AS collection, "
            "'<script>alert(1)</script>' AS title, 'Src' AS source, 'https://example.org/a?x=1&y=2' AS url, "
            "DATE '2024-05-01' AS published_on, 'x' AS content_sha256, 's' AS source_name, 'o' AS origin, "
            "? AS text",
            [text],
        )
        conn.execute(
            "INSERT INTO investments BY NAME SELECT 'inv_1' AS investment_id, DATE '2024-05-01' AS announced_on, "
            "'US' AS country_code, 5e6 AS amount, 'USD' AS currency, 5e6 AS amount_usd, false AS is_upper_bound, "
            "'private_round' AS kind, '<i>Acme</i>' AS name, 'reported' AS certainty, 1 AS evidence_count, "
            "DATE '2024-05-01' AS fx_rate_date, false AS fx_rate_stale"
        )
        conn.execute(
            "INSERT INTO evidence BY NAME SELECT 'investments' AS fact_table, 'inv_1' AS fact_id, "
            "'d1' AS document_id, ? AS sentence, ? AS span_start, ? AS span_end, 'm1' AS mention_id, "
            "'reported' AS certainty",
            [text[start:end], start, end],
        )
        conn.execute(
            "INSERT INTO quarantine BY NAME SELECT 'ingest' AS stage, '{}' AS record, "
            "'not UTF-8 <here>' AS reason, now() AS quarantined_at, 'raw.local' AS table_name"
        )
        conn.execute("INSERT INTO stage_counts VALUES ('ingest', 2, 1, 1)")
        conn.execute("INSERT INTO pipeline_runs VALUES ('run-1', now())")
    finally:
        conn.close()


def test_text_from_documents_is_escaped_and_the_span_marked(tmp_path: Path) -> None:
    published = tmp_path / "airace.duckdb"
    _hostile_published_file(published)
    built = build_report(published, tmp_path / "report")
    page = (tmp_path / "report" / "facts" / "investments-2024.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>Acme &lt;b&gt;raised&lt;/b&gt; $5 million from &#34;Evil &amp; Co&#34;.</mark>" in page
    assert "Intro line. <mark>" in page  # the text before the span, from the document
    assert 'href="https://example.org/a?x=1&amp;y=2"' in page
    assert "&lt;i&gt;Acme&lt;/i&gt;" in page
    # Tables without facts draw no empty chart: the page says there is nothing to show instead.
    alliances = (tmp_path / "report" / "alliances.html").read_text(encoding="utf-8")
    assert 'data-empty-chart="alliance_network"' in alliances and 'id="chart-' not in alliances
    health = (tmp_path / "report" / "health.html").read_text(encoding="utf-8")
    assert 'id="chart-quarantine_by_stage"' in health
    assert "not UTF-8 &lt;here&gt;" in (tmp_path / "report" / "facts" / "quarantine.html").read_text()
    assert built.run_id == "run-1"


def test_the_folder_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "report"

    def fill(text: str):
        def write(folder: Path) -> None:
            (folder / "index.html").write_text(text)

        return write

    replace_folder(target, fill("first"))
    replace_folder(target, fill("second"))
    assert (target / "index.html").read_text() == "second"

    def broken(folder: Path) -> None:
        (folder / "index.html").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_folder(target, broken)
    assert (target / "index.html").read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_make_report_without_a_published_file_says_to_run_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AIRACE_DUCKDB_PATH", str(tmp_path / "missing.duckdb"))
    monkeypatch.delenv("AIRACE_REPORT_DIR", raising=False)
    assert main(["report"]) == 1
    assert "run `make run` first" in capsys.readouterr().err
    with pytest.raises(PublishedFileMissing):
        build_report(tmp_path / "missing.duckdb", tmp_path / "report")
    assert not (tmp_path / "report").exists()


@pytest.mark.slow  # the shared run over the bundled corpus (about 25 s)
def test_make_report_rebuilds_beside_the_published_file(
    report_run: ReportRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AIRACE_DUCKDB_PATH", str(report_run.published))
    monkeypatch.setenv("AIRACE_REPORT_DIR", str(tmp_path / "elsewhere"))
    assert main(["report"]) == 0
    assert (tmp_path / "elsewhere" / "index.html").is_file()
    assert "elsewhere/index.html" in capsys.readouterr().out
