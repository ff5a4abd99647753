"""ROM weight content: seeded random UInt2/UInt4 values or quantized weights from .npy.

Packing: a ROM word holds ``lanes = width // weight_bits`` weights; lane ``i`` occupies
bits ``[i*weight_bits, (i+1)*weight_bits)`` (lane 0 in the least significant bits).
An ``.npy`` file holds either a ``(depth, lanes)`` array (one row per word) or a flat
array of ``depth * lanes`` values in word-major order; any integer dtype; values in
``[0, 2**weight_bits)``.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ._limits import check_rom_bits

__all__ = ["random_weights", "load_weights", "pack_words", "unpack_word", "content_words"]


def _check_geometry(depth: int, width: int, weight_bits: int) -> int:
    if weight_bits not in (2, 4):
        raise ValueError(f"weight_bits must be 2 or 4, not {weight_bits!r}")
    if not isinstance(depth, int) or depth < 4 or depth & (depth - 1):
        raise ValueError(f"depth must be a power of two of at least 4, not {depth!r}")
    if not isinstance(width, int) or width < weight_bits or width % weight_bits:
        raise ValueError(f"width must be a positive multiple of weight_bits ({weight_bits}),"
                         f" not {width!r}")
    check_rom_bits(depth, width)
    return width // weight_bits


def random_weights(depth: int, width: int, weight_bits: int, seed: int = 0,
                   distribution: list[float] | None = None) -> np.ndarray:
    """``(depth, lanes)`` uint8 weights drawn with ``numpy.random.default_rng(seed)``.

    ``distribution`` gives the probability of each value 0..2**weight_bits-1 (default
    uniform).
    """
    lanes = _check_geometry(depth, width, weight_bits)
    n = 1 << weight_bits
    if distribution is None:
        p = np.full(n, 1.0 / n)
    else:
        p = np.asarray(distribution, dtype=float)
        if p.shape != (n,) or (p < 0).any() or not np.isclose(p.sum(), 1.0):
            raise ValueError(f"distribution must be {n} non-negative probabilities summing "
                             f"to 1, not {list(distribution)!r}")
    rng = np.random.default_rng(seed)
    return rng.choice(n, size=(depth, lanes), p=p).astype(np.uint8)


def load_weights(path: str | Path, depth: int, width: int, weight_bits: int) -> np.ndarray:
    """Weights from an ``.npy`` file, checked for shape, dtype and range."""
    lanes = _check_geometry(depth, width, weight_bits)
    path = Path(path)
    try:
        data = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such .npy file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a folder, not a .npy file") from None
    except (ValueError, EOFError, OSError, zipfile.BadZipFile) as exc:
        # a file starting "PK" is taken for an .npz archive
        raise ValueError(f"{path}: not a readable .npy array ({exc})") from None
    if not isinstance(data, np.ndarray):       # an .npz archive of arrays
        raise ValueError(f"{path}: must be one .npy array, not an .npz archive")
    if not np.issubdtype(data.dtype, np.integer):
        raise ValueError(f"{path}: dtype must be an integer type, not {data.dtype}")
    if data.shape == (depth * lanes,):
        data = data.reshape(depth, lanes)
    if data.shape != (depth, lanes):
        raise ValueError(f"{path}: shape must be ({depth}, {lanes}) or ({depth * lanes},) "
                         f"for depth {depth} x width {width}, not {data.shape}")
    lo, hi = int(data.min()), int(data.max())
    if lo < 0 or hi >= 1 << weight_bits:
        raise ValueError(f"{path}: values must be in [0, {(1 << weight_bits) - 1}] for "
                         f"UInt{weight_bits}, not [{lo}, {hi}]")
    return data.astype(np.uint8)


def pack_words(weights: np.ndarray, weight_bits: int) -> list[int]:
    """ROM words (Python ints, any width) from ``(depth, lanes)`` weights."""
    words = []
    for row in np.asarray(weights):
        word = 0
        for i, v in enumerate(row):
            word |= int(v) << (i * weight_bits)
        words.append(word)
    return words


def unpack_word(word: int, lanes: int, weight_bits: int) -> list[int]:
    mask = (1 << weight_bits) - 1
    return [(word >> (i * weight_bits)) & mask for i in range(lanes)]


def content_words(spec: dict | None, depth: int, width: int, weight_bits: int) -> list[int]:
    """ROM words from a config's ``content`` mapping.

    ``{source: random, seed: 0, distribution: [p0, p1, ...]}`` (the default) or
    ``{source: weights.npy}``.
    """
    spec = dict(spec or {"source": "random"})
    source = spec.pop("source", "random")
    if source == "random":
        allowed = {"seed", "distribution"}
        weights = None
        unknown = set(spec) - allowed
        if not unknown:
            weights = random_weights(depth, width, weight_bits, spec.get("seed", 0),
                                     spec.get("distribution"))
    else:
        allowed = set()
        unknown = set(spec)
        if not unknown:
            weights = load_weights(source, depth, width, weight_bits)
    if unknown:
        raise ValueError(f"content.{sorted(unknown)[0]}: source {source!r} takes "
                         f"{sorted(allowed) or 'no other keys'}")
    return pack_words(weights, weight_bits)
