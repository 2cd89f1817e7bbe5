"""The sources YAML file (`data/sources.yaml`, or the file named by `AIRACE_SOURCES`).

Users and scripts edit this file by hand, so every problem is reported with the file, the entry and what
is wrong, and the run stops before anything is loaded: a typo must not silently turn into an empty load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from airace_pipeline.paths import resolve_path

# Kinds this version understands; each maps to a dlt source under airace_pipeline/sources/.
KNOWN_KINDS: tuple[str, ...] = ("local_folder",)


class SourcesConfigError(ValueError):
    """The sources file cannot be used as it is; the message says where and why."""


@dataclass(frozen=True)
class LocalFolderSource:
    """A folder of .md/.txt/.html/.json/.jsonl documents; `name` becomes their `source` if they name none."""

    name: str
    path: Path
    enabled: bool = True
    kind: str = "local_folder"


SourceSpec = LocalFolderSource


@dataclass(frozen=True)
class SourcesConfig:
    file: Path
    sources: tuple[SourceSpec, ...]

    def enabled(self, kind: str) -> list[SourceSpec]:
        return [s for s in self.sources if s.enabled and s.kind == kind]


def load_sources_config(file: str | Path) -> SourcesConfig:
    """Read and check the whole file; raise `SourcesConfigError` on the first problem found."""
    path = resolve_path(file)
    if not path.is_file():
        raise SourcesConfigError(f"{path}: sources file not found (set AIRACE_SOURCES or create it)")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourcesConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise SourcesConfigError(f"{path}: expected a mapping with a 'sources:' list at the top level")

    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["sources"]):
        where = f"{path}: sources[{index}]"
        if not isinstance(entry, dict):
            raise SourcesConfigError(f"{where}: expected a mapping with name, kind and settings")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise SourcesConfigError(f"{where}: 'name' is missing or empty")
        where = f"{where} ({name})"
        if name in seen:
            raise SourcesConfigError(f"{where}: duplicate name; names must be unique")
        seen.add(name)
        specs.append(_parse_entry(where, path.parent, entry))
    return SourcesConfig(file=path, sources=tuple(specs))


def _parse_entry(where: str, config_dir: Path, entry: dict[str, Any]) -> SourceSpec:
    kind = entry.get("kind")
    if kind not in KNOWN_KINDS:
        raise SourcesConfigError(f"{where}: unknown kind {kind!r}; known kinds: {', '.join(KNOWN_KINDS)}")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourcesConfigError(f"{where}: 'enabled' must be true or false, got {enabled!r}")
    unknown = set(entry) - {"name", "kind", "enabled", "path"}
    if unknown:
        raise SourcesConfigError(f"{where}: unknown setting(s) {sorted(unknown)} for kind {kind}")
    raw_path = entry.get("path")
    if not isinstance(raw_path, str) or not raw_path:
        raise SourcesConfigError(f"{where}: 'path' is missing (a folder, relative to the repo root)")
    folder = resolve_path(raw_path)
    if enabled and not folder.is_dir():
        raise SourcesConfigError(f"{where}: path {raw_path!r} does not exist or is not a folder ({folder})")
    return LocalFolderSource(name=entry["name"], path=folder, enabled=enabled)
