"""The heartbeat names the nodes still running during long steps."""
import io
import time

from roma_pd.flow._progress import Heartbeat, running_nodes, step_progress


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


def test_heartbeat_shows_the_steps_own_progress(tmp_path):
    _node(tmp_path, "route")
    (tmp_path / "route" / "0" / "route.log").write_text(
        "roma-pd-coriolis: route round 0\n"
        "route0 |   o  LEF: </pdk/tech.lef>\n"
        "route0 |   o  Running Negociate Algorithm\n"
        "route0 |      o  Negociation Stage.\n"
        "roma-pd-coriolis: round 0: 6 unrouted nets (6 segments), 0 cells padded\n"
        "roma-pd-coriolis: route round 1\n"
        "route1 |   o  LEF: </pdk/cells.lef>\n"
        "route1 |   o  Building regular grid...\n")
    out = io.StringIO()
    with Heartbeat(tmp_path, interval=0.2, stream=out, poll=0.05):
        time.sleep(0.4)
    assert "route/0 (" in out.getvalue()
    assert ": round 1, Building regular grid)" in out.getvalue()


def test_step_progress_of_yosys_and_of_a_silent_log(tmp_path):
    node = tmp_path / "synth" / "0"
    node.mkdir(parents=True)
    assert step_progress(node) is None                    # no log yet
    (node / "synth.log").write_text("1. Executing Verilog-2005 frontend.\n"
                                    "2.3. Executing ABC pass (technology mapping).\n"
                                    "some output\n")
    assert step_progress(node) == "ABC pass (technology mapping)"
    (node / "synth.log").write_text("nothing to see\n")
    assert step_progress(node) is None
