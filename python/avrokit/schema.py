# SPDX-License-Identifier: Apache-2.0
"""Avro schemas, as fastavro's ``fastavro.schema`` module offers them.

``parse_schema`` returns the same normalised dictionaries fastavro returns (full names,
no ``namespace`` keys, named types defined once and referred to by name afterwards, the
``__fastavro_parsed`` hint), so code that inspects parsed schemas keeps working.  Every
schema is also checked by libavrokit, with all the rules of the Avro specification, when
it is first used for data.
"""

import json
import math
import re

from . import _ext

__all__ = [
    "parse_schema", "fullname", "expand_schema", "load_schema", "to_parsing_canonical_form",
    "fingerprint", "SchemaParseException", "UnknownType",
]

SchemaParseException = _ext.SchemaParseException


class UnknownType(SchemaParseException):
    """A schema names a type that is not defined (a ``ValueError``, as in fastavro)."""

    def __init__(self, name, message=None):
        super().__init__(message if message is not None else name)
        #: the undefined name; None when the library found it (the message names it)
        self.name = name


PRIMITIVES = frozenset(
    ("null", "boolean", "int", "long", "float", "double", "bytes", "string"))
NAMED = frozenset(("record", "error", "enum", "fixed"))
_RESERVED = frozenset(
    ("type", "name", "namespace", "fields", "items", "size", "symbols", "values", "doc"))
_FIELD_KEYS = ("doc", "aliases", "default")
_SYMBOL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NO_DEFAULT = object()


def _names(schema, parent_ns):
    """(namespace, full name) of a named type's dictionary."""
    try:
        name = schema["name"]
    except KeyError:
        raise SchemaParseException(
            f'"name" is a required field missing from the schema: {schema}') from None
    if not isinstance(name, str):
        raise SchemaParseException(f"a name must be a string, not {name!r}")
    space = schema.get("namespace", parent_ns)
    if "." in name:
        return name.rsplit(".", 1)[0], name
    if space:
        return space, f"{space}.{name}"
    return "", name


def fullname(schema):
    """The full name of a named type's dictionary (``namespace.name``)."""
    return _names(schema, "")[1]


def _is_float(value):
    try:
        return isinstance(float(value), float)
    except (TypeError, ValueError):
        return False


def _default_fits(default, t):
    if t == "null":
        return default is None
    if t == "boolean":
        return isinstance(default, bool)
    if t in ("string", "bytes"):
        return isinstance(default, str)
    if t in ("int", "long"):
        return isinstance(default, int)
    if t in ("float", "double"):
        return _is_float(default)
    return True


class _Parser:
    def __init__(self, named, expand, ignore_default_error):
        self.named = named
        self.expand = expand
        self.ignore_default_error = ignore_default_error
        self.defined = set()

    def bad_default(self, default, t):
        if self.ignore_default_error:
            return
        what = f"a schema in union with type: {t}" if isinstance(t, list) else \
            f"schema type: {t}"
        raise SchemaParseException(f"Default value <{default}> must match {what}")

    def parse(self, schema, space, hint, default=_NO_DEFAULT):
        if isinstance(schema, list):
            out = [self.parse(s, space, False) for s in schema]
            if default is not _NO_DEFAULT and not any(_default_fits(default, s) for s in out):
                self.bad_default(default, schema)
            return out
        if not isinstance(schema, dict):
            if not isinstance(schema, str):
                raise SchemaParseException(f"not a schema: {schema!r}")
            if schema in PRIMITIVES:
                if default is not _NO_DEFAULT and not _default_fits(default, schema):
                    self.bad_default(default, schema)
                return schema
            name = schema if "." in schema or not space else f"{space}.{schema}"
            if name not in self.named:
                raise UnknownType(name)
            if self.expand and "name" in self.named[name]:
                return self.named[name]
            return name
        if "type" not in schema:
            raise SchemaParseException(f'"type" is missing from the schema: {schema}')
        t = schema["type"]
        out = {k: v for k, v in schema.items() if k not in _RESERVED}
        out["type"] = t
        if "doc" in schema:
            out["doc"] = schema["doc"]
        if out.get("logicalType") == "decimal":
            self.check_decimal(schema, out)
        if t == "array":
            out["items"] = self.parse(schema.get("items"), space, False)
            if default is not _NO_DEFAULT and not isinstance(default, list):
                self.bad_default(default, t)
        elif t == "map":
            out["values"] = self.parse(schema.get("values"), space, False)
            if default is not _NO_DEFAULT and not isinstance(default, dict):
                self.bad_default(default, t)
        elif t in ("enum", "fixed"):
            name = self.define(schema, space)[1]
            if t == "enum":
                symbols = schema.get("symbols")
                if not isinstance(symbols, list) or not all(
                        isinstance(s, str) and _SYMBOL.fullmatch(s) for s in symbols):
                    raise SchemaParseException(
                        "Every symbol must match the regular expression "
                        "[A-Za-z_][A-Za-z0-9_]*")
                if len(symbols) != len(set(symbols)):
                    raise SchemaParseException("All symbols in an enum must be unique")
                if "default" in schema and schema["default"] not in symbols:
                    raise SchemaParseException("Default value for enum must be in symbols list")
            if default is not _NO_DEFAULT and not isinstance(default, str):
                self.bad_default(default, t)
            self.named[name] = out
            out["name"] = name
            if t == "enum":
                out["symbols"] = schema["symbols"]
            else:
                out["size"] = schema.get("size")
        elif t in ("record", "error"):
            inner, name = self.define(schema, space)
            if default is not _NO_DEFAULT and not isinstance(default, dict):
                self.bad_default(default, t)
            self.named[name] = out
            fields = schema.get("fields", [])
            if not isinstance(fields, list):
                raise SchemaParseException(f"fields must be a list, not {fields!r}")
            parsed = [self.field(f, inner) for f in fields]
            # the name goes in only now: while the fields are parsed, a reference to the
            # record itself stays a name, even when expanding
            out["name"] = name
            out["fields"] = parsed
            if hint:
                self.named[name] = dict(out)
                out["__fastavro_parsed"] = True
                out["__named_schemas"] = self.named
        elif t in PRIMITIVES:
            if default is not _NO_DEFAULT and not _default_fits(default, t):
                self.bad_default(default, t)
        else:
            raise UnknownType(t)
        return out

    def define(self, schema, space):
        inner, name = _names(schema, space)
        if name in self.defined:
            raise SchemaParseException(f"redefined named type: {name}")
        self.defined.add(name)
        return inner, name

    def field(self, field, space):
        if not isinstance(field, dict) or "name" not in field or "type" not in field:
            raise SchemaParseException(f"a field needs a name and a type: {field!r}")
        out = {k: v for k, v in field.items() if k not in ("type", "name") + _FIELD_KEYS}
        for k in _FIELD_KEYS:
            if k in field:
                out[k] = field[k]
        if not isinstance(out.get("aliases", []), list):
            raise SchemaParseException(f"aliases must be a list, not {out['aliases']}")
        out["name"] = field["name"]
        out["type"] = self.parse(field["type"], space, False, field.get("default", _NO_DEFAULT))
        return out

    @staticmethod
    def check_decimal(schema, out):
        scale, precision = out.get("scale"), out.get("precision")
        if scale and (not isinstance(scale, int) or scale < 0):
            raise SchemaParseException(f"decimal scale must be a positive integer, not {scale}")
        if precision:
            if not isinstance(precision, int) or precision <= 0:
                raise SchemaParseException(
                    f"decimal precision must be a positive integer, not {precision}")
            if schema.get("type") == "fixed":
                size = schema.get("size", 0)
                if precision > int(math.floor(math.log10(2) * (8 * size - 1))):
                    raise SchemaParseException(
                        f"decimal precision of {precision} doesn't fit into array of "
                        f"length {size}")
        if scale and precision and precision < scale:
            raise SchemaParseException(
                f"decimal scale must be less than or equal to the precision of {precision}")


def parse_schema(schema, named_schemas=None, *, expand=False, _write_hint=True, _force=False,
                 _ignore_default_error=False):
    """Return the parsed form of ``schema`` (a dict, list or str), as fastavro does.

    ``named_schemas``, a dict shared by several calls, lets one schema use the named types
    another defined.  ``expand=True`` writes named types out in full where they are used
    (for reading only: such a schema is not valid Avro to pass back in).  Parsing once and
    passing the parsed schema around saves the work on every call.  Raises
    ``SchemaParseException`` (or ``UnknownType``) for an invalid schema.
    """
    if named_schemas is None:
        named_schemas = {}
    if isinstance(schema, dict) and "__fastavro_parsed" in schema:
        if "__named_schemas" in schema:
            named_schemas.update(schema["__named_schemas"])
        elif not (_force or expand):
            return _Parser(named_schemas, expand, _ignore_default_error).parse(
                schema, "", _write_hint)
        if not (_force or expand):
            return schema
    if isinstance(schema, list) and not (_force or expand):
        return [parse_schema(s, named_schemas, _write_hint=_write_hint,
                             _ignore_default_error=_ignore_default_error) for s in schema]
    if isinstance(schema, str) and schema.lstrip().startswith(("{", "[", '"')):
        # a schema given as JSON text
        try:
            schema = json.loads(schema)
        except ValueError as e:
            raise SchemaParseException(f"not valid JSON: {e}") from None
    return _Parser(named_schemas, expand, _ignore_default_error).parse(schema, "", _write_hint)


def _strip(schema):
    """A parsed schema without fastavro's hints, ready to be JSON."""
    if isinstance(schema, dict):
        return {k: _strip(v) for k, v in schema.items()
                if k not in ("__fastavro_parsed", "__named_schemas")}
    if isinstance(schema, list):
        return [_strip(s) for s in schema]
    return schema


def _self_contained(schema, named, done):
    """A parsed schema as one JSON-able value with each named type defined where it is first
    used and named afterwards (what a schema from several parse_schema calls needs)."""
    if isinstance(schema, list):
        return [_self_contained(s, named, done) for s in schema]
    if isinstance(schema, str):
        if schema in PRIMITIVES or schema in done or schema not in named:
            return schema
        return _self_contained(named[schema], named, done)
    out = {k: v for k, v in schema.items() if k not in ("__fastavro_parsed", "__named_schemas")}
    t = out.get("type")
    if t in NAMED and "name" in out:
        if out["name"] in done:
            return out["name"]
        done.add(out["name"])
    if t in ("record", "error"):
        out["fields"] = [dict(f, type=_self_contained(f["type"], named, done))
                         for f in out.get("fields", [])]
    elif t == "array":
        out["items"] = _self_contained(out["items"], named, done)
    elif t == "map":
        out["values"] = _self_contained(out["values"], named, done)
    elif isinstance(t, (dict, list)) or (isinstance(t, str) and t not in PRIMITIVES and
                                         t not in NAMED and t not in ("array", "map")):
        out["type"] = _self_contained(t, named, done)
    return out


def expand_schema(schema):
    """The schema with every named type written out in full where it is used."""
    return parse_schema(schema, expand=True, _write_hint=False)


def _json_default(o):
    raise TypeError(f"a schema holds {type(o).__name__}, which is not JSON")


_by_id = {}        # id(schema object) -> (object, Schema): the per-call fast path
_by_text = {}      # JSON text -> Schema: a new object with a known schema costs no parse
_ID_MAX, _TEXT_MAX = 32, 64


def _compile(schema, lenient=False):
    """The libavrokit Schema for a schema (raw or parsed), made once per schema.

    Calls with the same schema object find it by ``id`` (the object is kept, so its id stays
    its own); a new object with a schema seen before finds it by its JSON text.  Both caches
    are small and bounded.
    """
    if isinstance(schema, _ext.Schema):
        return schema
    key = (id(schema), lenient)
    hit = _by_id.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    named = {}
    if isinstance(schema, dict) and "__named_schemas" in schema:
        named.update(schema["__named_schemas"])
    if isinstance(schema, str) and schema in PRIMITIVES:
        text = json.dumps(schema)
    else:
        parsed = parse_schema(schema, named, _write_hint=False, _force=True)
        text = json.dumps(_self_contained(parsed, named, set()), default=_json_default,
                          allow_nan=True)
    compiled = _by_text.get((text, lenient))
    if compiled is None:
        compiled = _ext.Schema(text, lenient=lenient)
        if len(_by_text) >= _TEXT_MAX:
            del _by_text[next(iter(_by_text))]
        _by_text[(text, lenient)] = compiled
    if len(_by_id) >= _ID_MAX:
        del _by_id[next(iter(_by_id))]
    _by_id[key] = (schema, compiled)
    return compiled


def to_parsing_canonical_form(schema):
    """The schema's Parsing Canonical Form (str)."""
    return _compile(schema).canonical()


def fingerprint(parsing_canonical_form, algorithm):
    """The fingerprint of a canonical form: CRC-64-AVRO (hex of the 8 little-endian bytes,
    as fastavro gives it), or any hashlib algorithm name (hex digest)."""
    if algorithm == "CRC-64-AVRO":
        return "%016x" % _crc64(parsing_canonical_form.encode())
    import hashlib
    name = {"SHA-256": "sha256", "MD5": "md5"}.get(algorithm, algorithm)
    try:
        h = hashlib.new(name)
    except ValueError:
        raise ValueError(f"unknown fingerprint algorithm: {algorithm}") from None
    h.update(parsing_canonical_form.encode())
    return h.hexdigest()


def _crc64(data):
    fp = 0xC15D213AA4D7A795
    for b in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


def _table():
    t = []
    for i in range(256):
        v = i
        for _ in range(8):
            v = (v >> 1) ^ (0xC15D213AA4D7A795 & -(v & 1))
        t.append(v)
    return t


_TABLE = _table()


def load_schema(schema_path, *, repo=None, named_schemas=None, _write_hint=True,
                _injected_schemas=None):
    """Load a schema from a ``.avsc`` file, resolving named types it uses from files named
    after them (``namespace.Name.avsc``) in the same directory, as fastavro does."""
    import os
    if named_schemas is None:
        named_schemas = {}
    directory = os.path.dirname(schema_path)
    with open(schema_path) as f:
        schema = json.load(f)
    while True:
        try:
            return parse_schema(schema, dict(named_schemas), _write_hint=_write_hint)
        except UnknownType as e:
            path = os.path.join(directory, e.name + ".avsc")
            if not os.path.exists(path):
                raise
            load_schema(path, named_schemas=named_schemas, _write_hint=False)
            with open(path) as f:
                parse_schema(json.load(f), named_schemas, _write_hint=False)
