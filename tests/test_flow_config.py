import pytest

from roma_pd import RomaError
from roma_pd.flow import load_config
from tests.conftest import REPO


def _cfg(tmp_path, text):
    path = tmp_path / "t.yaml"
    path.write_text(text)
    return path


def test_default_tile():
    cfg = load_config(REPO / "designs" / "mac.yaml")
    assert (cfg.name, cfg.generator, cfg.density, cfg.clock_period_ns) == ("mac8", "mac", 0.6,
                                                                          2.0)
    assert cfg.flow_settings().resolve() == (REPO / "flows" / "roma_tile.yaml").resolve()


def test_density_defaults():
    assert load_config({"name": "t", "generator": "mac"}).density == 0.5
    cfg = load_config({"name": "t", "generator": "mac", "core_area": 100.0})
    assert cfg.density is None and cfg.core_area == 100.0


@pytest.mark.parametrize("text, message", [
    ("name: t\ngenerator: mac\ndensty: 0.5\n",
     r"t\.yaml: densty: unknown key; allowed keys are name, generator, params, source, top, "
     r"include_dirs, defines, sdc, density, core_area, aspect_ratio, clock_period_ns, "
     r"activity, top_layer, flow, timeout_s"),
    ("name: t\ngenerator: mac\ndensity: 1.5\n",
     r"t\.yaml: density: Input should be less than or equal to 1, not 1\.5"),
    ("name: t\ngenerator: mac\nclock_period_ns: -2\n",
     r"t\.yaml: clock_period_ns: Input should be greater than 0, not -2"),
    ("name: t\ngenerator: rom\n",
     r"t\.yaml: generator: must be one of \['brom', 'compute', 'logicrom', 'lunit', 'mac', "
     r"'stdrom', 'tile'\], not 'rom'"),
    ("name: 9t\ngenerator: mac\n", r"t\.yaml: name: must be an identifier, not '9t'"),
    ("generator: mac\n", r"t\.yaml: name: Field required"),
    ("name: t\ngenerator: mac\ndensity: 0.5\ncore_area: 20\n",
     r"t\.yaml: give density or core_area, not both"),
    ("name: t\ngenerator: mac\nparams: {lanes: 0}\n",
     r"t\.yaml: params: lanes must be a positive integer, not 0"),
    ("name: t\ngenerator: mac\ntop_layer: M1\n",
     r"t\.yaml: top_layer: must be a routing metal M2\.\.M9, not 'M1'"),
    ("name: [t\n", r"t\.yaml: line 2: not valid YAML"),
    ("- a\n- b\n", r"t\.yaml: must be a mapping of keys to values"),
])
def test_config_wrong(tmp_path, text, message):
    with pytest.raises(RomaError, match=r"^.*" + message + "$"):
        load_config(_cfg(tmp_path, text))


def test_missing_file_wrong(tmp_path):
    with pytest.raises(RomaError, match=r"^.*nope\.yaml: no such config file$"):
        load_config(tmp_path / "nope.yaml")


def test_flow_wrong():
    cfg = load_config({"name": "t", "generator": "mac", "flow": "fast"})
    with pytest.raises(RomaError, match=r"^flow: settings file '.*flows/fast\.yaml' not "
                                        r"found; use a name under flows/ or a path to a "
                                        r"\.yaml file$"):
        cfg.flow_settings()


@pytest.mark.parametrize("params, message", [
    ("{generator: stdrom, params: {depth: 1048576, width: 32}}",
     r"params: depth x width must be at most 131072 ROM bits \(512 x 256: about 80K cells, "
     r"the most the flow places and routes on this machine, in hours\), not 1048576 x 32 = "
     r"33554432$"),
    ("{generator: tile, params: {variant: fused, depth: 1024, width: 256}}",
     r"params: depth x width must be at most 131072 ROM bits \(512 x 256: about 80K cells, "
     r"the most the flow places and routes on this machine, in hours\), not 1024 x 256 = "
     r"262144$"),
    ("{generator: mac, params: {lanes: 1000}}",
     r"params: a_width x b_width x lanes must be at most 8192 partial-product bits \(128 "
     r"lanes of 8 x 8: about 80K cells, the most the flow places and routes on this machine, "
     r"in hours\), not 8 x 8 x 1000 = 64000$"),
])
def test_size_guard_wrong(tmp_path, params, message):
    import time
    import yaml
    cfg = {"name": "big", **yaml.safe_load(params)}
    start = time.monotonic()
    with pytest.raises(RomaError, match=r"^.*t\.yaml: " + message):
        load_config(_cfg(tmp_path, yaml.safe_dump(cfg)))
    assert time.monotonic() - start < 5      # refused before any RTL is built


def test_size_guard_keeps_the_default_sweep():
    from roma_pd.sweep import load_sweep
    spec = load_sweep(REPO / "designs" / "sweeps" / "default.yaml")
    assert max(spec.depths) * max(spec.widths) == 512 * 256


def test_name_length_wrong(tmp_path):
    with pytest.raises(RomaError, match=r"^.*t\.yaml: name: must be at most 64 characters \(it "
                                        r"names folders and files\), not 300 characters$"):
        load_config(_cfg(tmp_path, f"name: {'a' * 300}\ngenerator: mac\n"))


def _source_tree(tmp_path):
    (tmp_path / "rtl" / "inc").mkdir(parents=True)
    for name in ("a.v", "b.sv", "inc/defs.vh", "x.il"):
        (tmp_path / "rtl" / name).write_text("// test\n")
    (tmp_path / "c.sdc").write_text("create_clock -period 1000 [get_ports ck]\n")


def test_source_config(tmp_path):
    _source_tree(tmp_path)
    cfg = load_config(_cfg(tmp_path, "name: t\nsource: [rtl/a.v, rtl/b.sv]\ntop: a\n"
                                     "include_dirs: [rtl/inc]\ndefines: {W: 8, FAST: null}\n"
                                     "sdc: c.sdc\n"))
    assert cfg.source == [str(tmp_path / "rtl" / "a.v"), str(tmp_path / "rtl" / "b.sv")]
    assert cfg.include_dirs == [str(tmp_path / "rtl" / "inc")]
    assert cfg.sdc == str(tmp_path / "c.sdc")
    assert cfg.define_list() == ["W=8", "FAST"]
    assert (cfg.top_module, cfg.rtl_kind, cfg.generator) == ("a", "source", None)
    assert cfg.blocks() == ([cfg], None)
    one = load_config(_cfg(tmp_path, "name: t\nsource: rtl/x.il\n"))
    assert one.source == [str(tmp_path / "rtl" / "x.il")] and one.top_module == "t"


def test_example_source_config():
    cfg = load_config(REPO / "designs" / "byod.yaml")
    assert cfg.top_module == "accum_pipe" and len(cfg.source) == 2 and cfg.sdc
    assert cfg.clock_ports() == ["clk_core"]


@pytest.mark.parametrize("sdc, ports", [
    ("create_clock -period 1000 [get_ports ck]\n", ["ck"]),
    ("create_clock -name a -period 5 [get_ports {ck_a ck_b}]\n"
     "create_clock -name b -period 9 [get_ports ck_a] ;# again\n"
     "# create_clock -period 1 [get_ports commented]\n"
     "set_input_delay 1 -clock a [get_ports din]\n", ["ck_a", "ck_b"]),
    ("create_clock -name virt -period 1000\n", []),
])
def test_clock_ports_come_from_the_sdc(tmp_path, sdc, ports):
    _source_tree(tmp_path)
    (tmp_path / "c.sdc").write_text(sdc)
    cfg = load_config(_cfg(tmp_path, "name: t\nsource: rtl/a.v\nsdc: c.sdc\n"))
    assert cfg.clock_ports() == ports
    assert load_config(_cfg(tmp_path, "name: t\nsource: rtl/a.v\n")).clock_ports() == \
        ["clk"]


@pytest.mark.parametrize("text, message", [
    ("name: t\n",
     r"t\.yaml: give generator: \(one of \['brom', 'compute', 'logicrom', 'lunit', 'mac', "
     r"'stdrom', 'tile'\]\) with its params:, or source: \(your Verilog or RTLIL files\) "
     r"with top:"),
    ("name: t\ngenerator: mac\nsource: rtl/a.v\n",
     r"t\.yaml: give generator: or source:, not both"),
    ("name: t\ngenerator: mac\nsdc: c.sdc\n",
     r"t\.yaml: sdc: belongs to a source: config \(your own RTL\); a generator: config "
     r"names its top module after name: and clocks port clk at clock_period_ns"),
    ("name: t\ngenerator: mac\ntop: a\n",
     r"t\.yaml: top: belongs to a source: config \(your own RTL\); a generator: config "
     r"names its top module after name: and clocks port clk at clock_period_ns"),
    ("name: t\nsource: rtl/a.v\nparams: {lanes: 2}\n",
     r"t\.yaml: params: belongs to a generator: config; a source: config takes top:, "
     r"include_dirs:, defines: and sdc:"),
    ("name: t\nsource: rtl/nope.v\n",
     r"t\.yaml: source: no such file 'rtl/nope\.v' \(looked for '.*/rtl/nope\.v'\)"),
    ("name: t\nsource: rtl/a.vhd\n",
     r"t\.yaml: source: must be Verilog \(\.v\), SystemVerilog \(\.sv\) or RTLIL \(\.il\) "
     r"files, not 'rtl/a\.vhd'"),
    ("name: t\nsource: [rtl/x.il, rtl/a.v]\n",
     r"t\.yaml: source: an RTLIL source must be the only file, not \['rtl/x\.il', "
     r"'rtl/a\.v'\]"),
    ("name: t\nsource: []\n", r"t\.yaml: source: must name at least one file"),
    ("name: t\nsource: rtl/a.v\ninclude_dirs: [nope]\n",
     r"t\.yaml: include_dirs: no such folder 'nope' \(looked for '.*/nope'\)"),
    ("name: t\nsource: rtl/a.v\nsdc: nope.sdc\n",
     r"t\.yaml: sdc: no such file 'nope\.sdc' \(looked for '.*/nope\.sdc'\)"),
    ("name: t\nsource: rtl/a.v\ntop: 9a\n", r"t\.yaml: top: must be an identifier, not '9a'"),
])
def test_source_config_wrong(tmp_path, text, message):
    _source_tree(tmp_path)
    with pytest.raises(RomaError, match=r"^.*" + message + "$"):
        load_config(_cfg(tmp_path, text))
