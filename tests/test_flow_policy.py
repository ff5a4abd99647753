"""End to end: the flow settings' ``synthesis.dont_use`` keeps excluded cells out of the
netlist (pyosys), and a pattern that names no cell stops the run before it starts."""
import json

import pytest
import yaml

from roma_pd._errors import RomaError
from roma_pd.flow import load_config, run_tile
from roma_pd.pdk import CellPolicy
from tests.conftest import REPO

ORFS = ["*x1p*_ASAP7*", "*xp*_ASAP7*", "SDF*", "ICG*"]


def _flow(tmp_path, dont_use):
    settings = yaml.safe_load((REPO / "flows" / "roma_tile.yaml").read_text())
    settings["synthesis"] = {"dont_use": dont_use}
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(settings))
    return str(path)


def _config(flow):
    return load_config({"name": "mac4", "generator": "mac", "flow": flow,
                        "params": {"a_width": 4, "b_width": 4, "acc_width": 12},
                        "density": 0.5})


@pytest.mark.eda
def test_synthesis_uses_no_excluded_cell(pdk, tmp_path):
    result = run_tile(_config(_flow(tmp_path, ORFS)), pdk, tmp_path / "build")
    stat = json.loads((result.jobdir / "synth" / "0" / "reports" / "stat.json").read_text())
    used = stat["design"]["num_cells_by_type"]
    assert used and all(CellPolicy(tuple(ORFS)).allows(c) for c in used), used
    assert result.row["status_synth"] == "success"


@pytest.mark.pdk
def test_a_pattern_naming_no_cell_stops_the_run(pdk, tmp_path):
    build = tmp_path / "build"
    with pytest.raises(RomaError, match=r"^.*policy\.yaml: synthesis\.dont_use: 'NOR2xp33' "
                                        r"matches no cell of the library \(patterns match "
                                        r"full names, e\.g\. '\*xp33_ASAP7\*'\)$"):
        run_tile(_config(_flow(tmp_path, ["NOR2xp33"])), pdk, build)
    assert not any(build.rglob("*.il"))
