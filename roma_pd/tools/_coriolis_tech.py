"""Coriolis technology, gauges and library for a PDK, built from its TechFacts."""
from __future__ import annotations

import re

from coriolis import CRL, Cfg
from coriolis.Anabatic import StyleFlags
from coriolis.CRL import AllianceFramework, CellGauge, LefImport, RoutingGauge, \
    RoutingLayerGauge
from coriolis.helpers import u
from coriolis.helpers.overlay import CfgCache
from coriolis.helpers.technology import createBL, createVia, setEnclosures
from coriolis.Hurricane import BasicLayer, DataBase, DbU, Library, Technology

from ..pdk import Asap7

__all__ = ["setup", "via_name"]


def via_name(below: str, above: str) -> str:
    return f"VIA{below[1:]}{above[1:]}"


def _enclosure(tech_facts, metal, cut) -> tuple[float, float]:
    """(x, y) extension of ``metal`` past a square cut of ``cut.width``: from the LEF's
    default via, or 5 nm along the metal's preferred direction when it has none."""
    via = tech_facts.via(cut.name)
    if via is not None and metal.name in via.rects:
        x0, y0, x1, y1 = via.rects[metal.name]
        half = cut.width / 2
        return max(0.0, round(x1 - half, 6)), max(0.0, round(y1 - half, 6))
    ext = max(0.0, (metal.width - cut.width) / 2)
    return (0.005, ext) if metal.direction == "H" else (ext, 0.005)


def _technology(pdk: Asap7) -> None:
    tech_facts = pdk.tech
    db = DataBase.create()
    CRL.System.get()
    tech = Technology.create(db, pdk.name.upper())
    grid = 1.0 / (tech_facts.dbu_per_um * 4)   # LEF shape centres need a quarter unit
    DbU.setPrecision(2)
    DbU.setPhysicalsPerGrid(grid, DbU.UnitPowerMicro)
    with CfgCache(priority=Cfg.Parameter.Priority.ConfigurationFile) as cfg:
        cfg.gdsDriver.metricDbu = grid * 1e-6
        cfg.gdsDriver.dbuPerUu = grid
    DbU.setGridsPerLambda(72)
    DbU.setSymbolicSnapGridStep(DbU.fromGrid(1.0))
    DbU.setPolygonStep(DbU.fromGrid(1.0))
    DbU.setStringMode(DbU.StringModePhysical, DbU.UnitPowerMicro)

    createBL(tech, "nwell", BasicLayer.Material.nWell, gds2Layer=1)
    createBL(tech, "BOUNDARY", BasicLayer.Material.other, gds2Layer=100)
    # LefImport maps LEF layers by rank: V0 M1 V1 M2 ... M9 V9 Pad.
    v0 = tech_facts.extra_gds["V0"]
    first_cut = tech_facts.cuts[0]
    createBL(tech, "V0", BasicLayer.Material.cut, size=u(first_cut.width),
             spacing=u(first_cut.width), gds2Layer=v0[0])
    cuts = {c.below: c for c in tech_facts.cuts}
    for m in tech_facts.metals:
        # No minimum area: giving Katana the LEF AREA (to bloat via landings) tripled
        # the M2 spacing violations of the 8x8 MAC (54 -> 157); the DRC step checks it.
        createBL(tech, m.name, BasicLayer.Material.metal, size=u(m.width),
                 spacing=u(m.pitch - m.width), gds2Layer=m.gds[0], gds2DataType=m.gds[1])
        c = cuts[m.name]
        createBL(tech, c.name, BasicLayer.Material.cut, size=u(c.width),
                 spacing=u(c.spacing or c.width), gds2Layer=c.gds[0],
                 gds2DataType=c.gds[1])
    top = tech_facts.metals[-1]
    createBL(tech, "Pad", BasicLayer.Material.metal, size=u(top.width),
             spacing=u(top.width), gds2Layer=96)
    # Blockage layers use datatype 4; the export step drops them.
    for name, gds in [(m.name, m.gds) for m in tech_facts.metals] + \
            [(c.name, c.gds) for c in tech_facts.cuts]:
        blk = createBL(tech, name + "_BLK", BasicLayer.Material.blockage,
                       gds2Layer=gds[0], gds2DataType=4)
        tech.getLayer(name).setBlockageLayer(blk)
    # Square-cut vias (Coriolis has one cut size per via) whose metal rectangles are the
    # LEF default via's: the M1 end enclosure of VIA12 is 2 nm, and Katana only drops a
    # V1 where cut plus enclosure fit inside the M1 pin, so it decides pin access.
    for bot, top in zip(tech_facts.metals, tech_facts.metals[1:]):
        cut = cuts[bot.name]
        via = createVia(tech, via_name(bot.name, top.name), bot.name, cut.name, top.name,
                        u(cut.width))
        for m in (bot, top):
            setEnclosures(via, tech.getLayer(m.name),
                          tuple(u(e) for e in _enclosure(tech_facts, m, cut)))
    for name, material in [("text.cell", "other"), ("text.instance", "other"),
                           ("SPL1", "other"), ("AutoLayer", "other"),
                           ("gmetalh", "metal"), ("gcontact", "cut"), ("gmetalv", "metal")]:
        createBL(tech, name, getattr(BasicLayer.Material, material))


def clock_regex(ports) -> str:
    """Coriolis' clock-net pattern for ``ports`` (none: a pattern no net name matches)."""
    return "^(" + "|".join(re.escape(p) for p in ports) + ")$" if ports else "^$"


def _gauges(pdk: Asap7, settings: dict, top_layer: str, clock_ports=("clk",)) -> None:
    tech_facts = pdk.tech
    routing = settings["routing"]
    af = AllianceFramework.get()
    tech = DataBase.getDB().getTechnology()
    rg = RoutingGauge.create(pdk.name)
    rg.setSymbolic(False)
    for depth, m in enumerate(tech_facts.metals):
        usage = RoutingLayerGauge.Default
        if m.name in routing["pin_only"]:
            usage = RoutingLayerGauge.PinOnly
        elif m.name in routing["power_only"]:
            usage = RoutingLayerGauge.PowerSupply
        direction = RoutingLayerGauge.Horizontal if m.direction == "H" \
            else RoutingLayerGauge.Vertical
        rg.addLayerGauge(RoutingLayerGauge.create(
            tech.getLayer(m.name), direction, usage, depth, 0.0,
            u(routing["track_offset_um"]), u(m.pitch), u(m.width), u(m.width),
            u(m.width), u(0.0)))
    af.addRoutingGauge(rg)
    af.setRoutingGauge(pdk.name)
    gauge = f"LEF.{tech_facts.site}"
    m1 = tech_facts.metals[0]
    af.addCellGauge(CellGauge.create(gauge, m1.name, u(tech_facts.site_width),
                                     u(tech_facts.row_height), u(tech_facts.site_width)))
    af.setCellGauge(gauge)

    hi, lo = pdk.tie_cells
    with CfgCache(priority=Cfg.Parameter.Priority.ConfigurationFile) as cfg:
        env = af.getEnvironment()
        env.setRegister("DFF.*")
        env.setPOWER("VDD")
        env.setGROUND("VSS")
        env.setCLOCK(clock_regex(clock_ports))
        cfg.lefImport.minTerminalWidth = 0.0
        cfg.crlcore.groundName = "VSS"
        cfg.crlcore.powerName = "VDD"
        cfg.etesian.bloat = "disabled"
        cfg.etesian.aspectRatio = 1.00
        cfg.etesian.spaceMargin = 0.30
        cfg.etesian.feedNames = ",".join(sorted(pdk.filler_cells, key=len, reverse=True))
        cfg.etesian.defaultFeed = min(pdk.filler_cells, key=lambda c: ("xp5" not in c, c))
        cfg.etesian.cell.zero = lo
        cfg.etesian.cell.one = hi
        cfg.etesian.graphics = 3
        for key, value in settings["etesian"].items():
            setattr(cfg.etesian, key, value)
        cfg.anabatic.routingGauge = pdk.name
        cfg.anabatic.cellGauge = gauge
        cfg.anabatic.topRoutingLayer = top_layer
        cfg.anabatic.routingStyle = StyleFlags.HV
        for key, value in settings["anabatic"].items():
            setattr(cfg.anabatic, key, value)
        for key, value in settings["katana"].items():
            setattr(cfg.katana, key, value)
    with CfgCache(priority=Cfg.Parameter.Priority.UserFile) as cfg:
        cfg.spares.buffer = pdk.cell("BUFx2")
        cfg.spares.maxSinks = 20
        cfg.block.spareSide = u(10.0)
        cfg.clockTree.buffer = pdk.cell("BUFx4")
        cfg.clockTree.placerEngine = "Etesian"
        cfg.misc.verboseLevel1 = True


def _library(pdk: Asap7, settings: dict):
    af = AllianceFramework.get()
    db = DataBase.getDB()
    lib = Library.create(db.getRootLibrary(), pdk.tech.site)
    af.wrapLibrary(lib, 0)
    LefImport.load(str(pdk.tech_lef))
    LefImport.setMergeLibrary(lib)
    LefImport.load(str(pdk.cell_lef))
    af.wrapLibrary(lib, 1)
    CRL.Blif.add(lib)
    if settings["routing"].get("obstruction_spacing", False):
        _space_obstructions(pdk, lib, settings["routing"]["pin_only"])
    return lib


def _space_obstructions(pdk: Asap7, lib, pin_only: list[str]) -> None:
    """Grow each cell obstruction on a routing metal by the layer's minimum spacing
    (plus half a wire, less 1 nm): Katana keeps wires off obstructions but not a
    spacing away from them, which left routed M2 9 nm from the flip-flops' M2."""
    from coriolis.Hurricane import Horizontal, Vertical
    from coriolis.helpers.overlay import UpdateSession
    # Katana blocks the tracks whose axis falls inside an obstruction: grow it by the
    # spacing plus half a wire, less 1 nm, so exactly the illegal tracks are blocked.
    # Pin-only metals (M1) are left alone: grown M1 obstructions hide the pins from V1.
    grow = {f"{m.name}_BLK": u(2 * (m.spacing + m.width / 2 - 0.001))
            for m in pdk.tech.metals if m.spacing > 0.001 and m.name not in pin_only}
    with UpdateSession():
        for cell in lib.getCells():
            for net in cell.getNets():
                if not net.isBlockage():
                    continue
                for comp in net.getComponents():
                    extra = grow.get(str(comp.getLayer().getName()))
                    if extra and isinstance(comp, (Horizontal, Vertical)):
                        comp.setWidth(comp.getWidth() + extra)


def setup(pdk: Asap7, settings: dict, top_layer: str, clock_ports=("clk",)):
    """Create the Coriolis database for ``pdk`` and return the cell library; the nets of
    ``clock_ports`` are typed as clocks."""
    _technology(pdk)
    _gauges(pdk, settings, top_layer, clock_ports)
    return _library(pdk, settings)
