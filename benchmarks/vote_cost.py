#!/usr/bin/env python3
"""Benchmark of ``decide_early``: how many attempts a density's vote needs when it ends
as soon as it is decided, replayed on stored densities that ran every placement (a
sweep's export or archive). Each density's placements are taken in the spec's order, in
the batches ``SearchSpec.to_run`` gives; the verdict must equal the full vote's.

    scripts/in-env python benchmarks/vote_cost.py reports/default/results.jsonl \\
        reports/default/archive/*.jsonl

Prints the attempts of the full votes and of the early ones, and the rounds a density
needed (a split needs a second one).
"""
from __future__ import annotations

import argparse

import pandas as pd

from roma_pd.sweep import load_sweep, passes


def _replay(search, ok: dict[float, bool]) -> tuple[int, int, bool]:
    """(attempts, rounds, verdict) of an early vote over the placements' outcomes."""
    early = search.model_copy(update={"decide_early": True})
    order = [ok[round(a, 2)] for a in early.placements]
    tried = rounds = 0
    while (more := early.to_run(sum(order[:tried]), tried)):
        tried, rounds = tried + more, rounds + 1
    return tried, rounds, early.vote(sum(order[:tried]), tried)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="+", help="JSON-lines exports of a sweep")
    ap.add_argument("--sweep", default="designs/sweeps/default.yaml")
    args = ap.parse_args()
    search = load_sweep(args.sweep).search
    full = search.model_copy(update={"decide_early": False})
    df = pd.concat([pd.read_json(p, lines=True) for p in args.results], ignore_index=True)
    df = df.assign(aspect=df["aspect_ratio"].round(2), d=df["density"].round(6),
                   ok=[passes(v, search.criterion) for v in df["verdict"]])
    # the newest result of each placement, as a report shows it
    df = df[df["verdict"] != "error"].sort_values("finished", kind="stable")
    df = df.drop_duplicates(["block", "d", "aspect"], keep="last")
    n, attempts, early_attempts, splits = 0, 0, 0, 0
    for _, g in df.groupby(["block", "d"]):
        ok = dict(zip(g["aspect"], g["ok"]))
        if set(ok) != {round(a, 2) for a in search.placements}:
            continue                    # not every placement stored: nothing to replay
        tried, rounds, verdict = _replay(search, ok)
        assert verdict == full.vote(sum(ok.values()), len(ok)), g
        n, attempts, early_attempts = n + 1, attempts + len(ok), early_attempts + tried
        splits += rounds > 1
    print(f"# {', '.join(args.results)}: {n} densities with every placement stored "
          f"({search.criterion}, {search.needed} of {len(search.placements)})")
    print("| vote | attempts | densities needing a second round |")
    print("|---|---|---|")
    print(f"| every placement | {attempts} | 0 |")
    print(f"| decide_early | {early_attempts} ({1 - early_attempts / max(attempts, 1):.0%} "
          f"fewer) | {splits} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
