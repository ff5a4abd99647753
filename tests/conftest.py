import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Tests start tools in temporary folders: a relative PDK root must not depend on the cwd.
if os.environ.get("ROMA_PDK_ROOT"):
    os.environ["ROMA_PDK_ROOT"] = str(Path(os.environ["ROMA_PDK_ROOT"]).resolve())


@pytest.fixture(scope="session", autouse=True)
def _tool_homes(tmp_path_factory):
    # KLayout and matplotlib write under $HOME; keep the tests' writes in tmp.
    home = tmp_path_factory.mktemp("home")
    os.environ.setdefault("MPLCONFIGDIR", str(home / "mpl"))
    os.environ.setdefault("KLAYOUT_HOME", str(home / "klayout"))


_NO_PDK = "needs the PDK: set ROMA_PDK_ROOT to the folder holding lambdapdk/ (../shared/pdk)"


def pytest_runtest_setup(item):
    # Without the PDK the pure-logic tests still run (a fast unit run); the ones that
    # need it skip, saying why. CI and the README always set ROMA_PDK_ROOT.
    if item.get_closest_marker("pdk") and not os.environ.get("ROMA_PDK_ROOT"):
        pytest.skip(_NO_PDK)


@pytest.fixture(scope="session")
def pdk():
    from roma_pd.pdk import load_pdk
    if not os.environ.get("ROMA_PDK_ROOT"):
        pytest.skip(_NO_PDK)
    return load_pdk()


@pytest.fixture(scope="session")
def tech(pdk):
    return pdk.tech


@pytest.fixture(scope="session")
def tiny_tile(tmp_path_factory, pdk):
    """A tiny standard-ROM tile run once for the session through ``roma-pd run``: a 32 x 8
    StdROM block and a 4-lane compute block (about 75 s). Its exit code, its standard
    output and its job folder."""
    import contextlib
    import io

    import yaml

    from roma_pd.cli import main
    tmp = tmp_path_factory.mktemp("tiny_tile")
    cfg = tmp / "t.yaml"
    cfg.write_text(yaml.safe_dump({"name": "t", "generator": "tile", "density": 0.5,
                                   "params": {"variant": "rom", "depth": 32, "width": 8,
                                              "mant_bits": 11}}))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["run", str(cfg), "--build", str(tmp / "b")])
    return code, out.getvalue(), tmp / "b" / "t" / "job0"
