"""The blocking index used to cluster mentions gives exactly the groups of comparing every pair."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from airace_pipeline.normalise import facts


def _record(rng: random.Random, fact_type: str, i: int) -> dict:
    orgs = ["org-a", "org-b", "org-c", None, None]
    participants = [
        {
            "role": rng.choice(["recipient", "investor", "member", "developer", "deployer"]),
            "organisation_id": rng.choice(orgs),
            "government_id": None,
            "country_code": rng.choice(["US", "FR", None]),
            "name": rng.choice(["Alpha", "Beta", "Gamma AI", "Delta"]),
        }
        for _ in range(rng.randint(0, 3))
    ]
    ids = rng.choice([None, None, {"eo_number": str(rng.randint(1, 4))}])
    return {
        "mention_id": f"m{i:04d}",
        "fact_type": fact_type,
        "certainty": rng.choice(["reported", "reported", "rumoured", "denied"]),
        "subtype": rng.choice(["deepfake", "privacy", None]),
        "name": rng.choice([None, None, "AI Pact", "Compute Act", "Stargate"]),
        "country_code": rng.choice(["US", "FR"]),
        "announced_on": rng.choice(
            [pd.NaT, pd.Timestamp("2024-01-01") + pd.Timedelta(days=rng.randint(0, 400))]
        ),
        # A file-dated mention's date is no evidence: groups then anchor on a later mention's date.
        "date_basis": rng.choice(["metadata", "metadata", "text", "file_modified", None]),
        "amount_usd": rng.choice([float("nan"), rng.choice([1e6, 1.1e6, 5e6, 2e9])]),
        "round_type": rng.choice([None, None, "series_a", "series_b", "corporate_round"]),
        "external_ids": json.dumps(ids) if ids else None,
        "participants": participants,
    }


@pytest.mark.parametrize("fact_type", ["investment", "alliance", "incident", "policy"])
def test_indexed_clustering_equals_all_pairs(fact_type: str) -> None:
    rng = random.Random(fact_type)
    records = [_record(rng, fact_type, i) for i in range(1500)]
    same = {
        "investment": facts._same_investment,
        "alliance": facts._same_alliance,
        "incident": facts._same_incident,
        "policy": facts._same_policy,
    }[fact_type]
    indexed = facts._cluster(records, same, facts._BLOCKING[fact_type]).groups
    every_group = facts._Blocking(lookup=lambda _r: ["all"], index=lambda _r, _first: ["all"])
    all_pairs = facts._cluster(records, same, every_group).groups
    as_ids = [[m["mention_id"] for m in g.mentions] for g in indexed]
    assert as_ids == [[m["mention_id"] for m in g.mentions] for g in all_pairs]
    assert len(as_ids) < len(records), "the sample should merge some mentions, or it proves nothing"
