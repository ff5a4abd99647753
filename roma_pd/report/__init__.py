"""Reports: layout renders and metric tables."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "._chip": ("chip_report", "chip_tables"),
    "._markdown": ("markdown_html", "markdown_table"),
    "._render": ("lyp_layers", "render_png", "resolve_layers"),
    "._status": ("sweep_status",),
    "._sweep": ("sweep_report",),
    "._table": ("metric_table",),
})
