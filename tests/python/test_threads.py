# SPDX-License-Identifier: Apache-2.0
"""Threads: the functions work from several threads at once; compression and decompression
release the GIL; a reader shared by threads is either safe or refuses with a clear error."""

import io
import os
import random
import threading
import time

import pytest

from support import (av, avrokit_only, codec_problem, decode, encode, need_codec, read_file,
                     write_file)

SCHEMA = {"type": "record", "name": "R", "fields": [
    {"name": "k", "type": "long"}, {"name": "s", "type": "string"},
    {"name": "u", "type": ["null", "double"]}]}


def run_threads(target, n):
    errors = []

    def wrap(i):
        try:
            target(i)
        except BaseException as e:  # noqa: B902 - reported below
            errors.append(e)
    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_independent_calls_from_several_threads():
    parsed = av.parse_schema(SCHEMA)
    results = {}

    def work(i):
        recs = [{"k": i * 1000 + j, "s": f"t{i}-{j}", "u": None if j % 2 else j / 3}
                for j in range(300)]
        for r in recs:
            assert decode(parsed, encode(parsed, r)) == r
        data = write_file(SCHEMA, recs, codec="deflate", sync_interval=1000)
        results[i] = list(av.reader(io.BytesIO(data)))
        assert results[i] == recs
    assert run_threads(work, 4) == []
    assert len(results) == 4


def test_separate_readers_in_threads():
    recs = [{"k": j, "s": "x" * (j % 50), "u": None} for j in range(2000)]
    data = write_file(SCHEMA, recs, codec="deflate", sync_interval=2000)
    out = {}

    def work(i):
        out[i] = list(av.reader(io.BytesIO(data)))
    assert run_threads(work, 3) == []
    assert all(v == recs for v in out.values())


LOGICAL = {"type": "record", "name": "L", "fields": [
    {"name": "u", "type": {"type": "string", "logicalType": "uuid"}},
    {"name": "d", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10,
                           "scale": 2}},
    {"name": "t", "type": {"type": "long", "logicalType": "timestamp-micros"}}]}


def logical_record(i):
    import datetime
    import decimal
    import uuid
    return {"u": uuid.UUID(int=i), "d": decimal.Decimal(i) / 100,
            "t": datetime.datetime(2020, 1, 1, 0, 0, i % 60, tzinfo=datetime.timezone.utc)}


def switching_often(fn):
    """Run fn with the interpreter switching threads as often as it can: the Python code
    of logical types (uuid.UUID, decimal) then lets other threads in mid-datum."""
    import sys
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        return fn()
    finally:
        sys.setswitchinterval(old)


def test_schemaless_calls_with_logical_types_from_several_threads():
    """The same schema object in several threads at once: the functions keep what they
    make per schema, and must neither refuse nor mix up two calls."""
    parsed = av.parse_schema(LOGICAL)

    def work(i):
        for j in range(400):
            rec = logical_record(i * 1000 + j)
            assert decode(parsed, encode(parsed, rec)) == rec
    assert switching_often(lambda: run_threads(work, 4)) == []


def test_blocks_of_one_block_reader_decoded_in_several_threads():
    recs = [logical_record(j) for j in range(3000)]
    blocks = list(av.block_reader(io.BytesIO(write_file(LOGICAL, recs, sync_interval=2000))))
    assert len(blocks) >= 8
    out = [None] * len(blocks)

    def work(i):
        for k in range(i, len(blocks), 4):
            out[k] = list(blocks[k])
    assert switching_often(lambda: run_threads(work, 4)) == []
    assert [r for part in out for r in part] == recs


# --- avrokit's promises -----------------------------------------------------------------------

BIG = {"type": "record", "name": "Big", "fields": [{"name": "b", "type": "bytes"}]}


def payload(size):
    """Text that compresses, but slowly: random words, 1 MB of them repeated."""
    rnd = random.Random(1)
    words = [bytes(rnd.choice(b"abcdefghij") for _ in range(rnd.randint(2, 9)))
             for _ in range(3000)]
    chunk = b" ".join(rnd.choice(words) for _ in range(200_000))[:1 << 20]
    return (chunk * (size // len(chunk) + 1))[:size]


def max_gap_during(fn):
    """The longest time a ticking thread (waking every millisecond) went without the GIL
    while fn ran in this thread, and how long fn took."""
    stamps = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0.001)
    t = threading.Thread(target=tick)
    t.start()
    time.sleep(0.05)
    t0 = time.perf_counter()
    fn()
    t1 = time.perf_counter()
    stop.set()
    t.join()
    inside = [t0] + [s for s in stamps if t0 <= s <= t1] + [t1]
    return max(b - a for a, b in zip(inside, inside[1:])), t1 - t0


def check_gil_released(fn):
    """A call that holds the GIL starves the ticker for its whole length; one that releases
    it around the codec lets it run.  Three tries, since a busy machine can delay a thread."""
    seen = []
    for _ in range(3):
        gap, took = max_gap_during(fn)
        seen.append((round(gap, 3), round(took, 3)))
        if took < 0.1:
            pytest.skip(f"the call took {took:.3f} s: too short to tell")
        if gap < 0.5 * took:
            return
    pytest.fail(f"the GIL was held: longest gap, call time (s): {seen}")


@avrokit_only
def test_compression_releases_the_gil():
    data = payload(16 << 20)
    check_gil_released(lambda: write_file(BIG, [{"b": data}], codec="deflate",
                                          codec_compression_level=9))


@avrokit_only
def test_decompression_releases_the_gil():
    codec = next((c for c in ("bzip2", "xz") if codec_problem(c) is None), None)
    if codec is None:
        pytest.skip("neither bzip2 nor xz, the slow decompressors, is available")
    data = write_file(BIG, [{"b": payload(8 << 20)}], codec=codec)
    check_gil_released(lambda: list(av.reader(io.BytesIO(data))))


@avrokit_only
@pytest.mark.parametrize("kind", ["reader", "block_reader"])
def test_shared_reader_is_safe_or_refused(kind):
    need_codec("deflate")
    recs = [{"k": j, "s": "y" * (j % 300), "u": float(j)} for j in range(20000)]
    data = write_file(SCHEMA, recs, codec="deflate", sync_interval=4000)
    shared = getattr(av, kind)(io.BytesIO(data))
    got = [[] for _ in range(4)]

    def work(i):
        for item in shared:
            if kind == "reader":
                got[i].append(item)
            else:
                got[i].extend(item)
    errors = run_threads(work, 4)
    if errors:
        for e in errors:
            assert isinstance(e, (RuntimeError, ValueError)), repr(e)
            assert str(e), "a clear message"
    else:
        merged = sorted((r for part in got for r in part), key=lambda r: r["k"])
        assert merged == recs, "each record exactly once"


@avrokit_only
@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc")
def test_writers_that_sit_idle_hold_no_threads():
    """A Writer with a codec compresses on a thread of its own, which starts with the first
    block and stops once it has had nothing to do for half a second: many open Writers that
    sit idle do not hold a thread each."""
    def threads():
        return len(os.listdir("/proc/self/task"))
    before = threads()
    writers = []
    for i in range(40):
        w = av.write.Writer(io.BytesIO(), SCHEMA, codec="deflate", sync_interval=100)
        for j in range(20):
            w.write({"k": j, "s": "x" * 10, "u": None})  # some blocks each, to the thread
        writers.append(w)
    assert threads() > before  # (they are at work, or have just been)
    deadline = time.monotonic() + 30
    while threads() > before and time.monotonic() < deadline:
        time.sleep(0.05)  # polling for the event, with a deadline far beyond the half second
    assert threads() <= before  # (threads of earlier tests' writers may have left too)
    for w in writers:  # and they start again when there is work
        w.write({"k": 1, "s": "y" * 200, "u": 0.5})
        w.flush()
        assert read_file(w.fo.getvalue())[1][-1] == {"k": 1, "s": "y" * 200, "u": 0.5}
