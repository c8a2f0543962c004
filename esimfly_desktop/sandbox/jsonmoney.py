"""JSON with ``Decimal`` money written as plain JSON numbers (``4.50``, never via float)."""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any

# Decimals are swapped for marked strings, encoded, then unquoted. The random
# marker keeps a string sent by a client from being mistaken for a number.
_MARK = f"dec{secrets.token_hex(6)}:"
_MARKED = re.compile(rf'"{_MARK}(-?[0-9]+(?:\.[0-9]+)?)"')


def _mark(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_MARK}{value:f}"
    if isinstance(value, dict):
        return {key: _mark(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark(item) for item in value]
    return value


def dumps(value: Any) -> bytes:
    """Encode ``value`` as compact UTF-8 JSON with every Decimal as a number."""
    text = json.dumps(_mark(value), ensure_ascii=False, separators=(",", ":"))
    return _MARKED.sub(r"\1", text).encode()


def loads(raw: bytes) -> Any:
    """Decode JSON with fractional numbers as Decimal."""
    return json.loads(raw, parse_float=Decimal)
