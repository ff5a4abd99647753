import re

import pytest

from roma_pd.metrics import count_transistors, transistor_counts


def test_cdl_counts(pdk):
    counts = transistor_counts(pdk.cell_cdl)
    assert counts["INVX1_ASAP7_75T_R"] == 2
    assert counts["NAND2XP33_ASAP7_75T_R"] == 4
    assert count_transistors({"INVx1_ASAP7_75t_R": 3, "NAND2xp33_ASAP7_75t_R": 2},
                             pdk.cell_cdl) == 14


def test_unknown_cell_wrong(pdk):
    message = f"cell 'NOPE' is not in {pdk.cell_cdl}"
    with pytest.raises(KeyError, match="^" + re.escape(repr(message)) + "$"):
        count_transistors({"NOPE": 1}, pdk.cell_cdl)
