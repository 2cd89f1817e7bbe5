"""Fingerprints of what `countries`, `organisations` and `quarantine` are built from, so a run can tell
they would come out the same and leave them as they are.

Both tables used to be rebuilt and re-validated on every run, about a second of a scheduled run that
changed nothing. `countries` depends only on code; `organisations` on code, the gazetteer file and the
set of distinct participants the extractor named (warehouse/reference_tables.participants_digest). The
code is hashed by content (fingerprints.py), so a change of the resolution rules, the country list, the
schemas or the way the tables are written rebuilds them without anyone bumping a version.
"""

from __future__ import annotations

from pathlib import Path

from airace_pipeline.fingerprints import PACKAGE, files_fingerprint

# The code either table's rows, quarantine and reported figures depend on.
_COMMON_CODE = (
    PACKAGE / "reference",
    PACKAGE / "validation",
    PACKAGE / "warehouse" / "contract.py",
    PACKAGE / "warehouse" / "reference_tables.py",
    PACKAGE / "defs" / "assets" / "normalise.py",
    Path(__file__),
)


def countries_fingerprint() -> str:
    return files_fingerprint(_COMMON_CODE, [])


def organisations_fingerprint(gazetteer: Path, participants: str) -> str:
    code = files_fingerprint((*_COMMON_CODE, PACKAGE / "normalise" / "organisations.py"), [gazetteer])
    return f"{code}:{participants}"


def quarantine_fingerprint(candidates: str) -> str:
    """`candidates`: warehouse/quarantine_table.candidates_digest, the rows the table is built from."""
    code = files_fingerprint(
        (
            *_COMMON_CODE,
            PACKAGE / "warehouse" / "quarantine_table.py",
            PACKAGE / "warehouse" / "raw.py",
        ),
        [],
    )
    return f"{code}:{candidates}"
