"""Metric definitions and the measurements behind them, defined once (ROMA.md, Metrics)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "._schema": ("Metric", "metric_definitions", "install_metrics", "orfs_name",
                 "POWER_CLOCK_NS", "POWER_CLOCK_MHZ"),
    "._layout": ("wirelength_by_layer", "vias_by_cut", "metal_area_by_layer",
                 "track_utilization", "metal_density"),
    "._lvs": ("LvsResult", "run_lvs", "read_verilog_netlist", "read_verilog_json",
              "schematic_from_yosys", "schematic_names", "net_connections", "escaped_nets"),
    "._parasitics": ("ASAP7_RC", "NetRC", "net_parasitics", "write_spef"),
    "._drc": ("DrcResult", "run_drc", "drc_layers", "MAX_MARKERS"),
    "._cells": ("transistor_counts", "count_transistors"),
    "._table": ("collect_run", "write_metrics", "load_metrics", "METRICS_FILE", "orfs_keys",
                "metric_names_markdown", "write_text_metrics"),
})
