# SPDX-License-Identifier: Apache-2.0
"""Validating records against a schema, as fastavro's ``fastavro.validation`` module offers
it.  The rules are fastavro's (a Python int for int and long within their ranges, never a
bool; int or float for float and double; str for string; bytes for bytes and fixed of the
right size; a symbol for an enum; a list for an array; a dict with str keys for a map; a
dict whose fields validate, or take their defaults, for a record; any branch for a union)."""

from collections import namedtuple

from . import _ext

__all__ = ["validate", "validate_many", "ValidationError", "ValidationErrorData"]


class ValidationErrorData(namedtuple("ValidationErrorData", ["datum", "schema", "field"])):
    def __str__(self):
        if self.datum is None:
            return f"Field({self.field}) is None expected {self.schema}"
        return f"{self.field} is <{self.datum}> of type {type(self.datum)} expected " \
               f"{self.schema}"


class ValidationError(_ext.AvroError):
    """Records that do not fit their schema (``errors``: ValidationErrorData)."""

    def __init__(self, *errors):
        message = "\n".join(str(e) for e in errors) if errors else "validation failed"
        super().__init__(message)
        self.errors = errors


_validators = {}


def _encoder(schema, strict):
    from .schema import _compile
    compiled = _compile(schema)
    key = (id(compiled), strict)
    hit = _validators.get(key)
    if hit is None or hit[0] is not compiled:
        if len(_validators) >= 256:
            _validators.clear()
        hit = _validators[key] = (compiled, _ext.Encoder(compiled, strict))
    return hit[1]


def validate(datum, schema, field="", raise_errors=True, strict=False,
             disable_tuple_notation=False):
    """True when ``datum`` fits ``schema``; else ``ValidationError`` (or False with
    ``raise_errors=False``)."""
    ok = _encoder(schema, strict).validate(datum)
    if not ok and raise_errors:
        raise ValidationError(ValidationErrorData(datum, schema, field))
    return ok


def validate_many(records, schema, raise_errors=True, strict=False,
                  disable_tuple_notation=False):
    """True when every record fits ``schema``; else ``ValidationError`` listing the ones that
    do not (or False with ``raise_errors=False``)."""
    enc = _encoder(schema, strict)
    bad = [ValidationErrorData(r, schema, "") for r in records if not enc.validate(r)]
    if bad and raise_errors:
        raise ValidationError(*bad)
    return not bad
