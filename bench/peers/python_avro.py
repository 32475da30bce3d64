#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The python3-avro peer of the avrokit benchmark (Debian's python3-avro).

    python_avro.py tojson FILE.avro                       > records.json
    python_avro.py fromjson SCHEMA.avsc CODEC FILE.json OUT.avro
    python_avro.py concat OUT.avro IN.avro...
    python_avro.py count FILE.avro

Records are printed in Avro's JSON encoding (unions as {"branch": value},
bytes and fixed as strings of code points U+0000..U+00FF), one per line, and
read back from it. The library's own objects are converted with functions
built once from the schema. Run it with Debian's /usr/bin/python3, which is
the interpreter python3-avro is installed for.
"""

import datetime
import json
import sys

import avro.datafile
import avro.errors
import avro.io
import avro.schema

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MILLI = datetime.timedelta(milliseconds=1)
MICRO = datetime.timedelta(microseconds=1)


def _fullname(schema):
    return getattr(schema, "fullname", None) or schema.type


def _matcher(schema):
    """A predicate saying whether a value the library read belongs to schema."""
    t = schema.type
    logical = getattr(schema, "logical_type", None)
    if t == "null":
        return lambda v: v is None
    if t == "boolean":
        return lambda v: isinstance(v, bool)
    if t in ("int", "long"):
        if logical in ("timestamp-millis", "timestamp-micros"):
            return lambda v: isinstance(v, datetime.datetime) or (isinstance(v, int) and not isinstance(v, bool))
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if t in ("float", "double"):
        return lambda v: isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool))
    if t == "string":
        return lambda v: isinstance(v, str)
    if t == "bytes":
        return lambda v: isinstance(v, bytes)
    if t == "fixed":
        return lambda v: isinstance(v, bytes) and len(v) == schema.size
    if t == "enum":
        symbols = set(schema.symbols)
        return lambda v: isinstance(v, str) and v in symbols
    if t == "array":
        return lambda v: isinstance(v, list)
    if t == "map":
        return lambda v: isinstance(v, dict)
    return lambda v: avro.io.validate(schema, v)


def to_json_fn(schema):
    """A function turning a value read by the library into its Avro JSON form."""
    t = schema.type
    logical = getattr(schema, "logical_type", None)
    if t == "record" or t == "error":
        fields = [(f.name, to_json_fn(f.type)) for f in schema.fields]
        return lambda v: {name: conv(v[name]) for name, conv in fields}
    if t == "array":
        conv = to_json_fn(schema.items)
        return lambda v: [conv(x) for x in v]
    if t == "map":
        conv = to_json_fn(schema.values)
        return lambda v: {k: conv(x) for k, x in v.items()}
    if t == "union":
        branches = [(_matcher(s), _fullname(s), to_json_fn(s)) for s in schema.schemas]

        def union(v):
            for match, name, conv in branches:
                if match(v):
                    return None if name == "null" else {name: conv(v)}
            raise avro.errors.AvroTypeException(schema, v)

        return union
    if t in ("bytes", "fixed"):
        return lambda v: v.decode("latin-1")
    if t == "long" and logical == "timestamp-millis":
        return lambda v: (v - EPOCH) // MILLI if isinstance(v, datetime.datetime) else v
    if t == "long" and logical == "timestamp-micros":
        return lambda v: (v - EPOCH) // MICRO if isinstance(v, datetime.datetime) else v
    return lambda v: v


def from_json_fn(schema):
    """A function turning Avro JSON (as json.loads returns it) into a value for the library."""
    t = schema.type
    if t == "record" or t == "error":
        fields = [(f.name, from_json_fn(f.type)) for f in schema.fields]
        return lambda v: {name: conv(v[name]) for name, conv in fields}
    if t == "array":
        conv = from_json_fn(schema.items)
        return lambda v: [conv(x) for x in v]
    if t == "map":
        conv = from_json_fn(schema.values)
        return lambda v: {k: conv(x) for k, x in v.items()}
    if t == "union":
        branches = {_fullname(s): from_json_fn(s) for s in schema.schemas}
        for s in schema.schemas:  # a branch may also be named by its short name
            if hasattr(s, "name") and s.name not in branches:
                branches[s.name] = branches[_fullname(s)]

        def union(v):
            if v is None:
                return None
            ((name, x),) = v.items()
            return branches[name](x)

        return union
    if t in ("bytes", "fixed"):
        return lambda v: v.encode("latin-1")
    if t in ("float", "double"):
        return float
    logical = getattr(schema, "logical_type", None)
    if t == "long" and logical == "timestamp-millis":
        return lambda v: EPOCH + v * MILLI  # the library validates these as datetimes
    if t == "long" and logical == "timestamp-micros":
        return lambda v: EPOCH + v * MICRO
    return lambda v: v


def tojson(path):
    out = sys.stdout
    with open(path, "rb") as f, avro.datafile.DataFileReader(f, avro.io.DatumReader()) as reader:
        conv = to_json_fn(reader.datum_reader.writers_schema)
        dumps = json.JSONEncoder(separators=(",", ":")).encode
        buf = []
        for datum in reader:
            buf.append(dumps(conv(datum)))
            if len(buf) >= 1024:
                buf.append("")
                out.write("\n".join(buf))
                buf = []
        if buf:
            buf.append("")
            out.write("\n".join(buf))
    out.flush()


def fromjson(schema_path, codec, json_path, out_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = avro.schema.parse(f.read())
    conv = from_json_fn(schema)
    loads = json.loads
    with open(json_path, encoding="utf-8") as src, open(out_path, "wb") as dst:
        with avro.datafile.DataFileWriter(dst, avro.io.DatumWriter(), schema, codec=codec) as writer:
            for line in src:
                if line.strip():
                    writer.append(conv(loads(line)))


def concat(out_path, inputs):
    writer = None
    with open(out_path, "wb") as dst:
        try:
            for path in inputs:
                with open(path, "rb") as f, avro.datafile.DataFileReader(f, avro.io.DatumReader()) as reader:
                    if writer is None:
                        codec = reader.get_meta("avro.codec")
                        codec = codec.decode() if codec else "null"
                        writer = avro.datafile.DataFileWriter(
                            dst, avro.io.DatumWriter(), reader.datum_reader.writers_schema, codec=codec)
                    for datum in reader:
                        writer.append(datum)
        finally:
            if writer is not None:
                writer.close()


def count(path):
    n = 0
    with open(path, "rb") as f, avro.datafile.DataFileReader(f, avro.io.DatumReader()) as reader:
        for _ in reader:
            n += 1
    print(n)


def main(argv):
    if len(argv) == 2 and argv[0] == "tojson":
        tojson(argv[1])
    elif len(argv) == 5 and argv[0] == "fromjson":
        fromjson(*argv[1:])
    elif len(argv) >= 3 and argv[0] == "concat":
        concat(argv[1], argv[2:])
    elif len(argv) == 2 and argv[0] == "count":
        count(argv[1])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
