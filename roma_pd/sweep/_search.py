"""Minimum routable area of a block: a search over placement density.

Densities live on a grid of ``resolution`` steps. The search bisects between the highest
density that passed and the lowest failing one above it. Routers are not monotonic in
density (Coriolis passes at 60%, fails at 55%, passes at 50% on some blocks), so with
``confirm`` a density counts only if the grid step below it passes too; when that
neighbour fails, the failure bounds the bracket and the search continues below it.
When nothing has passed yet (the lowest density failed too: sparse placements stretch
the wires), the search probes upward, halfway between the highest density tried and
``high``, until something passes or ``high`` has failed. With ``probe_while_improving``
and the ``residue`` of the densities tried (the fewest unrouted nets over each one's
placements), it probes only while the highest density tried left no more nets than the
density tried below it: a residue that grows with density is congestion, which denser
placements only make worse.

With a ``start`` (the spec's first guess, or a warm start: the density chosen for a
similar block; see ``sweep/_runner.py: search_starts``), the search tries it first and
walks outward from it by one step, one, two, four: upward while it passes, downward to
``low`` while it fails. The first failure above a pass, or pass below a failure, closes
the bracket, which is bisected and confirmed as above; when even ``low`` fails, it
probes upward from the highest density tried. With ``probe_while_improving`` the walk
down also stops, and the upward probe begins, once the lowest density tried left more
nets than the one above it: sparser placements are then only stretching the wires
(below the flow's ``placement.local_density`` they are the same placement with more
white space). A guess within a step ends in three
densities instead of the five of a bisection from ``low``
(``benchmarks/search_cost.py``).

A verdict is a density's, over all its placements (``block_verdicts``: enough of the
aspect ratios in ``placements`` passed); a density not yet run at every placement is
not in the verdicts, so the search proposes it again and the sweep completes it.
"""
from __future__ import annotations


from ._spec import SearchSpec

__all__ = ["next_density", "best_density", "grid"]

_EPS = 1e-9


def grid(spec: SearchSpec, density: float) -> float:
    return round(round(density / spec.resolution) * spec.resolution, 6)


def _below(verdicts: dict[float, bool], spec: SearchSpec, d: float) -> bool | None:
    """The confirm rule: the verdict of the grid step below ``d`` (None: not tried yet).
    Without ``confirm``, and at ``low`` (nothing below), a pass needs no neighbour."""
    if not spec.confirm or d - spec.resolution < grid(spec, spec.low) - _EPS:
        return True
    return verdicts.get(grid(spec, d - spec.resolution))


def _state(verdicts: dict[float, bool], spec: SearchSpec):
    low = grid(spec, spec.low)
    # a pass whose lower neighbour failed does not count
    bad = {d for d, ok in verdicts.items() if not ok or _below(verdicts, spec, d) is False}
    good = sorted(d for d, ok in verdicts.items() if ok and d not in bad)
    return low, good, bad


def _worse_at_edge(verdicts: dict[float, bool], residue: dict[float, int | None] | None,
                   highest: bool) -> bool:
    """Whether the highest (``highest``) or the lowest density tried left more unrouted
    nets than its neighbour among the densities tried (False when either count is
    unknown)."""
    if not residue or len(verdicts) < 2:
        return False
    tried = sorted(verdicts)
    edge, inner = (tried[-1], tried[-2]) if highest else (tried[0], tried[1])
    if residue.get(edge) is None or residue.get(inner) is None:
        return False
    return residue[edge] > residue[inner]


def next_density(verdicts: dict[float, bool], spec: SearchSpec,
                 start: float | None = None,
                 residue: dict[float, int | None] | None = None) -> float | None:
    """The next density to try given the verdicts so far (density -> passed), or None
    when the search is over. ``start`` is where the search begins (None: ``low``, then
    bisection upward). ``residue``: the fewest unrouted nets over each tried density's
    placements (None: unknown), which ends an upward probe whose residue rises with
    density (``probe_while_improving``)."""
    step = spec.resolution
    low, good, bad = _state(verdicts, spec)
    top = grid(spec, spec.high)
    if start is not None:
        start = min(max(grid(spec, start), low), top)
        if start not in verdicts:
            return start
        walk = not (spec.probe_while_improving and _worse_at_edge(verdicts, residue, False))
        if not good and low not in verdicts and walk:   # the guess failed: walk down
            floor = min(verdicts)
            return grid(spec, max(low, floor - max(step, start - floor)))
    if low not in verdicts and start is None:
        return low
    if not good:                        # probe upward: failing low is no proof
        tried = max(verdicts)
        if tried >= top - _EPS or (spec.probe_while_improving
                                   and _worse_at_edge(verdicts, residue, True)):
            return None
        return grid(spec, max((tried + top) / 2, tried + step))
    lo = good[-1]
    above = [d for d in bad if d > lo]
    if not above and start is not None and lo < top - _EPS:
        return grid(spec, min(top, lo + max(step, lo - start)))  # the guess passed: walk up
    hi = min(above) if above else top + step
    if hi - lo > step + _EPS:
        mid = grid(spec, (lo + hi) / 2)
        mid = min(max(mid, lo + step), hi - step)
        mid = grid(spec, mid)
        if mid not in verdicts:
            return mid
    if _below(verdicts, spec, lo) is None:
        return grid(spec, lo - step)
    return None


def best_density(verdicts: dict[float, bool], spec: SearchSpec) -> float | None:
    """The highest density that passed (and, with ``confirm``, whose lower neighbour
    passed); None if none did."""
    _, good, _ = _state(verdicts, spec)
    good = [d for d in good if _below(verdicts, spec, d) is True]
    return good[-1] if good else None


