#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""How close avrokit's reader comes to the least any reader can cost CPython.

    bench/python/ideal.py [--avrokit-path DIR] [--ops LIST] [--datasets LIST] [--codecs LIST]
                          [--runs N]

bench.py's "read into dicts" cells for avrokit against an "ideal reader" (ideal.c, built
here with cc and libdeflate's header): a C function that knows the schema by heart, trusts
its input and builds the whole list of dicts in one call, with the CPython calls any reader
has to make and nothing else.  Two forms of it: with the garbage collector as CPython runs it
("ideal"), and paused while each batch of a block's records is built, as avrokit's reader
pauses it ("ideal, GC per batch").  The records, the blocks (16000 bytes, deflate at level
6, as fastavro writes bench.py's inputs) and the measuring (each cell in its own process
holding the generated records, best CPU time of --runs) are bench.py's.  A cell where the
ideal reader is under 20 times python-avro's rate (bench.py's figure) is out of any
reader's reach on this interpreter.  Run it with `nice` on a quiet machine.

--ops decode does the same for bench.py's schemaless decoding, `[schemaless_reader(
io.BytesIO(d), schema) for d in datums]`: the ideal decoder is one C call a datum that reads
the BytesIO's bytes in place (its layout trusted, as _fast.c checks it), knows the schema and
builds the dict; the rest of the loop (the BytesIO, the list) is bench.py's, and the
collector runs between the calls as it must.  The datums are schemaless_writer's.
"""

import argparse
import gc
import io
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"read": [("ideal", "ideal"), ("ideal-pause", "ideal, GC per batch"),
                  ("avrokit", "avrokit")],
         "decode": [("ideal", "ideal"), ("avrokit", "avrokit")]}


def build(tmp):
    """Compile ideal.c into tmp; the directory to put on sys.path."""
    out = os.path.join(tmp, "_ideal" + sysconfig.get_config_var("EXT_SUFFIX"))
    cmd = [os.environ.get("CC", "cc"), "-O2", "-shared", "-fPIC",
           "-I" + sysconfig.get_paths()["include"], os.path.join(HERE, "ideal.c"),
           "-o", out, "-ldeflate"]
    subprocess.run(cmd, check=True)
    return tmp


def child(spec):
    sys.path.insert(0, HERE)
    import bench
    import avrokit
    import _ideal as ideal
    kind, dataset, codec, runs = spec["kind"], spec["dataset"], spec["codec"], spec["runs"]
    name, count = bench.parse_dataset(dataset)
    schema, records = bench.make_records(name, count)
    parsed = avrokit.parse_schema(schema)
    if spec["op"] == "decode":
        datums = []
        for r in records:
            buf = io.BytesIO()
            avrokit.schemaless_writer(buf, parsed, r)
            datums.append(buf.getvalue())
        big = name == "big"
        if kind == "avrokit":
            def fn():
                r, s = avrokit.schemaless_reader, parsed
                return [r(io.BytesIO(d), s) for d in datums]
        else:
            def fn():
                dec = ideal.decode
                return [dec(io.BytesIO(d), big) for d in datums]
    elif kind == "avrokit":
        buf = io.BytesIO()
        avrokit.writer(buf, parsed, records, codec=codec, sync_interval=16000,
                       codec_compression_level=6 if codec == "deflate" else None)
        data = buf.getvalue()

        def fn():
            return list(avrokit.reader(io.BytesIO(data)))
    else:
        blocks, cur, n = [], io.BytesIO(), 0

        def end_block():
            raw = cur.getvalue()
            if codec == "deflate":
                z = zlib.compressobj(6, zlib.DEFLATED, -15)
                raw = z.compress(raw) + z.flush()
            blocks.append((n, raw))
        for r in records:
            avrokit.schemaless_writer(cur, parsed, r)
            n += 1
            if cur.tell() >= 16000:
                end_block()
                cur, n = io.BytesIO(), 0
        if n:
            end_block()
        big, deflate, pause = name == "big", codec == "deflate", kind == "ideal-pause"

        def fn():
            return ideal.read(blocks, big, deflate, pause)
    gc.collect()
    out = fn()
    assert out == records, "the records read back differ"
    del out
    best = None
    for _ in range(runs):
        gc.collect()
        c0 = time.process_time()
        out = fn()
        c1 = time.process_time()
        del out
        best = c1 - c0 if best is None else min(best, c1 - c0)
    print(json.dumps({"cpu": best, "count": count}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--avrokit-path", help="directory holding the avrokit package")
    ap.add_argument("--ops", default="read", help="read, decode or both (default read)")
    ap.add_argument("--datasets", default="small-10k,big-10k,small-100k,big-100k")
    ap.add_argument("--codecs", default="null,deflate")
    ap.add_argument("--runs", type=int, default=7, help="best of N (default 7)")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(json.loads(args.child))
        return 0
    with tempfile.TemporaryDirectory(prefix="avrokit-ideal-") as tmp:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (build(tmp), args.avrokit_path, os.environ.get("PYTHONPATH")) if p))
        for op in args.ops.split(","):
            run_op(args, env, op)
    return 0


def run_op(args, env, op):
    """One table: the op's kinds for each dataset (and codec, reading)."""
    kinds = KINDS[op]
    print(f"\n{op}:\n")
    print("| dataset | codec | " + " | ".join(label for _, label in kinds) + " |")
    print("|---|---|" + "--:|" * len(kinds))
    for dataset in args.datasets.split(","):
        for codec in args.codecs.split(",") if op == "read" else ["-"]:
            cells = []
            for kind, _ in kinds:
                spec = {"op": op, "kind": kind, "dataset": dataset, "codec": codec,
                        "runs": args.runs}
                res = json.loads(subprocess.run(
                    [args.python, os.path.abspath(__file__), "--child", json.dumps(spec)],
                    env=env, check=True, capture_output=True, text=True).stdout)
                rate = res["count"] / res["cpu"]
                cells.append(f"{rate / 1e6:.2f}M ({1e9 / rate:.0f} ns)")
            print(f"| {dataset} | {codec} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
