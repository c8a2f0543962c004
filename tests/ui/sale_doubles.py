"""Stand-ins for the purchase flow and catalog records in sale-screen widget tests.

The end-to-end tests use the real flow against the sandbox; these doubles
script a flow's steps so each widget state can be reached quickly.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from esimfly_desktop.api.models import Balance
from esimfly_desktop.api.order_models import Esim
from esimfly_desktop.services.observers import Observers
from esimfly_desktop.services.order_store import StoredOrder
from esimfly_desktop.services.purchase import (
    PurchaseOutcome,
    PurchaseRequest,
    PurchaseState,
    Step,
    StepChange,
    StepState,
)


@dataclass(frozen=True)
class CatalogPackage:
    """The fields of ``api.models.Package`` that the order dialog reads."""

    package_code: str = "JP-5GB-30D"
    name: str = "Japan 5 GB 30 days"
    cost: Decimal = Decimal("4.50")
    currency: str = "USD"


def make_esim(number: int) -> Esim:
    matching_id = f"K2-7QX4ZP-{number:06d}"
    lpa_string = f"LPA:1$smdp.sandbox.esimfly.test${matching_id}"
    return Esim(
        iccid=f"89882470000000000{number:02d}",
        lpa_string=lpa_string,
        apple_install_url="https://esimsetup.apple.com/esim_qrcode_provisioning?carddata="
        + lpa_string,
        total_volume_bytes=5 * 1024**3,
        total_duration_days=30,
        status="New",
    )


def make_order(quantity: int = 2, *, pending: bool = False) -> StoredOrder:
    return StoredOrder(
        order_reference="order_1764880000000_ab12c",
        package_code="JP-5GB-30D",
        package_name="Japan 5 GB 30 days",
        quantity=quantity,
        amount=Decimal("4.50") * quantity,
        currency="USD",
        status="pending_details" if pending else "completed",
        customer_reference="",
        operator="Dana",
        created_at=time.time(),
        placed_here=True,
        esims=() if pending else tuple(make_esim(n) for n in range(1, quantity + 1)),
    )


def balance(amount: str) -> Balance:
    return Balance(amount=Decimal(amount), currency="USD")


@dataclass
class ScriptedFlow:
    """A purchase flow that reports scripted steps, then returns ``outcome``.

    With ``hold`` set, the flow waits on it before its last steps, like a
    pending order waiting for its eSIM details.
    """

    steps: Sequence[tuple[Step, StepState, str]]
    outcome: PurchaseOutcome
    hold: asyncio.Event | None = None
    step_changed: Observers[StepChange] = field(default_factory=Observers)
    requests: list[PurchaseRequest] = field(default_factory=list)
    waiting_cancelled: bool = False

    def cancel_waiting(self) -> None:
        self.waiting_cancelled = True

    async def run(self, request: PurchaseRequest) -> PurchaseOutcome:
        self.requests.append(request)
        for step, state, message in self.steps:
            if self.hold is not None and step is Step.READY:
                await self.hold.wait()
            self.step_changed.notify(StepChange(step, state, time.time(), message))
            await asyncio.sleep(0)
        return self.outcome


def ready_flow(quantity: int = 2, hold: asyncio.Event | None = None) -> ScriptedFlow:
    order = make_order(quantity)
    steps = [
        (Step.CHECKING, StepState.RUNNING, ""),
        (Step.CHECKING, StepState.DONE, ""),
        (Step.PLACING, StepState.RUNNING, ""),
        (Step.PLACING, StepState.DONE, order.order_reference),
        (Step.WAITING, StepState.RUNNING, ""),
        (Step.WAITING, StepState.DONE, ""),
        (Step.READY, StepState.DONE, order.order_reference),
    ]
    return ScriptedFlow(steps, PurchaseOutcome(PurchaseState.READY, order=order), hold)


def short_of_funds_flow() -> ScriptedFlow:
    message = "The balance does not cover the order. Load at least 4.00 USD, then try again."
    steps = [
        (Step.CHECKING, StepState.RUNNING, ""),
        (Step.CHECKING, StepState.FAILED, message),
    ]
    outcome = PurchaseOutcome(PurchaseState.FAILED, message=message, need_to_load=Decimal("4.00"))
    return ScriptedFlow(steps, outcome)


def queued_flow() -> ScriptedFlow:
    message = "The service cannot be reached now. The order is queued."
    steps = [
        (Step.CHECKING, StepState.RUNNING, ""),
        (Step.CHECKING, StepState.DONE, "Balance not confirmed (offline)."),
        (Step.PLACING, StepState.RUNNING, ""),
        (Step.PLACING, StepState.QUEUED, message),
    ]
    return ScriptedFlow(
        steps, PurchaseOutcome(PurchaseState.QUEUED, outbox_item_id=7, message=message)
    )


def price_changed_flow() -> ScriptedFlow:
    from esimfly_desktop.api.errors import PriceMismatchError

    error = PriceMismatchError("PRICE_MISMATCH", 400, "Price mismatch: 4.50 != 5.00", "req-42")
    steps = [
        (Step.CHECKING, StepState.RUNNING, ""),
        (Step.CHECKING, StepState.DONE, ""),
        (Step.PLACING, StepState.RUNNING, ""),
        (
            Step.PLACING,
            StepState.FAILED,
            "The order was not placed: Price mismatch (PRICE_MISMATCH).",
        ),
    ]
    outcome = PurchaseOutcome(PurchaseState.FAILED, outbox_item_id=3, error=error, message="raw")
    return ScriptedFlow(steps, outcome)
