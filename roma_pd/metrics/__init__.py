"""Metric definitions and the measurements behind them, defined once (ROMA.md, Metrics)."""
from ._schema import (Metric, metric_definitions, install_metrics, orfs_name, POWER_CLOCK_NS,
                      POWER_CLOCK_MHZ)
from ._layout import (wirelength_by_layer, vias_by_cut, metal_area_by_layer,
                      track_utilization, metal_density)
from ._lvs import (LvsResult, run_lvs, read_verilog_netlist, read_verilog_json,
                   schematic_from_yosys,
                   schematic_names, net_connections, escaped_nets)
from ._parasitics import ASAP7_RC, NetRC, net_parasitics, write_spef
from ._drc import DrcResult, run_drc, drc_layers, MAX_MARKERS
from ._cells import transistor_counts, count_transistors
from ._table import (collect_run, write_metrics, load_metrics, METRICS_FILE, orfs_keys,
                     metric_names_markdown, write_text_metrics)

__all__ = ["Metric", "metric_definitions", "install_metrics", "orfs_name",
           "POWER_CLOCK_NS", "POWER_CLOCK_MHZ",
           "orfs_keys", "metric_names_markdown",
           "wirelength_by_layer", "vias_by_cut", "metal_area_by_layer",
           "track_utilization", "metal_density",
           "LvsResult", "run_lvs", "read_verilog_netlist", "read_verilog_json",
           "schematic_from_yosys",
           "schematic_names", "net_connections", "escaped_nets",
           "ASAP7_RC", "NetRC", "net_parasitics", "write_spef",
           "DrcResult", "run_drc", "drc_layers", "MAX_MARKERS",
           "transistor_counts", "count_transistors",
           "collect_run", "write_metrics", "load_metrics", "METRICS_FILE",
           "write_text_metrics"]
