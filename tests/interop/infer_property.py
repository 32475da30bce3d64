#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Property test of `avrokit infer`: random JSON documents, each inferred, checked, written and
read back.

    infer_property.py --avrokit PATH [--seed N] [--docs K] [--workdir DIR] [--keep]

Each document is a few JSON records (newline-delimited, or one indented array for --array)
drawn with a fixed seed: objects whose keys come from a small pool (so they repeat, go
missing and change type), keys that are not Avro names, nested objects and arrays, empty
ones, null, booleans, ints, longs, integers beyond 64 bits, doubles in every spelling,
strings with escapes and non-ASCII text, and per document some keys whose strings are all
dates, RFC 3339 timestamps or uuids. Options vary per document (--logical, a small
--max-fields, --array, --name/--namespace). For each one:

  1. `avrokit infer` succeeds and `avrokit checkschema` accepts its schema;
  2. `avrokit fromjson --plain` with that schema reads the document (the only allowed
     failure is the case infer warns about: strings "NaN"/"Infinity" where numbers and
     other strings are also seen);
  3. `avrokit tojson --plain` of the file gives the records back: the same values, keys
     that were missing come back null, numbers by value, timestamps by instant;
  4. for every fifth document, `avrokit fromjson --infer` writes the same records.

Exit status: 0 all held, 1 a failure (each printed with the document kept in WORKDIR),
2 on a usage error.
"""

import argparse
import calendar
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

KEYS = ["id", "name", "value", "tags", "meta", "x", "y", "count", "when", "at", "uid",
        "payload", "_hidden", "Items", "a1", "type", "null", "first-name", "2nd", "a b", "é"]
WORDS = ["", "a", "hello", "Grüße", "日本語", "emoji 😀", "tab\there", "quote \" and \\ back",
         "line\nbreak", "\u0000nul", "123", "1.5", "true", "null", "2020-13-45", "x" * 40]
TS_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def instant(s):
    """An RFC 3339 timestamp as nanoseconds since the epoch, or None."""
    m = TS_RE.match(s)
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(m.group(i)) for i in range(1, 7))
    frac = (m.group(7) or "").ljust(9, "0")[:9]
    secs = calendar.timegm((y, mo, d, h, mi, sec, 0, 0, 0))
    z = m.group(8)
    if z != "Z":
        off = (int(z[1:3]) * 60 + int(z[4:6])) * 60
        secs -= off if z[0] == "+" else -off
    return secs * 10 ** 9 + int(frac)


class Gen:
    def __init__(self, rng):
        self.r = rng
        # per document: keys whose strings are all of one logical form
        self.flavor = {}
        for k in KEYS:
            x = rng.random()
            self.flavor[k] = "date" if x < 0.1 else "ts" if x < 0.2 else "uuid" if x < 0.27 else None
        self.specials = rng.random() < 0.15

    def date(self):
        r = self.r
        return f"{r.randint(1900, 2100):04d}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    def ts(self):
        r = self.r
        frac = r.choice(["", "." + "".join(r.choice("0123456789") for _ in range(r.choice([1, 3, 6, 9])))])
        zone = r.choice(["Z", "+01:00", "-05:30", "+00:00"])
        sep = r.choice("TT ")
        return f"{self.date()}{sep}{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}{frac}{zone}"

    def uuid(self):
        r = self.r
        h = "".join(r.choice("0123456789abcdef") for _ in range(32))
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def string(self, key):
        fl = self.flavor.get(key)
        if fl == "date":
            return self.date()
        if fl == "ts":
            return self.ts()
        if fl == "uuid":
            return self.uuid()
        if self.specials and self.r.random() < 0.1:
            return self.r.choice(["NaN", "Infinity", "-Infinity"])
        return self.r.choice(WORDS)

    def number(self):
        r = self.r
        x = r.random()
        if x < 0.4:
            return r.randint(-1000, 1000)
        if x < 0.5:
            return r.choice([2 ** 31 - 1, -2 ** 31, 2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1, -2 ** 63])
        if x < 0.55:
            return r.choice([2 ** 64, -2 ** 70, 10 ** 30])        # beyond 64 bits: doubles
        if x < 0.9:
            return r.choice([0.5, -1.25, 1e10, 3.141592653589793, 1e-300, 1.5e300, 0.0, -0.0])
        return "RAW:" + r.choice(["1e5", "1E-3", "-0.0", "2.50", "1e+2", "0e0"])

    def value(self, key, depth):
        r = self.r
        x = r.random()
        if depth < 4 and x < 0.25:
            return self.obj(depth + 1)
        if depth < 4 and x < 0.38:
            n = r.choice([0, 0, 1, 2, 3, 5])
            return [self.value(key, depth + 1) for _ in range(n)]
        if x < 0.6:
            return self.string(key)
        if x < 0.8:
            return self.number()
        if x < 0.88:
            return r.random() < 0.5
        return None

    def obj(self, depth):
        r = self.r
        keys = r.sample(KEYS, r.randint(0, 6))
        if r.random() < 0.93:   # most objects skip the keys that are not names
            keys = [k for k in keys if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", k)]
        return {k: self.value(k, depth) for k in keys}

    def record(self):
        if self.r.random() < 0.92:
            return self.obj(0)
        return self.value("x", 1)


def dump(v, indent=None):
    """JSON text, with RAW: numbers spelled as given."""
    text = json.dumps(v, ensure_ascii=False, indent=indent)
    return re.sub(r'"RAW:([-+0-9.eE]+)"', r"\1", text)


def unraw(v):
    if isinstance(v, str) and v.startswith("RAW:"):
        return float(v[4:])
    if isinstance(v, dict):
        return {k: unraw(x) for k, x in v.items()}
    if isinstance(v, list):
        return [unraw(x) for x in v]
    return v


def same(a, b, path="$"):
    """Is b (read back) the value a (written)? A reason when not, else None."""
    if isinstance(a, dict):
        if not isinstance(b, dict):
            return f"{path}: wrote an object, read {b!r:.80}"
        for k, x in a.items():
            if k not in b:
                return f"{path}: key {k!r} missing"
            why = same(x, b[k], f"{path}.{k}")
            if why:
                return why
        for k, x in b.items():
            if k not in a and x is not None:
                return f"{path}: extra key {k!r} = {x!r:.80}"
        return None
    if isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            return f"{path}: wrote {a!r:.80}, read {b!r:.80}"
        for i, (x, y) in enumerate(zip(a, b)):
            why = same(x, y, f"{path}[{i}]")
            if why:
                return why
        return None
    if isinstance(a, bool) or a is None:
        return None if (a is b) else f"{path}: wrote {a!r}, read {b!r:.80}"
    if isinstance(a, (int, float)):
        if isinstance(b, bool) or not isinstance(b, (int, float)):
            return f"{path}: wrote {a!r}, read {b!r:.80}"
        return None if (a == b or float(a) == float(b)) else f"{path}: wrote {a!r}, read {b!r}"
    if isinstance(a, str):
        if a == b:
            return None
        if isinstance(b, str) and instant(a) is not None and instant(a) == instant(b):
            return None
        if a in ("NaN", "Infinity", "-Infinity") and b == a:
            return None
        return f"{path}: wrote {a!r:.80}, read {b!r:.80}"
    return f"{path}: {a!r}?"


class Runner:
    def __init__(self, args):
        self.args = args
        self.work = args.workdir or tempfile.mkdtemp(prefix="infer_property.")
        os.makedirs(self.work, exist_ok=True)
        self.failures = 0

    def ak(self, *args, stdin=None):
        return subprocess.run([self.args.avrokit, *args], capture_output=True, stdin=stdin)

    def fail(self, i, what, p=None):
        self.failures += 1
        err = "" if p is None else f" (exit {p.returncode}: {p.stderr.decode('utf-8', 'replace').strip()[:400]})"
        print(f"FAIL doc {i}: {what}{err}  [{self.work}/doc{i}.json]")

    def doc(self, i):
        rng = random.Random(f"infer_property:{self.args.seed}:{i}")
        g = Gen(rng)
        records = [g.record() for _ in range(rng.randint(1, 12))]
        opts = []
        array = rng.random() < 0.2
        if rng.random() < 0.4:
            opts.append("--logical")
        if rng.random() < 0.15:
            opts += ["--max-fields", str(rng.randint(1, 4))]
        if rng.random() < 0.2:
            opts += ["--name", "Doc", "--namespace", "org.example.p"]
        if array:
            opts.append("--array")
        path = os.path.join(self.work, f"doc{i}.json")
        with open(path, "w", encoding="utf-8") as fh:
            if array:
                fh.write(dump(records, indent=rng.choice([None, 2])) + "\n")
            else:
                fh.write("".join(dump(r) + "\n" for r in records))
        want = [unraw(r) for r in records]

        p = self.ak("infer", *opts, path)
        if p.returncode != 0:
            return self.fail(i, f"infer {' '.join(opts)}", p)
        ambiguous = b"cannot tell whether those are strings or doubles" in p.stderr
        schema = os.path.join(self.work, f"doc{i}.avsc")
        with open(schema, "wb") as fh:
            fh.write(p.stdout)
        p = self.ak("checkschema", schema)
        if p.returncode != 0:
            return self.fail(i, "checkschema refuses the inferred schema", p)
        out = os.path.join(self.work, f"doc{i}.avro")
        p = self.ak("fromjson", "--plain", "--schema-file", schema, *(["--array"] if array else []),
                    path, "-o", out)
        if p.returncode != 0:
            if ambiguous and b"ambiguous" in p.stderr:
                return True
            return self.fail(i, "fromjson --plain cannot read the document with its schema", p)
        p = self.ak("tojson", "--plain", out)
        if p.returncode != 0:
            return self.fail(i, "tojson --plain", p)
        got = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
        if len(got) != len(want):
            return self.fail(i, f"{len(want)} records written, {len(got)} read")
        for k, (a, b) in enumerate(zip(want, got)):
            why = same(a, b)
            if why:
                return self.fail(i, f"record {k}: {why}")
        if i % 5 == 0:
            infer_opts = [o for o in opts if o != "--array"]
            p2 = self.ak("fromjson", "--infer", *infer_opts, *(["--array"] if array else []),
                         path, "-o", out + "2")
            if p2.returncode != 0:
                return self.fail(i, "fromjson --infer", p2)
            p3 = self.ak("tojson", "--plain", out + "2")
            if p3.stdout != p.stdout:
                return self.fail(i, "fromjson --infer wrote other records than infer + fromjson")
        return True

    def run(self):
        ok = 0
        for i in range(self.args.docs):
            if self.doc(i) is True:
                ok += 1
        print(f"infer_property: {ok} of {self.args.docs} documents round-trip, "
              f"{self.failures} failures")
        if not self.failures and not self.args.keep and not self.args.workdir:
            shutil.rmtree(self.work, ignore_errors=True)
        return 1 if self.failures else 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--avrokit", required=True)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--workdir")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    return Runner(args).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
