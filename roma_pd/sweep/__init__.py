"""Sweeps: variants x sizes, each block searched for its minimum routable area."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "._runner": ("Block", "SweepRun", "block_name", "block_verdicts", "current_rows",
                 "reported_rows", "density_rates", "missing_placements", "passes",
                 "pending_blocks", "plan_blocks", "round_points", "run_sweep",
                 "density_residue", "search_next", "search_starts", "sweep_dir",
                 "verdict_of"),
    "._claims": ("PAPER_LUNIT_SAVING", "area_fits", "claim_savings",
                 "compute_density_spread"),
    "._cost": ("SweepCost", "busy_seconds", "sweep_cost"),
    "._minima": ("block_minima", "complete_widths", "unroutable_blocks"),
    "._search": ("best_density", "next_density"),
    "._spec": ("SchedulerSpec", "SearchSpec", "SweepSpec", "load_sweep"),
    "._tiles": ("VARIANT_BLOCKS", "tile_table"),
})
