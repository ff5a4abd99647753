"""Reports: layout renders and metric tables."""
from ._chip import chip_report, chip_tables
from ._markdown import markdown_html, markdown_table
from ._render import lyp_layers, render_png, resolve_layers
from ._sweep import sweep_report
from ._table import metric_table

__all__ = ["render_png", "lyp_layers", "resolve_layers", "metric_table", "markdown_table",
           "sweep_report",
           "chip_report", "chip_tables", "markdown_html"]
