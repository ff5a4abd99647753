"""``roma-pd-coriolis``: placement (Etesian) and routing (Katana) of one block.

``place`` sizes the core from a target density or an explicit area, puts the I/O pins
on the four edges, places the cells and saves a placement snapshot. ``route-once``
rebuilds the block from the same netlist and a snapshot, routes it, and writes the
routed GDS, the DEF, the net-annotated routing (OASIS) and the terminal probes for the
connectivity check. ``route`` runs ``route-once`` in rounds, repairing the placement
around the residue between them (``_repair``), and keeps the best round.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from pathlib import Path

from ._common import add_pdk_args, flush, parser, pdk_from, read_settings, write_json

VERSION = "2.5.4"


def _um(v) -> float:
    from coriolis.Hurricane import DbU
    return DbU.toPhysical(v, DbU.UnitPowerMicro)


def _load(pdk, args):
    from coriolis import CRL
    from . import _coriolis_tech
    settings = read_settings(args.settings, "roma-pd-coriolis")
    _coriolis_tech.setup(pdk, settings, args.top_layer,
                         [p for p in args.clock_ports.split(",") if p])
    # Coriolis reads <top>.blif from its working library, the current folder.
    work = Path(args.workdir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(args.blif, work / f"{args.top}.blif")
    os.chdir(work)
    cell = CRL.Blif.load(args.top)
    if cell is None or not list(cell.getInstances()):
        raise SystemExit(f"roma-pd-coriolis: error: {args.blif} holds no instances of "
                         f"{args.top}")
    return cell, settings


def _io_pins(pdk, settings, cell, width: float, height: float):
    """Put the external nets on the four edges, one per track, away from corners; the
    bits of a bus stay together on one edge, in order, in runs of at most
    ``pin_bus_run`` (``_pins.assign_sides``)."""
    from coriolis.helpers import u
    from coriolis.plugins.block.configuration import IoPin

    from ._pins import assign_sides
    routing = settings["routing"]
    h = pdk.tech.metal(routing["pin_layers"]["horizontal"])
    v = pdk.tech.metal(routing["pin_layers"]["vertical"])
    margin = routing["pin_corner_margin_tracks"]
    offset = routing["track_offset_um"]
    names = sorted(str(n.getName()) for n in cell.getNets()
                   if n.isExternal() and not n.isSupply())
    sides = [(IoPin.WEST, h, height), (IoPin.NORTH, v, width),
             (IoPin.EAST, h, height), (IoPin.SOUTH, v, width)]
    capacity = [int(length / layer.pitch) - 2 * margin for _, layer, length in sides]
    try:
        groups = assign_sides(names, capacity, routing["pin_bus_run"])
    except ValueError:
        raise SystemExit(f"roma-pd-coriolis: error: {len(names)} I/O pins do not fit "
                         f"on the core edges ({width:.2f} x {height:.2f} um); lower the "
                         "density or raise core_area") from None
    pins = []
    for (side, layer, length), group, tracks in zip(sides, groups, capacity):
        step = max(1, tracks // max(1, len(group)))
        for k, name in enumerate(group):
            pos = offset + (margin + k * step) * layer.pitch
            pins.append((side | IoPin.A_BEGIN, name, u(pos), 0, 1))
    return pins


def _block(cell, pins):
    from coriolis.plugins.block.block import Block
    from coriolis.plugins.block.configuration import BlockConf
    conf = BlockConf(cell, ioPins=pins)
    conf.useSpares = False
    conf.useClockTree = False
    block = Block(conf)
    block.setupAb()
    block.placeIoPins()
    block.checkIoPins()
    _inset_pins(block)
    return block


def _inset_pins(block):
    """Move every I/O pin one pin depth inside its edge (``_pins.inset``: a south pin on
    the edge can crash Katana)."""
    from coriolis.Hurricane import UpdateSession
    from coriolis.plugins.block.configuration import IoPin

    from ._pins import inset
    names = {IoPin.SOUTH: "south", IoPin.NORTH: "north", IoPin.WEST: "west",
             IoPin.EAST: "east"}
    UpdateSession.open()
    for flag, side in block.sides.items():
        name = names[flag & IoPin.SIDE_MASK]
        for pins in side.pins.values():
            for pin in pins:
                depth = pin.getHeight() if name in ("south", "north") else pin.getWidth()
                x, y = inset(name, pin.getX(), pin.getY(), depth)
                pin.setX(x)
                pin.setY(y)
    UpdateSession.close()


def _core_box(pdk, settings, args, cell_area: float):
    """(die width, die height, place-area box in um) from the density or area target."""
    tech = pdk.tech
    target = args.core_area if args.core_area else cell_area / args.density
    if target < cell_area:
        raise SystemExit(f"roma-pd-coriolis: error: core_area {target:.2f} um^2 is below the "
                         f"standard-cell area {cell_area:.2f} um^2")
    rows = max(1, round(math.sqrt(target * args.aspect_ratio) / tech.row_height))
    sites = max(1, math.ceil(target / (rows * tech.row_height) / tech.site_width))
    width, height = sites * tech.site_width, rows * tech.row_height
    halo = settings["routing"]["io_halo"]
    # Etesian wants the place area on an even row of the die (rails alternate).
    hx, hy = halo["sites"] * tech.site_width, 2 * math.ceil(halo["rows"] / 2) * tech.row_height
    return width + 2 * hx, height + 2 * hy, (hx, hy, hx + width, hy + height)


def place(args) -> int:
    from coriolis.CRL import AllianceFramework
    from coriolis.Hurricane import Box
    from coriolis.helpers import u
    pdk = pdk_from(args)
    t0 = time.time()
    cell, settings = _load(pdk, args)
    tech = pdk.tech
    insts = list(cell.getInstances())
    cell_area = sum(_um(i.getMasterCell().getAbutmentBox().getWidth())
                    * _um(i.getMasterCell().getAbutmentBox().getHeight()) for i in insts)
    die_w, die_h, area = _core_box(pdk, settings, args, cell_area)
    width, height = area[2] - area[0], area[3] - area[1]
    core_area = width * height   # the one computation: measure reads it from the snapshot
    cell.setAbutmentBox(Box(0, 0, u(die_w), u(die_h)))
    pins = _io_pins(pdk, settings, cell, die_w, die_h)
    block = _block(cell, pins)
    block.conf.placeArea = Box(*(u(v) for v in area))
    spread = _set_local_density(settings, cell_area / core_area)
    block.initEtesian()
    try:
        block.place()
    except Exception as exc:   # Coriolis raises its own HurricaneError
        raise SystemExit(f"roma-pd-coriolis: error: placement failed at {width:.3f} x "
                         f"{height:.3f} um ({cell_area / core_area:.1%} density): "
                         f"{str(exc).strip()}; lower the density or raise core_area")
    block.etesian.toHurricane()
    flush()
    af = AllianceFramework.get()
    masters = {i.getMasterCell() for i in cell.getInstances()}
    masters |= {af.getCell(f, 0) for f in pdk.filler_cells}
    snapshot = {
        "top": args.top,
        "ab": [u(0), u(0), u(die_w), u(die_h)],
        "core_um": [width, height],
        "core_area_um2": core_area,
        "die_um": [die_w, die_h],
        "place_area": [u(v) for v in area],
        "io_pins": [list(p) for p in pins],
        # master -> [width, height] (DbU): repair rounds move cells within rows
        "sizes": {str(m.getName()): [m.getAbutmentBox().getWidth(),
                                     m.getAbutmentBox().getHeight()] for m in masters},
        "fillers": sorted(pdk.filler_cells),
        "pads": {},
        "instances": [[str(i.getName()), str(i.getMasterCell().getName()),
                       i.getTransformation().getTx(), i.getTransformation().getTy(),
                       int(i.getTransformation().getOrientation())]
                      for i in cell.getInstances()],
    }
    write_json(Path(args.out), snapshot)
    fillers = set(pdk.filler_cells)
    write_json(Path(args.report), {
        "cells": len(insts),
        "stdcell_area_um2": cell_area,
        "core_width_um": width, "core_height_um": height, "core_area_um2": core_area,
        "die_width_um": die_w, "die_height_um": die_h, "die_area_um2": die_w * die_h,
        "rows": round(height / tech.row_height),
        "sites_per_row": round(width / tech.site_width),
        "utilization": cell_area / core_area,
        "fillers": sum(1 for i in cell.getInstances()
                       if str(i.getMasterCell().getName()) in fillers),
        "io_pins": len(pins),
        "density_variation": spread,
        "runtime_s": time.time() - t0,
    })
    return 0


def _set_local_density(settings, core_density: float) -> float:
    """Set Etesian's densityVariation for the flow's ``placement.local_density`` at this
    core's density; the value Etesian places with."""
    from coriolis import Cfg
    from coriolis.helpers.overlay import CfgCache

    from ._place_density import ETESIAN_DEFAULT, density_variation
    local = (settings.get("placement") or {}).get("local_density")
    if local is None:
        return settings["etesian"].get("densityVariation", ETESIAN_DEFAULT)
    value = density_variation(min(1.0, core_density), local)
    with CfgCache(priority=Cfg.Parameter.Priority.UserFile) as cfg:
        cfg.etesian.densityVariation = value
    print(f"roma-pd-coriolis: local density {local:g} at core density "
          f"{core_density:.3f}: Etesian densityVariation {value:.3f}", flush=True)
    return value


def _restore(cell, snapshot):
    from coriolis import CRL
    from coriolis.CRL import AllianceFramework
    from coriolis.Hurricane import Instance, Transformation
    from coriolis.helpers.overlay import UpdateSession
    af = AllianceFramework.get()
    with UpdateSession():
        for name, master, x, y, orient in snapshot["instances"]:
            inst = cell.getInstance(name)
            if inst is None:    # a filler Etesian added
                inst = Instance.create(cell, name, af.getCell(master, CRL.Catalog.State.Views))
            inst.setTransformation(Transformation(x, y, orient))
            inst.setPlacementStatus(Instance.PlacementStatus.PLACED)


def _routing_layout(pdk, cell, path: Path) -> None:
    """Write every signal wire and via as a KLayout shape carrying its net name."""
    import klayout.db as kdb
    from coriolis.Hurricane import Contact, Horizontal, Vertical
    from ._coriolis_tech import via_name
    tech = pdk.tech
    ly = kdb.Layout()
    ly.dbu = 1.0 / (tech.dbu_per_um * 4)
    top = ly.create_cell(str(cell.getName()))
    metal = {m.name: ly.layer(*m.gds) for m in tech.metals}
    cut = {via_name(c.below, c.above): ly.layer(*c.gds) for c in tech.cuts}
    for net in cell.getNets():
        if net.isSupply() or net.isBlockage():
            continue
        prop = ly.properties_id({"net": str(net.getName())})
        for comp in net.getComponents():
            if comp.getLayer() is None:
                continue
            layer = str(comp.getLayer().getName())
            if isinstance(comp, (Horizontal, Vertical)) and layer in metal:
                if isinstance(comp, Horizontal):
                    y = _um(comp.getY())
                    pts = [kdb.DPoint(_um(comp.getSourceX()), y),
                           kdb.DPoint(_um(comp.getTargetX()), y)]
                else:
                    x = _um(comp.getX())
                    pts = [kdb.DPoint(x, _um(comp.getSourceY())),
                           kdb.DPoint(x, _um(comp.getTargetY()))]
                w = _um(comp.getWidth())
                top.shapes(metal[layer]).insert(kdb.DPath(pts, w, w / 2, w / 2), prop)
            elif isinstance(comp, Contact) and layer in cut:
                bb = comp.getBoundingBox()
                c = pdk.tech.cuts[[via_name(c.below, c.above) for c in tech.cuts].index(layer)]
                cx, cy = _um(bb.getCenter().getX()), _um(bb.getCenter().getY())
                h = c.width / 2
                top.shapes(cut[layer]).insert(kdb.DBox(cx - h, cy - h, cx + h, cy + h), prop)
    ly.write(str(path))


def route_once(args) -> int:
    """Route the snapshot's placement once and write the routed views."""
    from coriolis import CRL
    from coriolis.Hurricane import Box
    pdk = pdk_from(args)
    t0 = time.time()
    snapshot = json.loads(Path(args.placement).read_text())
    cell, settings = _load(pdk, args)
    cell.setAbutmentBox(Box(*snapshot["ab"]))
    block = _block(cell, [tuple(p) for p in snapshot["io_pins"]])
    _restore(cell, snapshot)
    block.flattenNets()
    success = bool(block.route())
    block.addBlockages()
    block.expandIoPins()
    flush()
    out = Path(args.outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    top = args.top
    CRL.Gds.save(cell)
    CRL.DefExport.drive(cell, 0)
    shutil.move(f"{top}.gds", out / f"{top}.routed.gds")
    shutil.move(f"{top}_export.def", out / f"{top}.def")
    shutil.copy(args.placement, out / f"{top}.routed.json")
    _routing_layout(pdk, cell, out / f"{top}.wires.oas")
    write_json(Path(args.report), {"router_success": success,
                                   "runtime_s": time.time() - t0})
    print(f"roma-pd-coriolis: route {'complete' if success else 'INCOMPLETE'}")
    return 0


def _run_logged(cmd: list[str], log: Path, tag: str) -> int:
    """Run a round's tool process, keeping its log and echoing it behind ``tag``.

    The tag keeps Coriolis' own ``[ERROR]`` lines (printed after some incomplete routes)
    from reading as this step's errors: a round has failed only when its process
    exits non-zero, which this command reports itself.
    """
    import subprocess
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
        for line in proc.stdout:
            f.write(line)
            sys.stdout.write(f"{tag} | {line}")
        return proc.wait()


def route(args) -> int:
    """Route; while Katana leaves residue and repair rounds remain, pad and spread the
    cells around it (the rest of the placement stays) and route again. The round with
    the fewest unrouted nets is the result; every round's residue is in the report."""
    from ._katana_log import parse_completion, parse_incoherent, round_residue
    from ._repair import RepairSettings, hopeless, spread_rows
    t0 = time.time()
    try:
        repair = RepairSettings.from_settings(read_settings(args.settings,
                                                                "roma-pd-coriolis"))
    except (TypeError, ValueError) as exc:
        raise SystemExit(f"roma-pd-coriolis: error: {args.settings}: {exc}")
    work = Path(args.workdir).resolve().parent / "rounds"
    if work.exists():
        shutil.rmtree(work)
    common = ["--top", args.top, "--blif", args.blif, "--settings", args.settings,
              "--top-layer", args.top_layer, "--clock-ports", args.clock_ports]
    if args.pdk_root:
        common += ["--pdk-root", args.pdk_root]
    me = [sys.executable, "-m", "roma_pd.tools.coriolis"]
    snapshot, rounds = args.placement, []
    for k in range(repair.rounds + 1):
        rdir = work / f"round{k}"
        rdir.mkdir(parents=True)
        print(f"roma-pd-coriolis: route round {k}", flush=True)
        rc = _run_logged(me + ["route-once", *common, "--workdir", str(rdir / "coriolis"),
                               "--placement", snapshot, "--outdir", str(rdir / "outputs"),
                               "--report", str(rdir / "route.json")], rdir / "route.log",
                         f"route{k}")
        if rc != 0:
            if not rounds:
                raise SystemExit(f"roma-pd-coriolis: error: route failed (exit {rc}); "
                                 f"see {rdir / 'route.log'}")
            print(f"roma-pd-coriolis: repair round {k} crashed (exit {rc}); keeping the "
                  "best earlier round", flush=True)
            break
        text = (rdir / "route.log").read_text(errors="replace")
        residue = round_residue(text)
        placed = json.loads(Path(snapshot).read_text())
        pads = placed.get("pads", {})
        katana = json.loads((rdir / "route.json").read_text()).get("router_success")
        rounds.append({"round": k, "dir": str(rdir), "router_success": katana,
                       "unrouted_nets": len({s.net for s in residue}),
                       "unrouted_segments": len(residue),
                       "incoherent_segments": len(parse_incoherent(text)),
                       "segment_completion": parse_completion(text),
                       "padded_cells": len(pads), "pad_sites": sum(pads.values()),
                       "residue": [[s.net, s.layer, s.x1, s.y1, s.x2, s.y2]
                                   for s in residue]})
        print(f"roma-pd-coriolis: round {k}: {rounds[-1]['unrouted_nets']} unrouted nets "
              f"({len(residue)} segments, {rounds[-1]['incoherent_segments']} off track), "
              f"{len(pads)} cells padded", flush=True)
        if not residue or k == repair.rounds:
            break
        fillers = set(placed["fillers"])
        cells = sum(1 for inst in placed["instances"] if inst[1] not in fillers)
        if hopeless([r["unrouted_nets"] for r in rounds], cells, repair):
            print(f"roma-pd-coriolis: giving up after round {k}: every round left more "
                  f"unrouted nets than repair reaches ({cells} cells)", flush=True)
            break
        nxt = rdir / "repaired.place.json"
        write_json(nxt, spread_rows(placed, residue, repair, tag=f"r{k + 1}"))
        snapshot = str(nxt)
    best = min(rounds, key=lambda r: (r["unrouted_nets"], r["unrouted_segments"], r["round"]))
    out = Path(args.outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for f in Path(best["dir"], "outputs").iterdir():
        shutil.copy(f, out / f.name)
    write_json(Path(args.report), {
        # Katana's own completion flag of the kept round, not one derived from its
        # residue list: an incomplete route that lists no segment is still incomplete.
        "router_success": best["router_success"], "chosen_round": best["round"],
        "unrouted_nets": best["unrouted_nets"],
        "unrouted_segments": best["unrouted_segments"],
        "segment_completion": best["segment_completion"],
        "incoherent_segments": best["incoherent_segments"],
        "residue": best["residue"], "padded_cells": best["padded_cells"],
        "pad_sites": best["pad_sites"],
        "rounds": [{k: v for k, v in r.items() if k != "residue"} for r in rounds],
        "runtime_s": time.time() - t0})
    print(f"roma-pd-coriolis: kept round {best['round']}: {best['unrouted_nets']} unrouted "
          "nets", flush=True)
    return 0


def cli_parser():
    """The command line of ``roma-pd-coriolis`` (what the place and route tasks pass)."""
    p = parser("roma-pd-coriolis", VERSION)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("place", "route", "route-once"):
        s = sub.add_parser(name)
        add_pdk_args(s)
        s.add_argument("--top", required=True)
        s.add_argument("--blif", required=True)
        s.add_argument("--settings", required=True)
        s.add_argument("--top-layer", default="M7")
        s.add_argument("--clock-ports", default="clk", help="comma-separated clock ports")
        s.add_argument("--workdir", default="coriolis")
        s.add_argument("--report", required=True)
    s = sub.choices["place"]
    s.add_argument("--density", type=float)
    s.add_argument("--core-area", type=float)
    s.add_argument("--aspect-ratio", type=float, default=1.0)
    s.add_argument("--out", required=True)
    for name in ("route", "route-once"):
        s = sub.choices[name]
        s.add_argument("--placement", required=True)
        s.add_argument("--outdir", required=True)
    return p


def main(argv=None) -> int:
    args = cli_parser().parse_args(argv)
    for attr in ("blif", "report", "out", "placement", "outdir", "settings"):
        if getattr(args, attr, None):
            setattr(args, attr, str(Path(getattr(args, attr)).resolve()))
    return {"place": place, "route": route, "route-once": route_once}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
