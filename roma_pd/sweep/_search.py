"""Minimum routable area of a block: a search over placement density.

Densities live on a grid of ``resolution`` steps. The search bisects between the highest
density that passed and the lowest failing one above it. Routers are not monotonic in
density (Coriolis passes at 60%, fails at 55%, passes at 50% on some blocks), so with
``confirm`` a density counts only if the grid step below it passes too; when that
neighbour fails, the failure bounds the bracket and the search continues below it.
When nothing has passed yet (the lowest density failed too: sparse placements stretch
the wires), the search probes upward, halfway between the highest density tried and
``high``, until something passes or ``high`` has failed.

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


def next_density(verdicts: dict[float, bool], spec: SearchSpec) -> float | None:
    """The next density to try given the verdicts so far (density -> passed), or None
    when the search is over."""
    step = spec.resolution
    low, good, bad = _state(verdicts, spec)
    if low not in verdicts:
        return low
    if not good:                        # probe upward: failing low is no proof
        top, tried = grid(spec, spec.high), max(verdicts)
        if tried >= top - _EPS:
            return None
        return grid(spec, max((tried + top) / 2, tried + step))
    lo = good[-1]
    above = [d for d in bad if d > lo]
    hi = min(above) if above else grid(spec, spec.high) + step
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


