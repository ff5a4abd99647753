"""What a sweep keeps of a finished attempt's route node."""
from roma_pd.sweep._prune import drop_round_layouts


def _node(tmp_path, kept: bool):
    node = tmp_path / "job" / "route" / "2"
    for k in range(3):
        r = node / "rounds" / f"round{k}"
        (r / "outputs").mkdir(parents=True)
        (r / "outputs" / "t.routed.gds").write_bytes(b"x" * 100)
        (r / "outputs" / "t.def").write_bytes(b"x" * 10)
        (r / "route.log").write_text("log")
        (r / "route.json").write_text("{}")
        (r / "repaired.place.json").write_text("{}")
    if kept:
        (node / "outputs").mkdir()
        (node / "outputs" / "t.routed.gds").write_bytes(b"x" * 100)
    return node


def test_round_layouts_go_once_the_kept_one_is_in_outputs(tmp_path):
    node = _node(tmp_path, kept=True)
    assert drop_round_layouts(node) == 3 * 110
    rounds = sorted(node.glob("rounds/round*"))
    assert len(rounds) == 3
    for r in rounds:
        assert not (r / "outputs").exists()
        assert {p.name for p in r.iterdir()} == {"route.log", "route.json",
                                                 "repaired.place.json"}
    assert (node / "outputs" / "t.routed.gds").stat().st_size == 100


def test_a_node_without_a_kept_layout_is_left_alone(tmp_path):
    node = _node(tmp_path, kept=False)
    assert drop_round_layouts(node) == 0
    assert len(list(node.glob("rounds/round*/outputs/*"))) == 6


def test_a_missing_node_frees_nothing(tmp_path):
    assert drop_round_layouts(tmp_path / "nowhere" / "route" / "0") == 0
