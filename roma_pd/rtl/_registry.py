"""Generator registry: a config names a generator and its parameters; we build the RTL."""
from __future__ import annotations

import inspect
from typing import Callable

from amaranth.back import rtlil

from .._errors import RomaError
from ._content import content_words
from ._gates import Asap7Gates
from ._mac import MAC
from ._rom import BROM, LogicROM, StdROM

__all__ = ["GENERATORS", "generate", "generator_names", "build_component"]

def _rom(cls):
    def build(depth: int = 256, width: int = 32, weight_bits: int = 2,
              content: dict | None = None, structural: bool = True):
        words = content_words(content, depth, width, weight_bits)
        cells = Asap7Gates() if structural and cls is not LogicROM else None
        return cls(depth, width, words, cells)
    build.__name__ = cls.__name__.lower()
    build.__doc__ = f"{cls.__name__} with weight content from a config ``content`` spec."
    return build


GENERATORS: dict[str, Callable] = {
    "mac": MAC,
    "stdrom": _rom(StdROM),
    "brom": _rom(BROM),
    "logicrom": _rom(LogicROM),
}


def generator_names() -> list[str]:
    return sorted(GENERATORS)


def build_component(name: str, params: dict):
    """Construct generator ``name`` with ``params`` (checks names and values).

    Raises
    ------
    ValueError
        Unknown generator or parameter, or a value the generator rejects.
    """
    if name not in GENERATORS:
        raise ValueError(f"generator must be one of {generator_names()}, not {name!r}")
    gen = GENERATORS[name]
    accepted = list(inspect.signature(gen).parameters)
    for key in params:
        if key not in accepted:
            raise ValueError(f"params.{key}: generator {name!r} takes {accepted}, "
                             f"not {key!r}")
    try:
        return gen(**params)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"params: {exc}") from None


def generate(name: str, params: dict, top: str) -> str:
    """Elaborate generator ``name`` with ``params`` and return RTLIL text of module ``top``.

    Raises
    ------
    RomaError
        Unknown generator, unknown parameter, or a value the generator rejects.
    """
    try:
        component = build_component(name, params)
    except ValueError as exc:
        raise RomaError(str(exc)) from None
    return rtlil.convert(component, name=top)
