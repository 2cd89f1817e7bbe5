"""Saying that a live source stopped before it finished, because its allowance for the run was spent.

Spending `max_pages` or `source_deadline_s` is not a failure (the first run of a new source may well
spend them): the source keeps what it loaded, saves its position and the next run goes on from there.
It still has to be visible, so it is logged as a warning and the note is saved in the source's dlt
state (`stopped_early`, None after a run that finished), where a run's caller can read it.
"""

from __future__ import annotations

import logging

from airace_pipeline.sources.http import BudgetSpent

log = logging.getLogger("airace_pipeline.sources")


def stop_note(stopped: BudgetSpent | None, kept: int, scheduled: bool) -> str | None:
    """Log a warning when the source stopped early and return the note to save (None if it finished)."""
    if stopped is None:
        return None
    then = (
        "the next scheduled run continues from the saved position"
        if scheduled
        else "a backfill does not save a position: run it again over a narrower window or raise the limit"
    )
    note = f"{stopped}; kept the {kept} document(s) read so far; {then}"
    log.warning(note)
    return note


def stopped_early_notes(state: object) -> list[str]:
    """Every `stopped_early` note left in a dlt pipeline's state, wherever its source keeps it.

    Each source nests its note differently (per cursor, per feed, per snapshot), so the asset that ran
    the pipeline looks for the key anywhere rather than knowing each source's layout.
    """
    notes: list[str] = []
    if isinstance(state, dict):
        for key, value in state.items():
            if key == "stopped_early" and isinstance(value, str):
                notes.append(value)
            elif key == "stopped_early" and isinstance(value, dict):
                notes.extend(v for v in value.values() if isinstance(v, str))
            else:
                notes.extend(stopped_early_notes(value))
    elif isinstance(state, list):
        for value in state:
            notes.extend(stopped_early_notes(value))
    return notes
