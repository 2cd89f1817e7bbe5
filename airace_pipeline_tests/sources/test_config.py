"""The sources YAML: what users write by hand must fail loudly and precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.sources.config import SourcesConfigError, load_sources_config


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_file_enables_only_the_bundled_corpus() -> None:
    config = load_sources_config(REPO_ROOT / "data" / "sources.yaml")
    assert [(s.name, s.kind) for s in config.sources if s.enabled] == [("bundled_corpus", "local_folder")]
    assert config.sources[0].path == REPO_ROOT / "data" / "corpus"


def test_relative_and_absolute_paths(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    config = load_sources_config(
        _write(
            tmp_path,
            f"sources:\n  - {{name: a, kind: local_folder, path: {folder}}}\n"
            "  - {name: b, kind: local_folder, path: data/corpus}\n",
        )
    )
    assert [s.path for s in config.sources] == [folder, REPO_ROOT / "data" / "corpus"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources:\n  - {name: a, kind: ftp, path: x}\n", "sources[0] (a): unknown kind 'ftp'"),
        (
            "sources:\n  - {name: a, kind: local_folder, path: /no/such/dir}\n",
            "sources[0] (a): path '/no/such/dir' does not exist",
        ),
        ("sources:\n  - {name: a, kind: local_folder}\n", "sources[0] (a): 'path' is missing"),
        ("sources: [\n", "not valid YAML"),
        ("other: 1\n", "expected a mapping with a 'sources:' list"),
        ("sources:\n  - {kind: local_folder, path: data}\n", "sources[0]: 'name' is missing"),
        (
            "sources:\n  - {name: a, kind: local_folder, path: data}\n  - {name: a, kind: local_folder, path: data}\n",
            "sources[1] (a): duplicate name",
        ),
        (
            "sources:\n  - {name: a, kind: local_folder, path: data, colour: red}\n",
            "unknown setting(s) ['colour']",
        ),
    ],
)
def test_bad_files_name_file_entry_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourcesConfigError) as error:
        load_sources_config(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesConfigError, match="sources file not found"):
        load_sources_config(tmp_path / "nope.yaml")


def test_disabled_source_may_point_nowhere(tmp_path: Path) -> None:
    config = load_sources_config(
        _write(tmp_path, "sources:\n  - {name: a, kind: local_folder, path: /no/such, enabled: false}\n")
    )
    assert config.enabled("local_folder") == []
