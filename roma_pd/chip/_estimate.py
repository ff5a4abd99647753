"""The chip estimate: every table of the chip model from a sweep's block minima."""
from __future__ import annotations

import pandas as pd

from ..metrics import POWER_CLOCK_MHZ
from ._beyond import beyond_holdout
from ._capacity import kv_capacity, paper_kv_points, rom_fit
from ._chip import chip_parts, fused_ratio, variant_rates, workload_of
from ._scaling import ScalingModel, block_frame
from ._sram import sram_facts
from ._totals import chip_totals

__all__ = ["estimate_chip", "KV_SRAM_MB"]

KV_SRAM_MB = [16, 32, 64, 96, 128, 192, 256, 288, 384, 512]   # KV-capacity points


def estimate_chip(config, minima: pd.DataFrame, weight_bits: int, pdk,
                  beyond: pd.DataFrame | None = None) -> dict:
    """The chip model of ``config`` fitted on ``minima`` (a sweep's block minima of
    complete widths): the fits and their hold-outs, per-variant rates, parts, totals,
    the paper comparison and capacities. ``beyond``: the block minima of a hold-out
    sweep, whose tiles the model predicts without fitting them.

    Raises
    ------
    ValueError
        when no block has a minimum yet, or no variant can be modelled.
    """
    blocks = block_frame(minima, weight_bits, POWER_CLOCK_MHZ)
    if blocks.empty:
        raise ValueError("no block has a minimum area yet")
    model = ScalingModel(blocks)
    ratios = fused_ratio(blocks)
    ratio = float(ratios.mean()) if len(ratios) else None
    sram = sram_facts(pdk, config.sram_macro)
    workload = workload_of(config)
    parts = chip_parts(config, model, sram, workload, ratio)
    if parts.empty:
        raise ValueError("no variant can be modelled: " + "; ".join(
            f"{v}: {why}" for v, why in parts.attrs["skipped"].items()))
    totals, lunit, compare = chip_totals(parts)
    return {"rates": variant_rates(model, sram, workload, ratio, config.tile.width),
            "blocks": blocks,
            "model": model, "ratios": ratios, "sram": sram, "workload": workload,
            "parts": parts, "totals": totals, "lunit": lunit, "compare": compare,
            "residuals": model.residual_table(), "holdout": model.holdout(),
            "tile_holdout": model.tile_holdout(),
            "beyond": beyond_holdout(model, block_frame(beyond, weight_bits,
                                                        POWER_CLOCK_MHZ), weight_bits, ratio)
            if beyond is not None else None,
            "rom_fit": rom_fit(config),
            "kv": kv_capacity(config, KV_SRAM_MB), "kv_paper": paper_kv_points(config)}
