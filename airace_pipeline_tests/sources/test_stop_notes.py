"""The notes a live source leaves when it spends its allowance reach the asset, whatever the layout."""

from __future__ import annotations

from airace_pipeline.sources.stops import stopped_early_notes


def test_notes_are_found_in_each_sources_layout() -> None:
    state = {
        "airace_federal_register": {
            "resources": {"fr": {"cursors": {"fr": {"since": "2024-01-01", "stopped_early": "max_pages 2"}}}}
        },
        "airace_rss": {"resources": {"rss": {"stopped_early": {"feeds": "deadline 30 s", "other": None}}}},
        "airace_aiid": {"resources": {"aiid": {"snapshots": {"a": {"stopped_early": None}}}}},
    }
    assert sorted(stopped_early_notes(state)) == ["deadline 30 s", "max_pages 2"]


def test_a_finished_source_leaves_no_note() -> None:
    assert stopped_early_notes({"x": {"resources": {"r": {"stopped_early": None, "files": ["a"]}}}}) == []
