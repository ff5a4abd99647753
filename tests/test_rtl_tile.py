"""Every tile variant, simulated over its whole store, against the golden model."""
import numpy as np
import pytest

from roma_pd.rtl import (SramStore, Tile, fp16_bits, lunit_group, pack_words,
                         random_weights, read_rom, run_tile_sim, sram_macros, unpack_word)


def _golden(words, acts, zs, ss, lanes, wb, n, mant_bits):
    out = []
    for g in range(len(words) // n):
        q = [v for w in words[g * n:(g + 1) * n] for v in unpack_word(w, lanes, wb)]
        x = [v for row in acts[g * n:(g + 1) * n] for v in row]
        out.append(lunit_group(q, x, zs[g], ss[g], mant_bits))
    return out


@pytest.mark.parametrize("variant", ["sram", "rom", "brom", "fused"])
@pytest.mark.parametrize("depth, width, wb", [(64, 32, 2), (64, 64, 4)])
def test_tile_matches_golden(variant, depth, width, wb):
    rng = np.random.default_rng(depth + width + wb)
    words = pack_words(random_weights(depth, width, wb, seed=5), wb)
    dut = Tile(variant, depth, width, words, weight_bits=wb, structural=False)
    lanes, n = dut.compute.lanes, dut.compute.words_per_group
    acts = [list(fp16_bits(rng.normal(0, 1, lanes))) for _ in range(depth)]
    groups = depth // n
    zs = rng.integers(0, 1 << wb, groups)
    ss = fp16_bits(rng.normal(0, 0.05, groups))
    got = run_tile_sim(dut, acts, zs, ss)
    assert len(got) == groups
    assert got == _golden(words, acts, zs, ss, lanes, wb, n, 16)


def test_sram_model_reads_back():
    words = pack_words(random_weights(64, 32, 2, seed=1), 2)
    assert read_rom(SramStore(64, 32, words, structural=False)) == words


def test_sram_macros():
    assert sram_macros(256, 32) == ("fakeram7_sp_256x32", 1)
    assert sram_macros(256, 128) == ("fakeram7_sp_256x64", 2)
    assert sram_macros(512, 256) == ("fakeram7_sp_512x128", 2)
    with pytest.raises(ValueError, match=r"^no fakeram7 macro bank holds 32 x 32: depths "
                                         r"\[64, 128, 256, 512, 1024, 2048, 4096, 8192\], "
                                         r"widths a multiple of 32$"):
        sram_macros(32, 32)


def test_variant_wrong():
    with pytest.raises(ValueError, match=r"^variant must be one of \['sram', 'rom', 'brom', "
                                         r"'fused'\], not 'flash'$"):
        Tile("flash", 64, 32, [0] * 64)
