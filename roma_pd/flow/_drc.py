from __future__ import annotations

from ._task import RomaTask

__all__ = ["DrcTask"]


class DrcTask(RomaTask):
    """``drc``: KLayout checks the final GDS against the tech LEF's width, spacing,
    minimum-area, cut spacing and via coverage rules, on the merged cell and routed
    metal; writes a marker database ``<top>.drc.lyrdb`` for the KLayout GUI."""
    exe = "roma-pd-klayout"
    tool_name = "klayout"
    task_name = "drc"

    def setup(self):
        super().setup()
        self.add_input_file(file=f"{self.top}.gds")
        self.add_output_file(file=f"{self.top}.drc.lyrdb")

    def runtime_options(self):
        top = self.top
        return super().runtime_options() + [
            "drc", "--top", top, "--gds", f"inputs/{top}.gds",
            "--out", f"outputs/{top}.drc.lyrdb", "--report", "reports/drc.json"]

    def post_process(self):
        super().post_process()
        src = "reports/drc.json"
        rep = self.read_report(src)
        if rep is None:
            return
        self.record("drc_violations", rep["violations"], src)
        # the tool reports every layer it checked (drc_layers), so no PDK reload here
        for name, count in rep["by_layer"].items():
            self.record(f"drc_{name.lower()}", count, src)
