"""One sweep at a time per sweep folder: an exclusive lock on ``sweep.lock``."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from .._errors import RomaError

__all__ = ["sweep_lock", "LOCK_FILE"]

LOCK_FILE = "sweep.lock"


@contextmanager
def sweep_lock(folder: Path, name: str):
    """Hold the sweep folder's lock for the ``with`` block.

    The lock is the kernel's, so a killed sweep releases it with its process; the file
    stays (deleting it would let a waiting and a new sweep lock two different files).
    The holder's pid is written into it for the message.

    A POSIX record lock (``lockf``), not ``flock``: an flock belongs to the open file,
    so the processes SiliconCompiler forks (its manager process outlives a killed
    sweep) would inherit it and hold it on; a record lock belongs to this process only.

    Raises
    ------
    RomaError
        "sweep X is already running (pid N)", before anything is written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:         # EAGAIN or EACCES: another process holds it
            pid = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise RomaError(f"sweep {name} is already running (pid {pid}); wait for it "
                            f"or stop it (lock: {folder / LOCK_FILE})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)        # closing the last descriptor releases the lock
