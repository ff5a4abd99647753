"""The chip model's maths on synthetic tile results: known inputs give known outputs."""
import math

import numpy as np
import pandas as pd
import pytest

from roma_pd.chip import (ChipConfig, ScalingModel, SramFacts, block_frame, chip_parts,
                          compute_block, fit_linear, fused_ratio, paper_kv_points,
                          workload_of)
from roma_pd.cli import main
from tests.conftest import REPO

# Synthetic blocks with exact linear laws (areas in um^2, powers in mW at 500 MHz).
STORE = {"stdrom": (20.0, 0.03), "brom": (20.0, 0.025)}    # a0, a_bit
LANE_UM2, LANE_LEAK_MW, LANE_PJ = 50.0, 1e-4, 0.1          # per compute lane
FUSED = 0.9                                               # fused / (brom + compute)


def _minima(widths=(32, 64), depths=(64, 128, 256)):
    rows = []
    for w in widths:
        lanes = w // 2
        comp_area = LANE_UM2 * lanes
        rows.append({"block": f"compute_{max(depths)}x{w}", "role": "compute",
                     "depth": max(depths), "width": w, "chosen_core_area": comp_area,
                     "leakagepower": LANE_LEAK_MW * lanes,
                     "averagepower": LANE_LEAK_MW * lanes + LANE_PJ * lanes / 2,
                     "workload_power": None})
        for d in depths:
            for role, (a0, a_bit) in STORE.items():
                # read energy per word bit: 10 + 5*log2(depth) fJ -> mW at 500 MHz
                read_mw = w * (10 + 5 * math.log2(d)) * 1e-3 / 2
                rows.append({"block": f"{role}_{d}x{w}", "role": role, "depth": d,
                             "width": w, "chosen_core_area": a0 + a_bit * d * w,
                             "leakagepower": 1e-6 * d * w, "averagepower": 1.0,
                             "workload_power": 1e-6 * d * w + read_mw})
            brom = STORE["brom"][0] + STORE["brom"][1] * d * w
            rows.append({"block": f"fused_{d}x{w}", "role": "fused", "depth": d, "width": w,
                         "chosen_core_area": FUSED * (brom + comp_area),
                         "leakagepower": 1e-3, "averagepower": 1.0, "workload_power": None})
    return pd.DataFrame(rows)


def _model(**kw):
    return ScalingModel(block_frame(_minima(**kw), weight_bits=2, clock_mhz=500.0))


SRAM = SramFacts("fake_1024x64", 1024, 64, area_um2=6553.6, leakage_uw=100.0,
                 access_pj=2.0)                           # 0.1 um^2 per bit


def test_fit_recovers_a_line_and_drops_what_does_not_vary():
    f = pd.DataFrame({"block": list("abcd"), "bits": [1, 2, 3, 4], "lanes": [8] * 4,
                      "y": [3.0, 5.0, 7.0, 9.0]})
    fit = fit_linear(f, "y", ("bits", "lanes"))
    assert fit.coef["1"] == pytest.approx(1.0) and fit.coef["bits"] == pytest.approx(2.0)
    assert math.isnan(fit.coef["lanes"]) and fit.dropped == ["lanes"]
    assert fit.rms_residual == pytest.approx(0.0, abs=1e-9)
    one = fit_linear(f.iloc[:1], "y", ("lanes",))     # one point: per lane, no intercept
    assert one.coef["lanes"] == pytest.approx(3.0 / 8) and one.dropped == ["1"]
    with pytest.raises(ValueError, match="^no measured y to fit$"):
        fit_linear(f.assign(y=None), "y", ("bits",))


def test_block_frame_units():
    b = block_frame(_minima(), 2, 500.0).set_index("block")
    # 1 mW at 500 MHz is 2 pJ per cycle; 16 lanes x 0.1 pJ
    assert b.loc["compute_256x32", "cycle_pj"] == pytest.approx(16 * LANE_PJ)
    assert b.loc["stdrom_128x32", "read_fj_per_bit"] == pytest.approx(10 + 5 * 7)
    assert b.loc["brom_64x64", "leakage_uw"] == pytest.approx(1e-3 * 64 * 64)


def test_scaling_model_and_holdout_on_exact_laws():
    model = _model()
    area = model.get("brom", "area_um2")
    assert area.coef["1"] == pytest.approx(20.0) and area.coef["bits"] == pytest.approx(0.025)
    assert model.get("compute", "area_um2").coef["lanes"] == pytest.approx(LANE_UM2)
    read = model.get("stdrom", "read_fj_per_bit")
    assert read.coef["log2_depth"] == pytest.approx(5.0)
    hold = model.holdout().set_index(["role", "target"])
    assert hold.loc[("brom", "area_um2"), "held_out"] == "brom_256x64"
    assert hold["error"].abs().max() == pytest.approx(0.0, abs=1e-9)
    assert fused_ratio(model.blocks).to_numpy() == pytest.approx(FUSED)
    tiles = model.tile_holdout().set_index("variant")
    assert set(tiles["tile"]) == {"256x64"}
    assert tiles.loc["brom", "measured"] == pytest.approx(20 + 0.025 * 256 * 64
                                                          + LANE_UM2 * 32)
    assert tiles.loc["brom", "compute"] == "predicted"
    assert tiles["error"].abs().max() == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match=r"^the sweep has no finished fused block with "
                                         r"area_um2: run the sweep further, or give another "
                                         r"--sweep$"):
        ScalingModel(model.blocks[model.blocks.role != "fused"]).get("fused", "area_um2")


def _noisy(perturb: str, factor: float = 1.3) -> pd.DataFrame:
    """Blocks off an exact law (a few percent of fixed pseudo-noise on every area), with
    the area of block ``perturb`` multiplied by ``factor``."""
    m = _minima()
    wobble = 1 + 0.03 * pd.Series(range(len(m))).map(math.sin)
    m["chosen_core_area"] = m["chosen_core_area"] * wobble
    m.loc[m["block"] == perturb, "chosen_core_area"] *= factor
    return m


def _fit_without(blocks, role, held, xs, y):
    """An independent least-squares fit (intercept and ``xs``) over ``role``'s blocks
    other than ``held``: its prediction of ``held``, and the measured value."""
    rest = blocks[(blocks["role"] == role) & (blocks["block"] != held)]
    X = np.column_stack([np.ones(len(rest))] + [rest[x].astype(float) for x in xs])
    beta, *_ = np.linalg.lstsq(X, rest[y].to_numpy(float), rcond=None)
    row = blocks.set_index("block").loc[held]
    return beta @ [1.0, *(float(row[x]) for x in xs)], float(row[y])


def test_holdout_does_not_leak_the_held_out_block():
    """The held-out block is 30% off the others' law: a fit that saw it would predict
    it closer than the fit over the other blocks alone."""
    blocks = block_frame(_noisy("brom_256x64"), weight_bits=2, clock_mhz=500.0)
    hold = ScalingModel(blocks).holdout().set_index(["role", "target"])
    row = hold.loc[("brom", "area_um2")]
    predicted, measured = _fit_without(blocks, "brom", "brom_256x64",
                                       ("bits", "depth", "width"), "area_um2")
    assert row["held_out"] == "brom_256x64"
    assert row["measured"] == pytest.approx(measured)
    assert row["predicted"] == pytest.approx(predicted, rel=1e-9)
    assert row["error"] == pytest.approx(predicted / measured - 1, rel=1e-9)
    assert row["error"] < -0.15                   # the perturbation shows in full


def test_tile_holdout_does_not_leak_the_held_out_tile():
    blocks = block_frame(_noisy("fused_256x64"), weight_bits=2, clock_mhz=500.0)
    tiles = ScalingModel(blocks).tile_holdout().set_index("variant")
    rest = blocks[(blocks["role"] == "fused") & (blocks["block"] != "fused_256x64")]
    X = np.column_stack([np.ones(len(rest)), rest["bits"], rest["lanes"]]).astype(float)
    beta, *_ = np.linalg.lstsq(X, rest["area_um2"].to_numpy(float), rcond=None)
    big = blocks.set_index("block").loc["fused_256x64"]
    predicted = beta @ [1.0, big["bits"], big["lanes"]]
    assert tiles.loc["fused", "predicted"] == pytest.approx(predicted, rel=1e-9)
    assert tiles.loc["fused", "error"] < -0.15
    # the perturbation touches no other variant's tile
    assert abs(tiles.loc["brom", "error"]) < 0.1


def _per_depth_compute(depths=(256, 128, 64), counter_um2=40.0):
    """``share_compute: false``: one compute block per depth (deepest first, as
    ``plan_blocks`` orders them), differing in the address counter; every fused block is
    exactly FUSED x (B-ROM + the compute block of its own depth)."""
    m = _minima(depths=depths)
    m = m[m["role"] != "compute"]
    rows = []
    for w in (32, 64):
        for d in depths:
            lanes = w // 2
            rows.append({"block": f"compute_{d}x{w}", "role": "compute", "depth": d,
                         "width": w,
                         "chosen_core_area": LANE_UM2 * lanes + counter_um2 * math.log2(d),
                         "leakagepower": LANE_LEAK_MW * lanes,
                         "averagepower": LANE_LEAK_MW * lanes + LANE_PJ * lanes / 2,
                         "workload_power": None})
    comp = {r["block"]: r["chosen_core_area"] for r in rows}
    fused = m["role"] == "fused"
    m.loc[fused, "chosen_core_area"] = [
        FUSED * (STORE["brom"][0] + STORE["brom"][1] * d * w + comp[f"compute_{d}x{w}"])
        for d, w in zip(m.loc[fused, "depth"], m.loc[fused, "width"])]
    return pd.concat([pd.DataFrame(rows), m], ignore_index=True)


def test_unshared_compute_is_matched_by_depth():
    blocks = block_frame(_per_depth_compute(), weight_bits=2, clock_mhz=500.0)
    assert compute_block(blocks, 64, 32)["block"] == "compute_64x32"
    assert compute_block(blocks, 64, 128) is None
    ratio = fused_ratio(blocks)
    assert len(ratio) == 6 and ratio.to_numpy() == pytest.approx(FUSED)
    tiles = ScalingModel(blocks).tile_holdout().set_index("variant")
    assert tiles.loc["brom", "measured"] == pytest.approx(
        20 + 0.025 * 256 * 64 + LANE_UM2 * 32 + 40.0 * 8)


def test_shared_compute_serves_every_depth():
    blocks = block_frame(_minima(), weight_bits=2, clock_mhz=500.0)
    assert compute_block(blocks, 64, 32)["block"] == "compute_256x32"


def test_workload_by_hand():
    wl = workload_of(ChipConfig())
    params = 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336)
    assert wl.lunit_macs == params == 6_979_321_856
    lanes = math.ceil(params * 24100 / 500e6)
    assert wl.lanes_per_tile == 128 and wl.tiles == math.ceil(lanes / 128) == 2629
    assert wl.tile_depth == pytest.approx(1.86 * 2 ** 30 * 8 / (2629 * 256))   # GiB
    assert wl.attention_macs == 2 * 32 * 32 * 128 * 1024


def test_chip_parts_by_hand():
    config = ChipConfig(overhead={"area_fraction": 0.1, "power_fraction": 0.2})
    wl = workload_of(config)
    parts = chip_parts(config, _model(), SRAM, wl, ratio=FUSED)
    assert parts.attrs["skipped"] == {}
    p = parts.set_index(["variant", "part"])
    bits, lanes = wl.rom_bits, wl.tiles * wl.lanes_per_tile
    rom = p.loc[("rom", "L-Unit ROM")]
    assert rom["area_mm2"] == pytest.approx((wl.tiles * 20.0 + 0.03 * bits) / 1e6)
    read_fj = 256 * (10 + 5 * math.log2(wl.tile_depth))
    assert rom["dynamic_w"] == pytest.approx(
        wl.rom_bits_read / 256 * wl.tokens_per_s * read_fj * 1e-15)
    assert rom["leakage_w"] == pytest.approx(1e-3 * bits * 1e-6)
    comp = p.loc[("rom", "L-Unit compute")]
    assert comp["area_mm2"] == pytest.approx(LANE_UM2 * lanes / 1e6)
    # every MAC of every token at 0.1 pJ: tied to the token rate, not a constant activity
    assert comp["dynamic_w"] == pytest.approx(wl.lunit_macs * wl.tokens_per_s * 0.1e-12)
    sram = p.loc[("sram", "L-Unit ROM")]
    assert sram["area_mm2"] == pytest.approx(bits * 0.1 / 1e6)
    assert sram["leakage_w"] == pytest.approx(bits / 65536 * 100e-6)
    fused = p.loc[("fused", "L-Unit (fused ROM + compute)")]
    brom = (wl.tiles * 20.0 + 0.025 * bits + LANE_UM2 * lanes) / 1e6
    assert fused["area_mm2"] == pytest.approx(FUSED * brom)
    for variant, g in parts.groupby("variant"):
        over = g[g.part == "interconnect and overhead"].iloc[0]
        rest = g[g.part != "interconnect and overhead"]
        assert over["area_mm2"] == pytest.approx(0.1 * rest["area_mm2"].sum())
        assert over["power_w"] == pytest.approx(0.2 * rest["power_w"].sum())
        assert (g["power_w"] - g["leakage_w"] - g["dynamic_w"]).abs().max() < 1e-12
    # half the token rate: the same leakage, half the dynamic power
    half = ChipConfig(workload={"tokens_per_s": 12050},
                      overhead={"area_fraction": 0.1, "power_fraction": 0.2})
    parts2 = chip_parts(half, _model(), SRAM, workload_of(half), FUSED).set_index(
        ["variant", "part"])
    assert parts2.loc[("rom", "H-Unit SRAM"), "dynamic_w"] == pytest.approx(
        p.loc[("rom", "H-Unit SRAM"), "dynamic_w"] / 2)


def test_missing_blocks_skip_variants_with_the_reason():
    model = ScalingModel(_model().blocks.query("role != 'fused'"))
    parts = chip_parts(ChipConfig(), model, SRAM, workload_of(ChipConfig()), ratio=None)
    assert set(parts["variant"]) == {"sram", "rom", "brom"}
    assert parts.attrs["skipped"] == {"fused": "the sweep has no finished fused block to "
                                               "scale by"}


def test_paper_kv_points_solve_by_hand():
    kv = paper_kv_points(ChipConfig()).set_index(["model", "rank", "sram_mb"])
    row = kv.loc[("Llama3.2-3B", 16, 64)]
    # (256 - 64) MiB over (3808 - 736) tokens; the rest of 64 MiB is LoRA
    assert row["implied_kv_bytes"] == 192 * 2**20 / 3072 == 65536
    assert row["implied_lora_bytes"] == 64 * 2**20 - 736 * 65536 == 18 * 2**20
    assert row["ours_mb"] == 346


def test_cli_chip_without_results(tmp_path, capsys):
    out = tmp_path / "chip"
    assert main(["chip", "--sweep", str(REPO / "designs" / "sweeps" / "example.yaml"),
                 "--build", str(tmp_path / "build"), "-o", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "no stored results for sweep 'example'" in lines[0]
    assert "roma-pd sweep" in lines[0] and not out.exists()


def test_cli_chip_bad_config(tmp_path, capsys):
    bad = tmp_path / "chip.yaml"
    bad.write_text("clock_mhz: fast\n")
    assert main(["chip", "--config", str(bad), "-o", str(tmp_path / "chip")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "chip.yaml: clock_mhz: Input should be a valid number" \
        in lines[0]
    assert not (tmp_path / "chip").exists()


def test_undetermined_slope_is_not_zero():
    # a slope the data could not fit (nothing varied) makes the total unknown, not smaller;
    # a dropped intercept is a proportional fit and counts 0
    import math
    from roma_pd.chip._chip import _linear
    from roma_pd.chip._scaling import LinearFit
    fit = LinearFit("area_um2", {"1": float("nan"), "bits": float("nan"), "lanes": 2.0},
                    [], [])
    assert _linear(fit, 3, lanes=10) == 20.0
    assert math.isnan(_linear(fit, 3, bits=100, lanes=10))


def test_beyond_holdout_predicts_a_larger_tile_with_the_chips_rule():
    """Tiles of another sweep, past every fitted block: on exact laws the chip's per-tile
    rule predicts them exactly; a tile off the law shows its error in full, and a tile
    missing a block is left out, not guessed."""
    from roma_pd.chip import beyond_holdout, tile_area
    model = _model()                                     # fitted on depth <= 256, width <= 64
    far = block_frame(_minima(widths=(128,), depths=(2048,)), weight_bits=2,
                      clock_mhz=500.0)
    got = beyond_holdout(model, far, 2, FUSED).set_index("variant")
    assert list(got.index) == ["rom", "brom", "fused"]
    assert set(got["tile"]) == {"2048x128"}
    assert got["depth_beyond"].iloc[0] == 8 and got["width_beyond"].iloc[0] == 2
    brom = 20 + 0.025 * 2048 * 128 + LANE_UM2 * 64
    assert got.loc["brom", "measured"] == pytest.approx(brom)
    assert got.loc["fused", "measured"] == pytest.approx(FUSED * brom)
    assert got["error"].abs().max() == pytest.approx(0.0, abs=1e-9)
    assert tile_area(model, "rom", 2048, 128, 2, None) == pytest.approx(
        20 + 0.03 * 2048 * 128 + LANE_UM2 * 64)
    off = far.copy()
    off.loc[off["block"] == "stdrom_2048x128", "area_um2"] *= 1.25
    err = beyond_holdout(model, off, 2, FUSED).set_index("variant")["error"]
    stdrom = 20 + 0.03 * 2048 * 128
    assert err["rom"] == pytest.approx((stdrom + LANE_UM2 * 64)
                                       / (1.25 * stdrom + LANE_UM2 * 64) - 1)
    assert err[["brom", "fused"]].abs().max() == pytest.approx(0.0, abs=1e-9)
    no_compute = beyond_holdout(model, far[far["role"] != "compute"], 2, FUSED)
    assert list(no_compute["variant"]) == ["fused"]
    assert list(beyond_holdout(model, far, 2, None)["variant"]) == ["rom", "brom"]


def _tiny_twin(root, name="tiny2", **change):
    """A fresh-clone layout with the tiny sweep and a twin of it named ``name`` (its rows
    relabelled), which the chip report can take as a hold-out sweep."""
    import json
    import yaml
    for rel in ("designs/sweeps/tiny.yaml", "reports/tiny/results.jsonl"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text((REPO / rel).read_text())
    spec = yaml.safe_load((REPO / "designs/sweeps/tiny.yaml").read_text())
    (root / f"designs/sweeps/{name}.yaml").write_text(
        yaml.safe_dump({**spec, "name": name, **change}))
    rows = [json.loads(line) for line in (REPO / "reports/tiny/results.jsonl").open()]
    (root / f"reports/{name}").mkdir(parents=True, exist_ok=True)
    (root / f"reports/{name}/results.jsonl").write_text(
        "".join(json.dumps({**r, "sweep": name}) + "\n" for r in rows))


@pytest.mark.pdk
def test_cli_chip_with_a_holdout_sweep(tmp_path, monkeypatch, pdk):
    _tiny_twin(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["chip", "--sweep", "tiny", "--holdout", "tiny2", "-o", "chip"]) == 0
    beyond = pd.read_csv(tmp_path / "chip" / "beyond_holdout.csv")
    assert list(beyond["variant"]) == ["rom", "brom"]     # the tiny sweep has no fused
    assert set(beyond["tile"]) == {"32x8"} and (beyond["depth_beyond"] == 1).all()
    assert (beyond["measured"] > 0).all() and beyond["error"].abs().max() < 0.5
    text = (tmp_path / "chip" / "summary.md").read_text()
    assert "Generated by `roma-pd chip --sweep tiny --holdout tiny2` from the results " \
           "export `reports/tiny/results.jsonl`" in text
    assert "### Beyond the fit" in text and "`reports/tiny2/results.jsonl`" in text


@pytest.mark.pdk
def test_cli_chip_holdout_refusals(tmp_path, monkeypatch, capsys, pdk):
    _tiny_twin(tmp_path, "wide4", weight_bits=4, widths=[16])
    monkeypatch.chdir(tmp_path)
    for holdout, says in (("tiny", "the hold-out sweep is the fitted sweep itself"),
                          ("wide4", "hold-out sweep 'wide4' stores UInt4 weights"),
                          ("nothing", "designs/sweeps/nothing.yaml")):
        assert main(["chip", "--sweep", "tiny", "--holdout", holdout, "-o", "chip"]) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and says in lines[0], lines
        assert not (tmp_path / "chip").exists()


def _shared_law(widths, depths=(64, 128, 256, 512), a0=30.0, a_bit=0.01, a_row=0.5,
                a_col=2.0):
    """B-ROM blocks whose area has a per-row term shared by every column (CGen and the
    decoder) and a per-column term (the output), beside the per-bit OR array."""
    m = _minima(widths=widths, depths=depths)
    brom = m["role"] == "brom"
    m.loc[brom, "chosen_core_area"] = [a0 + a_bit * d * w + a_row * d + a_col * w
                                       for d, w in zip(m.loc[brom, "depth"],
                                                       m.loc[brom, "width"])]
    return m


def test_rows_shared_by_the_columns_make_wide_banks_cheaper_per_bit():
    """Over several widths the store fit separates the per-row and per-column terms
    from the per-bit one; the chip's rate per bit is then its bank's (W = 256), not the
    narrow blocks'; with one width those terms are dropped and the fit is per bit."""
    from roma_pd.chip import tile_area, variant_rates
    model = ScalingModel(block_frame(_shared_law((32, 64, 128)), 2, 500.0))
    fit = model.get("brom", "area_um2")
    assert fit.coef["bits"] == pytest.approx(0.01) and fit.dropped == []
    assert fit.coef["depth"] == pytest.approx(0.5) and fit.coef["width"] == pytest.approx(2.0)
    wl = workload_of(ChipConfig())
    rates = variant_rates(model, SRAM, wl, FUSED, 256).set_index("variant")
    per_bit = 0.01 + 0.5 / 256 + 2.0 / wl.tile_depth
    assert rates.loc["brom", "um2_per_bit"] == pytest.approx(per_bit)
    assert rates.loc["fused", "um2_per_bit"] == pytest.approx(FUSED * per_bit)
    parts = chip_parts(ChipConfig(), model, SRAM, wl, FUSED).set_index(["variant", "part"])
    bank = 30.0 + 0.01 * wl.tile_depth * 256 + 0.5 * wl.tile_depth + 2.0 * 256
    assert parts.loc[("brom", "L-Unit ROM"), "area_mm2"] == pytest.approx(
        wl.tiles * bank / 1e6)
    assert tile_area(model, "brom", 4096, 256, 2, None) == pytest.approx(
        30.0 + 0.01 * 4096 * 256 + 0.5 * 4096 + 2.0 * 256 + LANE_UM2 * 128)
    # one width: depth is bits / 32 and width constant, so neither can be told apart
    narrow = ScalingModel(block_frame(_shared_law((32,)), 2, 500.0))
    fit = narrow.get("brom", "area_um2")
    assert fit.dropped == ["depth", "width"]
    assert fit.coef["bits"] == pytest.approx(0.01 + 0.5 / 32)
    rate = variant_rates(narrow, SRAM, wl, FUSED, 256).set_index("variant")
    assert rate.loc["brom", "um2_per_bit"] == pytest.approx(0.01 + 0.5 / 32)
    assert math.isfinite(chip_parts(ChipConfig(), narrow, SRAM, wl, FUSED)["area_mm2"].sum())
