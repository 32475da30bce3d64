#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Helpers for tests/cli/filecmds.bats (concat, cat, recodec, blocks, repair) and lz4.bats.

Standard library, plus python3-avro for `pycheck`, `pymeta` and `crc64`.  Run it with
Debian's /usr/bin/python3 (the one that has python3-avro).

    filecmds_avro.py gen N [FIRST]       N records (ids FIRST.. ) of the test schema, JSON lines
    filecmds_avro.py schema              the test schema (JSON)
    filecmds_avro.py layout FILE         walk the container without avrokit: header size, sync
                                         marker, codec and per block its offsets, record count,
                                         stored and decoded size (exit 1 if the walk fails)
    filecmds_avro.py metanorm FILE [--no-codec]   the metadata a rewrite keeps: the schema
                                         text, the codec, and the user keys sorted (hex values)
    filecmds_avro.py stored FILE I       the stored bytes of block I, to standard output
    filecmds_avro.py bounds FILE I       absolute file offsets where the records of block I
                                         start (null codec, test schema only), one per line
    filecmds_avro.py crc64 FILE          CRC-64-AVRO of the file's schema (python3-avro's
                                         canonical form), hex of the little-endian bytes
    filecmds_avro.py pycheck FILE JSONL  python3-avro reads FILE: same records as JSONL (values
                                         compared, not text)
    filecmds_avro.py pymeta FILE KEY     python3-avro's value of metadata KEY
    filecmds_avro.py sample N RATE       indices that avro-tools `cat --samplerate RATE` keeps
                                         out of N records (CatTool: a double counter from 1
                                         gains RATE per record, a record is kept when it is
                                         >= 1, and then the counter loses 1)
    filecmds_avro.py jsonblocks TEXT_FILE LAYOUT_FILE   check `blocks --json` output against a
                                         layout: every line parses, numbers match
    filecmds_avro.py lz4 IN OUT [--real]  rewrite a null-codec file in fastavro's lz4 codec:
                                         each block the decompressed size as 4 bytes
                                         little-endian, then one raw LZ4 block (python-lz4's
                                         lz4.block.compress() with --real, exit 3 without
                                         python3-lz4; else a single literal run, valid LZ4
                                         that needs no library); the header's metadata and
                                         sync marker kept, avro.codec set to lz4

Exit status 0 when all is well, 1 on a mismatch or a bad file (the reason on stderr).
"""

import bz2
import io
import json
import lzma
import sys
import zlib

sys.dont_write_bytecode = True

MAGIC = b"Obj\x01"

SCHEMA = {
    "type": "record",
    "name": "Item",
    "namespace": "org.avrokit.filecmds",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "name", "type": "string"},
        {"name": "score", "type": "double"},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
    ],
}


def fail(msg):
    print(f"filecmds_avro.py: {msg}", file=sys.stderr)
    sys.exit(1)


def gen(n, first=0):
    out = []
    for i in range(first, first + n):
        out.append({
            "id": i,
            "name": f"item-{i}" + "x" * (i % 7),
            "score": i * 0.25 - 10,
            "tags": [f"t{j}" for j in range(i % 4)],
        })
    return out


# ---- a small container walker (no avro library) ----

class Bad(Exception):
    pass


def varint(buf, pos):
    shift = 0
    value = 0
    for k in range(10):
        if pos >= len(buf):
            raise Bad(f"varint runs past the end at {pos}")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return (value >> 1) ^ -(value & 1), pos
    raise Bad(f"varint longer than 10 bytes at {pos}")


def decompress(codec, data):
    if codec == "null":
        return data
    if codec == "deflate":
        return zlib.decompress(data, -15)
    if codec == "bzip2":
        return bz2.decompress(data)
    if codec == "xz":
        return lzma.decompress(data)
    if codec == "snappy":
        import snappy  # python3-snappy
        raw = snappy.decompress(data[:-4])
        if zlib.crc32(raw) != int.from_bytes(data[-4:], "big"):
            raise Bad("snappy CRC mismatch")
        return raw
    if codec == "zstandard":
        import zstandard
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    if codec == "lz4":
        import lz4.block  # python3-lz4
        return lz4.block.decompress(data)
    raise Bad(f"unknown codec {codec}")


def walk(path):
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:4] != MAGIC:
        raise Bad("no magic")
    pos = 4
    meta = {}
    while True:
        n, pos = varint(buf, pos)
        if n == 0:
            break
        if n < 0:
            _, pos = varint(buf, pos)
            n = -n
        for _ in range(n):
            klen, pos = varint(buf, pos)
            key = buf[pos:pos + klen].decode()
            pos += klen
            vlen, pos = varint(buf, pos)
            meta[key] = buf[pos:pos + vlen]
            pos += vlen
    sync = buf[pos:pos + 16]
    if len(sync) != 16:
        raise Bad("header cut")
    pos += 16
    header = pos
    codec = meta.get("avro.codec", b"null").decode()
    blocks = []
    while pos < len(buf):
        off = pos
        count, pos = varint(buf, pos)
        size, pos = varint(buf, pos)
        data = pos
        if count < 0 or size < 0 or data + size + 16 > len(buf):
            raise Bad(f"block {len(blocks)} at {off}: bad header or cut")
        if buf[data + size:data + size + 16] != sync:
            raise Bad(f"block {len(blocks)} at {off}: sync marker mismatch")
        try:
            decoded = len(decompress(codec, buf[data:data + size]))
        except ImportError:
            decoded = -1
        blocks.append({"offset": off, "count": count, "size": size, "data": data,
                       "sync": data + size, "end": data + size + 16, "decoded": decoded})
        pos = data + size + 16
    return buf, meta, sync, header, codec, blocks


def cmd_layout(path):
    try:
        buf, meta, sync, header, codec, blocks = walk(path)
    except Bad as e:
        fail(f"{path}: {e}")
    print(f"size {len(buf)}")
    print(f"header {header}")
    print(f"syncmarker {sync.hex()}")
    print(f"codec {codec}")
    print(f"blocks {len(blocks)}")
    print(f"records {sum(b['count'] for b in blocks)}")
    for i, b in enumerate(blocks):
        print(f"block {i} offset {b['offset']} count {b['count']} size {b['size']} "
              f"data {b['data']} sync {b['sync']} end {b['end']} decoded {b['decoded']}")


def cmd_metanorm(path, with_codec):
    """The metadata a rewrite must keep: the schema text, the codec (null when absent) and
    the user keys (not avro.*), sorted; values in hex so any bytes fit on a line."""
    _, meta, _, _, codec, _ = walk(path)
    print("avro.schema " + meta["avro.schema"].hex())
    if with_codec:
        print("codec " + codec)
    for key in sorted(k for k in meta if not k.startswith("avro.")):
        print(key + " " + meta[key].hex())


def cmd_stored(path, index):
    buf, _, _, _, _, blocks = walk(path)
    b = blocks[index]
    sys.stdout.buffer.write(buf[b["data"]:b["data"] + b["size"]])


def cmd_bounds(path, index):
    """Record starts of a null-codec block of the test schema, found by a decoder written
    here for that schema only (long, string, double, array of strings)."""
    buf, meta, _, _, codec, blocks = walk(path)
    if codec != "null":
        fail("bounds: null codec only")
    if json.loads(meta["avro.schema"]) != SCHEMA:
        fail("bounds: only for the test schema")
    b = blocks[index]
    pos = b["data"]
    for _ in range(b["count"]):
        print(pos)
        _, pos = varint(buf, pos)                 # id
        n, pos = varint(buf, pos)                 # name
        pos += n + 8                              # ... and score
        while True:                               # tags
            n, pos = varint(buf, pos)
            if n == 0:
                break
            if n < 0:
                _, pos = varint(buf, pos)
                n = -n
            for _ in range(n):
                k, pos = varint(buf, pos)
                pos += k
    if pos != b["sync"]:
        fail(f"bounds: the records end at {pos}, the block's data at {b['sync']}")


def crc64_avro(data):
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp)
    fp = empty
    for byte in data:
        fp = (fp >> 8) ^ table[(fp ^ byte) & 0xFF]
    return fp


def cmd_crc64(path):
    """CRC-64-AVRO of the Parsing Canonical Form (python3-avro's) of a data file's schema,
    as hex of its little-endian bytes (as `avrokit fingerprint` prints it)."""
    import avro.schema
    _, meta, _, _, _, _ = walk(path)
    canon = avro.schema.parse(meta["avro.schema"].decode()).canonical_form
    print(crc64_avro(canon.encode()).to_bytes(8, "little").hex())


def py_records(path):
    import avro.datafile
    import avro.io
    with open(path, "rb") as f:
        with avro.datafile.DataFileReader(f, avro.io.DatumReader()) as r:
            return list(r), {k: r.get_meta(k) for k in r.meta}


def cmd_pycheck(path, jsonl):
    try:
        got, _ = py_records(path)
    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
        fail(f"python3-avro cannot read {path}: {type(e).__name__}: {e}")
    with open(jsonl, encoding="utf-8") as f:
        want = [json.loads(line) for line in f if line.strip()]
    if len(got) != len(want):
        fail(f"{path}: python3-avro reads {len(got)} records, expected {len(want)}")
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            fail(f"{path}: record {i}: python3-avro reads {g!r}, expected {w!r}")
    print(f"{len(got)} records match")


def cmd_pymeta(path, key):
    _, meta = py_records(path)
    if key not in meta:
        fail(f"{path}: no metadata key {key}")
    sys.stdout.buffer.write(meta[key] + b"\n")


def sample(n, rate):
    counter = 1.0
    kept = []
    for i in range(n):
        counter += rate
        if counter >= 1:
            kept.append(i)
            counter -= 1
    return kept


def cmd_jsonblocks(text_file, layout_file):
    with open(text_file, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    lay = {}
    blocks = []
    with open(layout_file, encoding="utf-8") as f:
        for line in f:
            w = line.split()
            if w[0] == "block":
                blocks.append({w[k]: int(w[k + 1]) for k in range(2, len(w), 2)})
            else:
                lay[w[0]] = w[1]
    head, rest = lines[0], lines[1:]
    problems = []
    if head.get("codec") != lay["codec"]:
        problems.append(f"codec {head.get('codec')!r} != {lay['codec']!r}")
    if head.get("header_bytes") != int(lay["header"]):
        problems.append(f"header_bytes {head.get('header_bytes')} != {lay['header']}")
    if not isinstance(head.get("metadata"), list) or "avro.schema" not in head["metadata"]:
        problems.append(f"metadata {head.get('metadata')!r} lacks avro.schema")
    if len(rest) != len(blocks):
        problems.append(f"{len(rest)} block lines, layout has {len(blocks)} blocks")
    for i, (j, b) in enumerate(zip(rest, blocks)):
        want = {"block": i, "offset": b["offset"], "records": b["count"], "stored": b["size"],
                "sync_ok": True}
        if b["decoded"] >= 0:
            want["decoded"] = b["decoded"]
        for k, v in want.items():
            if j.get(k) != v or type(j.get(k)) is not type(v):
                problems.append(f"block {i}: {k} is {j.get(k)!r}, layout says {v!r}")
    if problems:
        fail("; ".join(problems))
    print(f"{len(rest)} blocks match")


def long_bytes(v):
    """Avro's zigzag varint of @v."""
    v = (v << 1) ^ (v >> 63)
    out = bytearray()
    while v > 0x7F:
        out.append(v & 0x7F | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def lz4_literals(data):
    """fastavro's lz4 block of @data as one literal run (LZ4's block format, no matches)."""
    n = len(data)
    run = bytes([n << 4]) if n < 15 else \
        bytes([0xF0]) + b"\xff" * ((n - 15) // 255) + bytes([(n - 15) % 255])
    return n.to_bytes(4, "little") + run + data


def cmd_lz4(src, dst, real):
    compress = lz4_literals
    if real:
        try:
            import lz4.block
        except ImportError:
            sys.exit(3)
        compress = lz4.block.compress
    try:
        buf, meta, sync, header, codec, blocks = walk(src)
    except Bad as e:
        fail(f"{src}: {e}")
    if codec != "null":
        fail(f"{src}: codec {codec}, not null")
    meta = dict(meta, **{"avro.codec": b"lz4"})
    out = bytearray(MAGIC + long_bytes(len(meta)))
    for k, v in meta.items():
        out += long_bytes(len(k)) + k.encode() + long_bytes(len(v)) + v
    out += long_bytes(0) + sync
    for b in blocks:
        z = compress(buf[b["data"]:b["sync"]])
        out += long_bytes(b["count"]) + long_bytes(len(z)) + z + sync
    with open(dst, "wb") as f:
        f.write(out)


def main(argv):
    if len(argv) < 2:
        fail("usage: see the docstring")
    cmd, args = argv[1], argv[2:]
    if cmd == "gen":
        for rec in gen(int(args[0]), int(args[1]) if len(args) > 1 else 0):
            print(json.dumps(rec, separators=(",", ":")))
    elif cmd == "schema":
        print(json.dumps(SCHEMA))
    elif cmd == "layout":
        cmd_layout(args[0])
    elif cmd == "metanorm":
        cmd_metanorm(args[0], args[1:] != ["--no-codec"])
    elif cmd == "stored":
        cmd_stored(args[0], int(args[1]))
    elif cmd == "bounds":
        cmd_bounds(args[0], int(args[1]))
    elif cmd == "crc64":
        cmd_crc64(args[0])
    elif cmd == "pycheck":
        cmd_pycheck(args[0], args[1])
    elif cmd == "pymeta":
        cmd_pymeta(args[0], args[1])
    elif cmd == "sample":
        print(" ".join(str(i) for i in sample(int(args[0]), float(args[1]))))
    elif cmd == "jsonblocks":
        cmd_jsonblocks(args[0], args[1])
    elif cmd == "lz4":
        cmd_lz4(args[0], args[1], args[2:] == ["--real"])
    else:
        fail(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
