"""The structural ROMs keep their OR networks through synthesis (real pyosys)."""
import pytest

from roma_pd.rtl import BROM, StdROM, content_words
from roma_pd.rtl._stats import rtl_stats

pytestmark = pytest.mark.eda


@pytest.mark.parametrize("depth", [64, 256])
def test_or_networks_survive_synthesis(pdk, tmp_path, depth):
    from roma_pd.rtl import Asap7Gates
    words = content_words({"source": "random", "seed": depth}, depth, 32, 2)
    std = rtl_stats(StdROM(depth, 32, words, Asap7Gates()), "std", pdk, tmp_path / "s")
    brom = rtl_stats(BROM(depth, 32, words, Asap7Gates()), "brom", pdk, tmp_path / "b")
    a, ms, mb = std["analytic"], std["measured"], brom["measured"]
    assert ms["word_line_drivers"] == mb["word_line_drivers"] == depth
    within = pytest.approx
    assert ms["column_gates"] == within(a["std_or_gates"], rel=0.05)
    assert ms["column_inputs"] == within(a["std_or_inputs"], rel=0.05)
    assert mb["cgen_gates"] == within(a["brom_cgen_gates"], rel=0.05)
    assert mb["cgen_inputs"] == within(a["brom_cgen_inputs"], rel=0.05)
    assert mb["column_gates"] == within(a["brom_column_gates"], rel=0.05)
    assert mb["column_inputs"] == within(a["brom_column_inputs"], rel=0.05)
    # everything else is the decoder and the output register: small
    for m, net in ((ms, a["std_or_gates"]), (mb, a["brom_or_gates"])):
        assert m["cells"] - net - depth < 0.1 * m["cells"] + 64
    assert mb["transistors"] > 0 and ms["transistors"] > 0


def test_or_style_survives_synthesis(pdk, tmp_path):
    from roma_pd.rtl import Asap7Gates
    words = content_words({"source": "random", "seed": 5}, 64, 16, 2)
    s = rtl_stats(BROM(64, 16, words, Asap7Gates(style="or")), "b", pdk, tmp_path)
    a, m = s["analytic"], s["measured"]
    assert (m["cgen_gates"], m["column_gates"]) == (a["brom_cgen_gates"],
                                                    a["brom_column_gates"])
    ors = m["by_type"].get("OR3x1_ASAP7_75t_R", 0) + m["by_type"].get("OR2x2_ASAP7_75t_R", 0)
    assert ors >= a["brom_or_gates"]        # the trees are OR cells (ABC may add more)
