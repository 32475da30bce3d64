# SPDX-License-Identifier: Apache-2.0
"""Writing Avro data, as fastavro's ``fastavro.write`` module offers it: container files
(``writer``, ``Writer``) and single datums (``schemaless_writer``).

Values are checked against the schema as they are written (an int out of range, a string
where a number belongs, a missing field without default are errors naming the field), and
compressed on a worker thread, without the GIL.  Logical types are written from Python
objects as fastavro writes them, and ``LOGICAL_WRITERS`` changes how, as fastavro's does
(see ``avrokit.logical_writers``).  A writer is not meant to be shared by
threads: using one from two threads at once raises ``RuntimeError``.
"""

from __future__ import annotations

import json
import os

from . import _ext
from .logical_writers import LOGICAL_WRITERS
from .schema import _compile, parse_schema
from .validation import validate

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Iterable

    from .read import Block
    from .types import AvroMessage, NamedSchemas, Schema

__all__ = ["writer", "Writer", "schemaless_writer", "LOGICAL_WRITERS"]

_CODECS = ("null", "deflate", "snappy", "bzip2", "xz", "zstandard")
# codecs read but not written: not in the Avro specification, so not every reader has them
_READ_ONLY = {"lzma": "avro-c's", "lz4": "fastavro's"}
MAGIC = b"Obj\x01"


def _appendable(fo):
    """fastavro's rule: a seekable file not at its start is appended to (it must be
    readable, 'a+b')."""
    try:
        if not fo.seekable() or fo.tell() == 0:
            return False
    except (AttributeError, OSError, ValueError):
        return False
    if getattr(fo, "name", "") == "<stdout>":
        return False
    if not fo.readable():
        raise ValueError("When appending to an avro file you must use the 'a+' mode, not "
                         "just 'a'")
    return True


def _top_level(schema):
    """The schema as fastavro stores it in the header: as given, without its parse hints."""
    if isinstance(schema, dict):
        return {k: v for k, v in schema.items()
                if k not in ("__fastavro_parsed", "__named_schemas")}
    if isinstance(schema, list):
        return [_top_level(s) for s in schema]
    return schema


class Writer:
    """Write records to an Avro container file one at a time, as fastavro's Writer does.

    ``Writer(fo, schema, codec='null', sync_interval=16000, metadata=None, validator=False,
    sync_marker=None, compression_level=None, options={})``: the arguments are
    ``writer``'s (``compression_level`` is its ``codec_compression_level``), and
    ``options`` may hold ``strict``, ``strict_allow_default`` and
    ``disable_tuple_notation``.  The header is written at once.  A seekable file that is
    not at its start (opened ``'a+b'``) is appended to, with the schema, codec and sync
    marker of the file (``schema`` is not used then).  Call ``flush()`` at the end: records
    still in the open block are written only then.

    avrokit: the differences of ``writer``; blocks of a codec other than null are
    compressed on a worker thread, which ``write`` waits for when it ends a block, so that
    the block is in ``fo`` when it returns (``block_count`` back at 0), as with fastavro;
    ``fo.write`` is always called from the thread that calls ``write`` or ``flush``; the
    worker starts with the first block and stops after half a second with nothing to do.
    A Writer used by two threads at once raises ``RuntimeError``.  After ``fo.write``
    failed, the Writer writes nothing more (the file may hold part of a block): every later
    call raises the error again, its message starting "an earlier error stopped the
    writer".
    """

    fo: IO[Any]
    schema: Schema
    codec: str
    metadata: dict[str, str]
    sync_interval: int
    sync_marker: bytes | None
    compression_level: int | None
    validate_fn: Callable[..., bool] | None
    options: dict[str, bool]

    def __init__(self, fo: IO[Any], schema: Schema, codec: str = "null",
                 sync_interval: int = 16000, metadata: dict[str, str] | None = None,
                 validator: bool = False, sync_marker: bytes | None = None,
                 compression_level: int | None = None,
                 options: dict[str, bool] | None = None) -> None:
        options = dict(options or {})
        unknown = set(options) - {"strict", "strict_allow_default", "disable_tuple_notation"}
        if unknown:
            raise TypeError(f"unknown writer options: {', '.join(sorted(unknown))}")
        self.fo = fo
        self.options = options
        self.metadata = dict(metadata or {})
        self.sync_interval = sync_interval
        self.compression_level = compression_level
        append = _appendable(fo)
        schema_text = None
        if append:
            from .read import reader
            fo.seek(0)
            r = reader(fo)
            self._named_schemas: NamedSchemas = {}
            self.schema = parse_schema(r.writer_schema, self._named_schemas, _lenient=True)
            codec = r.codec
            self.sync_marker = r._sync
            schema_text = r.metadata["avro.schema"]
            compiled = r._writer
            fo.seek(0, os.SEEK_END)
        else:
            if codec not in _CODECS:
                if codec in _READ_ONLY:
                    raise ValueError(f"unrecognized codec: {codec} (avrokit reads "
                                     f"{_READ_ONLY[codec]} {codec} but writes only Avro's "
                                     f"codecs: {', '.join(_CODECS)})")
                raise ValueError(f"unrecognized codec: {codec}")
            if isinstance(schema, str) and schema.lstrip().startswith(("{", "[", '"')):
                schema = json.loads(schema)  # JSON text (parse_schema takes it too)
            self._named_schemas = {}
            self.schema = parse_schema(schema, self._named_schemas)
            compiled = _compile(schema)
            self.sync_marker = sync_marker or None
            schema_text = json.dumps(_top_level(schema))
        self.codec = codec
        self.metadata["avro.codec"] = codec
        meta = {}
        for k, v in self.metadata.items():
            if k in ("avro.codec", "avro.schema"):
                continue
            if isinstance(v, str):
                meta[k] = v.encode()
            elif isinstance(v, (bytes, bytearray, memoryview)):
                meta[k] = bytes(v)  # beyond fastavro, which takes only str
            else:
                raise TypeError(f"metadata values must be str (or bytes), not "
                                f"{type(v).__name__} (key {k!r})")
        self.validate_fn = validate if validator else None
        level = -1 if compression_level is None else int(compression_level)
        if codec in ("null", "snappy"):
            level = -1  # fastavro ignores the level where the codec has none
        # fastavro ends a block once it holds int(sync_interval) bytes or more: 0 or
        # less means a block per record
        interval = max(1, int(sync_interval))
        self._w = _ext.Writer(fo, compiled, codec, level, interval,
                              self.sync_marker, meta, bool(options.get("strict")),
                              bool(options.get("strict_allow_default")),
                              bool(options.get("disable_tuple_notation")), append,
                              schema_text=None if append else schema_text)

    @property
    def block_count(self) -> int:
        """The records in the open block, as fastavro counts them: 0 again once a block
        ends, by ``sync_interval`` or ``flush()``."""
        return self._w._block_count

    def write(self, record: AvroMessage) -> None:
        """Write one record: it is checked (with ``validator``, by ``validate`` first) and
        encoded into the open block, which is ended once it holds ``sync_interval`` bytes
        or more, and is then in ``fo`` (compressed) when this returns, as with fastavro.
        A record that fails leaves nothing of itself in the block."""
        if self.validate_fn:
            self.validate_fn(record, self.schema, raise_errors=True,
                             strict=self.options.get("strict", False))
        self._w.write(record)

    def _write_many(self, records):
        if self.validate_fn:
            for r in records:
                self.write(r)
        else:
            self._w.write_many(records)

    def write_block(self, block: Block) -> None:
        """Write a ``Block`` from ``block_reader`` as it is (its records are not decoded);
        it is compressed with this writer's codec.  Blocks must come from a file of the same
        schema."""
        self._w.write_block(block.bytes_.getvalue(), block.num_records)

    def dump(self) -> None:
        """End the open block and write it out (without flushing ``fo``)."""
        self._w.flush()

    def flush(self) -> None:
        """End the open block, write out every block and flush ``fo``."""
        self._w.flush()
        if hasattr(self.fo, "flush"):
            self.fo.flush()


def writer(fo: IO[Any], schema: Schema, records: Iterable[Any], codec: str = "null",
           sync_interval: int = 16000, metadata: dict[str, str] | None = None,
           validator: bool = False, sync_marker: bytes | None = None,
           codec_compression_level: int | None = None, *, strict: bool = False,
           strict_allow_default: bool = False, disable_tuple_notation: bool = False) -> None:
    """Write ``records`` (any iterable) to the binary file object ``fo`` as an Avro
    container file with ``schema``, as fastavro's writer does.

    ``codec``: null, deflate, snappy, bzip2, xz or zstandard (``codecs()`` lists those of
    this build), at ``codec_compression_level`` (the codec's default when None; ignored
    for null and snappy).  ``sync_interval``: a block is ended once it holds that many
    bytes or more.  ``metadata``: a dict of str added to the header.  ``sync_marker``: 16
    bytes (random by default).  ``validator=True`` checks every record with ``validate``
    first (``ValidationError``).  ``strict`` refuses records with fields the schema does
    not have or without fields it has; ``strict_allow_default`` lets fields with defaults
    be left out; ``disable_tuple_notation`` makes a ``(name, value)`` tuple an ordinary
    value rather than the union branch named.  A seekable ``fo`` that is not at its start
    (a file opened ``'a+b'``) is appended to, with the file's schema, codec and sync
    marker.  ``fo.write`` gets bytes it may keep (the io module's own files and BytesIO,
    which copy them at once, a view); one that returns a count below what it was given
    gets the rest in another call, and 0 raises ``OSError``.  When ``records`` raises, or a
    record does not fit, the records before it are written out (fastavro: the blocks it
    had filled), then the exception comes out; after ``fo.write`` failed, nothing more is
    written.

    avrokit: values are always checked as they are written (an int field takes an int in
    range, not a float or a bool; a uuid's str must be a UUID, a time's int a time of day,
    a bytes decimal's bytes not empty), raising ``avrokit.AvroError`` (a ``ValueError``;
    ``avrokit.AvroTypeError``, also a ``TypeError``, for a value of the wrong Python type)
    naming the field.  Metadata keys that start with ``avro.`` are refused (as Java's writer
    does), metadata values may also be bytes; the lz4 codec is read, not written.  Schemas are
    checked fully by libavrokit when first used (names, duplicates, unions), and compiled
    once per schema object.  Compression runs on a worker thread without the GIL.
    """
    if hasattr(fo, "write") is False:
        raise TypeError(f"fo must be a binary file object, not {type(fo).__name__}")
    _check_records(records)
    w = Writer(fo, schema, codec, sync_interval, metadata, validator, sync_marker,
               codec_compression_level,
               {"strict": strict, "strict_allow_default": strict_allow_default,
                "disable_tuple_notation": disable_tuple_notation})
    try:
        w._write_many(records)
    except BaseException:
        # the records before the failure are written out (fastavro's file holds the blocks
        # it ended; some of ours may still be with the compression thread); when writing is
        # what failed, the library's writer has stopped and finish() writes nothing
        try:
            w._w.finish()
        except Exception:
            pass  # the first error is the one to see
        raise
    w._w.finish()
    if hasattr(fo, "flush"):
        fo.flush()


def _check_records(records):
    """fastavro's check for a common mistake: one record given for the iterable of them
    (whose keys would be taken for records)."""
    if isinstance(records, dict):
        raise ValueError('"records" argument should be an iterable, not dict')


# (id of the compiled schema, options) -> (the compiled schema, its _ext.Encoder)
_encoders: dict[tuple[int, bool, bool, bool], tuple[_ext.Schema, Any]] = {}


def _schemaless_writer(fo, schema, record, *, strict=False, strict_allow_default=False,
                       disable_tuple_notation=False):
    """What _ext.schemaless_writer does not do itself: the first call with a schema."""
    compiled = _compile(schema)
    key = (id(compiled), strict, strict_allow_default, disable_tuple_notation)
    hit = _encoders.get(key)
    if hit is None or hit[0] is not compiled:
        enc = _ext.Encoder(compiled, strict, strict_allow_default, disable_tuple_notation)
        if len(_encoders) >= 32:
            del _encoders[next(iter(_encoders))]
        _encoders[key] = hit = (compiled, enc)
    flags = bool(strict) | bool(strict_allow_default) << 1 | bool(disable_tuple_notation) << 2
    _ext._remember("writer", schema, None, flags, None, hit[1])
    fo.write(hit[1].encode(record))


schemaless_writer = _ext.schemaless_writer
