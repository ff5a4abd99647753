"""The chip's totals per variant, its L-Unit against SRAM, and the comparison with the
paper's chip, from the parts of ``chip_parts``."""
from __future__ import annotations

import pandas as pd

from ._chip import PAPER_AREA_MM2, PAPER_POWER_W

__all__ = ["chip_totals"]


def chip_totals(parts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per variant: area and power summed over its parts (``totals``); L-Unit area and
    power over the SRAM variant's (``lunit``); the paper's chip area and power against
    ours (``compare``: the fused variant, B-ROM standing in without a fused block)."""
    totals = parts.groupby("variant", sort=False)[["area_mm2", "leakage_w", "dynamic_w",
                                                   "power_w"]].sum().reset_index()
    lunit = parts[parts["part"].str.startswith("L-Unit")].groupby(
        "variant", sort=False)[["area_mm2", "power_w"]].sum()
    lunit = (lunit / lunit.loc["sram"]).rename(columns=lambda c: c + "_vs_sram") \
        .reset_index()
    # the paper's chip uses the fused cell; without a fused block, B-ROM stands in
    ours = totals.set_index("variant")
    pick = next((v for v in ("fused", "brom") if v in ours.index), None)
    compare = pd.DataFrame([
        {"quantity": q, "variant": pick, "paper": paper,
         "ours": ours.loc[pick, col], "difference": ours.loc[pick, col] / paper - 1}
        for q, col, paper in (("chip area (mm^2)", "area_mm2", PAPER_AREA_MM2),
                              ("chip power (W)", "power_w", PAPER_POWER_W))]
        if pick else [], columns=["quantity", "variant", "paper", "ours", "difference"])
    return totals, lunit, compare
