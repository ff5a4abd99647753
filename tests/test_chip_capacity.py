"""Capacity model against values computed by hand from the published model shapes."""
import pytest

from roma_pd.chip import (LLAMA3_8B, LLAMA32_3B, kv_bytes_per_token, lora_bytes,
                          max_kv_tokens, rom_bytes)


def test_llama32_3b_by_hand():
    m = LLAMA32_3B
    # per layer: q, o 3072x3072; k, v 3072x1024; gate, up, down 3072x8192
    per_layer = 2 * 3072 * 3072 + 2 * 3072 * 1024 + 3 * 3072 * 8192
    assert per_layer == 100_663_296
    assert m.linear_params == 28 * per_layer == 2_818_572_288
    rom = rom_bytes(m)
    groups = 2_818_572_288 // 128
    assert rom["weights"] == 2_818_572_288 * 4 / 8
    assert rom["total"] == pytest.approx(2_818_572_288 / 2 + groups * (16 + 2) / 8)
    # K and V, 28 layers, 8 KV heads of 128, FP16
    assert kv_bytes_per_token(m) == 2 * 28 * 8 * 128 * 2 == 114_688
    # LoRA rank 16 on all seven projections, FP8: 16 * sum(in + out) per layer
    io = 2 * (3072 + 3072) + 2 * (3072 + 1024) + 3 * (3072 + 8192)
    assert lora_bytes(m, 16) == 28 * 16 * io == 24_313_856
    assert max_kv_tokens(m, 64e6, 16) == (64_000_000 - 24_313_856) // 114_688 == 346
    assert max_kv_tokens(m, 64e6, 64) == 0          # the adapters alone exceed 64 MB


def test_llama3_8b_fills_the_rom():
    # INT2 linear layers with UInt2 zero points and FP16 scales: about the paper's 1.86 GB
    assert rom_bytes(LLAMA3_8B)["total"] / 1e9 == pytest.approx(1.868, abs=0.001)
    assert rom_bytes(LLAMA3_8B, with_embeddings=True)["total"] > 2.1e9


def test_memory_sizes_are_binary():
    # GB is 2^30 and MB 2^20 bytes, as the paper's figures are (README, Chip model)
    from roma_pd.chip import ChipConfig
    from roma_pd.chip._chip import workload_of
    chip = ChipConfig()
    assert chip.rom_bytes == 1.86 * 2 ** 30
    assert workload_of(chip).rom_bits == 1.86 * 2 ** 33
    assert kv_capacity_one(chip, 256) == (256 * 2 ** 20 - 24_313_856) // 114_688 == 2128


def kv_capacity_one(chip, mib):
    from roma_pd.chip import kv_capacity
    kv = kv_capacity(chip, [mib]).set_index(["model", "rank", "sram_mb"])
    return kv.loc[("Llama3.2-3B", 16, mib), "kv_tokens"]


def test_capacity_wrong():
    with pytest.raises(ValueError, match=r"^LoRA modules must be among \['q', 'k', 'v', "
                                         r"'o', 'gate', 'up', 'down'\], not 'qkv'$"):
        lora_bytes(LLAMA32_3B, 16, modules=("qkv",))
    with pytest.raises(ValueError, match=r"^rank must be non-negative, not -1$"):
        lora_bytes(LLAMA32_3B, -1)


def test_chip_config_and_tables():
    from roma_pd.chip import kv_capacity, load_chip, rom_fit
    from tests.conftest import REPO
    chip = load_chip(REPO / "designs" / "chip" / "roma.yaml")
    fit = rom_fit(chip).set_index("model")
    # 1.868e9 bytes = 1.739 GiB: fits 1.86 GiB (it would be 0.4% over 1.86e9 bytes)
    assert fit.loc["Llama3-8B", "linear_fits"]
    assert fit.loc["Llama3-8B", "linear_gb"] == pytest.approx(1.739, abs=0.001)
    assert fit.loc["Llama3.2-3B", "linear_fits"]
    kv = kv_capacity(chip, [64, 256]).set_index(["model", "rank", "sram_mb"])
    # 64 MiB: (67,108,864 - 24,313,856) // 114,688
    assert kv.loc[("Llama3.2-3B", 16, 64), "kv_tokens"] == 373
    assert kv.loc[("Llama3.2-3B", 64, 64), "kv_tokens"] == 0
