"""The results store: one SQLite row per run attempt of a sweep."""
from ._store import ERROR, ResultStore, attempt_key, load

__all__ = ["ResultStore", "attempt_key", "load", "ERROR"]
