from __future__ import annotations

import json
import re
from pathlib import Path

from ..metrics import POWER_CLOCK_NS, write_text_metrics
from ..rtl import PortActivity
from ._libcache import unpacked_liberty
from ._task import RomaTask

__all__ = ["StaTask", "sta_script", "parse_power", "parse_slack", "parse_hold",
           "parse_critical_path", "power_method"]


WORKLOAD = "roma-pd: workload power at 500 MHz"
WORKLOAD_DESIGN = "roma-pd: workload power at the design clock"
UNIFORM = "roma-pd: uniform-activity power at 500 MHz"
UNIFORM_DESIGN = "roma-pd: uniform-activity power at the design clock"
SECTIONS = (WORKLOAD, WORKLOAD_DESIGN, UNIFORM, UNIFORM_DESIGN)
NO_WIRES = "roma-pd: before the wire parasitics"
WIRES = "roma-pd: with the wire parasitics"


# Every clock of the user's SDC at the power clock's period, on its own sources (none:
# a virtual clock), so that power is at 500 MHz whatever the clock ports are called.
_POWER_CLOCKS = """foreach roma_clk [all_clocks] {{
  set roma_src [get_property $roma_clk sources]
  if {{[llength $roma_src]}} {{
    create_clock -name [get_name $roma_clk] -period {period:g} $roma_src
  }} else {{
    create_clock -name [get_name $roma_clk] -period {period:g}
  }}
}}"""


def sta_script(libs: list[str], netlist: str, top: str, period_ns: float,
               activity: float, time_unit_ns: float, ports: dict | None = None,
               spef: str | None = None, sdc: str | None = None) -> str:
    """OpenSTA commands: worst setup slack at the target clock without wires, then with
    the routed wires' parasitics (``spef``): setup and hold paths, worst slack and TNS;
    then power at 500 MHz (with the parasitics: wire capacitance switches too).

    Hold comes from ``sta::worst_slack_cmd min`` and ``sta::total_negative_slack_cmd
    min`` (seconds): 2.0.17's ``report_worst_slack`` and ``report_tns`` take no
    ``-min``.

    With ``sdc`` (the user's constraints: clocks by port, I/O delays, in the liberty's
    time unit as OpenSTA reads them) the slack is at the SDC's clocks and
    ``period_ns`` is not used; without it, one clock ``clk`` on port ``clk`` at
    ``period_ns``, inputs and outputs at delay 0.

    Debian's OpenSTA (2.0.17) takes times in the liberty's unit, so periods are scaled.

    Power is reported four times, each at 500 MHz and at the design's clock
    (``period_ns`` or the SDC's clocks):

    - the workload (``ports``: ``{"x[3]": (transitions per cycle, duty)}``, measured by
      simulating the block's workload, see ``roma_pd.rtl.port_activity``): every other
      input at 0, set with ``-input_ports`` and propagated by OpenSTA through the
      cells. 2.0.17 cannot take internal activities (``-pins`` fails; propagation
      overwrites them), so the inputs are the honest place to drive from. Its
      propagation adds up through reconvergent adder trees (docs/DEVELOPMENT.md
      has the figures), so for blocks with adders these rows overstate.
    - the uniform activity: every net and input toggles ``activity`` times per cycle
      (``-global``, which also replaces propagation), clocks at their rate. It comes
      last: ``-global`` would otherwise stop the workload's propagation.
    """
    period = period_ns / time_unit_ns
    power_period = POWER_CLOCK_NS / time_unit_ns
    constraints = [f"read_sdc {sdc}"] if sdc else [
        f"create_clock -name clk -period {period:g} [get_ports clk]",
        "set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]",
        "set_output_delay 0 -clock clk [all_outputs]",
    ]
    lines = [f"read_liberty {lib}" for lib in libs] + [
        f"read_verilog {netlist}",
        f"link_design {top}",
        *constraints,
        f"puts {{{NO_WIRES}}}",
        "report_worst_slack -digits 6",
    ]
    if spef:
        lines += [f"read_spef {spef}", f"puts {{{WIRES}}}"]
    lines += [
        "report_checks -path_delay max -digits 4",
        "report_worst_slack -digits 6",
        "report_tns -digits 6",
        "report_checks -path_delay min -digits 4",
        'puts "hold worst slack [sta::worst_slack_cmd min]"',
        'puts "hold tns [sta::total_negative_slack_cmd min]"',
    ]
    at_500 = (_POWER_CLOCKS.format(period=power_period) if sdc else
              f"create_clock -name clk -period {power_period:g} [get_ports clk]")
    at_design = f"read_sdc {sdc}" if sdc else \
        f"create_clock -name clk -period {period:g} [get_ports clk]"
    if ports:
        lines += ["set_power_activity -input -activity 0"] + [
            f"set_power_activity -input_ports {{{bit}}} -activity {a:g} -duty {d:g}"
            for bit, (a, d) in sorted(ports.items()) if a > 0]
        lines += [at_500, f"puts {{{WORKLOAD}}}", "report_power -digits 8",
                  at_design, f"puts {{{WORKLOAD_DESIGN}}}", "report_power -digits 8"]
    lines += [
        f"set_power_activity -global -activity {activity:g}",
        f"set_power_activity -input -activity {activity:g}",
        *[f"set_power_activity -input_ports {{{bit}}} -activity {activity:g} -duty 0.5"
          for bit in sorted(ports or {})],
        at_500, f"puts {{{UNIFORM}}}", "report_power -digits 8",
        at_design, f"puts {{{UNIFORM_DESIGN}}}", "report_power -digits 8",
    ]
    return "\n".join(lines) + "\n"


def parse_slack(log: str) -> tuple[float | None, float | None]:
    """(worst slack, total negative slack) in the report's time unit."""
    ws = re.findall(r"^worst slack\s+(-?[\d.eE+-]+)", log, re.M)
    tns = re.findall(r"^tns\s+(-?[\d.eE+-]+)", log, re.M)
    return (float(ws[-1]) if ws else None, float(tns[-1]) if tns else None)


def parse_hold(log: str) -> tuple[float | None, float | None]:
    """(worst hold slack, hold TNS) in seconds."""
    ws = re.findall(r"^hold worst slack\s+(-?[\d.eE+-]+)", log, re.M)
    tns = re.findall(r"^hold tns\s+(-?[\d.eE+-]+)", log, re.M)
    return (float(ws[-1]) if ws else None, float(tns[-1]) if tns else None)


def parse_critical_path(log: str) -> tuple[str | None, str | None]:
    """Start and end point of the worst setup path (the first ``max`` report after the
    parasitics were read)."""
    log = log.split(WIRES, 1)[-1]
    m = re.search(r"^Startpoint: (\S+).*?^Endpoint: (\S+).*?^Path Type: max", log,
                  re.M | re.S)
    return (m.group(1), m.group(2)) if m else (None, None)


def parse_power(log: str, section: str = UNIFORM) -> dict[str, float] | None:
    """Internal, switching, leakage and total power (W) of the ``Total`` row that follows
    the ``section`` marker; None if the marker or its report is missing."""
    if section not in log:
        return None
    log = log.split(section, 1)[1]
    ends = [log.find(m) for m in SECTIONS if m in log]
    log = log[:min(ends)] if ends else log
    m = re.search(r"^Total\s+([\d.eE+-]+)\s+([\d.eE+-]+)\s+([\d.eE+-]+)\s+([\d.eE+-]+)",
                  log, re.M)
    if not m:
        return None
    keys = ("internal", "switching", "leakage", "total")
    return dict(zip(keys, (float(v) for v in m.groups())))


class StaTask(RomaTask):
    """``sta``: OpenSTA on the mapped netlist with the routed wires' parasitics (the
    ``metrics`` step's SPEF): setup and hold slack at the target clock, TNS, the
    critical path, and power at 500 MHz with a stated input activity."""
    exe = "sta"
    tool_name = "opensta"
    task_name = "sta"
    min_version = ">=2.0.17"

    def __init__(self):
        super().__init__()
        self.add_parameter("clock_period_ns", "float", "target clock period (ns)",
                           defvalue=2.0)
        self.add_parameter("activity", "float", "switching activity of every input "
                           "(toggles per clock)", defvalue=0.1)
        self.add_parameter("liberty", "[file]", "liberty files, gzip or plain")
        self.add_parameter("cache_dir", "str", "folder for the unpacked liberty files, "
                           "shared by the nodes (empty: the job's .cache folder)")
        self.add_parameter("time_unit_ns", "float", "liberty time unit (ns)",
                           defvalue=0.001)
        self.add_parameter("port_activity", "file", "the block's simulated workload: "
                           "JSON of per-input-bit activity and duty (roma_pd.rtl."
                           "PortActivity); unset: power at the uniform activity only")

    def setup(self):
        super().setup()
        self.add_input_file(file=f"{self.top}.vg")
        self.add_input_file(file=f"{self.top}.spef")
        if self.get("var", "port_activity"):
            self.add_required_key("var", "port_activity")
        if not self.get("var", "liberty"):
            self.set("var", "liberty", self._library_liberty())
        self.add_required_key("var", "liberty")
        for lib, key in self.get_fileset_file_keys("sdc"):
            self.add_required_key(lib, *key)

    def _library_liberty(self) -> list[str]:
        """The main library's liberty files at the typical corner of the project's
        scenarios (else their first corner), for the project's delay model."""
        lib = self.project.get_library(self.project.get("asic", "mainlib"))
        model = self.project.get("asic", "delaymodel") or "nldm"
        corners = [c for scenario in self.project.constraint.timing.get_scenario().values()
                   for c in scenario.get_libcorner(self.step, self.index)]
        for corner in sorted(set(corners), key=lambda c: (c != "typical", corners.index(c))):
            if lib.valid("asic", "libcornerfileset", corner, model):
                return [f for fs in lib.get("asic", "libcornerfileset", corner, model)
                        for f in lib.find_files("fileset", fs, "file", "liberty")]
        return []

    def _sdc(self) -> str | None:
        """The design's constraints file (fileset type ``sdc``), if it has one."""
        files = [f for lib, key in self.get_fileset_file_keys("sdc")
                 for f in lib.find_files(*key)]
        return files[0] if files else None

    def pre_process(self):
        super().pre_process()
        # OpenSTA 2.0.17 cannot read .lib.gz: read the shared unpacked copies in place.
        cache = self.get("var", "cache_dir") or str(Path("..", "..", ".cache").resolve())
        libs = [str(unpacked_liberty(lib, Path(cache) / "liberty"))
                for lib in self.find_files("var", "liberty")]
        top = self.top
        Path("sta.tcl").write_text(sta_script(
            libs, f"inputs/{top}.vg", top, self.get("var", "clock_period_ns"),
            self.get("var", "activity"), self.get("var", "time_unit_ns"),
            workload.bits if (workload := self._workload()) else None,
            spef=f"inputs/{top}.spef", sdc=self._sdc()))

    def _workload(self) -> PortActivity | None:
        """The simulated workload, if the block has one (a scalar file key)."""
        if not self.get("var", "port_activity"):
            return None
        path = Path(self.find_files("var", "port_activity"))
        return PortActivity.from_json(json.loads(path.read_text()))

    def runtime_options(self):
        return super().runtime_options() + ["-no_init", "-exit", "sta.tcl"]

    def post_process(self):
        super().post_process()
        log = self.log_text()
        unit = self.get("var", "time_unit_ns")
        slack, tns = parse_slack(log)
        src = f"{self.step}.log"
        if slack is not None:
            self.record("setupslack", slack * unit, src, "ns")
            self.record("setupwns", min(0.0, slack * unit), src, "ns")
        if tns is not None:
            self.record("setuptns", tns * unit, src, "ns")
        if NO_WIRES in log:
            before, _ = parse_slack(log.split(NO_WIRES, 1)[1].split(WIRES, 1)[0])
            self.record("setupslack_nowire", before and before * unit, src, "ns")
        hold, hold_tns = parse_hold(log)
        if hold is not None:
            self.record("holdslack", hold * 1e9, src, "ns")
            self.record("holdwns", min(0.0, hold * 1e9), src, "ns")
        self.record("holdtns", hold_tns and hold_tns * 1e9, src, "ns")
        start, end = parse_critical_path(log)
        self._record_power(log, src)
        write_text_metrics({"critical_path_start": start, "critical_path_end": end,
                            "power_method": power_method(self.get("var", "activity"),
                                                         self._workload())})

    def _record_power(self, log: str, src: str) -> None:
        """Both methods at both clocks (the text metric ``power_method`` says what each
        metric is); a missing report is an error in the log, its metric left unset."""
        sections = {UNIFORM: ("averagepower", True), UNIFORM_DESIGN:
                    ("averagepower_design_clock", False)}
        workload = self._workload()
        if workload:
            sections.update({WORKLOAD: ("workload_power", False),
                             WORKLOAD_DESIGN: ("workload_power_design_clock", False)})
        for section, (key, breakdown) in sections.items():
            power = parse_power(log, section)
            if power is None:
                self.logger.error(f"OpenSTA printed no power report ({section})")
                continue
            self.record(key, power["total"] * 1e3, src, "mw")
            if breakdown:
                self.record("leakagepower", power["leakage"] * 1e3, src, "mw")
                self.record("internal_power", power["internal"] * 1e3, src, "mw")
                self.record("switching_power", power["switching"] * 1e3, src, "mw")


def power_method(activity: float, workload: PortActivity | None) -> str:
    """What the power metrics of a run mean, in one line."""
    uniform = (f"averagepower: uniform activity {activity:g} on every net and input "
               "(set_power_activity -global/-input)")
    if workload is None:
        return uniform + "; no workload model for this design"
    return (uniform + f"; workload_power: {workload.cycles}-cycle simulation "
            f"({workload.workload}), per-input-port activities (-input_ports) "
            "propagated by OpenSTA")
