"""Webhook settings (PUT/GET /webhooks) and signed delivery with retries.

Deliveries go only to loopback URLs: the sandbox is a training tool and must
not post to other hosts. Each event is POSTed with ``X-Webhook-Event``,
``X-Webhook-Id`` (the same on every retry), ``X-Webhook-Timestamp`` (ISO 8601
UTC) and ``X-Webhook-Signature: sha256=<lowercase hex HMAC-SHA256 of the raw
body>``. Attempts run at once and then after the configured delays (10 s,
30 s, 2 min and 10 min by default). After the last failure the delivery is
marked failed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from esimfly_desktop.sandbox import jsonmoney
from esimfly_desktop.sandbox.app import Call
from esimfly_desktop.sandbox.errors import invalid_parameter
from esimfly_desktop.sandbox.esim_views import iso_time
from esimfly_desktop.sandbox.store import Store

log = logging.getLogger(__name__)

EVENTS = (
    "esim.provisioned",
    "esim.installed",
    "esim.profile.updated",
    "esim.status.changed",
    "esim.usage.threshold",
    "order.completed",  # reserved: accepted in settings, never sent
)
RECEIVER_TIMEOUT_S = 10.0
RECENT_DELIVERIES = 20


def _is_loopback_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def put_webhooks(call: Call) -> dict[str, Any]:
    body = call.json()
    url = body.get("webhook_url")
    events = body.get("events", list(EVENTS[:-1]))
    if not isinstance(url, str) or not _is_loopback_url(url):
        raise invalid_parameter(
            "webhook_url", "the sandbox delivers only to http(s) URLs on 127.0.0.1 or localhost"
        )
    if not isinstance(events, list) or not all(event in EVENTS for event in events):
        raise invalid_parameter("events", f"must be a list of {', '.join(EVENTS)}")

    secret = f"whsec_{secrets.token_urlsafe(24)}"
    call.state.store.connection.execute(
        "INSERT OR REPLACE INTO webhooks (access_code, url, events, secret) VALUES (?, ?, ?, ?)",
        (call.access_code, url, json.dumps(events), secret),
    )
    log.info("Webhook set to %s for %d events", url, len(events))
    return {
        "success": True,
        "message": "Webhook settings saved.",
        "webhook": {"url": url, "events": events, "secret": secret},
    }


async def get_webhooks(call: Call) -> dict[str, Any]:
    conn = call.state.store.connection
    row = conn.execute(
        "SELECT * FROM webhooks WHERE access_code = ?", (call.access_code,)
    ).fetchone()
    deliveries = conn.execute(
        "SELECT * FROM webhook_deliveries WHERE access_code = ? ORDER BY created_at DESC LIMIT ?",
        (call.access_code, RECENT_DELIVERIES),
    ).fetchall()
    return {
        "success": True,
        "data": {
            "webhook_url": row["url"] if row else None,
            "events": json.loads(row["events"]) if row else [],
            "recent_deliveries": [
                {
                    "id": delivery["delivery_id"],
                    "event": delivery["event"],
                    "status": delivery["status"],
                    "attempts": delivery["attempts"],
                    "last_response": delivery["last_response"],
                    "created_at": iso_time(delivery["created_at"]),
                }
                for delivery in deliveries
            ],
        },
    }


class WebhookSender:
    """Queues signed deliveries and retries them on their schedule."""

    def __init__(self, store: Store, retry_delays_s: tuple[float, ...]) -> None:
        self.store = store
        self.retry_delays_s = retry_delays_s
        self._tasks: set[asyncio.Task[None]] = set()
        self._client = httpx.AsyncClient(timeout=RECEIVER_TIMEOUT_S, trust_env=False)

    def __call__(self, access_code: str, event: str, data: dict[str, Any]) -> None:
        """Start delivering ``event`` if the account subscribed to it."""
        row = self.store.connection.execute(
            "SELECT * FROM webhooks WHERE access_code = ?", (access_code,)
        ).fetchone()
        if row is None or event not in json.loads(row["events"]) or event == "order.completed":
            return

        delivery_id = f"whd_{secrets.token_hex(12)}"
        timestamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        body = jsonmoney.dumps({"event": event, "timestamp": timestamp, "data": data})
        self.store.connection.execute(
            "INSERT INTO webhook_deliveries "
            "(delivery_id, access_code, event, body, status, created_at) "
            "VALUES (?, ?, ?, ?, 'pending', ?)",
            (delivery_id, access_code, event, body.decode(), time.time()),
        )
        headers = {
            "Content-Type": "application/json",
            "X-Webhook-Event": event,
            "X-Webhook-Id": delivery_id,
            "X-Webhook-Timestamp": timestamp,
            "X-Webhook-Signature": sign(row["secret"], body),
        }
        task = asyncio.get_running_loop().create_task(
            self._deliver(delivery_id, row["url"], body, headers)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(
        self, delivery_id: str, url: str, body: bytes, headers: dict[str, str]
    ) -> None:
        delays = (0.0, *self.retry_delays_s)
        for attempt, delay in enumerate(delays, start=1):
            await asyncio.sleep(delay)
            outcome = await self._attempt(url, body, headers)
            delivered = outcome.startswith("2")
            self.store.connection.execute(
                "UPDATE webhook_deliveries SET attempts = ?, last_response = ?, status = ? "
                "WHERE delivery_id = ?",
                (
                    attempt,
                    outcome,
                    "delivered"
                    if delivered
                    else "failed"
                    if attempt == len(delays)
                    else "retrying",
                    delivery_id,
                ),
            )
            if delivered:
                return
            log.warning(
                "Webhook %s attempt %d to %s failed: %s", delivery_id, attempt, url, outcome
            )

    async def _attempt(self, url: str, body: bytes, headers: dict[str, str]) -> str:
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            return f"error: {type(error).__name__}"
        return str(response.status_code)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        await self._client.aclose()
