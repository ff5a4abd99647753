"""Which of a sweep's block minima the chip fits may use."""
import pandas as pd

from roma_pd.sweep import complete_widths


def test_complete_widths_drop_half_finished_widths_and_say_why():
    minima = pd.DataFrame({"width": [32, 32, 64, 64, 128],
                           "finished": [True, True, True, False, False]})
    kept, why = complete_widths(minima)
    assert list(kept["width"]) == [32, 32]
    assert why[64].startswith("left out of every fit: 1 of its 2 blocks unfinished")
    assert why[128] == "left out of every fit: none of its 1 blocks finished"
    # with no complete width, every block is kept (finished ones carry the fit), and the
    # half-finished width is said to be fitted
    kept, why = complete_widths(minima[minima["width"] > 32])
    assert len(kept) == 3 and sorted(why) == [64, 128]
    assert why[64].startswith("fitted though 1 of its 2 blocks unfinished")


def test_a_minimum_at_the_search_ceiling_is_flagged():
    """A block passing at the highest density searched has only an upper bound on its
    minimum area; one that fails there is not flagged, nor is one with no minimum."""
    from roma_pd.sweep import SweepSpec, block_minima

    spec = SweepSpec(name="ceil", variants=["rom"], depths=[32], widths=[8], weight_bits=2,
                     mant_bits=11, search={"low": 0.4, "high": 0.6, "resolution": 0.1,
                                           "confirm": False, "placements": [0.9, 1.0, 1.1],
                                           "decide_early": False})
    rows = [("stdrom_32x8", d, "clean") for d in (0.4, 0.5, 0.6)]
    rows += [("compute_32x8", d, "clean" if d < 0.55 else "fail") for d in (0.4, 0.5, 0.6)]
    df = pd.DataFrame([(b, d, a, v) for b, d, v in rows for a in (0.9, 1.0, 1.1)],
                      columns=["block", "density", "aspect_ratio", "verdict"]).assign(
        core_area=100.0, die_area=120.0, metrics="{}", residual="[]")
    minima = block_minima(df, spec).set_index("block")
    assert minima.loc["stdrom_32x8", "at_ceiling"]
    assert not minima.loc["compute_32x8", "at_ceiling"]
    stuck = df.assign(verdict="fail")
    assert not block_minima(stuck, spec)["at_ceiling"].any()
