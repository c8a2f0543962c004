"""Typed field access on decoded JSON, raising ResponseFormatError instead of KeyError.

JSON numbers are decoded as Decimal (``parse_float=Decimal``), so money never
passes through float. Money and counts also accept numeric strings, because
the vendor's examples show both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from esimfly_desktop.api.errors import ResponseFormatError


def decode_json(body: bytes) -> Any:
    """Decode a response body with every JSON number that has a fraction as Decimal."""
    return json.loads(body, parse_float=Decimal)


@dataclass(frozen=True)
class Origin:
    """Source of a decoded value (endpoint and request id), named in error messages."""

    endpoint: str
    request_id: str

    def error(self, field: str, problem: str) -> ResponseFormatError:
        return ResponseFormatError(self.endpoint, field, self.request_id, problem)


class JsonObject:
    """A JSON object with typed getters; ``path`` names it in errors (``data.packages[3]``)."""

    def __init__(self, value: object, origin: Origin, path: str = "") -> None:
        if not isinstance(value, Mapping):
            raise origin.error(path or "<body>", f"is {_kind(value)}, expected an object")
        self.raw: Mapping[str, Any] = value
        self.origin = origin
        self.path = path

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def text(self, name: str) -> str:
        return _require(self, name, self.optional_text(name))

    def optional_text(self, name: str) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise self._wrong_type(name, value, "a string")
        return str(value)

    def decimal(self, name: str) -> Decimal:
        return _require(self, name, self.optional_decimal(name))

    def optional_decimal(self, name: str) -> Decimal | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            raise self._wrong_type(name, value, "a number")
        if isinstance(value, (int, Decimal)):
            return Decimal(value)
        if isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                raise self._wrong_type(name, value, "a number") from None
            if number.is_finite():
                return number
        raise self._wrong_type(name, value, "a number")

    def integer(self, name: str) -> int:
        return _require(self, name, self.optional_integer(name))

    def optional_integer(self, name: str) -> int | None:
        number = self.optional_decimal(name)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise self._wrong_type(name, self.raw[name], "a whole number")
        return int(number)

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self._get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._wrong_type(name, value, "true or false")
        return value

    def object(self, name: str) -> JsonObject:
        return _require(self, name, self.optional_object(name))

    def optional_object(self, name: str) -> JsonObject | None:
        value = self._get(name)
        if value is None:
            return None
        return JsonObject(value, self.origin, self._field(name))

    def objects(self, name: str, *, required: bool = True) -> list[JsonObject]:
        value = self._get(name)
        if value is None and not required:
            return []
        items = _require(self, name, value)
        if not isinstance(items, list):
            raise self._wrong_type(name, items, "a list")
        return [
            JsonObject(item, self.origin, f"{self._field(name)}[{i}]")
            for i, item in enumerate(items)
        ]

    def texts(self, name: str) -> tuple[str, ...]:
        value = self._get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._wrong_type(name, value, "a list of strings")
        return tuple(value)

    def first_name(self, *names: str) -> str:
        """Return the first of ``names`` present with a value, or the first name."""
        return next((name for name in names if self.has(name)), names[0])

    def _get(self, name: str) -> Any:
        return self.raw.get(name)

    def _field(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def _wrong_type(self, name: str, value: Any, expected: str) -> ResponseFormatError:
        return self.origin.error(self._field(name), f"is {_kind(value)}, expected {expected}")


def _require(container: JsonObject, name: str, value: Any) -> Any:
    if value is None:
        raise container.origin.error(container._field(name), "is missing")
    return value


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, Decimal)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
