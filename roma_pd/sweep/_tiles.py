"""Tiles from block minima: area and power of each variant and size, as ROMA.md accounts
them (separate variants add their blocks; ``sram`` adds its fakeram7 macros), normalised
to the SRAM variant of the same size."""
from __future__ import annotations

import pandas as pd

from ..chip import sram_facts
from ..flow import POWER_CLOCK_MHZ
from ..rtl import TILE_ROLES, sram_macros
from ._runner import block_name
from ._spec import SweepSpec

__all__ = ["tile_table", "VARIANT_BLOCKS"]

VARIANT_BLOCKS = TILE_ROLES      # the blocks each variant's tile is made of


def tile_table(minima: pd.DataFrame, spec: SweepSpec, pdk) -> pd.DataFrame:
    """One row per variant and size: ``tile_area`` (um^2), ``logic_power_mw`` (the
    blocks' OpenSTA power at the power clock), ``sram_power_mw`` (the macros: liberty
    leakage plus one access per cycle on every bank, at the same clock), ``power_mw``
    (their sum) and both ratios to the SRAM tile. A value a block lacks stays unset."""
    by = minima.set_index("block")
    facts = {}                  # macro -> SramFacts: its liberty is read once
    rows = []
    for depth in spec.depths:
        for width in spec.widths:
            def get(role, key):
                name = block_name(role, depth, width, spec)
                return by.loc[name, key] if name in by.index else None

            for variant in spec.variants:
                parts = VARIANT_BLOCKS[variant]
                areas = [get(p, "chosen_core_area") for p in parts]
                power = [get(p, "averagepower") for p in parts]
                area = sum(areas) if None not in areas else None
                logic = sum(power) if None not in power else None
                macro, sram_mw = "", 0.0
                if variant == "sram":
                    name, count = sram_macros(depth, width)
                    if name not in facts:
                        facts[name] = sram_facts(pdk, name)
                    sram = facts[name]
                    macro = f"{count} x {name}"
                    sram_mw = count * (sram.leakage_uw / 1e3
                                       + sram.access_pj * POWER_CLOCK_MHZ / 1e3)
                    if area is not None:
                        area += count * sram.area_um2
                rows.append({"variant": variant, "depth": depth, "width": width,
                             "bits": depth * width, "tile_area": area,
                             "logic_power_mw": logic, "sram_power_mw": sram_mw,
                             "power_mw": logic + sram_mw if logic is not None else None,
                             "sram_macros": macro})
    t = pd.DataFrame(rows)
    for col in ("tile_area", "power_mw"):
        ref = t[t["variant"] == "sram"].set_index(["depth", "width"])[col]
        t[f"{col}_vs_sram"] = [
            (r[col] / ref.get((r["depth"], r["width"]))) if r[col] is not None and
            ref.get((r["depth"], r["width"])) else None for _, r in t.iterrows()]
    return t
