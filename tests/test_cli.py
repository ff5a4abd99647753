"""The roma-pd commands on small inputs."""
import re

import pytest
import yaml

from roma_pd.cli import main


def _write(tmp_path, cfg):
    path = tmp_path / f"{cfg['name']}.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return str(path)


@pytest.mark.eda
def test_rtl_stats(tmp_path, capsys, pdk):
    cfg = _write(tmp_path, {"name": "r", "generator": "brom",
                            "params": {"depth": 16, "width": 8, "content": {"seed": 2}}})
    csv = tmp_path / "out.csv"
    assert main(["rtl-stats", cfg, "--depths", "16", "32", "--csv", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "StdROM vs BROM, 16 x 8 words" in out and "StdROM vs BROM, 32 x 8 words" in out
    synth = re.findall(r"OR-gate inputs \(synthesized\)\s+(\d+)\s+(\d+)", out)
    analytic = re.findall(r"OR-gate inputs \(analytic\)\s+(\d+)\s+(\d+)", out)
    assert synth == analytic and len(synth) == 2
    import pandas as pd
    df = pd.read_csv(csv)
    assert list(df["depth"]) == [16, 32] and (df["std_transistors"] > 0).all()


@pytest.mark.pdk
def test_rtl_stats_wrong(tmp_path, capsys):
    cfg = _write(tmp_path, {"name": "m", "generator": "mac"})
    assert main(["rtl-stats", cfg]) == 2
    assert capsys.readouterr().err.strip() == (
        "roma-pd: error: m: rtl-stats compares ROMs; generator must be one of ['brom', "
        "'logicrom', 'stdrom', 'tile'], not 'mac'")


@pytest.mark.eda
def test_run_separate_tile(tiny_tile):
    code, out, job = tiny_tile
    assert "running t_store, t_compute (tile) through roma_tile" in out
    import json
    summary = json.loads((job / "roma_tile.json").read_text())
    assert set(summary["blocks"]) == {"t_store", "t_compute"}
    # both blocks' timing read their routed wires; there is no clock tree
    assert summary["post_route"] == {"wire_parasitics": True, "clock_tree": False}
    blocks = summary["blocks"].values()
    assert summary["tile_core_area"] == pytest.approx(sum(b["core_area"] for b in blocks))
    assert code == (0 if summary["status"] == "ok" else 1)
    store = json.loads((job / "blocks" / "t_store" / "roma_metrics.json").read_text())
    # the store routes clean; it is ok only if its DRC is clean too
    assert (store["unrouted_nets"], store["opens"], store["shorts"]) == (0, 0, 0)
    assert summary["blocks"]["t_store"]["status"] == \
        ("ok" if store["drc_violations"] == 0 else "route_failed")
    assert "-m " in out and "t_store.drc.lyrdb" in out


def test_sweep_interrupted_exits_130(tmp_path, capsys, monkeypatch, pdk):
    # a signal in a sweep round stops it with the shell's code, not 0, and stores nothing
    import signal

    import roma_pd.sweep as sweep
    from roma_pd.flow import Interrupted

    def interrupted(*args, **kwargs):
        raise Interrupted(signal.SIGINT, "interrupted by SIGINT (Ctrl-C) during "
                                         "route/0: job j is partial")
    monkeypatch.setattr(sweep, "run_sweep", interrupted)
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({"name": "s", "variants": ["rom"], "depths": [32],
                                    "widths": [8]}))
    assert main(["sweep", str(spec), "--build", str(tmp_path / "b")]) == 130
    assert capsys.readouterr().err == ("roma-pd: interrupted by SIGINT (Ctrl-C) during "
                                       "route/0: job j is partial\n")


def _block(job, name, area):
    folder = job / "blocks" / name
    folder.mkdir(parents=True)
    (folder / "roma_metrics.json").write_text(
        f'{{"design": "{name}", "status": "ok", "die_area_um2": {area}}}')


def test_metrics_json_tile_is_one_document(tmp_path, capsys):
    import json
    job = tmp_path / "t" / "job0"
    _block(job, "t_store", 10.5)
    _block(job, "t_compute", 20.25)
    assert main(["metrics", str(job), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {k: v["die_area_um2"] for k, v in doc.items()} == {"t_store": 10.5,
                                                              "t_compute": 20.25}
    assert main(["metrics", str(job / "blocks" / "t_store" / "roma_metrics.json"),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["design"] == "t_store"
