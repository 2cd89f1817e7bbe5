"""Reading local folders through a real dlt pipeline into a real DuckDB file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dlt
import duckdb
import pytest

from airace_pipeline.sources.local_folder import local_documents_source
from airace_pipeline.sources.local_folder.readers import find_stated_date


def _load(folder: Path, db: Path, **window) -> None:
    pipeline = dlt.pipeline(
        pipeline_name="test_local",
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw",
        pipelines_dir=str(db.parent / "dlt"),
    )
    pipeline.run(
        local_documents_source(
            folders=[("drop", str(folder))],
            valid_from=dt.date(2017, 1, 1),
            valid_until=dt.date(2026, 12, 31),
            **window,
        )
    )


def _rows(db: Path) -> dict[str, dict]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        frame = conn.execute("SELECT * FROM raw.local_documents").df()
    finally:
        conn.close()
    return {row["origin"]: row for row in frame.to_dict("records")}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "front.md").write_text(
        "---\ntitle: Front\npublished: 2024-06-11\ncollection: funding_announcement\nsource: Outlet\n"
        "url: https://example.org/a\n---\nMistral AI raised €600 million.\n",
        encoding="utf-8",
    )
    (docs / "plain.md").write_text(
        "# A heading title\n\nPublished on 3 March 2024. Text.\n", encoding="utf-8"
    )
    (docs / "page.html").write_text(
        "<html><head><title>Page title</title><script>alert('x')</script><style>p{}</style></head>"
        "<body><nav>Home</nav><p>On January 21, 2025 something was announced.</p></body></html>",
        encoding="utf-8",
    )
    (docs / "items.jsonl").write_text(
        '{"title": "J1", "text": "First.", "published": "2024-02-02", "collection": "news"}\n'
        "{broken json\n"
        '{"title": "J3", "published": "2024-02-02"}\n',
        encoding="utf-8",
    )
    (docs / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (docs / "old.md").write_text("---\npublished: 2001-01-01\n---\nToo old.\n", encoding="utf-8")
    (docs / "badcoll.md").write_text(
        "---\npublished: 2024-01-01\ncollection: blog\n---\nText.\n", encoding="utf-8"
    )
    undated = docs / "undated.txt"
    undated.write_text("No date stated here.\n", encoding="utf-8")
    stamp = dt.datetime(2024, 5, 5, 12, tzinfo=dt.UTC).timestamp()
    os.utime(undated, (stamp, stamp))
    (docs / "ignored.pdf").write_bytes(b"%PDF")
    return docs


def test_every_file_becomes_a_document_or_a_rejection(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _load(folder, db)
    rows = _rows(db)
    good = {o for o, r in rows.items() if r["rejected_reason"] is None}
    assert good == {"front.md", "plain.md", "page.html", "items.jsonl#1", "undated.txt"}
    front = rows["front.md"]
    assert (front["title"], front["source"], front["collection"], front["url"]) == (
        "Front",
        "Outlet",
        "funding_announcement",
        "https://example.org/a",
    )
    assert front["published_on"].date() == dt.date(2024, 6, 11) and front["date_basis"] == "metadata"
    assert rows["plain.md"]["title"] == "A heading title"
    assert (
        rows["plain.md"]["published_on"].date() == dt.date(2024, 3, 3)
        and rows["plain.md"]["date_basis"] == "text"
    )
    assert rows["plain.md"]["source"] == "drop"
    page = rows["page.html"]
    assert page["title"] == "Page title" and "alert" not in page["text"] and "p{}" not in page["text"]
    assert page["published_on"].date() == dt.date(2025, 1, 21)
    assert rows["undated.txt"]["published_on"].date() == dt.date(2024, 5, 5)
    assert rows["undated.txt"]["date_basis"] == "file_modified"
    assert "malformed JSON on line 2" in rows["items.jsonl#2"]["rejected_reason"]
    assert "no text field" in rows["items.jsonl#3"]["rejected_reason"]
    assert "not UTF-8" in rows["latin1.txt"]["rejected_reason"]
    assert "outside the partitioned range" in rows["old.md"]["rejected_reason"]
    assert "unknown collection 'blog'" in rows["badcoll.md"]["rejected_reason"]
    assert "ignored.pdf" not in rows


def test_rerun_merges_instead_of_duplicating(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _load(folder, db)
    _load(folder, db)
    first = _rows(db)
    (folder / "front.md").write_text(
        "---\ntitle: Front v2\npublished: 2024-06-11\n---\nMistral AI raised €600 million in equity.\n",
        encoding="utf-8",
    )
    _load(folder, db)
    after = _rows(db)
    assert len(after) == len(first)
    assert after["front.md"]["title"] == "Front v2"
    assert after["front.md"]["document_id"] == first["front.md"]["document_id"]
    assert after["front.md"]["content_sha256"] != first["front.md"]["content_sha256"]


def test_one_load_never_repeats_a_document_id(folder: Path, tmp_path: Path) -> None:
    """The merge skips dlt's deduplication of staged rows (its window over the text ran out of memory at
    200k documents), which is right only because a load never yields one id twice: ids hash the entry's
    name and the origin (relative path, line or item), unique within an entry."""
    (folder / "sub").mkdir()
    (folder / "sub" / "front.md").write_text((folder / "front.md").read_text(encoding="utf-8"), "utf-8")
    (folder / "list.json").write_text(
        '[{"text": "A.", "published": "2024-02-02"}, {"text": "A.", "published": "2024-02-02"}]', "utf-8"
    )
    source = local_documents_source(folders=[("drop", str(folder))])
    resource = source.resources["local_documents"]
    assert resource.compute_table_schema().get("x-stage-data-deduplicated") is True
    db = tmp_path / "w.duckdb"
    _load(folder, db)
    conn = duckdb.connect(str(db), read_only=True)
    try:
        total, ids = conn.execute(
            "SELECT count(*), count(DISTINCT document_id) FROM raw.local_documents"
        ).fetchone()
    finally:
        conn.close()
    assert total == ids == 13  # the fixture's 10 records, the copy, the list's 2 items


def test_window_keeps_only_its_days_and_all_rejections(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _load(folder, db, window_start=dt.date(2024, 6, 1), window_end=dt.date(2024, 7, 1))
    rows = _rows(db)
    good = {o for o, r in rows.items() if r["rejected_reason"] is None}
    assert good == {"front.md"}
    assert {"latin1.txt", "old.md", "badcoll.md", "items.jsonl#2"} <= set(rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published 2025-01-21 by us", dt.date(2025, 1, 21)),
        ("On 7 March 2024, the cabinet", dt.date(2024, 3, 7)),
        ("On Sept. 5, 2024 it opened", dt.date(2024, 9, 5)),
        ("In March 2023 only", None),
        ("31 February 2024 is no date", None),
    ],
)
def test_stated_dates(text: str, expected: dt.date | None) -> None:
    assert find_stated_date(text) == expected


def _corrupt_keeping_size_and_mtime(path: Path) -> None:
    """Make a file unreadable without changing its size or modification time: only a re-read notices."""
    stat = path.stat()
    path.write_bytes(b"\xff" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_unchanged_files_outside_the_window_are_not_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "march.md").write_text("---\npublished: 2024-03-05\n---\nAlpha raised $5 million.\n")
    (folder / "june.md").write_text("---\npublished: 2024-06-05\n---\nBeta raised $7 million.\n")
    db = tmp_path / "local.duckdb"
    _load(folder, db)  # the first run indexes both files

    _corrupt_keeping_size_and_mtime(folder / "march.md")
    _load(folder, db, window_start=dt.date(2024, 6, 1), window_end=dt.date(2024, 7, 1))
    # A read would have turned the file into a rejection (rejections are loaded whatever the window).
    assert _rows(db)["march.md"]["rejected_reason"] is None, "an unchanged file of another window was read"

    _load(folder, db, window_start=dt.date(2024, 3, 1), window_end=dt.date(2024, 4, 1))
    assert "not UTF-8" in _rows(db)["march.md"]["rejected_reason"], "a file of the window was skipped"


def test_changed_files_are_read_whatever_the_window(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "march.md").write_text("---\npublished: 2024-03-05\n---\nAlpha raised $5 million.\n")
    db = tmp_path / "local.duckdb"
    _load(folder, db)
    (folder / "march.md").write_bytes(b"\xff\xfe broken")
    _load(folder, db, window_start=dt.date(2024, 6, 1), window_end=dt.date(2024, 7, 1))
    assert "not UTF-8" in _rows(db)["march.md"]["rejected_reason"]


def test_files_with_rejections_are_read_on_every_run(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "bad.json").write_text("{not json")
    db = tmp_path / "local.duckdb"
    _load(folder, db)
    first = _rows(db)["bad.json"]["ingested_at"]
    _load(folder, db, window_start=dt.date(2024, 6, 1), window_end=dt.date(2024, 7, 1))
    assert _rows(db)["bad.json"]["ingested_at"] > first
