"""Data-driven caveats of the chip summary."""
import pandas as pd

from roma_pd.chip import load_chip
from roma_pd.report._chip import _fused_note, _width_note
from tests.conftest import REPO

CONFIG = REPO / "designs" / "chip" / "roma.yaml"


def _blocks(widths):
    return pd.DataFrame({"role": ["stdrom", "brom", "compute"],
                         "width": [widths[0], widths[1], 512]})


def test_width_note_only_when_the_chip_word_is_wider_than_every_rom_block():
    config = load_chip(CONFIG)          # tile width 256
    note = _width_note({"blocks": _blocks([32, 32])}, config)
    assert len(note) == 1 and "widest ROM block is 32 bits" in note[0]
    assert "taken as they are at 32 bits" in note[0]
    # several widths: the row terms are fitted, and extrapolated in width
    note = _width_note({"blocks": _blocks([32, 64])}, config)
    assert note == ["- The sweep's ROM blocks are 32, 64 bits wide and the chip's word is "
                    "256: the row and column terms of the store fits are extrapolated 4x "
                    "in width."]
    assert _width_note({"blocks": _blocks([256, 256])}, config) == []


def test_fused_note_only_for_a_wide_spread():
    assert _fused_note(pd.Series([1.0, 1.05])) == []
    assert _fused_note(pd.Series([1.2])) == []
    note = _fused_note(pd.Series([1.002, 1.834]))
    assert "1.002 to 1.834" in note[0]
