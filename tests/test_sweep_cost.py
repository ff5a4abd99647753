"""What a sweep cost, from its stored attempts."""
import json

import pandas as pd
import pytest

from roma_pd.sweep import SweepSpec, busy_seconds, sweep_cost

SPEC = SweepSpec(name="cost", variants=["rom"], depths=[32], widths=[16, 8], weight_bits=2,
                 mant_bits=11)


def test_busy_seconds_is_the_union_of_the_intervals():
    # two overlapping attempts (0-10, 5-12), one inside another (6-7), a gap, then 20-25
    assert busy_seconds([0, 5, 6, 20], [10, 12, 7, 25]) == 17
    assert busy_seconds([], []) == 0


def test_sweep_cost_per_width_and_speedup():
    minima = pd.DataFrame({"block": ["compute_32x8", "stdrom_32x8", "compute_32x16",
                                     "stdrom_32x16"], "width": [8, 8, 16, 16],
                           "finished": [True, True, False, False]})
    df = pd.DataFrame({
        "block": ["stdrom_32x8", "compute_32x8", "compute_32x8", "stdrom_32x16"],
        "started": [0.0, 0.0, 600.0, 3600.0], "finished": [300.0, 600.0, 1200.0, 3900.0],
        "metrics": [json.dumps({"time_total": 300.0}), json.dumps({"time_total": 600.0}),
                    json.dumps({"time_total": 540.0}), json.dumps({})]})
    cost = sweep_cost(df, SPEC, minima)
    per = cost.per_width.set_index("width")
    assert list(per.index) == [8, 16]
    assert per.loc[8, "blocks"] == 2 and per.loc[8, "finished"] == 2
    assert per.loc[8, "attempts"] == 3 and per.loc[8, "task_time_min"] == pytest.approx(24.0)
    # an attempt stored without its task time adds none, but its span is busy
    assert per.loc[16, "attempts"] == 1 and per.loc[16, "task_time_min"] == 0
    assert cost.task_min == pytest.approx(24.0)
    assert cost.busy_min == pytest.approx(25.0)          # 0-1200 s and 3600-3900 s
    assert cost.speedup == pytest.approx(24.0 / 25.0)
    none = sweep_cost(df.iloc[0:0], SPEC, minima)
    assert none.speedup is None and none.task_min == 0
    assert none.per_width["attempts"].sum() == 0
