#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Benchmark of Python Avro libraries: python3-avro, fastavro and avrokit's Python package.

    bench/python/bench.py [--quick] [--peers LIST] [--ops LIST] [--datasets LIST]
                          [--runs N] [--out FILE.md] [--json FILE]

The shape of the benchmark that first compared pure-Python, fastavro and a native library:
two schemas, "small" (a record with one string field) and "big" (userInfo: username, age,
phone, housenum and a nested address {street, city, state_prov, country, zip}), with varied
records from bench/gen.py (its rust-string and rust-user datasets), at 10k and 100k
records.  Operations: write a container file with the null and the deflate codec, read it
back into a list of dicts, schemaless-encode each record into its own bytes, and decode
each of those.  The "floor" is pure Python building the same list of dicts from tuples:
at 100k records the dicts and the garbage collector's passes over them cost about as much
as decoding, so a reader cannot beat it by much.  Every child holds the generated records
while it measures, as the program that made them would (--clean-heap: only its input);
how many objects the collector must walk changes the 100k figures by a factor of two.

Every measurement runs in its own child process (so that its peak RSS, ru_maxrss, is its
own): the child prepares its input, notes its peak RSS so far, runs the operation --runs
times (best wall time wins; the CPU time is that run's), and reports.  Inputs are in
memory (io.BytesIO), never on disk.  Peers: "python-avro" (Debian's python3-avro, the
`avro` package of /usr/bin/python3), "fastavro" (PYTHONPATH=--fastavro-path; the script
checks that fastavro.reader comes from the compiled fastavro._read), "avrokit" (when it
can be imported; PYTHONPATH=--avrokit-path).  A peer that is missing is left out with the
reason.  --quick: best of 3, python-avro only at 10k records.  Run it with `nice`: the
machine is shared.  --out FILE keeps the notes written by hand at the top of FILE (up to
the NOTES_END line) and replaces the report below them.
"""

import argparse
import datetime
import gc
import io
import json
import os
import platform
import resource
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
DEFAULT_FASTAVRO = os.path.normpath(os.path.join(REPO, "..", "shared", "peers", "fastavro"))

PEERS = ["python-avro", "fastavro", "avrokit"]
OPS = ["write-null", "write-deflate", "read-null", "read-deflate", "encode", "decode"]
OP_TITLES = {
    "write-null": "write, null codec", "write-deflate": "write, deflate",
    "read-null": "read into dicts, null codec", "read-deflate": "read into dicts, deflate",
    "encode": "schemaless encode", "decode": "schemaless decode",
    "floor": "Python floor: dicts built from tuples",
}
DATASETS = ["small-10k", "big-10k", "small-100k", "big-100k"]
# --out keeps what its file has up to this line (notes written by hand) and replaces the rest
NOTES_END = "<!-- bench.py: the report below is replaced on every run -->"
QUICK_DATASETS = ["small-10k", "big-10k", "big-100k"]
# fastavro on one of these 2-core machines (../shared/peers/README.md), records/s
REFERENCE = {
    ("write-null", "small-10k"): 1.7e6, ("write-null", "big-10k"): 389e3,
    ("write-null", "big-100k"): 416e3,
    ("read-null", "small-10k"): 1.9e6, ("read-null", "big-10k"): 349e3,
    ("read-null", "big-100k"): 132e3,
    ("encode", "small-10k"): 950e3, ("encode", "big-10k"): 332e3, ("encode", "big-100k"): 178e3,
    ("decode", "small-10k"): 1.46e6, ("decode", "big-10k"): 241e3, ("decode", "big-100k"): 91e3,
    ("floor", "big-100k"): 297e3,
}


def parse_dataset(name):
    schema, count = name.split("-")
    return schema, int(count[:-1]) * 1000


# --------------------------------------------------------------------------------------------
# The child: one measurement


def load_gen():
    sys.path.insert(0, BENCH)
    import gen
    return gen


def make_records(schema_name, count):
    import random
    gen = load_gen()
    schema, make = {"small": (gen.RUST_STRING, gen.rust_string_record),
                    "big": (gen.RUST_USER, gen.rust_user_record)}[schema_name]
    g = gen.Gen(random.Random(f"avrokit-python-bench:{schema_name}:{count}"))
    return schema, [make(g, i) for i in range(count)]


def load_peer(peer):
    """(module, version) for the peer, or raise ImportError with the reason."""
    if peer == "python-avro":
        import avro
        import avro.datafile  # noqa: F401
        import avro.io  # noqa: F401
        import avro.schema  # noqa: F401
        return avro, getattr(avro, "__version__", "?")
    if peer == "fastavro":
        import fastavro
        if fastavro.reader.__module__ != "fastavro._read":
            raise ImportError(f"fastavro.reader is {fastavro.reader.__module__}, "
                              "not the compiled fastavro._read")
        return fastavro, fastavro.__version__
    if peer == "avrokit":
        import avrokit
        return avrokit, getattr(avrokit, "__version__", "?")
    if peer == "python":
        return None, platform.python_version()
    raise ImportError(f"unknown peer {peer}")


class FastavroLike:
    """fastavro's API: fastavro itself and avrokit."""

    def __init__(self, mod, schema):
        self.mod = mod
        self.schema = mod.parse_schema(schema)

    def write(self, records, codec):
        buf = io.BytesIO()
        self.mod.writer(buf, self.schema, records, codec=codec)
        return buf.getvalue()

    def read(self, data):
        return list(self.mod.reader(io.BytesIO(data)))

    def encode(self, records):
        w, s, out = self.mod.schemaless_writer, self.schema, []
        for r in records:
            buf = io.BytesIO()
            w(buf, s, r)
            out.append(buf.getvalue())
        return out

    def decode(self, datums):
        r, s = self.mod.schemaless_reader, self.schema
        return [r(io.BytesIO(d), s) for d in datums]


class PythonAvro:
    """Debian's python3-avro (the `avro` package, 1.11)."""

    def __init__(self, mod, schema):
        self.mod = mod
        self.schema = mod.schema.parse(json.dumps(schema))

    def write(self, records, codec):
        buf = io.BytesIO()
        w = self.mod.datafile.DataFileWriter(buf, self.mod.io.DatumWriter(), self.schema,
                                             codec=codec)
        for r in records:
            w.append(r)
        w.flush()
        return buf.getvalue()

    def read(self, data):
        return list(self.mod.datafile.DataFileReader(io.BytesIO(data),
                                                     self.mod.io.DatumReader()))

    def encode(self, records):
        dw, enc, out = self.mod.io.DatumWriter(self.schema), self.mod.io.BinaryEncoder, []
        for r in records:
            buf = io.BytesIO()
            dw.write(r, enc(buf))
            out.append(buf.getvalue())
        return out

    def decode(self, datums):
        dr, dec = self.mod.io.DatumReader(self.schema), self.mod.io.BinaryDecoder
        return [dr.read(dec(io.BytesIO(d))) for d in datums]


def floor_of(schema_name, records):
    """The floor's input (tuples) and the operation building the dicts from them."""
    if schema_name == "small":
        tuples = [(r["field"],) for r in records]

        def build(ts):
            return [{"field": t[0]} for t in ts]
    else:
        tuples = [(r["username"], r["age"], r["phone"], r["housenum"],
                   tuple(r["address"][k] for k in ("street", "city", "state_prov", "country",
                                                    "zip")))
                  for r in records]

        def build(ts):
            return [{"username": t[0], "age": t[1], "phone": t[2], "housenum": t[3],
                     "address": {"street": a[0], "city": a[1], "state_prov": a[2],
                                 "country": a[3], "zip": a[4]}}
                    for t in ts for a in (t[4],)]
    return tuples, build


def read_datums(path):
    with open(path, "rb") as f:
        blob = f.read()
    out, pos = [], 0
    while pos < len(blob):
        (n,) = struct.unpack_from("<I", blob, pos)
        out.append(blob[pos + 4:pos + 4 + n])
        pos += 4 + n
    return out


def maxrss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(spec):
    """Run one measurement; print its result as JSON."""
    peer, op, dataset, runs = spec["peer"], spec["op"], spec["dataset"], spec["runs"]
    schema_name, count = parse_dataset(dataset)
    mod, version = load_peer(peer)
    gen = load_gen()
    schema = {"small": gen.RUST_STRING, "big": gen.RUST_USER}[schema_name]
    lib = None
    if peer == "python-avro":
        lib = PythonAvro(mod, schema)
    elif peer != "python":
        lib = FastavroLike(mod, schema)

    # the input, and the operation on it.  With spec["live"] every child holds the records
    # it would have written, as a program that made them would: the garbage collector's
    # full passes then walk them, which is most of what 100k records cost beyond decoding.
    keep = None
    if op.startswith("write-") or op == "encode" or op == "floor":
        _, records = make_records(schema_name, count)
        if op == "floor":
            arg, fn = floor_of(schema_name, records)
            keep = records if spec["live"] else None
            del records
        elif op == "encode":
            arg, fn = records, lib.encode
        else:
            codec = op.split("-", 1)[1]
            arg, fn = records, (lambda recs: lib.write(recs, codec))
    elif op.startswith("read-"):
        with open(spec["input"], "rb") as f:
            arg = f.read()
        fn = lib.read
    elif op == "decode":
        arg, fn = read_datums(spec["input"]), lib.decode
    else:
        raise SystemExit(f"unknown op {op}")
    if spec["live"] and (op.startswith("read-") or op == "decode"):
        keep = make_records(schema_name, count)[1]

    gc.collect()
    rss_before = maxrss_kib()
    out = fn(arg)  # a first run: warms caches, and checks the result
    n = len(out) if isinstance(out, list) else count
    if op.startswith("write-"):
        n = count if out[:4] == b"Obj\x01" else -1
    del out
    best_wall = best_cpu = None
    for _ in range(runs):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn(arg)
        t1, c1 = time.perf_counter(), time.process_time()
        del out
        best_wall = t1 - t0 if best_wall is None else min(best_wall, t1 - t0)
        best_cpu = c1 - c0 if best_cpu is None else min(best_cpu, c1 - c0)
    del keep
    print(json.dumps({"peer": peer, "version": version, "op": op, "dataset": dataset,
                      "count": count, "checked": n, "runs": runs, "wall": best_wall,
                      "cpu": best_cpu, "rate": count / best_wall,
                      "cpu_rate": count / best_cpu if best_cpu else None,
                      "maxrss_kib": maxrss_kib(),
                      "input_rss_kib": rss_before}))


# --------------------------------------------------------------------------------------------
# The parent: inputs, children, tables


class Runner:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="avrokit-pybench-")
        self.inputs = {}

    def env_for(self, peer):
        env = dict(os.environ)
        paths = []
        if peer == "fastavro":
            paths.append(self.args.fastavro_path)
        if peer == "avrokit" and self.args.avrokit_path:
            paths.append(self.args.avrokit_path)
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")]).rstrip(
                os.pathsep)
        return env

    def call(self, peer, argv, timeout=3600):
        p = subprocess.run([self.args.python, os.path.abspath(__file__)] + argv,
                           capture_output=True, text=True, env=self.env_for(peer),
                           timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr.strip()
                               else f"exit {p.returncode}")
        return p.stdout

    def probe(self, peer):
        """None when the peer can be used, else why not."""
        try:
            out = self.call(peer, ["--probe", peer], timeout=120)
            return None, out.strip()
        except RuntimeError as e:
            return str(e), None

    def input_for(self, op, dataset, writer_peer):
        """A data file (read-*) or a file of length-prefixed datums (decode) for the
        dataset, written once by writer_peer and shared by every peer."""
        kind = "datums" if op == "decode" else op.split("-", 1)[1]
        key = (kind, dataset)
        if key not in self.inputs:
            path = os.path.join(self.tmp, f"{dataset}.{kind}")
            self.call(writer_peer, ["--prepare", json.dumps(
                {"peer": writer_peer, "dataset": dataset, "kind": kind, "path": path})])
            self.inputs[key] = path
        return self.inputs[key]

    def measure(self, peer, op, dataset, writer_peer):
        spec = {"peer": peer, "op": op, "dataset": dataset, "runs": self.args.runs,
                "live": not self.args.clean_heap}
        if op.startswith("read-") or op == "decode":
            spec["input"] = self.input_for(op, dataset, writer_peer)
        return json.loads(self.call(peer, ["--child", json.dumps(spec)]))

    def cleanup(self):
        for name in os.listdir(self.tmp):
            os.unlink(os.path.join(self.tmp, name))
        os.rmdir(self.tmp)


def prepare(spec):
    """Write the shared input of the read and decode measurements."""
    peer = spec["peer"]
    schema_name, count = parse_dataset(spec["dataset"])
    mod, _ = load_peer(peer)
    schema, records = make_records(schema_name, count)
    lib = PythonAvro(mod, schema) if peer == "python-avro" else FastavroLike(mod, schema)
    with open(spec["path"], "wb") as f:
        if spec["kind"] == "datums":
            for d in lib.encode(records):
                f.write(struct.pack("<I", len(d)) + d)
        else:
            f.write(lib.write(records, spec["kind"]))


def fmt_rate(r):
    if r is None:
        return "-"
    if r >= 1e6:
        return f"{r / 1e6:.2f}M"
    if r >= 1e3:
        return f"{r / 1e3:.0f}k"
    return f"{r:.0f}"


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_mib(kib):
    return f"{kib / 1024:.1f} MiB"


def loadavg():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def report(results, info, args):
    """The Markdown report."""
    lines = ["# Measurements", ""]
    lines.append(f"bench/python/bench.py {' '.join(info['argv'])}, "
                 f"{info['start']} to {info['end']} ({info['seconds']:.0f} s).")
    lines.append("")
    lines.append(f"- Machine: {info['machine']}; load average at start {info['load_start']}, "
                 f"at end {info['load_end']}")
    lines.append(f"- Python: {info['python']}")
    for peer, (why, version) in info["peers"].items():
        lines.append(f"- {peer}: " + (version if why is None else f"left out: {why}"))
    lines.append(f"- Best of {args.runs} runs per measurement, each measurement in its own "
                 "process; records/s from the best wall time, records per CPU second from "
                 "the least CPU time (user+system) of a run; peak RSS is the process's "
                 "ru_maxrss, input RSS its peak before the operation first ran (interpreter, "
                 "library and input), so peak - input is what the operation needed on top, "
                 "its output included.")
    lines.append("- " + ("Clean heap: the read, decode and floor children hold only their input."
                         if args.clean_heap else
                         "Every child holds the generated records while it measures, as the "
                         "program that made them would (the seed benchmark's setup); the "
                         "garbage collector's full passes walk them.  --clean-heap is faster "
                         "at 100k records."))
    lines.append("")

    by_key = {(r["peer"], r["op"], r["dataset"]): r for r in results}
    datasets = [d for d in args.datasets]
    peers = [p for p in PEERS if info["peers"].get(p, ("x",))[0] is None]

    for metric, title in (("rate", "Records per second (best wall time)"),
                          ("cpu_rate", "Records per CPU second (least CPU time; steadier "
                           "than wall time when other work shares the machine)")):
        lines.append(f"## {title}")
        lines.append("")
        head = "| op | peer | " + " | ".join(datasets) + " |"
        lines += [head, "|---|---|" + "--:|" * len(datasets)]
        for op in args.ops + ["floor"]:
            for peer in (["python"] if op == "floor" else peers):
                cells = []
                for d in datasets:
                    r = by_key.get((peer, op, d))
                    cells.append(fmt_rate(r[metric]) if r else "-")
                if all(c == "-" for c in cells):
                    continue
                lines.append(f"| {OP_TITLES[op]} | {peer} | " + " | ".join(cells) + " |")
        lines.append("")

    if "fastavro" in peers:
        lines.append("## fastavro against the reference figures (../shared/peers/README.md)")
        lines.append("")
        lines += ["| op | dataset | measured (wall) | per CPU second | reference | "
                  "wall / reference | CPU / reference |", "|---|---|--:|--:|--:|--:|--:|"]
        for (op, d), ref in REFERENCE.items():
            r = by_key.get(("python" if op == "floor" else "fastavro", op, d))
            if r:
                lines.append(f"| {OP_TITLES[op]} | {d} | {fmt_rate(r['rate'])} | "
                             f"{fmt_rate(r['cpu_rate'])} | {fmt_rate(ref)} | "
                             f"{r['rate'] / ref:.2f} | {r['cpu_rate'] / ref:.2f} |")
        lines.append("")

    if "avrokit" in peers:
        lines.append("## avrokit against the targets (issue 17)")
        lines.append("")
        lines.append("Ratios of records per CPU second (the machine is shared: wall times "
                     "move with the load), the wall-time ratio beside it. Targets: 2x "
                     "fastavro at 10k records, 1.5x at 100k, 20x python-avro everywhere.")
        lines.append("")
        lines += ["| op | dataset | avrokit (CPU) | vs fastavro | target | vs fastavro (wall) "
                  "| vs python-avro | 20x |", "|---|---|--:|--:|---|--:|--:|---|"]
        met = {"fastavro": [0, 0], "python-avro": [0, 0]}
        for op in args.ops:
            for d in datasets:
                a = by_key.get(("avrokit", op, d))
                if not a:
                    continue
                f = by_key.get(("fastavro", op, d))
                p = by_key.get(("python-avro", op, d))
                target = 2.0 if d.endswith("-10k") else 1.5
                fx = a["cpu_rate"] / f["cpu_rate"] if f else None
                fw = a["rate"] / f["rate"] if f else None
                px = a["cpu_rate"] / p["cpu_rate"] if p else None
                for peer, x, t in (("fastavro", fx, target), ("python-avro", px, 20.0)):
                    if x is not None:
                        met[peer][0] += x >= t
                        met[peer][1] += 1
                lines.append(
                    f"| {OP_TITLES[op]} | {d} | {fmt_rate(a['cpu_rate'])} | "
                    + (f"{fx:.2f}x" if fx else "-") + f" | {target}x: "
                    + ("-" if fx is None else "met" if fx >= target else "**not met**")
                    + " | " + (f"{fw:.2f}x" if fw else "-")
                    + " | " + (f"{px:.1f}x" if px else "-") + " | "
                    + ("-" if px is None else "met" if px >= 20 else "**not met**") + " |")
        lines.append("")
        for peer, (n, of) in met.items():
            if of:
                lines.append(f"- against {peer}: {n} of {of} met (by CPU time)")
        floor = by_key.get(("python", "floor", "big-100k"))
        for peer in peers:
            r = by_key.get((peer, "read-null", "big-100k"))
            if floor and r:
                lines.append(f"- {peer} reading 100k big records: {fmt_rate(r['cpu_rate'])} "
                             f"per CPU second, {r['cpu_rate'] / floor['cpu_rate']:.2f} of the "
                             f"Python floor ({fmt_rate(floor['cpu_rate'])}); by wall time "
                             f"{r['rate'] / floor['rate']:.2f}")
        lines.append("")

    lines.append("## Every measurement")
    lines.append("")
    lines += ["| op | dataset | peer | records/s | best wall | least CPU time | peak RSS | "
              "input RSS | peak - input |", "|---|---|---|--:|--:|--:|--:|--:|--:|"]
    for r in results:
        lines.append(f"| {OP_TITLES[r['op']]} | {r['dataset']} | {r['peer']} | "
                     f"{fmt_rate(r['rate'])} | {fmt_time(r['wall'])} | {fmt_time(r['cpu'])} | "
                     f"{fmt_mib(r['maxrss_kib'])} | {fmt_mib(r['input_rss_kib'])} | "
                     f"{fmt_mib(r['maxrss_kib'] - r['input_rss_kib'])} |")
    for e in info["errors"]:
        lines.append("")
        lines.append(f"- failed: {e}")
    lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="best of 3; small-10k, big-10k, big-100k; python-avro at 10k only")
    ap.add_argument("--peers", default=",".join(PEERS), help="comma-separated: " + ",".join(PEERS))
    ap.add_argument("--ops", default=",".join(OPS), help="comma-separated: " + ",".join(OPS))
    ap.add_argument("--datasets", default=None,
                    help="comma-separated: " + ",".join(DATASETS) + " (SCHEMA-Nk)")
    ap.add_argument("--runs", type=int, default=None, help="best of N (default 5, --quick 3)")
    ap.add_argument("--no-floor", action="store_true", help="do not measure the Python floor")
    ap.add_argument("--clean-heap", action="store_true",
                    help="read, decode and floor children do not hold the generated records "
                    "(fewer objects for the garbage collector to walk: faster at 100k)")
    ap.add_argument("--out", help="write the Markdown report to this file too (what it "
                    "holds above the line " + NOTES_END + " is kept)")
    ap.add_argument("--json", help="write the raw results to this file")
    ap.add_argument("--python", default="/usr/bin/python3" if os.path.exists("/usr/bin/python3")
                    else sys.executable, help="interpreter of the children (default %(default)s)")
    ap.add_argument("--fastavro-path", default=DEFAULT_FASTAVRO,
                    help="directory holding the compiled fastavro (default %(default)s)")
    ap.add_argument("--avrokit-path", default=None,
                    help="directory holding the avrokit package, if not on PYTHONPATH")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--prepare", help=argparse.SUPPRESS)
    ap.add_argument("--probe", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        child(json.loads(args.child))
        return 0
    if args.prepare:
        prepare(json.loads(args.prepare))
        return 0
    if args.probe:
        _, version = load_peer(args.probe)
        print(version)
        return 0

    args.runs = args.runs or (3 if args.quick else 5)
    args.peers = [p for p in args.peers.split(",") if p]
    args.ops = [o for o in args.ops.split(",") if o]
    args.datasets = (args.datasets.split(",") if args.datasets
                     else QUICK_DATASETS if args.quick else DATASETS)
    for name, given, known in (("peer", args.peers, PEERS), ("op", args.ops, OPS)):
        bad = [x for x in given if x not in known]
        if bad:
            ap.error(f"unknown {name}: {', '.join(bad)}")
    for d in args.datasets:
        try:
            s, n = parse_dataset(d)
            assert s in ("small", "big") and n > 0
        except (ValueError, AssertionError):
            ap.error(f"bad dataset {d}: SCHEMA-Nk with SCHEMA small or big")

    t_start = time.time()
    info = {"argv": sys.argv[1:], "start": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "load_start": loadavg(), "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
            f"{platform.system()} {platform.release()}", "peers": {}, "errors": []}
    r = Runner(args)
    info["python"] = r.call("python", ["--probe", "python"]).strip() + f" ({args.python})"
    for peer in args.peers:
        info["peers"][peer] = r.probe(peer)
        why = info["peers"][peer][0]
        print(f"{peer}: " + (info["peers"][peer][1] if why is None else f"left out: {why}"),
              file=sys.stderr)
    usable = [p for p in args.peers if info["peers"][p][0] is None]
    # the shared inputs come from the fastest writer at hand
    writer_peer = next((p for p in ("fastavro", "avrokit", "python-avro") if p in usable), None)

    plan = []
    for d in args.datasets:
        _, count = parse_dataset(d)
        for op in args.ops:
            for peer in usable:
                if peer == "python-avro" and args.quick and count > 10000:
                    continue
                plan.append((peer, op, d))
        if not args.no_floor:
            plan.append(("python", "floor", d))
    results = []
    try:
        for i, (peer, op, d) in enumerate(plan, 1):
            print(f"[{i}/{len(plan)}] {peer} {op} {d} ...", end=" ", file=sys.stderr, flush=True)
            try:
                res = r.measure(peer, op, d, writer_peer)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                info["errors"].append(f"{peer} {op} {d}: {e}")
                print(f"failed: {e}", file=sys.stderr)
                continue
            if res["checked"] != res["count"]:
                info["errors"].append(f"{peer} {op} {d}: gave {res['checked']} results, "
                                      f"not {res['count']}")
            results.append(res)
            print(f"{fmt_rate(res['rate'])} records/s", file=sys.stderr)
    finally:
        r.cleanup()
    info["end"] = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    info["seconds"] = time.time() - t_start
    info["load_end"] = loadavg()
    text = report(results, info, args)
    print(text)
    if args.out:
        # notes written by hand above the marker line stay when the report is replaced
        kept = ""
        try:
            with open(args.out, encoding="utf-8") as f:
                old = f.read()
            if NOTES_END in old:
                kept = old[:old.index(NOTES_END) + len(NOTES_END)] + "\n\n"
        except FileNotFoundError:
            pass
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(kept + text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"info": info, "results": results}, f, indent=1)
    return 1 if info["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
