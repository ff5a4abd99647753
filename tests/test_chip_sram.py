"""fakeram7 facts read from the PDK's LEF and liberty."""
import pytest

from roma_pd.chip import sram_facts


def test_fakeram7_8192x64(pdk):
    f = sram_facts(pdk, "fakeram7_sp_8192x64")
    assert (f.depth, f.width, f.bits) == (8192, 64, 524288)
    # the liberty says area 22064.7; the LEF outline must agree
    assert f.area_um2 == pytest.approx(22064.7, rel=1e-3)
    assert f.leakage_uw == pytest.approx(128.9)        # leakage_power_unit 1uW
    assert f.access_pj == pytest.approx(2 * 1.345)      # clk rise + fall, pF x V^2 = pJ
    assert f.area_um2_per_bit == pytest.approx(f.area_um2 / 524288)


def test_bigger_macros_are_denser(pdk):
    small, big = (sram_facts(pdk, m) for m in ("fakeram7_sp_64x32",
                                               "fakeram7_sp_8192x64"))
    assert big.area_um2_per_bit < small.area_um2_per_bit


def test_unknown_macro(pdk):
    from roma_pd import RomaError
    with pytest.raises(RomaError, match=r"^SRAM macro must be a fakeram7 macro of lambdapdk, "
                                        r"not 'sram_1x1'$"):
        sram_facts(pdk, "sram_1x1")
