"""The report's charts as Vega-Lite specs, declared with Altair.

Vega-Lite rather than Plotly because its `href` channel makes every mark a link with no script of ours:
Vega opens the mark's URL on click, so a bar or point leads to the facts behind it, and the whole
report stays templates plus declarative specs. Each function takes rows that already carry an `href`
column (built with `links`) and returns the spec as a dict for the page to embed.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

WIDTH = 760
BAR_HEIGHT = 320
# Dollar axes in millions and billions, as analysts read them (Vega's SI format would print G for billion).
USD_LABELS = (
    "abs(datum.value) >= 1e9 ? '$' + format(datum.value / 1e9, ',.3~f') + ' bn' "
    ": '$' + format(datum.value / 1e6, ',.3~f') + ' m'"
)
YEARS = alt.Axis(format="%Y", tickCount="year", labelAngle=0)


def _data(frame: pd.DataFrame) -> alt.InlineData:
    """Rows as inline values: dates as ISO days, missing values as null. Passed as values rather than a
    DataFrame so Altair's row limit (meant for notebooks) does not apply; the caller caps the rows."""
    records = []
    for row in frame.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if isinstance(value, pd.Timestamp):
                value = value.date().isoformat()
            elif value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
                value = None
            clean[key] = value
        records.append(clean)
    return alt.InlineData(values=records)


def _tooltips(fields: list[tuple[str, ...]]) -> list[alt.Tooltip]:
    """(field, title) or (field, title, number format) per tooltip line."""
    return [alt.Tooltip(f[0], title=f[1], **({"format": f[2]} if len(f) > 2 else {})) for f in fields]


def _spec(chart: alt.TopLevelMixin) -> dict:
    return chart.configure_view(stroke=None).to_dict()


def _powers_of_ten(values: pd.Series) -> list[float]:
    """Ticks of a log axis at each power of ten the values span (Vega labels every minor tick too)."""
    positive = values[values > 0]
    if positive.empty:
        return [1.0]
    low, high = math.floor(math.log10(positive.min())), math.ceil(math.log10(positive.max()))
    return [10.0**e for e in range(low, high + 1)]


def investments_over_time(rows: pd.DataFrame) -> dict:
    """One point per investment: USD at the announcement date (log scale), coloured by country."""
    chart = (
        alt.Chart(_data(rows))
        .mark_point(filled=True, opacity=0.75)
        .encode(
            x=alt.X("announced_on:T", title="announced", axis=YEARS),
            y=alt.Y(
                "amount_usd:Q",
                title="USD at announcement (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(labelExpr=USD_LABELS, values=_powers_of_ten(rows["amount_usd"])),
            ),
            color=alt.Color("country:N", title="country", scale=alt.Scale(scheme="tableau20")),
            shape=alt.Shape("certainty:N", title="certainty"),
            size=alt.value(70),
            href="href:N",
            tooltip=[
                alt.Tooltip("label:N", title="investment"),
                alt.Tooltip("announced_on:T", title="announced"),
                alt.Tooltip("stated:N", title="stated"),
                alt.Tooltip("usd:N", title="USD"),
                alt.Tooltip("country:N", title="country"),
                alt.Tooltip("certainty:N", title="certainty"),
            ],
        )
        .properties(width=WIDTH, height=360)
    )
    return _spec(chart)


def stacked_bars(
    rows: pd.DataFrame,
    *,
    x: str,
    x_title: str,
    value: str,
    value_title: str,
    colour: str,
    colour_title: str,
    tooltip: list[tuple[str, ...]],
    x_type: str = "O",
    dollars: bool = False,
) -> dict:
    """Bars of `value` per `x`, stacked by `colour`; each segment links to its group of facts."""
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:{x_type}", title=x_title, axis=alt.Axis(labelAngle=0 if x_type == "O" else -30)),
            y=alt.Y(
                f"{value}:Q",
                title=value_title,
                axis=alt.Axis(labelExpr=USD_LABELS) if dollars else alt.Axis(),
            ),
            color=alt.Color(f"{colour}:N", title=colour_title, scale=alt.Scale(scheme="tableau20")),
            href="href:N",
            tooltip=_tooltips(tooltip),
        )
        .properties(width=WIDTH, height=BAR_HEIGHT)
    )
    return _spec(chart)


def ranked_bars(
    rows: pd.DataFrame,
    *,
    label: str,
    label_title: str,
    value: str,
    value_title: str,
    tooltip: list[tuple[str, ...]],
    dollars: bool = False,
) -> dict:
    """Horizontal bars, largest first (top recipients, top investors); each links to the party's facts."""
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", title=label_title, sort="-x"),
            x=alt.X(
                f"{value}:Q",
                title=value_title,
                axis=alt.Axis(labelExpr=USD_LABELS) if dollars else alt.Axis(),
            ),
            href="href:N",
            tooltip=_tooltips(tooltip),
        )
        .properties(width=WIDTH - 160, height=alt.Step(18))
    )
    return _spec(chart)


def network(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict:
    """Alliances and their members as a network: edges as rules between precomputed positions (Vega-Lite
    has no graph layout; `topics.network_layout` places the nodes), nodes as points linking to facts."""
    hidden = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    x_scale = alt.Scale(domain=[-1.35, 1.35])
    y_scale = alt.Scale(domain=[-1.2, 1.2])
    links = (
        alt.Chart(_data(edges))
        .mark_rule(opacity=0.35, color="#8a8a8a")
        .encode(
            x=alt.X("x:Q", axis=hidden, scale=x_scale),
            y=alt.Y("y:Q", axis=hidden, scale=y_scale),
            x2="x2:Q",
            y2="y2:Q",
        )
    )
    points = (
        alt.Chart(_data(nodes))
        .mark_point(filled=True, opacity=0.9)
        .encode(
            x=alt.X("x:Q", axis=hidden, scale=x_scale),
            y=alt.Y("y:Q", axis=hidden, scale=y_scale),
            color=alt.Color(
                "group:N", title="alliance focus / member kind", scale=alt.Scale(scheme="tableau20")
            ),
            shape=alt.Shape("kind:N", title="node"),
            size=alt.Size("degree:Q", title="links", scale=alt.Scale(range=[40, 400])),
            href="href:N",
            tooltip=[
                alt.Tooltip("label:N", title="name"),
                alt.Tooltip("kind:N", title="node"),
                alt.Tooltip("detail:N", title="detail"),
                alt.Tooltip("degree:Q", title="links"),
            ],
        )
    )
    labels = (
        alt.Chart(_data(nodes[nodes["show_label"]]))
        .mark_text(fontSize=10, dy=-9, color="#333")
        .encode(
            x=alt.X("x:Q", axis=hidden, scale=x_scale),
            y=alt.Y("y:Q", axis=hidden, scale=y_scale),
            text="short:N",
            href="href:N",
        )
    )
    return _spec(alt.layer(links, points, labels).properties(width=WIDTH, height=680))


def timeline(rows: pd.DataFrame, spans: pd.DataFrame) -> dict:
    """Policies on a timeline per jurisdiction: shape is the instrument type, colour the status; a
    revoked policy has a line from adoption to revocation."""
    y = alt.Y("jurisdiction:N", title="jurisdiction", sort="ascending")
    lived = (
        alt.Chart(_data(spans))
        .mark_rule(strokeWidth=2, color="#c0392b", opacity=0.6)
        .encode(x="announced_on:T", x2="revoked_on:T", y=y, href="href:N")
    )
    points = (
        alt.Chart(_data(rows))
        .mark_point(filled=True, opacity=0.85, size=90)
        .encode(
            x=alt.X("announced_on:T", title="announced, signed or adopted", axis=YEARS),
            y=y,
            shape=alt.Shape("instrument_type:N", title="instrument"),
            color=alt.Color("status:N", title="status", scale=alt.Scale(scheme="set1")),
            href="href:N",
            tooltip=[
                alt.Tooltip("title:N", title="policy"),
                alt.Tooltip("jurisdiction:N", title="jurisdiction"),
                alt.Tooltip("instrument_type:N", title="instrument"),
                alt.Tooltip("status:N", title="status"),
                alt.Tooltip("announced_on:T", title="announced"),
                alt.Tooltip("revoked_on:T", title="revoked"),
            ],
        )
    )
    return _spec(alt.layer(lived, points).properties(width=WIDTH, height=alt.Step(22)))


def fx_rate_ages(rows: pd.DataFrame) -> dict:
    """Per USD conversion, how many days older the ECB rate is than the fact; stale ones stand out."""
    chart = (
        alt.Chart(_data(rows))
        .mark_point(filled=True, opacity=0.8, size=60)
        .encode(
            x=alt.X("fact_date:T", title="fact date", axis=YEARS),
            y=alt.Y("rate_age_days:Q", title="days between rate and fact"),
            color=alt.Color("fact_table:N", title="table"),
            shape=alt.Shape("stale:N", title="stale rate"),
            href="href:N",
            tooltip=[
                alt.Tooltip("fact_table:N", title="table"),
                alt.Tooltip("fact_date:T", title="fact date"),
                alt.Tooltip("fx_rate_date:T", title="ECB rate date"),
                alt.Tooltip("currency:N", title="stated currency"),
                alt.Tooltip("stale:N", title="stale"),
            ],
        )
        .properties(width=WIDTH, height=260)
    )
    return _spec(chart)
