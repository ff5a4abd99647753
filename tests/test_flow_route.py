"""The route step's repair rounds, end to end on a block picked by measurement."""
import pytest
import yaml

from roma_pd.flow import load_config, run_tile
from tests.conftest import REPO


@pytest.mark.eda
def test_repair_routes_clean(pdk, tmp_path):
    # The 5K-cell MAC at 0.60 (aspect 1.0), synthesized with every cell allowed, leaves
    # 2 unrouted nets on its first route (Etesian and Katana are deterministic); two
    # repair rounds route it clean.
    settings = yaml.safe_load((REPO / "flows" / "roma_tile.yaml").read_text())
    settings["synthesis"] = {"dont_use": []}
    flow = tmp_path / "all_cells.yaml"
    flow.write_text(yaml.safe_dump(settings))
    cfg = load_config({"name": "mac5k", "generator": "mac", "flow": str(flow),
                       "params": {"lanes": 12, "acc_width": 24}, "density": 0.6})
    row = run_tile(cfg, pdk, tmp_path / "b").row
    assert row["unrouted_nets_initial"] > 0
    assert row["unrouted_nets_round0"] == row["unrouted_nets_initial"]
    assert row["repair_rounds"] >= 1
    assert row["unrouted_nets"] == 0 and row["unrouted_segments"] == 0
    assert row["incoherent_segments"] == 0
    assert row["opens"] == 0 and row["shorts"] == 0
    chosen = row["repair_round_chosen"]
    assert row[f"unrouted_nets_round{chosen}"] == 0
    assert row["padded_cells"] > 0
    # the core is the placement step's: repair moves cells, never the die
    assert row["core_area"] == pytest.approx(row["stdcell_area"] / row["base_util"])
