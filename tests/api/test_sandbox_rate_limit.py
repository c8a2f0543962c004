"""The client paces itself through the sandbox's rate limit, or fails fast on a long wait."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from esimfly_desktop.api import RequestOutcome, errors
from esimfly_desktop.sandbox.launcher import SandboxProcess
from tests.api.sandbox_helpers import sandbox_client

# Twice the window's limit, sent at once, so some land in a full window even
# on a slow machine.
BURST = 6


@pytest.mark.asyncio
async def test_rate_limit_waited_out_then_reported(
    start_sandbox: Callable[..., SandboxProcess],
) -> None:
    info = start_sandbox("--rate-limit", "3/2").info
    outcomes: list[RequestOutcome] = []

    # A burst of reads in a window of three: the client sleeps through each 429.
    started = time.monotonic()
    async with sandbox_client(info) as client:
        client.add_outcome_listener(outcomes.append)
        balances = await asyncio.gather(*(client.get_balance() for _ in range(BURST)))
    elapsed = time.monotonic() - started

    kinds = [outcome.kind for outcome in outcomes]
    assert len(balances) == BURST
    assert kinds.count("ok") == BURST
    assert kinds.count("rate_limited") >= 1
    assert elapsed < 15
    assert client.rate_limit.limit == 3

    # A wait longer than the client's bound raises instead of sleeping.
    async with sandbox_client(info, max_rate_limit_wait_s=0.01) as impatient:
        results = await asyncio.gather(
            *(impatient.get_balance() for _ in range(BURST)), return_exceptions=True
        )
        wait_s = impatient.seconds_until_request_allowed()

    rejected = [result for result in results if isinstance(result, errors.RateLimitedError)]
    assert rejected
    assert rejected[0].status == 429
    assert rejected[0].until is not None
    assert rejected[0].until.timestamp() - time.time() <= 3
    assert wait_s >= 0
