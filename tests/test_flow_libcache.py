"""The shared cache of unpacked liberty files (no tools)."""
import gzip
import os

from roma_pd.flow._libcache import unpacked_liberty


def _gz(path, text):
    with gzip.open(path, "wt") as f:
        f.write(text)
    return path


def test_unpacked_once_and_shared(tmp_path):
    src = _gz(tmp_path / "a_TT.lib.gz", "library (a) {}\n")
    cache = tmp_path / "cache"
    out = unpacked_liberty(src, cache)
    assert out.name == "a_TT.lib" and out.read_text() == "library (a) {}\n"
    assert out.parent.parent == cache
    stamp = out.stat().st_mtime_ns
    os.utime(out, ns=(stamp - 10**9, stamp - 10**9))
    again = unpacked_liberty(src, cache)             # a second node: no new copy
    assert again == out and again.stat().st_mtime_ns == stamp - 10**9
    assert [p.name for p in cache.rglob("*")] == [out.parent.name, "a_TT.lib"]


def test_keyed_by_content(tmp_path):
    cache = tmp_path / "cache"
    one = unpacked_liberty(_gz(tmp_path / "x.lib.gz", "library (x) {1}\n"), cache)
    (tmp_path / "x.lib.gz").unlink()
    two = unpacked_liberty(_gz(tmp_path / "x.lib.gz", "library (x) {2}\n"), cache)
    assert one != two and one.name == two.name == "x.lib"
    assert two.read_text() == "library (x) {2}\n" and one.read_text() == "library (x) {1}\n"


def test_plain_liberty_read_in_place(tmp_path):
    src = tmp_path / "p.lib"
    src.write_text("library (p) {}\n")
    assert unpacked_liberty(src, tmp_path / "cache") == src
    assert not (tmp_path / "cache").exists()


def test_corrupt_gzip_leaves_no_file(tmp_path):
    src = tmp_path / "bad.lib.gz"
    src.write_bytes(b"\x1f\x8b\x08\x00garbage")
    cache = tmp_path / "cache"
    try:
        unpacked_liberty(src, cache)
    except (OSError, EOFError):
        pass
    else:
        raise AssertionError("a corrupt gzip must raise")
    assert [p for p in cache.rglob("*") if p.is_file()] == []
