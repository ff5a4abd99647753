"""Liberty files unpacked once and shared by every STA node.

OpenSTA 2.0.17 cannot read ``.lib.gz``. Gunzipping ASAP7's five TT liberty files into
each node's ``inputs/`` cost 47 MB per node (15 to 20 GB for the default sweep); the
plain copies live instead in a cache folder, one per content hash, and every node reads
them in place.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["unpacked_liberty"]


def _digest(path: Path) -> str:
    h = hashlib.sha256()        # hashlib.file_digest is 3.11+; roma-pd runs on 3.10
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def unpacked_liberty(src: str | os.PathLike, cache: str | os.PathLike) -> Path:
    """A plain-text liberty for ``src``: ``src`` itself unless gzipped, else its
    decompressed copy ``<cache>/<sha256 of src>/<name without .gz>``, written once.

    The copy is written to a temporary file beside it and renamed into place, so two
    nodes unpacking at once both end with a whole file, and a killed node leaves at most
    a ``.tmp`` file that is never read.
    """
    src = Path(src)
    if not src.name.endswith(".gz"):
        return src
    out = Path(cache) / _digest(src) / src.name.removesuffix(".gz")
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as dst, gzip.open(src, "rb") as lib:
            shutil.copyfileobj(lib, dst)
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
    return out
