"""Coriolis' notices on every run are not counted as warnings; real warnings are."""
import logging

from siliconcompiler.utils import grep

from roma_pd.flow._place import CoriolisTask

WARNING = r"^(\[WARNING\]|Warning|WARNING)"
NOTICES = [
    "[WARNING] LefParser::_macroForeignCbk(): GDS directory *not* set, ignoring FOREIGN "
    "statement.",
    "[WARNING] LefParser::parse(): No CORE site found in library, unable to check the "
    "Cell gauge.",
    '[WARNING] LefParser::_layerCbk(): No CRL routing gauge defined for "Pad".',
    '[WARNING] EtesianEngine::_postCreate() Unable to find "tie_x0" tie cell.',
    '[WARNING] EtesianEngine::_postCreate() Unable to find "dio_x0" diode cell.',
    '[WARNING] timing.staticInit(): Library do not provides "inv_x1", skipped.',
    '[WARNING] timing.staticInit(): Library do not provides "buf_x2", skipped.',
]


def _counted(line: str) -> bool:
    """The line after SiliconCompiler's chain of grep-style warning regexes."""
    log = logging.getLogger("test")
    for args in (WARNING, *(f"-v {n}" for n in CoriolisTask.harmless_warnings)):
        line = grep(log, args, line)
        if line is None:
            return False
    return True


def test_every_harmless_notice_is_dropped():
    assert [n for n in NOTICES if _counted(n)] == []


def test_a_real_warning_is_kept():
    for line in ("[WARNING] Katana: 3 nets left unrouted.",
                 '[WARNING] EtesianEngine: Unable to find "tie_x0" in the netlist, '
                 "placement degraded.",
                 "Warning: inputs/t.spef, line 7 net word[0] not found."):
        assert _counted(line), line
