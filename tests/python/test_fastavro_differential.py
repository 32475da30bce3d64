# SPDX-License-Identifier: Apache-2.0
"""avrokit against the compiled fastavro 1.12, on seeded random schemas and values.

Each seed makes one schema (nested records, arrays, maps, enums, fixed, unions of 2 to 4
branches, references to named types defined before, namespaces, field defaults and the
logical types) and a few valid records of it, and both libraries must agree on them:
schemaless_writer's bytes and schemaless_reader's values, container files each one writes
and the other reads (null and deflate, bzip2 and xz on some seeds, several blocks), the
records per block, validate, the parsing canonical form, and a read through a reader
schema that adds a field and promotes int to long and long to double.  Differential fuzzing
on these lines found real bugs; this is its fast regression test.

The generator keeps out of the differences python/README.md lists, so that a failure is a
new one: float values exact as 32-bit floats, no Decimal('-0') (22), no `error` types, no
union of a decimal and a float or double (6: fastavro writes a Decimal as a double) nor of an
array and bytes (25) nor of a string and bytes (31), field defaults of plain types only (33),
no promotion to float (32) nor into a union (31), no return_record_name (34).  It also keeps
out of what fastavro gets wrong: its validate raises (instead of saying no) for a Decimal of
another scale or a str for a date, which the union choice meets trying each record branch;
and of a union default whose first branch is a float (37: avrokit writes a default in the
first branch it fits, fastavro picks the branch as for a value).

fastavro comes from ../shared/peers/fastavro beside the repository (AK_FASTAVRO_DIR names
another directory); without a compiled fastavro, or with AK_PY_IMPL=fastavro, every test is
skipped.
"""

import copy
import datetime
import decimal
import functools
import io
import itertools
import math
import os
import random
import struct
import sys
import uuid
import warnings

import pytest

from support import IS_FASTAVRO, SHARED

FASTAVRO_DIR = os.environ.get("AK_FASTAVRO_DIR", os.path.join(SHARED, "peers", "fastavro"))


def _load():
    """(avrokit, fastavro, None), or (None, None, why the tests cannot run)."""
    if IS_FASTAVRO:
        return None, None, "AK_PY_IMPL=fastavro: there is no avrokit to compare with"
    if os.path.isdir(FASTAVRO_DIR) and FASTAVRO_DIR not in sys.path:
        sys.path.append(FASTAVRO_DIR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fastavro's about cramjam
            import avrokit
            import avrokit.schema
            import avrokit.validation
            import fastavro
            import fastavro.schema
            import fastavro.validation
    except ImportError as e:
        return None, None, f"cannot import avrokit and fastavro (from {FASTAVRO_DIR}): {e}"
    if fastavro.reader.__module__ != "fastavro._read":
        return None, None, f"fastavro at {fastavro.__file__} is not the compiled one"
    return avrokit, fastavro, None


ak, fa, WHY_NOT = _load()
pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=str(WHY_NOT))

SEEDS = range(60)
PRIMS = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
NAMED = ("record", "enum", "fixed")
LOGICAL = [("int", "date"), ("int", "time-millis"), ("long", "time-micros"),
           ("long", "timestamp-millis"), ("long", "timestamp-micros"),
           ("long", "local-timestamp-millis"), ("long", "local-timestamp-micros"),
           ("string", "uuid"), ("bytes", "decimal"), ("fixed", "decimal")]
NAMES = ["Rec", "Item", "Point", "Color", "Hash", "Node", "User", "Kind"]
NAMESPACES = ["", "ns", "com.example", "a.b_c"]
FIELDS = ["id", "name", "x", "y", "value", "tags", "kind", "when", "data", "n_2", "_u", "Z"]
SYMBOLS = ["A", "B", "RED", "GREEN", "_x", "z9", "ONE"]
STRINGS = ["", "a", "ünïcödé", "日本語", "😀", "tab\tnul\x00", "x" * 40]
FLOATS = [0.0, -0.0, 1.5, -2.25, math.inf, -math.inf, math.nan, 3.4028234663852886e38,
          1.401298464324817e-45]
UTC = datetime.timezone.utc
EPOCH_1900 = datetime.datetime(1900, 1, 1)
SPAN_MICROS = 200 * 365 * 86400 * 10**6  # to 2099
SYNC = b"0123456789abcdef"


class Gen:
    """One random schema and values of it.  `named` maps the full name of each named type
    defined so far to (definition, its namespace), for references and for values."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.named = {}
        self.count = 0
        self.days = itertools.count()
        # one precision and scale for every decimal: fastavro's validate raises for a Decimal
        # of another scale (trying another record's field in a union), where avrokit's says no
        self.precision = self.rng.choice([1, 2, 5, 7, 12, 18, 30, 38])
        self.scale = self.rng.randint(0, self.precision)

    # schemas

    def new_name(self, ns):
        """The "name" (and maybe "namespace") of a new named type; its full name and
        namespace."""
        self.count += 1
        rng, base = self.rng, f"{self.rng.choice(NAMES)}{self.count}"
        r = rng.random()
        if r < 0.2:
            ns = rng.choice(NAMESPACES)
            attrs = {"name": base, "namespace": ns}
        elif r < 0.3:
            ns = rng.choice(NAMESPACES[1:])
            attrs = {"name": f"{ns}.{base}"}
        else:
            attrs = {"name": base}
        return attrs, f"{ns}.{base}" if ns else base, ns

    def define(self, kind, ns, **rest):
        attrs, full, own_ns = self.new_name(ns)
        d = {"type": kind, **attrs, **rest}
        if kind != "record":
            self.named[full] = (d, own_ns)
        return d, own_ns, full

    def type_(self, ns, depth, in_union=False):
        rng = self.rng
        r = rng.random() if depth < 5 else rng.random() * 0.45
        if r < 0.3:
            p = rng.choice(PRIMS)
            return {"type": p} if rng.random() < 0.2 else p
        if r < 0.45:
            return self.logical(ns)
        if r < 0.5:
            return self.reference(ns) or rng.choice(PRIMS)
        if r < 0.58:
            syms = rng.sample(SYMBOLS, rng.randint(1, 4))
            extra = {"default": syms[-1]} if rng.random() < 0.3 else {}
            return self.define("enum", ns, symbols=syms, **extra)[0]
        if r < 0.63:
            return self.define("fixed", ns, size=rng.choice([0, 1, 4, 16]))[0]
        if r < 0.72:
            return {"type": "array", "items": self.type_(ns, depth + 1)}
        if r < 0.8:
            return {"type": "map", "values": self.type_(ns, depth + 1)}
        if r < 0.9 and not in_union:
            return self.union(ns, depth + 1)
        return self.record(ns, depth + 1)

    def logical(self, ns):
        base, name = self.rng.choice(LOGICAL)
        if name != "decimal":
            return {"type": base, "logicalType": name}
        # the sizes that hold that many digits (1 byte: 2, 3: 7, 8: 18, 16: 38)
        size = self.rng.choice([n for n in (1, 3, 8, 16)
                                if 2 ** (8 * n - 1) > 10 ** self.precision])
        spec = {"logicalType": "decimal", "precision": self.precision, "scale": self.scale}
        if base == "bytes":
            return {"type": "bytes", **spec}
        return self.define("fixed", ns, size=size, **spec)[0]

    def reference(self, ns):
        """The name of a named type defined before, as this namespace can say it, or None."""
        if not self.named:
            return None
        full = self.rng.choice(sorted(self.named))
        own_ns = self.named[full][1]
        if own_ns == ns:
            return full.rpartition(".")[2]
        return full if own_ns else None  # a null-namespace type cannot be named from a ns

    def union(self, ns, depth):
        branches, kinds = (["null"], [("null", "null")]) if self.rng.random() < 0.5 else ([], [])
        size = self.rng.randint(2, 4)
        for _ in range(10):
            if len(branches) >= size:
                break
            saved = dict(self.named)
            b = self.type_(ns, depth, in_union=True)
            kind = self.kind(b, ns)
            if not self.fits_union(kind, kinds):
                self.named = saved  # forget the named types the branch defined
                continue
            branches.append(b)
            kinds.append(kind)
        if len(branches) < 2:
            branches.append("string" if branches == ["null"] else "null")
        return branches

    def kind(self, t, ns):
        """(what a union may hold once: a named type's full name, else the type's name;
        its sort for fits_union: the type, or "date", "decimal" or "uuid")."""
        t, own_ns = self.resolve(t, ns)
        sort = t.get("logicalType", t["type"])
        sort = sort if sort in ("date", "decimal", "uuid") else t["type"]
        if t["type"] in NAMED:
            name = t["name"]
            return name if "." in name or not own_ns else f"{own_ns}.{name}", sort
        return t["type"], sort

    @staticmethod
    def fits_union(kind, kinds):
        """Whether a union with branches of kinds may take one of kind: no two of a kind, and
        none of the pairs where the value meant for one branch goes to the other."""
        new, old = kind[1], {k[1] for k in kinds}
        pairs = [({"decimal"}, {"float", "double"}),  # 6: fastavro writes a Decimal as those
                 ({"array"}, {"bytes", "fixed", "decimal"}),  # 25: and bytes as an array
                 # 31: read through a union, bytes go to a string before a bytes branch
                 ({"string", "uuid"}, {"bytes", "decimal"}),
                 ({"record"}, {"map"}),  # a record's dict can be a map of strings
                 # a decimal takes raw bytes, a date an ISO string (both: too many digits,
                 # no date); a uuid takes any string (a symbol that reads as no UUID)
                 ({"decimal"}, {"bytes", "fixed", "decimal"}),
                 ({"date", "uuid"}, {"string", "enum"}), ({"date"}, {"uuid"})]
        return kind[0] not in [k[0] for k in kinds] and not any(
            new in one and old & other or new in other and old & one for one, other in pairs)

    def record(self, ns, depth):
        d, own_ns, full = self.define("record", ns, fields=[])
        for name in self.rng.sample(FIELDS, self.rng.randint(1, 5)):
            f = {"name": name, "type": self.type_(own_ns, depth)}
            if f["type"] == {"type": "int", "logicalType": "date"}:
                # fastavro's validate raises for a str given to a date (another record's
                # field, in a union): a name no other record has
                f["name"] = f"day{next(self.days)}"
            default = self.default(f["type"], own_ns)
            if default is not None and self.rng.random() < 0.5:
                f["default"] = default[0]
            d["fields"].append(f)
        self.named[full] = (d, own_ns)  # complete: it may be named from now on
        return d

    def default(self, t, ns):
        """(a default for type t,), or None for the types whose defaults fastavro and avrokit
        give differently (difference 33) or that need more than a literal."""
        if isinstance(t, list):  # a float first: fastavro writes the default as a double
            return self.default(t[0], ns) if self.resolve(t[0], ns)[0]["type"] != "float" \
                else None
        t, _ = self.resolve(t, ns)
        if t.get("logicalType"):
            return None
        return {"null": (None,), "boolean": (True,), "int": (-7,), "long": (2**40,),
                "float": (1.5,), "double": (-0.25,), "string": ("dé",),
                "enum": (t.get("symbols", [None])[0],)}.get(t["type"])

    def resolve(self, t, ns):
        """(the definition of type t as a dict, the namespace inside it)."""
        if isinstance(t, str):
            if t in PRIMS:
                return {"type": t}, ns
            return self.named[t if "." in t or not ns else f"{ns}.{t}"]
        if isinstance(t, dict) and t["type"] in NAMED:
            name = t["name"]
            full = name if "." in name else ".".join(filter(None, [t.get("namespace", ns),
                                                                    name]))
            return t, self.named[full][1]
        if isinstance(t, list):
            return {"type": "union", "branches": t}, ns
        return t, ns

    # values

    def value(self, t, ns, depth=0):
        rng = self.rng
        t, ns = self.resolve(t, ns)
        kind, logical = t["type"], t.get("logicalType")
        if logical:
            return self.logical_value(t, logical)
        if kind == "union":
            return self.value(rng.choice(t["branches"]), ns, depth)
        if kind == "record":
            return {f["name"]: self.value(f["type"], ns, depth + 1) for f in t["fields"]
                    if "default" not in f or rng.random() < 0.7}
        n = rng.randint(0, 3 if depth < 4 else 0)
        if kind == "array":
            return [self.value(t["items"], ns, depth + 1) for _ in range(n)]
        if kind == "map":
            return {rng.choice(STRINGS) + str(i): self.value(t["values"], ns, depth + 1)
                    for i in range(n)}
        if kind == "enum":
            return rng.choice(t["symbols"])
        if kind == "fixed":
            return rng.randbytes(t["size"])
        if kind in ("int", "long"):
            bits = 31 if kind == "int" else 63
            return rng.choice([0, -1, 2**bits - 1, -2**bits, rng.randint(-2**bits, 2**bits - 1),
                               rng.randint(-200, 200)])
        if kind in ("float", "double"):
            x = rng.choice(FLOATS + [rng.uniform(-1e6, 1e6)] * 3)
            return struct.unpack("<f", struct.pack("<f", x))[0] if kind == "float" else x
        return {"null": None, "boolean": rng.random() < 0.5,
                "bytes": rng.randbytes(rng.randint(0, 6)),
                "string": rng.choice(STRINGS) + str(rng.randrange(99))}[kind]

    def logical_value(self, t, logical):
        rng = self.rng
        if logical == "decimal":
            digits = rng.randrange(-10 ** t["precision"] + 1, 10 ** t["precision"])
            return decimal.Decimal(digits).scaleb(-t["scale"])  # never -0: a 0 has no sign
        if logical == "uuid":
            u = uuid.UUID(int=rng.getrandbits(128))
            return u if rng.random() < 0.7 else str(u)
        micros = rng.randrange(SPAN_MICROS)
        if logical.endswith("millis"):
            micros -= micros % 1000
        at = EPOCH_1900 + datetime.timedelta(microseconds=micros)
        if logical == "date":
            return at.date()
        if logical.startswith("time-"):
            return at.time()
        return at if logical.startswith("local-") else at.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=None)
def case(seed):
    """(schema, records) of a seed: a record schema on most seeds, any type on the others."""
    gen = Gen(seed)
    schema = gen.record("", 0) if seed % 6 else gen.type_("", 0)
    return schema, [gen.value(schema, "") for _ in range(8)]


def same(a, b, where="value"):
    """Values a and b are the same: of the same types, NaN equal to NaN, 0.0 not to -0.0, a
    Decimal's exponent and a datetime's zone the same too."""
    assert type(a) is type(b), f"{where}: {a!r} vs {b!r}"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys {list(a)} vs {list(b)}"
        for k in a:
            same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{where}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, float):
        assert (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)), f"{where}: {a!r} vs {b!r}"
    elif isinstance(a, decimal.Decimal):
        assert a.as_tuple() == b.as_tuple(), f"{where}: {a!r} vs {b!r}"
    elif isinstance(a, datetime.datetime):
        assert (a, a.utcoffset()) == (b, b.utcoffset()), f"{where}: {a!r} vs {b!r}"
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def encode(lib, schema, datum):
    buf = io.BytesIO()
    lib.schemaless_writer(buf, copy.deepcopy(schema), datum)
    return buf.getvalue()


def decode(lib, schema, data, reader_schema=None):
    buf = io.BytesIO(data)
    out = lib.schemaless_reader(buf, copy.deepcopy(schema), copy.deepcopy(reader_schema))
    assert buf.tell() == len(data), f"{lib.__name__} read {buf.tell()} of {len(data)} bytes"
    return out


def write_file(lib, schema, records, codec, sync_interval):
    buf = io.BytesIO()
    lib.writer(buf, copy.deepcopy(schema), records, codec=codec, sync_interval=sync_interval,
               sync_marker=SYNC)
    return buf.getvalue()


@pytest.mark.parametrize("seed", SEEDS)
def test_schemaless_same_bytes_and_values(seed):
    schema, records = case(seed)
    for i, datum in enumerate(records):
        data = encode(fa, schema, datum)
        assert encode(ak, schema, datum) == data, f"record {i}: {datum!r}"
        same(decode(fa, schema, data), decode(ak, schema, data), f"record {i}")


@pytest.mark.parametrize("seed", SEEDS)
def test_container_files_read_by_the_other(seed):
    schema, records = case(seed)
    data = [encode(fa, schema, r) for r in records]
    expected = [decode(fa, schema, d) for d in data]
    # a record of the median size or more ends a block: three blocks or more
    sync_interval = max(1, sorted(map(len, data))[len(data) // 2])
    # (fastavro's xz takes 30 ms a block where meson's MALLOC_PERTURB_ fills its buffers)
    codecs = ["null", "deflate"] + ["bzip2"] * (seed % 4 == 0) + ["xz"] * (seed % 10 == 0)
    for codec in [c for c in codecs if c in ak.codecs()]:
        files = {lib: write_file(lib, schema, records, codec, sync_interval)
                 for lib in (fa, ak)}
        same(list(fa.reader(io.BytesIO(files[ak]))), expected, f"{codec}: avrokit's file")
        same(list(ak.reader(io.BytesIO(files[fa]))), expected, f"{codec}: fastavro's file")
        blocks = {(lib, w): [b.num_records for b in lib.block_reader(io.BytesIO(files[w]))]
                  for lib in (fa, ak) for w in (fa, ak)}
        assert len(set(map(tuple, blocks.values()))) == 1, f"{codec}: {blocks}"
        assert len(blocks[fa, fa]) >= min(3, sum(map(bool, data)))
        if codec == "null":  # the same blocks, after headers that differ (difference 36)
            assert files[ak].split(SYNC, 1)[1] == files[fa].split(SYNC, 1)[1]


@pytest.mark.parametrize("seed", SEEDS[::3])
def test_lz4_files_fastavro_writes(seed):
    """fastavro's lz4 codec, which is no Avro codec: avrokit reads it (and does not write it,
    python/README.md's difference 3), block for block."""
    if "lz4" not in ak.codecs():
        pytest.skip("this avrokit was built without liblz4")
    try:
        import lz4.block  # noqa: F401
    except ImportError:
        pytest.skip("no python3-lz4: fastavro cannot write lz4")
    schema, records = case(seed)
    data = [encode(fa, schema, r) for r in records]
    expected = [decode(fa, schema, d) for d in data]
    sync_interval = max(1, sorted(map(len, data))[len(data) // 2])
    file = write_file(fa, schema, records, "lz4", sync_interval)
    same(list(ak.reader(io.BytesIO(file))), expected, "lz4: fastavro's file")
    blocks = [(b.num_records, b.offset, b.size) for b in ak.block_reader(io.BytesIO(file))]
    assert blocks == [(b.num_records, b.offset, b.size)
                      for b in fa.block_reader(io.BytesIO(file))]


@pytest.mark.parametrize("seed", SEEDS)
def test_validate_parse_and_canonical_form(seed):
    schema, records = case(seed)
    assert ak.parse_schema(copy.deepcopy(schema)) == fa.parse_schema(copy.deepcopy(schema))
    for datum in records:
        assert fa.validation.validate(datum, copy.deepcopy(schema)) is True
        assert ak.validation.validate(datum, copy.deepcopy(schema)) is True
    assert ak.schema.to_parsing_canonical_form(copy.deepcopy(schema)) == \
        fa.schema.to_parsing_canonical_form(copy.deepcopy(schema))


def evolved(schema):
    """The reader schema of a record schema: its int and long fields promoted to long and
    double, its last field dropped (when it has two), two fields added with defaults."""
    reader = copy.deepcopy(schema)
    for f in reader["fields"]:
        if f["type"] in ("int", "long"):
            f["type"] = {"int": "long", "long": "double"}[f["type"]]
    if len(reader["fields"]) > 1:
        reader["fields"].pop()
    reader["fields"].append({"name": "added", "type": ["null", "string"], "default": None})
    reader["fields"].insert(0, {"name": "count0", "type": "long", "default": 7})
    return reader


@pytest.mark.parametrize("seed", [s for s in SEEDS if s % 6])
def test_read_with_evolved_reader_schema(seed):
    schema, records = case(seed)
    reader = evolved(schema)
    for i, datum in enumerate(records):
        data = encode(fa, schema, datum)
        same(decode(fa, schema, data, reader), decode(ak, schema, data, reader), f"record {i}")
