#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Compare `avrokit tojson` with avrocat's stored output for corpus files.

    corpus_compare.py AVROKIT CORPUS RELPATH...

For each container file CORPUS/RELPATH, avrocat's output is in
CORPUS/peer-output/avrocat/RELPATH.jsonl (and .stderr when it complained).  Both
outputs are read into canonical values with the schema printed by `avrokit getschema`
(union keys: full names for avrokit, short names allowed for avrocat; floats by exact
value), then compared record by record.  When avrokit stops with an error, the records
it printed must be the first records avrocat printed.

Prints one line per file: "ok RELPATH: ...", "FAIL RELPATH: ..." or, when the difference
is a known avrocat fault, "AVROCAT-FAULT RELPATH: reason".  Exit status 1 if any FAIL.
"""

import os
import subprocess
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import avrojson as aj  # noqa: E402


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "replace")


def jsonl(text):
    return [x for x in text.split("\n") if x != ""]


def compare(avrokit, corpus, rel):
    """Returns (failures, faults, note)."""
    path = os.path.join(corpus, rel)
    peer = os.path.join(corpus, "peer-output", "avrocat", rel)
    rc, schema_text, err = run([avrokit, "getschema", path])
    if rc != 0:
        return [f"getschema failed (exit {rc}): {err.strip()}"], [], ""
    schema = aj.parse_schema(schema_text)
    if not os.path.exists(peer + ".jsonl"):
        if os.path.exists(peer + ".stderr"):
            with open(peer + ".stderr", encoding="utf-8") as fh:
                why = " ".join(fh.read().split())
            return [], [f"avrocat could not read it: {why}"], ""
        return [f"no avrocat output at {peer}.jsonl"], [], ""
    with open(peer + ".jsonl", encoding="utf-8") as fh:
        theirs = jsonl(fh.read())
    rc, out, err = run([avrokit, "tojson", path])
    ours = jsonl(out)
    failures = []
    if rc >= 128 or rc not in (0, 1):
        failures.append(f"avrokit tojson exit {rc}: {err.strip()}")
    if rc == 0 and len(ours) != len(theirs):
        failures.append(f"avrokit printed {len(ours)} records, avrocat {len(theirs)}")
    if rc != 0 and len(ours) > len(theirs):
        failures.append(f"avrokit printed {len(ours)} records before its error, avrocat only {len(theirs)}")
    aj.diff.tolerated = []
    for k, (a, b) in enumerate(zip(ours, theirs)):
        try:
            mine = aj.to_canon(schema, aj.loads(a))
        except (aj.JSONError, ValueError) as e:
            failures.append(f"record {k}: avrokit's JSON does not fit the schema: {e}")
            continue
        try:
            peer_val = aj.to_canon(schema, aj.loads(b), short_names=True)
        except (aj.JSONError, ValueError) as e:
            failures.append(f"record {k}: avrocat's JSON does not fit the schema: {e}")
            continue
        want = aj.avro_c_map_keys(mine)
        if want != mine:
            aj.diff.tolerated.append((f"record {k}", aj.AVRO_C_MAP_KEYS))
        m = aj.diff(peer_val, want, f"record {k}: $", tolerate=aj.avrocat_faults)
        if m:
            failures.append(f"avrocat (got) vs avrokit (expected): {m}")
    faults = sorted({reason for _, reason in aj.diff.tolerated})
    note = f"{len(ours)} records"
    if rc != 0:
        note = (f"avrokit exit {rc} after {len(ours)} records ({' '.join(err.split())}); "
                f"avrocat printed {len(theirs)}")
    return failures, faults, note


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    avrokit, corpus, rels = argv[1], argv[2], argv[3:]
    bad = 0
    for rel in rels:
        failures, faults, note = compare(avrokit, corpus, rel)
        for f in failures:
            print(f"FAIL {rel}: {f}")
        for f in faults:
            print(f"AVROCAT-FAULT {rel}: {f}")
        if not failures:
            print(f"ok {rel}: {note}" if note else f"ok {rel}: nothing to compare")
        bad += bool(failures)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
