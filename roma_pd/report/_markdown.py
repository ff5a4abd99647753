from __future__ import annotations

import html

import pandas as pd

__all__ = ["markdown_table", "markdown_html"]


def markdown_table(df: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    """A GitHub-style Markdown table of ``df``; ``formats`` maps columns to format specs."""
    formats = formats or {}
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
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
    """A plain HTML page of the summary (tables, images, paragraphs)."""
    body, table = [], []

    def flush():
        if table:
            rows = [r.strip("|").split("|") for r in table if not r.startswith("|---")]
            head, *rest = rows
            body.append("<table><tr>" + "".join(f"<th>{html.escape(c.strip())}</th>"
                                                for c in head) + "</tr>" +
                        "".join("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>"
                                                 for c in r) + "</tr>" for r in rest) +
                        "</table>")
            table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        flush()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{html.escape(line.lstrip('# '))}</h{level}>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](")
            body.append(f'<img alt="{html.escape(alt)}" src="{html.escape(src[:-1])}">')
        elif line.startswith("- "):
            body.append(f"<li>{html.escape(line[2:])}</li>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    flush()
    style = ("body{font-family:sans-serif;max-width:1100px;margin:auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{style}</style></head><body>\n" + "\n".join(body) +
            "\n</body></html>\n")
