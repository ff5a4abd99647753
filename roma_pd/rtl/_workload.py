"""The workload each block sees, simulated: per-input-port switching activity for power.

A tile reads its whole store once, one word per cycle at successive addresses, while the
environment presents each word's activations. The simulation runs the tile's behavioural
model (the store as a memory model, ``structural=False``) in Amaranth's simulator and
samples, every cycle, the ports of each block the flow hardens: the tile's inputs, the
store's address (the ROM block's input) and the word it returns (the compute block's
``rom_data``). A block's activity is then what its own input ports did in the tile.

Stated distributions (``WORKLOAD`` says them in one line for the reports):

- activations ``x``: FP16 of N(0, 1), independent per lane and word;
- per group of 128 weights: zero point ``z`` uniform over the weight codes, scale ``s``
  FP16 of U(2^-8, 2^-4), ``e_max`` the group's largest exponent (as the aligner gives);
- weights: the ROM content of the config (default: the seeded random content);
- the MAC: ``a`` |N(0, 2^(a_width-2))| clipped to ``a_width`` bits, ``b`` uniform, ``en``
  high, ``clr`` every 64 cycles (a 64-term dot product).

Activity is in transitions per clock cycle (OpenSTA's ``set_power_activity
-activity``), duty the fraction of cycles the bit is 1.
"""
from __future__ import annotations

import functools
import inspect
import json
from dataclasses import dataclass

import numpy as np
from amaranth.sim import Simulator

from ._content import content_words
from ._lunit import GROUP
from ._sim import group_e_max

__all__ = ["PortActivity", "port_activity", "WORKLOAD", "has_workload"]

WORKLOAD = ("one pass over the store, a word per cycle at successive addresses; "
            "activations FP16 of N(0, 1); per group z uniform, s FP16 of U(2^-8, 2^-4)")
MAC_WORKLOAD = ("a |N(0, 2^(a_width-2))| clipped, b uniform, en high, clr every 64 "
                "cycles")
_DOT = 64       # MAC: cycles per dot product


@dataclass(frozen=True)
class PortActivity:
    """Measured activity of one block's input port bits: ``bits`` maps ``port[k]`` (or
    ``port`` for a 1-bit port) to ``(transitions per cycle, duty)``; ``cycles`` were
    simulated; ``workload`` says what ran."""
    bits: dict[str, tuple[float, float]]
    cycles: int
    workload: str

    def to_json(self) -> dict:
        return {"cycles": self.cycles, "workload": self.workload,
                "bits": {k: list(v) for k, v in self.bits.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "PortActivity":
        return cls({k: (float(a), float(d)) for k, (a, d) in data["bits"].items()},
                   int(data["cycles"]), str(data["workload"]))


def _bit_activity(name: str, width: int, samples: list[int]) -> dict:
    """Transitions per cycle and duty of each bit of a port sampled once per cycle."""
    v = np.array(samples, dtype=object)
    out = {}
    for k in range(width):
        bits = np.array([(int(s) >> k) & 1 for s in v], dtype=np.int8)
        toggles = int(np.count_nonzero(np.diff(bits))) if len(bits) > 1 else 0
        key = f"{name}[{k}]" if width > 1 else name
        out[key] = (toggles / max(len(bits) - 1, 1), float(bits.mean()) if len(bits) else 0.0)
    return out


def _fp16(values) -> list[int]:
    return [int(b) for b in np.asarray(values, dtype=np.float16).view(np.uint16)]


def _defaults(gen, params: dict) -> dict:
    p = {k: v.default for k, v in inspect.signature(gen).parameters.items()
         if v.default is not inspect.Parameter.empty}
    p.update(params)
    return p


@functools.lru_cache(maxsize=16)
def _tile_activity(depth: int, width: int, weight_bits: int, mant_bits: int,
                   content_json: str, seed: int) -> tuple[dict, int]:
    """Activity of every probed port bit of a tile reading its store once, and the
    cycles simulated; cached, since a tile's store and compute blocks share one run."""
    samples, widths = _tile_samples(depth, width, weight_bits, mant_bits,
                                    json.loads(content_json), seed)
    bits = {}
    for port, samples_of in samples.items():
        bits.update(_bit_activity(port, widths[port], samples_of))
    return bits, len(samples["run"])


def _tile_samples(depth: int, width: int, weight_bits: int, mant_bits: int,
                  content, seed: int) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Simulate a tile reading its store once; per cycle the values of the tile's inputs
    and of its store's address and data. Returns (samples, port widths)."""
    from ._tile import Tile
    words = content_words(content, depth, width, weight_bits)
    dut = Tile("brom", depth, width, words, weight_bits, mant_bits, structural=False)
    cmp = dut.compute
    lanes, n = cmp.lanes, cmp.words_per_group
    rng = np.random.default_rng(seed)
    groups = -(-depth // n)
    x = [_fp16(rng.standard_normal(lanes)) for _ in range(depth)]
    zs = rng.integers(0, 1 << weight_bits, groups)
    ss = _fp16(rng.uniform(2.0 ** -8, 2.0 ** -4, groups))
    e_max = [group_e_max([v for row in x[g * n:(g + 1) * n] for v in row])
             for g in range(groups)]
    probes = {"run": dut.run, "x": dut.x, "e_max": dut.e_max, "z": dut.z, "s": dut.s,
              "addr": cmp.rom_addr, "rom_data": cmp.rom_data}
    samples = {k: [] for k in probes}

    async def bench(ctx):
        ctx.set(dut.run, 1)
        for a in range(depth + 1):
            if a:                       # the word of address a - 1 arrives this cycle
                word, g = a - 1, (a - 1) // n
                ctx.set(dut.x, sum(v << (16 * k) for k, v in enumerate(x[word])))
                ctx.set(dut.e_max, e_max[g])
                ctx.set(dut.z, int(zs[g]))
                ctx.set(dut.s, int(ss[g]))
            for k, sig in probes.items():
                samples[k].append(ctx.get(sig))
            await ctx.tick()
            if a == depth - 1:
                ctx.set(dut.run, 0)

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    return samples, {k: len(sig) for k, sig in probes.items()}


def _mac_samples(a_width: int, b_width: int, lanes: int, cycles: int, seed: int):
    from ._mac import MAC
    rng = np.random.default_rng(seed)
    top = (1 << a_width) - 1
    a = np.clip(np.abs(rng.normal(0, 2.0 ** (a_width - 2), (cycles, lanes))), 0, top)
    b = rng.integers(0, 1 << b_width, (cycles, lanes))
    dut = MAC(a_width=a_width, b_width=b_width, lanes=lanes)
    samples = {"a": [], "b": [], "en": [], "clr": []}

    async def bench(ctx):
        for t in range(cycles):
            ctx.set(dut.a, sum(int(v) << (a_width * k) for k, v in enumerate(a[t])))
            ctx.set(dut.b, sum(int(v) << (b_width * k) for k, v in enumerate(b[t])))
            ctx.set(dut.en, 1)
            ctx.set(dut.clr, int(t % _DOT == 0))
            for k in samples:
                samples[k].append(ctx.get(getattr(dut, k)))
            await ctx.tick()

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
    widths = {"a": a_width * lanes, "b": b_width * lanes, "en": 1, "clr": 1}
    return samples, widths


# the block each generator hardens -> the tile ports it sees
_TILE_PORTS = {"stdrom": ("addr",), "brom": ("addr",), "logicrom": ("addr",),
               "compute": ("run", "rom_data", "x", "e_max", "z", "s"),
               "tile": ("run", "x", "e_max", "z", "s")}


def has_workload(generator: str | None) -> bool:
    """Whether ``generator``'s block has a simulated workload (else power is at the
    uniform activity only)."""
    return generator in _TILE_PORTS or generator == "mac"


def port_activity(generator: str, params: dict, seed: int = 0,
                  cycles: int = 4 * _DOT) -> PortActivity:
    """Simulate the workload of generator ``generator``'s block and measure the activity
    of each of its input port bits (``cycles`` is used by the MAC only: a tile block
    runs one pass over its store).

    Raises
    ------
    ValueError
        ``generator`` has no workload (see :func:`has_workload`).
    """
    from ._registry import GENERATORS
    if not has_workload(generator):
        raise ValueError(f"generator {generator!r} has no workload model; power is at "
                         "the uniform activity")
    p = _defaults(GENERATORS[generator], params)
    if generator == "mac":
        samples, widths = _mac_samples(p["a_width"], p["b_width"], p.get("lanes", 1),
                                       cycles, seed)
        bits = {}
        for port, samples_of in samples.items():
            bits.update(_bit_activity(port, widths[port], samples_of))
        return PortActivity(bits, cycles, f"MAC, {cycles} cycles: {MAC_WORKLOAD}")
    every, n = _tile_activity(int(p["depth"]), int(p["width"]), int(p["weight_bits"]),
                              int(p.get("mant_bits", 16)),
                              json.dumps(p.get("content"), sort_keys=True), seed)
    ports = _TILE_PORTS[generator]
    bits = {k: v for k, v in every.items() if k.split("[", 1)[0] in ports}
    return PortActivity(bits, n, WORKLOAD)
