"""The shipped files (flow settings, chip config, built-in sweeps) are found from any
working folder and travel in the wheel."""
import shutil
import subprocess
import sys
import zipfile


from roma_pd.chip import load_chip
from roma_pd.cli import main
from roma_pd.data import CHIP_CONFIG, FLOWS, SWEEPS
from roma_pd.flow import load_config
from roma_pd.sweep import load_sweep
from tests.conftest import REPO


def test_checkout_links_are_the_shipped_files():
    assert (REPO / "flows").resolve() == FLOWS.resolve()
    assert (REPO / "designs" / "chip" / "roma.yaml").resolve() == CHIP_CONFIG.resolve()
    assert (REPO / "designs" / "sweeps").resolve() == SWEEPS.resolve()


def test_shipped_files_load_from_another_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_chip(CHIP_CONFIG).name
    assert load_sweep(SWEEPS / "tiny.yaml").name == "tiny"
    cfg = load_config({"name": "t", "generator": "mac"})
    assert cfg.flow_settings() == FLOWS / "roma_tile.yaml"


def test_flow_path_is_relative_to_the_config(tmp_path, monkeypatch):
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "mine.yaml").write_text((FLOWS / "roma_tile.yaml").read_text())
    (tmp_path / "cfg" / "t.yaml").write_text("name: t\ngenerator: mac\nflow: mine.yaml\n")
    monkeypatch.chdir(tmp_path)
    assert load_config("cfg/t.yaml").flow_settings() == tmp_path / "cfg" / "mine.yaml"


def test_chip_and_sweep_defaults_outside_a_checkout(tmp_path, monkeypatch, capsys):
    """``roma-pd chip`` in an empty folder reads the shipped chip config and sweep: it
    stops only for want of results."""
    monkeypatch.chdir(tmp_path)
    assert main(["chip", "--sweep", "tiny"]) == 2
    assert capsys.readouterr().err == (
        f"roma-pd: error: {tmp_path}/build/sweeps/tiny/results.db: no stored results for "
        "sweep 'tiny' and no export reports/tiny/results.jsonl; run it first with: "
        "roma-pd sweep tiny\n")


def test_wheel_ships_the_data(tmp_path):
    src = tmp_path / "src"    # a copy, so the build writes nothing into the checkout
    shutil.copytree(REPO / "roma_pd", src / "roma_pd",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                        str(tmp_path), str(src)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = tmp_path.glob("roma_pd-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("flows/roma_tile.yaml", "chip/roma.yaml", "sweeps/default.yaml",
                "sweeps/tiny.yaml"):
        assert f"roma_pd/data/{rel}" in names, rel
