"""What each local file held when it was last read, keyed by its size and modification time.

The late-documents sensor looks at every local file every few minutes. Reading and hashing them all
costs as much as an ingest of the whole archive on every tick; with this index a tick only lists the
folders and stats the files, and opens just the new or changed ones (a different size or
modification time, to the nanosecond, as the ingest's own index in the dlt state decides). The index
is a JSON file beside the working DuckDB file, written (atomically) only when something changed; a
missing or unreadable index is simply rebuilt by reading every file once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path

# One usable document of a file: (document_id, content_sha256, publication day).
IndexedDocument = tuple[str, str, dt.date]

_VERSION = 1


class FileIndex:
    """(source, relative path) -> (size, mtime_ns, the usable documents the file held)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, list] = {}
        self._seen: set[str] = set()
        self._changed = False
        self.files_read = 0

    @classmethod
    def load(cls, path: Path) -> FileIndex:
        index = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return index  # none yet, or damaged: every file is read once and the index written anew
        if isinstance(data, dict) and data.get("version") == _VERSION and isinstance(data.get("files"), dict):
            index._entries = data["files"]
        return index

    def lookup(self, key: str, stat: os.stat_result) -> list[IndexedDocument] | None:
        """The documents recorded for the file, or None when it is new or changed since it was read."""
        self._seen.add(key)
        entry = self._entries.get(key)
        if entry is None or entry[0] != stat.st_size or entry[1] != stat.st_mtime_ns:
            return None
        return [(doc_id, sha, dt.date.fromisoformat(day)) for doc_id, sha, day in entry[2]]

    def record(self, key: str, stat: os.stat_result, documents: Iterable[IndexedDocument]) -> None:
        self._seen.add(key)
        self.files_read += 1
        self._entries[key] = [
            stat.st_size,
            stat.st_mtime_ns,
            [[doc_id, sha, day.isoformat()] for doc_id, sha, day in documents],
        ]
        self._changed = True

    def save(self) -> None:
        """Forget files not seen since loading (deleted, or their source removed), then write if changed."""
        gone = [key for key in self._entries if key not in self._seen]
        for key in gone:
            del self._entries[key]
        if not (self._changed or gone):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        partial.write_text(
            json.dumps({"version": _VERSION, "files": self._entries}, separators=(",", ":")), encoding="utf-8"
        )
        os.replace(partial, self.path)
