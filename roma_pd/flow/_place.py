from __future__ import annotations

from ._task import CORIOLIS_ERROR, WRAPPER_ERROR, RomaTask

__all__ = ["CoriolisTask", "PlaceTask"]


class CoriolisTask(RomaTask):
    """A step run by ``roma-pd-coriolis``: shares the router settings and the netlist."""
    exe = "roma-pd-coriolis"
    tool_name = "coriolis"
    error_regex = rf"^({CORIOLIS_ERROR}|Traceback|{WRAPPER_ERROR})"
    # Our ASAP7 set-up for Coriolis 2.5.4 prints these on every run (223 per place): the
    # cell LEFs' FOREIGN GDS (we merge the cell GDS in export), no CORE site and no
    # gauge for the pad layer (no pads), no tie/diode/inv_x/buf_x cells by those names.
    harmless_warnings = (
        r"GDS directory \*not\* set, ignoring FOREIGN",
        r"No CORE site found in library",
        r"No CRL routing gauge defined for \"Pad\"",
        r"Unable to find \"(tie|dio)_x[0-9]+\" (tie|diode) cell",
        r"Library do not provides \"(inv|buf)_x[0-9]+\", skipped",
    )

    def __init__(self):
        super().__init__()
        self.add_parameter("settings", "file", "Coriolis settings (flows/*.yaml)")
        self.add_parameter("top_layer", "str", "highest routing layer", defvalue="M7")
        self.add_parameter("clock_ports", "[str]", "ports whose nets Coriolis types as "
                           "clocks", defvalue=["clk"])

    def setup(self):
        super().setup()
        self.default_settings()
        self.add_required_key("var", "settings")
        self.add_input_file(file=f"{self.top}.blif")

    def coriolis_options(self, command: str) -> list[str]:
        top = self.top
        return [command, "--top", top, "--blif", f"inputs/{top}.blif",
                "--settings", self.find_files("var", "settings"),
                "--top-layer", self.get("var", "top_layer"),
                "--clock-ports", ",".join(self.get("var", "clock_ports")),
                "--report", f"reports/{command}.json"]


class PlaceTask(CoriolisTask):
    """``place``: Coriolis Etesian sizes the core, puts the I/O pins on its edges and
    places the cells; the placement snapshot feeds ``route``."""
    task_name = "place"

    def __init__(self):
        super().__init__()
        self.add_parameter("density", "float", "target placement density (0..1]",
                           defvalue=0.5)
        self.add_parameter("core_area", "float", "explicit core area (um^2)")
        self.add_parameter("aspect_ratio", "float", "core height / width", defvalue=1.0)

    def setup(self):
        super().setup()
        self.add_output_file(file=f"{self.top}.place.json")

    def runtime_options(self):
        top = self.top
        opts = self.coriolis_options("place") + [
            "--aspect-ratio", str(self.get("var", "aspect_ratio")),
            "--out", f"outputs/{top}.place.json"]
        if self.get("var", "core_area"):
            opts += ["--core-area", str(self.get("var", "core_area"))]
        else:
            opts += ["--density", str(self.get("var", "density"))]
        return super().runtime_options() + opts

    def post_process(self):
        super().post_process()
        rep = self.read_report("reports/place.json")
        if not rep:
            return
        src = "reports/place.json"
        self.record("core_area", rep["core_area_um2"], src, "um^2")
        self.record("totalarea", rep["die_area_um2"], src, "um^2")
        self.record("stdcell_area", rep["stdcell_area_um2"], src, "um^2")
        self.record("base_util", rep["utilization"], src)
        self.record("utilization", 100.0 * rep["utilization"], src, "%")
        self.record("density_variation", rep.get("density_variation"), src)
