#!/usr/bin/env python3
"""Benchmark of the density search's cost: how many densities (each one a round of
every placement) a block's search tries, from ``low`` (cold), from the spec's
``start`` (the whole grid of boundaries around one fixed guess) and from a warm start
``offset`` grid steps away from the block's true boundary, over every boundary of the
default sweep's grid. The router is a threshold (passes at and below the boundary), so
this counts the search's own cost, not Katana's chaos.

    scripts/in-env python benchmarks/search_cost.py [designs/sweeps/default.yaml]

Prints, per offset, the mean and the largest count over the boundaries, beside the
cold search's.
"""
from __future__ import annotations

import argparse
import statistics

from roma_pd.sweep import best_density, load_sweep, next_density
from roma_pd.sweep._search import grid


def _tried(search, boundary: float, start: float | None) -> int:
    verdicts: dict[float, bool] = {}
    while (d := next_density(verdicts, search, start)) is not None:
        verdicts[d] = d <= boundary + 1e-9
    best = best_density(verdicts, search)
    assert best is not None and abs(best - boundary) < 1e-6, (boundary, start, verdicts)
    return len(verdicts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep", nargs="?", default="designs/sweeps/default.yaml")
    args = ap.parse_args()
    search = load_sweep(args.sweep).search
    step, low, top = search.resolution, grid(search, search.low), grid(search, search.high)
    boundaries = [grid(search, low + i * step) for i in range(round((top - low) / step) + 1)]
    cold = [_tried(search, b, None) for b in boundaries]
    guess = [_tried(search, b, search.start) for b in boundaries] \
        if search.start is not None else None
    print(f"# {args.sweep}: densities {low:g}..{top:g} step {step:g}, "
          f"{len(boundaries)} boundaries, confirm={search.confirm}")
    print("| start | mean densities | most |")
    print("|---|---|---|")
    print(f"| low (cold) | {statistics.mean(cold):.2f} | {max(cold)} |")
    if guess:
        print(f"| the spec's start {search.start:g} | {statistics.mean(guess):.2f} | "
              f"{max(guess)} |")
    for offset in (0, 1, -1, 2, -2, 4, -4):
        warm = [_tried(search, b, b + offset * step) for b in boundaries]
        print(f"| boundary {offset:+d} steps | {statistics.mean(warm):.2f} | {max(warm)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
