#!/usr/bin/env python3
"""What the upward probe's stop rule (``search.probe_while_improving``) would have saved
on stored sweeps: each block's search replayed on an export's own verdicts and residue,
with the rule and without it.

    scripts/in-env python benchmarks/probe_replay.py \\
        reports/default/archive/*.jsonl reports/default/results.jsonl

A replay follows the search through the densities the export stored; it stops where the
search asks for one the export never ran ("left the export"). Prints one Markdown row per
block whose two replays differ: the densities each tried, the attempts they hold, and
each one's minimum (or how it ended); then the attempts saved per export.
"""
from __future__ import annotations

import argparse

from roma_pd.results import load
from roma_pd.sweep import (best_density, block_verdicts, density_rates, density_residue,
                           load_sweep, next_density, plan_blocks, reported_rows,
                           search_starts)


def _replay(verdicts, residue, search, start):
    """The densities the search tries on these stored answers, and how it ends."""
    seen: dict[float, bool] = {}
    while (d := next_density(seen, search, start,
                             {k: residue.get(k) for k in seen})) is not None:
        if d not in verdicts:
            return list(seen), f"left the export at {d:g}"
        seen[d] = verdicts[d]
    best = best_density(seen, search)
    return list(seen), "no density passed" if best is None else f"minimum {best:g}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("exports", nargs="+")
    ap.add_argument("--sweep", default="designs/sweeps/default.yaml")
    args = ap.parse_args()
    spec = load_sweep(args.sweep)
    rules = {False: spec.search.model_copy(update={"probe_while_improving": False}),
             True: spec.search.model_copy(update={"probe_while_improving": True})}
    print("| export | block | densities without / with the rule | attempts | ends |")
    print("|---|---|---|---|---|")
    totals = []
    for path in args.exports:
        df = reported_rows(load(path, expand=False), spec)
        starts = search_starts(df, spec.model_copy(update={"search": rules[False]}))
        saved = held = 0
        for block in plan_blocks(spec):
            rows = df[df["block"] == block.name]
            if rows.empty:
                continue
            verdicts = block_verdicts(rows, spec.search.criterion, spec.search)
            residue, rates = density_residue(rows), density_rates(rows, spec.search.criterion)
            paths = {on: _replay(verdicts, residue, rules[on], starts[block.name])
                     for on in (False, True)}
            cost = {on: sum(rates[d][1] for d in paths[on][0]) for on in (False, True)}
            held += cost[False]
            if paths[False] == paths[True]:
                continue
            saved += cost[False] - cost[True]
            tried = " / ".join(" ".join(f"{d:g}" for d in sorted(paths[on][0]))
                               for on in (False, True))
            print(f"| {path.rsplit('/', 1)[-1]} | {block.name} | {tried} | "
                  f"{cost[False]} / {cost[True]} | {paths[False][1]} / {paths[True][1]} |")
        totals.append((path, saved, held))
    print()
    for path, saved, held in totals:
        print(f"- {path}: {saved} of the {held} attempts its replays hold saved")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
