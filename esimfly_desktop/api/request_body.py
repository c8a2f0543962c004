"""Serialisation of request bodies, with Decimal amounts written exactly."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any


def encode_body(body: Mapping[str, Any]) -> bytes:
    """Return compact JSON bytes; a Decimal becomes a JSON number with its exact digits.

    ``Decimal("4.50")`` is written as ``4.50``. Going through float would write
    ``4.5`` at best and a rounded binary value at worst.
    """
    return _encode(body).encode("utf-8")


def _encode(value: Any) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot send the non-finite amount {value} in a request body")
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("money and other fractions in request bodies must be Decimal, not float")
    if isinstance(value, Mapping):
        members = (f"{json.dumps(str(key))}:{_encode(item)}" for key, item in value.items())
        return "{" + ",".join(members) + "}"
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return "[" + ",".join(_encode(item) for item in value) + "]"
    return json.dumps(value)
