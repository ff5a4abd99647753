"""A sign of life during long steps: SiliconCompiler prints a line when a node starts
and when it finishes, and nothing in between (a 20K-cell route is silent for minutes)."""
from __future__ import annotations

import threading
import time
from pathlib import Path

__all__ = ["Heartbeat", "running_nodes"]


def running_nodes(jobdir: Path) -> list[str]:
    """``step/index`` of the nodes that have started (their SiliconCompiler log exists)
    and not finished (no output manifest yet)."""
    out = []
    for log in sorted(Path(jobdir).glob("*/*/sc_*.log")):
        node = log.parent
        if not any((node / "outputs").glob("*.pkg.json")):
            out.append(f"{node.parent.name}/{node.name}")
    return out


def _minutes(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m} min {s:02d} s" if m else f"{s} s"


class Heartbeat:
    """Every ``interval`` seconds, print the nodes of ``jobdir`` still running and for
    how long (to ``stream``), until stopped; ``interval`` 0 prints nothing. ``running``
    is what the last poll saw (a node halted by a signal gets its manifest written, so
    afterwards it no longer looks running)."""

    def __init__(self, jobdir: Path, interval: float, stream=None, poll: float = 2.0):
        self.jobdir, self.interval, self.poll = Path(jobdir), interval, poll
        self.stream = stream
        self._stop = threading.Event()
        self._seen: dict[str, float] = {}
        self.running: list[str] = []
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name="roma-pd-heartbeat")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _loop(self):
        import sys
        start = last = time.monotonic()
        while not self._stop.wait(self.poll):
            now = time.monotonic()
            nodes = self.running = running_nodes(self.jobdir)
            for n in nodes:
                self._seen.setdefault(n, now)
            if nodes and self.interval > 0 and now - last >= self.interval:
                last = now
                print(f"roma-pd: {_minutes(now - start)} in: still running " +
                      ", ".join(f"{n} ({_minutes(now - self._seen[n])})" for n in nodes),
                      file=self.stream or sys.stdout, flush=True)
