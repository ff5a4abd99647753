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
from ._spec import SweepSpec

__all__ = ["Block", "plan_blocks", "block_name", "run_sweep", "verdict_of", "sweep_dir",
           "current_rows", "block_verdicts", "pending_blocks"]


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


def block_verdicts(rows, criterion: str) -> dict[float, bool]:
    """Whether each density a block's stored attempts tried passes ``criterion`` (clean,
    or near_clean: a clean route passes too)."""
    return {round(d, 6): v == "clean" or (criterion == "near_clean" and v == "near_clean")
            for d, v in zip(rows["density"], rows["verdict"])}


def pending_blocks(stored, spec: SweepSpec) -> list[tuple[Block, float]]:
    """The blocks whose search has not ended, each with the density it tries next."""
    pending = []
    for block in plan_blocks(spec):
        d = next_density(block_verdicts(stored[stored["block"] == block.name],
                                        spec.search.criterion), spec.search)
        if d is not None:
            pending.append((block, d))
    return pending


def _config(block: Block, density: float, spec: SweepSpec) -> TileConfig:
    return TileConfig(name=f"{block.name}_d{round(density * 1000)}",
                      generator=block.generator, params=block.params, density=density,
                      clock_period_ns=spec.clock_period_ns, activity=spec.activity,
                      top_layer=spec.top_layer, flow=spec.flow, timeout_s=spec.timeout_s)


def _key(block: Block, density: float, spec: SweepSpec, settings: str) -> str:
    return attempt_key(generator=block.generator, params=block.params, density=density,
                       clock=spec.clock_period_ns, activity=spec.activity,
                       top_layer=spec.top_layer, flow=settings, roma_pd=__version__)


def current_rows(frame, spec: SweepSpec, settings: str | None = None):
    """The stored attempts made with this package version and these flow settings: rows
    of an older flow (other key) stay in the database but do not count."""
    if settings is None:
        settings = _config(plan_blocks(spec)[0], spec.search.low, spec) \
            .flow_settings().read_text()
    blocks = {b.name: b for b in plan_blocks(spec)}
    keep = [b in blocks and k == _key(blocks[b], d, spec, settings)
            for b, d, k in zip(frame["block"], frame["density"], frame["key"])]
    return frame[pd.Series(keep, index=frame.index, dtype=bool)]


def run_sweep(spec: SweepSpec, pdk, builddir: Path, quiet: bool = True, log=print) -> Path:
    """Search every block of ``spec``; returns the results database. Attempts already
    stored (same key) are not run again, so an interrupted sweep resumes. Widths run in
    ascending order, each to the end of its search, so an interrupted sweep leaves
    whole tiles of the narrower widths."""
    folder = sweep_dir(builddir, spec)
    store = ResultStore(folder / "results.db")
    blocks = plan_blocks(spec)
    probe = _config(blocks[0], spec.search.low, spec)
    settings = probe.flow_settings().read_text()
    rnd = 0
    while True:
        pending = pending_blocks(current_rows(store.frame(spec.name), spec, settings), spec)
        if not pending:
            break
        width = min(b.width for b, _ in pending)
        pending = [(b, d) for b, d in pending if b.width == width]
        rnd += 1
        keys = [_key(b, d, spec, settings) for b, d in pending]
        job = "a" + hashlib.sha256("".join(keys).encode()).hexdigest()[:10]
        log(f"roma-pd: sweep {spec.name}: round {rnd}: " + ", ".join(
            f"{b.name}@{d:.3f}" for b, d in pending))
        configs = [_config(b, d, spec) for b, d in pending]
        started = time.time()
        # "sweep_" prefix: SiliconCompiler reserves the name "default" in its schema
        results = run_blocks(configs, pdk, folder, job, f"sweep_{spec.name}", quiet,
                             scheduler=spec.scheduler)
        for (block, density), key, result in zip(pending, keys, results):
            row = result.row
            node = Path(row["jobdir"]) / "route" / row["index"]
            log_path = node / "route.log"
            residual = read_residue(node)
            verdict = verdict_of(row, spec)
            store.add({
                "key": key, "sweep": spec.name, "block": block.name, "role": block.role,
                "generator": block.generator, "variant": ",".join(block.variants),
                "depth": block.depth, "width": block.width, "params": block.params,
                "density": density, "status": result.status, "verdict": verdict,
                "core_area": row.get("core_area"), "die_area": row.get("totalarea"),
                "cells": row.get("cells"), "unrouted_nets": row.get("unrouted_nets"),
                "opens": row.get("opens"), "shorts": row.get("shorts"),
                "drc_violations": row.get("drc_violations"),
                "segment_completion": row.get("segment_completion"),
                "residual": residual, "metrics": row,
                "tool_versions": {k: v for k, v in row.items() if k.startswith("version_")},
                "started": started, "log": row.get("log") or str(log_path),
            })
            log(f"roma-pd:   {block.name} @ {density:.3f}: {verdict} ({result.message})")
    summary = current_rows(store.frame(spec.name), spec, settings)
    for block in blocks:
        best = best_density(block_verdicts(summary[summary["block"] == block.name],
                                           spec.search.criterion), spec.search)
        log(f"roma-pd: {block.name}: " + (f"minimum area at density {best:.3f}"
                                           if best else "no density passed"))
    return store.path
