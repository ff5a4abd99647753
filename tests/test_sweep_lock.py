"""One sweep per sweep folder: the lock on sweep.lock (no tools)."""
import os
import re
import signal
import subprocess
import sys

import pytest

from roma_pd import RomaError
from roma_pd.sweep._lock import LOCK_FILE, sweep_lock

_HOLD = ("import sys, time; from pathlib import Path; from roma_pd.sweep._lock import "
         "sweep_lock\nwith sweep_lock(Path(sys.argv[1]), 'x'):\n    print('held', "
         "flush=True)\n    time.sleep(60)\n")


def hold_lock(folder):
    """Another process holding the sweep folder's lock; returns it once it holds it."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(folder)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_sweep_wrong(tmp_path):
    proc = hold_lock(tmp_path)
    try:
        before = (tmp_path / LOCK_FILE).read_text()
        with pytest.raises(RomaError, match=rf"^sweep tiny is already running \(pid "
                                            rf"{proc.pid}\); wait for it or stop it \(lock: "
                                            rf"{re.escape(str(tmp_path / LOCK_FILE))}\)$"):
            with sweep_lock(tmp_path, "tiny"):
                pass
        assert (tmp_path / LOCK_FILE).read_text() == before     # nothing written
    finally:
        proc.kill()
        proc.wait()


def test_killed_sweep_releases_its_lock(tmp_path):
    proc = hold_lock(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sweep_lock(tmp_path, "tiny"):          # the kernel released it with the process
        assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    with sweep_lock(tmp_path, "tiny"):          # and a finished sweep releases it too
        pass


def test_lock_held_for_the_block(tmp_path):
    with sweep_lock(tmp_path, "tiny"):
        probe = subprocess.run([sys.executable, "-c", _HOLD, str(tmp_path)],
                               capture_output=True, text=True, timeout=60)
        assert probe.returncode != 0
        assert f"sweep x is already running (pid {os.getpid()})" in probe.stderr


def test_lock_not_inherited_by_forked_children(tmp_path):
    """SiliconCompiler forks a manager process that outlives a killed sweep; an flock
    would live on in it and refuse every later sweep."""
    import psutil
    code = ("import sys, time; from pathlib import Path\n"
            "from siliconcompiler.scheduler import Scheduler\n"
            "from siliconcompiler.scheduler.listener import RunListener\n"
            "from roma_pd.sweep._lock import sweep_lock\n"
            "with sweep_lock(Path(sys.argv[1]), 'x'):\n"
            "    Scheduler.add_listener(RunListener())\n"
            "    print('held', flush=True)\n    time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    children = psutil.Process(proc.pid).children(recursive=True)
    try:
        assert children, "SiliconCompiler forked no manager here; the test is moot"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with sweep_lock(tmp_path, "tiny"):
            pass
    finally:
        for child in children:      # the manager the killed process left behind
            child.kill()
