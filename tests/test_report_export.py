"""Reports regenerate from the committed export alone, in a fresh copy of the repository
with no build folder, and name no machine."""
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import REPO

EXPORT = REPO / "reports" / "tiny" / "results.jsonl"
ABSOLUTE = re.compile(r"(?<![\w.:])/(?:work|root|home|tmp|usr|var|opt|mnt)/")


def _fresh(tmp_path):
    """The files a report needs, laid out as in a fresh clone."""
    for rel in ("designs/sweeps/tiny.yaml", "designs/chip/roma.yaml",
                "reports/tiny/results.jsonl"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, tmp_path / rel)
    return tmp_path


def _texts(folder):
    return {p: p.read_text() for p in folder.rglob("*") if p.suffix in (".md", ".html", ".csv")}


@pytest.mark.pdk
def test_report_from_the_committed_export(tmp_path, pdk):
    root = _fresh(tmp_path)
    r = subprocess.run([sys.executable, "-m", "roma_pd", "report", "designs/sweeps/tiny.yaml",
                        "-o", "out"], cwd=root, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    summary = (root / "out" / "summary.md").read_text()
    assert "from the results export `reports/tiny/results.jsonl`" in summary
    for name in ("attempts.csv", "blocks.csv", "tiles.csv"):   # the committed report, again
        assert pd.read_csv(root / "out" / name).equals(
            pd.read_csv(REPO / "reports" / "tiny" / name)), name
    for path, text in _texts(root / "out").items():
        assert not ABSOLUTE.search(text), (path, ABSOLUTE.search(text))


@pytest.mark.pdk
def test_chip_from_the_committed_export(tmp_path, pdk):
    root = _fresh(tmp_path)
    r = subprocess.run([sys.executable, "-m", "roma_pd", "chip", "--sweep", "tiny", "-o",
                        "chip"], cwd=root, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    summary = (root / "chip" / "summary.md").read_text()
    assert "from the results export `reports/tiny/results.jsonl`" in summary
    for path, text in _texts(root / "chip").items():
        assert not ABSOLUTE.search(text), (path, ABSOLUTE.search(text))


def test_committed_reports_name_no_machine():
    for path, text in _texts(REPO / "reports").items():
        assert not ABSOLUTE.search(text), (path, ABSOLUTE.search(text))
    assert not ABSOLUTE.search(EXPORT.read_text())
