#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Peer round trip: files written by python3-avro and avro-c, read by avrokit.

    peers.py selftest
    peers.py generate DIR
    peers.py tojson AVROKIT FILE...     records match the Python datums (values)
    peers.py count AVROKIT FILE...      `avrokit count` = number of records
    peers.py text AVROKIT SET FILE...   exact text of records (SET: pinned, subnormal, normal)
    peers.py avrocat FILE...            avrocat reads the files and prints the same records

generate writes DIR/schema.avsc, DIR/expected.jsonl (the Avro JSON avro-tools would
print), DIR/py-CODEC.avro for every codec python3-avro has here, DIR/c-CODEC.avro
(python's null-codec file re-encoded by avro-c's avromod) for every codec avromod has,
and DIR/files.txt listing them.  The records come from a seeded generator, so the other
commands compute the same records again.  Exit status 0 when all is well, 1 on a
mismatch (each one printed), 2 when a tool is missing.
"""

import datetime
import decimal
import json
import math
import os
import random
import re
import struct
import subprocess
import sys
import uuid

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import avrojson as aj  # noqa: E402

SEED = 20240531
N_RANDOM = 190
DEC_SCALE = 4
NS = "org.avrokit.interop"

SCHEMA = {
    "type": "record", "name": "Everything", "namespace": NS,
    "doc": "every Avro type, for the peer round trip",
    "fields": [
        {"name": "n", "type": "null"},
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"},
        {"name": "inner", "type": {
            "type": "record", "name": "Inner", "fields": [
                {"name": "id", "type": "int"},
                {"name": "tags", "type": {"type": "array", "items": "string"}},
                {"name": "deeper", "type": {
                    "type": "record", "name": "Deeper", "namespace": "org.avrokit.other",
                    "fields": [
                        {"name": "x", "type": "double"},
                        {"name": "flag", "type": ["null", "boolean"]},
                    ]}},
            ]}},
        {"name": "color", "type": {"type": "enum", "name": "Color",
                                   "symbols": ["RED", "GREEN", "BLUE", "_x9"]}},
        {"name": "longs", "type": {"type": "array", "items": "long"}},
        {"name": "floats", "type": {"type": "map", "values": "float"}},
        {"name": "doubles", "type": {"type": "array", "items": "double"}},
        {"name": "choice", "type": [
            "null", "string",
            {"type": "record", "name": "Point", "fields": [
                {"name": "x", "type": "int"}, {"name": "y", "type": "int"}]},
            {"type": "array", "items": "int"}]},
        {"name": "pick", "type": [
            "null", "bytes", "Color",
            {"type": "fixed", "name": "MD5", "size": 16},
            "double", "org.avrokit.other.Deeper"]},
        {"name": "hash", "type": "MD5"},
        {"name": "tree", "type": {
            "type": "record", "name": "Node", "fields": [
                {"name": "label", "type": "string"},
                {"name": "kids", "type": {"type": "array", "items": "Node"}},
                {"name": "next", "type": ["null", "Node"]}]}},
        {"name": "nested", "type": {"type": "array", "items": {
            "type": "map", "values": {"type": "array", "items": "double"}}}},
        {"name": "mu", "type": {"type": "map", "values": [
            # float before long: python3-avro writes the last branch that validates, and an
            # int validates as a float
            "null", "float", "long", "org.avrokit.other.Deeper", {"type": "map", "values": "string"}]}},
        {"name": "date", "type": {"type": "int", "logicalType": "date"}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal",
                                 "precision": 38, "scale": DEC_SCALE}},
        {"name": "uuid", "type": {"type": "string", "logicalType": "uuid"}},
        # date before timestamp-millis: python3-avro writes the LAST branch that validates,
        # and a datetime is also a date
        {"name": "when", "type": ["null", {"type": "int", "logicalType": "date"},
                                  {"type": "long", "logicalType": "timestamp-millis"}]},
    ],
}

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
FLT_MAX = aj.FLT_MAX
FLT_MIN = struct.unpack("<f", struct.pack("<I", 0x00800000))[0]       # smallest normal
FLT_TRUE_MIN = struct.unpack("<f", struct.pack("<I", 1))[0]           # smallest subnormal
FLT_MAX_SUB = struct.unpack("<f", struct.pack("<I", 0x007FFFFF))[0]   # largest subnormal
DBL_MAX = sys.float_info.max
DBL_MIN = sys.float_info.min
DBL_TRUE_MIN = 5e-324
DBL_MAX_SUB = struct.unpack("<d", struct.pack("<Q", 0x000FFFFFFFFFFFFF))[0]
NAN, INF = math.nan, math.inf


DEC_CTX = decimal.Context(prec=60)


def dec(s):
    return decimal.Decimal(s).quantize(decimal.Decimal(1).scaleb(-DEC_SCALE), context=DEC_CTX)


def leaf(label):
    return {"label": label, "kids": [], "next": None}


def base(**kw):
    """A small valid record; keyword arguments replace fields."""
    r = {
        "n": None, "b": False, "i": 0, "l": 0, "f": 0.0, "d": 0.0, "by": b"", "s": "",
        "inner": {"id": 0, "tags": [], "deeper": {"x": 0.0, "flag": None}},
        "color": "RED", "longs": [], "floats": {}, "doubles": [], "choice": None,
        "pick": None, "hash": bytes(16), "tree": leaf(""), "nested": [], "mu": {},
        "date": datetime.date(1970, 1, 1), "ts": datetime.datetime(1970, 1, 1, tzinfo=UTC),
        "dec": dec("0"), "uuid": "00000000-0000-0000-0000-000000000000", "when": None,
    }
    r.update(kw)
    return r


# Records whose exact text is pinned (ASCII only, so that only the spelling of numbers,
# unions and structure is pinned, not a choice of string escapes).
PINNED = [
    base(),
    base(b=True, i=2**31 - 1, l=2**63 - 1, f=FLT_MAX, d=DBL_MAX, by=b"max", s="max",
         inner={"id": 1, "tags": ["a", "b"], "deeper": {"x": 1.0, "flag": True}},
         color="_x9", longs=[0, 1, -1, 2**31, -2**31 - 1, 2**63 - 1, -2**63],
         floats={"one": 1.0, "tenth": 0.1, "e7": 1e7, "below_e7": 9999999.0, "p24": 16777216.0,
                 "third": 1 / 3, "milli": 0.001, "below_milli": 0.000999, "minnorm": FLT_MIN,
                 "neg0": -0.0, "big": 1.2345678e20, "i123456789": 123456789.0},
         doubles=[1e16, 1e-4, 0.001, 0.000999, 9999999.0, 1e7, 1e23, 0.1, 1 / 3, 2.0**53 + 2,
                  DBL_MIN, -1.5, 100.0, 123456789.0, 1e21, 1e22, 4.35, 0.3, 2 / 3, 1e-300,
                  6.02214076e23, -0.0],
         choice={"x": 2**31 - 1, "y": -2**31}, pick="GREEN", hash=b"0123456789abcdef",
         tree={"label": "root", "kids": [leaf("k1"), leaf("k2")], "next": leaf("n")},
         nested=[{"a": [1.0, 2.5]}, {}, {"b": []}],
         mu={"null": None, "long": 2**63 - 1, "float": 1.5, "rec": {"x": 2.0, "flag": False},
             "map": {"k": "v"}},
         date=datetime.date(9999, 12, 31),
         ts=datetime.datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC),
         dec=dec("9999999999999999999999999999999999.9999"),
         uuid="ffffffff-ffff-4fff-bfff-ffffffffffff",
         when=datetime.datetime(2001, 2, 3, 4, 5, 6, 7000, tzinfo=UTC)),
    base(i=-2**31, l=-2**63, f=-FLT_MAX, d=-DBL_MAX, by=b"min", s="min",
         floats={"nan": NAN, "inf": INF, "ninf": -INF, "neg": -1.0},
         doubles=[NAN, INF, -INF, -0.0, -1e-4, -1e16],
         choice="", pick=NAN, tree=leaf("x"),
         mu={"nan": NAN, "ninf": -INF},
         date=datetime.date(1, 1, 1), ts=datetime.datetime(1, 1, 1, tzinfo=UTC),
         dec=dec("-9999999999999999999999999999999999.9999"),
         when=datetime.date(1969, 12, 31)),
    base(choice=[], pick={"x": -0.0, "flag": None}, dec=dec("0.0128"), color="BLUE",
         longs=[0], doubles=[0.0], floats={"": 0.0}, mu={"": {"": ""}},
         tree={"label": "a", "kids": [], "next": {"label": "b", "kids": [], "next": leaf("c")}},
         ts=datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC),
         when=datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)),
    base(choice=[-1, 0, 1, 2**31 - 1], pick=b"ab", dec=dec("-0.0128"), f=-1.0, d=-2.5),
]

# Subnormal floats and doubles: a separate pinned set.
SUBNORMAL = [
    base(f=FLT_TRUE_MIN, d=DBL_TRUE_MIN,
         floats={"true_min": FLT_TRUE_MIN, "max_sub": FLT_MAX_SUB, "e40": 1e-40,
                 "neg_min": -FLT_TRUE_MIN, "2min": aj.f32(2 * FLT_TRUE_MIN)},
         doubles=[DBL_TRUE_MIN, -DBL_TRUE_MIN, 2 * DBL_TRUE_MIN, 3 * DBL_TRUE_MIN, DBL_MAX_SUB,
                  1e-310, 1.5e-323, 2.5e-320]),
]

UNICODE_SAMPLES = [
    "é", "ÿ", "\u0100", "\u20ac", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff", "中文",
    "\U0001F600", "\U00010000", "\U0010FFFF", "\U0001D11E", "a\u0301", "\x7f", "\x00",
    "\x1f", '"', "\\", "/", "\t\n\r\b\f", "</script>",
]


def edge_records():
    """Hand-made records with edge values that are not pinned to exact text."""
    allbytes = bytes(range(256))
    recs = [
        base(by=allbytes, s="".join(UNICODE_SAMPLES), hash=allbytes[240:],
             inner={"id": -1, "tags": UNICODE_SAMPLES + [""], "deeper": {"x": -0.0, "flag": False}},
             choice="\U0001F600\x00end", pick=allbytes[:15],
             floats={s: float(i) for i, s in enumerate(UNICODE_SAMPLES)},
             mu={"s": {"\U0001F600": "\U0010FFFF", "": "", "nul": "a\x00b"}},
             tree=leaf("\U0001F333 tree \x00")),
        base(by=bytes(reversed(allbytes)), pick=bytes(16), hash=bytes([0xFF] * 16),
             s="\x00" * 3, choice="\U0001F4A9" * 50),
        base(pick=allbytes[100:116]),   # a 16-byte value: python picks the MD5 branch
    ]
    # deep nesting: a 120-long chain through the union, and a 40-deep tree of kids
    node = leaf("end")
    for k in range(120):
        node = {"label": str(k), "kids": [], "next": node}
    kids = leaf("bottom")
    for k in range(40):
        kids = {"label": f"d{k}", "kids": [kids, leaf("")], "next": None}
    recs.append(base(tree=node, s="deep chain"))
    recs.append(base(tree=kids, s="deep kids", nested=[{"k": [float(j) for j in range(50)]}] * 20))
    # wide
    recs.append(base(longs=list(range(-1000, 1000, 7)), floats={f"k{j}": j / 8 for j in range(200)},
                     doubles=[j * 1e-3 for j in range(300)],
                     inner={"id": 7, "tags": [str(j) for j in range(300)],
                            "deeper": {"x": 1e300, "flag": True}}))
    # logical-type edges
    for v in ("0.0001", "-0.0001", "0.0127", "0.0128", "-0.0128", "-0.0129", "3.2767", "-3.2768",
              "1", "-1", "12345678901234567890.1234"):
        recs.append(base(dec=dec(v), s=f"dec {v}"))
    recs.append(base(when=datetime.date(1, 1, 1), date=datetime.date(2000, 2, 29),
                     ts=datetime.datetime(2038, 1, 19, 3, 14, 8, tzinfo=UTC)))
    return recs


def rand_f32(rng):
    r = rng.random()
    if r < 0.4:
        while True:
            x = struct.unpack("<f", struct.pack("<I", rng.getrandbits(32)))[0]
            if math.isfinite(x):
                return x
    if r < 0.7:
        return aj.f32(round(rng.uniform(-1000, 1000), rng.randint(0, 6)))
    if r < 0.85:
        return aj.f32(float(10) ** rng.randint(-44, 38) * rng.choice((1, -1, 3, 1.5)))
    return float(rng.randint(-2**24, 2**24))


def rand_f64(rng):
    r = rng.random()
    if r < 0.4:
        while True:
            x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if math.isfinite(x):
                return x
    if r < 0.7:
        return round(rng.uniform(-1e6, 1e6), rng.randint(0, 10))
    if r < 0.85:
        return float(10) ** rng.randint(-323, 308) * rng.choice((1, -1, 7))
    return float(rng.randint(-2**53, 2**53))


def rand_str(rng, maxlen=12):
    out = []
    for _ in range(rng.randint(0, maxlen)):
        r = rng.random()
        if r < 0.6:
            out.append(chr(rng.randint(0x20, 0x7E)))
        elif r < 0.7:
            out.append(chr(rng.randint(0x80, 0xFF)))
        elif r < 0.85:
            c = rng.randint(0x100, 0xFFFD)
            out.append(chr(c if not 0xD800 <= c <= 0xDFFF else 0x4E2D))
        elif r < 0.95:
            out.append(chr(rng.randint(0x10000, 0x10FFFF)))
        else:
            out.append(chr(rng.randint(0, 0x1F)))
    return "".join(out)


def rand_bytes(rng, maxlen=20):
    return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, maxlen)))


def rand_deeper(rng):
    return {"x": rand_f64(rng), "flag": rng.choice([None, True, False])}


def rand_tree(rng, depth):
    kids = [] if depth <= 0 else [rand_tree(rng, depth - 1) for _ in range(rng.randint(0, 2))]
    nxt = None if depth <= 0 or rng.random() < 0.5 else rand_tree(rng, depth - 1)
    return {"label": rand_str(rng, 5), "kids": kids, "next": nxt}


def random_record(rng):
    r = base(
        b=rng.random() < 0.5,
        i=rng.choice([rng.randint(-2**31, 2**31 - 1), rng.randint(-100, 100), -2**31, 2**31 - 1]),
        l=rng.choice([rng.randint(-2**63, 2**63 - 1), rng.randint(-100, 100), -2**63, 2**63 - 1,
                      rng.randint(-2**40, 2**40)]),
        f=rand_f32(rng), d=rand_f64(rng), by=rand_bytes(rng), s=rand_str(rng),
        inner={"id": rng.randint(-2**31, 2**31 - 1),
               "tags": [rand_str(rng, 6) for _ in range(rng.randint(0, 4))],
               "deeper": rand_deeper(rng)},
        color=rng.choice(["RED", "GREEN", "BLUE", "_x9"]),
        longs=[rng.randint(-2**63, 2**63 - 1) for _ in range(rng.randint(0, 5))],
        floats={rand_str(rng, 4) + str(j): rand_f32(rng) for j in range(rng.randint(0, 4))},
        doubles=[rand_f64(rng) for _ in range(rng.randint(0, 5))],
        hash=bytes(rng.getrandbits(8) for _ in range(16)),
        tree=rand_tree(rng, rng.randint(0, 4)),
        nested=[{rand_str(rng, 3): [rand_f64(rng) for _ in range(rng.randint(0, 3))]
                 for _ in range(rng.randint(0, 2))} for _ in range(rng.randint(0, 3))],
        date=datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(-719162, 2932896)),
        ts=EPOCH + datetime.timedelta(milliseconds=rng.randint(-62135596800000, 253402300799999)),
        dec=decimal.Decimal(rng.randint(-10**38 + 1, 10**38 - 1)).scaleb(-DEC_SCALE, context=DEC_CTX),
        uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    )
    c = rng.randint(0, 3)
    r["choice"] = [None, rand_str(rng), {"x": rng.randint(-2**31, 2**31 - 1), "y": rng.randint(-9, 9)},
                   [rng.randint(-2**31, 2**31 - 1) for _ in range(rng.randint(0, 4))]][c]
    p = rng.randint(0, 5)
    pick_bytes = rand_bytes(rng)
    while len(pick_bytes) == 16:
        pick_bytes = rand_bytes(rng)
    r["pick"] = [None, pick_bytes, rng.choice(["RED", "GREEN", "BLUE"]),
                 bytes(rng.getrandbits(8) for _ in range(16)), rand_f64(rng), rand_deeper(rng)][p]
    mu = {}
    for j in range(rng.randint(0, 4)):
        mu[f"m{j}"] = rng.choice([None, rng.randint(-2**63, 2**63 - 1), rand_f32(rng), rand_deeper(rng),
                                  {rand_str(rng, 3): rand_str(rng, 3)}])
    r["mu"] = mu
    r["when"] = rng.choice([None, EPOCH + datetime.timedelta(milliseconds=rng.randint(-2**40, 2**40)),
                            datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(-9999, 9999))])
    if rng.random() < 0.03:   # a few records hold NaN or infinity (avrocat cannot print those)
        r["d"] = rng.choice([NAN, INF, -INF])
        r["floats"]["special"] = rng.choice([NAN, INF, -INF])
    return r



def records():
    rng = random.Random(SEED)
    recs = list(PINNED) + list(SUBNORMAL) + edge_records()
    recs += [random_record(rng) for _ in range(N_RANDOM)]
    return recs


def pinned_indexes(which):
    """Records whose exact text is checked: pinned (hand-made, ASCII), subnormal (the
    subnormal float/double record), normal (every record without a subnormal value)."""
    if which == "pinned":
        return list(range(len(PINNED)))
    if which == "subnormal":
        return list(range(len(PINNED), len(PINNED) + len(SUBNORMAL)))
    if which == "normal":
        return [k for k, r in enumerate(records())
                if not aj.has_subnormal(aj.datum_canon(SCHEMA_NODE, r))]
    raise SystemExit(f"peers.py: unknown record set {which!r}")


SCHEMA_NODE = aj.parse_schema(SCHEMA)


def expected(path=None):
    """(Python records, their canonical values) for the file at path.

    avro-c keeps map keys as C strings: a key holding U+0000 is cut there when avromod
    re-encodes a file (an avro-c fault).  The expectation for c-*.avro files says so."""
    recs = records()
    canon = [aj.datum_canon(SCHEMA_NODE, r) for r in recs]
    if path and os.path.basename(path).startswith("c-"):
        canon = [aj.avro_c_map_keys(c) for c in canon]
    return recs, canon


# ---------------------------------------------------------------------------

def selftest():
    """Check the expectation machinery itself against values known from Java."""
    bad = 0
    cases_d = [(1e16, "1.0E16"), (1e-4, "1.0E-4"), (1.0, "1.0"), (0.001, "0.001"), (1e7, "1.0E7"),
               (9999999.0, "9999999.0"), (-0.0, "-0.0"), (0.0, "0.0"), (DBL_MAX, "1.7976931348623157E308"),
               (DBL_MIN, "2.2250738585072014E-308"), (DBL_TRUE_MIN, "4.9E-324"), (0.1, "0.1"),
               (100.0, "100.0"), (1e23, "1.0E23"), (2.0**53 + 2, "9.007199254740994E15"),
               (123456789.0, "1.23456789E8"), (-1.5, "-1.5"), (NAN, '"NaN"'), (INF, '"Infinity"'),
               (-INF, '"-Infinity"'), (1 / 3, "0.3333333333333333"), (0.000999, "9.99E-4")]
    cases_f = [(0.1, "0.1"), (16777216.0, "1.6777216E7"), (FLT_MAX, "3.4028235E38"), (FLT_TRUE_MIN, "1.4E-45"),
               (FLT_MIN, "1.17549435E-38"), (1e10, "1.0E10"), (1 / 3, "0.33333334"),
               (123456789.0, "1.23456792E8"), (1.0, "1.0"), (NAN, '"NaN"'), (-0.0, "-0.0")]
    # Java before JDK 19 printed a few floats with a needless 9th digit (1.17549435E-38,
    # 1.23456792E8); JDK 19+ and avrokit print the shortest: accept either for those.
    jdk19 = {FLT_MIN: "1.1754944E-38", 123456789.0: "1.2345679E8"}
    for x, want in cases_d:
        got = aj.java_double(x)
        if got != want:
            print(f"selftest: java_double({x!r}) = {got}, expected {want}")
            bad += 1
    for x, want in cases_f:
        got = aj.java_float(aj.f32(x))
        if got != want and got != jdk19.get(x):
            print(f"selftest: java_float({x!r}) = {got}, expected {want}")
            bad += 1
    # the brief's spelling rule: shortest repr, spelled the Java way
    for x, want in [(1e16, "1.0E16"), (1e-4, "1.0E-4"), (1.0, "1.0"), (DBL_TRUE_MIN, "5.0E-324")]:
        if aj.java_double(x, java=False) != want:
            print(f"selftest: shortest-style {x!r} = {aj.java_double(x, java=False)}, expected {want}")
            bad += 1
    # the generic shortest search agrees with Python's repr for doubles
    rng = random.Random(1)
    for _ in range(3000):
        x = abs(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0])
        if not math.isfinite(x) or x == 0:
            continue
        if aj.shortest_digits(x, False, java=False) != aj.python_repr_digits(x):
            print(f"selftest: shortest digits of {x!r} differ from repr")
            bad += 1
    # float32 shortest digits read back, and nothing shorter does
    for _ in range(3000):
        x = abs(struct.unpack("<f", struct.pack("<I", rng.getrandbits(32)))[0])
        if not math.isfinite(x) or x == 0:
            continue
        digs, e = aj.shortest_digits(x, True, java=False)
        if aj.dec_to_f32(f"{digs[0]}.{digs[1:]}E{e}") != x:
            print(f"selftest: float digits {digs}E{e} do not read back as {x!r}")
            bad += 1
        if len(digs) > 1:
            shorter = "%.*e" % (len(digs) - 2, x)
            if aj.dec_to_f32(shorter) == x:
                print(f"selftest: {shorter} is shorter than {digs} for float {x!r}")
                bad += 1
    # the converters agree with each other: text -> canonical == datum -> canonical
    recs, canon = expected()
    for k, (r, c) in enumerate(zip(recs, canon)):
        for java in (True, False):
            t = aj.datum_text(SCHEMA_NODE, r, java)
            got = aj.to_canon(SCHEMA_NODE, aj.loads(t))
            m = aj.diff(got, c)
            if m:
                print(f"selftest: record {k}: text does not parse back: {m}")
                bad += 1
    # union branch choice: full names, also for the other namespace
    t = aj.datum_text(SCHEMA_NODE, PINNED[3])
    if '"pick":{"org.avrokit.other.Deeper":{"x":-0.0,"flag":null}}' not in t:
        print(f"selftest: unexpected union text in {t}")
        bad += 1
    print(f"selftest: {len(recs)} records, {'FAILED' if bad else 'ok'}")
    return 1 if bad else 0


def python_codecs():
    import avro.codecs
    known = getattr(avro.codecs, "KNOWN_CODECS", {})
    order = ["null", "deflate", "snappy", "zstandard", "bzip2", "xz"]
    return [c for c in order if c in known]


AVROMOD_CODECS = ["null", "deflate", "snappy", "lzma", "xz", "zstandard", "bzip2"]


def generate(outdir):
    try:
        import avro.datafile
        import avro.io
        import avro.schema
    except ImportError as e:
        print(f"peers.py: python3-avro is not installed ({e})", file=sys.stderr)
        return 2
    os.makedirs(outdir, exist_ok=True)
    recs = records()
    text = json.dumps(SCHEMA)
    schema = avro.schema.parse(text)
    with open(os.path.join(outdir, "schema.avsc"), "w") as fh:
        fh.write(text + "\n")
    with open(os.path.join(outdir, "expected.jsonl"), "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(aj.datum_text(SCHEMA_NODE, r) + "\n")
    written = []
    for codec in python_codecs():
        path = os.path.join(outdir, f"py-{codec}.avro")
        with open(path, "wb") as fh:
            w = avro.datafile.DataFileWriter(fh, avro.io.DatumWriter(), schema, codec=codec)
            for r in recs:
                w.append(r)
            w.flush()
            w.close()
        # python reads its own file back
        with open(path, "rb") as fh:
            n = sum(1 for _ in avro.datafile.DataFileReader(fh, avro.io.DatumReader()))
        if n != len(recs):
            print(f"peers.py: python read {n} records back from {path}, wrote {len(recs)}")
            return 1
        written.append(("py", codec, path))
    src = os.path.join(outdir, "py-null.avro")
    for codec in AVROMOD_CODECS:
        path = os.path.join(outdir, f"c-{codec}.avro")
        p = subprocess.run(["avromod", f"--codec={codec}", src, path], capture_output=True, text=True)
        if p.returncode == 0:
            written.append(("c", codec, path))
        elif "Unknown codec" in p.stderr:
            if os.path.exists(path):
                os.unlink(path)
        else:
            print(f"peers.py: avromod --codec={codec} failed: {p.stderr.strip()}")
            return 1
    with open(os.path.join(outdir, "files.txt"), "w") as fh:
        for writer, codec, path in written:
            fh.write(f"{writer}\t{codec}\t{os.path.basename(path)}\n")
    for writer, codec, path in written:
        print(f"wrote {path} ({writer}, {codec})")
    print(f"{len(recs)} records")
    return 0


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "replace")


def check_tojson(avrokit, files):
    bad = 0
    for path in files:
        recs, canon = expected(path)
        rc, out, err = run([avrokit, "tojson", path])
        lines = out.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        errors = []
        if rc != 0 or err:
            errors.append(f"exit {rc}, stderr: {err.strip()}")
        if len(lines) != len(recs):
            errors.append(f"{len(lines)} lines, expected {len(recs)}")
        for k, (line, want) in enumerate(zip(lines, canon)):
            try:
                got = aj.to_canon(SCHEMA_NODE, aj.loads(line))
            except (aj.JSONError, ValueError) as e:
                errors.append(f"record {k}: {e}")
                continue
            m = aj.diff(got, want)
            if m:
                errors.append(f"record {k}: {m}")
        if errors:
            bad += 1
            print(f"FAIL {path}:")
            for e in errors[:10]:
                print(f"  {e}")
            if len(errors) > 10:
                print(f"  ... and {len(errors) - 10} more")
        else:
            print(f"ok {path}: {len(lines)} records")
    return 1 if bad else 0


def check_count(avrokit, files):
    n = len(records())
    bad = 0
    for path in files:
        rc, out, err = run([avrokit, "count", path])
        if rc != 0 or out.strip() != str(n):
            print(f"FAIL {path}: count printed {out.strip()!r} (exit {rc}, {err.strip()}), expected {n}")
            bad += 1
        else:
            print(f"ok {path}: {n}")
    return 1 if bad else 0


STRING_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"')


def same_string_escapes(line):
    """Respell every JSON string of a line with one escaping style, so the text comparison
    pins numbers, names, order and layout but not a choice of string escapes (Jackson
    writes U+0080..U+00FF raw, other writers as \\u00XX; both are the same JSON)."""
    return STRING_TOKEN.sub(lambda m: json.dumps(json.loads(m.group(0)), ensure_ascii=True), line)


def check_text(avrokit, which, files):
    recs = records()
    idx = pinned_indexes(which)
    bad = 0
    for path in files:
        ks = idx
        if os.path.basename(path).startswith("c-"):
            # records whose map keys avro-c cut at U+0000 are checked by value only
            _, canon = expected()
            ks = [k for k in idx if aj.avro_c_map_keys(canon[k]) == canon[k]]
        rc, out, err = run([avrokit, "tojson", path])
        lines = out.split("\n")
        nbad = 0
        for k in ks:
            got = lines[k] if k < len(lines) else "(missing)"
            java = aj.datum_text(SCHEMA_NODE, recs[k], java=True)
            short = aj.datum_text(SCHEMA_NODE, recs[k], java=False)
            if same_string_escapes(got) in (same_string_escapes(java), same_string_escapes(short)):
                continue
            nbad += 1
            print(f"FAIL {path}: record {k} text differs")
            if len(got) + len(java) < 2000:
                print(f"  got:      {got}")
                print(f"  expected: {java}")
                if short != java:
                    print(f"  (or, with the shortest digits and no Java two-digit rule: {short})")
            n = 0
            for x, y in zip(_tokens(same_string_escapes(got)), _tokens(same_string_escapes(java))):
                if x != y:
                    print(f"  difference: {x[:80]} vs {y[:80]}")
                    n += 1
                    if n == 5:
                        break
        if rc != 0:
            nbad += 1
            print(f"FAIL {path}: exit {rc}: {err.strip()}")
        if not nbad:
            print(f"ok {path}: the text of {len(ks)} records ({ks[0]}..{ks[-1]}) as expected")
        bad += nbad
    return 1 if bad else 0


def _tokens(line):
    return re.findall(r'"(?:[^"\\]|\\.)*"|[-+0-9.eE]+|[{}\[\]:,]|\w+', line)


def check_avrocat(files):
    bad = 0
    for path in files:
        recs, canon = expected(path)
        # avrocat (jansson) cannot print NaN or infinities: it skips such records with
        # "Cannot allocate JSON float/double" on stderr. Compare it with the other records.
        printable = [(k, c) for k, c in enumerate(canon) if not aj.has_nonfinite(c)]
        skipped = len(canon) - len(printable)
        rc, out, err = run(["avrocat", path])
        if rc != 0 and "unknown codec" in err.lower():
            print(f"avrocat cannot read {path}: {' '.join(err.split())} "
                  "(avrocat fault: avro-c has no such codec)")
            continue
        lines = [x for x in out.split("\n") if x != ""]
        errors = []
        nonfinite = re.compile(r"^Error converting value to JSON: Cannot allocate JSON (float|double)$")
        nskip = sum(1 for x in err.splitlines() if nonfinite.match(x))
        other_err = [x for x in err.splitlines() if x.strip() and not nonfinite.match(x)]
        if rc != 0 or other_err:
            errors.append(f"avrocat exit {rc}: {' / '.join(other_err)}")
        if nskip != skipped:
            errors.append(f"avrocat skipped {nskip} records for NaN/infinity, expected {skipped}")
        if len(lines) != len(printable):
            errors.append(f"avrocat printed {len(lines)} records, expected {len(printable)}")
        aj.diff.tolerated = []
        for line, (k, want) in zip(lines, printable):
            try:
                got = aj.to_canon(SCHEMA_NODE, aj.loads(line), short_names=True)
            except (aj.JSONError, ValueError) as e:
                errors.append(f"record {k}: {e}")
                continue
            want_c = aj.avro_c_map_keys(want)
            if want_c != want:
                aj.diff.tolerated.append((f"record {k}", aj.AVRO_C_MAP_KEYS))
            m = aj.diff(got, want_c, f"record {k}: $", tolerate=aj.avrocat_faults)
            if m:
                errors.append(m)
        if errors:
            bad += 1
            print(f"FAIL {path}:")
            for e in errors[:10]:
                print(f"  {e}")
            if len(errors) > 10:
                print(f"  ... and {len(errors) - 10} more")
        else:
            faults = {}
            for _, reason in aj.diff.tolerated:
                faults[reason] = faults.get(reason, 0) + 1
            print(f"ok {path}: avrocat printed the {len(lines)} records without NaN/infinity "
                  f"(skipped {nskip}: avrocat fault, jansson has no NaN/infinity)")
            for reason, n in sorted(faults.items()):
                print(f"  tolerated {n} x {reason}")
    return 1 if bad else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "selftest":
        return selftest()
    if cmd == "generate" and len(args) == 1:
        return generate(args[0])
    if cmd == "tojson" and len(args) >= 2:
        return check_tojson(args[0], args[1:])
    if cmd == "count" and len(args) >= 2:
        return check_count(args[0], args[1:])
    if cmd == "text" and len(args) >= 3:
        return check_text(args[0], args[1], args[2:])
    if cmd == "avrocat" and args:
        return check_avrocat(args)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
