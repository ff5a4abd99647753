"""The paper's tile claims as measured ratios, and the tile area's line in ROM bits:
what the sweep report states (it only formats them)."""
from __future__ import annotations

import pandas as pd

from ..chip import LinearFit, fit_linear

__all__ = ["PAPER_LUNIT_SAVING", "claim_savings", "compute_density_spread", "area_fits"]

PAPER_LUNIT_SAVING = 0.40     # "about 40% less L-Unit area than a standard ROM"


def claim_savings(tiles: pd.DataFrame, minima: pd.DataFrame) -> dict[str, pd.Series]:
    """Area saved, per (depth, width), by each claim that has both sides measured:
    ``brom_tile`` = 1 - B-ROM tile / StdROM tile (both with their compute block),
    ``brom_block`` = 1 - B-ROM block / StdROM block, ``fused`` = 1 - fused tile / B-ROM
    tile. Negative: larger."""
    out = {}
    piv = tiles.pivot_table(index=["depth", "width"], columns="variant",
                            values="tile_area")
    blocks = minima.pivot_table(index=["depth", "width"], columns="role",
                                values="chosen_core_area")
    for claim, table, ours, theirs in (("brom_tile", piv, "brom", "rom"),
                                       ("brom_block", blocks, "brom", "stdrom"),
                                       ("fused", piv, "fused", "brom")):
        if {ours, theirs} <= set(table.columns):
            saving = (1 - table[ours] / table[theirs]).dropna()
            if len(saving):
                out[claim] = saving
    return out


def compute_density_spread(minima: pd.DataFrame) -> pd.Series:
    """Per width, how far apart the compute blocks' chosen densities are (the router's
    non-monotonic noise on blocks of nearly the same logic)."""
    comp = minima[minima["role"] == "compute"].dropna(subset=["chosen_density"])
    return comp.groupby("width")["chosen_density"].agg(lambda d: d.max() - d.min())


def area_fits(tiles: pd.DataFrame) -> dict[str, LinearFit]:
    """Least-squares ``tile_area = a + b * bits`` per variant with two or more sizes."""
    fits = {}
    for variant, g in tiles.dropna(subset=["tile_area"]).groupby("variant"):
        if len(g) >= 2 and g["bits"].nunique() > 1:
            fits[variant] = fit_linear(g, "tile_area", ("bits",), label="variant")
    return fits
