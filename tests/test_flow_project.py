"""End to end: the real tools on a small tile (pyosys, Coriolis, KLayout, OpenSTA); and
the verdict of a run from its row (no tools)."""
import json
import re
from collections import Counter

import klayout.db as kdb
import pytest

from roma_pd.cli import main
from roma_pd.flow import STEPS, infra_error, load_config, run_status, run_tile
from tests.conftest import REPO



@pytest.fixture(scope="module")
def small_run(pdk, tmp_path_factory):
    """The default tile (an 8x8 MAC, about 480 cells) at 60% density."""
    build = tmp_path_factory.mktemp("build")
    return run_tile(load_config(REPO / "designs" / "mac.yaml"), pdk, build), build


@pytest.mark.eda
def test_routes_clean(small_run):
    result, _ = small_run
    row = result.row
    assert row["unrouted_nets"] == 0 and row["unrouted_segments"] == 0
    assert row["opens"] == 0 and row["shorts"] == 0
    assert row["route_complete"] == 1       # Katana's own flag, read into the verdict
    assert row["cells"] > 50
    # Routed clean; whether it is ok is the DRC's call (Katana leaves M2 too close to
    # flip-flop internal M2 here: see test_drc_step).
    if row["drc_violations"]:
        assert result.status == "route_failed"
        assert result.message == (f"DRC is not clean: {row['drc_violations']} DRC "
                                  f"violations (markers: {result.markers})")
    else:
        assert result.status == "ok", result.message


@pytest.mark.eda
def test_drc_step(small_run, tech):
    import klayout.rdb as rdb
    from roma_pd.metrics import drc_layers
    result, _ = small_run
    row = result.row
    assert row["status_drc"] == "success" and row["time_drc"] > 0
    total = row["drc_violations"]
    assert isinstance(total, int) and total >= 0
    metals, cuts = drc_layers(tech)
    assert sum(row[f"drc_{n.lower()}"] for n in metals + cuts) == total
    assert result.markers == result.jobdir / "drc" / "0" / "outputs" / "mac8.drc.lyrdb"
    db = rdb.ReportDatabase("")
    db.load(str(result.markers))
    assert db.num_items() == total and db.top_cell_name == "mac8"
    report = json.loads((result.jobdir / "drc" / "0" / "reports" / "drc.json").read_text())
    assert report["violations"] == total and report["by_layer"]["M1"] == 0
    print(f"mac8 DRC: {total}:", {k: v for k, v in report["by_rule"].items() if v})


@pytest.mark.eda
def test_per_layer_sums(small_run, tech):
    row = small_run[0].row
    layers = [m.name.lower() for m in tech.metals]
    assert sum(row[f"wl_{n}"] for n in layers) == pytest.approx(row["wirelength"])
    assert sum(row[f"vias_{c.name.lower()}"] for c in tech.cuts) == row["vias"]
    assert row["wl_m2"] > 0 and row["wl_m3"] > 0
    assert row["wl_m1"] == 0           # M1 is pin-only
    for m in tech.metals:              # track utilization follows from wirelength
        n = m.name.lower()
        assert row[f"track_util_{n}"] == pytest.approx(
            row[f"wl_{n}"] * m.pitch / row["core_area"])


@pytest.mark.eda
def test_utilizations_in_range(small_run):
    row = small_run[0].row
    assert 0 < row["base_util"] < 1
    assert row["base_util"] == pytest.approx(row["stdcell_area"] / row["core_area"])
    assert row["base_util"] == pytest.approx(0.6, abs=0.05)
    for key in ("track_util_m2", "track_util_m3", "density_m1", "density_m2"):
        assert 0 < row[key] < 1, key
    assert row["transistors"] > 4 * row["cells"] // 2
    assert row["transistor_density"] == pytest.approx(row["transistors"] / row["core_area"])


@pytest.mark.eda
def test_timing_and_power(small_run):
    row = small_run[0].row
    assert row["setupslack"] is not None and row["setupslack"] < row["clock_period_ns"]
    assert row["averagepower"] > 0 and row["leakagepower"] > 0
    assert row["internal_power"] + row["switching_power"] + row["leakagepower"] == \
        pytest.approx(row["averagepower"], rel=1e-4)
    assert all(row[f"time_{s}"] > 0 for s in ("synth", "place", "route", "export", "drc",
                                               "sta", "metrics"))
    assert row["version_route"] == "2.5.4" and row["version_synth"] == "0.70"
    # the simulated workload beside the uniform activity, each run saying which is which
    assert row["workload_power"] > 0 and row["workload_power"] != row["averagepower"]
    assert row["averagepower_design_clock"] == pytest.approx(row["averagepower"])  # 2 ns
    assert "uniform activity 0.1" in row["power_method"]
    assert "workload_power: 256-cycle simulation" in row["power_method"]


@pytest.mark.eda
def test_power_at_the_design_clock(small_run, tmp_path):
    """At a 1 ns design clock the dynamic power is twice the 500 MHz figure, for both
    methods; leakage does not move."""
    import subprocess
    from roma_pd.flow import parse_power, sta_script
    from roma_pd.flow._sta import UNIFORM, UNIFORM_DESIGN, WORKLOAD, WORKLOAD_DESIGN
    from roma_pd.rtl import PortActivity
    result, _ = small_run
    node = result.jobdir / "sta" / "0"
    libs = [line.split(" ", 1)[1] for line in (node / "sta.tcl").read_text().splitlines()
            if line.startswith("read_liberty ")]
    ports = PortActivity.from_json(json.loads(next(
        (result.jobdir.parent / "rtl" / "job0").glob("*.activity.json")).read_text()))
    script = tmp_path / "sta.tcl"
    script.write_text(sta_script(libs, str(node / "inputs" / "mac8.vg"), "mac8", 1.0, 0.1,
                                 0.001, ports=ports.bits,
                                 spef=str(node / "inputs" / "mac8.spef")))
    log = subprocess.run(["sta", "-no_init", "-exit", str(script)], capture_output=True,
                         text=True, timeout=120).stdout
    for at_500, at_design in ((UNIFORM, UNIFORM_DESIGN), (WORKLOAD, WORKLOAD_DESIGN)):
        slow, fast = parse_power(log, at_500), parse_power(log, at_design)
        assert fast["leakage"] == pytest.approx(slow["leakage"])
        assert fast["total"] - fast["leakage"] == \
            pytest.approx(2 * (slow["total"] - slow["leakage"]), rel=1e-3)


@pytest.mark.eda
def test_gds_holds_placed_instances(small_run, pdk):
    result, _ = small_run
    placement = json.loads((result.jobdir / "place" / "0" / "outputs" /
                            "mac8.place.json").read_text())
    placed = Counter(master for _, master, *_ in placement["instances"])
    layout = kdb.Layout()
    layout.read(str(result.gds))
    top = layout.cell("mac8")
    in_gds = Counter(layout.cell(i.cell_index).name for i in top.each_inst())
    assert in_gds == placed
    # Real cell layouts, not abstracts: the inverter has its active and gate layers.
    inv = next(c for c in placed if c.startswith("INV"))
    assert len(list(layout.cell(inv).each_shape(layout.layer(7, 0)))) > 0  # gate
    assert sum(placed[c] for c in placed if not c.startswith("FILLER")) == \
        result.row["cells"]


@pytest.mark.eda
def test_metrics_json_loads_as_one_row(small_run):
    from roma_pd.metrics import load_metrics
    result, _ = small_run
    df = load_metrics(result.jobdir)
    assert len(df) == 1 and df.loc[0, "design"] == "mac8"
    assert df.loc[0, "status"] == result.status
    assert result.metrics_file.parent == result.jobdir
    assert (result.jobdir / "mac8.pkg.json").is_file()   # beside the manifest


@pytest.mark.eda
def test_cli_metrics_and_render(small_run, capsys):
    result, _ = small_run
    assert main(["metrics", str(result.jobdir)]) == 0
    out = capsys.readouterr().out
    assert result.message in out and "M2" in out and "unrouted nets 0" in out
    assert f"DRC           violations {result.row['drc_violations']} " in out
    png = result.jobdir / "layout.png"
    assert main(["render", str(result.jobdir), "-o", str(png), "--size", "400"]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


# -- the verdict, from a row (no tools) ---------------------------------------------------
_OK = {f"status_{s}": "success" for s in STEPS}
_CLEAN = {"unrouted_nets": 0, "opens": 0, "shorts": 0, "lvs_mismatches": 0,
          "drc_violations": 0, "route_complete": 1}
_NAMES = {"unrouted_nets": "unrouted nets", "opens": "opens", "shorts": "shorts",
          "lvs_mismatches": "lvs mismatches", "drc_violations": "DRC violations",
          "route_complete": "route completion flag"}


def test_status_ok():
    assert run_status({**_OK, **_CLEAN}) == ("ok", "routed clean, DRC clean")


def test_status_drc_only(tmp_path):
    status, message = run_status({**_OK, **_CLEAN, "drc_violations": 7}, tmp_path, 0, "1",
                                 "blk")
    assert status == "route_failed"
    assert message == (f"DRC is not clean: 7 DRC violations (markers: "
                       f"{tmp_path / 'drc' / '1' / 'outputs' / 'blk.drc.lyrdb'})")


def test_status_routing_and_drc():
    status, message = run_status({**_OK, **_CLEAN, "opens": 1, "drc_violations": 3})
    assert status == "route_failed"
    assert message.startswith("routing is not clean: 1 opens, 3 DRC violations (markers: ")


@pytest.mark.parametrize("key", sorted(_CLEAN))
def test_status_missing_count_wrong(key):
    """A missing count fails the run: it is never read as 0 (fail closed)."""
    row = {**_OK, **_CLEAN}
    del row[key]
    message = f"no {_NAMES[key]} recorded: the run cannot be judged clean"
    assert run_status(row) == ("failed", message)
    assert run_status({**row, key: None})[0] == "failed"
    # every step succeeded, so a missing count is a flow fault, not a design's result
    assert infra_error(row) == message


def test_status_katana_incomplete():
    """Katana's own flag: an incomplete route that lists no residue is never clean."""
    assert run_status({**_OK, **_CLEAN, "route_complete": 0}) == (
        "route_failed", "routing is not clean: Katana reports the route incomplete")
    status, message = run_status({**_OK, **_CLEAN, "route_complete": 0,
                                  "unrouted_nets": 2})
    assert (status, message) == ("route_failed", "routing is not clean: 2 unrouted nets, "
                                 "Katana reports the route incomplete")


def _node(tmp_path, step, log=None, sc_log=None):
    node = tmp_path / step / "0"
    node.mkdir(parents=True)
    if log is not None:
        (node / f"{step}.log").write_text(log)
    if sc_log is not None:
        (node / f"sc_{step}_0.log").write_text(sc_log)
    return node


def test_infra_error_none_for_results(tmp_path):
    assert infra_error({**_OK, **_CLEAN}, tmp_path) is None
    assert infra_error({**_OK, **_CLEAN, "drc_violations": 5}, tmp_path) is None
    # the tool's own one-line error is a result (too dense to place)
    _node(tmp_path, "place", "roma-pd-coriolis: error: Not all cells have been placed\n")
    assert infra_error({**_OK, "status_place": "error"}, tmp_path) is None
    _node(tmp_path, "sta", "Error: mac8.vg line 3, syntax error\n")
    assert infra_error({**_OK, "status_sta": "error"}, tmp_path) is None


def test_infra_error_timeout(tmp_path):
    _node(tmp_path, "route", "round 0\n", "| ERROR | Task timed out\n")
    assert infra_error({**_OK, "status_route": "error"}, tmp_path, "0", 30) == \
        "step route timed out after 30 s (timeout_s)"
    assert infra_error({**_OK, "status_synth": "timeout"}, tmp_path, "0", 5) == \
        "step synth timed out after 5 s (timeout_s)"


def test_infra_error_not_run(tmp_path):
    # the scheduler never started the node: no log
    assert infra_error({**_OK, "status_synth": None}, tmp_path) == \
        "step synth did not run (status none)"
    assert infra_error({**_OK, "status_place": "error"}, tmp_path) == \
        "step place did not run (status error)"


def test_infra_error_crash(tmp_path):
    node = _node(tmp_path, "route", "Traceback (most recent call last):\nKeyError: 'x'\n")
    assert infra_error({**_OK, "status_route": "error"}, tmp_path) == (
        f"step route crashed (status error) without a tool error; see {node / 'route.log'}")


def test_status_drc_step_failed():
    row = {**_OK, **_CLEAN, "status_drc": "error"}
    del row["drc_violations"]
    assert run_status(row) == ("failed", "step drc failed: status error")


def test_drc_step_in_flowgraph():
    from roma_pd.flow import RomaTileFlow
    assert STEPS.index("export") < STEPS.index("drc") < STEPS.index("metrics")
    flow = RomaTileFlow()
    assert flow.get("drc", "0", "input") == [("export", "0")]
    assert ("drc", "0") in flow.get("metrics", "0", "input")


@pytest.mark.eda
def test_lvs_matches(small_run):
    """The default tile: LVS match against the synthesized netlist, markers beside."""
    import klayout.rdb as rdb
    result, _ = small_run
    row = result.row
    assert (row["opens"], row["shorts"], row["lvs_mismatches"]) == (0, 0, 0)
    outputs = result.jobdir / "metrics" / "0" / "outputs"
    report = json.loads((result.jobdir / "metrics" / "0" / "reports" /
                         "metrics.json").read_text())
    assert report["lvs_match"] and report["lvs_nets"] > row["cells"] / 2
    db = rdb.ReportDatabase("")
    db.load(str(outputs / "mac8.lvs.lyrdb"))
    assert db.num_items() == 0 and db.top_cell_name == "mac8"
    lvs = kdb.LayoutVsSchematic()
    lvs.read(str(outputs / "mac8.lvsdb"))
    assert lvs.netlist().circuit_by_name("mac8") is not None


@pytest.mark.eda
def test_spef_read_by_opensta(small_run):
    """Every signal net gets routed parasitics; OpenSTA reads the SPEF without a warning
    and the wires cost setup slack."""
    result, _ = small_run
    row = result.row
    report = json.loads((result.jobdir / "metrics" / "0" / "reports" /
                         "metrics.json").read_text())
    assert row["spef_nets"] == report["signal_nets"] == report["routed_nets"]
    assert row["wire_cap"] > 0 and row["wire_res"] > 0
    log = (result.jobdir / "sta" / "0" / "sta.log").read_text()
    assert "read_spef inputs/mac8.spef" in (result.jobdir / "sta" / "0" /
                                            "sta.tcl").read_text()
    assert "Warning" not in log and "Error" not in log
    assert row["setupslack"] < row["setupslack_nowire"]
    assert row["holdslack"] is not None and row["holdtns"] is not None
    assert row["critical_path_start"] and row["critical_path_end"]


# -- job folders ------------------------------------------------------------------------------

@pytest.mark.parametrize("job", ["", ".", "..", "../../x", "a/b", "/tmp/x", "job 1", "-j"])
def test_job_name_wrong(job):
    from roma_pd import RomaError
    from roma_pd.flow import check_job_name
    with pytest.raises(RomaError, match=rf"^--job: job name must be an identifier, not "
                                        rf"{re.escape(repr(job))}$"):
        check_job_name(job)


def test_job_name_ok():
    from roma_pd.flow import check_job_name
    assert check_job_name("job0") == "job0" and check_job_name("a3f9e0c1d2b") == "a3f9e0c1d2b"


def test_clear_job_only_inside_the_design_folder(tmp_path):
    from roma_pd import RomaError
    from roma_pd.flow._project import _clear_job
    design = tmp_path / "b" / "mac8"
    (design / "job0" / "synth").mkdir(parents=True)
    (design / "job1").mkdir()
    _clear_job(design / "job0", design)
    assert not (design / "job0").exists() and (design / "job1").is_dir()
    outside = tmp_path / "precious"
    outside.mkdir()
    (design / "link").symlink_to(outside)        # a job folder that points elsewhere
    for job in (design / "link", design / "..", design / "job1" / ".." / "..", design):
        with pytest.raises(RomaError, match=r"^--job: job folder .* is not inside .*; "
                                            r"nothing was deleted$"):
            _clear_job(job, design)
    assert outside.is_dir() and (design / "job1").is_dir()


# -- each block handed on as soon as it is over --------------------------------------------

def test_block_over():
    from roma_pd.flow._project import _block_over

    class Project:
        def __init__(self, **status):
            self.status = status

        def get(self, *key, step, index):
            return self.status.get(step)

    done = {s: "success" for s in STEPS}
    assert _block_over(Project(**done), "0")
    assert not _block_over(Project(**{**done, "metrics": "running"}), "0")
    # route failed: export, drc, metrics and sta (it reads the SPEF) never run
    failed = {"synth": "success", "place": "success", "route": "error"}
    assert _block_over(Project(**failed), "0")
    # metrics failed while nothing else runs: sta never will
    assert _block_over(Project(**{**done, "metrics": "error", "sta": None}), "0")
    assert not _block_over(Project(**{**done, "sta": "running"}), "0")
    assert not _block_over(Project(), "0")                 # nothing has run yet
    assert _block_over(Project(synth="error"), "0")


def test_run_blocks_hands_on_each_block_during_the_run(pdk, tmp_path, monkeypatch):
    """The scheduler tells its listeners as nodes end; block 0 is handed on while block
    1 still runs, and a run killed then has already handed it on."""
    from siliconcompiler.scheduler import Scheduler

    from roma_pd.flow import TileConfig, _project

    class Project:
        def __init__(self):
            self.status, self.logger = {}, None

        def get(self, *key, step=None, index=None):
            if key == ("option", "builddir"):
                return str(tmp_path)
            if key == ("option", "jobname"):
                return "job0"
            return self.status.get((step, index)) if key == ("record", "status") else None

        def run(self):
            for index in ("0", "1"):
                for step in STEPS if index == "0" else STEPS[:2]:
                    self.status[(step, index)] = "success"
                    for listener in Scheduler._registered_listeners():
                        listener.node_finished(self, step, index)
            raise KeyboardInterrupt        # killed while block 1 routes

    monkeypatch.setattr(_project, "build_project", lambda *a, **k: Project())
    handed = []
    configs = [TileConfig(name=f"b{i}", generator="mac") for i in range(2)]
    with pytest.raises(KeyboardInterrupt):
        _project.run_blocks(configs, pdk, tmp_path, "job0", "d",
                            on_block=lambda i, r: handed.append((i, r.row["design"])))
    assert handed == [(0, "b0")]
    assert Scheduler._registered_listeners() == ()      # removed even on a kill
