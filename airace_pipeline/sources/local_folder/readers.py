"""Turn one file of a local folder into raw document records.

Users drop whatever they have into a folder: Markdown with or without front matter, plain text, saved
web pages, JSON exports. Each reader returns records in the shape of `RAW_DOCUMENT_SCHEMA`; a file that
cannot be read becomes one record with `rejected_reason` set, so it shows up in quarantine instead of
vanishing.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from bs4 import BeautifulSoup

from airace_pipeline.sources.schema import COLLECTIONS, content_sha256, document_id_for

SUPPORTED_SUFFIXES: tuple[str, ...] = (".md", ".markdown", ".txt", ".html", ".htm", ".json", ".jsonl")
MAX_FILE_BYTES = 20_000_000

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Only unambiguous, fully stated dates count as a document's date; "March 2023" is too vague for a
# publication day, and a file's modification date is the honest fallback.
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}}),\s*(\d{{4}})\b", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_DATE_KEYS = ("published", "published_on", "date", "publication_date", "pubDate", "created")
_TEXT_KEYS = ("text", "body", "content", "article", "summary")


@dataclass(frozen=True)
class FileContext:
    source_name: str
    folder: Path
    path: Path
    ingested_at: dt.datetime

    # Cached: a JSON Lines file asks once per line, and `relative_to` was a quarter of reading one.
    @functools.cached_property
    def origin(self) -> str:
        return self.path.relative_to(self.folder).as_posix()

    @functools.cached_property
    def suffix_format(self) -> str | None:
        return self.path.suffix.lstrip(".").lower() or None

    def modified_on(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime, tz=dt.UTC).date()


def read_file(ctx: FileContext) -> Iterator[dict[str, Any]]:
    """Yield the records of one file: one per document, or one rejected record for an unreadable file."""
    try:
        size = ctx.path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield _rejected(ctx, ctx.origin, f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
            return
        raw = ctx.path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield _rejected(ctx, ctx.origin, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            return
        suffix = ctx.path.suffix.lower()
        if suffix in (".json", ".jsonl"):
            yield from _read_json(ctx, text, lines=suffix == ".jsonl")
        elif suffix in (".html", ".htm"):
            yield _read_html(ctx, text)
        else:
            yield _read_markdown(ctx, text)
    except OSError as exc:
        yield _rejected(ctx, ctx.origin, f"cannot read file: {exc.strerror or exc}")


def _read_markdown(ctx: FileContext, text: str) -> dict[str, Any]:
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as exc:
        return _rejected(ctx, ctx.origin, f"malformed YAML front matter: {exc}".splitlines()[0])
    meta = dict(post.metadata)
    body = post.content
    heading = _HEADING.search(body)
    title = meta.get("title") or (heading.group(1) if heading else None)
    return _record(ctx, ctx.origin, meta, body, title, "markdown" if ctx.path.suffix != ".txt" else "text")


def _read_html(ctx: FileContext, text: str) -> dict[str, Any]:
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "svg"]):
        tag.decompose()
    meta: dict[str, Any] = {}
    published = soup.find("meta", attrs={"property": "article:published_time"}) or soup.find(
        "meta", attrs={"name": "date"}
    )
    if published and published.get("content"):
        meta["published"] = published["content"]
    elif (time_tag := soup.find("time")) and time_tag.get("datetime"):
        meta["published"] = time_tag["datetime"]
    canonical = soup.find("link", attrs={"rel": "canonical"})
    if canonical and canonical.get("href"):
        meta["url"] = canonical["href"]
    title_tag = soup.find("title") or soup.find("h1")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    container = soup.body or soup
    lines = (line.strip() for line in container.get_text("\n").splitlines())
    body = "\n".join(line for line in lines if line)
    return _record(ctx, ctx.origin, meta, body, title, "html")


def _read_json(ctx: FileContext, text: str, *, lines: bool) -> Iterator[dict[str, Any]]:
    if lines:
        items: list[tuple[str, Any]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            origin = f"{ctx.origin}#{number}"
            try:
                items.append((origin, json.loads(line)))
            except json.JSONDecodeError as exc:
                yield _rejected(ctx, origin, f"malformed JSON on line {number}: {exc.msg}")
    else:
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _rejected(ctx, ctx.origin, f"malformed JSON: {exc.msg} at line {exc.lineno}")
            return
        parsed = parsed if isinstance(parsed, list) else [parsed]
        items = [
            (ctx.origin if len(parsed) == 1 else f"{ctx.origin}#{i}", item) for i, item in enumerate(parsed)
        ]
    for origin, item in items:
        if not isinstance(item, dict):
            yield _rejected(ctx, origin, f"expected a JSON object per document, got {type(item).__name__}")
            continue
        body = next((item[k] for k in _TEXT_KEYS if isinstance(item.get(k), str)), None)
        if body is None:
            yield _rejected(ctx, origin, f"JSON document has no text field (one of {', '.join(_TEXT_KEYS)})")
            continue
        yield _record(ctx, origin, item, body, item.get("title"), "json")


def _record(
    ctx: FileContext, origin: str, meta: dict[str, Any], body: str, title: Any, fmt: str
) -> dict[str, Any]:
    record = _base(ctx, origin)
    if not body.strip():
        record["rejected_reason"] = "document has no text"
        return record
    published, basis = _published_on(ctx, meta, body)
    collection = meta.get("collection") or "news"
    record.update(
        source=str(meta.get("source") or ctx.source_name),
        url=str(meta["url"]) if meta.get("url") else None,
        title=str(title).strip() if title else ctx.path.stem.replace("-", " ").replace("_", " "),
        collection=str(collection),
        published_on=published,
        date_basis=basis,
        format=fmt,
        text=body,
        content_sha256=content_sha256(body),
    )
    if published is None:
        record["rejected_reason"] = f"unreadable publication date {_first_date_value(meta)!r}"
    elif collection not in COLLECTIONS:
        record["rejected_reason"] = (
            f"unknown collection {collection!r}; expected one of {', '.join(COLLECTIONS)}"
        )
    return record


def _published_on(ctx: FileContext, meta: dict[str, Any], body: str) -> tuple[dt.date | None, str]:
    value = _first_date_value(meta)
    if value is not None:
        return _coerce_date(value), "metadata"
    stated = find_stated_date(body[:2000])
    if stated is not None:
        return stated, "text"
    return ctx.modified_on(), "file_modified"


def _first_date_value(meta: dict[str, Any]) -> Any:
    return next((meta[k] for k in _DATE_KEYS if meta.get(k) not in (None, "")), None)


def _coerce_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return find_stated_date(text)


def find_stated_date(text: str) -> dt.date | None:
    """The first fully stated calendar date in `text` (ISO, "21 January 2025" or "January 21, 2025")."""
    candidates: list[tuple[int, dt.date]] = []
    for pattern, order in ((_ISO_DATE, "ymd"), (_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        for match in pattern.finditer(text):
            parsed = _build_date(match.groups(), order)
            if parsed is not None:
                candidates.append((match.start(), parsed))
                break
    return min(candidates)[1] if candidates else None


def _build_date(groups: tuple[str, ...], order: str) -> dt.date | None:
    parts = dict(zip(order, groups, strict=True))
    month = parts["m"]
    month_number = int(month) if month.isdigit() else _month_number(month)
    try:
        return dt.date(int(parts["y"]), month_number, int(parts["d"]))
    except ValueError:
        return None


def _month_number(name: str) -> int:
    key = name.lower()[:3]
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").index(key) + 1


def _base(ctx: FileContext, origin: str) -> dict[str, Any]:
    return {
        "document_id": document_id_for(ctx.source_name, origin),
        "source": ctx.source_name,
        "source_name": ctx.source_name,
        "origin": origin,
        "url": None,
        "title": None,
        "collection": None,
        "published_on": None,
        "date_basis": None,
        "format": ctx.suffix_format,
        "text": None,
        "content_sha256": None,
        "rejected_reason": None,
        "ingested_at": ctx.ingested_at,
    }


def _rejected(ctx: FileContext, origin: str, reason: str) -> dict[str, Any]:
    record = _base(ctx, origin)
    record["rejected_reason"] = reason
    return record
