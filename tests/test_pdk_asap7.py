import re

import pytest

from roma_pd import RomaError
from roma_pd.pdk import load_pdk


def test_files(pdk):
    assert [p.name for p in pdk.liberty_files] == [
        f"asap7sc7p5t_{k}_RVT_TT_nldm.lib.gz" for k in ("AO", "INVBUF", "OA", "SEQ", "SIMPLE")]
    for path in (pdk.tech_lef, pdk.cell_lef, pdk.cell_gds, pdk.cell_cdl, pdk.lyp, pdk.lyt,
                 pdk.layermap):
        assert path.is_file(), path
    assert pdk.tie_cells == ("TIEHIx1_ASAP7_75t_R", "TIELOx1_ASAP7_75t_R")
    assert pdk.cell("BUFx2") == "BUFx2_ASAP7_75t_R"


def test_root_wrong(tmp_path):
    msg = (f"ROMA_PDK_ROOT='{tmp_path}' does not hold "
           "lambdapdk/asap7/base/apr/asap7_tech.lef; set it to the folder that contains "
           "lambdapdk/ (for example ../shared/pdk)")
    with pytest.raises(RomaError, match="^" + re.escape(msg) + "$"):
        load_pdk(tmp_path)


def test_env_wrong(tmp_path, monkeypatch):
    monkeypatch.setenv("ROMA_PDK_ROOT", str(tmp_path / "missing"))
    msg = (f"ROMA_PDK_ROOT='{tmp_path / 'missing'}' does not hold "
           "lambdapdk/asap7/base/apr/asap7_tech.lef; set it to the folder that contains "
           "lambdapdk/ (for example ../shared/pdk)")
    with pytest.raises(RomaError, match="^" + re.escape(msg) + "$"):
        load_pdk()


def test_incomplete_wrong(tmp_path, pdk):
    # A copy with the tech LEF but no libraries.
    apr = tmp_path / "lambdapdk" / "asap7" / "base" / "apr"
    apr.mkdir(parents=True)
    (apr / "asap7_tech.lef").write_text(pdk.tech_lef.read_text())
    lib = "lambdapdk/asap7/libs/asap7sc7p5t_rvt/nldm/asap7sc7p5t_AO_RVT_TT_nldm.lib.gz"
    msg = (f'ASAP7 files could not be resolved (Could not find "{lib}" in lambdapdk '
           f"[fileset,models.timing.typical.nldm.AO,file,liberty]: {tmp_path}); set "
           "ROMA_PDK_ROOT to the folder that contains lambdapdk/")
    with pytest.raises(RomaError, match="^" + re.escape(msg) + "$"):
        load_pdk(tmp_path)
