"""Which die edge each I/O pin goes to: a bus stays together on one edge, in bit order,
unless it is wider than the flow's ``pin_bus_run``: then its runs of consecutive bits
are dealt to the edges like buses of their own.

Pure Python (no Coriolis), so the assignment is testable on its own; ``coriolis.py``
turns each edge's list into track positions and moves each pin inside its edge
(``inset``).
"""
from __future__ import annotations

import re

__all__ = ["bus_groups", "assign_sides", "inset"]

# Yosys writes bus bits as a[3] in BLIF; Coriolis' BLIF reader may give a(3).
_BIT = re.compile(r"^(?P<base>.+?)[\[(](?P<bit>\d+)[\])]$")


def bus_groups(names) -> list[list[str]]:
    """The external nets grouped by bus (bits in ascending index), scalars alone; groups
    sorted by bus name."""
    buses: dict[str, list[tuple[int, str]]] = {}
    for name in names:
        m = _BIT.match(name)
        base, bit = (m["base"], int(m["bit"])) if m else (name, -1)
        buses.setdefault(base, []).append((bit, name))
    return [[n for _, n in sorted(bits)] for _, bits in sorted(buses.items())]


def assign_sides(names, capacities: list[int], bus_run: int = 0) -> list[list[str]]:
    """Deal whole buses to the sides, largest bus first, each to the side that would be
    the least full after taking it (the share of its tracks used, so the sides fill
    evenly); a bus wider than any side's free room is cut into consecutive runs over
    the sides with the most free tracks. ``bus_run`` (0: never): a bus wider than that
    is first cut into runs of that many bits, each dealt as a bus, so no edge carries
    all of a wide bus and the logic it feeds spreads around the die. Each side lists
    its buses by name, bits in order.

    Raises
    ------
    ValueError
        When the pins outnumber the tracks of all sides.
    """
    groups = bus_groups(names)
    if bus_run:
        groups = [g[k:k + bus_run] for g in groups for k in range(0, len(g), bus_run)]
    total = sum(len(g) for g in groups)
    if total > sum(max(0, c) for c in capacities):
        raise ValueError(f"{total} I/O pins do not fit on {sum(capacities)} edge tracks")
    free = [max(0, c) for c in capacities]
    caps = [max(1, c) for c in capacities]
    placed: list[list[tuple[int, list[str]]]] = [[] for _ in capacities]
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), i))
    for i in order:
        bits = groups[i]
        while bits:
            side = max(range(len(free)), key=lambda s: (free[s], -s))
            fits = [s for s in range(len(free)) if free[s] >= len(bits)]
            if fits:
                side = min(fits, key=lambda s: (1 - (free[s] - len(bits)) / caps[s], s))
            run, bits = bits[:free[side]], bits[free[side]:]
            placed[side].append((i, run))
            free[side] -= len(run)
    return [[n for _, run in sorted(side) for n in run] for side in placed]


def inset(side: str, x: int, y: int, depth: int) -> tuple[int, int]:
    """The centre of a pin that Coriolis centred on the ``side`` edge at (x, y), moved
    one pin ``depth`` (its extent across the edge) into the die.

    Katana 2.5.4 puts the first wire of a south pin one pin depth below the pin's centre
    (measured: centre 0 -> wire at -18 nm, centre 9 nm -> -9 nm). Below the die there is
    no track: ``RoutingLayerGauge::divide`` floors a negative offset to index -1 and
    ``createTrackSegment`` aborts the route ("No track near axis"). Above the die the
    last track is taken instead, so only the south and west edges crash; every side is
    moved alike so the four edges stay one geometry.
    """
    dx, dy = {"south": (0, 1), "north": (0, -1), "west": (1, 0), "east": (-1, 0)}[side]
    return x + dx * depth, y + dy * depth
