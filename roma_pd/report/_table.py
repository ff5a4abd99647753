from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..flow import STEPS
from ..pdk import TechFacts

__all__ = ["metric_table"]


def metric_table(row: pd.Series, tech: TechFacts) -> str:
    """A run's metrics as text: a summary block, then one line per metal layer."""
    def val(key, fmt="{:.4g}"):
        v = row.get(key)
        return "-" if v is None or (isinstance(v, float) and pd.isna(v)) else fmt.format(v)

    markers = None
    if row.get("jobdir") and row.get("design"):
        markers = Path(row["jobdir"]) / "drc" / str(row.get("index") or 0) / "outputs" / \
            f"{row.get('top') or row['design']}.drc.lyrdb"
        markers = markers if markers.is_file() else None

    lines = [
        f"design        {row.get('design')}   status: {row.get('status')} "
        f"({row.get('message')})",
        f"cells         {val('cells', '{:.0f}')}   registers {val('registers', '{:.0f}')}"
        f"   transistors {val('transistors', '{:.0f}')}",
        f"std-cell area {val('stdcell_area')} um^2   core area {val('core_area')} um^2   "
        f"die area {val('totalarea')} um^2",
        f"base-layer utilization {val('base_util', '{:.3f}')}   "
        f"transistors / um^2 {val('transistor_density')}",
        f"routing       unrouted nets {val('unrouted_nets', '{:.0f}')} "
        f"(segments {val('unrouted_segments', '{:.0f}')})   opens {val('opens', '{:.0f}')}"
        f"   shorts {val('shorts', '{:.0f}')}   LVS mismatches "
        f"{val('lvs_mismatches', '{:.0f}')}",
        f"DRC           violations {val('drc_violations', '{:.0f}')} (tech LEF rules)"
        + (f"   markers {markers}" if markers else ""),
        f"timing        worst slack {val('setupslack')} ns at "
        + (f"the clocks of {Path(row['sdc']).name}" if row.get("sdc")
           else f"{val('clock_period_ns')} ns") + f" (with wires; without "
        f"{val('setupslack_nowire')} ns)   TNS {val('setuptns')} ns   hold slack "
        f"{val('holdslack')} ns",
        f"power @500MHz total {val('averagepower')} mW = internal "
        f"{val('internal_power')} + switching {val('switching_power')} + leakage "
        f"{val('leakagepower')} (uniform activity {val('activity')}); at the design "
        f"clock {val('averagepower_design_clock')} mW",
        f"workload      {val('workload_power')} mW @500MHz, {val('workload_power_design_clock')}"
        " mW at the design clock (simulated input activities, propagated by OpenSTA)",
        "",
        f"{'layer':6} {'wirelength um':>14} {'track util':>11} {'metal density':>14} "
        f"{'DRC':>6}",
    ]
    for m in tech.metals:
        n = m.name.lower()
        lines.append(f"{m.name:6} {val(f'wl_{n}', '{:14.2f}'):>14} "
                     f"{val(f'track_util_{n}', '{:11.4f}'):>11} "
                     f"{val(f'density_{n}', '{:14.4f}'):>14} "
                     f"{val(f'drc_{n}', '{:.0f}'):>6}")
    lines.append(f"{'total':6} {val('wirelength', '{:14.2f}'):>14}")
    lines.append("")
    lines.append("vias   " + "  ".join(f"{c.name}:{val(f'vias_{c.name.lower()}', '{:.0f}')}"
                                       for c in tech.cuts))
    cut_drc = [c.name for c in tech.cuts if f"drc_{c.name.lower()}" in row.index]
    if cut_drc:
        lines.append("cut DRC " + "  ".join(f"{c}:{val(f'drc_{c.lower()}', '{:.0f}')}"
                                            for c in cut_drc))
    steps = [s for s in STEPS if f"time_{s}" in row.index]
    lines.append("runtime s  " + "  ".join(f"{s}:{val(f'time_{s}', '{:.2f}')}"
                                           for s in steps)
                 + f"  total:{val('time_total', '{:.2f}')}")
    return "\n".join(lines)
