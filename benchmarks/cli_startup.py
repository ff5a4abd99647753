#!/usr/bin/env python3
"""Benchmark of the command line's start-up: the wall time of ``python -m roma_pd`` for
commands that stop on a missing input file, the path of every bad-input test. What it
costs is the imports before the input is read.

    scripts/in-env python benchmarks/cli_startup.py [--repeat 5]

Prints the median and the spread of each command over ``--repeat`` runs.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = [["sweep", "missing.yaml"], ["run", "missing.yaml"], ["report", "missing.yaml"],
            ["chip", "--config", "missing.yaml"], ["metrics", "missing"],
            ["render", "missing.gds"], ["--version"]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"# {platform.node()} {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as cwd:
        for command in COMMANDS:
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "roma_pd", *command], cwd=cwd,
                               capture_output=True)
                times.append(time.perf_counter() - t0)
            print(f"roma-pd {' '.join(command):28s} median {statistics.median(times):.2f} s "
                  f"(min {min(times):.2f}, max {max(times):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
