# SPDX-License-Identifier: Apache-2.0
"""Bad input: truncated and corrupt files and encodings, values of the wrong type.

The compatible tests require the exception class fastavro 1.12 raises on purpose (EOFError
for data that ends early, TypeError for a value of the wrong Python type, ValueError for a
bad value).  Where fastavro's class is an accident of its implementation (IndexError from a
list lookup, AttributeError from calling .items() on a list, a codec library's own error)
they also accept ValueError, which is what avrokit raises (avrokit.AvroError).

The avrokit_only tests at the end hold avrokit to its own promise: every such error is an
avrokit.AvroError (a ValueError) whose message names the field, and hostile input fails
fast without allocating what it claims.
"""

import io
import os
import subprocess
import sys
import textwrap

import pytest

from support import (av, avrokit_only, decode, encode, need_codec, not_sanitized, read_file,
                     schema_mod, write_file)

SCHEMA = {"type": "record", "name": "R", "fields": [
    {"name": "i", "type": "int"}, {"name": "s", "type": "string"}]}
RECORDS = [{"i": k, "s": "x" * (k % 9)} for k in range(60)]
MARKER = b"0123456789abcdef"


def layout(data):
    """Offsets of a container's blocks: (start, data start, sync start, end) for each."""
    out = []
    pos = data.index(MARKER) + 16

    def varint(p):
        shift = value = 0
        while True:
            b = data[p]
            value |= (b & 0x7f) << shift
            p += 1
            shift += 7
            if not b & 0x80:
                return (value >> 1) ^ -(value & 1), p
    while pos < len(data):
        _, p = varint(pos)
        size, p = varint(p)
        out.append((pos, p, p + size, p + size + 16))
        pos = p + size + 16
    return out


FILE = write_file(SCHEMA, RECORDS, sync_marker=MARKER, sync_interval=120)
BLOCKS = layout(FILE)
HEADER_END = BLOCKS[0][0]


def read_all(data, **kw):
    return list(av.reader(io.BytesIO(data), **kw))


def test_layout_of_the_test_file():
    assert len(BLOCKS) >= 3
    assert BLOCKS[-1][3] == len(FILE)


# --- containers ------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"Obj", b"Obj\x01", b"hello world, not avro",
                                  FILE[:HEADER_END - 1], FILE[:20]],
                         ids=["empty", "magic-cut", "magic-only", "text", "no-marker", "cut20"])
def test_bad_header_is_value_error(data):
    # in fastavro's words, which a script may look for
    with pytest.raises(ValueError, match="^cannot read header - is it an avro file?"):
        av.reader(io.BytesIO(data))


def test_header_without_schema():
    data = FILE.replace(b"avro.schema", b"avro.schemX")
    with pytest.raises((KeyError, ValueError)):
        read_all(data)


def test_header_schema_not_json_is_value_error():
    data = FILE.replace(b'{"type": "record"', b'{"type": "recor\x00')
    with pytest.raises(ValueError):
        read_all(data)


def test_header_schema_unknown_type():
    data = FILE.replace(b'"int"', b'"Int"')
    with pytest.raises(schema_mod.UnknownType):
        read_all(data)


def test_unknown_codec_is_value_error():
    data = write_file(SCHEMA, RECORDS, codec="null")
    data = data.replace(b"\x08null", b"\x08nope")
    with pytest.raises(ValueError):
        read_all(data)


def test_cut_between_blocks_gives_the_complete_blocks():
    start = BLOCKS[2][0]
    recs = read_all(FILE[:start])
    assert recs == RECORDS[:len(recs)] and 0 < len(recs) < len(RECORDS)


def data_cuts():
    for k, (start, dstart, sync, end) in enumerate(BLOCKS):
        for cut in sorted({dstart + 1, (dstart + sync) // 2, sync - 1}):
            yield pytest.param(cut, id=f"block{k}-data+{cut - dstart}")


@pytest.mark.parametrize("cut", list(data_cuts()))
def test_cut_inside_block_data_is_eof_error(cut):
    with pytest.raises(EOFError):
        read_all(FILE[:cut])


@pytest.mark.parametrize("k", range(3))
def test_cut_inside_sync_marker_is_value_error(k):
    sync = BLOCKS[k][2]
    with pytest.raises(ValueError):
        read_all(FILE[:sync + 7])


@pytest.mark.parametrize("k", range(3))
def test_cut_inside_block_header_raises(k):
    start = BLOCKS[k][0]
    with pytest.raises((EOFError, ValueError, IndexError)):
        read_all(FILE[:start + 1])


def test_records_before_the_damage_are_yielded_first():
    cut = (BLOCKS[2][1] + BLOCKS[2][2]) // 2
    got = []
    with pytest.raises(EOFError):
        for rec in av.reader(io.BytesIO(FILE[:cut])):
            got.append(rec)
    n = len(got)
    assert n > 0 and got == RECORDS[:n]


@pytest.mark.parametrize("k", range(3))
def test_wrong_sync_marker_is_value_error(k):
    bad = bytearray(FILE)
    bad[BLOCKS[k][3] - 1] ^= 0xff
    with pytest.raises(ValueError):
        read_all(bytes(bad))


@pytest.mark.parametrize("tail", [b"\x00", b"\x02", b"\x02\x04"])
def test_garbage_after_last_block_is_eof_error(tail):
    with pytest.raises(EOFError):
        read_all(FILE + tail)


@pytest.mark.parametrize("codec", ["deflate", "snappy", "bzip2", "xz"])
def test_corrupt_compressed_block_raises(codec):
    need_codec(codec)
    data = bytearray(write_file(SCHEMA, RECORDS, codec=codec, sync_marker=MARKER))
    blk = layout(bytes(data))[0]
    for i in range(blk[1] + 2, blk[2] - 2, 3):
        data[i] ^= 0x55
    with pytest.raises(Exception):
        read_all(bytes(data))


def test_reader_on_a_text_stream_raises():
    with pytest.raises((TypeError, ValueError)):
        read_all(io.StringIO("Obj\x01 not bytes"))


def test_reader_on_none_raises():
    with pytest.raises((AttributeError, TypeError)):
        av.reader(None)


# --- schemaless data -------------------------------------------------------------------------

@pytest.mark.parametrize("schema, data", [
    ("int", b""),
    ("boolean", b""),
    ("float", b"\x00\x00"),
    ("double", b"\x00\x00\x00"),
    ("string", b"\x06ab"),
    ("bytes", b"\x02"),
    ({"type": "fixed", "name": "F", "size": 4}, b"\x00"),
    ({"type": "array", "items": "int"}, b"\x04\x02"),
    ({"type": "map", "values": "int"}, b"\x02\x02k"),
    (SCHEMA, b"\x02"),
    (["null", "string"], b"\x02"),
], ids=lambda x: x if isinstance(x, str) else None)
def test_truncated_schemaless_is_eof_error(schema, data):
    with pytest.raises(EOFError):
        decode(schema, data)


def test_truncated_varint_raises():
    with pytest.raises((EOFError, ValueError, IndexError)):
        decode("long", b"\x80\x80")


def test_negative_length_raises():
    with pytest.raises((EOFError, ValueError)):
        decode("string", b"\x01abc")


def test_huge_length_raises_without_allocating():
    with pytest.raises((EOFError, ValueError)):
        decode("bytes", b"\xfe\xff\xff\xff\xff\xff\xff\xff\x7f")


@pytest.mark.parametrize("schema, data", [
    (["null", "int"], b"\x04\x02"),
    ({"type": "enum", "name": "E", "symbols": ["A", "B"]}, b"\x04"),
], ids=["union-index-2", "enum-index-2"])
def test_index_out_of_range_raises(schema, data):
    # fastavro: IndexError from its list lookup.  (It reads a negative index as Python
    # does, from the end: avrokit refuses that too, see the avrokit_only tests.)
    with pytest.raises((IndexError, ValueError)):
        decode(schema, data)


def test_invalid_utf8_is_unicode_decode_error():
    with pytest.raises(UnicodeDecodeError):
        decode("string", b"\x04a\xff")


@pytest.mark.parametrize("errors, expected", [("replace", "a\ufffd"), ("ignore", "a")])
def test_handle_unicode_errors_schemaless(errors, expected):
    assert decode("string", b"\x04a\xff", handle_unicode_errors=errors) == expected


# --- values of the wrong type ------------------------------------------------------------------

TYPED = {"type": "record", "name": "T", "fields": [
    {"name": "i", "type": "int"},
    {"name": "l", "type": "long"},
    {"name": "d", "type": "double"},
    {"name": "s", "type": "string"},
    {"name": "by", "type": "bytes"},
    {"name": "fx", "type": {"type": "fixed", "name": "F", "size": 2}},
    {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
    {"name": "a", "type": {"type": "array", "items": "int"}},
    {"name": "m", "type": {"type": "map", "values": "int"}},
    {"name": "u", "type": ["null", "int"]},
    {"name": "r", "type": {"type": "record", "name": "Address", "fields": [
        {"name": "zip", "type": "int"}]}},
]}
GOOD = {"i": 1, "l": 2, "d": 0.5, "s": "s", "by": b"b", "fx": b"fx", "e": "A", "a": [1],
        "m": {"k": 1}, "u": None, "r": {"zip": 1}}

TYPE_ERRORS = [
    ("i", "1"), ("i", None), ("l", "1"), ("s", 1), ("s", b"bytes"),
    ("by", "str"), ("fx", "ab"), ("a", 1), ("a", [1, "x"]), ("m", {"k": "x"}), ("m", {1: 1}),
    ("r", {"zip": "x"}),
]
VALUE_ERRORS = [
    ("d", "x"),  # fastavro calls float() on a double field's value, so "NaN" passes
    ("fx", b"abc"), ("e", "C"), ("u", "x"), ("u", ("zz", 1)), ("r", {}),
]


def test_good_record_writes():
    assert decode(TYPED, encode(TYPED, GOOD)) == GOOD


@pytest.mark.parametrize("field, value", TYPE_ERRORS, ids=[f"{f}={v!r}" for f, v in TYPE_ERRORS])
def test_wrong_python_type_is_type_error(field, value):
    with pytest.raises(TypeError):
        encode(TYPED, dict(GOOD, **{field: value}))
    with pytest.raises(TypeError):
        write_file(TYPED, [GOOD, dict(GOOD, **{field: value})])


@pytest.mark.parametrize("field, value", VALUE_ERRORS,
                         ids=[f"{f}={v!r}" for f, v in VALUE_ERRORS])
def test_bad_value_is_value_error(field, value):
    with pytest.raises(ValueError):
        encode(TYPED, dict(GOOD, **{field: value}))
    with pytest.raises(ValueError):
        write_file(TYPED, [GOOD, dict(GOOD, **{field: value})])


def test_missing_field_is_value_error():
    rec = dict(GOOD)
    del rec["s"]
    with pytest.raises(ValueError):
        encode(TYPED, rec)


def test_map_given_a_list_raises():
    with pytest.raises((AttributeError, TypeError, ValueError)):
        encode(TYPED, dict(GOOD, m=[1]))


def test_record_given_none_is_type_error():
    with pytest.raises(TypeError):
        encode(TYPED, None)


def test_record_given_a_list_raises():
    with pytest.raises((TypeError, ValueError)):
        encode(TYPED, [1, 2])


@pytest.mark.parametrize("value", [2**63, -2**63 - 1, 2**100])
def test_long_out_of_range_raises(value):
    with pytest.raises((OverflowError, ValueError)):
        encode(TYPED, dict(GOOD, l=value))


def test_nan_for_int_is_value_error():
    with pytest.raises(ValueError):
        encode("int", float("nan"))


def test_lone_surrogate_is_unicode_encode_error():
    with pytest.raises(UnicodeEncodeError):
        encode("string", "\ud800")


def test_sync_marker_of_wrong_length_is_value_error():
    with pytest.raises(ValueError):
        write_file(SCHEMA, RECORDS, sync_marker=b"abc")


def test_writing_to_a_text_stream_is_type_error():
    with pytest.raises(TypeError):
        av.schemaless_writer(io.StringIO(), SCHEMA, RECORDS[0])
    with pytest.raises(TypeError):
        av.writer(io.StringIO(), SCHEMA, RECORDS)


def test_bad_compression_level_raises():
    with pytest.raises(Exception):
        write_file(SCHEMA, RECORDS, codec="deflate", codec_compression_level=42)


def test_error_in_the_middle_leaves_earlier_records_intact_in_the_stream():
    """fastavro writes the block only at flush: a failing record means no partial block."""
    buf = io.BytesIO()
    with pytest.raises(TypeError):
        av.writer(buf, SCHEMA, RECORDS[:5] + [{"i": "bad", "s": ""}])
    # the header may have been written; whatever is there must not pass for records
    if buf.getvalue():
        assert read_file(buf.getvalue())[1] in ([], RECORDS[:5])


# --- avrokit's own promises ---------------------------------------------------------------------

@avrokit_only
@pytest.mark.parametrize("field, value", TYPE_ERRORS + VALUE_ERRORS,
                         ids=[f"{f}={v!r}" for f, v in TYPE_ERRORS + VALUE_ERRORS])
def test_avro_error_names_the_field(field, value):
    with pytest.raises(av.AvroError) as ei:
        encode(TYPED, dict(GOOD, **{field: value}))
    assert isinstance(ei.value, ValueError)
    path = "r.zip" if field == "r" and value else field
    assert path in str(ei.value), f"{path!r} not in {str(ei.value)!r}"


@avrokit_only
@pytest.mark.parametrize("value, kind", [("x", "str"), ([1], "list"), (None, "NoneType")])
def test_avro_error_names_the_type_of_the_value(value, kind):
    # not the record's (a float or double field's value that float() refuses)
    with pytest.raises(av.AvroError, match=f"^field d: expected a number, got {kind}$"):
        encode(TYPED, dict(GOOD, d=value))


@avrokit_only
def test_avro_error_names_a_nested_path():
    schema = {"type": "record", "name": "User", "fields": [
        {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
            {"name": "street", "type": "string"}, {"name": "zip", "type": "int"}]}},
        {"name": "tags", "type": {"type": "array", "items": {
            "type": "record", "name": "Tag", "fields": [{"name": "label", "type": "string"}]}}}]}
    good = {"address": {"street": "s", "zip": 1}, "tags": [{"label": "a"}]}
    with pytest.raises(av.AvroError) as ei:
        encode(schema, dict(good, address={"street": "s", "zip": "NW1"}))
    assert "address.zip" in str(ei.value)
    with pytest.raises(av.AvroError) as ei:
        encode(schema, dict(good, tags=[{"label": "a"}, {"label": 5}]))
    assert "tags" in str(ei.value) and "label" in str(ei.value)


@avrokit_only
@pytest.mark.parametrize("field, value", TYPE_ERRORS, ids=[f"{f}={v!r}" for f, v in TYPE_ERRORS])
def test_type_errors_are_avro_errors_and_type_errors(field, value):
    with pytest.raises(av.AvroError) as ei:
        encode(TYPED, dict(GOOD, **{field: value}))
    assert isinstance(ei.value, TypeError)


@avrokit_only
def test_truncation_anywhere_is_an_avro_error_and_eof_error():
    for cut in range(HEADER_END + 1, len(FILE)):
        if any(cut == b[0] for b in BLOCKS):
            continue  # a cut between blocks is a shorter, valid file
        with pytest.raises(av.AvroError) as ei:
            read_all(FILE[:cut])
        assert isinstance(ei.value, (EOFError, ValueError)), cut


@avrokit_only
@pytest.mark.parametrize("data", [b"Obj\x02", b"Obj\x00", b"OBJ\x01", b"\x00bj\x01"])
def test_bad_magic_is_refused(data):
    """fastavro does not check the version byte of the magic; avrokit does."""
    with pytest.raises(av.AvroError):
        read_all(data + FILE[4:])


@avrokit_only
@pytest.mark.parametrize("schema, data", [
    (["null", "int"], b"\x04\x02"),
    (["null", "int"], b"\x01\x02"),
    ({"type": "enum", "name": "E", "symbols": ["A", "B"]}, b"\x04"),
    ({"type": "enum", "name": "E", "symbols": ["A", "B"]}, b"\x01"),
    ("long", b"\xff" * 11 + b"\x01"),   # a varint longer than 10 bytes
    ("int", b"\x80\x80\x80\x80\x80\x01"),  # more than 32 bits in an int
    ("boolean", b"\x02"),
    ("string", b"\x01abc"),
])
def test_corrupt_schemaless_is_avro_error(schema, data):
    with pytest.raises(av.AvroError):
        decode(schema, data)


@avrokit_only
@pytest.mark.parametrize("field, value", [("i", 2**31), ("i", -2**31 - 1), ("i", 1.5),
                                          ("i", True), ("d", True)])
def test_values_fastavro_lets_through_are_refused(field, value):
    """fastavro writes 2**31 into an int as a long varint and truncates 1.5 to 1."""
    with pytest.raises(av.AvroError):
        encode(TYPED, dict(GOOD, **{field: value}))


@not_sanitized
@avrokit_only
@pytest.mark.parametrize("schema, data", [
    ({"type": "array", "items": "null"}, b"\xfe\xff\xff\xff\xff\xff\xff\xff\x7f"),
    ({"type": "map", "values": "null"}, b"\xfe\xff\xff\xff\xff\xff\xff\xff\x7f"),
    ("bytes", b"\xfe\xff\xff\xff\xff\xff\xff\xff\x7f"),
    ({"type": "array", "items": {"type": "record", "name": "E", "fields": [
        {"name": "n", "type": "null"}]}}, b"\xfe\xff\xff\xff\xff\xff\xff\xff\x7f\x00"),
], ids=["array-2^62", "map-2^62", "bytes-2^62", "empty-records-2^62"])
@pytest.mark.parametrize("fo", ["io.BytesIO", "ReadOnly"])
def test_hostile_counts_fail_fast(schema, data, fo):
    """A count the input cannot hold must fail without allocating it, or walking it: a
    file object with read() alone is read a value at a time, and items that take no bytes
    have nothing to read.  Run in a child with a 1 GiB address-space limit and a time
    limit, since a failure here could eat the machine (fastavro appends 2^62 Nones until it
    is killed)."""
    code = textwrap.dedent(f"""
        import io, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        import {av.__name__} as av
        class ReadOnly:
            def __init__(self, data):
                self.b = io.BytesIO(data)
            def read(self, n=-1):
                return self.b.read(n)
        try:
            av.schemaless_reader({fo}({data!r}), {schema!r})
        except av.AvroError as e:
            print("AvroError", e)
            sys.exit(0)
        print("no error")
        sys.exit(3)
    """)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=30, env=dict(os.environ))
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr[-2000:])


@pytest.mark.avrokit_only
@pytest.mark.parametrize("pad", range(4))
def test_message_that_cuts_a_quoted_value_keeps_its_words(pad):
    """A default quoted in a message is cut at a few dozen bytes, which could split a
    character: the message stays text (the split bytes '?'), not an empty one."""
    inner = {"type": "record", "name": "S", "fields": [{"name": "t", "type": "int"}]}
    schema = {"type": "record", "name": "Z", "fields": [
        {"name": "r", "type": inner, "default": {"t": "abc", "x": "a" * pad + "é" * 40}}]}
    with pytest.raises(av.SchemaParseException) as e:
        av.schemaless_writer(io.BytesIO(), schema, {"r": {"t": 1}})
    assert 'of field "r" does not fit its type S' in str(e.value)


@pytest.mark.avrokit_only
@pytest.mark.parametrize("type_, value, message", [
    ({"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}, "NaN",
     "NaN cannot be a decimal value"),
    ({"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}, "1.234",
     "Scale provided in schema does not match the decimal"),
    ({"type": "fixed", "name": "F", "size": 2, "logicalType": "decimal", "precision": 4,
      "scale": 2}, "999", "999 does not fit in a fixed of 2 bytes"),
    ({"type": "int", "logicalType": "date"}, "2020-13-01", "month must be in 1..12"),
])
def test_a_value_the_logical_type_refuses_is_an_avro_error_naming_the_field(type_, value,
                                                                           message):
    """fastavro raises ValueError (or an accidental TypeError) without the field; an
    AvroError is a ValueError too."""
    import decimal
    if type_.get("logicalType") == "decimal":
        value = decimal.Decimal(value)
    schema = {"type": "record", "name": "R", "fields": [{"name": "d", "type": type_}]}
    with pytest.raises(av.AvroError, match=f"^field d: {message}$"):
        encode(schema, {"d": value})
