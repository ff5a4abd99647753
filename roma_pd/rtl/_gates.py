"""Gate networks that keep their structure through synthesis.

A :class:`GateBuilder` builds OR trees and word-line drivers either as Amaranth
expressions (``cells=None``: for simulation, same topology) or as instances of
standard cells (``cells=Asap7Gates()``: synthesis keeps instances as they are, so the
trees come out of synthesis with exactly the gates the analytic count predicts).

OR trees use no 4-input gates: levels of NOR3/NOR2 and NAND3/NAND2 alternate (a NAND of
NOR outputs is an OR), with an inverter where a group has one input or the output would
be inverted. 4-input xp25 gates were the main cause of unrouted pin stubs in the probes.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from amaranth.hdl import Const, Instance, Module, Signal

from ..pdk import CellPolicy

__all__ = ["Asap7Gates", "GateBuilder", "or_tree_cost"]


@dataclass(frozen=True)
class Asap7Gates:
    """ASAP7 RVT cell names and pins used for structural gates.

    ``style`` picks the OR trees' cells: ``nornand`` (NOR/NAND levels, the default) or
    ``or`` (OR3x1/OR2x2 cells: one gate per group, no inverters, wider pin spacing).
    """
    style: str = "nornand"
    or2: str = "OR2x2_ASAP7_75t_R"
    or3: str = "OR3x1_ASAP7_75t_R"
    nor2: str = "NOR2xp33_ASAP7_75t_R"
    nor3: str = "NOR3xp33_ASAP7_75t_R"
    nand2: str = "NAND2xp33_ASAP7_75t_R"
    nand3: str = "NAND3xp33_ASAP7_75t_R"
    inv: str = "INVx1_ASAP7_75t_R"
    and2: str = "AND2x2_ASAP7_75t_R"       # word-line driver: 16+ loads per line

    @classmethod
    def for_policy(cls, policy: CellPolicy, style: str = "nornand") -> "Asap7Gates":
        """The default cell of each gate, or the next drive strength of the same
        function (same pins) that ``policy`` allows."""
        chosen = {f.name: policy.first_allowed(
            f.name, tuple(c + "_ASAP7_75t_R" for c in _ALTERNATIVES[f.name]))
            for f in fields(cls) if f.name != "style"}
        return cls(style=style, **chosen)


# Each gate's cells, smallest first; the first is the default above.
_ALTERNATIVES = {
    "or2": ("OR2x2", "OR2x4", "OR2x6"),
    "or3": ("OR3x1", "OR3x2", "OR3x4"),
    "nor2": ("NOR2xp33", "NOR2xp67", "NOR2x1", "NOR2x1p5", "NOR2x2"),
    "nor3": ("NOR3xp33", "NOR3x1", "NOR3x2"),
    "nand2": ("NAND2xp33", "NAND2xp5", "NAND2xp67", "NAND2x1", "NAND2x1p5", "NAND2x2"),
    "nand3": ("NAND3xp33", "NAND3x1", "NAND3x2"),
    "inv": ("INVx1", "INVx2", "INVxp67", "INVxp33"),
    "and2": ("AND2x2", "AND2x4", "AND2x6"),
}


def _groups(n: int) -> list[int]:
    """Split n inputs into groups of at most 3, avoiding groups of 1 where possible."""
    if n <= 3:
        return [n]
    sizes = [3] * (n // 3)
    rest = n % 3
    if rest == 1:            # 3+1 -> 2+2
        sizes[-1] = 2
        sizes.append(2)
    elif rest == 2:
        sizes.append(2)
    return sizes


def or_tree_cost(n: int, style: str = "nornand") -> tuple[int, int]:
    """(gates, gate inputs) of the OR tree over ``n`` signals built by GateBuilder."""
    if n <= 1:
        return 0, 0
    if style == "or":
        gates = inputs = 0
        while n > 1:
            sizes = _groups(n)
            gates, inputs, n = gates + len(sizes), inputs + sum(sizes), len(sizes)
        return gates, inputs
    gates = inputs = 0
    inverted = False
    while n > 1:
        sizes = _groups(n)
        gates += len(sizes)
        inputs += sum(sizes)
        n = len(sizes)
        inverted = not inverted
    if inverted:
        gates += 1
        inputs += 1
    return gates, inputs


class GateBuilder:
    """Adds gates to module ``m``; names every instance ``<prefix>_<n>``.

    Parameters
    ----------
    m : Module
    cells : Asap7Gates or None
        None builds expressions (simulation); a cell set builds cell instances.
    """

    def __init__(self, m: Module, cells: Asap7Gates | None = None):
        self.m = m
        self.cells = cells
        self.count = 0          # gates built
        self.inputs = 0         # gate inputs built

    def _gate(self, kind: str, ins: list, prefix: str) -> Signal:
        self.count += 1
        self.inputs += len(ins)
        out = Signal(name=f"{prefix}_{self.count}")
        if self.cells is None:
            if kind.startswith("nor"):
                expr = ~_or(ins)
            elif kind.startswith("or"):
                expr = _or(ins)
            elif kind.startswith("nand"):
                expr = ~_and(ins)
            elif kind == "inv":
                expr = ~ins[0]
            else:
                expr = _and(ins)
            self.m.d.comb += out.eq(expr)
        else:
            ports = {f"i_{p}": s for p, s in zip("ABC", ins)}
            if kind == "inv":
                ports = {"i_A": ins[0]}
            self.m.submodules[f"{prefix}_{self.count}"] = Instance(
                getattr(self.cells, kind), **ports, o_Y=out)
        return out

    def and2(self, a, b, prefix: str = "wl") -> Signal:
        return self._gate("and2", [a, b], prefix)

    def or_tree(self, ins: list, prefix: str = "or"):
        """OR of ``ins``; a constant 0 for none, the signal itself for one."""
        if not ins:
            return Const(0, 1)
        level, inverted = list(ins), False
        if self.cells is not None and self.cells.style == "or":
            while len(level) > 1:
                nxt, pos = [], 0
                for size in _groups(len(level)):
                    nxt.append(self._gate(f"or{size}", level[pos:pos + size], prefix))
                    pos += size
                level = nxt
            return level[0]
        while len(level) > 1:
            nxt, pos = [], 0
            for size in _groups(len(level)):
                group = level[pos:pos + size]
                pos += size
                base = "nand" if inverted else "nor"
                nxt.append(self._gate(f"{base}{size}", group, prefix))
            level, inverted = nxt, not inverted
        return self._gate("inv", level, prefix) if inverted else level[0]


def _or(xs):
    out = xs[0]
    for x in xs[1:]:
        out = out | x
    return out


def _and(xs):
    out = xs[0]
    for x in xs[1:]:
        out = out & x
    return out
