from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from airace_pipeline.reference.policies import DEFAULT_POLICIES_PATH, load_known_instruments


def test_bundled_policies() -> None:
    by_name = {p.name: p for p in load_known_instruments(DEFAULT_POLICIES_PATH)}
    eo = by_name["Executive Order 14110"]
    assert (eo.country_code, eo.instrument_type, eo.date) == ("US", "executive_order", dt.date(2023, 10, 30))
    assert ("fr_document_number", "2023-24283") in eo.external_ids
    assert by_name["EU AI Act"].country_code == "EU"
    assert by_name["Stargate"].kind == "public_private_initiative"


def test_bad_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policies.yaml"
    path.write_text("policies:\n  - {name: X, instrument_type: poem}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown instrument_type"):
        load_known_instruments(path)
