"""The roma_tile flow: SiliconCompiler tasks, the flowgraph, configs and runs."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "._config": ("TileConfig", "load_config"),
    "._drc": ("DrcTask",),
    "._export": ("ExportTask",),
    "._flowgraph": ("STEPS", "RomaTileFlow"),
    "._measure": ("MetricsTask",),
    "._place": ("CoriolisTask", "PlaceTask"),
    "._project": ("TILE_FILE", "DesignResult", "RunResult", "build_project", "check_job_name",
                  "infra_error", "run_blocks", "run_design", "run_status", "run_tile"),
    "._route": ("RouteTask", "parse_completion", "parse_residue", "parse_unrouted",
                "read_residue"),
    "._signals": ("Interrupted", "catch_signals"),
    "._sta": ("StaTask", "parse_power", "parse_slack", "sta_script"),
    "._synth": ("SynthTask",),
    "._task": ("RomaTask",),
})
