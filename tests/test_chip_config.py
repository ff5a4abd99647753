"""Chip config validation: one line naming the file and the field (chip/_config.py)."""
import re

import pytest

from roma_pd import RomaError
from roma_pd.chip import load_chip

_KEYS = ("name, clock_mhz, array, matrix_units, vector_units, rom_gb, sram_lora_kv_mb, "
         "sram_intermediate_mb, models, lora, kv, workload, tile, sram_macro, vector, "
         "h_unit, overhead")


@pytest.mark.parametrize("text, message", [
    ("name: roma\nclock_ghz: 1\n", f"clock_ghz: unknown key; allowed keys are {_KEYS}"),
    ("models: [{name: Llama2-7B, weight_bits: 4}]\n",
     "models.0.name: must be one of ['Llama3-8B', 'Llama3.2-3B'], not 'Llama2-7B'"),
    ("models: [{name: Llama3-8B, weight_bits: 3}]\n",
     "models.0.weight_bits: must be 2 or 4, not 3"),
    ("lora: {modules: [qkv]}\n",
     "lora.modules: must be among ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], not 'qkv'"),
    ("rom_gb: -1\n", "rom_gb: Input should be greater than 0, not -1"),
    ("workload: {model: Llama2-7B}\n", "workload.model must be one of the configured "
     "models ['Llama3.2-3B', 'Llama3-8B'], not 'Llama2-7B'"),
    ("tile: {width: 255}\n",
     "tile.width must be a multiple of the workload model's weight bits (2), not 255"),
    ("overhead: {area_fraction: 1.5}\n",
     "overhead.area_fraction: Input should be less than 1, not 1.5"),
    ("sram_macro: sram_1x1\n", "sram_macro: must name a single-port fakeram7 macro like "
     "fakeram7_sp_8192x64, not 'sram_1x1'"),
    ("workload: {tokens_per_s: -1}\n",
     "workload.tokens_per_s: Input should be greater than 0, not -1"),
])
def test_chip_config_wrong(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(RomaError, match=f"^{re.escape(f'{path}: {message}')}$"):
        load_chip(path)
