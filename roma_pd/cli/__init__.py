"""The ``roma-pd`` command line."""
from ._main import check_tools, main

__all__ = ["main", "check_tools"]
