#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the small Avro fixtures in tests/data/ that the CLI tests use.

Run it with Debian's Python, which has python3-avro (1.11):

    /usr/bin/python3 tests/data/make-fixtures.py

The output is deterministic: every file gets a fixed sync marker instead of the random one
DataFileWriter picks, blocks are ended explicitly with DataFileWriter.sync(), and the
metadata is set in a fixed order. Running the script twice gives the same bytes (deflate
output could only change with a different zlib). The values are invented for these tests.

Besides the .avro files it writes the expected `avrokit tojson` output (*.json, made here
with Python's json module, not with avrokit) and a *.layout file per container that lists
where the header ends and where each block, its data and its sync marker are, found by
walking the file with the small independent parser below. The bats tests use the layouts
to cut and corrupt files at exact places and to check the offsets in error messages.
"""

import io
import json
import os
import sys

import avro.datafile
import avro.io
import avro.schema

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_FIXTURE = 20 * 1024  # keep the commit small

# Fixed sync markers, different per file so that a block moved between files is noticed.
SYNC = {
    "weather.avro": bytes.fromhex("a1b2c3d4e5f60718293a4b5c6d7e8f90"),
    "weather-deflate.avro": bytes.fromhex("b1b2c3d4e5f60718293a4b5c6d7e8f91"),
    "multiblock.avro": bytes.fromhex("c1b2c3d4e5f60718293a4b5c6d7e8f92"),
    "empty.avro": bytes.fromhex("d1b2c3d4e5f60718293a4b5c6d7e8f93"),
    "nulls.avro": bytes.fromhex("e1b2c3d4e5f60718293a4b5c6d7e8f94"),
    "nocodec.avro": bytes.fromhex("f1b2c3d4e5f60718293a4b5c6d7e8f95"),
}

WEATHER_SCHEMA = {
    "type": "record",
    "name": "Weather",
    "namespace": "test",
    "doc": "Invented weather readings for the avrokit tests",
    "fields": [
        {"name": "station", "type": "string"},
        {"name": "time", "type": "long", "doc": "milliseconds since 1970-01-01T00:00:00Z"},
        {"name": "temp", "type": "int", "doc": "tenths of a degree Celsius"},
    ],
}

# Invented readings. Besides ordinary values they hold the edges the decoder must get right:
# a negative time (before 1970), 0, a long above 2^53 (wrong if it went through a double),
# the int32 and int64 extremes, a non-ASCII station name and an empty one.
WEATHER = [
    {"station": "ALTA-1", "time": 1704067200000, "temp": -123},
    {"station": "BERGEN", "time": 1704070800000, "temp": 45},
    {"station": "Tromsø", "time": 1704074400000, "temp": -87},
    {"station": "CAIRO-N", "time": 1704078000000, "temp": 221},
    {"station": "QUITO", "time": 1704081600000, "temp": 138},
    {"station": "MAWSON", "time": 1704085200000, "temp": -2541},
    {"station": "HILO", "time": 0, "temp": 0},
    {"station": "OLD-1950", "time": -631152000000, "temp": 12},
    {"station": "FAR-FUTURE", "time": 9007199254740993, "temp": 2147483647},
    {"station": "", "time": -9223372036854775808, "temp": -2147483648},
]

# multiblock.avro: uneven blocks so an off-by-one in block numbering shows.
MULTIBLOCK_SIZES = [50, 60, 40, 70, 30, 50]


def multiblock_records():
    n = sum(MULTIBLOCK_SIZES)
    return [
        {"station": "ST%02d" % (i % 7), "time": 1704067200000 + i * 3600000,
         "temp": (i * 37) % 601 - 300}
        for i in range(n)
    ]


NULLS_BLOCKS = [100000, 100000]  # schema "null": every record is zero bytes


def write_container(name, schema_json, blocks, codec="null", meta=()):
    """Write blocks (a list of lists of records) to name; return the file's bytes.
    codec=None leaves the avro.codec key out of the header (the spec says: null)."""
    schema = avro.schema.parse(json.dumps(schema_json))
    buf = io.BytesIO()
    writer = avro.datafile.DataFileWriter(buf, avro.io.DatumWriter(), schema,
                                          codec=codec or "null")
    writer.sync_marker = SYNC[name]
    if codec is None:
        del writer.codec
    for key, value in meta:
        writer.set_meta(key, value)
    for block in blocks:
        for rec in block:
            writer.append(rec)
        writer.sync()  # end the block here
    writer.flush()
    data = buf.getvalue()
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        f.write(data)
    return data


# ---- an independent walk over the container, for the layout files and for checks ----

def read_long(data, pos):
    shift = value = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    return (value >> 1) ^ -(value & 1), pos


def walk(data):
    """Return (header_size, sync, meta, blocks); blocks are dicts of offsets and counts."""
    assert data[:4] == b"Obj\x01"
    pos = 4
    meta = []
    while True:
        count, pos = read_long(data, pos)
        if count == 0:
            break
        if count < 0:
            count = -count
            _, pos = read_long(data, pos)
        for _ in range(count):
            klen, pos = read_long(data, pos)
            key = data[pos:pos + klen].decode()
            pos += klen
            vlen, pos = read_long(data, pos)
            meta.append((key, data[pos:pos + vlen]))
            pos += vlen
    sync = data[pos:pos + 16]
    pos += 16
    header = pos
    blocks = []
    while pos < len(data):
        offset = pos
        count, pos = read_long(data, pos)
        size, pos = read_long(data, pos)
        blocks.append({"offset": offset, "count": count, "size": size, "data": pos,
                       "sync": pos + size, "end": pos + size + 16})
        assert data[pos + size:pos + size + 16] == sync, "sync marker mismatch"
        pos += size + 16
    assert pos == len(data)
    return header, sync, meta, blocks


def write_layout(name, data):
    header, sync, _, blocks = walk(data)
    lines = [
        "# %s: written by make-fixtures.py; offsets in bytes from the start of the file" % name,
        "# block INDEX offset O count C size S data D sync Y end E",
        "#   O: the block's first byte (its record count); D: first byte of its data;",
        "#   Y: first byte of its sync marker; E: one past its last byte",
        "size %d" % len(data),
        "header %d" % header,
        "syncmarker %s" % sync.hex(),
        "blocks %d" % len(blocks),
    ]
    for i, b in enumerate(blocks):
        lines.append("block %d offset %d count %d size %d data %d sync %d end %d" % (
            i, b["offset"], b["count"], b["size"], b["data"], b["sync"], b["end"]))
    with open(os.path.join(HERE, name.replace(".avro", ".layout")), "w") as f:
        f.write("\n".join(lines) + "\n")
    return blocks


def tojson_lines(records):
    # avrokit prints avro-tools' form: compact, no spaces, UTF-8 left as is.
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for r in records)


def read_back(name):
    with open(os.path.join(HERE, name), "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        recs = list(reader)
        reader.close()
    return recs


def write_text(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    weather_meta = [("test.note", b"invented weather readings for the avrokit tests")]
    data = write_container("weather.avro", WEATHER_SCHEMA, [WEATHER], meta=weather_meta)
    write_layout("weather.avro", data)
    data = write_container("weather-deflate.avro", WEATHER_SCHEMA, [WEATHER], codec="deflate",
                           meta=weather_meta)
    write_layout("weather-deflate.avro", data)
    write_text("weather.json", tojson_lines(WEATHER))
    write_text("weather.avsc", json.dumps(WEATHER_SCHEMA, indent=2, ensure_ascii=False) + "\n")

    recs = multiblock_records()
    blocks, start = [], 0
    for n in MULTIBLOCK_SIZES:
        blocks.append(recs[start:start + n])
        start += n
    data = write_container("multiblock.avro", WEATHER_SCHEMA, blocks)
    layout = write_layout("multiblock.avro", data)
    assert [b["count"] for b in layout] == MULTIBLOCK_SIZES, layout
    write_text("multiblock.json", tojson_lines(recs))

    data = write_container("nocodec.avro", WEATHER_SCHEMA, [WEATHER], codec=None)
    assert [k for k, _ in walk(data)[2]] == ["avro.schema"]
    write_layout("nocodec.avro", data)

    data = write_container("empty.avro", WEATHER_SCHEMA, [])
    assert write_layout("empty.avro", data) == []

    data = write_container("nulls.avro", "null", [[None] * n for n in NULLS_BLOCKS])
    assert [b["count"] for b in write_layout("nulls.avro", data)] == NULLS_BLOCKS

    # Check everything with python3-avro's own reader.
    assert read_back("weather.avro") == WEATHER
    assert read_back("weather-deflate.avro") == WEATHER
    assert read_back("multiblock.avro") == recs
    assert read_back("nocodec.avro") == WEATHER
    assert read_back("empty.avro") == []
    assert read_back("nulls.avro") == [None] * sum(NULLS_BLOCKS)
    with open(os.path.join(HERE, "weather.json"), encoding="utf-8") as f:
        assert [json.loads(line) for line in f] == WEATHER
    with open(os.path.join(HERE, "multiblock.json"), encoding="utf-8") as f:
        assert [json.loads(line) for line in f] == recs

    for name in sorted(os.listdir(HERE)):
        size = os.path.getsize(os.path.join(HERE, name))
        if size > MAX_FIXTURE:
            sys.exit("make-fixtures.py: %s is %d bytes, over the %d-byte limit"
                     % (name, size, MAX_FIXTURE))


if __name__ == "__main__":
    main()
