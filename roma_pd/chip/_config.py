"""Chip configuration (designs/chip/*.yaml): defaults are the paper's figures."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .._yamlconfig import Identifier, load_model
from ._models import LORA_TARGETS, MODELS

__all__ = ["ChipConfig", "load_chip"]


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


class ChipConfig(_Strict):
    """The chip: clock, array, memories and the models it serves (units in the names)."""
    name: Identifier = "roma"
    clock_mhz: float = Field(500.0, gt=0)
    array: ArraySpec = Field(default_factory=ArraySpec)
    matrix_units: int = Field(256, gt=0)
    vector_units: int = Field(16, ge=0)
    rom_gb: float = Field(1.86, gt=0)
    sram_lora_kv_mb: float = Field(288.0, gt=0)
    sram_intermediate_mb: float = Field(16.0, ge=0)
    models: list[ModelRef] = Field(default_factory=lambda: [
        ModelRef(name="Llama3.2-3B", weight_bits=4), ModelRef(name="Llama3-8B",
                                                               weight_bits=2)])
    lora: LoraSpec = Field(default_factory=LoraSpec)
    kv: KvSpec = Field(default_factory=KvSpec)

    def model_shapes(self) -> list:
        """The configured models, with this config's ROM quantization."""
        from dataclasses import replace
        return [replace(MODELS[m.name], weight_bits=m.weight_bits) for m in self.models]


def load_chip(path: str | Path | dict) -> ChipConfig:
    """Load a chip YAML; a bad one gives a one-line RomaError naming file and field."""
    return load_model(ChipConfig, path, "chip config")
