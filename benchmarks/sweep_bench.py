"""Benchmark a sweep: wall time, attempts, and the parallel speedup of SiliconCompiler's
local scheduler.

    python benchmarks/sweep_bench.py designs/sweeps/default.yaml --build /tmp/bench \\
        [--budget-min 120]

Runs ``roma-pd sweep`` in a fresh build folder (stopping it after ``--budget-min`` if
given: a rerun with the same folder resumes). Then it reads the results database: the
speedup is the sum of every attempt's task times (what one core would have taken, each
task declaring one thread) over the wall time. Widths run narrowest first, so the table
says which widths finished.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roma_pd.results import load  # noqa: E402
from roma_pd.sweep import current_rows, load_sweep, next_density, plan_blocks, \
    sweep_dir  # noqa: E402


def _pending(spec, df) -> set[str]:
    """Blocks whose search has not ended."""
    out = set()
    for block in plan_blocks(spec):
        rows = df[df["block"] == block.name]
        ok = {round(d, 6): v == "clean" or (spec.search.criterion == "near_clean"
                                            and v == "near_clean")
              for d, v in zip(rows["density"], rows["verdict"])}
        if next_density(ok, spec.search) is not None:
            out.add(block.name)
    return out


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
    pending = _pending(spec, df)
    task_s = load(db, spec.name)["m_time_total"].fillna(0).sum()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"command: python benchmarks/sweep_bench.py {args.spec} --build {args.build}"
          + (f" --budget-min {args.budget_min:g}" if args.budget_min else ""))
    print("\n| width | blocks | finished | attempts | task time (min) |")
    print("|---|---|---|---|---|")
    for width in sorted(spec.widths):
        names = {b.name for b in plan_blocks(spec) if b.width == width}
        rows = load(db, spec.name)
        rows = rows[rows["block"].isin(names)]
        print(f"| {width} | {len(names)} | {len(names - pending)} | {len(rows)} | "
              f"{rows['m_time_total'].fillna(0).sum() / 60:.1f} |")
    print(f"\nattempts: {len(df)}; sum of task times: {task_s / 60:.1f} min")
    if wall:
        print(f"wall: {wall / 60:.1f} min; speedup (task time / wall): {task_s / wall:.2f}x"
              + ("" if not pending else f"; stopped with {len(pending)} blocks unfinished"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
