"""SRAM facts from a fakeram7 macro: area from its LEF (KLayout), leakage and access
energy from its liberty (liberty-parser)."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SramFacts", "sram_facts"]


@dataclass(frozen=True)
class SramFacts:
    """One fakeram7 macro. ``access_pj`` is the clock pin's internal energy per cycle
    (rise plus fall), which fakeram7 charges for every enabled access."""
    macro: str
    depth: int
    width: int
    area_um2: float
    leakage_uw: float
    access_pj: float

    @property
    def bits(self) -> int:
        return self.depth * self.width

    @property
    def area_um2_per_bit(self) -> float:
        return self.area_um2 / self.bits


def _energy_pj(lib, values) -> float:
    """Mean of a power table, in pJ (liberty internal power is in
    capacitive_load_unit x voltage_unit^2)."""
    import numpy as np
    cap = lib["capacitive_load_unit"]
    scale = {"pf": 1.0, "ff": 1e-3}[str(cap[1]).lower()] * float(cap[0])
    return float(np.mean(values)) * scale


def sram_facts(pdk, macro: str) -> SramFacts:
    """Read ``macro`` (like ``fakeram7_sp_8192x64``) from the PDK."""
    from liberty.parser import parse_liberty
    info = pdk.sram_macro(macro)
    lib = parse_liberty(info["liberty"].read_text())
    cell = lib.get_group("cell", macro)
    unit = str(lib["leakage_power_unit"]).strip('"').lower()
    leak = float(cell["cell_leakage_power"]) * {"1uw": 1.0, "1nw": 1e-3, "1mw": 1e3}[unit]
    clk = cell.get_group("pin", "clk").get_groups("internal_power")[0]
    access = sum(_energy_pj(lib, clk.get_group(edge).get_array("values"))
                 for edge in ("rise_power", "fall_power"))
    memory = cell.get_groups("memory")[0]
    return SramFacts(macro, 2 ** int(memory["address_width"]), int(memory["word_width"]),
                     info["area_um2"], leak, access)
