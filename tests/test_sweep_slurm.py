"""A two-block sweep through a real one-node Slurm (scripts/slurm-up), against the local
run of the same attempts (the session's tiny sweep): the nodes ran as Slurm jobs, and the
rows are the local ones."""
import os
import shutil
import subprocess
import sys
import time
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


def _as_root(args):
    return args if os.geteuid() == 0 else ["sudo", *args]


def _gone(name, timeout=30):
    for _ in range(timeout):
        if subprocess.run(["pgrep", "-x", name], capture_output=True).returncode != 0:
            return True
        time.sleep(1)
    return False


def test_slurm_up_forgets_the_jobs_of_an_earlier_life(slurm):
    """A machine image saved while a job ran (CI's machine at stop 25): the job's processes
    are gone, but the controller's saved state still has it running. slurm-up must bring
    the node back idle, not wait for a job that will never end."""
    job = subprocess.run(["sbatch", "--parsable", "--partition", "debug", "--job-name",
                          "earlier-life", "--output", "/dev/null",
                          "--wrap", "sleep 987"],
                         capture_output=True, text=True, check=True).stdout.strip()
    for _ in range(30):
        state = subprocess.run(["squeue", "--noheader", "--jobs", job, "--format", "%T"],
                               capture_output=True, text=True).stdout.strip()
        if state == "RUNNING":
            break
        time.sleep(1)
    assert state == "RUNNING"
    # the controller saves its state with the job running and stops; then the machine
    # "powers off": slurmd, the job's step daemon and the job die without a word
    subprocess.run(_as_root(["scontrol", "shutdown", "slurmctld"]), check=True)
    assert _gone("slurmctld")
    for pattern in (["-x", "slurmd"], ["-x", "slurmstepd"], ["-f", "sleep 987"]):
        subprocess.run(_as_root(["pkill", "-KILL", *pattern]))
    assert _gone("slurmd") and _gone("slurmstepd")
    up = subprocess.run([str(REPO / "scripts" / "slurm-up")], capture_output=True,
                        text=True, timeout=600)
    assert up.returncode == 0, up.stderr
    left = subprocess.run(["squeue", "--noheader", "--format", "%i"], capture_output=True,
                          text=True).stdout.split()
    assert job not in left
