#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Interop for avrokit fromjson: files it writes, read back by python3-avro and avro-c.

    fromjson_interop.py codecs
        the codecs python3-avro can read here, one per line
    fromjson_interop.py input DIR
        write DIR/schema.avsc (peers.py's schema: every Avro type) and DIR/records.json
        (peers.py's records as Avro JSON, one per line, the way avro-tools prints them)
    fromjson_interop.py pyread FILE [KEY=VALUE]...
        python3-avro's DataFileReader reads FILE: its records must equal peers.py's
        records (by value: floats by bit pattern, NaN equal to NaN, union branches as
        python3-avro picks them), its schema must be peers.py's, and its metadata must hold
        every KEY=VALUE given
    fromjson_interop.py avrocat FILE...
        avrocat (avro-c) reads FILE and prints the same records (peers.py's check, with
        its known avro-c faults)
    fromjson_interop.py compare WANT GOT
        the Avro JSON files (one record of peers.py's schema a line) hold the same records,
        by value and by text, but for the choice of string escapes (Jackson writes
        U+0080..U+00FF raw, avrokit as \\u00XX: the same JSON)

Exit status 0 when all is well, 1 on a mismatch (each one printed), 2 when a tool is
missing.
"""

import json
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import avrojson as aj  # noqa: E402
import peers  # noqa: E402


def write_input(outdir):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "schema.avsc"), "w", encoding="utf-8") as fh:
        fh.write(json.dumps(peers.SCHEMA, indent=2) + "\n")
    recs = peers.records()
    with open(os.path.join(outdir, "records.json"), "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(aj.datum_text(peers.SCHEMA_NODE, r) + "\n")
    print(f"{len(recs)} records")
    return 0


def codecs():
    try:
        print("\n".join(peers.python_codecs()))
    except ImportError as e:
        print(f"fromjson_interop.py: python3-avro is not installed ({e})", file=sys.stderr)
        return 2
    return 0


def pyread(path, meta_args):
    try:
        import avro.datafile
        import avro.io
    except ImportError as e:
        print(f"fromjson_interop.py: python3-avro is not installed ({e})", file=sys.stderr)
        return 2
    _, want = peers.expected()
    errors = []
    with open(path, "rb") as fh:
        reader = avro.datafile.DataFileReader(fh, avro.io.DatumReader())
        meta = dict(reader.meta)
        got = []
        for k, datum in enumerate(reader):
            try:
                got.append(aj.datum_canon(peers.SCHEMA_NODE, datum))
            except (ValueError, TypeError, AssertionError) as e:
                errors.append(f"record {k}: python3-avro read {datum!r:.200}, which does not "
                              f"fit the schema: {e}")
                got.append(None)
        reader.close()
    if len(got) != len(want):
        errors.append(f"python3-avro read {len(got)} records, expected {len(want)}")
    for k, (g, w) in enumerate(zip(got, want)):
        m = aj.diff(g, w, f"record {k}: $")
        if m:
            errors.append(m)
    # the schema in the file is the one given to fromjson (as a value, not as text)
    schema = json.loads(meta.get("avro.schema", b"null").decode("utf-8"))
    if schema != peers.SCHEMA:
        errors.append(f"avro.schema in the file differs from peers.py's schema: {schema!r:.300}")
    for arg in meta_args:
        key, _, value = arg.partition("=")
        have = meta.get(key)
        if have is None:
            errors.append(f"metadata key {key!r} is missing (keys: {sorted(meta)})")
        elif have != value.encode("utf-8"):
            errors.append(f"metadata {key!r} is {have!r}, expected {value.encode('utf-8')!r}")
    if errors:
        print(f"FAIL {path}:")
        for e in errors[:10]:
            print(f"  {e}")
        if len(errors) > 10:
            print(f"  ... and {len(errors) - 10} more")
        return 1
    print(f"ok {path}: python3-avro read the {len(got)} records, codec "
          f"{meta.get('avro.codec', b'null').decode()}, metadata {sorted(meta)}")
    return 0


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    lines = text.split("\n")   # not splitlines(): U+2028 and U+0085 are not line ends here
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def compare(want_path, got_path):
    want, got = read_lines(want_path), read_lines(got_path)
    errors = []
    if len(want) != len(got):
        errors.append(f"{len(got)} lines, expected {len(want)}")
    for k, (w, g) in enumerate(zip(want, got)):
        try:
            m = aj.diff(aj.to_canon(peers.SCHEMA_NODE, aj.loads(g)),
                        aj.to_canon(peers.SCHEMA_NODE, aj.loads(w)), f"record {k}: $")
        except (aj.JSONError, ValueError) as e:
            m = f"record {k}: {e}"
        if m:
            errors.append(m)
        elif peers.same_string_escapes(w) != peers.same_string_escapes(g):
            errors.append(f"record {k}: same values, other text: {g[:200]}")
    if errors:
        print(f"FAIL {got_path}:")
        for e in errors[:10]:
            print(f"  {e}")
        return 1
    print(f"ok {got_path}: the {len(got)} records of {want_path}")
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "codecs" and not args:
        return codecs()
    if cmd == "input" and len(args) == 1:
        return write_input(args[0])
    if cmd == "pyread" and args:
        return pyread(args[0], args[1:])
    if cmd == "compare" and len(args) == 2:
        return compare(args[0], args[1])
    if cmd == "avrocat" and args:
        return peers.check_avrocat(args)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
