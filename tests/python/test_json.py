# SPDX-License-Identifier: Apache-2.0
"""json_writer and json_reader: Avro's JSON encoding, one record per line.

Unions are {"branch": value} (the full name for named types) unless write_union_type is
False; bytes and fixed are strings of the code points U+0000..U+00FF; a record is a JSON
object.  The tests compare parsed JSON, not the spacing of the text.
"""

import io
import json

import pytest

from support import av

SCHEMA = {"type": "record", "name": "R", "namespace": "n", "fields": [
    {"name": "i", "type": "int"},
    {"name": "l", "type": "long"},
    {"name": "by", "type": "bytes"},
    {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 2}},
    {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
    {"name": "u", "type": ["null", "string", "long",
                           {"type": "record", "name": "Sub", "fields": [
                               {"name": "z", "type": "int"}]}]},
    {"name": "a", "type": {"type": "array", "items": "int"}},
    {"name": "m", "type": {"type": "map", "values": ["null", "double"]}},
    {"name": "d", "type": "double"},
    {"name": "f", "type": "float"},
    {"name": "b", "type": "boolean"},
    {"name": "s", "type": "string"},
]}
BASE = {"i": 0, "l": 0, "by": b"", "fx": b"ab", "e": "A", "u": None, "a": [], "m": {},
        "d": 0.0, "f": 0.0, "b": False, "s": ""}
RECORDS = [
    dict(BASE, i=1, l=2**40, by=b"\x00\xffa", fx=b"\x01\x02", e="B", a=[1, 2],
         m={"k": 1.5, "n": None}, d=0.1, f=0.5, b=True, s="ø\"\\\n☃𝄞"),
    dict(BASE, i=-2, u="s", d=1e100, f=-1.0),
    dict(BASE, u=7),
    dict(BASE, u={"z": 1}),
]
# Avro JSON of RECORDS, as fastavro writes it with write_union_type=True
JSON = [
    dict(BASE, i=1, l=2**40, by="\u0000\u00ffa", fx="\u0001\u0002", e="B", a=[1, 2],
         m={"k": {"double": 1.5}, "n": None}, d=0.1, f=0.5, b=True, s="ø\"\\\n☃𝄞"),
    dict(BASE, i=-2, u={"string": "s"}, d=1e100, f=-1.0, by="", fx="ab"),
    dict(BASE, u={"long": 7}, by="", fx="ab"),
    dict(BASE, u={"n.Sub": {"z": 1}}, by="", fx="ab"),
]


def write_json(records, schema=SCHEMA, **kw):
    buf = io.StringIO()
    av.json_writer(buf, schema, records, **kw)
    return buf.getvalue()


def lines(text):
    return [json.loads(line) for line in text.splitlines()]


def test_json_writer_output():
    out = lines(write_json(RECORDS))
    assert out[0]["by"] == "\u0000\u00ffa"
    assert out == JSON


def test_json_writer_one_record_per_line():
    text = write_json(RECORDS)
    assert len(text.rstrip("\n").split("\n")) == len(RECORDS)


def test_json_writer_without_union_types():
    out = lines(write_json(RECORDS, write_union_type=False))
    assert [r["u"] for r in out] == [None, "s", 7, {"z": 1}]
    assert out[0]["m"] == {"k": 1.5, "n": None}


def test_json_roundtrip():
    buf = io.StringIO(write_json(RECORDS))
    out = list(av.json_reader(buf, SCHEMA))
    assert out == RECORDS
    assert type(out[0]["by"]) is bytes and type(out[0]["fx"]) is bytes


def test_json_reader_from_text_written_elsewhere():
    text = "\n".join(json.dumps(r) for r in JSON) + "\n"
    assert list(av.json_reader(io.StringIO(text), SCHEMA)) == RECORDS


def test_json_reader_reader_schema():
    reader = {"type": "record", "name": "R", "namespace": "n", "fields": [
        {"name": "i", "type": "long"}, {"name": "new", "type": "string", "default": "dd"}]}
    out = list(av.json_reader(io.StringIO(write_json(RECORDS)), SCHEMA, reader))
    assert out == [{"i": r["i"], "new": "dd"} for r in RECORDS]


def test_json_primitive_schema():
    text = write_json([1, 2, 3], schema="int")
    assert lines(text) == [1, 2, 3]
    assert list(av.json_reader(io.StringIO(text), "int")) == [1, 2, 3]


@pytest.mark.parametrize("schema", [SCHEMA, "string"])
def test_json_writer_refuses_records_given_as_a_dict(schema):
    out = io.StringIO()
    with pytest.raises(ValueError, match='^"records" argument should be an iterable, not '
                                         'dict$'):
        av.json_writer(out, schema, {"i": 1})
    assert out.getvalue() == ""


def test_json_logical_types():
    import datetime
    schema = {"type": "record", "name": "L", "fields": [
        {"name": "d", "type": {"type": "int", "logicalType": "date"}},
        {"name": "t", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
    rec = {"d": datetime.date(1970, 1, 3),
           "t": datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.timezone.utc)}
    text = write_json([rec], schema=schema)
    assert lines(text) == [{"d": 2, "t": 1000}]
    assert list(av.json_reader(io.StringIO(text), schema)) == [rec]


def test_json_writer_strict():
    with pytest.raises(ValueError, match="more fields than the schema specifies: extra$"):
        write_json([dict(RECORDS[0], extra=1)], strict=True)
    with pytest.raises(ValueError):
        write_json([{k: v for k, v in RECORDS[0].items() if k != "u"}], strict=True)
    write_json([dict(RECORDS[0], extra=1)])


def test_json_writer_strict_allow_default():
    schema = {"type": "record", "name": "D", "fields": [
        {"name": "a", "type": "int", "default": 3}, {"name": "b", "type": "int"}]}
    assert lines(write_json([{"b": 1}], schema=schema, strict_allow_default=True)) == \
        [{"a": 3, "b": 1}]
    with pytest.raises(ValueError):
        write_json([{"a": 1}], schema=schema, strict_allow_default=True)


def test_json_writer_validator():
    from support import validation_mod
    with pytest.raises(validation_mod.ValidationError):
        write_json([dict(RECORDS[0], i="x")], validator=True)


def test_json_writer_tuple_notation():
    out = lines(write_json([dict(BASE, u=("long", 5))]))
    assert out[0]["u"] == {"long": 5}


def test_json_missing_field_is_value_error():
    with pytest.raises(ValueError):
        write_json([{"i": 1}])


def test_json_reader_bad_json_is_value_error():
    with pytest.raises(ValueError):
        list(av.json_reader(io.StringIO("not json\n"), SCHEMA))


def test_json_reader_missing_field_is_value_error():
    with pytest.raises(ValueError):
        list(av.json_reader(io.StringIO('{"i": 1}\n'), SCHEMA))


@pytest.mark.avrokit_only
@pytest.mark.parametrize("field, value, where, message", [
    ("a", 3, "field a", "expected an array for array in JSON, got a number"),
    ("a", "12", "field a", "expected an array for array in JSON, got a string"),
    ("m", [1.5], "field m", "expected an object for map in JSON, got an array"),
    ("m", 1.5, "field m", "expected an object for map in JSON, got a number"),
    ("by", 5, "field by", "expected a string for bytes in JSON, got a number"),
    ("fx", None, "field fx", "expected a string for fixed in JSON, got null"),
    ("b", "false", "field b", "expected true or false for boolean in JSON, got a string"),
    ("b", 0, "field b", "expected true or false for boolean in JSON, got a number"),
    ("b", None, "field b", "expected true or false for boolean in JSON, got null"),
    ("u", {"n.Sub": 5}, "field u", "expected an object for record n.Sub in JSON, got a number"),
    ("u", {"n.Sub": {"z": [1]}}, "field u.z", "expected int, got list"),
    ("m", {"k": {"double": "x"}}, 'field m["k"]', "expected a number, got str"),
])
def test_json_reader_value_of_the_wrong_json_kind_is_avro_type_error(field, value, where,
                                                                     message):
    """A JSON value of the wrong kind for its Avro type raises AvroTypeError (a TypeError)
    naming the field, not whatever Python error the conversion ran into (fastavro:
    AttributeError, IndexError, TypeError, or a record holding the wrong value)."""
    rec = json.loads(write_json([BASE]))
    rec[field] = value
    with pytest.raises(av.AvroTypeError) as e:
        list(av.json_reader(io.StringIO(json.dumps(rec)), SCHEMA))
    assert str(e.value) == f"{where}: {message}"


@pytest.mark.avrokit_only
@pytest.mark.parametrize("line", ["5", "[1]", '"x"', "null", "true"])
def test_json_reader_record_that_is_no_json_object_is_avro_type_error(line):
    with pytest.raises(av.AvroTypeError, match="expected an object for record n.R in JSON"):
        list(av.json_reader(io.StringIO(line + "\n"), SCHEMA))


@pytest.mark.avrokit_only
def test_json_reader_bytes_beyond_u00ff_is_avro_error():
    rec = json.loads(write_json([BASE]))
    rec["by"] = "a\u0100"
    with pytest.raises(av.AvroError, match=r"field by: bytes in JSON is a string of "
                       r"characters U\+0000 to U\+00FF"):
        list(av.json_reader(io.StringIO(json.dumps(rec)), SCHEMA))


@pytest.mark.parametrize("schema, text, want", [
    ({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": {"type": "enum", "name": "E", "symbols": ["A"]}},
        {"name": "b", "type": "E"}]}, '{"a": "A", "b": "A"}', {"a": "A", "b": "A"}),
    (["null", {"type": "fixed", "name": "ns1.F", "size": 1},
      {"type": "map", "values": ["null", "ns1.F"]}], '{"map": {"k": {"ns1.F": "x"}}}',
     {"k": b"x"}),
    ({"type": "array", "items": ["null", {"type": "enum", "name": "E", "symbols": ["A"]},
                                 {"type": "array", "items": "E"}]}, '[{"array": ["A"]}]',
     [["A"]]),
], ids=["record", "union", "array"])
@pytest.mark.parametrize("parsed", [False, True], ids=["raw", "parsed"])
def test_json_reader_follows_references_to_named_types(schema, text, want, parsed):
    if parsed:
        schema = av.parse_schema(schema)
    assert list(av.json_reader(io.StringIO(text + "\n"), schema)) == [want]


@pytest.mark.avrokit_only
def test_json_writer_picks_the_binary_writers_branch_for_bytes_beside_an_array():
    """bytes is no array (README difference 25) in json_writer as in schemaless_writer, so
    both encodings read back as the same value (fastavro writes [97, 98] in both)."""
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "u", "type": ["null", {"type": "array", "items": "int"}, "bytes"]}]}
    rec = {"u": b"ab"}
    text = write_json([rec], schema)
    assert lines(text) == [{"u": {"bytes": "ab"}}]
    assert list(av.json_reader(io.StringIO(text), schema)) == [rec]
    from support import roundtrip
    assert roundtrip(schema, rec) == rec


class _Called(Exception):
    pass


def _factory(*args, **kw):
    raise _Called()


@pytest.mark.parametrize("call", [
    lambda: av.json_writer(io.StringIO(), SCHEMA, RECORDS, encoder=_factory),
    lambda: list(av.json_reader(io.StringIO(write_json(RECORDS)), SCHEMA, decoder=_factory)),
], ids=["json_writer-encoder", "json_reader-decoder"])
def test_json_custom_encoder_and_decoder_honoured_or_refused(call):
    """fastavro lets callers pass their own encoder or decoder class.  An implementation
    must either use it or refuse it with an error naming the keyword, never ignore it."""
    try:
        call()
    except _Called:
        pass  # honoured
    except (TypeError, ValueError, NotImplementedError) as e:
        assert "coder" in str(e)
    else:
        pytest.fail("the encoder/decoder keyword was ignored")


def test_json_writer_writes_logical_types_as_their_underlying_values():
    import datetime
    import decimal
    import uuid
    utc = datetime.timezone.utc
    schema = av.parse_schema({"type": "record", "name": "L", "fields": [
        {"name": "d", "type": {"type": "int", "logicalType": "date"}},
        {"name": "tm", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "tu", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "tsu", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}]},
        {"name": "lts", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "db", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6,
                                "scale": 2}},
        {"name": "df", "type": {"type": "fixed", "name": "F", "size": 4,
                                "logicalType": "decimal", "precision": 6, "scale": 2}},
        {"name": "u", "type": {"type": "string", "logicalType": "uuid"}}]})
    u = "0c7f6a44-7cfe-4bd6-a50f-3a3a0ec1d9a5"
    values = {"d": datetime.date(2001, 2, 3), "tm": datetime.time(1, 2, 3, 4000),
              "tu": datetime.time(1, 2, 3, 4),
              "ts": datetime.datetime(2020, 1, 2, 3, 4, 5, 6000, tzinfo=utc),
              "tsu": datetime.datetime(2020, 1, 2, 3, 4, 5, 6,
                                       tzinfo=datetime.timezone(datetime.timedelta(hours=3))),
              "lts": datetime.datetime(2020, 1, 2, 3, 4, 5, 6000),
              "db": decimal.Decimal("-12.34"), "df": decimal.Decimal("99.5"),
              "u": uuid.UUID(u)}
    underlying = {"d": 11356, "tm": 3723004, "tu": 3723000004, "ts": 1577934245006,
                  "tsu": 1577923445000006, "lts": 1577934245006,
                  "db": (-1234).to_bytes(2, "big", signed=True),
                  "df": (9950).to_bytes(4, "big", signed=True), "u": u}
    out, want = io.StringIO(), io.StringIO()
    av.json_writer(out, schema, [values, dict(values, d="2001-02-03", tsu=None)])
    av.json_writer(want, schema, [underlying, dict(underlying, tsu=None)])
    assert out.getvalue() == want.getvalue()


# --- union branches and defaults, as the binary writer has them (found against fastavro) -----

@pytest.mark.parametrize("union, value, want", [
    (["null", {"type": "map", "values": "int"}], ("map", {"a": 1}), {"map": {"a": 1}}),
    (["null", {"type": "array", "items": "int"}], ("array", [1]), {"array": [1]}),
    (["null", {"type": "long", "logicalType": "timestamp-millis"}], ("long", 5), {"long": 5}),
    (["null", "int"], ("null", None), None),
    (["int", "long"], ("long", 5), {"long": 5}),
], ids=["map", "array", "logical-long", "null", "long"])
def test_json_writer_tuple_notation_names_unnamed_branches(union, value, want):
    s = {"type": "record", "name": "T", "fields": [{"name": "f", "type": union}]}
    assert lines(write_json([{"f": value}], s)) == [{"f": want}]


def test_json_writer_a_record_branch_takes_a_missing_nullable_field_as_null():
    r = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": ["null", "int"]}, {"name": "b", "type": "int"}]}
    for schema, value, want in (
            (r, {"b": 1}, {"a": None, "b": 1}),
            (["null", r], {"b": 1}, {"R": {"a": None, "b": 1}}),
            ({"type": "array", "items": ["null", r]}, [{"b": 1}], [{"R": {"a": None, "b": 1}}])):
        assert lines(write_json([value], schema)) == [want]
    with pytest.raises(ValueError):
        write_json([{"b": 1}], ["null", r], strict=True)


@pytest.mark.parametrize("union, default, want", [
    (["int", "null"], 5, {"int": 5}),
    (["string", "null"], "x", {"string": "x"}),
    ([{"type": "enum", "name": "E", "symbols": ["A"]}, "null"], "A", {"E": "A"}),
    (["null", "int"], None, None),
], ids=["int", "string", "enum", "null"])
def test_json_writer_wraps_a_union_fields_default(union, default, want):
    s = {"type": "record", "name": "T", "fields": [
        {"name": "x", "type": "int"}, {"name": "u", "type": union, "default": default}]}
    text = write_json([{"x": 1}], s)
    assert lines(text) == [{"x": 1, "u": want}]
    assert list(av.json_reader(io.StringIO(text), s)) == [{"x": 1, "u": default}]


def test_json_writer_tuple_notation_inside_a_record_of_a_union():
    r = {"type": "record", "name": "R", "fields": [{"name": "a", "type": ["null", "int"]}]}
    e = {"type": "record", "name": "E", "fields": []}
    arr = {"type": "array", "items": ["null", "int"]}
    for union, value, want in ((["null", r, e], {"a": ("int", 1)}, {"R": {"a": {"int": 1}}}),
                               (["null", arr], [("int", 1)], {"array": [{"int": 1}]})):
        s = {"type": "record", "name": "W", "fields": [{"name": "u", "type": union}]}
        text = write_json([{"u": value}], s)
        assert lines(text) == [{"u": want}]


@pytest.mark.avrokit_only
@pytest.mark.parametrize("ftype, default, want, read", [
    ("bytes", "\u00ff", "\u00ff", b"\xff"),
    ({"type": "fixed", "name": "F", "size": 1}, "\u00ff", "\u00ff", b"\xff"),
    ({"type": "array", "items": "bytes"}, ["\u00ff"], ["\u00ff"], [b"\xff"]),
    (["bytes", "null"], "\u0001", {"bytes": "\u0001"}, b"\x01"),
    (["float", "double"], 0.5, {"float": 0.5}, 0.5),
    ({"type": "record", "name": "In", "fields": [{"name": "u", "type": ["null", "int"]},
                                                 {"name": "v", "type": "int", "default": 3}]},
     {"u": 2}, {"u": {"int": 2}, "v": 3}, {"u": 2, "v": 3}),
], ids=["bytes", "fixed", "array-of-bytes", "union-bytes", "union-float-first", "record"])
def test_json_writer_writes_defaults_as_the_binary_writer(ftype, default, want, read):
    """A left-out field's default, in the JSON encoding: bytes as code points, and a union's
    in its first branch that fits (difference 37). fastavro's json_writer fails on bytes
    defaults (AttributeError), as its binary writer does."""
    s = {"type": "record", "name": "T", "fields": [
        {"name": "x", "type": "int"}, {"name": "d", "type": ftype, "default": default}]}
    text = write_json([{"x": 1}], s)
    assert lines(text) == [{"x": 1, "d": want}]
    assert list(av.json_reader(io.StringIO(text), s)) == [{"x": 1, "d": read}]
    # the binary writer writes the same record
    buf = io.BytesIO()
    av.schemaless_writer(buf, s, {"x": 1})
    buf.seek(0)
    assert av.schemaless_reader(buf, s) == {"x": 1, "d": read}


@pytest.mark.parametrize("logical, value, want", [
    ({"type": "int", "logicalType": "time-millis"}, -1, "00:00:00.999000"),
    ({"type": "long", "logicalType": "time-micros"}, 86400000000, None),
    ({"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 1}, "", "0.0"),
], ids=["time-negative", "time-a-day", "decimal-empty"])
def test_json_reader_reads_as_leniently_as_the_binary_reader(logical, value, want):
    """JSON text holds the underlying values, which the writers may refuse (difference 6)
    but a reader takes as the binary reader does: a time outside the day as fastavro's
    arithmetic makes it, or its ValueError; empty decimal bytes as 0."""
    s = {"type": "record", "name": "R", "fields": [{"name": "f", "type": logical}]}
    plain = {"type": "record", "name": "R", "fields": [
        {"name": "f", "type": {k: v for k, v in logical.items() if k != "logicalType"}}]}
    text = json.dumps({"f": value})
    buf = io.BytesIO()
    av.schemaless_writer(buf, plain, {"f": value.encode() if isinstance(value, str) else value})
    if want is None:
        with pytest.raises(ValueError):
            list(av.json_reader(io.StringIO(text), s))
        with pytest.raises(ValueError):
            av.schemaless_reader(io.BytesIO(buf.getvalue()), s)
        return
    got = list(av.json_reader(io.StringIO(text), s))
    assert [str(r["f"]) for r in got] == [want]
    assert got == [av.schemaless_reader(io.BytesIO(buf.getvalue()), s)]
