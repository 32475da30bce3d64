# SPDX-License-Identifier: Apache-2.0
"""Avro datums outside container files, one or many: avrokit's own API (fastavro has none).

Most Avro outside files travels as single datums: in Kafka messages, Redis values, HTTP
bodies.  A *message* here is one datum in Avro's binary encoding, framed in one of three
ways (``framing``):

``"none"``
    The datum alone, as fastavro's ``schemaless_writer`` writes it; its schema is known from
    elsewhere.
``"single-object"``
    The Avro specification's single-object encoding: the bytes ``C3 01``, the writer
    schema's CRC-64-AVRO fingerprint (8 bytes, little-endian), the datum.
``"confluent"``
    Confluent's wire format (Kafka with a schema registry): a zero byte, the writer schema's
    registry id (4 bytes, big-endian), the datum.

A *stream* is messages one after the other in a file or a buffer, each optionally after its
length (``length_prefix``: ``"4be"``, 4 bytes big-endian; ``"varint"``, a zig-zag varint as
Avro writes a long; ``"uvarint"``, an unsigned varint as protobuf writes it).

::

    import avrokit.datums as datums

    msg = datums.encode(record, schema, framing="confluent", schema_id=42)
    record = datums.decode(msg, framing="confluent", schemas={42: schema})

    with open("events.bin", "rb") as f:
        for record in datums.reader(f, framing="single-object", schemas=[v1, v2]):
            ...
    with open("out.bin", "wb") as f:
        datums.writer(f, schema, records, framing="single-object")

The writer schema of each message is found by its framing: a bare datum has the one
``schema``; a single-object message the schema of its fingerprint among ``schemas``; a
Confluent message the schema of its id in ``schemas`` (a dict ``{id: schema}``).  Instead of
a list or a dict, ``schemas`` may be a function of the fingerprint or id that returns the
schema (a schema registry client, say) or None; it is asked once per fingerprint or id.  With
``reader_schema`` every datum is resolved to that schema, as fastavro's readers do.  The work
is libavrokit's (the C library's stream reader and writer): values are built straight into
Python objects, as ``avrokit.reader`` builds them, with the same options.

A fingerprint or id that matches no schema raises ``UnknownSchemaError``; bytes that are not
a message raise ``AvroError`` (``AvroEOFError`` when they end too soon); the message says
which message (counted from 0) and its byte offset.
"""

from __future__ import annotations

import collections
import collections.abc

from . import _ext
from .read import _check_errors
from .schema import _compile, _crc64, parse_schema, to_parsing_canonical_form

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Iterable, Mapping, Union

    from .types import AvroMessage, Schema

    # what ``schemas`` may be: the schemas, a dict of them by id, or a function of the key
    _SchemaSource = Union[Iterable[Schema], Mapping[int, Schema],
                          Callable[[int], Union[Schema, None]]]

__all__ = ["reader", "Reader", "writer", "encode", "decode", "Encoder", "Decoder",
           "Message", "UnknownSchemaError", "schema_fingerprint", "FRAMINGS",
           "LENGTH_PREFIXES"]

FRAMINGS = ("none", "single-object", "confluent")
LENGTH_PREFIXES = (None, "none", "4be", "varint", "uvarint")

UnknownSchemaError = _ext.UnknownSchemaError

Message = collections.namedtuple("Message", "index offset size key schema")
Message.__doc__ = """Where a message was and what it held: its index in the input (from 0),
its byte offset and size (length prefix and header included), its key (the fingerprint as a
number for single-object messages, the schema id for Confluent's, 0 for bare datums) and its
writer schema (as it was given)."""


def schema_fingerprint(schema: Schema) -> int:
    """The CRC-64-AVRO fingerprint of a schema as single-object encoding stores it, as a
    number (its 8 bytes read little-endian): the ``key`` of its messages."""
    return _crc64(to_parsing_canonical_form(parse_schema(schema, _write_hint=False)).encode())


def _framing(framing, length_prefix):
    if framing not in FRAMINGS:
        raise ValueError(f"framing must be one of {', '.join(FRAMINGS)}, not {framing!r}")
    if length_prefix not in LENGTH_PREFIXES:
        raise ValueError("length_prefix must be None, 'none', '4be', 'varint' or 'uvarint', "
                         f"not {length_prefix!r}")
    return length_prefix or "none"


class _Schemas:
    """The writer schemas a reader is given, compiled, with the objects they came from."""

    def __init__(self, framing, schema, schemas, schema_id):
        self.framing = framing
        self.given = {}       # id(compiled) -> the schema as given
        self.pairs = []       # (compiled, id)
        self.lookup = None
        if framing == "none":
            if schemas is not None:
                raise ValueError("bare datums have one schema: give schema, not schemas")
            if schema is None:
                raise ValueError("bare datums need their schema")
            self._add(schema, -1)
            return
        if schema is not None:
            if framing == "confluent":
                self._add(schema, -1 if schema_id is None else schema_id)
            else:
                self._add(schema, -1)
        elif schema_id is not None:
            raise ValueError("schema_id names the id of schema, which is not given")
        if schemas is None:
            if schema is None:
                raise ValueError("no schema given: schema, or schemas")
        elif callable(schemas):
            self.lookup = self._lookup(schemas)
        elif framing == "confluent":
            if not isinstance(schemas, collections.abc.Mapping):
                raise TypeError("for Confluent's framing, schemas is a dict of id: schema "
                                "(or a function of the id)")
            for sid, s in schemas.items():
                self._add(s, int(sid))
        else:
            for s in schemas:
                self._add(s, -1)

    def _add(self, schema, sid):
        compiled = _compile(schema, lenient=True)
        self.given[id(compiled)] = schema
        self.pairs.append((compiled, sid))

    def _lookup(self, fn):
        def lookup(framing, key):
            schema = fn(key)
            if schema is None:
                return None
            compiled = _compile(schema, lenient=True)
            self.given[id(compiled)] = schema
            return compiled
        return lookup


class Reader:
    """The records of a stream of messages: a binary file object, or a bytes-like object.

    ``Reader(fo, schema=None, framing="none", schemas=None, schema_id=None,
    reader_schema=None, length_prefix=None, return_record_name=False,
    return_record_name_override=False, return_named_type=False,
    return_named_type_override=False, handle_unicode_errors="strict")``

    Iterating gives the records; ``message`` is the ``Message`` of the record given last.
    ``schema`` is the writer schema of bare datums, or one more schema to find messages'
    schemas in (with ``schema_id`` for Confluent's framing; without it, the schema of every id
    that ``schemas`` does not have).  The other options are ``avrokit.reader``'s.  A reader is
    not meant to be shared by threads.
    """

    reader_schema: Schema | None

    def __init__(self, fo: IO[Any] | bytes, schema: Schema | None = None,
                 framing: str = "none", schemas: _SchemaSource | None = None,
                 schema_id: int | None = None, reader_schema: Schema | None = None,
                 length_prefix: str | None = None, return_record_name: bool = False,
                 return_record_name_override: bool = False, return_named_type: bool = False,
                 return_named_type_override: bool = False,
                 handle_unicode_errors: str = "strict") -> None:
        prefix = _framing(framing, length_prefix)
        _check_errors(handle_unicode_errors)
        self._schemas = _Schemas(framing, schema, schemas, schema_id)
        self.reader_schema = reader_schema
        self._r = _ext.StreamReader(
            framing, prefix, _compile(reader_schema) if reader_schema is not None else None,
            self._schemas.lookup, return_record_name, return_record_name_override,
            return_named_type, return_named_type_override, handle_unicode_errors)
        for compiled, sid in self._schemas.pairs:
            self._r.add_schema(compiled, sid)
        self._set(fo)

    def _set(self, fo):
        if hasattr(fo, "read"):
            self._r.set_file(fo)
        else:
            self._r.set_bytes(fo)

    def __iter__(self) -> Reader:
        return self

    def __next__(self) -> AvroMessage:
        return next(self._r)

    @property
    def message(self) -> Message | None:
        """The ``Message`` of the record given last, or None before the first."""
        m = self._r.message
        if m is None:
            return None
        return Message(m[0], m[1], m[2], m[3], self._schemas.given.get(id(m[4])))


def reader(fo: IO[Any] | bytes, schema: Schema | None = None, framing: str = "none",
           schemas: _SchemaSource | None = None, **options: Any) -> Reader:
    """Iterate over the records of a stream of messages (see ``Reader``)."""
    return Reader(fo, schema, framing, schemas, **options)


class Decoder:
    """Decodes single messages with the same schemas, compiling them once.

    ``Decoder(schema=None, framing="none", schemas=None, **options)``, with ``Reader``'s
    options; ``decode(data)`` gives the record of the one message in ``data`` (a bytes-like
    object), and ``message`` its ``Message``.
    """

    def __init__(self, schema: Schema | None = None, framing: str = "none",
                 schemas: _SchemaSource | None = None, **options: Any) -> None:
        self._reader = Reader(b"", schema, framing, schemas, **options)

    def decode(self, data: bytes) -> AvroMessage:
        r = self._reader
        r._r.set_bytes(data)
        try:
            value = next(r._r)
        except StopIteration:
            raise _ext.AvroEOFError("no message: the data is empty") from None
        m = r._r.message
        end = m[1] + m[2]
        if end != len(memoryview(data).cast("B")):
            raise _ext.AvroError(f"{len(memoryview(data).cast('B')) - end} bytes after the "
                                 "message")
        return value

    @property
    def message(self) -> Message | None:
        return self._reader.message


class Encoder:
    """Encodes records as messages of one schema, compiling it once.

    ``Encoder(schema, framing="none", schema_id=None, length_prefix=None, strict=False,
    strict_allow_default=False, disable_tuple_notation=False)``; ``encode(record)`` gives
    the message's bytes.  ``schema_id`` is the schema's registry id, which Confluent's framing
    needs.  Records are taken as fastavro's ``schemaless_writer`` takes them, with its options.
    """

    def __init__(self, schema: Schema, framing: str = "none", schema_id: int | None = None,
                 length_prefix: str | None = None, strict: bool = False,
                 strict_allow_default: bool = False, disable_tuple_notation: bool = False,
                 _fo: IO[Any] | None = None) -> None:
        prefix = _framing(framing, length_prefix)
        if framing == "confluent" and schema_id is None:
            raise ValueError("Confluent's framing needs the schema's id: schema_id")
        if framing != "confluent" and schema_id is not None:
            raise ValueError("schema_id goes with framing='confluent'")
        compiled = _compile(schema)
        self._enc = _ext.Encoder(compiled, strict, strict_allow_default,
                                 disable_tuple_notation)
        self._w = _ext.StreamWriter(_fo, compiled, framing, prefix,
                                    -1 if schema_id is None else schema_id)

    def encode(self, record: Any) -> bytes:
        self._w.append(self._enc.encode(record))
        return self._w.take()


def writer(fo: IO[Any], schema: Schema, records: Iterable[Any], framing: str = "none",
           schema_id: int | None = None, length_prefix: str | None = None,
           strict: bool = False, strict_allow_default: bool = False,
           disable_tuple_notation: bool = False) -> int:
    """Write each record as a message to the binary file object ``fo``, one after the other;
    returns how many.  The options are ``Encoder``'s."""
    e = Encoder(schema, framing, schema_id, length_prefix, strict, strict_allow_default,
                disable_tuple_notation, _fo=fo)
    for record in records:
        e._w.append(e._enc.encode(record))
    e._w.flush()
    return e._w.count


# _cached()'s: key -> (the objects the key has the ids of, the Decoder or Encoder made)
_decoders: dict[Any, tuple[tuple[Any, ...], Decoder]] = {}
_encoders: dict[Any, tuple[tuple[Any, ...], Encoder]] = {}


def _cached(cache, key, objects, make):
    hit = cache.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], objects)):
        return hit[1]
    made = make()
    if len(cache) >= 32:
        del cache[next(iter(cache))]
    cache[key] = (objects, made)
    return made


def decode(data: bytes, schema: Schema | None = None, framing: str = "none",
           schemas: _SchemaSource | None = None, **options: Any) -> AvroMessage:
    """The record of the one message in ``data`` (a bytes-like object), with ``Reader``'s
    arguments.  Decoders are kept for the schema objects seen last, so calls with the same
    ones do not compile them again (a ``Decoder`` does that explicitly)."""
    objects = (schema, schemas, options.get("reader_schema"))
    key = (framing, tuple(map(id, objects)), tuple(sorted(
        (k, v if isinstance(v, (str, int, bool, type(None))) else id(v))
        for k, v in options.items())))
    dec = _cached(_decoders, key, objects,
                  lambda: Decoder(schema, framing, schemas, **options))
    return dec.decode(data)


def encode(record: Any, schema: Schema, framing: str = "none", schema_id: int | None = None,
           length_prefix: str | None = None, **options: Any) -> bytes:
    """The bytes of one message holding ``record``, with ``Encoder``'s arguments."""
    key = (framing, id(schema), schema_id, length_prefix, tuple(sorted(options.items())))
    enc = _cached(_encoders, key, (schema,),
                  lambda: Encoder(schema, framing, schema_id, length_prefix, **options))
    return enc.encode(record)
