from __future__ import annotations

from ._task import RomaTask

__all__ = ["ExportTask"]


class ExportTask(RomaTask):
    """``export``: KLayout puts the real ASAP7 cell layouts under the routed block,
    lengthens the routed islands under the LEF minimum area (via-stack pads) where the
    spacing allows, and writes the final GDS (Coriolis' abstract views and blockage
    layers dropped)."""
    exe = "roma-pd-klayout"
    tool_name = "klayout"
    task_name = "export"

    def setup(self):
        super().setup()
        self.add_input_file(file=f"{self.top}.routed.gds")
        self.add_output_file(file=f"{self.top}.gds")

    def runtime_options(self):
        top = self.top
        return super().runtime_options() + [
            "export", "--top", top, "--routed", f"inputs/{top}.routed.gds",
            "--out", f"outputs/{top}.gds", "--report", "reports/export.json"]

    def post_process(self):
        super().post_process()
        src = "reports/export.json"
        rep = self.read_report(src)
        if rep is not None:
            self.record("min_area_patches", sum(rep["min_area_patched"].values()), src)
