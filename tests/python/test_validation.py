# SPDX-License-Identifier: Apache-2.0
"""validate and validate_many: fastavro's rules, its options, and what ValidationError says
(its message is a JSON list of the failures, each naming the field as Record.field)."""

import io
import json

import pytest

from support import av, read_file, validation_mod, write_file

validate = validation_mod.validate
validate_many = validation_mod.validate_many
ValidationError = validation_mod.ValidationError

S = {"type": "record", "name": "R", "namespace": "n", "fields": [
    {"name": "a", "type": "int"},
    {"name": "addr", "type": {"type": "record", "name": "Address", "fields": [
        {"name": "zip", "type": "int"}]}},
    {"name": "u", "type": ["null", "int"]},
    {"name": "l", "type": {"type": "array", "items": "Address"}}]}
GOOD = {"a": 1, "addr": {"zip": 1}, "u": None, "l": []}
A = {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]}
D = {"type": "record", "name": "D", "fields": [
    {"name": "a", "type": "int"}, {"name": "c", "type": ["null", "string"]},
    {"name": "b", "type": "int", "default": 3}]}


def failures(fn, *args, **kw):
    with pytest.raises(ValidationError) as ei:
        fn(*args, **kw)
    assert json.loads(str(ei.value)) == [str(e) for e in ei.value.errors]
    return [(e.datum, e.schema, e.field) for e in ei.value.errors]


def test_valid_record():
    assert validate(GOOD, S) is True
    assert validate_many([GOOD, GOOD], S) is True


@pytest.mark.parametrize("bad, expected", [
    (dict(GOOD, a="x"), [("x", "int", "n.R.a")]),
    (dict(GOOD, addr={"zip": "z"}), [("z", "int", "n.Address.zip")]),
    (dict(GOOD, u="s"), [("s", "null", "n.R.u"), ("s", "int", "n.R.u")]),
    (dict(GOOD, l=[{"zip": 1}, {"zip": "q"}]), [("q", "int", "n.Address.zip")]),
], ids=["field", "nested", "union-branches", "array-item"])
def test_validation_error_names_the_field(bad, expected):
    assert failures(validate, bad, S) == expected
    assert validate(bad, S, raise_errors=False) is False


def test_field_argument_names_the_datum():
    assert failures(validate, "x", "int", field="f") == [("x", "int", "f")]
    schema = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    assert failures(validate, {"a": "x"}, schema, field="top") == [("x", "int", "top.R.a")]


def test_validate_many_lists_every_failing_record():
    schema = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    errors = failures(validate_many, [{"a": "x"}, {"a": 1}, {"a": None}], schema)
    assert errors == [("x", "int", "R.a"), (None, "int", "R.a")]
    assert validate_many([{"a": "x"}, {"a": 1}], schema, raise_errors=False) is False


def test_missing_nullable_field_validates_unless_strict():
    assert validate({"a": 1}, D) is True
    assert validate({"a": 1}, D, strict=True, raise_errors=False) is False
    assert validate({"a": 1, "c": None}, D, strict=True) is True  # b has a default


def test_union_of_records_takes_a_record_missing_a_nullable_field():
    data = write_file(["null", D], [{"a": 1}])
    assert read_file(data)[1] == [{"a": 1, "c": None, "b": 3}]


def test_disable_tuple_notation_in_validate():
    union = ["null", A]
    assert validate(("A", {"x": 1}), union) is True
    assert validate(("A", {"x": 1}), union, disable_tuple_notation=True,
                    raise_errors=False) is False
    assert validate_many([("A", {"x": 1})], union, disable_tuple_notation=True,
                         raise_errors=False) is False
    # as a plain value a tuple is a sequence: it fits an array
    arr = ["null", {"type": "array", "items": ["string", "int"]}]
    assert validate(("A", 7), arr, disable_tuple_notation=True) is True


def test_writer_validator_uses_the_same_rules():
    with pytest.raises(ValidationError):
        av.writer(io.BytesIO(), S, [GOOD, dict(GOOD, a="x")], validator=True)


@pytest.mark.parametrize("value, valid", [
    (b"ab", True), (bytearray(b"ab"), True), (bytearray(b"abc"), False), ("ab", False)])
def test_fixed_takes_bytes_or_a_bytearray_of_its_size(value, valid):
    """The writers take a bytearray for a fixed, so validate, the union choice and
    writer(validator=True) do too."""
    import io
    fixed = {"type": "fixed", "name": "F", "size": 2}
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "f", "type": fixed}, {"name": "u", "type": ["null", "F"]}]}
    rec = {"f": value, "u": value}
    assert validation_mod.validate(rec, schema, raise_errors=False) is valid
    if valid:
        data = write_file(schema, [rec], validator=True)
        assert read_file(data)[1] == [{"f": b"ab", "u": b"ab"}]
        out = io.StringIO()
        av.json_writer(out, schema, [rec])
        assert '"u": {"F": "ab"}' in out.getvalue().replace('":{', '": {')
