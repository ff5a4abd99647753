"""Chip-level model: capacity of the ROM and the SRAM (issue 5, in progress)."""
from ._capacity import (LORA_MODULES, kv_bytes_per_token, kv_capacity, lora_bytes,
                        max_kv_tokens, rom_bytes, rom_fit)
from ._config import ChipConfig, load_chip
from ._models import LLAMA3_8B, LLAMA32_3B, MODELS, ModelShape

__all__ = ["ModelShape", "LLAMA32_3B", "LLAMA3_8B", "MODELS", "rom_bytes", "lora_bytes",
           "kv_bytes_per_token", "max_kv_tokens", "LORA_MODULES", "ChipConfig", "load_chip",
           "rom_fit", "kv_capacity"]
