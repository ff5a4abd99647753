"""Tile run configuration (YAML), validated with pydantic."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, \
    model_validator

from .._errors import RomaError
from .._yamlconfig import Identifier, load_model

__all__ = ["TileConfig", "load_config", "SOURCE_SUFFIXES"]

# What synthesis reads: Verilog and SystemVerilog (headers are reached through
# include_dirs), or one RTLIL file (Yosys' own IR, as Amaranth writes it).
SOURCE_SUFFIXES = {".v": "verilog", ".sv": "systemverilog", ".il": "rtlil"}
_SOURCE_ONLY = ("top", "include_dirs", "defines", "sdc")


def _resolve(value: str, info: ValidationInfo, kind: str) -> str:
    """An absolute path, relative paths taken from the config file's folder."""
    base = Path((info.context or {}).get("base", "."))
    path = (base / Path(value).expanduser()).resolve()
    exists = path.is_dir() if kind == "folder" else path.is_file()
    if not exists:
        raise ValueError(f"no such {kind} {value!r} (looked for {str(path)!r})")
    return str(path)


class TileConfig(BaseModel):
    """One tile: what RTL to generate (``generator:``) or read (``source:``), and how to
    lay it out."""
    model_config = ConfigDict(extra="forbid")

    name: Identifier = Field(description="design and top-module name (identifier)")
    generator: str | None = Field(default=None,
                                  description="RTL generator (roma_pd.rtl.GENERATORS)")
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="generator parameters")
    source: list[str] | None = Field(default=None, description="the design's own RTL "
                                     "instead of a generator: Verilog/SystemVerilog files "
                                     "or one RTLIL file, relative to the config file")
    top: Identifier | None = Field(default=None, description="top module of source: "
                                   "(default: name)")
    include_dirs: list[str] = Field(default_factory=list, description="`include "
                                    "folders of source:, relative to the config file")
    defines: dict[str, str | int | None] = Field(default_factory=dict, description=
                                                 "preprocessor macros of source: "
                                                 "(NAME: value, or NAME: null)")
    sdc: str | None = Field(default=None, description="constraints of source: (clocks "
                            "by port, I/O delays) for STA; default: clock_period_ns on "
                            "port clk")
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
                      description="flow settings: a shipped flow's name (flows/<flow>.yaml) "
                                  "or a .yaml path (relative to this config)")
    timeout_s: int = Field(default=1800, gt=0, description="per-step timeout (s)")

    @field_validator("generator")
    @classmethod
    def _generator(cls, value):
        from ..rtl import generator_names
        if value is not None and value not in generator_names():
            raise ValueError(f"must be one of {generator_names()}, not {value!r}")
        return value

    @field_validator("source", mode="before")
    @classmethod
    def _source_list(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("source")
    @classmethod
    def _source(cls, value, info: ValidationInfo):
        if not value:
            raise ValueError("must name at least one file")
        for item in value:
            if Path(item).suffix not in SOURCE_SUFFIXES:
                raise ValueError(f"must be Verilog (.v), SystemVerilog (.sv) or RTLIL "
                                 f"(.il) files, not {item!r}")
        if any(Path(v).suffix == ".il" for v in value) and len(value) > 1:
            raise ValueError(f"an RTLIL source must be the only file, not {value!r}")
        return [_resolve(v, info, "file") for v in value]

    @field_validator("include_dirs")
    @classmethod
    def _include_dirs(cls, value, info: ValidationInfo):
        return [_resolve(v, info, "folder") for v in value]

    @field_validator("sdc")
    @classmethod
    def _sdc(cls, value, info: ValidationInfo):
        return value and _resolve(value, info, "file")

    @field_validator("flow")
    @classmethod
    def _flow(cls, value, info: ValidationInfo):
        if Path(value).suffix not in (".yaml", ".yml"):
            return value     # a name of the shipped flows
        base = Path((info.context or {}).get("base", "."))
        return str((base / Path(value).expanduser()).resolve())

    @field_validator("top_layer")
    @classmethod
    def _top_layer(cls, value):
        if not re.fullmatch(r"M[2-9]", value):
            raise ValueError(f"must be a routing metal M2..M9, not {value!r}")
        return value

    @model_validator(mode="after")
    def _check(self):
        from ..rtl import check_params, generator_names
        given = self.model_fields_set
        if self.generator is None and self.source is None:
            raise ValueError(f"give generator: (one of {generator_names()}) with its "
                             "params:, or source: (your Verilog or RTLIL files) with top:")
        if self.generator is not None and self.source is not None:
            raise ValueError("give generator: or source:, not both")
        if self.generator is not None:
            for key in _SOURCE_ONLY:
                if key in given:
                    raise ValueError(f"{key}: belongs to a source: config (your own "
                                     "RTL); a generator: config names its top module "
                                     "after name: and clocks port clk at clock_period_ns")
            check_params(self.generator, self.params)
        elif "params" in given:
            raise ValueError("params: belongs to a generator: config; a source: config "
                             "takes top:, include_dirs:, defines: and sdc:")
        if self.density is None and self.core_area is None:
            self.density = 0.5
        elif self.density is not None and self.core_area is not None:
            raise ValueError("give density or core_area, not both")
        return self

    @property
    def top_module(self) -> str:
        """The top module: ``top:`` of a source config, else the name."""
        return self.top or self.name

    @property
    def rtl_kind(self) -> str:
        """What the RTL comes from: the generator's name, or ``source``."""
        return self.generator or "source"

    def define_list(self) -> list[str]:
        """``defines`` as SiliconCompiler and Yosys take them: NAME or NAME=value."""
        return [k if v is None else f"{k}={v}" for k, v in self.defines.items()]

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

    def clock_ports(self) -> list[str]:
        """The ports that carry a clock: those the SDC's ``create_clock`` names with
        ``get_ports`` (none for virtual clocks), else ``clk``. Coriolis types their nets
        as clocks, as it does ``clk`` of the generators."""
        if not self.sdc:
            return ["clk"]
        text = Path(self.sdc).read_text(errors="replace")
        ports = []
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            if "create_clock" in line:
                for group in re.findall(r"get_ports\s+(\{[^}]*\}|\S+?)\s*\]", line):
                    ports += group.strip("{}").split()
        return list(dict.fromkeys(ports))

    def flow_settings(self) -> Path:
        """The flow settings file: a path, or a name of the shipped ``flows/<name>.yaml``."""
        path = Path(self.flow)
        if path.suffix in (".yaml", ".yml"):
            found = path
        else:
            from ..data import FLOWS
            found = FLOWS / f"{self.flow}.yaml"
        if not found.is_file():
            raise RomaError(f"flow: settings file {str(found)!r} not found; use a name "
                            "under flows/ or a path to a .yaml file")
        return found

    def cell_policy(self) -> "CellPolicy":
        """The flow settings' ``synthesis.dont_use``."""
        from .._flowsettings import load_flow_settings
        from ..pdk import CellPolicy
        path = self.flow_settings()
        settings = load_flow_settings(path).as_dict()
        try:
            return CellPolicy.from_settings(settings)
        except ValueError as exc:
            raise RomaError(f"{path}: {exc}") from None


def load_config(path: str | Path | dict) -> TileConfig:
    """Load and validate a tile config from a YAML file (or a dict).

    Raises
    ------
    RomaError
        One line naming the file and the field.
    """
    base = Path.cwd() if isinstance(path, dict) else Path(path).resolve().parent
    return load_model(TileConfig, path, "config", context={"base": base})
