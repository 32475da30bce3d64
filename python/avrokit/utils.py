# SPDX-License-Identifier: Apache-2.0
"""Random records for a schema: ``random_records``, and fastavro's ``generate_one`` and
``generate_many`` (``fastavro.utils``) over it.

The records are made by libavrokit's generator, the one behind ``avrokit random``: every value
valid for its type (UTF-8 strings with non-ASCII characters, enum symbols, fixed values of
their size, decimals within their precision, dates and timestamps from 1900 to 2099, uuids),
every union branch taken within the first records, recursion that ends.  They come as the
reader gives records (``datetime``, ``Decimal``, ``UUID`` for the logical types), so they
can be written with ``writer`` and compared with what is read back.  The same seed gives the
same records everywhere, the records ``avrokit random --seed`` writes.
"""

import os

from . import _ext
from .schema import _compile

__all__ = ["random_records", "generate_one", "generate_many"]

_BATCH = 256


def _seed(seed):
    if seed is None:
        return int.from_bytes(os.urandom(8), "big")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int or None, not {type(seed).__name__}")
    return seed


def _records(gen, dec, count):
    while count > 0:
        n = min(count, _BATCH)
        yield from dec.decode_block(gen.datums(n), n)
        count -= n


def random_records(schema, count, seed=None):
    """An iterator of ``count`` random records (or values) of ``schema`` (a dict, a parsed
    schema or JSON text's type name), as ``reader`` would give them.

    ``seed`` (an int from -2**63 to 2**64 - 1, as ``avrokit random --seed`` takes it) makes
    them reproducible: the same seed, the same records, the ones ``avrokit random --seed
    SEED`` writes; ``None`` picks a random one.  The schema and the arguments are checked at
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


def generate_many(schema, count, seed=None):
    """fastavro's ``generate_many(schema, count)``: ``random_records``, with a seed if you
    like."""
    return random_records(schema, count, seed)


def generate_one(schema, seed=None):
    """fastavro's ``generate_one(schema)``: one random record."""
    return next(random_records(schema, 1, seed))
