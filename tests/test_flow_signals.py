"""SIGINT and SIGTERM inside a run become one KeyboardInterrupt and are remembered."""
import os
import signal

import pytest

from roma_pd.flow import Interrupted, catch_signals
from roma_pd.flow._signals import received, signal_message


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_raises_once_and_is_remembered(signum, code):
    before = signal.getsignal(signum)
    with pytest.raises(KeyboardInterrupt):
        with catch_signals():
            os.kill(os.getpid(), signum)
            for _ in range(10 ** 7):    # the handler runs between bytecodes
                pass
    assert received() == signum
    assert signal.getsignal(signum) is before
    assert Interrupted(signum, "x").exit_code == code


def test_second_signal_is_ignored_during_cleanup():
    with pytest.raises(KeyboardInterrupt):
        with catch_signals():
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(10 ** 7):
                    pass
            except KeyboardInterrupt:
                os.kill(os.getpid(), signal.SIGINT)     # ignored: cleanup goes on
                for _ in range(10 ** 6):
                    pass
                raise
    assert received() == signal.SIGTERM


def test_signal_message():
    assert signal_message(signal.SIGINT) == "SIGINT (Ctrl-C)"
    assert signal_message(signal.SIGTERM) == "SIGTERM"
