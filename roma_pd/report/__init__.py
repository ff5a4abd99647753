"""Reports: layout renders and metric tables."""
from ._render import render_png
from ._table import metric_table

__all__ = ["render_png", "metric_table"]
