# SPDX-License-Identifier: Apache-2.0
# Types of the C extension (_ext.c), for type checkers: what the package's public names take
# from it (schemaless_reader, schemaless_writer, the exceptions, the base of reader and
# block_reader). Its other objects are internal, and typed Any.
from typing import IO, Any, Iterator

from .types import AvroMessage, Schema

library_version: str

class AvroError(ValueError): ...
class AvroEOFError(AvroError, EOFError): ...
class AvroTypeError(AvroError, TypeError): ...
class SchemaParseException(AvroError): ...
class SchemaResolutionError(AvroError): ...
class UnknownSchemaError(AvroError): ...

def schemaless_reader(
    fo: IO[Any],
    writer_schema: Schema,
    reader_schema: Schema | None = ...,
    return_record_name: bool = ...,
    return_record_name_override: bool = ...,
    handle_unicode_errors: str = ...,
    return_named_type: bool = ...,
    return_named_type_override: bool = ...,
) -> AvroMessage: ...
def schemaless_writer(
    fo: IO[Any],
    schema: Schema,
    record: Any,
    *,
    strict: bool = ...,
    strict_allow_default: bool = ...,
    disable_tuple_notation: bool = ...,
) -> None: ...
def codecs() -> dict[str, str]: ...

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
