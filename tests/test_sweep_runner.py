"""Verdicts over several placements, and the rounds of a sweep, with a fake flow."""
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from roma_pd.flow import STEPS, RunResult
from roma_pd.results import ResultStore, load
from roma_pd.sweep import (SchedulerSpec, block_minima, SearchSpec, SweepSpec, best_density, block_verdicts,
                           current_rows, density_rates, density_residue, missing_placements,
                           next_density, search_next,
                           pending_blocks, plan_blocks, run_sweep, search_starts,
                           verdict_of)
from roma_pd.sweep import _identity, _runner
from tests.conftest import REPO

PLACEMENTS = [0.98, 1.0, 1.02]
# every placement of a density runs (the rounds' mechanics); test_decide_early: the vote
# ends when it is decided
SEARCH = SearchSpec(low=0.4, high=0.6, resolution=0.1, confirm=False, placements=PLACEMENTS,
                    decide_early=False)


def _rows(*attempts):
    """One block's attempts as (density, aspect ratio, verdict)."""
    return pd.DataFrame(attempts, columns=["density", "aspect_ratio", "verdict"])


def test_density_rates():
    rows = _rows((0.5, 0.98, "clean"), (0.5, 1.0, "near_clean"), (0.5, 1.02, "fail"),
                 (0.4, 0.98, "clean"), (0.4, 1.0, "clean"))
    assert density_rates(rows, "clean") == {0.4: (2, 2), 0.5: (1, 3)}
    assert density_rates(rows, "near_clean") == {0.4: (2, 2), 0.5: (2, 3)}
    assert density_rates(rows.iloc[0:0], "clean") == {}


def test_density_residue():
    rows = pd.DataFrame([(0.5, 0.98, "fail", 7), (0.5, 1.0, "fail", 3),
                         (0.6, 0.98, "fail", None), (0.6, 1.0, "fail", 12),
                         (0.7, 0.98, "fail", float("nan"))],
                        columns=["density", "aspect_ratio", "verdict", "unrouted_nets"])
    # the fewest over a density's placements; a missing count is unknown, never 0
    assert density_residue(rows) == {0.5: 3, 0.6: 12, 0.7: None}
    assert density_residue(_rows((0.5, 0.98, "fail"))) == {}
    # the search reads them: nothing passed, 0.6 left more than 0.5, so no probe above
    search = SearchSpec(low=0.5, high=0.9, resolution=0.1, confirm=False,
                        placements=PLACEMENTS)
    tried = rows[rows["density"] < 0.65]
    assert search_next(tried, search, None) is None
    rising = tried.assign(unrouted_nets=[7, 3, None, 2])
    assert search_next(rising, search, None) == pytest.approx(0.8)


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


def test_warm_start_from_the_narrower_twin():
    spec = SweepSpec(name="warm", variants=["rom"], depths=[32], widths=[16, 8],
                     weight_bits=2, mant_bits=11,
                     search={**SEARCH.model_dump(), "warm_start": True})
    rows = [("stdrom_32x8", d, a, "clean" if d < 0.55 else "fail")
            for d in (0.4, 0.5, 0.6) for a in PLACEMENTS]
    rows += [("compute_32x8", 0.4, a, "clean") for a in PLACEMENTS]   # still searching
    stored = pd.DataFrame(rows, columns=["block", "density", "aspect_ratio", "verdict"])
    assert search_starts(stored, spec) == {"compute_32x8": None, "stdrom_32x8": None,
                                           "compute_32x16": None, "stdrom_32x16": 0.5}
    nxt = {b.name: d for b, d, _ in pending_blocks(stored, spec)}
    assert nxt == pytest.approx({"compute_32x8": 0.6, "compute_32x16": 0.4,
                                 "stdrom_32x16": 0.5})
    cold = spec.model_copy(update={"search": SEARCH})
    assert {b.name: d for b, d, _ in pending_blocks(stored, cold)}["stdrom_32x16"] == 0.4
    # the minima judge a block finished by the same warm search
    wide = [("stdrom_32x16", d, a, "clean" if d < 0.55 else "fail")
            for d in (0.5, 0.6) for a in PLACEMENTS]
    both = pd.concat([stored, pd.DataFrame(wide, columns=stored.columns)],
                     ignore_index=True).assign(core_area=100.0, die_area=120.0,
                                               metrics="{}", residual="[]")
    assert "stdrom_32x16" not in {b.name for b, _, _ in pending_blocks(both, spec)}
    minima = block_minima(both, spec).set_index("block")
    assert minima.loc["stdrom_32x16", "finished"]
    assert minima.loc["stdrom_32x16", "chosen_density"] == pytest.approx(0.5)
    assert not block_minima(both, cold).set_index("block").loc["stdrom_32x16", "finished"]
    # a narrower twin that found no minimum gives no start: the spec's start, or low
    stored.loc[stored["block"] == "stdrom_32x8", "verdict"] = "fail"
    assert search_starts(stored, spec)["stdrom_32x16"] is None
    guess = spec.model_copy(update={"search": spec.search.model_copy(
        update={"start": 0.5})})
    assert search_starts(stored, guess) == {"compute_32x8": 0.5, "stdrom_32x8": 0.5,
                                            "compute_32x16": 0.5, "stdrom_32x16": 0.5}


# -- rounds of a sweep, with a fake flow -------------------------------------------------

# a round in one job, whatever the machine's cores (test_round_split_into_jobs splits it)
SPEC = SweepSpec(name="fake", variants=["rom"], depths=[32], widths=[8], weight_bits=2,
                 mant_bits=11, search=SEARCH.model_dump(),
                 scheduler={"attempts_per_job": 64})


def _truth(config) -> bool:
    """Fake routability: stdrom routes everywhere; compute routes at 0.4 and, at 0.5,
    only at two of its three aspect ratios (a chaotic sample)."""
    if config.name.startswith("stdrom"):
        return True
    return config.density < 0.45 or (config.density < 0.55 and config.aspect_ratio != 1.02)


class _Flow:
    """Stands in for run_blocks: records the (block, density, aspect) of every attempt."""

    def __init__(self):
        self.rounds = []        # one list per job (a round is one job unless split)

    def __call__(self, configs, pdk, folder, job, design, quiet, scheduler=None,
                 on_block=None, **_):
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


def test_round_split_into_jobs(tmp_path, monkeypatch):
    """Jobs of four attempts: the round's six attempts run as two jobs, in order, the
    first job's stored before the second starts, with the rows of one job."""
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    stored_before = []
    real = ResultStore.rows

    def jobs(configs, *a, **kw):
        stored_before.append(len(real(ResultStore(tmp_path / "split" / "sweeps" / "fake"
                                                  / "results.db"))))
        return flow(configs, *a, **kw)
    monkeypatch.setattr(_runner, "run_blocks", jobs)
    split = SPEC.model_copy(update={"scheduler": SPEC.scheduler.model_copy(
        update={"attempts_per_job": 4})})
    db = run_sweep(split, None, tmp_path / "split", log=lambda *_: None).db
    assert [len(j) for j in flow.rounds[:2]] == [4, 2]
    assert stored_before[:2] == [0, 4]
    monkeypatch.setattr(_runner, "run_blocks", _Flow())
    whole = run_sweep(SPEC, None, tmp_path / "whole", log=lambda *_: None).db
    cols = ["key", "block", "density", "aspect_ratio", "verdict", "core_area"]
    a, b = (load(d, "fake", expand=False)[cols].sort_values("key").reset_index(drop=True)
            for d in (db, whole))
    assert a.equals(b)


@pytest.mark.parametrize("scheduler, attempts, size", [
    ({"name": "local", "maxnodes": 3}, 39, 6),
    ({"name": "local", "attempts_per_job": 5}, 39, 5),
    ({"name": "slurm", "queue": "debug"}, 39, 39),
    ({"name": "slurm", "attempts_per_job": 10}, 39, 10),
])
def test_job_size(scheduler, attempts, size):
    assert SchedulerSpec(**scheduler).job_size(attempts) == size


def test_local_job_size_follows_the_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert SchedulerSpec().job_size(39) == 16


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


# -- verdicts that fail closed ------------------------------------------------------------

_DONE = {f"status_{s}": "success" for s in STEPS}
_NEAR = {**_DONE, "status": "route_failed", "segment_completion": 0.9999, "opens": 0,
         "shorts": 0, "unrouted_nets": 5}


def test_verdict_clean_and_near_clean():
    assert verdict_of({**_DONE, "status": "ok"}, SPEC) == "clean"
    assert verdict_of(_NEAR, SPEC) == "near_clean"


@pytest.mark.parametrize("change", [{"opens": 1}, {"shorts": 2}, {"opens": None},
                                    {"shorts": None}, {"segment_completion": 0.99},
                                    {"segment_completion": None}, {"status_sta": "error"},
                                    {"unrouted_nets": 6}, {"unrouted_nets": None},
                                    {"status_route": "error", "segment_completion": 1.0}])
def test_verdict_near_clean_wrong(change):
    """Near-clean tolerates residue and DRC markers, never a broken or missing count."""
    assert verdict_of({**_NEAR, **change}, SPEC) == "fail"


def test_verdict_near_clean_caps():
    """Both caps hold: a ratio high enough does not excuse too many nets, nor the other
    way round; the absolute cap is the spec's."""
    assert verdict_of({**_NEAR, "unrouted_nets": 0}, SPEC) == "near_clean"
    assert verdict_of({**_NEAR, "unrouted_nets": 30, "segment_completion": 0.99999},
                      SPEC) == "fail"
    assert verdict_of({**_NEAR, "unrouted_nets": 1, "segment_completion": 0.9994},
                      SPEC) == "fail"
    wide = SPEC.model_copy(update={"search": SPEC.search.model_copy(
        update={"near_clean_max_nets": 30})})
    assert verdict_of({**_NEAR, "unrouted_nets": 30}, wide) == "near_clean"


def test_verdict_error():
    assert verdict_of({**_NEAR, "error": "step synth timed out after 1 s (timeout_s)"},
                      SPEC) == "error"
    assert verdict_of({"status": "ok", "error": "no manifest was written (x)"}, SPEC) == \
        "error"


# -- the attempt key ------------------------------------------------------------------------

def _spec_with(tmp_path, text, **kw):
    flow = tmp_path / "flow.yaml"
    flow.write_text(text)
    return SPEC.model_copy(update={"flow": str(flow), **kw})


def test_key_follows_what_decides_the_outcome(tmp_path, monkeypatch):
    base = (REPO / "flows" / "roma_tile.yaml").read_text()
    block = plan_blocks(SPEC)[0]

    def key(spec):
        return _runner._key(block, 0.5, 1.0, spec, _runner._identity(spec))

    k = key(_spec_with(tmp_path, base))
    # a comment or a reordering of the file is not a change of the flow
    assert key(_spec_with(tmp_path, "# tuned by hand\n" + base + "\n# end\n")) == k
    data = yaml.safe_load(base)
    assert key(_spec_with(tmp_path, yaml.safe_dump(data, sort_keys=True))) == k
    # a setting, the timeout, the task code: each changes it
    data["repair"]["rounds"] = data["repair"]["rounds"] + 1
    assert key(_spec_with(tmp_path, yaml.safe_dump(data))) != k
    assert key(_spec_with(tmp_path, base, timeout_s=SPEC.timeout_s + 1)) != k
    monkeypatch.setattr(_identity, "code_hash", lambda: "other code")
    assert key(_spec_with(tmp_path, base)) != k


# -- infrastructure errors: stored as error, retried on the next run ------------------------

class _FlakyFlow(_Flow):
    """The fake flow, but every attempt in ``broken`` fails as the infrastructure would."""

    def __init__(self, broken):
        super().__init__()
        self.broken = broken

    def __call__(self, configs, pdk, folder, job, design, quiet, scheduler=None,
                 on_block=None, **_):
        def report(i, result):
            if configs[i].name.split("_d")[0] in self.broken:
                result = RunResult("failed", "step synth timed out after 1 s (timeout_s); "
                                   "its log is kept", result.jobdir, None, None,
                                   {**result.row, "status": "failed"},
                                   error="step synth timed out after 1 s (timeout_s)")
            on_block(i, result)
        results = super().__call__(configs, pdk, folder, job, design, quiet, scheduler,
                                   report)
        return results


def test_error_attempts_retried(tmp_path, monkeypatch):
    log = []
    monkeypatch.setattr(_runner, "run_blocks", _FlakyFlow({"compute_32x8"}))
    run = run_sweep(SPEC, None, tmp_path, log=log.append)
    assert run.errors == 3          # compute's three placements at 0.4; its search waits
    frame = load(run.db, "fake", expand=False)
    errors = frame[frame["verdict"] == "error"]
    assert len(errors) == 3 and set(errors["block"]) == {"compute_32x8"}
    assert set(errors["message"]) == {"step synth timed out after 1 s (timeout_s)"}
    assert any(": error (step synth timed out after 1 s (timeout_s))" in m for m in log)
    assert "roma-pd: compute_32x8: search not ended (rerun to resume)" in log
    assert not any(m.startswith("roma-pd: compute_32x8: minimum area") for m in log)
    assert "compute_32x8" not in set(current_rows(frame, SPEC)["block"])
    # the fault is gone: the next run retries exactly those, replacing their rows
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    again = run_sweep(SPEC, None, tmp_path, log=lambda *_: None)
    assert again.errors == 0
    assert sorted(flow.rounds[0]) == sorted((f"compute_32x8_d400_a{a}", 0.4, x) for a, x in
                                            (("098", 0.98), ("100", 1.0), ("102", 1.02)))
    frame = load(run.db, "fake", expand=False)
    assert frame["key"].is_unique and "error" not in set(frame["verdict"])
    assert pending_blocks(current_rows(frame, SPEC), SPEC) == []


def test_finished_blocks_stored_before_the_round_ends(tmp_path, monkeypatch):
    """A sweep killed while a round's slowest block runs keeps the finished ones."""
    def killed(configs, pdk, folder, job, design, quiet, scheduler=None, on_block=None,
               **_):
        def one(i, result):
            on_block(i, result)
            if i == 1:
                raise KeyboardInterrupt     # the rest of the round never ends
        _Flow()(configs, pdk, folder, job, design, quiet, scheduler, one)

    monkeypatch.setattr(_runner, "run_blocks", killed)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(SPEC, None, tmp_path, log=lambda *_: None)
    frame = load(tmp_path / "sweeps" / "fake" / "results.db", "fake", expand=False)
    assert len(frame) == 2


def test_code_hash_ignores_comments_and_docstrings(tmp_path):
    plain = tmp_path / "a.py"
    plain.write_text("def f(x):\n    return x + 1\n")
    noted = tmp_path / "b.py"
    noted.write_text('"""A module."""\n# why\ndef f(x):\n    """Add one."""\n'
                     '    return x + 1  # one\n')
    changed = tmp_path / "c.py"
    changed.write_text("def f(x):\n    return x + 2\n")
    assert _identity._code(plain) == _identity._code(noted) != _identity._code(changed)


# -- resuming from the committed export (issue 15) ----------------------------------------

def test_resume_from_export_on_an_empty_build(tmp_path, monkeypatch):
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    export = tmp_path / "reports" / "fake" / "results.jsonl"
    first = run_sweep(SPEC, None, tmp_path / "machine1", log=lambda *_: None, export=export)
    ran = sum(len(r) for r in flow.rounds)
    assert ran and len(export.read_text().splitlines()) == ran
    assert str(tmp_path) not in export.read_text()      # logs relative to the sweep folder
    # another machine: empty build folder, the export only; nothing is rerun
    flow.rounds.clear()
    second = run_sweep(SPEC, None, tmp_path / "machine2", log=lambda *_: None, export=export)
    assert flow.rounds == []
    a = ResultStore(first.db, readonly=True).rows("fake")
    b = ResultStore(second.db, readonly=True).rows("fake")
    assert len(b) == ran and [r["key"] for r in a] == [r["key"] for r in b]
    assert [{k: v for k, v in r.items() if k not in ("log", "metrics")} for r in a] == \
        [{k: v for k, v in r.items() if k not in ("log", "metrics")} for r in b]
    # machine 2 writes back the same export (its rows are machine 1's, made relative)
    assert ResultStore(second.db).export(tmp_path / "again.jsonl", "fake").read_bytes() \
        == export.read_bytes()


def test_interrupted_export_resumes_only_the_rest(tmp_path, monkeypatch):
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    export = tmp_path / "results.jsonl"
    add, stored = ResultStore.add, []

    def killed_after_four(self, row):        # the sweep dies while storing round 1
        if len(stored) == 4:
            raise KeyboardInterrupt
        stored.append(row["key"])
        return add(self, row)

    monkeypatch.setattr(ResultStore, "add", killed_after_four)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(SPEC, None, tmp_path / "machine1", log=lambda *_: None, export=export)
    monkeypatch.setattr(ResultStore, "add", add)
    # the progress so far is in the export, written as each block was stored
    assert len(export.read_text().splitlines()) == 4
    flow.rounds.clear()
    run_sweep(SPEC, None, tmp_path / "machine2", log=lambda *_: None, export=export)
    # of round 1 only compute's two unstored placements run again (stdrom, finished at
    # 0.4, goes on to its next density)
    assert [a for a in flow.rounds[0] if a[1] == 0.4] == [
        ("compute_32x8_d400_a100", 0.4, 1.0), ("compute_32x8_d400_a102", 0.4, 1.02)]
    full = ResultStore(tmp_path / "machine2" / "sweeps" / "fake" / "results.db").rows()
    assert set(stored) <= {r["key"] for r in full}
    assert len(export.read_text().splitlines()) == len(full)


# -- a density's vote ends when it is decided ---------------------------------------------

@pytest.mark.parametrize("pass_rate, passed, tried, verdict, more", [
    (2 / 3, 0, 0, None, 2),         # two agreeing placements can decide 2 of 3
    (2 / 3, 2, 2, True, 0),
    (2 / 3, 0, 2, False, 0),
    (2 / 3, 1, 2, None, 1),         # a split: the third breaks it
    (2 / 3, 2, 3, True, 0),
    (1.0, 0, 0, None, 1),           # all must pass: one failure decides
    (1.0, 0, 1, False, 0),
    (1.0, 2, 2, None, 1),
    (0.3, 0, 0, None, 1),           # one pass decides
    (0.3, 0, 2, None, 1),
    (0.3, 0, 3, False, 0),
])
def test_vote(pass_rate, passed, tried, verdict, more):
    search = SEARCH.model_copy(update={"pass_rate": pass_rate, "decide_early": True})
    assert search.vote(passed, tried) is verdict
    assert search.to_run(passed, tried) == more
    # without decide_early, only every placement decides
    full = search.model_copy(update={"decide_early": False})
    assert full.vote(passed, tried) is (None if tried < 3 else passed >= full.needed)
    assert full.to_run(passed, tried) == 3 - tried


def test_decide_early(tmp_path, monkeypatch):
    """The fake compute block at 0.5 passes at 0.98 and 1.0 and fails at 1.02: listed
    with 1.02 second, its first two placements split and the third decides. The minima
    are those of running every placement, from fewer attempts."""
    order = SEARCH.model_copy(update={"placements": [0.98, 1.02, 1.0]})
    full = SPEC.model_copy(update={"search": order})
    early = SPEC.model_copy(update={"search": order.model_copy(
        update={"decide_early": True})})
    flow = _Flow()
    monkeypatch.setattr(_runner, "run_blocks", flow)
    db = run_sweep(early, None, tmp_path / "early", log=lambda *_: None).db
    assert sorted(flow.rounds[0]) == sorted(
        (f"{b}_d400_a{a}", 0.4, x) for b in ("compute_32x8", "stdrom_32x8")
        for a, x in (("098", 0.98), ("102", 1.02)))
    df = current_rows(load(db, "fake", expand=False), early)
    compute = df[df["block"] == "compute_32x8"]
    assert density_rates(compute, "clean") == {0.4: (2, 2), 0.5: (2, 3), 0.6: (0, 2)}
    tie = [r for r in flow.rounds if ("compute_32x8_d500_a100", 0.5, 1.0) in r]
    assert len(tie) == 1 and flow.rounds.index(tie[0]) > 0    # after the split
    assert pending_blocks(df, early) == []
    monkeypatch.setattr(_runner, "run_blocks", _Flow())
    whole = run_sweep(full, None, tmp_path / "full", log=lambda *_: None).db
    dw = current_rows(load(whole, "fake", expand=False), full)
    assert len(df) < len(dw)
    cols = ["block", "chosen_density", "chosen_core_area", "finished"]
    assert block_minima(df, early)[cols].equals(block_minima(dw, full)[cols])


def test_reported_rows_of_an_empty_export(tmp_path):
    """A sweep restarted on a new flow has an empty export: its report keeps every
    column (a list of no booleans would select no columns at all)."""
    export = tmp_path / "results.jsonl"
    export.write_text("")
    frame = load(export, "fake", expand=False)
    rows = _runner.reported_rows(frame, SPEC)
    assert rows.empty and list(rows.columns) == list(frame.columns)
    assert "aspect_ratio" in rows.columns
