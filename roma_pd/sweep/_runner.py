"""Run a sweep: plan its blocks, search each one's minimum routable area in rounds, and
store every attempt. Each round runs all blocks' next attempts side by side in one
SiliconCompiler job, so its scheduler (local, or Slurm) runs them in parallel."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__
from ..flow import STEPS, TileConfig, read_residue, run_blocks
from ..results import ResultStore, attempt_key
from ..rtl import tile_blocks
from ._search import best_density, next_density
from ._spec import SearchSpec, SweepSpec

__all__ = ["Block", "plan_blocks", "block_name", "run_sweep", "verdict_of", "sweep_dir",
           "current_rows", "block_verdicts", "density_rates", "missing_placements",
           "pending_blocks", "passes"]


@dataclass(frozen=True)
class Block:
    """One block to harden: its role in the tiles (compute, stdrom, brom, fused)."""
    name: str
    role: str
    generator: str
    depth: int
    width: int
    params: dict = field(hash=False)
    variants: tuple[str, ...] = ()


def sweep_dir(builddir: Path, spec: SweepSpec) -> Path:
    return Path(builddir).resolve() / "sweeps" / spec.name


def block_name(role: str, depth: int, width: int, spec: SweepSpec) -> str:
    """The block that plays ``role`` in the tile of ``depth`` x ``width``."""
    if role == "compute" and spec.share_compute:
        depth = max(spec.depths)
    return f"{role}_{depth}x{width}"


def plan_blocks(spec: SweepSpec) -> list[Block]:
    """The distinct blocks of every variant and size, narrowest width first. The compute
    block is shared by sram, rom and brom, and with ``share_compute`` by every depth."""
    blocks: dict[str, Block] = {}
    for width in sorted(spec.widths):
        for depth in sorted(spec.depths, reverse=True):
            for variant in spec.variants:
                plan, _ = tile_blocks({"variant": variant, "depth": depth, "width": width,
                                       "weight_bits": spec.weight_bits,
                                       "mant_bits": spec.mant_bits,
                                       "content": spec.content})
                for _, gen, params in plan:
                    role = "fused" if gen == "tile" else gen
                    name = block_name(role, depth, width, spec)
                    old = blocks.get(name)
                    if old is not None:
                        blocks[name] = Block(name, role, gen, old.depth, width, old.params,
                                             tuple(dict.fromkeys(old.variants + (variant,))))
                    else:
                        blocks[name] = Block(name, role, gen, depth, width, params,
                                             (variant,))
    return list(blocks.values())


def verdict_of(row: dict, spec: SweepSpec) -> str:
    """clean, near_clean or fail; a crashed or timed-out attempt is a fail.

    Clean is the run's status ``ok`` (routing and DRC clean). Near-clean tolerates
    routing residue and DRC violations: every step ran and Katana routed enough."""
    if row.get("status") == "ok":
        return "clean"
    done = all(row.get(f"status_{s}") == "success" for s in STEPS)
    completion = row.get("segment_completion")
    if done and completion is not None and completion >= spec.search.near_clean_completion:
        return "near_clean"
    return "fail"


def passes(verdict: str, criterion: str) -> bool:
    """Whether an attempt's verdict passes ``criterion`` (clean, or near_clean: a clean
    route passes too)."""
    return verdict == "clean" or (criterion == "near_clean" and verdict == "near_clean")


def _aspect(a: float) -> float:
    return round(float(a), 2)       # placements are distinct to 0.01 (SearchSpec)


def density_rates(rows, criterion: str) -> dict[float, tuple[int, int]]:
    """Per density a block's stored attempts tried: (placements passing ``criterion``,
    placements stored). Expects one block's rows of one spec (``current_rows``)."""
    rates: dict[float, tuple[int, int]] = {}
    for d, v in zip(rows["density"], rows["verdict"]):
        passed, tried = rates.get(round(d, 6), (0, 0))
        rates[round(d, 6)] = (passed + passes(v, criterion), tried + 1)
    return dict(sorted(rates.items()))


def block_verdicts(rows, criterion: str, search: SearchSpec) -> dict[float, bool]:
    """Whether each density a block has fully tried passes: every placement of
    ``search.placements`` is stored, and at least ``search.pass_rate`` of them pass
    ``criterion``. A density with only some placements stored (a killed round) is left
    out: to the search it is not yet tried."""
    return {d: passed >= search.needed
            for d, (passed, tried) in density_rates(rows, criterion).items()
            if tried >= len(search.placements)}


def missing_placements(rows, density: float, search: SearchSpec) -> list[float]:
    """The aspect ratios of ``search.placements`` a block has not stored at ``density``."""
    at = rows[(rows["density"] - density).abs() < 1e-6]
    done = {_aspect(a) for a in at["aspect_ratio"]}
    return [a for a in search.placements if _aspect(a) not in done]


def pending_blocks(stored, spec: SweepSpec) -> list[tuple[Block, float, list[float]]]:
    """The blocks whose search has not ended, each with the density it tries next and
    the placements (aspect ratios) of that density still to run."""
    pending = []
    for block in plan_blocks(spec):
        rows = stored[stored["block"] == block.name]
        d = next_density(block_verdicts(rows, spec.search.criterion, spec.search),
                         spec.search)
        if d is not None:
            pending.append((block, d, missing_placements(rows, d, spec.search)))
    return pending


def _config(block: Block, density: float, aspect: float, spec: SweepSpec) -> TileConfig:
    return TileConfig(name=f"{block.name}_d{round(density * 1000)}"
                           f"_a{round(aspect * 100):03d}",
                      generator=block.generator, params=block.params, density=density,
                      aspect_ratio=aspect, clock_period_ns=spec.clock_period_ns,
                      activity=spec.activity, top_layer=spec.top_layer, flow=spec.flow,
                      timeout_s=spec.timeout_s)


def _key(block: Block, density: float, aspect: float, spec: SweepSpec,
         settings: str) -> str:
    return attempt_key(generator=block.generator, params=block.params, density=density,
                       aspect_ratio=_aspect(aspect), clock=spec.clock_period_ns,
                       activity=spec.activity, top_layer=spec.top_layer, flow=settings,
                       roma_pd=__version__)


def _settings(spec: SweepSpec) -> str:
    return _config(plan_blocks(spec)[0], spec.search.low, 1.0, spec) \
        .flow_settings().read_text()


def current_rows(frame, spec: SweepSpec, settings: str | None = None):
    """The stored attempts made with this package version and these flow settings, at
    the spec's placements: rows of an older flow (other key) or of aspect ratios the
    spec no longer lists stay in the database but do not count."""
    if settings is None:
        settings = _settings(spec)
    blocks = {b.name: b for b in plan_blocks(spec)}
    aspects = {_aspect(a) for a in spec.search.placements}
    keep = [b in blocks and _aspect(a) in aspects
            and k == _key(blocks[b], d, a, spec, settings)
            for b, d, a, k in zip(frame["block"], frame["density"], frame["aspect_ratio"],
                                  frame["key"])]
    return frame[pd.Series(keep, index=frame.index, dtype=bool)]


def run_sweep(spec: SweepSpec, pdk, builddir: Path, quiet: bool = True, log=print) -> Path:
    """Search every block of ``spec``; returns the results database. Each round runs, for
    every pending block of the narrowest unfinished width, the placements of its next
    density side by side. Attempts already stored (same key) are not run again, so an
    interrupted sweep resumes, running only the placements a killed round did not store.
    Widths run in ascending order, each to the end of its search, so an interrupted
    sweep leaves whole tiles of the narrower widths."""
    folder = sweep_dir(builddir, spec)
    store = ResultStore(folder / "results.db")
    blocks = plan_blocks(spec)
    settings = _settings(spec)
    crit = spec.search.criterion
    rnd = 0
    while True:
        pending = pending_blocks(current_rows(store.frame(spec.name), spec, settings), spec)
        if not pending:
            break
        width = min(b.width for b, _, _ in pending)
        attempts = [(b, d, a) for b, d, missing in pending if b.width == width
                    for a in missing]
        if not attempts:    # cannot happen: the search never proposes a tried density
            raise RuntimeError(f"sweep {spec.name}: the search proposed only densities "
                               "whose placements are all stored")
        rnd += 1
        keys = [_key(b, d, a, spec, settings) for b, d, a in attempts]
        job = "a" + hashlib.sha256("".join(keys).encode()).hexdigest()[:10]
        log(f"roma-pd: sweep {spec.name}: round {rnd}: " + ", ".join(
            f"{b.name}@{d:.3f} x " + "/".join(f"{a:g}" for a in missing)
            for b, d, missing in pending if b.width == width))
        configs = [_config(b, d, a, spec) for b, d, a in attempts]
        started = time.time()
        # "sweep_" prefix: SiliconCompiler reserves the name "default" in its schema
        results = run_blocks(configs, pdk, folder, job, f"sweep_{spec.name}", quiet,
                             scheduler=spec.scheduler)
        for (block, density, aspect), key, result in zip(attempts, keys, results):
            row = result.row
            node = Path(row["jobdir"]) / "route" / row["index"]
            log_path = node / "route.log"
            residual = read_residue(node)
            verdict = verdict_of(row, spec)
            store.add({
                "key": key, "sweep": spec.name, "block": block.name, "role": block.role,
                "generator": block.generator, "variant": ",".join(block.variants),
                "depth": block.depth, "width": block.width, "params": block.params,
                "density": density, "aspect_ratio": aspect, "status": result.status,
                "verdict": verdict,
                "core_area": row.get("core_area"), "die_area": row.get("totalarea"),
                "cells": row.get("cells"), "unrouted_nets": row.get("unrouted_nets"),
                "opens": row.get("opens"), "shorts": row.get("shorts"),
                "drc_violations": row.get("drc_violations"),
                "segment_completion": row.get("segment_completion"),
                "residual": residual, "metrics": row,
                "tool_versions": {k: v for k, v in row.items() if k.startswith("version_")},
                "started": started, "log": row.get("log") or str(log_path),
            })
            log(f"roma-pd:   {block.name} @ {density:.3f} aspect {aspect:g}: {verdict} "
                f"({result.message})")
        stored = current_rows(store.frame(spec.name), spec, settings)
        for block, density, _ in pending:
            if block.width != width:
                continue
            rows = stored[stored["block"] == block.name]
            passed, tried = density_rates(rows, crit).get(round(density, 6), (0, 0))
            ok = block_verdicts(rows, crit, spec.search).get(round(density, 6))
            log(f"roma-pd:   {block.name} @ {density:.3f}: {passed}/{tried} placements "
                f"{crit}: " + {True: "pass", False: "fail", None: "incomplete"}[ok])
    summary = current_rows(store.frame(spec.name), spec, settings)
    for block in blocks:
        rows = summary[summary["block"] == block.name]
        best = best_density(block_verdicts(rows, crit, spec.search), spec.search)
        if best is None:
            log(f"roma-pd: {block.name}: no density passed")
            continue
        passed, tried = density_rates(rows, crit)[round(best, 6)]
        log(f"roma-pd: {block.name}: minimum area at density {best:.3f} "
            f"({passed}/{tried} placements {crit})")
    return store.path
