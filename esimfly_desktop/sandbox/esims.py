"""eSIM endpoints: list, usage query, live status, cancel with refund, suspend, usage report."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox import esim_views, params
from esimfly_desktop.sandbox.app import Call
from esimfly_desktop.sandbox.errors import SandboxApiError
from esimfly_desktop.sandbox.orders import settle_pending
from esimfly_desktop.sandbox.state import SandboxState

ESIM_STATUSES = ("all", "NEW", "ACTIVE", "EXPIRED", "CANCELLED", "DEPLETED", "DELETED")
GB = Decimal(1024)
MAX_REPORT_DAYS = 90


def _package(state: SandboxState, row: sqlite3.Row) -> dict[str, Any]:
    return state.catalog.by_code[row["package_code"]]


def _visible_rows(state: SandboxState, access_code: str) -> list[sqlite3.Row]:
    """Return the account's eSIMs whose order is no longer pending, newest first."""
    return state.store.connection.execute(
        "SELECT e.* FROM esims e JOIN orders o ON o.order_reference = e.order_reference "
        "WHERE e.access_code = ? AND o.status != 'pending_details' ORDER BY e.id DESC",
        (access_code,),
    ).fetchall()


def expire_due(state: SandboxState) -> None:
    state.store.connection.execute(
        "UPDATE esims SET state = 'EXPIRED' WHERE state = 'ACTIVE' AND expires_at <= ?",
        (state.now(),),
    )


def find_esim(call: Call, row: sqlite3.Row | None, label: str) -> sqlite3.Row:
    if row is None:
        raise SandboxApiError(404, "ESIM_NOT_FOUND", f"No eSIM {label}.")
    if row["access_code"] != call.access_code:
        raise SandboxApiError(403, "FORBIDDEN", f"The eSIM {label} belongs to another account.")
    return row


def esim_from_body(call: Call) -> sqlite3.Row:
    """Find the eSIM named by ``iccid`` or ``esimId`` in the body."""
    body = call.json()
    conn = call.state.store.connection
    settle_pending(call.state)
    expire_due(call.state)
    if body.get("iccid"):
        iccid = str(body["iccid"])
        row = conn.execute("SELECT * FROM esims WHERE iccid = ?", (iccid,)).fetchone()
        return find_esim(call, row, f"with ICCID {iccid}")
    if body.get("esimId") is not None:
        esim_id = body["esimId"]
        row = conn.execute("SELECT * FROM esims WHERE id = ?", (str(esim_id),)).fetchone()
        return find_esim(call, row, f"with id {esim_id}")
    raise SandboxApiError(400, "MISSING_IDENTIFIER", "Send iccid or esimId.")


def _reload(state: SandboxState, iccid: str) -> sqlite3.Row:
    return state.store.connection.execute(
        "SELECT * FROM esims WHERE iccid = ?", (iccid,)
    ).fetchone()


async def list_esims(call: Call) -> dict[str, Any]:
    state = call.state
    settle_pending(state)
    expire_due(state)
    status = params.choice(call.query, "status", ESIM_STATUSES, "all")
    search = (call.query.get("search") or "").strip().lower()
    now = state.now()

    items = []
    for row in _visible_rows(state, call.access_code):
        package = _package(state, row)
        if status != "all" and row["state"] != status:
            continue
        text = f"{row['iccid']} {package['name']} {package['package_code']}".lower()
        if search and search not in text:
            continue
        items.append((row, package))

    page, pagination = params.page_of(items, call.query, default_limit=20)
    esims = [esim_views.list_item(row, package, now, False) for row, package in page]
    return {"success": True, "data": {"esims": esims, "pagination": pagination}}


async def query_usage(call: Call) -> dict[str, Any]:
    state = call.state
    settle_pending(state)
    expire_due(state)
    conn = state.store.connection
    iccid, order_id = call.query.get("iccid"), call.query.get("order_id")
    if iccid:
        row = conn.execute("SELECT * FROM esims WHERE iccid = ?", (iccid,)).fetchone()
        row = find_esim(call, row, f"with ICCID {iccid}")
    elif order_id:
        row = conn.execute(
            "SELECT * FROM esims WHERE order_reference = ? ORDER BY id LIMIT 1", (order_id,)
        ).fetchone()
        row = find_esim(call, row, f"of order {order_id}")
    else:
        raise SandboxApiError(400, "MISSING_ICCID", "Send iccid or order_id.")

    package = _package(state, row)
    return {
        "success": True,
        "data": {
            "esim": {
                "iccid": row["iccid"],
                "order_id": row["order_reference"],
                "package_name": package["name"],
                "status": row["state"],
            },
            "data": esim_views.data_block(row, package["is_unlimited"]),
            "validity": esim_views.validity_block(row, state.now()),
        },
    }


async def esim_status(call: Call) -> dict[str, Any]:
    row = esim_from_body(call)
    state = call.state
    package = _package(state, row)
    installed = row["installed_at"] is not None
    network = package["networks"][0] if package["networks"] else None
    total_gb = (Decimal(row["total_mb"]) / GB).quantize(Decimal("0.01"))
    used_gb = (Decimal(row["used_mb"]) / GB).quantize(Decimal("0.01"))
    return {
        "success": True,
        "data": {
            "iccid": row["iccid"],
            "status": row["state"],
            "esim_status": "Disconnected" if row["suspended"] else "Active",
            "smdp_status": "Installed" if installed else "Released",
            "profile": esim_views.profile_status(row),
            "last_network": {
                "operator": network["network_name"] if installed and network else None,
                "country": network["country_iso2"] if installed and network else None,
                "connection_type": network["network_type"] if installed and network else None,
            },
            "device": {
                "model": row["device_model"],
                "imei": _imei(row["iccid"]) if installed else None,
            },
            "activation_date": esim_views.iso_time(row["installed_at"]),
            "last_usage_date": esim_views.iso_time(row["installed_at"]),
            "expiry_date": esim_views.iso_time(row["expires_at"]),
            "data_usage": {
                "used_gb": used_gb,
                "total_gb": total_gb,
                "unlimited": package["is_unlimited"],
            },
        },
    }


esim_status.server_error = (  # type: ignore[attr-defined]
    502,
    "PROVIDER_ERROR",
    "The mobile network did not respond; try again in a minute.",
)


def _imei(iccid: str) -> str:
    return str(int(hashlib.sha256(iccid.encode()).hexdigest(), 16))[:15]


async def cancel_esim(call: Call) -> dict[str, Any]:
    row = esim_from_body(call)
    state = call.state
    store = state.store
    if row["state"] == "CANCELLED":
        raise SandboxApiError(
            400, "ALREADY_CANCELLED", f"The eSIM {row['iccid']} is already cancelled."
        )
    if row["installed_at"] is not None or row["state"] != "NEW":
        raise SandboxApiError(
            400,
            "NOT_ELIGIBLE",
            f"The eSIM {row['iccid']} was installed or used and cannot be cancelled.",
        )

    order = store.connection.execute(
        "SELECT * FROM orders WHERE order_reference = ?", (row["order_reference"],)
    ).fetchone()
    refund = Decimal(order["unit_cost"])
    with store.transaction() as conn:
        conn.execute("UPDATE esims SET state = 'CANCELLED' WHERE iccid = ?", (row["iccid"],))
        balance = store.move_money(
            conn, call.access_code, "refund", order["order_reference"], refund
        )
        still_live = conn.execute(
            "SELECT COUNT(*) FROM esims WHERE order_reference = ? AND state != 'CANCELLED'",
            (order["order_reference"],),
        ).fetchone()[0]
        if still_live == 0:
            conn.execute(
                "UPDATE orders SET status = 'cancelled' WHERE order_reference = ?",
                (order["order_reference"],),
            )
    state.emit(
        call.access_code,
        "esim.status.changed",
        {"iccid": row["iccid"], "order_reference": order["order_reference"], "status": "CANCELLED"},
    )
    return {
        "success": True,
        "message": "eSIM cancelled and refunded to the balance.",
        "data": {
            "order_reference": order["order_reference"],
            "cancelled_esims": 1,
            "failed_esims": 0,
            "refunded_amount": refund,
            "currency": order["currency"],
            "refund_method": "balance",
            "balance_credited": True,
            "new_balance": balance,
            "cancel_results": [{"iccid": row["iccid"], "success": True, "refunded_amount": refund}],
        },
    }


async def suspend_esim(call: Call) -> dict[str, Any]:
    row = esim_from_body(call)
    action = call.json().get("action", "suspend")
    if action not in ("suspend", "activate"):
        raise SandboxApiError(400, "INVALID_ACTION", "action must be suspend or activate.")
    package = _package(call.state, row)
    if package["provider"] == "Polaris Data":
        raise SandboxApiError(
            400, "UNSUPPORTED_PROVIDER", f"{package['provider']} eSIMs cannot be suspended."
        )
    if row["state"] in ("CANCELLED", "EXPIRED"):
        raise SandboxApiError(400, "NOT_ELIGIBLE", f"A {row['state'].lower()} eSIM cannot change.")

    suspended = action == "suspend"
    call.state.store.connection.execute(
        "UPDATE esims SET suspended = ? WHERE iccid = ?", (int(suspended), row["iccid"])
    )
    esim_status_text = "Disconnected" if suspended else "Active"
    call.state.emit(
        call.access_code,
        "esim.status.changed",
        {
            "iccid": row["iccid"],
            "order_reference": row["order_reference"],
            "status": esim_status_text,
        },
    )
    if row["installed_at"] is not None:
        call.state.emit(
            call.access_code,
            "esim.profile.updated",
            {
                "iccid": row["iccid"],
                "order_reference": row["order_reference"],
                "profile": "Disabled" if suspended else "Enabled",
            },
        )
    return {
        "success": True,
        "message": f"eSIM {action}d.",
        "data": {"iccid": row["iccid"], "action": action, "esim_status": esim_status_text},
    }


async def usage_report(call: Call) -> dict[str, Any]:
    row = esim_from_body(call)
    days = call.json().get("days", 7)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_REPORT_DAYS:
        raise SandboxApiError(400, "INVALID_PARAMETER", "days must be a whole number from 1 to 90.")

    package = _package(call.state, row)
    end = datetime.fromtimestamp(call.state.now(), UTC).date()
    start = end - timedelta(days=days - 1)
    daily = _spread(Decimal(row["used_mb"]), days, row["iccid"])
    total_mb = sum(daily, Decimal(0))
    country = package["countries"][0] if package["countries"] else None
    mcc = package["networks"][0]["mcc_code"] if package["networks"] else None
    return {
        "success": True,
        "message": "Usage report.",
        "data": {
            "iccid": row["iccid"],
            "period_days": days,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "summary": {
                "total_data_mb": total_mb,
                "total_data_gb": _gb(total_mb),
                "avg_daily_mb": (total_mb / days).quantize(Decimal("0.01")),
                "avg_daily_gb": _gb(total_mb / days),
            },
            "daily_usage": [
                {"date": (start + timedelta(days=i)).isoformat(), "data_mb": mb, "data_gb": _gb(mb)}
                for i, mb in enumerate(daily)
            ],
            "by_country": [
                {"country": country, "mcc": mcc, "data_mb": total_mb, "data_gb": _gb(total_mb)}
            ]
            if total_mb
            else [],
        },
    }


def _gb(megabytes: Decimal) -> Decimal:
    return (megabytes / GB).quantize(Decimal("0.001"))


def _spread(used_mb: Decimal, days: int, iccid: str) -> list[Decimal]:
    """Split the usage over the days with a fixed, ICCID-seeded pattern that sums exactly."""
    weights = [1 + hashlib.sha256(f"{iccid}{i}".encode()).digest()[0] % 7 for i in range(days)]
    total_weight = sum(weights)
    shares = [(used_mb * weight / total_weight).quantize(Decimal("0.01")) for weight in weights]
    shares[-1] += used_mb.quantize(Decimal("0.01")) - sum(shares, Decimal(0))
    return shares
