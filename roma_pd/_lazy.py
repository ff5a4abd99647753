"""Package exports imported on first use (PEP 562): a command that stops on its input,
or a test of one module, does not pay for pandas, KLayout and SiliconCompiler."""
from __future__ import annotations

import importlib
import sys


def lazy_exports(package: str, exports: dict[str, tuple[str, ...]]):
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``, whose public names
    live in the submodules ``exports`` maps them from (``{"._config": ("load_config",)}``).
    Each name is imported when first read and then kept in the package."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__, list(where)
