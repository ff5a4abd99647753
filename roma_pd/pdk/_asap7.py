"""ASAP7 (RVT, TT corner) as one object: file locations through lambdapdk, tech facts."""
from __future__ import annotations

import functools
import os
from pathlib import Path

from .._errors import RomaError
from ._liberty import liberty_time_unit_ns
from ._tech import TechFacts, read_tech_facts

__all__ = ["Asap7", "load_pdk", "PDK_ENV"]

PDK_ENV = "ROMA_PDK_ROOT"
_MARKER = Path("lambdapdk", "asap7", "base", "apr", "asap7_tech.lef")


def _library():
    from lambdapdk.asap7.libs.asap7sc7p5t import ASAP7SC7p5RVT
    return ASAP7SC7p5RVT()


class Asap7:
    """The ASAP7 7.5-track RVT library and its PDK, typical corner.

    Parameters
    ----------
    root : Path or None
        Folder holding ``lambdapdk/asap7/...``. ``None`` keeps lambdapdk's own
        resolution (it downloads the PDK when online).
    """
    name = "asap7"
    corner = "typical"
    cell_suffix = "_ASAP7_75t_R"

    def __init__(self, root: Path | None = None):
        self.root = Path(root).resolve() if root else None
        self.library = _library()
        if self.root:
            self.point_at(self.library)

    # lambdapdk objects keep a dataroot named "lambdapdk"; repoint it at our copy.
    def point_at(self, *objs) -> None:
        if not self.root:
            return
        for obj in objs:
            if obj.valid("dataroot", "lambdapdk"):
                obj.set_dataroot("lambdapdk", str(self.root), clobber=True)

    def _find(self, obj, fileset: str) -> list[Path]:
        keys = obj.getkeys("fileset", fileset, "file")
        out = []
        for key in keys:
            out.extend(Path(p) for p in obj.find_files("fileset", fileset, "file", key))
        return out

    @functools.cached_property
    def _pdk_obj(self):
        from lambdapdk.asap7 import ASAP7PDK
        pdk = ASAP7PDK()
        self.point_at(pdk)
        return pdk

    # -- files ---------------------------------------------------------------------
    @functools.cached_property
    def liberty_files(self) -> list[Path]:
        """TT-corner NLDM liberty files (gzip), one per cell family."""
        out = []
        for fs in sorted(self.library.getkeys("fileset")):
            if fs.startswith(f"models.timing.{self.corner}.nldm."):
                out.extend(self._find(self.library, fs))
        return out

    def _phys(self, suffix: str, fileset: str = "models.physical") -> Path:
        for p in self._find(self.library, fileset):
            if p.name.endswith(suffix):
                return p
        raise RomaError(f"ASAP7 library has no {suffix} file in fileset {fileset!r}")

    @property
    def cell_lef(self) -> Path:
        return self._phys(".lef")

    @property
    def cell_gds(self) -> Path:
        return self._phys(".gds.gz")

    @property
    def cell_cdl(self) -> Path:
        return self._phys(".cdl", "models.lvs")

    @property
    def tech_lef(self) -> Path:
        return self._find(self._pdk_obj, "views.lef")[0]

    @property
    def layermap(self) -> Path:
        return self._find(self._pdk_obj, "layermap")[0]

    @property
    def lyt(self) -> Path:
        return next(p for p in self._find(self._pdk_obj, "klayout.techmap")
                    if p.suffix == ".lyt")

    @property
    def lyp(self) -> Path:
        return next(p for p in self._find(self._pdk_obj, "klayout.techmap")
                    if p.suffix == ".lyp")

    def sram_macro(self, name: str) -> dict:
        """A fakeram7 macro: its LEF and liberty, and its size read from the LEF by
        KLayout (``name`` like ``fakeram7_sp_256x32``)."""
        import klayout.db as kdb
        from lambdapdk.asap7.libs import fakeram7
        cls = getattr(fakeram7, name.replace("fakeram7_", "FakeRAM7_"), None)
        if cls is None:
            raise RomaError(f"SRAM macro must be a fakeram7 macro of lambdapdk, not "
                            f"{name!r}")
        lib = cls()
        self.point_at(lib)
        lef = self._find(lib, "models.physical")[0]
        layout = kdb.Layout()
        layout.read(str(lef))
        box = layout.cell(name).dbbox()
        return {"name": name, "lef": lef,
                "liberty": self._find(lib, "models.timing.nldm")[0],
                "width_um": box.width(), "height_um": box.height(),
                "area_um2": box.width() * box.height()}

    # -- facts ---------------------------------------------------------------------
    @functools.cached_property
    def tech(self) -> TechFacts:
        try:
            return read_tech_facts(self.tech_lef, self.cell_lef, self.layermap)
        except (ValueError, UnicodeDecodeError, IndexError, TypeError) as exc:
            raise RomaError(f"tech LEF {self.tech_lef}: cannot be read "
                            f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                            f"); set {PDK_ENV} to a complete lambdapdk copy") from None

    @functools.cached_property
    def time_unit_ns(self) -> float:
        """The liberty time unit in ns (OpenSTA reports and takes times in it); every
        liberty file of the corner must state the same one."""
        units = {liberty_time_unit_ns(p) for p in self.liberty_files}
        if len(units) != 1:
            raise RomaError(f"liberty files of corner {self.corner} state different time "
                            f"units ({sorted(units)} ns); OpenSTA needs one")
        return units.pop()

    def cell(self, base: str) -> str:
        """Full cell name of a library cell, e.g. ``cell('BUFx2')``."""
        return base + self.cell_suffix

    @functools.cached_property
    def cell_names(self) -> list[str]:
        """Every cell of the library's LEF (its MACRO names, as KLayout reads them)."""
        import klayout.db as kdb
        layout = kdb.Layout()
        layout.read(str(self.cell_lef))
        return sorted(c.name for c in layout.each_cell())

    @property
    def filler_cells(self) -> list[str]:
        return self.library.get("asic", "cells", "filler")

    @property
    def tie_cells(self) -> tuple[str, str]:
        """(tie-high, tie-low) cell names."""
        hi, lo = sorted(self.library.get("asic", "cells", "tie"))
        return hi, lo


def load_pdk(root: str | os.PathLike | None = None) -> Asap7:
    """Return the ASAP7 PDK found at ``root``, or at ``$ROMA_PDK_ROOT``.

    Raises
    ------
    RomaError
        If the folder does not hold ``lambdapdk/asap7/...``, or a needed file is missing.
    """
    if root is None:
        root = os.environ.get(PDK_ENV) or None
    if root is not None:
        root = Path(root).expanduser()
        if not (root / _MARKER).is_file():
            raise RomaError(f"{PDK_ENV}={str(root)!r} does not hold {_MARKER}; set it to "
                            "the folder that contains lambdapdk/ (for example ../shared/pdk)")
    pdk = Asap7(root)
    try:
        missing = [p for p in [*pdk.liberty_files, pdk.tech_lef, pdk.cell_lef, pdk.cell_gds,
                               pdk.cell_cdl, pdk.lyp, pdk.layermap] if not Path(p).is_file()]
    except (FileNotFoundError, ValueError, StopIteration, IndexError) as exc:
        raise RomaError(f"ASAP7 files could not be resolved ({exc}); set {PDK_ENV} to the "
                        "folder that contains lambdapdk/") from None
    if missing or len(pdk.liberty_files) == 0:
        raise RomaError(f"ASAP7 file {missing[0] if missing else 'TT liberty'} is missing; "
                        f"set {PDK_ENV} to a complete lambdapdk copy")
    pdk.tech    # noqa: B018  (an empty or corrupt tech LEF fails here, before any run)
    return pdk
