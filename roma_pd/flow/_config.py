"""Tile run configuration (YAML), validated with pydantic."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._errors import RomaError
from .._yamlconfig import Identifier, load_model

__all__ = ["TileConfig", "load_config"]


class TileConfig(BaseModel):
    """One tile: what RTL to generate and how to lay it out."""
    model_config = ConfigDict(extra="forbid")

    name: Identifier = Field(description="design and top-module name (identifier)")
    generator: str = Field(description="RTL generator (roma_pd.rtl.GENERATORS)")
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="generator parameters")
    density: float | None = Field(default=None, gt=0.0, le=1.0,
                                  description="target placement density, 0..1")
    core_area: float | None = Field(default=None, gt=0.0,
                                    description="explicit core area (um^2)")
    aspect_ratio: float = Field(default=1.0, gt=0.1, lt=10.0,
                                description="core height / width")
    clock_period_ns: float = Field(default=2.0, gt=0.0,
                                   description="target clock period (ns)")
    activity: float = Field(default=0.1, ge=0.0, le=2.0,
                            description="input switching activity for power "
                                        "(toggles per cycle)")
    top_layer: str = Field(default="M7", description="highest routing layer")
    flow: str = Field(default="roma_tile",
                      description="flow settings: flows/<flow>.yaml or a path")
    timeout_s: int = Field(default=1800, gt=0, description="per-step timeout (s)")

    @field_validator("generator")
    @classmethod
    def _generator(cls, value):
        from ..rtl import generator_names
        if value not in generator_names():
            raise ValueError(f"must be one of {generator_names()}, not {value!r}")
        return value

    @field_validator("top_layer")
    @classmethod
    def _top_layer(cls, value):
        if not re.fullmatch(r"M[2-9]", value):
            raise ValueError(f"must be a routing metal M2..M9, not {value!r}")
        return value

    @model_validator(mode="after")
    def _check(self):
        from ..rtl import check_params
        check_params(self.generator, self.params)
        if self.density is None and self.core_area is None:
            self.density = 0.5
        elif self.density is not None and self.core_area is not None:
            raise ValueError("give density or core_area, not both")
        return self

    def blocks(self) -> tuple[list["TileConfig"], tuple[str, int] | None]:
        """The blocks the flow hardens for this config, and SRAM macros beside them.

        A ``tile`` of a separate variant becomes its store and compute blocks
        (``<name>_store``, ``<name>_compute``), each with this config's layout settings;
        any other generator is one block.
        """
        if self.generator != "tile":
            return [self], None
        from ..rtl import tile_blocks
        plan, macros = tile_blocks(self.params)
        return [self.model_copy(update={"name": self.name + suffix, "generator": gen,
                                        "params": params})
                for suffix, gen, params in plan], macros

    def flow_settings(self) -> Path:
        """The flow settings file: a path, or flows/<name>.yaml of this repository."""
        path = Path(self.flow)
        if path.suffix in (".yaml", ".yml"):
            found = path
        else:
            found = Path(__file__).resolve().parents[2] / "flows" / f"{self.flow}.yaml"
        if not found.is_file():
            raise RomaError(f"flow: settings file {str(found)!r} not found; use a name "
                            "under flows/ or a path to a .yaml file")
        return found

    def cell_policy(self) -> "CellPolicy":
        """The flow settings' ``synthesis.dont_use``."""
        import yaml
        from ..pdk import CellPolicy
        path = self.flow_settings()
        try:
            return CellPolicy.from_settings(yaml.safe_load(path.read_text()) or {})
        except (ValueError, yaml.YAMLError) as exc:
            raise RomaError(f"{path}: {exc}") from None


def load_config(path: str | Path | dict) -> TileConfig:
    """Load and validate a tile config from a YAML file (or a dict).

    Raises
    ------
    RomaError
        One line naming the file and the field.
    """
    return load_model(TileConfig, path, "config")
