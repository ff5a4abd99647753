"""What synthesis made of a generated design: cell counts, the structural networks
(word-line drivers, CGen and column OR trees, read back by instance name) and
transistors, beside the analytic counts."""
from __future__ import annotations

import contextlib
import os
import re
import sys
from collections import Counter
from pathlib import Path

from ._rom import BLOCK, rom_analytics

__all__ = ["synthesize", "netlist_stats", "rtl_stats", "rom_pair_stats"]

# GateBuilder names: wl_<n> (word-line AND2), cg<block>_<value>_<n> (CGen),
# col<column>_<n> (column OR tree); yosys may append $<id>.
_ROLE = re.compile(r"^\\?(wl|cg\d+_\d+|col\d+)_\d+(\$\d+)?$")


SYNTH_TIMEOUT_S = 1800.0     # as a flow step's default timeout_s


def synthesize(rtlil: str, top: str, pdk, workdir: Path, period_ps: float = 2000.0,
               timeout_s: float = SYNTH_TIMEOUT_S) -> Path:
    """Synthesize RTLIL text with the flow's synthesis tool; returns the netlist.

    The log is ``<workdir>/synth.log``.

    Raises
    ------
    RomaError
        The tool failed (the message quotes its ``ERROR:`` line) or ran past
        ``timeout_s`` seconds.
    """
    import subprocess

    from .._errors import RomaError
    from .._proc import run_tool
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / f"{top}.il"
    src.write_text(rtlil)
    netlist = workdir / f"{top}.vg"
    with open(workdir / "synth.log", "w") as log:
        proc = run_tool(
            [str(Path(sys.executable).parent / "roma-pd-yosys"), "--top", top,
             "--source", str(src), "--period-ps", str(period_ps), "--netlist", str(netlist),
             "--blif", str(workdir / f"{top}.blif"), "--stat", str(workdir / "stat.json"),
             *(["--pdk-root", str(pdk.root)] if pdk.root else [])],
            "roma-pd-yosys", timeout_s, stdout=log, stderr=subprocess.STDOUT)
    if proc.returncode:
        errors = re.findall(r"^ERROR: .*$", (workdir / "synth.log").read_text(
            errors="replace"), re.M)
        raise RomaError(f"tool roma-pd-yosys: synthesis of {top} failed: "
                        f"{errors[-1] if errors else f'exit status {proc.returncode}'} "
                        f"(log {workdir / 'synth.log'})")
    return netlist


@contextlib.contextmanager
def _stdout_to(path: Path):
    """Send what libyosys prints (straight to fd 1, past Python) to a log file."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(path, "w") as log:
        os.dup2(log.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def netlist_stats(netlist: Path, pdk) -> dict:
    """Cells by type and by structural role, gate inputs per role, and transistors."""
    from pyosys import libyosys as ys

    from ..metrics import count_transistors
    netlist = Path(netlist)
    design = ys.Design()
    with _stdout_to(netlist.with_suffix(".readback.log")):
        for lib in pdk.liberty_files:
            ys.run_pass(f"read_liberty -lib {lib}", design)
        ys.run_pass(f"read_verilog {netlist}", design)
    by_type, gates, inputs = Counter(), Counter(), Counter()
    for cell in design.top_module().cells_.values():
        kind = cell.type.str().lstrip("\\")
        by_type[kind] += 1
        m = _ROLE.match(cell.name.str())
        if m:
            role = "wl" if m.group(1) == "wl" else m.group(1).rstrip("0123456789_")
            gates[role] += 1
            inputs[role] += sum(1 for p in cell.connections_ if p.str() != "\\Y")
    return {"cells": sum(by_type.values()), "by_type": dict(by_type),
            "word_line_drivers": gates["wl"],
            "cgen_gates": gates["cg"], "cgen_inputs": inputs["cg"],
            "column_gates": gates["col"], "column_inputs": inputs["col"],
            "transistors": count_transistors(by_type, pdk.cell_cdl)}


def rtl_stats(component, top: str, pdk, workdir: Path,
              timeout_s: float = SYNTH_TIMEOUT_S) -> dict:
    """Synthesize ``component`` and compare its OR networks with the analytic counts."""
    from amaranth.back import rtlil
    measured = netlist_stats(synthesize(rtlil.convert(component, name=top), top, pdk,
                                        workdir, timeout_s=timeout_s), pdk)
    out = {"measured": measured}
    if hasattr(component, "content"):
        style = component.cells.style if component.cells else "nornand"
        out["analytic"] = rom_analytics(component.depth, component.width, component.content,
                                        style)
        out["block"] = BLOCK
    return out


def rom_pair_stats(depth: int, width: int, weight_bits: int, content: dict | None, pdk,
                   workdir: Path, timeout_s: float = SYNTH_TIMEOUT_S) -> dict:
    """Synthesize StdROM and BROM over the same content; one row of counts and ratios."""
    from ._content import content_words
    from ._gates import Asap7Gates
    from ._rom import BROM, StdROM
    words = content_words(content, depth, width, weight_bits)
    std = rtl_stats(StdROM(depth, width, words, Asap7Gates()), "stdrom", pdk,
                    Path(workdir) / f"stdrom_{depth}x{width}", timeout_s)
    brom = rtl_stats(BROM(depth, width, words, Asap7Gates()), "brom", pdk,
                     Path(workdir) / f"brom_{depth}x{width}", timeout_s)
    a, s, b = std["analytic"], std["measured"], brom["measured"]
    return {
        "depth": depth, "width": width, "weight_bits": weight_bits,
        "ones_fraction": a["ones"] / (depth * width),
        "std_cells": s["cells"], "brom_cells": b["cells"],
        "std_or_inputs": s["column_inputs"], "brom_or_inputs": b["cgen_inputs"]
        + b["column_inputs"], "brom_cgen_inputs": b["cgen_inputs"],
        "std_or_inputs_analytic": a["std_or_inputs"],
        "brom_or_inputs_analytic": a["brom_or_inputs"],
        "brom_candidates": a["brom_candidates"],
        "std_transistors": s["transistors"], "brom_transistors": b["transistors"],
        "ratio_paper_crossings": a["paper_brom_crossings"] / max(1, a["paper_std_crossings"]),
        "ratio_or_inputs_analytic": a["brom_or_inputs"] / max(1, a["std_or_inputs"]),
        "ratio_transistors_measured": b["transistors"] / max(1, s["transistors"]),
        "ratio_cells_measured": b["cells"] / max(1, s["cells"]),
    }
