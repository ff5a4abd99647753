"""Generator registry: a config names a generator and its parameters; we build the RTL."""
from __future__ import annotations

import inspect
from typing import Callable

from amaranth.back import rtlil

from .._errors import RomaError
from ._mac import MAC

__all__ = ["GENERATORS", "generate", "generator_names", "build_component"]

GENERATORS: dict[str, Callable] = {
    "mac": MAC,
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
