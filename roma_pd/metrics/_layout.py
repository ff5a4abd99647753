"""Per-layer geometry measures of a routed layout (KLayout), in um and um^2.

Wirelength is the centre-line length of each wire: a path's spine, or for a plain box
the long side less the short side (the half-width end extensions DEF routing adds).
Track utilization = wirelength x track pitch / core area; metal density = drawn metal
area (merged) / core area.
"""
from __future__ import annotations

import klayout.db as kdb

from ..pdk import TechFacts

__all__ = ["wirelength_by_layer", "vias_by_cut", "metal_area_by_layer", "track_utilization",
           "metal_density"]


def _per_layer(layout: kdb.Layout, layers, cell: kdb.Cell | None, measure) -> dict:
    """``measure(cell, layer_index)`` for each tech layer; 0 where the layout has no such
    layer (a GDS holds only the layers it draws on, so nothing was drawn there)."""
    cell = cell or layout.top_cell()
    out = {}
    for layer in layers:
        li = layout.find_layer(*layer.gds)
        out[layer.name] = 0 if li is None else measure(cell, li)
    return out


def _spine_um(shape: kdb.Shape, dbu: float) -> float:
    if shape.is_path():
        pts = list(shape.path.each_point())
        return sum(a.distance(b) for a, b in zip(pts, pts[1:])) * dbu
    if shape.is_box():
        b = shape.box
        return (max(b.width(), b.height()) - min(b.width(), b.height())) * dbu
    raise ValueError(f"wire shapes must be paths or boxes, not {shape.to_s()!r}")


def wirelength_by_layer(layout: kdb.Layout, tech: TechFacts,
                        cell: kdb.Cell | None = None) -> dict[str, float]:
    """Wirelength (um) per metal layer of ``cell`` (default: the top cell), not recursive:
    the routing lives in the top cell, the cells' own metal does not count as wire."""
    return _per_layer(layout, tech.metals, cell, lambda c, li: float(
        sum(_spine_um(s, layout.dbu) for s in c.shapes(li).each())))


def vias_by_cut(layout: kdb.Layout, tech: TechFacts,
                cell: kdb.Cell | None = None) -> dict[str, int]:
    """Number of via cuts per cut layer in ``cell`` (default: the top cell)."""
    return _per_layer(layout, tech.cuts, cell, lambda c, li: c.shapes(li).size())


def metal_area_by_layer(layout: kdb.Layout, tech: TechFacts,
                        cell: kdb.Cell | None = None) -> dict[str, float]:
    """Drawn metal area (um^2) per layer, merged, through the whole hierarchy."""
    return _per_layer(layout, tech.metals, cell, lambda c, li: float(
        kdb.Region(c.begin_shapes_rec(li)).merged().area() * layout.dbu ** 2))


def track_utilization(wirelength: dict[str, float], tech: TechFacts,
                      core_area: float) -> dict[str, float]:
    """Share of each layer's routing tracks that wires occupy."""
    if core_area <= 0:
        raise ValueError(f"core area must be positive, not {core_area!r}")
    # a layer the wirelength does not give is unknown, not unused
    return {m.name: None if wirelength.get(m.name) is None
            else wirelength[m.name] * m.pitch / core_area for m in tech.metals}


def metal_density(metal_area: dict[str, float], core_area: float) -> dict[str, float]:
    if core_area <= 0:
        raise ValueError(f"core area must be positive, not {core_area!r}")
    return {name: area / core_area for name, area in metal_area.items()}
