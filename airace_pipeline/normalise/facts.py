"""One row per real-world event: cluster the mentions of each fact type, then build the fact tables.

The same investment is announced once and retold for weeks, sometimes with rounded or different figures,
so mentions are grouped before they become rows. The matching rules (README "How facts are merged"):

- investments: same recipient (organisation, or the programme's name when there is no recipient
  organisation), compatible certainty (the same, or reported and rumoured: two outlets, one citing "people
  familiar" for what the other states plainly, tell one deal; the row is then reported and takes a reported
  figure), compatible dates (below), USD amounts within AMOUNT_TOLERANCE of each other (a mention without
  an amount joins a matching group), compatible parties (when both name investors, at least one is
  shared) and compatible rounds (two different named stages, "Series C" and "Series D", are two deals).
  Denied and forecast statements never merge with reports. A government programme's country is the
  funder's (CHIPS Act grants to TSMC are a US programme), other investments take the recipient's.
- alliances: same normalised name, or the same set of members within ALLIANCE_WINDOW_DAYS.
- incidents: same incident type and an overlapping set of parties (actors other than the regulator,
  unless it is the only one named) within INCIDENT_WINDOW_DAYS, or the same name; a probe or a lawsuit
  stated in another country than the group's is another incident.
- policies: a shared native identifier (EO number, CELEX, Federal Register number), or the same
  normalised title in the same jurisdiction. A revocation mention updates the policy's status.

Dates: the time windows compare a mention's date with the group's anchor, the first of its mentions
whose date is evidence, and a mention whose date is no evidence is within any window. A date is no
evidence when the document's publication day came from the file's modification time
(`documents.date_basis = 'file_modified'`): the extractor dates an undated sentence by the publication
day and resolves "on Tuesday" or "3 March" against it, so any date of such a document may be only the
file's date, months off (a copied or re-saved file). Such a mention joins the deal it matches on
recipient, parties and amount, and the row's date comes from the mentions whose dates are evidence.

The greedy pass visits mentions in publication order (then stated date, then id), so the result does not
depend on partition order, and a fact's id is derived from its earliest mention, so re-running yields the
same ids. Publication order, not stated date, because it is the order in which documents arrive: a
scheduled run's new mentions come last, so the groups before them stand and only the new mentions need
clustering (see `incremental.py`). A retrospective "in 2021, X invested" still finds its 2021 group: the
time windows compare stated dates, whatever the visiting order.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from airace_pipeline.normalise.money import UsdRates
from airace_pipeline.warehouse.contract import (
    ALLIANCE_MEMBERS,
    ALLIANCES,
    EVIDENCE,
    INCIDENT_ACTORS,
    INCIDENTS,
    INVESTMENT_PARTICIPANTS,
    INVESTMENTS,
    POLICIES,
)

INVESTMENT_WINDOW_DAYS = 45
ALLIANCE_WINDOW_DAYS = 120
INCIDENT_WINDOW_DAYS = 90
AMOUNT_TOLERANCE = 0.15
# The order the greedy pass visits mentions in; undated mentions come last within their day.
CLUSTER_ORDER = ("published_on", "announced_on", "mention_id")
_STAGES = frozenset({"pre_seed", "seed"})
_REPORT_OR_RUMOUR = frozenset({"reported", "rumoured"})
_STATUS_RANK = {"unknown": 0, "proposed": 1, "adopted": 2, "in_force": 3}
_TABLE_OF = {
    "investment": "investments",
    "alliance": "alliances",
    "incident": "incidents",
    "policy": "policies",
}
_ID_PREFIX = {"investment": "inv", "alliance": "all", "incident": "inc", "policy": "pol"}
_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass
class _Group:
    fact_type: str
    mentions: list[dict] = field(default_factory=list)
    # The date of the first mention whose date is evidence (see `merge_date`): what windows compare.
    anchor: pd.Timestamp | None = None
    # The anchor as a day number (`_merge_day`), compared for every candidate pair.
    anchor_day: int | None = None

    @property
    def first(self) -> dict:
        return self.mentions[0]

    def add(self, record: dict) -> None:
        self.mentions.append(record)
        if self.anchor is None:
            self.anchor = merge_date(record)
            self.anchor_day = _merge_day(record)


@dataclass(frozen=True)
class FactTables:
    tables: dict[str, pd.DataFrame]


FACT_TYPES = ("investment", "alliance", "incident", "policy")


def build_fact_tables(
    mentions: pd.DataFrame, participants: pd.DataFrame, org_countries: dict[str, str | None], rates: UsdRates
) -> FactTables:
    """Cluster `mentions` and return every fact table plus `evidence`.

    `participants` are mention participants with their resolved `organisation_id` / `government_id`.
    """
    records = prepare_records(mentions, participants, rates)
    groups = [
        group
        for fact_type in FACT_TYPES
        for group in cluster([r for r in records if r["fact_type"] == fact_type], fact_type).groups
    ]
    return FactTables(build_tables(groups, org_countries))


# What the matchers and builders read of a participant. A full archive's mentions are held in memory
# while they are clustered, so records carry nothing else (a million mentions: gigabytes).
PARTICIPANT_FIELDS = ("name", "role", "organisation_id", "government_id", "country_code", "is_country")
# Columns of fact_mentions no rule reads.
UNUSED_MENTION_FIELDS = ("extractor",)
# Text columns with few distinct values: each row would otherwise hold its own copy of "reported",
# "investment" or an organisation id (about 0.7 KB per mention, measured).
_REPEATED_MENTION_FIELDS = (
    "document_id",
    "fact_type",
    "certainty",
    "subtype",
    "date_precision",
    "country_code",
    "currency",
    "round_type",
    "status",
    "date_basis",
)
_REPEATED_PARTICIPANT_FIELDS = ("name", "role", "organisation_id", "government_id", "country_code")


def prepare_records(mentions: pd.DataFrame, participants: pd.DataFrame, rates: UsdRates) -> list[dict]:
    """The mentions as the matchers read them: USD amounts, dates as timestamps, their participants
    attached, in CLUSTER_ORDER.

    `mentions` may carry `date_basis`, its document's (`documents.date_basis`); without it every
    mention's date counts as evidence, as for documents dated by metadata.
    """
    mentions = mentions.drop(columns=[c for c in UNUSED_MENTION_FIELDS if c in mentions.columns])
    if "date_basis" not in mentions.columns:
        mentions = mentions.assign(date_basis=None)
    # An undated fact is converted at its document's publication day: without a day it would have no USD
    # value, and an amount with none joins any group of the same recipient as if it stated no amount.
    rate_days = pd.to_datetime(mentions["announced_on"]).fillna(pd.to_datetime(mentions["published_on"]))
    usd = rates.to_usd(mentions["amount"], mentions["currency"], rate_days)
    mentions["amount_usd"] = usd["amount_usd"].to_numpy()
    mentions["fx_rate_date"] = usd["fx_rate_date"].to_numpy()
    mentions["fx_rate_stale"] = usd["fx_rate_stale"].to_numpy()
    mentions["announced_on"] = pd.to_datetime(mentions["announced_on"])
    mentions = mentions.sort_values(list(CLUSTER_ORDER), na_position="last")
    shared: dict[str, str] = {}
    by_mention: dict[str, list[dict]] = {}
    for mention_id, row in zip(
        participants["mention_id"].tolist(),
        _records(participants[list(PARTICIPANT_FIELDS)], _REPEATED_PARTICIPANT_FIELDS, shared),
        strict=True,
    ):
        by_mention.setdefault(mention_id, []).append(row)
    records = _records(mentions, _REPEATED_MENTION_FIELDS, shared)
    for row in records:
        row["participants"] = by_mention.get(row["mention_id"], [])
    return records


@dataclass
class Clustering:
    groups: list[_Group]
    # (mention_id, blocking key) for every clustered record: what a later run looks groups up by.
    keys: list[tuple[str, Hashable]]


def cluster(records: list[dict], fact_type: str, seeds: Iterable[list[dict]] = ()) -> Clustering:
    """Cluster `records` (in CLUSTER_ORDER) of one fact type, after the groups in `seeds`.

    Each seed is the mentions of a group formed by an earlier run from mentions that all sort before
    `records`, in order, and the seeds are in the order of their first mentions: exactly the state the
    greedy pass would have reached on its own, so the result equals clustering everything from scratch.
    """
    return _cluster(records, _MATCHERS[fact_type], _BLOCKING[fact_type], seeds)


def build_tables(groups: list[_Group], org_countries: dict[str, str | None]) -> dict[str, pd.DataFrame]:
    """Every fact table and `evidence`, for the given groups (of any fact types)."""
    tables: dict[str, pd.DataFrame] = {}
    evidence_rows: list[dict] = []
    for fact_type in FACT_TYPES:
        of_type = [g for g in groups if g.fact_type == fact_type]
        tables.update(_BUILDERS[fact_type](of_type, org_countries))
        for group in of_type:
            fact_id = fact_id_for(group)
            evidence_rows.extend(
                {
                    "fact_table": _TABLE_OF[fact_type],
                    "fact_id": fact_id,
                    "document_id": m["document_id"],
                    "sentence": m["sentence"],
                    "span_start": m["span_start"],
                    "span_end": m["span_end"],
                    "mention_id": m["mention_id"],
                    "certainty": m["certainty"],
                }
                for m in group.mentions
            )
    tables["evidence"] = _frame(evidence_rows, EVIDENCE.column_names)
    return tables


@functools.lru_cache(maxsize=1 << 17)
def key_text(key: Hashable) -> str:
    """A blocking key as stable text, for storing it in the warehouse. Keys are tuples of text, numbers,
    None and frozensets; `repr` of the same with the sets sorted is canonical and, unlike JSON, cheap
    (a million-document archive has millions of keys, most of them repeated, hence the cache too)."""
    return repr(_canonical(key))


def _canonical(value: object) -> object:
    if isinstance(value, frozenset):
        return tuple(sorted(_canonical(v) for v in value))
    if isinstance(value, tuple):
        return tuple(_canonical(v) for v in value)
    return value


def lookup_keys(record: dict) -> list[Hashable]:
    """The keys a record looks groups up under (see `_BLOCKING`)."""
    return _BLOCKING[record["fact_type"]].lookup(record)


def _records(frame: pd.DataFrame, repeated: Iterable[str] = (), shared: dict | None = None) -> list[dict]:
    """`frame.to_dict("records")` with the same values, built column-wise: several times faster. The
    strings of the `repeated` columns are shared through `shared`, one object per distinct value."""
    shared = {} if shared is None else shared
    columns = list(frame.columns)
    values = [
        [shared.setdefault(v, v) if isinstance(v, str) else v for v in frame[c].tolist()]
        if c in repeated
        else frame[c].tolist()
        for c in columns
    ]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def fact_id_for(group: _Group) -> str:
    earliest = min(m["mention_id"] for m in group.mentions)
    return f"{_ID_PREFIX[group.fact_type]}_{hashlib.sha1(earliest.encode()).hexdigest()[:16]}"


def table_of(fact_type: str) -> str:
    return _TABLE_OF[fact_type]


def _cluster(
    records: list[dict],
    same: Callable[[_Group, dict], bool],
    blocking: _Blocking,
    seeds: Iterable[list[dict]] = (),
) -> Clustering:
    """Each record joins the first earlier group it matches, else starts its own.

    Comparing every record with every group is quadratic: a million documents would take days. So each
    group is indexed under blocking keys, and a record is compared only with the groups found under its
    own keys, in creation order. Every way a matcher can say yes implies a shared key (see `_BLOCKING`),
    so the groups are exactly those of the all-pairs comparison; a property test checks it. A group is
    indexed under the time bucket of its anchor when it has one, and under "undated" until then; a
    dated record looks in both, so a group whose anchor arrives late is still found.
    """
    groups: list[_Group] = []
    index: dict[Hashable, list[int]] = {}
    added: list[tuple[str, Hashable]] = []

    def add(record: dict, position: int, keep: bool) -> None:
        group = groups[position]
        group.add(record)
        for key in blocking.index(record, group):
            members = index.setdefault(key, [])
            if not members or members[-1] != position:
                members.append(position)
            if keep:
                added.append((record["mention_id"], key))

    for members in seeds:
        groups.append(_Group(members[0]["fact_type"]))
        for record in members:
            add(record, len(groups) - 1, keep=False)
    for record in records:
        candidates = sorted({i for key in blocking.lookup(record) for i in index.get(key, ())})
        position = next((i for i in candidates if same(groups[i], record)), None)
        if position is None:
            groups.append(_Group(record["fact_type"]))
            position = len(groups) - 1
        add(record, position, keep=True)
    return Clustering(groups, added)


# --- matching rules -------------------------------------------------------------------------------


def _norm(text: object) -> str:
    return _NON_WORD.sub(" ", str(text).casefold()).strip() if isinstance(text, str) and text else ""


def _name(record: dict) -> str:
    cached = record.get("_name")
    if cached is None:
        cached = record["_name"] = _norm(record.get("name"))
    return cached


# Where a document's publication day came from when it is only the file's modification time.
FILE_DATE_BASIS = "file_modified"


def merge_date(record: dict) -> pd.Timestamp | None:
    """The mention's date as evidence of when the event happened, or None.

    None when undated, and when its document is dated only by the file's modification time: every date
    the extractor gives such a mention (the publication day for an undated sentence, "on Tuesday" or
    "3 March" resolved against it) may be that file's date, which says nothing about the event.
    """
    day = record["announced_on"]
    if day is None or day is pd.NaT or record.get("date_basis") == FILE_DATE_BASIS:
        return None
    return day


def _merge_day(record: dict) -> int | None:
    """`merge_date` as a day number, cached on the record: the matchers compare it with every candidate
    group, and subtracting two Timestamps cost most of an investment comparison. Mention dates are days
    (a DATE column), so the difference of day numbers is the difference in days."""
    cached = record.get("_merge_day", False)
    if cached is False:
        day = merge_date(record)
        cached = record["_merge_day"] = None if day is None else day.toordinal()
    return cached


def _within(group: _Group, record: dict, days: int) -> bool:
    """The record's date is within `days` of the group's anchor; a side without evidence is within."""
    a, b = group.anchor_day, _merge_day(record)
    if a is None or b is None:
        return True
    return abs(b - a) <= days


def _recipient_key(record: dict) -> str:
    cached = record.get("_recipient_key")
    if cached is None:
        recipients = [p for p in record["participants"] if p["role"] == "recipient"]
        if recipients:
            p = recipients[0]
            cached = p["organisation_id"] or p["government_id"] or _norm(p["name"])
        else:
            cached = _name(record) or f"mention:{record['mention_id']}"
        record["_recipient_key"] = cached
    return cached


def _amounts_close(a: float, b: float) -> bool:
    # `x != x` is the NaN test; pd.isna costs ten times more and this runs for every candidate pair.
    if a is None or b is None or a != a or b != b:
        return True
    return abs(a - b) <= AMOUNT_TOLERANCE * max(a, b)


def _compatible_certainty(group: _Group, record: dict) -> bool:
    """Same certainty, or a rumour and a report of the same deal (a rumour later confirmed, or one outlet
    citing "people familiar" for what another states plainly). Denials and forecasts stay apart."""
    a, b = group.first["certainty"], record["certainty"]
    return a == b or (a in _REPORT_OR_RUMOUR and b in _REPORT_OR_RUMOUR)


def _group_certainty(group: _Group) -> str:
    """The most certain statement wins: one report makes a rumoured deal reported."""
    certainties = {m["certainty"] for m in group.mentions}
    return "reported" if "reported" in certainties else group.first["certainty"]


def _investors(record: dict) -> frozenset[str]:
    """Who puts money in (every role but the recipient), by resolved id or normalised name."""
    cached = record.get("_investors")
    if cached is None:
        cached = record["_investors"] = frozenset(
            p["organisation_id"] or p["government_id"] or _norm(p["name"])
            for p in record["participants"]
            if p["role"] != "recipient"
        )
    return cached


def _compatible_parties(group: _Group, record: dict) -> bool:
    """Outlets name different subsets of a round's investors, so one shared investor is enough; two
    mentions naming only different investors ("led by Nvidia", "led by SoftBank") are two deals."""
    named = _investors(record)
    if not named:
        return True
    told = [m for m in group.mentions if _investors(m)]
    return not told or any(named & _investors(m) for m in told)


def _stage(record: dict) -> str | None:
    """The round's named stage (seed, Series A, ...), or None. Other round types are inferred from
    the investors ("corporate_round") and do not tell rounds apart."""
    round_type = record.get("round_type")
    if isinstance(round_type, str) and (round_type in _STAGES or round_type.startswith("series_")):
        return round_type
    return None


def _compatible_round(group: _Group, record: dict) -> bool:
    """A company's Series C and Series D are two deals, however close their amounts and dates."""
    stage = _stage(record)
    return stage is None or all(_stage(m) in (None, stage) for m in group.mentions)


def _same_investment(group: _Group, record: dict) -> bool:
    # Pure conditions, so their order changes no result: the cheapest and most selective first (most
    # candidates found under a recipient's neighbouring time buckets are outside the window).
    first = group.first
    return (
        _within(group, record, INVESTMENT_WINDOW_DAYS)
        and _compatible_certainty(group, record)
        and _recipient_key(first) == _recipient_key(record)
        and any(_amounts_close(m["amount_usd"], record["amount_usd"]) for m in group.mentions)
        and _compatible_parties(group, record)
        and _compatible_round(group, record)
    )


def _member_set(record: dict) -> frozenset[str]:
    # Computed once per mention and kept on it: the matchers ask for it at every comparison.
    cached = record.get("_member_set")
    if cached is None:
        cached = record["_member_set"] = frozenset(_party_id(p) for p in record["participants"])
    return cached


def _party_id(participant: dict) -> str:
    return participant["organisation_id"] or participant["country_code"] or _norm(participant["name"])


def _incident_parties(record: dict) -> frozenset[str]:
    """Who an incident is about: its actors but the regulator, unless the regulator is all it names.

    One watchdog fines several companies in a season, and several watchdogs act on one company: a
    shared regulator alone does not make two actions one incident, a shared subject or victim does.
    """
    cached = record.get("_incident_parties")
    if cached is None:
        parties = frozenset(_party_id(p) for p in record["participants"] if p["role"] != "regulator")
        cached = record["_incident_parties"] = parties or _member_set(record)
    return cached


def _same_alliance(group: _Group, record: dict) -> bool:
    if group.first["certainty"] != record["certainty"]:
        return False
    name = _name(record)
    if name and any(_name(m) == name for m in group.mentions):
        return True
    members = _member_set(record)
    return (
        len(members) >= 2
        and any(_member_set(m) == members for m in group.mentions)
        and _within(group, record, ALLIANCE_WINDOW_DAYS)
    )


def _same_incident(group: _Group, record: dict) -> bool:
    ids = _external_ids(record)
    if ids and any(ids & _external_ids(m) for m in group.mentions):
        return True
    first = group.first
    if first["certainty"] != record["certainty"] or first["subtype"] != record["subtype"]:
        return False
    name = _name(record)
    if name and any(_name(m) == name for m in group.mentions):
        return True
    if _other_jurisdiction(group, record):
        return False
    actors = _incident_parties(record)
    return (
        bool(actors)
        and any(actors & _incident_parties(m) for m in group.mentions)
        and _within(group, record, INCIDENT_WINDOW_DAYS)
    )


# Incident types whose country is the jurisdiction that acts: a probe in Italy and one in Korea into the
# same company are two actions, however close in time. A leak or a misuse is one event wherever reported.
_JURISDICTIONAL_INCIDENTS = frozenset({"regulatory_investigation", "litigation"})


def _other_jurisdiction(group: _Group, record: dict) -> bool:
    """The record's country is stated and differs from every country the group's mentions state."""
    country = record.get("country_code")
    if record["subtype"] not in _JURISDICTIONAL_INCIDENTS or not country:
        return False
    stated = {m.get("country_code") for m in group.mentions} - {None}
    return bool(stated) and country not in stated


def _external_ids(record: dict) -> frozenset[tuple[str, str]]:
    cached = record.get("_external_ids")
    if cached is None:
        raw = record.get("external_ids")
        parsed = json.loads(raw).items() if isinstance(raw, str) and raw else ()
        cached = record["_external_ids"] = frozenset((k, str(v)) for k, v in parsed)
    return cached


def _same_policy(group: _Group, record: dict) -> bool:
    if group.first["certainty"] != record["certainty"]:
        return False
    ids = _external_ids(record)
    if ids and any(ids & _external_ids(m) for m in group.mentions):
        return True
    title = _name(record)
    return bool(title) and any(
        _name(m) == title and m.get("country_code") == record.get("country_code") for m in group.mentions
    )


# --- blocking keys: a group can match a record only if they share one of these -----------------------


@dataclass(frozen=True)
class _Blocking:
    lookup: Callable[[dict], list[Hashable]]  # keys to look a record up under
    index: Callable[[dict, _Group], list[Hashable]]  # keys a group gets when a record has joined it


def _bucket(day: pd.Timestamp | None, days: int) -> int | None:
    return None if day is None else day.toordinal() // days


def _near(key: Hashable, record: dict, days: int) -> list[Hashable]:
    """Lookup keys for a condition that also needs `_within(group, record, days)`: groups anchored in
    the record's bucket of `days` days or a neighbouring one, or indexed while they had no anchor. A
    record whose date is no evidence is within any window, so it looks in every bucket."""
    bucket = _bucket(merge_date(record), days)
    if bucket is None:
        return [(key, "any")]
    return [(key, bucket - 1), (key, bucket), (key, bucket + 1), (key, None)]


def _at(key: Hashable, group: _Group, days: int) -> list[Hashable]:
    return [(key, "any"), (key, _bucket(group.anchor, days))]


def _ids_and_name(record: dict) -> list[Hashable]:
    name = _name(record)
    return [*(("id", i) for i in _external_ids(record)), *([("name", name)] if name else [])]


def _alliance_members(record: dict) -> Hashable | None:
    members = _member_set(record)
    return ("members", members) if len(members) >= 2 else None


def _policy_keys(record: dict, _group: _Group | None = None) -> list[Hashable]:
    title = _name(record)
    return [
        *(("id", i) for i in _external_ids(record)),
        *([("title", title, record.get("country_code"))] if title else []),
    ]


_BLOCKING: dict[str, _Blocking] = {
    # _same_investment: equal recipient keys (of the group's first mention) and within the window.
    "investment": _Blocking(
        lookup=lambda r: _near(_recipient_key(r), r, INVESTMENT_WINDOW_DAYS),
        index=lambda r, group: _at(_recipient_key(group.first), group, INVESTMENT_WINDOW_DAYS),
    ),
    # _same_alliance: a mention with the same name, or one with the same members within the window.
    "alliance": _Blocking(
        lookup=lambda r: [
            *([("name", _name(r))] if _name(r) else []),
            *(_near(k, r, ALLIANCE_WINDOW_DAYS) if (k := _alliance_members(r)) else []),
        ],
        index=lambda r, group: [
            *([("name", _name(r))] if _name(r) else []),
            *(_at(k, group, ALLIANCE_WINDOW_DAYS) if (k := _alliance_members(r)) else []),
        ],
    ),
    # _same_incident: a shared identifier, the same name, or a shared party within the window.
    "incident": _Blocking(
        lookup=lambda r: [
            *_ids_and_name(r),
            *(k for a in _incident_parties(r) for k in _near(("actor", a), r, INCIDENT_WINDOW_DAYS)),
        ],
        index=lambda r, group: [
            *_ids_and_name(r),
            *(k for a in _incident_parties(r) for k in _at(("actor", a), group, INCIDENT_WINDOW_DAYS)),
        ],
    ),
    # _same_policy: a shared identifier, or a mention with the same title and country.
    "policy": _Blocking(lookup=_policy_keys, index=_policy_keys),
}


# --- table builders -------------------------------------------------------------------------------


def _most_common(values: Iterable[object], default: object = None) -> object:
    present = [v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))]
    return Counter(present).most_common(1)[0][0] if present else default


def _earliest_date(mentions: list[dict]) -> pd.Timestamp | None:
    """The earliest date of the most precise kind, from the mentions whose dates are evidence if any:
    a file's modification time must not date a row that a stated date can."""
    mentions = [m for m in mentions if merge_date(m) is not None] or mentions
    for precision in ("day", "month", "year", None):
        dates = [
            m["announced_on"]
            for m in mentions
            if m.get("date_precision") == precision and pd.notna(m["announced_on"])
        ]
        if dates:
            return min(dates)
    return None


def _stated_amount(mentions: list[dict]) -> dict | None:
    """The amount most mentions state (ties: the earliest-published one), with its currency and bound."""
    # `x == x` is the NaN test: pd.notna costs ten times more, per mention of every fact.
    with_amount = [m for m in mentions if m["amount"] is not None and m["amount"] == m["amount"]]
    if not with_amount:
        return None
    counts = Counter((m["amount"], m["currency"]) for m in with_amount)
    best = max(counts.values())
    return next(
        m
        for m in sorted(with_amount, key=lambda m: m["published_on"])
        if counts[(m["amount"], m["currency"])] == best
    )


def _participants(group: _Group) -> list[dict]:
    return [p for m in group.mentions for p in m["participants"]]


def _investment_tables(groups: list[_Group], org_countries: dict[str, str | None]) -> dict[str, pd.DataFrame]:
    rows, links = [], []
    for group in groups:
        fact_id = fact_id_for(group)
        people = _participants(group)
        recipients = [p for p in people if p["role"] == "recipient"]
        recipient_id = _most_common(p["organisation_id"] for p in recipients)
        kind = _most_common((m["subtype"] for m in group.mentions), "other")
        country = (
            # A government programme is the funding country's, even when it pays a foreign company.
            (
                _most_common(m["country_code"] for m in group.mentions)
                if kind == "government_programme"
                else None
            )
            or (
                org_countries.get(recipient_id)
                if recipient_id
                else _most_common(p["country_code"] for p in recipients if p["is_country"])
            )
            or _most_common(m["country_code"] for m in group.mentions)
        )
        certainty = _group_certainty(group)
        # The figure comes from the statements as certain as the row: a report beats a rumour.
        stated = _stated_amount([m for m in group.mentions if m["certainty"] == certainty])
        rows.append(
            {
                "investment_id": fact_id,
                "announced_on": _earliest_date(group.mentions),
                "recipient_id": recipient_id,
                "country_code": country,
                "amount": stated["amount"] if stated else None,
                "currency": stated["currency"] if stated else None,
                "amount_usd": stated["amount_usd"] if stated else None,
                "is_upper_bound": bool(stated["is_upper_bound"]) if stated else False,
                "kind": kind,
                "round_type": _most_common(m["round_type"] for m in group.mentions),
                "name": _most_common(m["name"] for m in group.mentions),
                "certainty": certainty,
                "fx_rate_date": stated["fx_rate_date"] if stated else None,
                "evidence_count": len(group.mentions),
                "fx_rate_stale": stated["fx_rate_stale"] if stated else None,
            }
        )
        for p in people:
            if p["role"] == "recipient":
                continue
            org = p["organisation_id"] or p["government_id"]
            links.append({"investment_id": fact_id, "organisation_id": org, "role": p["role"]})
    participants = _frame(links, INVESTMENT_PARTICIPANTS.column_names).drop_duplicates(ignore_index=True)
    return {"investments": _frame(rows, INVESTMENTS.column_names), "investment_participants": participants}


def _members(group: _Group, fact_key: str, fact_id: str, org_countries: dict[str, str | None]) -> list[dict]:
    out = []
    for p in _participants(group):
        org = p["organisation_id"]
        country = org_countries.get(org) if org else p["country_code"]
        out.append(
            {
                fact_key: fact_id,
                "organisation_id": org,
                "country_code": country or p["country_code"],
                "role": p["role"],
            }
        )
    return out


def _commitment(group: _Group) -> dict | None:
    return _stated_amount(group.mentions)


def _alliance_tables(groups: list[_Group], org_countries: dict[str, str | None]) -> dict[str, pd.DataFrame]:
    rows, members = [], []
    for group in groups:
        fact_id = fact_id_for(group)
        stated = _commitment(group)
        areas = sorted(
            {a for m in group.mentions for a in (m["focus_areas"] if m["focus_areas"] is not None else [])}
        )
        rows.append(
            {
                "alliance_id": fact_id,
                "name": _most_common(m["name"] for m in group.mentions),
                "announced_on": _earliest_date(group.mentions),
                "focus_areas": areas,
                "committed_amount_usd": stated["amount_usd"] if stated else None,
                "committed_amount": stated["amount"] if stated else None,
                "committed_currency": stated["currency"] if stated else None,
                "certainty": group.first["certainty"],
                "evidence_count": len(group.mentions),
                "fx_rate_date": stated["fx_rate_date"] if stated else None,
                "fx_rate_stale": stated["fx_rate_stale"] if stated else None,
            }
        )
        members.extend(_members(group, "alliance_id", fact_id, org_countries))
    member_frame = _frame(members, ALLIANCE_MEMBERS.column_names).drop_duplicates(ignore_index=True)
    return {"alliances": _frame(rows, ALLIANCES.column_names), "alliance_members": member_frame}


def _incident_tables(groups: list[_Group], org_countries: dict[str, str | None]) -> dict[str, pd.DataFrame]:
    rows, actors = [], []
    for group in groups:
        fact_id = fact_id_for(group)
        stated = _stated_amount(group.mentions)
        ids: dict[str, str] = {}
        for m in group.mentions:
            ids.update(dict(_external_ids(m)))
        rows.append(
            {
                "incident_id": fact_id,
                "incident_type": _most_common((m["subtype"] for m in group.mentions), "other"),
                "occurred_on": _earliest_date(group.mentions),
                "country_code": _most_common(m["country_code"] for m in group.mentions),
                "title": _most_common(m["name"] for m in group.mentions),
                "description": group.first["sentence"],
                "amount": stated["amount"] if stated else None,
                "currency": stated["currency"] if stated else None,
                "amount_usd": stated["amount_usd"] if stated else None,
                "certainty": group.first["certainty"],
                "evidence_count": len(group.mentions),
                "aiid_incident_id": ids.get("aiid_incident_id"),
                "fx_rate_date": stated["fx_rate_date"] if stated else None,
                "fx_rate_stale": stated["fx_rate_stale"] if stated else None,
            }
        )
        actors.extend(_members(group, "incident_id", fact_id, org_countries))
    actor_frame = _frame(actors, INCIDENT_ACTORS.column_names).drop_duplicates(ignore_index=True)
    return {"incidents": _frame(rows, INCIDENTS.column_names), "incident_actors": actor_frame}


def _policy_tables(groups: list[_Group], _org_countries: dict[str, str | None]) -> dict[str, pd.DataFrame]:
    rows = []
    for group in groups:
        revocations = [m for m in group.mentions if m["status"] == "revoked"]
        enacting = [m for m in group.mentions if m["status"] != "revoked"] or group.mentions
        ids: dict[str, str] = {}
        for m in group.mentions:
            ids.update(dict(_external_ids(m)))
        statuses = [m["status"] or "unknown" for m in enacting]
        rows.append(
            {
                "policy_id": fact_id_for(group),
                "title": _most_common(m["name"] for m in group.mentions),
                "jurisdiction_code": _most_common(m["country_code"] for m in group.mentions),
                "instrument_type": _most_common((m["subtype"] for m in group.mentions), "other"),
                "status": "revoked" if revocations else max(statuses, key=lambda s: _STATUS_RANK.get(s, 0)),
                "announced_on": _earliest_date(enacting),
                "revoked_on": _earliest_date(revocations) if revocations else None,
                "eo_number": ids.get("eo_number"),
                "celex": ids.get("celex"),
                "fr_document_number": ids.get("fr_document_number"),
                "certainty": group.first["certainty"],
                "evidence_count": len(group.mentions),
            }
        )
    return {"policies": _frame(rows, POLICIES.column_names)}


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


_MATCHERS: dict[str, Callable[[_Group, dict], bool]] = {
    "investment": _same_investment,
    "alliance": _same_alliance,
    "incident": _same_incident,
    "policy": _same_policy,
}
_BUILDERS: dict[str, Callable[[list[_Group], dict[str, str | None]], dict[str, pd.DataFrame]]] = {
    "investment": _investment_tables,
    "alliance": _alliance_tables,
    "incident": _incident_tables,
    "policy": _policy_tables,
}
