"""Gate-level simulation of a synthesized netlist: Yosys builds a flat Verilog model from
the liberty cells' functions, Icarus Verilog runs it cycle by cycle."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .._proc import run_tool
from ._stats import _stdout_to

SIM_TIMEOUT_S = 600.0    # per tool call; the gate-level tests take seconds

__all__ = ["gate_model", "simulate_cycles"]


def gate_model(netlist: Path, top: str, pdk, out: Path) -> Path:
    """A flat behavioural Verilog model of ``netlist``, its cells taken from the liberty
    ``function`` and ``ff`` descriptions."""
    from pyosys import libyosys as ys
    out = Path(out)
    design = ys.Design()
    with _stdout_to(out.with_suffix(".log")):
        for lib in pdk.liberty_files:
            ys.run_pass(f"read_liberty -ignore_miss_func {lib}", design)
        for cmd in (f"read_verilog {netlist}", f"hierarchy -check -top {top}", "flatten",
                    "opt_clean", f"write_verilog -noattr {out}"):
            ys.run_pass(cmd, design)
    return out


def _testbench(top: str, inputs, outputs, cycles: int) -> str:
    width = sum(w for _, w in inputs)
    lines = [
        "`timescale 1ns/1ps",
        "module tb;",
        "  reg clk = 0;",
        *[f"  reg [{w - 1}:0] {n};" for n, w in inputs],
        *[f"  wire [{w - 1}:0] {n};" for n, w in outputs],
        f"  reg [{width - 1}:0] stim [0:{cycles - 1}];",
        "  integer c, f;",
        f"  {top} dut (.clk(clk), " + ", ".join(f".{n}({n})" for n, _ in inputs + outputs)
        + ");",
        "  initial begin",
        '    $readmemh("stim.hex", stim);',
        '    f = $fopen("out.txt", "w");',
        f"    for (c = 0; c < {cycles}; c = c + 1) begin",
        "      {" + ", ".join(n for n, _ in inputs) + "} = stim[c];",
        "      #1 clk = 1;",
        "      #1 $fdisplay(f, \"" + " ".join("%h" for _ in outputs) + "\", "
        + ", ".join(n for n, _ in outputs) + ");",
        "      #1 clk = 0;",
        "    end",
        "    $fclose(f);",
        "    $finish;",
        "  end",
        "endmodule",
    ]
    return "\n".join(lines) + "\n"


def simulate_cycles(model: Path, top: str, inputs: list[tuple[str, int]],
                    outputs: list[tuple[str, int]], vectors: list[dict],
                    workdir: Path, timeout_s: float = SIM_TIMEOUT_S) -> list[dict]:
    """Apply ``vectors[c]`` (input name -> int) before clock edge ``c`` and return the
    outputs just after it, one dict per cycle.

    Raises
    ------
    RomaError
        ``iverilog`` or ``vvp`` ran past ``timeout_s`` seconds (each call).
    """
    for tool in ("iverilog", "vvp"):
        if shutil.which(tool) is None:
            raise FileNotFoundError(f"tool Icarus Verilog ({tool}) is not installed; "
                                    "install it with: apt-get install iverilog")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / "stim.hex", "w") as f:
        for vec in vectors:
            word = 0
            for name, w in inputs:
                word = (word << w) | (int(vec.get(name, 0)) & ((1 << w) - 1))
            f.write(f"{word:x}\n")
    (workdir / "tb.v").write_text(_testbench(top, inputs, outputs, len(vectors)))
    for cmd in (["iverilog", "-g2012", "-o", "sim.vvp", "tb.v", str(Path(model).resolve())],
                ["vvp", "-n", "sim.vvp"]):
        proc = run_tool(cmd, cmd[0], timeout_s, hint="timeout_s of simulate_cycles",
                        cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True)
        if proc.returncode:
            raise RuntimeError(f"{cmd[0]} failed in {workdir}: {proc.stderr.strip()[:500]}")
    rows = []
    for line in (workdir / "out.txt").read_text().split("\n"):
        if line.strip():
            vals = line.split()
            rows.append({n: int(v, 16) if "x" not in v.lower() else None
                         for (n, _), v in zip(outputs, vals)})
    return rows
