"""What decides an attempt's outcome besides its block and point: the flow settings as
parsed, the code of the tasks and tools, the installed tool versions and the timeout.
The attempt key hashes it, so a change to any of these reruns the attempts, and an edit
that changes none of them (a comment in the settings file) keeps them."""
from __future__ import annotations

import ast
import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from .._flowsettings import load_flow_settings

__all__ = ["flow_identity", "code_hash"]

# The packages whose code decides a run's result: RTL, tasks, tool wrappers, metrics,
# PDK facts. (The sweep and report code only reads results.)
_PACKAGES = ("rtl", "flow", "tools", "metrics", "pdk")
_DISTRIBUTIONS = ("siliconcompiler", "coriolis-eda", "klayout", "pyosys", "lambdapdk",
                  "amaranth")


def _code(path: Path) -> str:
    """The code of a module without its comments and docstrings (they decide nothing)."""
    tree = ast.parse(path.read_bytes(), str(path))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@cache
def code_hash() -> str:
    """sha256 over the code of the packages that decide a run's result, comments and
    docstrings left out."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            h.update(str(path.relative_to(root)).encode() + b"\0" + _code(path).encode())
    return h.hexdigest()[:24]


@cache
def _tool_versions() -> tuple[tuple[str, str], ...]:
    versions = []
    for dist in _DISTRIBUTIONS:
        try:
            versions.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            versions.append((dist, "missing"))
    return tuple(versions)


def flow_identity(settings: Path, timeout_s: float) -> dict:
    """The parts of an attempt key the flow contributes; the settings are their
    validated content (``FlowSettings``), so comments and layout of the file do not
    count, and a file with an unknown key is refused (``RomaError``)."""
    return {"settings": load_flow_settings(settings).as_dict(), "code": code_hash(), "tools": dict(_tool_versions()),
            "timeout_s": timeout_s}
