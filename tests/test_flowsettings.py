"""The flow settings file as a validated model (roma_pd/_flowsettings.py): a typo is a
one-line error naming the file and the key, from the loader, the tools and the CLI."""
import re
import subprocess
import sys

import pytest
import yaml

from roma_pd import RomaError
from roma_pd._flowsettings import FlowSettings, load_flow_settings
from tests.conftest import REPO

FLOW = REPO / "flows" / "roma_tile.yaml"


def _write(tmp_path, change):
    data = yaml.safe_load(FLOW.read_text())
    change(data)
    path = tmp_path / "flow.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_shipped_settings_load_as_written():
    raw = yaml.safe_load(FLOW.read_text())
    assert load_flow_settings(FLOW).as_dict() == raw


def test_coriolis_parameters_left_out_stay_out():
    """A Coriolis parameter the file does not set keeps Coriolis' default: it is not
    set to None or to a default of ours."""
    data = yaml.safe_load(FLOW.read_text())
    del data["katana"]["ripupCost"]
    assert "ripupCost" not in FlowSettings.model_validate(data).as_dict()["katana"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d["katana"].update(ripupCots=3),
     r"katana\.ripupCots: unknown key; allowed keys are disableStackedVias, "
     r"hTracksReservedLocal, vTracksReservedLocal, termSatReservedLocal, termSatThreshold, "
     r"eventsLimit, ripupCost, strapRipupLimit, localRipupLimit, globalRipupLimit, "
     r"longGlobalRipupLimit"),
    (lambda d: d.update(routng={}),
     r"routng: unknown key; allowed keys are routing, placement, repair, etesian, anabatic, "
     r"katana, synthesis"),
    (lambda d: d.update(placement={"local_density": 1.5}),
     r"placement\.local_density: Input should be less than or equal to 1, not 1\.5"),
    (lambda d: (d.update(placement={"local_density": 0.6}),
                d["etesian"].update(densityVariation=0.3)),
     r"placement\.local_density sets etesian\.densityVariation for each run; set one of "
     r"them, not both"),
    (lambda d: d["routing"]["io_halo"].update(rows=3),
     r"routing\.io_halo\.rows: must be even \(Etesian keeps the row parity\), not 3"),
    (lambda d: d["routing"]["io_halo"].update(site=4),
     r"routing\.io_halo\.site: unknown key; allowed keys are rows, sites"),
    (lambda d: d["anabatic"].update(saturateRatio="high"),
     r"anabatic\.saturateRatio: Input should be a valid number, unable to parse string "
     r"as a number, not 'high'"),
    (lambda d: d.pop("routing"), r"routing: Field required"),
])
def test_settings_wrong(tmp_path, change, message):
    path = _write(tmp_path, change)
    with pytest.raises(RomaError, match=rf"^{re.escape(str(path))}: {message}$"):
        load_flow_settings(path)


@pytest.mark.pdk
def test_tool_refuses_a_typo_in_one_line(tmp_path):
    """The Coriolis wrapper stops before Coriolis sees the file: non-zero exit, one
    line naming the file and the key."""
    path = _write(tmp_path, lambda d: d["etesian"].update(efort=2))
    done = subprocess.run(
        [sys.executable, "-m", "roma_pd.tools.coriolis", "place", "--top", "t", "--blif",
         str(tmp_path / "t.blif"), "--settings", str(path), "--report",
         str(tmp_path / "r.json"), "--out", str(tmp_path / "p.json"), "--density", "0.5"],
        capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        f"roma-pd-coriolis: error: {path}: etesian.efort: unknown key; allowed keys are "
        "effort, uniformDensity, routingDriven, densityVariation")
