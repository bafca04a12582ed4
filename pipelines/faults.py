"""Deterministic crash points for the crash tests.

`crash_point(name)` does nothing unless the environment variable PIPELINE_CRASH_AT equals
`name`; then the process kills itself with SIGKILL on the spot, as the OOM killer or a power
cut would: no exception handler, `finally` block or atexit hook runs. The tests start real
runs in subprocesses with this variable to kill them at chosen moments
(tests/test_crash_safety.py); the named points are listed there.
"""

import os
import signal

VARIABLE = "PIPELINE_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
