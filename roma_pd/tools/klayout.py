"""``roma-pd-klayout``: final GDS export, layout measurements and DRC with KLayout."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from ._common import add_pdk_args, parser, pdk_from, write_json

BLOCKAGE_DATATYPE = 4      # Coriolis' blockage layers (see _coriolis_tech)


def _version() -> str:
    import klayout.db as kdb
    return kdb.__version__


def export(args, pdk) -> int:
    """Real cell layouts under the routed top cell; abstract views and blockages out;
    routed islands under the minimum area patched."""
    import klayout.db as kdb
    from ._min_area import patch_min_area
    layout = kdb.Layout()
    layout.read(str(pdk.cell_gds))
    opt = kdb.LoadLayoutOptions()
    # Cells already read (the real ones) win over Coriolis' same-named abstract views.
    opt.cell_conflict_resolution = kdb.LoadLayoutOptions.CellConflictResolution.SkipNewCell
    layout.read(args.routed, opt)
    top = layout.cell(args.top)
    if top is None:
        raise SystemExit(f"roma-pd-klayout: error: {args.routed} has no cell {args.top!r}")
    for li in layout.layer_indexes():
        if layout.get_info(li).datatype == BLOCKAGE_DATATYPE:
            layout.clear_layer(li)
    used = set(top.called_cells()) | {top.cell_index()}
    layout.delete_cells([c.cell_index() for c in layout.each_cell()
                         if c.cell_index() not in used])
    missing = sorted(c.name for c in layout.each_cell()
                     if c.cell_index() != top.cell_index() and c.is_empty()
                     and not c.name.startswith(("FILLER", "TAP")))
    patches = patch_min_area(layout, pdk.tech, args.top)
    layout.write(args.out)
    write_json(args.report, {"top": args.top, "cells": len(used) - 1, **patches.to_json(),
                             "instances": top.child_instances(),
                             "empty_cells": missing,
                             "bbox_um": [top.dbbox().left, top.dbbox().bottom,
                                         top.dbbox().right, top.dbbox().top]})
    if missing:
        raise SystemExit(f"roma-pd-klayout: error: cells without layout in {pdk.cell_gds}: "
                         f"{missing[:5]}")
    return 0


def measure(args, pdk) -> int:
    """Per-layer wirelength, vias, track use, metal density, transistors, and LVS of the
    final GDS against the synthesized netlist (opens, shorts, mismatches)."""
    import klayout.db as kdb
    from .. import metrics as M
    tech = pdk.tech
    placement = json.loads(Path(args.placement).read_text())
    core_area = placement["core_area_um2"]     # computed once, by place
    fillers = set(pdk.filler_cells)
    cells = Counter(m for _, m, *_ in placement["instances"] if m not in fillers)

    wires = kdb.Layout()
    wires.read(args.wires)
    wl = M.wirelength_by_layer(wires, tech)
    vias = M.vias_by_cut(wires, tech)
    final = kdb.Layout()
    final.read(args.gds)
    area = M.metal_area_by_layer(final, tech)
    netlist = M.read_verilog_json(args.netlist, Path(args.report).parent / "lvs_yosys.log")
    schematic = M.schematic_from_yosys(netlist, args.top)
    try:
        lvs, db = M.run_lvs(final, tech, args.top, schematic, top_layer=args.top_layer)
    except ValueError as exc:
        raise SystemExit(f"roma-pd-klayout: error: {args.netlist}: {exc}") from None
    # The cross-reference for KLayout's netlist browser, and opens/shorts as markers.
    db.write(args.lvsdb)
    lvs.write_lyrdb(args.markers, original_file=str(Path(args.gds).resolve()))
    # Parasitics of the routed wires under the netlist's names, for OpenSTA.
    rc = M.net_parasitics(wires, tech)
    names = M.schematic_names(db, wires, tech)
    pins, ports = M.net_connections(schematic, args.top)
    spef_nets = {names[n]: v for n, v in rc.items() if n in names and names[n] in pins}
    M.write_spef(args.spef, args.top, spef_nets, pins, ports,
                 M.escaped_nets(netlist, args.top))
    layers = sorted({k for v in rc.values() for k in v.r_kohm})
    transistors = M.count_transistors(cells, pdk.cell_cdl)
    write_json(args.report, {
        "wirelength_um": wl, "vias": vias,
        "track_utilization": M.track_utilization(wl, tech, core_area),
        "metal_area_um2": area,
        "metal_density": M.metal_density(area, core_area),
        "transistors": transistors,
        "transistor_density_per_um2": transistors / core_area,
        **lvs.to_json(), "lvsdb": str(Path(args.lvsdb).resolve()),
        "lvs_markers": str(Path(args.markers).resolve()),
        "spef": str(Path(args.spef).resolve()), "spef_nets": len(spef_nets),
        "routed_nets": len(rc), "signal_nets": len(pins),
        "wire_r_kohm": {k: sum(v.r_kohm.get(k, 0.0) for v in rc.values()) for k in layers},
        "wire_c_ff": {k: sum(v.c_ff.get(k, 0.0) for v in rc.values()) for k in layers},
    })
    return 0


def drc(args, pdk) -> int:
    """The tech LEF rules on the final GDS: counts per rule and layer, and a marker
    database beside it."""
    import klayout.db as kdb
    from .. import metrics as M
    layout = kdb.Layout()
    layout.read(args.gds)
    if layout.cell(args.top) is None:
        raise SystemExit(f"roma-pd-klayout: error: {args.gds} has no cell {args.top!r}")
    result = M.run_drc(layout, pdk.tech, args.top)
    result.write_lyrdb(args.out, original_file=str(Path(args.gds).resolve()))
    write_json(args.report, {**result.to_json(), "markers": str(Path(args.out).resolve())})
    print(f"roma-pd-klayout: drc: {result.total} violations: " + (", ".join(
        f"{k} {v}" for k, v in result.rules.items() if v) or "clean"))
    return 0


def cli_parser():
    """The command line of ``roma-pd-klayout`` (what export, drc and metrics pass)."""
    p = parser("roma-pd-klayout", _version())
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("export")
    add_pdk_args(s)
    for a in ("--top", "--routed", "--out", "--report"):
        s.add_argument(a, required=True)
    s = sub.add_parser("measure")
    add_pdk_args(s)
    for a in ("--top", "--wires", "--gds", "--netlist", "--placement", "--lvsdb",
              "--markers", "--spef", "--report"):
        s.add_argument(a, required=True)
    s.add_argument("--top-layer", default="M7")
    s = sub.add_parser("drc")
    add_pdk_args(s)
    for a in ("--top", "--gds", "--out", "--report"):
        s.add_argument(a, required=True)
    return p


def main(argv=None) -> int:
    args = cli_parser().parse_args(argv)
    pdk = pdk_from(args)
    return {"export": export, "measure": measure, "drc": drc}[args.cmd](args, pdk)


if __name__ == "__main__":
    sys.exit(main())
