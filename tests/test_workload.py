"""The simulated workload: per-input-bit activity of each block of a tile."""
import pytest

from roma_pd.rtl import PortActivity, content_words, has_workload, port_activity


def test_rom_block_reads_successive_addresses():
    # one pass over 64 words: addr[k] toggles 2^-k times per cycle
    pa = port_activity("brom", {"depth": 64, "width": 32})
    assert sorted(pa.bits) == [f"addr[{k}]" for k in range(6)]
    for k in range(6):
        activity, duty = pa.bits[f"addr[{k}]"]
        assert activity == pytest.approx(2.0 ** -k, abs=2 / 64)
        assert duty == pytest.approx(0.5, abs=2 / 64)
    assert pa.cycles == 65


def test_compute_block_sees_the_rom_words_in_order():
    # rom_data is the store's output in the tile: its toggles are those between
    # successive content words, counted here straight from the content
    depth, width = 64, 32
    pa = port_activity("compute", {"depth": depth, "width": width})
    words = content_words({"source": "random", "seed": 1}, depth, width, 2)
    pa1 = port_activity("compute", {"depth": depth, "width": width,
                                    "content": {"source": "random", "seed": 1}})
    for k in range(width):
        bits = [(w >> k) & 1 for w in words]
        toggles = sum(a != b for a, b in zip(bits, bits[1:]))
        assert pa1.bits[f"rom_data[{k}]"][0] * (pa1.cycles - 1) == \
            pytest.approx(toggles, abs=2)
    assert pa.bits != pa1.bits               # the content drives the activity
    assert {k.split("[")[0] for k in pa.bits} == {"run", "rom_data", "x", "e_max", "z",
                                                  "s"}
    run_activity, run_duty = pa.bits["run"]
    assert run_activity == pytest.approx(1 / depth, abs=1e-9)     # falls once
    assert run_duty > 0.95
    # FP16 of N(0, 1): the mantissa's low bits toggle about half the cycles
    low = [pa.bits[f"x[{16 * lane}]"][0] for lane in range(width // 2)]
    assert 0.35 < sum(low) / len(low) < 0.65


def test_tile_block_has_no_store_ports():
    pa = port_activity("tile", {"variant": "fused", "depth": 64, "width": 32})
    assert {k.split("[")[0] for k in pa.bits} == {"run", "x", "e_max", "z", "s"}


def test_mac_clears_every_64_cycles():
    pa = port_activity("mac", {}, cycles=256)
    assert pa.bits["en"] == (0.0, 1.0)
    assert pa.bits["clr"][0] == pytest.approx(2 * 3 / 255 + 1 / 255)   # 4 pulses
    assert len([k for k in pa.bits if k.startswith("a[")]) == 8


def test_json_round_trip():
    pa = port_activity("brom", {"depth": 64, "width": 32})
    assert PortActivity.from_json(pa.to_json()) == pa


def test_no_workload_model():
    assert not has_workload("lunit") and not has_workload(None)
    with pytest.raises(ValueError, match=r"^generator 'lunit' has no workload model; "
                                         r"power is at the uniform activity$"):
        port_activity("lunit", {})
