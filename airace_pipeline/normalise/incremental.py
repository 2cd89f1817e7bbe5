"""Re-cluster only what new, changed or removed mentions touch, with the result of clustering everything.

The greedy pass of `facts.py` visits mentions in publication order, so the groups formed before the first
changed mention are exactly what a full pass reaches at that point. A run therefore:

1. compares every mention (and its resolved participants and their countries) with the digest stored
   when it was last clustered (`extract.fact_assignments`), and finds the cut-off: the earliest new,
   changed or removed mention in clustering order. A scheduled run's new documents come last, so the
   cut-off is today's first new mention; a backfill of an old day moves it back to that day.
2. replays the mentions from the cut-off on. Each can only join a group that shares one of its blocking
   keys, and the keys earlier mentions gave their groups are stored (`extract.fact_keys`), so only those
   groups are loaded, each with its mentions before the cut-off, in order.
3. rebuilds the rows of the groups it loaded or created, and drops those of groups that lost mentions to
   the replay. Everything else stays as it is.

Each fact type is replayed on its own (mentions of different types never share a group), in steps of a
bounded number of mentions, each committed with its state, so memory does not grow with the archive and
a crash loses one step. When the clustering code, the schemas or the
exchange rates change (`normalisation_fingerprint`), or there is no stored state, the tables and the state
are emptied and every mention is replayed, step by step: a full rebuild. The property test
`normalise/test_incremental_facts.py` checks the result against a full rebuild in one step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from airace_pipeline.fingerprints import PACKAGE, files_fingerprint
from airace_pipeline.normalise import facts
from airace_pipeline.normalise.money import UsdRates
from airace_pipeline.warehouse.contract import DOCUMENTS
from airace_pipeline.warehouse.working import (
    EXTRACT_SCHEMA,
    FACT_ASSIGNMENTS,
    FACT_KEYS,
    FACT_MENTIONS,
    MENTION_PARTICIPANTS,
    ORGANISATION_NAMES,
    cluster_order_sql,
)

# The code a fact row depends on besides its mentions: clustering and table building, the money
# conversion, and the schemas that decide what is quarantined.
_CODE = (
    PACKAGE / "normalise",
    PACKAGE / "validation",
    PACKAGE / "warehouse" / "contract.py",
    PACKAGE / "warehouse" / "working.py",
)
_M = f"{EXTRACT_SCHEMA}.{FACT_MENTIONS.name}"
_P = f"{EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name}"
_N = f"{EXTRACT_SCHEMA}.{ORGANISATION_NAMES.name}"
_A = f"{EXTRACT_SCHEMA}.{FACT_ASSIGNMENTS.name}"
_K = f"{EXTRACT_SCHEMA}.{FACT_KEYS.name}"
_D = f"main.{DOCUMENTS.name}"
# normalise.organisations.participant_key, in SQL: the name map is keyed by it.
_PARTICIPANT_KEY = (
    "coalesce(p.organisation_id, '') || chr(31) || CASE WHEN p.is_country THEN '1' ELSE '0' END "
    "|| chr(31) || coalesce(p.country_code, '') || chr(31) || p.name"
)
_RESOLVED = f"""
    SELECT p.mention_id, p.document_id, p.position, p.name, p.role, p.country_code, p.is_country,
           {_PARTICIPANT_KEY} AS participant_key, n.organisation_id, n.government_id, n.method,
           o.country_code AS organisation_country
    FROM {_P} p
    LEFT JOIN {_N} n ON n.participant_key = {_PARTICIPANT_KEY}
    LEFT JOIN main.organisations o ON o.organisation_id = coalesce(n.organisation_id, n.government_id)
"""


def normalisation_fingerprint(rates_file: Path) -> str:
    return files_fingerprint(_CODE, [rates_file])


@dataclass
class FactStep:
    """One step of a refresh: the groups to write, and the stored rows and state they replace."""

    fact_type: str
    cutoff: tuple[dt.date, dt.date, str]
    groups: list[facts._Group] = field(default_factory=list)  # new and changed groups only
    replaced_ids: dict[str, list[str]] = field(default_factory=dict)  # fact table -> old fact ids
    mentions_replayed: int = 0
    groups_loaded: int = 0
    keys: pd.DataFrame = field(default_factory=pd.DataFrame)
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)


def prepare_inputs(conn: duckdb.DuckDBPyConnection) -> None:
    """Digest every mention with its resolved participants, their organisations' countries and its
    document's date basis (temp table `_fact_inputs` of this connection): a mention whose digest differs
    from the stored one changed in a way that can change its fact. The date basis counts because a
    date that is only a file's modification time is no evidence to the matchers (`facts.merge_date`)."""
    conn.execute(
        # bit_xor of per-participant hashes (the position is hashed with each), not a hash of an ordered
        # list: a list aggregate cannot spill, and at a million documents it ran out of memory_limit.
        f"""CREATE OR REPLACE TEMP TABLE _fact_inputs AS
        WITH people AS (
            SELECT mention_id, bit_xor(hash(r)) AS people FROM ({_RESOLVED}) r GROUP BY mention_id
        )
        SELECT m.mention_id, m.fact_type, m.published_on, m.announced_on,
               hash(m, people.people, d.date_basis) AS digest
        FROM {_M} m LEFT JOIN people USING (mention_id) LEFT JOIN {_D} d ON d.document_id = m.document_id"""
    )


def state_is_current(conn: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    stored = conn.execute(f"SELECT fingerprint FROM {EXTRACT_SCHEMA}.fact_state").fetchall()
    return [fingerprint] == [row[0] for row in stored]


def next_step(
    conn: duckdb.DuckDBPyConnection, rates: UsdRates, max_mentions: int, fact_type: str
) -> FactStep | None:
    """Cluster the next at most `max_mentions` mentions of `fact_type` from its cut-off (None: nothing
    of that type changed).

    One fact type at a time: mentions of different types never share a group, so a step holds only
    its type's mentions (investments are about half of them). Bounded steps keep memory flat however
    much changed: after a full reset every mention is new, and the archive is clustered `max_mentions`
    at a time, each step seeded from the stored state the previous ones wrote. The stored state of
    every mention of the type from the cut-off on is dropped in the step, so the next step's cut-off is
    where this one stopped.
    """
    cutoff = _cutoff(conn, fact_type)
    if cutoff is None:
        return None
    upper = conn.execute(
        f"""SELECT published_on, coalesce(announced_on, DATE '9999-12-31'), mention_id FROM _fact_inputs
        WHERE fact_type = ? AND {cluster_order_sql()} >= (?, ?, ?) ORDER BY 1, 2, 3 LIMIT 1 OFFSET ?""",
        [fact_type, *cutoff, max_mentions],
    ).fetchone()
    step = FactStep(fact_type=fact_type, cutoff=cutoff)
    _select_replay(conn, fact_type, cutoff, upper)
    replay = _load_wanted(conn, rates)
    step.mentions_replayed = len(replay)
    seeds = _seed_groups(conn, rates, replay, fact_type, cutoff, step)
    replaced: set[str] = set(seeds.disturbed)
    clustering = facts.cluster(replay, fact_type, [m for _, m in seeds.groups])
    # A stored group the replay could have joined but did not keeps its rows as they are.
    for (fact_id, members), group in zip(seeds.groups, clustering.groups, strict=False):
        if fact_id in seeds.disturbed or len(group.mentions) > len(members):
            replaced.add(fact_id)
            step.groups.append(group)
    step.groups.extend(clustering.groups[len(seeds.groups) :])
    key_rows = [(fact_type, facts.key_text(k), m) for m, k in clustering.keys]
    del replay, clustering
    if seeds.involved:
        step.replaced_ids = {facts.table_of(fact_type): sorted(replaced & seeds.involved)}
    step.keys = pd.DataFrame(key_rows, columns=FACT_KEYS.column_names)
    step.assignments = _assignments(conn, step.groups)
    return step


def _cutoff(conn: duckdb.DuckDBPyConnection, fact_type: str) -> tuple[dt.date, dt.date, str] | None:
    """The earliest position, in clustering order, of a new, changed or removed mention of `fact_type`
    (old and new positions both count: a mention whose date changed disturbs both places; one whose type
    changed disturbs both types)."""
    row = conn.execute(
        f"""WITH moved AS (
            SELECT c.published_on, c.announced_on, c.mention_id
            FROM _fact_inputs c LEFT JOIN {_A} a USING (mention_id)
            WHERE c.fact_type = $type AND (a.mention_id IS NULL OR a.digest <> c.digest)
            UNION ALL
            SELECT a.published_on, a.announced_on, a.mention_id
            FROM {_A} a LEFT JOIN _fact_inputs c USING (mention_id)
            WHERE a.fact_type = $type AND (c.mention_id IS NULL OR a.digest <> c.digest)
        )
        SELECT published_on, coalesce(announced_on, DATE '9999-12-31'), mention_id
        FROM moved ORDER BY 1, 2, 3 LIMIT 1""",
        {"type": fact_type},
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def _select_replay(
    conn: duckdb.DuckDBPyConnection,
    fact_type: str,
    cutoff: tuple[dt.date, dt.date, str],
    upper: tuple[dt.date, dt.date, str] | None,
) -> None:
    """Fill the temp table `_wanted` with the mentions of `fact_type` from the cut-off up to `upper`
    (excluded; None: to the end)."""
    # `IS TRUE` on the upper bound: DuckDB 1.5 folds `x >= a AND x < b` on row values into a BETWEEN it
    # then refuses for STRUCT ("Invalid type for BETWEEN"); the wrapped comparison is not folded.
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE _wanted AS SELECT mention_id, NULL::VARCHAR AS fact_id FROM {_M} "
        f"WHERE fact_type = ? AND {cluster_order_sql()} >= (?, ?, ?) "
        f"AND (? OR ({cluster_order_sql()} < (?, ?, ?)) IS TRUE)",
        [fact_type, *cutoff, upper is None, *(upper or cutoff)],
    )


def _select_stored(
    conn: duckdb.DuckDBPyConnection, fact_ids: Iterable[str], cutoff: tuple[dt.date, dt.date, str]
) -> None:
    """Fill the temp table `_wanted` with the stored mentions of the groups `fact_ids` before the
    cut-off, with the group each belongs to."""
    conn.register("_wanted_facts", pd.DataFrame({"fact_id": list(fact_ids)}))
    try:
        conn.execute(
            f"""CREATE OR REPLACE TEMP TABLE _wanted AS
            SELECT a.mention_id, a.fact_id FROM {_A} a JOIN _wanted_facts w USING (fact_id)
            WHERE {cluster_order_sql("a")} < (?, ?, ?)""",
            list(cutoff),
        )
    finally:
        conn.unregister("_wanted_facts")


def _load_wanted(conn: duckdb.DuckDBPyConnection, rates: UsdRates) -> list[dict]:
    """The mentions in `_wanted` as records, in clustering order, each with its document's date basis."""
    # Identifiers from facts.py, not input: DuckDB cannot bind column names.
    unused = ", ".join(facts.UNUSED_MENTION_FIELDS)
    mentions = conn.execute(
        f"""SELECT m.* EXCLUDE ({unused}), d.date_basis
        FROM (SELECT * FROM {_M} SEMI JOIN _wanted USING (mention_id)) m
        LEFT JOIN {_D} d ON d.document_id = m.document_id"""
    ).df()
    participants = conn.execute(
        f"SELECT mention_id, {', '.join(facts.PARTICIPANT_FIELDS)} "
        # Ordered: a mention's first recipient and its ties between values must not depend on the order
        # a join happens to return.
        f"FROM ({_RESOLVED}) r SEMI JOIN _wanted USING (mention_id) ORDER BY r.mention_id, r.position"
    ).df()
    participants = participants.astype(object).where(participants.notna(), None)
    return facts.prepare_records(mentions, participants, rates)


@dataclass
class _Seeds:
    groups: list[tuple[str, list[dict]]]  # (stored fact id, its mentions before the cut-off)
    disturbed: set[str]  # stored facts that had mentions from the cut-off on: rewritten or dissolved
    involved: set[str]  # every stored fact id the step touches or may touch


def _seed_groups(
    conn: duckdb.DuckDBPyConnection,
    rates: UsdRates,
    replay: list[dict],
    fact_type: str,
    cutoff: tuple[dt.date, dt.date, str],
    step: FactStep,
) -> _Seeds:
    """The stored groups the replay can touch, each as its mentions before the cut-off, in order.

    Two kinds: groups that share a blocking key with a replayed mention (it may join them), and groups
    that had mentions at or after the cut-off (they lose those to the replay). A group whose first
    mention is at or after the cut-off is dissolved: the replay forms it again if it still exists.
    """
    wanted_keys = pd.DataFrame(
        {(fact_type, facts.key_text(k)) for r in replay for k in facts.lookup_keys(r)},
        columns=["fact_type", "key"],
    )
    conn.register("_wanted_keys", wanted_keys)
    try:
        candidates = conn.execute(
            f"""SELECT DISTINCT a.fact_id
            FROM {_K} k JOIN _wanted_keys w USING (fact_type, key) JOIN {_A} a USING (mention_id)
            WHERE {cluster_order_sql("a")} < (?, ?, ?)""",
            list(cutoff),
        ).fetchall()
    finally:
        conn.unregister("_wanted_keys")
    disturbed = conn.execute(
        f"""SELECT a.fact_id, bool_or({cluster_order_sql("a")} < (?, ?, ?)) AS kept
        FROM {_A} a WHERE a.fact_id IN (
            SELECT fact_id FROM {_A} a WHERE a.fact_type = ? AND {cluster_order_sql("a")} >= (?, ?, ?)
        )
        GROUP BY ALL""",
        [*cutoff, fact_type, *cutoff],
    ).fetchall()
    seeds = _Seeds([], {i for i, _ in disturbed}, {i for (i,) in candidates} | {i for i, _ in disturbed})
    loaded = {i for (i,) in candidates} | {i for i, kept in disturbed if kept}
    step.groups_loaded = len(loaded)
    if not loaded:
        return seeds
    _select_stored(conn, sorted(loaded), cutoff)
    records = _load_wanted(conn, rates)
    fact_of = dict(conn.execute("SELECT mention_id, fact_id FROM _wanted").fetchall())
    members: dict[str, list[dict]] = {}
    for record in records:  # in clustering order, so each group's members and first come in order
        members.setdefault(fact_of[record["mention_id"]], []).append(record)
    seeds.groups.extend(members.items())  # insertion order: groups in the order of their first
    return seeds


def _assignments(conn: duckdb.DuckDBPyConnection, groups: list[facts._Group]) -> pd.DataFrame:
    rows = [
        (m["mention_id"], group.fact_type, fact_id)
        for group in groups
        for fact_id in [facts.fact_id_for(group)]
        for m in group.mentions
    ]
    frame = pd.DataFrame(rows, columns=["mention_id", "fact_type", "fact_id"])
    conn.register("_new_assignments", frame)
    try:
        return conn.execute(
            """SELECT n.mention_id, n.fact_type, n.fact_id, c.published_on, c.announced_on, c.digest
            FROM _new_assignments n JOIN _fact_inputs c USING (mention_id)"""
        ).df()
    finally:
        conn.unregister("_new_assignments")


def org_countries(conn: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    return dict(conn.execute("SELECT organisation_id, country_code FROM main.organisations").fetchall())
