# SPDX-License-Identifier: Apache-2.0
"""reader, block_reader and is_avro: attributes, iteration, naming options, Block objects."""

import gc
import io
import pickle

import pytest

from support import av, avrokit_only, encode, read_file, stopped_midway, write_file

SCHEMA = {"type": "record", "name": "R", "namespace": "n", "doc": "a record",
          "fields": [{"name": "a", "type": "int"}, {"name": "s", "type": "string"}]}
PARSED = {"type": "record", "name": "n.R", "doc": "a record",
          "fields": [{"name": "a", "type": "int"}, {"name": "s", "type": "string"}]}
RECORDS = [{"a": i, "s": "x" * (i % 7)} for i in range(100)]


def test_writer_schema_is_the_parsed_schema():
    r = av.reader(io.BytesIO(write_file(SCHEMA, RECORDS)))
    assert r.writer_schema == PARSED
    assert r.reader_schema is None


def test_reader_schema_attribute_is_parsed():
    reader_schema = {"type": "record", "name": "R", "namespace": "n",
                     "fields": [{"name": "a", "type": "long"}]}
    r = av.reader(io.BytesIO(write_file(SCHEMA, RECORDS)), reader_schema)
    assert r.reader_schema == {"type": "record", "name": "n.R",
                               "fields": [{"name": "a", "type": "long"}]}
    assert next(iter(r)) == {"a": 0}


def test_metadata_and_codec():
    data = write_file(SCHEMA, RECORDS, metadata={"k": "v", "unicode": "ø"})
    r = av.reader(io.BytesIO(data))
    assert r.codec == "null"
    assert r.metadata["k"] == "v"
    assert r.metadata["unicode"] == "ø"
    assert r.metadata["avro.codec"] == "null"
    assert isinstance(r.metadata["avro.schema"], str)
    import json
    assert json.loads(r.metadata["avro.schema"])["name"] == "R"


def test_fo_and_options_attributes():
    buf = io.BytesIO(write_file(SCHEMA, RECORDS))
    r = av.reader(buf, return_record_name=True, handle_unicode_errors="replace")
    assert r.fo is buf
    assert r.options == {"return_record_name": True, "return_record_name_override": False,
                         "handle_unicode_errors": "replace", "return_named_type": False,
                         "return_named_type_override": False}


def test_codec_attribute_deflate():
    r = av.reader(io.BytesIO(write_file(SCHEMA, RECORDS, codec="deflate")))
    assert r.codec == "deflate"
    assert r.metadata["avro.codec"] == "deflate"


def test_iteration_with_next():
    r = av.reader(io.BytesIO(write_file(SCHEMA, RECORDS)))
    assert next(r) == RECORDS[0]
    assert next(r) == RECORDS[1]
    assert list(r) == RECORDS[2:]
    with pytest.raises(StopIteration):
        next(r)


def test_iteration_is_single_pass():
    r = av.reader(io.BytesIO(write_file(SCHEMA, RECORDS)))
    assert list(r) == RECORDS
    assert list(r) == []


def test_reader_is_lazy():
    """The header is read at construction, records only when asked for.

    avrokit reads its input in pieces of 64 KiB or more, fastavro a block at a time: the
    file is made of many blocks and several times that size, so that neither has read all
    of it after the first record."""
    buf = io.BytesIO(write_file(SCHEMA, RECORDS * 1000, sync_interval=4000))
    assert len(buf.getvalue()) > 4 * 65536
    r = av.reader(buf)
    assert r.writer_schema == PARSED
    assert buf.tell() < len(buf.getvalue())
    assert next(r) == RECORDS[0]
    assert buf.tell() < len(buf.getvalue())


def test_reader_from_a_real_file(tmp_path):
    p = tmp_path / "f.avro"
    with open(p, "wb") as f:
        av.writer(f, SCHEMA, RECORDS)
    with open(p, "rb") as f:
        assert list(av.reader(f)) == RECORDS


def test_reader_reads_file_with_no_blocks():
    r, recs = read_file(write_file(SCHEMA, []))
    assert recs == []
    assert r.writer_schema == PARSED


def test_reader_many_blocks():
    data = write_file(SCHEMA, RECORDS, sync_interval=50)
    assert read_file(data)[1] == RECORDS


def test_reader_handle_unicode_errors():
    schema = {"type": "record", "name": "U", "fields": [{"name": "s", "type": "string"}]}
    data = write_file(schema, [{"s": "a~b"}])
    bad = data.replace(b"a~b", b"a\xffb")  # not UTF-8 any more
    with pytest.raises(UnicodeDecodeError):
        list(av.reader(io.BytesIO(bad)))
    assert list(av.reader(io.BytesIO(bad), handle_unicode_errors="replace")) == \
        [{"s": "a\ufffdb"}]
    assert list(av.reader(io.BytesIO(bad), handle_unicode_errors="ignore")) == [{"s": "ab"}]


# Short ASCII strings that repeat are made once and shared (see str_of() in _read.c); what
# is read must still be exactly what was written, whatever repeats, collides or is cut off.
WORDS = ["ab", "ba", "USA", "Portugal", "Springfield", "12345678", "87654321", "x" * 32,
         "y" * 33, "", "z", "\u00f8", "na\u00efve", "1234", "4321", "abcdefghi", "ihgfedcba"]
REPEATS = {"type": "record", "name": "Rep", "fields": [
    {"name": "c", "type": "string"},
    {"name": "u", "type": "string"},
    {"name": "m", "type": {"type": "map", "values": "int"}},
    {"name": "o", "type": ["null", "string"]},
    {"name": "a", "type": {"type": "array", "items": "string"}}]}


def repeated_records(count):
    n = len(WORDS)
    return [{"c": WORDS[i % n], "u": "user%d" % i,
             "m": {WORDS[(i + k) % n]: k for k in range(3)},
             "o": None if i % 5 == 0 else WORDS[(i * 7) % n],
             "a": [WORDS[(i * k) % n] for k in range(i % 4)] + ["%04d" % (i % 97)]}
            for i in range(count)]


def test_repeated_and_unique_strings_read_back_as_written():
    recs = repeated_records(3000)
    for codec in ("null", "deflate"):
        assert read_file(write_file(REPEATS, recs, codec=codec))[1] == recs
    s = av.parse_schema(REPEATS)
    assert [av.schemaless_reader(io.BytesIO(encode(REPEATS, r)), s) for r in recs] == recs


def test_repeated_bad_utf8_follows_the_error_handler_every_time():
    schema = {"type": "record", "name": "U", "fields": [{"name": "s", "type": "string"}]}
    bad = write_file(schema, [{"s": "a~b"}] * 600).replace(b"a~b", b"a\xffb")
    assert list(av.reader(io.BytesIO(bad), handle_unicode_errors="replace")) == \
        [{"s": "a\ufffdb"}] * 600
    with pytest.raises(UnicodeDecodeError):
        list(av.reader(io.BytesIO(bad)))


@avrokit_only
def test_a_repeated_short_ascii_string_is_one_object():
    recs = [{"c": "Portugal", "u": "user%d" % i, "m": {"key": i}, "o": "y" * 33,
             "a": ["na\u00efve"]} for i in range(2000)]
    got = read_file(write_file(REPEATS, recs))[1]
    assert got == recs
    assert len({id(r["c"]) for r in got}) == 1
    assert len({id(k) for r in got for k in r["m"]}) == 1
    # longer than 32 bytes, or not ASCII: made each time
    assert len({id(r["o"]) for r in got}) == len(got)
    assert len({id(r["a"][0]) for r in got}) == len(got)


def test_a_block_of_many_records_in_order():
    """avrokit decodes up to 1024 records of a block at a time: blocks of more than that,
    of exactly that and of one, all in order."""
    recs = [{"a": i, "s": str(i)} for i in range(3000)]
    for interval in (10 ** 9, 1, 1024 * 6):
        assert read_file(write_file(SCHEMA, recs, sync_interval=interval))[1] == recs


def bad_record_file(bad_at, count=100):
    schema = {"type": "record", "name": "U",
              "fields": [{"name": "i", "type": "int"}, {"name": "s", "type": "string"}]}
    recs = [{"i": i, "s": "a~b" if i == bad_at else "ok"} for i in range(count)]
    return write_file(schema, recs).replace(b"a~b", b"a\xffb"), recs


@pytest.mark.parametrize("bad_at", [0, 1, 50, 99])
def test_the_records_before_a_bad_one_come_first(bad_at):
    data, recs = bad_record_file(bad_at)
    got = []
    with pytest.raises(UnicodeDecodeError):
        for rec in av.reader(io.BytesIO(data)):
            got.append(rec)
    assert got == recs[:bad_at]


@avrokit_only
def test_a_bad_record_is_raised_again():
    """The library's reader stops at its first error and gives it again when asked; so does
    the Python reader (fastavro's generator is over instead)."""
    data, _ = bad_record_file(50)
    r = av.reader(io.BytesIO(data))
    with pytest.raises(UnicodeDecodeError):
        list(r)
    for _ in range(2):
        with pytest.raises(UnicodeDecodeError):
            next(r)


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_was(enabled):
    """avrokit pauses the collector while it builds the records of a block (they make no
    cycles): on or off, it is as the caller left it, after the records and after an error."""
    data = write_file(SCHEMA, RECORDS * 30)
    bad, _ = bad_record_file(50)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        for rec in av.reader(io.BytesIO(data)):
            assert gc.isenabled() == enabled
        with pytest.raises(UnicodeDecodeError):
            list(av.reader(io.BytesIO(bad)))
        assert gc.isenabled() == enabled
        for block in av.block_reader(io.BytesIO(data)):
            list(block)
            assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()


def test_records_of_many_values_are_not_decoded_far_ahead():
    """Iterating record by record holds little more than the block: avrokit's batches of up
    to 1024 records end sooner when the records hold many values (here 2,000 arrays of 1,000
    ints in one block: all of them at once would be some 70 MB of Python objects)."""
    import tracemalloc
    schema = {"type": "record", "name": "A",
              "fields": [{"name": "xs", "type": {"type": "array", "items": "long"}}]}
    recs = ({"xs": list(range(10 ** 6 + i, 10 ** 6 + i + 1000))} for i in range(2000))
    data = write_file(schema, recs, sync_interval=10 ** 9)
    n = 0
    tracemalloc.start()
    try:
        for rec in av.reader(io.BytesIO(data)):
            assert len(rec["xs"]) == 1000 and rec["xs"][0] == 10 ** 6 + n
            n += 1
            del rec
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == 2000
    assert peak < 16 * 2 ** 20, f"{peak / 2 ** 20:.1f} MiB held at once"


@avrokit_only
def test_the_garbage_collector_runs_while_python_code_makes_values(monkeypatch):
    """Decimals are made by the decimal module's Python-level calls, which may let other
    threads run: for such schemas the collector is not paused."""
    import decimal
    seen = []

    class Context(decimal.Context):
        def __init__(self, *a, **k):
            seen.append(gc.isenabled())
            super().__init__(*a, **k)

    schema = {"type": "record", "name": "D", "fields": [
        {"name": "d", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6,
                               "scale": 2}}]}
    data = write_file(schema, [{"d": decimal.Decimal("12.34")}] * 50)
    monkeypatch.setattr(decimal, "Context", Context)
    assert gc.isenabled()
    recs = list(av.reader(io.BytesIO(data)))
    assert recs == [{"d": decimal.Decimal("12.34")}] * 50
    assert len(seen) == 50 and all(seen)


def test_records_are_tracked_by_the_garbage_collector():
    """Built with the collector paused, the records are still containers it knows."""
    schema = {"type": "record", "name": "P", "fields": [
        {"name": "xs", "type": {"type": "array", "items": "int"}},
        {"name": "m", "type": {"type": "map", "values": {"type": "array", "items": "int"}}}]}
    recs = list(av.reader(io.BytesIO(write_file(schema, [{"xs": [1], "m": {"k": [2]}}] * 3))))
    assert all(gc.is_tracked(r) and gc.is_tracked(r["m"]) for r in recs)


# --- union naming options ---------------------------------------------------------------

A = {"type": "record", "name": "A", "namespace": "ns", "fields": [{"name": "x", "type": "int"}]}
B = {"type": "record", "name": "B", "namespace": "ns", "fields": [{"name": "y", "type": "string"}]}
E = {"type": "enum", "name": "E", "namespace": "ns", "symbols": ["P", "Q"]}
F = {"type": "fixed", "name": "F", "namespace": "ns", "size": 2}
ONE_RECORD = ["null", A]
TWO_RECORDS = ["null", A, "ns.B"]
NAMED = ["null", A, E, F, "int"]


def holder(union, *defs):
    """A record holding one field of the union, with named types defined before it."""
    fields = [{"name": f"def{i}", "type": d} for i, d in enumerate(defs)]
    return {"type": "record", "name": "Holder", "fields": fields + [{"name": "u", "type": union}]}


def read_union(union, values, defs=(), defvals=(), **kw):
    schema = holder(union, *defs)
    recs = [dict({f"def{i}": v for i, v in enumerate(defvals)}, u=v) for v in values]
    out = list(av.reader(io.BytesIO(write_file(schema, recs)), **kw))
    schemaless = [av.schemaless_reader(io.BytesIO(encode(schema, r)), schema, **kw)
                  for r in recs]
    assert out == schemaless, "reader and schemaless_reader agree"
    return [r["u"] for r in out]


BVAL = {"y": "s"}


@pytest.mark.parametrize("kw, expected", [
    ({}, [{"x": 1}, None]),
    ({"return_record_name": True}, [("ns.A", {"x": 1}), None]),
    ({"return_record_name": True, "return_record_name_override": True}, [{"x": 1}, None]),
    ({"return_named_type": True}, [("ns.A", {"x": 1}), None]),
    ({"return_named_type": True, "return_named_type_override": True}, [{"x": 1}, None]),
])
def test_one_record_union(kw, expected):
    assert read_union(ONE_RECORD, [{"x": 1}, None], **kw) == expected


@pytest.mark.parametrize("kw, expected", [
    ({}, [{"x": 1}, {"y": "s"}]),
    ({"return_record_name": True}, [("ns.A", {"x": 1}), ("ns.B", {"y": "s"})]),
    ({"return_record_name": True, "return_record_name_override": True},
     [("ns.A", {"x": 1}), ("ns.B", {"y": "s"})]),
    ({"return_named_type": True}, [("ns.A", {"x": 1}), ("ns.B", {"y": "s"})]),
    ({"return_named_type": True, "return_named_type_override": True},
     [("ns.A", {"x": 1}), ("ns.B", {"y": "s"})]),
])
def test_two_record_union_with_a_reference(kw, expected):
    assert read_union(TWO_RECORDS, [{"x": 1}, ("ns.B", BVAL)], defs=[B], defvals=[BVAL],
                      **kw) == expected


@pytest.mark.parametrize("kw, expected", [
    ({}, [{"x": 1}, "Q", b"ab", 5, None]),
    ({"return_record_name": True}, [("ns.A", {"x": 1}), "Q", b"ab", 5, None]),
    ({"return_record_name": True, "return_record_name_override": True},
     [{"x": 1}, "Q", b"ab", 5, None]),
    ({"return_named_type": True}, [("ns.A", {"x": 1}), ("ns.E", "Q"), ("ns.F", b"ab"), 5, None]),
    ({"return_named_type": True, "return_named_type_override": True},
     [("ns.A", {"x": 1}), ("ns.E", "Q"), ("ns.F", b"ab"), 5, None]),
    ({"return_named_type": True, "return_record_name": True},
     [("ns.A", {"x": 1}), ("ns.E", "Q"), ("ns.F", b"ab"), 5, None]),
])
def test_named_types_union(kw, expected):
    assert read_union(NAMED, [{"x": 1}, "Q", b"ab", 5, None], **kw) == expected


def test_named_type_override_with_one_named_type():
    union = ["null", E, "string"]
    assert read_union(union, ["P", "s"], return_named_type=True,
                      return_named_type_override=True) == ["P", "s"]
    assert read_union(union, ["P", "s"], return_named_type=True) == [("ns.E", "P"), "s"]


def test_return_record_name_outside_unions_changes_nothing():
    assert read_union(A, [{"x": 1}], return_record_name=True) == [{"x": 1}]


def test_return_record_name_output_can_be_written_back():
    values = read_union(TWO_RECORDS, [{"x": 1}, ("ns.B", BVAL)], defs=[B], defvals=[BVAL],
                        return_record_name=True)
    assert read_union(TWO_RECORDS, values, defs=[B], defvals=[BVAL]) == [{"x": 1}, BVAL]


def test_return_record_name_with_reader_schema_uses_reader_names():
    w = holder(["null", A])
    a2 = {"type": "record", "name": "A2", "namespace": "ns", "aliases": ["ns.A"],
          "fields": [{"name": "x", "type": "long"}]}
    r = holder(["null", a2])
    data = write_file(w, [{"u": {"x": 1}}])
    out = list(av.reader(io.BytesIO(data), r, return_record_name=True))
    assert out == [{"u": ("ns.A2", {"x": 1})}]


# --- block_reader -----------------------------------------------------------------------

def header_length(data):
    """The header ends with the sync marker, which the file's last 16 bytes repeat."""
    return data.index(data[-16:]) + 16


def test_block_reader_blocks():
    data = write_file(SCHEMA, RECORDS, sync_interval=100, sync_marker=b"M" * 16,
                      metadata={"k": "v"})
    br = av.block_reader(io.BytesIO(data))
    assert br.codec == "null"
    assert br.metadata["k"] == "v"
    assert br.writer_schema == PARSED
    assert br.reader_schema is None
    blocks = list(br)
    assert len(blocks) > 3
    offset = header_length(data)
    got = []
    for blk in blocks:
        assert blk.offset == offset
        assert blk.size > 16
        assert data[offset + blk.size - 16:offset + blk.size] == b"M" * 16
        offset += blk.size
        assert blk.codec == "null"
        assert blk.writer_schema == PARSED
        assert blk.reader_schema is None
        recs = list(blk)
        assert len(recs) == blk.num_records
        got += recs
    assert offset == len(data)
    assert got == RECORDS


def test_block_reader_deflate_and_reader_schema():
    reader_schema = {"type": "record", "name": "R", "namespace": "n",
                     "fields": [{"name": "s", "type": "bytes"}]}
    data = write_file(SCHEMA, RECORDS, codec="deflate", sync_interval=200)
    br = av.block_reader(io.BytesIO(data), reader_schema)
    blocks = list(br)
    assert len(blocks) > 1
    assert all(b.codec == "deflate" for b in blocks)
    assert blocks[0].reader_schema["name"] == "n.R"
    assert [r for b in blocks for r in b] == [{"s": r["s"].encode()} for r in RECORDS]


def test_block_reader_return_record_name():
    schema = holder(["null", A, "ns.B"], B)
    data = write_file(schema, [{"def0": BVAL, "u": {"x": 1}}])
    (blk,) = list(av.block_reader(io.BytesIO(data), return_record_name=True))
    assert list(blk) == [{"def0": BVAL, "u": ("ns.A", {"x": 1})}]


def test_block_reader_empty_file():
    assert list(av.block_reader(io.BytesIO(write_file(SCHEMA, [])))) == []


# --- is_avro ----------------------------------------------------------------------------

def test_is_avro_buffer():
    assert av.is_avro(io.BytesIO(write_file(SCHEMA, [])))
    assert not av.is_avro(io.BytesIO(b"Obj"))
    assert not av.is_avro(io.BytesIO(b""))
    assert not av.is_avro(io.BytesIO(b"PK\x03\x04zipfile"))
    assert not av.is_avro(io.BytesIO(encode(SCHEMA, RECORDS[3])))


def test_is_avro_path(tmp_path):
    good = tmp_path / "good.avro"
    good.write_bytes(write_file(SCHEMA, RECORDS))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"hello")
    assert av.is_avro(str(good))
    assert not av.is_avro(str(bad))


# --- schemaless_reader and its file object ----------------------------------------------------

def test_schemaless_reader_moves_a_bytesio_past_each_datum():
    data = b"".join(encode(SCHEMA, r) for r in RECORDS[:5]) + b"tail"
    buf = io.BytesIO(data)
    assert [av.schemaless_reader(buf, SCHEMA) for _ in range(5)] == RECORDS[:5]
    assert buf.read() == b"tail"


def test_schemaless_reader_from_a_bytesio_being_written():
    buf = io.BytesIO()
    for r in RECORDS[:3]:
        av.schemaless_writer(buf, SCHEMA, r)
    buf.seek(0)
    assert av.schemaless_reader(buf, SCHEMA) == RECORDS[0]
    pos = buf.tell()
    buf.seek(0, io.SEEK_END)
    av.schemaless_writer(buf, SCHEMA, RECORDS[3])  # writing after a read works
    buf.seek(pos)
    assert [av.schemaless_reader(buf, SCHEMA) for _ in range(3)] == RECORDS[1:4]


def test_schemaless_reader_at_the_end_of_a_bytesio_is_eof_error():
    buf = io.BytesIO(encode(SCHEMA, RECORDS[3]))
    buf.seek(0, io.SEEK_END)
    with pytest.raises(EOFError):
        av.schemaless_reader(buf, SCHEMA)
    buf.seek(100)  # beyond the end, as seek allows
    with pytest.raises(EOFError):
        av.schemaless_reader(buf, SCHEMA)
    assert buf.tell() == 100


def test_schemaless_reader_on_a_cut_datum_leaves_the_position():
    data = encode(SCHEMA, RECORDS[5])
    buf = io.BytesIO(data[:-1])
    with pytest.raises(EOFError):
        av.schemaless_reader(buf, SCHEMA)
    assert buf.tell() in (0, len(data) - 1)  # fastavro reads what it could


def test_schemaless_reader_on_a_closed_bytesio_is_value_error():
    buf = io.BytesIO(encode(SCHEMA, RECORDS[3]))
    buf.close()
    with pytest.raises(ValueError):
        av.schemaless_reader(buf, SCHEMA)


def test_schemaless_reader_from_a_bytesio_subclass():
    class Counting(io.BytesIO):
        reads = 0

        def read(self, *args):
            type(self).reads += 1
            return super().read(*args)
    buf = Counting(encode(SCHEMA, RECORDS[3]) + encode(SCHEMA, RECORDS[4]))
    assert av.schemaless_reader(buf, SCHEMA) == RECORDS[3]
    assert av.schemaless_reader(buf, SCHEMA) == RECORDS[4]
    assert buf.read() == b""


def test_schemaless_reader_from_a_stream_that_cannot_seek():
    class Stream(io.RawIOBase):
        def __init__(self, data):
            self.b = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, m):
            return self.b.readinto(m)
    data = b"".join(encode(SCHEMA, r) for r in RECORDS[:3]) + b"tail"
    s = Stream(data)
    assert [av.schemaless_reader(s, SCHEMA) for _ in range(3)] == RECORDS[:3]
    assert s.read() == b"tail"


def test_schemaless_reader_reads_a_large_datum_from_a_stream_in_few_calls():
    """A stream that cannot seek must not be read past the datum, but neither a byte at a
    time with the datum decoded again after each (quadratic: 100 KB took 4 s, 1 MB minutes):
    lengths are read first, then what they count."""
    schema = {"type": "record", "name": "Big", "fields": [
        {"name": "s", "type": "string"},
        {"name": "m", "type": {"type": "map", "values": ["null", "bytes"]}}]}
    record = {"s": "x" * 200_000, "m": {"k": b"y" * 100_000, "n": None}}

    class Stream(io.RawIOBase):
        def __init__(self, data):
            self.b = io.BytesIO(data)
            self.calls = 0

        def readable(self):
            return True

        def readinto(self, m):
            self.calls += 1
            assert self.calls < 1000, "read a byte at a time"
            return self.b.readinto(m)
    data = encode(schema, record)
    for s in (Stream(data + b"tail"), io.BufferedReader(Stream(data + b"tail"))):
        assert av.schemaless_reader(s, schema) == record
        assert s.read() == b"tail"


def test_reader_of_a_raw_io_subclass_that_defines_read_alone():
    """io.RawIOBase gives its subclasses a readinto() that raises NotImplementedError: one
    that defines read() alone (a common way to wrap a stream) is read with read()."""
    data = write_file(SCHEMA, RECORDS * 50)

    class Stream(io.RawIOBase):
        def __init__(self):
            self.b = io.BytesIO(data)

        def readable(self):
            return True

        def read(self, n=-1):
            return self.b.read(n)
    assert list(av.reader(Stream())) == RECORDS * 50


def test_schemaless_reader_from_an_object_with_only_read():
    class Source:
        def __init__(self, data):
            self.b = io.BytesIO(data)

        def read(self, n=-1):
            return self.b.read(n)
    s = Source(b"".join(encode(SCHEMA, r) for r in RECORDS[:3]) + b"tail")
    assert [av.schemaless_reader(s, SCHEMA) for _ in range(3)] == RECORDS[:3]
    assert s.read() == b"tail"


def test_schemaless_reader_from_a_real_file(tmp_path):
    p = tmp_path / "datums.bin"
    p.write_bytes(b"".join(encode(SCHEMA, r) for r in RECORDS) + b"tail")
    with open(p, "rb") as f:
        assert [av.schemaless_reader(f, SCHEMA) for _ in RECORDS] == RECORDS
        assert f.read() == b"tail"


@avrokit_only
@pytest.mark.parametrize("method, answer, match", [
    ("readinto", lambda b, m: len(m) + 1, r"^readinto\(\) returned too large a count$"),
    ("readinto", lambda b, m: -1, r"^readinto\(\) returned a negative count$"),
    ("read", lambda b, n: b.read(n) + bytes(n + 1), r"^read\(\) returned more than asked for$"),
    ("readinto", lambda b, m: None, r"^readinto\(\) returned None: the file object is "
     r"non-blocking and has nothing to read now \(give a blocking one\)$"),
    ("read", lambda b, n: None, r"^read\(\) returned None"),
])
def test_reader_refuses_a_file_object_that_reads_wrong(method, answer, match):
    """The checks of akpy_read_file(), which datums' reader shares (test_datums.py)."""
    b = io.BytesIO(write_file(SCHEMA, RECORDS))

    def m(self, arg):
        return answer(b, arg)
    m.__name__ = method
    methods = {"read": lambda self, n: pytest.fail("read() called"), method: m}
    fo = type("File", (), methods)()
    with pytest.raises(OSError, match=match):
        av.reader(fo)


@avrokit_only
def test_reader_takes_back_the_buffer_a_readinto_kept():
    """A readinto() that keeps the view it was given cannot write into the reader's buffer
    later: the view is released once the call returns."""
    kept = []
    b = io.BytesIO(write_file(SCHEMA, RECORDS))

    class File:
        def read(self, n):
            pytest.fail("read() called")

        def readinto(self, m):
            kept.append(m)
            return b.readinto(m)

    assert list(av.reader(File())) == RECORDS
    assert kept
    for m in kept:
        with pytest.raises(ValueError, match="released"):
            m[0] = 0


@avrokit_only
def test_reader_refuses_a_readinto_that_keeps_an_export_of_its_buffer():
    """An export of the view still open (what numpy.frombuffer() or a PickleBuffer holds)
    cannot be taken back: the read fails, naming the method, rather than leave the buffer
    writable."""
    exports = []
    b = io.BytesIO(write_file(SCHEMA, RECORDS))

    class File:
        def read(self, n):
            pytest.fail("read() called")

        def readinto(self, m):
            n = b.readinto(m)
            exports.append(pickle.PickleBuffer(m))  # holds a buffer export of m
            return n

    with pytest.raises(OSError, match=r"^readinto\(\) returned with the buffer it was given "
                                      r"still in use$"):
        av.reader(File())



@avrokit_only
@pytest.mark.parametrize("seekable", [True, False])
def test_schemaless_reader_refuses_a_non_blocking_stream_with_nothing_ready(seekable):
    class Stream(io.RawIOBase):
        def readable(self):
            return True

        def seekable(self):
            return seekable

        def seek(self, pos, whence=0):
            return 0

        def readinto(self, m):
            return None  # what a non-blocking raw file says when nothing is there

    with pytest.raises(BlockingIOError, match=r"^read\(\) returned None: the file object is "
                                              r"non-blocking"):
        av.schemaless_reader(Stream(), SCHEMA)


@avrokit_only
def test_a_signal_interrupts_list_of_a_reader():
    """list(reader) runs no Python code between records, so only the reader can see a
    signal (Ctrl-C) in time: the handler's exception comes out in the middle of the file,
    not after the last record, and the reader goes on from there afterwards."""
    records = [{"a": i, "s": "x" * (i % 50)} for i in range(200_000)]
    data = write_file(SCHEMA, records)

    def done(r):
        rest = list(r)
        assert rest == records[len(records) - len(rest):]
        return len(records) - len(rest), len(records)
    assert stopped_midway(lambda: av.reader(io.BytesIO(data)), list, done)
