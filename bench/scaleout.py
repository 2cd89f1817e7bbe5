"""The scale-out figures of `make bench`: written by `bench.instance_storage` and
`bench.distributed_extraction` into one JSON file, rendered into bench/RESULTS.md by `bench.run`.

Kept apart from the per-size results because they measure other things (Dagster's bookkeeping per
storage, extraction per engine) on their own sets, in their own runs, each with its load average.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).with_name("scaleout.json")


def record(path: Path, key: str, figures: dict[str, Any]) -> None:
    """Store `figures` under `key` (replacing an earlier measurement of it), with when and at what load."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[key] = {
        **figures,
        "measured_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def render(path: Path = DEFAULT_PATH) -> str:
    """The RESULTS.md section, or "" when nothing was measured."""
    if not path.exists():
        return ""
    data = json.loads(path.read_text(encoding="utf-8"))
    lines = ["## Scale-out", ""]
    if storage := data.get("instance_storage"):
        lines += [
            f"Dagster's bookkeeping, SQLite against PostgreSQL (`python -m bench.instance_storage`; "
            f"{storage['measured_at']}, load {storage['load_average']}; medians of {storage['rounds']} rounds):",
            "",
            storage["table"],
            "",
        ]
    if dask := data.get("distributed_extraction"):
        seconds = dask["seconds"]
        lines += [
            f"Extraction of {dask['documents']:,} generated documents per engine (`python -m "
            f"bench.distributed_extraction`; {dask['measured_at']}, load {dask['load_average']}, "
            f"{dask['cores']} cores; fastest of the rounds):",
            "",
            "| engine | seconds | documents/s |",
            "| --- | ---: | ---: |",
            *(f"| {name} | {s:.2f} | {dask['documents'] / s:,.0f} |" for name, s in seconds.items()),
            "",
            f"Dask 2 workers against 1: **{dask['dask_2_vs_dask_1_speedup']:.2f}×**; against one process "
            f"{dask['dask_2_vs_one_process_speedup']:.2f}×; the local pool of 2 against one process "
            f"{dask['local_pool_2_vs_one_process_speedup']:.2f}×. Serial share by Amdahl's law "
            f"{dask['serial_share_amdahl']:.2f}, so on paper (not measured): "
            + ", ".join(
                f"{n} workers {v:.1f}×"
                for n, v in sorted(dask["expected_speedup_on_paper"].items(), key=lambda kv: int(kv[0]))
            )
            + ".",
            "",
        ]
    return "\n".join(lines)
