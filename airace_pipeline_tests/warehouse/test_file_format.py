"""A working file written by a newer DuckDB (2.x, before the pin to 1.5.5) stops the run with what to do,
not DuckDB's bare "version number 999", and is not retried as if it were locked."""

from __future__ import annotations

from pathlib import Path

import pytest

from airace_pipeline.warehouse.connection import WorkingFileFormatError, open_duckdb

# The first 4 KB (the main header) of a file DuckDB 2.0.1 wrote: DuckDB reads the storage version there
# and stops before anything else.
NEWER_HEADER = Path(__file__).with_name("data") / "duckdb_2_0_header.bin"


def test_a_file_from_a_newer_duckdb_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "airace_work.duckdb"
    path.write_bytes(NEWER_HEADER.read_bytes())
    expected = r"newer DuckDB.*move it .* aside and run again"
    # base_delay: a retry (as for a lock) would wait a minute before failing.
    with pytest.raises(WorkingFileFormatError, match=expected), open_duckdb(path, attempts=3, base_delay=60):
        pass


def test_only_lock_messages_count_as_locks() -> None:
    """ "block" holds "lock": a corrupt file ("checksum ... in block at location 0") is no held lock."""
    from airace_pipeline.warehouse.connection import _is_lock_error

    assert not _is_lock_error(
        OSError("Corrupt database file: computed checksum does not match in block at 0")
    )
    assert _is_lock_error(OSError('Could not set lock on file "w.duckdb": Conflicting lock is held'))
