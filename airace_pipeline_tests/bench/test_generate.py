"""The synthetic document generator: deterministic, corpus-like, readable by our local-folder reader."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from airace_pipeline.sources.local_folder.readers import FileContext, read_file
from airace_pipeline.sources.schema import COLLECTIONS
from bench import generate as gen

START = dt.date(2024, 1, 1)
DAYS = 14


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.jsonl"))}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base")
    gen.generate(400, out, seed=0, start=START, days=DAYS)
    return out


def test_same_seed_gives_the_same_bytes(base: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    gen.generate(400, again, seed=0, start=START, days=DAYS, jobs=2)  # parallel days: same output
    assert _files(again) == _files(base)


def test_another_seed_gives_other_documents(base: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    gen.generate(400, other, seed=1, start=START, days=DAYS)
    assert _files(other).keys() == _files(base).keys()
    assert _files(other) != _files(base)


def test_one_file_per_day_holding_exactly_n_documents(base: Path) -> None:
    files = _files(base)
    assert len(files) == DAYS
    assert next(iter(files)) == "2024/2024-01-01.jsonl"
    assert sum(len(data.splitlines()) for data in files.values()) == 400
    assert sum(gen.day_counts(1_000_000)) == 1_000_000


def test_every_line_reads_cleanly_with_our_local_folder_reader(base: Path) -> None:
    ingested_at = dt.datetime.now(tz=dt.UTC)
    records = []
    for path in sorted(base.rglob("*.jsonl")):
        day = dt.date.fromisoformat(path.stem)
        for record in read_file(FileContext("bench", base, path, ingested_at)):
            assert record["rejected_reason"] is None, record
            assert record["published_on"] == day
            assert record["date_basis"] == "metadata"
            records.append(record)
    assert len(records) == 400
    assert {r["collection"] for r in records} == set(COLLECTIONS)
    assert len({r["document_id"] for r in records}) == 400
    assert len({r["url"] for r in records}) == 400


def test_the_mix_has_every_family_near_its_weight() -> None:
    plan = gen.DayPlan(dt.date(2024, 6, 3), 3000, "base", 0, 60)
    families = Counter(family for family, _ in gen.day_documents_with_families(plan))
    assert set(families) == set(gen.FAMILIES)
    for family, weight in gen.FAMILY_WEIGHTS.items():
        assert abs(families[family] / 3000 - weight) < 0.03, (family, families[family])


def test_documents_look_like_the_corpus() -> None:
    plan = gen.DayPlan(dt.date(2024, 6, 3), 2000, "base", 0, 40)
    docs = list(gen.day_documents(plan))
    lengths = sorted(len(d["text"]) for d in docs)
    assert 800 < lengths[len(lengths) // 2] < 1800  # corpus median ~1.2 KB
    assert lengths[-1] > 3000  # a tail of long articles
    collections = Counter(d["collection"] for d in docs)
    assert 0.55 < collections["news"] / 2000 < 0.8  # corpus: two thirds news
    texts = " ".join(d["text"] for d in docs)
    for needle in ("Series", "crore", "€", "denied reports", "deepfake", "memorandum of understanding"):
        assert needle in texts, needle


def test_increment_is_dated_the_next_day_and_disjoint(base: Path, tmp_path: Path) -> None:
    day = gen.base_end(START, DAYS) + dt.timedelta(days=1)
    path = gen.write_increment(tmp_path / "inc", 40, day, seed=0)
    assert path == tmp_path / "inc" / "2024" / "2024-01-15.jsonl"
    new = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(new) == 40
    assert {d["published"] for d in new} == {day.isoformat()}
    old = [json.loads(line) for data in _files(base).values() for line in data.splitlines()]
    assert not {d["url"] for d in new} & {d["url"] for d in old}
    assert not {d["text"] for d in new} & {d["text"] for d in old}
    again = gen.write_increment(tmp_path / "inc2", 40, day, seed=0)
    assert again.read_bytes() == path.read_bytes()


def test_cached_set_is_generated_once(tmp_path: Path) -> None:
    messages: list[str] = []
    first = gen.cached_set(50, seed=3, start=START, days=5, root=tmp_path, log=messages.append)
    assert first.documents == 50 and first.path.name == "docs-50-seed3-2024-01-01-5d"
    assert (first.path / gen.MARKER).is_file()
    count = len(messages)
    second = gen.cached_set(50, seed=3, start=START, days=5, root=tmp_path, log=messages.append)
    assert len(messages) == count  # nothing generated
    assert second.path == first.path and second.documents == 50


def test_cli_writes_a_set_and_an_increment(tmp_path: Path) -> None:
    assert gen.main(["--docs", "30", "--out", str(tmp_path / "s"), "--days", "3"]) == 0
    assert len(_files(tmp_path / "s")) == 3
    assert gen.main(["--increment-of", "3000", "--out", str(tmp_path / "i"), "--days", "3"]) == 0
    (path,) = (tmp_path / "i").rglob("*.jsonl")
    assert path.name == "2024-01-04.jsonl"
    assert len(path.read_text(encoding="utf-8").splitlines()) == 30
