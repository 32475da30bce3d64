#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write hostile Avro files for tests/cli/hostile.bats: python3 hostile.py KIND OUT.

Its encoding helpers (zz, s, header, SYNC) also serve tests/cli/common.bash's mkavro, which
imports them.
"""
import sys
import zlib


def zz(v):
    v = (v << 1) ^ (v >> 63)
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def s(b):
    return zz(len(b)) + b


SYNC = bytes(range(16))


def header(schema, codec=b"null", extra=b""):
    n = 2 + (1 if extra else 0)
    meta = s(b"avro.schema") + s(schema) + s(b"avro.codec") + s(codec)
    if extra:
        meta += extra
    return b"Obj\x01" + zz(n) + meta + zz(0) + SYNC


def main():
    kind, out = sys.argv[1], sys.argv[2]
    if kind == "bomb":  # one deflate block that inflates to 1 GiB of zeros
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        data = c.compress(b"\0" * (1 << 30)) + c.flush()
        body = header(b'"null"', b"deflate") + zz(5) + zz(len(data)) + data + SYNC
    elif kind == "meta-million":  # a million metadata entries
        parts = [b"Obj\x01", zz(1000002), s(b"avro.schema"), s(b'"int"'), s(b"avro.codec"),
                 s(b"null")]
        parts += [s(b"k%d" % i) + s(b"v") for i in range(1000000)]
        parts += [zz(0), SYNC, zz(1), zz(1), zz(42), SYNC]
        body = b"".join(parts)
    elif kind == "meta-huge-count":  # a metadata map that declares 2^40 entries
        body = b"Obj\x01" + zz(1 << 40) + s(b"k") + s(b"v")
    elif kind == "block-huge":  # a block that declares 2^40 bytes
        body = header(b'"int"') + zz(1) + zz(1 << 40) + b"\x02"
    elif kind == "count-huge":  # 2^60 null records in a block of 0 bytes
        body = header(b'"null"') + zz(1 << 60) + zz(0) + SYNC
    elif kind == "count-mismatch":  # 1000 ints declared, 3 bytes there
        body = header(b'"int"') + zz(1000) + zz(3) + b"\x02\x04\x06" + SYNC
    elif kind == "negative-length":  # a string of length -5
        body = header(b'"string"') + zz(1) + zz(1) + zz(-5) + SYNC
    elif kind == "overlong-varint":  # an 11-byte varint as the block count
        body = header(b'"int"') + b"\x80" * 10 + b"\x00" + zz(1) + b"\x02" + SYNC
    elif kind == "deep-schema":  # arrays nested 300 deep
        sch = b'{"type":"array","items":' * 300 + b'"int"' + b"}" * 300
        body = header(sch)
    elif kind == "deep-data":  # a recursive type nested 100,000 deep in the data
        sch = b'{"type":"record","name":"N","fields":[{"name":"n","type":["null","N"]}]}'
        data = b"\x02" * 100000 + b"\x00"
        body = header(sch) + zz(1) + zz(len(data)) + data + SYNC
    elif kind == "wide-schema":  # a record of 150,000 int fields, one record
        fields = b",".join(b'{"name":"f%d","type":"int"}' % i for i in range(150000))
        rec = b"".join(zz(i % 50) for i in range(150000))
        body = header(b'{"type":"record","name":"W","fields":[' + fields + b"]}") + zz(1) + \
            zz(len(rec)) + rec + SYNC
    else:
        sys.exit("unknown kind " + kind)
    with open(out, "wb") as f:
        f.write(body)


if __name__ == "__main__":
    main()
