"""Rerunning part of a job: ``--from STEP`` / ``--to STEP`` through SiliconCompiler's
``option from`` / ``option to``, which keeps the nodes outside that span from the job's
earlier run."""
from __future__ import annotations

from pathlib import Path

from .._errors import RomaError
from ._flowgraph import STEPS

__all__ = ["steps_to_run", "check_resume"]


def _step_wrong(flag: str, step: str) -> RomaError:
    return RomaError(f"{flag} must be one of {', '.join(STEPS)}, not {step!r}")


def steps_to_run(flow, from_step: str | None = None,
                 to_step: str | None = None) -> list[str]:
    """The steps a run with ``from_step``/``to_step`` executes, in flow order (the
    span SiliconCompiler's runtime flowgraph computes)."""
    from siliconcompiler.flowgraph import RuntimeFlowgraph
    for flag, step in (("--from", from_step), ("--to", to_step)):
        if step is not None and step not in STEPS:
            raise _step_wrong(flag, step)
    runtime = RuntimeFlowgraph(flow, from_steps=[from_step] if from_step else None,
                               to_steps=[to_step] if to_step else None)
    ran = {step for step, _ in runtime.get_nodes()}
    if not ran:
        raise RomaError(f"--from {from_step} --to {to_step}: no step lies between them; "
                        f"the steps run in the order {' -> '.join(STEPS)}")
    return [s for s in STEPS if s in ran]


def check_resume(flow, jobdir: Path, design: str, from_step: str,
                 to_step: str | None = None) -> None:
    """Refuse ``--from`` unless every node the rerun reads from has finished in this job:
    its output manifest (``<step>/<index>/outputs/<design>.pkg.json``) is there.

    Raises
    ------
    RomaError
        One line naming the first missing step and its folder.
    """
    from siliconcompiler.flowgraph import RuntimeFlowgraph
    steps_to_run(flow, from_step, to_step)
    runtime = RuntimeFlowgraph(flow, from_steps=[from_step],
                               to_steps=[to_step] if to_step else None)
    rerun = set(runtime.get_nodes())
    needed = sorted({tuple(node) for step, index in rerun
                     for node in flow.get(step, index, "input")} - rerun,
                    key=lambda n: (STEPS.index(n[0]), int(n[1])))
    for step, index in needed:
        outputs = Path(jobdir) / step / index / "outputs"
        if not (outputs / f"{design}.pkg.json").is_file():
            raise RomaError(f"--from {from_step}: step {step} has not finished in job "
                            f"{Path(jobdir).name} ({outputs} has no results); run the "
                            "job without --from first")
