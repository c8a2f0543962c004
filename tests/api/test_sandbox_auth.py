"""Every authentication failure the sandbox can return reaches the caller as a typed error."""

from __future__ import annotations

import httpx
import pytest

from esimfly_desktop.api import Credentials, errors
from esimfly_desktop.api import session as api_session
from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.sandbox_helpers import EditingTransport, sandbox_client


@pytest.mark.asyncio
async def test_signed_request_accepted(sandbox: SandboxInfo) -> None:
    async with sandbox_client(sandbox) as client:
        balance = await client.get_balance()

    assert balance.currency == "USD"
    assert client.rate_limit.limit is not None
    assert client.measured_clock_skew_s is not None
    assert abs(client.measured_clock_skew_s) < 2


@pytest.mark.asyncio
async def test_missing_headers(sandbox: SandboxInfo) -> None:
    def drop_signature(request: httpx.Request) -> None:
        del request.headers["RT-Signature"]

    async with sandbox_client(sandbox, transport=EditingTransport(drop_signature)) as client:
        with pytest.raises(errors.HmacRequiredError) as caught:
            await client.get_balance()

    assert caught.value.status == 401
    assert caught.value.code == "HMAC_REQUIRED"


@pytest.mark.asyncio
async def test_invalid_request_id(sandbox: SandboxInfo) -> None:
    def hyphenless_id(request: httpx.Request) -> None:
        request.headers["RT-RequestID"] = request.headers["RT-RequestID"].replace("-", "")

    async with sandbox_client(sandbox, transport=EditingTransport(hyphenless_id)) as client:
        with pytest.raises(errors.InvalidRequestIdError) as caught:
            await client.get_balance()

    assert caught.value.status == 400


@pytest.mark.asyncio
async def test_old_timestamp(sandbox: SandboxInfo) -> None:
    # The client's clock agrees with the server's, so correcting it cannot help.
    def ten_minutes_old(request: httpx.Request) -> None:
        stamp = int(request.headers["RT-Timestamp"]) - 10 * 60 * 1000
        request.headers["RT-Timestamp"] = str(stamp)

    async with sandbox_client(sandbox, transport=EditingTransport(ten_minutes_old)) as client:
        with pytest.raises(errors.ClockSkewError) as caught:
            await client.get_balance()

    assert caught.value.status == 401
    assert caught.value.code == "INVALID_TIMESTAMP"
    assert caught.value.skew_s is not None
    assert abs(caught.value.skew_s) < 2
    assert client.clock_offset_s == 0


@pytest.mark.asyncio
async def test_unknown_access_code(sandbox: SandboxInfo) -> None:
    credentials = Credentials("esf_unknown_0000", sandbox.secret)

    async with sandbox_client(sandbox, credentials=credentials) as client:
        with pytest.raises(errors.InvalidApiKeyError) as caught:
            await client.get_balance()

    assert caught.value.status == 401


@pytest.mark.asyncio
async def test_bad_signature(sandbox: SandboxInfo) -> None:
    credentials = Credentials(sandbox.access_code, "sk_wrong_secret")

    async with sandbox_client(sandbox, credentials=credentials) as client:
        with pytest.raises(errors.InvalidSignatureError) as caught:
            await client.get_balance()

    assert caught.value.status == 401
    assert caught.value.request_id in str(caught.value)


@pytest.mark.asyncio
async def test_duplicate_request_id(sandbox: SandboxInfo, monkeypatch: pytest.MonkeyPatch) -> None:
    fixed_id = api_session.new_request_id()
    monkeypatch.setattr(api_session, "new_request_id", lambda: fixed_id)

    async with sandbox_client(sandbox) as client:
        await client.get_balance()
        with pytest.raises(errors.DuplicateRequestError) as caught:
            await client.get_balance()

    assert caught.value.status == 400
    assert caught.value.request_id == fixed_id


@pytest.mark.asyncio
async def test_clock_skew_corrected(sandbox: SandboxInfo, sandbox_admin) -> None:
    await sandbox_admin.set_faults(clock_offset_s=900)

    async with sandbox_client(sandbox) as client:
        balance = await client.get_balance()
        outcomes = [record.status for record in client.recent_requests]

    assert balance.currency == "USD"
    assert outcomes == [401, 200]
    assert abs(client.clock_offset_s - 900) < 2
