"""Argument and report helpers shared by the tool commands."""
from __future__ import annotations

import argparse
import os
import sys


from .._io import atomic_write_json as write_json  # noqa: F401  (tools write reports)
from .._errors import RomaError
from .._flowsettings import load_flow_settings
from ..pdk import load_pdk


def parser(prog: str, version: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog)
    p.add_argument("--version", action="version", version=f"{prog} {version}")
    return p


def add_pdk_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pdk-root", default=os.environ.get("ROMA_PDK_ROOT"))


def pdk_from(args):
    return load_pdk(args.pdk_root)


def read_settings(path, prog: str) -> dict:
    """The flow settings file, validated (``FlowSettings``), as plain data; a bad file
    ends the tool with one line naming the file and the key."""
    try:
        return load_flow_settings(path).as_dict()
    except RomaError as exc:
        raise SystemExit(f"{prog}: error: {exc}") from None


def flush() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
