"""Named points where a test can make the process die, to prove crash safety.

Set ``ESIMFLY_CRASH_AT`` to a point's name and the process kills itself with
SIGKILL the first time it passes that point, so no clean-up code runs. With the
variable unset, ``reach`` costs one dictionary lookup.
"""

from __future__ import annotations

import logging
import os
import signal

log = logging.getLogger(__name__)

AFTER_SENDING_COMMITTED = "after-sending-committed"
AFTER_REQUEST_WRITTEN = "after-request-written"
AFTER_SERVER_COMMITTED = "after-server-committed"
AFTER_ANSWER_STORED = "after-answer-stored"

ALL_POINTS = (
    AFTER_SENDING_COMMITTED,
    AFTER_REQUEST_WRITTEN,
    AFTER_SERVER_COMMITTED,
    AFTER_ANSWER_STORED,
)

ENV_VARIABLE = "ESIMFLY_CRASH_AT"
MARKER_ENV_VARIABLE = "ESIMFLY_CRASH_MARKER"


def reach(point: str) -> None:
    """Die here if the environment names ``point``; otherwise do nothing."""
    if os.environ.get(ENV_VARIABLE) != point:
        return

    marker = os.environ.get(MARKER_ENV_VARIABLE)
    if marker:
        with open(marker, "a", encoding="utf-8") as file:
            file.write(point + "\n")
            file.flush()
            os.fsync(file.fileno())
    log.critical("Crash point %s reached; killing the process", point)
    os.kill(os.getpid(), signal.SIGKILL)
