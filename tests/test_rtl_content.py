import numpy as np
import pytest

from roma_pd.rtl import content_words, load_weights, pack_words, random_weights, unpack_word


def test_random_is_seeded_and_in_range():
    a = random_weights(64, 32, 2, seed=3)
    assert a.shape == (64, 16) and a.dtype == np.uint8 and a.max() <= 3
    assert (a == random_weights(64, 32, 2, seed=3)).all()
    assert not (a == random_weights(64, 32, 2, seed=4)).all()


def test_distribution():
    a = random_weights(256, 64, 4, seed=1, distribution=[0.5] + [0.5 / 15] * 15)
    assert 0.45 < (a == 0).mean() < 0.55


def test_pack_roundtrip():
    w = random_weights(8, 12, 4, seed=0)
    words = pack_words(w, 4)
    assert all(unpack_word(word, 3, 4) == list(row) for word, row in zip(words, w))
    assert pack_words(np.array([[1, 2, 3]]), 2) == [0b111001]


def test_npy(tmp_path):
    w = random_weights(16, 8, 2, seed=2)
    np.save(tmp_path / "w.npy", w.astype(np.int64))
    assert (load_weights(tmp_path / "w.npy", 16, 8, 2) == w).all()
    np.save(tmp_path / "flat.npy", w.reshape(-1))
    assert content_words({"source": str(tmp_path / "flat.npy")}, 16, 8, 2) == \
        pack_words(w, 2)


@pytest.mark.parametrize("array, message", [
    (np.zeros((16, 3), dtype=np.int8), r"w\.npy: shape must be \(16, 4\) or \(64,\) for "
                                       r"depth 16 x width 8, not \(16, 3\)"),
    (np.zeros((16, 4)), r"w\.npy: dtype must be an integer type, not float64"),
    (np.full((16, 4), 4), r"w\.npy: values must be in \[0, 3\] for UInt2, not \[4, 4\]"),
])
def test_npy_wrong(tmp_path, array, message):
    np.save(tmp_path / "w.npy", array)
    with pytest.raises(ValueError, match=r"^.*" + message + "$"):
        load_weights(tmp_path / "w.npy", 16, 8, 2)


def test_spec_wrong(tmp_path):
    with pytest.raises(ValueError, match=r"^content\.sed: source 'random' takes "
                                         r"\['distribution', 'seed'\]$"):
        content_words({"source": "random", "sed": 1}, 16, 8, 2)
    with pytest.raises(ValueError, match=r"^.*nope\.npy: no such \.npy file$"):
        content_words({"source": str(tmp_path / "nope.npy")}, 16, 8, 2)
    with pytest.raises(ValueError, match=r"^distribution must be 4 non-negative "
                                         r"probabilities summing to 1, not \[0\.5, 0\.5\]$"):
        random_weights(16, 8, 2, distribution=[0.5, 0.5])
    with pytest.raises(ValueError, match=r"^weight_bits must be 2 or 4, not 3$"):
        random_weights(16, 9, 3)
