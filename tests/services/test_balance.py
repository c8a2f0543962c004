"""Confirmed balance: refresh, order updates, persistence, low warning, shortfall."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.api.errors import InsufficientBalanceError, TransportError
from esimfly_desktop.api.models import Balance
from esimfly_desktop.sandbox.launcher import SandboxInfo, SandboxProcess
from esimfly_desktop.services.balance import (
    BalanceService,
    ConfirmationSource,
    ConfirmedBalance,
    CurrencyMismatchError,
    check_funds,
    write_confirmed_balance,
)
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.errors import DatabaseLockedError

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeBalanceReader:
    """Returns queued balances; ``None`` in the queue raises a transport error."""

    def __init__(self, *amounts: str | None, currency: str = "USD") -> None:
        self.amounts = list(amounts)
        self.currency = currency
        self.calls = 0

    async def get_balance(self) -> Balance:
        self.calls += 1
        amount = self.amounts.pop(0)
        if amount is None:
            raise TransportError(
                "connection refused",
                method="GET",
                path="/balance",
                request_id="00000000-0000-4000-8000-000000000001",
                request_sent=False,
            )
        return Balance(amount=Decimal(amount), currency=self.currency)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    yield database
    database.close()


def confirmed(amount: str, currency: str = "USD") -> ConfirmedBalance:
    return ConfirmedBalance(Decimal(amount), currency, START, ConfirmationSource.BALANCE_REQUEST)


def test_funds_enough() -> None:
    funds = check_funds(Decimal("4.50"), 2, "USD", confirmed("100.00"))

    assert funds.is_enough
    assert funds.total == Decimal("9.00")
    assert funds.balance_after == Decimal("91.00")
    assert funds.amount_to_load == 0


def test_funds_shortfall_amount_to_load() -> None:
    funds = check_funds(Decimal("4.50"), 3, "USD", confirmed("10.00"))

    assert not funds.is_enough
    assert funds.total == Decimal("13.50")
    assert funds.amount_to_load == Decimal("3.50")
    assert funds.balance_after == Decimal("-3.50")


def test_funds_exact_balance_is_enough() -> None:
    funds = check_funds(Decimal("4.50"), 2, "USD", confirmed("9.00"))

    assert funds.is_enough
    assert funds.balance_after == 0


def test_funds_whole_dinars() -> None:
    funds = check_funds(Decimal("6500"), 10, "IQD", confirmed("50000", "IQD"))

    assert funds.amount_to_load == Decimal("15000")
    assert str(funds.amount_to_load) == "15000"


def test_funds_currency_mismatch() -> None:
    with pytest.raises(CurrencyMismatchError, match="EUR"):
        check_funds(Decimal("4.50"), 1, "EUR", confirmed("100.00"))


def test_funds_rejects_zero_quantity() -> None:
    with pytest.raises(ValueError, match="quantity"):
        check_funds(Decimal("4.50"), 0, "USD", confirmed("100.00"))


@pytest.mark.asyncio
async def test_refresh_stores_and_announces(database: Database) -> None:
    clock = FakeClock()
    service = BalanceService(database, FakeBalanceReader("125.40"), clock=clock)
    announced: list[ConfirmedBalance] = []
    service.subscribe(announced.append)

    balance = await service.refresh()

    assert balance.amount == Decimal("125.40")
    assert balance.confirmed_at == START
    assert balance.source is ConfirmationSource.BALANCE_REQUEST
    assert announced == [balance]
    assert service.current == balance


@pytest.mark.asyncio
async def test_stored_balance_survives_restart(database: Database) -> None:
    clock = FakeClock()
    await BalanceService(database, FakeBalanceReader("125.40"), clock=clock).refresh()

    restarted = BalanceService(database, FakeBalanceReader(), clock=clock)
    loaded = await restarted.load()

    assert loaded is not None
    assert loaded.amount == Decimal("125.40")
    assert str(loaded.amount) == "125.40"
    assert loaded.confirmed_at == START
    assert restarted.current == loaded


@pytest.mark.asyncio
async def test_load_before_any_balance(database: Database) -> None:
    service = BalanceService(database, FakeBalanceReader())

    assert await service.load() is None
    assert service.current is None


@pytest.mark.asyncio
async def test_order_balance_replaces_refresh(database: Database) -> None:
    clock = FakeClock()
    service = BalanceService(database, FakeBalanceReader("100.00"), clock=clock)
    await service.refresh()
    clock.advance(30)

    balance = await service.record_order_balance(Decimal("91.00"), "USD")

    assert service.current == balance
    assert balance.source is ConfirmationSource.ORDER
    assert balance.confirmed_at == START + timedelta(seconds=30)


@pytest.mark.asyncio
async def test_stale_refresh_does_not_overwrite_order(database: Database) -> None:
    clock = FakeClock()
    reader = FakeBalanceReader("100.00")
    service = BalanceService(database, reader, clock=clock)
    announced: list[ConfirmedBalance] = []
    service.subscribe(announced.append)

    async def slow_balance() -> Balance:
        # The order's response arrives while this balance request is in flight.
        clock.advance(5)
        await service.record_order_balance(Decimal("91.00"), "USD")
        return Balance(amount=Decimal("100.00"), currency="USD")

    reader.get_balance = slow_balance  # type: ignore[method-assign]
    await service.refresh()

    assert service.current is not None
    assert service.current.amount == Decimal("91.00")
    assert [balance.amount for balance in announced] == [Decimal("91.00")]
    restarted = BalanceService(database, FakeBalanceReader())
    stored = await restarted.load()
    assert stored is not None
    assert stored.amount == Decimal("91.00")


@pytest.mark.asyncio
async def test_refresh_replaces_future_stored_balance(database: Database) -> None:
    clock = FakeClock()
    clock.advance(3600)
    await BalanceService(database, FakeBalanceReader("100.00"), clock=clock).refresh()
    corrected = FakeClock()
    restarted = BalanceService(database, FakeBalanceReader("80.00"), clock=corrected)
    await restarted.load()

    balance = await restarted.refresh()

    assert restarted.current == balance
    assert balance.amount == Decimal("80.00")
    assert balance.confirmed_at == START


@pytest.mark.asyncio
async def test_load_after_refresh_keeps_refresh(database: Database) -> None:
    service = BalanceService(database, FakeBalanceReader("80.00"))
    fresh = await service.refresh()
    # The row an earlier session stored, as a load that started first would read it.
    database.run_sync(lambda connection: write_confirmed_balance(connection, confirmed("100.00")))

    stored = await service.load()

    assert stored is not None
    assert stored.amount == Decimal("100.00")
    assert service.current == fresh


@pytest.mark.asyncio
async def test_low_balance_threshold(database: Database) -> None:
    service = BalanceService(
        database, FakeBalanceReader("49.99", "50.00"), low_threshold=Decimal("50")
    )
    assert not service.is_low()

    await service.refresh()
    assert service.is_low()

    await service.refresh()
    assert not service.is_low()

    service.low_threshold = None
    assert not service.is_low()


@pytest.mark.asyncio
async def test_check_order_needs_balance(database: Database) -> None:
    service = BalanceService(database, FakeBalanceReader("20.00"))

    with pytest.raises(LookupError):
        service.check_order(Decimal("4.50"), 1, "USD")

    await service.refresh()
    funds = service.check_order(Decimal("4.50"), 5, "USD")
    assert funds.amount_to_load == Decimal("2.50")


@pytest.mark.asyncio
async def test_periodic_refresh_keeps_last_on_error(database: Database) -> None:
    clock = FakeClock()
    reader = FakeBalanceReader("100.00", None, "80.00")
    delays: list[float] = []

    async def record_delay(seconds: float) -> None:
        delays.append(seconds)
        clock.advance(seconds)

    service = BalanceService(
        database, reader, refresh_interval=timedelta(minutes=5), clock=clock, sleep=record_delay
    )
    await service.run_periodically(max_rounds=2)

    assert delays == [300.0, 300.0]
    assert service.current is not None
    assert service.current.amount == Decimal("100.00")
    assert service.current.confirmed_at == START + timedelta(minutes=5)

    await service.run_periodically(max_rounds=1)
    assert service.current.amount == Decimal("80.00")
    assert reader.calls == 3


class LockedDatabase:
    """A database that another program keeps locked: every statement fails."""

    path = Path("console.sqlite3")

    async def run(self, work: Callable[..., object]) -> object:
        raise DatabaseLockedError("The database is locked by another program.", self.path)


@pytest.mark.asyncio
async def test_periodic_refresh_survives_locked_database() -> None:
    clock = FakeClock()
    reader = FakeBalanceReader("100.00", "80.00")
    announced: list[ConfirmedBalance] = []

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    service = BalanceService(
        LockedDatabase(),  # type: ignore[arg-type]
        reader,
        clock=clock,
        sleep=advance,
    )
    service.subscribe(announced.append)
    await service.run_periodically(max_rounds=2)

    assert reader.calls == 2
    assert [balance.amount for balance in announced] == [Decimal("100.00"), Decimal("80.00")]
    assert service.current is not None
    assert service.current.amount == Decimal("80.00")


@pytest.mark.asyncio
async def test_sandbox_balance_refresh(sandbox: SandboxInfo, database: Database) -> None:
    credentials = Credentials(sandbox.access_code, sandbox.secret)
    async with EsimflyClient(sandbox.base_url, credentials) as client:
        service = BalanceService(database, client)
        balance = await service.refresh()

    assert isinstance(balance.amount, Decimal)
    assert balance.amount >= 0
    assert balance.currency == sandbox.currency


@pytest.mark.asyncio
async def test_sandbox_shortfall_matches_service(
    start_sandbox: Callable[..., SandboxProcess], database: Database
) -> None:
    sandbox = start_sandbox("--balance", "10.00").info
    credentials = Credentials(sandbox.access_code, sandbox.secret)
    async with EsimflyClient(sandbox.base_url, credentials) as client:
        service = BalanceService(database, client)
        await service.refresh()
        packages = await client.list_packages(search="Japan", package_type="local")
        package = max(packages.packages, key=lambda candidate: candidate.cost)
        quantity = int(Decimal("10.00") // package.cost) + 1
        assert quantity <= 10

        funds = service.check_order(package.cost, quantity, package.currency)
        with pytest.raises(InsufficientBalanceError) as rejected:
            await client.create_order(package.package_code, quantity, str(uuid.uuid4()))

    assert not funds.is_enough
    assert funds.amount_to_load == rejected.value.need_to_load
    assert funds.total == rejected.value.required_balance
    assert funds.balance == rejected.value.current_balance


@pytest.mark.asyncio
async def test_sandbox_order_balance_matches_refresh(
    start_sandbox: Callable[..., SandboxProcess], database: Database
) -> None:
    sandbox = start_sandbox("--balance", "100.00").info
    credentials = Credentials(sandbox.access_code, sandbox.secret)
    async with EsimflyClient(sandbox.base_url, credentials) as client:
        service = BalanceService(database, client)
        before = await service.refresh()
        packages = await client.list_packages(search="Japan", package_type="local")
        package = min(packages.packages, key=lambda candidate: candidate.cost)

        result = await client.create_order(package.package_code, 2, str(uuid.uuid4()))
        assert result.new_balance is not None
        assert result.currency is not None
        after_order = await service.record_order_balance(result.new_balance, result.currency)
        refreshed = await service.refresh()

    assert after_order.amount == before.amount - package.cost * 2
    assert refreshed.amount == after_order.amount
    assert service.current == refreshed
