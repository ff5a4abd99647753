"""Build a SiliconCompiler project for a tile config, run it, and keep the result."""
from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from siliconcompiler import NodeStatus
from siliconcompiler.scheduler import Scheduler
from siliconcompiler.scheduler.listener import RunListener

from .._io import atomic_write_json, atomic_write_text
from .._yamlconfig import check_identifier
from ..metrics import METRICS_FILE, collect_run, install_metrics, metric_definitions, \
    write_metrics
from .._errors import RomaError
from ..pdk import Asap7
from ..rtl import generate, has_workload, port_activity
from ._config import SOURCE_SUFFIXES, TileConfig
from ._drc import DrcTask
from ._export import ExportTask
from ._flowgraph import EDGES, STEPS, RomaTileFlow
from ._measure import MetricsTask
from ._place import PlaceTask
from ._progress import Heartbeat
from ._resume import check_resume, steps_to_run
from ._route import RouteTask
from ._signals import Interrupted, received, signal_message
from ._sta import StaTask
from ._synth import SynthTask
from ._task import CORIOLIS_ERROR, STA_ERROR, WRAPPER_ERROR, YOSYS_ERROR

__all__ = ["build_project", "run_blocks", "run_tile", "run_design", "RunResult",
           "DesignResult", "run_status", "infra_error", "check_job_name", "TILE_FILE"]

TILE_FILE = "roma_tile.json"


@dataclass
class RunResult:
    """Where a run lives and how it ended."""
    status: str            # "ok", "route_failed" or "failed"
    message: str
    jobdir: Path
    metrics_file: Path | None
    gds: Path | None
    row: dict
    markers: Path | None = None     # the DRC marker database (<top>.drc.lyrdb)
    # An infrastructure failure (timeout, node not run or killed, no manifest, nothing
    # to judge): the attempt says nothing about the design, so a sweep retries it.
    error: str | None = None


def check_job_name(job: str) -> str:
    """A job folder name under ``<build>/<design>/``: an identifier, like a config name,
    so it can name neither the design folder ('' or '.'), a parent ('..') nor a path.

    Raises
    ------
    RomaError
        One line naming ``--job``.
    """
    try:
        return check_identifier(job)
    except ValueError as exc:
        raise RomaError(f"--job: job name {exc}") from None


def _clear_job(jobdir: Path, designdir: Path) -> None:
    """Delete a previous run of the job, refusing anything but a child of the design
    folder (a symlinked job folder resolves elsewhere and is refused too)."""
    jobdir, designdir = Path(jobdir).resolve(), Path(designdir).resolve()
    if jobdir.parent != designdir:
        raise RomaError(f"--job: job folder {jobdir} is not inside {designdir}; "
                        "nothing was deleted")
    if jobdir.exists():
        shutil.rmtree(jobdir)   # a rerun replaces the job whole, never mixes with it


def _write_rtl(config: TileConfig, pdk: Asap7, folder: Path) -> Path:
    policy = config.cell_policy()
    try:
        policy.check(pdk.cell_names)
    except ValueError as exc:
        raise RomaError(f"{config.flow_settings()}: {exc}") from None
    text = generate(config.generator, config.params, config.name, policy)
    return atomic_write_text(folder / f"{config.name}.il", text)


def _write_activity(config: TileConfig, folder: Path) -> Path:
    """The block's simulated workload (per-input-bit activity) for the power step."""
    activity = port_activity(config.generator, config.params)
    return atomic_write_json(folder / f"{config.name}.activity.json", activity.to_json())


def _add_sources(design, config: TileConfig) -> None:
    """The user's RTL, include folders, defines and SDC into the active fileset."""
    for path in config.source:
        design.add_file(path, filetype=SOURCE_SUFFIXES[Path(path).suffix])
    for folder in config.include_dirs:
        design.add_idir(folder)
    for define in config.define_list():
        design.add_define(define)
    if config.sdc:
        design.add_file(config.sdc, filetype="sdc")


def build_project(configs: TileConfig | list[TileConfig], pdk: Asap7, builddir: Path,
                  jobname: str, quiet: bool = True, design: str | None = None,
                  scheduler=None, cache_dir: Path | None = None):
    """An ASIC project running the roma_tile flow on the generated RTL of each config,
    block i at flowgraph index i; the design is named after the first config unless
    ``design`` is given. Unpacked liberty files are shared under ``cache_dir``
    (default ``<builddir>/.cache``)."""
    from siliconcompiler import ASIC, Design
    check_job_name(jobname)
    configs = configs if isinstance(configs, list) else [configs]
    builddir = Path(builddir).resolve()
    name = design or configs[0].name
    # A source config's files go to the design's fileset as they are (synthesis and
    # STA read them from there); a generator's RTLIL is written first.
    rtl = [None if c.source else _write_rtl(c, pdk, builddir / name / "rtl" / jobname)
           for c in configs]
    top = Design(name)
    with top.active_fileset("rtl"):
        top.set_topmodule(configs[0].top_module)
        if rtl[0]:
            top.add_file(str(rtl[0]), filetype="rtlil")
        else:
            _add_sources(top, configs[0])
    proj = ASIC(top)
    proj.add_fileset("rtl")
    proj.set_mainlib(pdk.library)
    proj.set_pdk(pdk.name)
    proj.set_asic_delaymodel("nldm")
    scenario = proj.constraint.timing.make_scenario(pdk.corner)
    scenario.add_libcorner(pdk.corner)
    scenario.set_pexcorner(pdk.corner)
    scenario.add_check(["setup", "hold"])
    for lib in proj.getkeys("library"):
        pdk.point_at(proj.get_library(lib))
    proj.set_flow(RomaTileFlow(blocks=len(configs)))
    install_metrics(proj, pdk.tech)
    proj.option.set_builddir(str(builddir))
    proj.option.set_jobname(jobname)
    proj.option.set_nodisplay(True)
    proj.option.set_quiet(quiet)
    proj.option.set_timeout(max(float(c.timeout_s) for c in configs))
    if scheduler is not None:       # a SchedulerSpec: local (the default) or slurm
        if scheduler.name != "local":
            proj.option.scheduler.set_name(scheduler.name)
        if scheduler.queue:
            proj.option.scheduler.set_queue(scheduler.queue)
        if scheduler.maxnodes:
            proj.option.scheduler.set_maxnodes(scheduler.maxnodes)

    root = str(pdk.root) if pdk.root else ""
    liberty = [str(p) for p in pdk.liberty_files]
    tasks = {cls: cls.find_task(proj) for cls in (SynthTask, PlaceTask, RouteTask,
                                                  ExportTask, DrcTask, StaTask,
                                                  MetricsTask)}
    for i, (config, source) in enumerate(zip(configs, rtl)):
        index = str(i)

        def put(cls, key, value):
            tasks[cls].set("var", key, value, step=cls().task(), index=index)

        for cls in tasks:
            put(cls, "pdk_root", root)
            put(cls, "top", config.top_module)
        if source:
            put(SynthTask, "source", str(source))
        put(SynthTask, "clock_period_ns", config.clock_period_ns)
        put(SynthTask, "settings", str(config.flow_settings()))
        if config.core_area:
            put(PlaceTask, "core_area", config.core_area)
        else:
            put(PlaceTask, "density", config.density)
        put(PlaceTask, "aspect_ratio", config.aspect_ratio)
        for cls in (PlaceTask, RouteTask):
            put(cls, "settings", str(config.flow_settings()))
            put(cls, "top_layer", config.top_layer)
            put(cls, "clock_ports", config.clock_ports())
        put(MetricsTask, "top_layer", config.top_layer)
        put(StaTask, "clock_period_ns", config.clock_period_ns)
        put(StaTask, "activity", config.activity)
        if source and has_workload(config.generator):
            put(StaTask, "port_activity", str(_write_activity(config, source.parent)))
        put(StaTask, "liberty", liberty)
        put(StaTask, "time_unit_ns", pdk.time_unit_ns)
        put(StaTask, "cache_dir", str(cache_dir or builddir / ".cache"))
    return proj


# any tool's error line, or a Python exception's last line
_ERROR_LINE = re.compile(rf"^({WRAPPER_ERROR}|Error.*|{YOSYS_ERROR}|{CORIOLIS_ERROR}"
                         r"|\w*Error: .*)$", re.M)


_LIBERTY_READ = re.compile(r"Executing Liberty frontend: (\S+)")


def _failure(jobdir: Path, step: str, index: str, status: str | None,
             timeout: float) -> str:
    """What went wrong in ``step``, from its status and the last error in its log."""
    node = jobdir / step / index
    sc_log = node / f"sc_{step}_{index}.log"
    # SiliconCompiler 0.38 records a killed node as "error"; its own log says why.
    if status == "timeout" or (sc_log.is_file() and "Task timed out" in sc_log.read_text()):
        return f"step {step} timed out after {timeout:g} s (timeout_s); its log is kept"
    log = node / f"{step}.log"
    text = log.read_text(errors="replace") if log.is_file() else ""
    errors = _ERROR_LINE.findall(text)
    detail = errors[-1].strip() if errors else f"status {status or 'not run'}"
    # Yosys names the liberty it was reading only in the line before its error
    libs = _LIBERTY_READ.findall(text.split(detail, 1)[0]) if "liberty" in detail else []
    return f"step {step} failed: {detail}" + (f" ({libs[-1]})" if libs else "")


_ROUTE_CHECKS = ("unrouted_nets", "opens", "shorts", "lvs_mismatches")
# Every count a clean verdict rests on; route_complete is Katana's own flag (1 or 0).
_CHECKS = _ROUTE_CHECKS + ("drc_violations", "route_complete")
_CHECK_WORDS = {"drc_violations": "DRC violations",
                "route_complete": "route completion flag"}


def _markers(jobdir: Path | None, index: str, top: str | None) -> Path:
    return Path(jobdir or ".") / "drc" / index / "outputs" / f"{top or '<top>'}.drc.lyrdb"


def _missing(row: dict) -> str | None:
    missing = [k for k in _CHECKS if row.get(k) is None]
    if not missing:
        return None
    return "no " + ", ".join(_CHECK_WORDS.get(k, k.replace("_", " ")) for k in missing) + \
        " recorded: the run cannot be judged clean"


def run_status(row: dict, jobdir: Path | None = None, timeout: float = 0,
               index: str = "0", top: str | None = None) -> tuple[str, str]:
    """Judge a finished run: ``ok`` (Katana reports the route complete, 0 unrouted
    nets, 0 opens, 0 shorts, 0 LVS mismatches and 0 DRC violations), ``route_failed``
    (every step ran but the layout is not clean; the message names the counts and, for
    DRC, the marker database of block ``top``) or ``failed`` (a step crashed, timed out
    or did not run), with a one-line reason.

    A check whose count is missing fails the run: it is never taken as 0.
    """
    for step in STEPS:
        if row.get(f"status_{step}") != "success":
            return "failed", _failure(Path(jobdir or "."), step, index,
                                      row.get(f"status_{step}"), timeout)
    missing = _missing(row)
    if missing:
        return "failed", missing
    routing = [f"{row[k]} {k.replace('_', ' ')}" for k in _ROUTE_CHECKS if row[k]]
    if not row["route_complete"]:
        routing.append("Katana reports the route incomplete")
    drc = row["drc_violations"]
    problems = routing + ([f"{drc} DRC violations (markers: "
                           f"{_markers(jobdir, index, top)})"] if drc else [])
    if problems:
        return "route_failed", ("routing" if routing else "DRC") + " is not clean: " + \
            ", ".join(problems)
    return "ok", "routed clean, DRC clean"


# A step that stopped with its tool's own one-line error has a result (too dense to
# place, say); OpenSTA prints "Error: ..." itself.
_TOOL_VERDICT = re.compile(rf"^({WRAPPER_ERROR}|{STA_ERROR})$", re.M)


def infra_error(row: dict, jobdir: Path | None = None, index: str = "0",
                timeout: float = 0) -> str | None:
    """Why a run says nothing about its design, or None when its status is a result.

    Not a result: a step that timed out, one that never started (no log: a scheduler
    that is not there), one that died without its tool's one-line error (killed, out of
    memory, a traceback), and a run whose steps all succeeded but left a count of
    :func:`run_status` unrecorded.
    """
    for step in STEPS:
        status = row.get(f"status_{step}")
        if status == "success":
            continue
        node = Path(jobdir or ".") / step / index
        sc_log = node / f"sc_{step}_{index}.log"
        if status == "timeout" or (sc_log.is_file() and
                                   "Task timed out" in sc_log.read_text(errors="replace")):
            return f"step {step} timed out after {timeout:g} s (timeout_s)"
        log = node / f"{step}.log"
        if not log.is_file():
            return f"step {step} did not run (status {status or 'none'})"
        if not _TOOL_VERDICT.search(log.read_text(errors="replace")):
            return f"step {step} crashed (status {status}) without a tool error; see {log}"
        return None     # the first failed step decides: the later ones never ran
    return _missing(row)


def _blocked(status_of, step: str) -> bool:
    """Whether ``step`` can no longer run: a step it waits for ended without success."""
    ups = [tail for tail, head in EDGES if head == step]
    return any((NodeStatus.is_done(status_of(u)) and status_of(u) != NodeStatus.SUCCESS)
               or _blocked(status_of, u) for u in ups)


def _block_over(project, index: str) -> bool:
    """Whether every node of block ``index`` has ended or can no longer run."""
    def status_of(step):
        return project.get("record", "status", step=step, index=index)
    return all(NodeStatus.is_done(status_of(s)) or _blocked(status_of, s) for s in STEPS)


class _BlockListener(RunListener):
    """Hands on each block of one job as soon as its last node is over, while the other
    blocks still run: a sweep stores a block's row then, so a killed round keeps its
    finished blocks. SiliconCompiler's own listener (node_finished, called in this
    process with the node's record and metrics merged) is used rather than one run per
    block in threads or processes: the round stays one job, one scheduler, one core
    budget (local or Slurm)."""

    def __init__(self, builddir: str, jobname: str, finish):
        self._where = (builddir, jobname)
        self._finish = finish
        self.done: set[int] = set()

    def node_finished(self, project, step, index):
        where = (project.get("option", "builddir"), project.get("option", "jobname"))
        if where != self._where or int(index) in self.done or \
                not _block_over(project, index):
            return
        # SiliconCompiler logs and drops a listener's exception: a block whose row
        # could not be handed on is left for the pass after the run, which raises.
        try:
            self._finish(int(index), project)
        except Exception as exc:
            project.logger.error(f"block {index}: {exc}")
            return
        self.done.add(int(index))


def _partial(row: dict, jobdir: Path, timeout: float, index: str, ran: list[str],
             to_step: str) -> tuple[str, str]:
    """A run stopped by ``--to`` before the last step: ``partial`` when the steps it
    ran succeeded (the layout is not judged), else ``failed`` on the first that did not."""
    for step in ran:
        if row.get(f"status_{step}") != "success":
            return "failed", _failure(Path(jobdir), step, index,
                                      row.get(f"status_{step}"), timeout)
    left = [s for s in STEPS if s not in ran]
    return "partial", (f"stopped after {to_step} (--to): ran {', '.join(ran)}; not "
                       f"judged, {', '.join(left)} did not run")


def run_blocks(configs: list[TileConfig], pdk: Asap7, builddir: Path, jobname: str,
               design: str, quiet: bool = True, on_start=None,
               scheduler=None, on_block=None, cache_dir: Path | None = None,
               heartbeat_s: float = 0, from_step: str | None = None,
               to_step: str | None = None) -> list[RunResult]:
    """Run the blocks of ``configs`` side by side in one SiliconCompiler job (its
    scheduler runs them in parallel) and write one metrics JSON per block.

    ``on_block(i, result)`` is called once per block as soon as its last node is over
    (the other blocks may still run), or after the run for a block that never got
    that far. A tool crash, timeout or incomplete route gives a RunResult with a failed
    status (logs kept under the job folder), never an exception; ``error`` says when the
    failure is the infrastructure's, not the design's. ``heartbeat_s`` > 0 prints the
    nodes still running at that interval. ``from_step`` reruns that step and the ones
    after it, reusing the job's earlier steps (SiliconCompiler's ``option from``;
    refused when they have not finished); ``to_step`` stops after that step (``option
    to``), and the run is then ``partial``.

    Raises
    ------
    Interrupted
        A SIGINT or SIGTERM caught by ``catch_signals`` stopped the run; the failed-run
        record of every unfinished block is written first (``on_block`` is not called
        for those: an interrupted attempt is no verdict).
    """
    check_job_name(jobname)
    builddir = Path(builddir).resolve()
    jobdir = builddir / design / jobname
    flow = RomaTileFlow(blocks=len(configs))
    ran = steps_to_run(flow, from_step, to_step)
    if from_step:       # refused before anything is written
        check_resume(flow, jobdir, design, from_step, to_step)
    else:
        _clear_job(jobdir, builddir / design)   # a rerun replaces the job whole
    proj = build_project(configs, pdk, builddir, jobname, quiet, design, scheduler,
                         cache_dir)
    if from_step:
        proj.option.add_from(from_step, clobber=True)
    if to_step:
        proj.option.add_to(to_step, clobber=True)
    partial = (ran, to_step) if to_step and ran[-1] != STEPS[-1] else None
    if on_start:
        on_start(proj)
    started = time.time()
    results: dict[int, RunResult] = {}

    def finish(i: int, source, error: str | None = None) -> None:
        result = _block_result(configs, i, source, pdk, jobdir, started, error,
                               partial=partial)
        if on_block:
            on_block(i, result)
        results[i] = result

    listener = _BlockListener(proj.get("option", "builddir"), jobname, finish)
    Scheduler.add_listener(listener)
    error, signum = None, None
    beat = Heartbeat(jobdir, heartbeat_s, poll=0.5)
    try:
        with beat:
            proj.run()
    except Exception as exc:    # SiliconCompiler raises when a node fails
        error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    except (KeyboardInterrupt, SystemExit):
        # SiliconCompiler halts its nodes on KeyboardInterrupt, then calls sys.exit(0)
        signum = received()
        if signum is None:
            raise
    finally:
        Scheduler.remove_listener(listener)
    if signum:
        message = _interrupted(jobdir, signum, beat.running)
        stopped = [i for i in range(len(configs)) if i not in results]
        for i in stopped:
            results[i] = _block_result(configs, i, None, pdk, jobdir, started, None,
                                       interrupted=message)
        record = results[stopped[0] if stopped else 0].metrics_file
        raise Interrupted(signum, f"{message}; failed-run record: {record}")
    try:
        history = proj.history(jobname)
    except Exception:           # no manifest: the run stopped before any node
        history = None
    for i in range(len(configs)):
        if i not in results:
            finish(i, history, error)
    return [results[i] for i in range(len(configs))]


def _block_result(configs, i: int, source, pdk, jobdir: Path, started: float,
                  error: str | None, interrupted: str | None = None,
                  partial: tuple[list[str], str] | None = None) -> RunResult:
    """Block ``i``'s row, status and files, from the project (live, or its history);
    ``interrupted`` is the message of a run a signal stopped, ``partial`` the steps run
    and the ``--to`` step of a run stopped early."""
    config, index = configs[i], str(i)
    if interrupted:
        row, status = {}, "failed"
        message = infra = interrupted
    elif source is None:
        row, status = {}, "failed"
        message = infra = f"no manifest was written ({error})"
    else:
        row = collect_run(source, STEPS, metric_definitions(pdk.tech), index, jobdir)
        status, message = run_status(row, jobdir, config.timeout_s, index,
                                     config.top_module)
        infra = infra_error(row, jobdir, index, config.timeout_s)
        if partial:
            status, message = _partial(row, jobdir, config.timeout_s, index, *partial)
            infra = None if status == "partial" else infra
    failed = [s for s in STEPS if row.get(f"status_{s}") != "success"]
    log = jobdir / failed[0] / index / f"{failed[0]}.log" if failed else None
    row.update({
        "design": config.name, "generator": config.generator, "params": config.params,
        "top": config.top_module, "source": config.source, "sdc": config.sdc,
        "density_target": config.density, "core_area_target": config.core_area,
        "clock_period_ns": config.clock_period_ns, "activity": config.activity,
        "status": status, "message": message, "log": str(log) if log else None,
        "error": infra, "jobdir": str(jobdir), "index": index,
        "started": started, "wall_s": time.time() - started,
        "pdk_root": str(pdk.root) if pdk.root else None,
    })
    gds = jobdir / "export" / index / "outputs" / f"{config.top_module}.gds"
    where = jobdir if len(configs) == 1 else jobdir / "blocks" / config.name
    metrics_file = write_metrics(row, where / METRICS_FILE, metric_definitions(pdk.tech)) \
        if jobdir.exists() else None
    markers = _markers(jobdir, index, config.top_module)
    return RunResult(status, message, jobdir, metrics_file, gds if gds.is_file() else None,
                     row, markers if markers.is_file() else None, infra)


def _interrupted(jobdir: Path, signum: int, nodes: list[str]) -> str:
    """The failed-run message of a job stopped by ``signum`` while ``nodes`` ran."""
    where = f" during {', '.join(nodes)}" if nodes else ""
    return f"interrupted by {signal_message(signum)}{where}: job {jobdir} is partial"


def run_tile(config: TileConfig, pdk: Asap7, builddir: Path, jobname: str = "job0",
             quiet: bool = True, on_start=None, from_step: str | None = None,
             to_step: str | None = None) -> RunResult:
    """Run the flow on one block; its metrics JSON lands beside the manifest."""
    return run_blocks([config], pdk, builddir, jobname, config.name, quiet, on_start,
                      from_step=from_step, to_step=to_step)[0]


@dataclass
class DesignResult:
    """All blocks of a config, and the tile they make."""
    status: str
    blocks: list[RunResult]
    summary: dict
    summary_file: Path | None


def run_design(config: TileConfig, pdk: Asap7, builddir: Path, jobname: str = "job0",
               quiet: bool = True, on_start=None, heartbeat_s: float = 0,
               from_step: str | None = None, to_step: str | None = None) -> DesignResult:
    """Run every block of ``config`` (one, or a tile's store and compute) and write the
    tile summary ``<build>/<name>/<job>/roma_tile.json``.

    Tile area adds the blocks' core and die areas and, for the SRAM variant, the
    fakeram7 macros' area from their LEF.
    """
    blocks, macros = config.blocks()
    results = run_blocks(blocks, pdk, builddir, jobname, config.name, quiet, on_start,
                         heartbeat_s=heartbeat_s, from_step=from_step, to_step=to_step)
    status = "ok" if all(r.status == "ok" for r in results) else \
        next(r.status for r in results if r.status != "ok")
    summary = {"design": config.name, "generator": config.generator,
               "params": config.params, "status": status,
               "blocks": {b.name: {"status": r.status, "message": r.message,
                                   "core_area": r.row.get("core_area"),
                                   "die_area": r.row.get("totalarea"),
                                   "cells": r.row.get("cells"),
                                   "metrics": str(r.metrics_file)}
                          for b, r in zip(blocks, results)}}
    # Which figures are post-route: timing and power read the routed wires' SPEF when
    # every block's nets were annotated; the flow builds no clock tree (README).
    summary["post_route"] = {
        "wire_parasitics": all((r.row.get("spef_nets") or 0) > 0 for r in results),
        "clock_tree": False}
    macro_area = 0.0
    if macros:
        name, count = macros
        macro = pdk.sram_macro(name)
        macro_area = macro["area_um2"] * count
        summary["sram"] = {"macro": name, "count": count, "lef": str(macro["lef"]),
                           "area_um2": macro_area}
    for key, src in (("tile_core_area", "core_area"), ("tile_die_area", "totalarea")):
        values = [r.row.get(src) for r in results]
        summary[key] = sum(values) + macro_area if None not in values else None
    summary_file = None
    if len(blocks) > 1 or macros:
        summary_file = atomic_write_json(
            Path(builddir).resolve() / config.name / jobname / TILE_FILE, summary)
    return DesignResult(status, results, summary, summary_file)
