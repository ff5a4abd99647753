"""Sweeps: variants x sizes, each block searched for its minimum routable area."""
from ._runner import Block, SweepRun, block_name, block_verdicts, current_rows, \
    reported_rows, \
    density_rates, missing_placements, passes, pending_blocks, plan_blocks, run_sweep, \
    sweep_dir, verdict_of
from ._claims import PAPER_LUNIT_SAVING, area_fits, claim_savings, compute_density_spread
from ._minima import block_minima, complete_widths
from ._search import best_density, next_density
from ._spec import SchedulerSpec, SearchSpec, SweepSpec, load_sweep
from ._tiles import VARIANT_BLOCKS, tile_table

__all__ = ["SweepSpec", "SearchSpec", "SchedulerSpec", "load_sweep", "Block", "SweepRun",
           "plan_blocks", "block_name", "run_sweep", "current_rows", "reported_rows", "sweep_dir", "verdict_of",
           "passes", "density_rates", "block_verdicts", "missing_placements",
           "pending_blocks", "next_density", "best_density", "tile_table", "VARIANT_BLOCKS",
           "block_minima", "complete_widths", "PAPER_LUNIT_SAVING", "claim_savings",
           "compute_density_spread", "area_fits"]
