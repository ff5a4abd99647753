"""RTL generators: Amaranth components for the tiles, and their export to RTLIL."""
from ._mac import MAC
from ._registry import GENERATORS, build_component, generate, generator_names

__all__ = ["MAC", "GENERATORS", "generate", "generator_names", "build_component"]
