"""SQLite results store.

One row per run attempt: the attempt's key (a hash of everything that decides its
result), sweep, block, variant, parameters, density, aspect ratio, status and verdict,
the headline metrics as columns, every metric as JSON, tool versions, timestamps and the log path.
A row is written in one transaction after its run ends, so an interrupted sweep leaves
no half-written row; rerunning it skips the keys already stored. A row with verdict
``error`` (the infrastructure failed: timeout, crash, no scheduler) is no result: the next
attempt with its key replaces it.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

import pandas as pd

from .._errors import RomaError

__all__ = ["ResultStore", "attempt_key", "load", "ERROR"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    sweep TEXT NOT NULL,
    block TEXT NOT NULL,
    role TEXT NOT NULL,
    generator TEXT NOT NULL,
    variant TEXT,
    depth INTEGER,
    width INTEGER,
    params TEXT NOT NULL,
    density REAL NOT NULL,
    aspect_ratio REAL NOT NULL,
    status TEXT NOT NULL,
    verdict TEXT NOT NULL,
    message TEXT,
    core_area REAL,
    die_area REAL,
    cells INTEGER,
    unrouted_nets INTEGER,
    opens INTEGER,
    shorts INTEGER,
    drc_violations INTEGER,
    segment_completion REAL,
    residual TEXT,
    metrics TEXT NOT NULL,
    tool_versions TEXT,
    started REAL,
    finished REAL,
    log TEXT
);
"""
_COLUMNS = ["key", "sweep", "block", "role", "generator", "variant", "depth", "width",
            "params", "density", "aspect_ratio", "status", "verdict", "message", "core_area",
            "die_area", "cells", "unrouted_nets", "opens", "shorts", "drc_violations",
            "segment_completion", "residual",
            "metrics", "tool_versions", "started", "finished", "log"]


def attempt_key(**parts) -> str:
    """Stable hash of what decides an attempt's result (config, density, flow settings,
    package version)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()) \
        .hexdigest()[:24]


ERROR = "error"     # the verdict of an attempt the infrastructure failed


def _unreadable(path: Path, why: str) -> RomaError:
    return RomaError(f"{path}: {why}; move it aside (mv {path} {path}.bad) and rerun: "
                     "its attempts are not reused")


class ResultStore:
    """The attempts of sweeps, in one SQLite file.

    ``readonly`` opens an existing database without creating or changing anything
    (reports); otherwise a missing database is created. Either way a file that is not
    a readable results database (corrupt, truncated, empty, another schema) is refused
    with one line, before anything is written.
    """

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        if self.path.exists():
            self._check()
        elif readonly:
            raise FileNotFoundError(f"{self.path}: no results database")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._query(lambda conn: conn.executescript(_SCHEMA))

    def _check(self) -> None:
        if not self.path.is_file():
            raise _unreadable(self.path, "not a file")
        if self.path.stat().st_size == 0:
            raise _unreadable(self.path, "empty file, not a results database")
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
            try:
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
                have = {r[1] for r in conn.execute("PRAGMA table_info(attempts)")}
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise _unreadable(self.path, f"not a readable SQLite database ({exc})") from None
        if check != "ok":
            raise _unreadable(self.path, f"damaged SQLite database ({check})")
        if not have:
            raise _unreadable(self.path, "SQLite database without an attempts table")
        missing = [c for c in _COLUMNS if c not in have]
        if missing:     # written by an older version: refuse it in one line
            plural = "s" if len(missing) > 1 else ""
            raise RomaError(
                f"{self.path}: results database of an older roma-pd (no "
                f"{', '.join(missing)} column{plural}); move it aside (mv {self.path} "
                f"{self.path}.old) and rerun: its attempts are not reused")

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
        conn = sqlite3.connect(self.path, timeout=60)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def _query(self, run):
        """``run(conn)`` in one transaction; a database that turns out damaged past its
        header is refused in one line (constraint errors are the caller's)."""
        try:
            conn = self._connect()
            try:
                with conn:      # commits on success, rolls back on error
                    return run(conn)
            finally:
                conn.close()    # "with" does not close: a long sweep would leak them
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            raise _unreadable(self.path, f"not a readable SQLite database ({exc})") from None

    def has(self, key: str) -> bool:
        """Whether ``key`` has a result stored (an ``error`` row is none)."""
        return self._query(lambda conn: conn.execute(
            "SELECT 1 FROM attempts WHERE key = ? AND verdict != ?", (key, ERROR))
            .fetchone() is not None)

    def add(self, row: dict) -> bool:
        """Store one attempt in one transaction: insert it, or replace an ``error`` row
        of its key. False if its key already has a result."""
        row = dict(row)
        for field in ("params", "metrics", "tool_versions", "residual"):
            if not isinstance(row.get(field), (str, type(None))):
                row[field] = json.dumps(row[field], sort_keys=True, default=str)
        row.setdefault("finished", time.time())
        values = [row.get(c) for c in _COLUMNS]
        update = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "key")
        sql = (f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES "
               f"({', '.join('?' for _ in _COLUMNS)}) ON CONFLICT(key) DO UPDATE SET "
               f"{update} WHERE attempts.verdict = '{ERROR}'")
        return self._query(lambda conn: conn.execute(sql, values).rowcount == 1)

    def frame(self, sweep: str | None = None) -> pd.DataFrame:
        query = "SELECT * FROM attempts" + (" WHERE sweep = ?" if sweep else "") + \
            " ORDER BY id"
        return self._query(lambda conn: pd.read_sql_query(
            query, conn, params=(sweep,) if sweep else ()))


def load(path: str | Path, sweep: str | None = None, expand: bool = True) -> pd.DataFrame:
    """Attempts from a results database as a DataFrame; ``expand`` adds every stored
    metric as a column of its own (prefixed ``m_``)."""
    df = ResultStore(path, readonly=True).frame(sweep)
    if expand and len(df):
        metrics = pd.json_normalize(df["metrics"].map(json.loads)).add_prefix("m_")
        df = pd.concat([df.reset_index(drop=True), metrics], axis=1)
    return df
