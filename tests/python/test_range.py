# SPDX-License-Identifier: Apache-2.0
"""Byte ranges in the Python reader (``reader(fo, start=, end=)``, not in fastavro): random
files cut into random ranges give every record once and in order when the ranges' records are
joined, over seekable files, BytesIO and streams that cannot seek; block_reader takes ranges
too; bad ranges are refused; a damaged block fails only the range that owns it, naming its
offset.  AK_SEED=N repeats a run."""

import io
import os
import random
import time

import pytest

from support import av, avrokit_only, need_codec, write_file

pytestmark = avrokit_only

SEED = int(os.environ.get("AK_SEED", int(time.time()) % 100000))

SCHEMA = {"type": "record", "name": "R", "fields": [
    {"name": "i", "type": "long"},
    {"name": "s", "type": "string"},
    {"name": "u", "type": ["null", "double", {"type": "array", "items": "int"}]}]}


def records(rnd, n):
    return [{"i": k, "s": "x" * rnd.randrange(60),
             "u": [None, k / 7, list(range(k % 5))][k % 3]} for k in range(n)]


class Stream(io.RawIOBase):
    """A file that cannot seek, with short reads."""

    def __init__(self, data, rnd):
        self._data, self._pos, self._rnd = data, 0, rnd

    def readable(self):
        return True

    def readinto(self, b):
        n = min(len(b), 1 + self._rnd.randrange(5000), len(self._data) - self._pos)
        b[:n] = self._data[self._pos:self._pos + n]
        self._pos += n
        return n


def markers(data):
    """Offsets where the sync markers start (the header's and every block's)."""
    sync = av.reader(io.BytesIO(data))._header["sync"]
    out, at = [], data.find(sync)
    while at >= 0:
        out.append(at)
        at = data.find(sync, at + 1)
    return out


def cuts(rnd, data):
    ms = markers(data)
    pts = {0}
    for _ in range(rnd.randrange(1, 9)):
        pick = rnd.randrange(3)
        if pick == 0:
            c = rnd.randrange(len(data) + 1)
        elif pick == 1:
            c = rnd.choice(ms) + rnd.randrange(-2, 3)
        else:
            c = rnd.randrange(ms[0] + 20)
        pts.add(min(max(c, 0), len(data)))
    pts = sorted(pts)
    return pts + [rnd.choice([len(data), len(data) + 1, None])]


def opener(kind, data, rnd, path):
    if kind == "bytesio":
        return io.BytesIO(data)
    if kind == "stream":
        return io.BufferedReader(Stream(data, rnd))
    return open(path, "rb")


@pytest.mark.parametrize("codec", ["null", "deflate", "snappy", "zstandard"])
def test_random_ranges_give_every_record_once_in_order(codec, tmp_path):
    need_codec(codec)
    rnd = random.Random(f"{SEED}-{codec}")
    recs = records(rnd, rnd.randrange(300, 3000))
    data = write_file(SCHEMA, recs, codec=codec, sync_interval=rnd.randrange(200, 5000))
    path = tmp_path / "f.avro"
    path.write_bytes(data)
    for _ in range(12):
        pts = cuts(rnd, data)
        kind = rnd.choice(["bytesio", "stream", "file"])
        got = []
        for start, end in zip(pts, pts[1:]):
            with opener(kind, data, rnd, path) as fo:
                got += list(av.reader(fo, start=start, end=end))
        assert got == recs, f"AK_SEED={SEED}, {kind}, ranges {pts}"


def test_block_reader_takes_a_range():
    rnd = random.Random(SEED)
    recs = records(rnd, 2000)
    data = write_file(SCHEMA, recs, codec="deflate", sync_interval=1000)
    ms = markers(data)
    mid = ms[len(ms) // 2]
    first = list(av.block_reader(io.BytesIO(data), end=mid))
    second = list(av.block_reader(io.BytesIO(data), start=mid))
    everything = list(av.block_reader(io.BytesIO(data)))
    assert [b.offset for b in first + second] == [b.offset for b in everything]
    assert second[0].offset == mid + 16
    assert [r for b in first + second for r in b] == recs


def test_ranges_that_own_nothing_and_bad_ranges():
    recs = records(random.Random(SEED), 500)
    data = write_file(SCHEMA, recs, sync_interval=2000)
    ms = markers(data)
    assert list(av.reader(io.BytesIO(data), start=0, end=ms[0])) == []   # the header only
    assert list(av.reader(io.BytesIO(data), start=len(data))) == []
    assert list(av.reader(io.BytesIO(data), start=len(data) + 100, end=10**30)) == []
    assert list(av.reader(io.BytesIO(data), start=ms[1], end=ms[1])) == []
    assert list(av.reader(io.BytesIO(data), end=ms[0] + 1)) != []         # the first block
    assert list(av.reader(io.BytesIO(data), start=None, end=None)) == recs
    with pytest.raises(ValueError, match="ends before it starts"):
        av.reader(io.BytesIO(data), start=10, end=5)
    with pytest.raises(ValueError):
        av.reader(io.BytesIO(data), start=-1)
    with pytest.raises(TypeError):
        av.reader(io.BytesIO(data), start="0")


def test_a_damaged_block_fails_the_range_that_owns_it_only():
    rnd = random.Random(SEED)
    recs = records(rnd, 3000)
    data = bytearray(write_file(SCHEMA, recs, sync_interval=2000))
    ms = markers(bytes(data))
    k = len(ms) // 2
    blocks = list(av.block_reader(io.BytesIO(bytes(data))))
    bad = blocks[k - 1].offset        # the block before marker k
    data[ms[k] + 5] ^= 0xFF           # its sync marker, broken
    data = bytes(data)
    failed, got = [], []
    pts = sorted({0, len(data)} | {rnd.randrange(len(data)) for _ in range(6)})
    for start, end in zip(pts, pts[1:]):
        try:
            got += list(av.reader(io.BytesIO(data), start=start, end=end))
        except av.AvroError as e:
            failed.append(str(e))
    assert len(failed) == 1 and f"(offset {bad})" in failed[0], (pts, failed)
    ids = [r["i"] for r in got]
    assert ids == sorted(set(ids)) and len(ids) > 1000
