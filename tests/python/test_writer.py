# SPDX-License-Identifier: Apache-2.0
"""writer and schemaless_writer: every keyword of fastavro 1.12, and appending ("a+b")."""

import io

import pytest

from support import (ALL_CODECS, av, avrokit_only, codec_problem, encode, need_codec, read_file,
                     stopped_midway, validation_mod, write_file, write_mod)

SCHEMA = {"type": "record", "name": "R", "namespace": "n",
          "fields": [{"name": "a", "type": "int"}, {"name": "s", "type": "string"}]}
RECORDS = [{"a": i, "s": "x" * (i % 7)} for i in range(200)]
MARKER = bytes(range(16))


def blocks_of(data):
    return list(av.block_reader(io.BytesIO(data)))


def test_sync_marker_is_used():
    data = write_file(SCHEMA, RECORDS, sync_marker=MARKER)
    assert data.endswith(MARKER)
    assert data.count(MARKER) == 2  # after the header and after the one block


def test_random_sync_marker_by_default():
    a = write_file(SCHEMA, RECORDS)
    b = write_file(SCHEMA, RECORDS)
    assert a[-16:] != b[-16:]
    assert a.count(a[-16:]) == 2


def test_same_input_same_bytes():
    assert write_file(SCHEMA, RECORDS, sync_marker=MARKER) == \
        write_file(SCHEMA, RECORDS, sync_marker=MARKER)


def test_header_layout():
    data = write_file(SCHEMA, [], sync_marker=MARKER, metadata={"k": "v"})
    assert data[:4] == b"Obj\x01"
    assert data.endswith(MARKER)
    r = av.reader(io.BytesIO(data))
    assert set(r.metadata) == {"avro.schema", "avro.codec", "k"}


def test_records_in_a_block_are_the_schemaless_encodings():
    data = write_file(SCHEMA, RECORDS[:3], sync_marker=MARKER)
    body = b"".join(encode(SCHEMA, r) for r in RECORDS[:3])
    # count 3, size, the records, the marker
    assert data.endswith(b"\x06" + encode("long", len(body)) + body + MARKER)


def test_sync_interval_splits_blocks_like_fastavro():
    """A block is closed as soon as its records reach sync_interval bytes."""
    interval = 100
    data = write_file(SCHEMA, RECORDS, sync_interval=interval)
    sizes = [len(encode(SCHEMA, r)) for r in RECORDS]
    blocks = blocks_of(data)
    assert len(blocks) > 5
    i = 0
    for blk in blocks[:-1]:
        part = sizes[i:i + blk.num_records]
        assert sum(part) >= interval
        assert sum(part[:-1]) < interval
        i += blk.num_records
    assert i + blocks[-1].num_records == len(RECORDS)
    assert read_file(data)[1] == RECORDS


def test_default_sync_interval_is_16000_bytes():
    recs = [{"a": 1, "s": "y" * 998} for _ in range(40)]  # 1002 bytes each
    blocks = blocks_of(write_file(SCHEMA, recs))
    assert [b.num_records for b in blocks] == [16, 16, 8]


def test_metadata_keys_and_values():
    meta = {"one": "1", "empty": "", "utf8": "ø☃", "user.avro": "x"}
    r, recs = read_file(write_file(SCHEMA, RECORDS, metadata=meta))
    for k, v in meta.items():
        assert r.metadata[k] == v
    assert recs == RECORDS


@avrokit_only
def test_metadata_keys_of_avro_are_refused():
    """A difference from fastavro, which writes any key: the specification reserves keys
    that start with "avro." for Avro itself, and Java's writer refuses them; so does
    avrokit's, rather than write a file whose "avro.*" entries mean nothing to Avro."""
    with pytest.raises(ValueError, match="avro.user"):
        write_file(SCHEMA, RECORDS, metadata={"one": "1", "avro.user": "x"})


@pytest.mark.parametrize("interval", [0, -5, 1, 1.5])
def test_sync_interval_below_a_record_gives_a_block_per_record(interval):
    """fastavro ends a block once it holds int(sync_interval) bytes or more."""
    data = write_file(SCHEMA, RECORDS[:4], sync_interval=interval)
    assert [b.num_records for b in blocks_of(data)] == [1, 1, 1, 1]
    assert read_file(data)[1] == RECORDS[:4]


def test_metadata_cannot_set_the_codec_or_schema():
    meta = {"avro.codec": "deflate", "avro.schema": '"int"', "k": "v"}
    r, recs = read_file(write_file(SCHEMA, RECORDS[:3], metadata=meta))
    assert r.codec == "null" and r.metadata["avro.codec"] == "null"
    assert r.writer_schema["name"] == "n.R"
    assert recs == RECORDS[:3]


def test_metadata_dict_is_not_required():
    r, _ = read_file(write_file(SCHEMA, RECORDS, metadata=None))
    assert set(r.metadata) == {"avro.schema", "avro.codec"}


@pytest.mark.parametrize("codec", ALL_CODECS)
def test_codec(codec):
    need_codec(codec)
    data = write_file(SCHEMA, RECORDS, codec=codec, sync_interval=500)
    r, recs = read_file(data)
    assert recs == RECORDS
    assert r.codec == codec
    assert all(b.codec == codec for b in blocks_of(data))


def test_codecs_compress():
    recs = [{"a": 1, "s": "compressible " * 20}] * 50
    plain = len(write_file(SCHEMA, recs))
    for codec in ALL_CODECS[1:]:
        if codec_problem(codec) is None:
            assert len(write_file(SCHEMA, recs, codec=codec)) < plain / 4, codec


@avrokit_only
def test_avrokit_has_the_required_codecs():
    """zlib and snappy are required dependencies of the library (README: Building)."""
    assert [c for c in ("null", "deflate", "snappy") if codec_problem(c)] == []


def test_unknown_codec_is_value_error():
    with pytest.raises(ValueError):
        write_file(SCHEMA, RECORDS, codec="nope")


@pytest.mark.parametrize("codec", ALL_CODECS)
def test_codec_compression_level_accepted(codec):
    need_codec(codec)
    data = write_file(SCHEMA, RECORDS, codec=codec, codec_compression_level=1)
    assert read_file(data)[1] == RECORDS


def test_deflate_compression_level_changes_output():
    import random
    rnd = random.Random(5)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    recs = [{"a": i, "s": " ".join(rnd.choice(words) for _ in range(30))} for i in range(300)]
    fast = write_file(SCHEMA, recs, codec="deflate", codec_compression_level=1,
                      sync_marker=MARKER)
    best = write_file(SCHEMA, recs, codec="deflate", codec_compression_level=9,
                      sync_marker=MARKER)
    assert len(best) < len(fast)
    assert read_file(fast)[1] == read_file(best)[1] == recs


def test_zstandard_compression_level_changes_output():
    need_codec("zstandard")
    recs = [{"a": i, "s": f"value {i * 7919 % 1000} " * 5} for i in range(500)]
    low = write_file(SCHEMA, recs, codec="zstandard", codec_compression_level=1)
    high = write_file(SCHEMA, recs, codec="zstandard", codec_compression_level=19)
    assert len(high) < len(low)
    assert read_file(high)[1] == recs


def test_records_from_a_generator():
    data = write_file(SCHEMA, (r for r in RECORDS))
    assert read_file(data)[1] == RECORDS


@pytest.mark.parametrize("schema", [SCHEMA, "string"])
def test_records_given_as_a_dict_is_value_error(schema):
    """One record passed for the list of them is refused before anything is written, as
    fastavro refuses it: not taken for an iterable of its keys (which a string schema
    wrote)."""
    out = io.BytesIO()
    with pytest.raises(ValueError, match='^"records" argument should be an iterable, not '
                                         'dict$'):
        av.writer(out, schema, {"a": 1, "s": ""})
    assert out.getvalue() == b""


def test_parsed_schema_accepted():
    parsed = av.parse_schema(SCHEMA)
    assert read_file(write_file(parsed, RECORDS))[1] == RECORDS


def test_schema_stored_without_parse_marks():
    import json
    parsed = av.parse_schema(SCHEMA)
    r, _ = read_file(write_file(parsed, RECORDS))
    stored = json.loads(r.metadata["avro.schema"])
    assert not any(k.startswith("__") for k in stored)
    assert stored["fields"] == SCHEMA["fields"]


def test_primitive_top_level_schema():
    assert read_file(write_file("long", [1, -2, 2**62]))[1] == [1, -2, 2**62]
    assert read_file(write_file(["null", "string"], [None, "s"]))[1] == [None, "s"]


# --- validator ---------------------------------------------------------------------------

def test_validator_accepts_good_records():
    assert read_file(write_file(SCHEMA, RECORDS, validator=True))[1] == RECORDS


@pytest.mark.parametrize("bad", [
    {"a": "1", "s": ""},
    {"a": 2**31, "s": ""},
    {"a": 1, "s": b"bytes"},
    {"a": True, "s": ""},
    {"s": ""},
])
def test_validator_rejects_bad_record(bad):
    with pytest.raises(validation_mod.ValidationError) as ei:
        write_file(SCHEMA, RECORDS[:3] + [bad], validator=True)
    assert ei.value.errors
    assert "n.R.a" in str(ei.value) or "n.R.s" in str(ei.value)


# --- strict, strict_allow_default, disable_tuple_notation ----------------------------------

DEFAULTED = {"type": "record", "name": "D", "fields": [
    {"name": "a", "type": "int"},
    {"name": "b", "type": "int", "default": 5},
    {"name": "c", "type": ["null", "string"]}]}


@pytest.mark.parametrize("write", ["file", "schemaless"])
def test_strict(write):
    def w(rec, **kw):
        return write_file(DEFAULTED, [rec], **kw) if write == "file" else \
            encode(DEFAULTED, rec, **kw)
    w({"a": 1, "b": 2, "c": None}, strict=True)
    with pytest.raises(ValueError):
        w({"a": 1, "b": 2}, strict=True)  # c missing, even though nullable
    with pytest.raises(ValueError):
        w({"a": 1, "c": None}, strict=True)  # b missing, even though defaulted
    with pytest.raises(ValueError, match="more fields than the schema specifies: extra$"):
        w({"a": 1, "b": 2, "c": None, "extra": 0}, strict=True)
    w({"a": 1})  # not strict: b from its default, c null


@pytest.mark.parametrize("write", ["file", "schemaless"])
def test_strict_allow_default(write):
    def w(rec, **kw):
        return write_file(DEFAULTED, [rec], **kw) if write == "file" else \
            encode(DEFAULTED, rec, **kw)
    w({"a": 1, "c": None}, strict_allow_default=True)  # b has a default
    with pytest.raises(ValueError):
        w({"a": 1, "b": 2}, strict_allow_default=True)  # c has none
    with pytest.raises(ValueError, match="more fields than the schema specifies: extra$"):
        w({"a": 1, "c": None, "extra": 0}, strict_allow_default=True)


def test_defaults_filled_in_when_not_strict():
    assert av.schemaless_reader(io.BytesIO(encode(DEFAULTED, {"a": 1})), DEFAULTED) == \
        {"a": 1, "b": 5, "c": None}


def test_missing_field_without_default_is_value_error():
    with pytest.raises(ValueError):
        encode(DEFAULTED, {"b": 1})


A = {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]}
TUPLE_OR_A = ["null", {"type": "array", "items": ["string", "int"]}, A]


def test_tuple_notation_and_disable_tuple_notation_in_writer():
    schema = {"type": "record", "name": "T", "fields": [{"name": "u", "type": TUPLE_OR_A}]}
    rec = {"u": ("A", {"x": 1})}
    assert read_file(write_file(schema, [rec]))[1] == [{"u": {"x": 1}}]
    rec = {"u": ("A", 7)}
    data = write_file(schema, [rec], disable_tuple_notation=True)
    assert read_file(data)[1] == [{"u": ["A", 7]}]


# --- appending ------------------------------------------------------------------------------

def test_append_a_plus_b(tmp_path):
    p = tmp_path / "f.avro"
    with open(p, "wb") as f:
        av.writer(f, SCHEMA, RECORDS[:50], codec="deflate", metadata={"k": "v"})
    first = p.read_bytes()
    with open(p, "a+b") as f:
        av.writer(f, None, RECORDS[50:120])
    with open(p, "a+b") as f:
        av.writer(f, SCHEMA, RECORDS[120:])  # a schema given when appending is not used
    data = p.read_bytes()
    assert data.startswith(first)
    r, recs = read_file(data)
    assert recs == RECORDS
    assert r.codec == "deflate"
    assert r.metadata["k"] == "v"
    blocks = blocks_of(data)
    assert [b.num_records for b in blocks] == [50, 70, 80]
    assert all(b.codec == "deflate" for b in blocks)
    assert data.count(first[-16:]) == 4  # the same sync marker throughout


def test_append_to_bytesio():
    buf = io.BytesIO()
    av.writer(buf, SCHEMA, RECORDS[:10])
    av.writer(buf, None, RECORDS[10:20])  # still positioned at the end: appends
    assert read_file(buf.getvalue())[1] == RECORDS[:20]


def test_append_uses_the_files_schema(tmp_path):
    p = tmp_path / "f.avro"
    with open(p, "wb") as f:
        av.writer(f, SCHEMA, RECORDS[:2])
    other = {"type": "record", "name": "X", "fields": [{"name": "z", "type": "string"}]}
    with open(p, "a+b") as f:
        av.writer(f, other, [{"a": 7, "s": "t"}])
    assert read_file(p.read_bytes())[1] == RECORDS[:2] + [{"a": 7, "s": "t"}]


def test_append_in_ab_mode_is_value_error(tmp_path):
    p = tmp_path / "f.avro"
    with open(p, "wb") as f:
        av.writer(f, SCHEMA, RECORDS[:2])
    with open(p, "ab") as f:
        with pytest.raises(ValueError):
            av.writer(f, None, RECORDS[2:4])


def test_append_nothing_leaves_file_as_is(tmp_path):
    p = tmp_path / "f.avro"
    with open(p, "wb") as f:
        av.writer(f, SCHEMA, RECORDS[:2])
    before = p.read_bytes()
    with open(p, "a+b") as f:
        av.writer(f, None, [])
    assert p.read_bytes() == before


# --- schemaless_writer ----------------------------------------------------------------------

def test_schemaless_writer_appends_to_stream():
    buf = io.BytesIO()
    for r in RECORDS[:3]:
        av.schemaless_writer(buf, SCHEMA, r)
    buf.seek(0)
    assert [av.schemaless_reader(buf, SCHEMA) for _ in range(3)] == RECORDS[:3]


def test_schemaless_writer_to_file(tmp_path):
    p = tmp_path / "one.bin"
    with open(p, "wb") as f:
        av.schemaless_writer(f, SCHEMA, RECORDS[4])
    assert p.read_bytes() == b"\x08\x08xxxx"


class _Stop(Exception):
    pass


def _until(n, bad=None):
    for i in range(n):
        yield {"a": i, "s": "x" * 8}
    if bad is None:
        raise _Stop
    yield bad


@pytest.mark.parametrize("codec", ["null", "deflate"])
@pytest.mark.parametrize("bad", [None, {"a": "x", "s": ""}])
def test_writer_stopped_midway_leaves_the_blocks_before(codec, bad):
    """records that raise midway, or a record that does not fit, stop writer(): the blocks
    ended before are in the file (fastavro's: up to the last one it filled), also those a
    compression thread had not handed to write() yet."""
    out = io.BytesIO()
    with pytest.raises(_Stop if bad is None else (TypeError, ValueError)):
        av.writer(out, SCHEMA, _until(5000, bad), codec=codec, sync_interval=1000)
    got = read_file(out.getvalue())[1]
    assert got == [{"a": i, "s": "x" * 8} for i in range(len(got))]
    assert 5000 - 100 <= len(got) <= 5000  # a block holds 84 of them


@avrokit_only
def test_writer_stopped_midway_writes_every_record_before():
    out = io.BytesIO()
    with pytest.raises(_Stop):
        av.writer(out, SCHEMA, _until(5000), codec="deflate", sync_interval=1000)
    assert len(read_file(out.getvalue())[1]) == 5000


@avrokit_only
def test_writer_whose_write_failed_does_not_write_again():
    calls = []

    class Failing:
        def write(self, b):
            calls.append(len(b))
            if len(calls) == 3:
                raise OSError("disk full")
            return len(b)
    with pytest.raises(OSError, match="disk full"):
        av.writer(Failing(), SCHEMA, _until(5000), codec="deflate", sync_interval=1000)
    assert len(calls) == 3


@pytest.mark.parametrize("codec", ["null", "deflate"])
def test_a_write_that_keeps_its_chunks_gets_its_own_bytes(codec):
    """A file object whose write() keeps what it is given (a list of chunks) finds the file
    it was written whole afterwards: the chunks are not views of a buffer reused since. A
    subclass of BytesIO counts as such an object (its write() may do anything)."""
    records = [{"a": i, "s": "s" * (i % 50)} for i in range(3000)]

    class Chunks:
        def __init__(self):
            self.chunks = []

        def seekable(self):  # fastavro calls these two
            return False

        def flush(self):
            pass

        def write(self, b):
            self.chunks.append(b)
            return len(b)

    class KeepingBytesIO(io.BytesIO):
        def __init__(self):
            super().__init__()
            self.chunks = []

        def write(self, b):
            self.chunks.append(b)
            return super().write(b)

    for fo in (Chunks(), KeepingBytesIO()):
        av.writer(fo, SCHEMA, records, codec=codec, sync_interval=1000)
        assert len(fo.chunks) > 10
        assert read_file(b"".join(fo.chunks))[1] == records


@avrokit_only
def test_a_write_that_writes_part_is_given_the_rest():
    """A raw file's write() may take less than it is given (io.RawIOBase); the rest goes to
    the next call, so nothing is lost. One that says it wrote nothing is an OSError, not an
    endless loop; one that returns None or more than it was given took it all (fastavro
    never looks at what write() returns)."""
    records = [{"a": i, "s": "s" * (i % 50)} for i in range(2000)]

    class Trickle:
        def __init__(self):
            self.out = bytearray()
            self.calls = 0

        def write(self, b):
            self.calls += 1
            self.out += bytes(b[:97])
            return min(len(b), 97)

    t = Trickle()
    av.writer(t, SCHEMA, records, codec="deflate")
    assert t.calls > 20  # a few blocks, each in parts
    assert read_file(bytes(t.out))[1] == records

    class Sloppy:  # returns what it holds in all, not what it took
        def __init__(self):
            self.out = bytearray()

        def write(self, b):
            self.out += b
            return len(self.out)

    s = Sloppy()
    av.writer(s, SCHEMA, records)
    assert read_file(bytes(s.out))[1] == records


@avrokit_only
def test_a_write_that_writes_nothing_is_an_oserror():
    class Stuck:
        def write(self, b):
            return 0

    with pytest.raises(OSError, match=r"^write\(\) wrote 0 of \d+ bytes$"):
        av.writer(Stuck(), SCHEMA, RECORDS)


@avrokit_only
def test_a_signal_interrupts_writing_a_list():
    """writer() walks a list of records without running Python code in between, so it looks
    for signals itself (every 1024 records): the handler's exception (Ctrl-C's
    KeyboardInterrupt) comes out in the middle, not after the last record."""
    records = [{"a": i, "s": "x" * (i % 50)} for i in range(300_000)]
    whole = io.BytesIO()
    av.writer(whole, SCHEMA, records)
    assert stopped_midway(io.BytesIO, lambda out: av.writer(out, SCHEMA, records),
                          lambda out: (len(out.getvalue()), len(whole.getvalue())))



@avrokit_only
@pytest.mark.parametrize("codec", ["null", "deflate"])
def test_a_writer_stops_at_a_failed_write(codec):
    """A write() that failed may have written part of a block: the Writer writes nothing
    more, even to a file object that would take it now, and every later call raises the
    error again, saying so (it used to write the next blocks after the gap, or the failed
    block again)."""
    class Flaky:
        def __init__(self):
            self.calls = 0

        def write(self, b):
            self.calls += 1
            if self.calls == 2:
                raise OSError("disk full")  # once: it would work afterwards
            return len(b)
    f = Flaky()
    w = write_mod.Writer(f, SCHEMA, codec=codec, sync_interval=100)
    with pytest.raises(OSError, match="disk full"):
        for i in range(5000):
            w.write({"a": i, "s": "x"})
    calls = f.calls
    for call in (lambda: w.write({"a": 1, "s": ""}), w.flush):
        with pytest.raises(OSError, match="^an earlier error stopped the writer: "):
            call()
    assert f.calls == calls


@pytest.mark.parametrize("codec", ["null", "deflate"])
def test_writer_block_count_is_the_open_blocks_records(codec):
    # fastavro's Writer.block_count: records in the open block, 0 again when it ends by
    # sync_interval or flush (a loop writing "until block_count == 0" to split a file
    # relies on it; it used to count up to the next flush)
    buf = io.BytesIO()
    w = write_mod.Writer(buf, SCHEMA, codec=codec, sync_interval=50)
    counts = []
    for rec in RECORDS[:40]:
        w.write(rec)
        counts.append(w.block_count)
    assert 0 in counts and max(counts) < 40
    # each 0 is where a block ended: the records since the one before
    ends = [i for i, c in enumerate(counts) if c == 0]
    assert all(counts[i] == i - (max([e for e in ends if e < i], default=-1)) for i in
               range(40) if counts[i])
    w.write(RECORDS[40])
    w.flush()
    assert w.block_count == 0
    w.write(RECORDS[41])
    assert w.block_count == 1
    w.flush()
    buf.seek(0)
    assert list(av.reader(buf)) == RECORDS[:42]
    # every record a block of its own
    w = write_mod.Writer(io.BytesIO(), SCHEMA, sync_interval=0)
    for rec in RECORDS[:3]:
        w.write(rec)
        assert w.block_count == 0


@pytest.mark.parametrize("codec", ["null", "deflate", "zstandard"])
def test_writer_block_ended_is_in_the_file_when_write_returns(codec):
    # a program splitting its output by size looks at fo.tell() as blocks end (fastavro's
    # example); with a codec, avrokit's blocks used to land only when the next one ended
    need_codec(codec)
    buf = io.BytesIO()
    w = write_mod.Writer(buf, SCHEMA, codec=codec, sync_interval=0)
    sizes = [buf.tell()]
    for rec in RECORDS[:5]:
        w.write(rec)
        assert w.block_count == 0
        sizes.append(buf.tell())
        assert sizes[-1] > sizes[-2]
    w.flush()
    assert buf.tell() == sizes[-1]
    buf.seek(0)
    assert list(av.reader(buf)) == RECORDS[:5]
    # and with larger blocks: whenever block_count comes back to 0, the file has grown
    buf = io.BytesIO()
    w = write_mod.Writer(buf, SCHEMA, codec=codec, sync_interval=100)
    last, grown = buf.tell(), 0
    for rec in RECORDS:
        w.write(rec)
        if w.block_count == 0:
            assert buf.tell() > last
            last, grown = buf.tell(), grown + 1
        else:
            assert buf.tell() == last
    assert grown > 3
