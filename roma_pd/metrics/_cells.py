"""Transistor counts of standard cells from the library CDL (read by KLayout)."""
from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import klayout.db as kdb

__all__ = ["transistor_counts", "count_transistors"]


@functools.lru_cache(maxsize=4)
def transistor_counts(cdl: Path) -> dict[str, int]:
    """MOS devices per cell, keyed by upper-case cell name (SPICE is case-blind)."""
    netlist = kdb.Netlist()
    netlist.read(str(cdl), kdb.NetlistSpiceReader())
    return {c.name.upper(): sum(1 for _ in c.each_device()) for c in netlist.each_circuit()}


def count_transistors(cells: Counter | dict[str, int], cdl: Path) -> int:
    """Transistors in a design given its instance count per cell type.

    Raises
    ------
    KeyError
        If a cell is not in the CDL (fillers and taps have no devices and are skipped by
        the caller).
    """
    counts = transistor_counts(Path(cdl))
    total = 0
    for cell, n in cells.items():
        key = cell.upper()
        if key not in counts:
            raise KeyError(f"cell {cell!r} is not in {cdl}")
        total += counts[key] * n
    return total
