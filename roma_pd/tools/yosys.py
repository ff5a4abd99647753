"""``roma-pd-yosys``: synthesis of an RTLIL or Verilog design to ASAP7 cells with pyosys."""
from __future__ import annotations

import sys
from pathlib import Path

from ._common import add_pdk_args, parser, pdk_from

__all__ = ["main", "script"]


def _version() -> str:
    from importlib.metadata import version
    return version("pyosys")


def script(pdk, source: Path, top: str, period_ps: float, netlist: Path, blif: Path,
           stat: Path) -> list[str]:
    """The Yosys passes, in order: generic synthesis, then mapping to the liberty cells."""
    libs = " ".join(f"-liberty {p}" for p in pdk.liberty_files)
    read = "read_rtlil" if source.suffix == ".il" else "read_verilog -sv"
    hi, lo = pdk.tie_cells
    return [
        *[f"read_liberty -lib {p}" for p in pdk.liberty_files],
        f"{read} {source}",
        f"hierarchy -check -top {top}",
        f"synth -top {top} -flatten",
        f"dfflibmap {libs}",
        f"abc -D {period_ps:g} {libs}",
        "opt_clean -purge",
        f"hilomap -singleton -hicell {hi} H -locell {lo} L",
        "setundef -zero",
        "splitnets",            # not -ports: it renames the ports
        "opt_clean -purge",
        f"tee -o {stat} stat -json {libs}",
        "check -assert",
        f"write_blif -gates {blif}",
        f"write_verilog -noattr -noexpr {netlist}",
    ]


def main(argv=None) -> int:
    p = parser("roma-pd-yosys", _version())
    add_pdk_args(p)
    p.add_argument("--source", required=True)
    p.add_argument("--top", required=True)
    p.add_argument("--period-ps", type=float, required=True)
    p.add_argument("--netlist", required=True)
    p.add_argument("--blif", required=True)
    p.add_argument("--stat", required=True)
    args = p.parse_args(argv)
    pdk = pdk_from(args)
    passes = script(pdk, Path(args.source), args.top, args.period_ps, Path(args.netlist),
                    Path(args.blif), Path(args.stat))
    # A failing Yosys pass exit()s the process past Python's atexit, which would orphan
    # the manager process SiliconCompiler started for lambdapdk's objects: it lived on
    # (18 minutes, holding the log) after each synthesis error. Stop it while we can.
    from siliconcompiler.utils.multiprocessing import MPManager
    MPManager.stop()
    from pyosys import libyosys as ys
    design = ys.Design()
    for cmd in passes:
        print(f"roma-pd-yosys: {cmd.split()[0]}", flush=True)
        ys.run_pass(cmd, design)   # a failing pass exits the process non-zero
    # `stat -liberty` re-reads the liberty and its notes land in the tee'd file too.
    stat = Path(args.stat)
    text = stat.read_text()
    stat.write_text(text[text.index("{"):])
    return 0


if __name__ == "__main__":
    sys.exit(main())
