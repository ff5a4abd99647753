"""Tool processes end at their timeout with a one-line error naming the tool."""
import os
import sys
import time

import pytest

from roma_pd import RomaError
from roma_pd._proc import run_tool


def _fake(folder, name, body="sleep 30"):
    folder.mkdir(exist_ok=True)
    exe = folder / name
    exe.write_text(f"#!/bin/sh\n{body}\n")
    exe.chmod(0o755)
    return exe


def test_run_tool_timeout_kills_the_group(tmp_path):
    # the tool starts a child of its own; the timeout must end both
    exe = _fake(tmp_path / "bin", "slowtool", f"sleep 30 & echo $! > {tmp_path}/child\nwait")
    start = time.monotonic()
    with pytest.raises(RomaError, match=r"^tool slowtool timed out after 0\.5 s and was "
                                        r"stopped; raise timeout_s if it needs longer$"):
        run_tool([str(exe)], "slowtool", 0.5)
    assert time.monotonic() - start < 10
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    status = f"/proc/{child}/status"
    # gone, or a zombie waiting for init to reap it
    assert not os.path.exists(status) or "State:\tZ" in open(status).read()


def test_synthesize_timeout(tmp_path, monkeypatch, pdk):
    from roma_pd.rtl._stats import synthesize
    _fake(tmp_path / "bin", "roma-pd-yosys")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    with pytest.raises(RomaError, match=r"^tool roma-pd-yosys timed out after 1 s and was "
                                        r"stopped; raise timeout_s if it needs longer$"):
        synthesize("", "t", pdk, tmp_path / "w", timeout_s=1)


def test_synthesize_failure_quotes_yosys(tmp_path, monkeypatch, pdk):
    from roma_pd.rtl._stats import synthesize
    _fake(tmp_path / "bin", "roma-pd-yosys",
          "echo 'ERROR: Syntax error in liberty file on line 6455.'; exit 1")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    with pytest.raises(RomaError, match=r"^tool roma-pd-yosys: synthesis of t failed: "
                                        r"ERROR: Syntax error in liberty file on line 6455\. "
                                        r"\(log .*synth\.log\)$"):
        synthesize("", "t", pdk, tmp_path / "w")


def test_gate_simulation_timeout(tmp_path, monkeypatch):
    from roma_pd.rtl._gatesim import simulate_cycles
    bindir = tmp_path / "bin"
    _fake(bindir, "iverilog")
    _fake(bindir, "vvp")
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")
    with pytest.raises(RomaError, match=r"^tool iverilog timed out after 1 s and was "
                                        r"stopped; raise timeout_s of simulate_cycles if it "
                                        r"needs longer$"):
        simulate_cycles(tmp_path / "m.v", "t", [("a", 1)], [("y", 1)], [{"a": 0}],
                        tmp_path / "sim", timeout_s=1)
