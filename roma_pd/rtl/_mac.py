from amaranth.hdl import Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from ._limits import check_mac_size

__all__ = ["MAC"]


class MAC(wiring.Component):
    """Registered multiply-accumulate over ``lanes`` operand pairs:
    ``acc <= acc + sum(a[i] * b[i])`` when ``en``; ``clr`` wins. Wraps modulo
    ``2**acc_width``.

    The default tile until the ROM generators land; its operand registers give the
    flow a real register-to-register path for timing, and ``lanes`` scales it.

    Parameters
    ----------
    a_width, b_width : int
        Unsigned operand widths in bits.
    acc_width : int
        Accumulator width in bits; must hold at least one product.
    lanes : int
        Operand pairs summed per cycle.

    Attributes
    ----------
    a : Signal(a_width * lanes), in
        Lane i is bits ``[i*a_width : (i+1)*a_width]``.
    b : Signal(b_width * lanes), in
    en, clr : Signal(1), in
    acc : Signal(acc_width), out
    """

    def __init__(self, a_width: int = 8, b_width: int = 8, acc_width: int = 24,
                 lanes: int = 1):
        for name, value in (("a_width", a_width), ("b_width", b_width),
                            ("acc_width", acc_width), ("lanes", lanes)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise TypeError(f"{name} must be a positive integer, not {value!r}")
        if acc_width < a_width + b_width:
            raise ValueError(f"acc_width must be at least a_width + b_width "
                             f"({a_width + b_width}), not {acc_width!r}")
        check_mac_size(a_width, b_width, lanes)
        self.a_width, self.b_width, self.acc_width = a_width, b_width, acc_width
        self.lanes = lanes
        super().__init__({"a": In(a_width * lanes), "b": In(b_width * lanes),
                          "en": In(1), "clr": In(1), "acc": Out(acc_width)})

    def elaborate(self, platform):
        m = Module()
        a = Signal.like(self.a)
        b = Signal.like(self.b)
        m.d.sync += [a.eq(self.a), b.eq(self.b)]
        products = [a.word_select(i, self.a_width) * b.word_select(i, self.b_width)
                    for i in range(self.lanes)]
        total = products[0]
        for p in products[1:]:
            total = total + p
        with m.If(self.clr):
            m.d.sync += self.acc.eq(0)
        with m.Elif(self.en):
            m.d.sync += self.acc.eq(self.acc + total)
        return m
