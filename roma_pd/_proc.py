"""Running a tool process with a timeout that ends it and whatever it started."""
from __future__ import annotations

import os
import signal
import subprocess

from ._errors import RomaError

__all__ = ["run_tool"]


def run_tool(cmd: list[str], tool: str, timeout_s: float, hint: str = "timeout_s",
             **popen) -> subprocess.CompletedProcess:
    """``subprocess.run`` for a tool: after ``timeout_s`` seconds (or on an interrupt) the
    tool's whole process group is killed, so no child of it lives on.

    Raises
    ------
    RomaError
        The tool ran past ``timeout_s``; the message names the tool, the timeout and
        ``hint`` (the setting that raises it).
    """
    # its own session: the kill reaches the tool's children too
    proc = subprocess.Popen(cmd, start_new_session=True, **popen)
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise RomaError(f"tool {tool} timed out after {timeout_s:g} s and was stopped; "
                        f"raise {hint} if it needs longer") from None
    except BaseException:
        _kill(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
