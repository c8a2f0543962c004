"""JSON encoding of frozen API dataclasses that keeps money exact.

``Decimal`` values are written as strings and read back with ``Decimal(str)``,
so no amount ever passes through a float. Decoding follows the dataclass's
type hints (``Decimal``, ``tuple[X, ...]``, nested dataclasses, ``X | None``),
so a stored record comes back as the same model the API client returns.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable, Hashable
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

Converter = Callable[[Any], Any]


class RecordFormatError(ValueError):
    """A stored record does not match the current model (a field is missing or invalid)."""


def encode(record: object) -> str:
    """Return ``record`` (a dataclass instance) as compact JSON text."""
    # Converting fields first, in place of a _plain_value call per nested value, cut
    # encoding the sandbox's 7,100 packages from about 95 ms to 65 ms (perf_counter).
    convert = _record_converter(typing.cast(Hashable, type(record)))
    return _ENCODER.encode(record if convert is None else convert(record))


def decode(model: type[T], text: str) -> T:
    """Rebuild a ``model`` instance from text written by :func:`encode`."""
    try:
        return typing.cast(T, _decoder(typing.cast(Hashable, model))(json.loads(text)))
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise RecordFormatError(f"stored {model.__name__} record is invalid: {error}") from error


def _plain_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if _fields_are_instance_dict(type(value)):
            return vars(value)
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    raise TypeError(f"cannot store a {type(value).__name__} value in a record")


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=_plain_value)


@cache
def _record_converter(model: Any) -> Converter | None:
    """Return a function that turns a ``model`` instance into a dict the C encoder can write.

    Returns None for types that are not dataclasses whose __dict__ contains
    exactly their fields. A field value of another type than the field's hint
    is kept, and the encoder passes it to _plain_value as before.
    """
    if not isinstance(model, type) or not dataclasses.is_dataclass(model):
        return None
    if not _fields_are_instance_dict(model):
        return None
    hints = typing.get_type_hints(model)
    conversions = [
        (field.name, convert)
        for field in dataclasses.fields(model)
        if (convert := _field_converter(hints[field.name])) is not None
    ]
    if not conversions:
        # The encoder only reads the dict, so the instance's own __dict__ is enough.
        return vars

    def plain_record(record: Any) -> dict[str, Any]:
        plain = dict(vars(record))
        for name, convert in conversions:
            plain[name] = convert(plain[name])
        return plain

    return plain_record


def _field_converter(hint: Any) -> Converter | None:
    if hint is Decimal:
        return _decimal_text
    if isinstance(hint, type):
        return _nested_record_converter(hint)
    if typing.get_origin(hint) is tuple and isinstance(typing.get_args(hint)[0], type):
        return _record_tuple_converter(typing.get_args(hint)[0])
    return None


def _nested_record_converter(model: type) -> Converter | None:
    convert = _record_converter(model)
    if convert is None:
        return None
    return lambda value: convert(value) if type(value) is model else value


def _record_tuple_converter(model: type) -> Converter | None:
    convert = _record_converter(model)
    if convert is None:
        return None

    def plain_records(values: Any) -> Any:
        if type(values) is not tuple:
            return values
        return [convert(value) if type(value) is model else value for value in values]

    return plain_records


def _decimal_text(value: Any) -> Any:
    return str(value) if type(value) is Decimal else value


@cache
def _fields_are_instance_dict(model: type) -> bool:
    # Without __slots__ and with only init fields, an instance's __dict__
    # contains exactly its dataclass fields (frozen instances get no others).
    return not hasattr(model, "__slots__") and all(
        field.init for field in dataclasses.fields(model)
    )


@cache
def _decoder(model: Any) -> Converter:
    hints = typing.get_type_hints(model)
    all_fields = dataclasses.fields(model)
    init_fields = [field for field in all_fields if field.init]
    names = frozenset(field.name for field in init_fields)
    required = frozenset(field.name for field in init_fields if not _has_default(field))
    conversions = [
        (field.name, convert)
        for field in init_fields
        if (convert := _converter(hints[field.name])) is not _identity
    ]
    restore_directly = _can_restore_directly(model, all_fields)

    def construct(plain: dict[str, Any]) -> Any:
        if not required <= plain.keys():
            raise KeyError(f"missing fields {sorted(required - plain.keys())}")
        return model(**{name: value for name, value in plain.items() if name in names})

    if not restore_directly:
        return _with_conversions(conversions, construct)

    # Loading the catalog decodes about 50,000 records (packages and their
    # networks), so this path avoids extra function calls per record.
    new_instance = object.__new__

    def restore(plain: dict[str, Any]) -> Any:
        for name, convert in conversions:
            if name in plain:
                plain[name] = convert(plain[name])
        if plain.keys() != names:
            return construct(plain)
        instance = new_instance(model)
        instance.__dict__.update(plain)
        return instance

    if not conversions and model.__dataclass_params__.frozen:
        return _sharing_equal_records(restore)
    return restore


# Distinct records kept for sharing, per model; past this, new values are not kept.
MAX_SHARED_RECORDS = 50_000


def _sharing_equal_records(restore: Converter) -> Converter:
    """Return one instance for equal records of a frozen model of plain values.

    Packages of the same area list the same networks: the benchmark's
    20,000-package catalog contains about 107,000 Network records but only
    513 distinct ones. Sharing them saved about 50 MiB of peak memory there
    (bench/memory.py), and a dictionary lookup costs less than building the
    instance.
    """
    shared: dict[tuple[tuple[str, Any], ...], Any] = {}

    def restore_shared(plain: dict[str, Any]) -> Any:
        try:
            key = tuple(plain.items())
            instance = shared.get(key)
        except TypeError:  # an unhashable value, such as a list
            return restore(plain)
        if instance is None:
            instance = restore(plain)
            if len(shared) < MAX_SHARED_RECORDS:
                shared[key] = instance
        return instance

    return restore_shared


def _with_conversions(conversions: list[tuple[str, Converter]], construct: Converter) -> Converter:
    def convert_then_construct(plain: dict[str, Any]) -> Any:
        for name, convert in conversions:
            if name in plain:
                plain[name] = convert(plain[name])
        return construct(plain)

    return convert_then_construct


def _can_restore_directly(model: type, fields: tuple[dataclasses.Field[Any], ...]) -> bool:
    # A record written by encode() contains every field, so the instance can
    # be restored the way pickle and copy do, without the frozen dataclass
    # __init__ that assigns each field through object.__setattr__. A timeit
    # run gave 0.5 µs per Network restored this way against 1.1 µs through
    # __init__ (Python 3.11, shared 2-core machine).
    # Classes whose __init__ does more than assign fields keep using it.
    return (
        not hasattr(model, "__post_init__")
        and not hasattr(model, "__slots__")
        and all(field.init for field in fields)
    )


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


def _converter(hint: Any) -> Converter:
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)

    if hint is Decimal:
        return Decimal
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decoder(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if origin in (typing.Union, types.UnionType):
        return _optional_converter(arguments)
    if origin is tuple:
        return _sequence_converter(arguments[0], tuple)
    if origin is list:
        return _sequence_converter(arguments[0], list)
    if origin is dict:
        value_converter = _converter(arguments[1])
        return lambda plain: {key: value_converter(item) for key, item in plain.items()}
    return _identity


def _optional_converter(arguments: tuple[Any, ...]) -> Converter:
    present = [argument for argument in arguments if argument is not type(None)]
    if len(present) != 1:
        return _identity
    convert = _converter(present[0])
    if convert is _identity:
        return _identity
    return lambda plain: None if plain is None else convert(plain)


def _sequence_converter(item_hint: Any, container: type) -> Converter:
    convert = _converter(item_hint)
    if convert is _identity:
        return container
    return lambda plain: container([convert(item) for item in plain])


def _identity(plain: Any) -> Any:
    return plain


__all__ = ["RecordFormatError", "decode", "encode"]
