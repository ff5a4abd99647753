"""Parsers of tool output, on excerpts of real logs."""
import pytest

from roma_pd.flow import parse_power, parse_slack, parse_unrouted, sta_script

KATANA = """  o  Computing statistics.
     - Processeds Events Total ............................................ 9684
  o  Routing did not complete, unrouted segments:
      1| &<id:24127 Vertical en M2 [6.723um 6.084um] [6.723um 6.084um] 0.018um rpD:0 -
      2| &<id:29008 Vertical abc_1764_new_n428 M2 [7.749um 5.148um] [7.749um 5.184um] 0.0
      3| &<id:30708 Horizontal abc_1764_new_n428 M2 [7.488um 5.148um] [7.749um 5.148um] 0
      4| &<id:30952 Vertical acc(4) M3 [7.632um 4.176um] [7.632um 4.704um] 0.018um rpD:3 -
     - Track Segment Completion Ratio .......................... 99.89% [3662+4]
"""

STA = """worst slack 1264.037354
tns -12.500000
Group                      Internal      Switching        Leakage          Total
                              Power          Power          Power          Power
--------------------------------------------------------------------------------
Sequential           2.84365342e-05 1.35564903e-06 7.76852573e-08 2.98698687e-05  55.9%
--------------------------------------------------------------------------------
Total                4.52713357e-05 8.04850060e-06 1.50231088e-07 5.34700666e-05 100.0%
"""


def test_unrouted():
    segs = parse_unrouted(KATANA)
    assert segs == [("en", "M2"), ("abc_1764_new_n428", "M2"), ("abc_1764_new_n428", "M2"),
                    ("acc(4)", "M3")]
    assert len({n for n, _ in segs}) == 3


def test_unrouted_clean():
    assert parse_unrouted("     - Track Segment Completion Ratio ... 100% [3550+0]\n") == []


def test_sta_reports():
    from roma_pd.flow._sta import UNIFORM
    assert parse_slack(STA) == (1264.037354, -12.5)
    power = parse_power(f"{UNIFORM}\n{STA}")
    assert power["total"] == pytest.approx(5.34700666e-05)
    assert power["internal"] + power["switching"] + power["leakage"] == \
        pytest.approx(power["total"], rel=1e-6)
    assert parse_power("no report") is None
    assert parse_power(STA) is None          # no section marker: not our report
    assert parse_power(f"{UNIFORM}\nno table") is None
    assert parse_slack("") == (None, None)


def test_sta_script_units():
    # Liberty time unit 1 ps: a 1.25 ns target is 1250 units, the 500 MHz power clock 2000.
    script = sta_script(["a.lib"], "n.vg", "top", 1.25, 0.2, 0.001)
    assert "create_clock -name clk -period 1250 [get_ports clk]" in script
    assert "create_clock -name clk -period 2000 [get_ports clk]" in script
    assert "set_power_activity -global -activity 0.2" in script
    assert "set_power_activity -input -activity 0.2" in script
    assert script.index("report_worst_slack") < script.index("-period 2000")


def test_completion():
    from roma_pd.flow import parse_completion
    assert parse_completion(KATANA) == pytest.approx(3662 / 3666)
    assert parse_completion("- Track Segment Completion Ratio ..... 100% [3550+0]") == 1.0
    assert parse_completion("nothing") is None
    # no segment counted: unknown, not complete
    assert parse_completion("- Track Segment Completion Ratio ..... 100% [0+0]") is None


def test_registers_unknown_without_counts():
    from roma_pd.flow._synth import count_registers
    by_type = {"DFFHQNx1_ASAP7_75t_R": 3, "INVx1_ASAP7_75t_R": 5, "DHLx1_ASAP7_75t_R": 1}
    assert count_registers({"num_cells_by_type": by_type}) == 4
    assert count_registers({"num_cells_by_type": {}}) == 0
    assert count_registers({"num_cells": 8}) is None


YOSYS_LOG = """roma-pd-yosys: read_liberty
1. Executing Liberty frontend: /pdk/asap7sc7p5t_AO_RVT_TT_nldm.lib.gz
ERROR: Syntax error in liberty file on line 6455.
  Unexpected '{'.
"""


def test_failure_quotes_yosys_error(tmp_path):
    from roma_pd.flow._project import _failure
    node = tmp_path / "synth" / "0"
    node.mkdir(parents=True)
    (node / "synth.log").write_text(YOSYS_LOG)
    assert _failure(tmp_path, "synth", "0", "error", 60) == \
        "step synth failed: ERROR: Syntax error in liberty file on line 6455. " \
        "(/pdk/asap7sc7p5t_AO_RVT_TT_nldm.lib.gz)"


def test_workload_sections():
    # the simulated per-input activities first, propagated, at 500 MHz and the design
    # clock; then the uniform activity (its -global would stop the propagation), which
    # also resets every port the workload set
    from roma_pd.flow._sta import UNIFORM, UNIFORM_DESIGN, WORKLOAD, WORKLOAD_DESIGN
    ports = {"addr[0]": (1.0, 0.5), "addr[2]": (0.25, 0.5), "run": (0.0, 1.0)}
    script = sta_script(["a.lib"], "n.vg", "rom", 1.0, 0.1, 0.001, ports=ports)
    lines = script.splitlines()
    assert "set_power_activity -input_ports {addr[0]} -activity 1 -duty 0.5" in lines
    assert "set_power_activity -input_ports {addr[2]} -activity 0.25 -duty 0.5" in lines
    assert not any("{run} -activity 0 " in line for line in lines)  # stays at -input 0
    assert lines.index("set_power_activity -input -activity 0") < \
        lines.index("set_power_activity -input_ports {addr[0]} -activity 1 -duty 0.5") < \
        lines.index(f"puts {{{WORKLOAD}}}") < lines.index(f"puts {{{WORKLOAD_DESIGN}}}") < \
        lines.index("set_power_activity -global -activity 0.1") < \
        lines.index("set_power_activity -input_ports {addr[0]} -activity 0.1 -duty 0.5") < \
        lines.index(f"puts {{{UNIFORM}}}") < lines.index(f"puts {{{UNIFORM_DESIGN}}}")
    # each marker follows the clock it reports at: 2000 ps for 500 MHz, 1000 ps design
    for marker, period in ((WORKLOAD, 2000), (WORKLOAD_DESIGN, 1000), (UNIFORM, 2000),
                           (UNIFORM_DESIGN, 1000)):
        assert lines[lines.index(f"puts {{{marker}}}") - 1] == \
            f"create_clock -name clk -period {period} [get_ports clk]"
    assert WORKLOAD not in sta_script(["a.lib"], "n.vg", "mac", 2.0, 0.1, 0.001)
    tables = {m: STA.replace("5.34700666e-05", v) for m, v in
              ((WORKLOAD, "9.0e-05"), (WORKLOAD_DESIGN, "8.0e-05"), (UNIFORM, "7.0e-05"),
               (UNIFORM_DESIGN, "6.0e-05"))}
    log = "\n".join(f"{m}\n{t}" for m, t in tables.items())
    for marker, total in zip(tables, (9.0e-05, 8.0e-05, 7.0e-05, 6.0e-05)):
        assert parse_power(log, marker)["total"] == pytest.approx(total)
    assert parse_power(f"{UNIFORM}\n{STA}", WORKLOAD) is None   # no workload model


def test_sta_script_reads_spef_before_the_checks():
    script = sta_script(["a.lib"], "n.vg", "top", 2.0, 0.1, 0.001, spef="inputs/top.spef")
    lines = script.splitlines()
    spef = lines.index("read_spef inputs/top.spef")
    assert lines.index("report_checks -path_delay max -digits 4") > spef
    assert lines.index("report_checks -path_delay min -digits 4") > spef
    assert lines.index("report_worst_slack -digits 6") < spef      # the no-wire slack
    assert lines.index("report_power -digits 8") > spef


def test_hold_and_critical_path():
    from roma_pd.flow._sta import WIRES, parse_critical_path, parse_hold
    log = ("Startpoint: x (input port)\nEndpoint: y\nPath Type: max\n" + WIRES + "\n"
           "Startpoint: _906_ (rising edge-triggered flip-flop clocked by clk)\n"
           "Endpoint: _898_ (rising edge-triggered flip-flop clocked by clk)\n"
           "Path Group: clk\nPath Type: max\n"
           "Startpoint: rst (input port clocked by clk)\nEndpoint: _915_\nPath Type: min\n"
           "hold worst slack 5.658193531765665e-12\nhold tns -1.5e-10\n")
    assert parse_critical_path(log) == ("_906_", "_898_")
    assert parse_hold(log) == (5.658193531765665e-12, -1.5e-10)
    assert parse_hold("") == (None, None)
    assert parse_critical_path("") == (None, None)


def test_sta_script_sdc():
    # The user's SDC replaces the generated clock; power re-clocks each of its clocks.
    script = sta_script(["a.lib"], "n.vg", "top", 1.25, 0.2, 0.001, sdc="/d/c.sdc")
    assert "read_sdc /d/c.sdc" in script
    assert "get_ports clk" not in script and "-period 1250" not in script
    assert "create_clock -name [get_name $roma_clk] -period 2000 $roma_src" in script
    assert script.index("read_sdc") < script.index("report_checks") < \
        script.index("-period 2000")
