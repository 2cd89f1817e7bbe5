"""The DuckLake and postgres DuckDB extensions, installed offline from the pinned pip packages.

DuckDB downloads extensions from its own server on first use; that server is out of reach here (and on
many production hosts). The packages `duckdb-extension-ducklake` and `duckdb-extension-postgres` carry
the same DuckDB-signed binaries, but only for some DuckDB versions: the last one on the index is 1.5.5,
which is why `duckdb` is pinned to 1.5.5 in `pyproject.toml`. `INSTALL '<file>'` copies a binary into
DuckDB's extension directory; LOAD then checks its signature, so `allow_unsigned_extensions` stays off.

The postgres binary ships as `postgres.duckdb_extension`, but DuckDB knows the extension as
`postgres_scanner` and derives the entry point from the file name: installed under the shipped name,
LOAD looks for `postgres_duckdb_cpp_init` and fails. It is linked (or copied) under the right name into
a temporary folder first.

`python -m airace_pipeline.warehouse.extensions` installs both into the user's default extension
directory (`~/.duckdb/extensions`), which the DuckDB CLI of the same version reads too: a reader can then
`ATTACH 'ducklake:postgres:...'` without any network.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from airace_pipeline.warehouse.connection import sql_literal

PINNED_DUCKDB = "1.5.5"  # the pin in pyproject.toml: the last version with both extension packages


class ExtensionsUnavailable(RuntimeError):
    """An extension package is missing, or built for another DuckDB version than the installed one."""


@dataclass(frozen=True)
class _Extension:
    name: str  # DuckDB's name for it, which is also the file name INSTALL must see
    package: str  # the importable pip package holding the binary
    shipped_as: str  # the binary's file name inside the package


EXTENSIONS = (
    _Extension("postgres_scanner", "duckdb_extension_postgres", "postgres.duckdb_extension"),
    _Extension("ducklake", "duckdb_extension_ducklake", "ducklake.duckdb_extension"),
)


def _binary(extension: _Extension, version: str) -> Path:
    """The package's binary for DuckDB `version`, or ExtensionsUnavailable saying what to install."""
    pip_name = extension.package.replace("_", "-")
    spec = importlib.util.find_spec(extension.package)
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionsUnavailable(
            f"the pip package {pip_name} is not installed; DuckLake needs it (`pip install "
            f"{pip_name}=={PINNED_DUCKDB} duckdb=={PINNED_DUCKDB}`, or `make venv`)"
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "extensions"
    binary = root / f"v{version}" / extension.shipped_as
    if not binary.is_file():
        shipped = sorted(p.name.removeprefix("v") for p in root.glob("v*")) if root.is_dir() else []
        raise ExtensionsUnavailable(
            f"{pip_name} has no binary for DuckDB {version} (it ships {', '.join(shipped) or 'none'}); "
            f"install the versions pinned together: duckdb=={PINNED_DUCKDB} and {pip_name}=={PINNED_DUCKDB}"
        )
    return binary


def install_extensions(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Install both extensions into the connection's extension directory, from the pip packages.

    Idempotent: an extension DuckDB already sees as installed is left alone (no 40 MB copy per call).
    Returns the names it installed now.
    """
    version = duckdb.__version__
    binaries = {ext.name: _binary(ext, version) for ext in EXTENSIONS}  # fail before touching anything
    installed = {
        name
        for (name,) in conn.execute(
            "SELECT extension_name FROM duckdb_extensions() WHERE installed AND extension_name IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [list(binaries)],
        ).fetchall()
    }
    done = []
    with tempfile.TemporaryDirectory(prefix="airace-duckdb-ext-") as staging:
        for ext in EXTENSIONS:
            if ext.name in installed:
                continue
            source = Path(staging) / f"{ext.name}.duckdb_extension"
            try:
                os.link(binaries[ext.name], source)  # same filesystem: no copy
            except OSError:
                shutil.copyfile(binaries[ext.name], source)
            # INSTALL cannot bind its path as a parameter; the literal has its quotes doubled.
            conn.execute(f"INSTALL {sql_literal(str(source))}")
            done.append(ext.name)
    return done


def lake_connection(extension_directory: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that can ATTACH a DuckLake whose catalog is on PostgreSQL.

    `extension_directory` None means DuckDB's default (`~/.duckdb/extensions`). Signed extensions only,
    and no automatic download: a missing extension is an error naming the package, not a network call.
    """
    config: dict[str, object] = {
        "allow_unsigned_extensions": False,
        "autoinstall_known_extensions": False,
    }
    if extension_directory is not None and str(extension_directory):
        Path(extension_directory).mkdir(parents=True, exist_ok=True)
        config["extension_directory"] = str(extension_directory)
    conn = duckdb.connect(":memory:", config=config)
    try:
        install_extensions(conn)
        conn.execute("LOAD postgres_scanner")
        conn.execute("LOAD ducklake")
    except BaseException:
        conn.close()
        raise
    return conn


def main(argv: list[str] | None = None) -> int:
    """`python -m airace_pipeline.warehouse.extensions [--extension-directory DIR]`: install both
    extensions (default: the user's DuckDB extension directory, which the DuckDB CLI reads)."""
    parser = argparse.ArgumentParser(prog="python -m airace_pipeline.warehouse.extensions")
    parser.add_argument("--extension-directory", type=Path, help="default: DuckDB's (~/.duckdb/extensions)")
    args = parser.parse_args(argv)
    try:
        conn = lake_connection(args.extension_directory)
    except ExtensionsUnavailable as exc:
        print(f"airace_pipeline: {exc}", file=sys.stderr)
        return 1
    try:
        rows = conn.execute(
            "SELECT extension_name, extension_version, install_path FROM duckdb_extensions() "
            "WHERE extension_name IN ('ducklake', 'postgres_scanner') ORDER BY 1"
        ).fetchall()
    finally:
        conn.close()
    for name, version, path in rows:
        print(f"{name} {version} (DuckDB {duckdb.__version__}): {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
