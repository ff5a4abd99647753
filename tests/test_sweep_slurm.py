"""A two-block sweep through a real one-node Slurm (scripts/slurm-up), against the local
run of the same attempts (the session's tiny sweep): the nodes ran as Slurm jobs, and the
rows are the local ones."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas.testing
import pytest
import yaml

from roma_pd.results import ResultStore, load
from tests.conftest import REPO, TINY_SWEEP

pytestmark = [pytest.mark.eda, pytest.mark.slurm]

JOBCOMP = Path("/var/log/slurm/jobcomp.log")     # scripts/slurm-up's jobcomp/filetxt log
# the tiny sweep's two smallest blocks, the 32x8 StdROM and its compute block: four to six
# of its attempts (as their votes need), with the same keys (a key depends on neither the scheduler nor the sweep's
# name)
SPEC = {**TINY_SWEEP, "name": "two", "variants": ["rom"]}
SAME = ["key", "block", "density", "aspect_ratio", "status", "verdict", "cells",
        "core_area", "die_area", "unrouted_nets", "opens", "shorts", "drc_violations",
        "segment_completion"]


@pytest.fixture(scope="module")
def slurm():
    if os.geteuid() != 0 and shutil.which("sudo") is None:
        pytest.skip("scripts/slurm-up needs root or sudo to install and start Slurm")
    if shutil.which("apt-get") is None and shutil.which("slurmctld") is None:
        pytest.skip("no Slurm and no apt-get to install Debian's slurmctld/slurmd/munge")
    up = subprocess.run([str(REPO / "scripts" / "slurm-up")], capture_output=True,
                        text=True, timeout=600)
    assert up.returncode == 0, up.stderr      # CI must run it: a failure is a failure


def _sweep(tmp, scheduler):
    spec = tmp / f"{scheduler['name']}.yaml"
    spec.write_text(yaml.safe_dump({**SPEC, "scheduler": scheduler}))
    build = tmp / f"build_{scheduler['name']}"
    r = subprocess.run([sys.executable, "-m", "roma_pd", "sweep", str(spec), "--build",
                        str(build), "--results", str(tmp / f"{scheduler['name']}.jsonl")],
                       capture_output=True, text=True, timeout=1200, cwd=tmp)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    return ResultStore(build / "sweeps" / "two" / "results.db", readonly=True).frame("two")


def test_sweep_through_slurm_matches_local(slurm, swept, tmp_path):
    before = JOBCOMP.read_text().splitlines() if JOBCOMP.exists() else []
    on_slurm = _sweep(tmp_path, {"name": "slurm", "queue": "debug"})
    jobs = JOBCOMP.read_text().splitlines()[len(before):]
    local = load(swept[1], expand=False)
    local = local[local["block"].isin(["stdrom_32x8", "compute_32x8"])]
    # the same attempts: two or three placements per block, as the local votes needed
    assert set(on_slurm["key"]) == set(local["key"]) and 4 <= len(on_slurm) <= 6
    assert set(on_slurm["block"]) == {"stdrom_32x8", "compute_32x8"}
    # every node of every attempt ran as a Slurm job named <jobhash>_<step>_<index>,
    # in partition debug, and completed
    names = [f.split("=", 1)[1] for line in jobs for f in line.split()
             if f.startswith("Name=")]
    assert all("Partition=debug" in line and "JobState=COMPLETED" in line for line in jobs)
    # one job per attempt and step (a round's attempts take indexes 0..n-1 again, and
    # every round's jobs have their own job hash)
    for step in ("synth", "place", "route", "export", "drc", "metrics", "sta"):
        ran = [n for n in names if n.rsplit("_", 2)[1] == step]
        assert len(ran) == len(set(ran)) == len(on_slurm), (step, names)
    # the same attempts (keys do not depend on the scheduler) with the same results
    a = on_slurm[SAME].sort_values("key").reset_index(drop=True)
    b = local[SAME].sort_values("key").reset_index(drop=True)
    pandas.testing.assert_frame_equal(a, b)
