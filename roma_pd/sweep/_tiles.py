"""Tiles from block minima: area and power of each variant and size, as ROMA.md accounts
them (separate variants add their blocks; ``sram`` adds its fakeram7 macros), normalised
to the SRAM variant of the same size."""
from __future__ import annotations

import pandas as pd

from ..chip import sram_facts
from ..metrics import POWER_CLOCK_MHZ
from ..rtl import TILE_ROLES, sram_macros
from ._runner import block_name
from ._spec import SweepSpec

__all__ = ["tile_table", "VARIANT_BLOCKS", "POWER_METHOD"]

VARIANT_BLOCKS = TILE_ROLES      # the blocks each variant's tile is made of


POWER_METHOD = ("logic: OpenSTA at 500 MHz, uniform activity {activity:g} on every net "
                "(averagepower); store_read: the ROM block under the simulated workload, "
                "address activities propagated by OpenSTA (workload_power); SRAM: "
                "fakeram7 liberty (placeholder: every macro the same power), bound: "
                "{fj:g} fJ per bit read")
# Blocks whose simulated-workload power is sound: OpenSTA's propagation through the
# L-Unit's adder trees puts hundreds of transitions per cycle on its nets
# (benchmarks/power_methods.py), so a compute block's workload power is not used.
_PROPAGATION_SOUND = ("stdrom", "brom")


def tile_table(minima: pd.DataFrame, spec: SweepSpec, pdk) -> pd.DataFrame:
    """One row per variant and size: ``tile_area`` (um^2), ``logic_power_mw`` (the
    blocks' OpenSTA power at the power clock, uniform activity), ``sram_power_mw`` (the
    macros: liberty leakage plus one access per cycle on every bank, at the same
    clock), ``power_mw`` (their sum) and both ratios to the SRAM tile;
    ``store_read_power_mw`` the ROM store block's power under the simulated workload
    (a sequential read; none where the store is a macro or fused with the adders);
    ``sram_bound_mw`` the macros at the spec's stated
    energy per bit read (a word per cycle) plus their leakage, ``power_bound_mw`` with
    it; ``power_method`` says all this in the row. A value a block lacks stays unset."""
    by = minima.set_index("block")
    facts = {}                  # macro -> SramFacts: its liberty is read once
    rows = []
    for depth in spec.depths:
        for width in spec.widths:
            def get(role, key):
                name = block_name(role, depth, width, spec)
                return by.loc[name, key] if name in by.index and key in by else None

            for variant in spec.variants:
                parts = VARIANT_BLOCKS[variant]
                areas = [get(p, "chosen_core_area") for p in parts]
                power = [get(p, "averagepower") for p in parts]
                store = [get(p, "workload_power") for p in parts
                         if p in _PROPAGATION_SOUND]
                area = _total(areas)
                logic = _total(power)
                macro, sram_mw, bound_mw = "", 0.0, 0.0
                if variant == "sram":
                    name, count = sram_macros(depth, width)
                    if name not in facts:
                        facts[name] = sram_facts(pdk, name)
                    sram = facts[name]
                    macro = f"{count} x {name}"
                    sram_mw = count * (sram.leakage_uw / 1e3
                                       + sram.access_pj * POWER_CLOCK_MHZ / 1e3)
                    # fJ per bit x bits per cycle x MHz = 1e-6 mW
                    bound_mw = count * sram.leakage_uw / 1e3 + \
                        spec.sram_read_fj_per_bit * width * POWER_CLOCK_MHZ * 1e-6
                    if area is not None:
                        area += count * sram.area_um2
                rows.append({"variant": variant, "depth": depth, "width": width,
                             "bits": depth * width, "tile_area": area,
                             "logic_power_mw": logic, "sram_power_mw": sram_mw,
                             "power_mw": _plus(logic, sram_mw),
                             "store_read_power_mw": _total(store) if store else None,
                             "sram_bound_mw": bound_mw,
                             "power_bound_mw": _plus(logic, bound_mw),
                             "sram_macros": macro,
                             "power_method": POWER_METHOD.format(
                                 activity=spec.activity, fj=spec.sram_read_fj_per_bit)})
    t = pd.DataFrame(rows)
    for col in ("tile_area", "power_mw", "power_bound_mw"):
        ref = t[t["variant"] == "sram"].set_index(["depth", "width"])[col]
        t[f"{col}_vs_sram"] = [
            (r[col] / ref.get((r["depth"], r["width"]))) if r[col] is not None and
            ref.get((r["depth"], r["width"])) else None for _, r in t.iterrows()]
    return t


def _total(values):
    """Sum of a tile's block values; unset if any block lacks it."""
    return None if any(v is None or pd.isna(v) for v in values) else float(sum(values))


def _plus(logic, sram_mw):
    return logic + sram_mw if logic is not None else None
