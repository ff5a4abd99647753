"""What a sweep cost, from its stored attempts: task time per width, the time some
attempt was running, and the parallel speedup of the scheduler over that time."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from ._spec import SweepSpec

__all__ = ["SweepCost", "busy_seconds", "sweep_cost"]


def busy_seconds(started, finished) -> float:
    """Length of the union of the ``[started, finished]`` intervals (s): the time some
    attempt was running, so the gaps between resumed runs do not count."""
    total, end = 0.0, None
    for a, b in sorted(zip(started, finished)):
        if end is None or a > end:
            total, end = total + (b - a), b
        elif b > end:
            total, end = total + (b - end), b
    return total


@dataclass(frozen=True)
class SweepCost:
    """A sweep's cost so far. ``per_width``: blocks, finished blocks, attempts and task
    time (min, the sum of every step's time: what one core would have taken) per width.
    ``busy_min``: the time some attempt was running; ``speedup``: task time over it
    (None when nothing was timed)."""
    per_width: pd.DataFrame
    task_min: float
    busy_min: float
    speedup: float | None


def _task_s(metrics) -> float:
    value = json.loads(metrics or "{}").get("time_total")
    return float(value) if value is not None else 0.0


def sweep_cost(df: pd.DataFrame, spec: SweepSpec, minima: pd.DataFrame) -> SweepCost:
    """The cost of the attempts ``df`` (stored rows, metrics as JSON) of ``spec``, with
    each width's finished blocks from ``minima`` (``block_minima`` of ``df``). An attempt
    stored without its task time counts 0 task time; its span still counts as busy."""
    task = pd.Series([_task_s(m) for m in df["metrics"]], index=df.index, dtype=float)
    rows = []
    for width in sorted(spec.widths):
        blocks = minima[minima["width"] == width]
        mine = df["block"].isin(set(blocks["block"]))
        rows.append({"width": width, "blocks": len(blocks),
                     "finished": int(blocks["finished"].sum()), "attempts": int(mine.sum()),
                     "task_time_min": float(task[mine].sum()) / 60})
    timed = df.dropna(subset=["started", "finished"])
    busy = busy_seconds(timed["started"], timed["finished"]) / 60
    total = float(task.sum()) / 60
    return SweepCost(pd.DataFrame(rows, columns=["width", "blocks", "finished", "attempts",
                                                 "task_time_min"]),
                     total, busy, total / busy if busy > 0 else None)
