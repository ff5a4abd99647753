"""How large a block the generators accept: what the flow can place and route here.

Measured on this machine kind (2 cores, docs/DEVELOPMENT.md): a 20K-cell block took
1 GB and 167 s through the flow, and the default sweep's largest blocks (512 x 256 ROM
bits, 128 L-Unit lanes) are about 40K to 80K cells; route time grows faster than the
cells. The limits sit at those largest blocks, so a mistyped depth (1048576) fails in the
config instead of generating gigabytes of RTL in silence.
"""
from __future__ import annotations

__all__ = ["MAX_ROM_BITS", "MAX_MAC_PRODUCT_BITS", "check_rom_bits", "check_mac_size"]

MAX_ROM_BITS = 512 * 256          # the default sweep's largest ROM
MAX_MAC_PRODUCT_BITS = 128 * 8 * 8    # 128 lanes of 8 x 8 (a 8x8 lane is ~480 cells)
_WHY = "about 80K cells, the most the flow places and routes on this machine, in hours"


def check_rom_bits(depth: int, width: int) -> None:
    """Raise ValueError when a ``depth`` x ``width`` ROM is past :data:`MAX_ROM_BITS`."""
    if depth * width > MAX_ROM_BITS:
        raise ValueError(f"depth x width must be at most {MAX_ROM_BITS} ROM bits (512 x "
                         f"256: {_WHY}), not {depth} x {width} = {depth * width}")


def check_mac_size(a_width: int, b_width: int, lanes: int) -> None:
    """Raise ValueError when a MAC's partial products pass :data:`MAX_MAC_PRODUCT_BITS`."""
    bits = a_width * b_width * lanes
    if bits > MAX_MAC_PRODUCT_BITS:
        raise ValueError(f"a_width x b_width x lanes must be at most "
                         f"{MAX_MAC_PRODUCT_BITS} partial-product bits (128 lanes of 8 x 8: "
                         f"{_WHY}), not {a_width} x {b_width} x {lanes} = {bits}")
