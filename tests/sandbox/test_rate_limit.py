"""Rate limits on a private sandbox with a small budget."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from esimfly_desktop.sandbox.launcher import SandboxInfo, SandboxProcess
from tests.sandbox.raw_api import AdminCalls, RawApi, json_of

BUDGET = 4
MARGIN_S = 3.0


@pytest.fixture(scope="module")
def limited_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    process = SandboxProcess.start(
        tmp_path_factory.mktemp("limited"), "--rate-limit", f"{BUDGET}/60,1000/3600"
    )
    yield process.info
    process.stop()


@pytest.fixture
def limited(limited_sandbox: SandboxInfo) -> Iterator[RawApi]:
    """A fresh account (a fresh budget) on the rate-limited sandbox."""
    admin = AdminCalls(limited_sandbox.admin_url, limited_sandbox.admin_token)
    account = admin.call("POST", "/admin/accounts", {"balance": "0"})
    raw = RawApi(limited_sandbox.base_url, account["access_code"], account["secret"])
    # Windows start on the minute; a test must not straddle two of them.
    seconds_left = 60 - time.time() % 60
    if seconds_left < MARGIN_S:
        time.sleep(seconds_left + 0.05)
    yield raw
    raw.close()


def test_budget_then_429(limited: RawApi) -> None:
    answers = [limited.get("/balance") for _ in range(BUDGET + 1)]
    last = answers[-1]

    assert [a.status_code for a in answers[:BUDGET]] == [200] * BUDGET
    remaining = [int(a.headers["X-RateLimit-Remaining"]) for a in answers[:BUDGET]]
    assert remaining == list(range(BUDGET - 1, -1, -1))
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {str(BUDGET)}
    assert last.status_code == 429
    assert json_of(last)["code"] == "RATE_LIMIT_EXCEEDED"
    assert 1 <= int(last.headers["Retry-After"]) <= 60


def test_reset_is_end_of_minute(limited: RawApi) -> None:
    response = limited.get("/balance")

    reset = datetime.strptime(response.headers["X-RateLimit-Reset"], "%Y-%m-%dT%H:%M:%SZ")
    reset = reset.replace(tzinfo=UTC)
    seconds_left = reset.timestamp() - time.time()
    assert reset.second == 0
    assert -1 < seconds_left <= 60


def test_failed_signature_spends_nothing(limited: RawApi) -> None:
    for _ in range(BUDGET + 2):
        assert limited.get("/balance", signature="AB").status_code == 401

    response = limited.get("/balance")

    assert response.status_code == 200
    assert response.headers["X-RateLimit-Remaining"] == str(BUDGET - 1)


def test_unknown_codes_limited_per_address(limited: RawApi) -> None:
    answers = [limited.get("/balance", access_code="esf_unknown") for _ in range(BUDGET + 1)]

    assert [a.status_code for a in answers] == [401] * BUDGET + [429]
    assert limited.get("/balance").status_code == 200
