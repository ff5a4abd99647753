"""The chip report: ROMA's 17 x 16 array extrapolated from a sweep's stored tile results
(tables, Markdown and HTML summaries, plots). It never runs a flow."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..chip import (PAPER_AREA_MM2, PAPER_POWER_W, estimate_chip,
                    kv_bytes_per_token, lora_bytes)
from ..results import load
from ..sweep import SweepSpec, block_minima, complete_widths, reported_rows
from ._figure import save_figure
from ._markdown import markdown_html, markdown_table
from ._sweep import ceiling_note, source_of

__all__ = ["chip_report", "chip_tables"]

def _minima(spec: SweepSpec, db: Path) -> pd.DataFrame:
    df = reported_rows(load(db, spec.name, expand=False), spec).reset_index(drop=True)
    return block_minima(df, spec)


def chip_tables(config, spec: SweepSpec, db: Path, pdk,
                holdout: tuple[SweepSpec, Path] | None = None) -> dict:
    """Every table of the chip report, from the stored results ``db`` of ``spec``;
    ``holdout``: another sweep and its results, whose tiles the model predicts."""
    minima, partial = complete_widths(_minima(spec, db))
    beyond = None
    if holdout is not None:
        other, other_db = holdout
        if other.weight_bits != spec.weight_bits:
            raise ValueError(f"hold-out sweep {other.name!r} stores UInt{other.weight_bits} "
                             f"weights and sweep {spec.name!r} UInt{spec.weight_bits}: "
                             "give a hold-out sweep with the same weight_bits")
        beyond = _minima(other, other_db)
    try:
        tables = estimate_chip(config, minima, spec.weight_bits, pdk, beyond)
    except ValueError as exc:
        raise ValueError(f"sweep {spec.name!r}: {exc}") from None
    return {**tables, "partial_widths": partial}


def _plots(t: dict, out: Path) -> list[Path]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    files = []
    parts = t["parts"]
    names = list(dict.fromkeys(parts["part"]))
    variants = list(dict.fromkeys(parts["variant"]))
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, col, label in ((axes[0], "area_mm2", "area (mm^2)"),
                           (axes[1], "power_w", "power (W)")):
        bottom = np.zeros(len(variants))
        for name in names:
            vals = np.array([parts[(parts.variant == v) & (parts.part == name)][col].sum()
                             for v in variants])
            ax.bar(variants, vals, bottom=bottom, label=name)
            bottom += vals
        ax.set_ylabel(label)
    axes[0].axhline(PAPER_AREA_MM2, color="k", ls="--", lw=0.8, label="paper (fused)")
    axes[1].axhline(PAPER_POWER_W, color="k", ls="--", lw=0.8)
    axes[0].legend(fontsize=7)
    fig.suptitle("Chip area and power by part (Figure 11 form), per weight-store variant")
    files.append(save_figure(fig, out / "fig11_breakdown.png"))

    lunit = t["lunit"]
    fig, ax = plt.subplots(figsize=(6, 4))
    x = np.arange(len(lunit))
    ax.bar(x - 0.2, lunit["area_mm2_vs_sram"], 0.4, label="L-Unit area")
    ax.bar(x + 0.2, lunit["power_w_vs_sram"], 0.4, label="L-Unit power")
    ax.set_xticks(x, lunit["variant"])
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_ylabel("normalised to SRAM + compute")
    ax.legend()
    ax.set_title("L-Unit per variant (Figure 12 form)")
    files.append(save_figure(fig, out / "fig12_lunit.png"))

    kv = t["kv"]
    fig, axes = plt.subplots(1, kv["model"].nunique(), figsize=(11, 4), squeeze=False)
    for ax, (name, g) in zip(axes[0], kv.groupby("model", sort=False)):
        for rank, r in g.groupby("rank"):
            ax.plot(r["sram_mb"], r["kv_tokens"], marker="o", label=f"rank {rank}")
        pts = t["kv_paper"]
        pts = pts[pts["model"] == name]
        ax.scatter(pts["sram_mb"], pts["paper_tokens"], marker="x", color="k", zorder=5,
                   label="paper")
        ax.set_title(name)
        ax.set_xlabel("SRAM for LoRA + KV (MiB)")
        ax.set_ylabel("max KV tokens")
        ax.legend(fontsize=7)
    fig.suptitle("KV-cache capacity (Figure 10 form)")
    files.append(save_figure(fig, out / "kv_tokens.png"))
    return files


def _beyond_section(t: dict, holdout, fmt: dict) -> list[str]:
    """The tiles of the hold-out sweep, past every fitted block, as the chip predicts
    them."""
    if holdout is None:
        return []
    other, db = holdout
    table = t["beyond"]
    return ["### Beyond the fit", "",
            f"Tiles of the hold-out sweep `{other.name}` (from {source_of(db)}), never "
            "fitted, predicted with the chip's own rule for a tile (store fit at its bits "
            "plus compute fit at its lanes; `fused`: that times the measured fused ratio). "
            "`depth_beyond` and `width_beyond`: the tile's depth and width over the "
            "largest fitted ROM block's:", "",
            markdown_table(table.astype(object), {**fmt, "depth_beyond": ".3g",
                                                   "width_beyond": ".3g"},
                           {"measured": "µm²", "predicted": "µm²"}) if len(table) else
            f"No tile of `{other.name}` has all its blocks finished yet.\n"]


def _summary(t: dict, config, spec: SweepSpec, db: Path, holdout=None) -> str:
    wl, sram, m = t["workload"], t["sram"], config.workload_shape()
    ratios = t["ratios"]
    fmt = {"area_mm2": ".2f", "leakage_w": ".3f", "dynamic_w": ".3f", "power_w": ".3f",
           "area_mm2_vs_sram": ".3f", "power_w_vs_sram": ".3f", "paper": ".1f",
           "ours": ".1f", "difference": "+.1%", "measured": ".4g", "predicted": ".4g",
           "error": "+.1%", "rms_residual": ".3g", "linear_gb": ".3f",
           "with_embeddings_gb": ".3f"}
    coef_cols = [c for c in t["residuals"].columns if c.startswith("coef_")]
    for c in coef_cols:
        fmt[c] = ".4g"
    variant = t["compare"]["variant"].iloc[0] if len(t["compare"]) else "sram"
    biggest = t["parts"][t["parts"]["variant"] == variant].sort_values("area_mm2").iloc[-1]
    skipped = t["parts"].attrs.get("skipped", {})
    md = [
        f"# Chip model: {config.name}", "",
        f"Generated by `roma-pd chip --sweep {spec.name}"
        + (f" --holdout {holdout[0].name}" if holdout else "")
        + f"` from {source_of(db)} (stored "
        "tile results; "
        "no flow was run). Our ROMs are logic built from ASAP7 standard cells, not ROM "
        "bit cells, and every tile figure below was measured by the sweep that stored it.",
        "",
        "## Workload and tiling", "",
        f"- Model in the ROM: {m.name}, INT{m.weight_bits}: "
        f"{wl.rom_bits_read / 8 / 2**30:.3f} GiB read per token (weights, FP16 scales, UInt2 zero "
        f"points); {wl.lunit_macs / 1e9:.3f} G L-Unit MACs per token.",
        f"- Decode at {wl.tokens_per_s:,.0f} tokens/s, {config.workload.kv_tokens} KV "
        f"tokens, LoRA rank {config.workload.lora_rank}, {config.clock_mhz:g} MHz.",
        f"- L-Unit: {wl.tiles:,} tiles of {wl.lanes_per_tile} lanes "
        f"({wl.tiles * wl.lanes_per_tile:,} lanes; {wl.tiles / config.matrix_units:.1f} "
        f"per matrix unit), each reading a {config.tile.width}-bit ROM bank of "
        f"{wl.tile_depth:,.0f} words ({config.rom_gb:g} GiB in all).",
        *([f"- The sweep stores UInt{spec.weight_bits} weights but the workload's model "
           f"is INT{m.weight_bits}: lane costs come from UInt{spec.weight_bits} lanes."]
          if spec.weight_bits != m.weight_bits else []),
        f"- The sweep's largest ROM block is {int(t['blocks']['depth'].max())} words: "
        f"bank depth is extrapolated {wl.tile_depth / t['blocks']['depth'].max():.0f}x "
        "beyond it.",
        *[f"- Width {w} {why}."
          for w, why in t["partial_widths"].items()],
        *_width_note(t, config), "",
        "## Scaling model", "",
        "Fitted on each block's minimum-area run (the sweep's search criterion). "
        "Area and leakage are linear in lanes (compute) or, for the stores, in ROM bits "
        "(the OR array), rows (`depth`: the decoder and the B-ROM's CGen, shared by "
        "every column) and columns (`width`: the outputs); ROM read "
        "energy per word bit is linear in log2(depth), measured with the address stream "
        "of a sequential read; compute energy per cycle is linear in lanes, at the flow's "
        f"uniform activity ({spec.activity:g} toggles per cycle on every net: OpenSTA "
        "2.0.17 has no VCD/SAIF reader and its propagated activity overflows in adder "
        "trees). NaN: a term the sweep cannot identify (its regressor never varies, or "
        "the terms before it determine it: with one width, depth is bits / width), left "
        "out of the fit.", "",
        markdown_table(t["residuals"][["role", "target", "points", *coef_cols,
                                       "rms_residual", "dropped"]].astype(object), fmt),
        *ceiling_note(t["blocks"], spec),
        "Residual of every block:", "",
        *[f"- {r.role} {r.target}: {r.residuals}" for r in t["residuals"].itertuples()],
        "", "### Held-out prediction", "",
        "The largest block of each role is left out, the rest fitted, and the held-out "
        "block predicted (with one block left, the fit is proportional, through the "
        "origin):", "",
        (markdown_table(t["holdout"].astype(object), fmt) if len(t["holdout"]) else
         "Fewer than two blocks per role: no hold-out test possible yet.\n"),
        "Tile area of the largest size (um^2), predicted from fits made without its "
        "blocks (`compute: measured` when the sweep has a single width, so the compute "
        "block cannot be held out):", "",
        (markdown_table(t["tile_holdout"].astype(object), fmt,
                        {"measured": "µm²", "predicted": "µm²"}) if len(t["tile_holdout"])
         else "No tile to hold out yet.\n"),
        *_beyond_section(t, holdout, fmt),
        "### Per variant", "",
        "Marginal rates the chip model uses, per bit of the chip's bank "
        f"({wl.tile_depth:,.0f} x {config.tile.width}: the bit slope plus the row terms "
        "shared by its columns and the column terms by its rows; read energy at its "
        "depth; fused areas scaled by the measured fused ratio):", "",
        markdown_table(t["rates"].astype(object), {c: ".4g" for c in t["rates"].columns
                                                   if c != "variant"}),
        f"- `sram`: {sram.macro}, {sram.area_um2_per_bit:.4f} um^2 per bit (LEF), "
        f"{sram.leakage_uw:g} uW leakage per macro and {sram.access_pj:g} pJ per access "
        "(liberty). fakeram7's liberty gives the same leakage and access energy to every "
        "macro size, so SRAM power here is a placeholder, not a circuit estimate.",
        f"- `fused`: {len(ratios)} fused tile(s) measured at "
        + (f"{ratios.min():.3f} to {ratios.max():.3f} (mean {ratios.mean():.3f}) times "
           "the area of B-ROM and compute hardened apart; the chip scales by the mean. "
           "Fused power is taken as B-ROM plus compute (the same logic)."
           if len(ratios) else "no size yet."), "",
        "## Chip area and power (Figure 11 form)", "",
        *[f"- Not modelled: `{v}`: {why}." for v, why in skipped.items()],
        *([""] if skipped else []),
        markdown_table(t["parts"].astype(object), fmt),
        "![breakdown](fig11_breakdown.png)", "",
        "## Variants (Figure 12 form)", "",
        markdown_table(t["totals"].astype(object), fmt),
        "L-Unit (ROM + compute) normalised to SRAM + compute:", "",
        markdown_table(t["lunit"].astype(object), fmt),
        "![variants](fig12_lunit.png)", "",
        f"## Against the paper (`{variant}` variant)", "",
        (markdown_table(t["compare"].astype(object), fmt) if len(t["compare"]) else
         "No B-ROM or fused variant could be modelled, so there is no like-for-like "
         "comparison with the paper's chip.\n"),
        "Why the numbers differ:", "",
        f"- The largest part is {biggest['part']} ({biggest['area_mm2']:.1f} mm^2). Our "
        "ROM is standard-cell logic (decoder and OR trees): "
        + ", ".join(f"{r.variant} {r.um2_per_bit:.4f}" for r in t["rates"].itertuples())
        + " um^2 per bit (marginal). ASAP7 has no ROM bit cell; the paper's commercial "
        "flow would use one.",
        "- Bank depth is extrapolated far beyond the swept sizes; the hold-out error "
        "above is one step of extrapolation only.",
        "- Compute energy rests on a uniform toggle rate. Post-route: the routed wires' "
        "parasitics (a SPEF from the routed layout, star model, no coupling). Not "
        "post-route: the clock (ideal, no clock tree). SRAM power is fakeram7's "
        "size-independent placeholder.",
        "- H-Unit compute and vector units are costed as L-Unit lanes and the "
        f"interconnect as {config.overhead.area_fraction:.0%} / "
        f"{config.overhead.power_fraction:.0%} (named assumptions in the chip config).",
        *_fused_note(ratios),
        "- We do not tune any figure toward the paper's.", "",
        "## Capacity", "",
        markdown_table(t["rom_fit"].astype(object), fmt),
        f"KV tokens (FP16 K and V of every layer's KV heads; LoRA FP8 on "
        f"{', '.join(config.lora.modules)}):", "",
        markdown_table(t["kv_paper"].astype(object), {"implied_kv_bytes": ",.0f",
                                                      "implied_lora_bytes": ",.0f"}),
        *_kv_explanation(t, config), "",
        "![KV tokens](kv_tokens.png)", ""]
    return "\n".join(md)


def _width_note(t: dict, config) -> list[str]:
    """Say when the chip's word is wider than every swept ROM block. With one width the
    store fits cannot separate the per-row terms (shared by every column) from the
    per-bit one, so the narrow per-bit rates are carried to the chip's word, which
    overstates the B-ROM (its CGen is per row); with several, those terms are
    extrapolated in width."""
    stores = t["blocks"][t["blocks"]["role"].isin(["stdrom", "brom"])]
    widest = int(stores["width"].max()) if len(stores) else None
    if widest is None or widest >= config.tile.width:
        return []
    widths = sorted(int(w) for w in stores["width"].unique())
    if len(widths) > 1:
        return [f"- The sweep's ROM blocks are {', '.join(map(str, widths))} bits wide and "
                f"the chip's word is {config.tile.width}: the row and column terms of "
                f"the store fits are extrapolated {config.tile.width / widest:g}x in width."]
    return [f"- The sweep's widest ROM block is {widest} bits and the chip's word is "
            f"{config.tile.width}: per-bit rates are taken as they are at {widest} bits. "
            "The B-ROM's CGen is shared by every column, so its cost per bit falls with "
            "width and the narrow fit overstates it against the standard ROM."]


def _fused_note(ratios) -> list[str]:
    """Say when the fused/separate area ratio swings across sizes: the fused variant
    carries the ratio's mean, so that spread is its uncertainty."""
    if len(ratios) < 2 or ratios.max() - ratios.min() < 0.1:
        return []
    return [f"- The fused tile measured {ratios.min():.3f} to {ratios.max():.3f} times "
            "the area of B-ROM and compute hardened apart (the same logic). Each ratio "
            "follows the density the search settled on, and Coriolis' verdicts are not "
            "monotonic in density, so much of the spread is the router's; the fused "
            "variant carries the mean."]


def _kv_explanation(t: dict, config) -> list[str]:
    pts = t["kv_paper"]
    out = []
    for name, g in pts.groupby("model", sort=False):
        m = next(s for s in config.model_shapes() if s.name == name)
        r = g.iloc[0]
        ours = kv_bytes_per_token(m, config.kv.bytes_per_value)
        lora = lora_bytes(m, int(r["rank"]), config.lora.modules,
                          config.lora.bytes_per_param)
        out.append(
            f"- {name}: the paper's two points solve to {r['implied_kv_bytes']:,.0f} bytes "
            f"of KV per token and {r['implied_lora_bytes'] / 2**20:.1f} MiB of rank-"
            f"{int(r['rank'])} LoRA when MB means MiB; the shapes give {ours:,.0f} bytes "
            f"per token and {lora / 2**20:.1f} MiB. Ours is {ours / r['implied_kv_bytes']:.3f}x "
            f"the paper's per-token KV: with an 8-bit cache it would be {ours / 2:,.0f} "
            "bytes; the paper's figure also fits 32 layers x 8 KV heads x 128 x K,V at 1 "
            "byte (65,536). So the paper's KV format or layer count differs from FP16 on "
            "this model's shapes; its smaller LoRA suggests fewer adapted projections.")
    return out


def chip_report(config, spec: SweepSpec, db: Path, pdk, out: Path,
                holdout: tuple[SweepSpec, Path] | None = None) -> list[Path]:
    """Write ``out/``: parts.csv, scaling.csv, holdout.csv, kv_capacity.csv, summary.md,
    summary.html and the plots (and beyond_holdout.csv with a hold-out sweep); returns
    the files written."""
    t = chip_tables(config, spec, db, pdk, holdout)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, key in (("parts", "parts"), ("totals", "totals"), ("rates", "rates"),
                      ("scaling", "residuals"),
                      ("holdout", "holdout"), ("tile_holdout", "tile_holdout"),
                      ("kv_capacity", "kv"),
                      ("rom_fit", "rom_fit"), ("blocks", "blocks")):
        files.append(out / f"{name}.csv")
        t[key].to_csv(files[-1], index=False)
    if holdout is not None:
        files.append(out / "beyond_holdout.csv")
        t["beyond"].to_csv(files[-1], index=False)
    files += _plots(t, out)
    text = _summary(t, config, spec, db, holdout)
    (out / "summary.md").write_text(text)
    (out / "summary.html").write_text(markdown_html(text, f"chip {config.name}"))
    return files + [out / "summary.md", out / "summary.html"]
