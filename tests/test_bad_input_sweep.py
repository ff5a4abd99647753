"""Bad input and faults on the sweep side, as a user meets them through the CLI: job
names, a second sweep on one folder, damaged results databases for report, sweep and
chip, and attempts the infrastructure failed.

Each case checks the exit status, a one-line message naming the field, file or tool, no
traceback, and (for refusals) that nothing was written. No tool runs: the PDK and the
tool check are stubbed, and a flow is a fake where one is needed."""
import sqlite3
from pathlib import Path

import pytest
import yaml

from roma_pd.cli import main
from roma_pd.flow import _project
from roma_pd.results import ResultStore
from roma_pd.sweep import _runner
from tests.conftest import REPO
from tests.test_sweep_lock import hold_lock
from tests.test_sweep_runner import SPEC, _Flow


@pytest.fixture
def no_tools(monkeypatch):
    """The CLI without the PDK and the EDA tools: neither is reached by these cases."""
    from types import SimpleNamespace

    import roma_pd.pdk
    monkeypatch.setattr(roma_pd.pdk, "load_pdk",
                        lambda *a, **k: SimpleNamespace(root=None, tech=None,
                                                        time_unit_ns=0.001))
    monkeypatch.setattr("roma_pd.cli._main.check_tools", lambda: None)


@pytest.fixture
def world(tmp_path, no_tools, monkeypatch):
    """A sweep spec and a build folder; returns (tmp, spec, build, db). Runs in
    ``tmp_path``, so the sweep's export (reports/<sweep>/results.jsonl) lands there."""
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "fake.yaml"
    spec.write_text(yaml.safe_dump(SPEC.model_dump(mode="json")))
    build = tmp_path / "build"
    return tmp_path, spec, build, build / "sweeps" / SPEC.name / "results.db"


def _tree(root: Path):
    return sorted((str(p.relative_to(root)), p.is_dir(),
                   p.stat().st_size if p.is_file() else 0,
                   p.stat().st_mtime_ns if p.is_file() else 0) for p in root.rglob("*"))


def _one_line(capsys, *names):
    out, err = capsys.readouterr()
    text = out + err
    assert "Traceback" not in text, text
    assert out == "" and err.count("\n") == 1 and err.startswith("roma-pd: error: "), text
    for name in names:
        assert name in err, err
    return err


def _refused(capsys, root, argv, *names, status=2):
    before = _tree(root)
    assert main(argv) == status
    err = _one_line(capsys, *names)
    assert _tree(root) == before, "a refused command wrote something"
    return err


# -- job names -------------------------------------------------------------------------------

@pytest.mark.parametrize("job", ["", ".", "..", "../../x", "a/b", "job 0"])
def test_job_name_wrong(tmp_path, no_tools, capsys, job):
    build = tmp_path / "build"
    (build / "mac8" / "job0").mkdir(parents=True)       # another job: must survive
    (build / "mac8" / "job0" / "roma_metrics.json").write_text("{}")
    _refused(capsys, tmp_path, ["run", str(REPO / "designs" / "mac.yaml"), "--build",
                                str(build), "--job", job], "--job", repr(job))


# -- a second sweep on one folder --------------------------------------------------------------

def test_concurrent_sweep_wrong(world, capsys):
    tmp, spec, build, db = world
    proc = hold_lock(db.parent)
    try:
        _refused(capsys, tmp, ["sweep", str(spec), "--build", str(build)],
                 f"sweep {SPEC.name} is already running (pid {proc.pid})")
    finally:
        proc.kill()
        proc.wait()


# -- damaged results databases -----------------------------------------------------------------

def _good_db(path: Path, rows: int = 200) -> Path:
    store = ResultStore(path)
    for i in range(rows):
        store.add({"key": f"k{i}", "sweep": SPEC.name, "block": "b", "role": "brom",
                   "generator": "brom", "params": {}, "density": 0.5, "aspect_ratio": 1.0,
                   "status": "ok", "verdict": "clean", "metrics": {"pad": "x" * 400}})
    with sqlite3.connect(path) as conn:     # one file, no -wal beside it
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


def _garbage(db):
    db.write_bytes(b"this is not a database\n" * 50)


def _truncated(db):
    _good_db(db)
    data = db.read_bytes()
    db.write_bytes(data[:len(data) // 2])


def _empty(db):
    db.write_bytes(b"")


def _header_only(db):
    _good_db(db)
    db.write_bytes(db.read_bytes()[:100])


def _old_schema(db):
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE attempts (id INTEGER PRIMARY KEY, key TEXT, "
                     "density REAL)")


def _other_sqlite(db):
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")


def _directory(db):
    db.mkdir()


DAMAGE = {"garbage": (_garbage, "not a readable SQLite database"),
          "truncated": (_truncated, "SQLite database"),
          "empty": (_empty, "empty file, not a results database"),
          "header_only": (_header_only, "SQLite database"),
          "old_schema": (_old_schema, "results database of an older roma-pd"),
          "other_sqlite": (_other_sqlite, "SQLite database without an attempts table"),
          "directory": (_directory, "not a file")}


def _argv(command, spec, build, tmp):
    if command == "report":
        return ["report", str(spec), "--build", str(build), "-o", str(tmp / "report")]
    if command == "sweep":
        return ["sweep", str(spec), "--build", str(build)]
    return ["chip", "--sweep", str(spec), "--build", str(build), "-o", str(tmp / "chip"),
            "--config", str(REPO / "designs" / "chip" / "roma.yaml")]


@pytest.mark.parametrize("command", ["report", "sweep", "chip"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_results_db_wrong(world, capsys, monkeypatch, command, damage):
    tmp, spec, build, db = world
    monkeypatch.setattr(_runner, "run_blocks", _Flow())     # a sweep would run nothing
    db.parent.mkdir(parents=True)
    make, why = DAMAGE[damage]
    make(db)
    err = _refused(capsys, tmp, _argv(command, spec, build, tmp), str(db), why,
                   "move it aside", "rerun")
    assert not (tmp / "report").exists() and not (tmp / "chip").exists()
    assert err.rstrip().endswith("its attempts are not reused")


# -- attempts the infrastructure failed ----------------------------------------------------------

class _NoScheduler:
    """A project whose run dies before any node, as with ``scheduler: slurm`` where
    there is no Slurm: no manifest is written."""

    def __init__(self, *a, **k):
        pass

    def run(self):
        raise RuntimeError("Run failed: slurm is not available on this machine")

    def history(self, job):
        raise KeyError(job)

    def get(self, *key, **kw):
        return None


def test_no_scheduler_is_an_error_and_retried(world, capsys, monkeypatch):
    tmp, spec, build, db = world
    monkeypatch.setattr(_project, "build_project", _NoScheduler)
    assert main(["sweep", str(spec), "--build", str(build)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert err.count("\n") == 1 and err.startswith(
        f"roma-pd: sweep {SPEC.name}: 6 attempts errored (timeout, crash or scheduler;")
    assert "no manifest was written (Run failed: slurm is not available" in out
    rows = ResultStore(db, readonly=True).frame()
    assert len(rows) == 6 and set(rows["verdict"]) == {"error"}
    # with a scheduler back, the next run retries them and finishes
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    assert main(["sweep", str(spec), "--build", str(build)]) == 0
    assert len(flow.rounds[0]) == 6
    rows = ResultStore(db, readonly=True).frame()
    assert "error" not in set(rows["verdict"]) and rows["key"].is_unique


def test_timeout_is_an_error_and_retried(world, capsys, monkeypatch):
    tmp, spec, build, db = world
    timed_out = _Flow()

    def flow(configs, *a, on_block=None, **k):
        def one(i, result):
            result.error = result.row["error"] = "step route timed out after 1 s (timeout_s)"
            on_block(i, result)
        return timed_out(configs, *a, on_block=one, **k)

    monkeypatch.setattr(_runner, "run_blocks", flow)
    assert main(["sweep", str(spec), "--build", str(build)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and err.count("\n") == 1
    assert "6 attempts errored" in err and "step route timed out after 1 s (timeout_s)" in out
    monkeypatch.setattr(_runner, "run_blocks", _Flow())
    assert main(["sweep", str(spec), "--build", str(build)]) == 0
    assert "error" not in set(ResultStore(db, readonly=True).frame()["verdict"])


def test_slurm_without_srun_wrong(world, capsys, monkeypatch):
    tmp, _, build, db = world
    spec = tmp / "slurm.yaml"
    spec.write_text(yaml.safe_dump({**SPEC.model_dump(mode="json"),
                                    "scheduler": {"name": "slurm"}}))
    monkeypatch.setenv("PATH", str(tmp))        # no srun, no sinfo
    assert main(["sweep", str(spec), "--build", str(build)]) == 2
    out, err = capsys.readouterr()
    assert err == (f"roma-pd: error: {spec}: scheduler slurm needs srun and sinfo on "
                   "PATH, not found; install Slurm's client (Debian: slurm-client) "
                   "configured for your cluster, or scripts/slurm-up for a one-node Slurm "
                   "here, or set scheduler: {name: local}\n")
    assert not db.exists()


def test_slurm_with_another_python_wrong(world, capsys, monkeypatch):
    # srun is there, but the python3 the job script would run is not this environment's
    import sys
    tmp, _, build, db = world
    spec = tmp / "slurm.yaml"
    spec.write_text(yaml.safe_dump({**SPEC.model_dump(mode="json"),
                                    "scheduler": {"name": "slurm", "queue": "debug"}}))
    bin_ = tmp / "bin"
    bin_.mkdir()
    for tool, body in (("srun", "exit 0"), ("python3", "exit 1")):
        (bin_ / tool).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / tool).chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_))
    assert main(["sweep", str(spec), "--build", str(build)]) == 2
    assert capsys.readouterr().err == (
        f"roma-pd: error: {spec}: scheduler slurm runs each node with the python3 on PATH "
        f"({bin_ / 'python3'}), which cannot import siliconcompiler and roma_pd; put this "
        f"environment's {Path(sys.executable).parent} first on PATH (scripts/in-env "
        "does)\n")
    assert not db.exists()
