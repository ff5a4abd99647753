"""One run as one row: every metric from the step that records it, plus the run's
settings, status and runtimes. Written as JSON beside the SiliconCompiler manifest."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from .._io import atomic_write_json

__all__ = ["METRICS_FILE", "collect_run", "write_metrics", "load_metrics", "orfs_keys",
           "metric_names_markdown", "write_text_metrics", "TEXT_METRICS"]

METRICS_FILE = "roma_metrics.json"


TEXT_METRICS = "reports/text_metrics.json"


def write_text_metrics(values: dict, node: Path = Path(".")) -> Path:
    """A step's text metrics (a path's start and end point), beside its reports:
    SiliconCompiler's ``summary()`` formats every schema metric as a number, so text
    stays out of the schema."""
    return atomic_write_json(Path(node) / TEXT_METRICS, values)


def collect_run(history, steps: list[str], definitions, index: str = "0",
                jobdir: Path | None = None) -> dict:
    """Read ``definitions`` (list of Metric) and per-step runtimes of flowgraph index
    ``index`` from a finished job's manifest (``project.history(job)``), text metrics
    from their steps' ``reports/text_metrics.json`` under ``jobdir``; missing values
    stay missing (None)."""
    row = {}
    for metric in definitions:
        if metric.type == "str":
            row[metric.name] = _text_metric(jobdir, metric, index)
            continue
        row[metric.name] = history.get("metric", metric.name, step=metric.step, index=index)
    for step in steps:
        row[f"status_{step}"] = history.get("record", "status", step=step, index=index)
        row[f"time_{step}"] = history.get("metric", "tasktime", step=step, index=index)
        row[f"memory_{step}"] = history.get("metric", "memory", step=step, index=index)
        version = history.get("record", "toolversion", step=step, index=index)
        if version:
            row[f"version_{step}"] = version
    times = [row[f"time_{s}"] for s in steps if row[f"time_{s}"] is not None]
    row["time_total"] = sum(times) if times else None
    return row


def _text_metric(jobdir: Path | None, metric, index: str):
    path = Path(jobdir) / metric.step / index / TEXT_METRICS if jobdir else None
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text()).get(metric.name)
    except (ValueError, AttributeError):
        return None


def orfs_keys(row: dict, definitions) -> dict:
    """Each metric of ``row`` also under its ORFS-style key, and ``units``: the unit of
    every metric under both names ('' for counts and ratios)."""
    out = {m.orfs: row[m.name] for m in definitions if row.get(m.name) is not None}
    units = {}
    for m in definitions:
        units[m.name] = units[m.orfs] = m.unit
    return {**out, "units": units}


def write_metrics(row: dict, path: Path, definitions=None) -> Path:
    """Write ``row`` atomically (a reader never sees a half-written file); with
    ``definitions``, each metric also under its ORFS-style key, with units."""
    if definitions is not None:
        row = {**row, **orfs_keys(row, definitions)}
    return atomic_write_json(path, row)


def metric_names_markdown(definitions) -> str:
    """The table of every metric: our name, the ORFS-style key, unit, step, meaning."""
    lines = ["| metric | ORFS-style key | unit | step | meaning |", "|---|---|---|---|---|"]
    lines += [f"| `{m.name}` | `{m.orfs}` | {m.unit or '-'} | {m.step} | "
              f"{m.help.replace('|', '/')} |" for m in definitions]
    return "\n".join(lines) + "\n"


def load_metrics(run: str | os.PathLike) -> pd.DataFrame:
    """The metrics of a run (its folder or its JSON file) as a one-row DataFrame."""
    path = Path(run)
    if path.is_dir():
        found = sorted(path.rglob(METRICS_FILE))
        if not found:
            raise FileNotFoundError(f"{path} holds no {METRICS_FILE}; is it a roma-pd run "
                                    "folder?")
        path = found[0]
    try:
        row = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a valid metrics file ({exc.__class__.__name__}); "
                         "rerun the job to rewrite it") from None
    if not isinstance(row, dict):
        raise ValueError(f"{path}: not a valid metrics file (not a JSON object); rerun "
                         "the job to rewrite it")
    return pd.DataFrame([row])
