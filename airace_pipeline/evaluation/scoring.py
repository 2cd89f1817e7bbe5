"""Match predicted fact rows to gold facts and compute precision, recall and F1.

Matching, per case and table: a predicted row may match a gold fact only when it shows that it is about
the same event (a shared organisation or country, the same amount, or, for a gold fact naming no
organisation, the same country or type); among those, pairs are taken greedily by agreement (organisation
overlap weighs most, then amount, then type, date, country and certainty). A row that matches nothing is a
false positive; a gold fact left over is a miss.

Fields, over all tables: a field's precision is the share of predicted rows stating it whose value is
right (only a matched row can be right), its recall the share of gold facts stating it that got the right
value. `amount` is right within 1% of the stated amount when both state the same currency, else within
1% in USD (ECB rates at the fact's date, as the pipeline converts); `date` is right when it agrees to the
precision the gold states (a gold "2019-07" accepts any day of July 2019); `organisation` and `role` are
counted per item (organisation id, or id and role), so a fact with four of five members is mostly right.
`boilerplate_rows` counts rows produced from cases that are boilerplate around (or instead of) an article
and that match no gold fact: the target is none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from airace_pipeline.evaluation.cases import TABLES, Case, GoldFact
from airace_pipeline.evaluation.predict import PredictedFact
from airace_pipeline.normalise.money import UsdRates
from airace_pipeline.normalise.organisations import government_id, resolve_organisations
from airace_pipeline.reference.countries import all_countries
from airace_pipeline.reference.organisations import Organisation

FIELDS: tuple[str, ...] = ("amount", "date", "country", "organisation", "role", "type", "certainty")
AMOUNT_TOLERANCE = 0.01


@dataclass(frozen=True)
class Gold:
    """A gold fact with its organisations resolved to ids and its amount in USD."""

    fact: GoldFact
    amount_usd: float | None
    orgs: frozenset[tuple[str, str]]


@dataclass
class Miss:
    case_id: str
    kind: str  # "missed", "spurious" or "wrong fields"
    table: str
    detail: str
    weight: float


@dataclass
class Scores:
    tables: dict[str, dict[str, float]]
    fields: dict[str, dict[str, float]]
    boilerplate_rows: int
    misses: list[Miss] = field(default_factory=list)
    # Per case and table, [gold, predicted, correct]: what a bootstrap over passages resamples.
    per_case: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # Per table, how many errors arose in each way (`CAUSES`).
    causes: dict[str, dict[str, int]] = field(default_factory=dict)

    def figures(self) -> dict[str, object]:
        """The numbers the baseline keeps (no misses)."""
        return {"tables": self.tables, "fields": self.fields, "boilerplate_rows": self.boilerplate_rows}


def resolve_gold(
    cases: Sequence[Case], organisations: Sequence[Organisation], rates: UsdRates
) -> dict[str, list[Gold]]:
    """Gold facts per case, organisation names resolved by the pipeline's own rules (gazetteer, exact
    alias, fuzzy match, else a minted id), so that a name and its alias count as one organisation."""
    names = sorted({n for c in cases for f in c.facts for n, _ in f.orgs if not n.startswith("gov:")})
    frame = pd.DataFrame({"name": names, "organisation_id": None, "is_country": False, "country_code": None})
    name_map = resolve_organisations(frame, organisations, all_countries()).name_map
    ids = {
        key.split("\x1f")[-1]: org
        for key, org in zip(name_map["participant_key"], name_map["organisation_id"], strict=True)
    }

    facts = [(c, f) for c in cases for f in c.facts]
    when = [_rate_date(f.date, c.documents[0].published) for c, f in facts]
    usd = rates.to_usd(
        pd.Series([f.amount for _, f in facts], dtype=float),
        pd.Series([f.currency for _, f in facts], dtype=object),
        pd.Series(when, dtype="datetime64[ns]"),
    )["amount_usd"].tolist()
    out: dict[str, list[Gold]] = {c.case_id: [] for c in cases}
    for (case, fact), value in zip(facts, usd, strict=True):
        orgs = {(government_id(n[4:]) if n.startswith("gov:") else ids[n], role) for n, role in fact.orgs}
        orgs |= {(government_id(code), "member") for code in fact.countries}
        out[case.case_id].append(Gold(fact, None if pd.isna(value) else float(value), frozenset(orgs)))
    return out


def _rate_date(date: str | None, published: dt.date) -> dt.date:
    """The gold fact's own day when it states one (and it is not in the future), else the publication day."""
    if date and len(date) == 10 and date <= published.isoformat():
        return dt.date.fromisoformat(date)
    return published


def _ids(orgs: frozenset[tuple[str, str]]) -> set[str]:
    return {org for org, _ in orgs}


def amount_ok(gold: Gold, pred: PredictedFact) -> bool:
    if gold.fact.amount is None or pred.amount is None:
        return False
    if gold.fact.currency == pred.currency:
        # Stated in the same currency: compare as stated, since USD values at two different dates (a
        # date the passage leaves out) differ by the exchange rate's drift.
        return abs(gold.fact.amount - pred.amount) <= AMOUNT_TOLERANCE * gold.fact.amount
    if gold.amount_usd is not None and pred.amount_usd is not None:
        return abs(gold.amount_usd - pred.amount_usd) <= AMOUNT_TOLERANCE * gold.amount_usd
    return (
        gold.fact.currency == pred.currency
        and abs(gold.fact.amount - pred.amount) <= AMOUNT_TOLERANCE * gold.fact.amount
    )


def date_ok(gold: Gold, pred: PredictedFact) -> bool:
    return bool(gold.fact.date and pred.date and pred.date.startswith(gold.fact.date))


_STOP_WORDS = frozenset({"the", "of", "on", "and", "for", "a", "an", "in", "to", "s"})


def _name_tokens(name: str | None) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", (name or "").lower()) if t not in _STOP_WORDS}


def name_similarity(gold: str | None, pred: str | None) -> float:
    """Share of the shorter title's words found in the other ("AI Basic Act" in "Basic Act on the
    Development of Artificial Intelligence ..." is 2 of 3): titles are written longer or shorter by
    different outlets, so containment, not equality, says they name one act."""
    g, p = _name_tokens(gold), _name_tokens(pred)
    return len(g & p) / min(len(g), len(p)) if g and p else 0.0


def _policy_agreement(gold: Gold, pred: PredictedFact) -> float | None:
    """Policies have no participants in the contract: a row is the gold act when their titles agree, or
    jurisdiction and instrument type both agree; a gold act labelled without a title (the written cases)
    needs only one of the two, as for any gold fact naming no organisation."""
    similarity = name_similarity(gold.fact.name, pred.name)
    same_type = gold.fact.type is not None and gold.fact.type == pred.type
    same_country = gold.fact.country is not None and gold.fact.country == pred.country
    if gold.fact.name is None:
        if not (same_type or same_country):
            return None
    elif similarity < 0.5 and not (same_country and same_type):
        return None
    return (
        3 * similarity
        + same_type
        + date_ok(gold, pred)
        + same_country
        + 0.5 * (gold.fact.certainty == pred.certainty)
    )


def _agreement(gold: Gold, pred: PredictedFact) -> float | None:
    """How well a predicted row agrees with a gold fact, or None when it is not about the same event."""
    if gold.fact.table == "policies":
        return _policy_agreement(gold, pred)
    gold_ids, pred_ids = _ids(gold.orgs), _ids(pred.orgs)
    overlap = len(gold_ids & pred_ids) / len(gold_ids | pred_ids) if gold_ids | pred_ids else 0.0
    same_amount = amount_ok(gold, pred)
    same_type = gold.fact.type is not None and gold.fact.type == pred.type
    same_country = gold.fact.country is not None and gold.fact.country == pred.country
    if not (overlap or same_amount or (not gold_ids and (same_type or same_country))):
        return None
    return (
        3 * overlap
        + 2 * same_amount
        + same_type
        + date_ok(gold, pred)
        + same_country
        + 0.5 * (gold.fact.certainty == pred.certainty)
    )


def _field_values(gold: Gold | None, pred: PredictedFact | None) -> dict[str, tuple[int, int, int]]:
    """(gold count, predicted count, correct count) per field for one gold fact / row pair."""
    out: dict[str, tuple[int, int, int]] = {}
    both = gold is not None and pred is not None
    g = gold.fact if gold else None
    out["amount"] = (
        int(bool(g and g.amount is not None)),
        int(bool(pred and pred.amount is not None)),
        int(both and amount_ok(gold, pred)),
    )
    out["date"] = (int(bool(g and g.date)), int(bool(pred and pred.date)), int(both and date_ok(gold, pred)))
    out["country"] = (
        int(bool(g and g.country)),
        int(bool(pred and pred.country)),
        int(both and g.country is not None and g.country == pred.country),
    )
    gold_ids, pred_ids = _ids(gold.orgs) if gold else set(), _ids(pred.orgs) if pred else set()
    out["organisation"] = (len(gold_ids), len(pred_ids), len(gold_ids & pred_ids) if both else 0)
    gold_roles, pred_roles = (gold.orgs if gold else frozenset()), (pred.orgs if pred else frozenset())
    out["role"] = (len(gold_roles), len(pred_roles), len(gold_roles & pred_roles) if both else 0)
    typed = (g.table if g else pred.table) != "alliances"
    out["type"] = (
        int(bool(typed and g and g.type)),
        int(bool(typed and pred and pred.type)),
        int(both and typed and g.type is not None and g.type == pred.type),
    )
    out["certainty"] = (
        int(g is not None),
        int(pred is not None),
        int(both and g.certainty == pred.certainty),
    )
    return out


def _prf(gold: int, predicted: int, correct: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 1.0
    recall = correct / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "gold": gold,
        "predicted": predicted,
        "correct": correct,
    }


def match_case(
    golds: Sequence[Gold], preds: Sequence[PredictedFact]
) -> list[tuple[Gold | None, PredictedFact | None]]:
    """Greedy one-to-one matching within one case; unmatched facts are paired with None."""
    candidates = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            if gold.fact.table == pred.table and (score := _agreement(gold, pred)) is not None:
                candidates.append((score, gi, pi))
    pairs: list[tuple[Gold | None, PredictedFact | None]] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, gi, pi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((golds[gi], preds[pi]))
    pairs.extend((g, None) for i, g in enumerate(golds) if i not in used_gold)
    pairs.extend((None, p) for i, p in enumerate(preds) if i not in used_pred)
    return pairs


def score(
    cases: Sequence[Case],
    gold: Mapping[str, Sequence[Gold]],
    predicted: Mapping[str, Sequence[PredictedFact]],
) -> Scores:
    table_counts = {t: [0, 0, 0] for t in TABLES}
    field_counts = {f: [0, 0, 0] for f in FIELDS}
    boilerplate = 0
    misses: list[Miss] = []
    per_case: dict[str, dict[str, list[int]]] = {}
    causes = {t: dict.fromkeys(CAUSES, 0) for t in TABLES}
    for case in cases:
        case_counts = per_case.setdefault(case.case_id, {t: [0, 0, 0] for t in TABLES})
        pairs = match_case(gold[case.case_id], predicted[case.case_id])
        for table, cause in _causes(pairs):
            causes[table][cause] += 1
        for g, p in pairs:
            table = g.fact.table if g else p.table
            for counts in (table_counts[table], case_counts[table]):
                counts[0] += g is not None
                counts[1] += p is not None
                counts[2] += g is not None and p is not None
            values = _field_values(g, p)
            for name, (n_gold, n_pred, n_correct) in values.items():
                field_counts[name][0] += n_gold
                field_counts[name][1] += n_pred
                field_counts[name][2] += n_correct
            if p is None:
                misses.append(Miss(case.case_id, "missed", table, _describe_gold(g), 3.0))
            elif g is None:
                boilerplate += "boilerplate" in case.tags
                misses.append(Miss(case.case_id, "spurious", table, _describe_pred(p), 2.0))
            else:
                wrong = [
                    f"{name} gold={_show(g, name)} got={_show_pred(p, name)}"
                    for name, (n_gold, n_pred, n_correct) in values.items()
                    if name not in ("role",) and n_correct < max(n_gold, n_pred)
                ]
                if wrong:
                    misses.append(Miss(case.case_id, "wrong fields", table, "; ".join(wrong), len(wrong) / 4))
    misses.sort(key=lambda m: (-m.weight, m.case_id))
    return Scores(
        tables={t: _prf(*c) for t, c in table_counts.items()},
        fields={f: _prf(*c) for f, c in field_counts.items()},
        boilerplate_rows=boilerplate,
        misses=misses,
        per_case=per_case,
        causes=causes,
    )


CAUSES: tuple[str, ...] = (
    "missed, table silent",
    "missed beside rows",
    "spurious, no such fact",
    "spurious beside facts",
)


def _causes(pairs: Sequence[tuple[Gold | None, PredictedFact | None]]) -> list[tuple[str, str]]:
    """Split one case's errors by whether the table was triggered at all: a miss in a passage where the
    extractor produced no row of that table is a recognition failure (no trigger, no candidate), one beside
    rows of the table is an argument or merge failure; likewise a spurious row in a passage stating no fact
    of that table is a false trigger, one beside gold facts a wrong reading. Which kind dominates says
    whether new vocabulary or better argument filling would pay."""
    tables_with_rows = {p.table for _, p in pairs if p is not None}
    tables_with_facts = {g.fact.table for g, _ in pairs if g is not None}
    out: list[tuple[str, str]] = []
    for g, p in pairs:
        if p is None and g is not None:
            table = g.fact.table
            out.append((table, CAUSES[0] if table not in tables_with_rows else CAUSES[1]))
        elif g is None and p is not None:
            out.append((p.table, CAUSES[2] if p.table not in tables_with_facts else CAUSES[3]))
    return out


def _show(gold: Gold, name: str) -> object:
    f = gold.fact
    return {
        "amount": f"{f.amount:g} {f.currency}" if f.amount is not None else None,
        "date": f.date,
        "country": f.country,
        "organisation": sorted(_ids(gold.orgs)),
        "type": f.type,
        "certainty": f.certainty,
    }[name]


def _show_pred(pred: PredictedFact, name: str) -> object:
    return {
        "amount": f"{pred.amount:g} {pred.currency}" if pred.amount is not None else None,
        "date": pred.date,
        "country": pred.country,
        "organisation": sorted(_ids(pred.orgs)),
        "type": pred.type,
        "certainty": pred.certainty,
    }[name]


def _describe_gold(gold: Gold) -> str:
    f = gold.fact
    amount = f"{f.amount:g} {f.currency} " if f.amount is not None else ""
    return f"{f.type or ''} {amount}{f.date} {f.country or ''} {f.certainty} {sorted(_ids(gold.orgs))}"


def _describe_pred(pred: PredictedFact) -> str:
    amount = f"{pred.amount:g} {pred.currency} " if pred.amount is not None else ""
    return (
        f"{pred.type or ''} {amount}{pred.date} {pred.country or ''} {pred.certainty} "
        f"{sorted(_ids(pred.orgs))} from: {pred.sentence[:120]!r}"
    )
