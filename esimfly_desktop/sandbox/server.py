"""Start and stop one sandbox: the app, the fault proxy and the admin API.

The app listens on a private loopback port. The public base URL points at
the proxy, so connection faults reach clients the way a real outage would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
import sqlite3
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from esimfly_desktop.sandbox.admin import AdminApp
from esimfly_desktop.sandbox.app import BASE_PATH, BusinessApp
from esimfly_desktop.sandbox.config import SandboxConfig
from esimfly_desktop.sandbox.faults import OUTAGE_META_KEY
from esimfly_desktop.sandbox.orders import settle_pending
from esimfly_desktop.sandbox.proxy import FaultProxy
from esimfly_desktop.sandbox.routes import business_routes
from esimfly_desktop.sandbox.state import SandboxState, open_state
from esimfly_desktop.sandbox.webhooks import WebhookSender

log = logging.getLogger(__name__)

INFO_FILE_NAME = "sandbox.json"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
SETTLE_EVERY_S = 1.0


@dataclass(frozen=True)
class ReadyInfo:
    base_url: str
    access_code: str
    secret: str
    admin_url: str
    admin_token: str
    currency: str

    def ready_line(self) -> str:
        return (
            f"esimfly-sandbox ready base_url={self.base_url} access_code={self.access_code} "
            f"secret={self.secret} admin_url={self.admin_url}"
        )


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the sandbox."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _listen(port: int) -> socket.socket:
    # With the protocol named, asyncio sets TCP_NODELAY on accepted connections.
    # Without it uvicorn's separate header and body writes wait ~40 ms for delayed ACKs.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _server(app: ASGIApp) -> _QuietServer:
    config = uvicorn.Config(
        app,
        lifespan="off",
        access_log=False,
        date_header=False,
        server_header=False,
        log_config=None,
        timeout_keep_alive=30,
    )
    return _QuietServer(config)


def write_info(data_dir: Path, info: ReadyInfo) -> Path:
    """Write sandbox.json atomically and readable by the owner only."""
    path = data_dir / INFO_FILE_NAME
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(info), indent=2) + "\n", encoding="utf-8")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path


async def serve(
    config: SandboxConfig, stop: asyncio.Event, on_ready: Callable[[ReadyInfo], None]
) -> None:
    """Run the sandbox until ``stop`` is set."""
    state = await asyncio.to_thread(open_state, config)
    state.faults.outage = state.store.get_meta(OUTAGE_META_KEY) == "1"
    state.notify = WebhookSender(state.store, config.webhook_retry_delays_s)
    admin_token = secrets.token_urlsafe(24)
    app_socket = _listen(0)
    admin_socket = _listen(config.admin_port)
    proxy = FaultProxy(state.faults, app_socket.getsockname()[1], config.port)

    app_server = _server(BusinessApp(state, business_routes()))
    admin_server = _server(AdminApp(state, proxy, admin_token))
    tasks = [
        asyncio.create_task(app_server.serve(sockets=[app_socket])),
        asyncio.create_task(admin_server.serve(sockets=[admin_socket])),
    ]
    try:
        port = await proxy.start()
        # An outage switched on in an earlier run stays on: the port is chosen, then closed.
        await proxy.apply_outage()
        await _wait_started((app_server, admin_server), tasks)

        info = ReadyInfo(
            base_url=f"http://127.0.0.1:{port}{BASE_PATH}",
            access_code=state.demo_access_code,
            secret=state.demo_secret,
            admin_url=f"http://127.0.0.1:{admin_socket.getsockname()[1]}",
            admin_token=admin_token,
            currency=state.currency,
        )
        write_info(config.data_dir, info)
        log.info("Sandbox serving %s (admin %s)", info.base_url, info.admin_url)
        on_ready(info)

        tasks.append(asyncio.create_task(_settle_pending_orders(state, stop)))
        await stop.wait()
    finally:
        stop.set()
        await _shutdown(state, proxy, (app_server, admin_server), tasks)


async def _settle_pending_orders(state: SandboxState, stop: asyncio.Event) -> None:
    """Complete due pending orders every second, so their webhooks go out unprompted.

    Reads settle due orders too; this loop ends when ``stop`` is set.
    """
    while not stop.is_set():
        try:
            settle_pending(state)
        except sqlite3.Error:
            log.exception("Settling pending orders failed; trying again in %s s", SETTLE_EVERY_S)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SETTLE_EVERY_S)


async def _wait_started(
    servers: tuple[uvicorn.Server, ...], tasks: list[asyncio.Task[None]]
) -> None:
    async with asyncio.timeout(START_TIMEOUT_S):
        while not all(server.started for server in servers):
            for task in tasks:
                if task.done():
                    task.result()
                    raise RuntimeError("a sandbox server stopped during start-up")
            await asyncio.sleep(0.01)


async def _shutdown(
    state: SandboxState,
    proxy: FaultProxy,
    servers: tuple[uvicorn.Server, ...],
    tasks: list[asyncio.Task[None]],
) -> None:
    log.info("Sandbox stopping")
    await proxy.close()
    for server in servers:
        server.should_exit = True
    _, pending = await asyncio.wait(tasks, timeout=STOP_TIMEOUT_S)
    for task in pending:
        task.cancel()
    if state.notify is not None:
        await state.notify.close()
    state.store.close()
    log.info("Sandbox stopped")
