"""Layout versus schematic of a routed block with KLayout.

The layout side is KLayout's netlist extraction (``LayoutVsSchematic``) of the final
GDS: M1..top layer and the cuts between them connected, nets named by their labels
(the cells' M1 pin labels, Coriolis' net labels in the top cell). The standard cells are
black boxes: their circuits are blanked, so only their pins count, and a pin is the
labelled M1 shape of the cell layout that the routing lands on. Fillers and taps carry
only the rails and are flattened away. The rails are joined by name (``VDD``, ``VSS``)
in the top cell, as a block without a power grid is joined by its parent.

The schematic is the synthesized Verilog, read by Yosys (KLayout reads SPICE, not
Verilog) and built as a KLayout netlist with the same black boxes plus their supply
pins. KLayout's ``NetlistComparer`` pairs the two.

Opens and shorts come from the cell pins of the subcircuits the comparer paired and
from the block's ports (by name): a netlist net whose pins land on more than one
extracted net, or on a cell pin that touches no metal, is **open**; an extracted net
reaching pins of two netlist nets is a **short** (counted per pair of netlist nets).
"""
from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import klayout.db as kdb

from ..pdk import TechFacts

__all__ = ["LvsResult", "run_lvs", "extract_layout", "schematic_from_yosys",
           "schematic_names", "net_connections", "escaped_nets",
           "read_verilog_netlist", "read_verilog_json", "SUPPLY_NETS"]

SUPPLY_NETS = ("VDD", "VSS")
PIN_DATATYPE = 251            # ASAP7 layer map: <metal> PIN / label purpose
_SPACE_CELLS = ("FILLER", "TAP", "DECAP")
MAX_MARKERS = 1000            # per category in the marker database; counts stay exact


@dataclass
class LvsResult:
    """Outcome of one comparison: match, opens and shorts with where they are (um)."""
    top: str
    match: bool
    nets: int = 0                                               # netlist nets compared
    opens: dict[str, list[kdb.DBox]] = field(default_factory=dict)   # net -> pieces
    shorts: dict[tuple[str, str], kdb.DBox] = field(default_factory=dict)
    mismatches: dict[str, int] = field(default_factory=dict)    # kind -> count

    @property
    def mismatch_count(self) -> int:
        return sum(self.mismatches.values())

    def to_json(self) -> dict:
        return {"lvs_match": self.match, "lvs_nets": self.nets,
                "opens": len(self.opens), "open_nets": sorted(self.opens)[:100],
                "shorts": len(self.shorts),
                "shorted_pairs": [list(p) for p in sorted(self.shorts)][:100],
                "lvs_mismatches": self.mismatch_count,
                "lvs_mismatch_kinds": self.mismatches}

    def write_lyrdb(self, path: str | Path, original_file: str = "") -> Path:
        """Opens (one item per piece of a split net) and shorts (the joining net) as a
        KLayout report database: ``klayout <gds> -m path``."""
        import klayout.rdb as rdb
        db = rdb.ReportDatabase("roma-pd LVS")
        db.generator = "roma-pd-klayout measure"
        db.original_file = original_file
        db.top_cell_name = self.top
        db.description = (f"LVS of {self.top}: {'match' if self.match else 'MISMATCH'}, "
                          f"{len(self.opens)} opens, {len(self.shorts)} shorts")
        cell = db.create_cell(self.top)
        cat = db.create_category("open")
        cat.description = "netlist net split into several pieces (one item per piece)"
        for net, pieces in list(sorted(self.opens.items()))[:MAX_MARKERS]:
            for k, box in enumerate(pieces):
                item = db.create_item(cell.rdb_id(), cat.rdb_id())
                item.add_value(box)
                item.add_value(f"{net}: piece {k + 1} of {len(pieces)}")
        cat = db.create_category("short")
        cat.description = "extracted net joining two netlist nets"
        for (a, b), box in list(sorted(self.shorts.items()))[:MAX_MARKERS]:
            item = db.create_item(cell.rdb_id(), cat.rdb_id())
            item.add_value(box)
            item.add_value(f"{a} shorted to {b}")
        path = Path(path)
        db.save(str(path))
        return path


def _bus_name(name: str) -> str:
    # Coriolis labels bus bits a(0); Verilog and the schematic say a[0].
    return re.sub(r"\((\d+)\)$", r"[\1]", name)


def extract_layout(layout: kdb.Layout, tech: TechFacts, top: str,
                   top_layer: str | None = None) -> kdb.LayoutVsSchematic:
    """The extracted netlist of ``top`` (cells blanked to their pins), ready to compare."""
    cell = layout.cell(top)
    if cell is None:
        raise ValueError(f"layout must hold a cell {top!r}")
    names = tech.metal_names
    metals = tech.metals[:names.index(top_layer) + 1] if top_layer else tech.metals
    lvs = kdb.LayoutVsSchematic(kdb.RecursiveShapeIterator(layout, cell, []))
    lvs.name = top

    def index(gds):
        li = layout.find_layer(*gds)
        return li if li is not None else layout.layer(*gds)

    layers = {}
    for m in metals:
        layers[m.name] = lvs.make_layer(index(m.gds), m.name)
        lvs.connect(layers[m.name])
        for purpose, gds in (("label", m.gds), ("pin", (m.gds[0], PIN_DATATYPE))):
            lvs.connect(layers[m.name], lvs.make_text_layer(index(gds),
                                                            f"{m.name}.{purpose}"))
    for c in tech.cuts:
        if c.below in layers and c.above in layers:
            cut = lvs.make_layer(index(c.gds), c.name)
            lvs.connect(cut)
            lvs.connect(layers[c.below], cut)
            lvs.connect(cut, layers[c.above])
    for supply in SUPPLY_NETS:
        lvs.join_net_names(top, supply)
    lvs.extract_netlist()
    netlist = lvs.netlist()
    for circuit in list(netlist.each_circuit()):
        if circuit.name.startswith(_SPACE_CELLS):
            netlist.flatten_circuit(circuit)
    topc = netlist.circuit_by_name(top)
    if topc is None:
        raise ValueError(f"layout cell {top!r} holds nothing to extract")
    for circuit in netlist.each_circuit():
        if circuit.name != top:
            circuit.blank()
    for net in topc.each_net():
        if net.name:
            net.name = _bus_name(net.name)
    netlist.make_top_level_pins()
    return lvs


def schematic_from_yosys(data: dict, top: str) -> kdb.Netlist:
    """A KLayout netlist of module ``top`` of a Yosys JSON netlist: one black-box
    circuit per cell type (its connected ports and the supply pins), the module's ports
    as pins."""
    if top not in data.get("modules", {}):
        raise ValueError(f"netlist must hold module {top!r}, not "
                         f"{sorted(data.get('modules', {}))!r}")
    module = data["modules"][top]
    netlist = kdb.Netlist()
    circuit = kdb.Circuit()
    circuit.name = top
    netlist.add(circuit)
    nets: dict[int, kdb.Net] = {}

    def net(bit, name=None):
        if bit not in nets:
            nets[bit] = circuit.create_net(name or f"n{bit}")
        return nets[bit]

    def bit_name(name, bits, i):
        return name if len(bits) == 1 else f"{name}[{i}]"

    # Ports first: their bits keep the port's name (Yosys also lists split wires
    # such as a$7[0] on the same bits).
    for name, port in module["ports"].items():
        bits = port["bits"]
        for i, bit in enumerate(bits):
            if isinstance(bit, int):
                pin = circuit.create_pin(bit_name(name, bits, i))
                circuit.connect_pin(pin, net(bit, bit_name(name, bits, i)))
    for name, info in module["netnames"].items():
        bits = info["bits"]
        for i, bit in enumerate(bits):
            if isinstance(bit, int):
                net(bit, bit_name(name, bits, i))
    supplies = [circuit.create_net(s) for s in SUPPLY_NETS]
    boxes: dict[str, kdb.Circuit] = {}
    for name, cell in module["cells"].items():
        box = boxes.get(cell["type"])
        if box is None:
            box = boxes[cell["type"]] = kdb.Circuit()
            box.name = cell["type"]
            netlist.add(box)
            for s in SUPPLY_NETS:
                box.create_pin(s)
        for port in cell["connections"]:
            if box.pin_by_name(port) is None:
                box.create_pin(port)
    for name, cell in module["cells"].items():
        box = boxes[cell["type"]]
        sub = circuit.create_subcircuit(box, name)
        for port, bits in cell["connections"].items():
            if len(bits) == 1 and isinstance(bits[0], int):
                sub.connect_pin(box.pin_by_name(port), net(bits[0]))
        for s, n in zip(SUPPLY_NETS, supplies):
            sub.connect_pin(box.pin_by_name(s), n)
    return netlist


def read_verilog_netlist(path: str | Path, top: str, log: str | Path) -> kdb.Netlist:
    """The structural Verilog ``path`` (the synth step's ``.vg``) as a KLayout netlist,
    parsed by Yosys; Yosys' messages go to ``log``."""
    return schematic_from_yosys(read_verilog_json(path, log), top)


def read_verilog_json(path: str | Path, log: str | Path) -> dict:
    """The structural Verilog ``path`` as Yosys' JSON netlist (``write_json``); Yosys'
    messages go to ``log``."""
    import tempfile

    from pyosys import libyosys as ys

    from ..rtl._stats import _stdout_to
    design = ys.Design()
    with tempfile.TemporaryDirectory() as tmp, _stdout_to(Path(log)):
        out = Path(tmp) / "netlist.json"
        ys.run_pass(f"read_verilog {path}", design)
        ys.run_pass(f"write_json {out}", design)
        return json.loads(out.read_text())


def _net_box(lvs: kdb.LayoutVsSchematic, net: kdb.Net) -> kdb.DBox:
    box = kdb.Box()
    for name in lvs.layer_names():
        if "." not in name:
            box += lvs.shapes_of_net(net, lvs.layer_by_name(name), True).bbox()
    return box.to_dtype(lvs.internal_layout().dbu)


def _pin_box(lvs: kdb.LayoutVsSchematic, sub: kdb.SubCircuit) -> kdb.DBox:
    # A cell pin that touches nothing has no shapes in the top; mark the instance.
    layout = lvs.internal_layout()
    cell = layout.cell(sub.circuit_ref().cell_index)
    return (cell.bbox().to_dtype(layout.dbu)).transformed(sub.trans)


def _cell_pairs(xref, pair, counts):
    """(layout, schematic) subcircuits as the comparer paired them; the ones it left
    unpaired (a cell whose pin lost its wire) are paired by cell type where one of each
    type is left."""
    left = defaultdict(lambda: ([], []))
    for sp in xref.each_subcircuit_pair(pair):
        a, b = sp.first(), sp.second()
        if a is not None and b is not None:
            if sp.status() == kdb.NetlistCrossReference.Mismatch:
                counts["cells"] += 1
            yield a, b
        else:
            sub = a or b
            left[sub.circuit_ref().name][0 if a is not None else 1].append(sub)
    for lay, sch in left.values():
        counts["unpaired cells"] += len(lay) + len(sch)
        if len(lay) == 1 and len(sch) == 1:
            yield lay[0], sch[0]


def run_lvs(layout: kdb.Layout, tech: TechFacts, top: str, schematic: kdb.Netlist,
            top_layer: str | None = None) -> tuple[LvsResult, kdb.LayoutVsSchematic]:
    """Compare the layout of ``top`` with ``schematic``; the LVS object carries the
    cross-reference (``write`` it as an ``.lvsdb`` for KLayout's netlist browser)."""
    lvs = extract_layout(layout, tech, top, top_layer)
    reference = schematic.circuit_by_name(top)
    if reference is None or not any(True for _ in reference.each_net()):
        # a comparison of nothing would match: fail closed
        raise ValueError(f"the netlist of {top!r} has no net: LVS compared nothing")
    for circuit in schematic.each_circuit():
        if circuit.name != top:
            circuit.blank()
    lvs.reference = schematic
    match = lvs.compare(kdb.NetlistComparer())
    xref = lvs.xref()
    pair = next((p for p in xref.each_circuit_pair()
                 if p.first() is not None and p.first().name == top), None)
    result = LvsResult(top, bool(match))
    if pair is None or pair.second() is None:
        result.mismatches["top circuit"] = 1
        return result, lvs
    lay_top, sch_top = pair.first(), pair.second()
    result.nets = sum(1 for _ in sch_top.each_net())

    pieces: dict[str, dict] = defaultdict(dict)     # netlist net -> {piece key: box}
    reached: dict[int, set] = defaultdict(set)      # extracted net -> netlist nets
    lay_nets: dict[int, kdb.Net] = {}

    def land(sch_net: kdb.Net | None, lay_net: kdb.Net | None, floating_box):
        if sch_net is None:
            return
        name = sch_net.name or sch_net.expanded_name()
        if lay_net is None:
            pieces[name][("floating", len(pieces[name]))] = floating_box()
            return
        key = lay_net.cluster_id
        lay_nets[key] = lay_net
        pieces[name].setdefault(key, None)
        reached[key].add(name)

    counts = defaultdict(int)
    for lay_sub, sch_sub in _cell_pairs(xref, pair, counts):
        box_a = lay_sub.circuit_ref()
        for pin in sch_sub.circuit_ref().each_pin():
            pin_a = box_a.pin_by_name(pin.name())
            land(sch_sub.net_for_pin(pin.id()),
                 lay_sub.net_for_pin(pin_a.id()) if pin_a is not None else None,
                 lambda a=lay_sub: _pin_box(lvs, a))
    for pin in lay_top.each_pin():                  # block ports, by name
        lay_net = lay_top.net_for_pin(pin.id())
        land(sch_top.net_by_name(pin.name()), lay_net, kdb.DBox)
    unmatched = (kdb.NetlistCrossReference.Mismatch, kdb.NetlistCrossReference.NoMatch)
    counts["nets"] += sum(1 for p in xref.each_net_pair(pair) if p.status() in unmatched)
    result.mismatches = {k: v for k, v in counts.items() if v}

    @cache
    def box_of(key) -> kdb.DBox:
        # one walk of the extracted net's shapes: a short that merges n netlist nets
        # has n(n-1)/2 pairs (a 9.5K-cell block spent 12 min boxing them one by one)
        return _net_box(lvs, lay_nets[key])

    for name, keys in pieces.items():
        # A piece shared with another netlist net is the comparer's guess around a
        # short, not a split: an open needs two pieces of this net alone.
        own = [k for k in keys if isinstance(k, tuple) or reached[k] == {name}]
        if len(keys) > 1 and len(own) > 1:
            result.opens[name] = [box if box is not None else box_of(key)
                                  for key, box in keys.items()]
    for key, names in reached.items():
        for a, b in itertools.combinations(sorted(names), 2):
            result.shorts[(a, b)] = box_of(key)
    return result, lvs


def schematic_names(lvs: kdb.LayoutVsSchematic, wires: kdb.Layout, tech: TechFacts,
                    net_property: str = "net") -> dict[str, str]:
    """Netlist name of each net of a net-annotated wire layout (Coriolis names nets after
    the BLIF, the Verilog after Yosys' renaming): one wire of the net is probed in the
    extraction and the comparer's partner of that extracted net is taken. Nets the
    comparer did not pair are left out."""
    xref = lvs.xref()
    cell = wires.top_cell()
    names: dict[str, str] = {}
    for metal in tech.metals:
        li = wires.find_layer(*metal.gds)
        if li is None or metal.name not in lvs.layer_names():
            continue
        layer = lvs.layer_by_name(metal.name)
        for shape in cell.shapes(li).each():
            net = shape.property(net_property)
            if net in names:
                continue
            point = shape.dpath.bbox().center() if shape.is_path() else \
                shape.dbbox().center()
            found = lvs.probe_net(layer, point)
            other = xref.other_net_for(found) if found is not None else None
            if other is not None:
                names[net] = other.name or other.expanded_name()
    return names


def escaped_nets(data: dict, top: str) -> set[str]:
    """Names of the escaped scalar nets of Yosys' JSON netlist ``data``: a one-bit wire
    whose name holds brackets (``\\word[0]`` in the Verilog) is not a bus bit, so SPEF
    escapes its brackets. (Kept out of the KLayout netlist: a net property would be
    written into the .lvsdb, whose reader cannot parse it back.)"""
    return {name for name, info in data["modules"][top]["netnames"].items()
            if len(info["bits"]) == 1 and "[" in name}


def net_connections(schematic: kdb.Netlist, top: str) -> tuple[dict[str, list[str]],
                                                                 set[str]]:
    """Signal net -> its connections (``inst:pin`` of cells, port names) in the
    schematic's top circuit, and the set of port names; supply pins left out."""
    circuit = schematic.circuit_by_name(top)
    pins: dict[str, list[str]] = {}
    ports = {p.name() for p in circuit.each_pin()}
    for net in circuit.each_net():
        if net.name in SUPPLY_NETS:
            continue
        conns = [ref.pin().name() for ref in net.each_pin()]
        conns += [f"{ref.subcircuit().name}:{ref.pin().name()}"
                  for ref in net.each_subcircuit_pin()]
        pins[net.name or net.expanded_name()] = conns
    return pins, ports
