"""The client paces itself through the sandbox's rate limit, or fails fast on a long wait."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from esimfly_desktop.api import RequestOutcome, errors
from esimfly_desktop.sandbox.launcher import SandboxProcess
from tests.api.sandbox_helpers import sandbox_client

REQUESTS = 5


@pytest.mark.asyncio
async def test_rate_limit_waited_out_then_reported(
    start_sandbox: Callable[..., SandboxProcess],
) -> None:
    info = start_sandbox("--rate-limit", "3/2").info
    outcomes: list[RequestOutcome] = []

    # Five reads in a window of three: the client sleeps through each 429.
    started = time.monotonic()
    async with sandbox_client(info) as client:
        client.add_outcome_listener(outcomes.append)
        for _ in range(REQUESTS):
            await client.get_balance()
    elapsed = time.monotonic() - started

    kinds = [outcome.kind for outcome in outcomes]
    assert kinds.count("ok") == REQUESTS
    assert kinds.count("rate_limited") >= 1
    assert elapsed < 10
    assert client.rate_limit.limit == 3

    # A wait longer than the client's bound raises instead of sleeping.
    async with sandbox_client(info, max_rate_limit_wait_s=0.01) as impatient:
        with pytest.raises(errors.RateLimitedError) as caught:
            for _ in range(REQUESTS):
                await impatient.get_balance()

    assert caught.value.status == 429
    assert caught.value.until is not None
    assert 0 < caught.value.until.timestamp() - time.time() <= 3
    assert impatient.seconds_until_request_allowed() > 0
