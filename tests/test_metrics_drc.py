"""The DRC check on hand-built layouts with seeded violations (no PDK needed)."""
import klayout.db as kdb
import klayout.rdb as rdb
import pytest

from roma_pd.metrics import drc_layers, run_drc
from roma_pd.metrics._drc import _measure
from roma_pd.pdk import CutLayer, MetalLayer, TechFacts

# ASAP7's lower stack: 18 nm wide, 18 nm apart, 666 nm^2 minimum area.
TECH = TechFacts(
    metals=(MetalLayer("M1", "V", 0.036, 0.0, 0.018, (19, 0), 0.018, 0.000666),
            MetalLayer("M2", "H", 0.036, 0.0, 0.018, (20, 0), 0.018, 0.000666),
            MetalLayer("M3", "V", 0.036, 0.0, 0.018, (30, 0), 0.018, 0.000666)),
    cuts=(CutLayer("V1", "M1", "M2", 0.018, (21, 0), 0.018),
          CutLayer("V2", "M2", "M3", 0.018, (25, 0), 0.018),
          CutLayer("V3", "M3", "M4", 0.018, (35, 0), 0.034)),   # M4 not in TECH
    site="core", site_width=0.054, row_height=0.270, dbu_per_um=4000)


def _layout():
    layout = kdb.Layout()
    layout.dbu = 0.00025        # ASAP7's GDS grid
    return layout, layout.create_cell("top")


def _box(layout, cell, gds, x0, y0, x1, y1):
    """A rectangle in nm."""
    cell.shapes(layout.layer(*gds)).insert(kdb.DBox(x0 / 1000, y0 / 1000, x1 / 1000,
                                                    y1 / 1000))


def _seeded():
    layout, top = _layout()
    # two M2 wires 10 nm apart
    _box(layout, top, (20, 0), 0, 0, 500, 18)
    _box(layout, top, (20, 0), 0, 28, 500, 46)
    # a 10 nm wide M3 wire
    _box(layout, top, (30, 0), 1000, 0, 1010, 500)
    # a tiny M2 island: 18 x 18 nm = 324 nm^2
    _box(layout, top, (20, 0), 2000, 0, 2018, 18)
    # a V1 cut on M1 with no M2 above
    _box(layout, top, (19, 0), 3000, 0, 3018, 200)
    _box(layout, top, (21, 0), 3000, 100, 3018, 118)
    return layout


def _clean():
    """M2 and M3 wires at 36 nm pitch, 18 nm wide, V2 cuts at adjacent crossings
    (18 nm apart: on the rule), a via pad overlapping a wire (one net, touching)."""
    layout, top = _layout()
    for i in range(5):
        _box(layout, top, (20, 0), 0, 36 * i, 400, 36 * i + 18)
        _box(layout, top, (30, 0), 36 * i, -50, 36 * i + 18, 400)
        _box(layout, top, (25, 0), 36 * i, 36 * i, 36 * i + 18, 36 * i + 18)
        _box(layout, top, (25, 0), 36 * i, 36 * ((i + 1) % 5), 36 * i + 18,
             36 * ((i + 1) % 5) + 18)
    _box(layout, top, (20, 0), 380, 0, 420, 18)      # pad past the wire end
    return layout


def test_drc_layers():
    assert drc_layers(TECH) == (["M1", "M2", "M3"], ["V1", "V2"])


def test_seeded_violations():
    result = run_drc(_seeded(), TECH)
    assert {k: v for k, v in result.rules.items() if v} == {
        "M2.spacing": 1, "M3.width": 1, "M2.area": 1, "V1.enclosure_above": 1}
    assert result.layers == {"M1": 0, "M2": 2, "M3": 1, "V1": 1, "V2": 0}
    assert result.total == 4 == sum(result.layers.values())
    (pair,) = result.markers["M2.spacing"]
    assert isinstance(pair, kdb.DEdgePair) and pair.distance() == pytest.approx(0.010)
    (island,) = result.markers["M2.area"]
    assert island.area() == pytest.approx(0.018 * 0.018)
    # every rule of a layer with shapes is reported, also at 0
    assert set(result.rules) == {f"M{i}.{r}" for i in (1, 2, 3) for r in
                                 ("width", "spacing", "area")} | \
        {"V1.spacing", "V1.enclosure_below", "V1.enclosure_above"}


def test_clean_pattern():
    result = run_drc(_clean(), TECH)
    assert result.total == 0, {k: v for k, v in result.rules.items() if v}
    assert result.rules["V2.spacing"] == 0 and result.rules["M2.spacing"] == 0


def test_spacing_to_cell_metal():
    """Routed M2 9 nm from a cell's internal M2 (the Katana obstruction case)."""
    layout, top = _layout()
    cell = layout.create_cell("DFF")
    _box(layout, cell, (20, 0), 0, 0, 200, 18)
    top.insert(kdb.DCellInstArray(cell.cell_index(), kdb.DTrans(0.1, 0.2)))
    _box(layout, top, (20, 0), 100, 227, 400, 245)   # 9 nm above the cell's wire
    result = run_drc(layout, TECH)
    assert result.rules["M2.spacing"] == 1 and result.total == 1
    assert result.markers["M2.spacing"][0].distance() == pytest.approx(0.009)


def test_markers_capped():
    layout, top = _layout()
    for i in range(5):       # five islands
        _box(layout, top, (20, 0), 100 * i, 0, 100 * i + 18, 18)
    result = run_drc(layout, TECH, max_markers=2)
    assert result.rules["M2.area"] == 5 and len(result.markers["M2.area"]) == 2


def test_lyrdb_loads_back(tmp_path):
    result = run_drc(_seeded(), TECH)
    path = result.write_lyrdb(tmp_path / "top.drc.lyrdb", original_file="top.gds")
    db = rdb.ReportDatabase("")
    db.load(str(path))
    assert db.top_cell_name == "top" and db.num_items() == 4
    cats = {c.name(): c for c in db.each_category()}
    assert set(cats) == set(result.rules)
    assert cats["M2.spacing"].num_items() == 1 and cats["M1.width"].num_items() == 0
    assert "18 nm" in cats["M2.spacing"].description
    (item,) = db.each_item_per_category(cats["M2.spacing"].rdb_id())
    geometry, text = item.each_value()
    assert geometry.is_edge_pair() and geometry.edge_pair().distance() == pytest.approx(0.010)
    assert text.is_string() and text.string() == "10.0 nm"


def test_corner_to_corner_spacing():
    """Cuts 24 nm apart in x and y are 33.9 nm apart corner to corner: below a 34 nm
    cut spacing (Euclidian, as LEF measures), not below 24 nm."""
    tech = TechFacts(TECH.metals, (CutLayer("V1", "M1", "M2", 0.018, (21, 0), 0.034),),
                     "core", 0.054, 0.270, 4000)
    layout, top = _layout()
    _box(layout, top, (19, 0), 0, 0, 200, 200)
    _box(layout, top, (20, 0), 0, 0, 200, 200)
    _box(layout, top, (21, 0), 50, 50, 74, 74)
    _box(layout, top, (21, 0), 98, 98, 122, 122)
    result = run_drc(layout, tech)
    assert result.rules["V1.spacing"] == 1 and result.total == 1
    (pair,) = result.markers["V1.spacing"]
    assert pair.first.is_degenerate()          # two corners
    assert _measure(pair) == "33.9 nm"


def test_top_wrong():
    with pytest.raises(ValueError, match=r"^top must be a cell of the layout, not 'nope'$"):
        run_drc(_seeded(), TECH, top="nope")
