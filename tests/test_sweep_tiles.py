"""Tile area and power from block minima: the SRAM tile carries its macros' power."""
import pandas as pd
import pytest

from roma_pd.chip import sram_facts
from roma_pd.metrics import POWER_CLOCK_MHZ
from roma_pd.rtl import sram_macros
from roma_pd.sweep import SweepSpec, block_name, tile_table


def _spec():
    return SweepSpec(name="t", variants=["sram", "rom", "brom"], depths=[64],
                     widths=[64], weight_bits=2, mant_bits=11)


def _minima(spec, area=None):
    rows = []
    for role, a, p in (("compute", 100.0, 0.5), ("stdrom", 40.0, 0.2), ("brom", 30.0, 0.1)):
        rows.append({"block": block_name(role, 64, 64, spec),
                     "chosen_core_area": a if area is None else area.get(role, a),
                     "averagepower": p, "workload_power": 3 * p})
    return pd.DataFrame(rows)


def test_sram_tile_adds_its_macros_area_and_power(pdk):
    spec = _spec()
    t = tile_table(_minima(spec), spec, pdk).set_index("variant")
    name, count = sram_macros(64, 64)
    facts = sram_facts(pdk, name)
    macro_mw = count * (facts.leakage_uw / 1e3 + facts.access_pj * POWER_CLOCK_MHZ / 1e3)
    assert macro_mw > 0
    assert t.loc["sram", "sram_power_mw"] == pytest.approx(macro_mw)
    assert t.loc["sram", "power_mw"] == pytest.approx(0.5 + macro_mw)
    assert t.loc["sram", "tile_area"] == pytest.approx(100.0 + count * facts.area_um2)
    # ROM tiles: their two blocks, no macro
    assert t.loc["rom", "power_mw"] == pytest.approx(0.7)
    assert t.loc["rom", "sram_power_mw"] == 0
    assert t.loc["brom", "tile_area"] == pytest.approx(130.0)
    assert t.loc["rom", "power_mw_vs_sram"] == pytest.approx(0.7 / (0.5 + macro_mw))


def test_a_block_without_a_minimum_leaves_its_tiles_unset(pdk):
    spec = _spec()
    minima = _minima(spec)
    minima = minima[minima["block"] != block_name("stdrom", 64, 64, spec)]
    t = tile_table(minima, spec, pdk).set_index("variant")
    assert pd.isna(t.loc["rom", "tile_area"]) and pd.isna(t.loc["rom", "power_mw"])
    assert pd.isna(t.loc["rom", "tile_area_vs_sram"])
    assert t.loc["brom", "tile_area"] == pytest.approx(130.0)


def test_power_methods_side_by_side(pdk):
    # the workload power and the stated per-bit SRAM bound beside the uniform figures,
    # and each row says which method made which column
    spec = SweepSpec(name="t", variants=["sram", "rom", "brom"], depths=[64], widths=[64],
                     weight_bits=2, mant_bits=11, sram_read_fj_per_bit=100.0)
    t = tile_table(_minima(spec), spec, pdk).set_index("variant")
    name, count = sram_macros(64, 64)
    facts = sram_facts(pdk, name)
    macro_mw = count * (facts.leakage_uw / 1e3 + facts.access_pj * POWER_CLOCK_MHZ / 1e3)
    bound_mw = count * facts.leakage_uw / 1e3 + 100e-15 * 64 * POWER_CLOCK_MHZ * 1e6 * 1e3
    # the store's sequential read only: a compute block's propagated power is unsound
    assert t.loc["rom", "store_read_power_mw"] == pytest.approx(3 * 0.2)
    assert t.loc["brom", "store_read_power_mw"] == pytest.approx(3 * 0.1)
    assert pd.isna(t.loc["sram", "store_read_power_mw"])
    assert macro_mw > 0
    assert t.loc["sram", "sram_bound_mw"] == pytest.approx(bound_mw)
    assert t.loc["sram", "power_bound_mw"] == pytest.approx(0.5 + bound_mw)
    assert t.loc["rom", "sram_bound_mw"] == 0
    assert t.loc["rom", "power_bound_mw_vs_sram"] == pytest.approx(0.7 / (0.5 + bound_mw))
    assert "uniform activity 0.1" in t.loc["rom", "power_method"]
    assert "100 fJ per bit read" in t.loc["sram", "power_method"]


def test_minima_without_workload_power(pdk):
    spec = _spec()
    t = tile_table(_minima(spec).drop(columns="workload_power"), spec, pdk)
    assert t["store_read_power_mw"].isna().all() and t["power_mw"].notna().all()
