"""Chip-level model: capacity of the ROM and the SRAM, the scaling model fitted from a
sweep's tiles, and chip area and power per weight-store variant."""
from ._capacity import (LORA_MODULES, PAPER_KV_TOKENS, kv_bytes_per_token, kv_capacity,
                        lora_bytes, max_kv_tokens, paper_kv_points, rom_bytes, rom_fit)
from ._chip import (PAPER_AREA_MM2, PAPER_POWER_W, VARIANTS, Workload, chip_parts,
                    fused_ratio, variant_rates, workload_of)
from ._config import ChipConfig, load_chip
from ._estimate import KV_SRAM_MB, estimate_chip
from ._models import LLAMA3_8B, LLAMA32_3B, MODELS, ModelShape
from ._scaling import FITS, LinearFit, ScalingModel, block_frame, compute_block, fit_linear
from ._sram import SramFacts, sram_facts
from ._totals import chip_totals

__all__ = ["ModelShape", "LLAMA32_3B", "LLAMA3_8B", "MODELS", "rom_bytes", "lora_bytes",
           "kv_bytes_per_token", "max_kv_tokens", "LORA_MODULES", "ChipConfig", "load_chip",
           "rom_fit", "kv_capacity", "paper_kv_points", "PAPER_KV_TOKENS",
           "LinearFit", "fit_linear", "ScalingModel", "block_frame", "FITS",
           "SramFacts", "sram_facts", "Workload", "workload_of", "chip_parts",
           "fused_ratio", "variant_rates", "VARIANTS", "PAPER_AREA_MM2", "PAPER_POWER_W",
           "chip_totals", "compute_block", "estimate_chip", "KV_SRAM_MB"]
