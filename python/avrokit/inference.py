# SPDX-License-Identifier: Apache-2.0
"""A schema from records: ``infer`` (and ``Inferrer``, to feed records in several goes).

The schema is the one ``avrokit infer`` prints for the same records as JSON, made by the same
code in libavrokit, given the values straight from Python (no JSON text in between): objects
become records named after their key, keys missing or ``None`` in some records optional
fields (``["null", T]`` with default ``None``), numbers ``int``, ``long`` or ``double`` as
the values need, a place that holds several kinds of value a union of one branch per kind,
dicts with a key that is not a valid Avro name, or with more than ``max_fields`` different
keys, maps.  Only a summary of the types is kept, never the records: memory stays flat
however many there are.

Python values and the Avro types they give:

=============================  ================================================
``None``                       null
``bool``                       boolean
``int``                        int, or long when one needs 64 bits (beyond 64 bits:
                               ValueError); also another ``numbers.Integral``
                               (numpy's integers), as the int it equals
``float``                      double (a place with ints and floats: double); also
                               another ``numbers.Real`` (numpy's floats, ``Fraction``)
``str``                        string (with ``logical=True``, strings that are all dates,
                               RFC 3339 timestamps or uuids get those logical types, as
                               ``avrokit infer --logical`` gives them)
``bytes``, ``bytearray``       bytes
``decimal.Decimal``            bytes with the decimal logical type, its precision and
                               scale the most the place needs (NaN and infinities:
                               ValueError)
``datetime.datetime``          long, timestamp-micros when it has a tzinfo, else
                               local-timestamp-micros
``datetime.date``              int, date
``datetime.time``              long, time-micros (with a tzinfo: ValueError)
``uuid.UUID``                  string, uuid
``dict`` (and any Mapping)     record (or map); keys must be ``str`` (else TypeError)
``list``                       array
=============================  ================================================

Anything else (a tuple, a set, an object) raises ``avrokit.AvroTypeError``, a TypeError;
tuples too, since writers read a 2-tuple in a union as ``(branch name, value)``.  Two kinds
at one place that are one Avro type (``str`` and ``UUID``, ``int`` and ``datetime``: both
long; ``bytes`` and ``Decimal``; aware and naive datetimes) cannot share a union:
``schema()`` raises ``avrokit.AvroError``, a ValueError naming the place.  Every error names
the record (counted from 0) and the place as a JSONPath (``$.address.zip``, ``$.tags[3]``).

With the default ``logical=False``, every record given is written by ``avrokit.writer`` with
the inferred schema and read back equal (a place with ints and floats reads its ints back
as floats, equal to them).  With ``logical=True``, strings become dates and timestamps that
``avrokit fromjson --plain`` reads; Python writers want ``date`` and ``datetime`` objects
there.
"""

from __future__ import annotations

import json

from . import _ext

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any, Iterable

    from .types import DictSchema

__all__ = ["infer", "Inferrer"]


class Inferrer:
    """Infer a schema from records given one at a time or in batches.

    ``Inferrer(name="Record", namespace=None, logical=False, max_fields=1000)``;
    ``add(record)``, ``add_many(records)`` (an iterable, consumed as it goes; returns how
    many), ``schema()`` (a dict, or for a stream of non-records the type: ``"int"``, a list
    for a union), ``notes`` (what the last ``schema()`` decided that may not be expected: a
    record that became a map, and why, as sentences starting with the place), ``count``
    (records added).  ``schema()`` may be called at any time and again after more records.
    After an error in ``add`` or ``add_many`` the Inferrer holds part of the record that
    failed and raises RuntimeError from then on: make a new one.
    """

    notes: list[str]

    def __init__(self, name: str = "Record", namespace: str | None = None,
                 logical: bool = False, max_fields: int = 1000) -> None:
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        if namespace is not None and not isinstance(namespace, str):
            raise TypeError(f"namespace must be a str or None, not {type(namespace).__name__}")
        if not isinstance(max_fields, int) or isinstance(max_fields, bool):
            raise TypeError(f"max_fields must be an int, not {type(max_fields).__name__}")
        self._inf = _ext.Inferrer(name, namespace, bool(logical), max_fields)
        self.notes = []

    def add(self, record: Any) -> None:
        """Add one record (or any value)."""
        self._inf.add(record)

    def add_many(self, records: Iterable[Any]) -> int:
        """Add every record of an iterable; returns how many were added."""
        return self._inf.add_many(records)

    @property
    def count(self) -> int:
        """The records added so far."""
        return self._inf.count

    def schema(self) -> DictSchema:
        """The schema of every record added so far, as a dict fastavro's ``parse_schema``
        and ``writer`` take (a record with no fields when none was added)."""
        text = self._inf.schema()
        self.notes = self._inf.notes()
        return json.loads(text)


def infer(records: Iterable[Any], name: str = "Record", namespace: str | None = None,
          logical: bool = False, max_fields: int = 1000) -> DictSchema:
    """The schema of the records of an iterable, as a dict ``parse_schema`` and ``writer``
    take: the schema ``avrokit infer`` prints for the same records as JSON.

    ``records`` is consumed once, as it goes (a generator of a million records is fine:
    memory does not grow with their number).  ``name`` and ``namespace`` name the top-level
    record (nested records are named after their key, ``address`` -> ``Address``, in the same
    namespace); ``logical`` turns strings that are all dates, RFC 3339 timestamps or uuids
    into those logical types; a dict seen with more than ``max_fields`` different keys at
    one place becomes a map.  The module's docstring lists the Avro type of each Python type.
    Raises ``AvroTypeError`` (a TypeError) for a value with no Avro type, ``AvroError`` (a
    ValueError) for one without an exact one, each naming the record and the place.

    >>> infer([{"id": 1, "tags": ["a"]}, {"id": 2**40, "tags": [], "note": "x"}])["fields"]
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'name': 'id', 'type': 'long'},
     {'name': 'tags', 'type': {'type': 'array', 'items': 'string'}},
     {'name': 'note', 'type': ['null', 'string'], 'default': None}]
    """
    inf = Inferrer(name, namespace, logical, max_fields)
    inf.add_many(records)
    return inf.schema()
