# SPDX-License-Identifier: Apache-2.0
"""Avro JSON helpers for the interoperability tests (standard library only).

* parse_schema(): a small schema resolver (named types, namespaces, recursion).
* to_canon(): turns a JSON value printed by a tool (avrokit tojson, avrocat)
  into a canonical, comparable form, guided by the schema.  Floats and
  doubles compare by exact value (bit pattern), every NaN equals every NaN,
  -0.0 differs from 0.0.
* datum_canon() / datum_text(): the same for a Python datum as written by
  python3-avro, and the Avro JSON text avro-tools would print for it.
* java_double() / java_float(): number spelling as Java's Double.toString /
  Float.toString (shortest digits that read back to the same value,
  1.0E16, 1.0E-4, "NaN", ...).
* diff(): the first difference between two canonical values, with a path.
"""

import datetime
import decimal
import json
import math
import struct
import uuid
from fractions import Fraction

PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
NAMED = ("record", "error", "enum", "fixed")

INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1
LONG_MIN, LONG_MAX = -(1 << 63), (1 << 63) - 1


class SchemaError(Exception):
    pass


class Node:
    """One schema node.  kind is a primitive name, record, enum, fixed, array, map or union."""

    def __init__(self, kind):
        self.kind = kind
        self.name = None        # full name of a named type
        self.fields = []        # record: list of (name, Node)
        self.symbols = []       # enum
        self.size = 0           # fixed
        self.items = None       # array
        self.values = None      # map
        self.branches = []      # union
        self.logical = None     # logicalType attribute, if any
        self.scale = 0          # decimal
        self.precision = None   # decimal

    @property
    def short(self):
        return self.name.rsplit(".", 1)[-1] if self.name else self.kind

    @property
    def branch_name(self):
        """The key of this branch in a union wrapper: full name or type name."""
        return self.name if self.name else self.kind


def parse_schema(text_or_obj):
    obj = json.loads(text_or_obj) if isinstance(text_or_obj, (str, bytes)) else text_or_obj
    names = {}
    return _parse(obj, None, names)


def _fullname(name, namespace):
    if "." in name:
        return name
    return f"{namespace}.{name}" if namespace else name


def _parse(obj, ns, names):
    if isinstance(obj, str):
        if obj in PRIMITIVES:
            return Node(obj)
        for cand in (_fullname(obj, ns), obj):
            if cand in names:
                return names[cand]
        raise SchemaError(f"unknown type {obj!r}")
    if isinstance(obj, list):
        n = Node("union")
        n.branches = [_parse(b, ns, names) for b in obj]
        return n
    if not isinstance(obj, dict) or "type" not in obj:
        raise SchemaError(f"bad schema {obj!r}")
    t = obj["type"]
    if t in NAMED:
        n = Node("record" if t == "error" else t)
        name = obj["name"]
        if "." in name:
            full = name
        else:
            inner_ns = obj.get("namespace", ns)
            full = _fullname(name, inner_ns)
        n.name = full
        names[full] = n
        child_ns = full.rsplit(".", 1)[0] if "." in full else None
        if t in ("record", "error"):
            n.fields = [(f["name"], _parse(f["type"], child_ns, names)) for f in obj["fields"]]
        elif t == "enum":
            n.symbols = list(obj["symbols"])
        else:
            n.size = int(obj["size"])
            n.logical = obj.get("logicalType")
            n.scale = int(obj.get("scale", 0) or 0)
            n.precision = obj.get("precision")
        return n
    if t == "array":
        n = Node("array")
        n.items = _parse(obj["items"], ns, names)
        return n
    if t == "map":
        n = Node("map")
        n.values = _parse(obj["values"], ns, names)
        return n
    if t in PRIMITIVES:
        n = Node(t)
        n.logical = obj.get("logicalType")
        n.scale = obj.get("scale", 0) if isinstance(obj.get("scale", 0), int) else 0
        n.precision = obj.get("precision")
        return n
    # {"type": "SomeName"} or {"type": {...}}
    return _parse(t, ns, names)


# ---------------------------------------------------------------------------
# float32 and shortest decimal digits

def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f32(x):
    """Round a Python float to float32 (OverflowError beyond FLT_MAX, like struct)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def f32_from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b))[0]


FLT_MAX = f32_from_bits(0x7F7FFFFF)
_F32_OVERFLOW = Fraction(FLT_MAX) + Fraction(2) ** 103   # FLT_MAX + half an ulp


def dec_to_f32(d):
    """Correctly rounded decimal (Decimal, int or str) -> float32, as a Python float."""
    d = decimal.Decimal(d)
    if d.is_nan():
        return math.nan
    neg = d.is_signed()
    if d.is_infinite():
        return -math.inf if neg else math.inf
    exact = abs(Fraction(d))
    if exact == 0:
        return -0.0 if neg else 0.0
    if exact >= _F32_OVERFLOW:
        r = math.inf
    else:
        approx = min(float(exact), FLT_MAX)
        b = f32_bits(f32(approx)) if approx <= FLT_MAX else 0x7F7FFFFF
        best = None
        for c in (b - 1, b, b + 1):
            if c < 0 or c > 0x7F7FFFFF:
                continue
            dist = abs(Fraction(f32_from_bits(c)) - exact)
            key = (dist, c & 1)
            if best is None or key < best[0]:
                best = (key, c)
        r = f32_from_bits(best[1])
    return -r if neg else r


def _round_sig(exact_dec_str, p):
    """Decimal string of a value -> Decimal rounded to p significant digits (half even)."""
    ctx = decimal.Context(prec=p, rounding=decimal.ROUND_HALF_EVEN, Emax=999999, Emin=-999999)
    return ctx.plus(decimal.Decimal(exact_dec_str))


def _digits_exp(d):
    """Decimal (non-zero, positive) -> (digit string without trailing zeros, exponent of first digit)."""
    sign, digits, exp = d.normalize(decimal.Context(prec=60)).as_tuple()
    s = "".join(map(str, digits)).rstrip("0") or "0"
    e = exp + len(digits) - 1
    return s, e


def shortest_digits(x, is32, java=True):
    """Digits and exponent of the shortest decimal that reads back as x (x finite, > 0).

    Among the shortest, the one closest to x.  With java=True and a one-digit
    shortest, the closest decimal of one or two digits (Java's Double.toString
    rule since JDK 19, e.g. 4.9E-324 instead of 5.0E-324)."""
    exact = Fraction(x)
    exact_str = str(decimal.Decimal(x))   # exact binary value in decimal
    if is32:
        def reads_back(d):
            return f32_bits(dec_to_f32(d)) == f32_bits(x)
        maxp = 9
    else:
        def reads_back(d):
            return float(d) == x
        maxp = 17

    def valid_at(p):
        r = _round_sig(exact_str, p)
        sign, digits, exp = r.as_tuple()
        n = int("".join(map(str, digits)))
        out = []
        for k in (n - 1, n, n + 1):
            if k <= 0:
                continue
            c = decimal.Decimal(f"{k}E{exp}")
            if reads_back(c):
                out.append(c)
        return out

    for p in range(1, maxp + 1):
        cands = valid_at(p)
        if cands:
            break
    else:
        raise AssertionError(f"no decimal reads back as {x!r}")
    if java and p == 1:
        cands += valid_at(2)

    def key(c):
        ds, _ = _digits_exp(c)
        return (abs(Fraction(c) - exact), int(ds[-1]) % 2)
    best = min(cands, key=key)
    return _digits_exp(best)


def java_layout(neg, digits, e):
    """Spell digits d.ddd x 10^e the way Java's Double.toString / Float.toString do."""
    sign = "-" if neg else ""
    if -3 <= e < 7:
        if e >= 0:
            ip = (digits[: e + 1]).ljust(e + 1, "0")
            fp = digits[e + 1:] or "0"
        else:
            ip = "0"
            fp = "0" * (-e - 1) + digits
        return f"{sign}{ip}.{fp}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{e}"


def _java_number(x, is32, java):
    if math.isnan(x):
        return '"NaN"'
    if math.isinf(x):
        return '"Infinity"' if x > 0 else '"-Infinity"'
    neg = math.copysign(1.0, x) < 0
    if x == 0:
        return "-0.0" if neg else "0.0"
    digits, e = shortest_digits(abs(x), is32, java)
    return java_layout(neg, digits, e)


def java_double(x, java=True):
    """JSON text of a double as avro-tools prints it (NaN and infinities as strings)."""
    return _java_number(x, False, java)


def java_float(x, java=True):
    """JSON text of a float (x must already be a float32 value)."""
    return _java_number(x, True, java)


def python_repr_digits(x):
    """Digits/exponent of Python's repr (shortest round trip for doubles), for cross-checks."""
    d = decimal.Decimal(repr(abs(x)))
    return _digits_exp(d)


# ---------------------------------------------------------------------------
# canonical values
#
#   null        None
#   boolean     ("b", True)
#   int/long    ("i", n)
#   float       ("f", bits) or ("f", "NaN")
#   double      ("d", bits) or ("d", "NaN")
#   bytes/fixed ("y", b"...")
#   string      ("s", "...")
#   enum        ("e", "SYMBOL")
#   array       ("a", (v, ...))
#   map         ("m", ((key, v), ...))  sorted by key
#   record      ("r", ((field, v), ...))  in schema order
#   union       ("u", branch_name, v)

class JSONError(Exception):
    pass


def _canon_f(x):
    return ("f", "NaN") if math.isnan(x) else ("f", f32_bits(x))


def _canon_d(x):
    return ("d", "NaN") if math.isnan(x) else ("d", struct.unpack("<Q", struct.pack("<d", x))[0])


class Obj(list):
    """A JSON object as a list of (key, value) pairs; duplicate keys are an error."""


def _pairs(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise JSONError(f"duplicate key {k!r}")
        seen.add(k)
    return Obj(pairs)


def _no_constant(name):
    raise JSONError(f"bare {name} is not JSON")


def loads(text):
    """Strict JSON: numbers kept exact (Decimal / int), no bare NaN, no duplicate keys."""
    return json.loads(text, parse_float=decimal.Decimal, parse_int=int,
                      parse_constant=_no_constant, object_pairs_hook=_pairs)


SPECIALS = {"NaN": "NaN", "Infinity": "inf", "-Infinity": "-inf"}


def to_canon(node, v, short_names=False, path="$"):
    """JSON value (from loads) -> canonical value.  Raises JSONError when v does not fit.

    short_names=True reads avrocat's output: union keys may use a named type's short
    name, and a fixed may be shorter than its size (avrocat cuts it at a 0x00 byte;
    diff() with avrocat_faults tells that apart from other differences)."""
    k = node.kind
    if k == "null":
        if v is not None:
            raise JSONError(f"{path}: expected null, got {v!r}")
        return None
    if k == "boolean":
        if not isinstance(v, bool):
            raise JSONError(f"{path}: expected boolean, got {v!r}")
        return ("b", v)
    if k in ("int", "long"):
        lo, hi = (INT_MIN, INT_MAX) if k == "int" else (LONG_MIN, LONG_MAX)
        if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
            raise JSONError(f"{path}: expected {k}, got {v!r}")
        return ("i", v)
    if k in ("float", "double"):
        if isinstance(v, str) and v in SPECIALS:
            x = float(SPECIALS[v])
        elif isinstance(v, (int, decimal.Decimal)) and not isinstance(v, bool):
            x = dec_to_f32(v) if k == "float" else float(v)
        else:
            raise JSONError(f"{path}: expected {k}, got {v!r}")
        return _canon_f(x) if k == "float" else _canon_d(x)
    if k in ("bytes", "fixed"):
        if not isinstance(v, str) or any(ord(c) > 0xFF for c in v):
            raise JSONError(f"{path}: expected {k} (code points <= U+00FF), got {v!r}")
        b = v.encode("latin-1")
        if k == "fixed" and len(b) != node.size and not short_names:
            raise JSONError(f"{path}: fixed {node.name} has size {node.size}, got {len(b)} bytes")
        return ("y", b)
    if k == "string":
        if not isinstance(v, str):
            raise JSONError(f"{path}: expected string, got {v!r}")
        return ("s", v)
    if k == "enum":
        if not isinstance(v, str) or v not in node.symbols:
            raise JSONError(f"{path}: expected a symbol of {node.name}, got {v!r}")
        return ("e", v)
    if k == "array":
        if not isinstance(v, list) or isinstance(v, Obj):
            raise JSONError(f"{path}: expected array, got {v!r}")
        return ("a", tuple(to_canon(node.items, x, short_names, f"{path}[{i}]") for i, x in enumerate(v)))
    if k == "map":
        if not isinstance(v, Obj):
            raise JSONError(f"{path}: expected map, got {v!r}")
        return ("m", tuple(sorted((key, to_canon(node.values, x, short_names, f"{path}[{key!r}]"))
                                  for key, x in v)))
    if k == "record":
        if not isinstance(v, Obj):
            raise JSONError(f"{path}: expected record {node.name}, got {v!r}")
        got = dict(v)
        want = [f for f, _ in node.fields]
        if set(got) != set(want):
            raise JSONError(f"{path}: record {node.name} has fields {want}, got {list(got)}")
        return ("r", tuple((f, to_canon(t, got[f], short_names, f"{path}.{f}")) for f, t in node.fields))
    if k == "union":
        if v is None:
            if any(b.kind == "null" for b in node.branches):
                return None
            raise JSONError(f"{path}: null is not a branch of this union")
        if not isinstance(v, Obj) or len(v) != 1:
            raise JSONError(f"{path}: expected a union wrapper {{\"branch\": value}}, got {v!r}")
        key, x = v[0]
        for b in node.branches:
            if b.kind != "null" and (key == b.branch_name or (short_names and b.name and key == b.short)):
                return ("u", b.branch_name, to_canon(b, x, short_names, f"{path}<{key}>"))
        raise JSONError(f"{path}: {key!r} is not a branch name of this union "
                        f"({[b.branch_name for b in node.branches]})")
    raise JSONError(f"{path}: unsupported schema kind {k}")


# ---------------------------------------------------------------------------
# Python datums (as given to python3-avro's DatumWriter)

EPOCH_DATE = datetime.date(1970, 1, 1)
EPOCH_TS = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def decimal_bytes(d, scale):
    """The bytes python3-avro 1.11 writes for a Decimal: big-endian two's complement of the
    unscaled value, in ceil((bit_length(|u|) + 1) / 8) bytes.  d must have exactly `scale`
    decimal places (python3-avro ignores the exponent otherwise)."""
    sign, digits, exp = d.as_tuple()
    assert -exp == scale, f"{d} must have exactly {scale} decimal places"
    u = int("".join(map(str, digits)) or "0")
    if sign:
        u = -u
    n = (abs(u).bit_length() + 1 + 7) // 8
    b = u.to_bytes(n, "big", signed=True)
    assert decimal.Decimal(int.from_bytes(b, "big", signed=True)).scaleb(
        -scale, context=decimal.Context(prec=80)) == d
    return b


def lower(node, d):
    """Logical-type value -> the underlying Avro value that python3-avro writes."""
    lt = node.logical
    if lt == "date" and isinstance(d, datetime.date):
        return (d - EPOCH_DATE).days
    if lt == "timestamp-millis" and isinstance(d, datetime.datetime):
        delta = d - EPOCH_TS
        return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    if lt == "decimal" and isinstance(d, decimal.Decimal):
        return decimal_bytes(d, node.scale)
    return d


def py_valid(node, d):
    """python3-avro's idea of whether datum d fits branch node (enough for union selection)."""
    k, lt = node.kind, node.logical
    if k == "null":
        return d is None
    if k == "boolean":
        return isinstance(d, bool)
    if k == "int":
        if lt == "date":
            return isinstance(d, datetime.date)
        return isinstance(d, int) and INT_MIN <= d <= INT_MAX
    if k == "long":
        if lt == "timestamp-millis":
            return isinstance(d, datetime.datetime) and d.tzinfo is not None
        return isinstance(d, int) and LONG_MIN <= d <= LONG_MAX
    if k in ("float", "double"):
        return isinstance(d, (int, float))
    if k == "bytes":
        if lt == "decimal":
            return isinstance(d, decimal.Decimal)
        return isinstance(d, bytes)
    if k == "string":
        if lt == "uuid":
            try:
                uuid.UUID(d)
                return True
            except (ValueError, TypeError, AttributeError):
                return False
        return isinstance(d, str)
    if k == "fixed":
        return isinstance(d, bytes) and len(d) == node.size
    if k == "enum":
        return d in node.symbols
    if k == "array":
        return isinstance(d, list) and all(py_valid(node.items, x) for x in d)
    if k == "map":
        return isinstance(d, dict) and all(isinstance(kk, str) and py_valid(node.values, x)
                                           for kk, x in d.items())
    if k == "record":
        return (isinstance(d, dict) and set(d) <= {f for f, _ in node.fields}
                and all(py_valid(t, d.get(f)) for f, t in node.fields))
    if k == "union":
        return any(py_valid(b, d) for b in node.branches)
    return False


def py_branch(node, d):
    """The branch python3-avro 1.11 writes: the LAST one that validates."""
    found = None
    for b in node.branches:
        if py_valid(b, d):
            found = b
    if found is None:
        raise ValueError(f"datum {d!r} fits no branch")
    return found


def datum_canon(node, d):
    k = node.kind
    d = lower(node, d)
    if k == "null":
        return None
    if k == "boolean":
        return ("b", d)
    if k in ("int", "long"):
        return ("i", d)
    if k == "float":
        return _canon_f(f32(d))
    if k == "double":
        return _canon_d(float(d))
    if k in ("bytes", "fixed"):
        return ("y", bytes(d))
    if k == "string":
        return ("s", d)
    if k == "enum":
        return ("e", d)
    if k == "array":
        return ("a", tuple(datum_canon(node.items, x) for x in d))
    if k == "map":
        return ("m", tuple(sorted((key, datum_canon(node.values, x)) for key, x in d.items())))
    if k == "record":
        return ("r", tuple((f, datum_canon(t, d.get(f))) for f, t in node.fields))
    if k == "union":
        b = py_branch(node, d)
        if b.kind == "null":
            return None
        return ("u", b.branch_name, datum_canon(b, d))
    raise ValueError(k)


_SHORT_ESC = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def json_string(s):
    """A JSON string the way Jackson writes it: short escapes, \\u00XX for other controls,
    everything else (non-ASCII included) as is."""
    out = ['"']
    for c in s:
        if c in _SHORT_ESC:
            out.append(_SHORT_ESC[c])
        elif ord(c) < 0x20:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def datum_text(node, d, java=True):
    """Avro JSON text (compact, avro-tools style) of a Python datum."""
    k = node.kind
    d = lower(node, d)
    if k == "null":
        return "null"
    if k == "boolean":
        return "true" if d else "false"
    if k in ("int", "long"):
        return str(d)
    if k == "float":
        return java_float(f32(d), java)
    if k == "double":
        return java_double(float(d), java)
    if k in ("bytes", "fixed"):
        return json_string(bytes(d).decode("latin-1"))
    if k in ("string", "enum"):
        return json_string(d)
    if k == "array":
        return "[" + ",".join(datum_text(node.items, x, java) for x in d) + "]"
    if k == "map":
        return "{" + ",".join(json_string(key) + ":" + datum_text(node.values, x, java)
                              for key, x in d.items()) + "}"
    if k == "record":
        return "{" + ",".join(json_string(f) + ":" + datum_text(t, d.get(f), java)
                              for f, t in node.fields) + "}"
    if k == "union":
        b = py_branch(node, d)
        if b.kind == "null":
            return "null"
        return "{" + json_string(b.branch_name) + ":" + datum_text(b, d, java) + "}"
    raise ValueError(k)


def has_nonfinite(c):
    """Does a canonical value hold a NaN or an infinity (float or double)?"""
    if c is None:
        return False
    tag = c[0]
    if tag == "f":
        return c[1] == "NaN" or (c[1] & 0x7F800000) == 0x7F800000
    if tag == "d":
        return c[1] == "NaN" or (c[1] & 0x7FF0000000000000) == 0x7FF0000000000000
    if tag == "a":
        return any(has_nonfinite(x) for x in c[1])
    if tag in ("m", "r"):
        return any(has_nonfinite(x) for _, x in c[1])
    if tag == "u":
        return has_nonfinite(c[2])
    return False


def has_subnormal(c):
    """Does a canonical value hold a subnormal float or double?"""
    if c is None:
        return False
    tag = c[0]
    if tag == "f":
        return c[1] != "NaN" and (c[1] & 0x7F800000) == 0 and (c[1] & 0x007FFFFF) != 0
    if tag == "d":
        return (c[1] != "NaN" and (c[1] & 0x7FF0000000000000) == 0
                and (c[1] & 0x000FFFFFFFFFFFFF) != 0)
    if tag == "a":
        return any(has_subnormal(x) for x in c[1])
    if tag in ("m", "r"):
        return any(has_subnormal(x) for _, x in c[1])
    if tag == "u":
        return has_subnormal(c[2])
    return False


# ---------------------------------------------------------------------------
# comparing

def show(c):
    if isinstance(c, tuple) and len(c) == 2 and c[0] in ("f", "d") and c[1] == "NaN":
        return f"{'float' if c[0] == 'f' else 'double'} NaN"
    if isinstance(c, tuple) and len(c) == 2 and c[0] == "f" and c[1] != "NaN":
        return f"float {java_float(f32_from_bits(c[1]))}"
    if isinstance(c, tuple) and len(c) == 2 and c[0] == "d" and c[1] != "NaN":
        return f"double {java_double(struct.unpack('<d', struct.pack('<Q', c[1]))[0])}"
    r = repr(c)
    return r if len(r) < 200 else r[:200] + "..."


def diff(got, want, path="$", tolerate=None):
    """First difference between canonical values, as a message; None when equal.
    tolerate(got, want) may return a reason string to accept a known peer fault;
    accepted faults are appended to diff.tolerated as (path, reason)."""
    if got == want:
        return None
    if tolerate:
        reason = tolerate(got, want)
        if reason:
            diff.tolerated.append((path, reason))
            return None
    if (isinstance(got, tuple) and isinstance(want, tuple) and got and want
            and got[0] == want[0] and got[0] in ("a", "m", "r", "u")):
        tag = got[0]
        if tag == "u":
            if got[1] != want[1]:
                return f"{path}: union branch {got[1]!r}, expected {want[1]!r}"
            return diff(got[2], want[2], f"{path}<{got[1]}>", tolerate)
        g, w = got[1], want[1]
        if tag == "a":
            for i, (x, y) in enumerate(zip(g, w)):
                m = diff(x, y, f"{path}[{i}]", tolerate)
                if m:
                    return m
            if len(g) != len(w):
                return f"{path}: {len(g)} items, expected {len(w)}"
            return None
        gk, wk = [p[0] for p in g], [p[0] for p in w]
        if gk != wk:
            return f"{path}: keys {gk}, expected {wk}"
        for (key, x), (_, y) in zip(g, w):
            m = diff(x, y, f"{path}.{key}" if tag == "r" else f"{path}[{key!r}]", tolerate)
            if m:
                return m
        return None
    return f"{path}: got {show(got)}, expected {show(want)}"


diff.tolerated = []


def avro_c_map_keys(c):
    """A canonical value as avro-c holds it: map keys are C strings, cut at U+0000."""
    if c is None:
        return None
    tag = c[0]
    if tag == "a":
        return ("a", tuple(avro_c_map_keys(x) for x in c[1]))
    if tag == "r":
        return ("r", tuple((f, avro_c_map_keys(x)) for f, x in c[1]))
    if tag == "u":
        return ("u", c[1], avro_c_map_keys(c[2]))
    if tag == "m":
        pairs = [(k.split("\x00", 1)[0], avro_c_map_keys(x)) for k, x in c[1]]
        keys = [k for k, _ in pairs]
        assert len(set(keys)) == len(keys), "cutting map keys at U+0000 made duplicates"
        return ("m", tuple(sorted(pairs)))
    return c


AVRO_C_MAP_KEYS = "avro-c fault: map keys are C strings, cut at the first U+0000"


def avrocat_faults(got, want):
    """Known avro-c (avrocat 1.11.1) output faults, tolerated when comparing with it."""
    if (isinstance(got, tuple) and isinstance(want, tuple) and len(got) == 2 and len(want) == 2
            and got[0] == want[0] and got[0] in ("y", "s")):
        nul = b"\x00" if got[0] == "y" else "\x00"
        if nul in want[1] and got[1] == want[1][: want[1].index(nul)]:
            return ("avrocat fault: prints bytes/fixed/string values as C strings, "
                    "cut at the first 0x00")
    return None
