"""Where the repository's own files live, so that relative paths in configuration mean the same thing
whether the pipeline runs from `make`, `dagster dev` or a test in another working directory."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def resolve_path(path: str | Path, base: Path = REPO_ROOT) -> Path:
    """Absolute paths stay as they are; relative ones are taken from `base` (the repo root by default)."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (base / candidate)
