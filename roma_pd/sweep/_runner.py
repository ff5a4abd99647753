"""Run a sweep: plan its blocks, search each one's minimum routable area in rounds, and
store every attempt. Each round runs all blocks' next attempts side by side in
SiliconCompiler jobs, longest first (``_order``), so its scheduler (local, or Slurm)
runs them in parallel; each attempt is stored as soon as its block's last node is
over."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__
from ..flow import STEPS, TileConfig, read_residue, run_blocks
from ..results import ERROR, ResultStore, attempt_key
from ..rtl import tile_blocks
from ._identity import flow_identity
from ._lock import sweep_lock
from ._order import longest_first
from ._prune import drop_round_layouts
from ._search import best_density, next_density
from ._spec import SearchSpec, SweepSpec

__all__ = ["Block", "SweepRun", "plan_blocks", "block_name", "run_sweep", "verdict_of", "sweep_dir",
           "current_rows", "reported_rows", "block_verdicts", "density_rates", "missing_placements",
           "pending_blocks", "passes", "round_points", "search_starts", "search_next",
           "density_residue"]


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
    """clean, near_clean, fail, or error when the infrastructure failed (a timeout, a
    node that never ran or was killed, no manifest: ``row["error"]``).

    Clean is the run's status ``ok`` (Katana's route complete, routing and DRC clean).
    Near-clean tolerates routing residue and DRC violations, not broken nets: every
    step ran, Katana routed at least ``near_clean_completion`` of the segments and left
    at most ``near_clean_max_nets`` nets unrouted, and the layout has 0 opens and 0
    shorts. A count that is missing fails: it is never taken as 0."""
    if row.get("error"):
        return ERROR
    if row.get("status") == "ok":
        return "clean"
    search = spec.search
    done = all(row.get(f"status_{s}") == "success" for s in STEPS)
    completion, nets = row.get("segment_completion"), row.get("unrouted_nets")
    if done and completion is not None and completion >= search.near_clean_completion \
            and nets is not None and nets <= search.near_clean_max_nets \
            and row.get("opens") == 0 and row.get("shorts") == 0:
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


def density_residue(rows) -> dict[float, int | None]:
    """Per density a block's stored attempts tried: the fewest unrouted nets over its
    placements (None when no placement has a count: a crash, a timeout; empty for rows
    without counts)."""
    if "unrouted_nets" not in rows:
        return {}
    counts: dict[float, list[int]] = {}
    for d, nets in zip(rows["density"], rows["unrouted_nets"]):
        known = counts.setdefault(round(d, 6), [])
        if not pd.isna(nets):
            known.append(int(nets))
    return {d: min(known) if known else None for d, known in counts.items()}


def search_next(rows, search: SearchSpec, start: float | None) -> float | None:
    """The density a block's search tries next, from its stored attempts (``rows``,
    ``current_rows`` of one block), or None when the search has ended."""
    return next_density(block_verdicts(rows, search.criterion, search), search, start,
                        density_residue(rows))


def block_verdicts(rows, criterion: str, search: SearchSpec) -> dict[float, bool]:
    """Whether each density a block has tried passes: at least ``search.pass_rate`` of
    ``search.placements`` pass ``criterion``, decided once the stored placements settle
    the vote (``SearchSpec.vote``: with ``decide_early``, two agreeing placements of
    three). A density whose vote is still open (a split, a killed round) is left out:
    to the search it is not yet tried."""
    verdicts = {d: search.vote(passed, tried)
                for d, (passed, tried) in density_rates(rows, criterion).items()}
    return {d: ok for d, ok in verdicts.items() if ok is not None}


def missing_placements(rows, density: float, search: SearchSpec,
                       criterion: str | None = None) -> list[float]:
    """The aspect ratios of ``search.placements`` a block runs next at ``density``: the
    first of those not stored, as many as can decide its vote (``SearchSpec.to_run``;
    ``criterion``: the search's)."""
    at = rows[(rows["density"] - density).abs() < 1e-6]
    done = {_aspect(a) for a in at["aspect_ratio"]}
    passed, tried = density_rates(at, criterion or search.criterion).get(
        round(density, 6), (0, 0))
    return [a for a in search.placements if _aspect(a) not in done][
        :search.to_run(passed, tried)]


def search_starts(stored, spec: SweepSpec) -> dict[str, float | None]:
    """The density each block's search starts from. With ``search.warm_start``, the
    density chosen for the block of the same role and depth at the next narrower width,
    once that block's search has ended with a minimum; otherwise (the narrowest width, a
    narrower block unroutable, no ``warm_start``) ``search.start`` (None: ``low``).
    Widths run in ascending order, so a block's start is fixed before its own search
    begins."""
    search, crit = spec.search, spec.search.criterion
    starts: dict[str, float | None] = {}
    widths = sorted(spec.widths)
    for block in plan_blocks(spec):                     # narrowest width first
        i = widths.index(block.width)
        start = search.start
        if search.warm_start and i > 0:
            narrower = block_name(block.role, block.depth, widths[i - 1], spec)
            rows = stored[stored["block"] == narrower]
            if search_next(rows, search, starts[narrower]) is None:
                best = best_density(block_verdicts(rows, crit, search), search)
                start = start if best is None else best
        starts[block.name] = start
    return starts


def pending_blocks(stored, spec: SweepSpec) -> list[tuple[Block, float, list[float]]]:
    """The blocks whose search has not ended, each with the density it tries next and
    the placements (aspect ratios) of that density still to run."""
    pending = []
    starts = search_starts(stored, spec)
    for block in plan_blocks(spec):
        rows = stored[stored["block"] == block.name]
        d = search_next(rows, spec.search, starts[block.name])
        if d is not None:
            pending.append((block, d, missing_placements(rows, d, spec.search)))
    return pending


def round_points(pending, width: int) -> str:
    """The points of ``pending_blocks`` at ``width``, as a round lists them:
    ``block@density x aspect/aspect``."""
    return ", ".join(f"{b.name}@{d:.3f} x " + "/".join(f"{a:g}" for a in missing)
                     for b, d, missing in pending if b.width == width)


def _config(block: Block, density: float, aspect: float, spec: SweepSpec) -> TileConfig:
    return TileConfig(name=f"{block.name}_d{round(density * 1000)}"
                           f"_a{round(aspect * 100):03d}",
                      generator=block.generator, params=block.params, density=density,
                      aspect_ratio=aspect, clock_period_ns=spec.clock_period_ns,
                      activity=spec.activity, top_layer=spec.top_layer, flow=spec.flow,
                      timeout_s=spec.timeout_s)


def _key(block: Block, density: float, aspect: float, spec: SweepSpec,
         identity: dict) -> str:
    return attempt_key(generator=block.generator, params=block.params, density=density,
                       aspect_ratio=_aspect(aspect), clock=spec.clock_period_ns,
                       activity=spec.activity, top_layer=spec.top_layer, flow=identity,
                       roma_pd=__version__)


def _identity(spec: SweepSpec) -> dict:
    config = _config(plan_blocks(spec)[0], spec.search.low, 1.0, spec)
    return flow_identity(config.flow_settings(), spec.timeout_s)


def current_rows(frame, spec: SweepSpec, identity: dict | None = None):
    """The stored results made with this code, these tools, these flow settings and this
    timeout, at the spec's placements: rows of an older flow (other key), of aspect
    ratios the spec no longer lists, and ``error`` rows (no result, retried) stay in the
    database but do not count."""
    if identity is None:
        identity = _identity(spec)
    blocks = {b.name: b for b in plan_blocks(spec)}
    aspects = {_aspect(a) for a in spec.search.placements}
    keep = [b in blocks and _aspect(a) in aspects and v != ERROR
            and k == _key(blocks[b], d, a, spec, identity)
            for b, d, a, k, v in zip(frame["block"], frame["density"], frame["aspect_ratio"],
                                     frame["key"], frame["verdict"])]
    return frame[pd.Series(keep, index=frame.index, dtype=bool)]


def reported_rows(frame, spec: SweepSpec):
    """The rows a report shows: the newest result of each planned attempt (block,
    density, placement), whatever code made it, ``error`` rows left out. A committed
    export stays reportable after the code moves on, which makes its keys stale for
    resuming (``current_rows``)."""
    blocks = {b.name for b in plan_blocks(spec)}
    aspects = {_aspect(a) for a in spec.search.placements}
    # a boolean Series, not a list: an empty list would select no columns
    keep = frame[pd.Series([b in blocks and _aspect(a) in aspects and v != ERROR
                            for b, a, v in zip(frame["block"], frame["aspect_ratio"],
                                               frame["verdict"])],
                           index=frame.index, dtype=bool)]
    keep = keep.assign(_aspect=[_aspect(a) for a in keep["aspect_ratio"]],
                       _density=keep["density"].round(6))
    keep = keep.sort_values("finished", na_position="first", kind="stable")
    keep = keep.drop_duplicates(["block", "_density", "_aspect"], keep="last")
    return keep.drop(columns=["_aspect", "_density"]).sort_index()


@dataclass
class SweepRun:
    """What a sweep run left: its results database, and how many attempts errored (the
    infrastructure failed; they are retried on the next run)."""
    db: Path
    errors: int = 0


def run_sweep(spec: SweepSpec, pdk, builddir: Path, quiet: bool = True,
              log=print, export: Path | None = None) -> SweepRun:
    """Search every block of ``spec``. Each round runs, for every pending block of the
    narrowest unfinished width, the placements of its next density side by side, and
    stores each attempt as soon as its block is over. Attempts already stored (same key)
    are not run again, so an interrupted sweep resumes, running only the placements a
    killed round did not store. Widths run in ascending order, each to the end of its
    search, so an interrupted sweep leaves whole tiles of the narrower widths.

    An attempt the infrastructure failed is stored with verdict ``error``; its block's
    search stops for this run, and the next run retries it.

    ``export`` (``reports/<sweep>/results.jsonl`` from the CLI) is read into the
    database first, so a sweep resumes from a committed export on a machine whose build
    folder is empty (its attempts of the same key are not rerun), and rewritten after
    every stored block, so an interrupted sweep's progress can be committed.

    Raises
    ------
    RomaError
        Another sweep holds this sweep's folder, or its results database is not
        readable; nothing is written then.
    """
    folder = sweep_dir(builddir, spec)
    db = folder / "results.db"
    if db.exists():
        ResultStore(db, readonly=True)      # refuse a damaged database before the lock
    identity = _identity(spec)
    with sweep_lock(folder, spec.name):
        store = ResultStore(db)
        if export is not None and Path(export).exists():
            added = store.import_rows(export)
            if added:
                log(f"roma-pd: sweep {spec.name}: {added} attempts read from {export}")
        errors = _search(spec, pdk, store, folder, identity, quiet, log, export)
        if export is not None:
            store.export(export, spec.name, folder)
    return SweepRun(store.path, errors)


def _search(spec, pdk, store, folder, identity, quiet, log, export=None) -> int:
    blocks = plan_blocks(spec)
    crit = spec.search.criterion
    rnd, errored = 0, {}      # block -> attempts that errored this run
    while True:
        stored = current_rows(store.frame(spec.name), spec, identity)
        pending = [p for p in pending_blocks(stored, spec) if p[0].name not in errored]
        if not pending:
            break
        width = min(b.width for b, _, _ in pending)
        attempts = longest_first([(b, d, a) for b, d, missing in pending
                                  if b.width == width for a in missing], stored, blocks)
        if not attempts:    # cannot happen: the search never proposes a tried density
            raise RuntimeError(f"sweep {spec.name}: the search proposed only densities "
                               "whose placements are all stored")
        rnd += 1
        log(f"roma-pd: sweep {spec.name}: round {rnd}: " + round_points(pending, width))
        size = spec.scheduler.job_size(len(attempts))
        for first in range(0, len(attempts), size):
            _run_job(spec, pdk, store, folder, identity, quiet, log, export,
                     attempts[first:first + size], errored)
        stored = current_rows(store.frame(spec.name), spec, identity)
        for block, density, _ in pending:
            if block.width != width:
                continue
            rows = stored[stored["block"] == block.name]
            passed, tried = density_rates(rows, crit).get(round(density, 6), (0, 0))
            ok = block_verdicts(rows, crit, spec.search).get(round(density, 6))
            log(f"roma-pd:   {block.name} @ {density:.3f}: {passed}/{tried} placements "
                f"{crit}: " + {True: "pass", False: "fail", None: "incomplete"}[ok])
    summary = current_rows(store.frame(spec.name), spec, identity)
    starts = search_starts(summary, spec)
    for block in blocks:
        rows = summary[summary["block"] == block.name]
        if search_next(rows, spec.search, starts[block.name]) is not None:
            log(f"roma-pd: {block.name}: search not ended (rerun to resume)")
            continue
        best = best_density(block_verdicts(rows, crit, spec.search), spec.search)
        if best is None:
            fewest = ", ".join(f"{d:g}: {'?' if n is None else n}"
                               for d, n in sorted(density_residue(rows).items()))
            log(f"roma-pd: {block.name}: no density passed (fewest unrouted nets per "
                f"density: {fewest})")
            continue
        passed, tried = density_rates(rows, crit)[round(best, 6)]
        log(f"roma-pd: {block.name}: minimum area at density {best:.3f} "
            f"({passed}/{tried} placements {crit})")
    return sum(errored.values())


def _run_job(spec, pdk, store, folder, identity, quiet, log, export, attempts,
             errored) -> None:
    """One SiliconCompiler job of a round's ``attempts`` (block, density, aspect), each
    stored as it ends; ``errored`` counts the attempts per block that errored."""
    keys = [_key(b, d, a, spec, identity) for b, d, a in attempts]
    job = "a" + hashlib.sha256("".join(keys).encode()).hexdigest()[:10]
    configs = [_config(b, d, a, spec) for b, d, a in attempts]
    started = time.time()

    def store_block(i, result):
        block, density, aspect = attempts[i]
        verdict = _store(store, spec, block, density, aspect, keys[i], result, started)
        drop_round_layouts(_route_node(result.row))
        if export is not None:
            store.export(export, spec.name, folder)
        if verdict == ERROR:
            errored[block.name] = errored.get(block.name, 0) + 1
        log(f"roma-pd:   {block.name} @ {density:.3f} aspect {aspect:g}: {verdict} "
            f"({result.error or result.message})")

    # "sweep_" prefix: SiliconCompiler reserves the name "default" in its schema
    # the liberty cache is the build folder's, shared by every sweep and run in it
    run_blocks(configs, pdk, folder, job, f"sweep_{spec.name}", quiet,
               scheduler=spec.scheduler, on_block=store_block,
               cache_dir=folder.parent.parent / ".cache")


def _route_node(row: dict) -> Path:
    return Path(row.get("jobdir", ".")) / "route" / row.get("index", "0")


def _store(store, spec, block, density, aspect, key, result, started) -> str:
    """Store one attempt's row; returns its verdict."""
    row = result.row
    node = _route_node(row)
    verdict = verdict_of({**row, "error": result.error or row.get("error")}, spec)
    store.add({
        "key": key, "sweep": spec.name, "block": block.name, "role": block.role,
        "generator": block.generator, "variant": ",".join(block.variants),
        "depth": block.depth, "width": block.width, "params": block.params,
        "density": density, "aspect_ratio": aspect, "status": result.status,
        "verdict": verdict, "message": result.error or result.message,
        "core_area": row.get("core_area"), "die_area": row.get("totalarea"),
        "cells": row.get("cells"), "unrouted_nets": row.get("unrouted_nets"),
        "opens": row.get("opens"), "shorts": row.get("shorts"),
        "drc_violations": row.get("drc_violations"),
        "segment_completion": row.get("segment_completion"),
        "residual": read_residue(node), "metrics": row,
        "tool_versions": {k: v for k, v in row.items() if k.startswith("version_")},
        "started": started, "log": row.get("log") or str(node / "route.log"),
    })
    return verdict

