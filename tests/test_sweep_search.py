"""The density search (sweep/_search.py): worked cases and a property test over any
router, monotonic or not."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roma_pd.sweep import SearchSpec, best_density, next_density


def _run(truth, start=None, **kw):
    spec = SearchSpec(**kw)
    verdicts = {}
    while (d := next_density(verdicts, spec, start)) is not None:
        assert d not in verdicts, "a density is never tried twice"
        verdicts[d] = truth(d)
    return verdicts, best_density(verdicts, spec)


def test_monotonic_bisection():
    verdicts, best = _run(lambda d: d <= 0.62, low=0.3, high=0.85, resolution=0.025)
    assert best == pytest.approx(0.6)
    assert len(verdicts) <= 7


def test_confirm_rejects_a_lucky_pass():
    # passes at 0.6 but not at 0.575 (non-monotonic): 0.6 does not count
    truth = {0.3: True, 0.45: True, 0.5: True, 0.525: True, 0.55: True, 0.575: False,
             0.6: True}
    verdicts, best = _run(lambda d: truth.get(round(d, 3), False), low=0.3, high=0.85,
                          resolution=0.025)
    assert best == pytest.approx(0.55)
    assert verdicts[0.575] is False and verdicts[0.55] is True


def test_without_confirm_takes_the_pass():
    truth = {0.3: True, 0.45: True, 0.5: True, 0.525: True, 0.55: True, 0.575: False,
             0.6: True}
    _, best = _run(lambda d: truth.get(round(d, 3), False), low=0.3, high=0.85,
                   resolution=0.025, confirm=False)
    assert best == pytest.approx(0.6)


def test_edges():
    verdicts, best = _run(lambda d: False, low=0.3, high=0.8, resolution=0.05)
    assert best is None and verdicts[0.8] is False      # probed up to high
    assert sorted(verdicts) == [0.3, 0.55, 0.7, 0.75, 0.8]
    _, best = _run(lambda d: True, low=0.3, high=0.8, resolution=0.05)
    assert best == pytest.approx(0.8)


def test_failing_low_end_probes_upward():
    # sparse placements fail (long wires), a middle band routes, dense ones fail
    verdicts, best = _run(lambda d: 0.55 <= d <= 0.7, low=0.4, high=0.85,
                          resolution=0.05)
    assert verdicts[0.4] is False and best == pytest.approx(0.7)
    assert verdicts[0.65] is True                       # confirmed one step below
    assert len(verdicts) <= 6


def test_warm_start_close_guess_takes_three_densities():
    # the boundary is at 0.6; from low the bisection tries five densities
    cold, best = _run(lambda d: d <= 0.6 + 1e-9, low=0.4, high=0.85, resolution=0.05)
    assert best == pytest.approx(0.6) and len(cold) == 5
    for start, tried in ((0.6, [0.55, 0.6, 0.65]), (0.65, [0.55, 0.6, 0.65])):
        warm, best = _run(lambda d: d <= 0.6 + 1e-9, start, low=0.4, high=0.85,
                          resolution=0.05)
        assert best == pytest.approx(0.6) and sorted(warm) == pytest.approx(tried)


def test_warm_start_walks_outward_from_a_far_guess():
    # passes up to 0.75, guess 0.45: up by 1, 1, 2, 4 steps (0.5, 0.55, 0.65, 0.85), then
    # the bracket [0.65, 0.85] is bisected
    verdicts, best = _run(lambda d: d <= 0.75 + 1e-9, 0.45, low=0.4, high=0.85,
                          resolution=0.05)
    assert best == pytest.approx(0.75)
    assert list(verdicts)[:5] == pytest.approx([0.45, 0.5, 0.55, 0.65, 0.85])
    # fails above 0.45, guess 0.7: down by 1, 1, 2 steps (0.65, 0.6, 0.5), then low
    verdicts, best = _run(lambda d: d <= 0.45 + 1e-9, 0.7, low=0.4, high=0.85,
                          resolution=0.05)
    assert best == pytest.approx(0.45)
    assert list(verdicts) == pytest.approx([0.7, 0.65, 0.6, 0.5, 0.4, 0.45])
    # nothing routes: down to low, then the upward probe as without a guess
    verdicts, best = _run(lambda d: False, 0.6, low=0.4, high=0.85, resolution=0.05)
    assert best is None and verdicts[0.4] is False and verdicts[0.85] is False


def test_warm_start_outside_the_bracket_is_clamped():
    verdicts, best = _run(lambda d: True, 0.95, low=0.4, high=0.85, resolution=0.05)
    assert list(verdicts)[0] == pytest.approx(0.85) and best == pytest.approx(0.85)
    verdicts, best = _run(lambda d: d <= 0.5 + 1e-9, 0.1, low=0.4, high=0.85,
                          resolution=0.05)
    assert list(verdicts)[0] == pytest.approx(0.4) and best == pytest.approx(0.5)


def test_search_wrong():
    from pydantic import ValidationError
    with pytest.raises(ValidationError) as exc:
        SearchSpec(low=0.6, high=0.5)
    assert [e["msg"] for e in exc.value.errors()] == [
        "Value error, search.low must be below search.high (0.5), not 0.6"]
    with pytest.raises(ValidationError) as exc:
        SearchSpec(low=0.3, high=0.85, start=0.9)
    assert [e["msg"] for e in exc.value.errors()] == [
        "Value error, search.start must lie between search.low (0.3) and search.high "
        "(0.85), not 0.9"]


@st.composite
def _searches(draw):
    resolution = draw(st.sampled_from([0.025, 0.05, 0.1]))
    low = draw(st.integers(2, 6)) * 0.05
    high = draw(st.floats(low + 0.05, 1.0))
    return SearchSpec(low=round(low, 2), high=high, resolution=resolution,
                      confirm=draw(st.booleans()))


@settings(max_examples=400, deadline=None)
@given(spec=_searches(), data=st.data(),
       start=st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_search_properties(spec, data, start):
    """Whatever the router answers (and whatever residue it leaves), wherever a start
    guesses, and whatever verdicts are already stored (another start's path: a warm
    start that moved): the search ends within the grid's size, proposes only grid densities in [low, high] and never one
    twice, and its minimum passed, with ``confirm`` so did the grid step below it
    (unless it is the lowest), and the step above it failed (unless it is the highest)."""
    step = spec.resolution
    low, top = round(round(spec.low / step) * step, 6), round(round(spec.high / step) * step, 6)
    points = [round(low + i * step, 6) for i in range(round((top - low) / step) + 1)]
    verdicts = data.draw(st.dictionaries(st.sampled_from(points), st.booleans(),
                                         max_size=3), label="stored")
    counts = st.one_of(st.none(), st.integers(0, 40))
    residue = {d: data.draw(counts, label=f"nets at {d}") for d in verdicts}
    for _ in range(len(points) + 2):
        d = next_density(verdicts, spec, start, residue)
        if d is None:
            break
        assert d not in verdicts
        assert low - 1e-9 <= d <= top + 1e-9
        assert d == pytest.approx(round(d / step) * step)
        verdicts[d] = data.draw(st.booleans(), label=f"passes at {d}")
        residue[d] = 0 if verdicts[d] else data.draw(counts, label=f"nets at {d}")
    else:
        pytest.fail(f"the search did not end: {verdicts}")
    best = best_density(verdicts, spec)
    if best is not None:
        assert verdicts[best] is True
        if spec.confirm and best > low + 1e-9:
            assert verdicts[round(best - step, 6)] is True
        if best < top - 1e-9:
            assert verdicts[round(best + step, 6)] is False
    else:
        assert not any(verdicts.values()) or spec.confirm



def test_upward_probe_stops_when_the_residue_rises():
    # nothing passes; the fewest unrouted nets per density: falling up to 0.5 (long wires
    # at sparse placements), rising above it (congestion)
    nets = {0.4: 9, 0.45: 6, 0.5: 2, 0.6: 3, 0.7: 8, 0.75: 12, 0.8: 20, 0.85: 30}
    spec = SearchSpec(low=0.4, high=0.85, resolution=0.05)
    verdicts, residue = {}, {}
    while (d := next_density(verdicts, spec, 0.5, residue)) is not None:
        verdicts[d], residue[d] = False, nets[round(d, 2)]
    # from 0.5 one step down (0.45 left more nets: the walk stops short of low), then
    # one probe (0.7: 8 nets, more than 0.5's 2) and no more
    assert list(verdicts) == pytest.approx([0.5, 0.45, 0.7])
    # the same answers without the rule probe up to high
    off = spec.model_copy(update={"probe_while_improving": False})
    verdicts = {}
    while (d := next_density(verdicts, off, 0.5, residue)) is not None:
        verdicts[d] = False
    assert max(verdicts) == pytest.approx(0.85) and len(verdicts) > 4


def test_upward_probe_goes_on_while_the_residue_falls():
    # sparse placements fail with fewer nets at each denser one, 0.7 routes
    nets = {0.4: 30, 0.6: 5, 0.7: 0, 0.65: 0, 0.75: 4, 0.8: 9, 0.85: 12}
    spec = SearchSpec(low=0.4, high=0.85, resolution=0.05)
    verdicts, residue = {}, {}
    while (d := next_density(verdicts, spec, None, residue)) is not None:
        verdicts[d], residue[d] = nets[round(d, 2)] == 0, nets[round(d, 2)]
    assert best_density(verdicts, spec) == pytest.approx(0.7)
    # an unknown count (a crashed route) never stops the probe
    verdicts = {0.4: False, 0.6: False}
    assert next_density(verdicts, spec, None, {0.4: 3, 0.6: None}) == pytest.approx(0.7)
    assert next_density(verdicts, spec, None, {0.4: 3, 0.6: 4}) is None
    assert next_density(verdicts, spec, None, {0.4: 3, 0.6: 3}) == pytest.approx(0.7)


def test_walk_down_stops_when_the_residue_grows_as_density_falls():
    # a failed start whose sparser neighbour fails worse: stretched wires, so the search
    # stops walking down and probes upward (0.7: 12 nets, more than 0.6's 5), then ends
    nets = {0.6: 5, 0.55: 9, 0.5: 4, 0.4: 0, 0.7: 12}
    spec = SearchSpec(low=0.4, high=0.85, resolution=0.05)
    verdicts, residue = {}, {}
    while (d := next_density(verdicts, spec, 0.6, residue)) is not None:
        verdicts[d], residue[d] = False, nets[round(d, 2)]
    assert list(verdicts) == pytest.approx([0.6, 0.55, 0.7])
    # a residue that falls as density falls keeps the walk going down to low
    verdicts = {0.6: False, 0.55: False}
    assert next_density(verdicts, spec, 0.6, {0.6: 9, 0.55: 5}) == pytest.approx(0.5)
    # so does an unknown count, and so does the rule switched off
    assert next_density(verdicts, spec, 0.6, {0.6: 5, 0.55: None}) == pytest.approx(0.5)
    off = spec.model_copy(update={"probe_while_improving": False})
    assert next_density(verdicts, off, 0.6, {0.6: 5, 0.55: 9}) == pytest.approx(0.5)
