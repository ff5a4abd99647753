from __future__ import annotations

from siliconcompiler import Flowgraph

from ._export import ExportTask
from ._measure import MetricsTask
from ._place import PlaceTask
from ._route import RouteTask
from ._sta import StaTask
from ._synth import SynthTask

__all__ = ["RomaTileFlow", "STEPS"]

STEPS = ["synth", "place", "route", "export", "sta", "metrics"]


class RomaTileFlow(Flowgraph):
    """``roma_tile``: synth -> place -> route -> export -> metrics, with sta beside.

    STA reads only the synthesized netlist (Coriolis writes no parasitics), so it runs
    in parallel with place and route.
    """

    def __init__(self, name: str = "roma_tile"):
        super().__init__(name)
        self.node("synth", SynthTask())
        self.node("place", PlaceTask())
        self.node("route", RouteTask())
        self.node("export", ExportTask())
        self.node("sta", StaTask())
        self.node("metrics", MetricsTask())
        self.edge("synth", "place")
        self.edge("synth", "route")      # the netlist
        self.edge("place", "route")      # the placement snapshot
        self.edge("route", "export")
        self.edge("synth", "sta")
        self.edge("place", "metrics")
        self.edge("route", "metrics")
        self.edge("export", "metrics")
        self.edge("sta", "metrics")      # a run ends when every step has
