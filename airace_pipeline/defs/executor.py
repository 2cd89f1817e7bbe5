"""The code location's executor: every step in the run's own process unless a run asks otherwise.

Dagster's default executor starts a process per step, and each pays Python's and Dagster's start-up and
imports our code again (about 3 s a step here, nine steps a run): most of a scheduled run with little
new work. It buys little parallelism: every writing step is in the `duckdb` pool with limit 1, so writers never
run side by side anyway (only the live sources' network fetches, outside the pool, could overlap a
writer), and extraction has a process pool of its own. So runs execute in process. The
executor keeps the default executor's config, so a run can still choose a process per step (run config
`execution: {config: {multiprocess: {}}}`), e.g. a very large backfill that wants each step's memory
returned to the system when the step ends.
"""

from __future__ import annotations

import dagster as dg

_CHOICES = dg.multi_or_in_process_executor.config_schema.as_field().config_type

in_process_by_default = dg.multi_or_in_process_executor.configured(
    lambda config: config,
    name="in_process_by_default",
    config_schema=dg.Field(_CHOICES, default_value={"in_process": {}}),
    description="Dagster's default executor (in_process or multiprocess), in_process unless configured.",
)
