import re

import pytest

from roma_pd import RomaError
from roma_pd.sweep import load_sweep, plan_blocks
from tests.conftest import REPO


def test_specs_in_repo():
    for name in ("default", "example"):
        spec = load_sweep(REPO / "designs" / "sweeps" / f"{name}.yaml")
        assert spec.name == name
    blocks = plan_blocks(load_sweep(REPO / "designs" / "sweeps" / "default.yaml"))
    # per size two stores and one fused block; per width one compute block, shared by
    # sram/rom/brom and every depth, with the deepest ROM's counter
    assert len(blocks) == 16 * 3 + 4
    compute = next(b for b in blocks if b.role == "compute" and b.width == 64)
    assert (compute.name, compute.depth) == ("compute_512x64", 512)
    assert compute.params["depth"] == 512
    assert compute.variants == ("sram", "rom", "brom")
    # narrowest width first, so an interrupted sweep leaves whole narrow tiles
    assert [b.width for b in blocks] == sorted(b.width for b in blocks)


def test_unshared_compute():
    spec = load_sweep(REPO / "designs" / "sweeps" / "default.yaml")
    spec = spec.model_copy(update={"share_compute": False})
    names = {b.name for b in plan_blocks(spec)}
    assert len(names) == 16 * 4 and "compute_64x32" in names


@pytest.mark.parametrize("text, message", [
    ("name: s\ndepths: [64]\nwidths: [32]\nvariant: [rom]\n",
     r"s\.yaml: variant: unknown key; allowed keys are name, variants, depths, widths, "
     r"weight_bits, mant_bits, content, clock_period_ns, activity, sram_read_fj_per_bit, top_layer, flow, "
     r"timeout_s, share_compute, search, scheduler"),
    ("name: s\ndepths: [64]\nwidths: [32]\nvariants: [flash]\n",
     r"s\.yaml: variants\.0: Input should be 'sram', 'rom', 'brom' or 'fused', not 'flash'"),
    ("name: s\ndepths: [48]\nwidths: [32]\n",
     r"s\.yaml: params: depth must be a power of two of at least 4, not 48"),
    ("name: s\ndepths: [64]\nwidths: [32]\nsearch: {low: 0.9, high: 0.5}\n",
     r"s\.yaml: search: search\.low must be below search\.high \(0\.5\), not 0\.9"),
    ("name: s\ndepths: [64]\nwidths: [32]\nsearch: {lo: 0.4}\n",
     r"s\.yaml: search\.lo: unknown key; allowed keys are low, high, resolution, criterion, "
     r"near_clean_completion, near_clean_max_nets, confirm, start, warm_start, "
     r"placements, pass_rate, probe_while_improving, decide_early"),
    ("name: s\ndepths: [64]\nwidths: [32]\nscheduler: {name: pbs}\n",
     r"s\.yaml: scheduler\.name: Input should be 'local' or 'slurm', not 'pbs'"),
    ("name: s\nwidths: [32]\n", r"s\.yaml: depths: Field required"),
    ("name: s\ndepths: [64]\nwidths: [32]\nvariants: [sram]\n"
     "weight_bits: 4\nmant_bits: 16\ncontent: {source: random, sed: 1}\n",
     r"s\.yaml: params: content\.sed: source 'random' takes \['distribution', 'seed'\]"),
])
def test_sweep_wrong(tmp_path, text, message):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(RomaError, match=rf"^{re.escape(str(path))}: "
                       + message.removeprefix(r"s\.yaml: ") + "$"):
        load_sweep(path)


@pytest.mark.parametrize("search, message", [
    ("{placements: [1.0, 1.02]}",
     r"search\.placements: must be at least 3 aspect ratios, not \[1\.0, 1\.02\]"),
    ("{placements: [0.98, 1.0, 2.5]}",
     r"search\.placements: must be aspect ratios \(core height / width\) between 0\.5 "
     r"and 2, not 2\.5"),
    ("{placements: [0.98, 1.0, 0.981]}",
     r"search\.placements: must be distinct to 0\.01 \(they name the attempts, "
     r"<block>_d600_a098\), not \[0\.98, 1\.0, 0\.981\]"),
    ("{pass_rate: 0}", r"search\.pass_rate: must be a share in \(0, 1\], not 0\.0"),
    ("{pass_rate: 1.5}", r"search\.pass_rate: must be a share in \(0, 1\], not 1\.5"),
    ("{near_clean_max_nets: -1}",
     r"search\.near_clean_max_nets: Input should be greater than or equal to 0, not -1"),
    ("{near_clean_max_nets: 2.5}",
     r"search\.near_clean_max_nets: Input should be a valid integer, got a number with a "
     r"fractional part, not 2\.5"),
])
def test_placements_wrong(tmp_path, search, message):
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\ndepths: [64]\nwidths: [32]\nsearch: {search}\n")
    with pytest.raises(RomaError, match=rf"^{re.escape(str(path))}: " + message + "$"):
        load_sweep(path)


def test_placements_default():
    spec = load_sweep(REPO / "designs" / "sweeps" / "example.yaml")
    assert spec.search.placements == [0.9, 1.0, 1.1]
    assert spec.search.pass_rate == pytest.approx(2 / 3) and spec.search.needed == 2


def test_sweep_file_wrong(tmp_path):
    with pytest.raises(RomaError, match=r"^.*nope\.yaml: no such sweep file$"):
        load_sweep(tmp_path / "nope.yaml")
