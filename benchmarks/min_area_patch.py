#!/usr/bin/env python3
"""Minimum-area patches on final layouts: DRC before and after, islands patched, time.

    ROMA_PDK_ROOT=../shared/pdk scripts/in-env python benchmarks/min_area_patch.py \\
        build/residue/roma_tile/*/export/*/outputs/*.gds

Each GDS is a flow's final layout (the top cell is named after the file). The export
step patches new runs already; this re-checks layouts from before the patch, or after a
change to the patch, without routing again.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import klayout.db as kdb

from roma_pd.metrics import run_drc
from roma_pd.pdk import load_pdk
from roma_pd.tools._min_area import patch_min_area


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("gds", nargs="+")
    args = p.parse_args(argv)
    missing = [g for g in args.gds if not Path(g).is_file()]
    if missing:
        p.error(f"no such layout: {missing[0]}")
    tech = load_pdk().tech
    print("| layout | DRC before | DRC after | patched / found | s | left after |")
    print("|---|---|---|---|---|---|")
    for gds in args.gds:
        top = Path(gds).stem
        layout = kdb.Layout()
        layout.read(gds)
        before = run_drc(layout, tech, top)
        t0 = time.time()
        patches = patch_min_area(layout, tech, top)
        dt = time.time() - t0
        after = run_drc(layout, tech, top)
        left = ", ".join(f"{k} {v}" for k, v in after.rules.items() if v) or "clean"
        print(f"| {top} | {before.total} | {after.total} | "
              f"{sum(patches.patched.values())} / {sum(patches.found.values())} | "
              f"{dt:.1f} | {left} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
