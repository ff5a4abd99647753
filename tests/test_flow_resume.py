"""--from / --to: the steps they run, and the refusal when earlier steps are missing
(no tools needed)."""
import pytest

from roma_pd import RomaError
from roma_pd.flow import RomaTileFlow
from roma_pd.flow._resume import check_resume, steps_to_run


def test_steps_to_run():
    flow = RomaTileFlow()
    assert steps_to_run(flow) == ["synth", "place", "route", "export", "drc", "metrics",
                                  "sta"]
    # sta reads the SPEF the metrics step writes, so a rerun from route reruns it
    assert steps_to_run(flow, "route") == ["route", "export", "drc", "metrics", "sta"]
    assert steps_to_run(flow, to_step="place") == ["synth", "place"]
    assert steps_to_run(flow, "place", "route") == ["place", "route"]


def test_step_wrong():
    with pytest.raises(RomaError, match=r"^--from must be one of synth, place, route, "
                                        r"export, drc, metrics, sta, not 'routing'$"):
        steps_to_run(RomaTileFlow(), "routing")
    with pytest.raises(RomaError, match=r"^--to must be one of .*, not 'x'$"):
        steps_to_run(RomaTileFlow(), to_step="x")


def _finished(jobdir, *steps):
    for step in steps:
        out = jobdir / step / "0" / "outputs"
        out.mkdir(parents=True)
        (out / "d.pkg.json").write_text("{}")


def test_resume(tmp_path):
    _finished(tmp_path, "synth", "place")
    check_resume(RomaTileFlow(), tmp_path, "d", "route")     # nothing missing


def test_resume_wrong(tmp_path):
    _finished(tmp_path, "synth")
    job = tmp_path / "job0"
    _finished(job, "synth", "sta")
    with pytest.raises(RomaError, match=r"^--from route: step place has not finished in "
                                        r"job job0 \(.*/job0/place/0/outputs has no "
                                        r"results\); run the job without --from first$"):
        check_resume(RomaTileFlow(), job, "d", "route")


def test_to_gives_partial(tmp_path):
    from roma_pd.flow._project import _partial
    row = {"status_synth": "success", "status_place": "success"}
    assert _partial(row, tmp_path, 10, "0", ["synth", "place"], "place") == (
        "partial", "stopped after place (--to): ran synth, place; not judged, route, "
                   "export, drc, metrics, sta did not run")
    status, message = _partial({"status_synth": "error"}, tmp_path, 10, "0",
                               ["synth", "place"], "place")
    assert (status, message) == ("failed", "step synth failed: status error")
