"""Top-ups: GET /topup/packages and POST /topup/order.

A top-up adds the package's data and validity to an existing eSIM. There is
no idempotency key, as on the live service: a repeated request is a second
top-up and a second charge.
"""

from __future__ import annotations

import logging
import sqlite3
from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox import esim_views, params
from esimfly_desktop.sandbox.app import Call
from esimfly_desktop.sandbox.errors import SandboxApiError
from esimfly_desktop.sandbox.esims import expire_due
from esimfly_desktop.sandbox.orders import new_order_reference, read_quantity, settle_pending
from esimfly_desktop.sandbox.state import SandboxState

log = logging.getLogger(__name__)

DAY_S = 86400
NOT_TOPPABLE_STATES = ("CANCELLED", "EXPIRED", "DELETED")


def _esim(call: Call, iccid: str) -> sqlite3.Row:
    settle_pending(call.state)
    expire_due(call.state)
    row = call.state.store.connection.execute(
        "SELECT * FROM esims WHERE iccid = ?", (iccid,)
    ).fetchone()
    if row is None:
        raise SandboxApiError(404, "ESIM_NOT_FOUND", f"No eSIM with ICCID {iccid}.")
    if row["access_code"] != call.access_code:
        raise SandboxApiError(
            403, "ESIM_ACCESS_DENIED", f"The eSIM {iccid} belongs to another account."
        )
    return row


def _check_toppable(row: sqlite3.Row) -> None:
    if row["state"] in NOT_TOPPABLE_STATES:
        raise SandboxApiError(
            400, "ESIM_NOT_TOPPABLE", f"A {row['state'].lower()} eSIM cannot be topped up."
        )


def topup_options(state: SandboxState, row: sqlite3.Row) -> list[dict[str, Any]]:
    """Rechargeable packages of the eSIM's provider for the same countries."""
    original = state.catalog.by_code[row["package_code"]]
    return [
        package
        for package in state.catalog.packages
        if package["provider"] == original["provider"]
        and package["countries"] == original["countries"]
        and package["features"]["is_rechargeable"]
    ]


async def list_topup_packages(call: Call) -> dict[str, Any]:
    iccid = call.query.get("iccid")
    if not iccid:
        raise SandboxApiError(400, "MISSING_ICCID", "iccid is required.")
    row = _esim(call, iccid)
    _check_toppable(row)
    options = topup_options(call.state, row)
    if not options:
        raise SandboxApiError(
            400, "ESIM_NOT_TOPPABLE", f"The eSIM {iccid}'s package cannot be recharged."
        )
    page, pagination = params.page_of(options, call.query, default_limit=50)
    return {"success": True, "data": {"packages": page, "pagination": pagination}}


async def create_topup(call: Call) -> dict[str, Any]:
    state = call.state
    body = call.json()
    iccid, package, quantity = _checked_topup(call, body)

    amount = package["cost"] * quantity
    reference = new_order_reference("topup")
    new_balance = _charge_topup(call, iccid, package, quantity, amount, reference)
    log.info(
        "Top-up %s: %d x %s on %s for %s",
        reference,
        quantity,
        package["package_code"],
        iccid,
        amount,
    )

    updated = state.store.connection.execute(
        "SELECT * FROM esims WHERE iccid = ?", (iccid,)
    ).fetchone()
    return _topup_response(state, updated, package, reference, amount, new_balance)


def _checked_topup(call: Call, body: dict[str, Any]) -> tuple[str, dict[str, Any], int]:
    """Return the ICCID, top-up package and quantity of a valid request, or raise its error."""
    iccid, code = body.get("iccid"), body.get("packageCode")
    if not iccid or not code:
        missing = [name for name in ("iccid", "packageCode") if not body.get(name)]
        raise SandboxApiError(
            400,
            "MISSING_FIELDS",
            f"Missing fields: {', '.join(missing)}.",
            details={"missing": missing},
        )
    iccid = str(iccid)
    quantity = read_quantity(body)
    row = _esim(call, iccid)
    _check_toppable(row)
    if not call.state.catalog.by_code[row["package_code"]]["features"]["is_rechargeable"]:
        raise SandboxApiError(
            400, "TOPUP_NOT_SUPPORTED", f"The eSIM {iccid}'s package cannot be recharged."
        )
    package = next((p for p in topup_options(call.state, row) if p["package_code"] == code), None)
    if package is None:
        raise SandboxApiError(
            400, "INVALID_TOPUP_PACKAGE", f"{code} is not a top-up package for eSIM {iccid}."
        )
    return iccid, package, quantity


def _charge_topup(
    call: Call,
    iccid: str,
    package: dict[str, Any],
    quantity: int,
    amount: Decimal,
    reference: str,
) -> Decimal:
    """Add the data and validity and debit the balance in one transaction, returning the balance."""
    state = call.state
    store = state.store
    with store.transaction() as conn:
        balance = store.balance(call.access_code)
        if balance < amount:
            raise SandboxApiError(
                400,
                "INSUFFICIENT_BALANCE",
                f"The balance {balance} {state.currency} does not cover {amount} {state.currency}.",
                currentBalance=balance,
                requiredBalance=amount,
                needToLoad=amount - balance,
            )
        extra_days = package["validity_days"] * quantity
        conn.execute(
            "UPDATE esims SET total_mb = total_mb + ?, validity_days = validity_days + ?, "
            "expires_at = expires_at + ?, "
            "state = CASE WHEN state = 'DEPLETED' THEN 'ACTIVE' ELSE state END WHERE iccid = ?",
            (
                int(package["data_amount_gb"]) * 1024 * quantity,
                extra_days,
                extra_days * DAY_S,
                iccid,
            ),
        )
        conn.execute(
            "INSERT INTO topups "
            "(order_reference, iccid, package_code, quantity, amount, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (reference, iccid, package["package_code"], quantity, str(amount), state.now()),
        )
        store.record(conn, call.access_code, "topup", reference, amount)
        return store.move_money(conn, call.access_code, "charge", reference, -amount)


def _topup_response(
    state: SandboxState,
    updated: sqlite3.Row,
    package: dict[str, Any],
    reference: str,
    amount: Decimal,
    new_balance: Decimal,
) -> dict[str, Any]:
    total_gb = Decimal(updated["total_mb"]) / 1024
    remaining_gb = max(
        Decimal(0), (Decimal(updated["total_mb"]) - Decimal(updated["used_mb"])) / 1024
    )
    return {
        "success": True,
        "message": "Top-up completed.",
        "orderReference": reference,
        "iccid": updated["iccid"],
        "packageName": package["name"],
        "newBalance": new_balance,
        "currency": state.currency,
        "status": "completed",
        "amount": amount,
        "esimData": {
            "newTotalVolumeGB": total_gb.quantize(Decimal("0.01")),
            "newRemainingVolumeGB": remaining_gb.quantize(Decimal("0.01")),
            "expiredTime": esim_views.iso_time(updated["expires_at"]),
        },
    }
