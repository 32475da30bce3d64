#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test driven by random schemas: avrokit against python3-avro, avro-c, avsc.

    random_diff.py --avrokit PATH [--seed N] [--iterations K] [--time-budget SECONDS]
                   [--workdir DIR] [--keep] [--direction read|write|both]
                   [--peers py,c,js] [--only I] [-q] [--selftest-mismatch]
    random_diff.py --dump-schemas [--dump-records] [--seed N] [--iterations K | --only I]
    random_diff.py --selftest [--seed N] [--iterations K]
    random_diff.py --known

For iteration I of seed N it makes a random schema (records with nested and recursive
records, enums, fixed, arrays, maps, unions, every primitive, logical types, named types
used again by name, random valid names, namespaces, defaults) and random records for it
(edge values: empty strings, arrays and maps, int and long extremes and varint length
boundaries, NaN, infinities, -0.0, subnormals, non-ASCII and astral strings, random
bytes), then

  read  (peers write, avrokit reads): python3-avro writes the records with each codec it
        has here (blocks of 1 record to many; arrays and maps sometimes in several blocks,
        some with a byte size), avro-c's avromod re-encodes the null-codec file with each
        codec it has, avsc writes them (null, deflate, snappy) when node and avsc are
        found; `avrokit tojson` (from the file or a pipe, 1 to 4 threads) of every file
        must print the records;
  write (avrokit writes, peers read): the records as Avro JSON text (written here, with
        varied but valid spellings: escapes, number forms, whitespace, field order,
        defaulted fields left out, --array) go through `avrokit fromjson` with every codec
        it has (levels, block sizes and threads varied); python3-avro, avrocat and avsc
        must read back the same records (avrocat by value too, with its known faults
        tolerated), and so must `avrokit tojson`.

Records are compared as values (floats by bit pattern, every NaN equal, -0.0 apart from
0.0, unions by branch).  A disagreement prints the seed, the iteration, the schema, the
record index and both values, and the iteration's files stay in WORKDIR/iter-I (with
--keep every iteration's files stay).  Known peer limitations (table KNOWN below,
--known prints it) are avoided or reported as "known", not as failures.  avrokit bugs
found and not fixed yet (table KNOWN_AVROKIT) are avoided too, unless AK_KNOWN_BUGS=1.

--only I runs iteration I alone (to reproduce one); --dump-schemas prints the schemas
(one JSON line each; --dump-records adds the records, as Avro JSON) and runs nothing;
--selftest checks the generator and converters (python3-avro parses every schema, values
convert to each peer's form and back); --selftest-mismatch changes one expected record
after the files are written, so the run must fail (exit 1): the comparison is not vacuous.

Exit status: 0 all agree, 1 a disagreement (or a selftest failure), 2 a required tool is
missing or the command line is wrong.
"""

import argparse
import datetime
import decimal
import io
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import uuid
import warnings

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import avrojson as aj  # noqa: E402

INT_MIN, INT_MAX = aj.INT_MIN, aj.INT_MAX
LONG_MIN, LONG_MAX = aj.LONG_MIN, aj.LONG_MAX

# ---------------------------------------------------------------------------
# Known peer limitations.  Each is either avoided (the shape is not given to that peer,
# or that peer's check is not made) or reported as "known" when it shows; none of them is
# counted as a failure.  The key appears in the run's summary when it was used.

KNOWN = {
    "py-union-branch": (
        "python3-avro 1.11",
        "DatumWriter writes the LAST union branch that validates: an int datum in "
        "[\"int\", \"long\"] is written as long, a long in [\"long\", \"float\"] as a lossy "
        "float, a bool as an int, a dict as the last record whose fields accept it (a "
        "missing field counts as null)",
        "avoided: the writer is given each union's branch (write_union overridden), the "
        "reader reports it (read_union overridden); the encoding is python3-avro's own"),
    "py-validate": (
        "python3-avro 1.11",
        "DatumWriter.write() validates the datum first with the same last-branch logic",
        "avoided: write() goes straight to write_data()"),
    "py-logical-range": (
        "python3-avro 1.11",
        "date, time-millis/micros and timestamp-millis/micros values are Python date, time "
        "and datetime objects: values before year 1, after year 9999 or outside a day cannot "
        "be read (OverflowError/ValueError) or written",
        "avoided: such values are given to the writer as plain ints (python3-avro writes them "
        "as such); the reader falls back to the plain int for them"),
    "py-decimal-exponent": (
        "python3-avro 1.11",
        "write_decimal_bytes/fixed write a Decimal's digits ignoring its exponent, so 1.5 "
        "in a scale-4 decimal is written as 0.0015",
        "avoided: Decimal datums always have exactly `scale` decimal places"),
    "py-decimal-precision": (
        "python3-avro 1.11",
        "decimals are read in a context of the schema's precision: more digits are rounded",
        "avoided: decimal values have at most `precision` digits"),
    "py-decimal-form": (
        "python3-avro 1.11",
        "a decimal is read into a Decimal, so the bytes it was stored as (e.g. a needless "
        "sign byte) are lost; python3-avro's writer uses ceil((bits + 1) / 8) bytes",
        "avoided: decimal bytes are always python3-avro's own form"),
    "py-empty-namespace": (
        "python3-avro 1.11",
        "\"namespace\": \"\" is taken as no namespace attribute (the enclosing namespace is "
        "inherited), while the spec says the empty string is the null namespace: inside "
        "namespace a, {\"name\": \"X\", \"namespace\": \"\"} becomes a.X (then a clash, an "
        "unknown reference, or other union branch names)",
        "avoided: python3-avro neither writes nor reads data of such a schema; avromod "
        "re-encodes avrokit's null-codec file instead of python3-avro's"),
    "py-header-schema": (
        "python3-avro 1.11",
        "the schema it writes in the file header is str(schema), where a decimal fixed "
        "type (FixedDecimalSchema) used a second time by name is written out in full "
        "again: a second definition of the same name, which python3-avro itself, avrokit "
        "and avro-c then reject",
        "avoided: when python3-avro cannot parse its own str(schema), it does not write "
        "(avromod re-encodes avrokit's null-codec file instead)"),
    "py-no-xz": (
        "python3-avro 1.11",
        "has no xz codec",
        "avoided: python3-avro does not read avrokit's xz file"),
    "c-map-nul": (
        "avro-c 1.11 (avromod)",
        "map keys are C strings: a key holding U+0000 is cut there when avromod re-encodes",
        "expected: the values avromod writes have the keys cut (keys are generated so that "
        "cutting makes no duplicates)"),
    "c-logical-dropped": (
        "avro-c 1.11 (avromod)",
        "the schema avromod writes has no logicalType attributes",
        "harmless here: avrokit's Avro JSON prints logical types as their underlying type"),
    "c-no-codec": (
        "avro-c 1.11 (avrocat, avromod)",
        "has no bzip2, zstandard or (by that name) xz codec: it calls xz \"lzma\"",
        "avoided: avrocat does not read avrokit's bzip2, xz and zstandard files"),
    "c-fixed-0": (
        "avro-c 1.11 (avromod, avrocat)",
        "a fixed of size 0 fails with \"Cannot allocate new fixed value\"; avromod then "
        "exits 0 having written a file with no records",
        "avoided: avro-c does not see data of a schema with a fixed of size 0"),
    "c-block-size": (
        "avro-c 1.11 (avromod)",
        "its writer needs every record to fit in one block: with a --block-size smaller "
        "than a record, or the default (16 KiB) for a big record, it fails with \"Value "
        "too large for file block size\"",
        "avoided: avromod runs again with --block-size=64M"),
    "c-array-empty-items": (
        "avro-c 1.11 (avromod, avrocat)",
        "a non-empty array whose items hold no data in memory (records with no fields, "
        "or only such records, a fixed of size 0) fails with \"Couldn't expand array\"; "
        "avromod then exits 0, having written the records before it",
        "avoided: avro-c does not see data of such a schema"),
    "c-schema-nul": (
        "avro-c 1.11 (avromod, avrocat)",
        "jansson, without JSON_ALLOW_NUL, rejects a schema whose JSON holds \\u0000 (in a "
        "default value): \"Cannot parse file header\"",
        "avoided: avro-c does not see data of such a schema"),
    "avrocat-snappy-empty": (
        "avro-c 1.11 (avrocat)",
        "cannot decode a snappy block whose data is empty (records of zero bytes: an empty "
        "record, null, a fixed of size 0): \"Cannot allocate memory for snappy\", also for "
        "files avro-c wrote itself",
        "expected: that error, when some record encodes to zero bytes"),
    "avrocat-nonfinite": (
        "avro-c 1.11 (avrocat)",
        "jansson cannot print NaN or infinities: avrocat skips such records with "
        "\"Cannot allocate JSON float/double\"",
        "expected: those records are missing from its output, one message each"),
    "avrocat-nul": (
        "avro-c 1.11 (avrocat)",
        "prints bytes, fixed and string values as C strings, cut at the first 0x00",
        "tolerated: a value equal to the expected one cut at its first 0x00"),
    "avrocat-short-names": (
        "avro-c 1.11 (avrocat)",
        "union branches of named types are printed with the short name, so two branches "
        "with the same short name (a.X and b.X) cannot be told apart",
        "tolerated: a short name is accepted for a named branch; when it is ambiguous, the "
        "expected branch is taken if its short name matches"),
    "js-empty-namespace": (
        "avsc 5.7",
        "the schema it writes in a file header drops \"namespace\": \"\": inside namespace "
        "a, a type X of the null namespace is written as {\"name\": \"X\"} (so a.X), and "
        "readers then fail on a reference to X or a duplicate name",
        "avoided: avsc does not write data of such a schema (it still reads avrokit's)"),
    "js-null-datum": (
        "avsc 5.7",
        "files are read and written through node object streams, where null ends the "
        "stream: a file whose records are null (a top-level null or union) cannot be "
        "written (\"May not write null values to stream\") and reads as empty",
        "avoided: avsc does not see data where a record is null"),
    "js-long-default": (
        "avsc 5.7",
        "schemas are parsed with JSON.parse, so long defaults beyond 2^53 lose digits; a "
        "default near 2^63 - 1 becomes 2^63 and fails (\"value out of range\"), others are "
        "written into the file header changed",
        "avoided: avsc does not see data of a schema with such a long default"),
    "js-full-name": (
        "avsc 5.7",
        "for a type whose name is a full name (\"a.b.X\") and which also has a namespace "
        "attribute (to be ignored), references inside it are resolved in the namespace "
        "attribute instead of a.b: \"undefined type name\"",
        "avoided: avsc does not see data of such a schema"),
}

# avrokit bugs found by this test and not fixed yet: the generator avoids the shape
# unless AK_KNOWN_BUGS=1 is set (as for tests/cli's known_bug), so that a run shows
# whether the bug is still there.
KNOWN_AVROKIT = {
}
AVOID_AK_BUGS = os.environ.get("AK_KNOWN_BUGS") != "1"

# ---------------------------------------------------------------------------
# small helpers

ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = ALPHA + "0123456789"
RESERVED = {"null", "boolean", "int", "long", "float", "double", "bytes", "string",
            "record", "enum", "array", "map", "fixed", "union", "error"}
FIELDISH = ["type", "name", "default", "items", "values", "null", "int", "namespace",
            "doc", "fields", "symbols", "size", "order", "aliases", "logicalType", "_"]
UTC = datetime.timezone.utc
EPOCH_DATE = datetime.date(1970, 1, 1)
EPOCH_TS = datetime.datetime(1970, 1, 1, tzinfo=UTC)
DATE_MIN, DATE_MAX = -719162, 2932896                    # 0001-01-01 .. 9999-12-31
TSMS_MIN, TSMS_MAX = -62135596800000, 253402300799999    # the same in milliseconds
TSUS_MIN, TSUS_MAX = TSMS_MIN * 1000, TSMS_MAX * 1000 + 999
DEC_CTX = decimal.Context(prec=200)

TIME_LOGICAL = ("date", "time-millis", "time-micros", "timestamp-millis", "timestamp-micros")


f32_from_bits = aj.f32_from_bits


def f64_from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def f64_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def canon_f(bits):
    return ("f", "NaN") if (bits & 0x7F800000) == 0x7F800000 and (bits & 0x7FFFFF) else ("f", bits)


def canon_d(bits):
    if (bits & 0x7FF0000000000000) == 0x7FF0000000000000 and (bits & 0xFFFFFFFFFFFFF):
        return ("d", "NaN")
    return ("d", bits)


def f_value(c):
    return math.nan if c[1] == "NaN" else f32_from_bits(c[1])


def d_value(c):
    return math.nan if c[1] == "NaN" else f64_from_bits(c[1])


def py_decimal_bytes(u):
    """python3-avro's bytes for an unscaled decimal value: ceil((bits(|u|) + 1) / 8)."""
    n = (abs(u).bit_length() + 1 + 7) // 8
    return u.to_bytes(n, "big", signed=True)


def fixed_decimal_max_precision(size):
    return len(str(2 ** (8 * size - 1) - 1)) - 1 if size > 0 else 0


def walk_nodes(root):
    """Every schema node reachable from root, once each."""
    seen, order, stack = set(), [], [root]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        order.append(n)
        if n.kind == "record":
            stack.extend(t for _, t in n.fields)
        elif n.kind == "union":
            stack.extend(n.branches)
        elif n.kind == "array":
            stack.append(n.items)
        elif n.kind == "map":
            stack.append(n.values)
    return order


def min_depths(root):
    """Nesting needed at least for a value of each node (records count 1); inf for a
    record that can only hold itself."""
    nodes = walk_nodes(root)
    md = {id(n): math.inf for n in nodes}
    changed = True
    while changed:
        changed = False
        for n in nodes:
            if n.kind == "record":
                v = 1 + max([md[id(t)] for _, t in n.fields], default=0)
            elif n.kind == "union":
                v = min(md[id(b)] for b in n.branches)
            else:
                v = 0
            if v < md[id(n)]:
                md[id(n)] = v
                changed = True
    return md


# ---------------------------------------------------------------------------
# random schemas

FULL = ("full",)   # the generator's note of a definition's full name (not a JSON key)

class SchemaGen:
    MAX_DEPTH = 4
    MAX_NODES = 45

    def __init__(self, rng):
        self.rng = rng
        self.defined = {}      # full name -> namespace of the completed named types
        self.short_names = []  # short names used so far (used again in other namespaces)
        self.stack = []        # full names of the records being defined
        self.nodes = 0
        self.empty_ns = False  # "namespace": "" inside a namespace (KNOWN py-empty-namespace)
        self.ignored_ns = False  # a full name with a namespace attribute (KNOWN js-full-name)

    def ident(self, maxlen=9):
        r = self.rng
        if r.random() < 0.03:
            maxlen = 60
        return r.choice(ALPHA + "_") + "".join(r.choice(ALNUM + "_") for _ in range(r.randint(0, maxlen)))

    def namespace_name(self):
        return ".".join(self.ident(5) for _ in range(self.rng.randint(1, 3)))

    def new_name(self, ns):
        """(JSON attributes naming a new type, its full name, its namespace)."""
        r = self.rng
        while True:
            if self.short_names and r.random() < 0.15:
                short = r.choice(self.short_names)   # the same short name, elsewhere
            else:
                short = self.ident()
            if short in RESERVED:
                continue
            x = r.random()
            attrs = {}
            if x < 0.5:
                space = ns
                attrs["name"] = short
            elif x < 0.75:
                space = self.namespace_name()
                attrs["name"] = short
                attrs["namespace"] = space
            elif x < 0.9:
                space = self.namespace_name()
                attrs["name"] = f"{space}.{short}"
                if r.random() < 0.1:
                    attrs["namespace"] = self.namespace_name()   # ignored: the name is full
                    self.ignored_ns = True
            else:
                space = ""
                attrs["name"] = short
                attrs["namespace"] = ""
                if ns:
                    self.empty_ns = True
            full = f"{space}.{short}" if space else short
            if full in self.defined or full in self.stack:
                continue
            self.short_names.append(short)
            return attrs, full, space

    def ref_to(self, full, ns):
        """A reference to the named type `full` from namespace ns, or None if the spec
        gives no way (a type of the null namespace seen from another namespace)."""
        space = full.rsplit(".", 1)[0] if "." in full else ""
        short = full.rsplit(".", 1)[-1]
        if space == (ns or ""):
            return short if (self.rng.random() < 0.6 or not space) else full
        if not space:
            return None
        return full

    def referable(self, ns):
        return [f for f in self.defined if self.ref_to(f, ns) is not None]

    def union_key(self, js, ns):
        """What makes two union branches the same: the type, or the full name."""
        if isinstance(js, str):
            return js if js in RESERVED else ("named", self.resolve_full(js, ns))
        if isinstance(js, list):
            return "union"
        t = js["type"]
        if t in ("record", "enum", "fixed", "error"):
            return ("named", js[FULL])
        return t

    def gen(self, depth, ns, in_union=False):
        r = self.rng
        self.nodes += 1
        big = depth < self.MAX_DEPTH and self.nodes < self.MAX_NODES
        x = r.random()
        if x < 0.30:
            return self.primitive(in_union)
        if x < 0.42:
            return self.logical(ns)
        if x < 0.50:
            return self.enum(ns)
        if x < 0.55:
            return self.fixed(ns)
        if x < 0.63:
            refs = self.referable(ns)
            if refs:
                return self.ref_to(r.choice(refs), ns)
            return self.primitive(in_union)
        if not big:
            return self.primitive(in_union)
        if x < 0.73:
            return self.record(depth, ns)
        if x < 0.81:
            return {"type": "array", "items": self.child(depth, ns)}
        if x < 0.89:
            return {"type": "map", "values": self.child(depth, ns)}
        if in_union:
            return self.primitive(in_union)
        return self.union(depth, ns)

    def child(self, depth, ns):
        """Array items or map values: sometimes a record being defined (recursion)."""
        if self.stack and self.rng.random() < 0.15:
            ref = self.ref_to(self.rng.choice(self.stack), ns)
            if ref is not None:
                return ref
        return self.gen(depth + 1, ns)

    def primitive(self, in_union=False):
        r = self.rng
        t = r.choice(["null", "boolean", "int", "long", "float", "double", "bytes", "string",
                      "int", "long", "double", "string"])
        if t == "null" and not in_union and r.random() < 0.7:
            t = "string"
        if r.random() < 0.15:
            return {"type": t}
        return t

    def logical(self, ns):
        r = self.rng
        k = r.choice(["date", "time-millis", "time-micros", "timestamp-millis",
                      "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros",
                      "decimal-bytes", "decimal-fixed", "uuid", "duration", "decimal-bytes"])
        if k in ("date", "time-millis"):
            return {"type": "int", "logicalType": k}
        if k == "decimal-bytes":
            p = r.choice([1, 2, 5, 9, 10, 18, 19, 20, 38, 50])
            s = r.randint(0, p)
            return {"type": "bytes", "logicalType": "decimal", "precision": p, "scale": s}
        if k == "decimal-fixed":
            attrs, full, _ = self.new_name(ns)
            size = r.randint(1, 20)
            p = r.randint(1, fixed_decimal_max_precision(size))
            js = {"type": "fixed", **attrs, "size": size, "logicalType": "decimal",
                  "precision": p, "scale": r.randint(0, p), FULL: full}
            self.defined[full] = True
            return js
        if k == "uuid":
            return {"type": "string", "logicalType": "uuid"}
        if k == "duration":
            attrs, full, _ = self.new_name(ns)
            self.defined[full] = True
            return {"type": "fixed", **attrs, "size": 12, "logicalType": "duration", FULL: full}
        return {"type": "long", "logicalType": k}

    def enum(self, ns):
        r = self.rng
        attrs, full, _ = self.new_name(ns)
        syms = []
        for _ in range(r.choice([1, 2, 3, 4, 6, 12])):
            s = self.ident(6)
            if s not in syms:
                syms.append(s)
        js = {"type": "enum", **attrs, "symbols": syms, FULL: full}
        if r.random() < 0.2:
            js["default"] = r.choice(syms)
        if r.random() < 0.1:
            js["doc"] = "an enum \u00e9\U0001F600"
        self.defined[full] = True
        return js

    def fixed(self, ns):
        r = self.rng
        attrs, full, _ = self.new_name(ns)
        size = r.choice([0, 1, 2, 3, 4, 8, 12, 16, 16, 20, 33]) if r.random() < 0.9 else r.randint(0, 300)
        self.defined[full] = True
        return {"type": "fixed", **attrs, "size": size, FULL: full}

    def record(self, depth, ns):
        r = self.rng
        attrs, full, space = self.new_name(ns)
        self.stack.append(full)
        fields = []
        names = set()
        for _ in range(r.choice([0, 1, 2, 3, 3, 4, 5, 6, 8])):
            fname = r.choice(FIELDISH) if r.random() < 0.1 else self.ident()
            if fname in names:
                continue
            names.add(fname)
            f = {"name": fname, "type": self.gen(depth + 1, space)}
            if r.random() < 0.05:
                f["doc"] = "a field"
            if r.random() < 0.05:
                f["order"] = r.choice(["ascending", "descending", "ignore"])
            if r.random() < 0.03:
                f["aliases"] = [self.ident()]
            fields.append(f)
        self.stack.pop()
        js = {"type": "record", **attrs, "fields": fields, FULL: full}
        if r.random() < 0.05:
            js["doc"] = "a record"
        if r.random() < 0.05:
            js["x-custom"] = {"k": [1, 2]}
        self.defined[full] = True
        return js

    def union(self, depth, ns):
        r = self.rng
        n = r.choice([1, 2, 2, 2, 3, 3, 4, 5, 6])
        branches, keys = [], set()
        tries = 0
        while len(branches) < n and tries < 20:
            tries += 1
            before = set(self.defined)
            b = self.gen(depth + 1, ns, in_union=True)
            key = self.union_key(b, ns)
            if key in keys or key == "union":
                for name in set(self.defined) - before:   # the branch is dropped: so are
                    del self.defined[name]                 # the types it defined
                continue
            keys.add(key)
            branches.append(b)
        # null and a record being defined may go anywhere: moving branches that define
        # types would put a use of a name before its definition
        if "null" not in keys and r.random() < 0.5:
            branches.insert(r.choice([0, 0, len(branches), r.randint(0, len(branches))]), "null")
        if self.stack and r.random() < 0.3:
            ref = self.ref_to(r.choice(self.stack), ns)
            if ref is not None and ("named", self.resolve_full(ref, ns)) not in keys:
                branches.insert(r.randint(0, len(branches)), ref)
        return branches or ["null"]

    def resolve_full(self, ref, ns):
        if "." in ref:
            return ref
        return f"{ns}.{ref}" if ns else ref

    def top(self):
        if self.rng.random() < 0.85:
            return self.record(0, "")
        return self.gen(0, "")


def strip_private(js):
    """The schema JSON without the generator's notes (FULL keys)."""
    if isinstance(js, list):
        return [strip_private(x) for x in js]
    if isinstance(js, dict):
        return {k: strip_private(v) for k, v in js.items() if k != FULL}
    return js


# ---------------------------------------------------------------------------
# random values (canonical form, see avrojson.py)

FLOAT_BITS = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x00000001, 0x80000001,
              0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0xBF800000,
              0x3DCCCCCD, 0x4B800000, 0x4B800001, 0x3EAAAAAB, 0x4CBEBC20, 0x501502F9,
              0x3A83126F, 0x49742400, 0x4B189680, 0x5F000000, 0xDF000000]
DOUBLE_BITS = [0, 1 << 63, 0x7FF0000000000000, 0xFFF0000000000000, 1, (1 << 63) | 1,
               0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x7FEFFFFFFFFFFFFF,
               0xFFEFFFFFFFFFFFFF, 0x3FF0000000000000, 0x3FB999999999999A,
               0x4340000000000000, 0x4340000000000001, 0x3FD5555555555555,
               0x4341C37937E08000, 0x44B52D02C7E14AF6, 0x3F50624DD2F1A9FC,
               0x43E0000000000000, 0xC3E0000000000000, 0x7E37E43C8800759C]
STRINGS = ["", " ", "\x00", "a\x00b", '"', "\\", "/", "\t\n\r\b\f", "\x1f\x7f", "\u2028\u2029",
           "\ufeff", "\uffff", "\ufffd", "\U0001F600", "\U00010000", "\U0010FFFF",
           "\u00e9\u00ff\u0100", "\ud7ff\ue000", "</script>", "null", "NaN", "-0", "{}"]
STRINGS = [s for s in STRINGS if not any(0xD800 <= ord(c) <= 0xDFFF for c in s)]


def rand_int(r, lo, hi):
    x = r.random()
    if x < 0.35:
        cands = [lo, hi, 0, -1, 1]
        for k in range(1, 10):
            for v in (2 ** (7 * k) - 1, 2 ** (7 * k), -(2 ** (7 * k)), -(2 ** (7 * k)) - 1,
                      2 ** (7 * k - 1), -(2 ** (7 * k - 1)) - 1, 2 ** (7 * k - 1) - 1,
                      -(2 ** (7 * k - 1))):
                if lo <= v <= hi:
                    cands.append(v)
        return r.choice(cands)
    if x < 0.6:
        return r.randint(-300, 300)
    if x < 0.8:
        return r.randint(lo, hi)
    bits = r.randint(1, (hi - lo).bit_length() - 1)
    v = r.getrandbits(bits) * r.choice((1, -1))
    return max(lo, min(hi, v))


def rand_float(r, finite=False):
    while True:
        x = r.random()
        if x < 0.06:
            c = ("f", "NaN")
        elif x < 0.35:
            c = canon_f(r.choice(FLOAT_BITS))
        elif x < 0.6:
            c = canon_f(r.getrandbits(32))
        elif x < 0.72:
            c = canon_f(r.getrandbits(23) | (r.getrandbits(1) << 31))   # subnormal
        else:
            v = r.choice([round(r.uniform(-1e4, 1e4), r.randint(0, 7)),
                          float(r.randint(-2 ** 24, 2 ** 24)),
                          10.0 ** r.randint(-45, 38) * r.choice((1, -1, 3, 1.5))])
            try:
                c = canon_f(aj.f32_bits(aj.f32(v)))
            except OverflowError:
                continue
        if finite and (c[1] == "NaN" or (c[1] & 0x7F800000) == 0x7F800000):
            continue
        return c


def rand_double(r, finite=False):
    while True:
        x = r.random()
        if x < 0.06:
            c = ("d", "NaN")
        elif x < 0.35:
            c = canon_d(r.choice(DOUBLE_BITS))
        elif x < 0.6:
            c = canon_d(r.getrandbits(64))
        elif x < 0.72:
            c = canon_d(r.getrandbits(52) | (r.getrandbits(1) << 63))
        else:
            v = r.choice([round(r.uniform(-1e6, 1e6), r.randint(0, 12)),
                          float(r.randint(-2 ** 53, 2 ** 53)),
                          10.0 ** r.randint(-300, 300) * r.choice((1, -1, 7)),
                          5e-324 * r.randint(1, 1000)])
            c = canon_d(f64_bits(v))
        if finite and (c[1] == "NaN" or (c[1] & 0x7FF0000000000000) == 0x7FF0000000000000):
            continue
        return c


def rand_str(r, maxlen=12):
    x = r.random()
    if x < 0.2:
        return r.choice(STRINGS)
    if x < 0.23:
        maxlen = 400
    out = []
    for _ in range(r.randint(0, maxlen)):
        y = r.random()
        if y < 0.55:
            out.append(chr(r.randint(0x20, 0x7E)))
        elif y < 0.65:
            out.append(chr(r.randint(0x80, 0xFF)))
        elif y < 0.8:
            c = r.randint(0x100, 0xFFFF)
            out.append(chr(c if not 0xD800 <= c <= 0xDFFF else 0x4E2D))
        elif y < 0.93:
            out.append(chr(r.randint(0x10000, 0x10FFFF)))
        else:
            out.append(chr(r.randint(0, 0x1F)))
    return "".join(out)


def rand_bytes(r, n=None):
    if n is None:
        x = r.random()
        n = 0 if x < 0.15 else r.randint(1, 24) if x < 0.9 else r.randint(25, 600)
    if n > 0 and r.random() < 0.1:
        return bytes(r.choice([0, 0xFF, 0x80]) for _ in range(n))
    return bytes(r.getrandbits(8) for _ in range(n))


class ValueGen:
    MAX_LEAVES = 1500

    def __init__(self, rng, root):
        self.rng = rng
        self.md = min_depths(root)
        self.defaults = {}      # id(record node) -> {field: canonical default}
        self.leaves = 0

    def record_value(self, node):
        self.leaves = 0
        return self.value(node, self.rng.choice([1, 2, 3, 4, 5]))

    def value(self, node, budget, finite=False, in_default=False):
        r = self.rng
        k, lt = node.kind, node.logical
        self.leaves += 1
        poor = budget <= 0 or self.leaves > self.MAX_LEAVES
        if k == "null":
            return None
        if k == "boolean":
            return ("b", r.random() < 0.5)
        if k == "int":
            if lt == "date" and r.random() < 0.9:
                return ("i", r.choice([r.randint(DATE_MIN, DATE_MAX), DATE_MIN, DATE_MAX, 0, -1]))
            if lt == "time-millis" and r.random() < 0.9:
                return ("i", r.choice([r.randint(0, 86399999), 0, 86399999]))
            return ("i", rand_int(r, INT_MIN, INT_MAX))
        if k == "long":
            if lt == "time-micros" and r.random() < 0.9:
                return ("i", r.choice([r.randint(0, 86399999999), 0, 86399999999]))
            if lt == "timestamp-millis" and r.random() < 0.9:
                return ("i", r.choice([r.randint(TSMS_MIN, TSMS_MAX), TSMS_MIN, TSMS_MAX, -1]))
            if lt == "timestamp-micros" and r.random() < 0.9:
                return ("i", r.choice([r.randint(TSUS_MIN, TSUS_MAX), TSUS_MIN, TSUS_MAX, -1]))
            return ("i", rand_int(r, LONG_MIN, LONG_MAX))
        if k in ("float", "double"):
            return rand_float(r, finite) if k == "float" else rand_double(r, finite)
        if k in ("bytes", "fixed") and lt == "decimal" and self.decimal_ok(node):
            p = node.precision
            nd = r.randint(1, p)
            u = r.choice([r.randint(-(10 ** nd - 1), 10 ** nd - 1), 10 ** p - 1, -(10 ** p - 1), 0, 1, -1,
                          -128, 127, 128, -129, 255, 256])
            if abs(u) >= 10 ** p:
                u = 0
            if k == "bytes":
                return ("y", py_decimal_bytes(u))
            return ("y", u.to_bytes(node.size, "big", signed=True))
        if k == "bytes":
            return ("y", rand_bytes(r))
        if k == "fixed":
            return ("y", rand_bytes(r, node.size))
        if k == "string":
            if lt == "uuid":
                s = str(uuid.UUID(int=r.getrandbits(128), version=r.choice([1, 4])))
                return ("s", s.upper() if r.random() < 0.2 else s)
            return ("s", rand_str(r))
        if k == "enum":
            return ("e", r.choice(node.symbols))
        if k == "array":
            n = 0 if poor else r.choice([0, 0, 1, 1, 2, 3, 4, 7, 12] + ([40] if budget > 2 else []))
            return ("a", tuple(self.value(node.items, budget - 1, finite, in_default) for _ in range(n)))
        if k == "map":
            n = 0 if poor else r.choice([0, 0, 1, 1, 2, 3, 5, 9])
            keys, cut = [], set()
            for _ in range(n):
                key = rand_str(r, 8)
                c = key.split("\x00", 1)[0]
                if key in keys or c in cut:
                    continue
                keys.append(key)
                cut.add(c)
            pairs = [(key, self.value(node.values, budget - 1, finite, in_default)) for key in keys]
            return ("m", tuple(sorted(pairs, key=lambda p: p[0])))
        if k == "record":
            defs = self.defaults.get(id(node), {})
            fields = []
            for fname, ft in node.fields:
                if fname in defs and not in_default and r.random() < 0.3:
                    fields.append((fname, defs[fname]))
                else:
                    fields.append((fname, self.value(ft, budget - 1, finite, in_default)))
            return ("r", tuple(fields))
        if k == "union":
            if poor:
                best = min(self.md[id(b)] for b in node.branches)
                choices = [b for b in node.branches if self.md[id(b)] == best]
            else:
                choices = [b for b in node.branches if self.md[id(b)] < math.inf]
            b = r.choice(choices)
            if b.kind == "null":
                return None
            return ("u", b.branch_name, self.value(b, budget - 1, finite, in_default))
        raise ValueError(k)

    @staticmethod
    def decimal_ok(node):
        p = node.precision
        return isinstance(p, int) and p > 0 and 0 <= node.scale <= p and \
            (node.kind == "bytes" or p <= fixed_decimal_max_precision(node.size))


def has_union(node, seen=None):
    seen = seen if seen is not None else set()
    if id(node) in seen:
        return True   # recursive: no defaults there
    seen.add(id(node))
    if node.kind == "union":
        return True
    if node.kind == "record":
        return any(has_union(t, seen) for _, t in node.fields)
    if node.kind == "array":
        return has_union(node.items, seen)
    if node.kind == "map":
        return has_union(node.values, seen)
    return False


def default_json(node, c):
    """The JSON value of a default (Avro JSON without union wrappers)."""
    k = node.kind
    if k == "null":
        return None
    if k == "boolean":
        return c[1]
    if k in ("int", "long"):
        return c[1]
    if k == "float":
        return f_value(c)
    if k == "double":
        return d_value(c)
    if k in ("bytes", "fixed"):
        return c[1].decode("latin-1")
    if k in ("string", "enum"):
        return c[1]
    if k == "array":
        return [default_json(node.items, x) for x in c[1]]
    if k == "map":
        return {key: default_json(node.values, x) for key, x in c[1]}
    if k == "record":
        return {f: default_json(t, x) for (f, t), (_, x) in zip(node.fields, c[1])}
    raise ValueError(k)


def add_defaults(js, node, vg, rng):
    """Give some fields a default (post-pass over the schema JSON and its nodes)."""
    if isinstance(js, str):
        return
    if isinstance(js, list):
        for b, bn in zip(js, node.branches):
            add_defaults(b, bn, vg, rng)
        return
    t = js["type"]
    if t in ("record", "error"):
        for fj, (fname, fnode) in zip(js["fields"], node.fields):
            add_defaults(fj["type"], fnode, vg, rng)
            if rng.random() >= 0.3:
                continue
            first = fnode.branches[0] if fnode.kind == "union" else fnode
            if first.kind != "null" and has_union(first):
                continue
            v = vg.value(first, 2, finite=True, in_default=True)
            fj["default"] = default_json(first, v)
            canon = v if fnode.kind != "union" else (None if first.kind == "null" else ("u", first.branch_name, v))
            vg.defaults.setdefault(id(node), {})[fname] = canon
    elif t == "array":
        add_defaults(js["items"], node.items, vg, rng)
    elif t == "map":
        add_defaults(js["values"], node.values, vg, rng)


class Case:
    """One iteration: schema, nodes, records."""

    def __init__(self, seed, i):
        self.seed, self.i = seed, i
        rng = random.Random(f"random_diff:{seed}:{i}")
        sg = SchemaGen(rng)
        js = sg.top()
        self.node = aj.parse_schema(json.dumps(strip_private(js)))
        self.empty_ns = sg.empty_ns
        self.ignored_ns = sg.ignored_ns
        self.vg = ValueGen(rng, self.node)
        add_defaults(js, self.node, self.vg, rng)
        self.schema = strip_private(js)
        self.schema_text = json.dumps(self.schema, ensure_ascii=rng.random() < 0.5)
        n = rng.choice([1, 2, 3, 5, 8, 13, 20, 30])
        self.records = [self.vg.record_value(self.node) for _ in range(n)]
        self.rng = rng   # goes on: styles, codec options


# ---------------------------------------------------------------------------
# conversions: canonical <-> python3-avro datums, avsc helper values, Avro JSON text

class Branch:
    """A union value with its branch, for the python3-avro writer and reader below."""
    __slots__ = ("index", "value")

    def __init__(self, index, value):
        self.index, self.value = index, value

    def __repr__(self):
        return f"Branch({self.index}, {self.value!r})"


def branch_index(node, name):
    for idx, b in enumerate(node.branches):
        if b.branch_name == name:
            return idx
    raise ValueError(f"no branch {name!r}")


def null_index(node):
    for idx, b in enumerate(node.branches):
        if b.kind == "null":
            return idx
    raise ValueError("no null branch")


def to_py(node, c):
    """Canonical value -> the datum given to python3-avro's (branch-aware) DatumWriter."""
    k, lt = node.kind, node.logical
    if k == "null":
        return None
    if k == "boolean":
        return c[1]
    if k in ("int", "long"):
        v = c[1]
        try:
            if lt == "date" and DATE_MIN <= v <= DATE_MAX:
                return EPOCH_DATE + datetime.timedelta(days=v)
            if lt == "time-millis" and 0 <= v < 86400000:
                return (datetime.datetime.min + datetime.timedelta(milliseconds=v)).time()
            if lt == "time-micros" and 0 <= v < 86400000000:
                return (datetime.datetime.min + datetime.timedelta(microseconds=v)).time()
            if lt == "timestamp-millis" and TSMS_MIN <= v <= TSMS_MAX:
                return EPOCH_TS + datetime.timedelta(milliseconds=v)
            if lt == "timestamp-micros" and TSUS_MIN <= v <= TSUS_MAX:
                return EPOCH_TS + datetime.timedelta(microseconds=v)
        except OverflowError:
            pass
        return v
    if k == "float":
        return f_value(c)
    if k == "double":
        return d_value(c)
    if k in ("bytes", "fixed"):
        if lt == "decimal" and ValueGen.decimal_ok(node):
            u = int.from_bytes(c[1], "big", signed=True)
            return decimal.Decimal(u).scaleb(-node.scale, context=DEC_CTX)
        return bytes(c[1])
    if k in ("string", "enum"):
        return c[1]
    if k == "array":
        return [to_py(node.items, x) for x in c[1]]
    if k == "map":
        return {key: to_py(node.values, x) for key, x in c[1]}
    if k == "record":
        return {f: to_py(t, x) for (f, t), (_, x) in zip(node.fields, c[1])}
    if k == "union":
        if c is None:
            return Branch(null_index(node), None)
        idx = branch_index(node, c[1])
        return Branch(idx, to_py(node.branches[idx], c[2]))
    raise ValueError(k)


def from_py(node, d, path="$"):
    """A datum read by python3-avro's (branch-aware) DatumReader -> canonical value."""
    k, lt = node.kind, node.logical
    if k == "null":
        if d is not None:
            raise ValueError(f"{path}: null expected, python3-avro read {d!r}")
        return None
    if k == "boolean":
        return ("b", d)
    if k in ("int", "long"):
        if isinstance(d, datetime.datetime):
            delta = d - EPOCH_TS
            us = (delta.days * 86400 + delta.seconds) * 10 ** 6 + delta.microseconds
            return ("i", us // 1000 if lt == "timestamp-millis" else us)
        if isinstance(d, datetime.date):
            return ("i", (d - EPOCH_DATE).days)
        if isinstance(d, datetime.time):
            us = ((d.hour * 60 + d.minute) * 60 + d.second) * 10 ** 6 + d.microsecond
            return ("i", us // 1000 if lt == "time-millis" else us)
        return ("i", d)
    if k == "float":
        return ("f", "NaN") if math.isnan(d) else ("f", aj.f32_bits(d))
    if k == "double":
        return ("d", "NaN") if math.isnan(d) else ("d", f64_bits(d))
    if k in ("bytes", "fixed"):
        if isinstance(d, decimal.Decimal):
            sign, digits, exp = d.as_tuple()
            u = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
            u = u * 10 ** (exp + node.scale) if exp + node.scale >= 0 else u // 10 ** -(exp + node.scale)
            if k == "bytes":
                return ("y", py_decimal_bytes(u))
            return ("y", u.to_bytes(node.size, "big", signed=True))
        return ("y", bytes(d))
    if k == "string":
        return ("s", d)
    if k == "enum":
        return ("e", d)
    if k == "array":
        return ("a", tuple(from_py(node.items, x, f"{path}[{j}]") for j, x in enumerate(d)))
    if k == "map":
        return ("m", tuple(sorted((key, from_py(node.values, x, f"{path}[{key!r}]")) for key, x in d.items())))
    if k == "record":
        if set(d) != {f for f, _ in node.fields}:
            raise ValueError(f"{path}: python3-avro read fields {sorted(d)}")
        return ("r", tuple((f, from_py(t, d[f], f"{path}.{f}")) for f, t in node.fields))
    if k == "union":
        b = node.branches[d.index]
        if b.kind == "null":
            return None
        return ("u", b.branch_name, from_py(b, d.value, f"{path}<{b.branch_name}>"))
    raise ValueError(k)


def to_js(node, c):
    """Canonical value -> random_diff.js's VALUE form."""
    k = node.kind
    if k == "null":
        return None
    if k == "boolean":
        return c[1]
    if k == "int":
        return c[1]
    if k == "long":
        return str(c[1])
    if k == "float":
        return "7fc00000" if c[1] == "NaN" else f"{c[1]:08x}"
    if k == "double":
        return "7ff8000000000000" if c[1] == "NaN" else f"{c[1]:016x}"
    if k in ("bytes", "fixed"):
        return c[1].hex()
    if k in ("string", "enum"):
        return c[1]
    if k == "array":
        return [to_js(node.items, x) for x in c[1]]
    if k == "map":
        return [[key, to_js(node.values, x)] for key, x in c[1]]
    if k == "record":
        return [to_js(t, x) for (_, t), (_, x) in zip(node.fields, c[1])]
    if k == "union":
        if c is None:
            return [null_index(node), None]
        idx = branch_index(node, c[1])
        return [idx, to_js(node.branches[idx], c[2])]
    raise ValueError(k)


def from_js(node, h, path="$"):
    k = node.kind
    if k == "null":
        return None
    if k == "boolean":
        return ("b", h)
    if k == "int":
        return ("i", h)
    if k == "long":
        return ("i", int(h))
    if k == "float":
        return canon_f(int(h, 16))
    if k == "double":
        return canon_d(int(h, 16))
    if k in ("bytes", "fixed"):
        return ("y", bytes.fromhex(h))
    if k == "string":
        return ("s", h)
    if k == "enum":
        return ("e", h)
    if k == "array":
        return ("a", tuple(from_js(node.items, x, f"{path}[{j}]") for j, x in enumerate(h)))
    if k == "map":
        return ("m", tuple(sorted((key, from_js(node.values, x, f"{path}[{key!r}]")) for key, x in h)))
    if k == "record":
        if len(h) != len(node.fields):
            raise ValueError(f"{path}: avsc gave {len(h)} fields")
        return ("r", tuple((f, from_js(t, x, f"{path}.{f}")) for (f, t), x in zip(node.fields, h)))
    if k == "union":
        if h is None:
            return None
        b = node.branches[h[0]]
        if b.kind == "null":
            return None
        return ("u", b.branch_name, from_js(b, h[1], f"{path}<{b.branch_name}>"))
    raise ValueError(k)


class TextStyle:
    """How one Avro JSON text is spelled: all valid, varied per file and per value."""

    def __init__(self, rng, plain=False):
        self.rng = rng
        self.plain = plain
        self.layout = "compact" if plain else rng.choice(["compact", "compact", "spaced", "pretty"])
        self.strings = "raw" if plain else rng.choice(["raw", "ascii", "mixed"])
        self.numbers = "plain" if plain else rng.choice(["plain", "varied"])
        self.shuffle = 0.0 if plain else rng.choice([0.0, 0.0, 0.3])
        self.omit = 0.0 if plain else rng.choice([0.0, 0.5, 1.0])

    def esc(self, o):
        hexs = f"{o:04x}"
        return "\\u" + (hexs.upper() if self.plain or self.rng.random() < 0.5 else hexs)

    def string(self, s):
        r = self.rng
        out = ['"']
        short = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
        for ch in s:
            o = ord(ch)
            mixed = self.strings == "mixed" and r.random() < 0.3
            if ch in ('"', "\\"):
                out.append(short[ch] if not mixed else self.esc(o))
            elif o < 0x20:
                out.append(short[ch] if ch in short and (self.plain or r.random() < 0.7) else self.esc(o))
            elif ch == "/" and mixed:
                out.append("\\/")
            elif (o > 0x7E and self.strings == "ascii") or mixed:
                if o > 0xFFFF:
                    v = o - 0x10000
                    out.append(self.esc(0xD800 + (v >> 10)) + self.esc(0xDC00 + (v & 0x3FF)))
                else:
                    out.append(self.esc(o))
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)

    def number(self, c, is32):
        x = f_value(c) if is32 else d_value(c)
        if math.isnan(x):
            return '"NaN"'
        if math.isinf(x):
            return '"Infinity"' if x > 0 else '"-Infinity"'
        if self.numbers == "plain":
            return repr(x)
        r = self.rng
        y = r.random()
        neg0 = x == 0 and math.copysign(1, x) < 0
        if y < 0.25 and x.is_integer() and abs(x) < 1e18 and not neg0:
            return str(int(x))
        if y < 0.4:
            return aj.java_float(x, java=False) if is32 else aj.java_double(x, java=False)
        if y < 0.6:
            s = ("%.8e" if is32 else "%.16e") % x
            return s.upper() if r.random() < 0.5 else s
        return repr(x)

    def sep(self, inner):
        if self.layout == "compact":
            return ",", ":", "", ""
        if self.layout == "spaced":
            return ", ", ": ", "", ""
        ind = "\n" + "  " * (inner + 1)
        return ",", ": ", ind, "\n" + "  " * inner

    def value(self, node, c, depth=0):
        k = node.kind
        if k == "null":
            return "null"
        if k == "boolean":
            return "true" if c[1] else "false"
        if k in ("int", "long"):
            return str(c[1])
        if k in ("float", "double"):
            return self.number(c, k == "float")
        if k in ("bytes", "fixed"):
            return self.string(c[1].decode("latin-1"))
        if k in ("string", "enum"):
            return self.string(c[1])
        comma, colon, open_, close = self.sep(depth)
        if k == "array":
            if not c[1]:
                return "[]"
            return "[" + open_ + (comma + open_).join(self.value(node.items, x, depth + 1) for x in c[1]) + close + "]"
        if k == "map":
            if not c[1]:
                return "{}"
            items = [self.string(key) + colon + self.value(node.values, x, depth + 1) for key, x in c[1]]
            if self.shuffle:
                self.rng.shuffle(items)
            return "{" + open_ + (comma + open_).join(items) + close + "}"
        if k == "record":
            items = []
            for (fname, ft), (_, x) in zip(node.fields, c[1]):
                defs = self.defaults.get(id(node), {})
                if fname in defs and defs[fname] == x and self.rng.random() < self.omit:
                    continue
                items.append(self.string(fname) + colon + self.value(ft, x, depth + 1))
            if self.shuffle and self.rng.random() < self.shuffle:
                self.rng.shuffle(items)
            if not items:
                return "{}"
            return "{" + open_ + (comma + open_).join(items) + close + "}"
        if k == "union":
            if c is None:
                return "null"
            b = node.branches[branch_index(node, c[1])]
            return "{" + open_ + self.string(c[1]) + colon + self.value(b, c[2], depth + 1) + close + "}"
        raise ValueError(k)

    def text(self, node, records, defaults, as_array=False):
        self.defaults = defaults
        vals = [self.value(node, c) for c in records]
        if as_array:
            return "[" + ",\n".join(vals) + "]\n"
        return "".join(v + "\n" for v in vals)


# ---------------------------------------------------------------------------
# python3-avro with explicit union branches

def python_avro():
    try:
        import avro.codecs  # noqa: F401
        import avro.datafile  # noqa: F401
        import avro.io  # noqa: F401
        import avro.schema  # noqa: F401
    except ImportError:
        return None
    import avro
    return avro


def make_py_classes(avro):
    class BranchWriter(avro.io.DatumWriter):
        """write_union writes the branch it is given (KNOWN py-union-branch, py-validate).
        With block_rng set, arrays and maps are written in several blocks, some with a
        negative count and a byte size (valid Avro that python3-avro itself never writes)."""
        block_rng = None

        def write(self, datum, encoder):
            self.write_data(self.writers_schema, datum, encoder)

        def write_array(self, writers_schema, datum, encoder):
            self._blocks(list(datum), encoder, lambda x, enc: self.write_data(writers_schema.items, x, enc))

        def write_map(self, writers_schema, datum, encoder):
            def put(kv, enc):
                enc.write_utf8(kv[0])
                self.write_data(writers_schema.values, kv[1], enc)
            self._blocks(list(datum.items()), encoder, put)

        def _blocks(self, items, encoder, put):
            r = self.block_rng
            pos = 0
            while pos < len(items):
                n = len(items) - pos if r is None else r.randint(1, len(items) - pos)
                chunk, pos = items[pos:pos + n], pos + n
                if r is not None and r.random() < 0.5:
                    buf = io.BytesIO()
                    sub = avro.io.BinaryEncoder(buf)
                    for x in chunk:
                        put(x, sub)
                    encoder.write_long(-len(chunk))
                    encoder.write_long(len(buf.getvalue()))
                    encoder.write(buf.getvalue())
                else:
                    encoder.write_long(len(chunk))
                    for x in chunk:
                        put(x, encoder)
            encoder.write_long(0)

        def write_union(self, writers_schema, datum, encoder):
            encoder.write_long(datum.index)
            self.write_data(writers_schema.schemas[datum.index], datum.value, encoder)

    class BranchReader(avro.io.DatumReader):
        """read_union reports the branch; a logical value python3-avro cannot make is
        read as the plain int (KNOWN py-logical-range)."""
        fallbacks = 0

        def read_union(self, writers_schema, readers_schema, decoder):
            idx = int(decoder.read_long())
            if idx >= len(writers_schema.schemas):
                raise avro.errors.SchemaResolutionException(f"union branch index {idx} is out of range")
            return Branch(idx, self.read_data(writers_schema.schemas[idx], readers_schema.schemas[idx], decoder))

        def read_data(self, writers_schema, readers_schema, decoder):
            if getattr(writers_schema, "logical_type", None) in TIME_LOGICAL:
                pos = decoder.reader.tell()
                try:
                    return super().read_data(writers_schema, readers_schema, decoder)
                except (OverflowError, ValueError):
                    decoder.reader.seek(pos)
                    BranchReader.fallbacks += 1
                    return decoder.read_long()
            return super().read_data(writers_schema, readers_schema, decoder)

    return BranchWriter, BranchReader


PY_CODEC_ORDER = ["null", "deflate", "snappy", "zstandard", "bzip2", "xz"]
AVROMOD_CODECS = ["null", "deflate", "snappy", "lzma"]
AVROCAT_CODECS = {"null", "deflate", "snappy"}
JS_CODECS = ["null", "deflate", "snappy"]
LEVELS = {"deflate": [0, 1, 9], "xz": [0, 9], "zstandard": [1, 22], "bzip2": [1, 9]}


# ---------------------------------------------------------------------------
# the run

class Runner:
    def __init__(self, args):
        self.args = args
        self.avrokit = args.avrokit
        self.mismatches = 0
        self.known = {}
        self.checks = 0
        self.avro = None
        self.avsc = None
        self.peers = set()
        self.ak_codecs = []
        self.py_codecs = []

    # ---- tools ----

    def setup(self):
        missing = []
        want = set(self.args.peers.split(",")) if self.args.peers != "auto" else {"py", "c", "js?"}
        if not (self.avrokit and os.access(self.avrokit, os.X_OK)):
            missing.append(f"avrokit ({self.avrokit!r} is not executable)")
        if "py" in want:
            self.avro = python_avro()
            if self.avro is None:
                missing.append("python3-avro (the Debian package python3-avro)")
            else:
                self.peers.add("py")
                self.BranchWriter, self.BranchReader = make_py_classes(self.avro)
        if "c" in want:
            for tool in ("avromod", "avrocat"):
                if shutil.which(tool) is None:
                    missing.append(f"{tool} (the Debian package avro-bin)")
            if shutil.which("avromod") and shutil.which("avrocat"):
                self.peers.add("c")
        if "js" in want or "js?" in want:
            self.avsc = find_avsc()
            if self.avsc:
                self.peers.add("js")
            elif "js" in want:
                missing.append("avsc (node and the avsc module: AK_AVSC_DIR, NODE_PATH or bench/node_modules)")
        if missing:
            for m in missing:
                print(f"random_diff.py: missing: {m}", file=sys.stderr)
            return 2
        # the codecs this avrokit writes: from -V ("codecs: null deflate ... lzma(read-only)")
        p = subprocess.run([self.avrokit, "-V"], capture_output=True, text=True)
        for line in p.stdout.splitlines():
            if line.startswith("codecs:"):
                self.ak_codecs = [c for c in line.split()[1:] if "(" not in c]
        if not self.ak_codecs:
            self.ak_codecs = ["null", "deflate"]
        if self.avro:
            known = getattr(self.avro.codecs, "KNOWN_CODECS", {})
            self.py_codecs = [c for c in PY_CODEC_ORDER if c in known]
        if not self.args.quiet:
            print(f"peers: {', '.join(sorted(self.peers))}"
                  + (f" (avsc: {self.avsc})" if self.avsc else " (avsc not found: no js peer)"))
        return 0

    def known_hit(self, key, n=1):
        self.known[key] = self.known.get(key, 0) + n

    # ---- one disagreement ----

    def mismatch(self, case, d, check, path, k, msg, got=None, want=None, node=None):
        """Report a disagreement: the first few of an iteration in full (seed, iteration,
        check, file, record, both values, schema, how to reproduce), then one line each."""
        self.mismatches += 1
        case.failed = True
        case.printed += 1
        where = f"record {k}: " if k is not None else ""
        if case.printed > 3:
            if case.printed <= 40:
                print(f"MISMATCH seed={case.seed} iteration={case.i} check={check}: {where}{msg}"[:400])
            else:
                case.suppressed += 1
            return
        print(f"MISMATCH seed={case.seed} iteration={case.i} check={check}")
        print(f"  file: {path}")
        print(f"  {where}{msg}")
        node = node or case.node
        style = TextStyle(random.Random(0), plain=True)
        style.defaults = {}
        if got is not None or want is not None:
            for label, c in (("got", got), ("expected", want)):
                try:
                    t = style.value(node, c)
                except Exception:   # noqa: BLE001  (a value that does not fit the schema)
                    t = aj.show(c)
                if len(t) > 1500:
                    t = t[:1500] + "..."
                print(f"  {label}: {t}")
        if not case.schema_printed:
            case.schema_printed = True
            s = case.schema_text
            print(f"  schema: {s if len(s) < 4000 else s[:4000] + '...'}")
            print(f"  reproduce: {sys.argv[0]} --avrokit {self.avrokit} --seed {case.seed} "
                  f"--only {case.i} --workdir DIR --keep   (files kept in {d})")

    def compare_all(self, case, d, check, path, got_list, want_list, tolerate=None):
        self.checks += 1
        if len(got_list) != len(want_list):
            self.mismatch(case, d, check, path, None,
                          f"{len(got_list)} records, expected {len(want_list)}")
        for k, (g, w) in enumerate(zip(got_list, want_list)):
            aj.diff.tolerated = []
            m = aj.diff(g, w, "$", tolerate=tolerate)
            for _, reason in aj.diff.tolerated:
                self.known_hit(reason)
            if m:
                self.mismatch(case, d, check, path, k, m, g, w)

    # ---- runs ----

    def run(self, cmd, **kw):
        return subprocess.run(cmd, capture_output=True, **kw)

    def iteration(self, i):
        case = Case(self.args.seed, i)
        case.failed = False
        case.printed = case.suppressed = 0
        case.schema_printed = False
        rng = case.rng
        d = os.path.join(self.args.workdir, f"iter-{i:05d}")
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
        schema_path = os.path.join(d, "schema.avsc")
        with open(schema_path, "w", encoding="utf-8") as fh:
            fh.write(case.schema_text + "\n")
        plain = TextStyle(random.Random(1), plain=True)
        with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as fh:
            fh.write(plain.text(case.node, case.records, {}))
        want = list(case.records)
        read_dir = self.args.direction in ("read", "both")
        write_dir = self.args.direction in ("write", "both")

        files = []        # (label, path) written by peers, for avrokit to read
        js_ops = []
        js_labels = []
        py_ok = py_read_ok = "py" in self.peers
        if py_ok and case.empty_ns:
            py_ok = py_read_ok = False
            self.known_hit("py-empty-namespace")
        if py_ok:
            why = self.py_schema_problem(case)
            if why:   # python3-avro cannot write it, but reads avrokit's file
                py_ok = False
                self.known_hit(why)
        c_ok = "c" in self.peers
        if c_ok and "\\u0000" in json.dumps(case.schema):
            c_ok = False
            self.known_hit("c-schema-nul")
        if c_ok and any(n.kind == "fixed" and n.size == 0 for n in walk_nodes(case.node)):
            c_ok = False
            self.known_hit("c-fixed-0")
        if c_ok and any(n.kind == "array" and c_no_data(n.items) for n in walk_nodes(case.node)):
            c_ok = False
            self.known_hit("c-array-empty-items")
        js_write_ok = js_read_ok = "js" in self.peers
        if js_read_ok and case.ignored_ns:
            js_write_ok = js_read_ok = False
            self.known_hit("js-full-name")
        if js_read_ok and big_long_default(case.schema):
            js_write_ok = js_read_ok = False
            self.known_hit("js-long-default")
        if js_read_ok and any(c is None for c in case.records):
            js_write_ok = js_read_ok = False
            self.known_hit("js-null-datum")
        if js_write_ok and case.empty_ns:
            js_write_ok = False
            self.known_hit("js-empty-namespace")
        # -- peers write --
        if read_dir and py_ok:
            files += self.py_write(case, d, rng)
        # -- avrokit writes --
        ak_files = []
        if write_dir:
            ak_files = self.ak_write(case, d, rng, schema_path)
        if read_dir and c_ok:
            src = os.path.join(d, "py-null.avro")
            if not py_ok:
                # avromod re-encodes avrokit's file (KNOWN py-empty-namespace, py-header-schema)
                src = dict(ak_files).get("null") or dict(self.ak_write(case, d, rng, schema_path, ["null"])).get("null")
            if src and os.path.exists(src):
                files += self.c_write(case, d, rng, src)
        if read_dir and js_write_ok:
            for codec in JS_CODECS:
                path = os.path.join(d, f"js-{codec}.avro")
                js_ops.append({"op": "write", "path": path, "codec": codec,
                               "blockSize": rng.choice([64, 1000, 65536]),
                               "values": [to_js(case.node, c) for c in case.records]})
                js_labels.append(("js-write", codec, path))
        if write_dir and js_read_ok:
            for codec, path in ak_files:
                if codec in JS_CODECS:
                    js_ops.append({"op": "read", "path": path})
                    js_labels.append(("js-read", codec, path))
        if self.args.selftest_mismatch:
            want = list(case.records)
            k = len(want) - 1
            for _ in range(50):
                other = case.vg.record_value(case.node)
                if other != want[k]:
                    want[k] = other
                    break
            else:
                want.append(case.records[0])   # no other value: one record too many
        # -- avsc, all at once --
        if js_ops:
            results = self.js_run(case, d, js_ops)
            for (what, codec, path), res in zip(js_labels, results):
                if what == "js-write":
                    if res.get("ok"):
                        files.append((f"js-{codec}", path))
                    else:
                        self.mismatch(case, d, "avsc writes", path, None, f"avsc failed: {res.get('error')}")
                else:
                    check = f"avsc reads avrokit's {codec} file"
                    if not res.get("ok"):
                        self.mismatch(case, d, check, path, None, f"avsc failed: {res.get('error')}")
                        continue
                    try:
                        got = [from_js(case.node, h) for h in res["values"]]
                    except (ValueError, TypeError, IndexError) as e:
                        self.mismatch(case, d, check, path, None, f"avsc's values do not fit: {e}")
                        continue
                    self.compare_all(case, d, check, path, got, want)
        # -- avrokit reads the peers' files --
        for label, path in files:
            want_f = want
            if label.startswith("c-"):
                want_f = [aj.avro_c_map_keys(c) for c in want]
                if want_f != want:
                    self.known_hit("c-map-nul")
            self.ak_read(case, d, f"avrokit reads {label}", path, want_f, rng)
        # -- peers read avrokit's files --
        for codec, path in ak_files:
            self.ak_read(case, d, f"avrokit reads its own {codec} file", path, want, rng)
            if py_read_ok:
                if codec in self.py_codecs:
                    self.py_read(case, d, codec, path, want)
                else:
                    self.known_hit("py-no-xz" if codec == "xz" else "py-no-" + codec)
            if c_ok:
                if codec in AVROCAT_CODECS:
                    self.avrocat_read(case, d, codec, path, want)
                else:
                    self.known_hit("c-no-codec")
        keep = self.args.keep or case.failed
        if not keep:
            shutil.rmtree(d, ignore_errors=True)
        if case.suppressed:
            print(f"  ... and {case.suppressed} more disagreements in iteration {i}")
        return not case.failed

    def py_schema_problem(self, case):
        """A KNOWN key when python3-avro cannot be given this schema."""
        avro = self.avro
        try:
            schema = avro.schema.parse(case.schema_text)
        except Exception:   # noqa: BLE001  (py_write reports it)
            return None
        try:
            avro.schema.parse(str(schema))
        except Exception:   # noqa: BLE001
            return "py-header-schema"
        return None

    # ---- writers ----

    def py_write(self, case, d, rng):
        avro = self.avro
        out = []
        try:
            schema = avro.schema.parse(case.schema_text)
        except Exception as e:   # noqa: BLE001 (any parse failure is a finding)
            self.mismatch(case, d, "python3-avro parses the schema", os.path.join(d, "schema.avsc"), None,
                          f"python3-avro rejects the schema: {type(e).__name__}: {e}")
            return out
        datums = [to_py(case.node, c) for c in case.records]
        for codec in self.py_codecs:
            path = os.path.join(d, f"py-{codec}.avro")
            old = avro.datafile.SYNC_INTERVAL
            avro.datafile.SYNC_INTERVAL = rng.choice([1, 200, 4000, 64000])
            try:
                bw = self.BranchWriter()
                if rng.random() < 0.5:
                    bw.block_rng = random.Random(rng.getrandbits(32))
                with open(path, "wb") as fh:
                    w = avro.datafile.DataFileWriter(fh, bw, schema, codec=codec)
                    for x in datums:
                        w.append(x)
                    w.close()
            except Exception as e:   # noqa: BLE001
                self.mismatch(case, d, f"python3-avro writes ({codec})", path, None,
                              f"python3-avro failed: {type(e).__name__}: {e}")
                continue
            finally:
                avro.datafile.SYNC_INTERVAL = old
            out.append((f"py-{codec}", path))
        return out

    def c_write(self, case, d, rng, src):
        out = []
        for codec in AVROMOD_CODECS:
            path = os.path.join(d, f"c-{codec}.avro")
            cmd = ["avromod", f"--codec={codec}"]
            if rng.random() < 0.5:
                cmd.append(f"--block-size={rng.choice([16, 100, 1000, 100000])}")
            p = self.run(cmd + [src, path])
            if p.returncode != 0 and b"Value too large for file block size" in p.stderr:
                self.known_hit("c-block-size")
                p = self.run(cmd[:2] + ["--block-size=67108864", src, path])
            if p.returncode != 0:
                err = p.stderr.decode("utf-8", "replace").strip()
                if "Unknown codec" in err or "unknown codec" in err:
                    continue
                self.mismatch(case, d, f"avromod re-encodes ({codec})", path, None,
                              f"avromod failed: {' '.join(err.split())}")
                continue
            out.append((f"c-{codec}", path))
        return out

    def ak_write(self, case, d, rng, schema_path, codecs=None):
        style = TextStyle(rng)
        as_array = rng.random() < 0.2
        text = style.text(case.node, case.records, case.vg.defaults, as_array)
        inp = os.path.join(d, "input.json")
        with open(inp, "w", encoding="utf-8") as fh:
            fh.write(text)
        out = []
        for codec in codecs or self.ak_codecs:
            path = os.path.join(d, f"ak-{codec}.avro")
            cmd = [self.avrokit, "fromjson", "--schema-file", schema_path, "--codec", codec]
            if as_array:
                cmd.append("--array")
            if rng.random() < 0.4:
                cmd += ["--block-size", str(rng.choice([1, 100, 4096]))]
            if rng.random() < 0.3:
                cmd += ["-j", str(rng.choice([1, 3]))]
            if rng.random() < 0.3 and codec in LEVELS:
                cmd += ["--level", str(rng.choice(LEVELS[codec]))]
            p = self.run(cmd + ["-o", path, inp])
            if p.returncode != 0 or p.stderr:
                err = p.stderr.decode("utf-8", "replace").strip()
                self.mismatch(case, d, f"avrokit fromjson --codec {codec}", inp, None,
                              f"exit {p.returncode}: {err[:2000]}  (command: {' '.join(cmd)} -o {path} {inp}; "
                              f"text style: {style.layout}/{style.strings}/{style.numbers}"
                              f"{'/array' if as_array else ''})")
                continue
            out.append((codec, path))
        return out

    def js_run(self, case, d, ops):
        job = os.path.join(d, "avsc-job.json")
        with open(job, "w", encoding="utf-8") as fh:
            json.dump({"schema": case.schema, "ops": ops}, fh)
        p = self.run(["node", os.path.join(HERE, "random_diff.js"), self.avsc, job])
        if p.returncode != 0:
            err = p.stderr.decode("utf-8", "replace").strip()
            return [{"ok": False, "error": f"node exit {p.returncode}: {err[:1500]}"}] * len(ops)
        if not (self.args.keep or case.failed):
            os.unlink(job)
        return json.loads(p.stdout)["results"]

    # ---- readers ----

    def ak_read(self, case, d, check, path, want, rng):
        cmd = [self.avrokit, "tojson"]
        if rng.random() < 0.3:
            cmd += ["-j", str(rng.choice([1, 2, 4]))]
        if rng.random() < 0.2:   # from a pipe
            with open(path, "rb") as fh:
                p = self.run(cmd + ["-"], stdin=fh)
        else:
            p = self.run(cmd + [path])
        out = p.stdout.decode("utf-8", "surrogateescape")
        err = p.stderr.decode("utf-8", "replace").strip()
        if p.returncode != 0 or err:
            self.mismatch(case, d, check, path, None, f"avrokit tojson exit {p.returncode}: {err[:1000]}")
            if p.returncode != 0:
                return
        lines = out.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        got = []
        for k, line in enumerate(lines):
            try:
                got.append(aj.to_canon(case.node, aj.loads(line)))
            except (aj.JSONError, ValueError) as e:
                self.mismatch(case, d, check, path, k, f"avrokit printed {line[:300]!r}: {e}")
                got.append(("unreadable",))
        self.compare_all(case, d, check, path, got, want)

    def py_read(self, case, d, codec, path, want):
        check = f"python3-avro reads avrokit's {codec} file"
        got = []
        self.BranchReader.fallbacks = 0
        try:
            with open(path, "rb") as fh:
                for k, datum in enumerate(self.avro.datafile.DataFileReader(fh, self.BranchReader())):
                    try:
                        got.append(from_py(case.node, datum))
                    except (ValueError, TypeError, AttributeError, IndexError) as e:
                        self.mismatch(case, d, check, path, k, f"python3-avro read {datum!r:.300}: {e}")
                        got.append(("unreadable",))
        except Exception as e:   # noqa: BLE001
            self.mismatch(case, d, check, path, None,
                          f"python3-avro failed after {len(got)} records: {type(e).__name__}: {e}")
            return
        if self.BranchReader.fallbacks:
            self.known_hit("py-logical-range", self.BranchReader.fallbacks)
        self.compare_all(case, d, check, path, got, want)

    def avrocat_read(self, case, d, codec, path, want):
        check = f"avrocat reads avrokit's {codec} file"
        printable = [(k, c) for k, c in enumerate(want) if not aj.has_nonfinite(c)]
        skipped = len(want) - len(printable)
        p = self.run(["avrocat", path])
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        nonfinite = "Error converting value to JSON: Cannot allocate JSON"
        nskip = sum(1 for x in err.splitlines() if x.startswith(nonfinite))
        other = [x for x in err.splitlines() if x.strip() and not x.startswith(nonfinite)]
        self.checks += 1
        if skipped:
            self.known_hit("avrocat-nonfinite", skipped)
        if (p.returncode != 0 and codec == "snappy" and "Cannot allocate memory for snappy" in err
                and any(zero_size(case.node, c) for c in want)):
            self.known_hit("avrocat-snappy-empty")
            return
        if p.returncode != 0 or other:
            self.mismatch(case, d, check, path, None, f"avrocat exit {p.returncode}: {' / '.join(other)[:1000]}")
            return
        lines = [x for x in out.split("\n") if x != ""]
        if nskip != skipped or len(lines) != len(printable):
            self.mismatch(case, d, check, path, None,
                          f"avrocat printed {len(lines)} records and skipped {nskip} for NaN/infinity; "
                          f"expected {len(printable)} and {skipped}")
            return
        for line, (k, w) in zip(lines, printable):
            try:
                w2 = aj.avro_c_map_keys(w)
                amb = [0, 0]
                v = avrocat_fixup(case.node, aj.loads(line), w2, amb)
                if amb[0]:
                    self.known_hit("avrocat-short-names", amb[0])
                if amb[1]:
                    self.known_hit("avrocat-nul", amb[1])
                g = aj.to_canon(case.node, v)
            except (aj.JSONError, ValueError) as e:
                self.mismatch(case, d, check, path, k, f"avrocat printed {line[:300]!r}: {e}")
                continue
            if w2 != w:
                self.known_hit("c-map-nul")
            aj.diff.tolerated = []
            m = aj.diff(g, w2, "$", tolerate=aj.avrocat_faults)
            if aj.diff.tolerated:
                self.known_hit("avrocat-nul", len(aj.diff.tolerated))
            if m:
                self.mismatch(case, d, check, path, k, m, g, w2)


def c_no_data(node, seen=None):
    """Is a value of this type empty in avro-c's memory (KNOWN c-array-empty-items)?"""
    seen = seen if seen is not None else set()
    if node.kind == "fixed":
        return node.size == 0
    if node.kind == "record":
        if id(node) in seen:
            return False
        seen.add(id(node))
        return all(c_no_data(t, seen) for _, t in node.fields)
    return False


def big_long_default(js):
    """Does the schema JSON hold an integer beyond 2^53 (KNOWN js-long-default)?"""
    if isinstance(js, bool):
        return False
    if isinstance(js, int):
        return abs(js) > 2 ** 53
    if isinstance(js, list):
        return any(big_long_default(x) for x in js)
    if isinstance(js, dict):
        return any(big_long_default(x) for k, x in js.items() if k not in ("size", "precision", "scale"))
    return False


def zero_size(node, c):
    """Does the value encode to no bytes at all?"""
    k = node.kind
    if k == "null":
        return True
    if k == "record":
        return all(zero_size(t, x) for (_, t), (_, x) in zip(node.fields, c[1]))
    if k == "fixed":
        return node.size == 0
    return False


def avrocat_fixup(node, v, want, amb):
    """avrocat's JSON value made comparable: each union key (a short name for named
    types) replaced by the full name of the branch it names, and a fixed value cut at its
    first 0x00 replaced by the expected one when that is what it is.  A short name two
    branches share (a.X and b.X, or X and b.X) is resolved to the expected branch if it
    is one of them (KNOWN avrocat-short-names: noted in amb[0]); a cut fixed is noted in
    amb[1] (KNOWN avrocat-nul)."""
    k = node.kind
    if k == "union":
        if v is None or not isinstance(v, aj.Obj) or len(v) != 1:
            return v
        key, x = v[0]
        cands = [b for b in node.branches if b.kind != "null" and (b.branch_name == key or (b.name and b.short == key))]
        if not cands:
            return v
        b = cands[0]
        exact = [c for c in cands if c.branch_name == key]
        if exact:
            b = exact[0]
        if len(cands) > 1:
            amb[0] += 1
            pick = [c for c in cands if isinstance(want, tuple) and want[0] == "u" and want[1] == c.branch_name]
            if pick:
                b = pick[0]
        w = want[2] if isinstance(want, tuple) and want[0] == "u" and want[1] == b.branch_name else None
        return aj.Obj([(b.branch_name, avrocat_fixup(b, x, w, amb))])
    if k == "fixed" and isinstance(v, str) and isinstance(want, tuple) and want[0] == "y":
        try:
            got = v.encode("latin-1")
        except UnicodeEncodeError:
            return v
        if len(got) < node.size and want[1][:len(got) + 1] == got + b"\x00":
            amb[1] += 1
            return want[1].decode("latin-1")
        return v
    if k == "record" and isinstance(v, aj.Obj):
        wf = dict(want[1]) if isinstance(want, tuple) and want[0] == "r" else {}
        types = dict(node.fields)
        return aj.Obj([(f, avrocat_fixup(types[f], x, wf.get(f), amb) if f in types else x) for f, x in v])
    if k == "array" and isinstance(v, list) and not isinstance(v, aj.Obj):
        wa = want[1] if isinstance(want, tuple) and want[0] == "a" else ()
        return [avrocat_fixup(node.items, x, wa[j] if j < len(wa) else None, amb) for j, x in enumerate(v)]
    if k == "map" and isinstance(v, aj.Obj):
        wm = dict(want[1]) if isinstance(want, tuple) and want[0] == "m" else {}
        return aj.Obj([(key, avrocat_fixup(node.values, x, wm.get(key), amb)) for key, x in v])
    return v


def find_avsc():
    if shutil.which("node") is None:
        return None
    cands = []
    if os.environ.get("AK_AVSC_DIR"):
        cands += [os.environ["AK_AVSC_DIR"], os.path.join(os.environ["AK_AVSC_DIR"], "avsc"),
                  os.path.join(os.environ["AK_AVSC_DIR"], "node_modules", "avsc")]
    for p in os.environ.get("NODE_PATH", "").split(os.pathsep):
        if p:
            cands.append(os.path.join(p, "avsc"))
    cands.append(os.path.join(REPO, "bench", "node_modules", "avsc"))
    for c in cands:
        if os.path.isfile(os.path.join(c, "package.json")) and os.path.isdir(os.path.join(c, "lib")):
            return os.path.abspath(c)
    return None


# ---------------------------------------------------------------------------
# self-test of the generator and the converters

def selftest(args):
    avro = python_avro()
    if avro is None:
        print("random_diff.py: missing: python3-avro", file=sys.stderr)
        return 2
    BranchWriter, BranchReader = make_py_classes(avro)
    bad = 0
    kinds = {}
    for i in range(args.iterations):
        case = Case(args.seed, i)
        for n in walk_nodes(case.node):
            key = n.kind + (f"/{n.logical}" if n.logical else "")
            kinds[key] = kinds.get(key, 0) + 1
        if case.empty_ns:
            continue
        try:
            schema = avro.schema.parse(case.schema_text)
        except Exception as e:   # noqa: BLE001
            print(f"selftest: iteration {i}: python3-avro rejects the schema: {e}\n  {case.schema_text}")
            bad += 1
            continue
        style = TextStyle(random.Random(i))
        for k, c in enumerate(case.records):
            # python3-avro: write and read one datum in memory
            buf = io.BytesIO()
            w = BranchWriter(schema)
            w.block_rng = random.Random(k) if k % 2 else None
            w.write(to_py(case.node, c), avro.io.BinaryEncoder(buf))
            buf.seek(0)
            back = from_py(case.node, BranchReader(schema, schema).read(avro.io.BinaryDecoder(buf)))
            for what, got in (("python3-avro", back),
                              ("avsc form", from_js(case.node, json.loads(json.dumps(to_js(case.node, c))))),
                              ("Avro JSON text", aj.to_canon(case.node, aj.loads(
                                  style.text(case.node, [c], {}).replace("\n", " "))))):
                m = aj.diff(got, c)
                if m:
                    print(f"selftest: iteration {i} record {k}: {what} does not convert back: {m}")
                    bad += 1
    missing = [k for k in ("record", "enum", "fixed", "array", "map", "union", "null", "boolean", "int",
                           "long", "float", "double", "bytes", "string", "int/date",
                           "long/timestamp-millis", "long/timestamp-micros", "bytes/decimal",
                           "fixed/decimal", "string/uuid") if k not in kinds]
    if args.iterations >= 50 and missing:
        print(f"selftest: {args.iterations} schemas have no {', '.join(missing)}")
        bad += 1
    print(f"selftest: {args.iterations} schemas; node kinds: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"selftest: {'FAILED' if bad else 'ok'}")
    return 1 if bad else 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--avrokit", help="the avrokit binary")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--time-budget", type=float, default=0, help="seconds; 0: no limit")
    ap.add_argument("--workdir", help="where the files go (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep every iteration's files")
    ap.add_argument("--direction", choices=["read", "write", "both"], default="both")
    ap.add_argument("--peers", default="auto", help="py,c,js (default: py and c, js when found)")
    ap.add_argument("--only", type=int, help="run this iteration only")
    ap.add_argument("--dump-schemas", action="store_true", help="print the schemas, run nothing")
    ap.add_argument("--dump-records", action="store_true",
                    help="with --dump-schemas, each schema's records too (Avro JSON)")
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--selftest-mismatch", action="store_true")
    ap.add_argument("--known", action="store_true", help="describe the known peer limitations")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv[1:])
    warnings.simplefilter("ignore")   # python3-avro warns of every logical type it ignores
    for stream in (sys.stdout, sys.stderr):   # reports hold any character, whatever the locale
        stream.reconfigure(errors="backslashreplace")

    if args.known:
        for key, (who, what, how) in KNOWN.items():
            print(f"{key}: {who}: {what}\n    {how}")
        for key, (what, how) in KNOWN_AVROKIT.items():
            print(f"{key}: avrokit (bug, not fixed yet): {what}\n    "
                  f"{'avoided: ' + how if AVOID_AK_BUGS else 'not avoided (AK_KNOWN_BUGS=1)'}")
        return 0
    iters = [args.only] if args.only is not None else list(range(args.iterations))
    if args.dump_schemas:
        for i in iters:
            case = Case(args.seed, i)
            print(case.schema_text)
            if args.dump_records:
                style = TextStyle(random.Random(1), plain=True)
                sys.stdout.write(style.text(case.node, case.records, {}))
        return 0
    if args.selftest:
        return selftest(args)
    if not args.avrokit:
        print("random_diff.py: --avrokit PATH is required", file=sys.stderr)
        return 2
    args.avrokit = os.path.abspath(args.avrokit)
    runner = Runner(args)
    rc = runner.setup()
    if rc:
        return rc
    tmp = None
    if not args.workdir:
        tmp = args.workdir = tempfile.mkdtemp(prefix="random_diff.")
    os.makedirs(args.workdir, exist_ok=True)
    start = time.monotonic()
    ran = 0
    failed_iters = []
    for i in iters:
        if args.time_budget and ran and time.monotonic() - start > args.time_budget:
            break
        if not runner.iteration(i):
            failed_iters.append(i)
        ran += 1
    took = time.monotonic() - start
    print(f"ran {ran} of {len(iters)} iterations (seed {args.seed}) in {took:.1f} s: "
          f"{runner.checks} file checks, {runner.mismatches} disagreements"
          + (f" in iterations {failed_iters}" if failed_iters else ""))
    if runner.known:
        print("known peer limitations met (not failures): "
              + ", ".join(f"{k} x{v}" for k, v in sorted(runner.known.items())))
    if tmp and not failed_iters and not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    elif failed_iters or args.keep:
        print(f"files in {args.workdir}")
    return 1 if runner.mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
