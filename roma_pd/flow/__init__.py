"""The roma_tile flow: SiliconCompiler tasks, the flowgraph, configs and runs."""
from ._config import TileConfig, load_config
from ._drc import DrcTask
from ._export import ExportTask
from ._flowgraph import STEPS, RomaTileFlow
from ._measure import MetricsTask
from ._place import CoriolisTask, PlaceTask
from ._project import (TILE_FILE, DesignResult, RunResult, build_project, check_job_name,
                       infra_error, run_blocks, run_design, run_status, run_tile)
from ._route import RouteTask, parse_completion, parse_residue, parse_unrouted, read_residue
from ._signals import Interrupted, catch_signals
from ._sta import StaTask, parse_power, parse_slack, sta_script
from ._synth import SynthTask
from ._task import RomaTask

__all__ = ["TileConfig", "load_config", "RomaTileFlow", "STEPS", "RomaTask",
           "SynthTask", "CoriolisTask", "PlaceTask", "RouteTask", "ExportTask", "DrcTask", "StaTask",
           "MetricsTask", "build_project", "run_tile", "run_design", "run_blocks",
           "run_status", "infra_error", "check_job_name",
           "RunResult", "DesignResult", "TILE_FILE", "Interrupted", "catch_signals",
           "parse_unrouted", "parse_residue", "read_residue", "parse_completion", "parse_power", "parse_slack", "sta_script"]
