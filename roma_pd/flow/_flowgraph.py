from __future__ import annotations

from siliconcompiler import Flowgraph

from ._drc import DrcTask
from ._export import ExportTask
from ._measure import MetricsTask
from ._place import PlaceTask
from ._route import RouteTask
from ._sta import StaTask
from ._synth import SynthTask

__all__ = ["RomaTileFlow", "STEPS", "EDGES"]

STEPS = ["synth", "place", "route", "export", "drc", "metrics", "sta"]
EDGES = [("synth", "place"), ("synth", "route"),    # the netlist
         ("place", "route"),                        # the placement snapshot
         ("route", "export"), ("export", "drc"), ("synth", "sta"),
         ("synth", "metrics"),                      # the netlist LVS compares
         ("place", "metrics"), ("route", "metrics"), ("export", "metrics"),
         ("drc", "metrics"), ("metrics", "sta")]    # the SPEF


class RomaTileFlow(Flowgraph):
    """``roma_tile``: synth -> place -> route -> export -> drc -> metrics -> sta.

    ``metrics`` runs LVS and writes the routed wires' parasitics (SPEF, under the
    netlist's names, which the LVS pairing gives), so STA comes last. ``blocks`` > 1
    lays out that many independent copies, index i for block i, which SiliconCompiler's
    scheduler runs in parallel.
    """

    def __init__(self, name: str = "roma_tile", blocks: int = 1):
        super().__init__(name)
        tasks = [("synth", SynthTask), ("place", PlaceTask), ("route", RouteTask),
                 ("export", ExportTask), ("drc", DrcTask), ("sta", StaTask),
                 ("metrics", MetricsTask)]
        for i in range(blocks):
            for step, cls in tasks:
                self.node(step, cls(), index=i)
            for tail, head in EDGES:
                self.edge(tail, head, tail_index=i, head_index=i)
