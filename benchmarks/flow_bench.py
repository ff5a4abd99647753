#!/usr/bin/env python3
"""Benchmark of the roma_tile flow: time of each step and peak memory, for multi-lane
MAC tiles of about 1K, 5K and 20K cells.

    ROMA_PDK_ROOT=../shared/pdk scripts/in-env python benchmarks/flow_bench.py [--sizes 1k 5k]

Prints one line per tile; peak memory is the largest resident set of any step's tool
process as SiliconCompiler measured it. Runs go to build/bench/.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from roma_pd.flow import STEPS, load_config, run_tile
from roma_pd.pdk import load_pdk

# lanes of an 8x8 MAC -> about this many cells after synthesis
SIZES = {"1k": 2, "5k": 12, "20k": 50}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    p.add_argument("--density", type=float, default=0.6)
    p.add_argument("--build", default="build/bench")
    args = p.parse_args(argv)
    pdk = load_pdk()
    print(f"# {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
          f"python {platform.python_version()}, density {args.density}")
    head = ["tile", "cells", "status"] + STEPS + ["total_s", "wall_s", "peak_MB"]
    print(" ".join(f"{h:>9}" for h in head))
    for size in args.sizes:
        cfg = load_config({"name": f"bench_{size}", "generator": "mac",
                           "params": {"lanes": SIZES[size], "acc_width": 24},
                           "density": args.density})
        t0 = time.time()
        result = run_tile(cfg, pdk, Path(args.build))
        wall = time.time() - t0
        row = result.row
        mem = [row.get(f"memory_{s}") or 0 for s in STEPS]
        cells = [size, str(row.get("cells")), result.status] + \
            [f"{row.get(f'time_{s}') or float('nan'):.2f}" for s in STEPS] + \
            [f"{row.get('time_total') or float('nan'):.1f}", f"{wall:.1f}",
             f"{max(mem) / 2**20:.0f}"]
        print(" ".join(f"{c:>9}" for c in cells), flush=True)
        if result.status != "ok":
            print(f"#   {result.message}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
