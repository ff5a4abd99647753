"""The heartbeat names the nodes still running during long steps."""
import io
import time

from roma_pd.flow._progress import Heartbeat, running_nodes


def _node(job, step, done=False):
    node = job / step / "0"
    (node / "outputs").mkdir(parents=True)
    (node / f"sc_{step}_0.log").write_text("")
    if done:
        (node / "outputs" / "d.pkg.json").write_text("{}")


def test_running_nodes(tmp_path):
    _node(tmp_path, "synth", done=True)
    _node(tmp_path, "route")
    (tmp_path / "place" / "0").mkdir(parents=True)      # set up, not started
    assert running_nodes(tmp_path) == ["route/0"]


def test_heartbeat_prints_running_steps(tmp_path):
    _node(tmp_path, "route")
    out = io.StringIO()
    with Heartbeat(tmp_path, interval=0.2, stream=out, poll=0.05) as beat:
        time.sleep(0.6)
    lines = out.getvalue().splitlines()
    assert lines and all("still running route/0 (" in line for line in lines)
    assert lines[0].startswith("roma-pd: ") and beat.running == ["route/0"]


def test_heartbeat_off_prints_nothing(tmp_path):
    _node(tmp_path, "route")
    out = io.StringIO()
    with Heartbeat(tmp_path, interval=0, stream=out, poll=0.05) as beat:
        time.sleep(0.2)
    assert out.getvalue() == "" and beat.running == ["route/0"]
