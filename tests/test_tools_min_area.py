"""Minimum-area patches on hand-built layouts (no PDK needed)."""
import klayout.db as kdb
import pytest

from roma_pd.metrics import run_drc
from roma_pd.tools._min_area import patch_min_area

from .test_metrics_drc import TECH, _box, _layout

M2 = (20, 0)
MIN_AREA = 666          # nm^2, ASAP7 M2


def _islands(layout, cell):
    region = kdb.Region(cell.begin_shapes_rec(layout.layer(*M2))).merged()
    return sorted((p.bbox().left, p.bbox().right, p.area() * 0.25 ** 2)   # nm, nm^2
                  for p in region.each())


def test_a_via_stack_pad_is_lengthened_along_the_track_to_the_minimum_area():
    layout, top = _layout()
    _box(layout, top, M2, 0, 0, 28, 18)          # V1+V2 stack pad: 504 nm^2
    result = patch_min_area(layout, TECH, "top")
    assert result.found["M2"] == 1 and result.patched["M2"] == 1
    [(left, right, area)] = _islands(layout, top)
    assert area >= MIN_AREA
    # both ends, by whole nm: 504 + 2 * 5 * 18 = 684 (the least symmetric patch)
    assert (left, right) == (-5 * 4, 33 * 4)
    assert run_drc(layout, TECH, "top").total == 0


def test_a_neighbour_on_one_side_moves_the_patch_to_the_other():
    layout, top = _layout()
    _box(layout, top, M2, 0, 0, 28, 18)
    _box(layout, top, M2, -30, 0, -18, 18)       # 18 nm to the left: on the rule
    _box(layout, top, M2, -500, 0, -30, 18)      # (with this one: a long wire)
    result = patch_min_area(layout, TECH, "top")
    assert result.patched["M2"] == 1
    drc = run_drc(layout, TECH, "top")
    assert drc.total == 0, drc.rules
    pad = [i for i in _islands(layout, top) if i[0] >= 0]
    assert pad[0][0] == 0 and pad[0][2] >= MIN_AREA


def test_a_pad_boxed_in_on_every_side_is_left_for_the_drc():
    layout, top = _layout()
    _box(layout, top, M2, 0, 0, 28, 18)
    for x0, y0, x1, y1 in [(-500, 0, -18, 18), (46, 0, 500, 18),         # along
                           (-500, 36, 500, 54), (-500, -36, 500, -18)]:  # across
        _box(layout, top, M2, x0, y0, x1, y1)
    before = _islands(layout, top)
    result = patch_min_area(layout, TECH, "top")
    assert (result.found["M2"], result.patched["M2"], result.left["M2"]) == (1, 0, 1)
    assert _islands(layout, top) == before
    assert run_drc(layout, TECH, "top").rules["M2.area"] == 1


def test_a_patch_keeps_its_spacing_to_an_earlier_patch():
    layout, top = _layout()
    # A wall left of pad A sends A's patch right (to 37 nm); pad B, 30 nm right of A,
    # is 21 nm from that patch and would be 16 nm from it if it grew both ways.
    _box(layout, top, M2, -500, 0, -18, 18)
    _box(layout, top, M2, 0, 0, 28, 18)
    _box(layout, top, M2, 58, 0, 86, 18)
    result = patch_min_area(layout, TECH, "top")
    assert result.patched["M2"] == 2
    assert [i[:2] for i in _islands(layout, top)][1:] == [(0, 37 * 4), (58 * 4, 95 * 4)]
    drc = run_drc(layout, TECH, "top")
    assert drc.total == 0, drc.rules


def test_a_cells_own_small_metal_is_not_patched():
    layout, top = _layout()
    child = layout.create_cell("INVx1")
    _box(layout, child, M2, 0, 0, 28, 18)
    top.insert(kdb.CellInstArray(child.cell_index(), kdb.Trans()))
    result = patch_min_area(layout, TECH, "top")
    assert result.found["M2"] == 0
    assert top.shapes(layout.layer(*M2)).is_empty()


def test_an_unknown_top_cell_is_refused():
    layout, _ = _layout()
    with pytest.raises(ValueError, match=r"^top must be a cell of the layout, not 'nope'$"):
        patch_min_area(layout, TECH, "nope")
