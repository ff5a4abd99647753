"""Sweeps: variants x sizes, each block searched for its minimum routable area."""
from ._runner import Block, block_name, current_rows, plan_blocks, run_sweep, sweep_dir, verdict_of
from ._search import best_density, next_density
from ._spec import SchedulerSpec, SearchSpec, SweepSpec, load_sweep

__all__ = ["SweepSpec", "SearchSpec", "SchedulerSpec", "load_sweep", "Block",
           "plan_blocks", "block_name", "run_sweep", "current_rows", "sweep_dir", "verdict_of",
           "next_density",
           "best_density"]
