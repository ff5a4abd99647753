"""The bad-input catalogue: what a new user gets wrong, and what roma-pd must answer.

Every case runs the ``roma-pd`` command (in-process, or as ``python -m roma_pd``) and
asserts its exit code, a one-line error naming the field, file or tool, no traceback,
and an unchanged file tree. Only the signal cases run real tools (``eda``).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from roma_pd.cli import main
from tests.conftest import REPO

PDK = os.environ.get("ROMA_PDK_ROOT", "")
MAC = {"name": "m", "generator": "mac", "params": {"a_width": 2, "b_width": 2,
                                                    "acc_width": 4}}
SWEEP = {"name": "s", "variants": ["rom"], "depths": [32], "widths": [8]}


# -- how a case is set up and judged -----------------------------------------------
def _yaml(tmp, name, data):
    path = tmp / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return str(path)


def _tile(**over):
    return lambda tmp: ["run", _yaml(tmp, "t.yaml", {**MAC, **over}), "--build",
                        str(tmp / "b")]


def _tile_text(text):
    return lambda tmp: ["run", _yaml(tmp, "t.yaml", text), "--build", str(tmp / "b")]


def _rom_npy(array_or_bytes):
    def setup(tmp):
        npy = tmp / "w.npy"
        if array_or_bytes is None:
            pass                    # the file named in the config does not exist
        elif isinstance(array_or_bytes, str):
            with open(npy, "wb") as f:      # an archive under an .npy name
                np.savez(f, w=np.zeros((16, 4), np.int8))
        elif isinstance(array_or_bytes, bytes):
            npy.write_bytes(array_or_bytes)
        else:
            np.save(npy, array_or_bytes)
        cfg = {"name": "r", "generator": "stdrom",
               "params": {"depth": 16, "width": 8, "content": {"source": str(npy)}}}
        return ["run", _yaml(tmp, "t.yaml", cfg), "--build", str(tmp / "b")]
    return setup


def _sweep(**over):
    return lambda tmp: ["sweep", _yaml(tmp, "sw.yaml", {**SWEEP, **over}), "--build",
                        str(tmp / "b")]


def _chip(over=None, results=True):
    def setup(tmp):
        spec = _yaml(tmp, "sw.yaml", SWEEP)
        if results:
            (tmp / "b" / "sweeps" / "s").mkdir(parents=True)
            (tmp / "b" / "sweeps" / "s" / "results.db").write_bytes(b"")
        return ["chip", "--sweep", spec, "--config", _yaml(tmp, "c.yaml", over or {}),
                "--build", str(tmp / "b"), "-o", str(tmp / "out")]
    return setup


def _run_folder(tmp, metrics='{"jobdir": "%s", "index": "0", "design": "m"}'):
    """A finished job as ``render`` and ``metrics`` see it: its metrics JSON and GDS."""
    job = tmp / "b" / "m" / "job0"
    (job / "export" / "0" / "outputs").mkdir(parents=True)
    (job / "export" / "0" / "outputs" / "m.gds").write_bytes(b"\0")
    (job / "roma_metrics.json").write_text(metrics.replace("%s", str(job))
                                           if "%s" in metrics else metrics)
    return str(job)


def _env(var, value):
    """Set an environment variable (a callable gets the tmp folder) for the case."""
    def apply(tmp, monkeypatch):
        monkeypatch.setenv(var, value(tmp) if callable(value) else value)
    return apply


def _binary(path):
    path.write_bytes(bytes(range(128, 256)))
    return str(path)


def _empty_dir(tmp):
    (tmp / "empty").mkdir()
    return str(tmp / "empty")


def _pdk_with(relpath, content: bytes):
    """A symlinked copy of the PDK with one file replaced."""
    def make(tmp):
        root = tmp / "pdk"
        shutil.copytree(PDK, root, symlinks=True,
                        copy_function=lambda s, d: os.symlink(os.path.realpath(s), d))
        target = root / relpath
        target.unlink()
        target.write_bytes(content)
        return str(root)
    return make


def _no_sta(tmp, monkeypatch):
    (tmp / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp / "bin"))


def _no_wrappers(tmp, monkeypatch):
    # roma-pd finds roma-pd-yosys and the other wrappers beside its Python
    (tmp / "venv").mkdir()
    monkeypatch.setattr(sys, "executable", str(tmp / "venv" / "python"))


def _read_only_build(tmp):
    ro = tmp / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        (ro / "probe").write_text("")       # root writes anyway: use a read-only fs
        (ro / "probe").unlink()
        build = "/sys/roma-pd-build"
    except OSError:
        build = str(ro / "b")
    return ["run", _yaml(tmp, "t.yaml", MAC), "--build", build]


def _tree(root: Path) -> dict:
    out = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        out[str(p.relative_to(root))] = (p.is_dir(), st.st_size, st.st_mtime_ns)
    return out


# -- the catalogue -------------------------------------------------------------------
# (id, setup(tmp) -> argv, exit code, message pattern after "roma-pd[ cmd]: error: ",
#  environment(tmp, monkeypatch) or None)
CASES = [
    # tile configs
    ("tile-unknown-key", _tile(densty=0.5), 2,
     r".*t\.yaml: densty: unknown key; allowed keys are name, generator, .*", None),
    ("tile-unknown-generator", _tile(generator="rom"), 2,
     r".*t\.yaml: generator: must be one of \['brom', .*\], not 'rom'", None),
    ("tile-density-range", _tile(density=1.5), 2,
     r".*t\.yaml: density: Input should be less than or equal to 1, not 1\.5", None),
    ("tile-density-and-area", _tile(density=0.5, core_area=20), 2,
     r".*t\.yaml: give density or core_area, not both", None),
    ("tile-top-layer", _tile(top_layer="M10"), 2,
     r".*t\.yaml: top_layer: must be a routing metal M2\.\.M9, not 'M10'", None),
    ("tile-name-identifier", _tile(name="my-tile"), 2,
     r".*t\.yaml: name: must be an identifier, not 'my-tile'", None),
    ("tile-name-300-chars", _tile(name="a" * 300), 2,
     r".*t\.yaml: name: must be at most 64 characters \(it names folders and files\), "
     r"not 300 characters", None),
    ("tile-unknown-param", _tile(params={"width": 8}), 2,
     r".*t\.yaml: params\.width: generator 'mac' takes \['a_width', 'b_width', "
     r"'acc_width', 'lanes'\], not 'width'", None),
    ("tile-timeout-zero", _tile(timeout_s=0), 2,
     r".*t\.yaml: timeout_s: Input should be greater than 0, not 0", None),
    ("tile-flow-missing", _tile(flow="nope"), 2,
     r"flow: settings file '.*nope\.yaml' not found; use a name under flows/ or a path "
     r"to a \.yaml file", None),
    ("tile-rom-depth-not-power-of-two",
     _tile(generator="stdrom", params={"depth": 100, "width": 8}), 2,
     r".*t\.yaml: params: depth must be a power of two of at least 4, not 100", None),
    ("tile-rom-too-large",
     _tile(generator="stdrom", params={"depth": 1048576, "width": 32}), 2,
     r".*t\.yaml: params: depth x width must be at most 131072 ROM bits \(512 x 256: "
     r"about 80K cells, .*\), not 1048576 x 32 = 33554432", None),
    ("tile-mac-too-large", _tile(params={"lanes": 1000}), 2,
     r".*t\.yaml: params: a_width x b_width x lanes must be at most 8192 partial-product "
     r"bits .*, not 8 x 8 x 1000 = 64000", None),
    ("tile-content-distribution",
     _tile(generator="stdrom", params={"depth": 16, "width": 8,
                                       "content": {"distribution": [0.5, 0.6]}}), 2,
     r".*t\.yaml: params: distribution must be 4 non-negative probabilities summing .*",
     None),
    ("tile-yaml-syntax", _tile_text("name: [m\n"), 2, r".*t\.yaml: line 2: not valid YAML",
     None),
    ("tile-yaml-list", _tile_text("- a\n- b\n"), 2,
     r".*t\.yaml: must be a mapping of keys to values", None),
    # content files
    ("npy-missing", _rom_npy(None), 2,
     r".*t\.yaml: params: .*w\.npy: no such \.npy file", None),
    ("npy-shape", _rom_npy(np.zeros((16, 3), np.int8)), 2,
     r".*t\.yaml: params: .*w\.npy: shape must be \(16, 4\) or \(64,\) for depth 16 x "
     r"width 8, not \(16, 3\)", None),
    ("npy-dtype", _rom_npy(np.zeros((16, 4))), 2,
     r".*t\.yaml: params: .*w\.npy: dtype must be an integer type, not float64", None),
    ("npy-range", _rom_npy(np.full((16, 4), 4)), 2,
     r".*t\.yaml: params: .*w\.npy: values must be in \[0, 3\] for UInt2, not \[4, 4\]",
     None),
    ("npy-npz-archive", _rom_npy("npz"), 2,
     r".*t\.yaml: params: .*w\.npy: must be one \.npy array, not an \.npz archive", None),
    ("npy-not-npy", _rom_npy(b"PK\x03\x04 not an array"), 2,
     r".*t\.yaml: params: .*w\.npy: not a readable \.npy array .*", None),
    # sweep specs
    ("sweep-no-variants", _sweep(variants=[]), 2,
     r".*sw\.yaml: variants: List should have at least 1 item after validation, not 0",
     None),
    ("sweep-no-depths", _sweep(depths=[]), 2,
     r".*sw\.yaml: depths: List should have at least 1 item after validation, not 0", None),
    ("sweep-unknown-variant", _sweep(variants=["dram"]), 2,
     r".*sw\.yaml: variants\.0: Input should be 'sram', 'rom', 'brom' or 'fused', "
     r"not 'dram'", None),
    ("sweep-two-placements", _sweep(search={"placements": [0.9, 1.1]}), 2,
     r".*sw\.yaml: search\.placements: must be at least 3 aspect ratios, not \[0\.9, 1\.1\]",
     None),
    ("sweep-pass-rate", _sweep(search={"pass_rate": 0}), 2,
     r".*sw\.yaml: search\.pass_rate: must be a share in \(0, 1\], not 0\.0", None),
    ("sweep-bracket", _sweep(search={"low": 0.8, "high": 0.7}), 2,
     r".*sw\.yaml: search: search\.low must be below search\.high \(0\.7\), not 0\.8", None),
    ("sweep-name-long", _sweep(name="s" * 100), 2,
     r".*sw\.yaml: name: must be at most 64 characters .*", None),
    # chip configs
    ("chip-unknown-key", _chip({"clock_ghz": 1}), 2,
     r".*c\.yaml: clock_ghz: unknown key; allowed keys are name, clock_mhz, .*", None),
    ("chip-rom-size", _chip({"rom_gb": -1}), 2,
     r".*c\.yaml: rom_gb: Input should be greater than 0, not -1", None),
    ("chip-workload-model", _chip({"workload": {"model": "Llama3.2-3B"},
                                   "models": [{"name": "Llama3-8B", "weight_bits": 2}]}), 2,
     r".*c\.yaml: workload\.model must be one of the configured models \['Llama3-8B'\], "
     r"not 'Llama3\.2-3B'", None),
    ("chip-no-results", _chip(results=False), 2,
     r".*results\.db: no stored results for sweep 's' and no export "
     r"reports/s/results\.jsonl; run it first with: roma-pd sweep .*sw\.yaml", None),
    # file system
    ("config-is-a-folder", lambda tmp: ["run", _empty_dir(tmp)], 2,
     r".*empty: is a folder, not a config file; give the path of a YAML file", None),
    ("config-binary", lambda tmp: ["run", _binary(tmp / "t.yaml")], 2,
     r".*t\.yaml: not a text file \(binary content\); give a YAML config file", None),
    ("config-missing", lambda tmp: ["run", str(tmp / "nope.yaml")], 2,
     r".*nope\.yaml: no such config file", None),
    ("sweep-spec-folder", lambda tmp: ["sweep", _empty_dir(tmp)], 2,
     r".*empty: is a folder, not a sweep file; give the path of a YAML file", None),
    ("build-is-a-file", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                     _yaml(tmp, "f", "x")], 2,
     r"--build .*f: is a file, not a folder; give a folder", None),
    ("build-under-a-file", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                        _yaml(tmp, "f", "x") + "/b"], 2,
     r"--build .*f/b: .*f is a file, not a folder; give a folder", None),
    ("build-read-only", _read_only_build, 2,
     r"--build .*: cannot write in .* \(.*\); give a writable folder", None),
    ("sweep-build-is-a-file", lambda tmp: ["sweep", _yaml(tmp, "sw.yaml", SWEEP),
                                           "--build", _yaml(tmp, "f", "x")], 2,
     r"--build .*f: is a file, not a folder; give a folder", None),
    ("render-output-folder-missing", lambda tmp: ["render", _run_folder(tmp), "-o",
                                                  str(tmp / "nope" / "x.png")], 2,
     r"-o .*nope/x\.png: folder .*nope does not exist; create it first", None),
    ("render-size-zero", lambda tmp: ["render", _run_folder(tmp), "--size", "0"], 2,
     r"argument --size: must be 16\.\.16384 pixels, not 0 \(see roma-pd render --help\)",
     None),
    ("render-corrupt-metrics", lambda tmp: ["render", _run_folder(tmp, "{not json")], 2,
     r".*roma_metrics\.json: not a valid metrics file \(JSONDecodeError\); rerun the job "
     r"to rewrite it", None),
    ("metrics-corrupt-json", lambda tmp: ["metrics", _run_folder(tmp, "\x00\x01")], 2,
     r".*roma_metrics\.json: not a valid metrics file \(JSONDecodeError\); rerun the job "
     r"to rewrite it", None),
    ("metrics-json-not-object", lambda tmp: ["metrics", _run_folder(tmp, "[1, 2]")], 2,
     r".*roma_metrics\.json: not a valid metrics file \(not a JSON object\); .*", None),
    ("metrics-not-a-run", lambda tmp: ["metrics", _empty_dir(tmp)], 2,
     r".*empty holds no roma_metrics\.json; is it a roma-pd run folder\?", None),
    ("heartbeat-negative", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--heartbeat",
                                        "-1"], 2,
     r"argument --heartbeat: must be seconds >= 0, not '-1' \(see roma-pd run --help\)",
     None),
    # environment
    ("pdk-root-missing", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                      str(tmp / "b")], 2,
     r"ROMA_PDK_ROOT='.*nowhere' does not hold lambdapdk/asap7/base/apr/asap7_tech\.lef; "
     r"set it to the folder that contains lambdapdk/ .*",
     _env("ROMA_PDK_ROOT", lambda tmp: str(tmp / "nowhere"))),
    ("pdk-root-empty", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                    str(tmp / "b")], 2,
     r"ROMA_PDK_ROOT='.*empty' does not hold lambdapdk/asap7/base/apr/asap7_tech\.lef; .*",
     _env("ROMA_PDK_ROOT", _empty_dir)),
    ("pdk-empty-tech-lef", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                        str(tmp / "b")], 2,
     r"tech LEF .*asap7_tech\.lef: cannot be read \(.*no routing layers or CORE site "
     r"found; is this a tech LEF\?\); set ROMA_PDK_ROOT to a complete lambdapdk copy",
     _env("ROMA_PDK_ROOT", _pdk_with("lambdapdk/asap7/base/apr/asap7_tech.lef", b""))),
    ("pdk-liberty-unreadable", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                            str(tmp / "b")], 2,
     r"liberty .*asap7sc7p5t_AO_RVT_TT_nldm\.lib\.gz: cannot be read \(BadGzipFile\); "
     r"set ROMA_PDK_ROOT to a complete lambdapdk copy",
     _env("ROMA_PDK_ROOT", _pdk_with(
         "lambdapdk/asap7/libs/asap7sc7p5t_rvt/nldm/asap7sc7p5t_AO_RVT_TT_nldm.lib.gz",
         b"not gzip at all"))),
    ("sta-not-on-path", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                     str(tmp / "b")], 2,
     r"tool OpenSTA \(sta\) is not installed; install it with: apt-get install opensta",
     _no_sta),
    ("yosys-wrapper-missing", lambda tmp: ["run", _yaml(tmp, "t.yaml", MAC), "--build",
                                           str(tmp / "b")], 2,
     r"tool wrapper roma-pd-yosys is missing from .*venv; reinstall roma-pd with: pip "
     r"install -e \.", _no_wrappers),
]


def _check(code, out, err, expected_code, pattern, before, after):
    assert code == expected_code, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert re.fullmatch(r"roma-pd( [\w-]+)?: error: " + pattern, lines[0]), lines[0]
    assert "Traceback" not in out + err
    assert after == before, "files were left behind"


# Cases whose message comes after the PDK is loaded: they need ROMA_PDK_ROOT.
_NEEDS_PDK = {"tile-flow-missing", "sweep-build-is-a-file", "pdk-empty-tech-lef",
              "pdk-liberty-unreadable", "sta-not-on-path", "yosys-wrapper-missing"}


@pytest.mark.parametrize("setup, code, pattern, env",
                         [pytest.param(*c[1:], marks=[pytest.mark.pdk] if c[0] in _NEEDS_PDK
                                       else []) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, monkeypatch, capsys, setup, code, pattern, env):
    monkeypatch.chdir(tmp_path)         # default build/ and reports/ land here
    if env:
        env(tmp_path, monkeypatch)
    argv = setup(tmp_path)
    before = _tree(tmp_path)
    try:
        got = main(argv)
    except SystemExit as exc:           # argparse
        got = exc.code
    out, err = capsys.readouterr()
    _check(got, out, err, code, pattern, before, _tree(tmp_path))


# The real entry point: a handful of the cases as ``python -m roma_pd`` processes.
SUBPROCESS = ["config-is-a-folder", "build-is-a-file", "tile-rom-too-large",
              "render-size-zero", "sweep-no-variants"]


@pytest.mark.parametrize("case", SUBPROCESS)
def test_bad_input_process(tmp_path, case):
    _, setup, code, pattern, _ = next(c for c in CASES if c[0] == case)
    argv = setup(tmp_path)
    before = _tree(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "roma_pd", *argv], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    _check(proc.returncode, proc.stdout, proc.stderr, code, pattern, before,
           _tree(tmp_path))


# -- signals: a real run, stopped once it has reached synthesis ----------------------
def _processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is under ``folder`` (tool processes left over)."""
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(proc.joinpath("cwd").readlink()).startswith(str(folder)):
                    out.append(int(proc.name))
            except OSError:
                pass
    return out


@pytest.mark.eda
@pytest.mark.parametrize("signum, code, name", [(signal.SIGINT, 130, r"SIGINT \(Ctrl-C\)"),
                                                (signal.SIGTERM, 143, "SIGTERM")],
                         ids=["SIGINT", "SIGTERM"])
def test_signal_during_run(tmp_path, pdk, signum, code, name):
    import json
    cfg = _yaml(tmp_path, "t.yaml", {**MAC, "params": {"a_width": 4, "b_width": 4,
                                                       "acc_width": 8}})
    build = tmp_path / "b"
    proc = subprocess.Popen([sys.executable, "-m", "roma_pd", "run", cfg, "--build",
                             str(build)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    node = build / "m" / "job0" / "synth" / "0"
    deadline = time.monotonic() + 120
    while not (node / "sc_synth_0.log").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "never reached synth"
        time.sleep(0.05)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, (out[-2000:], err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    record = build / "m" / "job0" / "roma_metrics.json"
    assert re.fullmatch(rf"roma-pd: interrupted by {name}( during [\w/, ]+)?: job "
                        rf".*/m/job0 is partial; failed-run record: {re.escape(str(record))}",
                        lines[0]), lines[0]
    assert "Traceback" not in out + err
    row = json.loads(record.read_text())
    assert row["status"] == "failed" and row["message"].startswith(
        f"interrupted by {signal.Signals(signum).name}")
    time.sleep(1)
    assert _processes_in(tmp_path) == [], "tool processes outlived the run"
