#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Streams of datums between python3-avro and avrokit (tests/cli/datums.bats).

    datums_peer.py schema                        print the schema (every kind of type)
    datums_peer.py write OUT FRAMING PREFIX [ID] datums written by python3-avro's BinaryEncoder
    datums_peer.py check JSONL                   avrokit's JSON lines are those datums
    datums_peer.py read IN FRAMING PREFIX [ID]   python3-avro reads avrokit's messages back
    datums_peer.py fingerprint                   the schema's CRC-64-AVRO, as hex of its bytes

FRAMING is none, single-object or confluent; PREFIX none, 4be, varint or uvarint. The
single-object header is built here from python3-avro's canonical form and a CRC-64-AVRO
computed by this script from the specification's definition, not by avrokit. The datums
come from a seeded generator, so every command computes the same ones. Exit 0 when all is
well, 1 on a mismatch (printed).
"""

import io
import json
import os
import random
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import avrojson as aj  # noqa: E402

import avro.io  # noqa: E402
import avro.schema  # noqa: E402

N = 200

SCHEMA = {
    "type": "record", "name": "Event", "namespace": "org.avrokit.datums",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "name", "type": "string"},
        {"name": "n", "type": "int"},
        {"name": "ok", "type": "boolean"},
        {"name": "score", "type": "double"},
        {"name": "ratio", "type": "float"},
        {"name": "raw", "type": "bytes"},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]}},
        {"name": "note", "type": ["null", "string"]},
        {"name": "tags", "type": {"type": "array", "items": "int"}},
        {"name": "attrs", "type": {"type": "map", "values": "long"}},
        {"name": "key", "type": {"type": "fixed", "name": "Key", "size": 4}},
    ],
}


def datums():
    rng = random.Random(20261206)
    out = []
    for i in range(N):
        out.append({
            "id": rng.choice([0, -1, 1 << 62, -(1 << 63), rng.randrange(-10**12, 10**12)]),
            "name": rng.choice(["", "ann", "Tromsø", "😀 \"q\" \\ \n", "x" * rng.randrange(300)]),
            "n": rng.choice([0, -(1 << 31), (1 << 31) - 1, rng.randrange(-1000, 1000)]),
            "ok": rng.random() < 0.5,
            "score": rng.choice([0.0, -0.0, 1e300, -2.5e-310, rng.uniform(-1e6, 1e6)]),
            "ratio": aj.f32(rng.uniform(-10, 10)),
            "raw": bytes(rng.randrange(256) for _ in range(rng.randrange(12))),
            "kind": rng.choice("ABC"),
            "note": rng.choice([None, "", "note %d" % i]),
            "tags": [rng.randrange(-5, 5) for _ in range(rng.randrange(5))],
            "attrs": {"k%d" % k: rng.randrange(-1 << 40, 1 << 40) for k in range(rng.randrange(4))},
            "key": bytes(rng.randrange(256) for _ in range(4)),
        })
    return out


# ---- CRC-64-AVRO, from the specification's definition ----

EMPTY = 0xC15D213AA4D7A795


def _table():
    t = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        t.append(fp)
    return t


TABLE = _table()


def crc64(data):
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp


def parsed():
    return avro.schema.parse(json.dumps(SCHEMA))


def header(framing, sid):
    if framing == "single-object":
        fp = crc64(parsed().canonical_form.encode())
        return b"\xc3\x01" + struct.pack("<Q", fp)
    if framing == "confluent":
        return b"\x00" + struct.pack(">I", sid)
    return b""


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def prefix(kind, n):
    if kind == "4be":
        return struct.pack(">I", n)
    if kind == "varint":
        return uvarint(n << 1)
    if kind == "uvarint":
        return uvarint(n)
    return b""


def read_uvarint(f):
    n = shift = 0
    while True:
        b = f.read(1)
        if not b:
            raise EOFError("the input ends inside a length")
        n |= (b[0] & 0x7F) << shift
        shift += 7
        if not b[0] & 0x80:
            return n


def cmd_write(out, framing, pfx, sid=0):
    schema = parsed()
    w = avro.io.DatumWriter(schema)
    hdr = header(framing, sid)
    with open(out, "wb") as f:
        for d in datums():
            buf = io.BytesIO()
            w.write(d, avro.io.BinaryEncoder(buf))
            msg = hdr + buf.getvalue()
            f.write(prefix(pfx, len(msg)) + msg)
    return 0


def cmd_check(path):
    node = aj.parse_schema(SCHEMA)
    want = datums()
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f.read().split("\n") if line]
    if len(lines) != len(want):
        print(f"MISMATCH: {len(lines)} lines, {len(want)} datums")
        return 1
    for i, (line, d) in enumerate(zip(lines, want)):
        d2 = aj.diff(aj.to_canon(node, aj.loads(line)), aj.datum_canon(node, d))
        if d2:
            print(f"MISMATCH at datum {i}: {d2}\n  got {line}")
            return 1
    print(f"ok: {len(lines)} datums")
    return 0


def cmd_read(path, framing, pfx, sid=0):
    schema = parsed()
    r = avro.io.DatumReader(schema)
    hdr = header(framing, sid)
    want = datums()
    got = []
    with open(path, "rb") as f:
        data = f.read()
    f = io.BytesIO(data)
    while f.tell() < len(data):
        if pfx == "4be":
            n = struct.unpack(">I", f.read(4))[0]
        elif pfx in ("varint", "uvarint"):
            n = read_uvarint(f)
            n = n >> 1 if pfx == "varint" else n
        if hdr and f.read(len(hdr)) != hdr:
            print(f"MISMATCH: message {len(got)} has not the header {hdr.hex()}")
            return 1
        start = f.tell()
        got.append(r.read(avro.io.BinaryDecoder(f)))
        if pfx != "none" and f.tell() - start != n - len(hdr):
            print(f"MISMATCH: message {len(got) - 1}: the datum is not its length")
            return 1
    node = aj.parse_schema(SCHEMA)
    if len(got) != len(want):
        print(f"MISMATCH: {len(got)} datums read, {len(want)} written")
        return 1
    for i, (g, w) in enumerate(zip(got, want)):
        d = aj.diff(aj.datum_canon(node, g), aj.datum_canon(node, w))
        if d:
            print(f"MISMATCH at datum {i}: {d}")
            return 1
    print(f"ok: {len(got)} datums")
    return 0


def main(argv):
    if argv[:1] == ["schema"]:
        print(json.dumps(SCHEMA))
        return 0
    if argv[:1] == ["json"]:
        # the datums as Avro JSON lines, as avro-tools prints them
        node = aj.parse_schema(SCHEMA)
        for d in datums():
            print(aj.datum_text(node, d))
        return 0
    if argv[:1] == ["fingerprint"]:
        print(struct.pack("<Q", crc64(parsed().canonical_form.encode())).hex())
        return 0
    if argv[:1] == ["write"] and len(argv) in (4, 5):
        return cmd_write(argv[1], argv[2], argv[3], int(argv[4]) if len(argv) == 5 else 0)
    if argv[:1] == ["check"] and len(argv) == 2:
        return cmd_check(argv[1])
    if argv[:1] == ["read"] and len(argv) in (4, 5):
        return cmd_read(argv[1], argv[2], argv[3], int(argv[4]) if len(argv) == 5 else 0)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
