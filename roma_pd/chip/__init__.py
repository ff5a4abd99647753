"""Chip-level model: capacity of the ROM and the SRAM, the scaling model fitted from a
sweep's tiles, and chip area and power per weight-store variant."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "._capacity": ("LORA_MODULES", "PAPER_KV_TOKENS", "kv_bytes_per_token", "kv_capacity",
                   "lora_bytes", "max_kv_tokens", "paper_kv_points", "rom_bytes", "rom_fit"),
    "._chip": ("PAPER_AREA_MM2", "PAPER_POWER_W", "VARIANTS", "Workload", "chip_parts",
               "fused_ratio", "tile_area", "variant_rates", "workload_of"),
    "._beyond": ("beyond_holdout",),
    "._config": ("ChipConfig", "load_chip"),
    "._estimate": ("KV_SRAM_MB", "estimate_chip"),
    "._models": ("LLAMA3_8B", "LLAMA32_3B", "MODELS", "ModelShape"),
    "._scaling": ("FITS", "LinearFit", "ScalingModel", "block_frame", "compute_block",
                  "fit_linear"),
    "._sram": ("SramFacts", "sram_facts"),
    "._totals": ("chip_totals",),
})
