"""One function per fact table: its page of charts and the fact pages its marks link to."""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from airace_pipeline.report import charts, links, queries
from airace_pipeline.report.facts import Limits, cap_note, fact_views, grouped_page, label, year_pages
from airace_pipeline.report.views import (
    ChartView,
    FactPage,
    TopicPage,
    day,
    evidence_by_fact,
    names_with_roles,
    present,
    stated,
    usd,
)

TOP = 15  # bars in the "top recipients / investors" charts


@dataclass
class Topic:
    page: TopicPage
    fact_pages: list[FactPage]
    facts: pd.DataFrame  # fact_id and date of every fact shown, for the overview's chart


def _chart(name: str, title: str, caption: str, rows: pd.DataFrame, build) -> ChartView:
    """A chart, or a note saying there is nothing to draw (a chart without marks helps nobody)."""
    if rows.empty:
        return ChartView(name, title, caption, None, empty="Nothing to show in the published file yet.")
    return ChartView(name, title, caption, build(rows))


def _year(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].map(links.year_of)


def _evidence(conn: duckdb.DuckDBPyConnection, table: str, ids: list[str], limits: Limits):
    return evidence_by_fact(queries.evidence(conn, table, ids, limits.evidence_per_fact))


def _dated(frame: pd.DataFrame, table: str, column: str) -> pd.DataFrame:
    return pd.DataFrame({"fact_table": table, "fact_id": frame["fact_id"], "date": frame[column]})


def investments(conn: duckdb.DuckDBPyConnection, limits: Limits) -> Topic:
    counted = queries.investments(conn, limits.max_facts)
    rows = counted.rows.copy()
    ids = rows["fact_id"].tolist()
    parties = queries.investment_parties(conn, ids)
    investors = names_with_roles(parties, ["organisation"])
    rows["country"] = rows["country_code"].fillna("unknown")
    rows["label"] = [
        label(n, r, fallback=f"{k.replace('_', ' ')} ({c})")
        for n, r, k, c in zip(rows["name"], rows["recipient"], rows["kind"], rows["country"], strict=True)
    ]
    rows["stated"] = [
        stated(a, c, u)
        for a, c, u in zip(rows["amount"], rows["currency"], rows["is_upper_bound"], strict=True)
    ]
    rows["usd"] = [
        usd(a, d, s)
        for a, d, s in zip(rows["amount_usd"], rows["fx_rate_date"], rows["fx_rate_stale"], strict=True)
    ]
    rows["href"] = [
        links.fact_href("investments", d, f) for d, f in zip(rows["announced_on"], ids, strict=True)
    ]
    rows["year"] = _year(rows, "announced_on")

    def details(row: dict) -> list[tuple[str, str]]:
        kind = row["kind"].replace("_", " ") + (
            f", {row['round_type']}" if present(row["round_type"]) else ""
        )
        return [
            ("announced", day(row["announced_on"])),
            ("stated", row["stated"]),
            ("in US dollars", row["usd"]),
            ("country", row["country"]),
            ("recipient", row["recipient"] if present(row["recipient"]) else "not named"),
            ("investors", investors.get(row["fact_id"], "none named")),
            ("kind", kind),
            ("certainty", row["certainty"]),
            ("id", row["fact_id"]),
        ]

    views = fact_views(
        rows,
        _evidence(conn, "investments", ids, limits),
        lambda r: r["label"],
        details,
        table="investments",
        date_column="announced_on",
    )
    note = cap_note(len(rows), counted.total, "investments")
    pages = year_pages(
        "investments",
        "investments",
        rows,
        views,
        date_column="announced_on",
        group_column="country",
        note=note,
    )

    with_usd = rows[rows["amount_usd"].notna()]
    over_time = with_usd[with_usd["announced_on"].notna()]
    by_year = (
        with_usd.groupby(["year", "country"], as_index=False)
        .agg(usd=("amount_usd", "sum"), deals=("fact_id", "count"), currencies=("currency", _currencies))
        .assign(
            href=lambda f: [
                links.group_href(links.fact_page("investments", y), c)
                for y, c in zip(f["year"], f["country"], strict=True)
            ]
        )
    )

    recipients_page = links.group_page("investments-recipients")
    recipients = with_usd[with_usd["recipient_id"].notna()]
    top_recipients = (
        recipients.groupby(["recipient_id", "recipient"], as_index=False)
        .agg(usd=("amount_usd", "sum"), deals=("fact_id", "count"), currencies=("currency", _currencies))
        .nlargest(TOP, "usd")
        .assign(href=lambda f: [links.group_href(recipients_page, r) for r in f["recipient_id"]])
    )
    investors_page = links.group_page("investments-investors")
    backed = parties.merge(rows[["fact_id", "amount_usd", "currency"]], on="fact_id")
    top_investors = (
        backed[backed["amount_usd"].notna()]
        .groupby(["organisation_id", "organisation"], as_index=False)
        .agg(usd=("amount_usd", "sum"), deals=("fact_id", "nunique"), currencies=("currency", _currencies))
        .nlargest(TOP, "usd")
        .assign(href=lambda f: [links.group_href(investors_page, o) for o in f["organisation_id"]])
    )
    pages.append(
        grouped_page(
            recipients_page,
            "Investments by recipient",
            [
                ((rid,), name, group.sort_values("announced_on", ascending=False)["fact_id"].tolist())
                for (rid, name), group in rows[rows["recipient_id"].notna()].groupby(
                    ["recipient_id", "recipient"]
                )
            ],
            views,
            note,
        )
    )
    pages.append(
        grouped_page(
            investors_page,
            "Investments by investor or funder",
            [
                ((oid,), name, group["fact_id"].tolist())
                for (oid, name), group in parties.groupby(["organisation_id", "organisation"])
            ],
            views,
            note,
        )
    )
    money = [("usd:Q", "USD (sum)", ",.0f"), ("deals:Q", "deals"), ("currencies:N", "stated currencies")]
    page = TopicPage(
        path="investments.html",
        title="Investments",
        intro=(
            "Funding rounds, strategic investments and government programmes, in US dollars at the ECB "
            "rate of the announcement date; the stated amount and currency are beside the dollars in every "
            "tooltip and listing. Click a point or bar for the facts and the sentences that state them."
        ),
        charts=[
            _chart(
                "investments_over_time",
                "Investments over time, by country",
                "One point per investment with a USD value (log scale).",
                over_time,
                charts.investments_over_time,
            ),
            _chart(
                "investments_by_year_and_country",
                "USD per year and country",
                "Sum of the investments announced in the year; a segment leads to that country's facts of the year.",
                by_year,
                lambda f: charts.stacked_bars(
                    f,
                    x="year",
                    x_title="year announced",
                    value="usd",
                    value_title="USD",
                    colour="country",
                    colour_title="country",
                    tooltip=[("year:O", "year"), ("country:N", "country"), *money],
                    dollars=True,
                ),
            ),
            _chart(
                "top_recipients",
                f"Top {TOP} recipients",
                "Total USD received over the investments shown.",
                top_recipients,
                lambda f: charts.ranked_bars(
                    f,
                    label="recipient",
                    label_title="recipient",
                    value="usd",
                    value_title="USD",
                    tooltip=[("recipient:N", "recipient"), *money],
                    dollars=True,
                ),
            ),
            _chart(
                "top_investors",
                f"Top {TOP} investors and funders",
                "Total USD of the deals each took part in (lead, participant or funder).",
                top_investors,
                lambda f: charts.ranked_bars(
                    f,
                    label="organisation",
                    label_title="investor or funder",
                    value="usd",
                    value_title="USD of deals joined",
                    tooltip=[("organisation:N", "investor"), *money],
                    dollars=True,
                ),
            ),
        ],
        notes=[n for n in (note,) if n],
    )
    return Topic(page, pages, _dated(rows, "investments", "announced_on"))


def _currencies(values: pd.Series) -> str:
    return ", ".join(sorted({v for v in values if present(v)}))


def alliances(conn: duckdb.DuckDBPyConnection, limits: Limits) -> Topic:
    counted = queries.alliances(conn, limits.max_facts)
    rows = counted.rows.copy()
    ids = rows["fact_id"].tolist()
    members = queries.alliance_members(conn, ids)
    members["member_key"] = [
        o if present(o) else f"country-{c}"
        for o, c in zip(members["organisation_id"], members["country_code"], strict=True)
    ]
    members["member"] = [
        label(o, c, cc, fallback="unknown")
        for o, c, cc in zip(members["organisation"], members["country"], members["country_code"], strict=True)
    ]
    member_list = names_with_roles(members, ["organisation", "country", "country_code"])
    first_members = members.groupby("fact_id")["member"].agg(lambda m: ", ".join(list(dict.fromkeys(m))[:3]))
    rows["focus"] = [list(f) if present(f) else [] for f in rows["focus_areas"]]
    rows["label"] = [
        label(n, fallback=f"Alliance of {first_members.get(f, 'unnamed members')}")
        for n, f in zip(rows["name"], rows["fact_id"], strict=True)
    ]
    rows["href"] = [
        links.fact_href("alliances", d, f) for d, f in zip(rows["announced_on"], ids, strict=True)
    ]

    def details(row: dict) -> list[tuple[str, str]]:
        return [
            ("announced", day(row["announced_on"])),
            ("members", member_list.get(row["fact_id"], "none named")),
            ("focus areas", ", ".join(row["focus"]) or "none stated"),
            ("committed", stated(row["committed_amount"], row["committed_currency"])),
            ("in US dollars", usd(row["committed_amount_usd"], row["fx_rate_date"], row["fx_rate_stale"])),
            ("certainty", row["certainty"]),
            ("id", row["fact_id"]),
        ]

    views = fact_views(
        rows,
        _evidence(conn, "alliances", ids, limits),
        lambda r: r["label"],
        details,
        table="alliances",
        date_column="announced_on",
    )
    note = cap_note(len(rows), counted.total, "alliances")
    pages = year_pages(
        "alliances", "alliances", rows, views, date_column="announced_on", group_column=None, note=note
    )
    members_page = links.group_page("alliances-members")
    focus_page = links.group_page("alliances-focus")
    pages.append(
        grouped_page(
            members_page,
            "Alliances by member",
            [
                ((key,), name, list(dict.fromkeys(group["fact_id"])))
                for (key, name), group in members.groupby(["member_key", "member"])
            ],
            views,
            note,
        )
    )
    focus = rows[["fact_id", "focus"]].explode("focus").dropna()
    pages.append(
        grouped_page(
            focus_page,
            "Alliances by focus area",
            [((area,), area, group["fact_id"].tolist()) for area, group in focus.groupby("focus")],
            views,
            note,
        )
    )
    focus_counts = (
        focus.groupby("focus", as_index=False)
        .agg(alliances=("fact_id", "nunique"))
        .assign(href=lambda f: [links.group_href(focus_page, a) for a in f["focus"]])
    )
    nodes, edges = network_layout(rows, members, members_page)
    page = TopicPage(
        path="alliances.html",
        title="Alliances",
        intro=(
            "Partnerships, pacts and agreements between countries and organisations. Inner ring: the "
            "alliances, coloured by their first focus area; outer ring: their members. Click a node for the "
            "facts and their sentences."
        ),
        charts=[
            _chart(
                "alliance_network",
                "Alliances and their members",
                "Each line joins an alliance to a member; larger nodes have more links.",
                nodes,
                lambda n: charts.network(n, edges),
            ),
            _chart(
                "alliance_focus_areas",
                "Focus areas",
                "Alliances per stated focus area (an alliance may have several).",
                focus_counts,
                lambda f: charts.ranked_bars(
                    f,
                    label="focus",
                    label_title="focus area",
                    value="alliances",
                    value_title="alliances",
                    tooltip=[("focus:N", "focus area"), ("alliances:Q", "alliances")],
                ),
            ),
        ],
        notes=[n for n in (note,) if n],
    )
    return Topic(page, pages, _dated(rows, "alliances", "announced_on"))


def network_layout(
    alliances_rows: pd.DataFrame, members: pd.DataFrame, members_page: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Alliances on an inner ring (ordered by focus area, then date) and members on an outer ring, each
    member placed at the mean angle of its alliances so that lines stay short. Deterministic, so the
    same warehouse always draws the same picture."""
    ordered = alliances_rows.assign(
        first_focus=[f[0] if f else "no focus area stated" for f in alliances_rows["focus"]]
    ).sort_values(["first_focus", "announced_on", "fact_id"], na_position="last")
    count = max(len(ordered), 1)
    angle = {f: 2 * math.pi * i / count for i, f in enumerate(ordered["fact_id"])}
    degree = members.groupby("fact_id").size()
    nodes = [
        {
            "id": f,
            "kind": "alliance",
            "group": first,
            "label": name,
            "short": _short(name),
            "show_label": present(given),
            "detail": ", ".join(focus) or "no focus area stated",
            "degree": int(degree.get(f, 0)),
            "href": href,
            "x": 0.55 * math.cos(angle[f]),
            "y": 0.55 * math.sin(angle[f]),
        }
        for f, first, name, given, focus, href in zip(
            ordered["fact_id"],
            ordered["first_focus"],
            ordered["label"],
            ordered["name"],
            ordered["focus"],
            ordered["href"],
            strict=True,
        )
    ]
    position = {n["id"]: (n["x"], n["y"]) for n in nodes}
    member_nodes = []
    for (key, name), group in members.groupby(["member_key", "member"]):
        joined = [f for f in dict.fromkeys(group["fact_id"]) if f in angle]
        if not joined:
            continue
        mean = math.atan2(sum(math.sin(angle[f]) for f in joined), sum(math.cos(angle[f]) for f in joined))
        is_org = present(group["organisation_id"].iloc[0])
        member_nodes.append(
            {
                "id": key,
                "kind": "organisation" if is_org else "country",
                "group": "member: organisation" if is_org else "member: country",
                "label": name,
                "short": _short(name),
                "show_label": len(joined) >= 2,
                "detail": f"member of {len(joined)} alliance(s)",
                "degree": len(joined),
                "href": links.group_href(members_page, key),
                "mean": mean,
                "joined": joined,
            }
        )
    # Spread members evenly around the outer ring in the order of their mean angles.
    member_nodes.sort(key=lambda n: (n["mean"], n["id"]))
    edges = []
    for i, node in enumerate(member_nodes):
        theta = 2 * math.pi * i / max(len(member_nodes), 1)
        node["x"], node["y"] = math.cos(theta), math.sin(theta)
        edges += [
            {"x": node["x"], "y": node["y"], "x2": position[f][0], "y2": position[f][1]}
            for f in node["joined"]
        ]
    frame = pd.DataFrame(
        nodes + [{k: v for k, v in n.items() if k not in ("mean", "joined")} for n in member_nodes]
    )
    return frame, pd.DataFrame(edges, columns=["x", "y", "x2", "y2"])


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def incidents(conn: duckdb.DuckDBPyConnection, limits: Limits) -> Topic:
    counted = queries.incidents(conn, limits.max_facts)
    rows = counted.rows.copy()
    ids = rows["fact_id"].tolist()
    actors = queries.incident_actors(conn, ids)
    actor_list = names_with_roles(actors, ["organisation", "country_code"])
    rows["type"] = rows["incident_type"].str.replace("_", " ")
    rows["label"] = [label(t, fallback=k) for t, k in zip(rows["title"], rows["type"], strict=True)]
    rows["year"] = _year(rows, "occurred_on")

    def details(row: dict) -> list[tuple[str, str]]:
        found = [
            ("type", row["type"]),
            ("occurred or first reported", day(row["occurred_on"])),
            ("country", row["country_code"] if present(row["country_code"]) else "unknown"),
            ("actors", actor_list.get(row["fact_id"], "none named")),
        ]
        if present(row["amount"]):
            found += [
                ("amount stated", stated(row["amount"], row["currency"])),
                ("in US dollars", usd(row["amount_usd"], row["fx_rate_date"], row["fx_rate_stale"])),
            ]
        if present(row["aiid_incident_id"]):
            found.append(("AI Incident Database", f"incident {row['aiid_incident_id']}"))
        return [*found, ("certainty", row["certainty"]), ("id", row["fact_id"])]

    views = fact_views(
        rows,
        _evidence(conn, "incidents", ids, limits),
        lambda r: r["label"],
        details,
        table="incidents",
        date_column="occurred_on",
    )
    note = cap_note(len(rows), counted.total, "incidents")
    pages = year_pages(
        "incidents",
        "incidents",
        rows,
        views,
        date_column="occurred_on",
        group_column="type",
        note=note,
    )
    by_type = (
        rows.groupby(["year", "type"], as_index=False)
        .agg(incidents=("fact_id", "count"))
        .assign(
            href=lambda f: [
                links.group_href(links.fact_page("incidents", y), t)
                for y, t in zip(f["year"], f["type"], strict=True)
            ]
        )
    )
    roles_page = links.group_page("incidents-roles")
    acting = actors.merge(rows[["fact_id", "year", "occurred_on"]], on="fact_id")
    by_role = (
        acting.groupby(["year", "role"], as_index=False)
        .agg(incidents=("fact_id", "nunique"))
        .assign(
            href=lambda f: [
                links.group_href(roles_page, r, y) for r, y in zip(f["role"], f["year"], strict=True)
            ]
        )
    )
    pages.append(
        grouped_page(
            roles_page,
            "Incidents by actor role and year",
            [
                ((role, year), f"{role.replace('_', ' ')}, {year}", list(dict.fromkeys(group["fact_id"])))
                for (role, year), group in acting.groupby(["role", "year"])
            ],
            views,
            note,
        )
    )
    page = TopicPage(
        path="incidents.html",
        title="Incidents",
        intro=(
            "Leaks, breaches, investigations, lawsuits, export controls, misuse and safety failures. "
            "Click a bar segment for its incidents and the sentences that report them."
        ),
        charts=[
            _chart(
                "incidents_by_type",
                "Incidents per year, by type",
                "By the year the incident happened or was first reported.",
                by_type,
                lambda f: charts.stacked_bars(
                    f,
                    x="year",
                    x_title="year",
                    value="incidents",
                    value_title="incidents",
                    colour="type",
                    colour_title="type",
                    tooltip=[("year:O", "year"), ("type:N", "type"), ("incidents:Q", "incidents")],
                ),
            ),
            _chart(
                "incidents_by_actor_role",
                "Incidents per year, by actor role",
                "Incidents in which an actor of the role took part (an incident has several actors).",
                by_role,
                lambda f: charts.stacked_bars(
                    f,
                    x="year",
                    x_title="year",
                    value="incidents",
                    value_title="incidents",
                    colour="role",
                    colour_title="actor role",
                    tooltip=[("year:O", "year"), ("role:N", "role"), ("incidents:Q", "incidents")],
                ),
            ),
        ],
        notes=[n for n in (note,) if n],
    )
    return Topic(page, pages, _dated(rows, "incidents", "occurred_on"))


def policies(conn: duckdb.DuckDBPyConnection, limits: Limits) -> Topic:
    counted = queries.policies(conn, limits.max_facts)
    rows = counted.rows.copy()
    ids = rows["fact_id"].tolist()
    rows["jurisdiction"] = rows["jurisdiction_code"].fillna("unknown")
    rows["href"] = [links.fact_href("policies", d, f) for d, f in zip(rows["announced_on"], ids, strict=True)]

    def details(row: dict) -> list[tuple[str, str]]:
        found = [
            ("jurisdiction", row["jurisdiction"]),
            ("instrument", row["instrument_type"].replace("_", " ")),
            ("status", row["status"]),
            ("announced, signed or adopted", day(row["announced_on"])),
        ]
        if present(row["revoked_on"]):
            found.append(("revoked", day(row["revoked_on"])))
        for column, name in (
            ("eo_number", "executive order"),
            ("celex", "CELEX"),
            ("fr_document_number", "Federal Register"),
        ):
            if present(row[column]):
                found.append((name, str(row[column])))
        return [*found, ("certainty", row["certainty"]), ("id", row["fact_id"])]

    views = fact_views(
        rows,
        _evidence(conn, "policies", ids, limits),
        lambda r: r["title"],
        details,
        table="policies",
        date_column="announced_on",
    )
    note = cap_note(len(rows), counted.total, "policies")
    pages = year_pages(
        "policies",
        "policies",
        rows,
        views,
        date_column="announced_on",
        group_column="jurisdiction",
        note=note,
    )
    instruments_page = links.group_page("policies-instruments")
    by_instrument = (
        rows.groupby(["instrument_type", "status"], as_index=False)
        .agg(policies=("fact_id", "count"))
        .assign(
            href=lambda f: [
                links.group_href(instruments_page, i, s)
                for i, s in zip(f["instrument_type"], f["status"], strict=True)
            ]
        )
    )
    pages.append(
        grouped_page(
            instruments_page,
            "Policies by instrument type and status",
            [
                ((i, s), f"{i.replace('_', ' ')}: {s}", group["fact_id"].tolist())
                for (i, s), group in rows.groupby(["instrument_type", "status"])
            ],
            views,
            note,
        )
    )
    dated = rows[rows["announced_on"].notna()]
    spans = dated[dated["revoked_on"].notna()]
    undated = len(rows) - len(dated)
    page = TopicPage(
        path="policies.html",
        title="Policies",
        intro=(
            "Laws, regulations, executive orders, strategies, export controls and international agreements, "
            "by jurisdiction, with their status. Click a point or bar for the policy and its sentences."
        ),
        charts=[
            _chart(
                "policy_timeline",
                "Policies over time, by jurisdiction",
                "Shape: instrument type; colour: status; a red line runs from adoption to revocation."
                + (f" {undated} undated policies are listed but not placed." if undated else ""),
                dated,
                lambda f: charts.timeline(f, spans),
            ),
            _chart(
                "policies_by_instrument",
                "Policies by instrument type and status",
                "A segment leads to the policies of that type and status.",
                by_instrument,
                lambda f: charts.stacked_bars(
                    f,
                    x="instrument_type",
                    x_title="instrument type",
                    value="policies",
                    value_title="policies",
                    colour="status",
                    colour_title="status",
                    tooltip=[
                        ("instrument_type:N", "instrument"),
                        ("status:N", "status"),
                        ("policies:Q", "policies"),
                    ],
                    x_type="N",
                ),
            ),
        ],
        notes=[n for n in (note,) if n],
    )
    return Topic(page, pages, _dated(rows, "policies", "announced_on"))
