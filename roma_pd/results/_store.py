"""SQLite results store.

One row per run attempt: the attempt's key (a hash of everything that decides its
result), sweep, block, variant, parameters, density, aspect ratio, status and verdict,
the headline metrics as columns, every metric as JSON, tool versions, timestamps and the log path.

The database lives in the build folder; what travels is its export, JSON lines
(``reports/<sweep>/results.jsonl``, :meth:`ResultStore.export`): one attempt a line,
every column but the row id, in storage order. JSON keeps text, integers, NULL and floats
(Python writes the shortest repr that reads back to the same double) exactly, so
:meth:`ResultStore.import_rows` into an empty store gives identical rows, and a line per
attempt diffs well in git. :func:`load` reads either file.
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

__all__ = ["ResultStore", "attempt_key", "load", "ERROR", "EXPORT", "read_export"]

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
EXPORT = "results.jsonl"    # the committed export's file name, in reports/<sweep>/


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

    def rows(self, sweep: str | None = None) -> list[dict]:
        """Every stored attempt (of ``sweep``) as a dict of its columns, in storage order."""
        query = f"SELECT {', '.join(_COLUMNS)} FROM attempts" + \
            (" WHERE sweep = ?" if sweep else "") + " ORDER BY id"

        def run(conn):
            cur = conn.execute(query, (sweep,) if sweep else ())
            return [dict(zip(_COLUMNS, r)) for r in cur.fetchall()]
        return self._query(run)

    def export(self, path: str | Path, sweep: str | None = None,
               base: str | Path | None = None) -> Path:
        """Write the attempts (of ``sweep``) to ``path`` as JSON lines, through a
        temporary file and a rename (a reader never sees half a file). Paths under
        ``base`` (the sweep folder) in ``log``, ``message`` and the metrics are written
        relative to it, and the PDK root as ``$ROMA_PDK_ROOT``, so the export names no
        machine; everything else is written as stored."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w") as f:
            for row in self.rows(sweep):
                if base is not None:
                    row = _relative_paths(row, Path(base))
                f.write(json.dumps(row, sort_keys=True, allow_nan=False) + "\n")
        tmp.replace(path)
        return path

    def import_rows(self, path: str | Path) -> int:
        """Add the attempts of an export written by :meth:`export`: a key that already
        has a result keeps it (as :meth:`add`), and an ``error`` row replaces nothing.
        Returns how many rows were added or replaced."""
        rows = read_export(path)
        known = set(self._query(lambda conn: [r[0] for r in conn.execute(
            "SELECT key FROM attempts")]))
        return sum(self.add(row) for row in rows
                   if not (row["verdict"] == ERROR and row["key"] in known))

    def frame(self, sweep: str | None = None) -> pd.DataFrame:
        query = "SELECT * FROM attempts" + (" WHERE sweep = ?" if sweep else "") + \
            " ORDER BY id"
        return self._query(lambda conn: pd.read_sql_query(
            query, conn, params=(sweep,) if sweep else ()))


def _relative_paths(row: dict, base: Path) -> dict:
    """``row`` with the sweep folder ``base`` cut from every path under it in ``log``,
    ``message`` (DRC marker files) and ``metrics`` (``jobdir``, messages)."""
    import os
    folder = Path(base).resolve().as_posix()
    # under the folder, or the folder itself as a whole (JSON) string
    cuts = [(f"{folder}/", ""), (f'"{folder}"', '"."'), (f'\\"{folder}\\"', '\\".\\"')]
    if os.environ.get("ROMA_PDK_ROOT"):     # the metrics' pdk_root: the variable's name
        cuts.append((Path(os.environ["ROMA_PDK_ROOT"]).resolve().as_posix(),
                     "$ROMA_PDK_ROOT"))
    row = dict(row)
    for col in ("log", "message", "metrics"):
        for old, new in cuts:
            if isinstance(row[col], str):
                row[col] = row[col].replace(old, new)
    return row


def read_export(path: str | Path) -> list[dict]:
    """The rows of an export, checked: one line naming the file and the line if it is
    not one."""
    path = Path(path)
    if not path.is_file():
        raise RomaError(f"{path}: no results export (a file of JSON lines written by "
                        "roma-pd sweep)")
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RomaError(f"{path}:{n}: not a JSON line ({exc.msg}); restore the file "
                            f"from git (git checkout -- {path})") from None
        missing = [c for c in _COLUMNS if c not in row] if isinstance(row, dict) else _COLUMNS
        if missing:
            raise RomaError(f"{path}:{n}: results row without {', '.join(missing)}; "
                            "written by another roma-pd? restore it from git")
        rows.append(row)
    return rows


def load(path: str | Path, sweep: str | None = None, expand: bool = True) -> pd.DataFrame:
    """Attempts from a results database, or from its export (``.jsonl``), as a
    DataFrame; ``expand`` adds every stored metric as a column of its own (prefixed
    ``m_``). An export is read through a temporary store, so both give the same frame."""
    path = Path(path)
    if path.suffix == ".jsonl":
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            store = ResultStore(Path(tmp) / "results.db")
            store.import_rows(path)
            df = store.frame(sweep)
    else:
        df = ResultStore(path, readonly=True).frame(sweep)
    if expand and len(df):
        metrics = pd.json_normalize(df["metrics"].map(json.loads)).add_prefix("m_")
        df = pd.concat([df.reset_index(drop=True), metrics], axis=1)
    return df
