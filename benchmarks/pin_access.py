#!/usr/bin/env python3
"""Pin access of the standard cells: legal V1 positions per signal pin on the flow's
M2 grid (36 nm from the row origin), for an M1 end enclosure of the via.

    ROMA_PDK_ROOT=../shared/pdk scripts/in-env python benchmarks/pin_access.py [--enclosure-nm 2 5]

Coriolis drops a V1 only where the cut plus its M1 enclosure fit inside the M1 pin, so a
position is legal when the pin, shrunk by half a cut across and by half a cut plus the
end enclosure along, still covers the track. Rows alternate R0 and MY on a 270 nm pitch
(7.5 tracks), and both orientations put the tracks at cell y = 0, 36, ... 252 nm.
Prints, per enclosure, how many cells have a weakest pin with 0, 1, 2, ... positions.
ASAP7 pin ends sit where 2 nm (the LEF's VIA12) and 5 nm (the flow before) give the same
counts: the enclosure fix is a correctness fix, not a pin-access lever.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter

import klayout.db as kdb

from roma_pd.pdk import load_pdk


def pin_access(lef: str, pitch_nm: int, cut_nm: int, end_nm: int) -> dict[str, dict]:
    """cell -> pin -> legal V1 positions (signal pins on M1)."""
    ly = kdb.Layout()
    ly.read(lef)
    scale = round(0.001 / ly.dbu)               # layout units per nm
    pin = label = None
    for li in ly.layer_indexes():               # the LEF reader names layers NAME.PURPOSE
        info = ly.get_info(li)
        if info.name == "M1.PIN":
            pin = li
        elif info.name == "M1.LABEL":
            label = li
    out = {}
    for cell in ly.each_cell():
        shapes = kdb.Region(cell.shapes(pin)).merged()
        bbox = cell.bbox()
        access = {}
        for s in cell.shapes(label).each():
            if not s.is_text() or s.text_string in ("VDD", "VSS"):
                continue
            polys = [p for p in shapes.each() if p.inside(s.text_pos)]
            if not polys:
                continue
            # locus of legal via centres: shrink across by less than half a cut (a pin
            # exactly one cut wide keeps a sliver) and along by half a cut plus enclosure
            core = kdb.Region(polys[0]).sized(-(cut_nm // 2 - 1) * scale,
                                              -(cut_nm // 2 + end_nm) * scale, 2)
            access[s.text_string] = sum(
                1 for y in range(0, bbox.height() + 1, pitch_nm * scale)
                if not (core & kdb.Region(kdb.Box(bbox.left, y, bbox.right, y + 1))).is_empty())
        out[cell.name] = access
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--enclosure-nm", nargs="+", type=int, default=[2, 5])
    p.add_argument("--cells", nargs="*", default=["OAI211xp5", "OA211x2", "NAND3xp33",
                                                   "NOR3xp33", "AND2x2", "DFFHQx4"])
    p.add_argument("--weak", type=int, metavar="N",
                   help="print, as a synthesis.dont_use list, the cells whose weakest "
                        "pin has at most N legal V1 positions (2 nm enclosure)")
    args = p.parse_args(argv)
    pdk = load_pdk()
    m2 = pdk.tech.metal("M2")
    cut = pdk.tech.cuts[0]
    if args.weak is not None:
        acc = pin_access(str(pdk.cell_lef), round(m2.pitch * 1000),
                         round(cut.width * 1000), 2)
        weak = sorted(c for c, a in acc.items() if a and min(a.values()) <= args.weak)
        print("dont_use: [" + ", ".join(f"'{c}'" for c in weak) + "]")
        return 0
    for end in args.enclosure_nm:
        acc = pin_access(str(pdk.cell_lef), round(m2.pitch * 1000), round(cut.width * 1000),
                         end)
        weakest = Counter(min(a.values()) for a in acc.values() if a)
        print(f"M1 end enclosure {end} nm: cells by their weakest pin's legal V1 positions: "
              + ", ".join(f"{k}: {weakest[k]}" for k in sorted(weakest)))
        for c in args.cells:
            print(f"  {c}: {acc.get(pdk.cell(c))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
