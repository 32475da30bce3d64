#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Deterministic benchmark data for avrokit.

Writes, for a dataset and a record count, the records in Avro's JSON encoding
(one record per line, unions as {"branch": value}, bytes and fixed as strings
of code points U+0000..U+00FF, Java-style numbers such as 1.0 and 1.5E-4) and
the dataset's schema. Only the Python 3 standard library is used, and only
random.Random.random() and getrandbits(), whose output for a given seed is the
same on every Python 3 version, so the same arguments always give the same
bytes.

    gen.py [--seed N] [--schema-out FILE] [-o FILE] DATASET COUNT
    gen.py --schema DATASET          print the schema
    gen.py --list                    list the datasets

The .avro files are made from this output with `avrokit fromjson` (see
bench/run.sh, which also passes the JSON through `avrokit fromjson | avrokit
tojson` so that it is byte for byte what avrokit prints).
"""

import argparse
import json
import math
import re
import random
import struct
import sys

# --------------------------------------------------------------------------
# Schemas

SMALL = {
    "type": "record",
    "name": "Reading",
    "namespace": "bench.avrokit",
    "doc": "A weather reading: the small, three-field benchmark record",
    "fields": [
        {"name": "station", "type": "string"},
        {"name": "time", "type": "long"},
        {"name": "temp", "type": "int"},
    ],
}

WIDE = {
    "type": "record",
    "name": "Event",
    "namespace": "bench.avrokit",
    "doc": "A realistic 16-field analytics event: the wide benchmark record",
    "fields": [
        {"name": "event_id", "type": "string"},
        {"name": "user_id", "type": "long"},
        {"name": "session_id", "type": "string"},
        {"name": "seq", "type": "int"},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "price", "type": "double"},
        {"name": "score", "type": "float"},
        {"name": "logged_in", "type": "boolean"},
        {"name": "referrer", "type": ["null", "string"], "default": None},
        {
            "name": "kind",
            "type": {
                "type": "enum",
                "name": "Kind",
                "symbols": ["VIEW", "CLICK", "SEARCH", "ADD_TO_CART", "PURCHASE", "SIGNUP"],
            },
        },
        {"name": "digest", "type": {"type": "fixed", "name": "Digest", "size": 16}},
        {"name": "payload", "type": "bytes"},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "counters", "type": {"type": "map", "values": "long"}},
        {
            "name": "device",
            "type": {
                "type": "record",
                "name": "Device",
                "fields": [
                    {"name": "os", "type": "string"},
                    {"name": "os_version", "type": "string"},
                    {"name": "model", "type": "string"},
                    {"name": "screen_width", "type": "int"},
                    {"name": "screen_height", "type": "int"},
                ],
            },
        },
        {"name": "url", "type": "string"},
    ],
}

RUST_STRING = {
    "type": "record",
    "name": "StringRecord",
    "namespace": "bench.avrokit",
    "doc": "One string field (the Rust-for-Python Avro benchmark's first schema)",
    "fields": [{"name": "field", "type": "string"}],
}


def _str_field(name):
    return {"name": name, "type": "string", "default": "NONE"}


RUST_USER = {
    "type": "record",
    "name": "userInfo",
    "namespace": "bench.avrokit",
    "doc": "The Rust-for-Python Avro benchmark's user record",
    "fields": [
        _str_field("username"),
        {"name": "age", "type": "int", "default": -1},
        _str_field("phone"),
        _str_field("housenum"),
        {
            "name": "address",
            "type": {
                "type": "record",
                "name": "mailing_address",
                "fields": [
                    _str_field("street"),
                    _str_field("city"),
                    _str_field("state_prov"),
                    _str_field("country"),
                    _str_field("zip"),
                ],
            },
        },
    ],
}

# --------------------------------------------------------------------------
# Number formatting the way Java's Double.toString / Float.toString print
# (with the shortest digits that read back, as avro-tools on a recent JDK and
# avrokit print them).


def _java_style(digits, exp10, negative):
    """digits: significant digits without a point; value = 0.digits * 10**exp10."""
    digits = digits.rstrip("0") or "0"
    sign = "-" if negative else ""
    if digits == "0":
        return sign + "0.0"
    # scientific exponent: value = d.ddd * 10**(exp10 - 1)
    sci = exp10 - 1
    if -3 <= sci < 7:
        if exp10 <= 0:
            return sign + "0." + "0" * (-exp10) + digits
        if len(digits) <= exp10:
            return sign + digits + "0" * (exp10 - len(digits)) + ".0"
        return sign + digits[:exp10] + "." + digits[exp10:]
    mant = digits[0] + "." + (digits[1:] or "0")
    return "%s%sE%d" % (sign, mant, sci)


def _split_repr(text):
    """'1.5e-05' or '123.25' -> (digits, exp10) with value 0.digits * 10**exp10."""
    mant, _, exp = text.lower().partition("e")
    exp = int(exp) if exp else 0
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    lead = len(whole.lstrip("0")) if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")))
    return digits, lead + exp


def java_double(x):
    if math.isnan(x) or math.isinf(x):
        raise ValueError("the generator never makes NaN or infinities")
    digits, exp10 = _split_repr(repr(abs(x)))
    return _java_style(digits, exp10, math.copysign(1.0, x) < 0)


def to_float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def java_float(x):
    """Shortest decimal that reads back to the same 32-bit float."""
    f32 = to_float32(x)
    for prec in range(1, 10):
        text = "%.*e" % (prec - 1, abs(f32))
        if to_float32(float(text)) == abs(f32):
            break
    digits, exp10 = _split_repr(text)
    return _java_style(digits, exp10, math.copysign(1.0, f32) < 0)


class Raw:
    """A number already formatted as JSON text."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def dump(value):
    """Compact JSON (',' and ':' without spaces, as avro-tools prints); Raw kept."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dump(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    if isinstance(value, str):
        text = json.dumps(value)
        # Java's Jackson (and avrokit) write \u escapes with capital hex digits
        return _ESCAPE.sub(_upper_escape, text) if "\\u" in text else text
    return json.dumps(value)


_ESCAPE = re.compile(r"\\u([0-9a-f]{4})")


def _upper_escape(match):
    return "\\u" + match.group(1).upper()


def codepoints(data):
    """Avro's JSON form of bytes and fixed: one code point per byte."""
    return data.decode("latin-1")


# --------------------------------------------------------------------------
# Record generators. Each takes a random.Random and the record index.


class Gen:
    def __init__(self, rng):
        self.rng = rng

    def below(self, n):
        return int(self.rng.random() * n)

    def between(self, lo, hi):
        return lo + self.below(hi - lo + 1)

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def raw_bytes(self, n):
        return self.rng.getrandbits(8 * n).to_bytes(n, "little") if n else b""

    def hexstr(self, n):
        return self.raw_bytes((n + 1) // 2).hex()[:n]

    def word(self, lo, hi):
        n = self.between(lo, hi)
        return "".join(self.pick("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


STATIONS = ["%06d-%05d" % (10000 + 7919 * i % 900000, 10000 + 104729 * i % 90000) for i in range(500)]


def small_record(g, i):
    return {
        "station": g.pick(STATIONS),
        "time": 1_600_000_000_000 + i * 60_000 + g.below(60_000),
        "temp": g.between(-400, 450),
    }


OSES = [("Android", ["12", "13", "14"]), ("iOS", ["16.6", "17.1", "17.4"]), ("Windows", ["10", "11"]),
        ("macOS", ["13.5", "14.2"]), ("Linux", ["6.1", "6.5"])]
MODELS = ["Pixel 8", "Galaxy S23", "iPhone 15", "iPhone 13 mini", "ThinkPad X1", "MacBook Air",
          "Dell XPS 13", "Moto G54", "Surface Pro 9", "Framework 13"]
SCREENS = [(1080, 2400), (1170, 2532), (1920, 1080), (2560, 1600), (1366, 768), (2880, 1864)]
REFERRERS = ["https://www.google.com/", "https://duckduckgo.com/", "https://news.ycombinator.com/",
             "https://t.co/abc123", "https://www.bing.com/search?q=avro", "https://example.org/blog/avro"]
PAGES = ["/", "/search", "/cart", "/checkout", "/account", "/help/shipping", "/category/books",
         "/category/garden-tools", "/product", "/signup"]
TAGS = ["mobile", "desktop", "beta", "returning", "new", "promo", "ab-test-42", "eu", "us",
        "premium", "trial", "weekend", "organic", "paid", "email"]
COUNTERS = ["clicks", "scrolls", "impressions", "errors", "retries", "bytes_in", "bytes_out", "latency_ms"]
KINDS = WIDE["fields"][9]["type"]["symbols"]


def wide_record(g, i):
    os_name, versions = g.pick(OSES)
    width, height = g.pick(SCREENS)
    session = g.hexstr(16)
    ref = g.pick(REFERRERS) if g.below(3) else None
    page = g.pick(PAGES)
    url = "https://shop.example.com%s?id=%d" % (page, g.below(1_000_000))
    ntags = g.between(0, 3)
    tags = [g.pick(TAGS) for _ in range(ntags)]
    ncount = g.between(1, 2)
    counters = {}
    for _ in range(ncount):
        counters[g.pick(COUNTERS)] = g.below(1 << g.between(4, 40))
    uid = g.hexstr(32)
    event_id = "%s-%s-4%s-%s-%s" % (uid[0:8], uid[8:12], uid[13:16], uid[16:20], uid[20:32])
    price = round(g.rng.random() * 500, 2) if g.below(4) else g.rng.random() * 10 ** g.between(-6, 8)
    return {
        "event_id": event_id,
        "user_id": g.below(1 << 40),
        "session_id": session,
        "seq": g.below(5000),
        "ts": 1_700_000_000_000 + i * 250 + g.below(250),
        "price": Raw(java_double(price)),
        "score": Raw(java_float(g.rng.random() * 2 - 0.5)),
        "logged_in": g.below(2) == 1,
        "referrer": None if ref is None else {"string": ref},
        "kind": g.pick(KINDS),
        "digest": codepoints(g.raw_bytes(16)),
        "payload": codepoints(g.raw_bytes(g.between(0, 8))),
        "tags": tags,
        "counters": counters,
        "device": {
            "os": os_name,
            "os_version": g.pick(versions),
            "model": g.pick(MODELS),
            "screen_width": width,
            "screen_height": height,
        },
        "url": url,
    }


def rust_string_record(g, i):
    return {"field": g.word(8, 40)}


FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter"]
STREETS = ["Main Street", "Oak Avenue", "Elm Road", "Station Lane", "Harbour Way", "Mill Close"]
CITIES = [("Springfield", "IL", "USA"), ("Leeds", "West Yorkshire", "UK"), ("Lyon", "Rhone", "France"),
          ("Porto", "Porto", "Portugal"), ("Osaka", "Osaka", "Japan"), ("Halifax", "NS", "Canada")]


def rust_user_record(g, i):
    city, state, country = g.pick(CITIES)
    return {
        "username": "%s%d" % (g.pick(FIRST), g.below(10000)),
        "age": g.between(18, 95),
        "phone": "%03d-%03d-%04d" % (g.between(200, 999), g.below(1000), g.below(10000)),
        "housenum": str(g.between(1, 2500)),
        "address": {
            "street": g.pick(STREETS),
            "city": city,
            "state_prov": state,
            "country": country,
            "zip": "%05d" % g.below(100000),
        },
    }


DATASETS = {
    "small": (SMALL, small_record),
    "wide": (WIDE, wide_record),
    "rust-string": (RUST_STRING, rust_string_record),
    "rust-user": (RUST_USER, rust_user_record),
}


def generate(name, count, seed, out):
    _, make = DATASETS[name]
    g = Gen(random.Random("avrokit-bench:%s:%d" % (name, seed)))
    buf = []
    for i in range(count):
        buf.append(dump(make(g, i)))
        if len(buf) >= 4096:
            out.write("\n".join(buf) + "\n")
            buf = []
    if buf:
        out.write("\n".join(buf) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write deterministic Avro JSON benchmark data.")
    ap.add_argument("dataset", nargs="?", choices=sorted(DATASETS))
    ap.add_argument("count", nargs="?", type=int)
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("-o", "--output", help="write the records here (default: standard output)")
    ap.add_argument("--schema-out", metavar="FILE", help="also write the schema (.avsc) here")
    ap.add_argument("--schema", action="store_true", help="print the dataset's schema and exit")
    ap.add_argument("--list", action="store_true", help="list the datasets and exit")
    args = ap.parse_args(argv)

    if args.list:
        for name in sorted(DATASETS):
            print(name)
        return 0
    if args.dataset is None:
        ap.error("a dataset is needed")
    schema = DATASETS[args.dataset][0]
    if args.schema:
        print(json.dumps(schema, indent=2))
        return 0
    if args.count is None or args.count < 0:
        ap.error("a record count (0 or more) is needed")
    if args.schema_out:
        with open(args.schema_out, "w", encoding="utf-8") as f:
            f.write(json.dumps(schema, indent=2) + "\n")
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            generate(args.dataset, args.count, args.seed, f)
    else:
        out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)
        try:
            generate(args.dataset, args.count, args.seed, out)
            out.flush()
        except BrokenPipeError:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
