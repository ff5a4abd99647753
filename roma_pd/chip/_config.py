"""Chip configuration (designs/chip/*.yaml): defaults are the paper's figures."""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._yamlconfig import Identifier, load_model
from ._models import LORA_TARGETS, MODELS

__all__ = ["ChipConfig", "load_chip", "GB", "MB"]

# Memory sizes are binary, as the paper's own figures are: Llama3-8B INT2 (FP16 scales,
# UInt2 zero points) is 1.868e9 bytes, which fits its 1.86 GB ROM only as 1.86 GiB, and
# its KV points (736 and 3,808 tokens at 64 and 256 MB) solve exactly with MiB.
GB = 2 ** 30
MB = 2 ** 20


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArraySpec(_Strict):
    rows: int = Field(17, gt=0)
    columns: int = Field(16, gt=0)


class ModelRef(_Strict):
    name: str = Field(description="one of the known model shapes")
    weight_bits: int = Field(description="ROM quantization, 2 or 4")

    @field_validator("name")
    @classmethod
    def _known(cls, value):
        if value not in MODELS:
            raise ValueError(f"must be one of {sorted(MODELS)}, not {value!r}")
        return value

    @field_validator("weight_bits")
    @classmethod
    def _bits(cls, value):
        if value not in (2, 4):
            raise ValueError(f"must be 2 or 4, not {value!r}")
        return value


class LoraSpec(_Strict):
    ranks: list[int] = Field([16, 32, 64], min_length=1)
    bytes_per_param: float = Field(1.0, gt=0, description="FP8: 1")
    modules: list[str] = Field(list(LORA_TARGETS))

    @field_validator("modules")
    @classmethod
    def _modules(cls, value):
        bad = [m for m in value if m not in LORA_TARGETS]
        if bad:
            raise ValueError(f"must be among {list(LORA_TARGETS)}, not {bad[0]!r}")
        return value


class KvSpec(_Strict):
    bytes_per_value: float = Field(2.0, gt=0, description="FP16: 2")


class WorkloadSpec(_Strict):
    """The decode workload power is computed at: one model in the ROM, batch 1."""
    model: str = Field("Llama3-8B", description="the model the ROM holds (one of models)")
    tokens_per_s: float = Field(24100.0, gt=0, description="decode rate (paper: 24.1K tok/s "
                                                          "peak for Llama3-8B)")
    kv_tokens: int = Field(1024, ge=0, description="KV-cache length each token attends to")
    lora_rank: int = Field(16, ge=0)


class TileSpec(_Strict):
    """The chip's L-Unit building block: a ROM bank of ``width`` bits per word feeding
    ``width / weight_bits`` lanes; its depth follows from the ROM size and the lanes the
    workload needs."""
    width: int = Field(256, gt=0, description="ROM word width (bits)")


class VectorSpec(_Strict):
    """Vector units: modelled as lanes costed like one measured L-Unit compute lane each
    (an assumption), beside the intermediate SRAM."""
    lanes_per_unit: int = Field(128, ge=0)
    # operations per layer and token: a*hidden + b*intermediate + c*heads*kv_tokens
    # (two RMSNorms and two residual adds; SiLU and the gate product; softmax)
    ops_per_hidden: float = Field(6.0, ge=0)
    ops_per_intermediate: float = Field(2.0, ge=0)
    ops_per_score: float = Field(3.0, ge=0, description="per attention score")


class HUnitSpec(_Strict):
    """H-Unit compute (FP16/FP8 LoRA and attention MACs): lanes costed as a measured
    L-Unit lane times ``lane_cost_factor`` (an assumption: we harden no FP16 MAC)."""
    lane_cost_factor: float = Field(1.0, gt=0)


class OverheadSpec(_Strict):
    """Interconnect, clock tree and control: a named fraction on top of the sum of the
    modelled parts (an assumption, not a measurement)."""
    area_fraction: float = Field(0.10, ge=0, lt=1)
    power_fraction: float = Field(0.10, ge=0, lt=1)


class ChipConfig(_Strict):
    """The chip: clock, array, memories and the models it serves (units in the names)."""
    name: Identifier = "roma"
    clock_mhz: float = Field(500.0, gt=0)
    array: ArraySpec = Field(default_factory=ArraySpec)
    matrix_units: int = Field(256, gt=0)
    vector_units: int = Field(16, ge=0)
    rom_gb: float = Field(1.86, gt=0, description="ROM size in GiB (2^30 bytes)")
    sram_lora_kv_mb: float = Field(288.0, gt=0, description="SRAM for LoRA and KV cache, "
                                                            "MiB (2^20 bytes)")
    sram_intermediate_mb: float = Field(16.0, ge=0, description="SRAM of the vector "
                                                                "units, MiB (2^20 bytes)")
    models: list[ModelRef] = Field(default_factory=lambda: [
        ModelRef(name="Llama3.2-3B", weight_bits=4), ModelRef(name="Llama3-8B",
                                                               weight_bits=2)])
    lora: LoraSpec = Field(default_factory=LoraSpec)
    kv: KvSpec = Field(default_factory=KvSpec)
    workload: WorkloadSpec = Field(default_factory=WorkloadSpec)
    tile: TileSpec = Field(default_factory=TileSpec)
    sram_macro: str = Field("fakeram7_sp_8192x64", description="fakeram7 macro that banks "
                            "the chip's SRAM (and the sram variant's weight store)")
    vector: VectorSpec = Field(default_factory=VectorSpec)
    h_unit: HUnitSpec = Field(default_factory=HUnitSpec)
    overhead: OverheadSpec = Field(default_factory=OverheadSpec)

    @field_validator("sram_macro")
    @classmethod
    def _macro(cls, value):
        if not re.fullmatch(r"fakeram7_sp_\d+x\d+", value):
            raise ValueError(f"must name a single-port fakeram7 macro like "
                             f"fakeram7_sp_8192x64, not {value!r}")
        return value

    @model_validator(mode="after")
    def _workload_model(self):
        names = [m.name for m in self.models]
        if self.workload.model not in names:
            raise ValueError(f"workload.model must be one of the configured models "
                             f"{names}, not {self.workload.model!r}")
        bits = self.workload_shape().weight_bits
        if self.tile.width % bits:
            raise ValueError(f"tile.width must be a multiple of the workload model's "
                             f"weight bits ({bits}), not {self.tile.width}")
        return self

    @property
    def rom_bytes(self) -> float:
        return self.rom_gb * GB

    def workload_shape(self):
        """The shape of the model the ROM holds."""
        return next(m for m in self.model_shapes() if m.name == self.workload.model)

    def model_shapes(self) -> list:
        """The configured models, with this config's ROM quantization."""
        from dataclasses import replace
        return [replace(MODELS[m.name], weight_bits=m.weight_bits) for m in self.models]


def load_chip(path: str | Path | dict) -> ChipConfig:
    """Load a chip YAML; a bad one gives a one-line RomaError naming file and field."""
    return load_model(ChipConfig, path, "chip config")
