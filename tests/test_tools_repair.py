"""Repair decisions (roma_pd.tools._repair): which cells to pad and how rows spread."""
import pytest

from roma_pd.tools._katana_log import (Segment, parse_incoherent, parse_residue,
                                      round_residue)
from roma_pd.tools._repair import (RepairSettings, cells_near, filler_run, grow_pads,
                                   hopeless, spread_rows)

SITE = 10      # DbU per site in the synthetic snapshots (1 um = 100 DbU)


def _snapshot(instances, pads=None):
    return {"ab": [0, 0, 1000, 1000], "die_um": [10.0, 10.0],
            "place_area": [0, 0, 1000, 1000],
            "sizes": {"F1": [SITE, 27], "F2": [2 * SITE, 27], "NAND": [3 * SITE, 27],
                      "INV": [2 * SITE, 27]},
            "fillers": ["F1", "F2"], "pads": pads or {}, "instances": instances}


def test_cells_near():
    boxes = {"a": (0.0, 0.0, 0.3, 0.27), "b": (2.0, 0.0, 2.3, 0.27),
             "c": (0.5, 1.0, 0.8, 1.27)}
    seg = [Segment("n", "M2", 0.4, 0.1, 0.45, 0.1)]
    assert cells_near(boxes, seg, 0.2) == {"a"}
    assert cells_near(boxes, seg, 1.0) == {"a", "c"}
    assert cells_near(boxes, [Segment("n", "M2")], 1.0) == set()


def test_grow_pads_caps():
    s = RepairSettings(rounds=3, pad_sites=2, max_pad_sites=3)
    pads = grow_pads({}, {"a"}, s)
    assert pads == {"a": 2}
    assert grow_pads(pads, {"a", "b"}, s) == {"a": 3, "b": 2}


def test_filler_run():
    assert filler_run(5, {"F1": 1, "F2": 2}) == ["F2", "F2", "F1"]
    assert filler_run(0, {"F1": 1}) == []
    with pytest.raises(ValueError, match=r"^no filler fits the last 1 site\(s\) of a pad gap; "
                                         r"fillers are \{'F2': 2\}$"):
        filler_run(3, {"F2": 2})


def test_settings_wrong():
    with pytest.raises(ValueError, match=r"^repair: unknown key 'round'; valid keys are "
                                         r"\['hopeless_after', 'hopeless_nets', "
                                         r"'hopeless_nets_per_kcell', 'max_pad_sites', "
                                         r"'pad_sites', 'radius_um', 'rounds'\]$"):
        RepairSettings.from_settings({"repair": {"round": 1}})
    with pytest.raises(ValueError, match=r"^repair\.rounds must be 0\.\.8, not 9$"):
        RepairSettings.from_settings({"repair": {"rounds": 9}})
    assert RepairSettings.from_settings({}).rounds == 0
    with pytest.raises(ValueError, match=r"^repair\.hopeless_after must be a round number "
                                         r">= 0 or null, not -1$"):
        RepairSettings.from_settings({"repair": {"hopeless_after": -1}})
    with pytest.raises(ValueError, match=r"^repair\.hopeless_nets and "
                                         r"hopeless_nets_per_kcell must be >= 0"):
        RepairSettings.from_settings({"repair": {"hopeless_nets_per_kcell": -0.5}})


def test_hopeless():
    s = RepairSettings(rounds=6, hopeless_after=1, hopeless_nets=10,
                       hopeless_nets_per_kcell=0.7)
    assert not hopeless([30], 5000, s)                # decided after round 1 only
    assert hopeless([30, 11], 5000, s)
    assert not hopeless([30, 10], 5000, s)            # at the limit: keep repairing
    assert not hopeless([8, 40], 5000, s)             # the best round so far counts
    assert not hopeless([30, 11, 40], 5000, s)        # later rounds are never cut
    assert not hopeless([30, 50], 80_000, s)          # 0.7 per 1000 cells: 56 nets
    assert hopeless([60, 57], 80_000, s)
    assert not hopeless([500, 500], 5000, RepairSettings(rounds=6))    # off by default


def test_spread_rows_pads_and_refills():
    # One row: NAND at 0, INV at 30, fillers over the other 95 sites; a row far from
    # the residue must not move.
    row0 = [["u1", "NAND", 0, 0, 0], ["u2", "INV", 3 * SITE, 0, 0]] + \
        [[f"f{k}", "F1", (5 + k) * SITE, 0, 0] for k in range(95)]
    row1 = [["u3", "INV", 0, 270, 0]] + \
        [[f"g{k}", "F1", (2 + k) * SITE, 270, 0] for k in range(98)]
    snap = _snapshot(row0 + row1)
    residue = [Segment("n", "M2", 0.1, 0.1, 0.1, 0.1)]
    out = spread_rows(snap, residue, RepairSettings(rounds=1, pad_sites=2,
                                                    radius_um=0.5), tag="r1")
    pos = {n: (m, x, y) for n, m, x, y, _ in out["instances"]}
    assert out["pads"] == {"u1": 2, "u2": 2}
    # the row is still exactly tiled: cells and fillers cover every site once
    taken = []
    for m, x, y in pos.values():
        if y == 0:
            taken += list(range(x // SITE, (x + snap["sizes"][m][0]) // SITE))
    assert sorted(taken) == list(range(100))
    assert pos["u2"][1] >= pos["u1"][1] + 3 * SITE + 2 * SITE     # the pad is kept free
    assert all(pos[n] == (m, x, y) for n, m, x, y, _ in row1)      # other rows stay


def test_parse_residue_last_list():
    log = ("  o  Routing did not complete, unrouted segments:\n"
           "      1| &<id:1 Vertical a M2 [1.0um 2.0um] [1.0um 2.5um] 0.018um\n"
           "  o  Routing did not complete, unrouted segments:\n"
           "      1| &<id:2 Horizontal b M3 [3.0um 4.0um] [3.5um 4.0um] 0.018um\n")
    assert parse_residue(log) == [Segment("b", "M3", 3.0, 4.0, 3.5, 4.0)]


CHECK = ("[CHECK] incoherency at 95 &<id:666222 Vertical n1 M2 [48.411um 48.434um] "
         "[48.411um 42.444um] 0.018um rpD:0 -X---UC--- [48.388um:48.434um] 0.046um 0 "
         "P--T---> is not on Track axis 42.444um.\n")


def test_parse_incoherent_once_per_segment():
    # Katana's check prints a segment once per track it crosses, and again as "in" a
    # wrong-direction track
    log = (CHECK + CHECK.replace("at 95", "at 91") +
           CHECK.replace("is not on Track axis 42.444um.", "is in track &<HorizontalTrack "
                         "[1179] M2 @42.444um>"))
    assert parse_incoherent(log) == [Segment("n1", "M2", 48.411, 48.434, 48.411, 42.444)]
    assert parse_incoherent("  o  Checking Katana Database coherency.\n") == []


def test_round_residue_adds_off_track_segments():
    listed = ("  o  Routing did not complete, unrouted segments:\n"
              "      1| &<id:2 Horizontal b M3 [3.0um 4.0um] [3.5um 4.0um] 0.018um\n")
    assert round_residue(listed + CHECK) == [
        Segment("b", "M3", 3.0, 4.0, 3.5, 4.0),
        Segment("n1", "M2", 48.411, 48.434, 48.411, 42.444)]
    assert round_residue(CHECK) == parse_incoherent(CHECK)      # a "complete" route
