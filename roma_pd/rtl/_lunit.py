"""The L-Unit compute cell: a group-quantized dot product, as the ROMA paper describes.

Per group of 128 weights: ``y = s * 2**e * (sum(q_i * x_i) - z * sum(x_i))``, with UInt2
or UInt4 weights ``q_i`` from the ROM, a zero point ``z``, an FP16 scale ``s`` and FP16
activations ``x_i`` aligned to the group's shared exponent ``e`` (its maximum).

Number handling (the golden model in :mod:`roma_pd.rtl._golden` does the same):

- **Alignment** truncates toward zero: an activation becomes
  ``sign * floor(|x| * 2**(25 + (mant_bits - 11) - e_eff))`` with
  ``e_eff = max(e_max, 1)``; bits shifted out below the ``mant_bits``-bit window are
  dropped. FP16 denormals (exponent 0) are exact inputs: hidden bit 0, exponent 1.
  ``-0`` is 0.
- **Products and sums are exact** integers (shift-and-add of the weight bits).
- **The output** is IEEE FP32, rounded to nearest, ties to even, from the exact value.
  With ``mant_bits <= 24`` it is always a normal number or +0 (an exact 0 gives +0).
- **Inf and NaN**: an activation with exponent 31 anywhere in the group, or a scale with
  exponent 31, gives the quiet NaN ``0x7FC00000``.
- ``e_max`` must be at least every activation exponent of the group (the alignment
  unit's maximum); a larger exponent is a contract violation and is not detected.
"""
from __future__ import annotations

from amaranth.hdl import Cat, Module, Mux, Signal, signed
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

__all__ = ["LUnit", "GROUP", "NAN32"]

GROUP = 128
NAN32 = 0x7FC00000


class LUnit(wiring.Component):
    """Dot product of one ROM word of weights with ``lanes`` FP16 activations per cycle,
    accumulated over a group and scaled at its last word.

    Parameters
    ----------
    lanes : int
        Weights (and activations) per cycle; divides 128.
    weight_bits : int
        2 or 4.
    mant_bits : int
        Width of the aligned activation magnitude, 11..24 (11 keeps no bit below the
        largest activation's LSB; more bits keep more of the smaller ones).

    Attributes
    ----------
    valid : Signal(1), in
        A word and its activations are present this cycle.
    first, last : Signal(1), in
        This word starts / ends a group (both for a one-word group).
    w : Signal(lanes * weight_bits), in
        The ROM word; lane i in bits ``[i*weight_bits, (i+1)*weight_bits)``.
    x : Signal(lanes * 16), in
        FP16 activations, lane i in bits ``[16*i, 16*i+16)``.
    e_max : Signal(5), in
        The group's largest biased activation exponent; held over the group.
    z : Signal(weight_bits), in
        Zero point, read at ``last``.
    s : Signal(16), in
        FP16 scale, read at ``last``.
    y : Signal(32), out
        FP32 result of the group that ended in the previous cycle.
    y_valid : Signal(1), out
    """

    def __init__(self, lanes: int = 8, weight_bits: int = 2, mant_bits: int = 16):
        if not isinstance(lanes, int) or lanes < 1 or GROUP % lanes:
            raise ValueError(f"lanes must divide {GROUP}, not {lanes!r}")
        if weight_bits not in (2, 4):
            raise ValueError(f"weight_bits must be 2 or 4, not {weight_bits!r}")
        if not isinstance(mant_bits, int) or not 11 <= mant_bits <= 24:
            raise ValueError(f"mant_bits must be an integer in 11..24, not {mant_bits!r}")
        self.lanes, self.weight_bits, self.mant_bits = lanes, weight_bits, mant_bits
        self.group_bits = (GROUP - 1).bit_length()          # 7
        # |acc| < 128 * (2**wb - 1) * 2**mant; |z * sx| < 2**wb * 128 * 2**mant
        self.acc_bits = mant_bits + weight_bits + self.group_bits + 2
        super().__init__({
            "valid": In(1), "first": In(1), "last": In(1),
            "w": In(lanes * weight_bits), "x": In(lanes * 16), "e_max": In(5),
            "z": In(weight_bits), "s": In(16),
            "y": Out(32), "y_valid": Out(1),
        })

    def _align(self, m, x, e_eff, i):
        """Signed aligned integer of one FP16 activation, and its non-finite flag."""
        M = self.mant_bits
        sign, exp, frac = x[15], x[10:15], x[0:10]
        sig = Cat(frac, exp != 0)                          # 11 bits, hidden bit
        ee = Mux(exp == 0, 1, exp)
        shift = Signal(5, name=f"shift{i}")
        m.d.comb += shift.eq(Mux(e_eff > ee, e_eff - ee, 0))
        mag = Signal(M, name=f"mag{i}")
        m.d.comb += mag.eq((sig << (M - 11)) >> shift)
        a = Signal(signed(M + 1), name=f"a{i}")
        m.d.comb += a.eq(Mux(sign, -mag, mag))
        return a, exp == 31

    def _fp32(self, m, t, s, e_eff):
        """FP32 bits of ``t * s * 2**E`` (t signed integer, s FP16), rounded to nearest
        even; E folds the alignment and scale exponents."""
        M = self.mant_bits
        s_exp, s_frac = s[10:15], s[0:10]
        s_sig = Cat(s_frac, s_exp != 0)
        s_ee = Mux(s_exp == 0, 1, s_exp)
        mag_t = Signal(len(t), name="mag_t")
        m.d.comb += mag_t.eq(Mux(t < 0, -t, t))
        width = len(t) + 11
        p = Signal(width, name="p")
        m.d.comb += p.eq(mag_t * s_sig)
        # position of the leading one
        lead = Signal(range(width), name="lead")
        for k in range(width):
            with m.If(p[k]):
                m.d.comb += lead.eq(k)
        lz = Signal(range(width), name="lz")
        m.d.comb += lz.eq(width - 1 - lead)
        norm = Signal(width, name="norm")                  # leading one at the top bit
        m.d.comb += norm.eq(p << lz)
        top = width - 1
        assert top >= 25, "product narrower than an FP32 significand"
        mant = norm[top - 23:top]
        guard = norm[top - 24]
        sticky = norm[:top - 24].any()
        round_up = guard & (sticky | mant[0])
        rounded = Signal(24, name="rounded")
        m.d.comb += rounded.eq(mant + round_up)            # carry out = mantissa overflow
        carry = (mant == (1 << 23) - 1) & round_up
        # value = p * 2**E, E = (e_eff - 25 - (M - 11)) + (s_ee - 25); p = 1.f * 2**lead
        bias_e = Signal(signed(10), name="bexp")
        m.d.comb += bias_e.eq(lead + e_eff + s_ee + (127 - 25 - (M - 11) - 25) + carry)
        out = Signal(32, name="fp32")
        m.d.comb += out.eq(Cat(rounded[:23], bias_e[:8], (t < 0) ^ s[15]))
        with m.If(p == 0):
            m.d.comb += out.eq(0)
        return out

    def elaborate(self, platform):
        m = Module()
        L, wb = self.lanes, self.weight_bits
        e_eff = Signal(5)
        m.d.comb += e_eff.eq(Mux(self.e_max == 0, 1, self.e_max))
        prods, aligned, flags = [], [], []
        for i in range(L):
            a, nonfinite = self._align(m, self.x.word_select(i, 16), e_eff, i)
            q = self.w.word_select(i, wb)
            # shift-and-add: q * a = sum over the set bits b of q of (a << b)
            prods.append(_tree_sum([Mux(q[b], a, 0) << b for b in range(wb)]))
            aligned.append(a)
            flags.append(nonfinite)
        prod_sum, x_sum = _tree_sum(prods), _tree_sum(aligned)
        bad = Cat(*flags).any()
        acc = Signal(signed(self.acc_bits))
        sx = Signal(signed(self.acc_bits))
        nan = Signal()
        acc_next = Signal(signed(self.acc_bits))
        sx_next = Signal(signed(self.acc_bits))
        nan_next = Signal()
        m.d.comb += [
            acc_next.eq(Mux(self.first, 0, acc) + prod_sum),
            sx_next.eq(Mux(self.first, 0, sx) + x_sum),
            nan_next.eq(Mux(self.first, 0, nan) | bad),
        ]
        t = Signal(signed(self.acc_bits + 1))
        m.d.comb += t.eq(acc_next - self.z * sx_next)
        result = self._fp32(m, t, self.s, e_eff)
        m.d.sync += self.y_valid.eq(0)
        with m.If(self.valid):
            m.d.sync += [acc.eq(acc_next), sx.eq(sx_next), nan.eq(nan_next)]
            with m.If(self.last):
                m.d.sync += [self.y.eq(Mux(nan_next | (self.s[10:15] == 31), NAN32, result)),
                             self.y_valid.eq(1)]
        return m


def _tree_sum(values):
    """Balanced adder tree (a chain of 128 adds would nest too deep)."""
    values = list(values)
    while len(values) > 1:
        values = [values[i] + values[i + 1] if i + 1 < len(values) else values[i]
                  for i in range(0, len(values), 2)]
    return values[0]
