"""Cell policy: the standard cells a flow may not use (``dont_use``), as glob patterns.

The flow settings' ``synthesis.dont_use`` reaches Yosys (``dfflibmap`` and ``abc``
``-dont_use``) and the structural generators' cell choice (the ROM OR trees and
word-line drivers), so no path puts an excluded cell in a netlist.
OpenROAD-flow-scripts' ASAP7 platform excludes ``*x1p*``, ``*xp*``, ``SDF*`` and
``ICG*`` for pin access; here the list is the flow's choice, measured in
docs/DEVELOPMENT.md.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass

__all__ = ["CellPolicy"]


@dataclass(frozen=True)
class CellPolicy:
    """Glob patterns (``fnmatch``, case-sensitive, on full cell names such as
    ``NOR2xp33_ASAP7_75t_R``) of cells that must not be used."""
    dont_use: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: dict) -> "CellPolicy":
        """The ``synthesis`` section of the flow settings (``dont_use``: a list)."""
        section = settings.get("synthesis") or {}
        if not isinstance(section, dict):
            raise ValueError("synthesis must be a mapping with key 'dont_use'")
        unknown = sorted(set(section) - {"dont_use"})
        if unknown:
            raise ValueError(f"synthesis: unknown key {unknown[0]!r}; the valid key is "
                             "'dont_use'")
        patterns = section.get("dont_use") or []
        if not isinstance(patterns, list) or not all(
                isinstance(p, str) and p.strip() for p in patterns):
            raise ValueError("synthesis.dont_use must be a list of cell-name patterns "
                             f"(globs such as '*xp*'), not {patterns!r}")
        return cls(tuple(patterns))

    def allows(self, cell: str) -> bool:
        return not any(fnmatch.fnmatchcase(cell, p) for p in self.dont_use)

    def check(self, library: list[str]) -> None:
        """Every pattern must name a cell of ``library``: a typo would exclude nothing."""
        for p in self.dont_use:
            if not any(fnmatch.fnmatchcase(c, p) for c in library):
                raise ValueError(f"synthesis.dont_use: {p!r} matches no cell of the "
                                 "library (patterns match full names, e.g. "
                                 "'*xp33_ASAP7*')")

    def first_allowed(self, role: str, candidates: tuple[str, ...]) -> str:
        """The first of ``candidates`` (smallest first) the policy allows."""
        for c in candidates:
            if self.allows(c):
                return c
        raise ValueError(f"synthesis.dont_use excludes every {role} cell ({', '.join(candidates)})")
