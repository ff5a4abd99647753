"""Opens and shorts on hand-built layouts."""
import klayout.db as kdb
import pytest

from roma_pd.metrics import check_connectivity


def _box(tech, ly, layer, *box):
    gds = tech.metal(layer).gds if layer.startswith("M") else \
        next(c for c in tech.cuts if c.name == layer).gds
    ly.top_cell().shapes(ly.layer(*gds)).insert(kdb.DBox(*box))


def _term(layer, x0, y0, x1, y1):
    return {"boxes": [[layer, x0, y0, x1, y1]]}


def _two_pins(tech):
    """Net n: M1 pin at x=0 and x=2, joined on M2 through two V1 cuts."""
    ly = kdb.Layout()
    ly.dbu = 0.00025
    ly.create_cell("top")
    for x in (0.0, 2.0):
        _box(tech, ly, "M1", x, 0, x + 0.018, 0.2)
        _box(tech, ly, "V1", x, 0.091, x + 0.018, 0.109)
    _box(tech, ly, "M2", 0, 0.091, 2.018, 0.109)
    terms = {"n": [_term("M1", 0, 0, 0.018, 0.2), _term("M1", 2.0, 0, 2.018, 0.2)]}
    return ly, terms


def test_connected(tech):
    ly, terms = _two_pins(tech)
    result = check_connectivity(ly, tech, terms)
    assert (result.nets, result.terminals, result.opens, result.shorts) == (1, 2, [], [])


def test_open(tech):
    ly, terms = _two_pins(tech)
    m2 = ly.layer(*tech.metal("M2").gds)
    ly.top_cell().shapes(m2).clear()
    _box(tech, ly, "M2", 0, 0.091, 0.9, 0.109)     # the wire stops short
    assert check_connectivity(ly, tech, terms).opens == ["n"]


def test_floating_terminal_is_open(tech):
    ly, terms = _two_pins(tech)
    terms["n"].append(_term("M1", 5.0, 0, 5.018, 0.2))   # no metal there
    assert check_connectivity(ly, tech, terms).opens == ["n"]


def test_short(tech):
    ly, terms = _two_pins(tech)
    # Net m has a pin at x=1 that the M2 of net n runs through.
    _box(tech, ly, "M1", 1.0, 0, 1.018, 0.2)
    _box(tech, ly, "V1", 1.0, 0.091, 1.018, 0.109)
    _box(tech, ly, "M1", 1.5, 0.3, 1.518, 0.5)
    terms["m"] = [_term("M1", 1.0, 0, 1.018, 0.2), _term("M1", 1.5, 0.3, 1.518, 0.5)]
    result = check_connectivity(ly, tech, terms)
    assert result.shorts == [("m", "n")]
    assert result.opens == ["m"]       # m's second pin is not joined


def test_layers_above_top_layer_ignored(tech):
    ly, terms = _two_pins(tech)
    ly.top_cell().shapes(ly.layer(*tech.metal("M2").gds)).clear()
    # Joined only through M2, which is above the checked stack: open.
    assert check_connectivity(ly, tech, terms, top_layer="M1").opens == ["n"]


def test_no_net_checked_wrong(tech):
    """A check of nothing must not pass: no terminals, or only one-terminal nets."""
    ly, terms = _two_pins(tech)
    message = (r"^connectivity check found no net with two or more terminals among "
               r"{} nets; the layout cannot be judged connected$")
    with pytest.raises(ValueError, match=message.format(0)):
        check_connectivity(ly, tech, {})
    with pytest.raises(ValueError, match=message.format(1)):
        check_connectivity(ly, tech, {"n": terms["n"][:1]})
