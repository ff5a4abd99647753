from __future__ import annotations

from ._task import RomaTask

__all__ = ["SynthTask", "count_registers"]

_REGISTERS = ("DFF", "DHL", "DLL", "SDF")     # ASAP7 flip-flop and latch families


def count_registers(design: dict) -> int | None:
    """Flip-flops and latches in a Yosys ``stat -json`` design; None when the report has
    no per-type counts (unknown, not 0)."""
    by_type = design.get("num_cells_by_type")
    if by_type is None:
        return None
    return sum(n for c, n in by_type.items() if c.upper().startswith(_REGISTERS))


class SynthTask(RomaTask):
    """``synth``: pyosys reads the RTLIL/Verilog, maps to ASAP7 and writes .vg and .blif."""
    exe = "roma-pd-yosys"
    tool_name = "pyosys"
    task_name = "synth"

    def __init__(self):
        super().__init__()
        self.add_parameter("clock_period_ns", "float", "target clock period (ns), passed "
                           "to ABC as its delay target", defvalue=2.0)
        self.add_parameter("source", "file", "this node's RTL (RTLIL or Verilog); default: "
                           "the design's rtl fileset")
        self.add_parameter("settings", "file", "flow settings (flows/*.yaml): its "
                           "synthesis.dont_use")

    def setup(self):
        super().setup()
        self.default_settings()
        self.add_required_key("var", "clock_period_ns")
        for lib, fileset in self.project.get_filesets():
            if lib.has_idir(fileset):
                self.add_required_key(lib, "fileset", fileset, "idir")
            if lib.get("fileset", fileset, "define"):
                self.add_required_key(lib, "fileset", fileset, "define")
        self.add_output_file(file=f"{self.top}.vg")
        self.add_output_file(file=f"{self.top}.blif")

    def _sources(self) -> list[str]:
        """This node's RTL: ``var source``, else the filesets' RTLIL file or all their
        Verilog and SystemVerilog files."""
        if self.get("var", "source"):
            return [self.find_files("var", "source")]
        for filetypes in (("rtlil",), ("verilog", "systemverilog")):
            files = [f for filetype in filetypes
                     for obj, key in self.get_fileset_file_keys(filetype)
                     for f in obj.find_files(*key)]
            if files:
                return files[:1] if filetypes == ("rtlil",) else files
        raise FileNotFoundError("the design has no rtlil, verilog or systemverilog file")

    def _preprocessor(self) -> list[str]:
        """The filesets' include folders and defines (SiliconCompiler's idir, define)."""
        opts = []
        for lib, fileset in self.project.get_filesets():
            opts += [a for d in lib.get_idir(fileset) for a in ("--include-dir", d)]
            opts += [a for d in lib.get("fileset", fileset, "define")
                     for a in ("--define", d)]
        return opts

    def runtime_options(self):
        top = self.top
        sources = [a for f in self._sources() for a in ("--source", f)]
        return super().runtime_options() + sources + self._preprocessor() + [
            "--top", top,
            "--period-ps", str(self.get("var", "clock_period_ns") * 1000.0),
            "--netlist", f"outputs/{top}.vg", "--blif", f"outputs/{top}.blif",
            "--stat", "reports/stat.json"] + (
            ["--settings", self.find_files("var", "settings")]
            if self.get("var", "settings") else [])

    def post_process(self):
        super().post_process()
        stat = self.read_report("reports/stat.json")
        if not stat:
            return
        design = stat["design"]
        self.record("cells", design.get("num_cells"), "reports/stat.json")
        self.record("cellarea", design.get("area"), "reports/stat.json", "um^2")
        self.record("registers", count_registers(design), "reports/stat.json")
        self.record("nets", design.get("num_wires"), "reports/stat.json")
