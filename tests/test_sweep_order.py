"""A round's attempts run longest first, by the stored task times."""
import json

import pandas as pd

from roma_pd.sweep import plan_blocks
from roma_pd.sweep._order import expected_time, longest_first
from tests.test_sweep_runner import SPEC

WIDE = SPEC.model_copy(update={"widths": [8, 16]})


def _stored(*rows):
    """(block, time_total) rows as a store frame holds them."""
    return pd.DataFrame([(b, json.dumps({"time_total": t})) for b, t in rows],
                        columns=["block", "metrics"])


def test_expected_time():
    blocks = {b.name: b for b in plan_blocks(WIDE)}
    stored = _stored(("stdrom_32x8", 2.0), ("stdrom_32x8", 4.0), ("compute_32x8", 50.0))
    assert expected_time(blocks["stdrom_32x8"], stored, list(blocks.values())) == 3.0
    # no attempt of its own: the narrower twin's, scaled by the width ratio
    assert expected_time(blocks["stdrom_32x16"], stored, list(blocks.values())) == 6.0
    assert expected_time(blocks["stdrom_32x16"], stored.iloc[0:0],
                         list(blocks.values())) is None
    broken = pd.DataFrame([("stdrom_32x8", "{}")], columns=["block", "metrics"])
    assert expected_time(blocks["stdrom_32x8"], broken, list(blocks.values())) is None


def test_longest_first():
    blocks = plan_blocks(WIDE)
    by = {b.name: b for b in blocks}
    attempts = [(by[n], 0.5, a) for n in ("stdrom_32x16", "compute_32x16", "stdrom_32x8")
                for a in (0.9, 1.0)]
    stored = _stored(("stdrom_32x8", 2.0), ("compute_32x16", 50.0))
    order = [(b.name, a) for b, _, a in longest_first(attempts, stored, blocks)]
    assert order == [("compute_32x16", 0.9), ("compute_32x16", 1.0),
                     ("stdrom_32x16", 0.9), ("stdrom_32x16", 1.0),
                     ("stdrom_32x8", 0.9), ("stdrom_32x8", 1.0)]
    # nothing stored: the plan's order
    assert longest_first(attempts, stored.iloc[0:0], blocks) == attempts


def test_sweep_rounds_run_longest_first(tmp_path, monkeypatch):
    from roma_pd.sweep import _runner, run_sweep
    from tests.test_sweep_runner import _Flow

    flow = _Flow()          # its compute block takes 5 s, its ROM block 2 s
    monkeypatch.setattr(_runner, "run_blocks", flow)
    run_sweep(SPEC, None, tmp_path, log=lambda *_: None)
    assert flow.rounds[0][0][0].startswith("stdrom")       # nothing stored: plan order
    later = [[n.split("_d")[0] for n, _, _ in r] for r in flow.rounds[1:]]
    both = [names for names in later if {"stdrom_32x8", "compute_32x8"} <= set(names)]
    assert both and all(names[0] == "compute_32x8" for names in both), later
