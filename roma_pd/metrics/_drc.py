"""Design-rule check of a final GDS with the rules the tech LEF states, by KLayout.

Per metal layer, on the merged layer (cell layouts and routing together, so routed metal
is checked against the cells' internal metal: Katana keeps wires off cell obstructions
but not at spacing from them):

- ``<M>.width``: width below the LEF ``WIDTH``;
- ``<M>.spacing``: spacing below the LEF ``SPACING`` (notches and gaps between
  polygons, same net or not);
- ``<M>.area``: a merged polygon smaller than the LEF ``AREA``.

Per cut layer between two metals:

- ``<V>.spacing``: cut-to-cut spacing below the LEF ``SPACING``;
- ``<V>.enclosure_below`` / ``<V>.enclosure_above``: a cut not covered by the metal
  below / above (ASAP7 states no plain ENCLOSURE: its value is 0).

Not checked: LEF58 end-of-line, corner spacing and width tables, the wide-metal rows of
spacing tables, MINSTEP, density windows, V0 and the layers below M1. Metrics are
Euclidian: LEF ``SPACING`` and ``WIDTH`` bound the distance in every direction, corner
to corner included, which is what KLayout's Euclidian metric measures (Projection would
miss corner-to-corner gaps).

The block is checked on its own: the die edge is no wall (spacing to shapes beyond it is
the parent's check) and the I/O pin stubs Coriolis draws 45 nm past the die edge are
checked like any wire.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import klayout.db as kdb

from ..pdk import TechFacts

__all__ = ["DrcResult", "run_drc", "drc_layers", "MAX_MARKERS"]

MAX_MARKERS = 10_000      # per rule in the marker database; the counts stay exact


@dataclass
class DrcResult:
    """Violations of one layout, per rule and per layer, with their markers (um).

    Attributes
    ----------
    top : str
        The checked top cell.
    rules : dict
        Rule name (``"M2.spacing"``) -> violation count, every rule checked.
    descriptions : dict
        Rule name -> what it checks, with the rule value.
    layers : dict
        Layer name (M1..M9, V1..V8) -> violations on it (its rules' sum); a layer
        without shapes has 0.
    markers : dict
        Rule name -> violation geometry in um (``DEdgePair`` for width and spacing,
        ``DPolygon`` for area and enclosure), at most ``MAX_MARKERS`` per rule.
    """
    top: str
    rules: dict[str, int] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    layers: dict[str, int] = field(default_factory=dict)
    markers: dict[str, list] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rules.values())

    def to_json(self) -> dict:
        return {"top": self.top, "violations": self.total, "by_layer": self.layers,
                "by_rule": self.rules, "rules": self.descriptions}

    def write_lyrdb(self, path: str | Path, original_file: str = "") -> Path:
        """Write the markers as a KLayout report database (``klayout <gds> -m path``):
        one category per rule, one item per violation, geometry in um."""
        import klayout.rdb as rdb
        db = rdb.ReportDatabase("roma-pd DRC")
        db.generator = "roma-pd-klayout drc"
        db.original_file = original_file
        db.top_cell_name = self.top
        db.description = f"{self.total} DRC violations of {self.top} (tech LEF rules)"
        cell = db.create_cell(self.top)
        for rule, count in self.rules.items():
            cat = db.create_category(rule)
            shown = self.markers.get(rule, [])
            cat.description = self.descriptions[rule] + (
                f" (first {len(shown)} of {count} shown)" if len(shown) < count else "")
            for geometry in shown:
                item = db.create_item(cell.rdb_id(), cat.rdb_id())
                item.add_value(geometry)
                item.add_value(_measure(geometry))
        path = Path(path)
        db.save(str(path))
        return path


def _gap(pair: kdb.DEdgePair) -> float:
    # A corner-to-corner violation comes as two degenerate edges (points), whose
    # DEdgePair.distance() is 0: measure the points.
    if pair.first.is_degenerate() and pair.second.is_degenerate():
        return pair.first.p1.distance(pair.second.p1)
    return pair.distance()


def _measure(geometry) -> str:
    """The measured value of a marker, for the marker browser."""
    if isinstance(geometry, kdb.DEdgePair):
        return f"{_gap(geometry) * 1000:.1f} nm"
    return f"{geometry.area() * 1e6:.0f} nm^2"


def drc_layers(tech: TechFacts) -> tuple[list[str], list[str]]:
    """The metal and cut layers the check reports on: every metal, and every cut with a
    metal of ``tech`` on both sides (V9 lands on Pad, which is no routing metal here)."""
    metals = tech.metal_names
    return metals, [c.name for c in tech.cuts if c.below in metals and c.above in metals]


def _region(layout: kdb.Layout, top: kdb.Cell, gds: tuple[int, int]) -> kdb.Region:
    li = layout.find_layer(*gds)
    if li is None:
        return kdb.Region()
    # Flat and merged: touching shapes of one net (a wire over a pin, a via pad) are one
    # polygon, so they never flag each other.
    return kdb.Region(top.begin_shapes_rec(li)).merged()


def run_drc(layout: kdb.Layout, tech: TechFacts, top: str | None = None,
            max_markers: int = MAX_MARKERS) -> DrcResult:
    """Check ``layout``'s top cell (or ``top``) and everything below it.

    Parameters
    ----------
    layout : klayout.db.Layout
        The final GDS: cell layouts under the routed block.
    tech : TechFacts
        Rule values (``width``, ``spacing``, ``area`` of each metal, ``spacing`` of each
        cut) and GDS layer numbers. A rule whose value is 0 (not in the LEF) is skipped.
    top : str, optional
        Name of the cell to check; the layout's top cell by default.
    max_markers : int
        Markers kept per rule.

    Returns
    -------
    DrcResult
    """
    cell = layout.cell(top) if top else layout.top_cell()
    if cell is None:
        raise ValueError(f"top must be a cell of the layout, not {top!r}")
    dbu = layout.dbu
    to_um = kdb.CplxTrans(dbu)
    result = DrcResult(cell.name)
    metal_names, cut_names = drc_layers(tech)

    def add(layer: str, rule: str, what: str, found) -> None:
        name = f"{layer}.{rule}"
        result.rules[name] = found.count()
        result.descriptions[name] = what
        result.layers[layer] = result.layers.get(layer, 0) + found.count()
        result.markers[name] = [g.transformed(to_um) for _, g in
                                zip(range(max_markers), found.each())]

    def dbu_of(um: float) -> int:
        return int(round(um / dbu))

    metals = {}
    for m in tech.metals:
        region = metals[m.name] = _region(layout, cell, m.gds)
        result.layers[m.name] = 0
        if region.is_empty():
            continue
        if m.width:
            add(m.name, "width", f"{m.name} width < {m.width * 1000:g} nm (LEF WIDTH)",
                region.width_check(dbu_of(m.width), False, kdb.Metrics.Euclidian))
        if m.spacing:
            add(m.name, "spacing", f"{m.name} spacing < {m.spacing * 1000:g} nm (LEF "
                "SPACING; merged layer: cell metal and routing together)",
                region.space_check(dbu_of(m.spacing), False, kdb.Metrics.Euclidian))
        if m.area:
            # with_area selects min <= area < max; in dbu^2
            add(m.name, "area", f"{m.name} polygon area < {m.area * 1e6:g} nm^2 (LEF AREA)",
                region.with_area(0, int(round(m.area / dbu ** 2)), False))
    for c in tech.cuts:
        if c.name not in cut_names:
            continue
        result.layers[c.name] = 0
        cuts = _region(layout, cell, c.gds)
        if cuts.is_empty():
            continue
        if c.spacing:
            add(c.name, "spacing", f"{c.name} cut spacing < {c.spacing * 1000:g} nm (LEF)",
                cuts.space_check(dbu_of(c.spacing), False, kdb.Metrics.Euclidian))
        for side, metal in (("below", c.below), ("above", c.above)):
            add(c.name, f"enclosure_{side}", f"{c.name} cut not covered by {metal}",
                cuts.not_inside(metals[metal]))
    return result
