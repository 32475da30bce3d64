# SPDX-License-Identifier: Apache-2.0
"""Reading Avro data, as fastavro's ``fastavro.read`` module offers it: container files
(``reader``, ``block_reader``) and single datums (``schemaless_reader``).

Records are built by libavrokit straight into dicts, lists, str, bytes, int, float, bool and
None, with the logical types as ``datetime.date``, ``datetime.time``, ``datetime.datetime``
(aware, UTC, for timestamps; naive for local timestamps), ``decimal.Decimal`` and
``uuid.UUID``; ``LOGICAL_READERS`` changes them, as fastavro's does (see
``avrokit.logical_readers``).  Blocks are read and decompressed with the GIL released.  A reader is not
meant to be shared by threads: using one from two threads at once raises ``RuntimeError``.

Beyond fastavro, ``reader`` and ``block_reader`` take ``start`` and ``end`` (keywords): the
byte range of the file to read, by Hadoop's split rule, so that workers share a large file
(``avrokit.dask`` is built on it; see ``reader``).
"""

from __future__ import annotations

import io
import json
import operator

from . import _ext
from .logical_readers import LOGICAL_READERS
from .schema import _compile, parse_schema

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import IO, Any, Iterator

    from .types import AvroMessage, DictSchema, NamedSchemas, Schema

__all__ = ["reader", "block_reader", "Block", "schemaless_reader", "is_avro",
           "SchemaResolutionError", "LOGICAL_READERS"]

SchemaResolutionError = _ext.SchemaResolutionError
MAGIC = b"Obj\x01"

_UNICODE_ERRORS = ("strict", "ignore", "replace", "backslashreplace", "surrogateescape")


def _check_errors(handle_unicode_errors):
    if handle_unicode_errors not in _UNICODE_ERRORS:
        raise ValueError(f"handle_unicode_errors must be one of {', '.join(_UNICODE_ERRORS)}, "
                         f"not {handle_unicode_errors!r}")


_NO_END = (1 << 64) - 1


def _set_range(r, fo, start, end):
    """Give reader @r (header read) the byte range [start, end)."""
    start = 0 if start is None else operator.index(start)
    end = _NO_END if end is None else operator.index(end)
    if start < 0 or end < 0:
        raise ValueError(f"a byte range is made of offsets from 0, not {start}:{end}")
    if start > end:
        raise ValueError(f"the byte range {start}:{end} ends before it starts")
    seekable = getattr(fo, "seekable", None)
    try:
        seek = fo.seek if seekable is not None and seekable() else None
    except (OSError, ValueError):
        seek = None
    r._set_range(min(start, _NO_END), min(end, _NO_END), seek)


def _header_error(e):
    """fastavro's words for what is no Avro data file (a script may look for them), then
    the library's: the file ends in the header, is empty, or has no magic."""
    if isinstance(e, EOFError) or str(e).startswith(("empty input", "not an Avro data file")):
        return _ext.AvroError(f"cannot read header - is it an avro file? ({e})")
    return e


class _FileReader(_ext.Reader):
    """What reader and block_reader share: the header, as fastavro's file_reader gives it."""

    fo: IO[Any]
    reader_schema: Schema | None
    writer_schema: Schema
    metadata: dict[str, str]
    codec: str
    return_record_name: bool
    options: dict[str, Any]

    def __init__(self, fo: IO[Any], reader_schema: Schema | None = None,
                 return_record_name: bool = False, return_record_name_override: bool = False,
                 handle_unicode_errors: str = "strict", return_named_type: bool = False,
                 return_named_type_override: bool = False, *, start: int | None = None,
                 end: int | None = None) -> None:
        if hasattr(fo, "read") is False:
            raise TypeError(f"fo must be a binary file object, not {type(fo).__name__}")
        _check_errors(handle_unicode_errors)
        self._named_schemas: dict[str, NamedSchemas] = {"writer": {}, "reader": {}}
        if reader_schema:
            self.reader_schema = parse_schema(reader_schema, self._named_schemas["reader"],
                                              _write_hint=False)
            # the caller's object, not the parsed copy: the cache finds it again next time
            compiled = _compile(reader_schema)
        else:
            self.reader_schema = None
            compiled = None
        self.return_record_name = return_record_name
        self.fo = fo
        self.options = {
            "return_record_name": return_record_name,
            "return_record_name_override": return_record_name_override,
            "handle_unicode_errors": handle_unicode_errors,
            "return_named_type": return_named_type,
            "return_named_type_override": return_named_type_override,
        }
        try:
            super().__init__(fo, compiled, return_record_name, return_record_name_override,
                             return_named_type, return_named_type_override,
                             handle_unicode_errors)
        except (_ext.AvroError, EOFError) as e:
            raise _header_error(e) from None
        raw = self._raw_metadata
        self.metadata = {k: v.decode("utf-8", "replace") for k, v in raw.items()}
        self._schema = json.loads(self.metadata["avro.schema"])
        self.codec = self.metadata.get("avro.codec", "null")
        self.writer_schema = parse_schema(self._schema, self._named_schemas["writer"],
                                          _write_hint=False, _force=True,
                                          _ignore_default_error=True, _lenient=True)
        self._header = {"magic": MAGIC, "meta": raw, "sync": self._sync}
        if start is not None or end is not None:
            _set_range(self, fo, start, end)

    @property
    def schema(self) -> Schema:
        import warnings
        warnings.warn("The 'schema' attribute is deprecated. Please use 'writer_schema'",
                      DeprecationWarning, stacklevel=2)
        return self._schema


class reader(_FileReader):
    """Iterate over the records of an Avro container file, as fastavro's reader does.

    ``reader(fo, reader_schema=None, return_record_name=False,
    return_record_name_override=False, handle_unicode_errors='strict',
    return_named_type=False, return_named_type_override=False)``

    ``fo`` is a binary file object (``readinto`` or ``read``); the header is read at once,
    the records as the iteration asks for them, as dicts, lists, str, bytes, int, float,
    bool, None and the logical types' objects.  With ``reader_schema`` the records are
    resolved to it (``SchemaResolutionError`` where a value of a part it cannot read is
    read, as fastavro raises it: records that never hold the part read without error).
    Attributes: ``writer_schema`` (parsed), ``reader_schema``, ``metadata`` (str values),
    ``codec``, ``fo``, ``options``.  ``return_record_name=True`` gives the records of a union
    as ``(name, record)`` tuples (``return_record_name_override``: only where the union has
    several records); ``return_named_type`` does the same for every named type.  A record that
    cannot be read raises after the records before it, and again on every later ``next``.
    ``handle_unicode_errors`` is the ``errors`` argument of decoding strings.

    avrokit: bad data raises ``avrokit.AvroError`` (a ``ValueError``) naming the block,
    record and field; data that ends too soon ``avrokit.AvroEOFError`` (an ``EOFError``
    too).  The version byte of the magic is checked.  ``fo`` is read in pieces of 64 KiB or
    more (not a block at a time), and blocks are read and decompressed with the GIL
    released.  Metadata that is not UTF-8 is decoded with U+FFFD replacements.  A reader
    used by two threads at once raises ``RuntimeError``.  A non-blocking ``fo`` with nothing
    to read yet (its method returns None) raises ``BlockingIOError`` rather than pass for
    the end.  ``list(reader)`` looks for signals between batches, so Ctrl-C stops it.

    ``start`` and ``end`` (keywords only; not in fastavro) read a byte range of the file:
    only the blocks whose sync marker (the 16 bytes before each block; the header's for
    the first) starts at an offset from ``start`` up to, not including, ``end`` (None: the
    end of the file).  This is Hadoop's split rule: ranges that cover the file without
    overlap, read by as many workers, give every record exactly once, wherever they start
    and end.  The header is read from the start of ``fo`` in every case; ``fo`` is then
    moved forward with ``seek`` when it is seekable, and read through otherwise.
    """

    if TYPE_CHECKING:  # the C base class iterates; these say what over
        def __iter__(self) -> Iterator[AvroMessage]: ...
        def __next__(self) -> AvroMessage: ...


class Block:
    """A block of a container file, as fastavro's ``block_reader`` gives it:
    ``num_records``, ``offset`` (where it starts in the file), ``size`` (its bytes in the
    file, counts and sync marker included), ``codec``, ``reader_schema``, ``writer_schema``,
    ``options``, and ``bytes_`` (an ``io.BytesIO`` of its records, decompressed).  Iterating
    over it decodes its records, as the reader would; ``Writer.write_block`` copies it
    into another file."""

    # fastavro's types: the schemas are dicts there too (reader_schema None without one)
    num_records: int
    codec: str
    reader_schema: DictSchema
    writer_schema: DictSchema
    offset: int
    size: int
    options: dict[str, Any]
    bytes_: io.BytesIO

    def __init__(self, bytes_: bytes | io.BytesIO, num_records: int, codec: str,
                 reader_schema: DictSchema, writer_schema: DictSchema, offset: int, size: int,
                 options: dict[str, Any] | None = None, _decoder: Any = None) -> None:
        self.bytes_ = bytes_ if isinstance(bytes_, io.BytesIO) else io.BytesIO(bytes_)
        self.num_records = num_records
        self.codec = codec
        self.reader_schema = reader_schema
        self.writer_schema = writer_schema
        self.offset = offset
        self.size = size
        self.options = options or {}
        self._decoder = _decoder

    def __iter__(self) -> Iterator[AvroMessage]:
        if self._decoder is None:
            opts = {k: v for k, v in self.options.items() if k in (
                "return_record_name", "return_record_name_override", "return_named_type",
                "return_named_type_override", "handle_unicode_errors")}
            self._decoder = _ext.Decoder(
                _compile(self.writer_schema, lenient=True),
                _compile(self.reader_schema) if self.reader_schema else None, **opts)
        return iter(self._decoder.decode_block(self.bytes_.getbuffer(), self.num_records))

    def __str__(self) -> str:
        return (f"Avro block: {len(self.bytes_.getbuffer())} bytes, {self.num_records} records, "
                f"codec: {self.codec}, position {self.offset}+{self.size}")


class block_reader(_FileReader):
    """Iterate over the blocks of an Avro container file as ``Block`` objects, as fastavro's
    block_reader does; the arguments and attributes are ``reader``'s (``start`` and ``end``
    too).  Each block is read and decompressed (with the GIL released) when the iteration
    reaches it, and its records are decoded only when the block is iterated over.  avrokit:
    as for ``reader``."""

    def __init__(self, fo: IO[Any], reader_schema: Schema | None = None,
                 return_record_name: bool = False, return_record_name_override: bool = False,
                 handle_unicode_errors: str = "strict", return_named_type: bool = False,
                 return_named_type_override: bool = False, *, start: int | None = None,
                 end: int | None = None) -> None:
        super().__init__(fo, reader_schema, return_record_name, return_record_name_override,
                         handle_unicode_errors, return_named_type, return_named_type_override,
                         start=start, end=end)
        # what the reader schema cannot read raises SchemaResolutionError where it is read,
        # as in fastavro: when a block's records are
        self._decoder = _ext.Decoder(self._writer, _compile(reader_schema)
                                     if reader_schema else None, **self.options)

    def __iter__(self) -> Iterator[Block]:
        return self

    def __next__(self) -> Block:
        b = self._next_block()
        if b is None:
            raise StopIteration
        data, count, offset, size = b
        # Block's schemas are typed as fastavro types them, as dicts
        return Block(data, count, self.codec, self.reader_schema,  # type: ignore[arg-type]
                     self.writer_schema, offset, size,  # type: ignore[arg-type]
                     self.options, self._decoder)


# (ids of the compiled schemas, options) -> (the schemas, their _ext.Decoder)
_decoders: dict[tuple[int, int, Any], tuple[_ext.Schema, _ext.Schema | None, Any]] = {}


def _decoder(writer_schema, reader_schema, opts):
    w = _compile(writer_schema)
    r = _compile(reader_schema) if reader_schema is not None else None
    key = (id(w), id(r), opts)
    hit = _decoders.get(key)
    if hit is not None and hit[0] is w and hit[1] is r:
        return hit[2]
    d = _ext.Decoder(w, r, *opts)
    if len(_decoders) >= 32:
        del _decoders[next(iter(_decoders))]
    _decoders[key] = (w, r, d)
    return d


def _schemaless_reader(fo, writer_schema, reader_schema=None, return_record_name=False,
                       return_record_name_override=False, handle_unicode_errors="strict",
                       return_named_type=False, return_named_type_override=False):
    """What _ext.schemaless_reader does not do itself: the first call with a schema, and
    file objects other than io.BytesIO."""
    _check_errors(handle_unicode_errors)
    given = reader_schema
    if reader_schema == writer_schema:
        reader_schema = None
    dec = _decoder(writer_schema, reader_schema,
                   (return_record_name, return_record_name_override, return_named_type,
                    return_named_type_override, handle_unicode_errors))
    flags = bool(return_record_name) | bool(return_record_name_override) << 1 | \
        bool(return_named_type) << 2 | bool(return_named_type_override) << 3
    _ext._remember("reader", writer_schema, given, flags, handle_unicode_errors, dec)
    if isinstance(fo, io.BytesIO):
        pos = fo.tell()
        buf = fo.getbuffer()
        try:
            value, used = dec.decode(buf, pos)
        finally:
            buf.release()
        fo.seek(pos + used)
        return value
    if _seekable(fo):
        pos = fo.tell()
        chunk = 1 << 16
        while True:
            data = fo.read(chunk)
            if data is None:
                raise _would_block()
            try:
                value, used = dec.decode(data)
            except EOFError:
                if len(data) < chunk:
                    raise
                fo.seek(pos)
                chunk *= 4
                continue
            fo.seek(pos + used)
            return value
    # a stream that cannot go back: read no further than the datum
    peek = getattr(fo, "peek", None)
    if peek is not None:
        data = peek(1)  # what is buffered already: most datums are in it
        if data is None:
            raise _would_block()
        try:
            value, used = dec.decode(data)
        except EOFError:
            pass
        else:
            fo.read(used)
            return value
    value, used = dec.decode(_datum_bytes(fo, writer_schema))
    return value


def _seekable(fo):
    seekable = getattr(fo, "seekable", None)  # fastavro needs only read()
    try:
        return seekable is not None and seekable()
    except (OSError, ValueError):
        return False


class _Stop(Exception):
    """The data ends, or is no datum of the schema: what there is goes to the decoder,
    which says what is wrong."""


# id of the compiled schema -> (it, the parsed schema, its named types)
_walks: dict[int, tuple[_ext.Schema, Schema, NamedSchemas]] = {}


def _datum_bytes(fo, writer_schema):
    """The bytes of one datum of ``writer_schema`` read from ``fo``, and no more: the
    schema is walked, reading each length before what it counts, as fastavro reads a
    stream (decoding what is there after each byte would be quadratic)."""
    w = _compile(writer_schema)
    hit = _walks.get(id(w))
    if hit is None or hit[0] is not w:
        named: NamedSchemas = {}
        hit = (w, parse_schema(writer_schema, named, _write_hint=False), named)
        if len(_walks) >= 32:
            del _walks[next(iter(_walks))]
        _walks[id(w)] = hit
    buf = bytearray()
    try:
        _walk(fo, buf, hit[1], hit[2])
    except (_Stop, RecursionError):
        pass
    return bytes(buf)


def _take(fo, buf, n):
    while n > 0:
        more = fo.read(min(n, 1 << 20))  # a corrupt length allocates no more than is there
        if more is None:
            raise _would_block()
        if not more:
            raise _Stop
        buf += more
        n -= len(more)


def _varint(fo, buf):
    shift = n = 0
    while True:
        b = fo.read(1)
        if b is None:
            raise _would_block()
        if not b or shift > 63:
            raise _Stop
        buf += b
        n |= (b[0] & 0x7F) << shift
        if b[0] < 0x80:
            return (n >> 1) ^ -(n & 1)
        shift += 7


_SIZES = {"null": 0, "boolean": 1, "float": 4, "double": 8}
_TYPES = frozenset(("null", "boolean", "int", "long", "float", "double", "bytes", "string",
                    "fixed", "enum", "record", "error", "request", "array", "map"))


def _walk(fo, buf, s, named):
    while True:
        if isinstance(s, list):
            i = _varint(fo, buf)
            if not 0 <= i < len(s):
                raise _Stop
            s = s[i]
            continue
        t = s["type"] if isinstance(s, dict) else s
        if isinstance(t, (dict, list)):
            s = t
            continue
        if t not in _TYPES:
            if t not in named:
                raise _Stop
            s = named[t]
            continue
        break
    if t in _SIZES:
        _take(fo, buf, _SIZES[t])
    elif t in ("int", "long", "enum"):
        _varint(fo, buf)
    elif t in ("bytes", "string"):
        n = _varint(fo, buf)
        if n < 0:
            raise _Stop
        _take(fo, buf, n)
    elif t == "fixed":
        _take(fo, buf, s["size"])
    elif t in ("record", "error", "request"):
        for f in s["fields"]:
            _walk(fo, buf, f["type"], named)
    elif t in ("array", "map"):
        while True:
            n = _varint(fo, buf)
            if n == 0:
                return
            if n < 0:
                n = -n
                _varint(fo, buf)  # the block's size in bytes
            if t == "array" and _empty(s["items"], named, ()):
                # items that take no bytes: nothing to read, however many a (hostile) count
                # claims; the decoder judges the count
                continue
            for _ in range(n):
                if t == "map":
                    _walk(fo, buf, "string", named)
                _walk(fo, buf, s["items" if t == "array" else "values"], named)
    else:
        raise _Stop


def _empty(s, named, seen):
    """Whether a value of schema ``s`` always takes no bytes (null, a fixed of size 0, a
    record of such fields)."""
    while True:
        t = s["type"] if isinstance(s, dict) else s
        if isinstance(t, (dict, list)):
            s = t
            continue
        if isinstance(t, str) and t not in _TYPES and t in named:
            s = named[t]
            continue
        break
    if t == "null":
        return True
    if t == "fixed":
        return s.get("size") == 0
    if t in ("record", "error") and isinstance(s, dict):
        name = s.get("name")
        if name in seen:
            return False
        return all(_empty(f["type"], named, seen + (name,)) for f in s.get("fields", []))
    return False


def _would_block():
    """None from read(): a non-blocking file object with nothing to read now, not the end
    (as the readers' C side says it)."""
    return BlockingIOError("read() returned None: the file object is non-blocking and has "
                           "nothing to read now (give a blocking one)")


schemaless_reader = _ext.schemaless_reader


def is_avro(path_or_buffer: str | IO[Any]) -> bool:
    """Whether a file starts as an Avro container file does (the magic ``Obj\\x01``), as
    fastavro's is_avro: ``path_or_buffer`` is a path, or a binary file object, of which
    the first 4 bytes are read."""
    if isinstance(path_or_buffer, str):
        with open(path_or_buffer, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    return path_or_buffer.read(len(MAGIC)) == MAGIC
