"""The ``roma-pd`` command line."""
from ._main import main

__all__ = ["main"]
