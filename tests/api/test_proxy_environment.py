"""Proxy environment variables and the training sandbox on loopback."""

from __future__ import annotations

import pytest

from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.sandbox_helpers import sandbox_client

# A private address that the network guard blocks, so no test reaches it.
UNREACHABLE_PROXY = "http://10.255.255.1:3128"


@pytest.mark.asyncio
async def test_sandbox_bypasses_proxy_variables(
    sandbox: SandboxInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, UNREACHABLE_PROXY)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    async with sandbox_client(sandbox) as client:
        balance = await client.get_balance()

    assert balance.currency == sandbox.currency
