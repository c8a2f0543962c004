"""The account balance as last confirmed by the service, and whether an order fits it.

The balance is confirmed by ``GET /balance`` (at start and periodically) and
by the ``newBalance`` of every order. The newest confirmation wins: a refresh
counts from when its request was sent and an order from when its response
arrived, so a slow refresh that started before an order can never overwrite
the balance that order reported. That order is kept by a counter, not by the
wall clock, so a corrected system clock cannot block later refreshes. A
balance stored by an earlier session gives way to any confirmation of this one.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.api.models import Balance
from esimfly_desktop.i18n import _
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.errors import StorageError

log = logging.getLogger(__name__)

DEFAULT_REFRESH_INTERVAL = timedelta(minutes=5)

# The periodic loop ends after this many rounds: about 35 days at the default
# interval, far longer than a shop keeps the console open.
MAX_PERIODIC_ROUNDS = 10_000


class BalanceReader(Protocol):
    """The part of ``EsimflyClient`` the balance service uses."""

    async def get_balance(self) -> Balance: ...


class ConfirmationSource(enum.Enum):
    """The source of a confirmed balance: a balance request or an order's response."""

    BALANCE_REQUEST = "balance_request"
    ORDER = "order"


@dataclass(frozen=True)
class ConfirmedBalance:
    """A balance with the moment the service confirmed it."""

    amount: Decimal
    currency: str
    confirmed_at: datetime
    source: ConfirmationSource


class CurrencyMismatchError(ValueError):
    """A price is in another currency than the balance, so the two cannot be compared."""

    def __init__(self, price_currency: str, balance_currency: str) -> None:
        super().__init__(
            _(
                "This package is priced in {price_currency} but the account balance is in "
                "{balance_currency}. Refresh the catalog, or contact eSIMfly support."
            ).format(price_currency=price_currency, balance_currency=balance_currency)
        )
        self.price_currency = price_currency
        self.balance_currency = balance_currency


@dataclass(frozen=True)
class OrderFunds:
    """Whether an order of ``quantity`` packages fits the balance, and what to load if not."""

    total: Decimal
    balance: Decimal
    balance_after: Decimal
    amount_to_load: Decimal
    currency: str

    @property
    def is_enough(self) -> bool:
        return self.amount_to_load == 0


def check_funds(
    unit_price: Decimal, quantity: int, price_currency: str, balance: ConfirmedBalance
) -> OrderFunds:
    """Compare ``unit_price × quantity`` with ``balance``.

    Raises CurrencyMismatchError when the price and the balance are in different currencies.
    """
    if quantity < 1:
        raise ValueError(f"invalid quantity {quantity}: expected 1 or more")
    if price_currency.upper() != balance.currency.upper():
        raise CurrencyMismatchError(price_currency, balance.currency)

    total = unit_price * quantity
    return OrderFunds(
        total=total,
        balance=balance.amount,
        balance_after=balance.amount - total,
        amount_to_load=max(total - balance.amount, Decimal(0)),
        currency=balance.currency,
    )


class BalanceService:
    """Keeps the confirmed balance current, persisted and announced to subscribers."""

    def __init__(
        self,
        database: Database,
        client: BalanceReader,
        *,
        low_threshold: Decimal | None = None,
        refresh_interval: timedelta = DEFAULT_REFRESH_INTERVAL,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._database = database
        self._client = client
        self.low_threshold = low_threshold
        self.refresh_interval = refresh_interval
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sleep = sleep
        self._current: ConfirmedBalance | None = None
        # Sequence number of the current confirmation in this session. None for a stored balance.
        self._current_sequence: int | None = None
        self._next_sequence = itertools.count()
        self._subscribers: list[Callable[[ConfirmedBalance], None]] = []

    @property
    def current(self) -> ConfirmedBalance | None:
        """The newest confirmed balance, or None before the first confirmation."""
        return self._current

    def subscribe(self, callback: Callable[[ConfirmedBalance], None]) -> None:
        """Call ``callback`` with each newly confirmed balance."""
        self._subscribers.append(callback)

    def is_low(self) -> bool:
        """Return True when the confirmed balance is below the low-balance threshold."""
        if self._current is None or self.low_threshold is None:
            return False
        return self._current.amount < self.low_threshold

    def check_order(self, unit_price: Decimal, quantity: int, price_currency: str) -> OrderFunds:
        """Check an order against the confirmed balance.

        Raises LookupError while no balance is confirmed.
        """
        if self._current is None:
            raise LookupError("no balance has been confirmed yet, so refresh the balance first")
        return check_funds(unit_price, quantity, price_currency, self._current)

    async def load(self) -> ConfirmedBalance | None:
        """Read the balance stored by an earlier session, so it shows at once."""
        stored = await self._database.run(read_confirmed_balance)
        if stored is not None and self._current is None:
            self._current = stored
        return stored

    async def refresh(self) -> ConfirmedBalance:
        """Ask the service for the balance, store it and announce it."""
        sequence, requested_at = next(self._next_sequence), self._clock()
        balance = await self._client.get_balance()
        return await self._confirm(
            ConfirmedBalance(
                balance.amount, balance.currency, requested_at, ConfirmationSource.BALANCE_REQUEST
            ),
            sequence,
        )

    async def record_order_balance(self, new_balance: Decimal, currency: str) -> ConfirmedBalance:
        """Store the ``newBalance`` an order's response reported."""
        return await self._confirm(
            ConfirmedBalance(new_balance, currency, self._clock(), ConfirmationSource.ORDER),
            next(self._next_sequence),
        )

    async def run_periodically(self, *, max_rounds: int = MAX_PERIODIC_ROUNDS) -> None:
        """Refresh every ``refresh_interval`` until cancelled or for ``max_rounds`` rounds.

        A failed refresh is logged and the last confirmed balance stays shown
        with its time. The caller keeps a reference to the task that runs this.
        """
        log.info("Periodic balance refresh started, interval %s", self.refresh_interval)
        try:
            for _round in range(max_rounds):
                await self._sleep(self.refresh_interval.total_seconds())
                try:
                    await self.refresh()
                except EsimflyError as error:
                    log.warning(
                        "Balance refresh failed (request id %s): %s",
                        getattr(error, "request_id", None),
                        error,
                    )
        finally:
            log.info("Periodic balance refresh stopped")

    async def _confirm(self, candidate: ConfirmedBalance, sequence: int) -> ConfirmedBalance:
        if not self._accept(candidate, sequence):
            log.info(
                "Ignored a balance confirmed at %s: a newer one exists", candidate.confirmed_at
            )
            return self._current or candidate

        # The service confirmed this balance, so the operator sees it even when
        # the disk is full or another program holds the database lock.
        try:
            await self._database.run(
                lambda connection: write_confirmed_balance(connection, candidate)
            )
        except StorageError as error:
            log.error("Failed to store the confirmed balance in %s: %s", error.path, error)

        for callback in list(self._subscribers):
            try:
                callback(candidate)
            except Exception:
                log.exception("Balance subscriber %r failed", callback)
        return candidate

    def _accept(self, candidate: ConfirmedBalance, sequence: int) -> bool:
        if self._current_sequence is not None and sequence < self._current_sequence:
            return False
        self._current = candidate
        self._current_sequence = sequence
        return True


def read_confirmed_balance(connection: sqlite3.Connection) -> ConfirmedBalance | None:
    """Return the stored balance, read on the database thread."""
    row = connection.execute(
        "SELECT amount, currency, confirmed_at, source FROM confirmed_balance WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return ConfirmedBalance(
        amount=Decimal(row[0]),
        currency=row[1],
        confirmed_at=datetime.fromisoformat(row[2]),
        source=ConfirmationSource(row[3]),
    )


def write_confirmed_balance(connection: sqlite3.Connection, balance: ConfirmedBalance) -> None:
    """Replace the stored balance, on the database thread."""
    connection.execute(
        "INSERT INTO confirmed_balance (id, amount, currency, confirmed_at, source) "
        "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET amount = excluded.amount, "
        "currency = excluded.currency, confirmed_at = excluded.confirmed_at, "
        "source = excluded.source",
        (
            str(balance.amount),
            balance.currency,
            balance.confirmed_at.astimezone(UTC).isoformat(),
            balance.source.value,
        ),
    )


__all__ = [
    "BalanceService",
    "ConfirmationSource",
    "ConfirmedBalance",
    "CurrencyMismatchError",
    "OrderFunds",
    "check_funds",
    "read_confirmed_balance",
    "write_confirmed_balance",
]
