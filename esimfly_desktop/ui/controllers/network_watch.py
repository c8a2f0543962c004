"""Forward the operating system's network changes to the connectivity service."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)


class NetworkWatch(QObject):
    """Calls ``on_change`` whenever Qt reports a change in network reachability.

    Platforms without a QNetworkInformation backend (the offscreen test
    platform, some minimal Linux systems) get no notifications; the
    connectivity service then relies on request outcomes alone.
    """

    def __init__(self, on_change: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self.information: QNetworkInformation | None = None

        if not QNetworkInformation.loadDefaultBackend():
            log.info("No network information backend on this platform")
            return

        self.information = QNetworkInformation.instance()
        if self.information is None:
            return
        log.info("Watching network changes through %s", self.information.backendName())
        self.information.reachabilityChanged.connect(self._on_reachability_changed)

    def _on_reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        log.info("Network reachability changed to %s", reachability.name)
        self._on_change()
