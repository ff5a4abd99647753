from __future__ import annotations

import re

from ._place import CoriolisTask

__all__ = ["RouteTask", "parse_unrouted", "parse_completion"]

_UNROUTED_HEAD = "Routing did not complete, unrouted segments:"
_COMPLETION = re.compile(r"Track Segment Completion Ratio\s*\.*\s*[\d.]+%\s*\[(\d+)\+(\d+)\]")
_SEGMENT = re.compile(r"^\s*\d+\|\s*&<id:\d+\s+(?:Horizontal|Vertical)\s+(\S+)\s+(\S+)")


def parse_unrouted(log: str) -> list[tuple[str, str]]:
    """(net, layer) of each segment Katana lists as unrouted in its log."""
    out = []
    lines = iter(log.splitlines())
    for line in lines:
        if _UNROUTED_HEAD in line:
            for seg in lines:
                m = _SEGMENT.match(seg)
                if not m:
                    break
                out.append((m.group(1), m.group(2)))
    return out


def parse_completion(log: str) -> float | None:
    """Share of track segments Katana routed (its "Track Segment Completion Ratio")."""
    found = _COMPLETION.findall(log)
    if not found:
        return None
    routed, unrouted = (int(v) for v in found[-1])
    return routed / (routed + unrouted) if routed + unrouted else 1.0


class RouteTask(CoriolisTask):
    """``route``: Coriolis Katana routes the placed block on the gauge's tracks.

    An incomplete route is a result, not a crash: the step succeeds and records the
    unrouted segments and nets Katana lists, and the run is marked failed from them.
    """
    task_name = "route"

    def setup(self):
        super().setup()
        self.add_input_file(file=f"{self.top}.place.json")
        for ext in ("routed.gds", "def", "wires.oas", "terminals.json"):
            self.add_output_file(file=f"{self.top}.{ext}")

    def runtime_options(self):
        top = self.top
        return super().runtime_options() + self.coriolis_options("route") + [
            "--placement", f"inputs/{top}.place.json", "--outdir", "outputs"]

    def post_process(self):
        super().post_process()
        rep = self.read_report("reports/route.json")
        if rep is None:
            return
        log = self.log_text()
        segments = parse_unrouted(log)
        src = f"{self.step}.log"
        self.record("unrouted_segments", len(segments), src)
        self.record("unrouted_nets", len({net for net, _ in segments}), src)
        self.record("segment_completion", parse_completion(log), src)
