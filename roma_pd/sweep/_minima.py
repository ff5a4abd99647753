"""A sweep's chosen minimum of each block: clean and near-clean minima, their
routability rates, the search's choice, and which widths are complete enough to fit."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ._runner import (block_verdicts, density_rates, passes, plan_blocks, search_next,
                      search_starts)
from ._search import best_density
from ._spec import SweepSpec

__all__ = ["block_minima", "complete_widths", "unroutable_blocks"]


def block_minima(df: pd.DataFrame, spec: SweepSpec) -> pd.DataFrame:
    """Per block: the clean and near-clean minimum areas side by side, each with its
    routability rate (placements passing and tried at that density), and the search's
    choice under the sweep's criterion. The area and metrics at a minimum are those of
    its smallest passing placement. ``at_ceiling``: the chosen density is the search's
    highest, so the block's true minimum area may be smaller. A block whose search has
    not ended (an interrupted sweep) has no chosen minimum yet: ``finished`` is False."""
    rows = []
    search = spec.search
    starts = search_starts(df, spec)
    for block in plan_blocks(spec):
        att = df[df["block"] == block.name]
        row = {"block": block.name, "role": block.role, "depth": block.depth,
               "width": block.width, "attempts": len(att)}
        row["finished"] = search_next(att, search, starts[block.name]) is None
        for label, criterion in (("clean", "clean"), ("near_clean", "near_clean"),
                                 ("chosen", search.criterion)):
            best = best_density(block_verdicts(att, criterion, search), search) \
                if row["finished"] else None
            hit = att[np.isclose(att["density"], best)] if best else att.iloc[0:0]
            ok = hit["verdict"].map(lambda v: passes(v, criterion)).astype(bool)
            hit = hit[ok].sort_values(["core_area", "aspect_ratio"])
            passed, tried = density_rates(att, criterion)[round(best, 6)] if best \
                else (None, None)
            row[f"{label}_density"] = best
            row[f"{label}_core_area"] = float(hit["core_area"].iloc[0]) if len(hit) else None
            row[f"{label}_passed"], row[f"{label}_tried"] = passed, tried
            if label == "chosen":
                # passing at the ceiling bounds the minimum from above only
                row["at_ceiling"] = best is not None and bool(np.isclose(best, search.high))
                r = hit.iloc[0] if len(hit) else None
                row["aspect_ratio"] = float(r["aspect_ratio"]) if r is not None else None
                row["die_area"] = float(r["die_area"]) if r is not None else None
                row["verdict"] = r["verdict"] if r is not None else None
                row["residual_segments"] = len(json.loads(r["residual"] or "[]")) \
                    if r is not None else None
                m = json.loads(r["metrics"]) if r is not None else {}
                for key in ("averagepower", "leakagepower", "workload_power", "base_util",
                            "cells", "transistors", *[f"track_util_m{i}" for i in range(1, 10)]):
                    row[key] = m.get(key)
                if row["workload_power"] is None and m.get("read_power") is not None:
                    # a ROM block's rows before 2026-12-02: the same sequential read,
                    # its address activities computed instead of simulated
                    row["workload_power"] = m["read_power"]
        rows.append(row)
    return pd.DataFrame(rows)


RESIDUE = ["unrouted_nets", "opens", "shorts", "drc_violations", "segment_completion"]


def unroutable_blocks(df: pd.DataFrame, minima: pd.DataFrame) -> pd.DataFrame:
    """Each placement, at the lowest density tried, of every block whose search ended
    with no density passing the sweep's criterion (``minima``: ``block_minima`` of
    ``df``, finished with no chosen density), with its residue: the unrouted nets,
    opens, shorts and DRC violations, the segment completion and the count of residual
    segments. A block that cannot route is reported with what it left, not dropped."""
    rows = []
    stuck = minima[minima["finished"] & minima["chosen_density"].isna()]
    for name in stuck["block"]:
        att = df[df["block"] == name]
        if att.empty:
            continue
        low = att[np.isclose(att["density"], att["density"].min())]
        for _, r in low.sort_values("aspect_ratio").iterrows():
            rows.append({"block": name, "density": float(r["density"]),
                         "aspect_ratio": float(r["aspect_ratio"]), "verdict": r["verdict"],
                         **{k: r[k] for k in RESIDUE},
                         "residual_segments": len(json.loads(r["residual"] or "[]"))})
    return pd.DataFrame(rows, columns=["block", "density", "aspect_ratio", "verdict",
                                       *RESIDUE, "residual_segments"])


def complete_widths(minima: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    """The blocks of the widths whose every search has ended, and what became of each
    other width, as a phrase after "Width N". The blocks of a half-finished width are the
    ones whose search ended first (the easy ones), so fitting them would bias the rates.
    With no complete width at all, every finished block is kept, and said to be."""
    done = minima.groupby("width")["finished"].agg(["sum", "size"])
    open_ = done[done["sum"] < done["size"]]
    keep_all = len(open_) == len(done)
    why = {}
    for w, r in open_.iterrows():
        if r["sum"] == 0:       # nothing of it is fitted either way
            why[int(w)] = f"left out of every fit: none of its {int(r['size'])} blocks finished"
            continue
        state = f"{int(r['size'] - r['sum'])} of its {int(r['size'])} blocks unfinished"
        why[int(w)] = (
            f"fitted though {state}: no width is complete, so the fits hold the blocks "
            "whose search ended first, which biases the rates" if keep_all else
            f"left out of every fit: {state} (a half-finished width holds the blocks "
            "whose search ended first, which would bias the rates)")
    return (minima if keep_all else minima[~minima["width"].isin(open_.index)]), why
