"""Every ROM variant reads back its content; the analytic counts are what the builder
makes."""
import random

import pytest
from amaranth.hdl import Module

from roma_pd.rtl import (BROM, GateBuilder, LogicROM, StdROM, or_tree_cost, read_rom,
                         rom_analytics)


def _content(depth, width, seed, p_one=0.5):
    rng = random.Random(seed)
    return [sum((rng.random() < p_one) << b for b in range(width)) for _ in range(depth)]


@pytest.mark.parametrize("cls", [StdROM, BROM, LogicROM])
@pytest.mark.parametrize("depth, width, p_one", [(4, 1, 0.5), (16, 8, 0.5), (64, 12, 0.2),
                                                 (128, 4, 0.9)])
def test_reads_back_every_word(cls, depth, width, p_one):
    content = _content(depth, width, depth + width, p_one)
    dut = cls(depth, width, content)
    assert read_rom(dut) == content
    # and again in a scrambled order: no state between reads
    order = random.Random(1).sample(range(depth), depth)
    assert read_rom(cls(depth, width, content), order) == [content[a] for a in order]


@pytest.mark.parametrize("content", [[0] * 8, [255] * 8])
def test_all_zero_and_all_one(content):
    for cls in (StdROM, BROM):
        assert read_rom(cls(8, 8, content)) == content


def test_or_tree_cost_matches_builder():
    for n in range(0, 40):
        m = Module()
        g = GateBuilder(m)
        from amaranth.hdl import Signal
        g.or_tree([Signal() for _ in range(n)])
        assert (g.count, g.inputs) == or_tree_cost(n), n
    # no 4-input gates: a NOR3 per 3 inputs, a NAND level above, an inverter at the end
    assert or_tree_cost(9) == (4, 12)


def test_analytics_small():
    # Two blocks, one column: block 0 stores 0b0110 (candidate 6), block 1 0b0001.
    content = [0, 1, 1, 0, 1, 0, 0, 0]
    a = rom_analytics(8, 1, content)
    assert a["ones"] == 3 and a["std_or_inputs"] == or_tree_cost(3)[1]
    assert a["brom_candidates"] == 2                   # 6 and 1
    assert a["brom_cgen_inputs"] == or_tree_cost(2)[1]  # candidate 1 is a bare line
    assert a["brom_column_inputs"] == or_tree_cost(2)[1]
    assert a["paper_brom_crossings"] == 2


@pytest.mark.parametrize("args, exc, message", [
    ((6, 4, [0] * 6), ValueError, r"^depth must be a power of two of at least 4, not 6$"),
    ((8, 0, [0] * 8), TypeError, r"^width must be a positive integer, not 0$"),
    ((8, 4, [0] * 7), ValueError, r"^content must hold depth \(8\) words, not 7$"),
    ((8, 4, [0] * 7 + [16]), ValueError,
     r"^content\[7\] must be an unsigned 4-bit integer, not 16$"),
])
def test_params_wrong(args, exc, message):
    with pytest.raises(exc, match=message):
        StdROM(*args)


def test_or_style_cost():
    # OR3/OR2 cells: one gate per group, no inverter levels
    assert or_tree_cost(9, "or") == (4, 12)
    assert or_tree_cost(2, "or") == (1, 2)
    assert or_tree_cost(10, "or") == (7, 16)     # 3+3+2+2 -> 2+2 -> 2
    m = Module()
    from amaranth.hdl import Signal

    from roma_pd.rtl import Asap7Gates
    g = GateBuilder(m, Asap7Gates(style="or"))
    g.or_tree([Signal() for _ in range(10)])
    assert (g.count, g.inputs) == or_tree_cost(10, "or")
