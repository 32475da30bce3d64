# SPDX-License-Identifier: Apache-2.0
# Types of the C extension (_ext.c), for type checkers: what the package's public names take
# from it (schemaless_reader, schemaless_writer, the exceptions, the base of reader and
# block_reader; Schema, which the modules test for). Its other objects are internal, and
# typed Any.
from typing import IO, Any, Iterator

from .types import AvroMessage
from .types import Schema as _Schema

library_version: str

class AvroError(ValueError): ...
class AvroEOFError(AvroError, EOFError): ...
class AvroTypeError(AvroError, TypeError): ...
class SchemaParseException(AvroError): ...
class SchemaResolutionError(AvroError): ...
class UnknownSchemaError(AvroError): ...

def schemaless_reader(
    fo: IO[Any],
    writer_schema: _Schema,
    reader_schema: _Schema | None = ...,
    return_record_name: bool = ...,
    return_record_name_override: bool = ...,
    handle_unicode_errors: str = ...,
    return_named_type: bool = ...,
    return_named_type_override: bool = ...,
) -> AvroMessage: ...
def schemaless_writer(
    fo: IO[Any],
    schema: _Schema,
    record: Any,
    *,
    strict: bool = ...,
    strict_allow_default: bool = ...,
    disable_tuple_notation: bool = ...,
) -> None: ...
def codecs() -> dict[str, str]: ...

class Schema:
    """A schema compiled by libavrokit (schema._compile() makes them)."""
    json: str
    node_count: int
    def __init__(self, json: str, lenient: bool = ...) -> None: ...
    def __getattr__(self, name: str) -> Any: ...

class Reader:
    """The container file reader read.reader and read.block_reader are made of."""
    _codec: str
    _raw_metadata: dict[str, bytes]
    _sync: bytes
    _writer: Any
    _header_size: int
    def __init__(self, *args: Any) -> None: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __next__(self) -> Any: ...
    def _next_block(self) -> tuple[bytes, int, int, int] | None: ...
    def _set_range(self, start: int, end: int, seek: Any) -> None: ...

def __getattr__(name: str) -> Any: ...
