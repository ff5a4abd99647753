"""Wire R and C of hand-built nets, and the SPEF they make."""
import klayout.db as kdb
import pytest

from roma_pd.metrics import ASAP7_RC, NetRC, net_parasitics, write_spef


def _wires(tech, shapes):
    """shapes: (net, layer, geometry) with a DPath or a DBox; net in property 'net'."""
    ly = kdb.Layout()
    ly.dbu = 0.00025
    top = ly.create_cell("top")
    for net, layer, geometry in shapes:
        gds = tech.metal(layer).gds if layer.startswith("M") else \
            next(c for c in tech.cuts if c.name == layer).gds
        shape = top.shapes(ly.layer(*gds)).insert(geometry)
        shape.set_property("net", net)
    return ly


def _path(*pts, w=0.018):
    return kdb.DPath([kdb.DPoint(*p) for p in pts], w, w / 2, w / 2)


def test_per_layer_sums_equal_net_total(tech):
    cut = kdb.DBox(0, 0, 0.018, 0.018)
    ly = _wires(tech, [("n", "M2", _path((0, 0), (10, 0))),
                       ("n", "M2", _path((10, 0), (12.5, 0))),
                       ("n", "M3", _path((12.5, 0), (12.5, 4))),
                       ("n", "M4", kdb.DBox(0, 0, 2.024, 0.024)),   # box: 2 um spine
                       ("n", "V1", cut), ("n", "V1", cut), ("n", "V2", cut),
                       ("n", "V3", cut),
                       ("m", "M2", _path((0, 1), (1, 1)))])
    rc = net_parasitics(ly, tech)
    n = rc["n"]
    assert n.length_um["M2"] == pytest.approx(12.5)
    assert n.length_um["M3"] == pytest.approx(4.0)
    assert n.length_um["M4"] == pytest.approx(2.0)
    assert dict(n.cuts) == {"V1": 2, "V2": 1, "V3": 1}
    for layer, length in n.length_um.items():
        r, c = ASAP7_RC[layer]
        assert n.r_kohm[layer] == pytest.approx(r * length)
        assert n.c_ff[layer] == pytest.approx(c * length)
    assert n.r_kohm["V1"] == pytest.approx(2 * 1.72e-02)
    assert n.r_total == pytest.approx(sum(n.r_kohm.values()))
    assert n.c_total == pytest.approx(sum(n.c_ff.values()))
    # 12.5 um of M2, 4 of M3, 2 of M4 and 4 cuts, by hand:
    assert n.r_total == pytest.approx(12.5 * 2.97126e-02 + 4 * 3.12872e-02 +
                                      2 * 1.80365e-02 + 3 * 1.72e-02 + 1.72e-02)
    assert n.c_total == pytest.approx(12.5 * 1.84542e-01 + 4 * 1.53955e-01 +
                                      2 * 1.89434e-01)
    assert rc["m"].c_total == pytest.approx(1.84542e-01)


def test_layer_without_value_wrong(tech):
    ly = _wires(tech, [("n", "M8", _path((0, 0), (1, 0), w=0.04))])
    with pytest.raises(ValueError, match=r"^routed layer M8 must have an R/C value, one "
                                         r"of \['M1', 'M2', 'M3', 'M4', 'M5', 'M6', "
                                         r"'M7'\]$"):
        net_parasitics(ly, tech)


def test_spef_star(tmp_path):
    rc = NetRC()
    rc.r_kohm["M2"], rc.c_ff["M2"] = 0.4, 1.5
    path = write_spef(tmp_path / "t.spef", "t", {"a$7[0]": rc, "acc[1]": rc},
                      {"a$7[0]": ["_1_:Y", "_2_:A"], "acc[1]": ["_2_:Y", "acc[1]"]},
                      {"acc[1]"})
    text = path.read_text()
    assert "*R_UNIT 1 KOHM" in text and "*C_UNIT 1 FF" in text
    assert "*D_NET a\\$7\\[0\\] 1.5\n*CONN\n*I _1_:Y B\n*I _2_:A B\n*CAP\n" \
           "1 a\\$7\\[0\\]:1 1.5\n*RES\n1 _1_:Y a\\$7\\[0\\]:1 0.2\n" \
           "2 _2_:A a\\$7\\[0\\]:1 0.2\n*END" in text
    assert "*P acc[1] B" in text and "2 acc[1] acc[1]:1 0.2" in text


def test_spef_escapes_an_escaped_scalar(tmp_path):
    rc = NetRC()
    rc.r_kohm["M2"], rc.c_ff["M2"] = 0.4, 1.5
    conns = {"word[0]": ["_1_:Y", "_2_:A"], "acc[1]": ["_2_:Y", "_3_:A"]}
    text = write_spef(tmp_path / "t.spef", "t", {"word[0]": rc, "acc[1]": rc}, conns,
                      set(), {"word[0]"}).read_text()
    assert "*D_NET word\\[0\\] 1.5\n" in text and "*D_NET acc[1] 1.5\n" in text
