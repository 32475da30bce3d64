# SPDX-License-Identifier: Apache-2.0
"""Avro schemas, as fastavro's ``fastavro.schema`` module offers them.

``parse_schema`` returns the same normalised dictionaries fastavro returns (full names,
no ``namespace`` keys, named types defined once and referred to by name afterwards, the
``__fastavro_parsed`` hint), so code that inspects parsed schemas keeps working.  Every
schema is also checked by libavrokit, with all the rules of the Avro specification, when
it is first used for data.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping

from . import _ext

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

    from .repository import AbstractSchemaRepository
    from .types import NamedSchemas, Schema

__all__ = [
    "parse_schema", "fullname", "expand_schema", "load_schema", "load_schema_ordered",
    "to_parsing_canonical_form", "FINGERPRINT_ALGORITHMS", "fingerprint",
    "SchemaParseException", "UnknownType", "SchemaRepositoryError",
]

SchemaParseException = _ext.SchemaParseException


class UnknownType(SchemaParseException):
    """A schema names a type that is not defined (a ``ValueError``, as in fastavro)."""

    name: str | None

    def __init__(self, name: str | None, message: str | None = None) -> None:
        super().__init__(message if message is not None else name)
        #: the undefined name; None when the library found it (the message names it)
        self.name = name


PRIMITIVES = frozenset(
    ("null", "boolean", "int", "long", "float", "double", "bytes", "string"))
NAMED = frozenset(("record", "error", "enum", "fixed"))
_RESERVED = frozenset(
    ("type", "name", "namespace", "fields", "items", "size", "symbols", "values", "doc",
     "__fastavro_parsed", "__named_schemas"))  # (the hints are put back where wanted)
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


def fullname(schema: Schema) -> str:
    """The full name of a named type's dictionary, as fastavro's fullname gives it: its
    ``name`` when that has a dot, else ``namespace.name``, else ``name``."""
    return _names(schema, "")[1]


# fastavro's helpers below are private API there (not in __all__), but scripts import them.

# What fastavro counts as a type of its own rather than the name of a named type: the
# schema types, and the protocol's "request" and "error_union"
_AVRO_TYPES = PRIMITIVES | NAMED | {"array", "map", "union", "request", "error_union"}


def schema_name(schema, parent_ns):
    """``(namespace, full name)`` of a named type's dictionary, as fastavro's schema_name
    gives them.  A name with a dot is a full name, its namespace what comes before the last
    dot; else the schema's ``namespace``, or ``parent_ns`` (the enclosing type's) when it has
    none, is put in front, unless it is empty or None: then the namespace is ``''``.

    ``SchemaParseException`` when the schema has no ``name``; ``TypeError`` when ``schema``
    is not a mapping, or its name, or the namespace it takes (its own or ``parent_ns``) is
    not a str (None stands for no namespace).
    """
    if not isinstance(schema, Mapping):
        raise TypeError(f"a named type's schema is a dict, not {type(schema).__name__}")
    name = schema.get("name")
    if "name" in schema and not isinstance(name, str):
        raise TypeError(f"a name must be a str, not {type(name).__name__}: {name!r}")
    space = schema.get("namespace", parent_ns)
    if space is not None and not isinstance(space, str):
        raise TypeError(f"a namespace must be a str or None, not {type(space).__name__}: "
                        f"{space!r}")
    return _names(schema, parent_ns)


def extract_record_type(schema, /):
    """The type of any schema, as fastavro's extract_record_type gives it: a dict's
    ``type`` (``KeyError`` without one), ``'union'`` for a list, and anything else (a type
    name) as it is."""
    if isinstance(schema, dict):
        return schema["type"]
    if isinstance(schema, list):
        return "union"
    return schema


def extract_logical_type(schema, /):
    """``'TYPE-LOGICALTYPE'`` (``'int-date'``, ``'bytes-decimal'``) for a dict with a
    ``logicalType``, else None, as fastavro's extract_logical_type gives it.  A dict without
    ``type`` raises ``KeyError``, with or without a logical type; an empty (false)
    ``logicalType`` counts as none."""
    if not isinstance(schema, dict):
        return None
    t = schema["type"]
    logical = schema.get("logicalType")
    return f"{t}-{logical}" if logical else None


def _union_counts(union):
    """(named types, records) among a union's branches, fastavro's way: a name that is not
    a type of Avro's counts as both, since it may name a record."""
    if isinstance(union, (str, bytes, Mapping)):
        raise TypeError(f"a union is a list of schemas, not {type(union).__name__}: "
                        f"{union!r}")
    named = records = 0
    for branch in union:
        t = extract_record_type(branch)
        if t in ("enum", "fixed"):
            named += 1
        elif t == "record" or t not in _AVRO_TYPES:
            named += 1
            records += 1
    return named, records


def is_single_record_union(schema, /):
    """Whether exactly one branch of the union ``schema`` (a list of schemas) is a record,
    as fastavro's is_single_record_union counts them: a record's dict or the name of a named
    type (which might be a record), not an ``error``.  ``TypeError`` when ``schema`` is a
    str or a dict rather than a union."""
    return _union_counts(schema)[1] == 1


def is_single_name_union(schema, /):
    """Whether exactly one branch of the union ``schema`` (a list of schemas) is a named
    type, as fastavro's is_single_name_union counts them: a record's, an enum's or a fixed's
    dict, or a name; not an ``error``.  ``TypeError`` when ``schema`` is a str or a dict
    rather than a union."""
    return _union_counts(schema)[0] == 1


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
    def __init__(self, named, expand, ignore_default_error, lenient=False):
        self.named = named
        self.expand = expand
        self.ignore_default_error = ignore_default_error
        # a data file's own schema: a decimal whose parameters are invalid is left as its
        # bytes or fixed (the specification's rule; Java's and python-avro's readers)
        self.lenient = lenient
        self.defined = set()
        # inside a parsed schema (parse_schema's output) every name is a full name: one
        # without a dot is in the null namespace, not in the enclosing type's
        self.full = False

    def bad_default(self, default, t):
        if self.ignore_default_error:
            return
        what = f"a schema in union with type: {t}" if isinstance(t, list) else \
            f"schema type: {t}"
        raise SchemaParseException(f"Default value <{default}> must match {what}")

    def parse(self, schema, space, hint, default=_NO_DEFAULT):
        if isinstance(schema, dict) and "__fastavro_parsed" in schema and not self.full:
            self.full = True
            try:
                return self.parse(schema, "", hint, default)
            finally:
                self.full = False
        if self.full:
            space = ""
        if isinstance(schema, list):
            branches = [self.parse(s, space, False) for s in schema]
            if default is not _NO_DEFAULT and \
                    not any(_default_fits(default, s) for s in branches):
                self.bad_default(default, schema)
            return branches
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
            try:
                self.check_decimal(schema, out)
            except SchemaParseException:
                if not self.lenient:
                    raise
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
            elif "size" not in schema:
                raise SchemaParseException(f'fixed "{name}" is missing its "size"')
            else:
                out["size"] = schema["size"]
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


def parse_schema(schema: Schema, named_schemas: NamedSchemas | None = None, *,
                 expand: bool = False, _write_hint: bool = True, _force: bool = False,
                 _ignore_default_error: bool = False, _lenient: bool = False) -> Schema:
    """Return the parsed form of ``schema`` (a dict, list or str), as fastavro's
    parse_schema does: full names, no ``namespace`` keys, each named type defined once and
    named afterwards, ``__fastavro_parsed`` and ``__named_schemas`` keys on records (unless
    ``_write_hint=False``).  ``named_schemas``, a dict shared by several calls, lets one
    schema use the named types another defined.  ``expand=True`` writes named types out in
    full where they are used (for reading the schema: such a schema is not valid Avro to
    pass back in).  Parsing once and passing the parsed schema around saves work on every
    call.  Raises ``SchemaParseException`` (or ``UnknownType``) for an invalid schema.

    avrokit: a str that starts as JSON does (``{``, ``[`` or ``"``) is parsed as the JSON
    text of a schema (fastavro takes any str for a type name).  libavrokit checks a schema
    fully (names, duplicate fields, symbols and union branches, unions in unions) when it
    is first used for data, so a schema this function accepts may still be refused there
    with ``SchemaParseException``.
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
    return _Parser(named_schemas, expand, _ignore_default_error, _lenient).parse(
        schema, "", _write_hint)


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
        if isinstance(out["name"], str) and "." not in out["name"]:
            # a full name without a dot is in the null namespace, not the enclosing one's
            out["namespace"] = ""
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


def expand_schema(schema: Schema) -> Schema:
    """The schema parsed, with every named type written out in full wherever it is used
    (fastavro's expand_schema): for looking at a schema, not for passing back in."""
    return parse_schema(schema, expand=True, _write_hint=False)


def _json_default(o):
    raise TypeError(f"a schema holds {type(o).__name__}, which is not JSON")


# id(schema object) -> (object, Schema): the per-call fast path
_by_id: dict[tuple[int, bool], tuple[Any, _ext.Schema]] = {}
# JSON text -> Schema: a new object with a known schema costs no parse
_by_text: dict[tuple[str, bool], _ext.Schema] = {}
# repr() of a raw schema as given -> Schema: nor does its parse_schema
_by_raw: dict[tuple[str, bool], _ext.Schema] = {}
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
    # A new dict each call (json.loads of the same text, say): found by its repr(), without
    # parsing it again. Only a raw schema, which depends on nothing else; repr() tells the
    # types of values apart (1 from 1.0 and "1") and is several times quicker than JSON.
    raw = None
    if isinstance(schema, dict) and "__fastavro_parsed" not in schema:
        raw = (repr(schema), lenient)
        compiled = _by_raw.get(raw)
        if compiled is not None:
            _remember(_by_id, _ID_MAX, key, (schema, compiled))
            return compiled
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
        _remember(_by_text, _TEXT_MAX, (text, lenient), compiled)
    if raw is not None:
        _remember(_by_raw, _TEXT_MAX, raw, compiled)
    _remember(_by_id, _ID_MAX, key, (schema, compiled))
    return compiled


def _remember(cache, most, key, value):
    """cache[key] = value, dropping the oldest entry when @cache holds @most."""
    if key not in cache and len(cache) >= most:
        del cache[next(iter(cache))]
    cache[key] = value


def to_parsing_canonical_form(schema: Schema) -> str:
    """The schema's Parsing Canonical Form (a str), as fastavro's
    to_parsing_canonical_form gives it: full names, only the attributes that matter for
    reading data, no white space.  avrokit: made by libavrokit from the schema, checked as
    a data file's own schema is (names as ``parse_schema`` takes them, ``a-b`` or ``1R``
    too; what is no schema at all, a union holding a type twice say, raises
    ``SchemaParseException``)."""
    return _compile(schema, lenient=True).canonical()


_JAVA_NAMES = {"SHA-256": "sha256", "MD5": "md5"}
#: what ``fingerprint`` takes, as in fastavro: CRC-64-AVRO, Java's names and hashlib's
FINGERPRINT_ALGORITHMS = hashlib.algorithms_guaranteed | _JAVA_NAMES.keys() | {"CRC-64-AVRO"}


def fingerprint(parsing_canonical_form: str, algorithm: str) -> str:
    """The fingerprint of a Parsing Canonical Form (a str) as a hex string, as fastavro
    gives it: ``"CRC-64-AVRO"`` (the 8 bytes little-endian, the order Java writes them),
    ``"MD5"``, ``"SHA-256"`` or any name in ``FINGERPRINT_ALGORITHMS`` (hashlib's).  Another
    name raises ``ValueError``."""
    if algorithm not in FINGERPRINT_ALGORITHMS:
        raise ValueError(f"Unknown schema fingerprint algorithm {algorithm}. "
                         f"Valid values include: {FINGERPRINT_ALGORITHMS}")
    if algorithm == "CRC-64-AVRO":
        return _crc64(parsing_canonical_form.encode()).to_bytes(8, "little").hex()
    h = hashlib.new(_JAVA_NAMES.get(algorithm, algorithm))
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


class SchemaRepositoryError(Exception):
    """A schema repository could not load a schema (fastavro's class of the same name)."""


def _load(name, repo, known, loaded):
    """Parse the schema ``name`` of ``repo``, loading the named types it uses but ``known``
    does not define from the same repository (into ``known``, their raw schemas into
    ``loaded``)."""
    schema = repo.load(name)
    while True:
        try:
            return parse_schema(schema, dict(known), _write_hint=False)
        except UnknownType as e:
            if e.name is None or e.name in loaded:
                raise
            try:
                sub = _load(e.name, repo, known, loaded)
            except UnknownType:
                raise
            except Exception:  # the repository has no such schema: the name is unknown
                raise e from None
            loaded[e.name] = sub
            # (sub is parsed: its names are full names, a bare one in the null namespace)
            parse_schema(dict(sub, __fastavro_parsed=True) if isinstance(sub, dict) else sub,
                         known, _write_hint=False)


def load_schema(schema_path: str, *, repo: AbstractSchemaRepository | None = None,
                named_schemas: NamedSchemas | None = None, _write_hint: bool = True,
                _injected_schemas: set[str] | None = None) -> Schema:
    """Load a schema and the named types it uses from a schema repository, as fastavro
    does.

    Without ``repo``, ``schema_path`` is the path of an ``.avsc`` file, and a type it uses
    but does not define, ``namespace.Name``, is read from ``namespace.Name.avsc`` in the
    same directory (fastavro's FlatDictRepository).  With ``repo``, any object with a
    ``load(name)`` method that returns a schema (fastavro's repositories, or your own),
    ``schema_path`` is the schema's name there.  As in fastavro, each loaded type is
    written out in full where it is first used, so the result stands alone.  Raises
    ``SchemaRepositoryError`` when the schema itself cannot be loaded, ``UnknownType`` when
    a type it uses cannot be found.  Unlike fastavro's, ``named_schemas`` (when given)
    receives every type loaded.
    """
    import os
    if repo is None:
        directory, file_name = os.path.split(schema_path)
        schema_path = os.path.splitext(file_name)[0]
        from .repository import FlatDictRepository
        repo = FlatDictRepository(directory)
    if named_schemas is None:
        named_schemas = {}
    known = dict(named_schemas)
    loaded: NamedSchemas = {}
    parsed = _load(schema_path, repo, known, loaded)
    if loaded:
        # the loaded types written out where first used, those given by the caller not
        parsed = _self_contained(parsed, known, set(named_schemas))
    # parsed: full names, a bare one in the null namespace (not the enclosing type's)
    return parse_schema(dict(parsed, __fastavro_parsed=True) if isinstance(parsed, dict)
                        else parsed, named_schemas, _write_hint=_write_hint)


def load_schema_ordered(ordered_schemas: list[str], *, _write_hint: bool = True) -> Schema:
    """Load the ``.avsc`` files of ``ordered_schemas`` (paths), each of which may use the
    named types of those before it, and return the last one with the types it uses
    written out in full where first used, as fastavro does.  As ``load_schema`` (which
    loads each file), a type that no file before defines, ``namespace.Name``, is read from
    ``namespace.Name.avsc`` beside the file that uses it."""
    named: NamedSchemas = {}
    last = None
    for path in ordered_schemas:
        last = load_schema(path, named_schemas=named, _write_hint=False)
    return parse_schema(_self_contained(last, named, set()), {}, _write_hint=_write_hint)
