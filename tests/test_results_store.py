import re
import sqlite3

import pytest

from roma_pd import RomaError
from roma_pd.results import ResultStore, attempt_key, load


def _row(key, density=0.5, **kw):
    return {"key": key, "sweep": "s", "block": "b", "role": "brom", "generator": "brom",
            "params": {"depth": 64}, "density": density, "aspect_ratio": 1.0,
            "status": "ok", "verdict": "clean", "metrics": {"cells": 10, "wl_m2": 1.5}, **kw}


def test_add_is_idempotent(tmp_path):
    store = ResultStore(tmp_path / "r.db")
    assert store.add(_row("k1")) is True
    assert store.add(_row("k1", density=0.9)) is False       # same key: kept once
    assert store.add(_row("k2", density=0.6)) is True
    df = load(tmp_path / "r.db")
    assert list(df["key"]) == ["k1", "k2"] and list(df["density"]) == [0.5, 0.6]
    assert list(df["m_cells"]) == [10, 10] and "m_wl_m2" in df


def test_aspect_ratio_column(tmp_path):
    store = ResultStore(tmp_path / "r.db")
    for i, a in enumerate((0.98, 1.0, 1.02)):
        store.add(_row(f"k{i}", aspect_ratio=a))
    assert list(load(tmp_path / "r.db")["aspect_ratio"]) == [0.98, 1.0, 1.02]
    with pytest.raises(sqlite3.IntegrityError):               # NOT NULL
        store.add(_row("k9", aspect_ratio=None))


def test_old_database_wrong(tmp_path):
    # a database of an older roma-pd: the table without the aspect_ratio and DRC columns
    path = tmp_path / "results.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE attempts (id INTEGER PRIMARY KEY, key TEXT NOT NULL "
                     "UNIQUE, sweep TEXT NOT NULL, block TEXT NOT NULL, role TEXT NOT "
                     "NULL, generator TEXT NOT NULL, variant TEXT, depth INTEGER, width "
                     "INTEGER, params TEXT NOT NULL, density REAL NOT NULL, status TEXT "
                     "NOT NULL, verdict TEXT NOT NULL, core_area REAL, die_area REAL, "
                     "cells INTEGER, unrouted_nets INTEGER, opens INTEGER, shorts "
                     "INTEGER, segment_completion REAL, residual TEXT, metrics TEXT NOT "
                     "NULL, tool_versions TEXT, started REAL, finished REAL, log TEXT)")
    p = re.escape(str(path))
    message = (rf"^{p}: results database of an older roma-pd \(no aspect_ratio, message, "
               rf"drc_violations columns\); move it aside \(mv {p} {p}\.old\) and rerun: its "
               r"attempts are not reused$")
    with pytest.raises(RomaError, match=message):
        ResultStore(path)
    with pytest.raises(RomaError, match=message):
        load(path)


@pytest.mark.pdk
def test_old_database_cli_wrong(tmp_path, capsys):
    from roma_pd.cli import main
    from tests.conftest import REPO
    db = tmp_path / "build" / "sweeps" / "example" / "results.db"
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE attempts (id INTEGER PRIMARY KEY, key TEXT, "
                     "density REAL)")
    spec = REPO / "designs" / "sweeps" / "example.yaml"
    assert main(["report", str(spec), "--build", str(tmp_path / "build"),
                 "-o", str(tmp_path / "report")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(
        f"roma-pd: error: {db}: results database of an older roma-pd (no sweep, block, ")
    assert "columns); move it aside" in err


def test_failed_insert_leaves_nothing(tmp_path):
    store = ResultStore(tmp_path / "r.db")
    bad = _row("k3")
    bad["density"] = None                                     # NOT NULL: rolled back
    with pytest.raises(sqlite3.IntegrityError):
        store.add(bad)
    assert len(store.frame()) == 0


def test_key_is_stable():
    a = attempt_key(generator="brom", params={"depth": 64, "width": 32}, density=0.5)
    b = attempt_key(density=0.5, params={"width": 32, "depth": 64}, generator="brom")
    assert a == b and a != attempt_key(generator="brom", params={}, density=0.5)


def test_load_wrong(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"^.*nope\.db: no results database$"):
        load(tmp_path / "nope.db")


# -- the export that travels (issue 15) ---------------------------------------------------

def _mixed_rows():
    """Rows with the values that could go wrong in text: NULLs, ints, floats without a
    short decimal form, unicode, JSON columns."""
    return [_row("k1", message=None, cells=478, core_area=0.1 + 0.2, started=1764675000.123456,
                 residual=[["n1", "M2"]], log="sweep_s/a1/route/0/route.log"),
            _row("k2", density=2 / 3, verdict="error", message="Task timed out – µ",
                 unrouted_nets=0, segment_completion=0.9999999999999999, finished=1e-300),
            _row("k3", density=0.45, metrics={"x": [1, 2.5e-17, None]}, tool_versions={})]


def test_export_round_trip(tmp_path):
    store = ResultStore(tmp_path / "a.db")
    for row in _mixed_rows():
        store.add(row)
    export = store.export(tmp_path / "reports" / "s" / "results.jsonl", "s")
    fresh = ResultStore(tmp_path / "b.db")
    assert fresh.import_rows(export) == 3
    assert fresh.rows() == store.rows()
    assert fresh.frame().drop(columns="id").equals(store.frame().drop(columns="id"))
    again = fresh.export(tmp_path / "again.jsonl", "s")
    assert again.read_bytes() == export.read_bytes()
    # load() reads an export as it reads the database
    assert load(export).drop(columns="id").equals(load(tmp_path / "a.db").drop(columns="id"))
    assert fresh.import_rows(export) == 0        # keys with a result are kept


def test_export_relative_logs(tmp_path):
    store = ResultStore(tmp_path / "a.db")
    store.add(_row("k1", log=str(tmp_path / "sweep" / "job" / "route.log")))
    text = store.export(tmp_path / "e.jsonl", base=tmp_path / "sweep").read_text()
    assert '"log": "job/route.log"' in text and str(tmp_path) not in text


def test_import_replaces_error_rows(tmp_path):
    export = tmp_path / "e.jsonl"
    ok = ResultStore(tmp_path / "a.db")
    ok.add(_row("k1"))
    ok.export(export)
    store = ResultStore(tmp_path / "b.db")
    store.add(_row("k1", verdict="error", message="timed out"))
    assert store.import_rows(export) == 1
    assert store.rows()[0]["verdict"] == "clean"


COLUMNS = ("sweep, block, role, generator, variant, depth, width, params, density, "
           "aspect_ratio, status, verdict, message, core_area, die_area, cells, unrouted_nets, "
           "opens, shorts, drc_violations, segment_completion, residual, metrics, "
           "tool_versions, started, finished, log")
FOREIGN = r"; written by another roma-pd\? restore it from git"


@pytest.mark.parametrize("text, why", [
    ("{not json\n", r"1: not a JSON line \(Expecting property name enclosed in double "
                    r"quotes\); restore the file from git \(git checkout -- .*e\.jsonl\)"),
    ('{"key": "k1"}\n', "1: results row without " + COLUMNS + FOREIGN),
    ("[1, 2]\n", "1: results row without key, " + COLUMNS + FOREIGN),
])
def test_import_wrong(tmp_path, text, why):
    export = tmp_path / "e.jsonl"
    export.write_text(text)
    with pytest.raises(RomaError, match=rf"^{re.escape(str(export))}:{why}$"):
        ResultStore(tmp_path / "a.db").import_rows(export)


def test_import_missing_wrong(tmp_path):
    with pytest.raises(RomaError, match=r"^.*nope\.jsonl: no results export \(a file of "
                       r"JSON lines written by roma-pd sweep\)$"):
        load(tmp_path / "nope.jsonl")
