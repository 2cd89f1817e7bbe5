"""The sources YAML file (`data/sources.yaml`, or the file named by `AIRACE_SOURCES`).

Users and scripts edit this file by hand, so every problem is reported with the file, the entry and what
is wrong, and the run stops before anything is loaded: a typo must not silently turn into an empty load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from airace_pipeline.paths import resolve_path
from airace_pipeline.sources.http import HttpSettings

# Kinds this version understands; each maps to a dlt source under airace_pipeline/sources/.
KNOWN_KINDS: tuple[str, ...] = ("local_folder", "rss", "federal_register", "aiid", "eurlex")
_COLLECTIONS = ("funding_announcement", "policy_text", "news")


class SourcesConfigError(ValueError):
    """The sources file cannot be used as it is; the message says where and why."""


@dataclass(frozen=True)
class LocalFolderSource:
    """A folder of .md/.txt/.html/.json/.jsonl documents; `name` becomes their `source` if they name none."""

    name: str
    path: Path
    enabled: bool = True
    kind: str = "local_folder"


@dataclass(frozen=True)
class HttpLimits:
    """Limits every live source has: per-read timeout, whole-request and whole-run deadlines, retries,
    byte cap, pages (requests) per run. Running out of pages or of the run's deadline stops the source
    where it is, with what it loaded kept and its position saved for the next run."""

    timeout_s: float = 30.0
    retries: int = 4
    backoff_s: float = 1.0
    max_bytes: int = 20_000_000
    max_pages: int = 200
    request_deadline_s: float = 300.0  # one response, body included (a trickling server is cut off)
    source_deadline_s: float = 3600.0  # all requests of one source in one run

    def http_settings(self, headers: dict[str, str] | None = None) -> HttpSettings:
        return HttpSettings(
            timeout_s=self.timeout_s,
            retries=self.retries,
            backoff_s=self.backoff_s,
            max_bytes=self.max_bytes,
            request_deadline_s=self.request_deadline_s,
            source_deadline_s=self.source_deadline_s,
            headers=headers or {},
        )


@dataclass(frozen=True)
class Feed:
    url: str
    name: str | None = None


@dataclass(frozen=True)
class RssSource:
    """RSS 2.0 / Atom feeds; each item becomes a document whose `source` is the feed's name."""

    name: str
    feeds: tuple[Feed, ...]
    collection: str = "news"
    max_items_per_feed: int = 500
    limits: HttpLimits = HttpLimits()
    enabled: bool = True
    kind: str = "rss"


FR_DEFAULT_TYPES = ("PRESDOCU", "RULE", "PRORULE", "NOTICE")


@dataclass(frozen=True)
class FederalRegisterSource:
    """US Federal Register documents API (no key), searched by terms and document types."""

    name: str
    base_url: str = "https://www.federalregister.gov/api/v1"
    terms: tuple[str, ...] = ("artificial intelligence",)
    types: tuple[str, ...] = FR_DEFAULT_TYPES
    per_page: int = 100
    full_text: bool = True
    limits: HttpLimits = HttpLimits()
    enabled: bool = True
    kind: str = "federal_register"


@dataclass(frozen=True)
class AiidSource:
    """AI Incident Database snapshot: a folder or base URL holding incidents.csv and reports.csv."""

    name: str
    snapshot: str = "https://incidentdatabase.ai/snapshot"
    limits: HttpLimits = HttpLimits()
    enabled: bool = True
    kind: str = "aiid"

    @property
    def is_url(self) -> bool:
        return self.snapshot.startswith(("http://", "https://"))


@dataclass(frozen=True)
class EurLexSource:
    """EUR-Lex acts by CELEX number, fetched as XHTML from CELLAR."""

    name: str
    celex: tuple[str, ...] = ("32024R1689",)
    base_url: str = "https://publications.europa.eu/resource/celex"
    language: str = "en"
    limits: HttpLimits = HttpLimits()
    enabled: bool = True
    kind: str = "eurlex"


SourceSpec = LocalFolderSource | RssSource | FederalRegisterSource | AiidSource | EurLexSource


@dataclass(frozen=True)
class SourcesConfig:
    file: Path
    sources: tuple[SourceSpec, ...]

    def enabled(self, kind: str) -> list[Any]:
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


_LIMIT_KEYS = (
    "timeout_s",
    "retries",
    "backoff_s",
    "max_bytes",
    "max_pages",
    "request_deadline_s",
    "source_deadline_s",
)
_CELEX = re.compile(r"^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9A-Z()_]{1,12}$")
_ALLOWED: dict[str, set[str]] = {
    "local_folder": {"path"},
    "rss": {"feeds", "collection", "max_items_per_feed", *_LIMIT_KEYS},
    "federal_register": {"base_url", "terms", "types", "per_page", "full_text", *_LIMIT_KEYS},
    "aiid": {"snapshot", *_LIMIT_KEYS},
    "eurlex": {"celex", "base_url", "language", *_LIMIT_KEYS},
}


def _parse_entry(where: str, config_dir: Path, entry: dict[str, Any]) -> SourceSpec:
    kind = entry.get("kind")
    if kind not in KNOWN_KINDS:
        raise SourcesConfigError(f"{where}: unknown kind {kind!r}; known kinds: {', '.join(KNOWN_KINDS)}")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourcesConfigError(f"{where}: 'enabled' must be true or false, got {enabled!r}")
    unknown = set(entry) - {"name", "kind", "enabled"} - _ALLOWED[kind]
    if unknown:
        raise SourcesConfigError(f"{where}: unknown setting(s) {sorted(unknown)} for kind {kind}")
    name = entry["name"]
    if kind == "local_folder":
        return _local_folder(where, name, enabled, entry)
    limits = _limits(where, entry)
    if kind == "rss":
        return RssSource(
            name=name,
            feeds=_feeds(where, entry.get("feeds"), enabled),
            collection=_choice(where, entry, "collection", _COLLECTIONS, "news"),
            max_items_per_feed=_positive(where, entry, "max_items_per_feed", 500, int),
            limits=limits,
            enabled=enabled,
        )
    if kind == "federal_register":
        return FederalRegisterSource(
            name=name,
            base_url=_url(where, entry, "base_url", FederalRegisterSource.base_url),
            terms=_strings(where, entry, "terms", FederalRegisterSource.terms),
            types=tuple(t.upper() for t in _strings(where, entry, "types", FR_DEFAULT_TYPES)),
            per_page=min(_positive(where, entry, "per_page", 100, int), 1000),
            full_text=_bool(where, entry, "full_text", True),
            limits=limits,
            enabled=enabled,
        )
    if kind == "aiid":
        snapshot = entry.get("snapshot", AiidSource.snapshot)
        if not isinstance(snapshot, str) or not snapshot:
            raise SourcesConfigError(f"{where}: 'snapshot' must be a URL or a folder path")
        if not snapshot.startswith(("http://", "https://")):
            folder = resolve_path(snapshot)
            if enabled and not (folder / "incidents.csv").is_file():
                raise SourcesConfigError(
                    f"{where}: snapshot folder {snapshot!r} has no incidents.csv ({folder})"
                )
            snapshot = str(folder)
        return AiidSource(name=name, snapshot=snapshot, limits=limits, enabled=enabled)
    celex = _strings(where, entry, "celex", EurLexSource.celex)
    for number in celex:
        if not _CELEX.match(number):
            raise SourcesConfigError(f"{where}: {number!r} is not a CELEX number (e.g. 32024R1689)")
    return EurLexSource(
        name=name,
        celex=celex,
        base_url=_url(where, entry, "base_url", EurLexSource.base_url),
        language=str(entry.get("language", "en")),
        limits=limits,
        enabled=enabled,
    )


def _local_folder(where: str, name: str, enabled: bool, entry: dict[str, Any]) -> LocalFolderSource:
    raw_path = entry.get("path")
    if not isinstance(raw_path, str) or not raw_path:
        raise SourcesConfigError(f"{where}: 'path' is missing (a folder, relative to the repo root)")
    folder = resolve_path(raw_path)
    if enabled and not folder.is_dir():
        raise SourcesConfigError(f"{where}: path {raw_path!r} does not exist or is not a folder ({folder})")
    return LocalFolderSource(name=name, path=folder, enabled=enabled)


def _limits(where: str, entry: dict[str, Any]) -> HttpLimits:
    d = HttpLimits()
    return HttpLimits(
        timeout_s=_positive(where, entry, "timeout_s", d.timeout_s, float),
        retries=_positive(where, entry, "retries", d.retries, int, allow_zero=True),
        backoff_s=_positive(where, entry, "backoff_s", d.backoff_s, float, allow_zero=True),
        max_bytes=_positive(where, entry, "max_bytes", d.max_bytes, int),
        max_pages=_positive(where, entry, "max_pages", d.max_pages, int),
        request_deadline_s=_positive(where, entry, "request_deadline_s", d.request_deadline_s, float),
        source_deadline_s=_positive(where, entry, "source_deadline_s", d.source_deadline_s, float),
    )


def _positive(
    where: str, entry: dict[str, Any], key: str, default: Any, cast: type, allow_zero: bool = False
) -> Any:
    value = entry.get(key, default)
    ok = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (value >= 0 if allow_zero else value > 0)
    )
    if not ok or (cast is int and not isinstance(value, int)):
        kind = "a whole number" if cast is int else "a number"
        raise SourcesConfigError(
            f"{where}: {key!r} must be {kind} {'>= 0' if allow_zero else '> 0'}, got {value!r}"
        )
    return cast(value)


def _bool(where: str, entry: dict[str, Any], key: str, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise SourcesConfigError(f"{where}: {key!r} must be true or false, got {value!r}")
    return value


def _choice(where: str, entry: dict[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    value = entry.get(key, default)
    if value not in choices:
        raise SourcesConfigError(f"{where}: {key!r} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _strings(where: str, entry: dict[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = entry.get(key, list(default))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourcesConfigError(f"{where}: {key!r} must be a non-empty list of strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _url(where: str, entry: dict[str, Any], key: str, default: str) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise SourcesConfigError(f"{where}: {key!r} must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


def _feeds(where: str, value: Any, enabled: bool) -> tuple[Feed, ...]:
    if value is None and not enabled:
        return ()
    if not isinstance(value, list) or not value:
        raise SourcesConfigError(
            f"{where}: 'feeds' must be a non-empty list of URLs or {{url, name}} mappings"
        )
    feeds = []
    for i, item in enumerate(value):
        url, label = (
            (item, None)
            if isinstance(item, str)
            else ((item.get("url"), item.get("name")) if isinstance(item, dict) else (None, None))
        )
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise SourcesConfigError(f"{where}: feeds[{i}] needs an http(s) 'url', got {item!r}")
        if isinstance(item, dict) and set(item) - {"url", "name"}:
            raise SourcesConfigError(
                f"{where}: feeds[{i}] has unknown setting(s) {sorted(set(item) - {'url', 'name'})}"
            )
        feeds.append(Feed(url=url, name=str(label) if label else None))
    return tuple(feeds)
