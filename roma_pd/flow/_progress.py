"""A sign of life during long steps: SiliconCompiler prints a line when a node starts
and when it finishes, and nothing in between (a 20K-cell route is silent for minutes).
The heartbeat names each running node, its elapsed time and the step's own progress,
read from the tail of its tool log."""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path

__all__ = ["Heartbeat", "running_nodes", "step_progress"]

# Progress lines: our Coriolis wrapper's repair rounds, Coriolis' own stage lines
# ("route0 |   o  Running Negociate Algorithm"), Yosys' numbered passes.
_ROUND = re.compile(r"^roma-pd-coriolis: (?:route )?(round \d+)")
_STAGE = re.compile(r"\|\s+o\s+(?!LEF:)(\S.*?)[.:]?\s*$")
_PASS = re.compile(r"^\d+(?:\.\d+)*\. Executing (.+?)\.?\s*$")
_TAIL = 64 * 1024


def step_progress(node: Path) -> str | None:
    """What the tool of a node folder (``<step>/<index>``) is doing now, from its log:
    ``round 1, Negociation Stage`` (Coriolis), ``ABC pass`` (Yosys); None when the
    log says nothing of that kind yet."""
    log = Path(node) / f"{Path(node).parent.name}.log"
    try:
        with open(log, "rb") as f:
            f.seek(max(0, f.seek(0, 2) - _TAIL))
            lines = f.read().decode(errors="replace").splitlines()
    except OSError:
        return None
    stage = round_ = None
    for line in reversed(lines):
        if stage is None and (m := _STAGE.search(line) or _PASS.match(line)):
            stage = m.group(1).rstrip(". :")
        if m := _ROUND.match(line):
            round_ = m.group(1)
            break
    parts = [p for p in (round_, stage) if p]
    return ", ".join(parts) if parts else None


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

        from rich.console import Console
        console = Console(file=self.stream or sys.stdout, highlight=False, soft_wrap=True)
        start = last = time.monotonic()
        while not self._stop.wait(self.poll):
            now = time.monotonic()
            nodes = self.running = running_nodes(self.jobdir)
            for n in nodes:
                self._seen.setdefault(n, now)
            if nodes and self.interval > 0 and now - last >= self.interval:
                last = now
                console.print(f"roma-pd: {_minutes(now - start)} in: still running " +
                              ", ".join(self._describe(n, now) for n in nodes),
                              markup=False)

    def _describe(self, node: str, now: float) -> str:
        doing = step_progress(self.jobdir / node)
        return f"{node} ({_minutes(now - self._seen[node])}" + \
            (f": {doing})" if doing else ")")
