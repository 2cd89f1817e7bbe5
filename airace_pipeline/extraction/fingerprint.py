"""A fingerprint of everything that decides what the extractor finds, so unchanged documents are skipped.

A backfill after the extractor improves must re-read everything; a scheduled run must not.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from airace_pipeline.fingerprints import PACKAGE, files_fingerprint

# The code an extraction result depends on: the extractor (with the source-stated facts that join the
# text's mentions, extraction/structured_facts.py) and the reference lexicons it matches.
_CODE = (
    PACKAGE / "extraction",
    PACKAGE / "reference",
    PACKAGE / "vocabulary.py",
)


def extraction_fingerprint(data_files: Iterable[Path]) -> str:
    """16 hex digits over the extractor's code and the given reference data files (content, not mtime)."""
    return files_fingerprint(_CODE, data_files)
