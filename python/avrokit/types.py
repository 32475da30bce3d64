# SPDX-License-Identifier: Apache-2.0
"""Type aliases for annotating code that uses avrokit, with the names and meanings of
fastavro's ``fastavro.types``, so that annotations written for fastavro keep working::

    from avrokit.types import Schema

    def load(path: str) -> Schema: ...

They are plain ``typing`` aliases, equal to fastavro's: ``Schema`` is any schema (a type
name, a union's list or a dict), ``DictSchema`` a schema's dict, ``NamedSchemas`` the dict
of full name to definition that ``parse_schema`` fills, and ``AvroMessage`` a value of any
Avro type as Python holds it.
"""

import decimal
from typing import Any, Dict, List, Union

__all__ = ["AvroMessage", "DictSchema", "NamedSchemas", "Schema"]

AvroMessage = Union[
    None,               # null
    str,                # string, enum
    float,              # float, double
    int,                # int, long
    decimal.Decimal,    # decimal (fastavro lists it for fixed)
    bool,               # boolean
    bytes,              # bytes, fixed
    List[Any],          # array
    Dict[Any, Any],     # map, record
]
DictSchema = Dict[Any, Any]
Schema = Union[str, List[Any], DictSchema]
NamedSchemas = Dict[str, Dict[Any, Any]]
