"""Data-driven caveats of the chip summary."""
import pandas as pd

from roma_pd.chip import load_chip
from roma_pd.report._chip import _fused_note, _width_note, complete_widths
from tests.conftest import REPO

CONFIG = REPO / "designs" / "chip" / "roma.yaml"


def _blocks(widths):
    return pd.DataFrame({"role": ["stdrom", "brom", "compute"],
                         "width": [widths[0], widths[1], 512]})


def test_width_note_only_when_the_chip_word_is_wider_than_every_rom_block():
    config = load_chip(CONFIG)          # tile width 256
    note = _width_note({"blocks": _blocks([32, 64])}, config)
    assert len(note) == 1 and "widest ROM block is 64 bits" in note[0]
    assert _width_note({"blocks": _blocks([256, 256])}, config) == []


def test_fused_note_only_for_a_wide_spread():
    assert _fused_note(pd.Series([1.0, 1.05])) == []
    assert _fused_note(pd.Series([1.2])) == []
    note = _fused_note(pd.Series([1.002, 1.834]))
    assert "1.002 to 1.834" in note[0]


def test_complete_widths_drop_half_finished_widths_and_say_why():
    minima = pd.DataFrame({"width": [32, 32, 64, 64, 128],
                           "finished": [True, True, True, False, False]})
    kept, why = complete_widths(minima)
    assert list(kept["width"]) == [32, 32]
    assert why[64].startswith("1 of its 2 blocks unfinished")
    assert why[128] == "none of its 1 blocks finished"
    # with no complete width, every block is kept (finished ones carry the fit)
    kept, why = complete_widths(minima[minima["width"] > 32])
    assert len(kept) == 3 and why == {}
