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


@pytest.fixture(scope="session")
def pdk():
    from roma_pd.pdk import load_pdk
    if not os.environ.get("ROMA_PDK_ROOT"):
        pytest.fail("set ROMA_PDK_ROOT to the folder holding lambdapdk/ (../shared/pdk)")
    return load_pdk()


@pytest.fixture(scope="session")
def tech(pdk):
    return pdk.tech
