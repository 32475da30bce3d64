# SPDX-License-Identifier: Apache-2.0
"""Files other implementations write, read by the package; files it writes, read by them.

Peers: Debian's python3-avro (in this interpreter, /usr/bin/python3), avro-c's avrocat
(avro-bin), the avrokit command-line tool (AVROKIT=path; skipped without it), and the
fixtures in tests/data (written by tests/data/make-fixtures.py with python3-avro).
"""

import datetime
import decimal
import io
import json
import os
import uuid
import warnings

import pytest

from support import (DATA, av, avrokit_only, codec_problem, need_avrokit_cli, need_codec,
                     need_tool, python_avro, read_file, run, write_file)

UTC = datetime.timezone.utc

SCHEMA = {
    "type": "record", "name": "Everything", "namespace": "org.avrokit.py",
    "fields": [
        {"name": "n", "type": "null"},
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"},
        {"name": "e", "type": {"type": "enum", "name": "Suit", "symbols": ["S", "H", "D", "C"]}},
        {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
        {"name": "a", "type": {"type": "array", "items": "long"}},
        {"name": "m", "type": {"type": "map", "values": ["null", "string"]}},
        {"name": "u", "type": ["null", "int", "string",
                               {"type": "record", "name": "Sub", "fields": [
                                   {"name": "x", "type": "double"}]}]},
        {"name": "sub", "type": "Sub"},
        {"name": "ld", "type": {"type": "int", "logicalType": "date"}},
        {"name": "ltm", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "ltu", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "ltsm", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "ltsu", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "ldb", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6,
                                 "scale": 2}},
        {"name": "ldf", "type": {"type": "fixed", "name": "Dec", "size": 5,
                                 "logicalType": "decimal", "precision": 10, "scale": 3}},
        {"name": "luu", "type": {"type": "string", "logicalType": "uuid"}},
    ],
}


def make_records(n=40):
    out = []
    for k in range(n):
        out.append({
            "n": None, "b": k % 2 == 0, "i": (k * 7919) % 100000 - 50000,
            "l": (k * 2**40 + 12345) * (-1) ** k, "f": k / 4.0, "d": k * 1.0e-3 - 0.5,
            "by": bytes([k % 256, 255, 0]), "s": "ø☃" * (k % 4) + str(k),
            "e": "SHDC"[k % 4], "fx": bytes([k % 256]) * 4, "a": list(range(k % 5)),
            "m": {str(j): (None if j % 2 else "v") for j in range(k % 3)},
            "u": [None, k, str(k), {"x": k / 8.0}][k % 4], "sub": {"x": -k / 16.0},
            "ld": datetime.date(1960, 1, 1) + datetime.timedelta(days=k * 1000),
            "ltm": datetime.time(k % 24, k % 60, k % 60, (k % 1000) * 1000),
            "ltu": datetime.time(k % 24, k % 60, k % 60, k * 12345 % 1000000),
            "ltsm": datetime.datetime(1950, 1, 1, tzinfo=UTC) + datetime.timedelta(
                milliseconds=k * 10**10 + k),
            "ltsu": datetime.datetime(1950, 1, 1, tzinfo=UTC) + datetime.timedelta(
                microseconds=k * 10**13 + k),
            "ldb": decimal.Decimal(k * 12345 - 200000).scaleb(-2),
            "ldf": decimal.Decimal(-(k * 7654321)).scaleb(-3),
            "luu": uuid.UUID(int=k * 2**100 + k),
        })
    return out


RECORDS = make_records()


def to_python_avro(rec):
    """python3-avro 1.11 takes and gives the uuid as a str."""
    return dict(rec, luu=str(rec["luu"]))


def pa_parse(avro, schema):
    return avro.schema.parse(json.dumps(schema))


def pa_write(avro, schema, records, codec):
    buf = io.BytesIO()
    w = avro.datafile.DataFileWriter(buf, avro.io.DatumWriter(), pa_parse(avro, schema),
                                     codec=codec)
    for r in records:
        w.append(r)
    w.flush()
    data = buf.getvalue()
    w.close()
    return data


def pa_read(avro, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = avro.datafile.DataFileReader(io.BytesIO(data), avro.io.DatumReader())
        return list(r), {k: r.get_meta(k) for k in r.meta}


def pa_codecs():
    try:
        import avro.codecs
        return sorted(avro.codecs.KNOWN_CODECS)
    except ImportError:
        return ["null"]


@pytest.mark.parametrize("codec", ["null", "deflate", "snappy", "bzip2", "zstandard"])
def test_read_python_avro_file(codec):
    avro = python_avro()
    if codec not in pa_codecs():
        pytest.skip(f"python3-avro has no {codec} codec here")
    need_codec(codec)
    data = pa_write(avro, SCHEMA, [to_python_avro(r) for r in RECORDS], codec)
    r, recs = read_file(data)
    assert r.codec == codec
    assert recs == RECORDS


@pytest.mark.parametrize("codec", ["null", "deflate", "snappy", "bzip2", "zstandard"])
def test_python_avro_reads_our_file(codec):
    avro = python_avro()
    if codec not in pa_codecs():
        pytest.skip(f"python3-avro has no {codec} codec here")
    need_codec(codec)
    data = write_file(SCHEMA, RECORDS, codec=codec, metadata={"k": "v"}, sync_interval=300)
    recs, meta = pa_read(avro, data)
    assert recs == [to_python_avro(r) for r in RECORDS]
    assert meta["k"] == b"v"
    assert meta["avro.codec"] == codec.encode()


@avrokit_only
@pytest.mark.parametrize("decimal_type", [
    {"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 3},
    {"type": "fixed", "name": "F", "size": 2, "logicalType": "decimal", "precision": 10},
], ids=["bytes-scale-over-precision", "fixed-too-small"])
def test_python_avro_file_with_an_invalid_decimal_is_read(decimal_type):
    """python3-avro ignores a decimal whose parameters are invalid, as the specification
    says, and writes and reads the plain bytes or fixed; so does avrokit's reader
    (fastavro's refuses the file: python/README.md, difference 39)."""
    avro = python_avro()
    schema = {"type": "record", "name": "R", "aliases": [""],
              "fields": [{"name": "d", "type": decimal_type, "aliases": ["", "e"]}]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = pa_write(avro, schema, [{"d": b"\x01\x02"}, {"d": b"\xff\x00"}], "null")
        assert pa_read(avro, data)[0] == [{"d": b"\x01\x02"}, {"d": b"\xff\x00"}]
    assert read_file(data)[1] == [{"d": b"\x01\x02"}, {"d": b"\xff\x00"}]


def test_python_avro_reads_our_schemaless_encoding():
    avro = python_avro()
    schema = pa_parse(avro, SCHEMA)
    for rec in RECORDS[:8]:
        buf = io.BytesIO()
        av.schemaless_writer(buf, SCHEMA, rec)
        buf.seek(0)
        got = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(buf))
        assert got == to_python_avro(rec)


def test_we_read_python_avro_schemaless_encoding():
    avro = python_avro()
    schema = pa_parse(avro, SCHEMA)
    for rec in RECORDS[:8]:
        buf = io.BytesIO()
        avro.io.DatumWriter(schema).write(to_python_avro(rec), avro.io.BinaryEncoder(buf))
        buf.seek(0)
        assert av.schemaless_reader(buf, SCHEMA) == rec


def test_python_avro_appends_to_our_file_and_back(tmp_path):
    avro = python_avro()
    p = tmp_path / "f.avro"
    with open(p, "wb") as f:
        av.writer(f, SCHEMA, RECORDS[:10], codec="deflate")
    with open(p, "a+b") as f:
        w = avro.datafile.DataFileWriter(f, avro.io.DatumWriter())
        for r in RECORDS[10:20]:
            w.append(to_python_avro(r))
        w.close()
    with open(p, "a+b") as f:
        av.writer(f, None, RECORDS[20:30])
    assert read_file(p.read_bytes())[1] == RECORDS[:30]


# --- avrocat (avro-c) ------------------------------------------------------------------------

# avro-c 1.11's JSON cuts bytes at a NUL and knows no logical types: a plainer schema.
# It has no namespace, so the record in the union is plain "Sub" here.
PLAIN = {"type": "record", "name": "Plain", "fields": [
    f for f in SCHEMA["fields"] if f["name"] in ("n", "b", "i", "l", "f", "d", "s", "e", "a",
                                                 "m", "u", "sub")]}


def plain(rec):
    return {f["name"]: rec[f["name"]] for f in PLAIN["fields"]}


def avro_json_of(rec):
    """The Avro JSON encoding of a PLAIN record (unions as {"branch": value})."""
    out = dict(rec)
    u = rec["u"]
    out["u"] = None if u is None else {int: {"int": u}, str: {"string": u},
                                       dict: {"Sub": u}}[type(u)]
    out["m"] = {k: (None if v is None else {"string": v}) for k, v in rec["m"].items()}
    return out


@pytest.mark.parametrize("codec", ["null", "deflate", "snappy"])
def test_avrocat_reads_our_file(tmp_path, codec):
    avrocat = need_tool("avrocat")
    need_codec(codec)
    recs = [plain(r) for r in RECORDS]
    p = tmp_path / f"{codec}.avro"
    p.write_bytes(write_file(PLAIN, recs, codec=codec, sync_interval=400))
    out = run([avrocat, str(p)]).stdout
    got = [json.loads(line) for line in out.splitlines()]
    assert got == [avro_json_of(r) for r in recs]


# --- the fixtures in tests/data ---------------------------------------------------------------

def data_file(name):
    return os.path.join(DATA, name)


def json_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.parametrize("name", ["weather.avro", "weather-deflate.avro", "nocodec.avro"])
def test_fixture_weather(name):
    with open(data_file(name), "rb") as f:
        r = av.reader(f)
        recs = list(r)
    assert recs == json_lines(data_file("weather.json"))
    if name != "nocodec.avro":
        assert r.metadata["test.note"]
    assert "avro.codec" in r.metadata or name == "nocodec.avro"
    assert r.codec == ("deflate" if "deflate" in name else "null")
    assert r.writer_schema["name"] == "test.Weather"


def test_fixture_multiblock():
    with open(data_file("multiblock.avro"), "rb") as f:
        blocks = list(av.block_reader(f))
    assert [b.num_records for b in blocks] == [50, 60, 40, 70, 30, 50]
    assert [r for b in blocks for r in b] == json_lines(data_file("multiblock.json"))


def test_fixture_empty():
    with open(data_file("empty.avro"), "rb") as f:
        assert list(av.reader(f)) == []


def test_fixture_nulls():
    with open(data_file("nulls.avro"), "rb") as f:
        r = av.reader(f)
        assert r.writer_schema == "null"
        n = sum(1 for x in r if x is None)
    assert n == 200000


# --- the avrokit command-line tool (AVROKIT) ---------------------------------------------------

CLI_SCHEMA = PLAIN


@pytest.mark.parametrize("codec", ["null", "deflate", "snappy", "bzip2", "xz", "zstandard"])
def test_read_avrokit_cli_file(tmp_path, codec):
    cli = need_avrokit_cli()
    need_codec(codec)
    recs = [plain(r) for r in RECORDS]
    (tmp_path / "s.avsc").write_text(json.dumps(CLI_SCHEMA))
    (tmp_path / "in.json").write_text("\n".join(json.dumps(avro_json_of(r)) for r in recs))
    out = tmp_path / "out.avro"
    p = __import__("subprocess").run(
        [cli, "fromjson", "--schema-file", str(tmp_path / "s.avsc"), "--codec", codec,
         "--meta", "k=v", "-o", str(out), str(tmp_path / "in.json")],
        capture_output=True, text=True, timeout=60)
    if p.returncode != 0 and "codec" in p.stderr:
        pytest.skip(f"the avrokit CLI has no {codec} codec: {p.stderr.strip()}")
    assert p.returncode == 0, p.stderr
    r, got = read_file(out.read_bytes())
    assert got == recs
    assert r.codec == codec
    assert r.metadata["k"] == "v"


@pytest.mark.parametrize("codec", ["null", "deflate", "snappy", "bzip2", "xz", "zstandard"])
def test_avrokit_cli_reads_our_file(tmp_path, codec):
    cli = need_avrokit_cli()
    need_codec(codec)
    recs = [plain(r) for r in RECORDS]
    p = tmp_path / "ours.avro"
    p.write_bytes(write_file(PLAIN, recs, codec=codec, sync_interval=400))
    out = run([cli, "tojson", str(p)]).stdout
    assert [json.loads(line) for line in out.splitlines()] == [avro_json_of(r) for r in recs]
    assert run([cli, "count", str(p)]).stdout.strip() == str(len(recs))


def test_avrokit_cli_reads_every_type_and_logical_type(tmp_path):
    cli = need_avrokit_cli()
    p = tmp_path / "all.avro"
    p.write_bytes(write_file(SCHEMA, RECORDS))
    out = run([cli, "tojson", str(p)]).stdout
    got = [json.loads(line) for line in out.splitlines()]
    assert len(got) == len(RECORDS)
    assert got[3]["by"] == "\u0003\u00ff\u0000"
    assert got[3]["ld"] == (RECORDS[3]["ld"] - datetime.date(1970, 1, 1)).days
    # and the CLI's file of the same JSON holds the same bytes of records
    (tmp_path / "s.avsc").write_text(json.dumps(SCHEMA))
    (tmp_path / "in.json").write_text(out)
    again = tmp_path / "again.avro"
    run([cli, "fromjson", "--schema-file", str(tmp_path / "s.avsc"), "-o", str(again),
         str(tmp_path / "in.json")])
    assert read_file(again.read_bytes())[1] == RECORDS


# --- files from other implementations (../shared/corpus) ---------------------------------------

CORPUS_GOOD = [
    "share/test/data/weather.avro", "share/test/data/weather-deflate.avro",
    "share/test/data/weather-snappy.avro", "share/test/data/weather-zstd.avro",
    "share/test/data/weather-sorted.avro",
    # fastavro decodes every metadata value as UTF-8 and gives up on this file, whose
    # metadata holds binary bytes; avrokit must read its records.
    pytest.param("share/test/data/syncInMeta.avro", marks=pytest.mark.avrokit_only),
    "share/test/data/schemas/withUnion/data.avro",
    "share/test/interop/rpc/echo/foo/request.avro",
    "share/test/interop/rpc/hello/world/response.avro",
    "lang/c/tests/avro-1279-codec.avro", "lang/js/test/dat/person-10.avro",
    "avro-rs/avro/tests/bigdec.avro",
    "avro-rs/avro/tests/avro-rs-285-bytes_deserialization.avro",
]


def corpus_path(rel):
    from support import SHARED
    p = os.path.join(SHARED, "corpus", rel)
    if not os.path.exists(p):
        pytest.skip(f"{p} is not there (the shared corpus)")
    return p


@pytest.mark.parametrize("rel", CORPUS_GOOD)
def test_corpus_file_reads_as_python_avro_reads_it(rel):
    avro = python_avro()
    with open(corpus_path(rel), "rb") as f:
        data = f.read()
    expected, meta = pa_read(avro, data)
    codec = meta.get("avro.codec", b"null").decode()
    if codec_problem(codec):
        pytest.skip(codec_problem(codec))
    assert read_file(data)[1] == expected
