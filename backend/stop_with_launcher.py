"""A server the launcher started stops when the launcher is gone, however it went.

The launcher stops its servers itself on Ctrl-C, SIGTERM and SIGHUP; this covers the rest (SIGKILL,
a crash, a signal that lands while it is starting a server), which would otherwise leave servers
holding their ports with nobody to stop them. On Linux the kernel sends the server SIGTERM when its
parent dies (``PR_SET_PDEATHSIG``), which granian takes as a normal shutdown. Other systems have no
such call; there only the launcher's own stopping applies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

#: Environment variable through which the launcher tells a server its process id.
LAUNCHER_PID = "LAUNCHER_PID"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def stop_with_launcher() -> None:
    """Have this process receive SIGTERM when its launcher dies (Linux; nothing elsewhere, or when
    no launcher started it).

    The signal comes when the *thread* that started us ends, so a launcher starts its servers from
    a thread that lives as long as they should.
    """
    launcher = os.environ.get(LAUNCHER_PID)
    if launcher is None or sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != int(launcher):
        sys.exit("the launcher that started this server is gone")
