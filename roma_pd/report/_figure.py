"""Saving matplotlib figures the same way in every report."""
from __future__ import annotations

from pathlib import Path

__all__ = ["save_figure"]


def save_figure(fig, path: Path) -> Path:
    """Lay out, write as PNG and close ``fig``; returns ``path``."""
    import matplotlib.pyplot as plt
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
