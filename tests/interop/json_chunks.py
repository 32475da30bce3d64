#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Inputs for the fromjson -j tests (tests/cli/fromjson.bats): python3 json_chunks.py DIR

Writes DIR/s.avsc and the same 30,000 seeded random records (about 3 MB) as DIR/nd.json
(one per line), DIR/pretty.json (indented, several lines each) and DIR/oneline.json (no
newline at all). The strings are full of what a value-boundary scanner must get right:
quotes, backslashes, braces and brackets, escaped and raw non-ASCII text.

    python3 json_chunks.py mutate SRC DST SEED   copy SRC with 1 to 3 bytes changed
"""
import json
import os
import random
import sys

SCHEMA = {
    "type": "record", "name": "R", "fields": [
        {"name": "s", "type": "string"},
        {"name": "n", "type": "long"},
        {"name": "u", "type": ["null", "string", {"type": "map", "values": "int"}]},
        {"name": "a", "type": {"type": "array", "items": "string"}},
    ],
}


def rand_str(r):
    return "".join(r.choice('ab"\\{}[] \u00e9\u4e2d\t\n,:') for _ in range(r.randint(0, 12)))


def generate(d):
    r = random.Random(5)
    with open(os.path.join(d, "s.avsc"), "w") as f:
        json.dump(SCHEMA, f)
    recs = []
    for _ in range(30000):
        u = r.choice([None, {"string": rand_str(r)},
                      {"map": {rand_str(r): r.randint(-5, 5) for _ in range(r.randint(0, 3))}}])
        recs.append({"s": rand_str(r), "n": r.randint(-2**63, 2**63 - 1), "u": u,
                     "a": [rand_str(r) for _ in range(r.randint(0, 3))]})
    with open(os.path.join(d, "nd.json"), "w") as f:
        for x in recs:
            f.write(json.dumps(x, ensure_ascii=r.random() < 0.5) + "\n")
    with open(os.path.join(d, "pretty.json"), "w") as f:
        for x in recs:
            f.write(json.dumps(x, indent=2) + "\n")
    with open(os.path.join(d, "oneline.json"), "w") as f:
        for x in recs:
            f.write(json.dumps(x, separators=(",", ":")))


def mutate(src, dst, seed):
    r = random.Random(seed)
    b = bytearray(open(src, "rb").read())
    for _ in range(r.randint(1, 3)):
        b[r.randrange(len(b))] = r.choice(b'{}[]"\\:,x \n0\xff')
    open(dst, "wb").write(b)


if __name__ == "__main__":
    if sys.argv[1] == "mutate":
        mutate(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        generate(sys.argv[1])
