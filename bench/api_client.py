"""Per-request overhead of EsimflyClient compared with raw httpx on the same sandbox endpoint.

Starts a private sandbox on loopback and times ``GET /balance`` with raw
httpx and a hand-built signature (the floor), then with EsimflyClient, one
request at a time and with several in flight. The same pairs run once more
on an in-process transport that returns a fixed response, which isolates the
client's own CPU cost from the server's. Prints median and p95 latency,
requests per second, and each client median as a ratio of its raw floor.

    .venv/bin/python bench/api_client.py            # 500 requests per mode
    .venv/bin/python bench/api_client.py --quick    # 200 requests per mode
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.sandbox.launcher import SandboxInfo, SandboxProcess

HIGH_RATE_LIMIT = ("--rate-limit", "10000000/60,100000000/3600,1000000000/86400")
CONCURRENCY = 8
WARM_UP_REQUESTS = 20


@dataclass(frozen=True)
class Result:
    name: str
    latencies_s: list[float]
    wall_s: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_s) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies_s, n=20)[-1] * 1000

    @property
    def requests_per_s(self) -> float:
        return len(self.latencies_s) / self.wall_s


def raw_headers(info: SandboxInfo) -> dict[str, str]:
    """Sign an empty-body request the way the contract describes, without the client."""
    request_id = str(uuid.uuid4())
    timestamp = str(int(time.time() * 1000))
    message = (timestamp + request_id + info.access_code).encode()
    signature = hmac.new(info.secret.encode(), message, hashlib.sha256).hexdigest().upper()
    return {
        "RT-AccessCode": info.access_code,
        "RT-RequestID": request_id,
        "RT-Timestamp": timestamp,
        "RT-Signature": signature,
    }


async def timed_runs(
    name: str, call: Callable[[], Awaitable[None]], count: int, concurrency: int
) -> Result:
    latencies: list[float] = []
    remaining = iter(range(count))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    for _ in range(WARM_UP_REQUESTS):
        await call()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, latencies, time.perf_counter() - started)


async def measure(info: SandboxInfo, count: int) -> list[Result]:
    url = info.base_url + "/balance"
    async with httpx.AsyncClient(trust_env=False) as raw:

        async def raw_call() -> None:
            response = await raw.get(url, headers=raw_headers(info))
            response.raise_for_status()
            response.json()

        raw_result = await timed_runs("raw httpx, sequential", raw_call, count, 1)
        raw_parallel = await timed_runs(
            f"raw httpx, {CONCURRENCY} in flight", raw_call, count, CONCURRENCY
        )

    # Pairs of (raw floor, client) for print_table.
    credentials = Credentials(info.access_code, info.secret)
    async with EsimflyClient(info.base_url, credentials) as client:

        async def client_call() -> None:
            await client.get_balance()

        client_result = await timed_runs("EsimflyClient, sequential", client_call, count, 1)
        client_parallel = await timed_runs(
            f"EsimflyClient, {CONCURRENCY} in flight", client_call, count, CONCURRENCY
        )
    return [raw_result, client_result, raw_parallel, client_parallel]


def fixed_balance_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        content=b'{"success":true,"data":{"balance":1000.00,"currency":"USD"}}',
        headers={"Content-Type": "application/json", "X-RateLimit-Remaining": "99"},
    )


async def measure_in_process(info: SandboxInfo, count: int) -> list[Result]:
    """Time both sides on httpx.MockTransport, so only client-side work is measured."""
    url = info.base_url + "/balance"
    transport = httpx.MockTransport(fixed_balance_response)
    async with httpx.AsyncClient(transport=transport) as raw:

        async def raw_call() -> None:
            response = await raw.get(url, headers=raw_headers(info))
            response.raise_for_status()
            response.json()

        raw_result = await timed_runs("raw httpx, in-process", raw_call, count, 1)

    credentials = Credentials(info.access_code, info.secret)
    async with EsimflyClient(info.base_url, credentials, transport=transport) as client:

        async def client_call() -> None:
            await client.get_balance()

        client_result = await timed_runs("EsimflyClient, in-process", client_call, count, 1)
    return [raw_result, client_result]


def print_table(results: list[Result]) -> None:
    """Print one row per mode; results come in pairs of (raw floor, client)."""
    print(f"{'mode':<32} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'ratio':>6}")
    for index, result in enumerate(results):
        floor = results[index - index % 2]
        ratio = result.median_ms / floor.median_ms
        print(
            f"{result.name:<32} {result.median_ms:>10.2f} {result.p95_ms:>8.2f} "
            f"{result.requests_per_s:>8.0f} {ratio:>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 requests per mode, not 500")
    parser.add_argument("--requests", type=int, help="requests per mode (overrides --quick)")
    parser.add_argument("--json", type=Path, help="also write each mode's figures to this file")
    arguments = parser.parse_args()
    count = arguments.requests or (200 if arguments.quick else 500)

    with tempfile.TemporaryDirectory(prefix="esimfly-bench-") as data_dir:
        sandbox = SandboxProcess.start(data_dir, *HIGH_RATE_LIMIT)
        try:
            results = asyncio.run(measure(sandbox.info, count))
            results += asyncio.run(measure_in_process(sandbox.info, count))
        finally:
            sandbox.stop()

    print(f"GET /balance, {count} requests per mode (loopback sandbox, then in-process)")
    print_table(results)
    if arguments.json is not None:
        rows = [
            {
                "name": r.name,
                "median_ms": r.median_ms,
                "p95_ms": r.p95_ms,
                "requests": len(r.latencies_s),
            }
            for r in results
        ]
        arguments.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
