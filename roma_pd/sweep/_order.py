"""The order a round's attempts run in: longest first, so that each SiliconCompiler job
of the round holds attempts of about the same run time and no core waits long for the
job's last node (a job of one fused block and three small ROMs kept one core idle for
most of its wall time, 1.13x on 2 cores)."""
from __future__ import annotations

import json

__all__ = ["expected_time", "longest_first"]


def _times(rows) -> list[float]:
    out = []
    for m in rows["metrics"]:
        t = (json.loads(m) if isinstance(m, str) else m or {}).get("time_total")
        if isinstance(t, (int, float)):
            out.append(float(t))
    return out


def expected_time(block, stored, blocks) -> float | None:
    """A block's expected run time: the mean task time of its stored attempts, else that
    of the block of the same role and depth at the nearest narrower width, scaled by
    the width ratio; None when neither has run (``blocks``: the sweep's planned
    blocks)."""
    own = _times(stored[stored["block"] == block.name])
    if own:
        return sum(own) / len(own)
    narrower = sorted((b for b in blocks if b.role == block.role and b.depth == block.depth
                       and b.width < block.width), key=lambda b: -b.width)
    for twin in narrower:
        times = _times(stored[stored["block"] == twin.name])
        if times:
            return sum(times) / len(times) * block.width / twin.width
    return None


def longest_first(attempts, stored, blocks):
    """``attempts`` (block, density, aspect) sorted by their block's expected time,
    longest first; attempts with no estimate keep their order, after the others."""
    cost = {}
    for block, _, _ in attempts:
        if block.name not in cost:
            cost[block.name] = expected_time(block, stored, blocks)
    return sorted(attempts, key=lambda a: (cost[a[0].name] is None,
                                           -(cost[a[0].name] or 0.0)))
