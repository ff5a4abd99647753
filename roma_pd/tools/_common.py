"""Argument and report helpers shared by the tool commands."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import yaml

from ..pdk import load_pdk


def parser(prog: str, version: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog)
    p.add_argument("--version", action="version", version=f"{prog} {version}")
    return p


def add_pdk_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pdk-root", default=os.environ.get("ROMA_PDK_ROOT"))


def pdk_from(args):
    return load_pdk(args.pdk_root)


def read_yaml(path) -> dict:
    with open(path) as f:
        return yaml.safe_load(f) or {}


def write_json(path, data) -> None:
    """Write JSON through a temporary file, so a crash leaves no half-written report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)


def flush() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
