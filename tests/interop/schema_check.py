#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Schema helpers for tests/cli/schema.bats.

    schema_check.py cases SCHEMA_TESTS_TXT DIR
        Split Avro's share/test/data/schema-tests.txt into DIR/NNN.in (the input, exactly
        as written, one or several lines), DIR/NNN.canonical (the expected Parsing Canonical
        Form, no newline) and DIR/NNN.fingerprint (the CRC-64-AVRO as a signed decimal, when
        the case lists one).  Prints the number of cases.  Lines starting with "//" other
        than the "// NNN" case headers are comments (case 029 has a commented-out
        "// <<INPUT" line before its real one).

    schema_check.py crc64 FILE
        CRC-64-AVRO ("Rabin") of the bytes of FILE, computed here (table-free bit loop,
        independent of avrokit), as 16 hex digits, little-endian byte order (the order of
        single-object encoding and of `avrokit fingerprint`).

    schema_check.py pyfp FILE...
        For each schema file, one line "CRC64 MD5 SHA256 FILE" (hex; CRC64 little-endian)
        from python3-avro: Schema.fingerprint() when this python3-avro has it (1.11.2+),
        else hashlib / the CRC-64 above over python3-avro's canonical_form.  A schema that
        python3-avro rejects gives "REJECTED FILE: reason".  Exit 0.

    schema_check.py pyread AVRO READER_SCHEMA_FILE AVROKIT_JSONL
        Read AVRO with python3-avro's DatumReader and the reader schema, and compare every
        datum with the matching line of AVROKIT_JSONL (what `avrokit tojson -R` printed),
        as canonical values (tests/interop/avrojson.py: numbers by exact value, unions by
        branch).  Exit 0 when all records agree, 1 on a difference (printed), 2 when
        python3-avro fails to read the file.
"""

import hashlib
import json
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import avrojson as aj  # noqa: E402

CRC64_EMPTY = 0xC15D213AA4D7A795
CRC64_POLY = 0xC15D213AA4D7A795   # the spec's reflected polynomial, equal to EMPTY


def crc64_avro(data):
    """CRC-64-AVRO as the specification's reference code computes it, bit by bit."""
    fp = CRC64_EMPTY
    for byte in data:
        fp ^= byte
        for _ in range(8):
            fp = (fp >> 1) ^ (CRC64_POLY & -(fp & 1))
    return fp & 0xFFFFFFFFFFFFFFFF


def crc64_hex_le(fp):
    return fp.to_bytes(8, "little").hex()


def cmd_cases(path, outdir):
    os.makedirs(outdir, exist_ok=True)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cases = []
    cur = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^// (\d{3})\s*$", line)
        if m:
            cur = {"id": m.group(1)}
            cases.append(cur)
        elif line.startswith("//") or line.startswith("#") or cur is None:
            pass
        elif line == "<<INPUT":
            body = []
            i += 1
            while lines[i] != "INPUT":
                body.append(lines[i])
                i += 1
            cur["in"] = "\n".join(body) + "\n"
        elif line.startswith("<<INPUT "):
            cur["in"] = line[len("<<INPUT "):] + "\n"
        elif line.startswith("<<canonical "):
            cur["canonical"] = line[len("<<canonical "):]
        elif line.startswith("<<fingerprint "):
            cur["fingerprint"] = line[len("<<fingerprint "):].strip()
        elif line.strip():
            raise SystemExit(f"{path}:{i + 1}: unexpected line {line!r}")
        i += 1
    for c in cases:
        if "in" not in c or "canonical" not in c:
            raise SystemExit(f"case {c['id']} lacks an input or a canonical form")
        with open(os.path.join(outdir, c["id"] + ".in"), "w", encoding="utf-8") as f:
            f.write(c["in"])
        with open(os.path.join(outdir, c["id"] + ".canonical"), "w", encoding="utf-8") as f:
            f.write(c["canonical"])
        if "fingerprint" in c:
            # the listed value must be a signed 64-bit decimal matching our own CRC
            n = int(c["fingerprint"])
            assert -(1 << 63) <= n < (1 << 63), c
            with open(os.path.join(outdir, c["id"] + ".fingerprint"), "w") as f:
                f.write(c["fingerprint"])
    print(len(cases))


def cmd_crc64(path):
    with open(path, "rb") as f:
        print(crc64_hex_le(crc64_avro(f.read())))


def _fp(schema, algo):
    """python3-avro's fingerprint, as bytes (CRC-64 little-endian)."""
    if hasattr(schema, "fingerprint"):
        return bytes(schema.fingerprint(algo))
    text = schema.canonical_form.encode("utf-8")
    if algo == "CRC-64-AVRO":
        return crc64_avro(text).to_bytes(8, "little")
    return hashlib.new({"MD5": "md5", "SHA256": "sha256"}[algo], text).digest()


def cmd_pyfp(files):
    import avro.schema
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                s = avro.schema.parse(f.read())
        except Exception as e:  # python3-avro raises several kinds
            msg = str(e).split("\n", 1)[0]
            print(f"REJECTED {path}: {type(e).__name__}: {msg}")
            continue
        print(_fp(s, "CRC-64-AVRO").hex(), _fp(s, "MD5").hex(), _fp(s, "SHA256").hex(), path)


def cmd_pyread(avro_path, reader_path, jsonl_path):
    import avro.datafile
    import avro.io
    import avro.schema
    with open(reader_path, encoding="utf-8") as f:
        text = f.read()
    node = aj.parse_schema(text)
    reader = avro.schema.parse(text)
    try:
        with open(avro_path, "rb") as f:
            datums = list(avro.datafile.DataFileReader(f, avro.io.DatumReader(None, reader)))
    except Exception as e:
        print(f"python3-avro cannot read {avro_path}: {type(e).__name__}: "
              f"{str(e).splitlines()[0]}")
        return 2
    with open(jsonl_path, encoding="utf-8") as f:
        got = [line for line in f.read().split("\n") if line]
    bad = 0
    if len(got) != len(datums):
        print(f"avrokit printed {len(got)} records, python3-avro read {len(datums)}")
        bad = 1
    for n, (line, d) in enumerate(zip(got, datums)):
        try:
            g = aj.to_canon(node, aj.loads(line))
        except aj.JSONError as e:
            print(f"record {n}: avrokit's line does not fit the reader schema: {e}")
            bad = 1
            continue
        m = aj.diff(g, aj.datum_canon(node, d))
        if m:
            print(f"record {n}: {m}  (python: {d!r})")
            bad = 1
    if not bad:
        print(f"{len(datums)} records agree")
    return bad


def main(argv):
    if len(argv) == 4 and argv[1] == "cases":
        return cmd_cases(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "crc64":
        return cmd_crc64(argv[2])
    if len(argv) >= 3 and argv[1] == "pyfp":
        return cmd_pyfp(argv[2:])
    if len(argv) == 5 and argv[1] == "pyread":
        return cmd_pyread(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv) or 0)
