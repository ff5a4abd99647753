"""Library-level facts of a liberty file (units), read with liberty-parser."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from .._errors import RomaError

__all__ = ["liberty_time_unit_ns"]

_NS = {"1ps": 1e-3, "10ps": 1e-2, "100ps": 0.1, "1ns": 1.0, "1us": 1e3}
# The units are simple attributes of the library group, before its first subgroup;
# parsing only that header keeps a 10 MB liberty from being parsed whole.
_FIRST_GROUP = re.compile(r"^\s*(cell|lu_table_template|power_lut_template|"
                          r"operating_conditions|type|wire_load)\s*\(", re.M)


def _header(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", errors="replace") as f:
        text = f.read(200_000)
    m = _FIRST_GROUP.search(text)
    return (text[:m.start()] if m else text) + "\n}\n"


def liberty_time_unit_ns(path: str | Path) -> float:
    """The ``time_unit`` of liberty ``path`` in ns (``"1ps"`` -> 0.001).

    Raises
    ------
    RomaError
        The file cannot be read as a liberty library, or states no known time unit.
    """
    from liberty.parser import LibertyParserError, parse_liberty
    path = Path(path)
    try:
        lib = parse_liberty(_header(path))
    except (OSError, EOFError, LibertyParserError) as exc:
        raise RomaError(f"liberty {path}: cannot be read ({type(exc).__name__}); set "
                        "ROMA_PDK_ROOT to a complete lambdapdk copy") from None
    unit = str(lib["time_unit"] or "").strip('"').replace(" ", "").lower()
    if unit not in _NS:
        raise RomaError(f"liberty {path}: time_unit must be one of {sorted(_NS)}, "
                        f"not {unit!r}")
    return _NS[unit]
