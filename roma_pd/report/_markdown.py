from __future__ import annotations

import pandas as pd

__all__ = ["markdown_table"]


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
