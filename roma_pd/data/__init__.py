"""The files roma-pd ships: flow settings, the chip config, the built-in sweeps.

The checkout's ``flows/``, ``designs/chip/`` and ``designs/sweeps/`` are links to these
folders, so a checkout and an installed wheel read the same files from any working folder.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_file", "FLOWS", "CHIP_CONFIG", "SWEEPS"]


def data_file(*parts: str) -> Path:
    """The path of a shipped file (pip installs packages unzipped, so it is a real file)."""
    return Path(str(files(__name__).joinpath(*parts)))


FLOWS = data_file("flows")
CHIP_CONFIG = data_file("chip", "roma.yaml")
SWEEPS = data_file("sweeps")
