"""Verdicts over several placements, and the rounds of a sweep, with a fake flow."""
from pathlib import Path

import pandas as pd
import pytest

from roma_pd.flow import RunResult
from roma_pd.results import ResultStore, load
from roma_pd.sweep import (SearchSpec, SweepSpec, best_density, block_verdicts,
                           current_rows, density_rates, missing_placements, next_density,
                           pending_blocks, plan_blocks, run_sweep)
from roma_pd.sweep import _runner

PLACEMENTS = [0.98, 1.0, 1.02]
SEARCH = SearchSpec(low=0.4, high=0.6, resolution=0.1, confirm=False, placements=PLACEMENTS)


def _rows(*attempts):
    """One block's attempts as (density, aspect ratio, verdict)."""
    return pd.DataFrame(attempts, columns=["density", "aspect_ratio", "verdict"])


def test_density_rates():
    rows = _rows((0.5, 0.98, "clean"), (0.5, 1.0, "near_clean"), (0.5, 1.02, "fail"),
                 (0.4, 0.98, "clean"), (0.4, 1.0, "clean"))
    assert density_rates(rows, "clean") == {0.4: (2, 2), 0.5: (1, 3)}
    assert density_rates(rows, "near_clean") == {0.4: (2, 2), 0.5: (2, 3)}
    assert density_rates(rows.iloc[0:0], "clean") == {}


def test_pass_rate_threshold():
    rows = _rows((0.5, 0.98, "clean"), (0.5, 1.0, "clean"), (0.5, 1.02, "fail"),
                 (0.6, 0.98, "clean"), (0.6, 1.0, "fail"), (0.6, 1.02, "fail"))
    # the default 2/3: one chaotic sample neither passes nor fails a density
    assert block_verdicts(rows, "clean", SEARCH) == {0.5: True, 0.6: False}
    strict = SEARCH.model_copy(update={"pass_rate": 1.0})
    assert block_verdicts(rows, "clean", strict) == {0.5: False, 0.6: False}
    lax = SEARCH.model_copy(update={"pass_rate": 0.3})
    assert block_verdicts(rows, "clean", lax) == {0.5: True, 0.6: True}
    # 0.67 is more than 2/3: all three must pass
    assert SEARCH.model_copy(update={"pass_rate": 0.67}).needed == 3
    assert SEARCH.needed == 2


def test_partial_density_counts_as_untried():
    # a killed round stored two of the three placements at 0.6
    rows = _rows((0.4, 0.98, "clean"), (0.4, 1.0, "clean"), (0.4, 1.02, "clean"),
                 (0.6, 0.98, "clean"), (0.6, 1.02, "clean"))
    verdicts = block_verdicts(rows, "clean", SEARCH)
    assert verdicts == {0.4: True}                   # 2 of 2 stored is no verdict yet
    assert next_density(verdicts, SEARCH) == pytest.approx(0.6)   # so it is resumed
    assert missing_placements(rows, 0.6, SEARCH) == [1.0]
    assert missing_placements(rows, 0.4, SEARCH) == []
    assert missing_placements(rows, 0.5, SEARCH) == [0.98, 1.0, 1.02]


def test_confirm_with_rates():
    search = SearchSpec(low=0.4, high=0.8, resolution=0.05, confirm=True,
                        placements=PLACEMENTS)
    a = search.placements

    def density(d, passing):
        return [(d, x, "clean" if i < passing else "fail") for i, x in enumerate(a)]

    # 0.6 passes 2/3 but 0.55 only 1/3: 0.6 does not count, 0.5 (3/3) confirmed by 0.45
    rows = _rows(*density(0.4, 3), *density(0.45, 3), *density(0.5, 3),
                 *density(0.55, 1), *density(0.6, 2), *density(0.65, 0))
    verdicts = block_verdicts(rows, "clean", search)
    assert verdicts == {0.4: True, 0.45: True, 0.5: True, 0.55: False, 0.6: True,
                        0.65: False}
    assert best_density(verdicts, search) == pytest.approx(0.5)
    assert next_density(verdicts, search) is None
    # the confirming neighbour is partial: not yet a confirmation, so it is run
    rows = _rows(*density(0.4, 3), *density(0.5, 2), *density(0.55, 1),
                 *density(0.45, 3)[:1])
    verdicts = block_verdicts(rows, "clean", search)
    assert verdicts == {0.4: True, 0.5: True, 0.55: False}
    assert next_density(verdicts, search) == pytest.approx(0.45)
    assert best_density(verdicts, search) == pytest.approx(0.4)     # 0.5 unconfirmed


# -- rounds of a sweep, with a fake flow -------------------------------------------------

SPEC = SweepSpec(name="fake", variants=["rom"], depths=[32], widths=[8], weight_bits=2,
                 mant_bits=11, search=SEARCH.model_dump())


def _truth(config) -> bool:
    """Fake routability: stdrom routes everywhere; compute routes at 0.4 and, at 0.5,
    only at two of its three aspect ratios (a chaotic sample)."""
    if config.name.startswith("stdrom"):
        return True
    return config.density < 0.45 or (config.density < 0.55 and config.aspect_ratio != 1.02)


class _Flow:
    """Stands in for run_blocks: records the (block, density, aspect) of every attempt."""

    def __init__(self):
        self.rounds = []

    def __call__(self, configs, pdk, folder, job, design, quiet, scheduler=None,
                 on_block=None):
        self.rounds.append([(c.name, c.density, c.aspect_ratio) for c in configs])
        names = [c.name for c in configs]
        assert len(set(names)) == len(names), "node names are unique"
        results = []
        for i, c in enumerate(configs):
            status = "ok" if _truth(c) else "route_failed"
            results.append(RunResult(status, "fake", Path(folder), None, None, {
                "status": status, "jobdir": str(folder), "index": str(i),
                "core_area": 100.0 * c.aspect_ratio, "totalarea": 120.0,
                "cells": 10 if c.name.startswith("stdrom") else 40,
                "time_total": 2.0 if c.name.startswith("stdrom") else 5.0}))
            if on_block:        # as run_blocks: each block as soon as it is over
                on_block(i, results[-1])
        return results


def test_round_runs_every_placement_side_by_side(tmp_path, monkeypatch):
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    db = run_sweep(SPEC, None, tmp_path, log=lambda *_: None).db
    first = flow.rounds[0]
    assert sorted(first) == sorted(
        (f"{b}_d400_a{a}", 0.4, x) for b in ("compute_32x8", "stdrom_32x8")
        for a, x in (("098", 0.98), ("100", 1.0), ("102", 1.02)))
    df = current_rows(load(db, "fake", expand=False), SPEC)
    assert df["key"].is_unique
    per = df.groupby(["block", "density"])["aspect_ratio"].agg(sorted)
    assert all(a == [0.98, 1.0, 1.02] for a in per)
    compute = df[df["block"] == "compute_32x8"]
    assert density_rates(compute, "clean") == {0.4: (3, 3), 0.5: (2, 3), 0.6: (0, 3)}
    assert best_density(block_verdicts(compute, "clean", SEARCH), SEARCH) == 0.5
    assert pending_blocks(df, SPEC) == []


def test_resume_runs_only_missing_placements(tmp_path, monkeypatch):
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    add, stored = ResultStore.add, []

    def killed_after_four(self, row):        # the sweep dies while storing round 1
        if len(stored) == 4:
            raise KeyboardInterrupt
        stored.append((row["block"], row["density"], row["aspect_ratio"]))
        return add(self, row)

    monkeypatch.setattr(ResultStore, "add", killed_after_four)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(SPEC, None, tmp_path, log=lambda *_: None)
    monkeypatch.setattr(ResultStore, "add", add)
    df = current_rows(load(tmp_path / "sweeps" / "fake" / "results.db", "fake",
                           expand=False), SPEC)
    pending = pending_blocks(df, SPEC)
    left = {(b.name, d): missing for b, d, missing in pending}
    # stdrom's three placements were stored, compute's first one only
    assert [(b, d) for b, d, _ in stored] == [("stdrom_32x8", 0.4)] * 3 + \
        [("compute_32x8", 0.4)]
    assert left == {("compute_32x8", 0.4): [1.0, 1.02],
                    ("stdrom_32x8", 0.6): [0.98, 1.0, 1.02]}

    flow.rounds.clear()
    log = []
    run_sweep(SPEC, None, tmp_path, log=log.append)
    first = {(n.split("_d")[0], d, a) for n, d, a in flow.rounds[0]}
    assert first == {("compute_32x8", 0.4, 1.0), ("compute_32x8", 0.4, 1.02),
                     *(("stdrom_32x8", 0.6, a) for a in SEARCH.placements)}
    ran = {(n.split("_d")[0], d, a) for r in flow.rounds for n, d, a in r}
    assert not ran & set(stored), "a stored placement is never run again"
    df = current_rows(load(tmp_path / "sweeps" / "fake" / "results.db", "fake",
                           expand=False), SPEC)
    assert df["key"].is_unique
    assert not df.duplicated(["block", "density", "aspect_ratio"]).any()
    assert (df.groupby(["block", "density"]).size() == 3).all()
    assert "roma-pd: compute_32x8: minimum area at density 0.500 (2/3 placements " \
           "clean)" in log


def test_current_rows_drops_unlisted_placements(tmp_path, monkeypatch):
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    db = run_sweep(SPEC, None, tmp_path, log=lambda *_: None).db
    frame = load(db, "fake", expand=False)
    other = SPEC.model_copy(update={"search": SEARCH.model_copy(
        update={"placements": [0.9, 1.0, 1.1]})})
    kept = current_rows(frame, other)
    assert set(kept["aspect_ratio"]) == {1.0}
    # with two of three placements gone, no density has a verdict: the search restarts
    assert all(len(m) == 2 for _, _, m in pending_blocks(kept, other))
    assert {b.name for b in plan_blocks(SPEC)} == {"compute_32x8", "stdrom_32x8"}
