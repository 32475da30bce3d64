# SPDX-License-Identifier: Apache-2.0
"""Schema resolution: data written with one schema, read with another (reader_schema).

Promotions, defaults for fields the writer lacks, skipped writer fields, field and type
aliases, enum defaults, unions on either side, and the SchemaResolutionError fastavro raises
when the schemas do not match.
"""

import datetime
import io

import pytest

from support import (IS_FASTAVRO, av, avrokit_only, decode, encode, read_file, read_mod,
                     roundtrip, write_file)


def rec(name, *fields, **kw):
    return dict({"type": "record", "name": name,
                 "fields": [dict(f) for f in fields]}, **kw)


def field(name, type_, **kw):
    return dict({"name": name, "type": type_}, **kw)


@pytest.mark.parametrize("writer, reader, value, expected", [
    ("int", "long", 5, 5),
    ("int", "float", 5, 5.0),
    ("int", "double", -5, -5.0),
    ("long", "float", 2**40, float(2**40)),
    ("long", "double", 2**53 + 1, float(2**53 + 1)),
    ("float", "double", 0.5, 0.5),
    ("string", "bytes", "é", "é".encode()),
    ("bytes", "string", b"abc", "abc"),
])
def test_promotion(writer, reader, value, expected):
    out = roundtrip(writer, value, reader)
    assert type(out) is type(expected)
    assert out == expected


@pytest.mark.parametrize("writer, reader", [
    ("long", "int"), ("double", "float"), ("float", "long"), ("string", "int"),
    ("boolean", "int"), ("null", "string"), ("int", "boolean"), ("bytes", "double"),
])
def test_no_promotion_is_schema_resolution_error(writer, reader):
    data = encode(writer, {"long": 1, "double": 1.0, "float": 1.0, "string": "1",
                           "boolean": True, "null": None, "int": 1, "bytes": b"1"}[writer])
    with pytest.raises(read_mod.SchemaResolutionError):
        decode(writer, data, reader)


def test_promotion_inside_array_and_map():
    w = {"type": "array", "items": {"type": "map", "values": "int"}}
    r = {"type": "array", "items": {"type": "map", "values": "double"}}
    out = roundtrip(w, [{"a": 1}], r)
    assert out == [{"a": 1.0}] and type(out[0]["a"]) is float


WRITER = rec("User", field("name", "string"), field("age", "int"), field("email", "string"),
             namespace="old")


def test_reader_drops_writer_fields():
    reader = rec("User", field("age", "long"), namespace="old")
    data = encode(WRITER, {"name": "n", "age": 3, "email": "e"})
    assert decode(WRITER, data, reader) == {"age": 3}


def test_reader_field_order_differs():
    reader = rec("User", field("email", "string"), field("name", "string"), namespace="old")
    data = encode(WRITER, {"name": "n", "age": 3, "email": "e"})
    assert decode(WRITER, data, reader) == {"email": "e", "name": "n"}


@pytest.mark.parametrize("ftype, default, expected", [
    ("int", 7, 7),
    ("long", -1, -1),
    ("double", 1.5, 1.5),
    ("boolean", False, False),
    ("string", "dflt", "dflt"),
    (["null", "string"], None, None),
    ({"type": "array", "items": "int"}, [1, 2], [1, 2]),
    ({"type": "map", "values": "string"}, {"k": "v"}, {"k": "v"}),
    ({"type": "enum", "name": "Color", "symbols": ["R", "G"]}, "G", "G"),
    (rec("Pt", field("x", "int"), field("y", "int")), {"x": 1, "y": 2}, {"x": 1, "y": 2}),
])
def test_reader_default_for_missing_field(ftype, default, expected):
    reader = rec("User", field("name", "string"), field("extra", ftype, default=default),
                 namespace="old")
    data = encode(WRITER, {"name": "n", "age": 3, "email": "e"})
    assert decode(WRITER, data, reader) == {"name": "n", "extra": expected}


def test_missing_field_without_default_is_schema_resolution_error():
    reader = rec("User", field("name", "string"), field("phone", "string"), namespace="old")
    data = encode(WRITER, {"name": "n", "age": 3, "email": "e"})
    with pytest.raises(read_mod.SchemaResolutionError):
        decode(WRITER, data, reader)


def test_field_alias():
    reader = rec("User", field("full_name", "string", aliases=["name"]), namespace="old")
    data = encode(WRITER, {"name": "n", "age": 3, "email": "e"})
    assert decode(WRITER, data, reader) == {"full_name": "n"}


_AB = rec("R", field("a", "int"), field("b", "string"))


def test_field_aliases_rename_in_a_chain():
    """Each writer field goes to the reader field of its name, else to one with its name
    as an alias that no earlier writer field took: a becomes b while b becomes c."""
    reader = rec("R", field("b", "int", aliases=["a"]), field("c", "string", aliases=["b"]))
    assert decode(_AB, encode(_AB, {"a": 1, "b": "s"}), reader) == {"b": 1, "c": "s"}


def test_field_alias_and_name_for_one_writer_field():
    reader = rec("R", field("a", "int"), field("z", "string", aliases=["a", "b"]))
    assert decode(_AB, encode(_AB, {"a": 1, "b": "s"}), reader) == {"a": 1, "z": "s"}


def test_reader_field_whose_alias_another_took_needs_its_default():
    # writer b goes to reader b by name: x is left without a writer field
    reader = rec("R", field("b", "string"), field("x", "string", aliases=["b"]))
    data = encode(_AB, {"a": 1, "b": "s"})
    with pytest.raises(read_mod.SchemaResolutionError):
        decode(_AB, data, reader)
    reader = rec("R", field("b", "string"), field("x", "string", aliases=["b"], default="d"))
    assert decode(_AB, data, reader) == {"b": "s", "x": "d"}


def test_record_alias_for_renamed_type():
    writer = {"type": "array", "items": rec("Old", field("a", "int"), namespace="x")}
    reader = {"type": "array", "items": rec("New", field("a", "int"), namespace="y",
                                             aliases=["x.Old"])}
    assert roundtrip(writer, [{"a": 1}], reader) == [{"a": 1}]


@pytest.mark.parametrize("alias, readable", [
    ("x.Old", True), ("Old", True), ("z.Old", False), ("x.y.Old", False)])
def test_record_alias_of_another_namespace_must_be_the_full_name(alias, readable):
    writer = rec("Old", field("a", "int"), namespace="x")
    reader = rec("New", field("a", "int"), namespace="y", aliases=[alias])
    data = encode(writer, {"a": 1})
    if readable:
        assert decode(writer, data, reader) == {"a": 1}
    else:
        with pytest.raises(read_mod.SchemaResolutionError):
            decode(writer, data, reader)


def test_record_names_match_unqualified():
    # fastavro compares the names without their namespaces
    writer = rec("Same", field("a", "int"), namespace="one")
    reader = rec("Same", field("a", "long"), namespace="two")
    assert roundtrip(writer, {"a": 1}, reader) == {"a": 1}


def test_record_name_mismatch_is_schema_resolution_error():
    writer = {"type": "array", "items": rec("A", field("a", "int"))}
    reader = {"type": "array", "items": rec("B", field("a", "int"))}
    with pytest.raises(read_mod.SchemaResolutionError):
        roundtrip(writer, [{"a": 1}], reader)


ENUM_W = {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}


def test_enum_symbols_resolved_by_name():
    reader = {"type": "enum", "name": "E", "symbols": ["C", "B", "A"]}
    assert roundtrip(ENUM_W, "A", reader) == "A"
    assert roundtrip(ENUM_W, "C", reader) == "C"


def test_enum_default_for_unknown_symbol():
    reader = {"type": "enum", "name": "E", "symbols": ["A", "Z"], "default": "Z"}
    assert roundtrip(ENUM_W, "B", reader) == "Z"
    assert roundtrip(ENUM_W, "A", reader) == "A"


def test_enum_unknown_symbol_without_default_is_schema_resolution_error():
    reader = {"type": "enum", "name": "E", "symbols": ["A"]}
    with pytest.raises(read_mod.SchemaResolutionError):
        roundtrip(ENUM_W, "B", reader)


def test_fixed_size_mismatch_is_schema_resolution_error():
    w = {"type": "fixed", "name": "F", "size": 2}
    r = {"type": "fixed", "name": "F", "size": 3}
    with pytest.raises(read_mod.SchemaResolutionError):
        roundtrip(w, b"ab", r)


def test_writer_union_reader_single_type():
    assert roundtrip(["null", "int"], 5, "long") == 5


def test_writer_union_branch_missing_from_reader_is_schema_resolution_error():
    with pytest.raises(read_mod.SchemaResolutionError):
        roundtrip(["null", "int"], None, "long")


def test_writer_single_type_reader_union():
    assert roundtrip("int", 5, ["null", "string", "long"]) == 5
    assert roundtrip("string", "s", ["null", "string", "long"]) == "s"


def test_writer_union_reader_union_reordered():
    out = roundtrip(["null", "int", "string"], "s", ["string", "null", "double"])
    assert out == "s"
    out = roundtrip(["null", "int", "string"], 3, ["string", "null", "double"])
    assert out == 3.0 and type(out) is float


def test_reader_union_without_writer_type_is_schema_resolution_error():
    with pytest.raises(read_mod.SchemaResolutionError):
        roundtrip("boolean", True, ["null", "string"])


def test_record_in_reader_union():
    w = rec("P", field("x", "int"))
    r = ["null", rec("P", field("x", "long"), field("y", "int", default=0))]
    assert roundtrip(w, {"x": 1}, r) == {"x": 1, "y": 0}


def test_nested_record_evolution():
    w = rec("Outer", field("inner", rec("In", field("a", "int"), field("gone", "string"))))
    r = rec("Outer", field("inner", rec("In", field("a", "double"),
                                        field("new", "string", default="n"))))
    out = roundtrip(w, {"inner": {"a": 1, "gone": "x"}}, r)
    assert out == {"inner": {"a": 1.0, "new": "n"}}


def test_same_reader_and_writer_schema():
    schema = rec("R", field("a", "int"))
    assert roundtrip(schema, {"a": 1}, schema) == {"a": 1}


def test_reader_schema_with_named_references():
    point = rec("Point", field("x", "int"))
    w = rec("Line", field("a", point), field("b", "Point"))
    r = rec("Line", field("a", rec("Point", field("x", "long"))), field("b", "Point"))
    assert roundtrip(w, {"a": {"x": 1}, "b": {"x": 2}}, r) == {"a": {"x": 1}, "b": {"x": 2}}


def test_container_reader_schema():
    data = write_file(WRITER, [{"name": "a", "age": 1, "email": "x"},
                               {"name": "b", "age": 2, "email": "y"}])
    reader = rec("User", field("age", "double"), field("zip", "string", default="00000"),
                 namespace="old")
    r, recs = read_file(data, reader_schema=reader)
    assert recs == [{"age": 1.0, "zip": "00000"}, {"age": 2.0, "zip": "00000"}]
    assert r.reader_schema["name"] == "old.User"
    assert r.writer_schema["name"] == "old.User"
    assert [f["name"] for f in r.writer_schema["fields"]] == ["name", "age", "email"]


def test_container_reader_schema_mismatch_raises_when_reading():
    data = write_file(WRITER, [{"name": "a", "age": 1, "email": "x"}])
    reader = rec("User", field("nope", "string"), namespace="old")
    with pytest.raises(read_mod.SchemaResolutionError):
        list(av.reader(io.BytesIO(data), reader))


def test_logical_type_read_through_reader_schema():
    w = {"type": "int", "logicalType": "date"}
    assert roundtrip(w, datetime.date(2000, 1, 1), w) == datetime.date(2000, 1, 1)


# --- when a reader schema that does not fit is found: at the first record, as fastavro ---

class _Pipe(io.RawIOBase):
    """A stream that reads in small pieces and cannot seek."""

    def __init__(self, data):
        self._data, self._pos = data, 0

    def readable(self):
        return True

    def readinto(self, b):
        n = min(len(b), 1000, len(self._data) - self._pos)
        b[:n] = self._data[self._pos:self._pos + n]
        self._pos += n
        return n


UNFIT_W = rec("R", field("b", "boolean"), field("i", "int"))
UNFIT_R = rec("R", field("b", ["string", "int"]), field("i", "int"))


@pytest.mark.parametrize("stream", [io.BytesIO, _Pipe])
def test_unfit_reader_schema_raises_at_the_first_record(stream):
    # the reader is made, its header can be looked at; reading a record raises (fastavro
    # also checks the schemas only as it reads records)
    data = write_file(UNFIT_W, [{"b": True, "i": 1}] * 3, codec="deflate",
                      metadata={"k": "v"})
    r = av.reader(stream(data), UNFIT_R)
    assert r.codec == "deflate" and r.metadata["k"] == "v"
    assert r.writer_schema["fields"][0]["type"] == "boolean"
    assert r.reader_schema["fields"][0]["type"] == ["string", "int"]
    with pytest.raises(read_mod.SchemaResolutionError):
        next(r)


@pytest.mark.parametrize("stream", [io.BytesIO, _Pipe])
def test_unfit_reader_schema_and_no_records_reads_nothing(stream):
    data = write_file(UNFIT_W, [])
    assert list(av.reader(stream(data), UNFIT_R)) == []


# (fastavro reads a metadata value with one read(), which a stream may answer in part)
@pytest.mark.parametrize("stream", [io.BytesIO, pytest.param(_Pipe, marks=avrokit_only)])
def test_unfit_reader_schema_in_block_reader_raises_as_a_block_is_read(stream):
    # every block comes out, each raising when its records are read; with a stream that
    # cannot seek, what was read of it before the schemas were found not to fit is read
    # again (a header, and on from there)
    recs = [{"b": i % 2 == 0, "i": i} for i in range(3000)]
    data = write_file(UNFIT_W, recs, sync_interval=2000, metadata={"pad": "x" * 70000})
    blocks = list(av.block_reader(stream(data), UNFIT_R))
    assert len(blocks) > 3 and sum(b.num_records for b in blocks) == len(recs)
    for b in blocks[:2]:
        with pytest.raises(read_mod.SchemaResolutionError):
            list(b)
    # and the same file, read through the writer's schema, is whole
    assert list(av.reader(stream(data))) == recs


def _dec(precision, scale, fixed=None):
    d = {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}
    if fixed:
        d.update(type="fixed", name=fixed, size=8)
    return d


@pytest.mark.parametrize("writer, reader, value", [
    (_dec(5, 2), _dec(6, 3), "1.23"),
    (_dec(5, 2), _dec(4, 2), "123.45"),
    (_dec(5, 2), _dec(5, 1), "-1.20"),
    (_dec(9, 4, "Fx"), _dec(9, 6, "Fx"), "-12.3456"),
    (["null", _dec(5, 2)], ["null", _dec(6, 3)], "1.23"),
], ids=["scale-up", "precision-down", "scale-down-exact", "fixed", "in-a-union"])
def test_decimal_read_with_another_precision_or_scale_is_the_number_written(writer, reader,
                                                                            value):
    """The number written, whatever the reader's precision (no digit rounded away) and in
    the reader's scale where avrokit can give it (Decimal compares by value: 1.230 ==
    1.23; fastavro gives the writer's scale)."""
    import decimal
    out = roundtrip(writer, decimal.Decimal(value), reader)
    assert out == decimal.Decimal(value)
    if not IS_FASTAVRO:
        assert -out.as_tuple().exponent == (reader[1] if isinstance(reader, list)
                                            else reader)["scale"]


@avrokit_only
def test_decimal_that_loses_digits_in_the_readers_scale_is_an_error():
    import decimal
    data = encode(_dec(5, 2), decimal.Decimal("1.23"))
    with pytest.raises(read_mod.SchemaResolutionError, match="without losing digits"):
        decode(_dec(5, 2), data, _dec(5, 1))


_LAZY_W = rec("R", field("a", {"type": "array", "items": rec("S", field("y", "int"))}),
              field("m", {"type": "map", "values": "S"}),
              field("u", ["null", {"type": "record", "name": "T", "fields": []}]))
_LAZY_R = rec("R", field("a", {"type": "array", "items": rec("S", field("x", "int"))}),
              field("m", {"type": "map", "values": "S"}),
              field("u", ["null", {"type": "record", "name": "T", "fields": [
                  field("z", "string")]}]))


@pytest.mark.parametrize("value, readable", [
    ({"a": [], "m": {}, "u": None}, True),
    ({"a": [{"y": 1}], "m": {}, "u": None}, False),
    ({"a": [], "m": {"k": {"y": 1}}, "u": None}, False),
    ({"a": [], "m": {}, "u": {}}, False),
])
def test_a_part_the_reader_cannot_read_fails_only_where_it_is_read(value, readable):
    """A record type of the reader that lacks a field without default fails where a record
    of it is read: arrays and maps without items and a union's other branch read."""
    data = encode(_LAZY_W, value)
    if readable:
        assert decode(_LAZY_W, data, _LAZY_R) == value
        assert read_file(write_file(_LAZY_W, [value]), reader_schema=_LAZY_R)[1] == [value]
    else:
        with pytest.raises(read_mod.SchemaResolutionError):
            decode(_LAZY_W, data, _LAZY_R)
        with pytest.raises(read_mod.SchemaResolutionError):
            read_file(write_file(_LAZY_W, [value]), reader_schema=_LAZY_R)


def test_block_reader_reads_blocks_whose_records_never_need_the_missing_part():
    good, bad = {"a": [], "m": {}, "u": None}, {"a": [], "m": {}, "u": {}}
    data = write_file(_LAZY_W, [good, good, bad], sync_interval=1)
    blocks = list(read_mod.block_reader(io.BytesIO(data), _LAZY_R))
    assert [list(b) for b in blocks[:2]] == [[good], [good]]
    with pytest.raises(read_mod.SchemaResolutionError):
        list(blocks[2])



@pytest.mark.parametrize("writer, reader, records", [
    ("null", "int", [None]),
    ("null", "bytes", [None, None, None]),
    ({"type": "array", "items": "null"}, {"type": "array", "items": "int"}, [[None] * 3]),
    (rec("R"), rec("R", field("a", "int")), [{}, {}]),
], ids=["null-int", "null-bytes", "array-of-nulls", "empty-record"])
def test_values_that_take_no_bytes_fail_as_a_resolution_error(writer, reader, records):
    """Data whose values take no bytes (nulls, empty records) read through a reader schema
    that cannot read them: SchemaResolutionError at the first record, not a complaint that
    the block's bytes cannot hold its count."""
    with pytest.raises(read_mod.SchemaResolutionError):
        read_file(write_file(writer, records), reader_schema=reader)
