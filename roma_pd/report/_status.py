"""A sweep's state in a few lines: what is finished per width, what it has cost, what runs
next, and which stored rows no longer count (another flow's)."""
from __future__ import annotations

import pandas as pd

from ..sweep import (SweepSpec, block_minima, current_rows, pending_blocks, round_points,
                     sweep_cost)
from ._markdown import markdown_table

__all__ = ["sweep_status"]


def sweep_status(spec: SweepSpec, frame: pd.DataFrame, source: str) -> str:
    """The state of ``spec`` from its stored rows ``frame`` (read from ``source``): the
    rows of this code, tools and flow settings decide it, as they decide a resumed run."""
    rows = current_rows(frame, spec)
    minima = block_minima(rows, spec)
    cost = sweep_cost(rows, spec, minima)
    pending = pending_blocks(rows, spec)
    done = int(minima["finished"].sum())
    lines = [f"sweep {spec.name} ({source}): {done} of {len(minima)} blocks finished, "
             f"{len(rows)} attempts; task time {cost.task_min:.1f} min, busy "
             f"{cost.busy_min:.1f} min"
             + (f" ({cost.speedup:.2f}x in parallel)" if cost.speedup else ""), "",
             markdown_table(cost.per_width.astype(object), {"task_time_min": ".1f"})]
    stuck = minima[minima["finished"] & minima["chosen_density"].isna()]
    if len(stuck):
        lines.append("no routable density: " + ", ".join(stuck["block"]))
    if pending:
        width = min(b.width for b, _, _ in pending)
        lines.append(f"next (width {width}): " + round_points(pending, width))
    else:
        lines.append("every block's search has ended")
    stale = len(frame) - len(rows)
    if stale:
        lines.append(f"{stale} stored rows do not count: another flow, code or tool "
                     "version made them, or an aspect ratio the spec no longer lists, or "
                     "they errored (a resumed run redoes what it needs of them)")
    return "\n".join(lines)
