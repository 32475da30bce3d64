# SPDX-License-Identifier: Apache-2.0
"""The logical-type registries, LOGICAL_READERS (read module) and LOGICAL_WRITERS (write
module), as fastavro's: functions of a program's own logical types, built-in conversions
replaced, wrapped or removed, in every reader and writer (container files, single datums,
validation, Avro JSON), and the defaults giving what the built-in conversions give.

Every test leaves the registries as it found them (the `registries` fixture)."""

import datetime
import decimal
import importlib
import io
import json
import sys
import uuid

import pytest

from support import (IMPL, av, avrokit_only, decode, encode, read_file,
                     read_mod, validation_mod, write_file, write_mod)

UTC = datetime.timezone.utc
DT2 = {"type": "string", "logicalType": "datetime2", "format": "iso"}


@pytest.fixture(autouse=True)
def registries():
    """The two registries, put back as they were after the test."""
    readers, writers = read_mod.LOGICAL_READERS, write_mod.LOGICAL_WRITERS
    saved = dict(readers), dict(writers)
    yield readers, writers
    readers.clear()
    readers.update(saved[0])
    writers.clear()
    writers.update(saved[1])


def iso_out(value, schema):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def iso_in(value, writer_schema, reader_schema):
    return datetime.datetime.fromisoformat(value)


def record(*fields):
    return {"type": "record", "name": "R",
            "fields": [{"name": f"f{i}", "type": t} for i, t in enumerate(fields)]}


def use_dt2(readers, writers):
    writers["string-datetime2"] = iso_out
    readers["string-datetime2"] = iso_in


# ---- where the registries are ----

def test_registries_are_in_the_read_and_write_modules():
    assert "LOGICAL_READERS" in read_mod.__all__
    assert "LOGICAL_WRITERS" in write_mod.__all__
    lr = importlib.import_module(f"{IMPL}.logical_readers")
    lw = importlib.import_module(f"{IMPL}.logical_writers")
    assert lr.LOGICAL_READERS is read_mod.LOGICAL_READERS
    assert lw.LOGICAL_WRITERS is write_mod.LOGICAL_WRITERS


def test_registries_hold_fastavros_keys():
    keys = {"long-timestamp-millis", "long-local-timestamp-millis", "long-timestamp-micros",
            "long-local-timestamp-micros", "int-date", "bytes-decimal", "fixed-decimal",
            "string-uuid", "int-time-millis", "long-time-micros"}
    assert set(read_mod.LOGICAL_READERS) == keys
    assert set(write_mod.LOGICAL_WRITERS) == keys
    assert all(callable(f) for f in read_mod.LOGICAL_READERS.values())
    assert all(callable(f) for f in write_mod.LOGICAL_WRITERS.values())


# ---- a logical type of the program's own ----

def test_own_logical_type_both_ways_schemaless(registries):
    use_dt2(*registries)
    s = av.parse_schema(record(DT2))
    when = datetime.datetime(2021, 5, 6, 7, 8, 9, 123456)
    data = encode(s, {"f0": when})
    assert data == encode(s, {"f0": when.isoformat()})  # written as its text
    assert decode(s, data) == {"f0": when}


@pytest.mark.parametrize("codec", ["null", "deflate"])
def test_own_logical_type_both_ways_in_a_container_file(registries, codec):
    use_dt2(*registries)
    s = av.parse_schema(record(DT2, ["null", DT2]))
    recs = [{"f0": datetime.datetime(2020, 1, 1, i), "f1": None if i % 2 else
             datetime.datetime(1999, 12, 31, i)} for i in range(20)]
    _, back = read_file(write_file(s, recs, codec=codec))
    assert back == recs


def test_own_logical_type_in_a_block_reader(registries):
    use_dt2(*registries)
    s = av.parse_schema(record(DT2))
    recs = [{"f0": datetime.datetime(2020, 1, 1, i)} for i in range(10)]
    data = write_file(s, recs, codec="deflate", sync_interval=100)
    back = [r for block in av.block_reader(io.BytesIO(data)) for r in block]
    assert back == recs


def test_functions_get_the_types_schema_as_a_dict(registries):
    readers, writers = registries
    seen = []
    writers["string-datetime2"] = lambda v, schema: (seen.append(("w", schema)), v)[1]
    readers["string-datetime2"] = lambda v, w, r: (seen.append(("r", w, r)), v)[1]
    s = av.parse_schema(record(DT2))
    assert decode(s, encode(s, {"f0": "x"})) == {"f0": "x"}
    assert seen[0][0] == "w" and seen[0][1]["logicalType"] == "datetime2"
    assert seen[0][1]["format"] == "iso" and seen[0][1]["type"] == "string"
    assert seen[-1][0] == "r" and seen[-1][1]["format"] == "iso" and seen[-1][2] is None


def test_own_logical_type_on_a_record_and_an_array(registries):
    readers, writers = registries
    point = {"type": "record", "name": "Point", "logicalType": "point",
             "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": "int"}]}
    rev = {"type": "array", "items": "int", "logicalType": "reversed"}
    writers["record-point"] = lambda v, s: {"x": v[0], "y": v[1]} if isinstance(v, tuple) \
        else v
    readers["record-point"] = lambda v, w, r: (v["x"], v["y"])
    writers["array-reversed"] = lambda v, s: list(reversed(v))
    readers["array-reversed"] = lambda v, w, r: list(reversed(v))
    s = av.parse_schema(record(point, rev, {"type": "array", "items": "Point"}))
    datum = {"f0": (1, 2), "f1": [1, 2, 3], "f2": [(3, 4), (5, 6)]}
    data = encode(s, datum)
    assert data[:2] == b"\x02\x04"  # x, y
    assert decode(s, data) == datum


def test_own_logical_type_picks_its_union_branch(registries):
    use_dt2(*registries)
    s = av.parse_schema(record(["null", "int", DT2]))
    when = datetime.datetime(2022, 2, 2, 2, 2)
    data = encode(s, {"f0": when})
    assert data[0] == 4  # the third branch
    assert decode(s, data) == {"f0": when}
    assert decode(s, encode(s, {"f0": 5})) == {"f0": 5}


def test_own_logical_type_without_functions_is_its_underlying_type(registries):
    s = av.parse_schema(record(DT2))
    assert decode(s, encode(s, {"f0": "text"})) == {"f0": "text"}


def test_validate_uses_the_writers(registries):
    s = av.parse_schema(record(DT2))
    when = datetime.datetime(2022, 2, 2)
    assert not validation_mod.validate({"f0": when}, s, raise_errors=False)
    use_dt2(*registries)
    assert validation_mod.validate({"f0": when}, s, raise_errors=False)


def test_json_writer_and_reader_use_the_registries(registries):
    use_dt2(*registries)
    s = av.parse_schema(record(DT2))
    when = datetime.datetime(2021, 5, 6, 7, 8, 9)
    out = io.StringIO()
    av.json_writer(out, s, [{"f0": when}])
    assert json.loads(out.getvalue()) == {"f0": when.isoformat()}
    assert list(av.json_reader(io.StringIO(out.getvalue()), s)) == [{"f0": when}]


def test_a_function_that_raises_stops_the_read(registries):
    readers, _ = registries

    def refuse(v, w, r):
        if v == "x":
            raise LookupError(f"no {v}")
        return v
    readers["string-datetime2"] = refuse
    s = av.parse_schema(record(DT2))
    data = encode(s, {"f0": "x"})
    with pytest.raises(LookupError, match="no x"):
        decode(s, data)
    with pytest.raises(LookupError, match="no x"):
        read_file(write_file(s, [{"f0": "y"}, {"f0": "x"}]))


def test_a_function_that_raises_stops_the_write(registries):
    _, writers = registries

    def refuse(v, schema):
        raise LookupError(f"no {v}")
    writers["string-datetime2"] = refuse
    s = av.parse_schema(record(DT2))
    with pytest.raises(LookupError, match="no x"):
        encode(s, {"f0": "x"})
    with pytest.raises(LookupError, match="no x"):
        write_file(s, [{"f0": "x"}])


def test_a_function_that_raises_while_a_union_branch_is_chosen_stops_the_write(registries):
    _, writers = registries

    def refuse(v, schema):
        if v == "boom":
            raise LookupError("not this one")
        return v
    writers["string-datetime2"] = refuse
    s = av.parse_schema(record([DT2, "int"]))
    assert decode(s, encode(s, {"f0": "fine"})) == {"f0": "fine"}
    with pytest.raises(LookupError, match="not this one"):
        encode(s, {"f0": "boom"})
    with pytest.raises(LookupError, match="not this one"):
        validation_mod.validate({"f0": "boom"}, s, raise_errors=False)


# ---- the built-in conversions replaced, wrapped, removed ----

TS_MS = {"type": "long", "logicalType": "timestamp-millis"}
DATE = {"type": "int", "logicalType": "date"}


def test_a_built_in_reader_replaced(registries):
    readers, _ = registries
    s = av.parse_schema(record(TS_MS))
    data = encode(s, {"f0": 1577934245006})
    assert decode(s, data) == {"f0": datetime.datetime(2020, 1, 2, 3, 4, 5, 6000, UTC)}
    readers["long-timestamp-millis"] = lambda v, w, r: v
    assert decode(s, data) == {"f0": 1577934245006}
    assert read_file(write_file(s, [{"f0": 5}]))[1] == [{"f0": 5}]


def test_a_built_in_reader_wrapped(registries):
    readers, _ = registries
    orig = readers["long-timestamp-millis"]
    readers["long-timestamp-millis"] = lambda v, w, r: orig(v, w, r).isoformat()
    s = av.parse_schema(record(TS_MS))
    assert decode(s, encode(s, {"f0": 0})) == {"f0": "1970-01-01T00:00:00+00:00"}


def test_a_built_in_reader_removed_and_put_back(registries):
    readers, _ = registries
    s = av.parse_schema(record(DATE))
    data = encode(s, {"f0": datetime.date(2000, 1, 1)})
    orig = readers.pop("int-date")
    assert decode(s, data) == {"f0": 10957}
    readers["int-date"] = orig
    assert decode(s, data) == {"f0": datetime.date(2000, 1, 1)}


def test_a_built_in_writer_replaced_and_removed(registries):
    _, writers = registries
    s = av.parse_schema(record(DATE))
    writers["int-date"] = lambda v, schema: 7
    assert decode(s, encode(s, {"f0": datetime.date(2000, 1, 1)})) == {
        "f0": datetime.date(1970, 1, 8)}
    del writers["int-date"]
    with pytest.raises((TypeError, ValueError)):
        encode(s, {"f0": datetime.date(2000, 1, 1)})
    assert decode(s, encode(s, {"f0": 1})) == {"f0": datetime.date(1970, 1, 2)}


def test_a_change_reaches_a_reader_already_in_use(registries):
    readers, _ = registries
    s = av.parse_schema(record(TS_MS))
    data = encode(s, {"f0": 1000})
    assert decode(s, data)["f0"] == datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
    readers["long-timestamp-millis"] = lambda v, w, r: -v
    assert decode(s, data) == {"f0": -1000}
    readers.update({"long-timestamp-millis": lambda v, w, r: v + 1})
    assert decode(s, data) == {"f0": 1001}
    readers.clear()
    assert decode(s, data) == {"f0": 1000}


# ---- the defaults give what the built-in conversions give ----

DEFAULTS = [
    ({"type": "long", "logicalType": "timestamp-millis"},
     [0, -1, 1577934245006, -62135596800000, 253402300799999],
     [datetime.datetime(2020, 1, 2, 3, 4, 5, 6789, UTC),
      datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, UTC),
      datetime.datetime(2020, 1, 2, 3, 4, 5, 6789,
                        datetime.timezone(datetime.timedelta(hours=2))),
      datetime.datetime(2020, 1, 2, 3, 4, 5, 6789)]),
    ({"type": "long", "logicalType": "timestamp-micros"},
     [0, -1, 1577934245006789, -62135596800000000],
     [datetime.datetime(2020, 1, 2, 3, 4, 5, 6789, UTC),
      datetime.datetime(1, 1, 1, tzinfo=UTC)]),
    ({"type": "long", "logicalType": "local-timestamp-millis"}, [0, -1, 1577934245006],
     [datetime.datetime(2020, 1, 2, 3, 4, 5, 6789),
      datetime.datetime(2020, 1, 2, 3, 4, 5, 6789, UTC)]),
    ({"type": "long", "logicalType": "local-timestamp-micros"}, [0, -1, 1577934245006789],
     [datetime.datetime(2020, 1, 2, 3, 4, 5, 6789)]),
    ({"type": "int", "logicalType": "date"}, [0, -1, 18000, -719162, 2932896],
     [datetime.date(2000, 2, 29), datetime.datetime(2000, 2, 29, 23, 0), "2001-03-04"]),
    ({"type": "int", "logicalType": "time-millis"}, [0, 1, 86399999, 45296789],
     [datetime.time(12, 34, 56, 789999), datetime.time(0, 0)]),
    ({"type": "long", "logicalType": "time-micros"}, [0, 1, 86399999999, 45296789123],
     [datetime.time(12, 34, 56, 789123), datetime.time(23, 59, 59, 999999)]),
    ({"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2},
     [b"", b"\x00", b"\xff", b"\x30\x39", b"\xcf\xc7"],
     [decimal.Decimal("123.45"), decimal.Decimal("-0.01"), decimal.Decimal("9999")]),
    ({"type": "fixed", "name": "F", "size": 4, "logicalType": "decimal", "precision": 9,
      "scale": 3},
     [b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"\x00\x01\xe2\x40"],
     [decimal.Decimal("123.456"), decimal.Decimal("-1.5")]),
    ({"type": "string", "logicalType": "uuid"}, ["0c7f6a44-7cfe-4bd6-a50f-3a3a0ec1d9a5"],
     [uuid.UUID("0c7f6a44-7cfe-4bd6-a50f-3a3a0ec1d9a5")]),
]


def _key(t):
    return f"{t['type']}-{t['logicalType']}"


@pytest.mark.parametrize("t,raws,values", DEFAULTS, ids=[_key(d[0]) for d in DEFAULTS])
def test_the_default_readers_read_as_the_built_in_conversion(registries, t, raws, values):
    readers, _ = registries
    s = av.parse_schema(record(t))
    plain = av.parse_schema(record({k: v for k, v in t.items() if k != "logicalType"}))
    datums = [encode(plain, {"f0": raw}) for raw in raws]
    built_in = [decode(s, d) for d in datums]
    default = readers[_key(t)]
    readers[_key(t)] = lambda v, w, r: default(v, w, r)  # the same function, called
    called = [decode(s, d) for d in datums]
    assert called == built_in
    assert [type(v["f0"]) for v in called] == [type(v["f0"]) for v in built_in]


@pytest.mark.parametrize("t,raws,values", DEFAULTS, ids=[_key(d[0]) for d in DEFAULTS])
def test_the_default_writers_write_as_the_built_in_conversion(registries, t, raws, values):
    _, writers = registries
    s = av.parse_schema(record(t))

    def outcomes():
        """What each value writes, or the ValueError's words where it is refused (b"" for
        a bytes decimal: the built-in conversion's AvroError names the field, which a
        program's function cannot)."""
        out = []
        for v in values + raws:
            try:
                out.append(encode(s, {"f0": v}))
            except ValueError as e:
                out.append(str(e).removeprefix("field f0: "))
        return out
    built_in = outcomes()
    default = writers[_key(t)]
    writers[_key(t)] = lambda v, schema: default(v, schema)
    assert outcomes() == built_in


def test_default_date_reader_out_of_range_is_a_value_error(registries):
    readers, _ = registries
    s = av.parse_schema(record(DATE))
    data = encode(av.parse_schema(record("int")), {"f0": 2932897})  # 10000-01-01
    with pytest.raises(ValueError):
        decode(s, data)
    default = readers["int-date"]
    readers["int-date"] = lambda v, w, r: default(v, w, r)
    with pytest.raises(ValueError):
        decode(s, data)


# ---- avrokit's own ----

@avrokit_only
def test_with_a_reader_schema_the_function_gets_its_type_twice(registries):
    readers, _ = registries
    seen = []
    readers["string-datetime2"] = lambda v, w, r: (seen.append((w, r)), v.upper())[1]
    writer = av.parse_schema(record(DT2))
    reader = av.parse_schema(record({"type": "string", "logicalType": "datetime2",
                                     "format": "reader's"}))
    assert decode(writer, encode(writer, {"f0": "a"}), reader) == {"f0": "A"}
    assert seen[0][0] is seen[0][1] and seen[0][0]["format"] == "reader's"


@avrokit_only
def test_datums_streams_use_the_registries(registries):
    use_dt2(*registries)
    s = av.parse_schema(record(DT2))
    when = datetime.datetime(2021, 5, 6)
    data = av.datums.encode({"f0": when}, s)
    assert data == av.datums.encode({"f0": when.isoformat()}, s)
    assert av.datums.decode(data, s) == {"f0": when}


@avrokit_only
def test_registry_functions_hold_no_references(registries):
    readers, writers = registries
    token = object()
    readers["string-datetime2"] = lambda v, w, r: token
    writers["string-datetime2"] = lambda v, schema: "x"
    s = av.parse_schema(record(DT2, {"type": "array", "items": DT2}))
    before = sys.getrefcount(token)
    recs = [{"f0": i, "f1": [i, i]} for i in range(300)]
    data = write_file(s, recs, codec="deflate")
    back = read_file(data)[1]
    assert back[5] == {"f0": token, "f1": [token, token]}
    assert sys.getrefcount(token) == before + 900
    del back
    for _ in range(50):
        decode(s, encode(s, recs[0]))
    assert sys.getrefcount(token) == before
