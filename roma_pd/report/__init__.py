"""Reports: layout renders and metric tables."""
from ._chip import chip_report, chip_tables
from ._markdown import markdown_html, markdown_table
from ._render import render_png
from ._sweep import sweep_report
from ._table import metric_table

__all__ = ["render_png", "metric_table", "markdown_table", "sweep_report",
           "chip_report", "chip_tables", "markdown_html"]
