"""``roma-pd``: run a tile, print its metrics, render its layout."""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .._errors import RomaError
from ..data import CHIP_CONFIG

__all__ = ["main", "check_tools", "check_build_dir"]

# (what, how it is found, how to get it)
_TOOLS = [
    ("OpenSTA", "exe:sta", "apt-get install opensta"),
    ("pyosys", "module:pyosys", "pip install pyosys==0.70"),
    ("Coriolis", "module:coriolis", "pip install coriolis-eda==2.5.4"),
    ("KLayout", "module:klayout", "pip install klayout==0.30.12"),
    ("SiliconCompiler", "module:siliconcompiler", "pip install siliconcompiler==0.38.11"),
]


def check_tools() -> None:
    """Raise RomaError naming the first tool the flow needs that is not installed."""
    for name, where, fix in _TOOLS:
        kind, what = where.split(":")
        found = shutil.which(what) if kind == "exe" else importlib.util.find_spec(what)
        if not found:
            raise RomaError(f"tool {name} ({what}) is not installed; install it with: {fix}")
    bindir = Path(sys.executable).parent
    for exe in ("roma-pd-yosys", "roma-pd-coriolis", "roma-pd-klayout"):
        if not (bindir / exe).exists():
            raise RomaError(f"tool wrapper {exe} is missing from {bindir}; reinstall "
                            "roma-pd with: pip install -e .")


def _env_for_tools() -> None:
    # KLayout and matplotlib write caches under $HOME; keep them in the build folder
    # when HOME is not writable (CI).
    home = Path(os.environ.get("HOME", "/"))
    if not os.access(home, os.W_OK):
        os.environ.setdefault("KLAYOUT_HOME", "/tmp/klayout-home")


def cmd_run(args) -> int:
    import time

    from ..flow import load_config
    from ..pdk import load_pdk
    config = load_config(args.config)
    from ..flow import catch_signals, check_job_name, run_design
    from ..report import metric_table
    check_job_name(args.job)
    build = check_build_dir(args.build)
    pdk = load_pdk()
    pdk.time_unit_ns        # noqa: B018  (an unreadable liberty fails here, not mid-run)
    check_tools()
    config.flow_settings()
    blocks, _ = config.blocks()
    names = ", ".join(b.name for b in blocks)
    print(f"roma-pd: generating the RTL of {names} ({config.rtl_kind})", flush=True)
    t0 = time.monotonic()

    def started(_):
        print(f"roma-pd: RTL generated in {time.monotonic() - t0:.1f} s; running {names} "
              f"({config.rtl_kind}) through roma_tile: synth -> place -> route -> export "
              "-> drc -> metrics -> sta" +
              "".join(f" ({flag} {step})" for flag, step in
                      (("--from", args.from_step), ("--to", args.to_step)) if step),
              flush=True)

    with catch_signals():
        design = run_design(config, pdk, build, args.job, quiet=not args.verbose,
                            on_start=started, heartbeat_s=args.heartbeat,
                            from_step=args.from_step, to_step=args.to_step)
    for result in design.blocks:
        if result.metrics_file:
            print(metric_table(_row(str(result.metrics_file)), pdk.tech))
        print(f"roma-pd: {result.row.get('design')}: {result.status}: {result.message}")
        if result.metrics_file:
            print(f"roma-pd: metrics: {result.metrics_file}")
        if result.row.get("log"):
            print(f"roma-pd: log of the failed step: {result.row['log']}")
        if result.gds:
            print("roma-pd: open the layout" + (" and its DRC markers" if result.markers
                                                else "") + " with:")
            print(f"  klayout -l {pdk.lyp} {result.gds}" +
                  (f" -m {result.markers}" if result.markers else ""))
    if design.summary_file:
        s = design.summary
        sram = s.get("sram")
        extra = f" + {sram['count']} x {sram['macro']} ({sram['area_um2']:.1f} um^2)" \
            if sram else ""
        print(f"roma-pd: tile {config.name}: {design.status}: core area "
              f"{_um2(s['tile_core_area'])}, die area {_um2(s['tile_die_area'])} "
              f"(blocks{extra})")
        print(f"roma-pd: tile summary: {design.summary_file}")
    return 0 if design.status in ("ok", "partial") else 1


def check_build_dir(build: str) -> Path:
    """``--build`` as a folder the run can write: an existing writable folder, or one
    that can be made under the nearest existing parent."""
    path = Path(build)
    if path.exists() and not path.is_dir():
        raise RomaError(f"--build {build}: is a file, not a folder; give a folder")
    parent = path
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise RomaError(f"--build {build}: {parent} is a file, not a folder; give a folder")
    # os.access says yes to root on a read-only mount; a probe file answers for real
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        raise RomaError(f"--build {build}: cannot write in {parent} ({exc.strerror}); give "
                        "a writable folder") from None
    return path


def _um2(value) -> str:
    return "- (not measured)" if value is None else f"{value:.1f} um^2"


def _row(run: str):
    from ..metrics import load_metrics
    if not Path(run).exists():
        raise RomaError(f"{run}: no such run folder or metrics file")
    try:
        row = load_metrics(run).iloc[0]
    except (FileNotFoundError, ValueError) as exc:
        raise RomaError(str(exc)) from None
    return row


def _block_runs(run: str) -> dict[str, str]:
    """The metrics file of every block of a run, by block name: a tile's job folder
    holds one per block under ``blocks/<name>/``; any other run is one block."""
    path = Path(run)
    if not path.exists():
        raise RomaError(f"{run}: no such run folder or metrics file")
    from ..metrics import METRICS_FILE
    found = sorted((path / "blocks").glob(f"*/{METRICS_FILE}")) if path.is_dir() else []
    if found:
        return {f.parent.name: str(f) for f in found}
    row = _row(run)
    return {str(row.get("design") or path.name): run}


def cmd_metrics(args) -> int:
    from ..pdk import load_pdk
    runs = _block_runs(args.run)
    from ..report import metric_table       # pandas and KLayout: once the run is found
    if args.json:       # one document: a block's row, or a tile's rows by block
        import json
        rows = {name: json.loads(_row(run).to_json()) for name, run in runs.items()}
        print(json.dumps(rows if len(runs) > 1 else next(iter(rows.values())), indent=1))
        return 0
    for name, run in runs.items():
        row = _row(run)
        if len(runs) > 1:
            print(f"roma-pd: block {name}: {run}")
        print(metric_table(row, load_pdk(row.get("pdk_root") or None).tech))
    return 0


def cmd_render(args) -> int:
    from ..pdk import load_pdk
    from ..report import lyp_layers, render_png, resolve_layers
    runs = _block_runs(args.run)
    if args.block is not None:
        if args.block not in runs:
            raise RomaError(f"--block must be a block of {args.run}, not {args.block!r}; "
                            "blocks: " + ", ".join(runs))
        runs = {args.block: runs[args.block]}
    if args.output and len(runs) > 1:
        raise RomaError(f"-o {args.output}: {args.run} holds {len(runs)} blocks "
                        f"({', '.join(runs)}); pick one with --block")
    jobs = []
    for name, run in runs.items():
        row = _row(run)
        missing = [k for k in ("jobdir", "index", "design") if not row.get(k)]
        if missing:
            raise RomaError(f"{run}: the metrics file has no {missing[0]!r}; rerun the "
                            "job to rewrite it")
        jobdir = Path(row["jobdir"])
        top = row.get("top") or row["design"]    # a source config's top may differ
        gds = jobdir / "export" / str(row["index"]) / "outputs" / f"{top}.gds"
        if not gds.is_file():
            raise RomaError(f"{gds} not found: the run has no exported layout (status "
                            f"{row.get('status')})")
        out = Path(args.output or jobdir / f"{top}.png")
        # checked before the rendering, which takes seconds to minutes
        if not out.parent.is_dir():
            raise RomaError(f"-o {out}: folder {out.parent} does not exist; create it first")
        if out.is_dir():
            raise RomaError(f"-o {out}: is a folder; give a .png file path")
        jobs.append((gds, out, row))
    pdk = load_pdk(jobs[0][2].get("pdk_root") or None)
    only = None
    if args.layers is not None:
        try:
            only = resolve_layers(args.layers, lyp_layers(pdk.lyp))
        except ValueError as exc:
            raise RomaError(str(exc)) from None
    for gds, out, _ in jobs:
        render_png(gds, pdk.lyp, out, size=args.size, only=only, text=not args.no_text)
        print(f"roma-pd: wrote {out}")
    return 0


_STAT_ROWS = [
    ("cells", "std_cells", "brom_cells"),
    ("OR-gate inputs (synthesized)", "std_or_inputs", "brom_or_inputs"),
    ("OR-gate inputs (analytic)", "std_or_inputs_analytic", "brom_or_inputs_analytic"),
    ("  of which CGen", None, "brom_cgen_inputs"),
    ("transistors (CDL)", "std_transistors", "brom_transistors"),
]
_RATIOS = [
    ("paper's crossings (non-zero nibbles / ones)", "ratio_paper_crossings"),
    ("OR-gate inputs, analytic", "ratio_or_inputs_analytic"),
    ("transistors, measured", "ratio_transistors_measured"),
    ("cells, measured", "ratio_cells_measured"),
]


def _rom_params(config) -> dict:
    """depth, width, weight_bits, content of the ROM a config describes."""
    import inspect

    from ..rtl import GENERATORS
    if config.generator not in ("stdrom", "brom", "logicrom", "tile"):
        raise RomaError(f"{config.name}: rtl-stats compares ROMs; generator must be one of "
                        f"['brom', 'logicrom', 'stdrom', 'tile'], not {config.generator!r}")
    defaults = {k: v.default for k, v in
                inspect.signature(GENERATORS[config.generator]).parameters.items()}
    p = {**defaults, **config.params}
    return {k: p[k] for k in ("depth", "width", "weight_bits", "content")}


def cmd_rtl_stats(args) -> int:
    import tempfile

    import pandas as pd

    from ..flow import load_config
    from ..pdk import load_pdk
    from ..rtl._stats import rom_pair_stats
    config = load_config(args.config)
    pdk = load_pdk()
    check_tools()
    p = _rom_params(config)
    depths = args.depths or [p["depth"]]
    rows = []
    with tempfile.TemporaryDirectory(prefix="roma-rtl-stats-") as tmp:
        for depth in depths:
            row = rom_pair_stats(depth, p["width"], p["weight_bits"], p["content"], pdk,
                                 Path(tmp), timeout_s=config.timeout_s)
            rows.append(row)
            print(f"\nStdROM vs BROM, {depth} x {p['width']} words, UInt{p['weight_bits']}, "
                  f"{row['ones_fraction']:.1%} ones, {row['brom_candidates']} CGen "
                  "candidates")
            print(f"{'':46}{'StdROM':>10}{'BROM':>10}")
            for label, std, brom in _STAT_ROWS:
                sv = f"{row[std]:>10}" if std else f"{'':>10}"
                print(f"{label:46}{sv}{row[brom]:>10}")
            print("BROM / StdROM")
            for label, key in _RATIOS:
                print(f"  {label:44}{row[key]:>10.3f}")
    if args.csv:
        from ..report import markdown_table
        df = pd.DataFrame(rows)
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(args.csv, index=False)
        md = Path(args.csv).with_suffix(".md")
        cols = ["depth", "width", "ones_fraction", "brom_candidates", "std_cells",
                "brom_cells", "std_transistors", "brom_transistors",
                "ratio_paper_crossings", "ratio_or_inputs_analytic",
                "ratio_transistors_measured"]
        md.write_text(markdown_table(df[cols], {c: ".3f" for c in cols
                                                 if c.startswith(("ratio", "ones"))}))
        print(f"\nroma-pd: wrote {args.csv} and {md}")
    return 0


def cmd_sweep(args) -> int:
    from ..flow import catch_signals
    from ..pdk import load_pdk
    from ..sweep import load_sweep
    spec = load_sweep(args.spec)
    if args.status:
        return _sweep_status(args, spec)
    pdk = load_pdk()
    pdk.time_unit_ns        # noqa: B018
    check_tools()
    check_scheduler(spec.scheduler, args.spec)
    export = Path(args.results or _export(spec))
    from ..sweep import run_sweep       # the flow and pandas: only once the input is good
    # Ctrl-C stops the round's job (its record says so) and exits 130, not 0
    with catch_signals():
        run = run_sweep(spec, pdk, check_build_dir(args.build), quiet=not args.verbose,
                        export=export)
    print(f"roma-pd: sweep {spec.name}: results in {run.db}, exported to {export} "
          "(commit it: a sweep resumes from it, and reports read it)")
    if run.errors:      # timeouts, crashes, no scheduler: no verdict, so not done
        print(f"roma-pd: sweep {spec.name}: {run.errors} attempt"
              f"{'s' if run.errors > 1 else ''} errored (timeout, crash or scheduler; see "
              f"the messages above) and will be retried: rerun roma-pd sweep {args.spec}",
              file=sys.stderr)
        return 1
    print(f"roma-pd: report it with: roma-pd report {args.spec}")
    return 0


def _sweep_status(args, spec) -> int:
    """Print a sweep's state without running it (a running sweep may hold the lock):
    the build folder's database, else the export."""
    from ..results import load
    from ..report import sweep_status
    from ..sweep import sweep_dir
    db = sweep_dir(Path(args.build), spec) / "results.db"
    if not db.exists():
        db = Path(args.results or _export(spec))
        if not db.exists():
            raise RomaError(f"{args.spec}: sweep {spec.name!r} has no stored results "
                            f"(no {sweep_dir(Path(args.build), spec) / 'results.db'}, no "
                            f"{db}); start it with: roma-pd sweep {args.spec}")
    print(sweep_status(spec, load(db, spec.name, expand=False), str(db)))
    return 0


def _export(spec) -> Path:
    """Where a sweep's results travel: reports/<sweep>/results.jsonl (committed)."""
    from ..results import EXPORT
    return Path("reports") / spec.name / EXPORT


def _results(args, spec, path) -> Path:
    """The results a report reads: ``--results``, else the build folder's database,
    else the committed export."""
    from ..sweep import sweep_dir
    if args.results:
        return Path(args.results)
    db = sweep_dir(Path(args.build), spec) / "results.db"
    if db.exists():      # a damaged one is ResultStore's to refuse
        return db
    if _export(spec).exists():
        return _export(spec)
    raise RomaError(f"{db}: no stored results for sweep {spec.name!r} and no export "
                    f"{_export(spec)}; run it first with: roma-pd sweep {path}")


def check_scheduler(scheduler, spec_path) -> None:
    """A Slurm sweep needs Slurm's client: SiliconCompiler submits each node with
    ``srun`` and, without a queue, asks ``sinfo`` for the partition."""
    if scheduler.name != "slurm":
        return
    need = ["srun"] + ([] if scheduler.queue else ["sinfo"])
    missing = [tool for tool in need if shutil.which(tool) is None]
    if missing:
        raise RomaError(
            f"{spec_path}: scheduler slurm needs {' and '.join(missing)} on PATH, not "
            "found; install Slurm's client (Debian: slurm-client) configured for your "
            "cluster, or scripts/slurm-up for a one-node Slurm here, or set scheduler: "
            "{name: local}")
    # The job script runs `python3 -m siliconcompiler.scheduler.run_node` from PATH,
    # which then loads our task classes: the wrong python3 fails every node.
    import subprocess
    python = shutil.which("python3")
    if python is None or subprocess.run(
            [python, "-c", "import siliconcompiler, roma_pd"], capture_output=True,
            timeout=120).returncode != 0:
        raise RomaError(
            f"{spec_path}: scheduler slurm runs each node with the python3 on PATH "
            f"({python or 'none'}), which cannot import siliconcompiler and roma_pd; put "
            f"this environment's {Path(sys.executable).parent} first on PATH "
            "(scripts/in-env does)")


def cmd_report(args) -> int:
    from ..pdk import load_pdk
    from ..sweep import load_sweep
    spec = load_sweep(args.spec)
    db = _results(args, spec, args.spec)
    from ..report import sweep_report
    out = Path(args.output or Path("reports") / spec.name)
    files = sweep_report(spec, db, load_pdk(), out)
    print(f"roma-pd: wrote {len(files)} files to {out}/: " + ", ".join(f.name for f in files))
    return 0


def _sweep_spec(name: str):
    """A sweep given as a YAML path, or as a name: designs/sweeps/NAME.yaml of the working
    folder if there is one, else the shipped sweep of that name."""
    from ..data import SWEEPS
    from ..sweep import load_sweep
    path = Path(name)
    if not path.suffix:
        path = Path("designs") / "sweeps" / f"{name}.yaml"
        if not path.is_file() and (SWEEPS / path.name).is_file():
            path = SWEEPS / path.name
    return load_sweep(path), path


def cmd_chip(args) -> int:
    from ..chip import load_chip
    from ..pdk import load_pdk
    config = load_chip(args.config)
    spec, _ = _sweep_spec(args.sweep)
    db = _results(args, spec, args.sweep)
    holdout = None
    if args.holdout:
        other, _ = _sweep_spec(args.holdout)
        if other.name == spec.name:
            raise RomaError(f"--holdout {args.holdout}: the hold-out sweep is the fitted "
                            "sweep itself; give a sweep of larger tiles")
        holdout = (other, _results(argparse.Namespace(results=args.holdout_results,
                                                      build=args.build),
                                   other, args.holdout))
    from ..report import chip_report
    out = Path(args.output)
    try:
        files = chip_report(config, spec, db, load_pdk(), out, holdout)
    except ValueError as exc:
        raise RomaError(f"chip model from sweep {spec.name!r}: {exc}") from None
    print(f"roma-pd: wrote {len(files)} files to {out}/: " + ", ".join(f.name for f in files))
    return 0


MAX_PIXELS = 16384     # a 16K x 16K RGBA image is 1 GB in memory


def _pixels(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of pixels, not "
                                         f"{text!r}") from None
    if not 16 <= value <= MAX_PIXELS:
        raise argparse.ArgumentTypeError(f"must be 16..{MAX_PIXELS} pixels, not {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be seconds >= 0, not {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with its errors on one line, like every other roma-pd error."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    from .. import __version__
    p = _Parser(prog="roma-pd", description=__doc__)
    p.add_argument("--version", action="version", version=f"roma-pd {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run one tile config through the roma_tile flow")
    r.add_argument("config", help="tile config YAML (see designs/)")
    r.add_argument("--build", default="build", help="build folder (default: build)")
    r.add_argument("--job", default="job0", help="job name (default: job0)")
    r.add_argument("-v", "--verbose", action="store_true", help="show tool output")
    r.add_argument("--heartbeat", type=_seconds, default=60.0, metavar="SECONDS",
                   help="print the steps still running at this interval (default: 60; "
                        "0: never)")
    r.add_argument("--from", dest="from_step", metavar="STEP",
                   help="rerun from STEP, reusing the job's earlier steps")
    r.add_argument("--to", dest="to_step", metavar="STEP", help="stop after STEP")
    r.set_defaults(func=cmd_run)
    m = sub.add_parser("metrics", help="print the metric table of a run")
    m.add_argument("run", help="a job folder, e.g. build/mac8/job0, or its metrics JSON")
    m.add_argument("--json", action="store_true", help="print JSON instead")
    m.set_defaults(func=cmd_metrics)
    d = sub.add_parser("render", help="write a PNG of a run's layout (no display needed)")
    d.add_argument("run", help="a job folder, e.g. build/mac8/job0")
    d.add_argument("-o", "--output", help="PNG path (default: <job folder>/<design>.png)")
    d.add_argument("--size", type=_pixels, default=1600,
                   help=f"image size in pixels, 16..{MAX_PIXELS} (default: 1600)")
    d.add_argument("--block", metavar="NAME",
                   help="render this block of a tile only (default: every block)")
    d.add_argument("--layers", metavar="L1,L2",
                   help="show only these layers, as the PDK names them (M1,M2,V1,...)")
    d.add_argument("--no-text", action="store_true", help="leave out text labels")
    d.set_defaults(func=cmd_render)
    t = sub.add_parser("rtl-stats", help="synthesize StdROM and BROM over a config's "
                       "content: cells, OR inputs, transistors, analytic vs measured")
    t.add_argument("config", help="a ROM or tile config YAML")
    t.add_argument("--depths", type=int, nargs="+", help="sweep these depths instead")
    t.add_argument("--csv", help="also write the rows as CSV, and as Markdown beside it")
    t.set_defaults(func=cmd_rtl_stats)
    w = sub.add_parser("sweep", help="run a sweep: variants x sizes, minimum routable "
                       "area of every block; resumes where it stopped")
    w.add_argument("spec", help="sweep YAML (see designs/sweeps/)")
    w.add_argument("--build", default="build", help="build folder (default: build)")
    w.add_argument("-v", "--verbose", action="store_true", help="show tool output")
    w.add_argument("--results", metavar="JSONL",
                   help="the export read first and rewritten as blocks finish (default: "
                        "reports/<sweep>/results.jsonl)")
    w.add_argument("--status", action="store_true",
                   help="print what is finished, what it cost and what runs next; run "
                        "nothing (safe beside a running sweep)")
    w.set_defaults(func=cmd_sweep)
    r = sub.add_parser("report", help="write reports/<sweep>/: CSV, Markdown, HTML, plots")
    r.add_argument("spec", help="the sweep YAML that was run")
    r.add_argument("--build", default="build", help="build folder (default: build)")
    r.add_argument("-o", "--output", help="report folder (default: reports/<sweep>)")
    r.add_argument("--results", metavar="PATH", help="results to read: a results.db or its export (default: the build "
                        "folder's database, else reports/<sweep>/results.jsonl)")
    r.set_defaults(func=cmd_report)
    c = sub.add_parser("chip", help="extrapolate a sweep's stored tiles to the ROMA chip: "
                       "area, power and capacity per variant, in reports/chip/")
    c.add_argument("--sweep", default="default",
                   help="sweep name (designs/sweeps/NAME.yaml) or YAML (default: default)")
    c.add_argument("--config", default=str(CHIP_CONFIG),
                   help="chip YAML (default: the shipped designs/chip/roma.yaml, the "
                        "paper's figures)")
    c.add_argument("--build", default="build", help="build folder (default: build)")
    c.add_argument("-o", "--output", default="reports/chip",
                   help="report folder (default: reports/chip)")
    c.add_argument("--results", metavar="PATH", help="results to read: a results.db or its export (default: the build "
                        "folder's database, else reports/<sweep>/results.jsonl)")
    c.add_argument("--holdout", metavar="SWEEP",
                   help="a sweep of tiles larger than any fitted (name or YAML), "
                        "predicted by the model and compared with what it measured")
    c.add_argument("--holdout-results", metavar="PATH",
                   help="the hold-out sweep's results (default: as for --results)")
    c.set_defaults(func=cmd_chip)
    return p


def main(argv=None) -> int:
    """The ``roma-pd`` command: 0 ok, 1 a failed run, 2 bad input, 128 + N a signal."""
    import signal

    from ..flow import Interrupted
    from ..flow._signals import received, signal_message
    args = _parser().parse_args(argv)
    _env_for_tools()
    try:
        return args.func(args)
    except RomaError as exc:
        print(f"roma-pd: error: {exc}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        print(f"roma-pd: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        signum = received() or signal.SIGINT
        print(f"roma-pd: interrupted by {signal_message(signum)}", file=sys.stderr)
        return 128 + signum
