"""Amaranth simulations of the generators: read a ROM out, stream groups through an
L-Unit. Used by the tests and by the tile verification."""
from __future__ import annotations

from amaranth.sim import Simulator

from ._lunit import GROUP

__all__ = ["read_rom", "run_lunit", "group_e_max", "run_tile_sim"]


def read_rom(dut, addresses=None) -> list[int]:
    """The words a ROM component returns for ``addresses`` (default: all), in order."""
    addresses = list(range(dut.depth)) if addresses is None else list(addresses)
    got = []

    async def bench(ctx):
        for a in addresses:
            ctx.set(dut.addr, a)
            await ctx.tick()
            got.append(ctx.get(dut.data))

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    return got


def group_e_max(x_bits) -> int:
    """What the alignment unit hands the L-Unit: the largest finite biased exponent."""
    exps = [(int(b) >> 10) & 31 for b in x_bits]
    finite = [e for e in exps if e != 31]
    return max(finite) if finite else 0


def run_lunit(dut, groups) -> list[int]:
    """Stream groups ``(q[128], x_bits[128], z, s_bits)`` back to back through an
    L-Unit; returns the FP32 bits of each group's result."""
    L, wb = dut.lanes, dut.weight_bits
    words = GROUP // L
    out = []

    async def bench(ctx):
        for q, x_bits, z, s_bits in groups:
            ctx.set(dut.e_max, group_e_max(x_bits))
            ctx.set(dut.z, int(z))
            ctx.set(dut.s, int(s_bits))
            for c in range(words):
                lanes = range(c * L, (c + 1) * L)
                ctx.set(dut.valid, 1)
                ctx.set(dut.first, c == 0)
                ctx.set(dut.last, c == words - 1)
                ctx.set(dut.w, sum(int(q[j]) << (k * wb) for k, j in enumerate(lanes)))
                ctx.set(dut.x, sum(int(x_bits[j]) << (16 * k) for k, j in enumerate(lanes)))
                await ctx.tick()
            # the result is registered on the last word's clock edge
            assert ctx.get(dut.y_valid), "y_valid must follow the last word"
            out.append(ctx.get(dut.y))
        ctx.set(dut.valid, 0)

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    return out


def run_tile_sim(dut, activations, zs, ss) -> list[int]:
    """Run a Tile over its whole store once: word ``a`` meets activation vector
    ``activations[a]`` (lanes FP16 bit patterns); group g uses zero point ``zs[g]`` and
    scale ``ss[g]``. Returns the FP32 bits of every group's result."""
    cmp = dut.compute
    n = cmp.words_per_group
    out = []

    async def bench(ctx):
        ctx.set(dut.run, 1)
        for a in range(cmp.depth + 1):
            # inputs for the word arriving this cycle: address a - 1
            if a:
                word, g = a - 1, (a - 1) // n
                group = activations[g * n:(g + 1) * n]
                ctx.set(dut.x, sum(int(v) << (16 * k) for k, v in
                                   enumerate(activations[word])))
                ctx.set(dut.e_max, group_e_max([v for row in group for v in row]))
                ctx.set(dut.z, int(zs[g]))
                ctx.set(dut.s, int(ss[g]))
            await ctx.tick()
            if a == cmp.depth - 1:
                ctx.set(dut.run, 0)
            if ctx.get(dut.y_valid):
                out.append(ctx.get(dut.y))

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    return out
