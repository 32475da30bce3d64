# SPDX-License-Identifier: Apache-2.0
"""Every Avro type, both ways: the bytes written, and the exact Python values read back.

Values are what fastavro gives and takes: None, bool, int, float, bytes, str, list, dict;
enums as str, fixed as bytes, unions as the plain value of the branch.
"""

import collections.abc
import io
import json
import math
import struct

import pytest

from support import decode, encode, file_roundtrip, roundtrip

# (schema, value, exact encoding)
PRIMITIVES = [
    ("null", None, b""),
    ("boolean", True, b"\x01"),
    ("boolean", False, b"\x00"),
    ("int", 0, b"\x00"),
    ("int", -1, b"\x01"),
    ("int", 1, b"\x02"),
    ("int", 63, b"\x7e"),
    ("int", -64, b"\x7f"),
    ("int", 64, b"\x80\x01"),
    ("int", 2**31 - 1, b"\xfe\xff\xff\xff\x0f"),
    ("int", -2**31, b"\xff\xff\xff\xff\x0f"),
    ("long", 2**53 + 1, b"\x82\x80\x80\x80\x80\x80\x80\x20"),
    ("long", 2**63 - 1, b"\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
    ("long", -2**63, b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
    ("float", 1.5, struct.pack("<f", 1.5)),
    ("float", -0.0, struct.pack("<f", -0.0)),
    ("double", 0.1, struct.pack("<d", 0.1)),
    ("double", 1e308, struct.pack("<d", 1e308)),
    ("double", -math.inf, struct.pack("<d", -math.inf)),
    ("double", 5e-324, struct.pack("<d", 5e-324)),
    ("bytes", b"", b"\x00"),
    ("bytes", b"\x00\xff", b"\x04\x00\xff"),
    ("string", "", b"\x00"),
    ("string", "abc", b"\x06abc"),
    ("string", "Tromsø ☃ 𝄞", b"\x20Troms\xc3\xb8 \xe2\x98\x83 \xf0\x9d\x84\x9e"),
    ("string", "a\x00b", b"\x06a\x00b"),
]


@pytest.mark.parametrize("schema, value, raw", PRIMITIVES,
                         ids=[f"{s}-{v!r}"[:40] for s, v, _ in PRIMITIVES])
def test_primitive_encoding(schema, value, raw):
    assert encode(schema, value) == raw
    out = decode(schema, raw)
    assert type(out) is type(value)
    if isinstance(value, float):
        assert struct.pack("<d", out) == struct.pack("<d", value)  # -0.0 stays -0.0
    else:
        assert out == value


@pytest.mark.parametrize("schema", ["null", "boolean", "int", "long", "float", "double",
                                    "bytes", "string"])
def test_primitive_as_dict_schema(schema):
    value = {"null": None, "boolean": True, "int": 7, "long": 7, "float": 0.5,
             "double": 0.25, "bytes": b"x", "string": "x"}[schema]
    assert roundtrip({"type": schema}, value) == value


def test_float_rounds_to_single_precision():
    out = roundtrip("float", 1.1)
    assert out == struct.unpack("<f", struct.pack("<f", 1.1))[0]
    assert out != 1.1


def test_float_nan():
    assert math.isnan(roundtrip("float", math.nan))
    assert math.isnan(roundtrip("double", math.nan))


def test_float_inf():
    assert roundtrip("float", math.inf) == math.inf
    assert roundtrip("double", -math.inf) == -math.inf


def test_int_value_written_to_float_and_double_reads_as_float():
    assert encode("double", 3) == struct.pack("<d", 3.0)
    out = roundtrip("double", 3)
    assert type(out) is float and out == 3.0
    out = roundtrip("float", 3)
    assert type(out) is float and out == 3.0


def test_other_integral_and_real_numbers_as_fastavro_takes_them():
    # numbers.Integral (numpy's integers) for int and long, numbers.Real (numpy's floats,
    # fractions.Fraction) for float and double: written as the int or float they equal,
    # at the top level, in a union, an array or a record field, and validate() agrees
    import fractions

    import support

    class Count(int):  # an int subclass still counts as an int
        pass

    for schema, value, want in [
            ("long", Count(7), b"\x0e"),
            ("double", fractions.Fraction(1, 4), struct.pack("<d", 0.25)),
            ("float", fractions.Fraction(3, 2), struct.pack("<f", 1.5)),
            (["null", "double"], fractions.Fraction(1, 2), b"\x02" + struct.pack("<d", 0.5))]:
        assert encode(schema, value) == want
        assert support.validation_mod.validate(value, schema)
    assert support.validation_mod.validate(fractions.Fraction(1, 2), "long",
                                           raise_errors=False) is False
    # a bool is neither, as before
    for schema in ("int", "long", "float", "double"):
        assert support.validation_mod.validate(True, schema, raise_errors=False) is False


def test_numpy_numbers_are_written_as_fastavro_writes_them():
    np = pytest.importorskip("numpy")
    import support

    rec = {"type": "record", "name": "N", "fields": [
        {"name": "i", "type": "int"}, {"name": "l", "type": "long"},
        {"name": "f", "type": "float"}, {"name": "d", "type": "double"},
        {"name": "u", "type": ["null", "long", "double"]},
        {"name": "a", "type": {"type": "array", "items": "long"}}]}
    value = {"i": np.int32(-3), "l": np.int64(2**40), "f": np.float32(1.5),
             "d": np.float32(0.25), "u": np.uint8(200), "a": [np.int16(1), np.int64(-1)]}
    plain = {"i": -3, "l": 2**40, "f": 1.5, "d": 0.25, "u": 200, "a": [1, -1]}
    assert encode(rec, value) == encode(rec, plain)
    assert roundtrip(rec, value) == plain
    assert support.validation_mod.validate(value, rec)
    for schema, v, raw in [("long", np.int64(7), b"\x0e"), ("int", np.uint16(64), b"\x80\x01"),
                           ("float", np.float32(1.5), struct.pack("<f", 1.5)),
                           ("double", np.float64(0.1), struct.pack("<d", 0.1)),
                           ("double", np.int8(-2), struct.pack("<d", -2.0)),
                           (["string", "long"], np.int64(3), b"\x02\x06")]:
        assert encode(schema, v) == raw, (schema, v)
        assert support.validation_mod.validate(v, schema)
    # a number is not bytes, even though numpy's expose their memory as a buffer (it used
    # to be written as its 8 bytes); an array of bytes is
    dec = {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}
    for schema in ("bytes", {"type": "fixed", "name": "F8", "size": 8}, dec):
        for v in (np.int64(3), np.float64(1.0)):
            with pytest.raises((TypeError, ValueError)):
                encode(schema, v)
    assert encode("bytes", np.array([1, 2], dtype=np.uint8)) == b"\x04\x01\x02"
    # out of range, or not a number of the type: fastavro's validate refuses it, and
    # avrokit's writers too (difference 6: fastavro writes some of them)
    for schema, v in [("int", np.int64(2**31)), ("long", np.float32(1.0)),
                      ("int", np.bool_(True))] + \
            ([] if support.IS_FASTAVRO else [("long", np.uint64(2**63))]):  # fastavro: True
        assert support.validation_mod.validate(v, schema, raise_errors=False) is False
        if not support.IS_FASTAVRO:
            with pytest.raises(ValueError):
                encode(schema, v)


def test_bytearray_written_as_bytes():
    assert encode("bytes", bytearray(b"ab")) == b"\x04ab"
    assert roundtrip("bytes", bytearray(b"ab")) == b"ab"


def test_long_string():
    s = "é" * 70000
    raw = encode("string", s)
    assert len(raw) == 140000 + 3
    assert decode("string", raw) == s


def test_long_bytes():
    b = bytes(range(256)) * 1000
    assert roundtrip("bytes", b) == b


# --- complex types ----------------------------------------------------------------------

ENUM = {"type": "enum", "name": "Suit", "symbols": ["SPADES", "HEARTS", "DIAMONDS", "CLUBS"]}
FIXED = {"type": "fixed", "name": "Md5", "size": 4}


def test_enum_encoding():
    assert encode(ENUM, "SPADES") == b"\x00"
    assert encode(ENUM, "CLUBS") == b"\x06"
    out = decode(ENUM, b"\x04")
    assert type(out) is str and out == "DIAMONDS"


def test_fixed_encoding():
    assert encode(FIXED, b"\x01\x02\x03\x04") == b"\x01\x02\x03\x04"
    out = decode(FIXED, b"abcd")
    assert type(out) is bytes and out == b"abcd"


def test_zero_size_fixed():
    assert encode({"type": "fixed", "name": "Z", "size": 0}, b"") == b""
    assert decode({"type": "fixed", "name": "Z", "size": 0}, b"") == b""


def test_array_encoding():
    schema = {"type": "array", "items": "int"}
    assert encode(schema, []) == b"\x00"
    assert encode(schema, [1, 2, 3]) == b"\x06\x02\x04\x06\x00"
    out = decode(schema, b"\x06\x02\x04\x06\x00")
    assert type(out) is list and out == [1, 2, 3]


def test_array_of_tuples_and_generators():
    schema = {"type": "array", "items": "string"}
    assert encode(schema, ("a", "b")) == encode(schema, ["a", "b"])


def test_array_reads_several_blocks_and_negative_counts():
    schema = {"type": "array", "items": "int"}
    # block of 2, block of -1 items with a byte size, end
    raw = b"\x04\x02\x04" + b"\x01\x02\x06" + b"\x00"
    assert decode(schema, raw) == [1, 2, 3]


def test_map_encoding():
    schema = {"type": "map", "values": "long"}
    assert encode(schema, {}) == b"\x00"
    assert encode(schema, {"a": 1}) == b"\x02\x02a\x02\x00"
    out = decode(schema, b"\x04\x02a\x02\x02b\x04\x00")
    assert type(out) is dict and out == {"a": 1, "b": 2}
    assert list(out) == ["a", "b"]


def test_map_negative_block_count():
    schema = {"type": "map", "values": "int"}
    raw = b"\x01\x06\x02k\x0e\x00"  # -1 entries, 3 bytes, "k": 7
    assert decode(schema, raw) == {"k": 7}


def test_block_byte_size_is_not_used():
    """A block's byte size that does not match its items: fastavro, python3-avro and Java
    read the size and go on, and so does avrokit."""
    schema = {"type": "map", "values": "int"}
    for size in (b"\x08", b"\x02", b"\x01"):  # 4, 1 and -1 bytes declared for 3
        assert decode(schema, b"\x01" + size + b"\x02k\x0e\x00") == {"k": 7}


def test_nested_arrays_and_maps():
    schema = {"type": "map", "values": {"type": "array", "items": {
        "type": "map", "values": ["null", "string"]}}}
    value = {"x": [{"a": None, "b": "s"}, {}], "y": []}
    assert roundtrip(schema, value) == value


RECORD = {
    "type": "record", "name": "Everything", "namespace": "t",
    "fields": [
        {"name": "n", "type": "null"},
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"},
        {"name": "e", "type": ENUM},
        {"name": "fx", "type": FIXED},
        {"name": "a", "type": {"type": "array", "items": "t.Suit"}},
        {"name": "m", "type": {"type": "map", "values": "Md5"}},
        {"name": "u", "type": ["null", "string", "long"]},
        {"name": "r", "type": {"type": "record", "name": "Inner", "fields": [
            {"name": "x", "type": "int"}]}},
    ],
}
VALUE = {"n": None, "b": True, "i": -5, "l": 1 << 40, "f": 0.5, "d": -2.25, "by": b"\x00\x01",
         "s": "str", "e": "HEARTS", "fx": b"abcd", "a": ["CLUBS", "SPADES"],
         "m": {"k": b"wxyz"}, "u": 9, "r": {"x": 3}}


def test_record_every_type_schemaless():
    out = roundtrip(RECORD, VALUE)
    assert out == VALUE
    assert list(out) == [f["name"] for f in RECORD["fields"]], "fields in schema order"
    assert type(out) is dict and type(out["r"]) is dict


def test_record_every_type_container():
    assert file_roundtrip(RECORD, [VALUE, VALUE]) == [VALUE, VALUE]


def test_record_encoding_is_fields_in_order():
    schema = {"type": "record", "name": "P", "fields": [
        {"name": "b", "type": "string"}, {"name": "a", "type": "int"}]}
    assert encode(schema, {"a": 1, "b": "x"}) == b"\x02x\x02"


def test_empty_record():
    schema = {"type": "record", "name": "Empty", "fields": []}
    assert encode(schema, {}) == b""
    assert decode(schema, b"") == {}


def test_record_with_missing_nullable_field_writes_null():
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": ["null", "int"]}]}
    assert encode(schema, {}) == b"\x00"


def test_record_missing_field_uses_default():
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "int", "default": 42},
        {"name": "s", "type": "string", "default": "dflt"}]}
    assert roundtrip(schema, {}) == {"a": 42, "s": "dflt"}


def test_record_extra_keys_are_ignored():
    schema = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    assert encode(schema, {"a": 1, "zzz": 2}) == b"\x02"


def test_recursive_record():
    schema = {"type": "record", "name": "Node", "fields": [
        {"name": "v", "type": "int"},
        {"name": "next", "type": ["null", "Node"]}]}
    value = {"v": 1, "next": {"v": 2, "next": {"v": 3, "next": None}}}
    assert roundtrip(schema, value) == value
    assert encode(schema, value) == b"\x02\x02\x04\x02\x06\x00"


def test_mutually_recursive_records():
    schema = {"type": "record", "name": "A", "fields": [
        {"name": "b", "type": ["null", {"type": "record", "name": "B", "fields": [
            {"name": "a", "type": ["null", "A"]}]}]}]}
    value = {"b": {"a": {"b": None}}}
    assert roundtrip(schema, value) == value


def test_error_type_is_a_record():
    schema = {"type": "error", "name": "Oops", "fields": [{"name": "msg", "type": "string"}]}
    assert roundtrip(schema, {"msg": "x"}) == {"msg": "x"}


# --- unions -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, raw", [
    (None, b"\x00"), (5, b"\x02\x0a"), ("s", b"\x04\x02s"),
])
def test_union_encoding(value, raw):
    schema = ["null", "int", "string"]
    assert encode(schema, value) == raw
    assert decode(schema, raw) == value


def test_union_reads_plain_value():
    schema = ["null", {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}]
    assert decode(schema, b"\x02\x02") == {"a": 1}


def test_union_prefers_double_over_float_for_python_float():
    assert encode(["float", "double"], 0.1) == b"\x02" + struct.pack("<d", 0.1)
    assert encode(["double", "float"], 0.1) == b"\x00" + struct.pack("<d", 0.1)


def test_union_float_branch_when_no_double():
    assert encode(["null", "float"], 0.5) == b"\x02" + struct.pack("<f", 0.5)


def test_union_bool_is_not_an_int():
    assert encode(["int", "boolean"], True) == b"\x02\x01"


def test_union_int_in_long_branch():
    assert encode(["null", "long"], 2**40) == b"\x02" + encode("long", 2**40)


def test_union_int_too_big_for_int_branch_goes_to_long():
    assert encode(["int", "long"], 2**40) == b"\x02" + encode("long", 2**40)


def test_union_bytes_and_string():
    schema = ["bytes", "string"]
    assert encode(schema, "s") == b"\x02\x02s"
    assert encode(schema, b"s") == b"\x00\x02s"


def test_union_enum_symbol_and_string():
    schema = [ENUM, "string"]
    assert encode(schema, "HEARTS") == b"\x00\x02"
    assert encode(schema, "other") == b"\x02\x0aother"


def test_union_fixed_by_size():
    f2 = {"type": "fixed", "name": "F2", "size": 2}
    f3 = {"type": "fixed", "name": "F3", "size": 3}
    assert encode([f2, f3], b"abc") == b"\x02abc"
    assert encode([f2, f3], b"ab") == b"\x00ab"


def test_union_array_and_map():
    schema = [{"type": "array", "items": "int"}, {"type": "map", "values": "int"}]
    assert encode(schema, {"a": 1}) == b"\x02\x02\x02a\x02\x00"
    assert encode(schema, [1]) == b"\x00\x02\x02\x00"


def test_union_map_branch_takes_any_mapping():
    """A map takes a dict or another Mapping (MappingProxyType, a frozendict), in a union
    as outside one: the optional map, ["null", map], took only a dict."""
    import types
    from support import av
    schema = ["null", {"type": "map", "values": "int"}]
    for m in (types.MappingProxyType({"a": 1}), _Frozen({"a": 1})):
        assert encode(schema, m) == b"\x02\x02\x02a\x02\x00"
        assert av.validate(m, schema)
        out = io.StringIO()
        av.json_writer(out, schema, [m])
        assert json.loads(out.getvalue()) == {"map": {"a": 1}}
    with pytest.raises(ValueError):
        encode(schema, types.MappingProxyType({1: 1}))  # keys must still be str


class _Frozen(collections.abc.Mapping):
    def __init__(self, d):
        self._d = dict(d)

    def __getitem__(self, key):
        return self._d[key]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)


A = {"type": "record", "name": "A", "namespace": "ns", "fields": [
    {"name": "x", "type": "int"}]}
B = {"type": "record", "name": "B", "namespace": "ns", "fields": [
    {"name": "x", "type": "int"}, {"name": "y", "type": "string"}]}


def test_union_record_chosen_by_most_matching_fields():
    schema = [A, B]
    assert encode(schema, {"x": 1, "y": "s"}) == b"\x02\x02\x02s"
    assert encode(schema, {"x": 1}) == b"\x00\x02"


def test_union_tuple_notation_picks_branch_by_name():
    schema = [A, B]
    assert encode(schema, ("ns.B", {"x": 1, "y": "s"})) == b"\x02\x02\x02s"
    # A record that would match A by its fields goes where the tuple says.
    assert encode([B, A], ("ns.A", {"x": 1, "y": "s"})) == b"\x02\x02"


def test_union_tuple_notation_for_primitive_branches():
    assert encode(["int", "long"], ("long", 1)) == b"\x02\x02"


def test_union_type_key_picks_record_branch():
    schema = [B, A]
    assert encode(schema, {"-type": "ns.A", "x": 1, "y": "s"}) == b"\x02\x02"
    assert encode(schema, {"-type": "ns.B", "x": 1, "y": "s"}) == b"\x00\x02\x02s"


def test_union_tuple_notation_in_a_container_file():
    schema = {"type": "record", "name": "W", "fields": [{"name": "u", "type": [A, B]}]}
    recs = [{"u": ("ns.B", {"x": 1, "y": "s"})}, {"u": ("ns.A", {"x": 2})}]
    assert file_roundtrip(schema, recs) == [{"u": {"x": 1, "y": "s"}}, {"u": {"x": 2}}]


def test_disable_tuple_notation_writes_tuple_as_array():
    schema = [{"type": "array", "items": ["string", "int"]}, A]
    value = ("ns.A", 5)
    assert encode(schema, value, disable_tuple_notation=True) == b"\x00\x04\x00\x08ns.A\x02\x0a\x00"


def test_union_of_named_references():
    schema = {"type": "record", "name": "Outer", "fields": [
        {"name": "first", "type": A},
        {"name": "second", "type": ["null", "ns.A"]}]}
    value = {"first": {"x": 1}, "second": {"x": 2}}
    assert roundtrip(schema, value) == value
