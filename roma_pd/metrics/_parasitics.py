"""Wire parasitics of a routed block: per net R and C from its routed wires and vias,
written as a SPEF for OpenSTA.

Per-layer values are the ones OpenROAD-flow-scripts sets for ASAP7 (its
``platforms/asap7/setRC.tcl``, ``set_layer_rc``). ``set_layer_rc`` takes the liberty's
units per micron; ASAP7's liberty states ``pulling_resistance_unit 1kohm`` and
``capacitive_load_unit 1ff``, so R is kOhm/um (vias kOhm per cut) and C fF/um. The
magnitudes agree: M2 at 2.97e-2 kOhm/um is 29.7 Ohm/um (copper of 18 x 36 nm with size
effects is 30-80), 0.185 fF/um is the usual fine-pitch wire, a via 17 Ohm; read as
Ohm/um or pF/um they would be 1000x off.

Wire length is a segment's spine (as :mod:`._layout` measures it). Each net becomes a
star: its wire capacitance sits on one internal node, and every pin (driver and loads
alike) reaches that node through half the net's series resistance (wires and vias).
That is a first version: the delay it gives a load is R/2 x (C_wire + C_pins) + R/2 x
C_load, about what a pi model gives a short net, without the wire topology.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import klayout.db as kdb

from ..pdk import TechFacts
from ._layout import _spine_um

__all__ = ["ASAP7_RC", "NetRC", "net_parasitics", "write_spef"]

# OpenROAD-flow-scripts platforms/asap7/setRC.tcl: layer -> (kOhm/um, fF/um); cut ->
# kOhm per cut. M8/M9 and V8 are not routed by the flow (top layer M7 at most).
ASAP7_RC = {
    "M1": (7.04175e-02, 1e-10), "M2": (2.97126e-02, 1.84542e-01),
    "M3": (3.12872e-02, 1.53955e-01), "M4": (1.80365e-02, 1.89434e-01),
    "M5": (1.89936e-02, 1.71593e-01), "M6": (1.18797e-02, 1.76146e-01),
    "M7": (1.25097e-02, 1.47030e-01),
    "V1": 1.72e-02, "V2": 1.72e-02, "V3": 1.72e-02, "V4": 1.18e-02, "V5": 1.18e-02,
    "V6": 8.20e-03, "V7": 8.20e-03,
}


@dataclass
class NetRC:
    """One net's routed parasitics per layer: length (um) or cuts, R (kOhm), C (fF)."""
    length_um: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cuts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    r_kohm: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    c_ff: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def r_total(self) -> float:
        return sum(self.r_kohm.values())

    @property
    def c_total(self) -> float:
        return sum(self.c_ff.values())


def net_parasitics(wires: kdb.Layout, tech: TechFacts, rc: dict | None = None,
                   net_property: str = "net") -> dict[str, NetRC]:
    """Per-net R and C of a net-annotated wire layout (every shape carries its net name
    in property ``net_property``): wire R and C per metal, via R per cut layer."""
    rc = ASAP7_RC if rc is None else rc
    cell = wires.top_cell()
    nets: dict[str, NetRC] = defaultdict(NetRC)
    for metal in tech.metals:
        li = wires.find_layer(*metal.gds)
        if li is None:
            continue
        if metal.name not in rc:
            raise ValueError(f"routed layer {metal.name} must have an R/C value, one of "
                             f"{sorted(k for k in rc if k.startswith('M'))}")
        r, c = rc[metal.name]
        for shape in cell.shapes(li).each():
            length = _spine_um(shape, wires.dbu)
            net = nets[shape.property(net_property)]
            net.length_um[metal.name] += length
            net.r_kohm[metal.name] += r * length
            net.c_ff[metal.name] += c * length
    for cut in tech.cuts:
        li = wires.find_layer(*cut.gds)
        if li is None or cell.shapes(li).is_empty():
            continue
        if cut.name not in rc:
            raise ValueError(f"via layer {cut.name} must have an R value, one of "
                             f"{sorted(k for k in rc if k.startswith('V'))}")
        for shape in cell.shapes(li).each():
            net = nets[shape.property(net_property)]
            net.cuts[cut.name] += 1
            net.r_kohm[cut.name] += rc[cut.name]
    return dict(nets)


_BUS_BIT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\[\d+\]$")


def _spef_name(name: str, escaped: bool = False) -> str:
    # SPEF identifiers are letters, digits and _; anything else is escaped. A plain
    # bus bit acc[3] keeps its brackets (*BUS_DELIMITER [ ]); an escaped scalar of the
    # Verilog (\a$7[0], \word[0]: brackets part of the name) gets them escaped.
    keep = "_[]" if _BUS_BIT.match(name) and not escaped else "_"
    return "".join(ch if ch.isalnum() or ch in keep else "\\" + ch for ch in name)


def write_spef(path: str | Path, design: str, nets: dict[str, NetRC],
               pins: dict[str, list[str]], ports: set[str],
               escaped: set[str] = frozenset()) -> Path:
    """A SPEF of the star model (module docstring) for every net of ``nets`` that has
    pins: ``pins`` maps a net to its connections, ``inst:pin`` or a port name;
    ``escaped`` names the nets whose brackets are part of the name (``escaped_nets``)."""
    out = [
        "*SPEF \"IEEE 1481-1998\"", f"*DESIGN \"{design}\"", "*DATE \"\"",
        "*VENDOR \"roma-pd\"", "*PROGRAM \"roma-pd parasitics\"", "*VERSION \"1\"",
        "*DESIGN_FLOW \"PIN_CAP NONE\"", "*DIVIDER /", "*DELIMITER :",
        "*BUS_DELIMITER [ ]", "*T_UNIT 1 PS", "*C_UNIT 1 FF", "*R_UNIT 1 KOHM",
        "*L_UNIT 1 HENRY", "",
    ]
    for name, rc in sorted(nets.items()):
        conns = pins.get(name, [])
        if not conns:
            continue
        net = _spef_name(name, name in escaped)
        centre = f"{net}:1"       # SPEF internal nodes are <net>:<number>
        out += [f"*D_NET {net} {rc.c_total:.6g}", "*CONN"]
        for conn in conns:
            if conn in ports:
                out.append(f"*P {_spef_name(conn)} B")
            else:
                inst, pin = conn.rsplit(":", 1)
                out.append(f"*I {_spef_name(inst)}:{pin} B")
        out += ["*CAP", f"1 {centre} {rc.c_total:.6g}", "*RES"]
        half = rc.r_total / 2
        for k, conn in enumerate(conns, 1):
            node = _spef_name(conn) if conn in ports else \
                f"{_spef_name(conn.rsplit(':', 1)[0])}:{conn.rsplit(':', 1)[1]}"
            out.append(f"{k} {node} {centre} {half:.6g}")
        out += ["*END", ""]
    path = Path(path)
    path.write_text("\n".join(out) + "\n")
    return path
