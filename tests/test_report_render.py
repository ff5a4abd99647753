"""``roma-pd render`` views and ``metrics`` on a tile: layer names, --block, --no-text."""
import pytest

from roma_pd.cli import main
from roma_pd.report import lyp_layers, resolve_layers

_LAYERS = {"M1": ["19/0", "19/251"], "M2": ["20/0", "20/2"], "V1": ["21/0"]}


def test_resolve_layers():
    assert resolve_layers("M2", _LAYERS) == ("20/0", "20/2")
    assert resolve_layers("m1, V1", _LAYERS) == ("19/0", "19/251", "21/0")


def test_resolve_layers_wrong():
    with pytest.raises(ValueError, match=r"^--layers: unknown layer 'Q9'; valid: M1, M2, V1$"):
        resolve_layers("M2,Q9", _LAYERS)
    with pytest.raises(ValueError, match=r"^--layers must name at least one layer, not ','; "
                                         r"valid: M1, M2, V1$"):
        resolve_layers(",", _LAYERS)


@pytest.mark.pdk
def test_lyp_layers(pdk):
    layers = lyp_layers(pdk.lyp)
    assert {"M1", "M2", "M9", "V1", "V8"} <= set(layers)
    assert "20/0" in layers["M2"] and "19/0" not in layers["M2"]


@pytest.fixture(scope="module")
def tile(tiny_tile):
    code, _, job = tiny_tile    # the tile of test_cli.test_run_separate_tile
    assert code in (0, 1)
    return job


def _pixels(path):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(path).convert("RGB"))


@pytest.mark.eda
def test_render_tile_every_block(tile, capsys):
    assert main(["render", str(tile), "--size", "300"]) == 0
    out = capsys.readouterr().out
    for block in ("t_store", "t_compute"):
        assert (tile / f"{block}.png").is_file()
        assert f"roma-pd: wrote {tile / f'{block}.png'}" in out


@pytest.mark.eda
def test_render_layers_and_text(tile, tmp_path):
    def render(name, *extra):
        out = tmp_path / f"{name}.png"
        assert main(["render", str(tile), "--block", "t_store", "--size", "400",
                     "-o", str(out), *extra]) == 0
        return _pixels(out)
    full, m2, m3 = render("full"), render("m2", "--layers", "M2"), render("m3", "--layers", "M3")
    assert (full != m2).any() and (m2 != m3).any() and (full != m3).any()
    # the M1 labels are text: only the text switch changes the M1 view
    m1, m1_quiet = render("m1", "--layers", "M1,TEXT"), render("m1q", "--layers", "M1,TEXT",
                                                              "--no-text")
    assert (m1 != m1_quiet).any()


@pytest.mark.eda
def test_render_wrong(tile, tmp_path, capsys):
    out = tmp_path / "x.png"
    assert main(["render", str(tile), "--block", "t_store", "--layers", "M2,Q9",
                 "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("roma-pd: error: --layers: unknown layer 'Q9'; valid: ")
    assert " M2, " in err and err.count("\n") == 1 and not out.exists()
    assert main(["render", str(tile), "--block", "nope"]) == 2
    assert capsys.readouterr().err == (f"roma-pd: error: --block must be a block of {tile}, "
                                       "not 'nope'; blocks: t_compute, t_store\n")


@pytest.mark.eda
def test_metrics_tile_every_block(tile, capsys):
    assert main(["metrics", str(tile)]) == 0
    out = capsys.readouterr().out
    for block in ("t_store", "t_compute"):
        assert f"roma-pd: block {block}: " in out
