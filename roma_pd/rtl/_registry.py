"""Generator registry: a config names a generator and its parameters; we build the RTL."""
from __future__ import annotations

import inspect
from typing import Callable

from amaranth.back import rtlil

from .._errors import RomaError
from ..pdk import CellPolicy
from ._content import content_words
from ._gates import Asap7Gates
from ._mac import MAC
from ._lunit import LUnit
from ._rom import BROM, LogicROM, StdROM
from ._tile import Compute, Tile, sram_macros

__all__ = ["GENERATORS", "generate", "generator_names", "build_component", "tile_blocks"]

def _rom(cls):
    def build(depth: int = 256, width: int = 32, weight_bits: int = 2,
              content: dict | None = None, structural: bool = True,
              or_style: str = "nornand", policy: CellPolicy = CellPolicy()):
        words = content_words(content, depth, width, weight_bits)
        if or_style not in ("nornand", "or"):
            raise ValueError(f"or_style must be 'nornand' or 'or', not {or_style!r}")
        cells = Asap7Gates.for_policy(policy, or_style) \
            if structural and cls is not LogicROM else None
        return cls(depth, width, words, cells)
    build.__name__ = cls.__name__.lower()
    build.__doc__ = f"{cls.__name__} with weight content from a config ``content`` spec."
    return build


def tile(variant: str = "brom", depth: int = 256, width: int = 32, weight_bits: int = 2,
         mant_bits: int = 16, content: dict | None = None, structural: bool = True,
         lanes: int | None = None, policy: CellPolicy = CellPolicy()):
    """A whole tile (store and compute), flat; the flow hardens it as one block.
    ``lanes`` is ``width // weight_bits``: one L-Unit lane per weight of a word."""
    if lanes is not None and lanes * weight_bits != width:
        raise ValueError(f"lanes must be width // weight_bits ({width // weight_bits}), "
                         f"not {lanes!r}")
    words = content_words(content, depth, width, weight_bits)
    return Tile(variant, depth, width, words, weight_bits, mant_bits, structural, policy)


def compute(depth: int = 256, width: int = 32, weight_bits: int = 2, mant_bits: int = 16):
    """The compute block of a tile: address counter and L-Unit."""
    return Compute(depth, width, weight_bits, mant_bits)


GENERATORS: dict[str, Callable] = {
    "mac": MAC,
    "stdrom": _rom(StdROM),
    "brom": _rom(BROM),
    "logicrom": _rom(LogicROM),
    "lunit": LUnit,
    "compute": compute,
    "tile": tile,
}


# The variant-to-block plan: the roles of the blocks each variant's tile is made of,
# store first. ``tile_blocks`` hardens them, the sweep adds them into tiles
# (``sweep/_tiles.py``) and the chip model's hold-out predicts them.
TILE_ROLES = {"sram": ("compute",), "rom": ("stdrom", "compute"),
              "brom": ("brom", "compute"), "fused": ("fused",)}


def tile_blocks(params: dict) -> tuple[list[tuple[str, str, dict]], tuple[str, int] | None]:
    """How the flow hardens a tile: ``[(name suffix, generator, params)]`` and, for the
    SRAM variant, the fakeram7 macro and how many of them.

    Separate variants harden their store and compute blocks on their own; ``fused`` is
    one flat block; ``sram`` hardens compute only, beside its macros.
    """
    p = {k: v.default for k, v in inspect.signature(tile).parameters.items()}
    p.update(params)
    shared = {k: p[k] for k in ("depth", "width", "weight_bits")}
    compute_block = ("_compute", "compute", {**shared, "mant_bits": p["mant_bits"]})
    variant = p["variant"]
    if variant == "fused":
        return [("", "tile", dict(params))], None
    if variant == "sram":
        return [compute_block], sram_macros(p["depth"], p["width"])
    store = TILE_ROLES[variant][0]
    return [("_store", store, {**shared, "content": p["content"],
                               "structural": p["structural"]}), compute_block], None


def generator_names() -> list[str]:
    return sorted(GENERATORS)


def build_component(name: str, params: dict, policy: CellPolicy = CellPolicy()):
    """Construct generator ``name`` with ``params`` (checks names and values); the
    generators that instantiate cells themselves choose them under ``policy``.

    Raises
    ------
    ValueError
        Unknown generator or parameter, or a value the generator rejects.
    """
    if name not in GENERATORS:
        raise ValueError(f"generator must be one of {generator_names()}, not {name!r}")
    gen = GENERATORS[name]
    accepted = [p for p in inspect.signature(gen).parameters if p != "policy"]
    if "policy" in params or "dont_use" in params:
        raise ValueError("params: the cell policy is a flow setting (synthesis.dont_use "
                         "in the flow's settings file), not a generator parameter")
    for key in params:
        if key not in accepted:
            raise ValueError(f"params.{key}: generator {name!r} takes {accepted}, "
                             f"not {key!r}")
    extra = {"policy": policy} if "policy" in inspect.signature(gen).parameters else {}
    try:
        return gen(**params, **extra)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"params: {exc}") from None


def check_params(name: str, params: dict) -> None:
    """Check generator ``name``'s ``params`` by constructing it, without elaborating:
    the component and the submodules it built are marked used, so Amaranth does not warn
    that they were never elaborated."""
    seen, todo = set(), [build_component(name, params)]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or not hasattr(obj, "_MustUse__silence"):
            continue
        seen.add(id(obj))
        obj._MustUse__silence = True
        todo.extend(vars(obj).values())


def generate(name: str, params: dict, top: str, policy: CellPolicy = CellPolicy()) -> str:
    """Elaborate generator ``name`` with ``params`` and return RTLIL text of module ``top``;
    cells the generator instantiates itself follow ``policy``.

    Raises
    ------
    RomaError
        Unknown generator, unknown parameter, or a value the generator rejects.
    """
    try:
        component = build_component(name, params, policy)
    except ValueError as exc:
        raise RomaError(str(exc)) from None
    return rtlil.convert(component, name=top)
