from amaranth.hdl import Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

__all__ = ["MAC"]


class MAC(wiring.Component):
    """Registered multiply-accumulate: ``acc <= acc + a*b`` when ``en``; ``clr`` wins.

    The default tile until the ROM generators land; its operand registers give the
    flow a real register-to-register path for timing.

    Parameters
    ----------
    a_width, b_width : int
        Unsigned operand widths in bits.
    acc_width : int
        Accumulator width in bits; must hold at least one product.

    Attributes
    ----------
    a : Signal(a_width), in
    b : Signal(b_width), in
    en, clr : Signal(1), in
    acc : Signal(acc_width), out
    """

    def __init__(self, a_width: int = 8, b_width: int = 8, acc_width: int = 24):
        for name, value in (("a_width", a_width), ("b_width", b_width),
                            ("acc_width", acc_width)):
            if not isinstance(value, int) or value < 1:
                raise TypeError(f"{name} must be a positive integer, not {value!r}")
        if acc_width < a_width + b_width:
            raise ValueError(f"acc_width must be at least a_width + b_width "
                             f"({a_width + b_width}), not {acc_width!r}")
        self.a_width, self.b_width, self.acc_width = a_width, b_width, acc_width
        super().__init__({"a": In(a_width), "b": In(b_width), "en": In(1), "clr": In(1),
                          "acc": Out(acc_width)})

    def elaborate(self, platform):
        m = Module()
        a = Signal(self.a_width)
        b = Signal(self.b_width)
        m.d.sync += [a.eq(self.a), b.eq(self.b)]
        with m.If(self.clr):
            m.d.sync += self.acc.eq(0)
        with m.Elif(self.en):
            m.d.sync += self.acc.eq(self.acc + a * b)
        return m
