# SPDX-License-Identifier: Apache-2.0
"""Writing Avro's JSON encoding, as fastavro's ``json_writer`` does: one record per line,
unions as ``{"branch": value}`` (the full name for named types, ``null`` bare), bytes and
fixed as strings of code points U+0000..U+00FF, logical types as their underlying values."""

from __future__ import annotations

import json

from . import _ext
from .schema import PRIMITIVES, _compile, parse_schema
from .write import _check_records

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import IO, Any, Iterable

    from .types import NamedSchemas, Schema

__all__ = ["json_writer"]


def _latin1(b):
    return bytes(b).decode("latin-1")


class _Converter:
    def __init__(self, named, write_union_type, options):
        self.named = named
        self.write_union_type = write_union_type
        self.options = options
        self.encoders = {}

    def resolve(self, schema):
        while isinstance(schema, str) and schema not in PRIMITIVES:
            schema = self.named[schema]
        return schema

    @staticmethod
    def branch_name(t):
        """A union branch's name in tuple notation and in the JSON wrapper: the full name
        of a named type, else its type ("map", "long" for {"type": "long", ...})."""
        if isinstance(t, dict):
            return t["name"] if t["type"] in ("record", "error", "enum", "fixed") else t["type"]
        return t

    def tuple_branch(self, datum, union):
        """(index, value) of a union value in tuple notation, (name, value); None if the
        value is no such tuple (or the notation is off)."""
        if not isinstance(datum, tuple) or len(datum) != 2 or \
                self.options.get("disable_tuple_notation"):
            return None
        name, value = datum
        for i, b in enumerate(union):
            if self.branch_name(self.resolve(b)) == name:
                return i, value
        raise ValueError(f"provided union type name {name} not found in schema {union}")

    def fits(self, datum, schema):
        """fastavro's validation rules, for picking a union branch."""
        import array
        import numbers
        from collections.abc import Mapping, Sequence
        schema = self.resolve(schema)
        if isinstance(schema, list):
            try:
                tb = self.tuple_branch(datum, schema)
            except ValueError:
                return False
            if tb is not None:
                return self.fits(tb[1], schema[tb[0]])
            return any(self.fits(datum, s) for s in schema)
        t = schema["type"] if isinstance(schema, dict) else schema
        logical = schema.get("logicalType") if isinstance(schema, dict) else None
        if logical:
            try:
                datum = self.prepare(datum, schema, t, logical)
            except (TypeError, ValueError, OverflowError):
                return False
        if t == "null":
            return datum is None
        if t == "boolean":
            return isinstance(datum, bool)
        if t in ("int", "long"):
            lim = 2**31 if t == "int" else 2**63
            # (typeshed's numbers.Integral has no __ge__, which int <= Integral falls back on)
            return isinstance(datum, numbers.Integral) and not isinstance(datum, bool) and \
                -lim <= datum < lim  # type: ignore[operator]
        if t in ("float", "double"):
            return isinstance(datum, numbers.Real) and not isinstance(datum, bool)
        if t == "string":
            return isinstance(datum, str)
        if t == "bytes":
            return isinstance(datum, (bytes, bytearray))
        if t == "fixed":
            return isinstance(datum, (bytes, bytearray)) and len(datum) == schema["size"]
        if t == "enum":
            return datum in schema["symbols"]
        if t == "array":
            # as the binary writer: a str, bytes or dict is no array (README difference 25)
            return isinstance(datum, (Sequence, array.array)) and \
                not isinstance(datum, (str, bytes, dict)) \
                and all(self.fits(d, schema["items"]) for d in datum)
        if t == "map":
            return isinstance(datum, Mapping) and all(isinstance(k, str) for k in datum) and \
                all(self.fits(v, schema["values"]) for v in datum.values())
        if t in ("record", "error"):
            if not isinstance(datum, Mapping) or \
                    ("-type" in datum and datum["-type"] != schema["name"]):
                return False
            for f in schema["fields"]:
                if f["name"] in datum:
                    v = datum[f["name"]]
                elif "default" in f:
                    continue  # a default fits its type (the schema was checked)
                elif self.options.get("strict"):
                    return False  # strict wants every field without a default
                else:
                    v = None  # as the binary writer: a missing field is None
                if not self.fits(v, f["type"]):
                    return False
            return True
        return False

    def branch(self, datum, union):
        tb = self.tuple_branch(datum, union)
        if tb is not None:
            return tb
        best, most, could_be_float = -1, -1, False
        for i, b in enumerate(union):
            t = self.resolve(b)
            kind = t["type"] if isinstance(t, dict) else t
            if could_be_float:
                if kind == "double":
                    return i, datum
                continue
            if not self.fits(datum, b):
                continue
            if kind in ("record", "error"):
                n = len({f["name"] for f in t["fields"]} & set(datum))
                if n > most:
                    best, most = i, n
            elif kind == "float":
                best, could_be_float = i, True
            else:
                return i, datum
        if best < 0:
            raise _ext.AvroError(f"{datum!r} (type {type(datum)}) do not match {union}")
        return best, datum

    def convert(self, datum, schema):
        schema = self.resolve(schema)
        if isinstance(schema, list):
            i, datum = self.branch(datum, schema)
            b = self.resolve(schema[i])
            value = self.convert(datum, b)
            kind = b["type"] if isinstance(b, dict) else b
            if not self.write_union_type or kind == "null":
                return value
            return {self.branch_name(b): value}
        t = schema["type"] if isinstance(schema, dict) else schema
        logical = schema.get("logicalType") if isinstance(schema, dict) else None
        if logical:
            datum = self.prepare(datum, schema, t, logical)
        if t in ("record", "error"):
            out = {}
            for f in schema["fields"]:
                name = f["name"]
                if name in datum:
                    v = datum[name]
                elif "default" in f:
                    out[name] = self.default(f["default"], f["type"])
                    continue
                else:
                    v = None
                out[name] = self.convert(v, f["type"])
            return out
        if t == "array":
            return [self.convert(v, schema["items"]) for v in datum]
        if t == "map":
            return {k: self.convert(v, schema["values"]) for k, v in datum.items()}
        if t in ("bytes", "fixed"):
            return _latin1(datum)
        if t in ("float", "double"):
            return float(datum)
        if t == "boolean":
            return bool(datum)
        return datum

    # A field's default is JSON already, in the form of the specification's defaults: bytes
    # and fixed as strings of code points, as the JSON encoding has them too, but a union's
    # value bare, in the first branch it fits (as the binary writer writes it), where the
    # JSON encoding wraps it.

    def default_fits(self, v, schema):
        """Whether the JSON default @v fits @schema, as libavrokit's check has it."""
        schema = self.resolve(schema)
        if isinstance(schema, list):
            return any(self.default_fits(v, b) for b in schema)
        t = schema["type"] if isinstance(schema, dict) else schema
        if t == "null":
            return v is None
        if t == "boolean":
            return isinstance(v, bool)
        if t in ("int", "long"):
            lim = 2**31 if t == "int" else 2**63
            return isinstance(v, int) and not isinstance(v, bool) and -lim <= v < lim
        if t in ("float", "double"):
            return (isinstance(v, (int, float)) and not isinstance(v, bool)) or \
                (isinstance(v, str) and v.lstrip("+-").lower() in ("nan", "inf", "infinity"))
        if t in ("string", "enum"):
            return isinstance(v, str) and (t == "string" or v in schema["symbols"])
        if t in ("bytes", "fixed"):
            return isinstance(v, str) and all(ord(c) < 256 for c in v) and \
                (t == "bytes" or len(v) == schema["size"])
        if t == "array":
            return isinstance(v, list) and all(self.default_fits(x, schema["items"]) for x in v)
        if t == "map":
            return isinstance(v, dict) and \
                all(self.default_fits(x, schema["values"]) for x in v.values())
        if t in ("record", "error"):
            return isinstance(v, dict) and all(
                self.default_fits(v.get(f["name"], f.get("default")), f["type"])
                for f in schema["fields"])
        return False

    def default(self, v, schema):
        """The JSON encoding of the default @v of a field of type @schema."""
        schema = self.resolve(schema)
        if isinstance(schema, list):
            for b in schema:
                if self.default_fits(v, b):
                    b = self.resolve(b)
                    value = self.default(v, b)
                    kind = b["type"] if isinstance(b, dict) else b
                    if not self.write_union_type or kind == "null":
                        return value
                    return {self.branch_name(b): value}
            raise _ext.AvroError(f"default {v!r} fits no branch of {schema}")
        t = schema["type"] if isinstance(schema, dict) else schema
        if t in ("float", "double"):
            return float(v)
        if t == "array":
            return [self.default(x, schema["items"]) for x in v]
        if t == "map":
            return {k: self.default(x, schema["values"]) for k, x in v.items()}
        if t in ("record", "error"):
            return {f["name"]: self.default(v.get(f["name"], f.get("default")), f["type"])
                    for f in schema["fields"]}
        return v

    @staticmethod
    def prepare(datum, schema, t, logical):
        """The value to write for ``datum`` of a logical type: what LOGICAL_WRITERS gives,
        as the binary writer does (its defaults are the built-in conversions)."""
        from .logical_writers import LOGICAL_WRITERS
        fn = LOGICAL_WRITERS.get(f"{t}-{logical}")
        return fn(datum, schema) if fn else datum


def json_writer(fo: IO[Any], schema: Schema, records: Iterable[Any], *,
                write_union_type: bool = True, validator: bool = False, encoder: None = None,
                strict: bool = False, strict_allow_default: bool = False,
                disable_tuple_notation: bool = False) -> None:
    """Write ``records`` to the text file object ``fo`` in Avro's JSON encoding, one per
    line, as fastavro's json_writer does: unions as ``{"branch": value}`` (the full name
    for named types, null bare), bytes and fixed as strings of the code points
    U+0000..U+00FF, logical types as their underlying values.  ``write_union_type=False``
    writes union values without their wrapper (such text cannot always be read back).
    ``validator``, ``strict``, ``strict_allow_default`` and ``disable_tuple_notation`` are
    ``writer``'s.

    avrokit: ``encoder`` (fastavro's encoder class) is not supported: any value but None
    raises ``TypeError``.  Every record is also checked as the binary writer checks it
    (``avrokit.AvroError`` naming the field)."""
    if encoder is not None:
        raise TypeError("json_writer: the encoder argument is not supported by avrokit "
                        "(its JSON is Avro's JSON encoding)")
    _check_records(records)
    named: NamedSchemas = {}
    parsed = parse_schema(schema, named)
    conv = _Converter(named, write_union_type,
                      {"strict": strict, "strict_allow_default": strict_allow_default,
                       "disable_tuple_notation": disable_tuple_notation})
    check = _ext.Encoder(_compile(schema), strict, strict_allow_default,
                         disable_tuple_notation)
    first = True
    for record in records:
        if validator:
            from .validation import validate
            validate(record, parsed, raise_errors=True, strict=strict)
        check.encode(record)  # the checks of the binary writer: range, types, fields
        if not first:
            fo.write("\n")
        first = False
        fo.write(json.dumps(conv.convert(record, parsed)))
