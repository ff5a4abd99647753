import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Tests start tools in temporary folders: a relative PDK root must not depend on the cwd.
if os.environ.get("ROMA_PDK_ROOT"):
    os.environ["ROMA_PDK_ROOT"] = str(Path(os.environ["ROMA_PDK_ROOT"]).resolve())


@pytest.fixture(scope="session", autouse=True)
def _tool_homes(tmp_path_factory):
    # KLayout and matplotlib write under $HOME; keep the tests' writes in tmp.
    home = tmp_path_factory.mktemp("home")
    os.environ.setdefault("MPLCONFIGDIR", str(home / "mpl"))
    os.environ.setdefault("KLAYOUT_HOME", str(home / "klayout"))


_NO_PDK = "needs the PDK: set ROMA_PDK_ROOT to the folder holding lambdapdk/ (../shared/pdk)"


def pytest_runtest_setup(item):
    # Without the PDK the pure-logic tests still run (a fast unit run); the ones that
    # need it skip, saying why. CI and the README always set ROMA_PDK_ROOT.
    if item.get_closest_marker("pdk") and not os.environ.get("ROMA_PDK_ROOT"):
        pytest.skip(_NO_PDK)


@pytest.fixture(scope="session")
def pdk():
    from roma_pd.pdk import load_pdk
    if not os.environ.get("ROMA_PDK_ROOT"):
        pytest.skip(_NO_PDK)
    return load_pdk()


@pytest.fixture(scope="session")
def tech(pdk):
    return pdk.tech


@pytest.fixture(scope="session")
def tiny_tile(tmp_path_factory, pdk):
    """A tiny standard-ROM tile run once for the session through ``roma-pd run``: a 32 x 8
    StdROM block and a 4-lane compute block (about 75 s). Its exit code, its standard
    output and its job folder."""
    import contextlib
    import io

    import yaml

    from roma_pd.cli import main
    tmp = tmp_path_factory.mktemp("tiny_tile")
    cfg = tmp / "t.yaml"
    cfg.write_text(yaml.safe_dump({"name": "t", "generator": "tile", "density": 0.5,
                                   "params": {"variant": "rom", "depth": 32, "width": 8,
                                              "mant_bits": 11}}))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["run", str(cfg), "--build", str(tmp / "b")])
    return code, out.getvalue(), tmp / "b" / "t" / "job0"


# The tiny sweep's blocks (designs/sweeps/tiny.yaml: 32x8 StdROM, B-ROM and their compute
# block) at its first density only, 0.4: six to nine attempts, two or three placements
# each (a spec's fewest, three, decided early: the third only on a split). The compute block's attempts (3.5 to 7 min each with Katana's repair
# rounds) are most of its time; its second density, 0.5, doubled it and added nothing
# the tests check.
TINY_SWEEP = {"name": "tiny", "variants": ["rom", "brom"], "depths": [32], "widths": [8],
              "weight_bits": 2, "mant_bits": 11,
              "search": {"low": 0.4, "high": 0.45, "resolution": 0.1, "confirm": False,
                         "criterion": "near_clean", "placements": [0.98, 1.0, 1.02]}}


def cli_process(*args, **kw):
    """``python -m roma_pd ARGS`` started in its own process group, output piped."""
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-m", "roma_pd", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, **kw)


@pytest.fixture(scope="session")
def swept(tmp_path_factory, pdk):
    """The tiny sweep, killed after its first stored attempt and resumed, then reported,
    once for the session (the sweep and Slurm tests read it): its spec, its database, the
    rows stored when it was killed, the resumed run's output and the report folder."""
    import signal
    import sqlite3
    import subprocess
    import time

    import yaml
    tmp = tmp_path_factory.mktemp("sweep")
    spec = tmp / "tiny.yaml"
    spec.write_text(yaml.safe_dump(TINY_SWEEP))
    build = tmp / "build"
    db = build / "sweeps" / "tiny" / "results.db"
    export = tmp / "results.jsonl"
    proc = cli_process("sweep", str(spec), "--build", str(build), "--results", str(export))
    # a round's first block took 393 s on 2 cores shared with other flows (300 s was
    # too short: the sweep then ran to its end unkilled and the resume had nothing to do)
    deadline = time.time() + 1200
    rows = 0
    while time.time() < deadline and proc.poll() is None:   # kill after the first round
        time.sleep(0.5)
        if db.is_file():
            with sqlite3.connect(db) as conn:
                rows = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
            if rows:
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.wait()
    resumed = cli_process("sweep", str(spec), "--build", str(build), "--results", str(export))
    # 600 s ran out on a shared machine (load 7 on 2 cores) while the resume ran
    # round 1's other 8 placements; the resumed sweep was left running
    try:
        out, _ = resumed.communicate(timeout=3600)
    except subprocess.TimeoutExpired:
        os.killpg(resumed.pid, signal.SIGKILL)
        raise
    assert resumed.returncode == 0, out
    report = tmp / "report"
    rep = cli_process("report", str(spec), "--build", str(build), "-o", str(report))
    rep_out, _ = rep.communicate(timeout=120)
    assert rep.returncode == 0, rep_out
    return spec, db, rows, out, report
