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


def _explain(datum, schema, named, field, errors):
    """Find where ``datum`` fails ``schema`` (fastavro's field names: ``Record.field``), for
    the message; run only once a record is known to fail."""
    from .schema import PRIMITIVES
    while isinstance(schema, str) and schema not in PRIMITIVES and schema in named:
        schema = named[schema]
    if isinstance(schema, list):
        errors.append(ValidationErrorData(datum, schema, field))
        return
    t = schema["type"] if isinstance(schema, dict) else schema
    if t in ("record", "error") and isinstance(datum, dict):
        before = len(errors)
        for f in schema["fields"]:
            name = f"{schema['name']}.{f['name']}"
            value = datum.get(f["name"], f.get("default"))
            sub = _encoder_for(f["type"], named)
            if sub is None or not sub.validate(value):
                _explain(value, f["type"], named, name, errors)
        if len(errors) > before:
            return
    errors.append(ValidationErrorData(datum, schema, field))


def _encoder_for(schema, named):
    from .schema import _compile, _self_contained
    try:
        return _ext.Encoder(_compile(_self_contained(schema, named, set())))
    except Exception:
        return None


def validate(datum, schema, field="", raise_errors=True, strict=False,
             disable_tuple_notation=False):
    """True when ``datum`` fits ``schema``; else ``ValidationError`` (or False with
    ``raise_errors=False``)."""
    ok = _encoder(schema, strict).validate(datum)
    if not ok and raise_errors:
        from .schema import parse_schema
        named = {}
        parsed = parse_schema(schema, named, _write_hint=False, _force=True)
        errors = []
        _explain(datum, parsed, named, field, errors)
        raise ValidationError(*errors)
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
