# SPDX-License-Identifier: Apache-2.0
"""``LOGICAL_WRITERS``: how values of logical types are written, as fastavro's registry of the
same name (also ``avrokit.write.LOGICAL_WRITERS``).

Keys are ``"<type>-<logicalType>"`` (``"long-timestamp-millis"``, ``"fixed-decimal"``),
values functions called as ``fn(value, schema)`` with the value given and the type's schema
as a dict; what they return is written (and checked) as a value of the underlying type.
They are also called when a union's branch is chosen and by ``validate``.  The defaults
below are what avrokit's writers do in C, written in Python so that a program can call one
from its own function::

    from avrokit.write import LOGICAL_WRITERS

    def iso_text(value, schema):                # a logical type of your own
        return value.isoformat() if isinstance(value, datetime.datetime) else value

    LOGICAL_WRITERS["string-datetime2"] = iso_text

A change holds for every writer from its next record on; while the registry holds its
defaults, none of its functions is called.
"""

from __future__ import annotations

import datetime
import decimal
import numbers
import uuid

from ._logical import (Registry, bytes_decimal, date_from_iso, fixed_decimal,
                       timestamp_micros, timestamp_millis)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any, Callable, Dict

__all__ = ["LOGICAL_WRITERS"]

_UTC = datetime.timezone.utc
_ORDINAL_1970 = datetime.date(1970, 1, 1).toordinal()


def prepare_date(data, schema):
    """A ``datetime.date`` (or ISO 8601 text) to days since 1970-01-01; other values as
    they are."""
    if isinstance(data, datetime.date):
        return datetime.date(data.year, data.month, data.day).toordinal() - _ORDINAL_1970
    if isinstance(data, str):
        return date_from_iso(data, 0, 0, 0)
    return data


def _time_micros(data):
    return ((data.hour * 60 + data.minute) * 60 + data.second) * 1000000 + data.microsecond


def _time_of_day(data, name, unit, day):
    """An integer given for a time as it is, if it is a time of day (avrokit: fastavro
    writes any); ValueError if not."""
    if isinstance(data, numbers.Integral) and not isinstance(data, bool) and \
            not 0 <= int(data) < day:
        raise ValueError(f"{name} counts {unit} from midnight, 0 to {day - 1}: {int(data)} "
                         "is no time of day")
    return data


def prepare_time_millis(data, schema):
    """A ``datetime.time`` to milliseconds after midnight; an int from 0 to 86399999 as it
    is (others raise ValueError); other values as they are."""
    if isinstance(data, datetime.time):
        return _time_micros(data) // 1000
    return _time_of_day(data, "time-millis", "milliseconds", 86400000)


def prepare_time_micros(data, schema):
    """A ``datetime.time`` to microseconds after midnight; an int from 0 to 86399999999 as
    it is (others raise ValueError); other values as they are."""
    if isinstance(data, datetime.time):
        return _time_micros(data)
    return _time_of_day(data, "time-micros", "microseconds", 86400000000)


def _wall_micros(data):
    """The datetime's date and time of day, its zone ignored, in microseconds from 1970."""
    days = datetime.date(data.year, data.month, data.day).toordinal() - _ORDINAL_1970
    return days * 86400000000 + _time_micros(data)


def prepare_timestamp_millis(data, schema):
    """A ``datetime.datetime`` to milliseconds since the epoch (naive: local time, as
    fastavro reads it with ``time.mktime``); other values as they are."""
    if not isinstance(data, datetime.datetime):
        return data
    if data.tzinfo is _UTC:
        return _wall_micros(data) // 1000
    return timestamp_millis(data, 0, 0, 0)


def prepare_timestamp_micros(data, schema):
    """A ``datetime.datetime`` to microseconds since the epoch (naive: local time); other
    values as they are."""
    if not isinstance(data, datetime.datetime):
        return data
    if data.tzinfo is _UTC:
        return _wall_micros(data)
    return timestamp_micros(data, 0, 0, 0)


def prepare_local_timestamp_millis(data, schema):
    """A ``datetime.datetime``'s wall-clock date and time (its zone, if any, ignored) to
    milliseconds from 1970-01-01T00:00; other values as they are."""
    return _wall_micros(data) // 1000 if isinstance(data, datetime.datetime) else data


def prepare_local_timestamp_micros(data, schema):
    """A ``datetime.datetime``'s wall-clock date and time to microseconds from
    1970-01-01T00:00; other values as they are."""
    return _wall_micros(data) if isinstance(data, datetime.datetime) else data


def prepare_bytes_decimal(data, schema):
    """A ``decimal.Decimal`` to the big-endian two's-complement bytes of its unscaled
    value at the schema's scale; empty bytes raise ValueError (no number: Java and
    python-avro cannot read them); other values as they are."""
    if not isinstance(data, decimal.Decimal):
        if isinstance(data, (bytes, bytearray)) and not data:
            raise ValueError("a decimal's bytes may not be empty (0 is b'\\x00')")
        return data
    return bytes_decimal(data, schema.get("precision", 0), schema.get("scale", 0), 0)


def prepare_fixed_decimal(data, schema):
    """The same for a ``fixed`` of the schema's size."""
    if not isinstance(data, decimal.Decimal):
        return data
    return fixed_decimal(data, schema.get("precision", 0), schema.get("scale", 0),
                         schema["size"])


_HEX = frozenset("0123456789abcdefABCDEF")


def prepare_uuid(data, schema):
    """A ``uuid.UUID`` to its text; a str must be a UUID's text, 8-4-4-4-12 hexadecimal
    digits (ValueError if not); other values as they are."""
    if isinstance(data, uuid.UUID):
        return str(data)
    if isinstance(data, str) and not (
            len(data) == 36 and all(data[i] == "-" if i in (8, 13, 18, 23) else data[i] in _HEX
                                    for i in range(36))):
        raise ValueError(f"{data!r} is no UUID (8-4-4-4-12 hexadecimal digits, as "
                         "str(uuid.UUID) gives them)")
    return data


# typed as fastavro's: a function of the value and its schema
LOGICAL_WRITERS: Dict[str, Callable[[Any, Dict[Any, Any]], Any]] = Registry({
    "long-timestamp-millis": prepare_timestamp_millis,
    "long-local-timestamp-millis": prepare_local_timestamp_millis,
    "long-timestamp-micros": prepare_timestamp_micros,
    "long-local-timestamp-micros": prepare_local_timestamp_micros,
    "int-date": prepare_date,
    "bytes-decimal": prepare_bytes_decimal,
    "fixed-decimal": prepare_fixed_decimal,
    "string-uuid": prepare_uuid,
    "int-time-millis": prepare_time_millis,
    "long-time-micros": prepare_time_micros,
})
