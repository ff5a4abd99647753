"""Base class of the roma_tile tasks: tool lookup, PDK hand-off and metric recording."""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

from siliconcompiler.asic import ASICTask

from ..data import FLOWS
from ..pdk import PDK_ENV

__all__ = ["RomaTask", "WRAPPER_ERROR", "YOSYS_ERROR", "CORIOLIS_ERROR", "STA_ERROR"]

# The error line of each tool, written once: the tasks' log scan (``error_regex``), the
# failure quote (``_project._failure``) and the result/infrastructure split
# (``_project.infra_error``) are built from these.
WRAPPER_ERROR = r"roma-pd-\w+: error: .*"     # our console scripts' one-line error
YOSYS_ERROR = r"ERROR: .*"    # "ERROR: Syntax error in liberty file on line 6455."
# Coriolis 2.5.4 reports its own config type slip (etesian.latchUpDistance) as an
# [ERROR] on every run; it changes nothing.
CORIOLIS_ERROR = r"\[ERROR\](?! Accessing string parameter).*"
STA_ERROR = r"Error: .*"      # OpenSTA; ``sta -exit`` returns 0 after errors

# The tool wrappers are console scripts installed beside the running Python.
_BIN = os.path.dirname(sys.executable)
SETTINGS = FLOWS / "roma_tile.yaml"


@functools.lru_cache(maxsize=4)
def _pdk(root: str | None):
    from ..pdk import load_pdk
    return load_pdk(root)


def _adopt(project, root: str | None) -> None:
    """What roma-pd's own projects get in ``build_project``, for a project built
    without it: our metrics in its schema, its libraries' lambdapdk data at the PDK
    root (``var pdk_root`` or $ROMA_PDK_ROOT; unset: lambdapdk's own download)."""
    _install_metrics(project, root)
    pdk = _pdk(root)
    for lib in project.getkeys("library"):
        pdk.point_at(project.get_library(lib))


def _install_metrics(project, root: str | None) -> None:
    """Our metrics in ``project``'s schema if they are not there yet (the PDK is read
    only then: its metals and cuts name the per-layer metrics)."""
    from ..metrics import install_metrics
    if "drc_violations" not in project.get("metric", field="schema").getkeys():
        install_metrics(project, _pdk(root).tech)


class RomaTask(ASICTask):
    """A roma_tile step. Subclasses set ``exe`` and ``task_name`` and extend the hooks."""
    exe: str = ""
    tool_name: str = "roma"
    task_name: str = ""
    min_version: str | None = None
    error_regex = rf"^(\[ERROR\]|Error|{YOSYS_ERROR}|Traceback|{WRAPPER_ERROR})"
    #: warning lines the tool prints on every run that say nothing about the design
    harmless_warnings: tuple[str, ...] = ()

    def __init__(self):
        super().__init__()
        self.add_parameter("pdk_root", "str", "folder holding lambdapdk/asap7 "
                           f"(${PDK_ENV}); empty for lambdapdk's own resolution")
        self.add_parameter("top", "str", "top module of this node's block (a flow can "
                           "carry several blocks, one per index)")

    @property
    def top(self) -> str:
        return self.get("var", "top") or self.design_topmodule

    def tool(self):
        # Prefixed: SiliconCompiler keys tasks by tool/task, and its own klayout/export
        # (loaded by targets such as asap7_demo) must not meet ours in one project.
        return f"roma_{self.tool_name}"

    def task(self):
        return self.task_name

    def parse_version(self, stdout):
        # "roma-pd-coriolis 2.5.4" -> "2.5.4"; OpenSTA prints the bare version.
        return stdout.strip().split()[-1]

    def setup(self):
        super().setup()
        self.set_exe(self.exe, vswitch="--version" if self.exe.startswith("roma-pd")
                     else "-version")
        if self.exe.startswith("roma-pd"):
            self.set_path(_BIN)
        if self.min_version:
            self.add_version(self.min_version)
        # Every engine here runs on one thread; declaring so lets SiliconCompiler's
        # scheduler run as many nodes side by side as there are cores (its default
        # claims all cores per node and runs a sweep round serially).
        self.set_threads(1)
        root = self.get("var", "pdk_root")
        if root:
            self.set_environmentalvariable(PDK_ENV, root)
        self.add_regex("errors", self.error_regex)
        self.add_regex("warnings", r"^(\[WARNING\]|Warning|WARNING)")
        for notice in self.harmless_warnings:      # SiliconCompiler's grep-style -v
            self.add_regex("warnings", f"-v {notice}")
        # A project built without roma-pd (its own ASIC, set_flow(RomaTileFlow())):
        # our metrics are recorded, summarized and kept in its manifest with units.
        _adopt(self.project, root or None)

    def default_settings(self) -> None:
        """``var settings`` defaults to this package's flows/roma_tile.yaml."""
        if not self.get("var", "settings"):
            self.set("var", "settings", str(SETTINGS))

    def post_process(self):
        # A node started from its manifest alone (a Slurm job runs SiliconCompiler's
        # run_node) has a schema without our metrics, since setup() ran where the job
        # was submitted: every record would be refused ("is not a valid metric").
        _install_metrics(self.project, self.get("var", "pdk_root") or None)
        super().post_process()

    # -- recording -------------------------------------------------------------------
    def record(self, name: str, value, source: str, unit: str | None = None) -> None:
        """Record one metric; a value the report did not give is left unset, not zero."""
        if value is None:
            self.logger.warning(f"{source} gives no value for metric {name}")
            return
        self.record_metric(name, value, source_file=source, source_unit=unit)

    def read_report(self, path: str) -> dict | None:
        if not Path(path).is_file():
            self.logger.warning(f"report {path} is missing")
            return None
        return json.loads(Path(path).read_text())

    def log_text(self) -> str:
        log = Path(f"{self.step}.log")
        return log.read_text(errors="replace") if log.is_file() else ""
