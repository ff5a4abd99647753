#!/usr/bin/env python3
"""Residue benchmark: unrouted nets of a fixed set of blocks and densities, each over
several placements (aspect-ratio perturbations), for one or more flow settings files.

    ROMA_PDK_ROOT=../shared/pdk scripts/in-env python benchmarks/residue_bench.py \
        [--blocks mac5k stdrom256 ...] [--flows roma_tile path/to/other.yaml] \
        [--placements 0.9 1.0 1.1] [--build build/residue]

Katana is chaotic (one placement's residue can move by half on a change that moves no
wire), so every point is routed at each aspect ratio and reported as min / median / max
with the per-placement counts. All placements of one (block, flow) run side by side in
one SiliconCompiler job. Prints a Markdown table; ``--csv`` also writes the rows.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from roma_pd.flow import load_config, run_blocks
from roma_pd.pdk import load_pdk

ROM = {"weight_bits": 2, "content": {"source": "random", "seed": 1}}
# name -> (generator, params, density): the blocks the routing issue names.
BLOCKS = {
    "mac5k": ("mac", {"lanes": 12, "acc_width": 24}, 0.60),
    "mac20k": ("mac", {"lanes": 50, "acc_width": 24}, 0.60),
    "stdrom256": ("stdrom", {"depth": 256, "width": 32, **ROM}, 0.70),
    "brom256": ("brom", {"depth": 256, "width": 32, **ROM}, 0.70),
    "stdrom512": ("stdrom", {"depth": 512, "width": 32, **ROM}, 0.40),
    "compute64": ("compute", {"depth": 64, "width": 32, "weight_bits": 2,
                              "mant_bits": 16}, 0.50),
    "compute512": ("compute", {"depth": 512, "width": 32, "weight_bits": 2,
                               "mant_bits": 16}, 0.65),
    "compute512x64": ("compute", {"depth": 512, "width": 64, "weight_bits": 2,
                                  "mant_bits": 16}, 0.50),
    # the default sweep's width-64 ROM blocks (its params: structural)
    "stdrom512x64": ("stdrom", {"depth": 512, "width": 64, "structural": True, **ROM}, 0.30),
    "brom512x64": ("brom", {"depth": 512, "width": 64, "structural": True, **ROM}, 0.30),
    # the default sweep's smaller width-64 ROM blocks
    "stdrom64x64": ("stdrom", {"depth": 64, "width": 64, "structural": True, **ROM}, 0.55),
    "brom64x64": ("brom", {"depth": 64, "width": 64, "structural": True, **ROM}, 0.55),
    "stdrom128x64": ("stdrom", {"depth": 128, "width": 64, "structural": True, **ROM}, 0.55),
    "brom128x64": ("brom", {"depth": 128, "width": 64, "structural": True, **ROM}, 0.55),
    # the default sweep's width-32 fused tiles (B-ROM + compute in one block)
    "fused256": ("tile", {"variant": "fused", "depth": 256, "width": 32, "mant_bits": 16,
                          **ROM}, 0.40),
    "fused512": ("tile", {"variant": "fused", "depth": 512, "width": 32, "mant_bits": 16,
                          **ROM}, 0.40),
}


def _tag(value: float) -> str:
    return f"{round(value * 1000):04d}"


def run_point(pdk, block: str, flow: str, density: float, placements: list[float],
              build: Path, timeout_s: int) -> list[dict]:
    gen, params, _ = BLOCKS[block]
    flow_tag = Path(flow).stem
    configs = [load_config({"name": f"{block}_d{_tag(density)}_a{_tag(a)}",
                            "generator": gen, "params": params, "density": density,
                            "aspect_ratio": a, "flow": flow, "timeout_s": timeout_s})
               for a in placements]
    t0 = time.time()
    results = run_blocks(configs, pdk, build, f"{block}_{_tag(density)}", flow_tag)
    wall = time.time() - t0
    rows = []
    for a, r in zip(placements, results):
        row = r.row
        rows.append({"block": block, "flow": flow_tag, "density": density,
                     "aspect_ratio": a, "cells": row.get("cells"), "status": r.status,
                     "unrouted_nets": row.get("unrouted_nets"),
                     "unrouted_nets_initial": row.get("unrouted_nets_initial"),
                     "repair_rounds": row.get("repair_rounds"),
                     "drc_violations": row.get("drc_violations"),
                     "time_route": row.get("time_route"), "wall_s": wall,
                     "message": r.message})
    return rows


def _spread(values) -> str:
    vals = [v for v in values if v is not None]
    if not vals:
        return "-"
    return f"{min(vals)} / {statistics.median(vals):g} / {max(vals)}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--blocks", nargs="+", choices=list(BLOCKS), default=["mac5k"])
    p.add_argument("--densities", nargs="+", type=float,
                   help="override each block's density")
    p.add_argument("--flows", nargs="+", default=["roma_tile"],
                   help="flow settings: names under flows/ or .yaml paths")
    p.add_argument("--placements", nargs="+", type=float, default=[0.9, 1.0, 1.1])
    p.add_argument("--build", default="build/residue")
    p.add_argument("--timeout-s", type=int, default=3600)
    p.add_argument("--csv")
    args = p.parse_args(argv)
    pdk = load_pdk()
    print(f"# {platform.node()} {platform.machine()} {os.cpu_count()} cores, python "
          f"{platform.python_version()}, placements (aspect ratios) {args.placements}")
    print("| block | cells | density | flow | unrouted nets per placement | min / median /"
          " max | before repair | DRC | route s (max) | wall s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    all_rows = []
    for block in args.blocks:
        for density in args.densities or [BLOCKS[block][2]]:
            for flow in args.flows:
                rows = run_point(pdk, block, flow, density, args.placements,
                                 Path(args.build), args.timeout_s)
                all_rows += rows
                nets = [r["unrouted_nets"] for r in rows]
                init = [r["unrouted_nets_initial"] for r in rows]
                times = [r["time_route"] for r in rows if r["time_route"] is not None]
                print(f"| {block} | {rows[0]['cells']} | {density:.2f} | {rows[0]['flow']} "
                      f"| {', '.join('-' if n is None else str(n) for n in nets)} "
                      f"| {_spread(nets)} | {_spread(init)} "
                      f"| {', '.join(str(r['drc_violations']) for r in rows)} "
                      f"| {max(times) if times else float('nan'):.0f} "
                      f"| {rows[0]['wall_s']:.0f} |", flush=True)
                for r in rows:
                    if r["status"] == "failed":
                        print(f"#   a={r['aspect_ratio']}: {r['message']}", flush=True)
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(all_rows[0]))
            w.writeheader()
            w.writerows(all_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
