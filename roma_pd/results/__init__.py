"""The results store: one SQLite row per run attempt of a sweep."""
from ._store import ERROR, EXPORT, ResultStore, attempt_key, load, read_export

__all__ = ["ResultStore", "attempt_key", "load", "ERROR", "EXPORT", "read_export"]
