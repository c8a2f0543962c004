"""GET /balance and GET /esims/packages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox import params
from esimfly_desktop.sandbox.app import Call

PACKAGE_TYPES = ("local", "regional", "global")


async def get_balance(call: Call) -> dict[str, Any]:
    balance: Decimal = call.state.store.balance(call.access_code)
    return {"success": True, "data": {"balance": balance, "currency": call.state.currency}}


async def list_packages(call: Call) -> dict[str, Any]:
    package_type = params.choice(call.query, "type", PACKAGE_TYPES, None)
    packages = call.state.catalog.select(call.query.get("search"), package_type)
    page, pagination = params.page_of(packages, call.query, default_limit=50)
    return {"success": True, "data": {"packages": page, "pagination": pagination}}
