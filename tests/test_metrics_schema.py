"""ORFS-style metric names: one per metric, unique, documented (the PDK's layers, no
tools run)."""
import re

from roma_pd.metrics import METRICS_FILE, metric_definitions, metric_names_markdown, \
    orfs_keys, orfs_name, write_metrics
from tests.conftest import REPO


def test_orfs_names(tech):
    defs = metric_definitions(tech)
    names = [m.orfs for m in defs]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z]+__[a-z_]+__[a-z0-9_]+", n) for n in names)
    assert "__roma__" not in " ".join(names), "every metric has a chosen ORFS key"
    by_name = {m.name: m.orfs for m in defs}
    assert by_name["wirelength"] == "detailedroute__route__wirelength"
    assert by_name["stdcell_area"] == "finish__design__instance__area"
    assert by_name["wl_m2"] == "detailedroute__route__wirelength__m2"
    assert by_name["drc_v1"] == "finish__drc__violations__v1"


def test_unmapped_metric_gets_a_stage():
    assert orfs_name("new_thing", "route") == "detailedroute__roma__new_thing"
    assert orfs_name("other", "sta") == "finish__roma__other"


def test_metrics_json_has_both_names_and_units(tech, tmp_path):
    defs = metric_definitions(tech)
    row = {"wirelength": 12.5, "cells": 40, "opens": None, "design": "d"}
    path = write_metrics(row, tmp_path / METRICS_FILE, defs)
    import json
    data = json.loads(path.read_text())
    assert data["detailedroute__route__wirelength"] == 12.5 and data["wirelength"] == 12.5
    assert data["synth__design__instance__count"] == 40
    assert "finish__connectivity__opens" not in data     # unmeasured stays missing
    assert data["units"]["detailedroute__route__wirelength"] == "um"
    assert data["units"]["averagepower"] == data["units"]["finish__power__total"] == "mw"
    assert orfs_keys({}, defs).keys() == {"units"}


def test_docs_table_is_current(tech):
    doc = (REPO / "docs" / "METRICS.md").read_text()
    assert doc.endswith(metric_names_markdown(metric_definitions(tech))), \
        "regenerate with: python -m roma_pd.metrics > docs/METRICS.md"
