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
    assert parse_slack(STA) == (1264.037354, -12.5)
    power = parse_power(STA)
    assert power["total"] == pytest.approx(5.34700666e-05)
    assert power["internal"] + power["switching"] + power["leakage"] == \
        pytest.approx(power["total"], rel=1e-6)
    assert parse_power("no report") is None
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


def test_read_stream_section():
    # a ROM block: the address counter's rates first, then the uniform activity
    script = sta_script(["a.lib"], "n.vg", "rom", 2.0, 0.1, 0.001, addr_bits=3)
    assert "set_power_activity -input_ports {addr[0]} -activity 1" in script
    assert "set_power_activity -input_ports {addr[2]} -activity 0.25" in script
    assert script.index("addr[2]") < script.index("-global")
    assert "addr[" not in sta_script(["a.lib"], "n.vg", "mac", 2.0, 0.1, 0.001)
    from roma_pd.flow._sta import READ_STREAM, UNIFORM
    stream = STA.replace("5.34700666e-05", "9.0e-05")
    log = f"{READ_STREAM}\n{stream}\n{UNIFORM}\n{STA}"
    assert parse_power(log, READ_STREAM)["total"] == pytest.approx(9.0e-05)
    assert parse_power(log)["total"] == pytest.approx(5.34700666e-05)
    assert parse_power(STA, READ_STREAM) is None     # a block that is not a ROM


def test_sta_script_sdc():
    # The user's SDC replaces the generated clock; power re-clocks each of its clocks.
    script = sta_script(["a.lib"], "n.vg", "top", 1.25, 0.2, 0.001, sdc="/d/c.sdc")
    assert "read_sdc /d/c.sdc" in script
    assert "get_ports clk" not in script and "-period 1250" not in script
    assert "create_clock -name [get_name $roma_clk] -period 2000 $roma_src" in script
    assert script.index("read_sdc") < script.index("report_checks") < \
        script.index("-period 2000")
