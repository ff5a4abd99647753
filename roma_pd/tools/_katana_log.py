"""What Katana says in its log: the unrouted segments and the completion ratio.

Katana has no report file: an incomplete route lists its residue after "Routing did not
complete, unrouted segments:", one segment a line with its net, layer and end points.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Segment", "parse_residue", "parse_unrouted", "parse_completion"]

_UNROUTED_HEAD = "Routing did not complete, unrouted segments:"
_COMPLETION = re.compile(r"Track Segment Completion Ratio\s*\.*\s*[\d.]+%\s*\[(\d+)\+(\d+)\]")
_SEGMENT = re.compile(r"^\s*\d+\|\s*&<id:\d+\s+(?:Horizontal|Vertical)\s+(\S+)\s+(\S+)"
                      r"(?:\s+\[([-\d.]+)um\s+([-\d.]+)um\]\s+\[([-\d.]+)um\s+([-\d.]+)um\])?")


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
        coords = [float(v) if v is not None else None for v in m.groups()[2:]]
        out.append(Segment(m.group(1), m.group(2), *coords))
    return out


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
