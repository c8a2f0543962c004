"""``esimfly-sandbox``: run the training sandbox until interrupted.

Prints one line once serving:
``esimfly-sandbox ready base_url=... access_code=... secret=... admin_url=...``
and writes the same facts with the admin token to DIR/sandbox.json.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from esimfly_desktop.sandbox.config import (
    CURRENCIES,
    DEFAULT_PENDING_DELAY_S,
    DEFAULT_RATE_LIMITS,
    DEFAULT_WEBHOOK_RETRY_DELAYS_S,
    PENDING_PROVIDER,
    SandboxConfig,
    parse_rate_limits,
)
from esimfly_desktop.sandbox.server import ReadyInfo, serve

log = logging.getLogger("esimfly_desktop.sandbox")


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"invalid amount {text!r}") from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"amount must be zero or more, not {text!r}")
    return amount


def _delays(text: str) -> tuple[float, ...]:
    try:
        delays = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid delays {text!r}: expected seconds, comma-separated"
        ) from None
    if any(delay < 0 for delay in delays):
        raise argparse.ArgumentTypeError(f"delays must not be negative: {text!r}")
    return delays


def _rate_limits(text: str) -> str:
    try:
        parse_rate_limits(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esimfly-sandbox",
        description="Training sandbox of the eSIMfly Business API, on 127.0.0.1 only.",
    )

    parser.add_argument("--port", type=int, default=0, help="API port (0 picks a free port)")

    parser.add_argument(
        "--data-dir", type=Path, required=True, help="folder for state and sandbox.json"
    )

    parser.add_argument(
        "--balance",
        type=_amount,
        default=Decimal("1000.00"),
        help="starting balance of the demo account; applies on the first run or with --reset "
        "(default %(default)s)",
    )

    parser.add_argument(
        "--currency",
        choices=CURRENCIES,
        default="USD",
        help="currency of the demo account; applies on the first run or with --reset",
    )

    parser.add_argument(
        "--rate-limit",
        type=_rate_limits,
        default=DEFAULT_RATE_LIMITS,
        help="requests per window in seconds, comma-separated (default %(default)s)",
    )

    parser.add_argument(
        "--pending-delay",
        type=float,
        default=DEFAULT_PENDING_DELAY_S,
        help=f"seconds that orders of {PENDING_PROVIDER} stay pending_details "
        "(default %(default)s)",
    )

    parser.add_argument(
        "--admin-port", type=int, default=0, help="admin API port (0 picks a free port)"
    )

    parser.add_argument(
        "--webhook-retry-delays",
        type=_delays,
        default=DEFAULT_WEBHOOK_RETRY_DELAYS_S,
        help="seconds between webhook attempts after the first, comma-separated "
        "(default 10,30,120,600)",
    )

    parser.add_argument(
        "--reset", action="store_true", help="discard the saved state and start fresh"
    )

    parser.add_argument("--log-level", default="INFO", help="logging level on stderr")
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when standard input closes, so a child sandbox ends with the program "
        "that started it, even if that program was killed",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    logging.basicConfig(
        level=arguments.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    config = SandboxConfig(
        data_dir=arguments.data_dir.resolve(),
        port=arguments.port,
        admin_port=arguments.admin_port,
        balance=arguments.balance,
        currency=arguments.currency,
        rate_windows=parse_rate_limits(arguments.rate_limit),
        pending_delay_s=max(0.0, arguments.pending_delay),
        reset=arguments.reset,
        webhook_retry_delays_s=arguments.webhook_retry_delays,
    )
    try:
        asyncio.run(_run(config, exit_with_parent=arguments.exit_with_parent))
    except OSError as error:
        log.error("Sandbox could not start: %s", error)
        return 1
    return 0


async def _run(config: SandboxConfig, *, exit_with_parent: bool = False) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    if exit_with_parent:
        _watch_parent_pipe(lambda: loop.call_soon_threadsafe(stop.set))
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signal_number, stop.set)
        except NotImplementedError:
            # Windows event loops have no signal handlers; fall back to signal.signal.
            signal.signal(signal_number, lambda *_: loop.call_soon_threadsafe(stop.set))

    def announce(info: ReadyInfo) -> None:
        print(info.ready_line(), flush=True)

    await serve(config, stop, announce)


def _watch_parent_pipe(on_closed: Callable[[], None]) -> None:
    """Call ``on_closed`` when standard input reaches its end (the parent closed or died)."""

    # os.read on the raw descriptor, because a daemon thread blocked inside
    # the buffered sys.stdin holds its lock and aborts interpreter shutdown.
    descriptor = sys.stdin.fileno()

    def wait_for_end() -> None:
        while os.read(descriptor, 4096):
            pass
        log.info("Standard input closed: the parent process is gone; stopping")
        on_closed()

    threading.Thread(target=wait_for_end, name="parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
