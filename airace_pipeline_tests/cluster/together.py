"""Start calls at the same moment in threads, for tests of two writers racing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")


def run_together(
    call: Callable[[A], R], args: Sequence[A], timeout: float
) -> tuple[dict[int, R], list[BaseException]]:
    """Run `call(arg)` for every arg in its own thread, all released by one barrier so that they race.

    Returns each call's result by the index of its argument, and whatever any call raised: a test asserts
    on both, since an exception in a thread would otherwise pass unnoticed.
    """
    start = threading.Barrier(len(args))
    results: dict[int, R] = {}
    errors: list[BaseException] = []

    def one(index: int, arg: A) -> None:
        start.wait()
        try:
            results[index] = call(arg)
        except BaseException as exc:  # reported to the caller, who asserts on it
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i, a)) for i, a in enumerate(args)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
