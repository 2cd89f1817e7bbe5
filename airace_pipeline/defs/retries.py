"""Step retries for transient failures only, with exponential backoff and jitter.

Not a blanket `RetryPolicy`: that would also retry a malformed sources file or a bug three times before
saying so. Transient failures raise `TransientError`; this turns them into `RetryRequested`.
"""

import functools
import inspect
import random
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from airace_pipeline.errors import TransientError

MAX_RETRIES = 3
BASE_DELAY_SECONDS = 5.0


def backoff_seconds(retry_number: int, base: float = BASE_DELAY_SECONDS) -> float:
    return min(300.0, base * 2**retry_number) * random.uniform(0.5, 1.5)


@contextmanager
def transient_retries(context: dg.AssetExecutionContext) -> Iterator[None]:
    try:
        yield
    except TransientError as exc:
        wait = backoff_seconds(context.retry_number)
        context.log.warning(
            f"transient failure ({exc}); retry {context.retry_number + 1}/{MAX_RETRIES} in {wait:.0f}s"
        )
        raise dg.RetryRequested(max_retries=MAX_RETRIES, seconds_to_wait=wait) from exc


def retry_transient(fn):
    """Decorator form for asset functions whose first parameter is the context (plain or generator)."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator_wrapper(context, *args, **kwargs):
            with transient_retries(context):
                yield from fn(context, *args, **kwargs)

        return generator_wrapper

    @functools.wraps(fn)
    def wrapper(context, *args, **kwargs):
        with transient_retries(context):
            return fn(context, *args, **kwargs)

    return wrapper
