# SPDX-License-Identifier: Apache-2.0
"""The rare logical-type conversions the C extension hands to Python: decimals, dates given
as ISO text, and datetimes that are naive (read as local time, as fastavro does) or in a
zone other than UTC.  Called as helper(value, precision, scale, size).  And the registries
of functions for logical types (Registry, hook_table)."""

from __future__ import annotations

import datetime
import json
import time

from . import _ext

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

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


# ---- the registries: avrokit.read.LOGICAL_READERS, avrokit.write.LOGICAL_WRITERS ----

class Registry(dict):
    """A dict of ``"type-logicalType"`` keys (``"long-timestamp-millis"``) to functions, as
    fastavro's ``LOGICAL_READERS`` and ``LOGICAL_WRITERS`` are, that tells avrokit's
    readers and writers when it changes.  While it holds its defaults the conversions run in
    C; a key mapped to another function has that function called for the values of every
    type with that key, and a key removed leaves its values as they are."""

    def __init__(self, defaults):
        super().__init__(defaults)
        self.defaults = dict(defaults)

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        _ext._logical_changed()

    def __delitem__(self, key):
        super().__delitem__(key)
        _ext._logical_changed()

    # |= takes what update() takes, | only mappings: mypy finds the two incompatible, as
    # it does typeshed's dict.__ior__ (which ignores the error the same way)
    def __ior__(self, other: Any) -> Registry:  # type: ignore[misc]
        self.update(other)
        return self

    def clear(self):
        super().clear()
        _ext._logical_changed()

    def pop(self, *args):
        try:
            return super().pop(*args)
        finally:
            _ext._logical_changed()

    def popitem(self):
        try:
            return super().popitem()
        finally:
            _ext._logical_changed()

    def setdefault(self, key, default=None):
        try:
            return super().setdefault(key, default)
        finally:
            _ext._logical_changed()

    def update(self, *args, **kwargs):
        try:
            super().update(*args, **kwargs)
        finally:
            _ext._logical_changed()


def _unwrap(node):
    """A type given as {"type": <type>} is that type."""
    while isinstance(node, dict) and isinstance(node.get("type"), (dict, list)):
        node = node["type"]
    return node


def _type_at(doc, path):
    """The type that Schema._logical_nodes()'s path leads to in the schema's JSON."""
    node, i = _unwrap(doc), 0
    while i < len(path):
        if path[i] == "fields":
            node, i = node["fields"][path[i + 1]]["type"], i + 3
        else:
            node, i = node[path[i]], i + 1
        node = _unwrap(node)
    return node


def hook_table(schema, writing):
    """For the extension (akpy_hooks()): None when every logical type of the _ext.Schema
    ``schema`` keeps its built-in conversion, else a tuple by node id of None (built in) or
    (function, the type's schema as a dict), the function None for a key the registry no
    longer has."""
    # the registries are Registry objects, typed as fastavro's plain dicts of functions
    registry: dict[str, Any]
    if writing:
        from .logical_writers import LOGICAL_WRITERS as registry
    else:
        from .logical_readers import LOGICAL_READERS as registry
    defaults = registry.defaults  # type: ignore[attr-defined]
    table: list[Any] | None = None
    doc = None
    for node_id, key, path in schema._logical_nodes():
        fn, default = registry.get(key), defaults.get(key)
        if default is not None and fn is default:
            continue  # the built-in conversion, which the extension does itself
        if not fn and default is None:
            continue  # nothing registered for a logical type avrokit leaves alone
        if doc is None:
            doc = json.loads(schema.json)
            table = [None] * schema.node_count
        node = _type_at(doc, path)
        if not isinstance(node, dict):  # not expected: a logical type is always a dict
            node = {"type": key.split("-", 1)[0], "logicalType": key.split("-", 1)[1]}
        table[node_id] = (fn if fn else None, node)
    return tuple(table) if table is not None else None
