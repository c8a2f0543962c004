"""GET /orders: the account's order history with filters, sorting and a summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox import esim_views, params
from esimfly_desktop.sandbox.app import Call
from esimfly_desktop.sandbox.errors import invalid_parameter
from esimfly_desktop.sandbox.orders import settle_pending

STATUSES = ("all", "pending", "completed", "failed", "cancelled")
SORT_COLUMNS = {
    "created_at": "o.created_at",
    "amount": "CAST(o.amount AS REAL)",
    "status": "o.status",
}


def _day(query: dict[str, str], name: str) -> date | None:
    text = query.get(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise invalid_parameter(name, f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


async def list_orders(call: Call) -> dict[str, Any]:
    settle_pending(call.state)
    query = call.query
    status = params.choice(query, "status", STATUSES, "all")
    sort_by = params.choice(query, "sort_by", tuple(SORT_COLUMNS), "created_at")
    sort_order = params.choice(query, "sort_order", ("asc", "desc"), "desc")
    from_day, to_day = _day(query, "from_date"), _day(query, "to_date")

    conditions = ["o.access_code = ?"]
    arguments: list[Any] = [call.access_code]
    if status == "pending":
        conditions.append("o.status = 'pending_details'")
    elif status != "all":
        conditions.append("o.status = ?")
        arguments.append(status)
    if from_day is not None:
        conditions.append("o.created_at >= ?")
        arguments.append(_epoch(from_day))
    if to_day is not None:
        conditions.append("o.created_at < ?")
        arguments.append(_epoch(to_day + timedelta(days=1)))
    search = (query.get("search") or "").strip()
    if search:
        conditions.append(
            "(o.order_reference LIKE ? OR o.package_name LIKE ? OR o.package_code LIKE ? "
            "OR EXISTS (SELECT 1 FROM esims e WHERE e.order_reference = o.order_reference "
            "AND e.iccid LIKE ?))"
        )
        arguments += [f"%{search}%"] * 4

    # The ORDER BY parts come from the fixed tables above, never from the query text.
    direction = str(sort_order).upper()
    rows = call.state.store.connection.execute(
        f"SELECT * FROM orders o WHERE {' AND '.join(conditions)} "
        f"ORDER BY {SORT_COLUMNS[str(sort_by)]} {direction}, o.id {direction}",
        arguments,
    ).fetchall()

    completed = [row for row in rows if row["status"] == "completed"]
    page, pagination = params.page_of(rows, query, default_limit=20)
    return {
        "success": True,
        "data": {
            "orders": [_order_item(call, row) for row in page],
            "summary": {
                "total_orders": len(completed),
                "total_revenue": sum((Decimal(row["amount"]) for row in completed), Decimal(0)),
            },
            "pagination": pagination,
        },
    }


def _order_item(call: Call, row: Any) -> dict[str, Any]:
    first = call.state.store.connection.execute(
        "SELECT * FROM esims WHERE order_reference = ? ORDER BY id LIMIT 1",
        (row["order_reference"],),
    ).fetchone()
    esim = None
    if first is not None and row["status"] != "pending_details":
        esim = {
            "iccid": first["iccid"],
            "status": first["state"],
            "profile_status": esim_views.profile_status(first),
            "lpa_string": esim_views.lpa_of(first),
        }
    return {
        "id": row["id"],
        "order_reference": row["order_reference"],
        "package_name": row["package_name"],
        "package_code": row["package_code"],
        "quantity": row["quantity"],
        "amount": Decimal(row["amount"]),
        "currency": row["currency"],
        "status": row["status"],
        "created_at": esim_views.iso_time(row["created_at"]),
        "esim": esim,
    }
