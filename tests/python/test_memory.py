# SPDX-License-Identifier: Apache-2.0
"""Reference counts and leaks, on good and bad input, and memory that stays flat.

The reference-count checks compare sys.getrefcount of the inputs before and after many
calls; the leak checks measure, with tracemalloc, the Python memory still allocated after
many calls (a leaked object per call shows as tens of bytes per call).  Memory the C
library allocates itself is not traced: test_rss_stays_flat_over_many_calls and the
streaming tests watch the resident set size of a child process instead.  Under valgrind or
ASan these tests are also the ones that exercise every path (see the conftest docstring).
"""

import gc
import io
import os
import subprocess
import sys
import textwrap
import tracemalloc

import pytest

from support import av, avrokit_only, encode, not_sanitized, read_file, write_file

SCHEMA = {"type": "record", "name": "User", "namespace": "mem", "fields": [
    {"name": "name", "type": "string"},
    {"name": "age", "type": ["null", "int"]},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {"name": "attrs", "type": {"type": "map", "values": "double"}},
    {"name": "blob", "type": "bytes"},
    {"name": "when", "type": {"type": "long", "logicalType": "timestamp-micros"}},
    {"name": "addr", "type": {"type": "record", "name": "Addr", "fields": [
        {"name": "zip", "type": "string"}]}},
]}
PARSED = av.parse_schema(SCHEMA)


def make(k):
    import datetime
    return {"name": f"user{k}", "age": None if k % 3 == 0 else k, "tags": ["a", f"t{k}"],
            "attrs": {"x": k / 2.0}, "blob": bytes([k % 256]) * 5,
            "when": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
            "addr": {"zip": str(10000 + k)}}


RECORDS = [make(k) for k in range(50)]
ENCODED = [encode(SCHEMA, r) for r in RECORDS]
FILE = write_file(SCHEMA, RECORDS, codec="deflate", sync_interval=500)
SMALL_FILE = write_file(SCHEMA, RECORDS[:6], codec="deflate", sync_interval=200)
BAD = dict(RECORDS[1], addr={"zip": 10**12 + 1})  # an int no cache shares


def refcounts(objs):
    gc.collect()
    return [sys.getrefcount(o) for o in objs]


def swallow(fn, *exc):
    try:
        fn()
    except exc:
        pass


def inputs_of(rec):
    """The record, its containers and values: what a writer must not keep or lose."""
    return [rec, rec["name"], rec["tags"], rec["attrs"], rec["blob"], rec["addr"],
            rec["addr"]["zip"], rec["when"]]


CASES = {
    "schemaless_writer": lambda: encode(SCHEMA, RECORDS[7]),
    "schemaless_writer-parsed": lambda: encode(PARSED, RECORDS[7]),
    "schemaless_reader": lambda: av.schemaless_reader(io.BytesIO(ENCODED[7]), SCHEMA),
    "schemaless_reader-resolving": lambda: av.schemaless_reader(
        io.BytesIO(ENCODED[7]), SCHEMA, dict(SCHEMA, fields=SCHEMA["fields"][:2])),
    "writer": lambda: write_file(SCHEMA, RECORDS[:5], codec="deflate"),
    "reader": lambda: read_file(SMALL_FILE),
    "block_reader": lambda: [list(b) for b in av.block_reader(io.BytesIO(SMALL_FILE))],
    "parse_schema": lambda: av.parse_schema(SCHEMA),
    "json_writer": lambda: av.json_writer(io.StringIO(), SCHEMA, RECORDS[:2]),
    "bad-record": lambda: swallow(lambda: encode(SCHEMA, BAD), TypeError, ValueError),
    "bad-file": lambda: swallow(lambda: read_file(SMALL_FILE[:-30]), EOFError, ValueError),
    "bad-schemaless": lambda: swallow(
        lambda: av.schemaless_reader(io.BytesIO(ENCODED[7][:-3]), SCHEMA), EOFError,
        ValueError),
    "unknown-type": lambda: swallow(lambda: av.parse_schema({"type": "Nope"}), ValueError),
}


def test_writer_keeps_no_references_to_its_inputs():
    rec = RECORDS[7]
    objs = [SCHEMA, PARSED] + inputs_of(rec)
    # once each first: avrokit keeps the last schemas it compiled (a bounded cache keyed by
    # the schema object), so the first call with a schema may take a reference; later ones
    # may not
    encode(SCHEMA, rec)
    encode(PARSED, rec)
    write_file(SCHEMA, [rec, rec])
    before = refcounts(objs)
    for _ in range(200):
        encode(SCHEMA, rec)
        encode(PARSED, rec)
        write_file(SCHEMA, [rec, rec])
    assert refcounts(objs) == before


def test_writer_error_paths_keep_no_references():
    objs = [SCHEMA, BAD, BAD["addr"], BAD["addr"]["zip"], BAD["name"]]
    for _ in range(3):
        CASES["bad-record"]()
    before = refcounts(objs)
    for _ in range(200):
        CASES["bad-record"]()
        swallow(lambda: write_file(SCHEMA, [RECORDS[0], BAD]), TypeError, ValueError)
    assert refcounts(objs) == before


def test_reader_keeps_no_references_to_schema_or_buffer():
    buf = io.BytesIO(FILE)
    reader_schema = dict(SCHEMA)
    objs = [FILE, reader_schema, SCHEMA]
    # once first, for the schema cache (see test_writer_keeps_no_references_to_its_inputs)
    list(av.reader(io.BytesIO(FILE), reader_schema))
    av.schemaless_reader(io.BytesIO(ENCODED[3]), SCHEMA, reader_schema)
    before = refcounts(objs)
    for _ in range(50):
        buf.seek(0)
        list(av.reader(buf, reader_schema))
        av.schemaless_reader(io.BytesIO(ENCODED[3]), SCHEMA, reader_schema)
    gc.collect()
    assert refcounts(objs) == before


def test_returned_values_are_owned_by_the_caller():
    out = av.schemaless_reader(io.BytesIO(ENCODED[4]), SCHEMA)
    # one reference from `out`, one from getrefcount's argument
    n = sys.getrefcount(out)
    assert n == 2
    # (counted outside the asserts: pytest's rewritten asserts keep their operands)
    counts = {key: sys.getrefcount(out[key]) for key in ("tags", "attrs", "addr", "blob", "when")}
    assert counts == dict.fromkeys(counts, 2)
    recs = read_file(FILE)[1]
    counts = [sys.getrefcount(r) for r in recs]  # the list's, `r`'s and the argument's
    assert counts == [3] * len(recs)


def test_reader_object_is_freed():
    import weakref
    r = av.reader(io.BytesIO(FILE))
    next(r)
    try:
        ref = weakref.ref(r)
    except TypeError:
        pytest.skip("reader objects take no weak references")
    del r
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_python_memory_leak(case):
    fn = CASES[case]
    for _ in range(20):
        fn()
    gc.collect()
    tracemalloc.start()
    try:
        # more calls than avrokit's schema caches hold (32 and 64 entries), so that what a
        # full cache drops was traced too: a call with a new schema object replaces an entry
        for _ in range(100):
            fn()
        gc.collect()
        traced_here()  # its filters' patterns compiled and cached, outside the measure
        before = traced_here()
        n = 200
        for _ in range(n):
            fn()
        gc.collect()
        after = traced_here()
    finally:
        tracemalloc.stop()
    assert after - before < n * 8, f"{(after - before) / n:.1f} bytes per call kept"


# What other threads of this process allocate meanwhile is not ours: the Dask tests before
# this file leave distributed's event loop thread behind, whose periodic callbacks build
# dicts (found when an unrelated test made them land between two measurements).
_OTHER_THREADS = [tracemalloc.Filter(False, pattern) for pattern in (
    "*/distributed/*", "*/tornado/*", "*/asyncio/*", "*/concurrent/*", "*/threading.py",
    "*/selectors.py", "*/psutil/*", "*/tracemalloc.py")]


def traced_here():
    """The bytes tracemalloc holds, less those allocated by other threads' code."""
    snap = tracemalloc.take_snapshot().filter_traces(_OTHER_THREADS)
    return sum(stat.size for stat in snap.statistics("filename"))


def child(*parts, timeout=120):
    """Run code (parts, each dedented) in a child interpreter that imports the implementation
    as av; its stdout."""
    prog = f"import {av.__name__} as av\n" + "".join(textwrap.dedent(p) for p in parts)
    p = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True,
                       timeout=timeout, env=dict(os.environ))
    assert p.returncode == 0, p.stderr[-3000:]
    return p.stdout


RSS = """
    def rss_kib():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * (__import__("os").sysconf("SC_PAGE_SIZE") // 1024)
"""


@not_sanitized
@avrokit_only
def test_rss_stays_flat_over_many_calls():
    """Leaks of memory the C library allocates, which tracemalloc does not see."""
    out = child(RSS, f"""
        import io
        schema = av.parse_schema({SCHEMA!r})
        import datetime
        rec = {RECORDS[5]!r}
        bad = dict(rec, addr={{"zip": 5}})
        def once():
            buf = io.BytesIO()
            av.schemaless_writer(buf, schema, rec)
            buf.seek(0)
            av.schemaless_reader(buf, schema)
            try:
                av.schemaless_writer(io.BytesIO(), schema, bad)
            except (TypeError, ValueError):
                pass
            buf = io.BytesIO()
            av.writer(buf, schema, [rec] * 5, codec="deflate")
            buf.seek(0)
            list(av.reader(buf))
        for _ in range(2000):
            once()
        before = rss_kib()
        for _ in range(20000):
            once()
        print(rss_kib() - before)
    """)
    assert int(out) < 4096, f"RSS grew by {out} KiB over 20000 rounds"


@not_sanitized
@avrokit_only
@pytest.mark.parametrize("codec", ["null", "deflate"])
def test_streaming_memory_stays_flat(tmp_path, codec):
    """Writing and reading a 96 MB file record by record keeps the resident set within a
    few blocks: the file is never held whole."""
    path = tmp_path / "big.avro"
    out = child(RSS, f"""
        schema = {{"type": "record", "name": "Big", "fields": [
            {{"name": "k", "type": "long"}}, {{"name": "s", "type": "string"}}]}}
        chunk = "".join(chr(97 + (i * 7919) % 26) for i in range(65536))
        def records():
            for k in range(1536):
                yield {{"k": k, "s": chunk[k % 100:] + chunk[:k % 100]}}
        base = rss_kib()
        with open({str(path)!r}, "wb") as f:
            av.writer(f, schema, records(), codec={codec!r})
        wrote = rss_kib() - base
        n = 0
        base = rss_kib()
        with open({str(path)!r}, "rb") as f:
            for rec in av.reader(f):
                n += 1
        read = rss_kib() - base
        # the peak of this process's own memory (VmHWM): ru_maxrss also counts the
        # parent's, when the child was started with vfork() (CPython's subprocess)
        with open("/proc/self/status") as st:
            peak = next(int(l.split()[1]) for l in st if l.startswith("VmHWM:"))
        print(n, wrote, read, peak)
    """)
    n, wrote, read, peak = map(int, out.split())
    size = path.stat().st_size
    path.unlink()  # 100 MB: do not leave it for pytest's kept temporary directories
    assert n == 1536
    assert size > 90_000_000 or codec != "null"
    assert wrote < 32768 and read < 32768, f"RSS grew {wrote} KiB writing, {read} KiB reading"
    assert peak < 96 * 1024, f"peak RSS {peak} KiB"
