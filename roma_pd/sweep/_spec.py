"""Sweep specification (designs/sweeps/*.yaml), validated with pydantic."""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._yamlconfig import Identifier, load_model

__all__ = ["SweepSpec", "SearchSpec", "SchedulerSpec", "load_sweep"]

ASPECT_RANGE = (0.5, 2.0)     # core height / width a placement may take


class SearchSpec(BaseModel):
    """Minimum-routable-area search over placement density."""
    model_config = ConfigDict(extra="forbid")

    low: float = Field(0.30, gt=0, lt=1, description="lowest density tried")
    high: float = Field(0.85, gt=0, le=1, description="highest density tried")
    resolution: float = Field(0.025, gt=0, lt=0.5,
                              description="densities are multiples of this; the search "
                                          "stops when its bracket is this narrow")
    criterion: Literal["clean", "near_clean"] = Field(
        "clean", description="clean: 0 unrouted nets, 0 opens/shorts, 0 DRC violations; "
                             "near_clean: Katana routed at least near_clean_completion "
                             "of the segments and left at most near_clean_max_nets nets "
                             "unrouted (DRC not required)")
    near_clean_completion: float = Field(
        0.9995, gt=0.9, le=1.0, description="relative cap: share of Katana's track "
                                            "segments that must be routed")
    near_clean_max_nets: int = Field(
        5, ge=0, description="absolute cap: unrouted nets a near-clean attempt may leave, "
                             "so a large block cannot pass on the ratio alone")
    confirm: bool = Field(True, description="the chosen density must also pass one "
                                            "resolution step below (a non-monotonic "
                                            "router can pass by luck)")
    start: float | None = Field(
        None, gt=0, lt=1, description="the first density a block's search tries when it "
                                      "has no warm start, walking outward from it as from "
                                      "a warm start (down to low while it fails); None: "
                                      "low, then bisection upward")
    warm_start: bool = Field(
        False, description="begin each block's search at the density chosen for the "
                           "block of the same role and depth one width narrower, walking "
                           "outward from it, instead of at low: about two densities fewer "
                           "per block when the guess is within a step. The narrowest "
                           "width, and a block whose narrower twin found no minimum, "
                           "begin at start (or low)")
    placements: list[float] = Field(
        default_factory=lambda: [0.9, 1.0, 1.1],
        description="the core aspect ratios (height / width, 0.5..2, distinct to 0.01) "
                    "each density is placed and routed at; at least 3, so that one "
                    "chaotic route never decides a density alone. Rows move as the "
                    "square root of the ratio, so ratios 2% apart can round to the same "
                    "rows and sites (the same placement) on a block of 60 rows")
    pass_rate: float = Field(
        2 / 3, description="share of a density's placements that must pass for the "
                           "density to pass, in (0, 1]; the default 2/3 of 3 placements "
                           "means one chaotic sample can neither pass nor fail a density")
    probe_while_improving: bool = Field(
        True, description="while nothing has passed, search only where the residue "
                          "(fewest unrouted nets over a density's placements) falls: walk "
                          "down from a failed start only while the lowest density tried "
                          "left no more nets than the one above it, and probe upward "
                          "only while the highest left no more than the one below it. "
                          "The probe is for sparse placements whose long wires fail; a "
                          "residue that grows with density says the block is congested "
                          "instead. false: walk down to low, probe up to high")
    decide_early: bool = Field(
        True, description="run a density's placements only until its verdict is "
                          "decided, in the fewest that can decide it: with 2 of 3, two "
                          "placements first, the third only when they disagree. The "
                          "verdicts are those of running them all, for about a quarter "
                          "less routing; false runs every placement (the residue's "
                          "spread over all of them)")

    @field_validator("placements")
    @classmethod
    def _placements(cls, value):
        lo, hi = ASPECT_RANGE
        if len(value) < 3:
            raise ValueError(f"must be at least 3 aspect ratios, not {value!r}")
        for a in value:
            if not lo <= a <= hi:
                raise ValueError(f"must be aspect ratios (core height / width) between "
                                 f"{lo:g} and {hi:g}, not {a!r}")
        if len({round(a * 100) for a in value}) < len(value):
            raise ValueError(f"must be distinct to 0.01 (they name the attempts, "
                             f"<block>_d600_a098), not {value!r}")
        return value

    @field_validator("pass_rate")
    @classmethod
    def _pass_rate(cls, value):
        if not 0 < value <= 1:
            raise ValueError(f"must be a share in (0, 1], not {value!r}")
        return value

    @property
    def needed(self) -> int:
        """How many of a density's placements must pass for the density to pass."""
        return math.ceil(self.pass_rate * len(self.placements) - 1e-9)

    def vote(self, passed: int, tried: int) -> bool | None:
        """A density's verdict from ``passed`` of ``tried`` placements: None while the
        placements not yet run could still decide it either way (with
        ``decide_early``), or while any is not run (without)."""
        n, failed = len(self.placements), tried - passed
        if tried >= n or (self.decide_early and passed >= self.needed):
            return passed >= self.needed
        if self.decide_early and failed > n - self.needed:
            return False
        return None

    def to_run(self, passed: int, tried: int) -> int:
        """How many more placements a density with ``passed`` of ``tried`` runs next:
        the fewest that can decide its vote (with ``decide_early``), or all the rest."""
        if self.vote(passed, tried) is not None:
            return 0
        if not self.decide_early:
            return len(self.placements) - tried
        failed = tried - passed
        return min(self.needed - passed, len(self.placements) - self.needed + 1 - failed)

    @model_validator(mode="after")
    def _bracket(self):
        if self.low >= self.high:
            raise ValueError(f"search.low must be below search.high ({self.high}), "
                             f"not {self.low}")
        if self.start is not None and not self.low <= self.start <= self.high:
            raise ValueError(f"search.start must lie between search.low ({self.low}) and "
                             f"search.high ({self.high}), not {self.start}")
        return self


class SchedulerSpec(BaseModel):
    """Where SiliconCompiler runs the nodes: locally (default) or through Slurm."""
    model_config = ConfigDict(extra="forbid")

    name: Literal["local", "slurm"] = "local"
    queue: str | None = Field(None, description="Slurm partition")
    maxnodes: int | None = Field(None, gt=0, description="nodes run at once (local)")
    attempts_per_job: int | None = Field(
        None, gt=0, description="attempts run as one SiliconCompiler job (default: twice "
        "the local cores; a Slurm round in one job)")

    def job_size(self, attempts: int) -> int:
        """How many of a round's ``attempts`` share one SiliconCompiler job. SC runs a
        job's steps level by level (every synth, then every place, then every route), so
        no attempt of a job is stored before its last route ends: locally, jobs of a few
        attempts keep results coming (a killed sweep loses one job's work) and both
        cores busy; a cluster runs a whole round at once."""
        if self.attempts_per_job is not None:
            return self.attempts_per_job
        if self.name == "slurm":
            return max(attempts, 1)
        return 2 * (self.maxnodes or os.cpu_count() or 1)


class SweepSpec(BaseModel):
    """Variants x ROM sizes x parameters, each block searched for its minimum area."""
    model_config = ConfigDict(extra="forbid")

    name: Identifier
    variants: list[Literal["sram", "rom", "brom", "fused"]] = Field(
        ["sram", "rom", "brom", "fused"], min_length=1,
        description="tile variants to compare, at least one")
    depths: list[int] = Field(min_length=1)
    widths: list[int] = Field(min_length=1)
    weight_bits: Literal[2, 4] = 2
    mant_bits: int = Field(16, ge=11, le=24)
    content: dict = Field(default_factory=lambda: {"source": "random", "seed": 1})
    clock_period_ns: float = Field(2.0, gt=0)
    activity: float = Field(0.1, ge=0, le=2)
    sram_read_fj_per_bit: float = Field(
        156.0, gt=0, description="stated SRAM read energy per bit, the bound beside "
        "fakeram7's placeholder power: 156 fJ is Horowitz's 45 nm figure (ISSCC 2014: "
        "10 pJ per 64-bit read of an 8 KB SRAM), above what a 7 nm macro spends")
    top_layer: str = "M7"
    flow: str = "roma_tile"
    timeout_s: int = Field(1800, gt=0)
    share_compute: bool = Field(
        True, description="harden one compute block per width, with the address counter "
                          "of the deepest ROM, and use it in every depth's tile; it "
                          "differs across depths only in that counter")
    search: SearchSpec = Field(default_factory=SearchSpec)
    scheduler: SchedulerSpec = Field(default_factory=SchedulerSpec)

    @model_validator(mode="after")
    def _sizes(self):
        from ..rtl import check_params
        for d in self.depths:
            for w in self.widths:
                for v in self.variants:
                    # constructing checks geometry, lanes, macros and content cheaply
                    check_params("tile", {
                        "variant": v, "depth": d, "width": w,
                        "weight_bits": self.weight_bits, "mant_bits": self.mant_bits,
                        "content": self.content, "structural": False})
        return self


def load_sweep(path: str | Path) -> SweepSpec:
    """Load a sweep YAML; a bad one gives a one-line RomaError naming file and field."""
    return load_model(SweepSpec, path, "sweep")
