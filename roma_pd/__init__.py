"""roma-pd: ROMA tiles from Amaranth RTL to routed ASAP7 layouts, with measured PPA."""
from ._errors import RomaError

__all__ = ["RomaError"]
__version__ = "0.2.0"
