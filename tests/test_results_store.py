import sqlite3

import pytest

from roma_pd.results import ResultStore, attempt_key, load


def _row(key, density=0.5, **kw):
    return {"key": key, "sweep": "s", "block": "b", "role": "brom", "generator": "brom",
            "params": {"depth": 64}, "density": density, "status": "ok",
            "verdict": "clean", "metrics": {"cells": 10, "wl_m2": 1.5}, **kw}


def test_add_is_idempotent(tmp_path):
    store = ResultStore(tmp_path / "r.db")
    assert store.add(_row("k1")) is True
    assert store.add(_row("k1", density=0.9)) is False       # same key: kept once
    assert store.add(_row("k2", density=0.6)) is True
    df = load(tmp_path / "r.db")
    assert list(df["key"]) == ["k1", "k2"] and list(df["density"]) == [0.5, 0.6]
    assert list(df["m_cells"]) == [10, 10] and "m_wl_m2" in df


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
    with pytest.raises(FileNotFoundError, match=r"nope\.db: no results database$"):
        load(tmp_path / "nope.db")


def test_old_database_gains_drc_column(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:     # a database from before the drc step
        conn.execute("CREATE TABLE attempts (id INTEGER PRIMARY KEY, key TEXT NOT NULL "
                     "UNIQUE, sweep TEXT NOT NULL, block TEXT NOT NULL, role TEXT NOT "
                     "NULL, generator TEXT NOT NULL, variant TEXT, depth INTEGER, width "
                     "INTEGER, params TEXT NOT NULL, density REAL NOT NULL, status TEXT NOT "
                     "NULL, verdict TEXT NOT NULL, core_area REAL, die_area REAL, cells "
                     "INTEGER, unrouted_nets INTEGER, opens INTEGER, shorts INTEGER, "
                     "segment_completion REAL, residual TEXT, metrics TEXT NOT NULL, "
                     "tool_versions TEXT, started REAL, finished REAL, log TEXT)")
        conn.execute("INSERT INTO attempts (key, sweep, block, role, generator, params, "
                     "density, status, verdict, metrics) VALUES ('old', 's', 'b', 'brom', "
                     "'brom', '{}', 0.5, 'ok', 'clean', '{}')")
    store = ResultStore(path)
    assert store.add(_row("new", drc_violations=3)) is True
    df = store.frame()
    assert list(df["key"]) == ["old", "new"]
    assert df["drc_violations"].isna().tolist() == [True, False]
    assert df["drc_violations"].iloc[1] == 3
