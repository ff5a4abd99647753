from __future__ import annotations

from ._task import RomaTask

__all__ = ["MetricsTask"]


class MetricsTask(RomaTask):
    """``metrics``: KLayout measures the routed layout: wirelength and vias per layer,
    track utilization, metal density, transistors, and LVS of the final GDS against the
    synthesized netlist (opens, shorts, mismatches; ``<top>.lvsdb`` and
    ``<top>.lvs.lyrdb`` in outputs), and the routed wires' parasitics as ``<top>.spef``
    for the ``sta`` step."""
    exe = "roma-pd-klayout"
    tool_name = "klayout"
    task_name = "metrics"

    def __init__(self):
        super().__init__()
        self.add_parameter("top_layer", "str", "highest routing layer", defvalue="M7")

    def setup(self):
        super().setup()
        # routed.json: the placement the route used (a repair round re-places)
        for ext in ("routed.json", "wires.oas", "gds", "vg"):
            self.add_input_file(file=f"{self.top}.{ext}")
        for ext in ("lvsdb", "lvs.lyrdb", "spef"):
            self.add_output_file(file=f"{self.top}.{ext}")

    def runtime_options(self):
        top = self.top
        return super().runtime_options() + [
            "measure", "--top", top, "--wires", f"inputs/{top}.wires.oas",
            "--gds", f"inputs/{top}.gds", "--netlist", f"inputs/{top}.vg",
            "--lvsdb", f"outputs/{top}.lvsdb", "--markers", f"outputs/{top}.lvs.lyrdb",
            "--spef", f"outputs/{top}.spef",
            "--placement", f"inputs/{top}.routed.json",
            "--top-layer", self.get("var", "top_layer"), "--report", "reports/metrics.json"]

    def post_process(self):
        super().post_process()
        src = "reports/metrics.json"
        rep = self.read_report(src)
        if rep is None:
            return
        wl, vias = rep["wirelength_um"], rep["vias"]
        self.record("wirelength", sum(wl.values()), src, "um")
        self.record("vias", sum(vias.values()), src)
        self.record("transistors", rep["transistors"], src)
        self.record("transistor_density", rep["transistor_density_per_um2"], src)
        self.record("opens", rep["opens"], src)
        self.record("shorts", rep["shorts"], src)
        self.record("lvs_mismatches", rep["lvs_mismatches"], src)
        self.record("spef_nets", rep["spef_nets"], src)
        self.record("wire_cap", sum(rep["wire_c_ff"].values()), src, "ff")
        self.record("wire_res", sum(rep["wire_r_kohm"].values()), src, "kohm")
        # The tool keyed these by the PDK's metals and cuts: no second PDK load here.
        for metal, um in wl.items():
            n = metal.lower()
            self.record(f"wl_{n}", um, src, "um")
            self.record(f"track_util_{n}", rep["track_utilization"][metal], src)
            self.record(f"density_{n}", rep["metal_density"][metal], src)
        for cut, count in vias.items():
            self.record(f"vias_{cut.lower()}", count, src)
