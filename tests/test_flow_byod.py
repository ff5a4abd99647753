"""End to end: a user's own Verilog (two files, an include, a define) with its SDC through
``roma-pd run``, then ``--from route`` on the same job."""
import json

import pytest

from roma_pd.cli import main
from tests.conftest import REPO

CONFIG = str(REPO / "designs" / "byod.yaml")


def _mtime(jobdir, step):
    return (jobdir / step / "0" / f"{step}.log").stat().st_mtime


@pytest.mark.eda
def test_own_verilog_then_from_route(tmp_path, capsys, pdk):
    build = tmp_path / "b"
    code = main(["run", CONFIG, "--build", str(build)])
    out = capsys.readouterr().out
    assert "running accum8 (source) through roma_tile" in out
    jobdir = build / "accum8" / "job0"
    row = json.loads((jobdir / "roma_metrics.json").read_text())
    assert code == (0 if row["status"] == "ok" else 1)
    # WIDTH=8 from defines: 8 sample + 12 accumulator + 1 sticky flag registers
    assert row["registers"] == 21 and row["top"] == "accum_pipe"
    assert (row["unrouted_nets"], row["opens"], row["shorts"]) == (0, 0, 0)
    # timed at the SDC's 1 GHz clock on clk_core (there is no port clk)
    assert 0 < row["setupslack"] < 1.0
    tcl = (jobdir / "sta" / "0" / "sta.tcl").read_text()
    assert "read_sdc" in tcl and "get_ports clk]" not in tcl
    # each bus on one edge, bits in order
    pins = json.loads((jobdir / "place" / "0" / "outputs" /
                       "accum_pipe.place.json").read_text())["io_pins"]
    for bus, width in (("acc", 12), ("din", 8)):
        bits = [p for p in pins if p[1].startswith(bus + "(")]
        assert len({p[0] for p in bits}) == 1
        assert [p[1] for p in sorted(bits, key=lambda p: p[2])] == \
            [f"{bus}({i})" for i in range(width)]
    assert (jobdir / "export" / "0" / "outputs" / "accum_pipe.gds").is_file()
    assert "worst slack" in out and "at the clocks of accum_pipe.sdc" in out
    # ORFS-style names beside ours, with units
    assert row["detailedroute__route__wirelength"] == row["wirelength"] > 0
    assert row["finish__design__instance__area"] == row["stdcell_area"]
    assert row["units"]["finish__timing__setup__ws"] == "ns"

    before = {s: _mtime(jobdir, s) for s in ("synth", "place", "sta", "route", "metrics")}
    code = main(["run", CONFIG, "--build", str(build), "--from", "route"])
    again = json.loads((jobdir / "roma_metrics.json").read_text())
    assert code == (0 if again["status"] == "ok" else 1)
    after = {s: _mtime(jobdir, s) for s in before}
    # sta reads the SPEF of the metrics step, so it reruns too
    assert [s for s in before if after[s] == before[s]] == ["synth", "place"]
    # the reused steps' metrics are still in the job
    assert (again["cells"], again["registers"]) == (row["cells"], row["registers"])
    assert again["setupslack"] == row["setupslack"]
    assert again["unrouted_nets"] == 0


def test_from_without_earlier_steps_wrong(tmp_path, capsys, pdk):
    build = tmp_path / "b"
    assert main(["run", CONFIG, "--build", str(build), "--from", "route"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("roma-pd: error: --from route: step synth has not finished in "
                          "job job0 (") and "\n" not in err
    assert not build.exists()


def test_source_config_wrong_exits_2(tmp_path, capsys):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text("name: mine\nsource: mine.v\nparams: {lanes: 2}\n")
    (tmp_path / "mine.v").write_text("module mine; endmodule\n")
    assert main(["run", str(cfg), "--build", str(tmp_path / "b")]) == 2
    assert capsys.readouterr().err == (
        f"roma-pd: error: {cfg}: params: belongs to a generator: config; a source: "
        "config takes top:, include_dirs:, defines: and sdc:\n")
    assert not (tmp_path / "b").exists()
