"""LVS on a hand-built block: two abutting buffer cells (black boxes: M1 pin shapes with
pin labels, rails) wired on M2 through V1 cuts, against a two-cell Verilog netlist."""
import klayout.db as kdb
import klayout.rdb as rdb
import pytest

from roma_pd.metrics import read_verilog_netlist, run_lvs
from roma_pd.metrics._lvs import PIN_DATATYPE

VERILOG = """
module blk(a, y);
  input a; output y; wire n1;
  BUF_T u1 (.A(a), .Y(n1));
  BUF_T u2 (.A(n1), .Y(y));
endmodule
"""
WIRE_Y = (0.1, 0.118)       # the M2 track every wire runs on


def _cell(ly, tech):
    """BUF_T, 1 um wide: rails VSS/VDD, pins A at x 0.2 and Y at x 0.7 on M1."""
    cell = ly.create_cell("BUF_T")
    m1 = ly.layer(*tech.metal("M1").gds)
    pins = ly.layer(tech.metal("M1").gds[0], PIN_DATATYPE)
    for name, box in (("VSS", (0, 0, 1, 0.018)), ("VDD", (0, 0.252, 1, 0.27)),
                      ("A", (0.2, 0.05, 0.218, 0.2)), ("Y", (0.7, 0.05, 0.718, 0.2))):
        cell.shapes(m1).insert(kdb.DBox(*box))
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        cell.shapes(pins).insert(kdb.DText(name, cx, cy))
    return cell


def _block(tech, open_=False, short=False):
    ly = kdb.Layout()
    ly.dbu = 0.00025
    top = ly.create_cell("blk")
    buf = _cell(ly, tech)
    for x in (0.0, 1.0):
        top.insert(kdb.DCellInstArray(buf.cell_index(), kdb.DTrans(x, 0)))
    m2 = ly.layer(*tech.metal("M2").gds)
    v1 = ly.layer(*next(c for c in tech.cuts if c.name == "V1").gds)
    y0, y1 = WIRE_Y
    wires = [(-0.1, 0.218), (0.7, 1.218), (1.7, 2.1)]         # a, n1, y
    if short:
        wires[0] = (-0.1, 0.7)                                # a runs into n1
    for x0, x1 in wires:
        top.shapes(m2).insert(kdb.DBox(x0, y0, x1, y1))
    cuts = [0.2, 0.7, 1.2, 1.7]                               # u1.A u1.Y u2.A u2.Y
    if open_:
        cuts.remove(1.2)                                      # u2.A loses its via
    for x in cuts:
        top.shapes(v1).insert(kdb.DBox(x, y0, x + 0.018, y1))
    for name, x in (("a", -0.09), ("y", 2.09)):               # port labels, as Coriolis
        top.shapes(m2).insert(kdb.DText(name, x, (y0 + y1) / 2))
    return ly


@pytest.fixture
def schematic(tmp_path):
    src = tmp_path / "blk.vg"
    src.write_text(VERILOG)
    return lambda: read_verilog_netlist(src, "blk", tmp_path / "yosys.log")


def test_clean_block_matches(tech, schematic):
    result, _ = run_lvs(_block(tech), tech, "blk", schematic())
    assert result.match
    assert (result.opens, result.shorts, result.mismatch_count) == ({}, {}, 0)
    assert result.nets == 5          # a, y, n1, VDD, VSS


def test_seeded_open_is_flagged(tech, schematic, tmp_path):
    result, lvs = run_lvs(_block(tech, open_=True), tech, "blk", schematic())
    assert not result.match and result.mismatch_count > 0
    assert list(result.opens) == ["n1"] and result.shorts == {}
    # Two pieces: the routed wire and the floating pin of u2 (marked by its cell).
    boxes = sorted(result.opens["n1"], key=lambda b: b.left)
    assert len(boxes) == 2
    assert boxes[0].contains(kdb.DPoint(0.9, 0.109))          # the M2 wire
    assert boxes[1].contains(kdb.DPoint(1.209, 0.1))          # u2's pin A
    path = result.write_lyrdb(tmp_path / "blk.lvs.lyrdb")
    db = rdb.ReportDatabase("")
    db.load(str(path))
    assert db.num_items() == 2 and db.top_cell_name == "blk"
    lvs.write(str(tmp_path / "blk.lvsdb"))             # KLayout's netlist browser reads it
    back = kdb.LayoutVsSchematic()
    back.read(str(tmp_path / "blk.lvsdb"))
    assert back.netlist().circuit_by_name("blk") is not None


def test_seeded_short_is_flagged(tech, schematic):
    result, _ = run_lvs(_block(tech, short=True), tech, "blk", schematic())
    assert not result.match and result.mismatch_count > 0
    assert list(result.shorts) == [("a", "n1")] and result.opens == {}
    box = result.shorts[("a", "n1")]
    assert box.contains(kdb.DPoint(0.5, 0.109))               # the joining wire


def test_missing_top_wrong(tech, schematic):
    with pytest.raises(ValueError, match=r"^layout must hold a cell 'nope'$"):
        run_lvs(_block(tech), tech, "nope", schematic())


def test_a_netlist_without_nets_fails_closed(tech):
    """LVS that compared no net proves nothing: it is an error, never a match."""
    layout = kdb.Layout()
    layout.dbu = 0.00025
    m1 = tech.metal("M1")
    layout.create_cell("top").shapes(layout.layer(*m1.gds)).insert(kdb.Box(0, 0, 72, 400))
    netlist = kdb.Netlist()
    circuit = kdb.Circuit()
    circuit.name = "top"
    netlist.add(circuit)
    with pytest.raises(ValueError, match=r"^the netlist of 'top' has no net: LVS compared "
                                         r"nothing$"):
        run_lvs(layout, tech, "top", netlist)


def test_escaped_scalars_are_told_from_bus_bits(tmp_path):
    # \w[0] is one net named w[0]; acc is a bus whose bits are acc[0], acc[1]
    from roma_pd.metrics import (escaped_nets, net_connections, read_verilog_json,
                                 schematic_from_yosys)
    (tmp_path / "e.v").write_text("""
module e(a, acc);
  input a; output [1:0] acc; wire \\w[0] ;
  BUF_T u1 (.A(a), .Y(\\w[0] ));
  BUF_T u2 (.A(\\w[0] ), .Y(acc[0]));
  BUF_T u3 (.A(a), .Y(acc[1]));
endmodule
""")
    data = read_verilog_json(tmp_path / "e.v", tmp_path / "yosys.log")
    pins, _ = net_connections(schematic_from_yosys(data, "e"), "e")
    assert {"w[0]", "acc[0]", "acc[1]"} <= set(pins)
    assert escaped_nets(data, "e") == {"w[0]"}
