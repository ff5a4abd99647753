"""Scaling model: area, leakage and energy of the hardened blocks as linear functions of
ROM bits and compute lanes, fitted from a sweep's minimum-area blocks.

=========  =====================================  =====================================
role       area and leakage                       dynamic energy
=========  =====================================  =====================================
stdrom,    ``a0 + a_bit * bits + a_row * depth    per read and word bit:
brom       + a_col * width`` (the OR array per    ``e0 + e_log * log2(depth)`` (read
           bit; decoder and, for the B-ROM,       stream; one word line fires per read,
           CGen per row, shared by every column;  the OR trees are log2(depth) deep)
           output per column)
compute    ``c0 + c_lane * lanes``                per cycle: ``e0 + e_lane * lanes``
                                                  (uniform activity: see the flow's STA)
fused      ``f0 + f_bit * bits + f_lane * lanes``  (not fitted: see brom and compute)
=========  =====================================  =====================================

A term whose regressor does not vary in the data (one width only, say), or that the
terms before it determine (depth, when every block has one width: bits = width x depth),
cannot be identified and is left out (NaN); with too few points for an intercept the fit
goes through the origin. Both are reported, never hidden.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..rtl import TILE_ROLES

__all__ = ["LinearFit", "fit_linear", "ScalingModel", "FITS", "block_frame", "compute_block"]

# role -> [(target column, regressors)]
FITS = {
    "stdrom": [("area_um2", ("bits", "depth", "width")),
               ("leakage_uw", ("bits", "depth", "width")),
               ("read_fj_per_bit", ("log2_depth",))],
    "brom": [("area_um2", ("bits", "depth", "width")),
             ("leakage_uw", ("bits", "depth", "width")),
             ("read_fj_per_bit", ("log2_depth",))],
    "compute": [("area_um2", ("lanes",)), ("leakage_uw", ("lanes",)),
                ("cycle_pj", ("lanes",))],
    "fused": [("area_um2", ("bits", "lanes")), ("leakage_uw", ("bits", "lanes"))],
}


@dataclass
class LinearFit:
    """``target = sum(coef[t] * x[t])`` with ``coef['1']`` the intercept; dropped terms
    are NaN in ``coef`` and listed in ``dropped``."""
    target: str
    coef: dict[str, float]
    residuals: list[float]
    labels: list[str]
    dropped: list[str] = field(default_factory=list)

    def predict(self, **x: float) -> float:
        total = 0.0
        for term, c in self.coef.items():
            if np.isnan(c):
                continue
            total += c * (1.0 if term == "1" else x[term])
        return total

    @property
    def rms_residual(self) -> float:
        return float(np.sqrt(np.mean(np.square(self.residuals)))) if self.residuals \
            else float("nan")


def _identifiable(data: pd.DataFrame, terms: tuple[str, ...]) -> list[str]:
    """The terms a fit can tell apart, in order: each varies and adds to the rank of an
    intercept and the terms kept before it."""
    kept: list[str] = []
    for term in terms:
        if data[term].nunique() < 2:
            continue
        cols = [np.ones(len(data))] + [data[t].to_numpy(float) for t in (*kept, term)]
        X = np.column_stack([c / np.abs(c).max() for c in cols])   # comparable scales
        if np.linalg.matrix_rank(X) == X.shape[1]:
            kept.append(term)
    return kept


def fit_linear(frame: pd.DataFrame, target: str, terms: tuple[str, ...],
               label: str = "block") -> LinearFit:
    """Least squares of ``target`` on ``terms`` (plus an intercept when the data allow).

    Raises
    ------
    ValueError
        No rows with a value for ``target``.
    """
    data = frame.dropna(subset=[target, *terms])
    if data.empty:
        raise ValueError(f"no measured {target} to fit")
    used = _identifiable(data, terms)[:len(data)]
    if used:
        cols = (["1"] if len(data) > len(used) else []) + used
    else:                 # nothing varies: proportional to the first term (per lane, ...)
        cols = [terms[0]] if terms else ["1"]
    dropped = [t for t in ("1", *terms) if t not in cols]
    X = np.column_stack([np.ones(len(data)) if c == "1" else data[c].to_numpy(float)
                         for c in cols])
    y = data[target].to_numpy(float)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    coef = {"1": float("nan"), **{t: float("nan") for t in terms}}
    coef.update({c: float(b) for c, b in zip(cols, beta)})
    return LinearFit(target, coef, [float(r) for r in y - X @ beta],
                     list(data[label]) if label in data else [], dropped)


def block_frame(minima: pd.DataFrame, weight_bits: int, clock_mhz: float) -> pd.DataFrame:
    """Per block (its search's chosen minimum): the regressors and targets of the fits.

    ``minima`` has, per block, role, depth, width, chosen_core_area and the STA powers
    in mW (averagepower, leakagepower and, for ROM blocks, workload_power: a
    sequential read of the store).
    """
    f = minima.dropna(subset=["chosen_core_area"]).copy()
    f["bits"] = f["depth"] * f["width"]
    f["lanes"] = f["width"] // weight_bits
    f["log2_depth"] = np.log2(f["depth"].astype(float))
    f["area_um2"] = f["chosen_core_area"].astype(float)
    f["leakage_uw"] = f["leakagepower"].astype(float) * 1e3
    pj = 1e3 / clock_mhz                         # mW at clock_mhz -> pJ per cycle
    dyn = f["averagepower"].astype(float) - f["leakagepower"].astype(float)
    f["cycle_pj"] = dyn * pj
    read = f["workload_power"] if "workload_power" in f else pd.Series(np.nan, index=f.index)
    f["read_fj_per_bit"] = (read.astype(float) - f["leakagepower"].astype(float)) \
        * pj * 1e3 / f["width"]
    return f


def compute_block(blocks: pd.DataFrame, depth: int, width: int) -> pd.Series | None:
    """The compute block the tile of ``depth`` x ``width`` uses: the one hardened for
    that depth (``share_compute: false``), else the width's shared one, which carries the
    deepest ROM's address counter; None when the width has none.

    Picking by width alone would give a ``share_compute: false`` tile the compute block
    of another depth."""
    comp = blocks[(blocks["role"] == "compute") & (blocks["width"] == width)]
    if comp.empty:
        return None
    same = comp[comp["depth"] == depth]
    return (same if len(same) else comp.sort_values("depth")).iloc[-1]


class ScalingModel:
    """The fits of every role present in a sweep's minimum-area blocks."""

    def __init__(self, blocks: pd.DataFrame):
        self.blocks = blocks
        self.fits: dict[str, dict[str, LinearFit]] = {}
        for role, targets in FITS.items():
            rows = blocks[blocks["role"] == role]
            for target, terms in targets:
                if rows[target].notna().any():
                    self.fits.setdefault(role, {})[target] = fit_linear(rows, target, terms)

    def get(self, role: str, target: str) -> LinearFit:
        try:
            return self.fits[role][target]
        except KeyError:
            raise ValueError(f"the sweep has no finished {role} block with {target}: "
                             "run the sweep further, or give another --sweep") from None

    def residual_table(self) -> pd.DataFrame:
        """Every fit: its coefficients, RMS residual and each block's residual."""
        rows = []
        for role, targets in self.fits.items():
            for target, fit in targets.items():
                rows.append({"role": role, "target": target, "points": len(fit.residuals),
                             **{f"coef_{k}": v for k, v in fit.coef.items()},
                             "rms_residual": fit.rms_residual,
                             "dropped": ", ".join(fit.dropped),
                             "residuals": ", ".join(f"{b}: {r:+.3g}" for b, r in
                                                    zip(fit.labels, fit.residuals))})
        return pd.DataFrame(rows)

    def holdout(self) -> pd.DataFrame:
        """Per role and target: fit without the largest block, predict it, compare (one
        block left: a proportional fit)."""
        rows = []
        for role, targets in FITS.items():
            blocks = self.blocks[self.blocks["role"] == role]
            if len(blocks) < 2:
                continue
            big = blocks.sort_values(["bits", "lanes"]).iloc[-1]
            rest = blocks.drop(index=big.name)
            for target, terms in targets:
                if pd.isna(big[target]) or rest[target].notna().sum() < 1:
                    continue
                fit = fit_linear(rest, target, terms)
                pred = fit.predict(**{t: float(big[t]) for t in terms})
                rows.append({"role": role, "target": target, "held_out": big["block"],
                             "measured": float(big[target]), "predicted": pred,
                             "error": pred / float(big[target]) - 1})
        return pd.DataFrame(rows)

    def tile_holdout(self) -> pd.DataFrame:
        """Tile area of the largest size, predicted by fits made without its blocks:
        store + compute for rom and brom (the compute block is held out only if another
        width has one), the flat block for fused."""
        b = self.blocks
        stores = b[b["role"].isin(["stdrom", "brom", "fused"])]
        if stores.empty:
            return pd.DataFrame()
        big = stores.sort_values(["bits", "width"]).iloc[-1]
        depth, width = int(big["depth"]), int(big["width"])

        def predict(role, target, terms, where):
            rows = b[b["role"] == role]
            held = rows[where(rows)]
            rest = rows.drop(index=held.index)
            if role == "compute":       # the tile's own block; no block of its width fits
                used = compute_block(b, depth, width)
                held = held.loc[[used.name]] if used is not None else held.iloc[:0]
            if held.empty:
                return None, None, "missing"
            if rest[target].notna().sum() < 1:
                return float(held[target].iloc[0]), float(held[target].iloc[0]), "measured"
            fit = fit_linear(rest, target, terms)
            x = {t: float(held[t].iloc[0]) for t in terms}
            return float(held[target].iloc[0]), fit.predict(**x), "predicted"

        size = (lambda r: (r["depth"] == depth) & (r["width"] == width))
        comp = predict("compute", "area_um2", ("lanes",), lambda r: r["width"] == width)
        rows = []
        for variant in ("rom", "brom", "fused"):
            role = TILE_ROLES[variant][0]
            terms = dict(FITS[role])["area_um2"]
            store = predict(role, "area_um2", terms, size)
            parts = [store] + ([] if role == "fused" else [comp])
            if any(p[0] is None for p in parts):
                continue
            measured, predicted = sum(p[0] for p in parts), sum(p[1] for p in parts)
            rows.append({"variant": variant, "tile": f"{depth}x{width}",
                         "measured": measured, "predicted": predicted,
                         "error": predicted / measured - 1,
                         "compute": "-" if role == "fused" else comp[2]})
        return pd.DataFrame(rows)
