class RomaError(Exception):
    """A user-facing error: one line that names the field, file or tool and what to do.

    The CLI prints it as ``roma-pd: error: <message>`` and exits with status 2.
    """
