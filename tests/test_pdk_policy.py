"""The cell policy (``synthesis.dont_use``) and the gate cells it picks (no PDK)."""
import re

import pytest

from roma_pd.pdk import CellPolicy
from roma_pd.rtl import Asap7Gates, generate
from roma_pd.rtl._registry import build_component
from roma_pd.tools.yosys import script

ORFS = ["*x1p*_ASAP7*", "*xp*_ASAP7*", "SDF*", "ICG*"]
LIBRARY = ["NOR2xp33_ASAP7_75t_R", "NOR2x1_ASAP7_75t_R", "SDFHx1_ASAP7_75t_R",
           "NAND2x1p5_ASAP7_75t_R"]


def test_settings_give_the_patterns():
    assert CellPolicy.from_settings({}).dont_use == ()
    assert CellPolicy.from_settings({"synthesis": {"dont_use": ORFS}}).dont_use == \
        tuple(ORFS)


LIST = "synthesis.dont_use must be a list of cell-name patterns (globs such as '*xp*'), not "


@pytest.mark.parametrize("section, message", [
    ({"dont_use": "*xp*"}, LIST + "'*xp*'"),
    ({"dont_use": ["*xp*", ""]}, LIST + "['*xp*', '']"),
    ({"dont_use": [3]}, LIST + "[3]"),
    ({"dontuse": ["*xp*"]}, "synthesis: unknown key 'dontuse'; the valid key is 'dont_use'"),
    (["*xp*"], "synthesis must be a mapping with key 'dont_use'"),
])
def test_settings_wrong(section, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        CellPolicy.from_settings({"synthesis": section})


def test_patterns_match_full_names():
    policy = CellPolicy(tuple(ORFS))
    assert not policy.allows("NOR2xp33_ASAP7_75t_R")
    assert not policy.allows("NAND2x1p5_ASAP7_75t_R")
    assert not policy.allows("SDFHx1_ASAP7_75t_R")
    assert policy.allows("NOR2x1_ASAP7_75t_R")
    assert policy.allows("DFFHQNx1_ASAP7_75t_R")
    assert CellPolicy(("NOR2xp33",)).allows("NOR2xp33_ASAP7_75t_R")   # not a prefix match


def test_a_pattern_that_matches_nothing_is_refused():
    CellPolicy(tuple(ORFS[:3])).check(LIBRARY)
    with pytest.raises(ValueError, match=r"^synthesis\.dont_use: 'NOR2xp33' matches no cell "
                                         r"of the library \(patterns match full names, "
                                         r"e\.g\. '\*xp33_ASAP7\*'\)$"):
        CellPolicy(("NOR2xp33",)).check(LIBRARY)


def test_gates_default_to_the_smallest_cells():
    assert Asap7Gates.for_policy(CellPolicy()) == Asap7Gates()


def test_gates_step_up_to_the_next_allowed_drive():
    gates = Asap7Gates.for_policy(CellPolicy(tuple(ORFS)), style="or")
    assert gates.style == "or"
    assert (gates.nor2, gates.nor3, gates.nand2, gates.nand3) == (
        "NOR2x1_ASAP7_75t_R", "NOR3x1_ASAP7_75t_R", "NAND2x1_ASAP7_75t_R",
        "NAND3x1_ASAP7_75t_R")
    assert all(CellPolicy(tuple(ORFS)).allows(getattr(gates, g))
               for g in ("or2", "or3", "nor2", "nor3", "nand2", "nand3", "inv", "and2"))


def test_gates_with_every_cell_of_a_function_excluded_are_refused():
    with pytest.raises(ValueError, match=r"^synthesis\.dont_use excludes every nor3 cell "
                                         r"\(NOR3xp33_ASAP7_75t_R, NOR3x1_ASAP7_75t_R, "
                                         r"NOR3x2_ASAP7_75t_R\)$"):
        Asap7Gates.for_policy(CellPolicy(("NOR3*",)))


def test_rom_netlist_follows_the_policy():
    params = {"depth": 16, "width": 8, "content": {"source": "random", "seed": 1}}
    default = generate("stdrom", params, "rom")
    avoiding = generate("stdrom", params, "rom", CellPolicy(tuple(ORFS)))
    assert "NOR2xp33_ASAP7_75t_R" in default
    assert "xp33" not in avoiding and "NOR2x1_ASAP7_75t_R" in avoiding


def test_the_policy_is_not_a_generator_parameter():
    with pytest.raises(ValueError, match=r"^params: the cell policy is a flow setting "
                                         r"\(synthesis\.dont_use in the flow's settings "
                                         r"file\), not a generator parameter$"):
        build_component("stdrom", {"dont_use": ["*xp*"]})


def test_synthesis_passes_get_the_patterns(tmp_path):
    class Pdk:
        liberty_files = ["a.lib"]
        tie_cells = ("TIEHI", "TIELO")
    cmds = script(Pdk(), tmp_path / "x.il", "top", 2000, tmp_path / "n.vg",
                  tmp_path / "n.blif", tmp_path / "s.json", ("*xp*", "SDF*"))
    mapping = [c for c in cmds if c.startswith(("dfflibmap", "abc"))]
    assert len(mapping) == 2
    assert all("-dont_use *xp* -dont_use SDF*" in c for c in mapping)


def test_synthesis_reads_every_source(tmp_path):
    class Pdk:
        liberty_files = ["a.lib"]
        tie_cells = ("TIEHI", "TIELO")
    cmds = script(Pdk(), [tmp_path / "a.v", tmp_path / "b.sv"], "a", 2000,
                  tmp_path / "n.vg", tmp_path / "n.blif", tmp_path / "s.json",
                  include_dirs=("/inc",), defines=("W=8", "FAST"))
    assert f"read_verilog -sv -I/inc -DW=8 -DFAST {tmp_path}/a.v {tmp_path}/b.sv" in cmds
    rtlil = script(Pdk(), [tmp_path / "x.il"], "x", 2000, tmp_path / "n.vg",
                   tmp_path / "n.blif", tmp_path / "s.json")
    assert f"read_rtlil {tmp_path}/x.il" in rtlil
