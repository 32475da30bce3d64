#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write the seed corpus of fuzz_roundtrip.c: each file is a schema, a NUL byte, then datums
of that schema, written by hand here (zig-zag varints, blocks split on purpose, negative block
counts with sizes, varints that are not minimal, NaN payloads, strings that are not UTF-8).

    tests/fuzz/make_roundtrip_corpus.py     (rewrites tests/fuzz/corpus/roundtrip/seed-*)
"""
import json
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "roundtrip")


def long(v):
    z = (v << 1) ^ (v >> 63)
    z &= (1 << 64) - 1
    out = bytearray()
    while z >= 0x80:
        out.append((z & 0x7F) | 0x80)
        z >>= 7
    out.append(z)
    return bytes(out)


def string(b):
    if isinstance(b, str):
        b = b.encode()
    return long(len(b)) + b


ALL = {
    "type": "record", "name": "All", "namespace": "t", "fields": [
        {"name": "n", "type": "null"},
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"},
        {"name": "e", "type": {"type": "enum", "name": "Suit",
                               "symbols": ["HEARTS", "SPADES", "CLUBS"]}},
        {"name": "x", "type": {"type": "fixed", "name": "F2", "size": 2}},
        {"name": "a", "type": {"type": "array", "items": "int"}},
        {"name": "m", "type": {"type": "map", "values": "long"}},
        {"name": "u", "type": ["null", "string", "Suit"]},
        {"name": "date", "type": {"type": "int", "logicalType": "date"}},
        {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal",
                                 "precision": 5, "scale": 2}},
        {"name": "sub", "type": {"type": "record", "name": "Sub",
                                 "fields": [{"name": "z", "type": "int"}]}},
        {"name": "o", "type": ["null", "Sub"]},
    ]}


def all_datum(k):
    return (b"\x01" + long(-3 - k) + long(1234567890123) + struct.pack("<f", 1.5)
            + struct.pack("<d", -0.25) + string(b"\x00\xff") + string("h\u00e9llo")
            + long(2) + b"ab"
            + long(-2) + long(2) + long(1) + long(-1) + long(1) + long(7) + long(0)
            + long(1) + string("k") + long(7) + long(0)
            + long(2) + long(k % 3)
            + long(19000) + string(b"\x30\x39") + long(9) + long(1) + long(-1))


SEEDS = {
    "all-types": (ALL, all_datum(0) + all_datum(1)),
    "list": ({"type": "record", "name": "L", "fields": [
        {"name": "v", "type": "long"}, {"name": "next", "type": ["null", "L"]}]},
        long(1) + long(1) + long(2) + long(1) + long(3) + long(0)),
    "array-blocks": ({"type": "array", "items": "int"},
                     long(-2) + long(2) + long(1) + long(-1) + long(3) + long(5) + long(6)
                     + long(7) + long(0) + long(0)),
    "map-blocks": ({"type": "map", "values": "string"},
                   long(-1) + long(4) + string("a") + string("x") + long(2) + string("b")
                   + string("") + string("a") + string("again") + long(0)),
    "long-not-minimal": ("long", b"\x80\x80\x00" + b"\xff\xff\xff\xff\x0f" + long(-(1 << 63))),
    "int-limits": ("int", long(2**31 - 1) + long(-2**31) + b"\x81\x00"),
    "fixed-enum": ({"type": "record", "name": "FE", "fields": [
        {"name": "f", "type": {"type": "fixed", "name": "F4", "size": 4}},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}}]},
        b"\x00\x01\x02\x03" + long(1) + b"abcd" + long(0)),
    "union-primitives": (["null", "boolean", "int", "long", "float", "double", "bytes",
                          "string"],
                         long(0) + long(1) + b"\x00" + long(2) + long(-7) + long(3) + long(2**40)
                         + long(4) + struct.pack("<f", -0.0) + long(5)
                         + struct.pack("<d", float("inf")) + long(6) + string(b"\x80")
                         + long(7) + string("z")),
    "nan-payloads": ({"type": "array", "items": ["float", "double"]},
                     long(3) + long(0) + b"\x01\x00\x80\x7f" + long(1)
                     + b"\x01\x00\x00\x00\x00\x00\xf0\x7f" + long(0) + b"\x00\x00\xc0\x7f"
                     + long(0)),
    "nested": ({"type": "array", "items": {"type": "map", "values": {
        "type": "record", "name": "P", "fields": [
            {"name": "a", "type": {"type": "array", "items": ["null", "P"]}}]}}},
        long(2) + long(1) + string("k") + long(1) + long(1) + long(0) + long(0) + long(0)
        + long(-1) + long(3) + string("q") + long(0) + long(0) + long(0)),
    "not-utf8": ("string", string(b"ok") + string(b"\xc3\x28") + string(b"after")),
    "empty-record": ({"type": "record", "name": "Empty", "fields": []}, b""),
    "nulls": ({"type": "array", "items": "null"}, long(100) + long(0) + long(-3) + long(0)
              + long(0)),
    "logical": ({"type": "record", "name": "Lg", "fields": [
        {"name": "d", "type": {"type": "fixed", "name": "D", "size": 3,
                               "logicalType": "decimal", "precision": 6, "scale": 1}},
        {"name": "u", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "t", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "dur", "type": {"type": "fixed", "name": "Dur", "size": 12,
                                 "logicalType": "duration"}}]},
        b"\xff\x00\x01" + string("00000000-0000-0000-0000-000000000000") + long(-1)
        + bytes(range(12))),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (schema, datums) in SEEDS.items():
        with open(os.path.join(OUT, "seed-" + name), "wb") as f:
            f.write(json.dumps(schema, separators=(",", ":")).encode() + b"\x00" + datums)


if __name__ == "__main__":
    main()
