# SPDX-License-Identifier: Apache-2.0
"""avrokit.datums: single messages and streams of them, bare, in single-object encoding and
in Confluent's wire format, with length prefixes; schemas by fingerprint, id and lookup;
errors that name the message; python3-avro's BinaryEncoder and BinaryDecoder, and the
command-line tool, on the other side.  avrokit's own API: fastavro has none (every test is
avrokit_only).
"""

import datetime
import decimal
import io
import json
import os
import struct
import subprocess
import uuid

import pytest

from support import IS_FASTAVRO, av, need_avrokit_cli, python_avro

pytestmark = pytest.mark.avrokit_only

if not IS_FASTAVRO:
    import avrokit.datums as datums

UTC = datetime.timezone.utc

SCHEMA = {
    "type": "record", "name": "Event", "namespace": "org.avrokit.datums",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "name", "type": "string"},
        {"name": "ok", "type": "boolean"},
        {"name": "score", "type": "double"},
        {"name": "raw", "type": "bytes"},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
        {"name": "note", "type": ["null", "string"]},
        {"name": "tags", "type": {"type": "array", "items": "int"}},
        {"name": "attrs", "type": {"type": "map", "values": "long"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "price", "type": {"type": "bytes", "logicalType": "decimal",
                                   "precision": 9, "scale": 2}},
        {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}},
    ],
}

POINT = {"type": "record", "name": "Point", "fields": [{"name": "x", "type": "int"}]}


def records(n=50):
    out = []
    for i in range(n):
        out.append({
            "id": i * 1000003 - (1 << 40), "name": "event %d é" % i, "ok": i % 2 == 0,
            "score": i / 7, "raw": bytes(range(i % 9)), "kind": "AB"[i % 2],
            "note": None if i % 3 else "n%d" % i, "tags": list(range(i % 4)),
            "attrs": {"k%d" % k: k << 33 for k in range(i % 3)},
            "day": datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            "at": datetime.datetime(2024, 6, 6, 14, 25, 27, 447000, tzinfo=UTC),
            "price": decimal.Decimal("%d.%02d" % (i, i % 100)),
            "uid": uuid.UUID(int=i * 7919),
        })
    return out


def kwargs(framing, schema=SCHEMA, sid=42):
    """The reader arguments that find @schema for @framing."""
    if framing == "single-object":
        return {"schemas": [schema]}
    if framing == "confluent":
        return {"schemas": {sid: schema}}
    return {"schema": schema}


@pytest.mark.parametrize("framing", ["none", "single-object", "confluent"])
@pytest.mark.parametrize("prefix", [None, "4be", "varint", "uvarint"])
def test_stream_round_trip(framing, prefix):
    recs = records()
    sid = 42 if framing == "confluent" else None
    buf = io.BytesIO()
    assert datums.writer(buf, SCHEMA, recs, framing=framing, schema_id=sid,
                         length_prefix=prefix) == len(recs)
    data = buf.getvalue()
    # from a file object and from bytes
    assert list(datums.reader(io.BytesIO(data), framing=framing, length_prefix=prefix,
                              **kwargs(framing))) == recs
    r = datums.reader(memoryview(data), framing=framing, length_prefix=prefix,
                      **kwargs(framing))
    assert list(r) == recs
    m = r.message
    assert m.index == len(recs) - 1 and m.offset + m.size == len(data)
    assert m.schema is SCHEMA
    # one message at a time
    one = datums.encode(recs[3], SCHEMA, framing=framing, schema_id=sid, length_prefix=prefix)
    assert datums.decode(one, framing=framing, length_prefix=prefix,
                         **kwargs(framing)) == recs[3]


def test_headers_as_the_framings_define_them():
    rec = records(1)[0]
    bare = datums.encode(rec, SCHEMA)
    # a bare datum is what schemaless_writer writes
    out = io.BytesIO()
    av.schemaless_writer(out, av.parse_schema(SCHEMA), rec)
    assert bare == out.getvalue()
    so = datums.encode(rec, SCHEMA, framing="single-object")
    fp = datums.schema_fingerprint(SCHEMA)
    assert so == b"\xc3\x01" + struct.pack("<Q", fp) + bare
    # fastavro-style fingerprint: the same 8 bytes, little-endian, in hex (as fastavro and
    # `avrokit fingerprint` print them)
    canonical = av.schema.to_parsing_canonical_form(av.parse_schema(SCHEMA))
    assert bytes.fromhex(av.schema.fingerprint(canonical, "CRC-64-AVRO")) == struct.pack("<Q", fp)
    cf = datums.encode(rec, SCHEMA, framing="confluent", schema_id=258)
    assert cf == b"\x00\x00\x00\x01\x02" + bare
    assert datums.encode(rec, SCHEMA, length_prefix="4be") == struct.pack(">I", len(bare)) + bare
    assert datums.encode(7, "long", length_prefix="varint") == b"\x02\x0e"
    assert datums.encode(7, "long", length_prefix="uvarint") == b"\x01\x0e"


def test_each_message_with_the_schema_of_its_fingerprint_or_id():
    recs = records(3)
    data = (datums.encode(recs[0], SCHEMA, framing="single-object") +
            datums.encode({"x": 5}, POINT, framing="single-object") +
            datums.encode(recs[1], SCHEMA, framing="single-object"))
    r = datums.reader(data, framing="single-object", schemas=[POINT, SCHEMA])
    assert next(r) == recs[0] and r.message.schema is SCHEMA
    assert next(r) == {"x": 5} and r.message.schema is POINT
    assert r.message.key == datums.schema_fingerprint(POINT)
    assert next(r) == recs[1]
    # Confluent: ids in a dict, or a function of the id, asked once per id
    data = (datums.encode({"x": 1}, POINT, framing="confluent", schema_id=7) +
            datums.encode(recs[2], SCHEMA, framing="confluent", schema_id=9) +
            datums.encode({"x": 2}, POINT, framing="confluent", schema_id=7))
    assert list(datums.reader(data, framing="confluent", schemas={7: POINT, 9: SCHEMA})) == \
        [{"x": 1}, recs[2], {"x": 2}]
    asked = []

    def registry(sid):
        asked.append(sid)
        return {7: POINT, 9: SCHEMA}.get(sid)
    assert list(datums.reader(data, framing="confluent", schemas=registry)) == \
        [{"x": 1}, recs[2], {"x": 2}]
    assert asked == [7, 9]
    # one schema without an id reads every id
    assert list(datums.reader(data[:6], framing="confluent", schema=POINT)) == [{"x": 1}]


def test_unknown_fingerprint_or_id_names_it_after_the_records_before():
    recs = records(2)
    data = (datums.encode(recs[0], SCHEMA, framing="confluent", schema_id=1) +
            datums.encode(recs[1], SCHEMA, framing="confluent", schema_id=2))
    r = datums.reader(data, framing="confluent", schemas={1: SCHEMA})
    assert next(r) == recs[0]
    off = r.message.size
    with pytest.raises(datums.UnknownSchemaError) as e:
        next(r)
    assert isinstance(e.value, av.AvroError)
    assert f"record 1 (offset {off})" in str(e.value) and "schema id 2" in str(e.value)
    so = datums.encode({"x": 1}, POINT, framing="single-object")
    with pytest.raises(datums.UnknownSchemaError, match=so[2:10].hex()):
        datums.decode(so, framing="single-object", schemas=[SCHEMA])
    # an exception in the lookup function comes through
    with pytest.raises(KeyError):
        datums.decode(data, framing="confluent", schemas=lambda sid: {}[sid])


def test_bad_messages():
    rec = records(1)[0]
    msg = datums.encode(rec, SCHEMA, framing="single-object")
    with pytest.raises(av.AvroEOFError) as e:
        datums.decode(msg[:-3], framing="single-object", schemas=[SCHEMA])
    assert isinstance(e.value, EOFError) and "record 0 (offset 0)" in str(e.value)
    with pytest.raises(av.AvroError, match="expected the single-object marker C3 01, found 00"):
        datums.decode(b"\x00" + msg[1:], framing="single-object", schemas=[SCHEMA])
    with pytest.raises(av.AvroError, match="bytes after the message"):
        datums.decode(msg + b"\x00", framing="single-object", schemas=[SCHEMA])
    with pytest.raises(av.AvroError, match="left over in the message"):
        datums.decode(b"\x00\x00\x00\x03\x0e\x00\x00", schema="long", length_prefix="4be")
    with pytest.raises(av.AvroEOFError):
        datums.decode(b"", schema="long")
    with pytest.raises(ValueError, match="framing"):
        datums.reader(b"", schema="long", framing="kafka")
    with pytest.raises(ValueError, match="schema_id"):
        datums.encode(1, "long", framing="confluent")
    with pytest.raises(ValueError, match="one schema"):
        datums.reader(b"", framing="none", schemas=["long"])
    with pytest.raises(av.AvroError):
        datums.encode("x", "long")  # the encoder's error, as schemaless_writer's


def test_reader_schema_and_options():
    v2 = {"type": "record", "name": "Point", "fields": [
        {"name": "x", "type": "double"}, {"name": "y", "type": "int", "default": 3}]}
    data = datums.encode({"x": 5}, POINT, framing="single-object")
    assert datums.decode(data, framing="single-object", schemas=[POINT],
                         reader_schema=v2) == {"x": 5.0, "y": 3}
    with pytest.raises(av.SchemaResolutionError):
        datums.decode(data, framing="single-object", schemas=[POINT], reader_schema="string")
    u = ["null", POINT]
    assert datums.decode(datums.encode({"x": 1}, u), schema=u,
                         return_record_name=True) == ("Point", {"x": 1})
    dec = datums.Decoder(framing="single-object", schemas=[POINT])
    assert [dec.decode(datums.encode({"x": i}, POINT, framing="single-object"))
            for i in range(3)] == [{"x": 0}, {"x": 1}, {"x": 2}]
    assert dec.message.index == 0  # each decode is an input of its own
    enc = datums.Encoder(POINT, framing="confluent", schema_id=3, length_prefix="uvarint")
    assert enc.encode({"x": 1}) == b"\x06\x00\x00\x00\x00\x03\x02"


def test_python_avro_binary_encoder_and_decoder():
    avro = python_avro()
    import avro.io
    import avro.schema

    schema = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "long"}, {"name": "b", "type": ["null", "string"]},
        {"name": "c", "type": {"type": "map", "values": "bytes"}}]}
    recs = [{"a": i - 5, "b": None if i % 2 else "s%d" % i, "c": {"k": bytes([i])}}
            for i in range(10)]
    parsed = avro.schema.parse(json.dumps(schema))
    w = avro.io.DatumWriter(parsed)
    out = io.BytesIO()
    for rec in recs:
        body = io.BytesIO()
        w.write(rec, avro.io.BinaryEncoder(body))
        out.write(b"\x00" + struct.pack(">I", 11) + body.getvalue())
    assert list(datums.reader(out.getvalue(), framing="confluent", schemas={11: schema})) == recs
    data = io.BytesIO()
    datums.writer(data, schema, recs)
    data.seek(0)
    r = avro.io.DatumReader(parsed)
    assert [r.read(avro.io.BinaryDecoder(data)) for _ in recs] == recs
    assert data.read() == b""


def test_the_command_line_tool_reads_and_writes_the_same_messages(tmp_path):
    cli = need_avrokit_cli()
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "long"}, {"name": "b", "type": "string"}]}
    (tmp_path / "r.avsc").write_text(json.dumps(schema))
    recs = [{"a": i, "b": "x" * i} for i in range(20)]
    with open(tmp_path / "m.bin", "wb") as f:
        datums.writer(f, schema, recs, framing="single-object", length_prefix="varint")
    out = subprocess.run([cli, "tojson", "--framing", "single-object", "--length-prefix",
                          "varint", "--schema-file", str(tmp_path / "r.avsc"),
                          str(tmp_path / "m.bin")], capture_output=True, check=True)
    assert [json.loads(line) for line in out.stdout.decode().splitlines()] == recs
    msgs = subprocess.run([cli, "fromjson", "--framing", "confluent", "--schema-id", "5",
                           "--schema-file", str(tmp_path / "r.avsc")],
                          input="\n".join(json.dumps(r) for r in recs).encode(),
                          capture_output=True, check=True).stdout
    with open(tmp_path / "c.bin", "wb") as f:
        f.write(msgs)
    with open(tmp_path / "c.bin", "rb") as f:
        assert list(datums.reader(f, framing="confluent", schemas={5: schema})) == recs


def test_a_pipe_is_read_a_message_at_a_time():
    import threading

    r_fd, w_fd = os.pipe()
    rec = records(1)[0]
    msg = datums.encode(rec, SCHEMA, framing="confluent", schema_id=1)
    got = []
    with os.fdopen(r_fd, "rb") as f, os.fdopen(w_fd, "wb", buffering=0) as w:
        w.write(msg)
        reader = datums.reader(f, framing="confluent", schemas={1: SCHEMA})
        # the first message comes while the pipe is still open (10 s: a hang, not a wait)
        t = threading.Thread(target=lambda: got.append(next(reader)), daemon=True)
        t.start()
        t.join(10)
        assert not t.is_alive() and got == [rec]
        w.write(msg)
        w.close()
        assert list(reader) == [rec]


def file_object(data, **methods):
    """A binary file object over @data that has just @methods (name=f(bytesio, arg)), and a
    read() that must not be called unless given."""
    b = io.BytesIO(data)

    def method(name, f):
        def m(self, arg):
            return f(b, arg)
        m.__name__ = name
        return m
    methods.setdefault("read", lambda b, n: pytest.fail("read() called"))
    return type("File", (), {name: method(name, f) for name, f in methods.items()})()


def test_a_file_object_is_read_with_readinto1_when_it_has_it():
    """readinto1() fills the reader's buffer, as read1() would a new bytes object."""
    calls = []

    def counted(name, f):
        return lambda b, arg: calls.append(name) or f(b, arg)
    recs = records(3)
    data = b"".join(datums.encode(r, SCHEMA, framing="single-object") for r in recs)
    f = file_object(data, read1=counted("read1", io.BytesIO.read1),
                    readinto1=counted("readinto1", io.BytesIO.readinto))
    assert list(datums.reader(f, framing="single-object", schemas=[SCHEMA])) == recs
    assert set(calls) == {"readinto1"}  # before: read1


@pytest.mark.parametrize("methods, error, match", [
    ({"readinto1": lambda b, m: len(m) + 1}, OSError,
     r"^readinto1\(\) returned too large a count$"),
    ({"readinto1": lambda b, m: -1}, OSError, r"^readinto1\(\) returned a negative count$"),
    ({"readinto1": lambda b, m: "1"}, TypeError, ""),
    ({"read1": lambda b, n: bytes(n + 1)}, OSError,
     r"^read1\(\) returned more than asked for$"),
    ({"read": lambda b, n: bytes(n + 1)}, OSError, r"^read\(\) returned more than asked for$"),
    ({"read": lambda b, n: None}, BlockingIOError, r"^read\(\) returned None: the file "
     r"object is non-blocking and has nothing to read now \(give a blocking one\)$"),
    ({"readinto1": lambda b, m: None}, BlockingIOError, r"^readinto1\(\) returned None"),
])
def test_a_file_object_that_reads_wrong_is_refused(methods, error, match):
    """A count outside the buffer, or more bytes than asked for, is an error: readinto1()'s
    checks came with readinto1(), read1()'s and read()'s were there before. None (a
    non-blocking object with nothing to read now) is BlockingIOError, not the end."""
    with pytest.raises(error, match=match):
        next(datums.reader(file_object(b"\x02", **methods), schema="int"))


def test_writer_to_a_write_that_keeps_chunks_or_takes_part():
    """datums.writer's output goes through the same write as avrokit.writer's: bytes a
    write() may keep, the rest of a partial write given again, 0 an OSError."""
    recs = records(300)

    class Trickle:
        def __init__(self):
            self.chunks = []

        def write(self, b):
            self.chunks.append(b[:61])
            return min(len(b), 61)

    t = Trickle()
    assert datums.writer(t, SCHEMA, recs, framing="single-object") == 300
    assert all(isinstance(c, bytes) for c in t.chunks)
    data = b"".join(t.chunks)
    assert list(datums.reader(io.BytesIO(data), SCHEMA, framing="single-object")) == recs

    class Stuck:
        def write(self, b):
            return 0

    with pytest.raises(OSError, match=r"^write\(\) wrote 0 of \d+ bytes$"):
        datums.writer(Stuck(), SCHEMA, recs)
