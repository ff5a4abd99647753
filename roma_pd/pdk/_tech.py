"""Technology facts of a PDK: metal and cut layers, track pitches, site and row height.

KLayout's LEF reader turns LEF into geometry and drops the layer rules (its API has no
pitch, direction or offset), so the handful of LEF statements we need are read here, once.
GDS layer numbers come from the PDK's layer map, not from constants.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MetalLayer", "CutLayer", "ViaDef", "TechFacts", "read_tech_facts"]


@dataclass(frozen=True)
class MetalLayer:
    """A routing layer of the tech LEF (lengths in um).

    ``pitch`` and ``offset`` are the values across the preferred direction (the track
    spacing); ``gds`` is the (layer, datatype) of drawn wires from the layer map.
    ``width``, ``spacing`` and ``area`` (um^2) are the LEF minima (0 if not stated).
    """
    name: str
    direction: str            # "H" or "V"
    pitch: float
    offset: float
    width: float
    gds: tuple[int, int]
    spacing: float = 0.0
    area: float = 0.0


@dataclass(frozen=True)
class CutLayer:
    """A via cut layer between two metals, with its drawn GDS (layer, datatype), cut
    width and minimum cut-to-cut spacing (um; 0 if not stated)."""
    name: str
    below: str
    above: str
    width: float
    gds: tuple[int, int]
    spacing: float = 0.0


@dataclass(frozen=True)
class ViaDef:
    """A default via of the tech LEF: its rectangle on each layer, centred on the cut
    (um, ``(x0, y0, x1, y1)``)."""
    name: str
    rects: dict

    def enclosure(self, metal: str, cut: str) -> tuple[float, float]:
        """How far the ``metal`` rectangle extends past the ``cut`` one, in x and y."""
        m, c = self.rects[metal], self.rects[cut]
        return round(m[2] - c[2], 6), round(m[3] - c[3], 6)


@dataclass(frozen=True)
class TechFacts:
    """Metal stack, cut layers, site and row height of one technology."""
    metals: tuple[MetalLayer, ...]
    cuts: tuple[CutLayer, ...]
    site: str
    site_width: float
    row_height: float
    dbu_per_um: int
    extra_gds: dict = field(default_factory=dict)   # non-routing layers by name (V0, Pad)
    vias: tuple[ViaDef, ...] = ()                    # the LEF's DEFAULT vias

    def via(self, cut: str) -> ViaDef | None:
        """The default via through ``cut`` (None if the LEF defines none)."""
        for v in self.vias:
            if cut in v.rects:
                return v
        return None

    def metal(self, name: str) -> MetalLayer:
        for m in self.metals:
            if m.name == name:
                return m
        raise KeyError(f"metal layer must be one of {[m.name for m in self.metals]}, "
                       f"not {name!r}")

    @property
    def metal_names(self) -> list[str]:
        return [m.name for m in self.metals]

    @property
    def cut_names(self) -> list[str]:
        return [c.name for c in self.cuts]


_BLOCK = re.compile(r"^\s*LAYER\s+(\S+)\s*$(.*?)^\s*END\s+\1\s*$", re.M | re.S)
_VIA = re.compile(r"^\s*VIA\s+(\S+)\s+DEFAULT\s*$(.*?)^\s*END\s+\1\s*$",
                  re.M | re.S | re.I)
_VIA_RECT = re.compile(r"LAYER\s+(\S+)\s*;\s*RECT\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)"
                       r"\s+([-\d.]+)\s*;")
_SITE = re.compile(r"^\s*SITE\s+(\S+)\s*$(.*?)^\s*END\s+\1\s*$", re.M | re.S)


def _statement(body: str, keyword: str) -> list[str] | None:
    # Only top-level statements: LEF58 PROPERTY strings repeat keywords inside quotes.
    body = re.sub(r'"[^"]*"', "", body)
    m = re.search(rf"^\s*{keyword}\s+([^;#]+);", body, re.M)
    return m.group(1).split() if m else None


def _plain(body: str, keyword: str) -> float:
    """The value of a plain ``KEYWORD x ;`` statement (0 if none): not ``SPACING x RANGE``,
    ``ENDOFLINE`` or ``SPACINGTABLE``, nor anything inside LEF58 property strings."""
    body = re.sub(r'"[^"]*"', "", body)
    m = re.search(rf"^\s*{keyword}\s+([\d.]+)\s*;", body, re.M)
    return float(m.group(1)) if m else 0.0


def _table_spacing(body: str) -> float:
    """The minimum spacing of a ``SPACINGTABLE PARALLELRUNLENGTH``: its first entry
    (narrowest width, no parallel run); 0 if the layer has no such table."""
    body = re.sub(r'"[^"]*"', "", body)
    m = re.search(r"^\s*SPACINGTABLE\s+PARALLELRUNLENGTH\s[^;]*?WIDTH\s+[\d.]+\s+([\d.]+)",
                  body, re.M | re.S)
    return float(m.group(1)) if m else 0.0


def _read_layermap(path: Path) -> dict[tuple[str, str], tuple[int, int]]:
    out = {}
    for line in path.read_text().splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
            for purpose in parts[1].split(","):
                out[(parts[0], purpose)] = (int(parts[2]), int(parts[3]))
    return out


def read_tech_facts(tech_lef: Path, cell_lef: Path, layermap: Path) -> TechFacts:
    """Read the metal stack from ``tech_lef``, the site from ``cell_lef`` (or the tech LEF)
    and the drawn GDS numbers from ``layermap``."""
    text = Path(tech_lef).read_text()
    gds = _read_layermap(Path(layermap))
    units = re.search(r"DATABASE\s+MICRONS\s+(\d+)", text)
    layers = []
    for name, body in _BLOCK.findall(text):
        kind = _statement(body, "TYPE")
        if kind:
            layers.append((name, kind[0], body))
    metals, cuts, extra = [], [], {}
    for i, (name, kind, body) in enumerate(layers):
        if kind == "ROUTING" and (name, "NET") in gds:
            direction = _statement(body, "DIRECTION")[0][0]
            axis = 1 if direction == "H" else 0   # the track spacing is across the wire
            pitch = [float(v) for v in _statement(body, "PITCH")]
            offset = [float(v) for v in (_statement(body, "OFFSET") or ["0"])]
            width = float(_statement(body, "WIDTH")[0])
            # M8/M9 state their spacing only as a table
            spacing = _plain(body, "SPACING") or _table_spacing(body)
            metals.append(MetalLayer(name, direction, pitch[min(axis, len(pitch) - 1)],
                                     offset[min(axis, len(offset) - 1)], width,
                                     gds[(name, "NET")], spacing, _plain(body, "AREA")))
        elif kind == "CUT" and (name, "VIA") in gds:
            below = layers[i - 1][0] if i else ""
            above = layers[i + 1][0] if i + 1 < len(layers) else ""
            if layers[i - 1][1] == "ROUTING" and i + 1 < len(layers) \
                    and layers[i + 1][1] == "ROUTING":
                width = float((_statement(body, "WIDTH") or ["0"])[0])
                if not width:   # ASAP7 gives V3..V6 their size only as a CUTCLASS
                    cls = re.search(r"CUTCLASS\s+\S+\s+WIDTH\s+([\d.]+)", body)
                    width = float(cls.group(1)) if cls else 0.0
                spacing = _plain(body, "SPACING")
                if not spacing:  # ... and their spacing only as a LEF58 table's DEFAULT
                    table = re.search(r"SPACINGTABLE\s+DEFAULT\s+([\d.]+)", body)
                    spacing = float(table.group(1)) if table else 0.0
                cuts.append(CutLayer(name, below, above, width, gds[(name, "VIA")],
                                     spacing))
            else:
                extra[name] = gds[(name, "VIA")]
    site = None
    for src in (Path(cell_lef).read_text(), text):
        for sname, body in _SITE.findall(src):
            if (_statement(body, "CLASS") or [""])[0] == "CORE":
                w, _, h = _statement(body, "SIZE")
                site = (sname, float(w), float(h))
                break
        if site:
            break
    if not metals or site is None:
        raise ValueError(f"{tech_lef}: no routing layers or CORE site found; "
                         "is this a tech LEF?")
    vias = tuple(ViaDef(name, {layer: tuple(float(v) for v in rect)
                               for layer, *rect in _VIA_RECT.findall(body)})
                 for name, body in _VIA.findall(text))
    return TechFacts(tuple(metals), tuple(cuts), site[0], site[1], site[2],
                     int(units.group(1)) if units else 1000, extra, vias)
