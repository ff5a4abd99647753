"""Golden model of the L-Unit (numpy): the same alignment, exact integer sums, and one
FP32 rounding (to nearest even) of the exact result. See :mod:`roma_pd.rtl._lunit`."""
from __future__ import annotations

import numpy as np

from ._lunit import NAN32

__all__ = ["lunit_group", "fp16_bits"]


def fp16_bits(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float16).view(np.uint16)


def _align(bits: int, e_eff: int, mant_bits: int) -> int:
    sign, exp, frac = bits >> 15, (bits >> 10) & 31, bits & 1023
    sig = frac | ((exp != 0) << 10)
    ee = max(exp, 1)
    mag = (sig << (mant_bits - 11)) >> max(e_eff - ee, 0)
    return -mag if sign else mag


def lunit_group(q, x_bits, z: int, s_bits: int, mant_bits: int = 16,
                e_max: int | None = None) -> int:
    """FP32 bits of one group's result.

    Parameters
    ----------
    q : sequence of int
        The group's weights (any length, normally 128).
    x_bits : sequence of int
        FP16 bit patterns of the activations.
    z : int
        Zero point.
    s_bits : int
        FP16 bit pattern of the scale.
    e_max : int, optional
        The shared exponent; default: the largest biased exponent of ``x_bits``.
    """
    x_bits = [int(b) for b in x_bits]
    z, s_bits = int(z), int(s_bits)
    exps = [(b >> 10) & 31 for b in x_bits]
    if 31 in exps or (s_bits >> 10) & 31 == 31:
        return NAN32
    e_max = max(exps) if e_max is None else e_max
    e_eff = max(e_max, 1)
    a = [_align(b, e_eff, mant_bits) for b in x_bits]
    t = sum(int(qi) * ai for qi, ai in zip(q, a)) - z * sum(a)
    s_exp, s_frac = (s_bits >> 10) & 31, s_bits & 1023
    s_sig = s_frac | ((s_exp != 0) << 10)
    s_val = (-1 if s_bits >> 15 else 1) * s_sig
    p = t * s_val
    if p == 0:
        return 0
    e = (e_eff - 25 - (mant_bits - 11)) + (max(s_exp, 1) - 25)
    assert abs(p) < 1 << 53                     # exact in float64: one rounding below
    value = np.ldexp(np.float64(p), e)
    return int(np.float32(value).view(np.uint32))
