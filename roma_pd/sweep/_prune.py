"""What a sweep keeps of a finished attempt's build: every repair round leaves a full
layout (80 MB on a 15K-cell block, up to seven rounds), and a sweep of hundreds of
attempts filled a 250 GB disk to 98%. The route step's kept round is already copied to
its outputs; the other rounds keep their logs, reports and placement snapshots, from
which ``roma-pd-coriolis route-once`` routes any of them again."""
from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["drop_round_layouts"]


def drop_round_layouts(route_node: Path) -> int:
    """Delete the layouts of the repair rounds under a route node (``<job>/route/<i>``)
    once its kept layout is in the node's ``outputs``; returns the bytes freed. A node
    without a kept layout (a crash mid-route) is left as it is."""
    route_node = Path(route_node)
    if not any((route_node / "outputs").glob("*.routed.gds")):
        return 0
    freed = 0
    for outputs in route_node.glob("rounds/round*/outputs"):
        freed += sum(f.stat().st_size for f in outputs.rglob("*") if f.is_file())
        shutil.rmtree(outputs)
    return freed
