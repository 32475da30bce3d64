# SPDX-License-Identifier: Apache-2.0
"""The differences from fastavro 1.12 that python/README.md lists ("Differences from
fastavro", numbered there), and its table of exceptions.  Where each entry is checked:

 1. json_reader decoder / json_writer encoder refused: test_json_reader_decoder_is_refused,
    test_json_writer_encoder_is_refused, test_reader_and_writer_take_file_objects_only
 2. fastavro's codec registry and modules absent:
    test_fastavro_extension_points_are_absent, test_fastavro_modules_are_absent
 3. lz4 and lzma read, not written: test_lz4_codec_is_not_written,
    test_lz4_codec_is_read, test_lz4_blocks_that_lie_are_refused,
    test_lzma_codec_is_read_only (fastavro's lz4 files: test_fastavro_differential.py::
    test_lz4_files_fastavro_writes)
 4. "avro." metadata keys refused: test_writer.py::test_metadata_keys_of_avro_are_refused,
    test_writer.py::test_metadata_cannot_set_the_codec_or_schema
 5. schemas checked fully when used: test_schema_is_checked_fully_when_first_used,
    test_parse_schema_alone_accepts_what_fastavro_accepts (a file's own schema read
    leniently: test_interop.py::test_corpus_file_reads_as_python_avro_reads_it)
 6. values checked: test_int_field_takes_no_float_or_bool,
    test_a_uuid_str_must_be_a_uuid, test_a_time_int_must_be_a_time_of_day,
    test_a_bytes_decimal_may_not_be_empty,
    test_errors.py::test_values_fastavro_lets_through_are_refused
 7. corrupt data refused: test_errors.py::test_corrupt_schemaless_is_avro_error, ::test_hostile_counts_fail_fast,
    ::test_bad_magic_is_refused
 8. schemas as JSON text: test_schema_given_as_json_text
 9. bytes metadata values: test_metadata_values_may_be_bytes,
    test_other_metadata_values_are_type_errors
10. metadata not UTF-8: test_metadata_that_is_not_utf8_is_read_with_replacements
11. exceptions are AvroErrors: test_exceptions_are_avro_errors (the README's table),
    test_a_value_a_conversion_refuses_on_read_is_an_avro_error_naming_it,
    test_api.py::test_avrokit_exceptions_share_a_base, the avrokit_only tests of
    test_errors.py
12. handle_unicode_errors checked at the call: test_handle_unicode_errors_is_checked_at_the_call
13. json_reader floats through float32: test_json_reader_float_fields_go_through_float32
14. reading ahead: test_reader_reads_ahead_in_large_pieces
15. schema caches: test_a_schema_changed_in_place_after_use_is_not_seen,
    test_schema_caches_hold_a_bounded_number_of_schema_objects
16. load_schema fills named_schemas: test_load_schema_fills_named_schemas_with_every_type
17. a reader or Writer in use refuses: test_reader_in_use_is_refused,
    test_writer_in_use_is_refused
18. repeated short ASCII strings shared:
    test_reader.py::test_a_repeated_short_ascii_string_is_one_object
19. write()'s count looked at: test_writer.py::test_a_write_that_writes_part_is_given_the_rest,
    ::test_a_write_that_writes_nothing_is_an_oserror,
    ::test_a_write_that_keeps_its_chunks_gets_its_own_bytes
20. writer() stopped midway writes out every record before: test_writer.py::
    test_writer_stopped_midway_writes_every_record_before,
    ::test_writer_whose_write_failed_does_not_write_again
21. canonical form of a type that uses one parsed earlier:
    test_canonical_form_writes_out_a_named_type_parsed_earlier
22. Decimal("-0") in a decimal fixed: test_negative_zero_decimal_fixed_is_zero
23. levels out of the codec's range: test_levels_out_of_range_are_refused
24. empty metadata key, a NUL in one, unknown Writer options:
    test_empty_metadata_key_is_refused, test_metadata_key_with_a_nul_is_refused_both_ways,
    test_unknown_writer_options_are_refused
25. str, bytes, dict for an array: test_str_bytes_or_dict_for_an_array_is_refused
26. lone surrogates refused by json_writer: test_json_writer_refuses_lone_surrogates
27. Block.offset from the file's start: test_block_offset_counts_from_where_the_file_starts
28. LOGICAL_READERS with a reader schema: test_logical_registry.py::
    test_with_a_reader_schema_the_function_gets_its_type_twice
29. the schema helpers and anonymize_schema refuse what is not a schema:
    test_schema_helpers_refuse_what_is_not_a_schema,
    test_anonymize_schema_refuses_what_is_not_a_str
30. json_writer checks values: test_json_writer_checks_values_as_the_binary_writer
31. a reader union's branch of the same type first:
    test_reader_union_takes_the_same_type_before_a_promotion
32. long read as float: test_long_read_as_float_is_a_32_bit_float
33. reader defaults as values of the type: test_reader_defaults_are_values_of_the_fields_type
34. union names from the reader schema's unions: test_union_names_follow_the_reader_schemas_unions
35. nesting limits: test_nesting_deeper_than_the_limits_is_refused
36. header order, metadata dict left alone:
    test_header_lists_the_schema_and_codec_first_and_metadata_is_left_as_it_was
37. a union default in its first branch: test_a_union_default_is_written_in_its_first_branch
38. decimals read exactly: test_a_decimal_with_more_digits_than_its_precision_is_read_exactly
39. a file's invalid decimals and aliases: test_a_file_schema_with_an_invalid_decimal_is_read,
    test_a_file_schema_with_aliases_that_name_nothing_is_read (python3-avro writes such
    files: test_interop.py::test_python_avro_file_with_an_invalid_decimal_is_read)
(and, for the additions to 25 and 35 and the reader_schema paragraph:
test_a_record_or_map_takes_only_a_mapping, test_at_most_2_to_the_24_items_that_take_no_bytes,
test_an_empty_array_of_items_the_reader_cannot_read_reads)
    (and, for the additions to 5, 6, 7, 11, 12 and 34, the tests after it)

The README's other promises: threads (test_threads.py), memory (test_memory.py), its
examples (test_readme.py).  Tests marked avrokit_only describe avrokit's own behaviour,
which fastavro does not share; the others pass under fastavro too.
"""

import copy
import decimal
import io
import json
import struct
import sys
import uuid as uuid_mod

import pytest

from support import (av, avrokit_only, container_file, decode, encode, read_file, read_mod,
                     schema_mod, utils_mod, write_file, write_mod)

SCHEMA = {"type": "record", "name": "R", "fields": [
    {"name": "a", "type": "int"}, {"name": "s", "type": "string"}]}
RECORDS = [{"a": i, "s": "x" * (i % 50)} for i in range(3000)]


# --- not supported ------------------------------------------------------------------------------

@avrokit_only
def test_json_reader_decoder_is_refused():
    text = io.StringIO('{"a": 1, "s": ""}\n')
    with pytest.raises(TypeError, match="decoder"):
        av.json_reader(text, SCHEMA, decoder=object)
    assert list(av.json_reader(text, SCHEMA, decoder=None)) == [{"a": 1, "s": ""}]


@avrokit_only
def test_json_writer_encoder_is_refused():
    with pytest.raises(TypeError, match="encoder"):
        av.json_writer(io.StringIO(), SCHEMA, [{"a": 1, "s": ""}], encoder=object)


@avrokit_only
@pytest.mark.parametrize("mod, name", [
    (read_mod, "BLOCK_READERS")])
def test_fastavro_extension_points_are_absent(mod, name):
    """Custom codecs (fastavro's registry of block readers) are not supported: using them
    fails at once rather than being ignored."""
    assert not hasattr(mod, name)


@avrokit_only
@pytest.mark.parametrize("module", ["io", "__main__"])
def test_fastavro_modules_are_absent(module):
    import importlib
    with pytest.raises(ImportError):
        importlib.import_module(f"{av.__name__}.{module}")


@avrokit_only
def test_reader_and_writer_take_file_objects_only():
    """fastavro's reader and writer also take its AvroJSONDecoder and encoder objects."""
    class NotAFile:
        pass
    with pytest.raises(TypeError):
        av.reader(NotAFile())
    with pytest.raises(TypeError):
        av.writer(NotAFile(), SCHEMA, RECORDS[:1])


@avrokit_only
def test_lz4_codec_is_not_written(tmp_path):
    """(fastavro writes lz4 when the lz4 package is installed; it is no Avro codec.)"""
    with pytest.raises(ValueError, match="lz4.*writes only Avro's codecs"):
        write_file(SCHEMA, RECORDS[:3], codec="lz4")
    if "lz4" not in av.codecs():
        return
    # appending to an lz4 file is writing lz4: refused, the file as it was
    path = tmp_path / "a.avro"
    path.write_bytes(lz4_container(SCHEMA, [RECORDS[:10]]))
    before = path.read_bytes()
    with open(path, "a+b") as f, pytest.raises(av.AvroError, match="lz4"):
        av.writer(f, None, RECORDS[10:12])
    assert path.read_bytes() == before


def lz4_literals(data):
    """One block of fastavro's lz4 codec, made by hand: the size as 4 bytes little-endian,
    then an LZ4 block of a single literal run (valid LZ4, compressing nothing)."""
    n = len(data)
    if n < 15:
        run = bytes([n << 4])
    else:
        run = bytes([0xF0]) + b"\xff" * ((n - 15) // 255) + bytes([(n - 15) % 255])
    return struct.pack("<I", n) + run + data


def lz4_container(schema, batches, block=lz4_literals):
    """A container file in the lz4 codec: one block a batch of records."""
    return container_file(schema, [[encode(schema, r) for r in batch] for batch in batches],
                          "lz4", block)


def need_lz4():
    if "lz4" not in av.codecs():
        pytest.skip("this build has no liblz4")


@avrokit_only
def test_lz4_codec_is_read():
    need_lz4()
    assert av.codecs()["lz4"] == "read"
    batches = [RECORDS[:1], RECORDS[1:300], RECORDS[300:301], RECORDS[301:2000]]
    data = lz4_container(SCHEMA, batches)
    r, records = read_file(data)
    assert r.codec == "lz4" and records == RECORDS[:2000]
    blocks = list(av.block_reader(io.BytesIO(data)))
    assert [b.num_records for b in blocks] == [1, 299, 1, 1699]
    assert all(b.codec == "lz4" for b in blocks) and list(blocks[1]) == RECORDS[1:300]
    try:
        import lz4.block  # python3-lz4: real compression, with matches
    except ImportError:
        return
    data = lz4_container(SCHEMA, batches, block=lz4.block.compress)
    assert len(data) < len(lz4_container(SCHEMA, batches)) / 2
    assert read_file(data)[1] == RECORDS[:2000]


@avrokit_only
@pytest.mark.parametrize("lie, message", [
    (lambda z: z[:2], "no size before its data"),
    (lambda z: struct.pack("<I", 2**32 - 1) + z[4:], "limit"),
    (lambda z: struct.pack("<I", struct.unpack("<I", z[:4])[0] + 1) + z[4:], "says"),
    (lambda z: struct.pack("<I", struct.unpack("<I", z[:4])[0] - 1) + z[4:], "corrupt lz4"),
    (lambda z: z[:-1], "corrupt lz4"),
], ids=["no-size", "too-big", "size-over", "size-under", "cut"])
def test_lz4_blocks_that_lie_are_refused(lie, message):
    need_lz4()
    data = lz4_container(SCHEMA, [RECORDS[:20]], block=lambda b: lie(lz4_literals(b)))
    with pytest.raises(av.AvroError, match=message):
        read_file(data)


@avrokit_only
def test_lzma_codec_is_read_only():
    if "lzma" not in av.codecs():
        pytest.skip("this build has no liblzma")
    assert av.codecs()["lzma"] == "read"
    with pytest.raises(ValueError, match="lzma"):
        write_file(SCHEMA, RECORDS[:3], codec="lzma")


# --- stricter -----------------------------------------------------------------------------------

@avrokit_only
@pytest.mark.parametrize("schema, value", [
    ({"type": "record", "name": "R", "fields": [{"name": "a-b", "type": "int"}]}, {"a-b": 1}),
    ({"type": "record", "name": "1R", "fields": []}, {}),
    ({"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"},
                                                {"name": "a", "type": "int"}]}, {"a": 1}),
    (["int", "int"], 1),
    (["int", ["null", "string"]], 1),
], ids=["field-name", "record-name", "duplicate-field", "duplicate-branch", "union-in-union"])
def test_schema_is_checked_fully_when_first_used(schema, value):
    """fastavro writes these; the Avro specification (and Java) do not allow them."""
    with pytest.raises(schema_mod.SchemaParseException):
        encode(schema, value)
    with pytest.raises(schema_mod.SchemaParseException):
        write_file(schema, [value])


def test_parse_schema_alone_accepts_what_fastavro_accepts():
    dup = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"},
                                                     {"name": "a", "type": "int"}]}
    assert [f["name"] for f in av.parse_schema(dup)["fields"]] == ["a", "a"]


@avrokit_only
@pytest.mark.parametrize("value", [1.0, 1.5, True])
def test_int_field_takes_no_float_or_bool(value):
    with pytest.raises(TypeError):
        encode(SCHEMA, {"a": value, "s": ""})


UUID_TEXT = "0c7f6a44-7cfe-4bd6-a50f-3a3a0ec1d9a5"


@avrokit_only
@pytest.mark.parametrize("text", ["hello", "", UUID_TEXT[:-1], UUID_TEXT + "0",
                                  UUID_TEXT.replace("-", ""), "{" + UUID_TEXT + "}",
                                  "urn:uuid:" + UUID_TEXT, UUID_TEXT.replace("-", "_"),
                                  UUID_TEXT[:-1] + "g"])
def test_a_uuid_str_must_be_a_uuid(text):
    """fastavro writes any str into a uuid string, and its reader then raises."""
    u = {"type": "string", "logicalType": "uuid"}
    s = {"type": "record", "name": "U", "fields": [{"name": "u", "type": u}]}
    with pytest.raises(av.AvroError, match=r"field u: .* is no UUID \(8-4-4-4-12"):
        encode(s, {"u": text})
    assert av.validation.validate({"u": text}, s, raise_errors=False) is False
    with pytest.raises(av.AvroError, match="is no UUID"):
        write_file(s, [{"u": UUID_TEXT}, {"u": text}])
    # in a union, a str that is no UUID goes to another branch that takes it
    nullable = {"type": "record", "name": "U", "fields": [{"name": "u", "type": ["null", u]}]}
    with pytest.raises(av.AvroError):
        encode(nullable, {"u": text})
    for good in (UUID_TEXT, UUID_TEXT.upper(), uuid_mod.UUID(UUID_TEXT)):
        assert decode(s, encode(s, {"u": good})) == {"u": uuid_mod.UUID(UUID_TEXT)}


@avrokit_only
@pytest.mark.parametrize("logical, bad, good", [
    ("time-millis", [-1, -300, 86400000, 2**31 - 1], [0, 86399999]),
    ("time-micros", [-1, 86400000000, 2**63 - 1], [0, 86399999999]),
])
def test_a_time_int_must_be_a_time_of_day(logical, bad, good):
    """fastavro writes any int into a time, which its reader then refuses (hour must be in
    0..23) or reads as another time (-300 as 00:00:00.999700)."""
    base = "int" if logical == "time-millis" else "long"
    t = {"type": base, "logicalType": logical}
    s = {"type": "record", "name": "T", "fields": [{"name": "t", "type": t}]}
    for v in bad:
        with pytest.raises(av.AvroError, match=rf"field t: {logical} counts .* no time of day"):
            encode(s, {"t": v})
        assert av.validation.validate({"t": v}, s, raise_errors=False) is False
    for v in good:
        assert encode(s, {"t": v}) == encode(base, v)
    # in a union with another number type, an int past a day goes there; one within, to
    # the time
    other = "long" if base == "int" else "double"
    u = {"type": "record", "name": "T", "fields": [{"name": "t", "type": ["null", t, other]}]}
    assert encode(u, {"t": bad[1]}) == b"\x04" + encode(other, bad[1])
    assert encode(u, {"t": good[1]}) == b"\x02" + encode(base, good[1])


@avrokit_only
def test_a_bytes_decimal_may_not_be_empty():
    """fastavro writes b"" as it is; Java and python-avro cannot read it (no number)."""
    d = {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 1}
    s = {"type": "record", "name": "D", "fields": [{"name": "d", "type": d}]}
    for empty in (b"", bytearray()):
        with pytest.raises(av.AvroError, match=r"field d: a decimal's bytes may not be empty"):
            encode(s, {"d": empty})
    assert decode(s, encode(s, {"d": b"\x00"})) == {"d": decimal.Decimal("0.0")}
    # read, b"" is 0 (fastavro's reading, and no reason to fail a file over it)
    assert decode(s, encode({"type": "record", "name": "D", "fields": [
        {"name": "d", "type": "bytes"}]}, {"d": b""})) == {"d": decimal.Decimal("0.0")}


# --- more lenient -------------------------------------------------------------------------------

@avrokit_only
def test_schema_given_as_json_text():
    text = json.dumps(SCHEMA)
    assert av.parse_schema(text)["name"] == "R"
    assert read_file(write_file(text, RECORDS[:3]))[1] == RECORDS[:3]
    assert decode(text, encode(text, RECORDS[5])) == RECORDS[5]


@avrokit_only
def test_metadata_values_may_be_bytes():
    data = write_file(SCHEMA, RECORDS[:1], metadata={"k": b"\x00\x01", "t": "text"})
    r, _ = read_file(data)
    assert r.metadata["k"] == "\x00\x01" and r.metadata["t"] == "text"
    assert r._header["meta"]["k"] == b"\x00\x01"


@avrokit_only
@pytest.mark.parametrize("value", [1, None, 2.5])
def test_other_metadata_values_are_type_errors(value):
    with pytest.raises(TypeError, match="metadata"):
        write_file(SCHEMA, RECORDS[:1], metadata={"k": value})


@avrokit_only
def test_metadata_that_is_not_utf8_is_read_with_replacements():
    data = write_file(SCHEMA, RECORDS[:1], metadata={"k": b"a\xffb"})
    r, recs = read_file(data)
    assert r.metadata["k"] == "a\ufffdb"
    assert r._header["meta"]["k"] == b"a\xffb"
    assert recs == RECORDS[:1]


# --- different ------------------------------------------------------------------------------

def _cut_file():
    return write_file(SCHEMA, RECORDS[:500], sync_interval=1000)[:3000]


def _bad_sync():
    data = bytearray(write_file(SCHEMA, RECORDS[:500], sync_interval=1000))
    data[-1] ^= 0xff
    return bytes(data)


def _unknown_codec():
    return write_file(SCHEMA, RECORDS[:3]).replace(b"\x08null", b"\x08nope")


@avrokit_only
@pytest.mark.parametrize("call, cls", [
    (lambda: list(av.reader(io.BytesIO(_bad_sync()))), "AvroError"),
    (lambda: list(av.reader(io.BytesIO(_unknown_codec()))), "AvroError"),
    (lambda: list(av.reader(io.BytesIO(_cut_file()))), "AvroEOFError"),
    (lambda: decode(SCHEMA, b"\x02"), "AvroEOFError"),
    (lambda: encode(SCHEMA, {"a": "1", "s": ""}), "AvroTypeError"),
    (lambda: encode(SCHEMA, {"a": 2**40, "s": ""}), "AvroError"),
    (lambda: encode({"type": "enum", "name": "E", "symbols": ["A"]}, "B"), "AvroError"),
    (lambda: av.parse_schema({"type": "record", "fields": []}), "SchemaParseException"),
    (lambda: av.parse_schema({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "Nope"}]}), "UnknownType"),
    (lambda: decode("int", b"\x02", "string"), "SchemaResolutionError"),
    (lambda: write_file(SCHEMA, [{"a": "x", "s": ""}], validator=True), "ValidationError"),
], ids=["sync", "codec", "cut-file", "cut-datum", "type", "range", "symbol", "schema",
        "unknown-type", "resolution", "validation"])
def test_exceptions_are_avro_errors(call, cls):
    """The table of python/README.md, "Exceptions"."""
    expected = {"AvroError": av.AvroError, "AvroEOFError": av.AvroEOFError,
                "AvroTypeError": av.AvroTypeError,
                "SchemaParseException": schema_mod.SchemaParseException,
                "UnknownType": schema_mod.UnknownType,
                "SchemaResolutionError": read_mod.SchemaResolutionError,
                "ValidationError": av.ValidationError}[cls]
    with pytest.raises(expected) as ei:
        call()
    assert isinstance(ei.value, av.AvroError) and isinstance(ei.value, ValueError)
    assert isinstance(ei.value, EOFError) == (cls == "AvroEOFError")
    assert isinstance(ei.value, TypeError) == (cls == "AvroTypeError")


def test_errors_of_the_file_object_pass_through():
    class Broken(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, b):
            raise OSError(5, "the disk is on fire")

        def write(self, b):
            raise OSError(28, "no space left")
    with pytest.raises(OSError, match="on fire"):
        list(av.reader(Broken()))
    with pytest.raises(OSError, match="no space"):
        av.writer(Broken(), SCHEMA, RECORDS[:3])


@avrokit_only
def test_handle_unicode_errors_is_checked_at_the_call():
    """fastavro passes the value on to bytes.decode, so a bad one fails only when a string
    has to be decoded (and not at all for data without strings)."""
    with pytest.raises(ValueError, match="handle_unicode_errors"):
        av.schemaless_reader(io.BytesIO(b"\x02"), "int", handle_unicode_errors="bogus")
    with pytest.raises(ValueError, match="handle_unicode_errors"):
        av.reader(io.BytesIO(write_file(SCHEMA, [])), handle_unicode_errors="bogus")


@avrokit_only
def test_json_reader_float_fields_go_through_float32():
    schema = {"type": "record", "name": "F", "fields": [
        {"name": "f", "type": "float"}, {"name": "d", "type": "double"}]}
    (rec,) = av.json_reader(io.StringIO('{"f": 0.1, "d": 0.1}\n'), schema)
    assert rec == {"f": 0.10000000149011612, "d": 0.1}  # fastavro: {"f": 0.1, "d": 0.1}


@avrokit_only
def test_reader_reads_ahead_in_large_pieces():
    class Recording(io.BytesIO):
        sizes = []

        def readinto(self, b):
            self.sizes.append(len(b))
            return super().readinto(b)
    data = write_file(SCHEMA, RECORDS * 10, sync_interval=2000)
    assert len(data) > 4 * 65536
    buf = Recording(data)
    r = av.reader(buf)
    header = len(write_file(r.writer_schema, [], sync_marker=data[-16:]))
    assert buf.tell() >= 65536 > header  # fastavro: just after the header
    next(r)
    assert min(buf.sizes) >= 65536
    assert list(r) == (RECORDS * 10)[1:]


@avrokit_only
def test_a_schema_changed_in_place_after_use_is_not_seen():
    schema = {"type": "record", "name": "M", "fields": [{"name": "a", "type": "int"}]}
    rec = {"a": 1, "b": 2}
    assert encode(schema, rec) == b"\x02"
    schema["fields"].append({"name": "b", "type": "int"})
    assert encode(schema, rec) == b"\x02"  # fastavro: b"\x02\x04"
    assert encode(copy.deepcopy(schema), rec) == b"\x02\x04"  # a new object is


@avrokit_only
def test_schema_caches_hold_a_bounded_number_of_schema_objects():
    def schema(i):
        return {"type": "record", "name": f"C{i}", "fields": [{"name": "a", "type": "int"}]}
    first = schema(0)
    base = sys.getrefcount(first)
    encode(first, {"a": 1})
    assert decode(first, b"\x02") == {"a": 1}
    assert sys.getrefcount(first) > base  # kept, with what was made from it
    for i in range(1, 101):
        s = schema(i)
        decode(s, encode(s, {"a": i}))
    assert sys.getrefcount(first) == base  # pushed out by newer schema objects
    from avrokit import schema as avrokit_schema
    assert len(avrokit_schema._by_id) <= 32
    assert len(avrokit_schema._by_text) <= 64
    assert len(avrokit_schema._by_raw) <= 64


@avrokit_only
def test_a_new_schema_dict_each_call_is_not_parsed_again(monkeypatch):
    """json.loads(text) for every call gives a new dict each time: it is found by its
    contents, not parsed and checked again (that made schemaless calls slower than
    fastavro's); an equal dict with other contents is not mistaken for it."""
    from avrokit import schema as avrokit_schema
    text = json.dumps({"type": "record", "name": "Fresh", "fields": [
        {"name": "a", "type": "int"}, {"name": "b", "type": ["null", "string"]}]})
    assert decode(json.loads(text), encode(json.loads(text), {"a": 1, "b": None})) == \
        {"a": 1, "b": None}
    calls = []
    real = avrokit_schema.parse_schema
    monkeypatch.setattr(avrokit_schema, "parse_schema",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    for i in range(20):
        assert decode(json.loads(text), encode(json.loads(text), {"a": i, "b": "x"})) == \
            {"a": i, "b": "x"}
    assert calls == []
    other = json.loads(text.replace('"int"', '"long"'))  # same name, other contents
    assert encode(other, {"a": 2 ** 40, "b": None})[:6] == encode("long", 2 ** 40)
    assert calls  # parsed: not taken for the other


@avrokit_only
def test_load_schema_fills_named_schemas_with_every_type(tmp_path):
    (tmp_path / "P.avsc").write_text(json.dumps(
        {"type": "record", "name": "P", "fields": [{"name": "c", "type": "C"}]}))
    (tmp_path / "C.avsc").write_text(json.dumps(
        {"type": "record", "name": "C", "fields": [{"name": "e", "type": "E"}]}))
    (tmp_path / "E.avsc").write_text(json.dumps(
        {"type": "enum", "name": "E", "symbols": ["X"]}))
    named = {}
    schema_mod.load_schema(str(tmp_path / "P.avsc"), named_schemas=named)
    assert sorted(named) == ["C", "E", "P"]  # fastavro: ["P"]


class _ReentrantStream(io.BytesIO):
    """A file object whose readinto uses the reader that calls it, as a second thread
    would at the wrong moment."""
    target = None

    def readinto(self, b):
        if self.target is not None:
            next(self.target)
        return super().readinto(b)


@avrokit_only
@pytest.mark.parametrize("kind", ["reader", "block_reader"])
def test_reader_in_use_is_refused(kind):
    buf = _ReentrantStream(write_file(SCHEMA, RECORDS * 20, sync_interval=2000))
    r = getattr(av, kind)(buf)
    buf.target = r
    with pytest.raises(RuntimeError, match="in use"):
        for _ in r:
            pass


@avrokit_only
def test_writer_in_use_is_refused():
    from collections.abc import Mapping

    class Record(Mapping):
        def __init__(self, writer):
            self.writer = writer

        def __getitem__(self, key):
            self.writer.write({"a": 1, "s": ""})
            return {"a": 1, "s": ""}[key]

        def __iter__(self):
            return iter(("a", "s"))

        def __len__(self):
            return 2
    w = write_mod.Writer(io.BytesIO(), SCHEMA)
    with pytest.raises(RuntimeError, match="in use"):
        w.write(Record(w))
    w.write({"a": 2, "s": "ok"})  # still usable afterwards
    w.flush()
    assert read_file(w.fo.getvalue())[1] == [{"a": 2, "s": "ok"}]


@avrokit_only
def test_canonical_form_writes_out_a_named_type_parsed_earlier():
    named = {}
    av.parse_schema({"type": "record", "name": "Engine",
                     "fields": [{"name": "hp", "type": "int"}]}, named)
    car = av.parse_schema({"type": "record", "name": "Car",
                           "fields": [{"name": "e", "type": "Engine"}]}, named)
    whole = {"type": "record", "name": "Car", "fields": [{"name": "e", "type": {
        "type": "record", "name": "Engine", "fields": [{"name": "hp", "type": "int"}]}}]}
    pcf = schema_mod.to_parsing_canonical_form(car)
    assert pcf == schema_mod.to_parsing_canonical_form(whole)
    assert schema_mod.fingerprint(pcf, "CRC-64-AVRO") == \
        schema_mod.fingerprint(schema_mod.to_parsing_canonical_form(whole), "CRC-64-AVRO")


@avrokit_only
@pytest.mark.parametrize("text", ["-0", "-0.000", "0"])
def test_negative_zero_decimal_fixed_is_zero(text):
    import decimal
    s = {"type": "fixed", "name": "D", "size": 4, "logicalType": "decimal", "precision": 5,
         "scale": 3}
    assert encode(s, decimal.Decimal(text)) == bytes(4)
    assert decode(s, bytes(4)) == decimal.Decimal("0.000")


@avrokit_only
@pytest.mark.parametrize("codec, level", [("deflate", 10), ("xz", 10), ("bzip2", 0),
                                          ("zstandard", -5), ("zstandard", 23)])
def test_levels_out_of_range_are_refused(codec, level):
    from support import codec_problem
    if codec_problem(codec):
        pytest.skip(codec_problem(codec))
    with pytest.raises(av.AvroError, match=f"the level for {codec} must be from"):
        av.writer(io.BytesIO(), SCHEMA, RECORDS[:1], codec=codec,
                  codec_compression_level=level)


@avrokit_only
def test_empty_metadata_key_is_refused():
    with pytest.raises(av.AvroError, match="empty metadata key"):
        av.writer(io.BytesIO(), SCHEMA, RECORDS[:1], metadata={"": "x"})


@avrokit_only
def test_metadata_key_with_a_nul_is_refused_both_ways():
    with pytest.raises(ValueError, match="metadata key 'a\\\\x00b' holds a NUL character"):
        av.writer(io.BytesIO(), SCHEMA, RECORDS[:1], metadata={"a\x00b": "x"})
    # as fastavro writes it: the header's map with one key of three bytes, a, NUL, b
    data = bytearray(write_file(SCHEMA, RECORDS[:1], metadata={"axb": "v"}))
    at = data.index(b"axb")
    data[at + 1] = 0
    with pytest.raises(av.AvroError, match="metadata key holds a NUL byte"):
        read_file(bytes(data))


@avrokit_only
def test_unknown_writer_options_are_refused():
    with pytest.raises(TypeError, match="unknown writer options: unknown"):
        write_mod.Writer(io.BytesIO(), SCHEMA, options={"unknown": 1})


@avrokit_only
@pytest.mark.parametrize("items, value", [("int", b"\x01\x02"), ("string", "ab"),
                                          ("string", {"k": 1})])
def test_str_bytes_or_dict_for_an_array_is_refused(items, value):
    s = {"type": "record", "name": "A", "fields": [
        {"name": "a", "type": {"type": "array", "items": items}}]}
    with pytest.raises(av.AvroTypeError, match="field a: expected a list for an array"):
        encode(s, {"a": value})
    ok = range(3) if items == "int" else ("x" for _ in range(3))  # other iterables are fine
    assert len(decode(s, encode(s, {"a": ok}))["a"]) == 3


@avrokit_only
def test_json_writer_refuses_lone_surrogates():
    s = {"type": "record", "name": "S", "fields": [{"name": "a", "type": "string"}]}
    with pytest.raises(UnicodeEncodeError):
        av.json_writer(io.StringIO(), s, [{"a": "x\udc80y"}])
    with pytest.raises(UnicodeEncodeError):  # as the binary writers, fastavro's too
        encode(s, {"a": "x\udc80y"})


@avrokit_only
def test_block_offset_counts_from_where_the_file_starts():
    data = write_file(SCHEMA, RECORDS, sync_interval=2000)
    plain = [(b.offset, b.size) for b in av.block_reader(io.BytesIO(data))]
    fo = io.BytesIO(b"junk" * 5 + data)
    fo.seek(20)
    assert [(b.offset, b.size) for b in av.block_reader(fo)] == plain
    assert len(plain) > 1 and plain[0][0] > 0  # (past the header)


@avrokit_only
@pytest.mark.parametrize("call", [
    lambda: schema_mod.schema_name({"name": "A", "namespace": 5}, ""),
    lambda: schema_mod.schema_name({"name": "A"}, 5),
    lambda: schema_mod.is_single_record_union("ns.R"),
    lambda: schema_mod.is_single_name_union({"type": "record", "name": "R", "fields": []}),
    lambda: schema_mod.is_single_record_union(b"R"),
])
def test_schema_helpers_refuse_what_is_not_a_schema(call):
    """fastavro gives (5, '5.A') for a namespace 5, and counts a str's characters or a
    dict's keys as a union's branches."""
    with pytest.raises(TypeError):
        call()


@avrokit_only
@pytest.mark.parametrize("where, value", [
    ("doc", 5), ("doc", None), ("aliases", ["x", 5]), ("name", 5)])
def test_anonymize_schema_refuses_what_is_not_a_str(where, value):
    """fastavro raises AttributeError (no encode method)."""
    field = {"name": "a", "type": "int", where: value}
    with pytest.raises(TypeError, match="anonymized"):
        utils_mod.anonymize_schema({"type": "record", "name": "R", "fields": [field]})
    if where == "doc":
        with pytest.raises(TypeError, match="anonymized"):
            utils_mod.anonymize_schema({"type": "string", "doc": value})


@avrokit_only
@pytest.mark.parametrize("value, message", [
    ({"a": 1, "s": 5}, "field s: expected str, got int"),
    ({"a": 2**31, "s": ""}, "field a: "),
    ({"a": "1", "s": ""}, "field a: expected int, got str"),
])
def test_json_writer_checks_values_as_the_binary_writer(value, message):
    """fastavro writes {"s": 5} and reads it back as an int."""
    with pytest.raises(av.AvroError, match=message):
        av.json_writer(io.StringIO(), SCHEMA, [value])


# --- 31-35: found by differential testing against fastavro ------------------------------------

@avrokit_only
@pytest.mark.parametrize("writer, reader, value, expected", [
    ("int", ["double", "int"], 3, 3),
    ("string", ["bytes", "string"], "hé", "hé"),
    (["null", "bytes"], ["null", "string", "bytes"], b"\xff", b"\xff"),
])
def test_reader_union_takes_the_same_type_before_a_promotion(writer, reader, value, expected):
    """fastavro takes the first branch the writer's type can be promoted to (3.0, b'h\\xc3\\xa9',
    UnicodeDecodeError); avrokit the branch of the same type first, as Java."""
    out = decode(writer, encode(writer, value), reader)
    assert out == expected and type(out) is type(expected)


@avrokit_only
def test_long_read_as_float_is_a_32_bit_float():
    # fastavro: float(2**31 + 1) == 2147483649.0, which no float field holds
    assert decode("long", encode("long", 2**31 + 1), "float") == 2147483648.0


@avrokit_only
def test_reader_defaults_are_values_of_the_fields_type():
    import datetime
    import decimal
    writer = {"type": "record", "name": "R", "fields": []}
    reader = {"type": "record", "name": "R", "fields": [
        {"name": "b", "type": "bytes", "default": "\u00ff\u0000A"},
        {"name": "d", "type": "double", "default": 3},
        {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 4,
                                 "scale": 2}, "default": "\u0001\u0000"},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}, "default": 1},
        {"name": "n", "type": "double", "default": "NaN"}]}
    out = decode(writer, b"", reader)
    assert out["b"] == b"\xff\x00A" and out["d"] == 3.0 and type(out["d"]) is float
    assert out["dec"] == decimal.Decimal("2.56") and out["day"] == datetime.date(1970, 1, 2)
    assert out["n"] != out["n"]  # nan; fastavro gives each JSON default as it is


@avrokit_only
def test_union_names_follow_the_reader_schemas_unions():
    """return_record_name and return_named_type tuples come from the unions of the schema the
    records are read as (with a reader schema, its unions), and count what is named in the
    union however it is written (a reference to an enum is an enum, not a record, and an
    error is a record)."""
    w = {"type": "record", "name": "W", "fields": [{"name": "x", "type": "int"}]}
    data = encode(w, {"x": 1})
    assert decode(w, data, ["null", w], return_record_name=True) == ("W", {"x": 1})
    wu = ["null", w]
    assert decode(wu, encode(wu, {"x": 1}), w, return_record_name=True) == {"x": 1}
    e = {"type": "enum", "name": "E", "symbols": ["A"]}
    refs = {"type": "record", "name": "R", "fields": [
        {"name": "e", "type": e}, {"name": "u", "type": ["null", "E"]}]}
    assert decode(refs, encode(refs, {"e": "A", "u": "A"}),
                  return_record_name=True) == {"e": "A", "u": "A"}
    er = ["null", {"type": "error", "name": "Er", "fields": [{"name": "m", "type": "string"}]}]
    assert decode(er, encode(er, {"m": "x"}), return_record_name=True) == ("Er", {"m": "x"})


@avrokit_only
def test_nesting_deeper_than_the_limits_is_refused():
    node = {"type": "record", "name": "N", "fields": [
        {"name": "next", "type": ["null", "N"]}]}
    deep = None
    for _ in range(600):
        deep = {"next": deep}
    with pytest.raises(av.AvroError, match="nested too deeply"):
        encode(node, deep)
    schema = "int"
    for i in range(300):
        schema = {"type": "array", "items": schema}
    with pytest.raises(av.SchemaParseException, match="nested deeper than 256 levels"):
        encode(schema, [])


# --- smaller differences, in 5, 6, 7, 11, 12, 34 and 36 ---------------------------------------

@avrokit_only
def test_null_takes_only_none_and_a_missing_null_field_is_none():
    with pytest.raises(av.AvroTypeError):
        encode("null", 5)
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": {"type": "null"}}, {"name": "b", "type": [{"type": "null"}, "int"]}]}
    assert encode(schema, {}) == b"\x00"  # fastavro: no value and no default


def _three_blocks():
    schema = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    data = write_file(schema, [{"a": i} for i in range(3)], sync_interval=1,
                      sync_marker=b"S" * 16)
    return schema, bytearray(data)


def _records_then_error(data):
    got = []
    with pytest.raises(av.AvroError) as e:
        for r in av.reader(io.BytesIO(bytes(data))):
            got.append(r)
    return got, str(e.value)


@avrokit_only
def test_a_wrong_sync_marker_stops_before_the_blocks_records():
    _, data = _three_blocks()
    second = data.index(b"S" * 16, data.index(b"S" * 16) + 16)  # the header's is the first
    data[data.index(b"S" * 16, second + 16)] ^= 1  # the marker after the second block
    got, _ = _records_then_error(data)
    assert got == [{"a": 0}]  # fastavro: also {"a": 1}, then ValueError


@avrokit_only
def test_a_block_with_bytes_left_over_raises_after_its_records():
    schema = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    data = bytearray(write_file(schema, [{"a": 1}, {"a": 2}], sync_marker=b"S" * 16))
    block = data.index(b"S" * 16) + 16  # the block's count, 2 (zigzag 4), after the header
    assert data[block] == 4
    data[block] = 2  # one record claimed, two there
    got, message = _records_then_error(data)
    assert got == [{"a": 1}] and "left over" in message  # fastavro: [{"a": 1}], no error


@avrokit_only
@pytest.mark.parametrize("name", [".Color", "Color.", ""])
def test_a_file_schema_name_that_is_no_name_at_all_is_refused(name):
    """The header's schema text is edited in place, keeping its length (JSON spaces pad
    the empty name); fastavro reads such files."""
    data = write_file({"type": "record", "name": "XColor", "fields": []}, [{}])
    text = b'"name": "XColor"'
    assert data.count(text) == 1
    edited = data.replace(text, (b'"name": "%s"' % name.encode()).ljust(len(text)))
    with pytest.raises(av.AvroError):
        read_file(edited)


@avrokit_only
def test_exception_classes_where_fastavro_overflows_or_has_no_attribute():
    date = {"type": "int", "logicalType": "date"}
    with pytest.raises(ValueError, match="date out of range"):  # fastavro: OverflowError
        decode(date, encode("int", 2**31 - 1))
    with pytest.raises(OverflowError):  # as fastavro
        decode({"type": "long", "logicalType": "timestamp-millis"}, encode("long", 2**62))
    with pytest.raises(av.AvroError):
        encode("long", 2**70)
    with pytest.raises(av.AvroTypeError):
        encode({"type": "map", "values": "int"}, "ab")


@avrokit_only
def test_handle_unicode_errors_applies_to_bytes_read_as_a_string():
    assert decode("bytes", encode("bytes", b"a\xff"), "string",
                  handle_unicode_errors="replace") == "a\ufffd"


@avrokit_only
def test_union_of_a_record_and_an_error_takes_the_one_with_more_fields_in_common():
    s = [{"type": "record", "name": "K", "fields": [{"name": "t", "type": "int"}]},
         {"type": "error", "name": "E0", "fields": []}]
    assert encode(s, {"t": 5}) == b"\x00\x0a"  # fastavro: b"\x02", the error


@avrokit_only
def test_header_lists_the_schema_and_codec_first_and_metadata_is_left_as_it_was():
    meta = {"k": "v"}
    data = write_file(SCHEMA, [], metadata=meta, codec="deflate")
    assert meta == {"k": "v"}  # fastavro adds avro.codec and avro.schema to it
    assert data.index(b"avro.schema") < data.index(b"avro.codec") < data.index(b"\x02k\x02v")


@avrokit_only
def test_a_union_default_is_written_in_its_first_branch():
    schema = {"type": "record", "name": "R",
              "fields": [{"name": "u", "type": ["float", "double"], "default": 0.1}]}
    data = encode(schema, {})
    assert data == b"\x00" + struct.pack("<f", 0.1)  # fastavro: the double branch
    assert decode(schema, data) == {"u": struct.unpack("<f", struct.pack("<f", 0.1))[0]}


@avrokit_only
def test_a_decimal_with_more_digits_than_its_precision_is_read_exactly():
    import decimal
    dec = {"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 2}
    assert decode(dec, b"\x04\x00\x7b") == decimal.Decimal("1.23")  # fastavro: 1.2


@avrokit_only
def test_a_record_or_map_takes_only_a_mapping():
    empty = {"type": "record", "name": "E", "fields": []}
    with pytest.raises(av.AvroTypeError):
        encode(empty, [])  # fastavro writes nothing
    with pytest.raises(av.AvroTypeError):
        encode({"type": "map", "values": "int"}, [])


@avrokit_only
def test_at_most_2_to_the_24_items_that_take_no_bytes():
    # one array block of 2**24 + 1 nulls (its count a zigzag varint), 5 bytes in all
    with pytest.raises(av.AvroError, match="more than the 16777216 allowed"):
        decode({"type": "array", "items": "null"}, b"\x82\x80\x80\x10\x00")


@avrokit_only
def test_an_empty_array_of_items_the_reader_cannot_read_reads():
    w = {"type": "array", "items": "int"}
    r = {"type": "array", "items": "string"}
    assert decode(w, b"\x00", r) == []  # fastavro: SchemaResolutionError


# --- found against python3-avro: 39, and the additions to 6 and 11 -----------------------------

@avrokit_only
@pytest.mark.parametrize("logical, raw, cause", [
    ({"type": "string", "logicalType": "uuid"}, "hello", "badly formed hexadecimal UUID"),
    ({"type": "int", "logicalType": "time-millis"}, 86400000 * 3, "hour must be in 0..23"),
    ({"type": "int", "logicalType": "date"}, 2932897, "date out of range"),
], ids=["uuid", "time", "date"])
def test_a_value_a_conversion_refuses_on_read_is_an_avro_error_naming_it(logical, raw, cause):
    """Written by another writer (or read through a reader schema that adds the logical
    type): fastavro raises the conversion's bare ValueError, avrokit an AvroError (a
    ValueError too) that says where, caused by it."""
    plain = {k: v for k, v in logical.items() if k != "logicalType"}
    w = {"type": "record", "name": "R", "fields": [
        {"name": "n", "type": "int"}, {"name": "v", "type": {"type": "array", "items": plain}}]}
    r = {"type": "record", "name": "R", "fields": [
        {"name": "n", "type": "int"}, {"name": "v", "type": {"type": "array", "items": logical}}]}
    good = UUID_TEXT if plain["type"] == "string" else 5
    with pytest.raises(av.AvroError, match=rf"field v\[1\]: {cause}") as e:
        decode(w, encode(w, {"n": 1, "v": [good, raw]}), r)
    assert type(e.value.__cause__) is ValueError and cause in str(e.value.__cause__)
    data = write_file(w, [{"n": 0, "v": []}, {"n": 1, "v": [good, raw]}])
    it = av.reader(io.BytesIO(data), r)
    assert next(it) == {"n": 0, "v": []}
    with pytest.raises(av.AvroError, match=rf"block 0 .*record 1: field v\[1\]: {cause}"):
        next(it)
    # the file's own schema says so: the same
    header = container_file(r, [[encode(w, {"n": 1, "v": [good, raw]})]])
    with pytest.raises(av.AvroError, match=rf"record 0: field v\[1\]: {cause}"):
        read_file(header)


@avrokit_only
@pytest.mark.parametrize("bad", [
    {"precision": 2, "scale": 3}, {"precision": 4, "scale": -1}, {"precision": "4"},
    {"precision": 4.0}, {"precision": 0}, {"scale": 2},
], ids=["scale-over", "scale-negative", "precision-str", "precision-float", "precision-0",
        "no-precision"])
def test_a_file_schema_with_an_invalid_decimal_is_read(bad):
    """The specification: a logical type whose parameters are invalid is ignored, and the
    value read as its type; python-avro writes and reads such files, Java reads them.
    fastavro's reader (and avrokit's parse_schema, given such a schema) refuses them."""
    d = dict({"type": "bytes", "logicalType": "decimal"}, **bad)
    s = {"type": "record", "name": "R", "fields": [{"name": "d", "type": d}]}
    plain = {"type": "record", "name": "R", "fields": [{"name": "d", "type": "bytes"}]}
    data = container_file(s, [[encode(plain, {"d": b"\x01"})]])
    r, records = read_file(data)
    assert records == [{"d": b"\x01"}] and r.writer_schema["fields"][0]["type"] == d
    assert [list(b) for b in av.block_reader(io.BytesIO(data))] == [[{"d": b"\x01"}]]
    if bad.get("precision"):  # (parse_schema passes a precision of 0 or none, as fastavro's)
        with pytest.raises(av.SchemaParseException, match="decimal"):
            av.parse_schema(s)
    # a fixed too small for its precision, the same
    f = {"type": "fixed", "name": "F", "size": 2, "logicalType": "decimal", "precision": 10}
    fs = {"type": "record", "name": "R", "fields": [{"name": "d", "type": f}]}
    data = container_file(fs, [[b"\x01\x02"]])
    assert read_file(data)[1] == [{"d": b"\x01\x02"}]


@avrokit_only
def test_a_file_schema_with_aliases_that_name_nothing_is_read(tmp_path):
    """Empty aliases, and ones that start or end with a dot, which python-avro writes:
    nothing can have such a name, so they are left out; the other aliases still work."""
    s = {"type": "record", "name": "R", "aliases": ["", ".a", "a.", "Old"], "fields": [
        {"name": "f", "type": "int", "aliases": ["", "g"]}]}
    data = container_file(s, [[encode("int", 1)], [encode("int", 2)]])
    assert read_file(data)[1] == [{"f": 1}, {"f": 2}]
    # appended to (the file's schema, leniently), and read with a reader schema that
    # renames both through their aliases
    path = tmp_path / "a.avro"
    path.write_bytes(data)
    with open(path, "a+b") as fo:
        av.writer(fo, None, [{"f": 3}])
    reader = {"type": "record", "name": "New", "aliases": ["R"], "fields": [
        {"name": "h", "type": "int", "aliases": ["f"]}]}
    with open(path, "rb") as fo:
        assert list(av.reader(fo, reader)) == [{"h": 1}, {"h": 2}, {"h": 3}]
