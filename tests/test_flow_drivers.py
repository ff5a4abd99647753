"""Each roma_tile task's command line, from the project SiliconCompiler runs (no tool
runs): what the task passes is what its tool's parser takes, config values included."""
import pytest
from siliconcompiler.scheduler import SchedulerNode

from roma_pd.data import FLOWS
from roma_pd.flow import build_project, load_config
from roma_pd.tools import coriolis, klayout, yosys
from tests.conftest import REPO

pytestmark = pytest.mark.pdk
SETTINGS = str(FLOWS / "roma_tile.yaml")


def _options(cfg, pdk, tmp_path) -> dict[str, list[str]]:
    proj = build_project(cfg, pdk, tmp_path, "job0")
    out = {}
    for step in ("synth", "place", "route", "export", "drc", "metrics", "sta"):
        node = SchedulerNode(proj, step, "0")
        with node.runtime():
            out[step] = [str(a) for a in node.task.runtime_options()]
    return out


@pytest.fixture(scope="module")
def mac(pdk, tmp_path_factory):
    cfg = load_config({"name": "m", "generator": "mac", "density": 0.42,
                       "aspect_ratio": 1.05, "top_layer": "M5", "clock_period_ns": 1.5})
    return _options(cfg, pdk, tmp_path_factory.mktemp("mac"))


def test_synth(mac):
    assert mac["synth"][0] == "--source" and mac["synth"][1].endswith("/m/rtl/job0/m.il")
    assert mac["synth"][2:] == [
        "--top", "m", "--period-ps", "1500.0", "--netlist", "outputs/m.vg",
        "--blif", "outputs/m.blif", "--stat", "reports/stat.json", "--settings", SETTINGS]
    args = yosys.cli_parser().parse_args(mac["synth"])
    assert (args.top, args.period_ps, args.source) == ("m", 1500.0, [mac["synth"][1]])


def test_place(mac):
    coriolis_common = ["--top", "m", "--blif", "inputs/m.blif", "--settings", SETTINGS,
                       "--top-layer", "M5", "--clock-ports", "clk"]
    assert mac["place"] == ["place", *coriolis_common, "--report", "reports/place.json",
                            "--aspect-ratio", "1.05", "--out", "outputs/m.place.json",
                            "--density", "0.42"]
    args = coriolis.cli_parser().parse_args(mac["place"])
    assert (args.density, args.aspect_ratio, args.top_layer, args.core_area) == \
        (0.42, 1.05, "M5", None)
    assert mac["route"] == ["route", *coriolis_common, "--report", "reports/route.json",
                            "--placement", "inputs/m.place.json", "--outdir", "outputs"]
    assert coriolis.cli_parser().parse_args(mac["route"]).cmd == "route"


def test_klayout_steps(mac):
    assert mac["export"] == ["export", "--top", "m", "--routed", "inputs/m.routed.gds",
                             "--out", "outputs/m.gds", "--report", "reports/export.json"]
    assert mac["drc"] == ["drc", "--top", "m", "--gds", "inputs/m.gds", "--out",
                          "outputs/m.drc.lyrdb", "--report", "reports/drc.json"]
    assert mac["metrics"] == [
        "measure", "--top", "m", "--wires", "inputs/m.wires.oas", "--gds", "inputs/m.gds",
        "--netlist", "inputs/m.vg", "--lvsdb", "outputs/m.lvsdb", "--markers",
        "outputs/m.lvs.lyrdb", "--spef", "outputs/m.spef", "--placement",
        "inputs/m.routed.json", "--top-layer", "M5", "--report", "reports/metrics.json"]
    for step in ("export", "drc", "metrics"):
        assert klayout.cli_parser().parse_args(mac[step]).cmd == mac[step][0]


def test_sta(mac):
    assert mac["sta"] == ["-no_init", "-exit", "sta.tcl"]


def test_core_area_replaces_density(pdk, tmp_path):
    cfg = load_config({"name": "m", "generator": "mac", "core_area": 120.0})
    place = _options(cfg, pdk, tmp_path)["place"]
    assert place[-2:] == ["--core-area", "120.0"] and "--density" not in place
    assert coriolis.cli_parser().parse_args(place).core_area == 120.0


def test_source_config(pdk, tmp_path):
    opts = _options(load_config(REPO / "designs" / "byod.yaml"), pdk, tmp_path)
    rtl = REPO / "designs" / "byod" / "rtl"
    assert opts["synth"] == [
        "--source", str(rtl / "accum_pipe.v"), "--source", str(rtl / "sat_add.v"),
        "--include-dir", str(rtl / "include"), "--define", "WIDTH=8",
        "--top", "accum_pipe", "--period-ps", "2000.0", "--netlist",
        "outputs/accum_pipe.vg", "--blif", "outputs/accum_pipe.blif", "--stat",
        "reports/stat.json", "--settings", SETTINGS]
    args = yosys.cli_parser().parse_args(opts["synth"])
    assert (args.define, args.top) == (["WIDTH=8"], "accum_pipe")
    # the SDC's clock port, not clk, is typed as a clock by Coriolis
    assert opts["place"][opts["place"].index("--clock-ports") + 1] == "clk_core"
