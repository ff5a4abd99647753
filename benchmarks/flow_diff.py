#!/usr/bin/env python3
"""Two flows on the same placements: a before/after table of routing verdicts from two
sweep exports (an archived one and the current one, say). Katana is deterministic for a
given placement, so a placement (block, density, aspect ratio) stored by both flows is a
paired sample of the change.

    scripts/in-env python benchmarks/flow_diff.py \\
        reports/default/archive/2026-12-04-repair3.jsonl reports/default/results.jsonl

Prints one Markdown row per shared placement: verdict, kept unrouted nets and shorts
before and after, and the unrouted nets per repair round of the second flow; then the
passing placements of each flow and the verdicts that changed.
"""
from __future__ import annotations

import argparse

import pandas as pd

from roma_pd.results import load
from roma_pd.sweep import passes

KEY = ["block", "d", "aspect"]


def _placements(path: str, criterion: str) -> pd.DataFrame:
    """The newest non-error result of each placement of an export, indexed by KEY."""
    df = load(path)
    df = df[df["verdict"] != "error"].sort_values("finished", kind="stable")
    df = df.assign(d=df["density"].round(6), aspect=df["aspect_ratio"].round(2),
                   ok=[passes(v, criterion) for v in df["verdict"]])
    return df.drop_duplicates(KEY, keep="last").set_index(KEY)


def _rounds(row) -> str:
    """Unrouted nets per repair round, as the route step recorded them."""
    counts = [row.get(f"m_unrouted_nets_round{k}") for k in range(16)]
    return " ".join(str(int(c)) for c in counts if c is not None and pd.notna(c))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", help="JSON-lines export of the first flow")
    ap.add_argument("after", help="JSON-lines export of the second flow")
    ap.add_argument("--criterion", default="near_clean", choices=["clean", "near_clean"])
    args = ap.parse_args()
    a = _placements(args.before, args.criterion)
    b = _placements(args.after, args.criterion)
    shared = a.index.intersection(b.index).sort_values()
    if shared.empty:
        print("no placement is stored by both exports")
        return 1
    print("| block | density | aspect | before | unrouted / shorts | after | "
          "unrouted / shorts | rounds (after) |")
    print("|---|---|---|---|---|---|---|---|")
    for key in shared:
        x, y = a.loc[key], b.loc[key]
        print(f"| {key[0]} | {key[1]:.2f} | {key[2]:.2f} | {x['verdict']} | "
              f"{x['unrouted_nets']} / {x['shorts']} | {y['verdict']} | "
              f"{y['unrouted_nets']} / {y['shorts']} | {_rounds(y)} |")
    ok_a, ok_b = a.loc[shared, "ok"], b.loc[shared, "ok"]
    print(f"\n{len(shared)} shared placements; passing ({args.criterion}): "
          f"{int(ok_a.sum())} before, {int(ok_b.sum())} after; "
          f"{int((~ok_a & ok_b).sum())} fail -> pass, {int((ok_a & ~ok_b).sum())} pass -> fail")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
