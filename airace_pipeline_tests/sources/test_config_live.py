"""The live source kinds in the sources YAML: defaults, every kind present but disabled, precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.sources.config import (
    AiidSource,
    EurLexSource,
    FederalRegisterSource,
    RssSource,
    SourcesConfigError,
    load_sources_config,
)


def _load(tmp_path: Path, body: str):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + body, encoding="utf-8")
    return load_sources_config(path)


def test_default_file_lists_every_live_kind_disabled() -> None:
    config = load_sources_config(REPO_ROOT / "data" / "sources.yaml")
    live = {s.kind: s for s in config.sources if s.kind != "local_folder"}
    assert set(live) == {"rss", "federal_register", "aiid", "eurlex"}
    assert not any(s.enabled for s in live.values())
    assert live["federal_register"].types == ("PRESDOCU", "RULE", "PRORULE", "NOTICE")
    assert live["federal_register"].terms == ("artificial intelligence",)
    assert "32024R1689" in live["eurlex"].celex


def test_defaults_and_settings(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "  - {name: f, kind: rss, feeds: ['https://a.example/rss', {url: 'https://b.example/atom', name: B}],"
        " timeout_s: 5, max_bytes: 1000}\n"
        "  - {name: fr, kind: federal_register, types: [presdocu], terms: 'machine learning'}\n"
        "  - {name: aiid, kind: aiid, snapshot: 'https://mirror.example/aiid'}\n"
        "  - {name: eu, kind: eurlex}\n",
    )
    rss, fr, aiid, eu = config.sources
    assert isinstance(rss, RssSource) and [f.name for f in rss.feeds] == [None, "B"]
    assert rss.limits.timeout_s == 5.0 and rss.limits.max_bytes == 1000 and rss.limits.retries == 4
    assert (
        isinstance(fr, FederalRegisterSource)
        and fr.types == ("PRESDOCU",)
        and fr.terms == ("machine learning",)
    )
    assert isinstance(aiid, AiidSource) and aiid.is_url
    assert isinstance(eu, EurLexSource) and eu.celex == ("32024R1689",)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  - {name: f, kind: rss}\n", "'feeds' must be a non-empty list"),
        ("  - {name: f, kind: rss, feeds: ['file:///etc/passwd']}\n", r"feeds\[0\] needs an http\(s\) 'url'"),
        (
            "  - {name: f, kind: rss, feeds: ['https://a.example'], timeout_s: -1}\n",
            "'timeout_s' must be a number > 0",
        ),
        (
            "  - {name: f, kind: rss, feeds: ['https://a.example'], max_pages: 1.5}\n",
            "'max_pages' must be a whole",
        ),
        (
            "  - {name: f, kind: rss, feeds: ['https://a.example'], collection: blogs}\n",
            "'collection' must be one of",
        ),
        ("  - {name: fr, kind: federal_register, base_url: 'ftp://x'}\n", "'base_url' must be an http"),
        ("  - {name: fr, kind: federal_register, terms: []}\n", "'terms' must be a non-empty list"),
        ("  - {name: fr, kind: federal_register, api_key: x}\n", r"unknown setting\(s\) \['api_key'\]"),
        ("  - {name: eu, kind: eurlex, celex: ['AI Act']}\n", "is not a CELEX number"),
        ("  - {name: a, kind: aiid, snapshot: /nowhere/at/all}\n", "has no incidents.csv"),
    ],
)
def test_errors_name_the_entry_and_the_problem(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(SourcesConfigError, match=message) as info:
        _load(tmp_path, body)
    assert "sources[0]" in str(info.value)


def test_disabled_entries_are_not_checked_against_the_disk(tmp_path: Path) -> None:
    config = _load(tmp_path, "  - {name: a, kind: aiid, snapshot: /nowhere, enabled: false}\n")
    assert not config.sources[0].enabled


def test_deadlines_are_read_next_to_timeout_s_and_reach_the_http_client(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "  - {name: f, kind: rss, feeds: ['https://a.example/rss'], request_deadline_s: 45,"
        " source_deadline_s: 600}\n"
        "  - {name: eu, kind: eurlex}\n",
    )
    custom, default = (s.limits.http_settings() for s in config.sources)
    assert (custom.request_deadline_s, custom.source_deadline_s) == (45.0, 600.0)
    assert (default.request_deadline_s, default.source_deadline_s) == (300.0, 3600.0)
    with pytest.raises(SourcesConfigError, match="'source_deadline_s' must be a number > 0"):
        _load(tmp_path, "  - {name: eu, kind: eurlex, source_deadline_s: 0}\n")
