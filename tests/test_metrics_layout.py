"""Metric maths on layouts whose wires are known by construction."""
import klayout.db as kdb
import pytest

from roma_pd.metrics import (metal_area_by_layer, metal_density, track_utilization,
                             vias_by_cut, wirelength_by_layer)


def _layout(tech, wires=(), boxes=(), vias=()):
    """wires: (layer, [(x, y), ...], width) paths; boxes: (layer, x0, y0, x1, y1);
    vias: (cut, x, y). Units um; dbu 0.25 nm as the flow writes them."""
    ly = kdb.Layout()
    ly.dbu = 0.00025
    top = ly.create_cell("top")
    for name, pts, w in wires:
        li = ly.layer(*tech.metal(name).gds)
        top.shapes(li).insert(kdb.DPath([kdb.DPoint(*p) for p in pts], w, w / 2, w / 2))
    for name, *box in boxes:
        top.shapes(ly.layer(*tech.metal(name).gds)).insert(kdb.DBox(*box))
    for name, x, y in vias:
        cut = next(c for c in tech.cuts if c.name == name)
        h = cut.width / 2
        top.shapes(ly.layer(*cut.gds)).insert(kdb.DBox(x - h, y - h, x + h, y + h))
    return ly


def test_wirelength_paths_and_boxes(tech):
    ly = _layout(tech,
                 wires=[("M2", [(0, 0), (10, 0)], 0.018),
                        ("M2", [(0, 1), (2.5, 1)], 0.018),
                        ("M3", [(1, 0), (1, 4), (3, 4)], 0.018),   # an L: 4 + 2
                        ("M5", [(0, 0), (0, 0.5)], 0.024)],
                 # a plain box wire: 3 um long, 0.036 wide -> centre line 3 - 0.036
                 boxes=[("M4", 0, 0, 3.0, 0.036)])
    wl = wirelength_by_layer(ly, tech)
    assert wl["M2"] == pytest.approx(12.5)
    assert wl["M3"] == pytest.approx(6.0)
    assert wl["M4"] == pytest.approx(3.0 - 0.036)
    assert wl["M5"] == pytest.approx(0.5)
    assert wl["M1"] == wl["M6"] == wl["M9"] == 0.0
    assert set(wl) == set(tech.metal_names)


def test_wirelength_ignores_cell_metal(tech):
    ly = _layout(tech, wires=[("M2", [(0, 0), (1, 0)], 0.018)])
    top = ly.top_cell()
    child = ly.create_cell("cell")
    child.shapes(ly.layer(*tech.metal("M2").gds)).insert(kdb.Box(0, 0, 4000, 72))
    top.insert(kdb.CellInstArray(child.cell_index(), kdb.Trans()))
    assert wirelength_by_layer(ly, tech)["M2"] == pytest.approx(1.0)


def test_vias(tech):
    ly = _layout(tech, vias=[("V1", 0, 0), ("V1", 1, 0), ("V2", 0, 0), ("V6", 3, 3)])
    v = vias_by_cut(ly, tech)
    assert (v["V1"], v["V2"], v["V3"], v["V6"]) == (2, 1, 0, 1)
    assert sum(v.values()) == 4


def test_track_utilization(tech):
    # 100 um of M2 (36 nm pitch) in a 10 x 10 um core: 100 * 0.036 / 100 = 0.036
    util = track_utilization({"M2": 100.0, "M4": 50.0}, tech, 100.0)
    assert util["M2"] == pytest.approx(0.036)
    assert util["M4"] == pytest.approx(50 * 0.048 / 100)
    assert util["M3"] is None       # no wirelength given: unknown, not unused


def test_track_utilization_wrong(tech):
    with pytest.raises(ValueError, match=r"^core area must be positive, not 0\.0$"):
        track_utilization({}, tech, 0.0)


def test_metal_area_merges_overlaps(tech):
    # Two 1 x 1 um squares overlapping by half count 1.5 um^2, not 2.
    ly = _layout(tech, boxes=[("M3", 0, 0, 1, 1), ("M3", 0.5, 0, 1.5, 1)])
    area = metal_area_by_layer(ly, tech)
    assert area["M3"] == pytest.approx(1.5)
    assert metal_density(area, 3.0)["M3"] == pytest.approx(0.5)


def test_metal_area_counts_cells(tech):
    ly = _layout(tech)
    top = ly.top_cell()
    child = ly.create_cell("cell")
    child.shapes(ly.layer(*tech.metal("M1").gds)).insert(kdb.Box(0, 0, 400, 400))  # 0.01
    for x in range(3):
        top.insert(kdb.CellInstArray(child.cell_index(), kdb.Trans(x * 1000, 0)))
    assert metal_area_by_layer(ly, tech)["M1"] == pytest.approx(0.03)
