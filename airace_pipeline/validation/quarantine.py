"""Split a dataframe into rows that pass its pandera model and rows for quarantine, with reasons.

A Dagster type check would fail the whole step on one bad row; analysts would rather get
every good row and a list of the bad ones. So: validate lazily, route each failing row to quarantine with
the checks it failed, and keep going. A failure not tied to a row (a missing column) is a bug in our code,
not in the data, and is raised.

Quarantine rows themselves are checked against their own model too, but never dropped for failing it:
`keep_quarantine_rows` replaces the fields at fault and says so in the row's reason, since a quarantine
that loses rows breaks rows in = rows out + rows quarantined without a trace.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from airace_pipeline.validation.schemas import QuarantineModel


class SchemaContractError(RuntimeError):
    """The dataframe does not have the table's shape at all (a programming error, not bad data)."""


@dataclass(frozen=True)
class ValidationSplit:
    valid: pd.DataFrame
    rejected: pd.DataFrame  # the failing input rows, as given
    reasons: pd.Series  # index-aligned with `rejected`: the failed checks and values
    # index-aligned with `rejected`: the columns whose checks failed (None for a check on the whole row)
    failed_columns: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))

    @property
    def failure_count(self) -> int:
        return len(self.rejected)

    def sample(self, n: int = 5) -> list[dict[str, str]]:
        return [
            {"row": _to_json(row), "reason": self.reasons.loc[idx]}
            for idx, row in self.rejected.head(n).iterrows()
        ]


def split_valid(df: pd.DataFrame, model: type[pa.DataFrameModel]) -> ValidationSplit:
    """Validate `df` against `model` with lazy=True and separate failing rows (by index)."""
    df = df.reset_index(drop=True)
    try:
        return ValidationSplit(model.validate(df, lazy=True), df.iloc[0:0], pd.Series(dtype=str))
    except SchemaErrors as errors:
        cases = errors.failure_cases
    table_level = cases[cases["index"].isna()]
    if not table_level.empty:
        problems = "; ".join(
            f"{r.column}: {r.check} ({r.failure_case})" for r in table_level.head(5).itertuples(index=False)
        )
        raise SchemaContractError(f"{model.__name__}: the dataframe does not fit the model: {problems}")
    cases = cases.assign(index=cases["index"].astype(int))
    reasons = (
        cases.assign(
            text=cases["column"].fillna("<row>").astype(str)
            + ": "
            + cases["check"].astype(str)
            + " failed for "
            + cases["failure_case"].map(repr)
        )
        .groupby("index")["text"]
        .agg("; ".join)
    )
    columns = cases.groupby("index")["column"].agg(lambda c: tuple(dict.fromkeys(c)))
    bad = df.index.isin(reasons.index)
    good = model.validate(df[~bad], lazy=True) if (~bad).any() else model.validate(df.iloc[0:0])
    return ValidationSplit(good, df[bad], reasons.reindex(df.index[bad]), columns.reindex(df.index[bad]))


def quarantine_rows(
    split: ValidationSplit, *, stage: str, table_name: str, document_ids: pd.Series | None = None
) -> pd.DataFrame:
    """Quarantine rows (the contract's `quarantine` shape) for the rejected part of a split."""
    now = dt.datetime.now(tz=dt.UTC)
    if document_ids is None:
        document_ids = split.rejected.get("document_id", pd.Series([None] * len(split.rejected)))
    return pd.DataFrame(
        {
            "stage": stage,
            "record": [_to_json(row) for _, row in split.rejected.iterrows()],
            "reason": split.reasons.to_numpy(),
            "document_id": list(document_ids),
            "quarantined_at": now,
            "table_name": table_name,
        },
        columns=["stage", "record", "reason", "document_id", "quarantined_at", "table_name"],
    )


# What a non-nullable quarantine field becomes when its own value fails QuarantineModel. The stage is the
# one that caught it (this validation); `quarantined_at` becomes the time of this check.
_FALLBACKS: dict[str, str] = {
    "stage": "validate",
    "record": "null",
    "reason": "(no reason was recorded)",
}


@dataclass(frozen=True)
class KeptQuarantine:
    rows: pd.DataFrame  # every input row: as given when it fits QuarantineModel, else repaired
    split: ValidationSplit  # the model's verdict on the rows as given, for the schema check


def keep_quarantine_rows(frame: pd.DataFrame) -> KeptQuarantine:
    """Validate quarantine rows against QuarantineModel, keeping the ones that fail it too: their failing
    fields are nulled (or, where the column is required, set to a fallback) and the failure is appended to
    the reason. Nothing leaves quarantine, and the repair is visible on the row and in `split`."""
    split = split_valid(frame, QuarantineModel)
    if not split.failure_count:
        return KeptQuarantine(split.valid, split)
    repaired = _repaired(split)
    try:
        repaired = QuarantineModel.validate(repaired)
    except SchemaError as error:
        raise SchemaContractError(
            f"a repaired quarantine row still fails QuarantineModel: {error}"
        ) from error
    rows = pd.concat([split.valid, repaired]).sort_index().reset_index(drop=True)
    return KeptQuarantine(rows, split)


def _repaired(split: ValidationSplit) -> pd.DataFrame:
    columns = QuarantineModel.to_schema().columns
    fixed = split.rejected.astype(object)
    now = pd.Timestamp.now(tz="UTC")
    for idx, failed in split.failed_columns.items():
        for column in failed:
            if column not in columns:
                raise SchemaContractError(f"QuarantineModel: cannot repair a failure of {column!r}")
            if columns[column].nullable:
                fixed.at[idx, column] = None
            else:
                fixed.at[idx, column] = now if column == "quarantined_at" else _FALLBACKS[column]
    fixed["reason"] = (
        fixed["reason"].astype(str)  # coerced to text as the model would: it may have come as a number
        + "; kept in quarantine although this row did not fit QuarantineModel ("
        + split.reasons
        + "), those fields replaced"
    )
    return fixed


def _to_json(row: pd.Series) -> str:
    return json.dumps({k: _plain(v) for k, v in row.items()}, default=str, ensure_ascii=False)


def _plain(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):
        return value.tolist()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
