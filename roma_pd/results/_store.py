"""SQLite results store.

One row per run attempt: the attempt's key (a hash of everything that decides its
result), sweep, block, variant, parameters, density, aspect ratio, status and verdict,
the headline metrics as columns, every metric as JSON, tool versions, timestamps and the log path.
A row is written in one transaction after its run ends, so an interrupted sweep leaves
no half-written row; rerunning it skips the keys already stored.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

import pandas as pd

from .._errors import RomaError

__all__ = ["ResultStore", "attempt_key", "load"]

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
            "params", "density", "aspect_ratio", "status", "verdict", "core_area",
            "die_area", "cells", "unrouted_nets", "opens", "shorts", "drc_violations",
            "segment_completion", "residual",
            "metrics", "tool_versions", "started", "finished", "log"]


def attempt_key(**parts) -> str:
    """Stable hash of what decides an attempt's result (config, density, flow settings,
    package version)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()) \
        .hexdigest()[:24]


class ResultStore:
    """The attempts of sweeps, in one SQLite file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)
            have = {r[1] for r in conn.execute("PRAGMA table_info(attempts)")}
        missing = [c for c in _COLUMNS if c not in have]
        if missing:     # written by an older version: refuse it in one line
            plural = "s" if len(missing) > 1 else ""
            raise RomaError(
                f"{self.path}: results database of an older roma-pd (no "
                f"{', '.join(missing)} column{plural}); move it aside (mv {self.path} "
                f"{self.path}.old) and rerun: its attempts are not reused")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def has(self, key: str) -> bool:
        with self._connect() as conn:
            return conn.execute("SELECT 1 FROM attempts WHERE key = ?", (key,)) \
                .fetchone() is not None

    def add(self, row: dict) -> bool:
        """Insert one attempt in one transaction; False if its key is already stored."""
        row = dict(row)
        for field in ("params", "metrics", "tool_versions", "residual"):
            if not isinstance(row.get(field), (str, type(None))):
                row[field] = json.dumps(row[field], sort_keys=True, default=str)
        row.setdefault("finished", time.time())
        values = [row.get(c) for c in _COLUMNS]
        with self._connect() as conn:   # commits on success, rolls back on error
            cur = conn.execute(
                f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES "
                f"({', '.join('?' for _ in _COLUMNS)}) ON CONFLICT(key) DO NOTHING", values)
            return cur.rowcount == 1

    def frame(self, sweep: str | None = None) -> pd.DataFrame:
        with self._connect() as conn:
            query = "SELECT * FROM attempts" + (" WHERE sweep = ?" if sweep else "") + \
                " ORDER BY id"
            return pd.read_sql_query(query, conn, params=(sweep,) if sweep else ())


def load(path: str | Path, sweep: str | None = None, expand: bool = True) -> pd.DataFrame:
    """Attempts from a results database as a DataFrame; ``expand`` adds every stored
    metric as a column of its own (prefixed ``m_``)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no results database")
    df = ResultStore(path).frame(sweep)
    if expand and len(df):
        metrics = pd.json_normalize(df["metrics"].map(json.loads)).add_prefix("m_")
        df = pd.concat([df.reset_index(drop=True), metrics], axis=1)
    return df
