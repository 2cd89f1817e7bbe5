"""A document dropped for a day whose partition already ran is picked up by the sensor's backfill; a
sensor tick opens only new or changed files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from airace_pipeline.defs.sensors import (
    RANGE_END_TAG,
    RANGE_START_TAG,
    file_index_path,
    late_documents_sensor,
)
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.warehouse.contract import DOCUMENTS
from airace_pipeline_tests.conftest import make_resources, materialize_range, write_sources

CORPUS = REPO_ROOT / "data" / "corpus"


def _evaluate(resources: dict) -> dg.SensorResult | dg.SkipReason:
    # A context manager, as the daemon opens it: the warehouse resource has set-up and tear-down.
    with dg.build_sensor_context(
        resources={"sources": resources["sources"], "warehouse": resources["warehouse"]}
    ) as context:
        return late_documents_sensor(context)


def _published_ids(tmp: Path) -> set[str]:
    conn = duckdb.connect(str(tmp / "airace.duckdb"), read_only=True)
    try:
        return {r[0] for r in conn.execute("SELECT origin FROM documents").fetchall()}
    finally:
        conn.close()


@pytest.mark.slow
def test_late_document_is_backfilled_once(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(CORPUS / "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md", folder)
    resources = make_resources(tmp_path, write_sources(tmp_path, folder))

    skip = _evaluate(resources)
    assert isinstance(skip, dg.SkipReason) and "does not exist yet" in skip.skip_message

    assert materialize_range(resources, "2024-06-01", "2024-06-30").success
    assert isinstance(_evaluate(resources), dg.SkipReason)

    # A document from March arrives after March's partitions have run.
    late = "2024-03-07-indiaai-mission-cabinet-approves-10371-crore.md"
    shutil.copy(CORPUS / late, folder)
    result = _evaluate(resources)
    assert isinstance(result, dg.SensorResult)
    (request,) = result.run_requests
    # The backfill covers the partition (month) holding the late document's day.
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("2024-03-01", "2024-03-01")
    assert _evaluate(resources).run_requests[0].run_key == request.run_key  # same drop, same key

    assert materialize_range(resources, "2024-03-07", "2024-03-07").success
    assert _published_ids(tmp_path) == {late, "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md"}
    assert isinstance(_evaluate(resources), dg.SkipReason)

    # An edited document is late too.
    path = folder / late
    path.write_text(
        path.read_text(encoding="utf-8") + "\nThe mission was reviewed in 2025.\n", encoding="utf-8"
    )
    assert isinstance(_evaluate(resources), dg.SensorResult)


MISTRAL = "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md"
INDIA = "2024-03-07-indiaai-mission-cabinet-approves-10371-crore.md"


def _empty_published_file(resources: dict) -> None:
    """A published file with the contract's empty `documents` table: every local document is pending."""
    conn = duckdb.connect(str(resources["warehouse"].published))
    try:
        conn.execute(DOCUMENTS.create_sql())
    finally:
        conn.close()


def _swap_text_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_sensor_does_not_reread_unchanged_files_and_finds_changed_ones(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    for name in (MISTRAL, INDIA):
        shutil.copy(CORPUS / name, folder)
    resources = make_resources(tmp_path, write_sources(tmp_path, folder))
    _empty_published_file(resources)

    first = _evaluate(resources)
    (request,) = first.run_requests
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("2024-03-01", "2024-06-01")
    assert file_index_path(resources["warehouse"]).is_file()

    # Same size, same modification time: the file is not opened again, so the edit goes unseen and the
    # request is the same one (a re-read would hash the new text and give another run key).
    _swap_text_keeping_size_and_mtime(folder / MISTRAL, "Paris-based", "Lyons-based")
    unchanged = _evaluate(resources)
    assert unchanged.run_requests[0].run_key == request.run_key

    # A file that cannot be read at all is not read either: the tick still succeeds, same request.
    (folder / MISTRAL).chmod(0)
    try:
        assert _evaluate(resources).run_requests[0].run_key == request.run_key
    finally:
        (folder / MISTRAL).chmod(0o644)

    # A changed file (new modification time) is read again and its new content found.
    path = folder / INDIA
    path.write_text(path.read_text(encoding="utf-8") + "\nReviewed in 2025.\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    changed = _evaluate(resources)
    assert changed.run_requests[0].run_key != request.run_key

    # A removed file leaves the index too.
    (folder / INDIA).unlink()
    only_mistral = _evaluate(resources)
    (late,) = only_mistral.run_requests
    assert (late.tags[RANGE_START_TAG], late.tags[RANGE_END_TAG]) == ("2024-06-01", "2024-06-01")


def test_sensor_finds_the_good_documents_of_a_partly_broken_file(tmp_path: Path) -> None:
    """A file with one unusable record is not indexed (read again every tick), and its usable documents
    still count: a late document must not hide behind a malformed neighbour line."""
    folder = tmp_path / "drop"
    folder.mkdir()
    good = {
        "title": "Example AI raises 10 million dollars",
        "published": "2024-05-02",
        "text": "Example AI said on Thursday it had raised $10 million in a seed round.",
    }
    (folder / "feed.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    resources = make_resources(tmp_path, write_sources(tmp_path, folder))
    _empty_published_file(resources)

    for _ in range(2):  # the second tick reads the file again: it was not indexed
        result = _evaluate(resources)
        assert isinstance(result, dg.SensorResult)
        (request,) = result.run_requests
        assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("2024-05-01", "2024-05-01")
