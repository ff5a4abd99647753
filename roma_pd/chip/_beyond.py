"""Hold-out beyond the fits: tiles measured by another sweep, larger than any block the
scaling model was fitted on, predicted with the chip's own rule for a tile's area.

The in-sweep hold-outs (``ScalingModel.holdout``, ``tile_holdout``) leave the largest
block out and predict it from smaller ones; this checks what the chip actually does,
extrapolating past every fitted block."""
from __future__ import annotations

import pandas as pd

from ..rtl import TILE_ROLES
from ._chip import tile_area
from ._scaling import ScalingModel, compute_block

__all__ = ["beyond_holdout"]

_TILE_VARIANTS = ("rom", "brom", "fused")


def beyond_holdout(model: ScalingModel, measured: pd.DataFrame, weight_bits: int,
                   ratio: float | None) -> pd.DataFrame:
    """Per tile of ``measured`` (another sweep's ``block_frame``) and variant: its
    measured core area (store block + the compute block it uses; the flat block for
    ``fused``), the chip model's prediction, the error, and how far the tile lies beyond
    the fitted blocks (its depth and width over the largest fitted ones). A tile whose
    blocks did not all finish, or a variant the model cannot build, is left out."""
    fitted = model.blocks[model.blocks["role"] != "compute"]
    rows = []
    stores = measured[measured["role"] != "compute"]
    for (depth, width), blocks in stores.groupby(["depth", "width"], sort=True):
        comp = compute_block(measured, depth, width)
        for variant in _TILE_VARIANTS:
            role = TILE_ROLES[variant][0]
            store = blocks[blocks["role"] == role]
            if store.empty or (variant != "fused" and comp is None):
                continue
            area = float(store["area_um2"].iloc[0])
            if variant != "fused":
                area += float(comp["area_um2"])
            try:
                pred = tile_area(model, variant, int(depth), int(width), weight_bits, ratio)
            except ValueError:
                continue
            rows.append({"variant": variant, "tile": f"{depth}x{width}",
                         "depth_beyond": depth / fitted["depth"].max(),
                         "width_beyond": width / fitted["width"].max(),
                         "measured": area, "predicted": pred, "error": pred / area - 1})
    return pd.DataFrame(rows, columns=["variant", "tile", "depth_beyond", "width_beyond",
                                       "measured", "predicted", "error"])
