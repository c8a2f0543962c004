"""POST /esims/order and GET /esims/order: buying eSIMs, idempotently.

The balance is debited in the same transaction that writes the order, its
eSIMs and the ledger lines, so a failed order costs nothing. An idempotency
key is reserved before the order runs. A repeat while it runs gets 409
DUPLICATE_REQUEST. A repeat afterwards gets the order in its current state
with ``duplicate: true`` and no charge, whatever the repeat's body contains.
Orders of the pending provider stay ``pending_details`` for the configured
delay and complete when next read.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
import string
import time
from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox import esim_data, esim_views, params
from esimfly_desktop.sandbox.app import Call
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.sandbox.errors import SandboxApiError
from esimfly_desktop.sandbox.state import SandboxState

log = logging.getLogger(__name__)

MAX_QUANTITY = 10
MAX_PACKAGE_CODE_LENGTH = 100


def new_order_reference(prefix: str = "order") -> str:
    suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
    return f"{prefix}_{int(time.time() * 1000)}_{suffix}"


def settle_pending(state: SandboxState) -> None:
    """Complete every pending order whose delay has passed, and announce its eSIMs."""
    conn = state.store.connection
    due = conn.execute(
        "SELECT order_reference, access_code FROM orders "
        "WHERE status = 'pending_details' AND ready_at <= ?",
        (time.time(),),
    ).fetchall()
    for reference, access_code in due:
        conn.execute(
            "UPDATE orders SET status = 'completed' WHERE order_reference = ?", (reference,)
        )
        for (iccid,) in conn.execute(
            "SELECT iccid FROM esims WHERE order_reference = ?", (reference,)
        ).fetchall():
            state.emit(
                access_code, "esim.provisioned", {"iccid": iccid, "order_reference": reference}
            )


def read_quantity(body: dict[str, Any]) -> int:
    quantity = body.get("quantity", 1)
    if isinstance(quantity, Decimal) and quantity == quantity.to_integral_value():
        quantity = int(quantity)
    if isinstance(quantity, str) and quantity.strip().isdigit():
        quantity = int(quantity)
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise SandboxApiError(
            400, "INVALID_QUANTITY", "quantity must be a whole number from 1 to 10."
        )
    if not 1 <= quantity <= MAX_QUANTITY:
        raise SandboxApiError(
            400, "INVALID_QUANTITY", f"quantity must be from 1 to 10, not {quantity}."
        )
    return quantity


def _package(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    code = body.get("packageCode")
    if code is None or code == "":
        raise SandboxApiError(400, "MISSING_PACKAGE_CODE", "packageCode is required.")
    if not isinstance(code, str) or len(code) > MAX_PACKAGE_CODE_LENGTH or code != code.strip():
        raise SandboxApiError(400, "INVALID_PACKAGE", "packageCode is not a valid package code.")
    package = state.catalog.by_code.get(code)
    if package is None:
        raise SandboxApiError(404, "PACKAGE_NOT_FOUND", f"No package with code {code}.")
    return package


def _check_price(package: dict[str, Any], body: dict[str, Any]) -> None:
    if body.get("price") is None:
        return
    price = params.money(body["price"], "price")
    if price != package["cost"]:
        raise SandboxApiError(
            400,
            "PRICE_MISMATCH",
            f"The price {price} differs from the current cost {package['cost']}; "
            "refresh the catalog and confirm the new price.",
            details={"expected_price": package["cost"], "received_price": price},
        )


async def create_order(call: Call) -> dict[str, Any]:
    state = call.state
    body = call.json()
    key = params.text(body, "idempotency_key", max_length=200)

    # A repeat gets its first order back before any check of the body, because
    # the price or the package may have changed since that order was placed.
    if key:
        replay = _reserve_key(state, call.access_code, key)
        if replay is not None:
            return replay

    try:
        package = _package(state, body)
        quantity = read_quantity(body)
        callback_url = params.text(body, "callbackUrl", max_length=2000)
        _check_price(package, body)

        # The latency fault acts here, while the key is reserved, so a repeat can see 409.
        if state.faults.latency_ms:
            await asyncio.sleep(state.faults.latency_ms / 1000)
        reference = _commit_order(state, call.access_code, package, quantity, key, callback_url)
    except BaseException:
        if key:
            state.store.connection.execute(
                "DELETE FROM idempotency_keys WHERE access_code = ? AND idempotency_key = ? "
                "AND state = 'running'",
                (call.access_code, key),
            )
        raise

    if call.client_port is not None and state.faults.roll_drop():
        state.faults.ports_to_drop.add(call.client_port)
    return order_response(state, reference, duplicate=False)


create_order.applies_latency_itself = True  # type: ignore[attr-defined]
create_order.server_error = (  # type: ignore[attr-defined]
    500,
    "ORDER_PROCESSING_ERROR",
    "The order could not be processed and nothing was charged; try again.",
)


def _reserve_key(state: SandboxState, access_code: str, key: str) -> dict[str, Any] | None:
    """Reserve ``key``, or return the replayed order when the key was used before."""
    conn = state.store.connection
    row = conn.execute(
        "SELECT state, order_reference FROM idempotency_keys "
        "WHERE access_code = ? AND idempotency_key = ?",
        (access_code, key),
    ).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO idempotency_keys (access_code, idempotency_key, state, created_at) "
            "VALUES (?, ?, 'running', ?)",
            (access_code, key, time.time()),
        )
        return None
    if row["state"] == "running":
        raise SandboxApiError(
            409,
            "DUPLICATE_REQUEST",
            "An order with this idempotency_key is still being processed; "
            "ask again for its result shortly.",
        )
    log.info("Replaying order %s for a repeated idempotency key", row["order_reference"])
    settle_pending(state)
    return order_response(state, row["order_reference"], duplicate=True)


def _commit_order(
    state: SandboxState,
    access_code: str,
    package: dict[str, Any],
    quantity: int,
    key: str | None,
    callback_url: str | None,
) -> str:
    store = state.store
    amount = package["cost"] * quantity
    reference = new_order_reference()
    now = time.time()
    pending = package["provider"] == PENDING_PROVIDER and state.config.pending_delay_s > 0

    with store.transaction() as conn:
        balance = store.balance(access_code)
        if balance < amount:
            raise SandboxApiError(
                400,
                "INSUFFICIENT_BALANCE",
                f"The balance {balance} {state.currency} does not cover {amount} "
                f"{state.currency}; load at least {amount - balance} {state.currency}.",
                currentBalance=balance,
                requiredBalance=amount,
                needToLoad=amount - balance,
            )
        conn.execute(
            "INSERT INTO orders (order_reference, access_code, package_code, package_name, "
            "quantity, unit_cost, amount, currency, status, created_at, ready_at, callback_url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                reference, access_code, package["package_code"], package["name"], quantity,
                str(package["cost"]), str(amount), state.currency,
                "pending_details" if pending else "completed",
                now, now + (state.config.pending_delay_s if pending else 0), callback_url,
            ),
        )  # fmt: skip
        for _ in range(quantity):
            _insert_esim(conn, access_code, reference, package, now)
        store.record(conn, access_code, "order", reference, amount)
        store.move_money(conn, access_code, "charge", reference, -amount)
        if key:
            conn.execute(
                "UPDATE idempotency_keys SET state = 'done', order_reference = ? "
                "WHERE access_code = ? AND idempotency_key = ?",
                (reference, access_code, key),
            )

    log.info("Order %s: %d x %s for %s", reference, quantity, package["package_code"], amount)
    if not pending:
        for (iccid,) in store.connection.execute(
            "SELECT iccid FROM esims WHERE order_reference = ?", (reference,)
        ).fetchall():
            state.emit(
                access_code, "esim.provisioned", {"iccid": iccid, "order_reference": reference}
            )
    return reference


def _insert_esim(
    conn: sqlite3.Connection,
    access_code: str,
    reference: str,
    package: dict[str, Any],
    now: float,
) -> None:
    network = (
        package["networks"][0] if package["networks"] else {"mcc_code": "001", "mnc_code": "01"}
    )
    issuer = network["mcc_code"] + network["mnc_code"]
    serial = "".join(secrets.choice(string.digits) for _ in range(10 - len(network["mnc_code"])))
    conn.execute(
        "INSERT INTO esims (iccid, order_reference, access_code, package_code, smdp_address, "
        "matching_id, imsi, msisdn, total_mb, validity_days, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            esim_data.new_iccid(issuer), reference, access_code, package["package_code"],
            esim_data.smdp_address(package["provider"]), esim_data.new_matching_id(),
            issuer + serial, "+" + network["mcc_code"] + serial,
            int(package["data_amount_gb"]) * 1024, package["validity_days"], now,
        ),
    )  # fmt: skip


def _order_row(state: SandboxState, reference: str) -> sqlite3.Row:
    return state.store.connection.execute(
        "SELECT * FROM orders WHERE order_reference = ?", (reference,)
    ).fetchone()


def _esim_rows(state: SandboxState, reference: str) -> list[sqlite3.Row]:
    return state.store.connection.execute(
        "SELECT * FROM esims WHERE order_reference = ? ORDER BY id", (reference,)
    ).fetchall()


def order_response(state: SandboxState, reference: str, *, duplicate: bool) -> dict[str, Any]:
    """Build the order-creation response for the order in its current state."""
    order = _order_row(state, reference)
    amount = Decimal(order["amount"])
    body: dict[str, Any] = {
        "success": True,
        "orderReference": reference,
        "packageName": order["package_name"],
        "newBalance": state.store.balance(order["access_code"]),
        "currency": order["currency"],
        "status": order["status"],
        "amount": amount,
        "final_price": amount,
    }
    if duplicate:
        body["duplicate"] = True

    if order["status"] == "pending_details":
        body["message"] = "Order placed; the eSIM details arrive in a few minutes."
        body["isPending"] = True
        body["esims"] = []
        return body

    esims = [esim_views.created_item(row) for row in _esim_rows(state, reference)]
    first = esims[0]
    body["message"] = "Order completed."
    body["isPending"] = False
    body["esimId"] = first["esimId"]
    body["lpaString"] = first["lpaString"]
    body["qrCodeUrl"] = first["qrCodeUrl"]
    body["directAppleInstallUrl"] = first["directAppleInstallUrl"]
    body["esims"] = esims
    return body


async def get_order(call: Call) -> dict[str, Any]:
    state = call.state
    reference = call.query.get("orderReference") or call.query.get("order_reference")
    if not reference:
        raise SandboxApiError(400, "INVALID_PARAMETER", "orderReference is required.")
    settle_pending(state)
    order = _order_row(state, reference)
    if order is None or order["access_code"] != call.access_code:
        raise SandboxApiError(404, "ORDER_NOT_FOUND", f"No order with reference {reference}.")

    pending = order["status"] == "pending_details"
    rows = [] if pending else _esim_rows(state, reference)
    amount = Decimal(order["amount"])
    return {
        "success": True,
        "order": {
            "id": order["id"],
            "packageName": order["package_name"],
            "packageCode": order["package_code"],
            "status": order["status"],
            "amount": amount,
            "finalPrice": amount,
            "currency": order["currency"],
            "quantity": order["quantity"],
            "orderDate": esim_views.iso_time(order["created_at"]),
            "orderReference": reference,
            "paymentMethod": "balance",
            "paymentStatus": "refunded" if order["status"] == "cancelled" else "paid",
            "esim": esim_views.order_esim(rows[0] if rows else None, pending),
            "esims": [esim_views.created_item(row) for row in rows],
        },
    }
