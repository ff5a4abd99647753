"""A tiny sweep end to end (the session's ``swept`` fixture): killed after its first
stored attempt, resumed, then reported."""
import re
from pathlib import Path

import pytest

from roma_pd._flowsettings import load_flow_settings
from roma_pd.flow import TileConfig, build_project
from roma_pd.results import load
from roma_pd.sweep import SchedulerSpec, load_sweep, passes, plan_blocks
from roma_pd.tools._place_density import density_variation
from tests.conftest import REPO, cli_process


@pytest.mark.eda
def test_chip_model_from_the_stored_sweep(swept, tmp_path):
    import pandas as pd
    spec, db, _, _, _ = swept
    out = tmp_path / "chip"
    chip = cli_process("chip", "--sweep", str(spec), "--build", str(db.parent.parent.parent),
                "-o", str(out))
    text, _ = chip.communicate(timeout=120)
    assert chip.returncode == 0, text
    parts = pd.read_csv(out / "parts.csv")
    # no fused block in this sweep: the fused variant is skipped, and said so
    assert set(parts["variant"]) == {"sram", "rom", "brom"}
    assert "Not modelled: `fused`" in (out / "summary.md").read_text()
    totals = pd.read_csv(out / "totals.csv").set_index("variant")
    for variant, g in parts.groupby("variant"):
        assert g["area_mm2"].sum() == pytest.approx(totals.loc[variant, "area_mm2"])
        assert (g["area_mm2"] > 0).all() and (g["power_w"] > 0).all()
    # the ROM blocks' read energy was measured: every ROM read costs something
    blocks = pd.read_csv(out / "blocks.csv").set_index("role")
    assert blocks.loc["stdrom", "read_fj_per_bit"] > 0
    assert blocks.loc["brom", "read_fj_per_bit"] > 0
    for png in ("fig11_breakdown.png", "fig12_lunit.png", "kv_tokens.png"):
        assert (out / png).stat().st_size > 1000


@pytest.mark.eda
def test_resume_has_no_duplicates(swept):
    spec, db, killed_rows, out, _ = swept
    assert killed_rows >= 1
    df = load(db)
    assert df["key"].is_unique
    assert not df.duplicated(["block", "density", "aspect_ratio"]).any()
    # every density ran its first placements until its vote was decided, killed round
    # included: two, and the third only when those two split (decide_early)
    search = load_sweep(spec).search
    per = df.groupby(["block", "density"])
    assert len(per) >= 3
    for (block, d), g in per:
        g = g.sort_values("aspect_ratio")
        assert list(g["aspect_ratio"]) == search.placements[:len(g)], (block, d)
        ok = [passes(v, search.criterion) for v in g["verdict"]]
        assert search.vote(sum(ok), len(ok)) is not None, (block, d, ok)
        assert len(ok) == (2 if ok[0] == ok[1] else 3), (block, d, ok)
    assert df[["status", "verdict", "metrics"]].notna().all().all()
    # the resumed run did not redo the first round's attempts
    assert out.count("round 1:") == 1
    blocks = {b.name for b in plan_blocks(load_sweep(spec))}
    assert set(df["block"]) == blocks == {"compute_32x8", "stdrom_32x8", "brom_32x8"}


@pytest.mark.eda
def test_every_attempt_is_measured(swept):
    _, db, _, _, _ = swept
    df = load(db)
    ran = df[df["status"] != "failed"]
    assert len(ran) and (ran["core_area"] > 0).all()
    assert ((ran["m_base_util"] > 0) & (ran["m_base_util"] < 1)).all()
    assert set(df["verdict"]) <= {"clean", "near_clean", "fail"}


@pytest.mark.eda
def test_only_the_kept_route_layout_stays(swept):
    """Once the resumed sweep stored an attempt, its repair rounds keep their logs and
    reports but no layout; the kept one is in the route node's outputs."""
    _, db, killed_rows, _, _ = swept
    df = load(db).iloc[killed_rows:]
    ran = df[df["status"] != "failed"]
    nodes = [Path(j) / "route" / i for j, i in zip(ran["m_jobdir"], ran["m_index"])]
    assert nodes
    for node in nodes:
        assert list((node / "outputs").glob("*.routed.gds")), node
        assert list(node.glob("rounds/round*/route.log")), node
        assert not list(node.glob("rounds/round*/outputs")), node


@pytest.mark.eda
def test_placer_white_space_follows_the_local_density(swept):
    """Each attempt's Etesian densityVariation (recorded by place) is the one the flow's
    placement.local_density asks at that core density: the tiny blocks at 0.4 keep
    about 30% of the core free."""
    _, db, _, _, _ = swept
    df = load(db)
    ran = df[df["status"] != "failed"]
    local = load_flow_settings(REPO / "flows" / "roma_tile.yaml").placement.local_density
    for util, spread in zip(ran["m_base_util"], ran["m_density_variation"]):
        assert spread == pytest.approx(density_variation(util, local), abs=1e-3)
    assert (ran["m_density_variation"] > 0.25).all()


@pytest.mark.eda
def test_report_files(swept):
    _, _, _, _, report = swept
    for name in ("attempts.csv", "blocks.csv", "tiles.csv", "summary.md", "summary.html",
                 "fig12_tile_area_power.png", "utilization.png", "min_area_vs_size.png"):
        assert (report / name).is_file(), name
    text = (report / "summary.md").read_text()
    assert "## The paper's claims" in text and "near-clean" in text.lower()
    # passed/tried per density: two placements, or three when the first two split
    assert "### Routability per density" in text
    assert re.search(r"\| (\*\*)?[0-3]/[23](\*\*)? \|", text)
    import pandas as pd
    blocks = pd.read_csv(report / "blocks.csv")
    done = blocks.dropna(subset=["chosen_density"])
    # the chosen density's vote: two passing placements of the two or three it ran
    assert len(done) and done["chosen_tried"].isin([2, 3]).all()
    assert (done["chosen_passed"] >= 2).all()               # pass_rate 2/3
    assert {0.98, 1.0} <= set(pd.read_csv(report / "attempts.csv")["aspect_ratio"]) \
        <= {0.98, 1.0, 1.02}


@pytest.mark.pdk
def test_scheduler_option_reaches_siliconcompiler(pdk, tmp_path):
    cfg = TileConfig(name="s", generator="mac", density=0.5)
    proj = build_project(cfg, pdk, tmp_path, "job0",
                         scheduler=SchedulerSpec(name="slurm", queue="long", maxnodes=8))
    assert proj.get("option", "scheduler", "name") == "slurm"
    assert proj.get("option", "scheduler", "queue") == "long"
    assert proj.get("option", "scheduler", "maxnodes") == 8
    local = build_project(cfg, pdk, tmp_path, "job1", scheduler=SchedulerSpec())
    assert local.get("option", "scheduler", "name") is None
