"""Repair decisions for a route that left residue: which cells to pad, and how to fill
the space a pad leaves. Plain geometry on placement snapshots, no Coriolis, so it is
unit-tested without the tools.

A round pads the cells whose footprint comes within ``radius_um`` of a residual
segment (the cells whose pins the unrouted wires could not reach, and their
neighbours, which crowd the same tracks), then the block is placed again in the same
core and routed again.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..metrics._schema import REPAIR_ROUNDS_MAX
from ._katana_log import Segment

__all__ = ["RepairSettings", "cells_near", "grow_pads", "filler_run", "hopeless"]


@dataclass(frozen=True)
class RepairSettings:
    """The ``repair`` section of the flow settings.

    Parameters
    ----------
    rounds : int
        Re-place-and-route rounds after the first route, at most; 0 turns repair off.
    pad_sites : int
        Sites of free space added to the right of each cell near the residue per round.
    max_pad_sites : int
        Cap on one cell's padding over all rounds.
    radius_um : float
        A cell is near a residual segment when its box comes within this distance (um).
    hopeless_after : int or None
        Give up after this round when no round so far left at most the hopeless count
        of unrouted nets (``hopeless``); None: run every round.
    hopeless_nets : int
        The hopeless count's floor.
    hopeless_nets_per_kcell : float
        The hopeless count per 1000 cells, where that is above the floor.
    """
    rounds: int = 0
    pad_sites: int = 2
    max_pad_sites: int = 4
    radius_um: float = 1.0
    hopeless_after: int | None = None
    hopeless_nets: int = 10
    hopeless_nets_per_kcell: float = 0.0

    @classmethod
    def from_settings(cls, settings: dict) -> "RepairSettings":
        section = settings.get("repair") or {}
        unknown = sorted(set(section) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"repair: unknown key {unknown[0]!r}; valid keys are "
                             f"{sorted(cls.__dataclass_fields__)}")
        out = cls(**section)
        if not 0 <= out.rounds <= REPAIR_ROUNDS_MAX:
            raise ValueError(f"repair.rounds must be 0..{REPAIR_ROUNDS_MAX}, not "
                             f"{out.rounds!r}")
        if out.pad_sites < 1 or out.max_pad_sites < out.pad_sites:
            raise ValueError("repair.pad_sites must be >= 1 and <= max_pad_sites, not "
                             f"{out.pad_sites!r} (max {out.max_pad_sites!r})")
        if out.radius_um <= 0:
            raise ValueError(f"repair.radius_um must be > 0, not {out.radius_um!r}")
        if out.hopeless_after is not None and (
                not isinstance(out.hopeless_after, int) or out.hopeless_after < 0):
            raise ValueError("repair.hopeless_after must be a round number >= 0 or null, "
                             f"not {out.hopeless_after!r}")
        if out.hopeless_nets < 0 or out.hopeless_nets_per_kcell < 0:
            raise ValueError("repair.hopeless_nets and hopeless_nets_per_kcell must be "
                             f">= 0, not {out.hopeless_nets!r}, "
                             f"{out.hopeless_nets_per_kcell!r}")
        return out


def hopeless(unrouted_nets: list[int], cells: int, settings: RepairSettings) -> bool:
    """Whether to stop repairing after the rounds that left ``unrouted_nets`` (one count
    per round so far): the round is ``hopeless_after`` and none of them came within
    ``max(hopeless_nets, hopeless_nets_per_kcell * cells / 1000)``. Replayed on every
    stored width-32 attempt (benchmarks/repair_patience.py), no attempt that passed left
    more than 8 after round 1, and stopping above 10 kept every pass."""
    if settings.hopeless_after is None or len(unrouted_nets) != settings.hopeless_after + 1:
        return False
    limit = max(settings.hopeless_nets, settings.hopeless_nets_per_kcell * cells / 1000)
    return min(unrouted_nets) > limit


def cells_near(boxes: dict[str, tuple[float, float, float, float]],
               residue: list[Segment], radius_um: float) -> set[str]:
    """Names of the cells whose box ``(x0, y0, x1, y1)`` (um) comes within ``radius_um``
    of a residual segment. Segments without coordinates are ignored."""
    near = set()
    spans = [(min(s.x1, s.x2) - radius_um, min(s.y1, s.y2) - radius_um,
              max(s.x1, s.x2) + radius_um, max(s.y1, s.y2) + radius_um)
             for s in residue if None not in (s.x1, s.y1, s.x2, s.y2)]
    for name, (x0, y0, x1, y1) in boxes.items():
        for sx0, sy0, sx1, sy1 in spans:
            if x0 <= sx1 and x1 >= sx0 and y0 <= sy1 and y1 >= sy0:
                near.add(name)
                break
    return near


def grow_pads(pads: dict[str, int], near: set[str], settings: RepairSettings) -> dict[str, int]:
    """Padding (sites per cell) after one more round: ``near`` cells grow by
    ``pad_sites``, capped at ``max_pad_sites``; other cells keep theirs."""
    out = dict(pads)
    for name in near:
        out[name] = min(settings.max_pad_sites, out.get(name, 0) + settings.pad_sites)
    return out


def filler_run(sites: int, fillers: dict[str, int]) -> list[str]:
    """Filler masters that fill a gap of ``sites`` sites exactly, widest first
    (``fillers``: master -> width in sites)."""
    out = []
    for name, width in sorted(fillers.items(), key=lambda kv: -kv[1]):
        while width <= sites:
            out.append(name)
            sites -= width
    if sites:
        raise ValueError(f"no filler fits the last {sites} site(s) of a pad gap; fillers "
                         f"are {fillers}")
    return out


def _x_span(x: int, orient: int, w: int) -> tuple[int, int]:
    # Hurricane orientations: MX (4) and R2 (2) mirror x about the origin.
    return (x - w, x) if orient in (2, 4) else (x, x + w)


def _y_span(y: int, orient: int, h: int) -> tuple[int, int]:
    # MY (6) and R2 (2) mirror y: the flipped rows of a standard-cell block.
    return (y - h, y) if orient in (2, 6) else (y, y + h)


def spread_rows(snapshot: dict, residue: list[Segment], settings: RepairSettings,
                tag: str = "r") -> dict:
    """A placement snapshot whose cells near ``residue`` are padded and spread.

    In each row that holds a cell near a residual segment, the cells inside a window of
    ``radius_um`` around those cells move apart: each near cell gets up to ``pad_sites``
    more free sites to its right (cumulative over rounds, capped), the rest of the
    window's free space is shared evenly between the cells, and fillers fill the gaps.
    Cells crossing a window's edge and every other row stay where they are, so the
    placement outside the hotspot is unchanged.
    """
    scale = snapshot["ab"][2] / snapshot["die_um"][0]          # DbU per um
    sizes, fillers = snapshot["sizes"], set(snapshot["fillers"])
    site = min(sizes[f][0] for f in fillers)
    filler_sites = {f: round(sizes[f][0] / site) for f in fillers}
    px0, _, px1, _ = snapshot["place_area"]
    radius = round(settings.radius_um * scale / site) * site

    cells = []                              # (name, master, x0, x1, y0, orient, ty)
    for name, master, x, y, orient in snapshot["instances"]:
        w, h = sizes[master]
        x0, x1 = _x_span(x, orient, w)
        cells.append((name, master, x0, x1, _y_span(y, orient, h)[0], orient, y))
    boxes = {c[0]: (c[2] / scale, c[4] / scale, c[3] / scale,
                    (c[4] + sizes[c[1]][1]) / scale)
             for c in cells if c[1] not in fillers}
    near = cells_near(boxes, residue, settings.radius_um)
    wanted = grow_pads(snapshot.get("pads", {}), near, settings)

    rows: dict[int, list] = {}
    for c in cells:
        rows.setdefault(c[4], []).append(c)
    moved: dict[str, tuple] = {}
    dropped: set[str] = set()
    added: list[list] = []
    granted = dict(snapshot.get("pads", {}))
    for y0, row in rows.items():
        hot = [c for c in row if c[0] in near]
        if not hot:
            continue
        windows = []
        for c in sorted(hot, key=lambda c: c[2]):
            lo = max(px0, px0 + (c[2] - radius - px0) // site * site)
            hi = min(px1, px0 + -(-(c[3] + radius - px0) // site) * site)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        for lo, hi in windows:
            for c in row:                   # a cell across an edge stays: shrink to it
                if c[2] < lo < c[3]:
                    lo = c[3]
                if c[2] < hi < c[3]:
                    hi = c[2]
            inside = sorted((c for c in row if lo <= c[2] and c[3] <= hi),
                            key=lambda c: c[2])
            movable = [c for c in inside if c[1] not in fillers]
            dropped |= {c[0] for c in inside if c[1] in fillers}
            free = (hi - lo) // site - sum((c[3] - c[2]) // site for c in movable)
            grant = {}
            for c in movable:
                g = min(wanted.get(c[0], 0), free)
                grant[c[0]], free = g, free - g
            gaps = len(movable) + 1
            share = [free // gaps + (1 if k < free % gaps else 0) for k in range(gaps)]
            x = lo
            holes = []
            for k, c in enumerate(movable):
                holes.append((x, share[k]))
                x += share[k] * site
                w = c[3] - c[2]
                moved[c[0]] = (x + w if c[5] in (2, 4) else x, c[6])
                x += w
                holes.append((x, grant[c[0]]))
                x += grant[c[0]] * site
                if grant[c[0]]:
                    granted[c[0]] = grant[c[0]]
                else:                       # no room left here: its pad is gone
                    granted.pop(c[0], None)
            holes.append((x, share[-1]))
            orient, ty = row[0][5], row[0][6]       # a row's cells share both
            for hx, n in holes:
                for f in filler_run(n, filler_sites):
                    w = filler_sites[f] * site
                    added.append([f"feed_{tag}_{len(added)}", f,
                                  hx + w if orient in (2, 4) else hx, ty, orient])
                    hx += w
    out = dict(snapshot)
    out["pads"] = granted
    out["instances"] = [[n, m, *(moved.get(n, (x, y))), o]
                        for n, m, x, y, o in snapshot["instances"] if n not in dropped] + added
    return out
