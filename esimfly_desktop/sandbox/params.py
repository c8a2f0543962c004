"""Reading query and body values, and paging lists, with INVALID_PARAMETER on bad input."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from esimfly_desktop.sandbox.errors import invalid_parameter

MAX_PAGE_SIZE = 100


def integer(query: dict[str, str], name: str, default: int, low: int = 1) -> int:
    text = query.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise invalid_parameter(name, f"{text!r} is not a whole number") from None
    if value < low:
        raise invalid_parameter(name, f"must be at least {low}")
    return value


def choice(
    query: dict[str, str], name: str, allowed: tuple[str, ...], default: str | None
) -> str | None:
    value = query.get(name)
    if value is None or value == "":
        return default
    if value not in allowed:
        raise invalid_parameter(name, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def page_of(
    items: list[Any], query: dict[str, str], default_limit: int
) -> tuple[list[Any], dict[str, int]]:
    """Return one page of ``items`` and the pagination block; ``limit`` is clamped to 100."""
    page = integer(query, "page", 1)
    limit = min(integer(query, "limit", default_limit), MAX_PAGE_SIZE)
    total = len(items)
    start = (page - 1) * limit
    pagination = {
        "page": page,
        "limit": limit,
        "total": total,
        "total_pages": max(1, math.ceil(total / limit)),
    }
    return items[start : start + limit], pagination


def money(value: Any, name: str) -> Decimal:
    """Read a JSON number or numeric string as Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise invalid_parameter(name, "must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise invalid_parameter(name, f"{value!r} is not a number") from None
    if not amount.is_finite():
        raise invalid_parameter(name, "must be a finite number")
    return amount


def text(body: dict[str, Any], name: str, max_length: int = 200) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_parameter(name, "must be a string")
    if len(value) > max_length:
        raise invalid_parameter(name, f"must be at most {max_length} characters")
    return value
