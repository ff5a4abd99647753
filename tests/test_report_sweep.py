"""The sweep report's wording of the paper's claims, on synthetic tile tables."""
import pandas as pd

from roma_pd.report._sweep import _claims, _unfinished


def _tiles(rows):
    return pd.DataFrame(rows, columns=["variant", "depth", "width", "tile_area"])


def _minima(rows):
    return pd.DataFrame(rows, columns=["role", "depth", "width", "chosen_core_area",
                                       "chosen_density", "finished"])


def test_brom_tile_smaller_supports_direction_not_size():
    tiles = _tiles([("rom", 64, 32, 100.0), ("brom", 64, 32, 95.0),
                    ("rom", 128, 32, 200.0), ("brom", 128, 32, 180.0)])
    text = "\n".join(_claims(tiles, _minima([])))
    assert "5.0% to 10.0% smaller" in text
    assert "supports the direction of the claim, not its size." in text


def test_sign_change_is_neither_support_nor_contradiction():
    tiles = _tiles([("rom", 64, 32, 100.0), ("brom", 64, 32, 101.0),
                    ("rom", 128, 32, 200.0), ("brom", 128, 32, 190.0)])
    text = "\n".join(_claims(tiles, _minima([])))
    assert "-1.0% to 5.0%" in text and "neither supports nor contradicts" in text
    assert "not its size" not in text


def test_fused_larger_contradicts_and_ranges_by_width():
    tiles = _tiles([("brom", 64, 32, 100.0), ("fused", 64, 32, 110.0),
                    ("brom", 64, 64, 200.0), ("fused", 64, 64, 240.0)])
    text = "\n".join(_claims(tiles, _minima([])))
    assert "contradicts the paper's fused-cell claim" in text
    assert "By width: W=32: -10.0% to -10.0%; W=64: -20.0% to -20.0%." in text


def test_block_claim_and_unfinished_widths():
    minima = _minima([("stdrom", 64, 32, 100.0, 0.8, True),
                      ("brom", 64, 32, 90.0, 0.8, True),
                      ("stdrom", 64, 64, None, None, False),
                      ("brom", 64, 128, None, None, False)])
    text = "\n".join(_claims(_tiles([]), minima))
    assert "B-ROM block's minimum area is 10.0% to 10.0% smaller" in text
    note = _unfinished(minima)[0]
    assert note.startswith("Not finished: 2 blocks of width 64, 128")
    assert _unfinished(minima[minima["finished"]]) == []
