# SPDX-License-Identifier: Apache-2.0
"""avrokit.dask on a real Dask cluster (distributed.LocalCluster, two worker processes): the
bag equals reading the files in one process, with dask.bag.read_avro's partitions; the
DataFrame has the schema's dtypes; a reader schema reaches the workers; a damaged block fails
only the partition that owns it, naming the file and the offset.  Skipped, with the reason,
when Dask or distributed is not installed.  And `import avrokit` never imports Dask."""

import datetime as dt
import gzip
import logging
import math
import os
import subprocess
import sys

import pytest

from support import av, avrokit_only

pytestmark = [avrokit_only,
              # distributed 2022.12 on Debian's tornado 6.2 warns at every cluster start
              pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")]

SCHEMA = {"type": "record", "name": "Ev", "namespace": "t", "fields": [
    {"name": "id", "type": "long"},
    {"name": "big", "type": ["null", "long"]},
    {"name": "who", "type": "string"},
    {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]}},
    {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}},
    {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}]},
    {"name": "x", "type": "float"},
    {"name": "ok", "type": ["null", "boolean"]},
    {"name": "tags", "type": {"type": "array", "items": "string"}}]}
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def record(i):
    return {"id": i, "big": None if i % 3 == 0 else i * 2**40 + 1, "who": f"user{i % 97}",
            "kind": "ABC"[i % 3], "at": EPOCH + dt.timedelta(microseconds=i * 1001),
            "day": None if i % 5 == 0 else dt.date(2023, 1, 1) + dt.timedelta(days=i % 400),
            "x": (i % 1000) / 8, "ok": None if i % 7 == 0 else bool(i & 1),
            "tags": [f"t{j}" for j in range(i % 3)]}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("dask")
    paths = []
    for j, codec in enumerate(["null", "deflate", "snappy"]):
        if codec not in av.codecs():
            continue
        p = d / f"part-{j}.avro"
        with open(p, "wb") as f:
            av.writer(f, SCHEMA, (record(j * 100000 + i) for i in range(5000)), codec=codec,
                      sync_interval=2000)
        paths.append(str(p))
    return paths


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("dask.bag", reason="Dask is not installed (python3-dask)")
    distributed = pytest.importorskip("distributed",
                                      reason="distributed is not installed (python3-distributed)")
    pytest.importorskip("pandas", reason="pandas is not installed (python3-pandas)")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def read_all(paths, **kw):
    out = []
    for p in paths:
        with open(p, "rb") as f:
            out += list(av.reader(f, **kw))
    return out


def test_importing_avrokit_does_not_import_dask():
    code = "import sys, avrokit; print(sorted(m for m in sys.modules if m.split('.')[0] == 'dask'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=os.environ, check=True).stdout
    assert out.strip() == "[]"


def test_the_bag_is_the_files_read_in_one_process(client, files):
    import avrokit.dask

    bag = avrokit.dask.read_avro(files, blocksize=20000)
    sizes = [os.path.getsize(p) for p in files]
    assert bag.npartitions == sum(math.ceil(s / 20000) for s in sizes)  # dask.bag's partitions
    assert len(client.scheduler_info()["workers"]) == 2
    assert bag.compute() == read_all(files)
    # a glob, a size as text, and one partition per file
    glob = os.path.join(os.path.dirname(files[0]), "part-*.avro")
    assert avrokit.dask.read_avro(glob, blocksize="64KiB").count().compute() == 5000 * len(files)
    whole = avrokit.dask.read_avro(glob, blocksize=None)
    assert whole.npartitions == len(files)
    assert whole.compute() == read_all(files)


def test_to_dataframe_has_the_schema_dtypes(client, files):
    import pandas as pd
    import avrokit.dask

    df = avrokit.dask.read_avro(files, blocksize=40000).to_dataframe()
    dtypes = {k: str(v) for k, v in df.dtypes.items()}
    assert dtypes == {"id": "int64", "big": "Int64", "who": "object", "kind": "category",
                      "at": "datetime64[ns, UTC]", "day": "datetime64[ns]", "x": "float32",
                      "ok": "boolean", "tags": "object"}
    got = df.compute()
    assert {k: str(v) for k, v in got.dtypes.items()} == dtypes
    recs = read_all(files)
    assert len(got) == len(recs)
    assert got["id"].tolist() == [r["id"] for r in recs]
    # exact beyond 2**53, nulls as <NA>
    assert [None if pd.isna(v) else int(v) for v in got["big"]] == [r["big"] for r in recs]
    assert list(got["kind"].cat.categories) == ["A", "B", "C"]
    assert got["at"].iloc[5] == pd.Timestamp(recs[5]["at"])
    assert pd.isna(got["day"].iloc[0]) and got["day"].iloc[1] == pd.Timestamp(recs[1]["day"])


def test_a_reader_schema_reaches_the_workers(client, files):
    import avrokit.dask

    reader = {"type": "record", "name": "Ev", "namespace": "t", "fields": [
        {"name": "id", "type": "long"},
        {"name": "x", "type": "double"},
        {"name": "note", "type": "string", "default": "-"}]}
    bag = avrokit.dask.read_avro(files, blocksize=30000, reader_schema=reader)
    assert bag.compute() == read_all(files, reader_schema=reader)
    assert str(bag.to_dataframe().dtypes["x"]) == "float64"


def test_compression_needs_blocksize_none(client, files, tmp_path):
    import avrokit.dask

    gz = tmp_path / "one.avro.gz"
    with open(files[0], "rb") as f:
        gz.write_bytes(gzip.compress(f.read()))
    bag = avrokit.dask.read_avro(str(gz), blocksize=None, compression="gzip")
    assert bag.compute() == read_all(files[:1])
    with pytest.raises(ValueError, match="blocksize=None"):
        avrokit.dask.read_avro(str(gz), compression="gzip")


def test_a_damaged_block_fails_only_its_partition(client, files, tmp_path):
    import distributed
    import avrokit.dask

    data = bytearray(open(files[0], "rb").read())
    blocks = list(av.block_reader(open(files[0], "rb")))
    bad = blocks[len(blocks) // 2]
    nxt = blocks[len(blocks) // 2 + 1]
    data[nxt.offset - 8] ^= 0xFF  # the sync marker after the bad block
    p = tmp_path / "damaged.avro"
    p.write_bytes(bytes(data))
    bag = avrokit.dask.read_avro(str(p), blocksize=40000)
    futures = client.compute(bag.to_delayed())
    distributed.wait(futures, timeout=60)
    failed = [f for f in futures if f.status == "error"]
    assert len(failed) == 1
    err = failed[0].exception()
    assert isinstance(err, av.AvroError)
    assert str(p) in str(err) and f"(offset {bad.offset})" in str(err)
    good = [r for f in futures if f.status == "finished" for r in f.result()]
    assert len(good) > 5000 // 2
    assert [r["id"] for r in good] == sorted(r["id"] for r in good)
