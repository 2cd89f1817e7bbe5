"""A fingerprint of everything that decides what the extractor finds, so unchanged documents are skipped.

A scheduled run must not re-read what it already read, yet a backfill after the extractor improves must
re-read everything. Hashing the extractor's own code and the reference data it matches against gives both
without anyone having to remember to bump a version number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
# The code an extraction result depends on: the extractor, the reference lexicons it matches, and the
# source-stated facts that join the text's mentions.
_CODE = (
    _PACKAGE / "extraction",
    _PACKAGE / "reference",
    _PACKAGE / "sources" / "structured_facts.py",
    _PACKAGE / "vocabulary.py",
)


def extraction_fingerprint(data_files: Iterable[Path]) -> str:
    """16 hex digits over the extractor's code and the given reference data files (content, not mtime)."""
    digest = hashlib.sha256()
    files = [p for entry in _CODE for p in (sorted(entry.rglob("*.py")) if entry.is_dir() else [entry])]
    for path in [*files, *sorted(Path(p) for p in data_files)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()[:16]
