"""One funding deal retold by many outlets becomes one `investments` row (issue "Events, not mentions").

The reports below were written for this test: a wire story, a tech blog's rewrite ("on Tuesday"), a
newsletter one-liner with no date, a regional paper rounding the figure, the company's press release
(legal suffix), a euro-zone paper quoting euros, and a copy whose publication date is only its file's
modification time, months later. Three of them also tell a side deal (Samsung's extra $150 million), and
two reports tell a later, different round of the same company (the negative control: its amount is
within the merge tolerance of the first round's).

They go through the real extractor, the real organisation resolution and the real merge, as
`evaluation/predict.py` does, and through the `fact_tables` asset on a working file, which reads the
date basis from `documents`. The assertions are about what the merge must do with the mentions the
extractor gives; a report the extractor cannot read would be listed in EXTRACTOR_MISSES (none is), and
`test_every_report_that_states_the_deal_is_evidence` holds the extractor to every report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from airace_pipeline.defs.assets.normalise import fact_tables
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.extraction import Document, RuleBasedExtractor
from airace_pipeline.extraction.frames import extract_documents
from airace_pipeline.normalise.facts import build_fact_tables
from airace_pipeline.normalise.money import load_rates
from airace_pipeline.normalise.organisations import participant_key, resolve_organisations
from airace_pipeline.reference.countries import all_countries
from airace_pipeline.reference.organisations import load_organisations
from airace_pipeline.warehouse.connection import ensure_working_schema
from airace_pipeline.warehouse.contract import DOCUMENTS
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, FACT_MENTIONS, MENTION_PARTICIPANTS
from airace_pipeline.warehouse.writes import insert_frame

RECIPIENT = "org-corvane-robotics"
DEAL_USD = 1.45e9
SIDE_USD = 1.5e8
LATER_ROUND_USD = 1.6e9
DEAL_DAY = pd.Timestamp("2025-03-11")


@dataclass(frozen=True)
class Report:
    document_id: str
    published_on: dt.date
    date_basis: str  # documents.date_basis: metadata, text or file_modified
    text: str
    tells: frozenset[str]  # which deals the text states: "deal", "side", "later_round"


def _report(document_id: str, published_on: str, basis: str, tells: str, text: str) -> Report:
    return Report(document_id, dt.date.fromisoformat(published_on), basis, text, frozenset(tells.split()))


REPORTS = (
    _report(
        "wire",
        "2025-03-11",
        "metadata",
        "deal side",
        "MUNICH, 11 March 2025 (Wire) - Corvane Robotics said on 11 March 2025 that it had raised $1.45 "
        "billion in a Series C funding round led by Nvidia, with Samsung Electronics also investing. In a "
        "separate agreement, Samsung will invest a further $150 million in Corvane Robotics to build a "
        "robot assembly line in Korea. The Munich-based start-up makes humanoid robots for car factories.",
    ),
    _report(
        "tech-blog",
        "2025-03-13",
        "metadata",
        "deal side",
        "Humanoid robot maker Corvane Robotics pulled in $1.45bn on Tuesday in a Series C led by Nvidia. "
        "Samsung joined the round too, and the Korean giant is also putting an extra $150m into Corvane "
        "Robotics for a new assembly line. We think that is a big bet on factory humanoids.",
    ),
    _report(
        "newsletter",
        "2025-03-14",
        "metadata",
        "deal",
        "Corvane Robotics raised $1.45 billion from Nvidia and Samsung.",
    ),
    _report(
        "regional-paper",
        "2025-03-18",
        "metadata",
        "deal",
        "Munich's Corvane Robotics has secured nearly $1.5bn in fresh funding from investors including "
        "Nvidia, the company confirmed last week. The start-up employs 400 people in the city's north.",
    ),
    _report(
        "press-release",
        "2025-03-11",
        "metadata",
        "deal side",
        "Corvane Robotics Inc. today announced the close of a $1.45 billion Series C financing led by "
        "Nvidia, with participation from Samsung Electronics. Samsung has also agreed to invest an "
        "additional $150 million in Corvane Robotics Inc. to fund a dedicated assembly line. Corvane "
        "Robotics Inc. will use the proceeds to scale production of its humanoid robots.",
    ),
    _report(
        "euro-paper",
        "2025-03-20",
        "metadata",
        "deal",
        "Corvane Robotics has raised €1.34 billion (about $1.45 billion) in a round led by Nvidia, the "
        "company said on 11 March.",
    ),
    _report(
        "file-dated-copy",
        "2025-09-22",
        "file_modified",
        "deal",
        "Corvane Robotics said on Tuesday it had raised $1.45 billion in its Series C round, led by Nvidia.",
    ),
    _report(
        "later-round",
        "2025-11-04",
        "metadata",
        "later_round",
        "Corvane Robotics raised $1.6 billion in a Series D round led by SoftBank on 4 November 2025.",
    ),
    _report(
        "later-round-file-copy",
        "2026-01-15",
        "file_modified",
        "later_round",
        "Corvane Robotics has closed a $1.6 billion Series D led by SoftBank.",
    ),
)

# Reports stating a deal for which the extractor (not the merge) yields no mention of it, as of writing.
# Reports the extractor cannot read yet: none since it reads "announced the close of a ... financing".
EXTRACTOR_MISSES: set[tuple[str, str]] = set()


def _documents(reports: tuple[Report, ...] = REPORTS) -> list[Document]:
    return [Document(r.document_id, "", r.text, r.published_on) for r in reports]


def _resolved(participants: pd.DataFrame, name_map: pd.DataFrame) -> pd.DataFrame:
    """Each participant with its organisation or government id: the join `fact_tables` makes."""
    keyed = participants.assign(
        participant_key=[
            participant_key(
                r.name,
                r.organisation_id if isinstance(r.organisation_id, str) else None,
                bool(r.is_country),
                r.country_code if isinstance(r.country_code, str) else None,
            )
            for r in participants.itertuples(index=False)
        ]
    )
    joined = keyed.drop(columns=["organisation_id"]).merge(name_map, on="participant_key", how="left")
    return joined.astype(object).where(joined.notna(), None)


@dataclass(frozen=True)
class Extracted:
    mentions: pd.DataFrame
    participants: pd.DataFrame  # as extracted, before resolution
    resolution_names: pd.DataFrame
    organisations: pd.DataFrame


@pytest.fixture(scope="module")
def extracted() -> Extracted:
    organisations = load_organisations()
    batch = extract_documents(RuleBasedExtractor(organisations), _documents())
    assert batch.document_runs["error"].isna().all()
    resolution = resolve_organisations(batch.participants, organisations, all_countries())
    return Extracted(batch.mentions, batch.participants, resolution.name_map, resolution.organisations)


def _merge(extracted: Extracted, basis: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """The merge over every report, each mention with its document's date basis (as `fact_tables`
    joins it from `documents`); `basis` overrides some documents' basis."""
    by_document = {r.document_id: r.date_basis for r in REPORTS} | (basis or {})
    mentions = extracted.mentions.assign(date_basis=extracted.mentions["document_id"].map(by_document))
    participants = _resolved(extracted.participants, extracted.resolution_names)
    countries = dict(
        zip(extracted.organisations["organisation_id"], extracted.organisations["country_code"], strict=True)
    )
    return build_fact_tables(mentions, participants, countries, load_rates()).tables


@pytest.fixture(scope="module")
def tables(extracted: Extracted) -> dict[str, pd.DataFrame]:
    return _merge(extracted)


def _rows_near(tables: dict[str, pd.DataFrame], usd: float) -> pd.DataFrame:
    investments = tables["investments"]
    mine = investments[investments["recipient_id"] == RECIPIENT]
    return mine[(mine["amount_usd"] - usd).abs() <= 0.05 * usd]


def _evidence_documents(tables: dict[str, pd.DataFrame], investment_id: str) -> list[str]:
    evidence = tables["evidence"]
    return sorted(evidence.loc[evidence["fact_id"] == investment_id, "document_id"])


def _tellers(deal: str) -> set[str]:
    return {r.document_id for r in REPORTS if deal in r.tells}


def _told_and_extracted(deal: str) -> list[str]:
    return sorted(d for d in _tellers(deal) if (d, deal) not in EXTRACTOR_MISSES)


def test_every_extracted_report_of_the_deal_is_evidence_of_one_row(tables: dict[str, pd.DataFrame]) -> None:
    [row] = _rows_near(tables, DEAL_USD).to_dict("records")
    assert _evidence_documents(tables, row["investment_id"]) == _told_and_extracted("deal")
    assert (row["amount"], row["currency"]) == (DEAL_USD, "USD")
    assert row["evidence_count"] == len(_told_and_extracted("deal"))


def test_the_row_names_the_deals_investors_and_not_the_later_rounds(tables: dict[str, pd.DataFrame]) -> None:
    [row] = _rows_near(tables, DEAL_USD).to_dict("records")
    links = tables["investment_participants"]
    investors = set(links.loc[links["investment_id"] == row["investment_id"], "organisation_id"])
    assert investors == {"nvidia", "samsung"}


def test_a_date_that_is_only_the_files_neither_splits_nor_dates_the_row(
    tables: dict[str, pd.DataFrame],
) -> None:
    """The file-dated copy's "on Tuesday" resolves to September: no evidence, so the March row stands."""
    [row] = _rows_near(tables, DEAL_USD).to_dict("records")
    assert "file-dated-copy" in _evidence_documents(tables, row["investment_id"])
    assert pd.Timestamp(row["announced_on"]) == DEAL_DAY


def test_the_same_copy_dated_by_metadata_is_a_row_of_its_own(extracted: Extracted) -> None:
    """The control for the rule above: a September date that is evidence does split the group."""
    tables = _merge(extracted, {"file-dated-copy": "metadata"})
    rows = _rows_near(tables, DEAL_USD)
    assert len(rows) == 2
    assert [_evidence_documents(tables, i) for i in rows["investment_id"]].count(["file-dated-copy"]) == 1


def test_the_side_deal_told_by_several_reports_is_one_row(tables: dict[str, pd.DataFrame]) -> None:
    [row] = _rows_near(tables, SIDE_USD).to_dict("records")
    assert _evidence_documents(tables, row["investment_id"]) == _told_and_extracted("side")


def test_a_later_round_of_the_same_company_within_the_amount_tolerance_stays_apart(
    tables: dict[str, pd.DataFrame],
) -> None:
    """Series D, other investors, months later: its own row, and so is its file-dated copy's mention,
    which no date keeps from the Series C row (the first candidate, its amount within tolerance)."""
    [row] = _rows_near(tables, LATER_ROUND_USD).to_dict("records")
    assert _evidence_documents(tables, row["investment_id"]) == _told_and_extracted("later_round")
    assert pd.Timestamp(row["announced_on"]) == pd.Timestamp("2025-11-04")


def test_the_company_has_exactly_three_investment_rows(tables: dict[str, pd.DataFrame]) -> None:
    investments = tables["investments"]
    assert (investments["recipient_id"] == RECIPIENT).sum() == 3
    evidence = tables["evidence"]
    assert evidence["mention_id"].is_unique


def test_every_report_that_states_the_deal_is_evidence(tables: dict[str, pd.DataFrame]) -> None:
    [row] = _rows_near(tables, DEAL_USD).to_dict("records")
    assert _evidence_documents(tables, row["investment_id"]) == sorted(_tellers("deal"))


# --- the same through the fact_tables asset, which joins the date basis from `documents` ----------


def _document_rows() -> pd.DataFrame:
    rows = [
        {
            "document_id": r.document_id,
            "collection": "news",
            "source": r.document_id,
            "title": r.document_id,
            "published_on": r.published_on,
            "content_sha256": hashlib.sha256(r.text.encode()).hexdigest(),
            "source_name": "cross-outlet",
            "origin": f"{r.document_id}.txt",
            "date_basis": r.date_basis,
            "text": r.text,
        }
        for r in REPORTS
    ]
    return pd.DataFrame(rows, columns=DOCUMENTS.column_names)


def _working_file(path: Path, extracted: Extracted) -> None:
    """A working file as the ingest, extract and organisations assets leave it for these reports."""
    conn = duckdb.connect(str(path))
    try:
        ensure_working_schema(conn)
        insert_frame(conn, "main", DOCUMENTS.name, _document_rows())
        insert_frame(conn, EXTRACT_SCHEMA, FACT_MENTIONS.name, extracted.mentions)
        insert_frame(conn, EXTRACT_SCHEMA, MENTION_PARTICIPANTS.name, extracted.participants)
        insert_frame(conn, EXTRACT_SCHEMA, "organisation_names", extracted.resolution_names)
        insert_frame(conn, "main", "organisations", extracted.organisations)
    finally:
        conn.close()


def test_the_fact_tables_asset_merges_the_reports_the_same_way(
    extracted: Extracted, tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    path = tmp_path / "work.duckdb"
    _working_file(path, extracted)
    result = dg.materialize(
        [fact_tables],
        resources={
            "warehouse": WarehouseResource(
                published_path=str(tmp_path / "unused.duckdb"), working_path=str(path)
            ),
            "reference": ReferenceDataResource(),
        },
    )
    assert result.success
    conn = duckdb.connect(str(path), read_only=True)
    try:
        stored = {
            name: conn.execute(f"SELECT * FROM main.{name}").df() for name in ("investments", "evidence")
        }
    finally:
        conn.close()
    for usd in (DEAL_USD, SIDE_USD, LATER_ROUND_USD):
        [row] = _rows_near(stored, usd).to_dict("records")
        [expected] = _rows_near(tables, usd).to_dict("records")
        assert _evidence_documents(stored, row["investment_id"]) == _evidence_documents(
            tables, expected["investment_id"]
        )
        assert row["investment_id"] == expected["investment_id"]
