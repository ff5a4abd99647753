"""Read-only memories: the standard NOR-array ROM, B-ROM and a behavioural ROM.

All three take an address and give the stored word one clock later (registered output).
``StdROM`` and ``BROM`` share the decoder: two predecoders (behavioural, left to
synthesis) and one AND2 driver per word line. Their OR networks are built by a
:class:`~roma_pd.rtl._gates.GateBuilder`, so with ``cells`` set they are cell instances
that synthesis keeps.
"""
from __future__ import annotations

from amaranth.hdl import Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from ._gates import Asap7Gates, GateBuilder, or_tree_cost

__all__ = ["StdROM", "BROM", "LogicROM", "rom_analytics", "BLOCK"]

BLOCK = 4      # word lines per B-ROM block


def _check(depth, width, content):
    if not isinstance(depth, int) or depth < BLOCK or depth & (depth - 1):
        raise ValueError(f"depth must be a power of two of at least {BLOCK}, not {depth!r}")
    if not isinstance(width, int) or width < 1:
        raise TypeError(f"width must be a positive integer, not {width!r}")
    content = list(content)
    if len(content) != depth:
        raise ValueError(f"content must hold depth ({depth}) words, not {len(content)}")
    for i, word in enumerate(content):
        if not isinstance(word, int) or word < 0 or word >> width:
            raise ValueError(f"content[{i}] must be an unsigned {width}-bit integer, "
                             f"not {word!r}")
    return content


class _ROM(wiring.Component):
    """Common ports and checks.

    Parameters
    ----------
    depth : int
        Words; a power of two, at least 4.
    width : int
        Bits per word.
    content : list of int
        The stored words, ``content[a]`` at address ``a``.
    cells : Asap7Gates or None
        Standard cells for the structural networks; None builds expressions.

    Attributes
    ----------
    addr : Signal(log2(depth)), in
    data : Signal(width), out
        ``content[addr]`` of the previous cycle.
    """

    def __init__(self, depth: int, width: int, content, cells: Asap7Gates | None = None):
        self.content = _check(depth, width, content)
        self.depth, self.width, self.cells = depth, width, cells
        self.addr_bits = depth.bit_length() - 1
        super().__init__({"addr": In(self.addr_bits), "data": Out(width)})

    def bit(self, row: int, col: int) -> int:
        return (self.content[row] >> col) & 1

    def _word_lines(self, m: Module, gates: GateBuilder) -> list:
        lo_bits = self.addr_bits // 2
        hi_bits = self.addr_bits - lo_bits
        lo = Signal(1 << lo_bits, name="pre_lo")
        hi = Signal(1 << hi_bits, name="pre_hi")
        m.d.comb += [lo.eq(1 << self.addr[:lo_bits]),
                     hi.eq(1 << self.addr[lo_bits:])]
        return [gates.and2(hi[i >> lo_bits], lo[i & ((1 << lo_bits) - 1)], "wl")
                for i in range(self.depth)]


class StdROM(_ROM):
    """Standard ROM: decoder, then per column the OR of the word lines that store 1."""

    def elaborate(self, platform):
        m = Module()
        gates = GateBuilder(m, self.cells)
        wl = self._word_lines(m, gates)
        for col in range(self.width):
            ones = [wl[r] for r in range(self.depth) if self.bit(r, col)]
            m.d.sync += self.data[col].eq(gates.or_tree(ones, f"col{col}"))
        return m


class BROM(_ROM):
    """B-ROM: word lines in blocks of 4; per block CGen makes the candidates a column
    needs (candidate v = OR of the lines whose bit is set in v); each column takes,
    by wiring only, candidate v from each block, where v is that column's 4 stored bits,
    and ORs the non-zero ones."""

    def nibble(self, block: int, col: int) -> int:
        return sum(self.bit(block * BLOCK + k, col) << k for k in range(BLOCK))

    def elaborate(self, platform):
        m = Module()
        gates = GateBuilder(m, self.cells)
        wl = self._word_lines(m, gates)
        blocks = range(self.depth // BLOCK)
        candidates = []          # per block: value -> candidate signal (CGen)
        for b in blocks:
            lines = wl[b * BLOCK:(b + 1) * BLOCK]
            used = sorted({self.nibble(b, c) for c in range(self.width)} - {0})
            candidates.append({v: gates.or_tree([lines[k] for k in range(BLOCK)
                                                 if v >> k & 1], f"cg{b}_{v}")
                               for v in used})
        for col in range(self.width):
            chosen = [candidates[b][self.nibble(b, col)] for b in blocks
                      if self.nibble(b, col)]
            m.d.sync += self.data[col].eq(gates.or_tree(chosen, f"col{col}"))
        return m


class LogicROM(_ROM):
    """Behavioural ROM: a ``case`` over the address that synthesis may optimise freely."""

    def elaborate(self, platform):
        m = Module()
        with m.Switch(self.addr):
            for a, word in enumerate(self.content):
                with m.Case(a):
                    m.d.sync += self.data.eq(word)
        return m


def rom_analytics(depth: int, width: int, content, style: str = "nornand") -> dict:
    """Gate and OR-input counts the structural ROMs must have after synthesis, and
    transistor estimates in the paper's terms (one per (row, column) crossing)."""
    content = _check(depth, width, content)

    def bit(r, c):
        return (content[r] >> c) & 1

    std_gates = std_inputs = 0
    ones = 0
    for c in range(width):
        n = sum(bit(r, c) for r in range(depth))
        ones += n
        g, i = or_tree_cost(n, style)
        std_gates, std_inputs = std_gates + g, std_inputs + i
    cg_gates = cg_inputs = col_gates = col_inputs = candidates = 0
    nonzero = 0
    for b in range(depth // BLOCK):
        nib = [sum(bit(b * BLOCK + k, c) << k for k in range(BLOCK)) for c in range(width)]
        used = set(nib) - {0}
        candidates += len(used)
        for v in used:
            g, i = or_tree_cost(bin(v).count("1"), style)
            cg_gates, cg_inputs = cg_gates + g, cg_inputs + i
        nonzero += sum(1 for v in nib if v)
    for c in range(width):
        n = sum(1 for b in range(depth // BLOCK)
                if any(bit(b * BLOCK + k, c) for k in range(BLOCK)))
        g, i = or_tree_cost(n, style)
        col_gates, col_inputs = col_gates + g, col_inputs + i
    return {
        "word_lines": depth,
        "ones": ones,
        "std_or_gates": std_gates, "std_or_inputs": std_inputs,
        "brom_candidates": candidates,
        "brom_cgen_gates": cg_gates, "brom_cgen_inputs": cg_inputs,
        "brom_column_gates": col_gates, "brom_column_inputs": col_inputs,
        "brom_or_gates": cg_gates + col_gates, "brom_or_inputs": cg_inputs + col_inputs,
        # the paper's transistor view: one per stored 1 (StdROM) or per non-zero
        # nibble (B-ROM), CGen extra
        "paper_std_crossings": ones, "paper_brom_crossings": nonzero,
    }
