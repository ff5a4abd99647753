"""Every metric the roma_tile flow records: name, type, unit, help and the recording step.

Names SiliconCompiler already defines (cells, cellarea, utilization, setupslack, ...)
are reused with SiliconCompiler's units; the rest are added to the project's metric
schema by :func:`install_metrics` before a run.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..pdk import TechFacts
from ._drc import drc_layers

REPAIR_ROUNDS_MAX = 8      # route rounds 0..8: the first route and up to 8 repairs

# The clock every power metric is reported at (ROMA's 500 MHz), whatever the design's
# own clock; the chip model turns those mW into energy per cycle at this clock.
POWER_CLOCK_NS = 2.0
POWER_CLOCK_MHZ = 1e3 / POWER_CLOCK_NS

__all__ = ["Metric", "metric_definitions", "install_metrics", "orfs_name", "POWER_CLOCK_NS",
           "POWER_CLOCK_MHZ"]

# ORFS-style names (<stage>__<category>__<metric>, as OpenROAD-flow-scripts' metrics
# JSON spells them) so that tools reading ORFS metrics read ours. Stages are where the
# value holds in ORFS terms: the routed layout is "finish" (our flow does not change
# the netlist after synthesis, so STA on it with the routed wires' SPEF is the final
# timing; the slack without wires is ORFS' floorplan-stage kind).
_ORFS = {
    "cells": "synth__design__instance__count",
    "registers": "synth__design__instance__count__register",
    "nets": "synth__design__net__count",
    "cellarea": "synth__design__instance__area__stdcell",
    "totalarea": "finish__design__die__area",
    "core_area": "finish__design__core__area",
    "stdcell_area": "finish__design__instance__area",
    "base_util": "finish__design__instance__utilization",
    "utilization": "finish__design__instance__utilization__percent",
    "unrouted_segments": "detailedroute__route__segment__unrouted",
    "unrouted_nets": "detailedroute__route__net__unrouted",
    "segment_completion": "detailedroute__route__segment__completion",
    "unrouted_nets_initial": "detailedroute__route__net__unrouted__initial",
    "repair_rounds": "detailedroute__repair__round__count",
    "repair_round_chosen": "detailedroute__repair__round__chosen",
    "padded_cells": "detailedroute__repair__instance__padded",
    "incoherent_segments": "detailedroute__route__segment__offtrack",
    "setupslack": "finish__timing__setup__ws",
    "setupwns": "finish__timing__setup__wns",
    "setuptns": "finish__timing__setup__tns",
    "averagepower": "finish__power__total",
    "leakagepower": "finish__power__leakage__total",
    "internal_power": "finish__power__internal__total",
    "switching_power": "finish__power__switching__total",
    "averagepower_design_clock": "finish__power__total__design_clock",
    "workload_power": "finish__power__total__workload",
    "workload_power_design_clock": "finish__power__total__workload__design_clock",
    "power_method": "finish__power__method",
    "transistors": "finish__design__transistor__count",
    "transistor_density": "finish__design__transistor__density",
    "wirelength": "detailedroute__route__wirelength",
    "vias": "detailedroute__route__vias",
    "opens": "finish__connectivity__opens",
    "shorts": "finish__connectivity__shorts",
    "min_area_patches": "finish__design__min_area_patches",
    "drc_violations": "finish__drc__violations",
    "route_complete": "detailedroute__route__complete",
    "setupslack_nowire": "floorplan__timing__setup__ws",   # no wires, as ORFS' floorplan
    "holdslack": "finish__timing__hold__ws",
    "holdwns": "finish__timing__hold__wns",
    "holdtns": "finish__timing__hold__tns",
    "critical_path_start": "finish__timing__setup__critical_path__start",
    "critical_path_end": "finish__timing__setup__critical_path__end",
    "lvs_mismatches": "finish__lvs__mismatches",
    "spef_nets": "finish__parasitics__net__count",
    "wire_res": "finish__parasitics__resistance__total",
    "wire_cap": "finish__parasitics__capacitance__total",
}
# Per-layer metrics: our prefix -> the ORFS key before the layer name.
_ORFS_LAYER = {
    "unrouted_nets_round": "detailedroute__repair__net__unrouted__round",
    "wl_": "detailedroute__route__wirelength__",
    "track_util_": "detailedroute__route__track_utilization__",
    "density_": "finish__design__metal_density__",
    "vias_": "detailedroute__route__vias__",
    "drc_": "finish__drc__violations__",
}
_ORFS_STAGE = {"synth": "synth", "place": "detailedplace", "route": "detailedroute"}


def orfs_name(name: str, step: str = "metrics") -> str:
    """The ORFS-style key of metric ``name`` recorded by ``step``; a metric not mapped
    here gets ``<stage>__roma__<name>``."""
    if name in _ORFS:
        return _ORFS[name]
    for prefix, key in _ORFS_LAYER.items():
        if name.startswith(prefix):
            return key + name.removeprefix(prefix)
    return f"{_ORFS_STAGE.get(step, 'finish')}__roma__{name}"


@dataclass(frozen=True)
class Metric:
    """One metric: its schema name, value type, unit ('' if none), help, and step."""
    name: str
    type: str
    unit: str
    help: str
    step: str
    builtin: bool = False     # already in SiliconCompiler's ASIC metric schema

    @property
    def orfs(self) -> str:
        """The ORFS-style key (``<stage>__<category>__<metric>``)."""
        return orfs_name(self.name, self.step)


def metric_definitions(tech: TechFacts) -> list[Metric]:
    """All metrics of the flow, per-layer ones for each metal and cut layer of ``tech``."""
    m = [
        Metric("cells", "int", "", "standard-cell instances after synthesis", "synth", True),
        Metric("registers", "int", "", "flip-flops after synthesis", "synth", True),
        Metric("nets", "int", "", "nets after synthesis", "synth", True),
        Metric("cellarea", "float", "um^2", "standard-cell area after synthesis (liberty)",
               "synth", True),
        Metric("totalarea", "float", "um^2", "die area: core plus the I/O pin halo",
               "place", True),
        Metric("utilization", "float", "%", "placement density in percent", "place", True),
        Metric("core_area", "float", "um^2", "core area (placement rows)", "place"),
        Metric("stdcell_area", "float", "um^2", "standard-cell area, fillers excluded "
               "(LEF sizes)", "place"),
        Metric("base_util", "float", "", "base-layer utilization: standard-cell area / "
               "core area, fillers excluded", "place"),
        Metric("density_variation", "float", "", "share of the core the placer kept free "
               "of bloated cells (Etesian's densityVariation; placement.local_density "
               "sets it per run)", "place"),
        Metric("unrouted_segments", "int", "", "segments Katana left unrouted or off "
               "their track axis", "route"),
        Metric("unrouted_nets", "int", "", "signal nets with a segment Katana left "
               "unrouted or off its track axis", "route"),
        Metric("incoherent_segments", "int", "", "segments Katana's coherency check "
               "found off their track axis in the kept route (shorted, yet in no "
               "unrouted list; counted in the residue)", "route"),
        Metric("segment_completion", "float", "", "share of track segments Katana "
               "routed", "route"),
        Metric("route_complete", "int", "", "1 if Katana reported the kept route "
               "complete, 0 if not (its own flag; a run is clean only at 1)", "route"),
        Metric("unrouted_nets_initial", "int", "", "unrouted nets of the first route, "
               "before any repair round", "route"),
        Metric("repair_rounds", "int", "", "repair rounds run (pad the cells around the "
               "residue, place again, route again)", "route"),
        Metric("repair_round_chosen", "int", "", "the round whose route is the result "
               "(fewest unrouted nets; 0 is the first route)", "route"),
        Metric("padded_cells", "int", "", "cells padded by repair in the chosen round",
               "route"),
        *[Metric(f"unrouted_nets_round{k}", "int", "", f"unrouted nets after route round "
                 f"{k} (0: the first route)", "route") for k in range(REPAIR_ROUNDS_MAX + 1)],
        Metric("setupslack", "float", "ns", "worst setup slack at the target clock, "
               "routed wire parasitics annotated (SPEF)", "sta", True),
        Metric("setupwns", "float", "ns", "worst negative setup slack", "sta", True),
        Metric("setuptns", "float", "ns", "total negative setup slack", "sta", True),
        Metric("setupslack_nowire", "float", "ns", "worst setup slack before the wire "
               "parasitics are read (pin loads only)", "sta"),
        Metric("holdslack", "float", "ns", "worst hold slack, wire parasitics annotated "
               "(ideal clock)", "sta", True),
        Metric("holdwns", "float", "ns", "worst negative hold slack", "sta", True),
        Metric("holdtns", "float", "ns", "total negative hold slack", "sta", True),
        Metric("critical_path_start", "str", "", "start point of the worst setup path",
               "sta"),
        Metric("critical_path_end", "str", "", "end point of the worst setup path",
               "sta"),
        Metric("averagepower", "float", "mw", "total power at 500 MHz, every net and "
               "input at the stated uniform activity", "sta", True),
        Metric("averagepower_design_clock", "float", "mw", "averagepower at the design's "
               "own clock (clock_period_ns or the SDC's clocks)", "sta"),
        Metric("leakagepower", "float", "mw", "leakage power", "sta", True),
        Metric("internal_power", "float", "mw", "cell internal power at 500 MHz", "sta"),
        Metric("switching_power", "float", "mw", "net switching power at 500 MHz (pin "
               "loads and routed wire capacitance)", "sta"),
        Metric("workload_power", "float", "mw", "total power at 500 MHz of the "
               "simulated workload: per-input-port activities propagated by OpenSTA "
               "(overstates through adder trees)", "sta"),
        Metric("workload_power_design_clock", "float", "mw", "workload_power at the "
               "design's own clock", "sta"),
        Metric("power_method", "str", "", "how each power metric was computed",
               "sta"),
        Metric("transistors", "int", "", "transistors: CDL devices per cell times "
               "instances", "metrics", True),
        Metric("transistor_density", "float", "", "transistors per um^2 of core area",
               "metrics"),
        Metric("wirelength", "float", "um", "routed wirelength, all layers", "metrics",
               True),
        Metric("vias", "int", "", "via cuts, all cut layers", "metrics", True),
        Metric("opens", "int", "", "netlist nets split into several pieces in the final "
               "GDS, a cell pin touching no wire included (KLayout LVS)", "metrics"),
        Metric("shorts", "int", "", "pairs of netlist nets joined in the final GDS "
               "(KLayout LVS)", "metrics"),
        Metric("lvs_mismatches", "int", "", "nets and cells KLayout's netlist comparer "
               "could not match between the final GDS and the synthesized netlist "
               "(0: LVS match)", "metrics"),
        Metric("spef_nets", "int", "", "nets with routed parasitics in the SPEF (named "
               "through the LVS pairing)", "metrics"),
        Metric("wire_res", "float", "kohm", "routed wire and via resistance, all nets "
               "(ORFS ASAP7 per-layer values)", "metrics"),
        Metric("wire_cap", "float", "ff", "routed wire capacitance, all nets (ORFS ASAP7 "
               "per-layer values)", "metrics"),
    ]
    for layer in tech.metals:
        n = layer.name.lower()
        m += [
            Metric(f"wl_{n}", "float", "um", f"routed wirelength on {layer.name}",
                   "metrics"),
            Metric(f"track_util_{n}", "float", "", f"{layer.name} track utilization: "
                   f"wirelength x {layer.pitch} um pitch / core area", "metrics"),
            Metric(f"density_{n}", "float", "", f"{layer.name} drawn metal area / core "
                   "area, cells included", "metrics"),
        ]
    for cut in tech.cuts:
        m.append(Metric(f"vias_{cut.name.lower()}", "int", "",
                        f"via cuts on {cut.name} ({cut.below}-{cut.above})", "metrics"))
    metals, cuts = drc_layers(tech)
    m.append(Metric("min_area_patches", "int", "", "routed metal islands under the LEF "
                    "minimum area that the export step lengthened along their track",
                    "export"))
    m.append(Metric("drc_violations", "int", "", "DRC violations of the final GDS, all "
                    "layers (tech LEF width, spacing, area, cut spacing, via coverage)",
                    "drc"))
    for name in metals + cuts:
        rules = "width, spacing, area" if name in metals else "cut spacing, coverage by " \
            "the metal below and above"
        m.append(Metric(f"drc_{name.lower()}", "int", "", f"DRC violations on {name} "
                        f"({rules})", "drc"))
    return m


def install_metrics(project, tech: TechFacts) -> None:
    """Add the flow's own metrics to ``project``'s SiliconCompiler metric schema."""
    from siliconcompiler.schema import EditableSchema, Parameter, PerNode, Scope
    schema = project.get("metric", field="schema")
    editable = EditableSchema(schema)
    for metric in metric_definitions(tech):
        # Text metrics stay out: summary() formats every schema metric as a number.
        if metric.builtin or metric.type == "str" or metric.name in schema.getkeys():
            continue
        kind = "int" if metric.type == "int" else "float"
        editable.insert(metric.name, Parameter(
            kind, unit=metric.unit or None, scope=Scope.JOB, pernode=PerNode.REQUIRED,
            shorthelp=f"Metric: {metric.help}", help=metric.help))
