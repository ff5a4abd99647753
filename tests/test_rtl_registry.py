import pytest

from roma_pd import RomaError
from roma_pd.rtl import generate, generator_names


def test_generate_rtlil():
    text = generate("mac", {"a_width": 2, "b_width": 2, "acc_width": 4}, "tiny")
    assert "module \\tiny" in text and "wire width 4 output" in text
    assert "mac" in generator_names()


def test_generator_wrong():
    with pytest.raises(RomaError, match=r"^generator must be one of \['mac'\], not 'rom'$"):
        generate("rom", {}, "x")


def test_param_wrong():
    with pytest.raises(RomaError, match=r"^params\.width: generator 'mac' takes \['a_width', "
                                        r"'b_width', 'acc_width', 'lanes'\], not 'width'$"):
        generate("mac", {"width": 3}, "x")
    with pytest.raises(RomaError, match=r"^params: b_width must be a positive integer, "
                                        r"not -1$"):
        generate("mac", {"b_width": -1}, "x")
