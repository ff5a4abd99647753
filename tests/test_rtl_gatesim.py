"""Post-synthesis gate-level simulation (liberty cell functions, Icarus Verilog) of a
small B-ROM and a small tile, against the same golden models as the RTL."""
import numpy as np
import pytest
from amaranth.back import rtlil

from roma_pd.rtl import (Asap7Gates, BROM, Tile, content_words, fp16_bits, group_e_max,
                         lunit_group, unpack_word)
from roma_pd.rtl._gatesim import gate_model, simulate_cycles
from roma_pd.rtl._stats import synthesize

pytestmark = pytest.mark.eda


def _gates(component, top, pdk, tmp_path):
    netlist = synthesize(rtlil.convert(component, name=top), top, pdk, tmp_path / "syn")
    return gate_model(netlist, top, pdk, tmp_path / f"{top}_model.v")


def test_brom_gate_level(pdk, tmp_path):
    depth, width = 32, 8
    words = content_words({"source": "random", "seed": 3}, depth, width, 2)
    model = _gates(BROM(depth, width, words, Asap7Gates()), "brom_gl", pdk, tmp_path)
    order = list(range(depth)) + list(range(depth - 1, -1, -1))
    vectors = [{"rst": 1}] + [{"addr": a} for a in order] + [{}]
    rows = simulate_cycles(model, "brom_gl", [("rst", 1), ("addr", 5)], [("data", width)],
                           vectors, tmp_path / "sim")
    # data after edge c is the word addressed in cycle c
    assert [r["data"] for r in rows[1:-1]] == [words[a] for a in order]


def test_tile_gate_level(pdk, tmp_path):
    depth, width, wb = 64, 8, 2          # 4 lanes, 32 words a group, two groups
    words = content_words({"source": "random", "seed": 4}, depth, width, wb)
    tile = Tile("fused", depth, width, words, weight_bits=wb, mant_bits=12)
    lanes, n = tile.compute.lanes, tile.compute.words_per_group
    model = _gates(tile, "tile_gl", pdk, tmp_path)
    rng = np.random.default_rng(9)
    acts = [list(fp16_bits(rng.normal(0, 1, lanes))) for _ in range(depth)]
    zs, ss = [1, 2], list(fp16_bits([0.125, -0.03125]))
    vectors = [{"rst": 1}]
    for a in range(depth + 2):
        vec = {"run": int(a < depth)}
        if 1 <= a <= depth:                       # word a-1 arrives in this cycle
            g = (a - 1) // n
            vec.update(x=sum(int(v) << (16 * k) for k, v in enumerate(acts[a - 1])),
                       e_max=group_e_max([v for row in acts[g * n:(g + 1) * n]
                                          for v in row]),
                       z=zs[g], s=int(ss[g]))
        vectors.append(vec)
    rows = simulate_cycles(model, "tile_gl",
                           [("rst", 1), ("run", 1), ("x", 16 * lanes), ("e_max", 5),
                            ("z", wb), ("s", 16)], [("y", 32), ("y_valid", 1)],
                           vectors, tmp_path / "sim")
    got = [r["y"] for r in rows if r["y_valid"]]
    want = []
    for g in range(depth // n):
        q = [v for w in words[g * n:(g + 1) * n] for v in unpack_word(w, lanes, wb)]
        x = [v for row in acts[g * n:(g + 1) * n] for v in row]
        want.append(lunit_group(q, x, zs[g], ss[g], 12))
    assert [hex(v) for v in got] == [hex(v) for v in want]
