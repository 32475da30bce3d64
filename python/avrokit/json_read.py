# SPDX-License-Identifier: Apache-2.0
"""Reading Avro's JSON encoding, as fastavro's ``json_reader`` does: one JSON record per
line of a text file object, with the values fastavro's reader gives (unions unwrapped,
bytes as bytes, logical types as Python objects)."""

from __future__ import annotations

import io
import json

from . import _ext
from .read import schemaless_reader
from .schema import PRIMITIVES, _compile, parse_schema

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import IO, Any

    from .types import AvroMessage, Schema

__all__ = ["json_reader"]


class _Back:
    """Avro JSON values into Avro binary, by the writer schema, to be decoded as the binary
    reader decodes them; float and double values keep the precision of the JSON text."""

    def __init__(self, named):
        self.named = named

    def resolve(self, schema):
        while isinstance(schema, str) and schema not in PRIMITIVES:
            schema = self.named[schema]
        return schema


class json_reader:
    """Iterate over the records of Avro's JSON encoding in the text file object ``fo``,
    one record per line, written with ``schema`` and resolved to ``reader_schema`` when
    given, as fastavro's json_reader does: the values are those ``reader`` gives (unions
    unwrapped, bytes and fixed as bytes, logical types as their Python objects).
    Attributes: ``writer_schema``, ``reader_schema``.

    avrokit: ``decoder`` (fastavro's decoder class) is not supported: any value but None
    raises ``TypeError``.  Each record goes through the binary encoding, so a float field
    reads as the nearest 32-bit float (0.1 reads as 0.10000000149011612), as it would from
    a data file; fastavro gives the JSON number as it is.

    Raises ``AvroTypeError`` naming the field for a JSON value of the wrong kind (an array
    for a record, a number for bytes) or a value the binary writer refuses, ``AvroError``
    for a missing field without default, a union not written ``{"branch": value}`` or
    bytes with a character past U+00FF, and ``ValueError`` for a line that is not JSON."""

    writer_schema: Schema
    reader_schema: Schema | None

    def __init__(self, fo: IO[Any], schema: Schema, reader_schema: Schema | None = None, *,
                 decoder: None = None) -> None:
        if decoder is not None:
            raise TypeError("json_reader: the decoder argument is not supported by avrokit")
        self._named: dict[str, Any] = {}  # the named types, for references to them
        self.writer_schema = parse_schema(schema, self._named, _write_hint=False)
        self.reader_schema = parse_schema(reader_schema, _write_hint=False) \
            if reader_schema else None
        self._lines = iter(fo)
        # the JSON holds the underlying values: LOGICAL_WRITERS is not for them
        self._enc = _ext.Encoder(_compile(schema), hooks=False)
        self._schema = schema
        self._reader = reader_schema

    def __iter__(self) -> json_reader:
        return self

    def __next__(self) -> AvroMessage:
        for line in self._lines:
            text = line.strip()
            value = json.loads(text)  # fastavro: every line is one record
            data = self._enc.encode(_from_json(value, self.writer_schema, self._named))
            return schemaless_reader(io.BytesIO(data), self._schema, self._reader)
        raise StopIteration


def _from_json(value, schema, named, path=""):
    """An Avro JSON value as the Python value the binary writer takes; a value of the wrong
    JSON kind raises AvroTypeError naming where it is (the binary writer checks the rest)."""
    if isinstance(schema, dict) and "__named_schemas" in schema:
        named = schema["__named_schemas"]
    while isinstance(schema, str) and schema not in PRIMITIVES:
        schema = named[schema]
    if isinstance(schema, list):
        if value is None:
            return None
        if not isinstance(value, dict) or len(value) != 1:
            raise _ext.AvroError(f"{_where(path)}a union value must be {{\"branch\": value}}"
                                 f", not {value!r}")
        (name, inner), = value.items()
        for b in schema:
            t = b
            while isinstance(t, str) and t not in PRIMITIVES:
                t = named[t]
            bname = t["name"] if isinstance(t, dict) and "name" in t else \
                (t["type"] if isinstance(t, dict) else t)
            if bname == name or b == name:
                return (bname, _from_json(inner, b, named, path))
        raise _ext.AvroError(f"{_where(path)}no branch {name!r} in the union")
    t = schema["type"] if isinstance(schema, dict) else schema
    if t in ("record", "error"):
        _expect(value, dict, "an object", f"record {schema.get('name', '')}", path)
        pre = path + "." if path else ""
        return {f["name"]: _from_json(value[f["name"]], f["type"], named, pre + f["name"])
                for f in schema["fields"] if f["name"] in value}
    if t == "array":
        _expect(value, list, "an array", "array", path)
        return [_from_json(v, schema["items"], named, f"{path}[{i}]")
                for i, v in enumerate(value)]
    if t == "map":
        _expect(value, dict, "an object", "map", path)
        return {k: _from_json(v, schema["values"], named, f"{path}[{json.dumps(k, ensure_ascii=False)}]")
                for k, v in value.items()}
    if t == "boolean":
        # (the binary writer takes any value's truth, as fastavro's does: not from JSON)
        _expect(value, bool, "true or false", t, path)
        return value
    if t in ("bytes", "fixed"):
        _expect(value, str, "a string", t, path)
        try:
            return value.encode("latin-1")
        except UnicodeEncodeError:
            raise _ext.AvroError(f"{_where(path)}{t} in JSON is a string of characters "
                                 "U+0000 to U+00FF (one a byte), not "
                                 f"{max(value)!r}") from None
    return value


def _where(path):
    return f"field {path}: " if path else ""


def _json_kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    kinds: dict[type, str] = {str: "a string", list: "an array", dict: "an object"}
    return kinds.get(type(value), type(value).__name__)


def _expect(value, kind, what, avro, path):
    if not isinstance(value, kind):
        raise _ext.AvroTypeError(f"{_where(path)}expected {what} for {avro.rstrip()} in "
                                 f"JSON, got {_json_kind(value)}")
