"""The paper's claims as measured ratios, and the tile area's line in bits."""
import pandas as pd
import pytest

from roma_pd.sweep import area_fits, claim_savings, compute_density_spread


def _tiles():
    rows = [("rom", 64, 32, 1000.0), ("brom", 64, 32, 800.0), ("fused", 64, 32, 600.0),
            ("rom", 128, 32, 1500.0), ("brom", 128, 32, 1300.0), ("sram", 64, 32, 900.0)]
    return pd.DataFrame([{"variant": v, "depth": d, "width": w, "bits": d * w,
                          "tile_area": a} for v, d, w, a in rows])


def _minima():
    rows = [("stdrom", 64, 32, 200.0, 0.7), ("brom", 64, 32, 150.0, 0.7),
            ("compute", 64, 32, 600.0, 0.45), ("compute", 128, 32, 610.0, 0.6)]
    return pd.DataFrame([{"role": r, "depth": d, "width": w, "chosen_core_area": a,
                          "chosen_density": c} for r, d, w, a, c in rows])


def test_claim_savings_by_hand():
    s = claim_savings(_tiles(), _minima())
    assert s["brom_tile"].to_dict() == {(64, 32): pytest.approx(0.2),
                                       (128, 32): pytest.approx(1 - 1300 / 1500)}
    assert s["brom_block"].to_dict() == {(64, 32): pytest.approx(0.25)}
    assert s["fused"].to_dict() == {(64, 32): pytest.approx(0.25)}   # 128x32: no fused


def test_a_claim_without_both_sides_is_left_out():
    tiles = _tiles()
    assert set(claim_savings(tiles[tiles.variant != "brom"], _minima().iloc[:1])) == set()


def test_compute_density_spread():
    assert compute_density_spread(_minima()).to_dict() == {32: pytest.approx(0.15)}


def test_area_fits_only_variants_with_two_sizes():
    fits = area_fits(_tiles())
    assert set(fits) == {"rom", "brom"}
    assert fits["rom"].coef["bits"] == pytest.approx(500 / 2048)
    assert fits["rom"].predict(bits=64 * 32) == pytest.approx(1000.0)
