"""``roma-pd-yosys``: synthesis of an RTLIL or Verilog design to ASAP7 cells with pyosys."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..pdk import CellPolicy
from ._common import add_pdk_args, parser, pdk_from, read_settings

__all__ = ["main", "script"]


def _version() -> str:
    from importlib.metadata import version
    return version("pyosys")


def _read(sources: list[Path], include_dirs, defines) -> str:
    """One read command: an RTLIL file, or all Verilog files in one ``read_verilog`` so
    that defines and includes apply to each of them."""
    if sources[0].suffix == ".il":
        return f"read_rtlil {sources[0]}"
    flags = "".join(f" -I{d}" for d in include_dirs) + "".join(f" -D{d}" for d in defines)
    return f"read_verilog -sv{flags} " + " ".join(str(s) for s in sources)


def script(pdk, source: Path | list[Path], top: str, period_ps: float, netlist: Path,
           blif: Path, stat: Path, dont_use: tuple[str, ...] = (),
           include_dirs: tuple[str, ...] = (), defines: tuple[str, ...] = ()) -> list[str]:
    """The Yosys passes, in order: read the sources (RTLIL, or Verilog with
    ``include_dirs`` and ``defines``: NAME or NAME=value), generic synthesis, then mapping
    to the liberty cells (none of the ``dont_use`` patterns)."""
    libs = " ".join(f"-liberty {p}" for p in pdk.liberty_files)
    avoid = "".join(f" -dont_use {p}" for p in dont_use)
    sources = [Path(s) for s in (source if isinstance(source, list) else [source])]
    hi, lo = pdk.tie_cells
    return [
        *[f"read_liberty -lib {p}" for p in pdk.liberty_files],
        _read(sources, include_dirs, defines),
        f"hierarchy -check -top {top}",
        f"synth -top {top} -flatten",
        f"dfflibmap{avoid} {libs}",
        f"abc -D {period_ps:g}{avoid} {libs}",
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


def cli_parser():
    """The command line of ``roma-pd-yosys`` (what the synth task passes)."""
    p = parser("roma-pd-yosys", _version())
    add_pdk_args(p)
    p.add_argument("--source", required=True, action="append",
                   help="RTL file; repeat for several Verilog files")
    p.add_argument("--include-dir", action="append", default=[], help="`include folder")
    p.add_argument("--define", action="append", default=[], help="NAME or NAME=value")
    p.add_argument("--top", required=True)
    p.add_argument("--period-ps", type=float, required=True)
    p.add_argument("--netlist", required=True)
    p.add_argument("--blif", required=True)
    p.add_argument("--stat", required=True)
    p.add_argument("--settings", help="flow settings: synthesis.dont_use")
    return p


def main(argv=None) -> int:
    args = cli_parser().parse_args(argv)
    pdk = pdk_from(args)
    policy = CellPolicy()
    if args.settings:
        try:
            policy = CellPolicy.from_settings(read_settings(args.settings, "roma-pd-yosys"))
            policy.check(pdk.cell_names)
        except ValueError as exc:
            raise SystemExit(f"roma-pd-yosys: error: {args.settings}: {exc}") from None
    passes = script(pdk, [Path(s) for s in args.source], args.top, args.period_ps,
                    Path(args.netlist), Path(args.blif), Path(args.stat), policy.dont_use,
                    tuple(args.include_dir), tuple(args.define))
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
    # Cells the RTL instantiates itself (or hilomap's ties) bypass -dont_use: refuse them.
    used = json.loads(stat.read_text())["design"].get("num_cells_by_type", {})
    banned = sorted(c for c in used if not policy.allows(c))
    if banned:
        raise SystemExit(f"roma-pd-yosys: error: the netlist uses cells that "
                         f"synthesis.dont_use excludes: {', '.join(banned[:5])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
