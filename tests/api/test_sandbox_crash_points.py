"""Crash points of create_order over real HTTP, and a replay after a real crash."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from esimfly_desktop import crashpoints
from esimfly_desktop.api import Credentials, EsimflyClient, Package
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.sandbox_helpers import sandbox_client

PENDING_PROVIDER = "Kestrel Mobile"
CHILD_TIMEOUT_S = 60

ORDER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from esimfly_desktop.api import Credentials, EsimflyClient

    base_url, access_code, secret, package_code, key = sys.argv[1:6]

    async def main():
        credentials = Credentials(access_code, secret)
        async with EsimflyClient(base_url, credentials) as client:
            await client.create_order(package_code, 1, key)

    asyncio.run(main())
    """
)


async def instant_package(sandbox: SandboxInfo) -> Package:
    async with sandbox_client(sandbox) as client:
        page = await client.list_packages(package_type="local", limit=100)
    instant = [package for package in page.packages if package.provider != PENDING_PROVIDER]
    return min(instant, key=lambda package: package.cost)


@pytest.mark.asyncio
async def test_order_reaches_crash_points_in_order(
    sandbox: SandboxInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = await instant_package(sandbox)
    reached: list[str] = []
    monkeypatch.setattr(crashpoints, "reach", reached.append)

    async with sandbox_client(sandbox) as client:
        await client.create_order(package.package_code, 1, str(uuid.uuid4()))
        await client.get_balance()

    assert reached == [crashpoints.AFTER_REQUEST_WRITTEN, crashpoints.AFTER_SERVER_COMMITTED]


@pytest.mark.asyncio
async def test_replay_after_crash_charges_once(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, tmp_path: Path
) -> None:
    package = await instant_package(sandbox)
    access_code, secret = await sandbox_admin.add_account("100.00")
    key = str(uuid.uuid4())
    marker = tmp_path / "crash-marker"
    environment = {
        crashpoints.ENV_VARIABLE: crashpoints.AFTER_REQUEST_WRITTEN,
        crashpoints.MARKER_ENV_VARIABLE: str(marker),
    }

    # The child process dies right after writing the order request.
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", ORDER_SCRIPT, sandbox.base_url, access_code, secret,
        package.package_code, key,
        env={**_inherited_environment(), **environment},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        returncode = await asyncio.wait_for(child.wait(), CHILD_TIMEOUT_S)
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()

    # A new client repeats the order with the same idempotency key.
    async with EsimflyClient(sandbox.base_url, Credentials(access_code, secret)) as client:
        replay = await client.create_order(package.package_code, 1, key)

    ledger = await sandbox_admin.ledger(access_code)
    assert returncode == -signal.SIGKILL
    assert marker.read_text() == crashpoints.AFTER_REQUEST_WRITTEN + "\n"
    assert replay.duplicate is True
    assert [entry["kind"] for entry in ledger].count("charge") == 1


def _inherited_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith("ESIMFLY_")}
