"""L-Unit against the numpy golden model, bit-exact, on random groups and edge cases."""
import numpy as np
import pytest

from roma_pd.rtl import NAN32, LUnit, fp16_bits, lunit_group, run_lunit


def _check(dut, groups):
    got = run_lunit(dut, groups)
    want = [lunit_group(q, x, z, s, dut.mant_bits) for q, x, z, s in groups]
    assert [hex(v) for v in got] == [hex(v) for v in want]
    return got


def _random_groups(rng, n, weight_bits, sigma=1.0):
    groups = []
    for _ in range(n):
        q = rng.integers(0, 1 << weight_bits, 128)
        x = fp16_bits(rng.normal(0, sigma, 128))
        z = int(rng.integers(0, 1 << weight_bits))
        s = int(fp16_bits([rng.normal(0, 0.02)])[0])
        groups.append((q, x, z, s))
    return groups


@pytest.mark.parametrize("lanes, weight_bits, mant_bits", [(16, 2, 16), (8, 4, 16),
                                                           (32, 2, 11), (4, 4, 24)])
def test_random_groups(lanes, weight_bits, mant_bits):
    rng = np.random.default_rng(lanes * weight_bits + mant_bits)
    _check(LUnit(lanes, weight_bits, mant_bits), _random_groups(rng, 6, weight_bits))


def test_close_to_exact_dot_product():
    # Alignment truncation is the only error before the FP32 rounding: at mant_bits=16
    # each aligned activation is within 2**-15 of the largest one's magnitude.
    rng = np.random.default_rng(7)
    for q, x, z, s in _random_groups(rng, 20, 2):
        xs = x.view(np.float16).astype(np.float64)
        sv = float(np.uint16(s).view(np.float16))
        exact = sv * (np.dot(q, xs) - z * xs.sum())
        got = float(np.uint32(lunit_group(q, x, z, s, 16)).view(np.float32))
        bound = abs(sv) * 128 * 3 * np.abs(xs).max() * 2.0 ** -15 + abs(exact) * 2.0 ** -23
        assert abs(got - exact) <= bound


def test_edge_cases():
    dut = LUnit(lanes=16, weight_bits=2, mant_bits=16)
    q = np.arange(128) % 4
    tiny = fp16_bits(np.full(128, 2.0 ** -24))                 # smallest denormal
    mixed = fp16_bits(np.where(np.arange(128) % 2, 60000.0, 2.0 ** -20))
    negzero = np.full(128, 0x8000)
    one = int(fp16_bits([1.0])[0])
    groups = [
        (q, tiny, 1, one),                                      # denormals are exact
        (q, mixed, 0, one),                                     # small ones truncate to 0
        (q, negzero, 0, one),                                   # all zero -> +0
        (q, fp16_bits(np.ones(128)), 3, int(fp16_bits([2.0 ** -14])[0])),
        (q, fp16_bits(np.ones(128)), 0, int(fp16_bits([2.0 ** -24])[0])),  # denormal s
        (np.full(128, 3), fp16_bits(np.full(128, -65504.0)), 0, int(fp16_bits([65504.0])[0])),
    ]
    got = _check(dut, groups)
    assert got[2] == 0
    tiny_val = float(np.uint32(got[0]).view(np.float32))
    assert tiny_val == pytest.approx(2.0 ** -24 * (q.sum() - 128))
    big = float(np.uint32(got[5]).view(np.float32))
    assert big == pytest.approx(-3 * 128 * 65504.0 * 65504.0, rel=1e-6)


def test_inf_and_nan():
    dut = LUnit(lanes=32, weight_bits=2)
    q = np.ones(128, dtype=int)
    x = fp16_bits(np.ones(128))
    one = int(fp16_bits([1.0])[0])
    with_inf = x.copy()
    with_inf[5] = 0x7C00
    with_nan = x.copy()
    with_nan[127] = 0x7E00
    groups = [(q, with_inf, 0, one), (q, with_nan, 1, one), (q, x, 0, 0x7C00),
              (q, x, 0, one)]   # a clean group after: the flag does not stick
    got = _check(dut, groups)
    assert got[:3] == [NAN32] * 3
    assert float(np.uint32(got[3]).view(np.float32)) == 128.0


def test_rounding_ties_to_even():
    # t * s with more than 24 significant bits forces rounding; the model rounds once.
    dut = LUnit(lanes=128, weight_bits=4, mant_bits=24)
    q = np.full(128, 15)
    x = fp16_bits(np.full(128, 1.0 + 2.0 ** -10))
    s = int(fp16_bits([1.0 + 2.0 ** -10])[0])
    got = _check(dut, [(q, x, 0, s)])
    exact = 15 * 128 * (1 + 2 ** -10) ** 2
    assert float(np.uint32(got[0]).view(np.float32)) == np.float32(exact)


@pytest.mark.parametrize("kwargs, message", [
    ({"lanes": 3}, r"^lanes must divide 128, not 3$"),
    ({"weight_bits": 3}, r"^weight_bits must be 2 or 4, not 3$"),
    ({"mant_bits": 30}, r"^mant_bits must be an integer in 11\.\.24, not 30$"),
])
def test_params_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LUnit(**kwargs)
