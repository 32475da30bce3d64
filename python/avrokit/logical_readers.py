# SPDX-License-Identifier: Apache-2.0
"""``LOGICAL_READERS``: how values of logical types are read, as fastavro's registry of the
same name (also ``avrokit.read.LOGICAL_READERS``).

Keys are ``"<type>-<logicalType>"`` (``"long-timestamp-millis"``, ``"bytes-decimal"``),
values functions called as ``fn(value, writer_schema, reader_schema)`` with the value as
decoded and the type's schema as a dict; what they return is the value read.  The defaults
below are what avrokit's readers do in C, written in Python so that a program can call one
from its own function::

    from avrokit.read import LOGICAL_READERS

    to_utc = LOGICAL_READERS["long-timestamp-millis"]
    LOGICAL_READERS["long-timestamp-millis"] = lambda v, w, r: to_utc(v, w, r).isoformat()
    LOGICAL_READERS["string-datetime2"] = my_reader       # a logical type of your own
    del LOGICAL_READERS["int-date"]                       # dates stay ints

A change holds for every reader from its next record on (records already read ahead in a
container file's block are not read again); while the registry holds its defaults, none of
its functions is called.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from ._logical import Registry

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Optional

__all__ = ["LOGICAL_READERS"]

_UTC = datetime.timezone.utc
_EPOCH_DATE = datetime.date(1970, 1, 1)
_EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_EPOCH_LOCAL = datetime.datetime(1970, 1, 1)


def read_date(data, writer_schema=None, reader_schema=None):
    """Days since 1970-01-01 to a ``datetime.date``."""
    try:
        return _EPOCH_DATE + datetime.timedelta(days=data)
    except OverflowError:
        raise ValueError(f"date out of range: {data} days from 1970-01-01") from None


def _time(data, per_second):
    # fastavro's arithmetic: int() of a true division, then Python's modulo
    hours = int(data / (3600 * per_second))
    if not 0 <= hours <= 23:
        raise ValueError("hour must be in 0..23")
    return datetime.time(hours, int(data / (60 * per_second)) % 60, int(data / per_second) % 60,
                         data % per_second * (1000000 // per_second))


def read_time_millis(data, writer_schema=None, reader_schema=None):
    """Milliseconds after midnight to a ``datetime.time``."""
    return _time(data, 1000)


def read_time_micros(data, writer_schema=None, reader_schema=None):
    """Microseconds after midnight to a ``datetime.time``."""
    return _time(data, 1000000)


def _timestamp(epoch, micros):
    try:
        return epoch + datetime.timedelta(microseconds=micros)
    except OverflowError:
        raise OverflowError("date value out of range") from None


def read_timestamp_millis(data, writer_schema=None, reader_schema=None):
    """Milliseconds since the epoch to an aware ``datetime.datetime`` in UTC."""
    return _timestamp(_EPOCH_UTC, data * 1000)


def read_timestamp_micros(data, writer_schema=None, reader_schema=None):
    """Microseconds since the epoch to an aware ``datetime.datetime`` in UTC."""
    return _timestamp(_EPOCH_UTC, data)


def read_local_timestamp_millis(data, writer_schema=None, reader_schema=None):
    """Milliseconds since 1970-01-01T00:00 to a naive ``datetime.datetime``."""
    return _timestamp(_EPOCH_LOCAL, data * 1000)


def read_local_timestamp_micros(data, writer_schema=None, reader_schema=None):
    """Microseconds since 1970-01-01T00:00 to a naive ``datetime.datetime``."""
    return _timestamp(_EPOCH_LOCAL, data)


def read_decimal(data, writer_schema=None, reader_schema=None):
    """Big-endian two's-complement bytes to a ``decimal.Decimal`` of the schema's precision
    and scale."""
    ctx = decimal.Context(prec=writer_schema["precision"])
    unscaled = int.from_bytes(data, "big", signed=True)
    return ctx.create_decimal(unscaled).scaleb(-writer_schema.get("scale", 0), ctx)


def read_uuid(data, writer_schema=None, reader_schema=None):
    """A string to a ``uuid.UUID``."""
    return uuid.UUID(data)


# typed as fastavro's: a function of the value, the writer's schema and the reader's
LOGICAL_READERS: Dict[str, Callable[[Any, Optional[Dict[Any, Any]], Optional[Dict[Any, Any]]],
                                    Any]] = Registry({
    "long-timestamp-millis": read_timestamp_millis,
    "long-local-timestamp-millis": read_local_timestamp_millis,
    "long-timestamp-micros": read_timestamp_micros,
    "long-local-timestamp-micros": read_local_timestamp_micros,
    "int-date": read_date,
    "bytes-decimal": read_decimal,
    "fixed-decimal": read_decimal,
    "string-uuid": read_uuid,
    "int-time-millis": read_time_millis,
    "long-time-micros": read_time_micros,
})
