"""Tiles: a weight store and an L-Unit that reads successive ROM words.

==========  ===============================================  ==========================
variant     weight store                                     blocks the flow hardens
==========  ===============================================  ==========================
``sram``    fakeram7 SRAM macro(s) (a black box; a memory    compute (+ macro area)
            model in simulation)
``rom``     StdROM                                           store, compute
``brom``    BROM                                             store, compute
``fused``   BROM                                             one flat block
==========  ===============================================  ==========================

The ROM word holds ``lanes = width // weight_bits`` weights, one per L-Unit lane. The
compute block counts addresses while ``run`` is high; the word of address ``a`` arrives
one cycle later, with the activations of its lanes, which the environment presents in
that cycle (``x``, ``e_max``, ``z``, ``s``, as for :class:`LUnit`). Group boundaries
follow the address: every ``128 // lanes`` words.
"""
from __future__ import annotations

from amaranth.hdl import Cat, ClockSignal, Instance, Module, Signal
from amaranth.lib import wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out

from ..pdk import CellPolicy
from ._gates import Asap7Gates
from ._lunit import GROUP, LUnit
from ._rom import BROM, StdROM

__all__ = ["Compute", "Tile", "SramStore", "VARIANTS", "sram_macros", "SRAM_MACROS"]

VARIANTS = ("sram", "rom", "brom", "fused")
# fakeram7 single-port macros held by the PDK: depth -> widths
SRAM_MACROS = {64: (32,), 128: (32,), 256: (32, 64), 512: (32, 64, 128), 1024: (32, 64),
               2048: (32, 64), 4096: (32, 64), 8192: (32, 64)}


def sram_macros(depth: int, width: int) -> tuple[str, int]:
    """(macro name, count) of the fakeram7 single-port macros that hold depth x width:
    the widest macro of that depth whose width divides ``width``, banked side by side."""
    widths = [w for w in SRAM_MACROS.get(depth, ()) if width % w == 0]
    if not widths:
        raise ValueError(f"no fakeram7 macro bank holds {depth} x {width}: depths "
                         f"{sorted(SRAM_MACROS)}, widths a multiple of 32")
    w = max(widths)
    return f"fakeram7_sp_{depth}x{w}", width // w


class Compute(wiring.Component):
    """Compute block: the address counter and the L-Unit.

    Parameters
    ----------
    depth, width, weight_bits : int
        Of the store it reads; ``width // weight_bits`` lanes.
    mant_bits : int
        See :class:`LUnit`.

    Attributes
    ----------
    run : Signal(1), in
    rom_addr : Signal(log2(depth)), out
    rom_data : Signal(width), in
    x, e_max, z, s : in, as for LUnit
    y : Signal(32), out
    y_valid : Signal(1), out
    """

    def __init__(self, depth: int, width: int, weight_bits: int = 2, mant_bits: int = 16):
        if width % weight_bits:
            raise ValueError(f"width must be a multiple of weight_bits ({weight_bits}), "
                             f"not {width!r}")
        self.lunit = LUnit(width // weight_bits, weight_bits, mant_bits)
        self.depth, self.width, self.weight_bits = depth, width, weight_bits
        self.lanes = self.lunit.lanes
        self.words_per_group = GROUP // self.lanes
        if depth % self.words_per_group:
            raise ValueError(f"depth must hold whole groups of {self.words_per_group} "
                             f"words, not {depth!r}")
        addr_bits = depth.bit_length() - 1
        super().__init__({"run": In(1), "rom_addr": Out(addr_bits), "rom_data": In(width),
                          "x": In(self.lanes * 16), "e_max": In(5), "z": In(weight_bits),
                          "s": In(16), "y": Out(32), "y_valid": Out(1)})

    def elaborate(self, platform):
        m = Module()
        m.submodules.lunit = lu = self.lunit
        word = Signal.like(self.rom_addr)         # address of the word now arriving
        arriving = Signal()
        with m.If(self.run):
            m.d.sync += self.rom_addr.eq(self.rom_addr + 1)
        m.d.sync += [arriving.eq(self.run), word.eq(self.rom_addr)]
        pos_bits = self.words_per_group.bit_length() - 1
        pos = word[:pos_bits] if pos_bits else None
        m.d.comb += [
            lu.valid.eq(arriving),
            lu.first.eq(pos == 0 if pos is not None else 1),
            lu.last.eq(pos == self.words_per_group - 1 if pos is not None else 1),
            lu.w.eq(self.rom_data), lu.x.eq(self.x), lu.e_max.eq(self.e_max),
            lu.z.eq(self.z), lu.s.eq(self.s),
            self.y.eq(lu.y), self.y_valid.eq(lu.y_valid),
        ]
        return m


class SramStore(wiring.Component):
    """The SRAM variant's store: fakeram7 macros (``structural``) or, for simulation, a
    memory with the same one-cycle read, initialised with the content."""

    def __init__(self, depth: int, width: int, content, structural: bool = True):
        self.macro, self.banks = sram_macros(depth, width)
        self.depth, self.width, self.content = depth, width, list(content)
        self.structural = structural
        super().__init__({"addr": In(depth.bit_length() - 1), "data": Out(width)})

    def elaborate(self, platform):
        m = Module()
        if not self.structural:
            m.submodules.mem = mem = Memory(shape=self.width, depth=self.depth,
                                            init=self.content)
            port = mem.read_port()
            m.d.comb += [port.addr.eq(self.addr), self.data.eq(port.data)]
            return m
        bank_w = self.width // self.banks
        outs = []
        for b in range(self.banks):
            out = Signal(bank_w, name=f"rd{b}")
            # Read-only use: write enable low; the weights are loaded outside this model.
            m.submodules[f"sram{b}"] = Instance(
                self.macro, i_clk=ClockSignal(), o_rd_out=out,
                i_addr_in=self.addr, i_we_in=0, i_ce_in=1, i_wd_in=0, i_w_mask_in=0)
            outs.append(out)
        m.d.comb += self.data.eq(Cat(*outs))
        return m


class Tile(wiring.Component):
    """A weight store and its compute block, connected.

    Parameters
    ----------
    variant : str
        One of ``sram``, ``rom``, ``brom``, ``fused`` (``fused`` and ``brom`` are the
        same logic; they differ in how the flow hardens them).
    depth, width, weight_bits, mant_bits : int
    content : list of int
        ROM words.
    structural : bool
        Build the stores' networks (and the SRAM macro) as cells; False for simulation.
    policy : CellPolicy
        The flow's ``dont_use``: the stores' gate cells avoid what it excludes.

    Attributes
    ----------
    run, x, e_max, z, s : in; y, y_valid : out (see :class:`Compute`)
    """

    def __init__(self, variant: str, depth: int, width: int, content, weight_bits: int = 2,
                 mant_bits: int = 16, structural: bool = True,
                 policy: CellPolicy = CellPolicy()):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {list(VARIANTS)}, not {variant!r}")
        self.variant = variant
        self.compute = Compute(depth, width, weight_bits, mant_bits)
        cells = Asap7Gates.for_policy(policy) if structural else None
        if variant == "sram":
            self.store = SramStore(depth, width, content, structural)
        elif variant == "rom":
            self.store = StdROM(depth, width, content, cells)
        else:
            self.store = BROM(depth, width, content, cells)
        lanes = self.compute.lanes
        super().__init__({"run": In(1), "x": In(lanes * 16), "e_max": In(5),
                          "z": In(weight_bits), "s": In(16), "y": Out(32),
                          "y_valid": Out(1)})

    def elaborate(self, platform):
        m = Module()
        m.submodules.store = store = self.store
        m.submodules.compute = cmp = self.compute
        m.d.comb += [
            store.addr.eq(cmp.rom_addr), cmp.rom_data.eq(store.data),
            cmp.run.eq(self.run), cmp.x.eq(self.x), cmp.e_max.eq(self.e_max),
            cmp.z.eq(self.z), cmp.s.eq(self.s),
            self.y.eq(cmp.y), self.y_valid.eq(cmp.y_valid),
        ]
        return m
