#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Rewrite a null-codec Avro data file in fastavro's lz4 codec, for tests/cli/lz4.bats.

    lz4file.py IN OUT [--real]

Each block's records become the decompressed size as 4 bytes little-endian followed by one
raw LZ4 block, as python-lz4's lz4.block.compress() makes them (fastavro's codec "lz4").
Without --real the LZ4 block is a single literal run, valid LZ4 that needs no library; with
--real it is lz4.block.compress()'s own output (exit 3 when python3-lz4 is missing). The
header keeps its metadata and sync marker, with avro.codec set to lz4.
"""

import struct
import sys


def read_long(b, i):
    n = shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return (n >> 1) ^ -(n & 1), i


def long_bytes(v):
    v = (v << 1) ^ (v >> 63)
    out = bytearray()
    while v > 0x7F:
        out.append(v & 0x7F | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def literals(data):
    n = len(data)
    run = bytes([n << 4]) if n < 15 else \
        bytes([0xF0]) + b"\xff" * ((n - 15) // 255) + bytes([(n - 15) % 255])
    return struct.pack("<I", n) + run + data


def main():
    src, dst = sys.argv[1], sys.argv[2]
    compress = literals
    if "--real" in sys.argv[3:]:
        try:
            import lz4.block
        except ImportError:
            return 3
        compress = lz4.block.compress
    b = open(src, "rb").read()
    if b[:4] != b"Obj\x01":
        sys.exit(f"{src}: not an Avro data file")
    i, meta = 4, {}
    while True:
        count, i = read_long(b, i)
        if count == 0:
            break
        if count < 0:
            count = -count
            _, i = read_long(b, i)
        for _ in range(count):
            n, i = read_long(b, i)
            key = b[i:i + n].decode()
            i += n
            n, i = read_long(b, i)
            meta[key] = b[i:i + n]
            i += n
    if meta.get("avro.codec", b"null") != b"null":
        sys.exit(f"{src}: codec {meta['avro.codec'].decode()}, not null")
    meta["avro.codec"] = b"lz4"
    sync = b[i:i + 16]
    i += 16
    out = bytearray(b"Obj\x01" + long_bytes(len(meta)))
    for k, v in meta.items():
        out += long_bytes(len(k)) + k.encode() + long_bytes(len(v)) + v
    out += long_bytes(0) + sync
    while i < len(b):
        count, i = read_long(b, i)
        size, i = read_long(b, i)
        z = compress(b[i:i + size])
        i += size + 16
        out += long_bytes(count) + long_bytes(len(z)) + z + sync
    open(dst, "wb").write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
