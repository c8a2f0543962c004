"""Plain-Python subscriber lists, so services report changes without importing Qt."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class Observers(Generic[T]):
    """Callbacks called in subscription order with one value each."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], None]] = []

    def subscribe(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Add ``callback`` and return a function that removes it again."""
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def notify(self, value: T) -> None:
        """Call every subscriber; one failing subscriber does not stop the others."""
        for callback in list(self._callbacks):
            try:
                callback(value)
            except Exception:
                log.exception("Subscriber %r failed", callback)
