import re

import pytest

from roma_pd.pdk import read_tech_facts

TECH = """VERSION 5.8 ;
UNITS
  DATABASE MICRONS 2000 ;
END UNITS
LAYER M1
  TYPE ROUTING ;
  DIRECTION VERTICAL ;
  PITCH 0.040 ;
  WIDTH 0.020 ;
  SPACING 0.5 RANGE 0.1 1.0 ;
  SPACING 0.021 ENDOFLINE 0.03 WITHIN 0.01 ;
  PROPERTY LEF58_PITCH "PITCH 0.999 ;" ;
  PROPERTY LEF58_SPACING "SPACING 0.777 ;" ;
  SPACING 0.019 ; # min spacing
  AREA 0.0008 ;
END M1
LAYER V1
  TYPE CUT ;
  SPACING 0.022 ;
  WIDTH 0.020 ;
END V1
LAYER M2
  TYPE ROUTING ;
  DIRECTION HORIZONTAL ;
  PITCH 0.050 0.045 ;
  OFFSET 0.010 0.0225 ;
  WIDTH 0.022 ;
  SPACINGTABLE
  PARALLELRUNLENGTH 0.0 0.4
  WIDTH 0.0 0.044 0.05
  WIDTH 0.1 0.05 0.5 ;
END M2
"""
CELLS = """SITE core
  CLASS CORE ;
  SIZE 0.060 BY 0.300 ;
END core
"""
MAP = "M1 NET 11 0\nM2 NET 12 0\nV1 VIA 21 0\n"


def _write(tmp_path, tech=TECH, cells=CELLS, layermap=MAP):
    for name, text in (("t.lef", tech), ("c.lef", cells), ("m.map", layermap)):
        (tmp_path / name).write_text(text)
    return tmp_path / "t.lef", tmp_path / "c.lef", tmp_path / "m.map"


def test_synthetic_tech(tmp_path):
    facts = read_tech_facts(*_write(tmp_path))
    m1, m2 = facts.metals
    assert (m1.name, m1.direction, m1.pitch, m1.width, m1.gds) == ("M1", "V", 0.040, 0.020,
                                                                  (11, 0))
    # A horizontal layer's tracks are spaced along y: the second PITCH/OFFSET value.
    assert (m2.direction, m2.pitch, m2.offset) == ("H", 0.045, 0.0225)
    (v1,) = facts.cuts
    assert (v1.name, v1.below, v1.above, v1.width, v1.gds) == ("V1", "M1", "M2", 0.020,
                                                              (21, 0))
    assert (facts.site, facts.site_width, facts.row_height) == ("core", 0.060, 0.300)
    assert facts.dbu_per_um == 2000


def test_synthetic_rules(tmp_path):
    facts = read_tech_facts(*_write(tmp_path))
    m1, m2 = facts.metals
    # the plain SPACING statement, not RANGE, ENDOFLINE or a LEF58 string
    assert (m1.spacing, m1.area) == (0.019, 0.0008)
    # a layer with only a spacing table: its first entry (narrow wires, no parallel run)
    assert (m2.spacing, m2.area) == (0.044, 0.0)
    assert facts.cuts[0].spacing == 0.022


def test_asap7_rules(tech):
    assert [m.spacing for m in tech.metals] == [0.018, 0.018, 0.018, 0.024, 0.024, 0.032,
                                                0.032, 0.04, 0.04]
    assert [m.width for m in tech.metals] == [m.spacing for m in tech.metals]
    assert [m.area for m in tech.metals] == [0.000666, 0.000666, 0.000666, 0.002, 0.002,
                                             0.0021875, 0.0021875, 0.00752, 0.00752]
    # V3..V6 state their spacing only as the DEFAULT of a LEF58 cut spacing table
    assert [c.spacing for c in tech.cuts[:8]] == [0.018, 0.018, 0.034, 0.034, 0.034, 0.034,
                                                  0.046, 0.057]


def test_tech_wrong(tmp_path):
    with pytest.raises(ValueError, match=r"^.*t\.lef: no routing layers or CORE site "
                                         r"found; is this a tech LEF\?$"):
        read_tech_facts(*_write(tmp_path, cells="SITE x\n CLASS PAD ;\n SIZE 1 BY 1 ;\n"
                                                "END x\n"))


def test_metal_lookup_wrong(tmp_path):
    facts = read_tech_facts(*_write(tmp_path))
    message = "metal layer must be one of ['M1', 'M2'], not 'M7'"
    with pytest.raises(KeyError, match="^" + re.escape(repr(message)) + "$"):
        facts.metal("M7")


def test_asap7_facts(tech):
    assert tech.metal_names == [f"M{i}" for i in range(1, 10)]
    assert [m.pitch for m in tech.metals[:7]] == [0.036, 0.036, 0.036, 0.048, 0.048, 0.064,
                                                  0.064]
    assert [m.direction for m in tech.metals] == list("VHVHVHVHV")
    assert tech.cut_names == [f"V{i}" for i in range(1, 10)]
    assert tech.metal("M2").gds == (20, 0) and tech.cuts[0].gds == (21, 0)
    assert (tech.site, tech.site_width, tech.row_height) == ("asap7sc7p5t", 0.054, 0.270)
    # V3..V6 have their size only in a CUTCLASS
    assert [c.width for c in tech.cuts[:6]] == [0.018, 0.018, 0.018, 0.024, 0.024, 0.032]
