"""Minimum-area patches: grow routed metal islands that are smaller than the LEF ``AREA``.

Katana drops a via stack's landing pad on a layer it does not route on (a V1+V2 stack
leaves a 36 x 18 nm M2 pad: 648 nm^2 against ASAP7's 666), and KLayout's DRC flags it.
Detailed routers patch such pads after routing (TritonRoute's min-area patches); this
does the same on the final GDS: each island is lengthened along its layer's preferred
direction (both ways, else one way, else across) by the least whole-grid amount that
reaches the area, only where the patch keeps the layer's spacing to every other shape
(cell metal and earlier patches included). A pad that cannot be patched is left for the
DRC to report.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import klayout.db as kdb

from ..pdk import MetalLayer, TechFacts

__all__ = ["MinAreaPatches", "patch_min_area"]


@dataclass
class MinAreaPatches:
    """What :func:`patch_min_area` did, per metal layer: islands found under the minimum
    area, patched, and left (no legal patch)."""
    found: dict[str, int] = field(default_factory=dict)
    patched: dict[str, int] = field(default_factory=dict)
    left: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"min_area_found": self.found, "min_area_patched": self.patched,
                "min_area_left": self.left}


def _candidates(box: kdb.Box, extra: int, grid: int, along_x: bool) -> list[kdb.Box]:
    """The boxes that lengthen ``box`` by ``extra`` dbu: both ends, then either end; along
    x or y. Each end moves by a whole number of grid steps."""
    def steps(n: int) -> int:
        return int(math.ceil(n / grid)) * grid
    half, full = steps((extra + 1) // 2), steps(extra)
    if along_x:
        return [kdb.Box(box.left - half, box.bottom, box.right + half, box.top),
                kdb.Box(box.left, box.bottom, box.right + full, box.top),
                kdb.Box(box.left - full, box.bottom, box.right, box.top)]
    return [kdb.Box(box.left, box.bottom - half, box.right, box.top + half),
            kdb.Box(box.left, box.bottom, box.right, box.top + full),
            kdb.Box(box.left, box.bottom - full, box.right, box.top)]


def _is_free(cell: kdb.Cell, layer: int, patch: kdb.Box, island: kdb.Region,
             space: int, placed: kdb.Region) -> bool:
    """No shape but the island itself within ``space`` of ``patch`` (a square halo: it is
    stricter than the Euclidian rule, never looser)."""
    halo = patch.enlarged(space - 1, space - 1)
    it = cell.begin_shapes_rec_overlapping(layer, halo)
    while not it.at_end():
        polygon = it.shape().polygon      # None for texts (pin labels)
        if polygon is not None:
            shape = kdb.Region(polygon.transformed(it.trans()))
            if not shape.interacting(island).count() and shape.interacting(
                    kdb.Region(halo)).count():
                return False
        it.next()
    return not placed.interacting(kdb.Region(halo)).count()


def _patch_layer(layout: kdb.Layout, cell: kdb.Cell, metal: MetalLayer,
                 grid: int) -> tuple[int, int]:
    li = layout.find_layer(*metal.gds)
    if li is None:
        return 0, 0
    dbu = layout.dbu
    min_area = int(round(metal.area / dbu ** 2))
    space = int(round(metal.spacing / dbu))
    small = kdb.Region(cell.begin_shapes_rec(li)).merged().with_area(0, min_area, False)
    # Only islands the router drew: a cell's own metal is the library's business.
    small = small.interacting(kdb.Region(cell.shapes(li)))
    placed = kdb.Region()
    patched = 0
    for polygon in small.each():
        island = kdb.Region(polygon)
        box = polygon.bbox()
        tries = []
        for along_x in ((metal.direction == "H"), (metal.direction != "H")):
            side = box.height() if along_x else box.width()
            tries += _candidates(box, int(math.ceil((min_area - polygon.area()) / side)),
                                 grid, along_x)
        for patch in tries:
            if _is_free(cell, li, patch, island, space, placed):
                placed.insert(patch)
                patched += 1
                break
    for patch in placed.each():
        cell.shapes(li).insert(patch)
    return small.count(), patched


def patch_min_area(layout: kdb.Layout, tech: TechFacts, top: str) -> MinAreaPatches:
    """Patch ``top``'s routed metal islands under the LEF minimum area, in place.

    Parameters
    ----------
    layout : klayout.db.Layout
        The final layout: cell layouts under the routed block. Patches go into ``top``.
    tech : TechFacts
        Metal ``area``, ``spacing``, ``direction`` and GDS layer of each layer.
    top : str
        The routed block's cell: only islands holding one of its own shapes (routing,
        not a cell's internal metal) are patched.

    Returns
    -------
    MinAreaPatches
    """
    cell = layout.cell(top)
    if cell is None:
        raise ValueError(f"top must be a cell of the layout, not {top!r}")
    grid = max(1, int(round(0.001 / layout.dbu)))   # ASAP7 MANUFACTURINGGRID 0.001 um
    result = MinAreaPatches()
    for metal in tech.metals:
        if not metal.area or not metal.spacing:
            continue
        found, patched = _patch_layer(layout, cell, metal, grid)
        result.found[metal.name] = found
        result.patched[metal.name] = patched
        result.left[metal.name] = found - patched
    return result
