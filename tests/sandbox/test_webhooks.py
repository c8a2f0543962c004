"""Webhook delivery to a loopback receiver: headers, signature, stable id across retries."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from esimfly_desktop.sandbox.launcher import SandboxInfo, SandboxProcess
from tests.sandbox.raw_api import AdminCalls, RawApi, json_of

WAIT_S = 10.0


class Receiver:
    """A loopback HTTP server that returns 500 to the first ``failures`` posts, then 200."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                failing = len(receiver.received) <= receiver.failures
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + WAIT_S
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, f"received {len(self.received)} of {count} posts"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(failures=1)
    yield server
    server.close()


@pytest.fixture(scope="module")
def hooked_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    process = SandboxProcess.start(
        tmp_path_factory.mktemp("hooked"),
        "--webhook-retry-delays",
        "0.2,0.2",
        "--pending-delay",
        "0.5",
    )
    yield process.info
    process.stop()


@pytest.fixture
def hooked(hooked_sandbox: SandboxInfo) -> Iterator[tuple[RawApi, AdminCalls]]:
    """A fresh account on a sandbox that retries deliveries after 0.2 s."""
    admin = AdminCalls(hooked_sandbox.admin_url, hooked_sandbox.admin_token)
    account = admin.call("POST", "/admin/accounts", {"balance": "100.00"})
    raw = RawApi(hooked_sandbox.base_url, account["access_code"], account["secret"])
    yield raw, admin
    raw.close()


def test_delivery_retried_with_same_id(
    hooked: tuple[RawApi, AdminCalls], receiver: Receiver
) -> None:
    api, admin = hooked
    events = ["esim.provisioned", "esim.installed"]
    settings = json_of(
        api.request("PUT", "/webhooks", {"webhook_url": receiver.url, "events": events})
    )
    secret = settings["webhook"]["secret"]

    order = json_of(api.order(api.find_package("Japan")["package_code"]))
    receiver.wait_for(2)
    (first_headers, first_body), (second_headers, second_body) = receiver.received[:2]

    assert first_headers["X-Webhook-Id"] == second_headers["X-Webhook-Id"]
    assert first_body == second_body
    expected = "sha256=" + hmac.new(secret.encode(), first_body, hashlib.sha256).hexdigest()
    assert first_headers["X-Webhook-Signature"] == expected
    assert first_headers["X-Webhook-Event"] == "esim.provisioned"
    assert datetime.fromisoformat(first_headers["X-Webhook-Timestamp"].replace("Z", "+00:00"))
    payload = json.loads(first_body)
    assert payload["event"] == "esim.provisioned"
    assert payload["data"]["iccid"] == order["esims"][0]["iccid"]
    assert payload["data"]["order_reference"] == order["orderReference"]

    admin.call("POST", f"/admin/esims/{order['esims'][0]['iccid']}/install", {})
    receiver.wait_for(3)
    installed_headers, _ = receiver.received[2]

    assert installed_headers["X-Webhook-Event"] == "esim.installed"
    assert installed_headers["X-Webhook-Id"] != first_headers["X-Webhook-Id"]
    deliveries = json_of(api.get("/webhooks"))["data"]["recent_deliveries"]
    assert {d["status"] for d in deliveries} == {"delivered"}


def test_unsubscribed_event_not_sent(hooked: tuple[RawApi, AdminCalls], receiver: Receiver) -> None:
    api, admin = hooked
    api.request("PUT", "/webhooks", {"webhook_url": receiver.url, "events": ["esim.installed"]})
    order = json_of(api.order(api.find_package("Japan")["package_code"]))

    admin.call("POST", f"/admin/esims/{order['esims'][0]['iccid']}/install", {})
    receiver.wait_for(2)

    assert [h["X-Webhook-Event"] for h, _ in receiver.received] == ["esim.installed"] * 2


def test_pending_order_announced_unprompted(
    hooked: tuple[RawApi, AdminCalls], receiver: Receiver
) -> None:
    api, _admin = hooked
    receiver.failures = 0
    api.request("PUT", "/webhooks", {"webhook_url": receiver.url, "events": ["esim.provisioned"]})

    order = json_of(api.order(api.find_package("Japan", pending=True)["package_code"]))
    receiver.wait_for(1)
    payload = json.loads(receiver.received[0][1])

    assert order["status"] == "pending_details"
    assert payload["event"] == "esim.provisioned"
    assert payload["data"]["order_reference"] == order["orderReference"]


def test_suspend_announces_profile_change(
    hooked: tuple[RawApi, AdminCalls], receiver: Receiver
) -> None:
    api, admin = hooked
    receiver.failures = 0
    api.request(
        "PUT", "/webhooks", {"webhook_url": receiver.url, "events": ["esim.profile.updated"]}
    )
    # Rechargeable excludes Polaris Data, whose eSIMs cannot be suspended.
    package = api.find_package("Japan", rechargeable=True)
    iccid = json_of(api.order(package["package_code"]))["esims"][0]["iccid"]
    admin.call("POST", f"/admin/esims/{iccid}/install", {})

    api.post("/esims/suspend", {"iccid": iccid, "action": "suspend"})
    receiver.wait_for(1)
    payload = json.loads(receiver.received[0][1])

    assert payload["event"] == "esim.profile.updated"
    assert payload["data"] == {
        "iccid": iccid,
        "order_reference": payload["data"]["order_reference"],
        "profile": "Disabled",
    }
