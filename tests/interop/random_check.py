#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`avrokit random` read back by python3-avro and avsc, its values checked against the schema.

    random_check.py --avrokit PATH [--seed N] [--schemas K] [--count N] [--workdir DIR]
                    [--peers py,js]

For a fixed set of schemas (every type and logical type in one record, recursion through a
union with null, an array and a map, mutual recursion, top-level primitives and unions)
and K random schemas of random_diff.py's generator (seeded), it runs
`avrokit random --count N --seed S --codec C` for every codec avrokit writes, then:

  * python3-avro reads each file it has the codec for, and avsc (node) reads the null,
    deflate and snappy files; both must give the same records, record for record, and the
    same as the null-codec file (the seed fixes the records, whatever the codec); the xz
    file, which neither peer reads, is compared with `avrokit tojson` of the null one;
  * every value is checked against its type: int and long ranges, enum symbols, fixed
    sizes, strings of valid UTF-8 (python3-avro decodes them strictly), decimals within
    their precision, dates and timestamps from 1900 to 2099, times within a day, uuids in
    their 8-4-4-4-12 form, duration parts, finite floats and doubles;
  * over the fixed schemas' records every union branch is taken at least once;
  * a schema whose recursion never ends (random_diff's min_depths() says inf) must be
    refused by avrokit with exit status 1 and the message "no value of this schema can end".

Exit status: 0 all is well, 1 a failure (each printed), 2 a tool is missing or the command
line is wrong.
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import avrojson as aj  # noqa: E402
import random_diff as rd  # noqa: E402

NS = "org.avrokit.random"
INT_MIN, INT_MAX = aj.INT_MIN, aj.INT_MAX
LONG_MIN, LONG_MAX = aj.LONG_MIN, aj.LONG_MAX
DAY_MIN, DAY_MAX = -25567, 47481                      # 1900-01-01 .. 2099-12-31
SEC_MIN, SEC_MAX = -2208988800, 4102444799
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def lt(t, name, **kw):
    return {"type": t, "logicalType": name, **kw}


EVERYTHING = {
    "type": "record", "name": "Everything", "namespace": NS,
    "fields": [
        {"name": "n", "type": "null"},
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"},
        {"name": "e", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
        {"name": "fx", "type": {"type": "fixed", "name": "Hash", "size": 16}},
        {"name": "f0", "type": {"type": "fixed", "name": "Nothing", "size": 0}},
        {"name": "f1", "type": {"type": "fixed", "name": "One", "size": 1}},
        {"name": "a", "type": {"type": "array", "items": "int"}},
        {"name": "m", "type": {"type": "map", "values": "string"}},
        {"name": "u", "type": ["null", "int", "string", "Color",
                               {"type": "record", "name": "Inner", "fields": [
                                   {"name": "x", "type": "long"},
                                   {"name": "tags", "type": {"type": "array", "items": "string"}}]}]},
        {"name": "date", "type": lt("int", "date")},
        {"name": "tmil", "type": lt("int", "time-millis")},
        {"name": "tmic", "type": lt("long", "time-micros")},
        {"name": "tsm", "type": lt("long", "timestamp-millis")},
        {"name": "tsu", "type": lt("long", "timestamp-micros")},
        {"name": "tsn", "type": lt("long", "timestamp-nanos")},
        {"name": "ltm", "type": lt("long", "local-timestamp-millis")},
        {"name": "ltu", "type": lt("long", "local-timestamp-micros")},
        {"name": "ltn", "type": lt("long", "local-timestamp-nanos")},
        {"name": "dec", "type": lt("bytes", "decimal", precision=9, scale=2)},
        {"name": "dec1", "type": lt("bytes", "decimal", precision=1, scale=0)},
        {"name": "decbig", "type": lt("bytes", "decimal", precision=38, scale=38)},
        {"name": "decf", "type": {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal",
                                  "precision": 18, "scale": 4}},
        {"name": "decf1", "type": {"type": "fixed", "name": "Tiny", "size": 1, "logicalType": "decimal",
                                   "precision": 2, "scale": 1}},
        {"name": "uus", "type": lt("string", "uuid")},
        {"name": "uuf", "type": {"type": "fixed", "name": "Uuid", "size": 16, "logicalType": "uuid"}},
        {"name": "dur", "type": {"type": "fixed", "name": "Duration", "size": 12, "logicalType": "duration"}},
        {"name": "unknown", "type": lt("string", "no-such-logical-type")},
        {"name": "badprec", "type": lt("bytes", "decimal", precision=0, scale=0)},
        {"name": "ul", "type": ["null", lt("int", "date"), lt("long", "timestamp-micros"),
                                lt("string", "uuid"), "Money"]},
        {"name": "deep", "type": {"type": "array", "items": {"type": "map", "values": [
            "null", {"type": "array", "items": ["boolean", "double", "Hash"]}]}}},
    ],
}

RECURSIVE = [
    {"type": "record", "name": "List", "fields": [
        {"name": "value", "type": "int"},
        {"name": "next", "type": ["null", "List"]}]},
    {"type": "record", "name": "Tree", "fields": [
        {"name": "label", "type": "string"},
        {"name": "children", "type": {"type": "array", "items": "Tree"}}]},
    {"type": "record", "name": "Dict", "fields": [
        {"name": "entries", "type": {"type": "map", "values": "Dict"}}]},
    {"type": "record", "name": "A", "fields": [
        {"name": "b", "type": {"type": "record", "name": "B", "fields": [
            {"name": "a", "type": ["A", "null"]},
            {"name": "also", "type": ["null", "B"]}]}}]},
    # the union's only way out is its last branch
    {"type": "record", "name": "Deep", "fields": [
        {"name": "d", "type": ["Deep", {"type": "record", "name": "Leaf", "fields": [
            {"name": "x", "type": "int"}]}]}]},
]

TOP = ["string", "long", ["null", "int", "string"],
       # the records can never end, so the arrays are always empty
       {"type": "array", "items": {"type": "record", "name": "Loop3", "fields": [
           {"name": "me", "type": "Loop3"}]}},
       {"type": "array", "items": "double"}, {"type": "map", "values": lt("int", "date")}]

NEVER_ENDING = [
    {"type": "record", "name": "Loop", "fields": [{"name": "self", "type": "Loop"}]},
    {"type": "record", "name": "Loop2", "fields": [{"name": "x", "type": "int"},
                                                   {"name": "again", "type": ["Loop2"]}]},
]


def dec_valid(node):
    return rd.ValueGen.decimal_ok(node)


class Checker:
    def __init__(self, args):
        self.args = args
        self.failures = 0
        self.checked = 0
        self.work = args.workdir or tempfile.mkdtemp(prefix="random_check.")
        os.makedirs(self.work, exist_ok=True)
        self.avro = rd.python_avro() if "py" in args.peers else None
        self.avsc = rd.find_avsc() if "js" in args.peers else None
        self.BranchReader = rd.make_py_classes(self.avro)[1] if self.avro else None
        p = subprocess.run([args.avrokit, "-V"], capture_output=True, text=True)
        self.codecs = []
        for line in p.stdout.splitlines():
            if line.startswith("codecs:"):
                self.codecs = [c for c in line.split()[1:] if "(" not in c]
        known = getattr(self.avro.codecs, "KNOWN_CODECS", {}) if self.avro else {}
        self.py_codecs = [c for c in rd.PY_CODEC_ORDER if c in known]
        self.branches_seen = {}   # id(union node) -> set of branch indexes
        self.union_nodes = {}     # id -> the union nodes of the fixed schemas (kept alive)

    def fail(self, what):
        self.failures += 1
        print(f"FAIL: {what}")

    # ---- values against their types ----

    def check(self, node, c, path, cover):
        k, lg = node.kind, node.logical
        if k == "union":
            idx = rd.null_index(node) if c is None else rd.branch_index(node, c[1])
            if cover:
                self.branches_seen.setdefault(id(node), set()).add(idx)
            if c is not None:
                self.check(node.branches[idx], c[2], f"{path}<{c[1]}>", cover)
            return
        if k == "null":
            return
        if k in ("int", "long"):
            v = c[1]
            lo, hi = (INT_MIN, INT_MAX) if k == "int" else (LONG_MIN, LONG_MAX)
            if k == "int" and lg == "date":
                lo, hi = DAY_MIN, DAY_MAX
            elif k == "int" and lg == "time-millis":
                lo, hi = 0, 86399999
            elif k == "long" and lg == "time-micros":
                lo, hi = 0, 86399999999
            elif k == "long" and lg in ("timestamp-millis", "local-timestamp-millis"):
                lo, hi = SEC_MIN * 1000, SEC_MAX * 1000 + 999
            elif k == "long" and lg in ("timestamp-micros", "local-timestamp-micros"):
                lo, hi = SEC_MIN * 10 ** 6, SEC_MAX * 10 ** 6 + 999999
            elif k == "long" and lg in ("timestamp-nanos", "local-timestamp-nanos"):
                lo, hi = SEC_MIN * 10 ** 9, SEC_MAX * 10 ** 9 + 999999999
            if not (isinstance(v, int) and lo <= v <= hi):
                self.fail(f"{path}: {k} {lg or ''} value {v!r} outside {lo}..{hi}")
            return
        if k in ("float", "double"):
            x = rd.f_value(c) if k == "float" else rd.d_value(c)
            if not math.isfinite(x):
                self.fail(f"{path}: {k} value {x!r} is not finite")
            return
        if k == "boolean":
            if not isinstance(c[1], bool):
                self.fail(f"{path}: boolean {c!r}")
            return
        if k in ("bytes", "fixed"):
            b = c[1]
            if k == "fixed" and len(b) != node.size:
                self.fail(f"{path}: fixed {node.name} of size {node.size} holds {len(b)} bytes")
            if lg == "decimal" and dec_valid(node):
                u = int.from_bytes(b, "big", signed=True)
                if abs(u) >= 10 ** node.precision:
                    self.fail(f"{path}: decimal({node.precision}) unscaled value {u} too large")
            if k == "fixed" and lg == "uuid" and node.size == 16 and (b[6] >> 4 != 4 or b[8] >> 6 != 2):
                self.fail(f"{path}: fixed uuid {b.hex()} is not a version 4 uuid")
            if k == "fixed" and lg == "duration" and node.size == 12:
                months, days, ms = (int.from_bytes(b[i:i + 4], "little") for i in (0, 4, 8))
                if months > 1200 or days > 30 or ms >= 86400000:
                    self.fail(f"{path}: duration {months} months {days} days {ms} ms")
            return
        if k == "string":
            s = c[1]
            if not isinstance(s, str):
                self.fail(f"{path}: string {s!r}")
            elif lg == "uuid" and not UUID_RE.match(s):
                self.fail(f"{path}: uuid string {s!r}")
            elif any(0xD800 <= ord(ch) <= 0xDFFF for ch in s):
                self.fail(f"{path}: string with a surrogate {s!r}")
            return
        if k == "enum":
            if c[1] not in node.symbols:
                self.fail(f"{path}: {c[1]!r} is not a symbol of {node.name}")
            return
        if k == "array":
            for j, x in enumerate(c[1]):
                self.check(node.items, x, f"{path}[{j}]", cover)
            return
        if k == "map":
            keys = [key for key, _ in c[1]]
            if len(set(keys)) != len(keys):
                self.fail(f"{path}: map with a key twice")
            for key, x in c[1]:
                self.check(node.values, x, f"{path}[{key!r}]", cover)
            return
        if k == "record":
            for (f, t), (_, x) in zip(node.fields, c[1]):
                self.check(t, x, f"{path}.{f}", cover)
            return
        raise ValueError(k)

    def norm(self, node, c):
        """Decimals as their unscaled integer (python3-avro re-encodes them its own way)."""
        k = node.kind
        if c is None:
            return None
        if k == "union":
            idx = rd.branch_index(node, c[1])
            return ("u", c[1], self.norm(node.branches[idx], c[2]))
        if k in ("bytes", "fixed") and node.logical == "decimal":
            return ("dec", int.from_bytes(c[1], "big", signed=True))
        if k == "array":
            return ("a", tuple(self.norm(node.items, x) for x in c[1]))
        if k == "map":
            return ("m", tuple((key, self.norm(node.values, x)) for key, x in c[1]))
        if k == "record":
            return ("r", tuple((f, self.norm(t, x)) for (f, t), (_, x) in zip(node.fields, c[1])))
        return c

    # ---- the peers ----

    def py_read(self, node, path):
        got = []
        self.BranchReader.fallbacks = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open(path, "rb") as fh:
                for datum in self.avro.datafile.DataFileReader(fh, self.BranchReader()):
                    got.append(rd.from_py(node, datum))
        if self.BranchReader.fallbacks:
            raise ValueError(f"{self.BranchReader.fallbacks} date/time values python3-avro "
                             "cannot hold (outside years 1 to 9999)")
        return got

    def js_read(self, schema, node, paths):
        job = os.path.join(self.work, "avsc-job.json")
        with open(job, "w", encoding="utf-8") as fh:
            json.dump({"schema": schema, "ops": [{"op": "read", "path": p} for p in paths]}, fh)
        p = subprocess.run(["node", os.path.join(HERE, "random_diff.js"), self.avsc, job],
                           capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f"node exit {p.returncode}: {p.stderr.decode('utf-8', 'replace')[:500]}")
        out = []
        for res in json.loads(p.stdout)["results"]:
            if not res["ok"]:
                out.append(RuntimeError(res["error"]))
            else:
                out.append([rd.from_js(node, v) for v in res["values"]])
        return out

    def ak(self, *args, stdin=None):
        return subprocess.run([self.args.avrokit, *args], capture_output=True, stdin=stdin)

    def run_schema(self, label, schema, seed, cover, js_ok=True, py_ok=True):
        node = aj.parse_schema(json.dumps(schema))
        if cover:
            for n in rd.walk_nodes(node):
                if n.kind == "union":
                    self.union_nodes[id(n)] = n
        sfile = os.path.join(self.work, f"{label}.avsc")
        with open(sfile, "w", encoding="utf-8") as fh:
            json.dump(schema, fh)
        files = {}
        for codec in self.codecs:
            out = os.path.join(self.work, f"{label}-{codec}.avro")
            p = self.ak("random", "--count", str(self.args.count), "--seed", str(seed),
                        "--codec", codec, sfile, "-o", out)
            if p.returncode != 0:
                self.fail(f"{label}: avrokit random --codec {codec}: exit {p.returncode}: "
                          f"{p.stderr.decode('utf-8', 'replace').strip()}")
                return
            files[codec] = out
        base = None
        if self.avro and py_ok:
            for codec in self.py_codecs:
                if codec not in files:
                    continue
                try:
                    got = self.py_read(node, files[codec])
                except Exception as e:  # noqa: BLE001
                    self.fail(f"{label}: python3-avro reading the {codec} file: {type(e).__name__}: {e}")
                    continue
                if len(got) != self.args.count:
                    self.fail(f"{label}: python3-avro read {len(got)} records of {self.args.count}")
                if base is None:
                    base = got
                    for j, c in enumerate(got):
                        self.check(node, c, f"{label}[{j}]", cover)
                    self.checked += len(got)
                elif [self.norm(node, c) for c in got] != [self.norm(node, c) for c in base]:
                    self.fail(f"{label}: the {codec} file's records differ from the first file's")
        js_codecs = [c for c in rd.JS_CODECS if c in files]
        if self.avsc and js_ok and js_codecs:
            try:
                results = self.js_read(schema, node, [files[c] for c in js_codecs])
            except RuntimeError as e:
                self.fail(f"{label}: avsc: {e}")
                results = []
            for codec, res in zip(js_codecs, results):
                if isinstance(res, Exception):
                    self.fail(f"{label}: avsc reading the {codec} file: {res}")
                    continue
                if base is None:
                    base = res
                    for j, c in enumerate(res):
                        self.check(node, c, f"{label}[{j}]", cover)
                    self.checked += len(res)
                elif [self.norm(node, c) for c in res] != [self.norm(node, c) for c in base]:
                    bad = next(j for j, (a, b) in enumerate(zip(res, base))
                               if self.norm(node, a) != self.norm(node, b)) if len(res) == len(base) else -1
                    self.fail(f"{label}: avsc reads the {codec} file differently from python3-avro "
                              f"(record {bad})")
        # the codecs no peer reads: the same records as the null file, by avrokit tojson
        if "null" in files:
            want = self.ak("tojson", files["null"]).stdout
            for codec, path in files.items():
                if codec in self.py_codecs or codec in rd.JS_CODECS:
                    continue
                p = self.ak("tojson", path)
                if p.returncode != 0 or p.stdout != want:
                    self.fail(f"{label}: the {codec} file holds other records than the null file")

    def run(self):
        if not self.avro and "py" in self.args.peers:
            print("random_check.py: missing: python3-avro", file=sys.stderr)
            return 2
        if not self.avsc and "js" in self.args.peers:
            print("random_check.py: missing: avsc (node and bench/node_modules/avsc)", file=sys.stderr)
            return 2
        seed = self.args.seed
        self.run_schema("everything", EVERYTHING, seed, cover=True)
        for i, s in enumerate(RECURSIVE):
            self.run_schema(f"recursive{i}", s, seed + i, cover=True)
        for i, s in enumerate(TOP):
            node = aj.parse_schema(json.dumps(s))
            can_be_null = node.kind == "null" or (node.kind == "union" and
                                                 any(b.kind == "null" for b in node.branches))
            # avsc reads a file whose records are null as empty (KNOWN js-null-datum)
            self.run_schema(f"top{i}", s, seed + 100 + i, cover=True, js_ok=not can_be_null)
        # every branch of the fixed schemas' unions was taken
        self.check_coverage()
        for i, s in enumerate(NEVER_ENDING):
            sfile = os.path.join(self.work, f"never{i}.avsc")
            with open(sfile, "w", encoding="utf-8") as fh:
                json.dump(s, fh)
            p = self.ak("random", "--count", "1", "--seed", "1", sfile)
            err = p.stderr.decode("utf-8", "replace")
            if p.returncode != 1 or "no value of this schema can end" not in err or p.stdout:
                self.fail(f"never-ending schema {i}: exit {p.returncode}, stderr {err.strip()!r}")
        # random schemas: refused exactly when no finite value exists
        for i in range(self.args.schemas):
            case = rd.Case(seed, i)
            finite = rd.min_depths(case.node)[id(case.node)] != math.inf
            if not finite:
                sfile = os.path.join(self.work, f"gen{i}.avsc")
                with open(sfile, "w", encoding="utf-8") as fh:
                    fh.write(case.schema_text)
                p = self.ak("random", "--count", "1", sfile)
                if p.returncode != 1 or b"no value of this schema can end" not in p.stderr:
                    self.fail(f"random schema {i} (no finite value): exit {p.returncode}")
                continue
            root = case.node
            can_be_null = root.kind == "null" or (root.kind == "union" and
                                                 any(b.kind == "null" for b in root.branches))
            js_ok = not (case.ignored_ns or rd.big_long_default(case.schema) or can_be_null)
            self.run_schema(f"gen{i}", case.schema, seed + 1000 + i, cover=False,
                            js_ok=js_ok, py_ok=not case.empty_ns)
        print(f"random_check: {self.checked} records checked, {self.failures} failures "
              f"(codecs: {' '.join(self.codecs)}; python3-avro reads {' '.join(self.py_codecs)}"
              f"{'; avsc reads ' + ' '.join(rd.JS_CODECS) if self.avsc else ''})")
        if self.failures == 0 and not self.args.workdir:
            shutil.rmtree(self.work, ignore_errors=True)
        return 1 if self.failures else 0

    def check_coverage(self):
        """Every union branch of the fixed schemas was taken in some record."""
        missing = 0
        for key, node in self.union_nodes.items():
            seen = self.branches_seen.get(key, set())
            if len(seen) != len(node.branches):
                missing += 1
                names = [b.branch_name for j, b in enumerate(node.branches) if j not in seen]
                self.fail(f"union {[b.branch_name for b in node.branches]}: never took {names}")
        return missing


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--avrokit", required=True)
    ap.add_argument("--seed", type=int, default=20250601)
    ap.add_argument("--schemas", type=int, default=20)
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--workdir")
    ap.add_argument("--peers", default="py,js")
    args = ap.parse_args(argv)
    args.peers = set(args.peers.split(",")) - {""}
    return Checker(args).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
