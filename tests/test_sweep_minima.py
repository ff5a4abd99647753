"""Which of a sweep's block minima the chip fits may use."""
import pandas as pd

from roma_pd.sweep import complete_widths


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
