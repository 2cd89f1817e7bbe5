"""Content fingerprints of code and data files, for skipping work whose inputs have not changed.

A scheduled run must not redo what it already did, yet a run after the code or the reference data changed
must redo everything that depends on them. Hashing the files themselves gives both without anyone having
to remember to bump a version number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def files_fingerprint(code: Iterable[Path], data_files: Iterable[Path]) -> str:
    """16 hex digits over the Python files under `code` (folders or files) and `data_files`, by content."""
    digest = hashlib.sha256()
    files = [p for entry in code for p in (sorted(entry.rglob("*.py")) if entry.is_dir() else [entry])]
    for path in [*files, *sorted(Path(p) for p in data_files)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()[:16]
