#!/usr/bin/env python3
"""What stopping the repair rounds early would save and cost, replayed from a sweep
export: the route step records the unrouted nets of every round it ran, so a stopping
rule can be replayed without routing anything. Two rules:

- patience P: stop once P rounds in a row found no fewer unrouted nets than the best;
- hopeless R N: stop after round R when no round so far left N unrouted nets or fewer.

    scripts/in-env python benchmarks/repair_patience.py reports/default/results.jsonl

Per rule: the rounds and route time saved (time per round taken as the attempt's
route time over its rounds: the rounds of one attempt take about the same time, an
estimate, not a measurement), the placements whose kept unrouted nets would rise, and
the passing placements that would then lose their kept 0 (a kept unrouted net comes with
its shorts, so they would fail). Ties on unrouted nets are broken by unrouted segments in
the flow, which are not recorded per round, so a changed tie is not seen here.
"""
from __future__ import annotations

import argparse

import pandas as pd

from roma_pd.results import load
from roma_pd.sweep import passes


def _counts(row) -> list[int]:
    counts = [row.get(f"m_unrouted_nets_round{k}") for k in range(16)]
    return [int(c) for c in counts if c is not None and pd.notna(c)]


def hopeless(counts: list[int], after: int, nets: int) -> int:
    """How many rounds run when the step gives up after round ``after`` with more than
    ``nets`` unrouted nets in every round so far."""
    if len(counts) > after + 1 and min(counts[:after + 1]) > nets:
        return after + 1
    return len(counts)


def stopped(counts: list[int], patience: int) -> int:
    """How many rounds run when the step stops after ``patience`` rounds in a row that
    did not beat the best count (it always stops at 0)."""
    best, since = None, 0
    for k, c in enumerate(counts):
        if best is None or c < best:
            best, since = c, 0
        else:
            since += 1
        if best == 0 or since >= patience:
            return k + 1
    return len(counts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("export", help="JSON-lines sweep export")
    ap.add_argument("--criterion", default="near_clean", choices=["clean", "near_clean"])
    ap.add_argument("--patience", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--hopeless", nargs="+", default=["1:10", "1:15", "1:20", "2:10", "2:20"],
                    help="after-round:nets pairs")
    args = ap.parse_args()
    df = load(args.export)
    df = df[df["verdict"] != "error"]
    rows = [(r, _counts(r)) for _, r in df.iterrows()]
    rows = [(r, c) for r, c in rows if c and pd.notna(r.get("m_time_route"))]
    total = sum(float(r["m_time_route"]) for r, _ in rows)
    print(f"{len(rows)} attempts with recorded rounds; route time {total / 60:.1f} min\n")
    print("| rule | rounds run (of) | route time saved (min, est.) | saved % | "
          "kept nets rise | passing that lose their 0 |")
    print("|---|---|---|---|---|---|")
    rules = [(f"patience {p}", lambda c, p=p: stopped(c, p)) for p in args.patience]
    for pair in args.hopeless:
        after, nets = (int(x) for x in pair.split(":"))
        rules.append((f"hopeless after round {after} above {nets}",
                      lambda c, a=after, n=nets: hopeless(c, a, n)))
    for name, rule in rules:
        ran = saved = rise = lost = 0
        for r, c in rows:
            n = rule(c)
            ran += n
            saved += float(r["m_time_route"]) * (len(c) - n) / len(c)
            if min(c[:n]) > min(c):
                rise += 1
                lost += passes(r["verdict"], args.criterion) and min(c) == 0
        of = sum(len(c) for _, c in rows)
        print(f"| {name} | {ran} ({of}) | {saved / 60:.1f} | {100 * saved / total:.0f} | "
              f"{rise} | {lost} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
