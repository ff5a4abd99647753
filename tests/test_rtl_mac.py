import random

import pytest
from amaranth.sim import Simulator

from roma_pd.rtl import MAC


def _run(dut, vectors):
    """Drive (a-list, b-list, en, clr) per cycle; return acc after each cycle."""
    out = []

    async def bench(ctx):
        for a, b, en, clr in vectors:
            ctx.set(dut.a, sum(v << (i * dut.a_width) for i, v in enumerate(a)))
            ctx.set(dut.b, sum(v << (i * dut.b_width) for i, v in enumerate(b)))
            ctx.set(dut.en, en)
            ctx.set(dut.clr, clr)
            await ctx.tick()
            out.append(ctx.get(dut.acc))

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    return out


@pytest.mark.parametrize("lanes", [1, 3])
def test_accumulates_registered_products(lanes):
    rng = random.Random(lanes)
    dut = MAC(a_width=4, b_width=5, acc_width=12, lanes=lanes)
    vectors = [([rng.randrange(16) for _ in range(lanes)],
                [rng.randrange(32) for _ in range(lanes)],
                rng.random() < 0.8, rng.random() < 0.1) for _ in range(60)]
    got = _run(dut, vectors)
    # Golden model: operands are registered, so a product lands one cycle later.
    acc, prev, expect = 0, 0, []
    for a, b, en, clr in vectors:
        if clr:
            acc = 0
        elif en:
            acc = (acc + prev) % (1 << 12)
        prev = sum(x * y for x, y in zip(a, b))
        expect.append(acc)
    assert got == expect


def test_width_wrong():
    with pytest.raises(TypeError, match=r"^a_width must be a positive integer, not 0$"):
        MAC(a_width=0)
    with pytest.raises(TypeError, match=r"^lanes must be a positive integer, not True$"):
        MAC(lanes=True)


def test_acc_width_wrong():
    with pytest.raises(ValueError, match=r"^acc_width must be at least a_width \+ b_width "
                                         r"\(16\), not 12$"):
        MAC(acc_width=12)
