"""What Katana says in its log: the unrouted segments, the off-track ones and the
completion ratio.

Katana has no report file: an incomplete route lists its residue after "Routing did not
complete, unrouted segments:", one segment a line with its net, layer and end points.
Its closing coherency check prints "[CHECK] incoherency ... is not on Track axis" (and
"... is in track" for the wrong-direction track) for a segment stretched across
wrong-direction tracks (``AutoVertical::setDuSource(): Suspiciously big du``): a route
Katana calls complete, but shorted, and in no unrouted list (docs/DEVELOPMENT.md,
session 13).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Segment", "parse_residue", "parse_incoherent", "round_residue", "parse_unrouted",
           "parse_completion"]

_UNROUTED_HEAD = "Routing did not complete, unrouted segments:"
_COMPLETION = re.compile(r"Track Segment Completion Ratio\s*\.*\s*[\d.]+%\s*\[(\d+)\+(\d+)\]")
_POINTS = r"(?:\s+\[([-\d.]+)um\s+([-\d.]+)um\]\s+\[([-\d.]+)um\s+([-\d.]+)um\])?"
_SEGMENT = re.compile(r"^\s*\d+\|\s*&<id:\d+\s+(?:Horizontal|Vertical)\s+(\S+)\s+(\S+)"
                      + _POINTS)
_INCOHERENT = re.compile(r"^\[CHECK\] incoherency at \d+ &<id:\d+\s+(?:Horizontal|Vertical)"
                         r"\s+(\S+)\s+(\S+)" + _POINTS)


@dataclass(frozen=True)
class Segment:
    """One unrouted segment: its net, layer and end points (um; None if not printed)."""
    net: str
    layer: str
    x1: float | None = None
    y1: float | None = None
    x2: float | None = None
    y2: float | None = None


def parse_residue(log: str) -> list[Segment]:
    """Every segment the last "unrouted segments" list of ``log`` names."""
    out: list[Segment] = []
    listing = False
    for line in log.splitlines():
        if _UNROUTED_HEAD in line:
            out, listing = [], True      # a log of several rounds: the last list counts
            continue
        m = _SEGMENT.match(line) if listing else None
        if not m:
            listing = False
            continue
        out.append(_segment(m))
    return out


def _segment(m: re.Match) -> Segment:
    coords = [float(v) if v is not None else None for v in m.groups()[2:]]
    return Segment(m.group(1), m.group(2), *coords)


def parse_incoherent(log: str) -> list[Segment]:
    """Every segment Katana's coherency check finds off its track axis, once each."""
    found = (_INCOHERENT.match(line) for line in log.splitlines())
    return list(dict.fromkeys(_segment(m) for m in found if m))


def round_residue(log: str) -> list[Segment]:
    """What a route round left to repair: the listed unrouted segments, then the
    off-track segments that list does not name."""
    unrouted = parse_residue(log)
    return unrouted + [s for s in parse_incoherent(log) if s not in unrouted]


def parse_unrouted(log: str) -> list[tuple[str, str]]:
    """(net, layer) of each segment Katana lists as unrouted in its log."""
    return [(s.net, s.layer) for s in parse_residue(log)]


def parse_completion(log: str) -> float | None:
    """Share of track segments Katana routed (its "Track Segment Completion Ratio");
    None when the log has no ratio or it counts no segment (unknown, not complete)."""
    found = _COMPLETION.findall(log)
    if not found:
        return None
    routed, unrouted = (int(v) for v in found[-1])
    return routed / (routed + unrouted) if routed + unrouted else None
