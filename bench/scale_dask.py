#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Dask part of bench/scale.sh: avrokit.dask.read_avro on distributed.LocalCluster.

    scale_dask.py FILE RUNS "W1 W2 ..." [FASTAVRO_DIR]

Prints Markdown: the speed-up against the number of workers (against reading FILE in one
process with avrokit.reader; dask.bag.read_avro on fastavro beside it when FASTAVRO_DIR is
given and on sys.path), the cost of one task (a range that owns nothing), and the time
against the partition size.  Each time is the best of RUNS, after one warm-up run (the
workers' imports).  A benchmark, not a test.
"""

import logging
import os
import sys
import tempfile
import time
import warnings


def best(fn, runs):
    t = None
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        d = time.perf_counter() - t0
        t = d if t is None or d < t else t
    return t


def timed_count(make, blocksize, runs):
    """The best time of make(bs).count().compute(), bs a few bytes more each run: the keys of
    a read are named after its offsets, and a cluster that still holds the results of the
    same keys would give them back without reading."""
    bs = [blocksize]

    def run():
        bag = make(bs[0])
        bs[0] += 1
        bag.count().compute()
        return bag.npartitions
    parts = run()  # warm-up: the workers import avrokit and dask's modules
    return parts, best(run, runs)


def main(argv):
    warnings.simplefilter("ignore")
    path, runs, workers = argv[1], int(argv[2]), [int(w) for w in argv[3].split()]
    fa = len(argv) > 4 and argv[4]
    try:
        import avrokit
        import avrokit.dask
        import dask.bag
        import distributed
    except ImportError as e:
        print(f"### Dask\n\nLeft out: {e}\n")
        return 0
    if fa:
        try:
            import fastavro  # noqa: F401 - dask.bag.read_avro imports it on the workers
        except ImportError:
            fa = False
    size = os.path.getsize(path)

    def one():
        # a list, as each partition is one: keeping the records costs as much as making them
        with open(path, "rb") as f:
            return len(list(avrokit.reader(f)))

    def iterate():
        with open(path, "rb") as f:
            for _ in avrokit.reader(f):
                pass

    n = one()
    t1 = best(one, runs)
    t_iter = best(iterate, runs)
    print("### Dask: speed-up against the number of workers\n")
    print(f"`avrokit.dask.read_avro(FILE, blocksize=size / 4W).count().compute()` on a "
          f"`distributed.LocalCluster(n_workers=W, threads_per_worker=1)` ({n} records, {size} "
          f"bytes) against reading the file into a list in one process with `avrokit.reader` "
          f"({t1:.3f} s; {t_iter:.3f} s to iterate over the records without keeping them)"
          + ("; beside it `dask.bag.read_avro` (fastavro 1.12) on the same cluster" if fa
             else "") + ". The cluster is started, and warmed up, before the timing.\n")
    print("| workers W | partitions | avrokit.dask | speed-up |"
          + (" dask.bag.read_avro (fastavro) | avrokit.dask faster by |" if fa else ""))
    print("|---:|---:|---:|---:|" + ("---:|---:|" if fa else ""))
    task = sizes = None
    with tempfile.TemporaryDirectory() as tmp:
        tiny = os.path.join(tmp, "tiny.avro")
        with open(tiny, "wb") as f:
            avrokit.writer(f, {"type": "record", "name": "T",
                               "fields": [{"name": "a", "type": "long"}]}, [{"a": 1}])
        for w in workers:
            with distributed.LocalCluster(n_workers=w, threads_per_worker=1, processes=True,
                                          dashboard_address=None,
                                          silence_logs=logging.ERROR) as cl, \
                    distributed.Client(cl):
                bs = size // (4 * w) + 1
                parts, t = timed_count(lambda b: avrokit.dask.read_avro(path, blocksize=b), bs,
                                       runs)
                row = f"| {w} | {parts} | {t:.3f} s | {t1 / t:.2f}x |"
                if fa:
                    _, tf = timed_count(lambda b: dask.bag.read_avro(path, blocksize=b), bs,
                                        runs)
                    row += f" {tf:.3f} s | {tf / t:.2f}x |"
                print(row, flush=True)
                if w != workers[-1]:
                    continue
                # the cost of a task: partitions of a tiny file, nearly all owning nothing
                task = (w, os.path.getsize(tiny)) + timed_count(
                    lambda b: avrokit.dask.read_avro(tiny, blocksize=b), 1, runs)
                # the partition size below which splitting stops paying
                sizes = []
                for bsz in (16 << 20, 4 << 20, 1 << 20, 256 << 10, 64 << 10):
                    sizes.append((bsz,) + timed_count(
                        lambda b: avrokit.dask.read_avro(path, blocksize=b), bsz, runs))
    print()
    w, tiny_size, parts, tt = task
    print("### Dask: the cost of one range\n")
    print(f"`avrokit.dask.read_avro(TINY, blocksize=1)` on a {tiny_size}-byte file "
          f"makes {parts} partitions, each a task that opens the file, reads the header and "
          f"searches its range: {tt:.3f} s for all of them on {w} workers, "
          f"{tt / parts * 1000:.1f} ms a task ({tt / parts * w * 1000:.1f} ms of a worker's "
          f"time).\n")
    print("### Dask: range size\n")
    print(f"The same file cut into partitions of SIZE bytes, {w} workers; splitting pays while "
          f"it beats one process ({t1:.3f} s).\n")
    print("| range size | partitions | time | speed-up |")
    print("|---:|---:|---:|---:|")
    for bsz, np_, t in sizes:
        label = f"{bsz >> 20}M" if bsz >= 1 << 20 else f"{bsz >> 10}K"
        print(f"| {label} | {np_} | {t:.3f} s | {t1 / t:.2f}x |")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
