"""The report of a sweep: CSV tables, Markdown and HTML summaries, matplotlib plots."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..results import load
from ..sweep import (PAPER_LUNIT_SAVING, SweepSpec, area_fits, block_minima, claim_savings,
                     sweep_cost,
                     compute_density_spread, density_rates, plan_blocks, reported_rows,
                     tile_table, unroutable_blocks)
from ._figure import save_figure
from ._markdown import markdown_html, markdown_table

__all__ = ["sweep_report", "density_table"]


def _rate(passed, tried) -> str | None:
    if passed is None or passed != passed:      # no minimum (None, or NaN from a CSV)
        return None
    return f"{int(passed)}/{int(tried)}"


def density_table(df: pd.DataFrame, spec: SweepSpec, minima: pd.DataFrame) -> pd.DataFrame:
    """Per block (rows) and density tried (columns): "passed/tried" placements under the
    sweep's criterion, the chosen minimum (``minima``: ``block_minima`` of ``df``) in
    bold; a block whose search has not ended has none yet. Empty where a density was
    not tried."""
    crit = spec.search.criterion
    rates = {b.name: density_rates(df[df["block"] == b.name], crit)
             for b in plan_blocks(spec)}
    chosen = {name: (None if pd.isna(d) else float(d))
              for name, d in zip(minima["block"], minima["chosen_density"])}
    densities = sorted({d for r in rates.values() for d in r})
    rows = []
    for name, r in rates.items():
        row = {"block": name}
        for d in densities:
            cell = _rate(*r[d]) if d in r else ""
            if cell and chosen[name] is not None and abs(chosen[name] - d) < 1e-6:
                cell = f"**{cell}**"
            row[f"{d:g}"] = cell
        rows.append(row)
    return pd.DataFrame(rows, columns=["block", *[f"{d:g}" for d in densities]])


def _plots(t: pd.DataFrame, minima: pd.DataFrame, fits: dict, out: Path) -> list[Path]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    files = []
    variants = list(dict.fromkeys(t["variant"]))
    measured = t.dropna(subset=["tile_area_vs_sram"])   # unfinished sizes: no bars
    sizes = list(dict.fromkeys(zip(measured["depth"], measured["width"])))

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, col, title in ((axes[0], "tile_area_vs_sram", "tile area"),
                           (axes[1], "power_mw_vs_sram", "power at 500 MHz (SRAM: logic + macros)")):
        width = 0.8 / len(variants)
        for i, v in enumerate(variants):
            vals = [t[(t.variant == v) & (t.depth == d) & (t.width == w)][col].iloc[0]
                    for d, w in sizes]
            ax.bar(np.arange(len(sizes)) + i * width, [x if x is not None else np.nan
                                                       for x in vals], width, label=v)
        ax.set_xticks(np.arange(len(sizes)) + 0.4 - width / 2,
                      [f"{d}x{w}" for d, w in sizes])
        ax.axhline(1.0, color="grey", lw=0.8)
        ax.set_title(f"{title}, normalised to sram + compute")
        ax.set_xlabel("ROM depth x width")
    axes[0].legend()
    files.append(save_figure(fig, out / "fig12_tile_area_power.png"))

    fig, ax = plt.subplots(figsize=(9, 4))
    layers = ["base"] + [f"M{i}" for i in range(1, 8)]
    # one block per role, its largest measured size: one bar each per layer
    picks = minima[minima["role"].isin(["brom", "stdrom", "compute", "fused"])]
    picks = picks.dropna(subset=["base_util"]).assign(bits=lambda f: f.depth * f.width)
    picks = picks.sort_values(["bits", "width"]).groupby("role", sort=False).tail(1)
    width = 0.8 / max(1, len(picks))
    for i, (_, r) in enumerate(picks.iterrows()):
        vals = [r["base_util"]] + [r.get(f"track_util_m{k}") or 0 for k in range(1, 8)]
        ax.bar(np.arange(len(layers)) + i * width, vals, width, label=r["block"])
    ax.set_xticks(np.arange(len(layers)) + 0.4 - width / 2, layers)
    ax.set_ylabel("utilization")
    ax.set_title("base layer (cell area / core) vs metal track utilization at minimum "
                 "area,\nlargest finished block of each role", fontsize=10)
    if len(picks):
        ax.legend(fontsize=7, ncol=2)
    files.append(save_figure(fig, out / "utilization.png"))

    fig, (ax, axr) = plt.subplots(2, 1, figsize=(7, 6), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
    for v in variants:
        g = t[t.variant == v].dropna(subset=["tile_area"])
        dots, = ax.plot(g["bits"], g["tile_area"], "o", label=v)
        if v in fits:       # the fit and its residuals in the variant's colour
            a, b, res = fits[v].coef["1"], fits[v].coef["bits"], fits[v].residuals
            xs = np.linspace(g["bits"].min(), g["bits"].max(), 20)
            ax.plot(xs, a + b * xs, "-", lw=0.8, color=dots.get_color())
            axr.plot(g["bits"], res, "o", color=dots.get_color())
    ax.set_ylabel("tile area (um^2)")
    ax.set_title("minimum tile area against ROM size, with a linear fit")
    ax.legend()
    axr.axhline(0, color="grey", lw=0.8)
    axr.set_xlabel("ROM bits (depth x width)")
    axr.set_ylabel("residual")
    files.append(save_figure(fig, out / "min_area_vs_size.png"))
    return files


def _saving(r: pd.Series) -> str:
    """A range of fractional savings, worded with its sign (negative: larger)."""
    return f"{r.min():.1%} to {r.max():.1%} smaller (negative: larger)"


def _by_width(r: pd.Series) -> str:
    """The saving's range per width, when the sweep has finished more than one."""
    widths = sorted(set(r.index.get_level_values("width")))
    if len(widths) < 2:
        return ""
    parts = [f"W={w}: {r.xs(w, level='width').min():.1%} to "
             f"{r.xs(w, level='width').max():.1%}" for w in widths]
    return " By width: " + "; ".join(parts) + "."


def _verdict(r: pd.Series, claim: str) -> str:
    if r.min() > 0:
        return f"This supports the direction of {claim}"
    if r.max() <= 0:
        return f"This contradicts {claim}"
    return ("The sign changes from size to size, so this neither supports nor "
            f"contradicts {claim}")


def _claims(t: pd.DataFrame, minima: pd.DataFrame) -> list[str]:
    out = []
    saving = claim_savings(t, minima)
    if "brom_tile" in saving:
        r = saving["brom_tile"]
        out.append(f"- **B-ROM tile smaller than standard-ROM tile**: B-ROM + compute "
                   f"is {_saving(r)} than StdROM + compute here; the paper reports "
                   f"about {PAPER_LUNIT_SAVING:.0%}. "
                   + _verdict(r, "the claim")
                   + (", not its size" if 0 < r.min() and r.max() < PAPER_LUNIT_SAVING
                      else "")
                   + "." + _by_width(r))
    if "brom_block" in saving:
        r = saving["brom_block"]
        out.append(f"- **ROM block alone**: the B-ROM block's minimum area is "
                   f"{_saving(r)} than the StdROM block's." + _by_width(r))
    if "fused" in saving:
        r = saving["fused"]
        out.append(f"- **Fused cell**: the flat fused tile is {_saving(r)} than B-ROM "
                   f"and compute hardened apart. "
                   + _verdict(r, "the paper's fused-cell claim") + "." + _by_width(r))
    spread = compute_density_spread(minima)
    if len(spread) and spread.max() > 0.1:
        out.append("- **Caveat**: compute blocks of the same width, nearly the same "
                   "logic, found minimum densities up to "
                   f"{spread.max():.2f} apart: Coriolis' routing is not monotonic in "
                   "density, and the compute block is most of each tile, so tile "
                   "comparisons carry that noise.")
    return out or ["- Not enough finished blocks to judge the paper's claims."]


def _unfinished(minima: pd.DataFrame) -> list[str]:
    """Say which widths have blocks whose search has not ended (their tiles are left out
    of the table above; rerun the sweep to resume)."""
    open_ = minima[~minima["finished"]]
    if open_.empty:
        return []
    widths = ", ".join(str(w) for w in sorted(open_["width"].unique()))
    return [f"Not finished: {len(open_)} blocks of width {widths} (their tiles are left "
            "out; rerun `roma-pd sweep` with the same spec to resume).", ""]


def ceiling_note(minima: pd.DataFrame, spec: SweepSpec) -> list[str]:
    """Name the blocks whose chosen minimum is the search's highest density: their area
    is an upper bound, since no denser placement was tried."""
    if "at_ceiling" not in minima:
        return []
    names = list(minima.loc[minima["at_ceiling"].fillna(False).astype(bool), "block"])
    if not names:
        return []
    return [f"At the search's ceiling (density {spec.search.high:g}): "
            + ", ".join(f"`{n}`" for n in names)
            + ". These passed at the highest density searched, so their minimum area is an "
            "upper bound; raise `search.high` to look further.", ""]


def _unroutable(stuck: pd.DataFrame, spec: SweepSpec) -> list[str]:
    """The blocks whose search ended with no density passing, each placement at the
    lowest density tried with its residue (``unroutable.csv``)."""
    if stuck.empty:
        return []
    names = list(dict.fromkeys(stuck["block"]))
    return [f"### Blocks with no routable density ({len(names)})", "",
            f"No density the search tried (from {spec.search.low:g} up) passed "
            f"{spec.search.criterion.replace('_', '-')} for "
            + ", ".join(f"`{n}`" for n in names)
            + ": no minimum, so no tile. What each placement left at the lowest density "
            "tried:", "",
            markdown_table(stuck.astype(object), {"density": ".2f",
                                                  "segment_completion": ".4f"})]


def _cost(cost) -> list[str]:
    """What the stored attempts cost (``cost.csv``): task time per width and the
    scheduler's speedup over the time some attempt was running."""
    return ["## Cost", "",
            "Task time: the sum of every step's time over the attempts (what one core "
            "would have taken). Busy: the time some attempt was running, without the gaps "
            "between resumed runs. Both are measured on whatever machines ran the "
            "attempts, with other work possibly sharing them.", "",
            markdown_table(cost.per_width.astype(object), {"task_time_min": ".1f"}),
            f"Task time {cost.task_min:.1f} min, busy {cost.busy_min:.1f} min"
            + (f": the scheduler ran {cost.speedup:.2f}x in parallel." if cost.speedup
               else "."), ""]


def source_of(db: Path) -> str:
    """The results a report was made from, as it may be cited in a committed report: an
    export by its path relative to the current folder (the repository), the build
    folder's database by its place in any build folder."""
    db = Path(db)
    if db.suffix == ".jsonl":
        try:
            db = db.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            db = Path(db.name)
        return f"the results export `{db.as_posix()}`"
    return (f"the results database `sweeps/{db.parent.name}/{db.name}` of the build "
            "folder (not committed)")


def _in_sweep(path, folder: Path):
    """A log path relative to the sweep folder, so a committed report names no machine."""
    if not path:
        return path
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return path


def sweep_report(spec: SweepSpec, db: Path, pdk, out: Path) -> list[Path]:
    """Write ``out/``: attempts.csv, blocks.csv, tiles.csv, unroutable.csv, cost.csv,
    summary.md, summary.html and the plots; returns the files written."""
    out = Path(out)
    # read first: a database that cannot be read leaves no empty report folder
    df = reported_rows(load(db, spec.name, expand=False), spec).reset_index(drop=True)
    out.mkdir(parents=True, exist_ok=True)
    minima = block_minima(df, spec)
    tiles = tile_table(minima, spec, pdk)
    files = []
    cols = ["block", "role", "depth", "width", "density", "aspect_ratio", "status",
            "verdict", "core_area", "die_area", "cells", "unrouted_nets", "opens", "shorts",
            "drc_violations", "segment_completion", "residual", "log"]
    attempts = df[cols].assign(log=[_in_sweep(log, db.parent) for log in df["log"]])
    stuck = unroutable_blocks(df, minima)
    cost = sweep_cost(df, spec, minima)
    for name, frame in (("attempts.csv", attempts), ("blocks.csv", minima),
                        ("tiles.csv", tiles), ("unroutable.csv", stuck),
                        ("cost.csv", cost.per_width)):
        frame.to_csv(out / name, index=False)
        files.append(out / name)
    fits = area_fits(tiles)
    files += _plots(tiles, minima, fits, out)
    crit, search = spec.search.criterion, spec.search
    shown = minima.assign(**{f"{k}_rate": [_rate(p, t) for p, t in
                                           zip(minima[f"{k}_passed"], minima[f"{k}_tried"])]
                             for k in ("clean", "near_clean")})
    block_cols = ["block", "finished", "attempts", "clean_density", "clean_rate",
                  "clean_core_area", "near_clean_density", "near_clean_rate",
                  "near_clean_core_area", "verdict", "residual_segments", "base_util",
                  "track_util_m2", "track_util_m3"]
    tile_cols = ["variant", "depth", "width", "tile_area", "tile_area_vs_sram",
                 "logic_power_mw", "sram_power_mw", "power_mw", "power_mw_vs_sram",
                 "power_bound_mw", "power_bound_mw_vs_sram", "store_read_power_mw",
                 "sram_macros"]
    fmt = {c: ".3f" for c in ("clean_density", "near_clean_density", "base_util",
                              "track_util_m2", "track_util_m3", "tile_area_vs_sram",
                              "power_mw_vs_sram", "power_bound_mw_vs_sram")}
    fmt.update({c: ".1f" for c in ("clean_core_area", "near_clean_core_area",
                                    "tile_area")})
    fmt.update({c: ".4f" for c in ("power_mw", "logic_power_mw", "sram_power_mw",
                                    "store_read_power_mw", "power_bound_mw")})
    md = [f"# Sweep `{spec.name}`", "",
          f"Generated by `roma-pd report` from {source_of(db)}; every number was "
          "measured by the run that produced it. Our ROMs "
          "are logic built from ASAP7 standard cells, not ROM bit cells.", "",
          "## How minimum areas were found", "",
          f"Placement density searched on a {spec.search.resolution:g} grid between "
          f"{spec.search.low:g} and {spec.search.high:g} by bisection; every attempt is "
          "in `attempts.csv`. **Clean**: 0 unrouted nets, 0 opens, 0 shorts, 0 LVS "
          "mismatches (Katana's list and KLayout LVS against the synthesized netlist) "
          "and 0 DRC violations (the tech LEF rules "
          "on the final GDS). **Near-clean**: every step ran and Katana "
          f"routed at least {spec.search.near_clean_completion:.2%} of the track segments "
          f"(relative cap) and left at most {spec.search.near_clean_max_nets} nets "
          "unrouted (absolute cap), 0 opens and 0 shorts, DRC violations allowed; "
          "the residual segments of each attempt are listed in `attempts.csv` (net, "
          "layer). A near-clean run is never called clean. "
          + ("A density counts only when the grid step below it passes too, because the "
             "router is not monotonic in density. " if spec.search.confirm else "")
          + ("While nothing has passed, a block's search walks down from a failed "
             "start only while the fewest unrouted nets of the lowest density tried are "
             "no more than those of the density above it, and probes upward (after the "
             "lowest density fails, or the walk down stops) only while those of the "
             "highest density tried are no more than those of the density below it "
             "(`probe_while_improving`): a residue that grows with density is "
             "congestion, one that grows as density falls is stretched wires. "
             if spec.search.probe_while_improving else "")
          + ("A wider block's search starts at the minimum of the block of the same "
             "role and depth one width narrower and walks outward from it "
             "(`warm_start`). " if spec.search.warm_start else "")
          + f"The tile areas below use the **{crit.replace('_', '-')}** minima.", "",
          f"Each density is placed and routed at {len(search.placements)} core aspect "
          f"ratios (height / width: {', '.join(f'{a:g}' for a in search.placements)}) and "
          f"passes when at least {search.needed} of them pass (pass rate "
          f"{search.pass_rate:.3g}), "
          "so one chaotic route neither passes nor fails a density"
          + ("; the placements of a density run only until its vote is decided "
             "(`decide_early`: two agreeing of three decide it)" if search.decide_early
             else "") + "; the rates "
          "(passing / tried placements) are given beside each minimum and per density "
          "below. The area at a minimum is that of its smallest passing placement.", "",
          "## Blocks", "", markdown_table(shown[block_cols].astype(object), fmt),
          *ceiling_note(minima, spec),
          f"### Routability per density ({crit.replace('_', '-')} placements passing / "
          "tried; the chosen minimum in bold)", "",
          markdown_table(density_table(df, spec, minima).astype(object)),
          *_unroutable(stuck, spec),
          "## Tiles (Figure 12 form)", "",
          "Separate variants add their blocks' minimum core areas; `fused` is one flat "
          "block; `sram` adds the fakeram7 macros' area from their LEF to the compute "
          "block. "
          + (f"One compute block per width, with the address counter of the deepest ROM "
             f"({max(spec.depths)} words), serves every depth: it differs across depths "
             "only in that counter. " if spec.share_compute else "")
          + "Power is the logic's OpenSTA power at 500 MHz (input activity "
          f"{spec.activity:g}; post-route wires: the routed layout's parasitics as a SPEF, "
          "star model, no coupling; ideal clock, no clock tree) plus, for `sram`, its "
          "macros': the fakeram7 liberty's "
          "leakage and clock-pin energy, one access per cycle on every bank. That "
          "liberty gives every macro size the same leakage and access energy, so the "
          "SRAM power is a placeholder, not a measurement of an SRAM of that size; "
          "`power_bound_mw` puts in its place a stated read energy of "
          f"{spec.sram_read_fj_per_bit:g} fJ per bit (a word per cycle) plus the macros' "
          "leakage. `store_read_power_mw` is the ROM store block under the simulated "
          "workload (one pass over the store), its address activities propagated by "
          "OpenSTA; the compute block's workload power is not used, since OpenSTA's "
          "propagation through the L-Unit's adder trees overstates it by three orders of "
          "magnitude (docs/DEVELOPMENT.md, \"Power methods\"). Each row's "
          "`power_method` in `tiles.csv` says the same.", "",
          markdown_table(tiles.dropna(subset=["tile_area"])[tile_cols].astype(object),
                         fmt),
          *_unfinished(minima),
          "![tile area and power](fig12_tile_area_power.png)", "",
          "![utilization](utilization.png)", "",
          "## Area against ROM size", "",
          *[f"- {v}: tile area = {f.coef['1']:.1f} + {f.coef['bits']:.5f} x bits um^2; "
            f"residuals {', '.join(f'{x:+.1f}' for x in f.residuals)}"
            for v, f in fits.items()],
          "", "![minimum area against size](min_area_vs_size.png)", "",
          "## The paper's claims", "", *_claims(tiles, minima), "",
          *_cost(cost)]
    text = "\n".join(md)
    (out / "summary.md").write_text(text)
    files.append(out / "summary.md")
    (out / "summary.html").write_text(markdown_html(text, spec.name))
    files.append(out / "summary.html")
    return files
