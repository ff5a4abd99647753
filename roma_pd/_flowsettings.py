"""The flow settings file (``flows/<flow>.yaml``) as one validated pydantic model.

Every section forbids unknown keys, so a typo (``katana: {ripupCots: 3}``) is a one-line
error naming the file and the key instead of a Coriolis parameter silently never set.
The Coriolis sections name Coriolis 2.5.4 configuration parameters
(``etesian.<key>``, ``anabatic.<key>``, ``katana.<key>``); a parameter left out keeps
Coriolis' default. The cross-field rules of ``repair`` and ``synthesis`` stay with
their users (``RepairSettings``, ``CellPolicy``), which take the validated content.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ._yamlconfig import load_model

__all__ = ["FlowSettings", "load_flow_settings"]

_STRICT = ConfigDict(extra="forbid")


class PinLayers(BaseModel):
    """The metals the I/O pins are drawn on, per die edge direction."""
    model_config = _STRICT
    horizontal: str = Field(description="metal of the pins on the west and east edges")
    vertical: str = Field(description="metal of the pins on the south and north edges")


class IoHalo(BaseModel):
    """Free band between the core rows and the die edge, where the I/O pins sit."""
    model_config = _STRICT
    rows: int = Field(ge=0, description="rows of the band (even: Etesian keeps the row "
                                        "parity)")
    sites: int = Field(ge=0, description="sites of the band on the west and east sides")

    @field_validator("rows")
    @classmethod
    def _even(cls, value):
        if value % 2:
            raise ValueError(f"must be even (Etesian keeps the row parity), not {value!r}")
        return value


class Routing(BaseModel):
    """Routing gauge and pin placement."""
    model_config = _STRICT
    track_offset_um: float = Field(0.0, description="track offset of every layer (um)")
    pin_only: list[str] = Field(default_factory=list,
                                description="metals reached through cell pins only")
    power_only: list[str] = Field(default_factory=list,
                                  description="metals left to a power grid")
    pin_layers: PinLayers
    pin_corner_margin_tracks: int = Field(0, ge=0, description="tracks kept free of pins "
                                                               "at each die corner")
    pin_bus_run: int = Field(0, ge=0, description="a bus wider than this many pins is "
                             "dealt to the edges in runs of this many (0: whole buses)")
    io_halo: IoHalo
    obstruction_spacing: bool = Field(False, description="grow cell obstructions by a "
                                                         "spacing")


class Placement(BaseModel):
    """How tightly the global placer packs the cells inside the core."""
    model_config = _STRICT
    local_density: float | None = Field(
        None, gt=0.0, le=1.0,
        description="cell density the global placer aims at where it puts cells (the "
                    "role of OpenROAD's PLACE_DENSITY): a core filled below it keeps "
                    "the rest as white space instead of spreading the cells over all "
                    "of it; null spreads them over 95% (Etesian's densityVariation "
                    "default)")


class Repair(BaseModel):
    """Pad-and-reroute rounds after a route with residue (rules: ``RepairSettings``)."""
    model_config = _STRICT
    rounds: int = Field(0, description="reroute rounds at most")
    pad_sites: int = Field(2, description="sites added around a cell per round")
    max_pad_sites: int = Field(4, description="padding of one cell over all rounds (sites)")
    radius_um: float = Field(1.0, description="cells within this distance of a residual "
                                              "segment are padded (um)")
    hopeless_after: int | None = Field(
        None, ge=0, description="give up after this round when every round so far left "
                                "more than the hopeless count of unrouted nets; null "
                                "runs every round")
    hopeless_nets: int = Field(10, ge=0, description="the hopeless count's floor (nets)")
    hopeless_nets_per_kcell: float = Field(
        0.0, ge=0.0, description="the hopeless count per 1000 cells, above the floor")


class Etesian(BaseModel):
    """Coriolis placer parameters (``etesian.<key>``)."""
    model_config = _STRICT
    effort: int | None = None
    uniformDensity: bool | None = None
    routingDriven: bool | None = None
    densityVariation: float | None = Field(None, ge=0.0, lt=1.0)


class Anabatic(BaseModel):
    """Coriolis global router parameters (``anabatic.<key>``)."""
    model_config = _STRICT
    globalLengthThreshold: int | None = None
    saturateRatio: float | None = None
    saturateRp: int | None = None
    edgeLength: int | None = None
    edgeWidth: int | None = None
    edgeCostH: float | None = None
    edgeCostK: float | None = None
    edgeHInc: float | None = None
    edgeHScaling: float | None = None
    globalIterations: int | None = None
    netBuilderStyle: str | None = None


class Katana(BaseModel):
    """Coriolis detailed router parameters (``katana.<key>``)."""
    model_config = _STRICT
    disableStackedVias: bool | None = None
    hTracksReservedLocal: int | None = None
    vTracksReservedLocal: int | None = None
    termSatReservedLocal: int | None = None
    termSatThreshold: int | None = None
    eventsLimit: int | None = None
    ripupCost: int | None = None
    strapRipupLimit: int | None = None
    localRipupLimit: int | None = None
    globalRipupLimit: int | None = None
    longGlobalRipupLimit: int | None = None


class Synthesis(BaseModel):
    """Cells no netlist may use (rules: ``CellPolicy``)."""
    model_config = _STRICT
    dont_use: list[str] = Field(default_factory=list,
                                description="glob patterns on full cell names")


class FlowSettings(BaseModel):
    """One flow's place-and-route and synthesis settings."""
    model_config = _STRICT
    routing: Routing
    placement: Placement = Field(default_factory=Placement)
    repair: Repair = Field(default_factory=Repair)
    etesian: Etesian = Field(default_factory=Etesian)
    anabatic: Anabatic = Field(default_factory=Anabatic)
    katana: Katana = Field(default_factory=Katana)
    synthesis: Synthesis = Field(default_factory=Synthesis)

    @model_validator(mode="after")
    def _one_spread_setting(self):
        if self.placement.local_density is not None and \
                self.etesian.densityVariation is not None:
            raise ValueError("placement.local_density sets etesian.densityVariation for "
                             "each run; set one of them, not both")
        return self

    def as_dict(self) -> dict:
        """The validated content as plain data; Coriolis parameters left out of the file
        are left out here too (they keep Coriolis' defaults). The attempt key hashes
        this."""
        return self.model_dump(mode="json", exclude_none=True)


def load_flow_settings(path: str | Path) -> FlowSettings:
    """Load a flow settings YAML.

    Raises
    ------
    RomaError
        One line naming the file and the key (an unknown key lists the allowed ones).
    """
    return load_model(FlowSettings, path, "flow settings")
