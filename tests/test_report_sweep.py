"""The sweep report's wording of the paper's claims, on synthetic tile tables."""
import pandas as pd

from roma_pd.report import sweep_report
from roma_pd.report._sweep import _claims, _unfinished, _unroutable, ceiling_note, density_table
from roma_pd.sweep import block_minima, unroutable_blocks
from roma_pd.results import load
from roma_pd.sweep import _runner, current_rows, run_sweep
from tests.test_sweep_runner import SPEC, _Flow


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


def _fake_sweep(tmp_path, monkeypatch):
    monkeypatch.setattr(_runner, "run_blocks", _Flow())
    return run_sweep(SPEC, None, tmp_path, log=lambda *_: None).db


def test_rates_beside_the_minimum(tmp_path, monkeypatch):
    db = _fake_sweep(tmp_path, monkeypatch)
    df = current_rows(load(db, SPEC.name, expand=False), SPEC)
    minima = block_minima(df, SPEC).set_index("block")
    compute = minima.loc["compute_32x8"]
    assert compute["chosen_density"] == 0.5
    assert (compute["clean_passed"], compute["clean_tried"]) == (2, 3)
    assert (compute["chosen_passed"], compute["chosen_tried"]) == (2, 3)
    # the area at the minimum is its smallest passing placement's (1.02 failed)
    assert compute["aspect_ratio"] == 0.98 and compute["chosen_core_area"] == 98.0
    assert minima.loc["stdrom_32x8", "clean_passed"] == 3
    # a block with no passing density has no minimum and no rate
    failed = df.assign(verdict=["fail" if b == "compute_32x8" else v
                                for b, v in zip(df["block"], df["verdict"])])
    none = block_minima(failed, SPEC).set_index("block").loc["compute_32x8"]
    assert none["finished"]
    assert none[["chosen_density", "clean_passed", "chosen_core_area"]].isna().all()
    table = density_table(df, SPEC, block_minima(df, SPEC)).set_index("block")
    assert list(table.columns) == ["0.4", "0.5", "0.6"]
    assert list(table.loc["compute_32x8"]) == ["3/3", "**2/3**", "0/3"]
    assert list(table.loc["stdrom_32x8"]) == ["3/3", "", "**3/3**"]
    # an interrupted search (0.6 not run) has a best density so far, but no minimum
    cut = df[~((df["block"] == "compute_32x8") & (df["density"] > 0.55))]
    table = density_table(cut, SPEC, block_minima(cut, SPEC)).set_index("block")
    assert list(table.loc["compute_32x8"]) == ["3/3", "2/3", ""]


def test_unroutable_block_reported_with_its_residue(tmp_path, monkeypatch):
    db = _fake_sweep(tmp_path, monkeypatch)
    df = current_rows(load(db, SPEC.name, expand=False), SPEC)
    # both blocks found a minimum
    assert unroutable_blocks(df, block_minima(df, SPEC)).empty
    # compute_32x8 fails at every density: its search ends with no minimum
    failed = df.assign(verdict=["fail" if b == "compute_32x8" else v
                                for b, v in zip(df["block"], df["verdict"])],
                       shorts=[3 if b == "compute_32x8" else 0 for b in df["block"]])
    stuck = unroutable_blocks(failed, block_minima(failed, SPEC))
    assert list(stuck["block"]) == ["compute_32x8"] * 3
    assert list(stuck["aspect_ratio"]) == [0.98, 1.0, 1.02]
    assert (stuck["density"] == 0.4).all() and (stuck["shorts"] == 3).all()
    assert (stuck["verdict"] == "fail").all()
    text = "\n".join(_unroutable(stuck, SPEC))
    assert text.startswith("### Blocks with no routable density (1)")
    assert "passed clean for `compute_32x8`: no minimum, so no tile" in text
    assert "| compute_32x8 | 0.40 | 1.02 | fail |" in text
    # an unfinished block (its search goes on) is not called unroutable
    partial = failed[failed["aspect_ratio"] != 1.02]
    assert unroutable_blocks(partial, block_minima(partial, SPEC)).empty
    assert _unroutable(unroutable_blocks(df, block_minima(df, SPEC)), SPEC) == []


def test_report_shows_rates(tmp_path, monkeypatch, pdk):
    db = _fake_sweep(tmp_path, monkeypatch)
    sweep_report(SPEC, db, pdk, tmp_path / "report")
    text = (tmp_path / "report" / "summary.md").read_text()
    assert "at 3 core aspect ratios (height / width: 0.98, 1, 1.02) and passes when at " \
           "least 2 of them pass" in text
    assert f"routed at least {SPEC.search.near_clean_completion:.2%} of the track segments " \
           f"(relative cap) and left at most {SPEC.search.near_clean_max_nets} nets " \
           "unrouted (absolute cap)" in text
    assert "| compute_32x8 | True | 9 | 0.500 | 2/3 | 98.0 | 0.500 | 2/3 |" in text
    assert "| compute_32x8 | 3/3 | **2/3** | 0/3 |" in text
    attempts = pd.read_csv(tmp_path / "report" / "attempts.csv")
    assert sorted(set(attempts["aspect_ratio"])) == [0.98, 1.0, 1.02]
    # logs are named relative to the sweep folder: a committed report names no machine
    assert all(log.startswith("route/") and log.endswith("/route.log")
               for log in attempts["log"])
    blocks = pd.read_csv(tmp_path / "report" / "blocks.csv").set_index("block")
    assert blocks.loc["compute_32x8", ["clean_passed", "clean_tried"]].tolist() == [2, 3]
    # the HTML page is rendered Markdown: bold, code, every table in its scrolling box
    page = (tmp_path / "report" / "summary.html").read_text()
    assert "<strong>Clean</strong>" in page and "<code>attempts.csv</code>" in page
    assert "**" not in page
    assert page.count('<div class="table-box"><table>') == page.count("<table>") > 0


def test_ceiling_note_names_the_blocks_at_the_search_ceiling():
    minima = pd.DataFrame({"block": ["brom_64x32", "brom_512x32", "fused_512x32"],
                           "at_ceiling": [True, False, None]})
    note = ceiling_note(minima, SPEC)
    assert len(note) == 2 and "`brom_64x32`" in note[0]
    assert "brom_512x32" not in note[0] and "upper bound" in note[0]
    assert f"density {SPEC.search.high:g}" in note[0]
    assert ceiling_note(minima.assign(at_ceiling=False), SPEC) == []
    assert ceiling_note(minima.drop(columns="at_ceiling"), SPEC) == []
