"""``roma-pd sweep --status``: a sweep's state from its stored rows, running nothing."""
from roma_pd.cli import main
from roma_pd.report import sweep_status
from roma_pd.results import load
from tests.conftest import REPO
from tests.test_report_sweep import SPEC, _fake_sweep


def test_status_of_a_finished_and_of_an_interrupted_sweep(tmp_path, monkeypatch):
    frame = load(_fake_sweep(tmp_path, monkeypatch), SPEC.name, expand=False)
    text = sweep_status(SPEC, frame, "results.db")
    assert text.startswith(f"sweep fake (results.db): 2 of 2 blocks finished, "
                           f"{len(frame)} attempts")
    assert "every block's search has ended" in text and "do not count" not in text
    # compute_32x8 stopped before 0.6: it is next, with its three placements
    cut = frame[~((frame["block"] == "compute_32x8") & (frame["density"] > 0.55))]
    text = sweep_status(SPEC, cut, "results.db")
    assert "1 of 2 blocks finished" in text
    assert text.splitlines()[-1] == "next (width 8): compute_32x8@0.600 x 0.98/1/1.02"
    # rows of another flow (another key) are shown, not counted
    stale = frame.assign(key=[f"old{i}" for i in range(len(frame))])
    text = sweep_status(SPEC, stale, "x.jsonl")
    assert "0 of 2 blocks finished, 0 attempts" in text
    assert f"{len(frame)} stored rows do not count" in text


def test_cli_status_reads_the_export_and_runs_nothing(tmp_path, monkeypatch, capsys):
    for rel in ("designs/sweeps/tiny.yaml", "reports/tiny/results.jsonl"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text((REPO / rel).read_text())
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", "designs/sweeps/tiny.yaml", "--status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sweep tiny (reports/tiny/results.jsonl): ")
    assert "next (width 8): " in out and not (tmp_path / "build").exists()
    (tmp_path / "reports/tiny/results.jsonl").unlink()
    assert main(["sweep", "designs/sweeps/tiny.yaml", "--status"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sweep 'tiny' has no stored results" in err[0]
    assert "roma-pd sweep designs/sweeps/tiny.yaml" in err[0]
