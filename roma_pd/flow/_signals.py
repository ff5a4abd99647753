"""SIGINT and SIGTERM during a run: stop the flow, keep a failed-run record, exit 128+N.

SiliconCompiler 0.38 turns a KeyboardInterrupt into ``sys.exit(0)`` after halting its
nodes, and the default SIGTERM ends the process with no record at all. So both signals
are remembered here and raised as KeyboardInterrupt (SiliconCompiler's own graceful
stop); the caller asks :func:`received` afterwards.
"""
from __future__ import annotations

import contextlib
import signal
import threading

__all__ = ["Interrupted", "catch_signals", "received", "signal_message"]

_CAUGHT = (signal.SIGINT, signal.SIGTERM)
_received: list[int] = []


class Interrupted(Exception):
    """A run stopped by a signal; ``exit_code`` is the shell's 128 + signal number."""

    def __init__(self, signum: int, message: str):
        super().__init__(message)
        self.signum = signum
        self.exit_code = 128 + signum


def received() -> int | None:
    """The first signal caught inside :func:`catch_signals`, or None."""
    return _received[0] if _received else None


def signal_message(signum: int) -> str:
    name = signal.Signals(signum).name
    return f"{name} (Ctrl-C)" if signum == signal.SIGINT else name


def _handler(signum, frame):
    if _received:       # the first one is being handled: let the cleanup finish
        return
    _received.append(signum)
    raise KeyboardInterrupt


@contextlib.contextmanager
def catch_signals():
    """Within the block, SIGINT and SIGTERM raise KeyboardInterrupt once (later ones are
    ignored while the run cleans up); outside it the old handlers are back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    old = {s: signal.signal(s, _handler) for s in _CAUGHT}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
