from __future__ import annotations

import html

import pandas as pd
from markdown_it import MarkdownIt

__all__ = ["markdown_table", "markdown_html"]

# html=False: report text is escaped, never passed through as raw HTML.
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


# Units of the report columns whose names do not carry one (``power_mw``, ``area_mm2``
# and ``um2_per_bit`` do); the CSVs keep the bare names.
UNITS = {"clean_core_area": "µm²", "near_clean_core_area": "µm²", "tile_area": "µm²",
         "depth": "words", "width": "bits"}


def markdown_table(df: pd.DataFrame, formats: dict[str, str] | None = None,
                   units: dict[str, str] | None = None) -> str:
    """A GitHub-style Markdown table of ``df``; ``formats`` maps columns to format specs,
    ``units`` to units shown in the header (over the defaults of ``UNITS``)."""
    formats = formats or {}
    units = {**UNITS, **(units or {})}
    cols = list(df.columns)
    head = [f"{c} ({units[c]})" if units.get(c) else str(c) for c in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(cols)]
    def cell(value, spec):
        if value is None or (isinstance(value, float) and value != value):
            return "-"                  # missing: a block that found no passing density
        if not spec and isinstance(value, float) and value.is_integer():
            return str(int(value))      # counts read back from CSV come as floats
        return format(value, spec)

    for _, row in df.iterrows():
        lines.append("| " + " | ".join(cell(row[c], formats.get(c, "")) for c in cols)
                     + " |")
    return "\n".join(lines) + "\n"


def markdown_html(markdown: str, title: str) -> str:
    """The summary as an HTML page, rendered by markdown-it-py (CommonMark with GitHub
    tables); every table sits in a box that scrolls sideways when it is too wide."""
    body = _MD.render(markdown)
    body = body.replace("<table>", '<div class="table-box"><table>') \
               .replace("</table>", "</table></div>")
    style = ("body{font-family:sans-serif;max-width:1100px;margin:auto}"
             ".table-box{overflow-x:auto;max-width:100%}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
             "code{background:#f4f4f4}img{max-width:100%}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{style}</style></head><body>\n" + body +
            "</body></html>\n")
