# SPDX-License-Identifier: Apache-2.0
"""The rare logical-type conversions the C extension hands to Python: decimals, dates given
as ISO text, and datetimes that are naive (read as local time, as fastavro does) or in a
zone other than UTC.  Called as helper(value, precision, scale, size)."""

import datetime
import time

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def date_from_iso(value, precision, scale, size):
    return datetime.date.fromisoformat(value).toordinal() - 719163


def _micros(value):
    if value.tzinfo is not None:
        delta = value - _EPOCH
        return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds
    return int(time.mktime(value.timetuple())) * 1000000 + value.microsecond


def timestamp_millis(value, precision, scale, size):
    us = _micros(value)
    # fastavro drops the sub-millisecond part of the microseconds, rounding towards zero
    return (us - value.microsecond) // 1000 + int(value.microsecond / 1000)


def timestamp_micros(value, precision, scale, size):
    return _micros(value)


def _unscaled(value, precision, scale):
    sign, digits, exp = value.as_tuple()
    if not isinstance(exp, int):
        raise ValueError(f"{value} cannot be a decimal value")
    if len(digits) > precision:
        raise ValueError("The decimal precision is bigger than allowed by schema")
    delta = exp + scale
    if delta < 0:
        raise ValueError("Scale provided in schema does not match the decimal")
    n = 0
    for d in digits:
        n = n * 10 + d
    n *= 10 ** delta
    return -n if sign else n


def bytes_decimal(value, precision, scale, size):
    n = _unscaled(value, precision, scale)
    return n.to_bytes((abs(n).bit_length() + 8) // 8, "big", signed=True)


def fixed_decimal(value, precision, scale, size):
    n = _unscaled(value, precision, scale)
    try:
        return n.to_bytes(size, "big", signed=True)
    except OverflowError:
        raise ValueError(f"{value} does not fit in a fixed of {size} bytes") from None
