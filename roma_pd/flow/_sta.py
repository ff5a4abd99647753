from __future__ import annotations

import re
from pathlib import Path

from ..metrics import write_text_metrics
from ._libcache import unpacked_liberty
from ._task import RomaTask

__all__ = ["StaTask", "sta_script", "parse_power", "parse_slack", "parse_hold",
           "parse_critical_path"]

POWER_CLOCK_NS = 2.0     # ROMA's 500 MHz
POWER_CLOCK_MHZ = 1e3 / POWER_CLOCK_NS


READ_STREAM = "roma-pd: power of a sequential read stream"
UNIFORM = "roma-pd: power at a uniform activity"
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
               activity: float, time_unit_ns: float, addr_bits: int = 0,
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
    Every net and input toggles ``activity`` times per cycle (clocks at their rate):
    OpenSTA's propagated activity adds up through reconvergent adder trees and reported
    0.83 W for a 4K-cell L-Unit, so the flow states one uniform activity instead.

    A ROM block (``addr_bits`` > 0) is also measured reading one word per cycle at
    successive addresses, the way the compute block's counter reads it: ``addr[k]``
    toggles 2^-k times per cycle and OpenSTA propagates that through the decoder and the
    OR networks, which have no reconvergent adders. Its Total row comes first.
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
        _POWER_CLOCKS.format(period=power_period) if sdc else
        f"create_clock -name clk -period {power_period:g} [get_ports clk]",
    ]
    if addr_bits:
        lines += ["set_power_activity -input -activity 0"] + [
            f"set_power_activity -input_ports {{addr[{k}]}} -activity {2.0 ** -k:g}"
            for k in range(addr_bits)] + [f"puts {{{READ_STREAM}}}",
                                          "report_power -digits 8"]
    lines += [
        f"puts {{{UNIFORM}}}",
        f"set_power_activity -global -activity {activity:g}",
        f"set_power_activity -input -activity {activity:g}",
        "report_power -digits 8",
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
    the ``section`` marker (the whole log if the marker is absent)."""
    if section in log:
        log = log.split(section, 1)[1]
        for other in (READ_STREAM, UNIFORM):
            if other != section:
                log = log.split(other, 1)[0]
    elif section != UNIFORM:
        return None
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
        self.add_parameter("addr_bits", "int", "address bits of a ROM block, measured "
                           "also as a sequential read stream (0: not a ROM)", defvalue=0)

    def setup(self):
        super().setup()
        self.add_input_file(file=f"{self.top}.vg")
        self.add_input_file(file=f"{self.top}.spef")
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
            self.get("var", "addr_bits"), spef=f"inputs/{top}.spef", sdc=self._sdc()))

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
        write_text_metrics({"critical_path_start": start, "critical_path_end": end})
        power = parse_power(log)
        if power is None:
            self.logger.warning("OpenSTA printed no power report")
            return
        self.record("averagepower", power["total"] * 1e3, src, "mw")
        self.record("leakagepower", power["leakage"] * 1e3, src, "mw")
        self.record("internal_power", power["internal"] * 1e3, src, "mw")
        self.record("switching_power", power["switching"] * 1e3, src, "mw")
        if self.get("var", "addr_bits"):
            stream = parse_power(log, READ_STREAM)
            self.record("read_power", stream and stream["total"] * 1e3, src, "mw")
