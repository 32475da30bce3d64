# SPDX-License-Identifier: Apache-2.0
"""avrokit: Apache Avro for Python at native speed, with fastavro's API.

The functions and classes are fastavro's (1.12), with the same arguments, values and
exceptions, so that ``import avrokit as fastavro`` works for them::

    import avrokit

    with open("users.avro", "rb") as f:
        for user in avrokit.reader(f):       # dicts, as fastavro gives them
            ...

    schema = avrokit.parse_schema(schema_dict)
    with open("out.avro", "wb") as f:
        avrokit.writer(f, schema, records, codec="deflate")

The work is done by libavrokit, the C library of the ``avrokit`` command-line tool: records
are decoded straight into Python objects and encoded straight from them, and blocks are
compressed and decompressed with the GIL released.  Bad data raises ``AvroError``, a
``ValueError`` whose message says where (block, record, field).

Beyond fastavro: ``infer(records)`` gives the schema ``avrokit infer`` would for the records
(a dict ``writer`` takes), and ``random_records(schema, count, seed)`` makes records as
``avrokit random`` does (also as ``utils.generate_one`` and ``utils.generate_many``).
"""

from __future__ import annotations

from . import _ext
from ._ext import AvroEOFError, AvroError, AvroTypeError
from .json_read import json_reader
from .json_write import json_writer
from .read import Block, SchemaResolutionError, block_reader, is_avro, reader, schemaless_reader
from .schema import (SchemaParseException, UnknownType, fingerprint, fullname, load_schema,
                     parse_schema, to_parsing_canonical_form)
from .validation import ValidationError, validate, validate_many
from .inference import Inferrer, infer
from .utils import random_records
from . import utils
from .write import Writer, schemaless_writer, writer
from . import read as _read, write as _write
from . import datums, repository, _logical
import io as _io

_ext._setup_fast(_io.BytesIO, _read._schemaless_reader, _write._schemaless_writer)
_ext._set_hook_table(_logical.hook_table)

__version__ = "0.1.0"
library_version = _ext.library_version

__all__ = [
    "reader", "block_reader", "Block", "schemaless_reader", "is_avro",
    "writer", "Writer", "schemaless_writer",
    "json_reader", "json_writer",
    "parse_schema", "load_schema", "fullname", "to_parsing_canonical_form", "fingerprint",
    "validate", "validate_many",
    "AvroError", "AvroTypeError", "AvroEOFError", "SchemaResolutionError",
    "SchemaParseException", "UnknownType", "ValidationError",
    "codecs",
    "infer", "Inferrer", "random_records", "utils",
]


def codecs() -> dict[str, str]:
    """The codecs this build of libavrokit has: a dict name -> ``'read-write'`` or
    ``'read'`` (avro-c's lzma and fastavro's lz4, which are only read).  Not in fastavro."""
    return _ext.codecs()


TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from . import types as types
else:
    # avrokit.types (fastavro.types' aliases) is imported when first asked for, as
    # fastavro's is there after `import fastavro`, without loading typing for everyone.
    # (Hidden from type checkers, which would take any misspelt name for one it gives.)
    def __getattr__(name):
        if name == "types":
            import importlib
            return importlib.import_module(__name__ + ".types")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
