"""Benchmark a sweep: wall time, attempts, and the parallel speedup of SiliconCompiler's
local scheduler.

    python benchmarks/sweep_bench.py designs/sweeps/default.yaml --build /tmp/bench \\
        [--budget-min 120]

Runs ``roma-pd sweep`` in a fresh build folder (stopping it after ``--budget-min`` if
given: a rerun with the same folder resumes). Then it reads the results database: the
speedup is the sum of every attempt's task times (what one core would have taken, each
task declaring one thread) over the wall time. Widths run narrowest first, so the table
says which widths finished. ``--report-only`` takes as the wall time the time during
which some stored attempt was running (the union of their intervals: the gaps between
resumed runs do not count). With unfinished blocks it prints a
projection of the time left, labelled as an estimate.
"""
from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roma_pd.results import load  # noqa: E402
from roma_pd.sweep import block_minima, current_rows, load_sweep, pending_blocks, \
    plan_blocks, sweep_cost, sweep_dir  # noqa: E402


def _projection(spec, attempts, pending: set[str], speedup: float | None) -> list[str]:
    """Estimate, not a measurement: the task time the unfinished blocks still need.
    Attempt time is fitted as a power law of cell count over the stored attempts; a block
    not yet tried gets the cells of its role and depth at the widest tried width, scaled
    by width (its ROM columns and L-Unit lanes grow with width); each needs the mean
    attempts of a finished block, less those it has made."""
    timed = attempts.dropna(subset=["cells", "m_time_total"])
    timed = timed[(timed["cells"] > 0) & (timed["m_time_total"] > 0)]
    finished = attempts[~attempts["block"].isin(pending)]
    if len(timed) < 3 or timed["cells"].nunique() < 2 or finished.empty:
        return ["projection: too few finished attempts to fit"]
    slope, icept = np.polyfit(np.log(timed["cells"]), np.log(timed["m_time_total"]), 1)
    per_block = finished.groupby("block").size().mean()
    cells = timed.groupby("block")["cells"].median()
    blocks = plan_blocks(spec)
    lines, total = [], 0.0
    for width in sorted(spec.widths):
        task = 0.0
        for b in blocks:
            if b.width != width or b.name not in pending:
                continue
            if b.name in cells.index:
                n = cells[b.name]
            else:
                seen = [o for o in blocks if o.role == b.role
                        and o.depth == b.depth and o.name in cells.index]
                if not seen:
                    continue
                ref = max(seen, key=lambda o: o.width)
                n = cells[ref.name] * b.width / ref.width
            done = int((attempts["block"] == b.name).sum())
            task += max(1.0, per_block - done) * float(np.exp(icept) * n ** slope)
        if task:
            lines.append(f"| {width} | {task / 60:.0f} | "
                         + (f"{task / speedup / 60:.0f} |" if speedup else "- |"))
        total += task
    head = [f"projection (estimate, not measured): attempt time ~ cells^{slope:.2f} over "
            f"{len(timed)} attempts, {per_block:.1f} attempts per finished block",
            "", "| width | task time left (min) | wall at the measured speedup (min) |",
            "|---|---|---|"]
    tail = [f"\nleft in all: {total / 3600:.1f} h of task time"
            + (f", {total / speedup / 3600:.1f} h wall" if speedup else "")]
    return head + lines + tail


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("spec")
    ap.add_argument("--build", required=True, help="build folder (fresh for a clean run)")
    ap.add_argument("--budget-min", type=float, help="stop the sweep after this long")
    ap.add_argument("--report-only", action="store_true",
                    help="do not run; report the database in --build (wall time unknown)")
    args = ap.parse_args(argv)
    spec = load_sweep(args.spec)
    wall = None
    if not args.report_only:
        start = time.time()
        proc = subprocess.Popen([sys.executable, "-m", "roma_pd", "sweep", args.spec,
                                 "--build", args.build], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            proc.wait(timeout=args.budget_min * 60 if args.budget_min else None)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
        wall = time.time() - start
    db = sweep_dir(Path(args.build), spec) / "results.db"
    df = current_rows(load(db, spec.name, expand=False), spec)
    pending = {b.name for b, *_ in pending_blocks(df, spec)}
    attempts = load(db, spec.name)
    attempts = attempts[attempts["key"].isin(df["key"])]
    cost = sweep_cost(df, spec, block_minima(df, spec))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"command: python benchmarks/sweep_bench.py {args.spec} --build {args.build}"
          + (f" --budget-min {args.budget_min:g}" if args.budget_min else ""))
    print("\n| width | blocks | finished | attempts | task time (min) |")
    print("|---|---|---|---|---|")
    for r in cost.per_width.itertuples():
        print(f"| {r.width} | {r.blocks} | {r.finished} | {r.attempts} | {r.task_time_min:.1f} |")
    print(f"\nattempts: {len(df)}; sum of task times: {cost.task_min:.1f} min")
    if wall:
        speedup = cost.task_min * 60 / wall
        print(f"wall: {wall / 60:.1f} min; speedup (task time / wall): {speedup:.2f}x"
              + ("" if not pending else f"; stopped with {len(pending)} blocks unfinished"))
    else:
        # resumed runs: the wall is the time some attempt was running, so the gaps
        # between sessions do not count
        speedup = cost.speedup
        if speedup:
            print(f"time with an attempt running: {cost.busy_min:.1f} min (the span of the "
                  f"stored attempts without the gaps between runs); task time / that: "
                  f"{speedup:.2f}x")
    if pending:
        print("\n" + "\n".join(_projection(spec, attempts, pending, speedup)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
