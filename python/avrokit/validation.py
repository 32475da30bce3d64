# SPDX-License-Identifier: Apache-2.0
"""Validating records against a schema, as fastavro's ``fastavro.validation`` module offers
it.  The rules are fastavro's (an integer, ``int`` or another ``numbers.Integral`` such as
numpy's, for int and long within their ranges, never a bool; a ``numbers.Real``, int and
float included, for float and double; str for string; bytes or a bytearray for bytes, and
for fixed of the right size; a symbol for an enum; a list for an array; a dict with str keys for a map; a
dict whose fields validate, or take their defaults, for a record; any branch for a union)."""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Mapping

from . import _ext

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any, Iterable

    from .types import NamedSchemas, Schema

__all__ = ["validate", "validate_many", "ValidationError", "ValidationErrorData"]


class ValidationErrorData(namedtuple("ValidationErrorData", ["datum", "schema", "field"])):
    """One failure of ``validate``: the value, the schema it fails, the field that holds it
    (fastavro's ``Record.field`` names), as fastavro gives it."""

    def __str__(self) -> str:
        if self.datum is None:
            return f"Field({self.field}) is None expected {self.schema}"
        return f"{self.field} is <{self.datum}> of type {type(self.datum)} expected " \
               f"{self.schema}"


class ValidationError(_ext.AvroError):
    """Records that do not fit their schema: ``errors`` holds a ValidationErrorData (datum,
    schema, field) for each failure, and the message lists them as fastavro's does (a JSON
    list).  Unlike fastavro's, it is an ``avrokit.AvroError`` (a ``ValueError``) too."""

    errors: tuple[ValidationErrorData, ...]

    def __init__(self, *errors: ValidationErrorData) -> None:
        message = json.dumps([str(e) for e in errors], indent=2, ensure_ascii=False)
        super().__init__(message)
        self.errors = errors


# (id of the compiled schema, options) -> (the compiled schema, its _ext.Encoder)
_validators: dict[tuple[int, bool, bool], tuple[_ext.Schema, Any]] = {}


def _encoder(schema, strict, disable_tuple_notation):
    from .schema import _compile
    compiled = _compile(schema)
    key = (id(compiled), bool(strict), bool(disable_tuple_notation))
    hit = _validators.get(key)
    if hit is None or hit[0] is not compiled:
        if len(_validators) >= 256:
            _validators.clear()
        hit = _validators[key] = (compiled, _ext.Encoder(
            compiled, strict, False, disable_tuple_notation))
    return hit[1]


class _Explainer:
    """Where a datum fails its schema, in fastavro's terms (field names ``Record.field``,
    the first failing field of a record, item of an array or value of a map, one error per
    branch of a union); run only once a datum is known to fail."""

    def __init__(self, named, strict, disable_tuple_notation):
        self.named = named
        self.strict = strict
        self.dtn = disable_tuple_notation
        self.errors = []

    def fits(self, datum, schema):
        from .schema import _compile, _self_contained
        try:
            enc = _ext.Encoder(_compile(_self_contained(schema, self.named, set())),
                               self.strict, False, self.dtn)
        except Exception:
            return False
        return enc.validate(datum)

    def explain(self, datum, schema, field):
        """Whether datum fits schema; when not, its errors are added."""
        from .schema import PRIMITIVES
        while isinstance(schema, str) and schema not in PRIMITIVES and schema in self.named:
            schema = self.named[schema]
        if self.fits(datum, schema):
            return True
        if isinstance(schema, list):
            if isinstance(datum, tuple) and len(datum) == 2 and not self.dtn:
                name, value = datum
                for s in schema:
                    t = self.named.get(s, s) if isinstance(s, str) else s
                    if (t.get("name") if isinstance(t, dict) else t) == name:
                        return self.explain(value, s, field)
            else:
                for s in schema:
                    self.explain(datum, s, field)
                return False
        t = schema.get("type") if isinstance(schema, dict) else schema
        if t in ("record", "error") and isinstance(datum, Mapping):
            name = schema["name"]
            full = name if "." in name or not field else f"{field}.{name}"
            for f in schema["fields"]:
                if f["name"] not in datum:
                    if self.strict or "default" in f:
                        continue
                    value = None
                else:
                    value = datum[f["name"]]
                if not self.explain(value, f["type"], f"{full}.{f['name']}"):
                    return False
        elif t == "array" and isinstance(datum, (list, tuple)):
            for item in datum:
                if not self.explain(item, schema["items"], field):
                    return False
        elif t == "map" and isinstance(datum, Mapping) and all(isinstance(k, str)
                                                                for k in datum):
            for value in datum.values():
                if not self.explain(value, schema["values"], field):
                    return False
        self.errors.append(ValidationErrorData(datum, schema, field))
        return False


def _explain(datum, schema, field, strict, disable_tuple_notation, errors):
    from .schema import parse_schema
    named: NamedSchemas = {}
    parsed = parse_schema(schema, named, _force=True)
    ex = _Explainer(named, strict, disable_tuple_notation)
    ex.explain(datum, parsed, field)
    errors.extend(ex.errors or [ValidationErrorData(datum, parsed, field)])


def validate(datum: Any, schema: Schema, field: str = "", raise_errors: bool = True,
             strict: bool = False, disable_tuple_notation: bool = False) -> bool:
    """Whether ``datum`` fits ``schema``, by fastavro's rules: True, or else
    ``ValidationError`` (False with ``raise_errors=False``).  ``field`` names the datum in
    the error messages; ``strict`` lets no field of a record be left out;
    ``disable_tuple_notation`` makes a ``(name, value)`` tuple an ordinary value rather
    than a union branch named.  The check is the one the writers make, in C."""
    ok = _encoder(schema, strict, disable_tuple_notation).validate(datum)
    if not ok and raise_errors:
        errors: list[ValidationErrorData] = []
        _explain(datum, schema, field, strict, disable_tuple_notation, errors)
        raise ValidationError(*errors)
    return ok


def validate_many(records: Iterable[Any], schema: Schema, raise_errors: bool = True,
                  strict: bool = False, disable_tuple_notation: bool = False) -> bool:
    """Whether every record of ``records`` fits ``schema``: True, or else
    ``ValidationError`` listing the failures of every record that does not (False with
    ``raise_errors=False``).  The options are ``validate``'s."""
    enc = _encoder(schema, strict, disable_tuple_notation)
    errors: list[ValidationErrorData] = []
    ok = True
    for r in records:
        if not enc.validate(r):
            ok = False
            if raise_errors:
                _explain(r, schema, "", strict, disable_tuple_notation, errors)
    if errors:
        raise ValidationError(*errors)
    return ok
