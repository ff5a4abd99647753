"""The README's SiliconCompiler example: a user's own ASIC project runs roma_tile beside
SiliconCompiler's asap7_demo target, with our metrics in its summary and manifest."""
import io
import re

import pytest

from tests.conftest import REPO


def _example() -> str:
    text = (REPO / "README.md").read_text()
    section = text.split("### In your own SiliconCompiler project", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S)[1]


def test_example_names_our_flow():
    code = _example()
    assert "asap7_demo(project)" in code and "set_flow(RomaTileFlow())" in code


@pytest.mark.eda
def test_readme_example_runs(tmp_path, monkeypatch, pdk):
    monkeypatch.chdir(REPO)         # the example's paths are the repository's
    code = _example().replace('set_builddir("build")', f'set_builddir("{tmp_path}")')
    code = code.replace("project.summary()", "")
    scope = {}
    exec(compile(code, "README.md", "exec"), scope)
    project = scope["project"]
    history = project.history("job0")
    assert history.get("metric", "drc_violations", step="drc", index="0") is not None
    assert history.get("metric", "unrouted_nets", step="route", index="0") == 0
    assert history.get("metric", "opens", step="metrics", index="0") == 0
    assert history.get("metric", "core_area", field="unit") == "um^2"
    assert history.get("metric", "wl_m2", field="unit") == "um"
    assert history.get("metric", "setupslack", step="sta", index="0") < 1.0  # SDC: 1 GHz
    out = io.StringIO()
    project.summary(fd=out)
    assert "unrouted_nets" in out.getvalue() and "drc_violations" in out.getvalue()
    assert (tmp_path / "accum" / "job0" / "export" / "0" / "outputs" /
            "accum_pipe.gds").is_file()
