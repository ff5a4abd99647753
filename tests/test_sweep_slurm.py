"""A two-block sweep through a real one-node Slurm (scripts/slurm-up), against a local
run of the same spec: the nodes ran as Slurm jobs, and the rows are the local ones."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from roma_pd.results import ResultStore, load
from tests.conftest import REPO

pytestmark = [pytest.mark.eda, pytest.mark.slurm]

JOBCOMP = Path("/var/log/slurm/jobcomp.log")     # scripts/slurm-up's jobcomp/filetxt log
# the two smallest blocks: the 32x8 StdROM and its compute block, at one density
SPEC = {"name": "two", "variants": ["rom"], "depths": [32], "widths": [8],
        "weight_bits": 2, "mant_bits": 11,
        "search": {"low": 0.45, "high": 0.5, "resolution": 0.1, "confirm": False,
                   "criterion": "near_clean", "placements": [0.98, 1.0, 1.02]}}
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


def test_sweep_through_slurm_matches_local(slurm, pdk, tmp_path):
    before = JOBCOMP.read_text().splitlines() if JOBCOMP.exists() else []
    on_slurm = _sweep(tmp_path, {"name": "slurm", "queue": "debug"})
    jobs = JOBCOMP.read_text().splitlines()[len(before):]
    # the local run: the committed tiny sweep's rows of these keys (its stdrom and compute
    # blocks are these; keys do not depend on the scheduler or the sweep's name), or,
    # once a code change has moved the keys, the same spec run here without Slurm
    committed = load(REPO / "reports" / "tiny" / "results.jsonl", "tiny", expand=False)
    local = committed[committed["key"].isin(on_slurm["key"])]
    if len(local) != len(on_slurm):
        local = _sweep(tmp_path, {"name": "local"})
    assert len(on_slurm) >= 6 and set(on_slurm["block"]) == {"stdrom_32x8", "compute_32x8"}
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
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(a, b)
