# SPDX-License-Identifier: Apache-2.0
"""Avro files as a Dask bag, read by avrokit: ``dask.bag.read_avro`` without fastavro.

    import avrokit.dask
    bag = avrokit.dask.read_avro("data/*.avro", blocksize="64MiB")    # a dask.bag of dicts
    df = bag.to_dataframe()                                           # dtypes from the schema

``read_avro`` takes the arguments of ``dask.bag.read_avro`` (``urlpath``, ``blocksize``,
``storage_options``, ``compression``) and makes the same partitions, so a program switches
by changing the import; ``reader_schema`` is added.  Each partition is a byte range of a file,
read by ``avrokit.reader(f, start=, end=)`` on a worker: the range owns the blocks whose sync
marker starts in it (Hadoop's rule), so every record is read once, and a worker needs only
its range and the header, which it reads from the start of the file itself.

This module needs Dask (``pip install 'avrokit[dask]'``; Debian: python3-dask and, for a
cluster, python3-distributed); ``import avrokit`` never imports it.
"""

from __future__ import annotations

try:
    import dask
    from dask.bag.core import Bag
except ImportError as e:  # pragma: no cover - the message is the point
    raise ImportError("avrokit.dask needs Dask: pip install 'avrokit[dask]' "
                      "(Debian: python3-dask)") from e

from . import read as _read
from .schema import parse_schema

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any, Sequence

    import dask.dataframe as dd

    from .types import NamedSchemas, Schema

__all__ = ["read_avro", "AvroBag"]


def read_avro(urlpath: str | PathLike[str] | list[str] | list[PathLike[str]],
              blocksize: int | str | None = 100000000,
              storage_options: dict[str, Any] | None = None, compression: str | None = None,
              reader_schema: Schema | None = None) -> AvroBag:
    """Read Avro container files into a ``dask.bag.Bag`` of records (dicts, as
    ``avrokit.reader`` gives them).

    ``urlpath``: a path, a glob, a URL that fsspec knows (``s3://...``), or a list of them.
    ``blocksize``: bytes per partition (an int, or a string such as ``"64MiB"``); each file is
    cut at offsets 0, blocksize, 2 * blocksize, ... as ``dask.bag.read_avro`` cuts it, and a
    partition holds the records of the blocks whose sync marker starts in its range.  None
    makes one partition per file.  ``storage_options``: passed to the file system.
    ``compression``: the files are compressed as a whole (``"gzip"``, ...); needs
    ``blocksize=None``, since such a file cannot be read from the middle.  ``reader_schema``:
    read the records as this schema (schema resolution), on every worker.

    The result is an ``AvroBag``: its ``to_dataframe()`` takes the columns and their dtypes
    from the schema.  A damaged block fails the partition that owns it, with an
    ``avrokit.AvroError`` naming the file and the block's offset; the other partitions do
    not depend on it.
    """
    from fsspec.core import get_fs_token_paths, open_files
    from dask.bag import from_delayed
    from dask.base import tokenize
    from dask.utils import parse_bytes

    storage_options = storage_options or {}
    delayed = dask.delayed
    if blocksize is not None:
        if isinstance(blocksize, str):
            blocksize = parse_bytes(blocksize)
        if not isinstance(blocksize, int) or isinstance(blocksize, bool) or blocksize < 1:
            raise ValueError(f"blocksize must be a number of bytes, 1 or more, or None, "
                             f"not {blocksize!r}")
        if compression is not None:
            raise ValueError("compression needs blocksize=None: a compressed file cannot be "
                             "read from the middle")
        fs, fs_token, paths = get_fs_token_paths(urlpath, mode="rb",
                                                 storage_options=storage_options)
        if not paths:
            raise ValueError(f"no files match {urlpath!r}")
        parts = []
        schema = reader_schema
        for path in paths:
            size = fs.info(path)["size"]
            token = tokenize(fs_token, path, fs.ukey(path), blocksize, reader_schema)
            if schema is None and size:
                schema = _file_schema(fs, path)
            for off in range(0, size, blocksize):
                parts.append(delayed(_read_range)(fs, path, off, off + blocksize, reader_schema,
                                                  dask_key_name=f"avrokit-read-avro-{off}-{token}"))
    else:
        files = open_files(urlpath, compression=compression, **storage_options)
        if not files:
            raise ValueError(f"no files match {urlpath!r}")
        parts = [delayed(_read_file)(f, reader_schema) for f in files]
        schema = reader_schema
        if schema is None:
            with files[0] as fo:
                schema = _read.reader(fo).writer_schema
    if not parts:
        # only empty files: one empty partition, as a bag needs one
        parts = [delayed(list)()]
    bag = from_delayed(parts)
    return AvroBag(bag.dask, bag.name, bag.npartitions, avro_schema=schema)


def _file_schema(fs, path):
    with fs.open(path, "rb") as fo:
        return _read.reader(fo).writer_schema


def _name_error(e, path):
    """The same exception, its message starting with the file's name."""
    if e.args and isinstance(e.args[0], str):
        e.args = (f"{path}: {e.args[0]}",) + e.args[1:]
    return e


def _read_range(fs, path, start, end, reader_schema):
    with fs.open(path, "rb") as fo:
        try:
            return list(_read.reader(fo, reader_schema, start=start, end=end))
        except (ValueError, EOFError) as e:
            raise _name_error(e, path)


def _read_file(openfile, reader_schema):
    with openfile as fo:
        try:
            return list(_read.reader(fo, reader_schema))
        except (ValueError, EOFError) as e:
            raise _name_error(e, openfile.path)


class AvroBag(Bag):
    """The ``dask.bag.Bag`` that ``read_avro`` returns: the same bag, with the Avro schema
    of its records (``avro_schema``) for ``to_dataframe``.  Bags made from it (``map``,
    ``filter``, ...) are plain bags again: their records need not fit the schema."""

    def __init__(self, dsk: Any, name: str, npartitions: int,
                 avro_schema: Schema | None = None) -> None:
        super().__init__(dsk, name, npartitions)
        self.avro_schema = avro_schema

    def to_dataframe(self, meta: Any = None, columns: Sequence[str] | None = None,
                     optimize_graph: bool = True) -> dd.DataFrame:
        """A ``dask.dataframe.DataFrame`` with a column per field of the records' schema,
        of a dtype pandas works with: int32 and int64 (nullable unions of null and int or
        long: ``Int32``, ``Int64``, exact for any long), float32 and float64, bool
        (``boolean`` when nullable), ``datetime64[ns, UTC]`` for timestamps,
        ``datetime64[ns]`` for local timestamps and dates, ``category`` with the symbols
        for enums, and ``object`` for strings, bytes, decimals, uuids, times, arrays, maps,
        records and other unions.  (Timestamps outside the years 1677 to 2262 do not fit
        datetime64[ns] and fail the conversion.)  With ``meta`` or ``columns``, or a schema
        that is not a record, this is ``dask.bag.Bag.to_dataframe``."""
        cols = _columns(self.avro_schema) if meta is None and columns is None else None
        if cols is None:
            return super().to_dataframe(meta=meta, columns=columns,
                                        optimize_graph=optimize_graph)
        import dask.dataframe as dd

        parts = [dask.delayed(_frame)(p, cols) for p in self.to_delayed(optimize_graph)]
        return dd.from_delayed(parts, meta=_frame([], cols), verify_meta=False)


# ---- schema to pandas ----

def _columns(schema):
    """[(field name, converter)] for a record schema, or None."""
    if schema is None:
        return None
    named: NamedSchemas = {}
    try:
        parsed = parse_schema(schema, named, _write_hint=False, _ignore_default_error=True)
    except Exception:  # a schema from a file that parse_schema refuses: dask's way
        return None
    if not isinstance(parsed, dict) or parsed.get("type") != "record":
        return None
    return [(f["name"], _converter(f["type"], named)) for f in parsed["fields"]]


def _frame(records, cols):
    import pandas as pd

    return pd.DataFrame({name: conv([r.get(name) for r in records]) for name, conv in cols},
                        columns=[name for name, _ in cols])


_INTS = {"int": ("int32", "Int32"), "long": ("int64", "Int64")}
_FLOATS = {"float": "float32", "double": "float64"}


def _converter(t, named, nullable=False):
    """A function from a list of Python values of type @t to a pandas array."""
    import pandas as pd

    def series(dtype):
        return lambda v: pd.Series(v, dtype=dtype)

    if isinstance(t, list):
        branches = [b for b in t if b != "null"]
        if len(branches) == 1:
            return _converter(branches[0], named, nullable or len(branches) < len(t))
        return series(object)
    if isinstance(t, str) and t in named:
        t = named[t]
    if isinstance(t, dict):
        logical, base = t.get("logicalType"), t.get("type")
        if logical in ("timestamp-millis", "timestamp-micros") and base == "long":
            return lambda v: pd.to_datetime(pd.Series(v, dtype=object), utc=True)
        if (logical in ("local-timestamp-millis", "local-timestamp-micros") and base == "long") \
                or (logical == "date" and base == "int"):
            return lambda v: pd.to_datetime(pd.Series(v, dtype=object))
        if logical is not None:
            return series(object)  # decimals, uuids, times, and logical types unknown here
        if base == "enum":
            symbols = list(t["symbols"])
            return lambda v: pd.Categorical(v, categories=symbols)
        if isinstance(base, str) and (base in _INTS or base in _FLOATS or base == "boolean"):
            return _converter(base, named, nullable)
        return series(object)
    if t in _INTS:
        if nullable:
            return lambda v, d=_INTS[t][1]: pd.array(v, dtype=d)
        return series(_INTS[t][0])
    if t in _FLOATS:
        return series(_FLOATS[t])  # None becomes NaN
    if t == "boolean":
        return (lambda v: pd.array(v, dtype="boolean")) if nullable else series(bool)
    return series(object)

