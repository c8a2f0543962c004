"""Per-request logging, the recent-requests list and outcome notifications.

Each attempt logs one line with the method, path, request id, status and
duration. Only those facts are kept: never headers, bodies or signatures, so
neither the log nor the list can leak the secret or an activation code.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

log = logging.getLogger(__name__)

SLOW_REQUEST_S = 2.0
RECENT_REQUESTS_KEPT = 200

OutcomeKind = Literal["ok", "transport_error", "rate_limited", "server_error", "client_error"]


@dataclass(frozen=True)
class RequestOutcome:
    """How one attempt ended; ``status`` is None when no response arrived."""

    kind: OutcomeKind
    status: int | None
    request_id: str
    duration_s: float


@dataclass(frozen=True)
class RequestRecord:
    """One attempt in the recent-requests list."""

    method: str
    path: str
    request_id: str
    status: int | None
    duration_s: float
    started_at: datetime
    error: str | None = None


OutcomeListener = Callable[[RequestOutcome], None]


def classify_status(status: int) -> OutcomeKind:
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "client_error"
    return "ok"


class RequestLog:
    """Logs attempts, keeps the most recent ones and tells listeners how each ended."""

    def __init__(self, max_records: int = RECENT_REQUESTS_KEPT) -> None:
        self.records: deque[RequestRecord] = deque(maxlen=max_records)
        self._listeners: list[OutcomeListener] = []

    def add_listener(self, listener: OutcomeListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: OutcomeListener) -> None:
        self._listeners.remove(listener)

    def record(
        self,
        method: str,
        path: str,
        request_id: str,
        *,
        status: int | None,
        duration_s: float,
        error: str | None = None,
    ) -> None:
        started_at = datetime.fromtimestamp(datetime.now(UTC).timestamp() - duration_s, UTC)
        self.records.append(
            RequestRecord(method, path, request_id, status, duration_s, started_at, error)
        )
        self._log(method, path, request_id, status, duration_s, error)

        kind = classify_status(status) if status is not None else "transport_error"
        self._notify(RequestOutcome(kind, status, request_id, duration_s))

    def _log(
        self,
        method: str,
        path: str,
        request_id: str,
        status: int | None,
        duration_s: float,
        error: str | None,
    ) -> None:
        shown_status = status if status is not None else f"failed ({error})"
        log.info(
            "%s %s request_id=%s status=%s %.3f s",
            method,
            path,
            request_id,
            shown_status,
            duration_s,
        )
        if duration_s > SLOW_REQUEST_S:
            log.warning(
                "Slow API request: %s %s took %.1f s (request id %s)",
                method, path, duration_s, request_id,
            )  # fmt: skip

    def _notify(self, outcome: RequestOutcome) -> None:
        for listener in list(self._listeners):
            try:
                listener(outcome)
            except Exception:
                log.exception(
                    "Request outcome listener failed for request id %s", outcome.request_id
                )
