import pytest

from roma_pd import RomaError
from roma_pd.rtl import generate, generator_names


def test_generate_rtlil():
    text = generate("mac", {"a_width": 2, "b_width": 2, "acc_width": 4}, "tiny")
    assert "module \\tiny" in text and "wire width 4 output" in text
    assert "mac" in generator_names()


def test_generator_wrong():
    with pytest.raises(RomaError, match=r"^generator must be one of \['brom', 'compute', "
                                        r"'logicrom', 'lunit', 'mac', 'stdrom', 'tile'\], "
                                        r"not 'rom'$"):
        generate("rom", {}, "x")


def test_param_wrong():
    with pytest.raises(RomaError, match=r"^params\.width: generator 'mac' takes \['a_width', "
                                        r"'b_width', 'acc_width', 'lanes'\], not 'width'$"):
        generate("mac", {"width": 3}, "x")
    with pytest.raises(RomaError, match=r"^params: b_width must be a positive integer, "
                                        r"not -1$"):
        generate("mac", {"b_width": -1}, "x")


def test_tile_blocks():
    from roma_pd.rtl import tile_blocks
    plan, macros = tile_blocks({"variant": "rom", "depth": 64})
    assert [(suffix, gen) for suffix, gen, _ in plan] == [("_store", "stdrom"),
                                                          ("_compute", "compute")]
    assert plan[1][2] == {"depth": 64, "width": 32, "weight_bits": 2, "mant_bits": 16}
    assert macros is None
    plan, macros = tile_blocks({"variant": "sram", "depth": 256, "width": 64})
    assert [gen for _, gen, _ in plan] == ["compute"] and macros == ("fakeram7_sp_256x64", 1)
    assert tile_blocks({"variant": "fused"})[0] == [("", "tile", {"variant": "fused"})]


def test_tile_lanes_wrong():
    with pytest.raises(RomaError, match=r"^params: lanes must be width // weight_bits "
                                        r"\(16\), not 8$"):
        generate("tile", {"depth": 64, "width": 32, "lanes": 8}, "t")
