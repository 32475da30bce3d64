# SPDX-License-Identifier: Apache-2.0
"""Random records for a schema: ``random_records``, and fastavro's ``generate_one`` and
``generate_many`` (``fastavro.utils``) over it; and fastavro's ``anonymize_schema``.

The records are made by libavrokit's generator, the one behind ``avrokit random``: every value
valid for its type (UTF-8 strings with non-ASCII characters, enum symbols, fixed values of
their size, decimals within their precision, dates and timestamps from 1900 to 2099, uuids),
every union branch taken within the first records, recursion that ends.  They come as the
reader gives records (``datetime``, ``Decimal``, ``UUID`` for the logical types), so they
can be written with ``writer`` and compared with what is read back.  The same seed gives the
same records everywhere, the records ``avrokit random --seed`` writes.
"""

from __future__ import annotations

import hashlib

from . import _ext
from .schema import NAMED, PRIMITIVES, _compile, parse_schema

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Iterator

    from .types import AvroMessage, Schema

__all__ = ["random_records", "generate_one", "generate_many", "anonymize_schema"]

_BATCH = 256


def _seed(seed):
    if seed is None:
        # from Python's random module, as fastavro's generators draw their values:
        # random.seed() before a call makes its records the same every run
        import random
        return random.getrandbits(64)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int or None, not {type(seed).__name__}")
    return seed


def _records(gen, dec, count):
    while count > 0:
        n = min(count, _BATCH)
        yield from dec.decode_block(gen.datums(n), n)
        count -= n


def random_records(schema: Schema, count: int, seed: int | None = None
                   ) -> Iterator[AvroMessage]:
    """An iterator of ``count`` random records (or values) of ``schema`` (a dict, a parsed
    schema or JSON text's type name), as ``reader`` would give them.

    ``seed`` (an int from -2**63 to 2**64 - 1, as ``avrokit random --seed`` takes it) makes
    them reproducible: the same seed, the same records, the ones ``avrokit random --seed
    SEED`` writes; ``None`` takes one from Python's ``random`` module (so that, as with
    fastavro, ``random.seed()`` makes the records reproducible too).  The schema and the arguments are checked at
    once; the records are made as they are iterated, a batch at a time.  A schema whose
    values cannot end (a record that always holds itself) raises ``SchemaParseException``;
    one whose fixed types would make a record of more than 64 MiB raises ``AvroError``.
    """
    if not isinstance(count, int) or isinstance(count, bool):
        raise TypeError(f"count must be an int, not {type(count).__name__}")
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    compiled = _compile(schema)
    gen = _ext.Random(compiled, _seed(seed))
    return _records(gen, _ext.Decoder(compiled), count)


def generate_many(schema: Schema, count: int, seed: int | None = None
                  ) -> Iterator[AvroMessage]:
    """fastavro's ``generate_many(schema, count)``: ``random_records``, with a seed if you
    like."""
    return random_records(schema, count, seed)


def generate_one(schema: Schema, seed: int | None = None) -> AvroMessage:
    """fastavro's ``generate_one(schema)``: one random record."""
    return next(random_records(schema, 1, seed))


def _digest(text, what):
    """The MD5 hex digest of ``text``'s UTF-8 bytes."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str to be anonymized, not "
                        f"{type(text).__name__}: {text!r}")
    return hashlib.md5(text.encode()).hexdigest()


def _anonymized_name(name):
    return "A_" + _digest(name, "a name")


def _anonymize(schema):
    """The anonymized form of a parsed schema (see anonymize_schema)."""
    if isinstance(schema, list):
        return [_anonymize(s) for s in schema]
    if not isinstance(schema, dict):
        return schema if schema in PRIMITIVES else _anonymized_name(schema)
    t = schema["type"]
    out = {"type": t}
    if "doc" in schema:
        out["doc"] = _digest(schema["doc"], "a doc")
    if t == "array":
        out["items"] = _anonymize(schema["items"])
    elif t == "map":
        out["values"] = _anonymize(schema["values"])
    elif t in NAMED:
        out["name"] = _anonymized_name(schema["name"])
        if t == "enum":
            out["symbols"] = [_anonymized_name(s) for s in schema["symbols"]]
        elif t == "fixed":
            out["size"] = schema["size"]
        else:
            out["fields"] = [_anonymize_field(f) for f in schema["fields"]]
    return out


def _anonymize_field(field):
    out = {}
    if "doc" in field:
        out["doc"] = _digest(field["doc"], "a doc")
    if "aliases" in field:
        out["aliases"] = [_digest(a, "an alias") for a in field["aliases"]]
    if "default" in field:
        out["default"] = field["default"]
    out["name"] = _digest(field["name"], "a field name")
    out["type"] = _anonymize(field["type"])
    return out


def anonymize_schema(schema: Schema) -> Schema:
    """``schema`` (anything ``parse_schema`` takes) with its names and docs replaced by
    digests, the same schema fastavro's ``anonymize_schema`` returns, for showing a schema's
    shape without its words (in a bug report, say).

    The schema is parsed first, so full names are what get replaced.  A named type's name, a
    reference to it and an enum symbol become ``A_`` and the MD5 hex digest of the full name
    or symbol; a field's name, its aliases and every ``doc`` become the bare digest.  Types,
    fixed sizes and the order of fields, symbols and union branches stay; defaults are kept
    as they were (an enum field's default still names the old symbol).  Everything else is
    dropped: namespaces, named types' aliases, ``order``, logical types and their
    ``precision`` and ``scale``, an enum's ``default``, other properties.

    A field name the digest gives may start with a digit, which the Avro specification does
    not allow, so the result is for reading, not for writing data with: avrokit refuses it
    when it is used for data (fastavro does not check).  A doc, alias, symbol or name that is
    not a str raises ``TypeError``; an invalid schema, what ``parse_schema`` raises.
    """
    return _anonymize(parse_schema(schema, {}))
