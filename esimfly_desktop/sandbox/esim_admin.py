"""Admin actions on accounts and eSIMs: the customer's phone, the network, the balance."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox.errors import SandboxApiError
from esimfly_desktop.sandbox.state import SandboxState

DAY_S = 86400


def _esim(state: SandboxState, iccid: str) -> Any:
    row = state.store.connection.execute("SELECT * FROM esims WHERE iccid = ?", (iccid,)).fetchone()
    if row is None:
        raise SandboxApiError(404, "ESIM_NOT_FOUND", f"No eSIM with ICCID {iccid}.")
    return row


def _summary(state: SandboxState, iccid: str) -> dict[str, Any]:
    row = _esim(state, iccid)
    return {
        "iccid": row["iccid"],
        "state": row["state"],
        "device_model": row["device_model"],
        "used_mb": Decimal(row["used_mb"]),
        "total_mb": row["total_mb"],
    }


def install(state: SandboxState, iccid: str, device_model: str) -> dict[str, Any]:
    """Mark the profile installed on ``device_model``; the validity clock starts now."""
    row = _esim(state, iccid)
    if row["state"] == "CANCELLED":
        raise SandboxApiError(409, "NOT_ELIGIBLE", "A cancelled eSIM cannot be installed.")
    if row["installed_at"] is None:
        now = state.now()
        state.store.connection.execute(
            "UPDATE esims SET installed_at = ?, device_model = ?, state = 'ACTIVE', "
            "expires_at = ? WHERE iccid = ?",
            (now, device_model, now + row["validity_days"] * DAY_S, iccid),
        )
        state.emit(
            row["access_code"],
            "esim.installed",
            {
                "iccid": iccid,
                "order_reference": row["order_reference"],
                "device_model": device_model,
            },
        )
    return _summary(state, iccid)


def set_usage(state: SandboxState, iccid: str, megabytes: Decimal) -> dict[str, Any]:
    """Set the data used so far; at the full volume a limited eSIM becomes DEPLETED."""
    row = _esim(state, iccid)
    if megabytes < 0:
        raise SandboxApiError(400, "INVALID_PARAMETER", "megabytes must not be negative.")
    depleted = (
        megabytes >= row["total_mb"] and row["state"] == "ACTIVE" and not _unlimited(state, row)
    )
    state.store.connection.execute(
        "UPDATE esims SET used_mb = ?, state = ? WHERE iccid = ?",
        (str(megabytes), "DEPLETED" if depleted else row["state"], iccid),
    )
    if row["total_mb"] and megabytes >= row["total_mb"] * Decimal("0.8"):
        state.emit(
            row["access_code"],
            "esim.usage.threshold",
            {"iccid": iccid, "order_reference": row["order_reference"], "used_mb": megabytes},
        )
    return _summary(state, iccid)


def expire(state: SandboxState, iccid: str) -> dict[str, Any]:
    row = _esim(state, iccid)
    state.store.connection.execute(
        "UPDATE esims SET state = 'EXPIRED', expires_at = ? WHERE iccid = ?", (state.now(), iccid)
    )
    state.emit(
        row["access_code"],
        "esim.status.changed",
        {"iccid": iccid, "order_reference": row["order_reference"], "status": "EXPIRED"},
    )
    return _summary(state, iccid)


def add_account(state: SandboxState, balance: Decimal) -> tuple[str, str]:
    access_code = f"esf_{secrets.token_hex(8)}"
    secret = f"sk_{secrets.token_urlsafe(24)}"
    with state.store.transaction():
        state.store.add_account(access_code, secret, balance, state.currency)
    return access_code, secret


def load_funds(state: SandboxState, access_code: str, amount: Decimal) -> Decimal:
    if state.store.account(access_code) is None:
        raise SandboxApiError(404, "NOT_FOUND", f"No account with access code {access_code}.")
    with state.store.transaction() as conn:
        return state.store.move_money(conn, access_code, "funds", "admin", amount)


def _unlimited(state: SandboxState, row: Any) -> bool:
    package = state.catalog.by_code.get(row["package_code"])
    return bool(package and package["is_unlimited"])
