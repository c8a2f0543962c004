"""Per-test accounts on the shared sandbox, so tests never share a balance."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.sandbox.raw_api import AdminCalls, RawApi


@pytest.fixture
def admin_calls(sandbox: SandboxInfo) -> Iterator[AdminCalls]:
    calls = AdminCalls(sandbox.admin_url, sandbox.admin_token)
    yield calls
    calls.call("DELETE", "/admin/faults")


@pytest.fixture
def api(sandbox: SandboxInfo, admin_calls: AdminCalls) -> Iterator[RawApi]:
    """A fresh account with 1000.00 on the shared sandbox."""
    account = admin_calls.call("POST", "/admin/accounts", {"balance": "1000.00"})
    raw = RawApi(sandbox.base_url, account["access_code"], account["secret"])
    yield raw
    raw.close()


@pytest.fixture
def demo_api(sandbox: SandboxInfo) -> Iterator[RawApi]:
    """The demo account from the ready line."""
    raw = RawApi(sandbox.base_url, sandbox.access_code, sandbox.secret)
    yield raw
    raw.close()
