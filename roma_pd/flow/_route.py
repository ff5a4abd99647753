from __future__ import annotations

import json
from pathlib import Path

from ..metrics._schema import REPAIR_ROUNDS_MAX
from ..tools._katana_log import parse_completion, parse_residue, parse_unrouted
from ._place import CoriolisTask

__all__ = ["RouteTask", "parse_unrouted", "parse_residue", "parse_completion",
           "read_residue"]


def read_residue(node: Path) -> list[tuple[str, str]] | None:
    """(net, layer) of each segment the kept route of a ``route`` node folder left
    unrouted; None when the step wrote no report."""
    rep = node / "reports" / "route.json"
    if not rep.is_file():
        return None
    return [(seg[0], seg[1]) for seg in json.loads(rep.read_text())["residue"]]


class RouteTask(CoriolisTask):
    """``route``: Coriolis Katana routes the placed block on the gauge's tracks.

    While Katana leaves residue and the flow settings' ``repair.rounds`` allow, the tool
    pads and spreads the cells around the residual segments within their rows (the
    rest of the placement stays) and routes again; the round with the fewest unrouted
    nets is the result.
    An incomplete route is a result, not a crash: the step succeeds and records the
    residue of every round, and the run is judged from the final one.
    """
    task_name = "route"

    def setup(self):
        super().setup()
        self.add_input_file(file=f"{self.top}.place.json")
        for ext in ("routed.gds", "def", "wires.oas", "routed.json"):
            self.add_output_file(file=f"{self.top}.{ext}")

    def runtime_options(self):
        top = self.top
        return super().runtime_options() + self.coriolis_options("route") + [
            "--placement", f"inputs/{top}.place.json", "--outdir", "outputs"]

    def post_process(self):
        super().post_process()
        src = "reports/route.json"
        rep = self.read_report(src)
        if rep is None:
            return
        residue = rep["residue"]
        self.record("unrouted_segments", len(residue), src)
        self.record("unrouted_nets", len({seg[0] for seg in residue}), src)
        if rep.get("segment_completion") is not None:
            self.record("segment_completion", rep["segment_completion"], src)
        # Katana's own flag for the kept round; a report without it records nothing,
        # and the run cannot be judged clean (run_status).
        if rep.get("router_success") is not None:
            self.record("route_complete", int(bool(rep["router_success"])), src)
        rounds = rep["rounds"]
        self.record("unrouted_nets_initial", rounds[0]["unrouted_nets"], src)
        self.record("repair_rounds", len(rounds) - 1, src)
        self.record("repair_round_chosen", rep["chosen_round"], src)
        self.record("padded_cells", rep["padded_cells"], src)
        self.record("incoherent_segments", rep["incoherent_segments"], src)
        for r in rounds[:REPAIR_ROUNDS_MAX + 1]:
            self.record(f"unrouted_nets_round{r['round']}", r["unrouted_nets"], src)
