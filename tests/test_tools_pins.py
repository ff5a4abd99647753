"""I/O pin sides: buses together, in order, sides filled evenly (no Coriolis needed)."""
import pytest

from roma_pd.tools._pins import assign_sides, bus_groups, inset


def test_bus_groups():
    names = ["b(1)", "a[10]", "a[2]", "clk", "b(0)", "a[0]"]
    assert bus_groups(names) == [["a[0]", "a[2]", "a[10]"], ["b(0)", "b(1)"], ["clk"]]


def test_buses_stay_on_one_side_in_order():
    names = [f"acc({i})" for i in range(12)] + [f"din({i})" for i in range(8)] + \
        ["clk", "en", "rst_n", "sat"]
    sides = assign_sides(names, [100, 100, 100, 100])
    assert sorted(n for side in sides for n in side) == sorted(names)
    acc = [s for s in sides if "acc(0)" in s][0]
    assert [n for n in acc if n.startswith("acc")] == [f"acc({i})" for i in range(12)]
    din = [s for s in sides if "din(0)" in s][0]
    assert [n for n in din if n.startswith("din")] == [f"din({i})" for i in range(8)]
    assert acc is not din
    assert all(sides), "every side gets pins"
    assert max(map(len, sides)) == 12


def test_wide_bus_is_cut_in_order():
    sides = assign_sides([f"q[{i}]" for i in range(10)], [4, 4, 4, 4])
    runs = [s for s in sides if s]
    assert [n for run in runs for n in run] != [] and sum(map(len, runs)) == 10
    for run in runs:    # each run is consecutive bits
        bits = [int(n[2:-1]) for n in run]
        assert bits == list(range(bits[0], bits[0] + len(bits)))


def test_pins_do_not_fit_wrong():
    with pytest.raises(ValueError, match=r"^5 I/O pins do not fit on 4 edge tracks$"):
        assign_sides(list("abcde"), [1, 1, 1, 1])


def test_a_wide_bus_is_dealt_in_runs_around_the_die():
    """The L-Unit's activation bus (512 bits at width 64) would take a whole edge; in runs
    of 128 each edge gets a run of consecutive bits, and narrower buses stay whole."""
    names = [f"x({i})" for i in range(512)] + [f"rom_data({i})" for i in range(64)] + \
        ["clk", "rst"]
    whole = assign_sides(names, [1000] * 4)
    assert max(sum(n.startswith("x(") for n in side) for side in whole) == 512
    sides = assign_sides(names, [1000] * 4, bus_run=128)
    assert sorted(n for side in sides for n in side) == sorted(names)
    for side in sides:
        bits = [int(n[2:-1]) for n in side if n.startswith("x(")]
        assert len(bits) == 128 and bits == list(range(bits[0], bits[0] + 128))
    data = [s for s in sides if "rom_data(0)" in s][0]
    assert sum(n.startswith("rom_data") for n in data) == 64
    # a bus no wider than the run is dealt whole, as without runs
    assert assign_sides(names[512:], [1000] * 4, bus_run=128) == \
        assign_sides(names[512:], [1000] * 4)


@pytest.mark.parametrize("side, moved", [("south", (100, 18)), ("north", (100, 982)),
                                         ("west", (18, 500)), ("east", (982, 500))])
def test_inset_moves_a_pin_one_depth_into_the_die(side, moved):
    edge = {"south": (100, 0), "north": (100, 1000), "west": (0, 500), "east": (1000, 500)}
    assert inset(side, *edge[side], depth=18) == moved
