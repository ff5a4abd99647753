"""The liberty time unit is read from the liberty, not assumed."""
import gzip

import pytest

from roma_pd import RomaError
from roma_pd.pdk._liberty import liberty_time_unit_ns

HEADER = 'library (x) {\n  delay_model : table_lookup;\n  time_unit : "{unit}";\n' \
         '  voltage_unit : "1V";\n  cell (A) { area : 1; }\n}\n'


@pytest.mark.parametrize("unit, ns", [("1ps", 0.001), ("1ns", 1.0), ("10ps", 0.01)])
def test_time_unit(tmp_path, unit, ns):
    lib = tmp_path / "x.lib.gz"
    with gzip.open(lib, "wt") as f:
        f.write(HEADER.replace("{unit}", unit))
    assert liberty_time_unit_ns(lib) == ns


def test_asap7_is_ps(pdk):
    assert pdk.time_unit_ns == 0.001


def test_time_unit_wrong(tmp_path):
    lib = tmp_path / "x.lib"
    lib.write_text(HEADER.replace("{unit}", "1fortnight"))
    with pytest.raises(RomaError, match=r"^liberty .*x\.lib: time_unit must be one of "
                                        r"\['100ps', '10ps', '1ns', '1ps', '1us'\], not "
                                        r"'1fortnight'$"):
        liberty_time_unit_ns(lib)
    lib.write_text("garbage {{ ;;")
    with pytest.raises(RomaError, match=r"^liberty .*x\.lib: cannot be read "
                                        r"\(ExceptionWithLineNum\); set ROMA_PDK_ROOT to a "
                                        r"complete lambdapdk copy$"):
        liberty_time_unit_ns(lib)


@pytest.mark.pdk
def test_sta_gets_the_liberty_unit(tmp_path):
    # a liberty in ns: the StaTask scales periods by 1, not by 1000
    from roma_pd.flow import StaTask, build_project, load_config
    from roma_pd.pdk import load_pdk
    pdk = load_pdk()
    pdk.__dict__["time_unit_ns"] = 1.0       # as if the liberty said "1ns"
    proj = build_project(load_config({"name": "u", "generator": "mac",
                                      "params": {"a_width": 2, "b_width": 2,
                                                 "acc_width": 4}}), pdk, tmp_path, "j")
    task = StaTask.find_task(proj)
    assert task.get("var", "time_unit_ns", step="sta", index="0") == 1.0
