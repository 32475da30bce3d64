# SPDX-License-Identifier: Apache-2.0
"""Logical types both ways, with the exact Python values fastavro gives and takes.

date -> datetime.date; time-millis/-micros -> datetime.time; timestamp-millis/-micros ->
timezone-aware datetime in UTC; local-timestamp-millis/-micros -> naive datetime;
decimal (bytes and fixed) -> decimal.Decimal with the schema's scale; uuid (string) ->
uuid.UUID.  Writers take those objects or the underlying Avro value.
"""

import datetime
import decimal
import uuid

import pytest

from support import decode, encode, file_roundtrip, roundtrip

UTC = datetime.timezone.utc
D = datetime.date
T = datetime.time
DT = datetime.datetime
DEC = decimal.Decimal

DATE = {"type": "int", "logicalType": "date"}
TIME_MS = {"type": "int", "logicalType": "time-millis"}
TIME_US = {"type": "long", "logicalType": "time-micros"}
TS_MS = {"type": "long", "logicalType": "timestamp-millis"}
TS_US = {"type": "long", "logicalType": "timestamp-micros"}
LTS_MS = {"type": "long", "logicalType": "local-timestamp-millis"}
LTS_US = {"type": "long", "logicalType": "local-timestamp-micros"}
DEC_BYTES = {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}
DEC_FIXED = {"type": "fixed", "name": "Dec", "size": 4, "logicalType": "decimal",
             "precision": 9, "scale": 2}
UUID = {"type": "string", "logicalType": "uuid"}


def check(schema, value, raw, expected):
    assert encode(schema, value) == raw
    out = decode(schema, raw)
    assert type(out) is type(expected)
    assert out == expected
    if isinstance(expected, DT):
        assert out.tzinfo == expected.tzinfo


@pytest.mark.parametrize("value, raw", [
    (D(1970, 1, 1), b"\x00"),
    (D(1969, 12, 31), b"\x01"),
    (D(2024, 2, 29), b"\x8c\xb5\x02"),
    (D(1, 1, 1), b"\xf3\xe4\x57"),
    (D(9999, 12, 31), b"\xc0\x82\xe6\x02"),
])
def test_date(value, raw):
    check(DATE, value, raw, value)


def test_date_written_from_int_and_iso_string():
    check(DATE, 19000, b"\xf0\xa8\x02", D(2022, 1, 8))
    check(DATE, "2024-01-02", b"\x98\xb4\x02", D(2024, 1, 2))


@pytest.mark.parametrize("value, raw, expected", [
    (T(0, 0), b"\x00", T(0, 0)),
    (T(23, 59, 59, 999999), b"\xfe\xef\xb2\x52", T(23, 59, 59, 999000)),
    (T(12, 30, 1, 1500), b"\xd2\xa4\xf5\x2a", T(12, 30, 1, 1000)),
    (1000, b"\xd0\x0f", T(0, 0, 1)),
])
def test_time_millis(value, raw, expected):
    check(TIME_MS, value, raw, expected)


@pytest.mark.parametrize("value, raw, expected", [
    (T(0, 0), b"\x00", T(0, 0)),
    (T(23, 59, 59, 999999), b"\xfe\xff\xba\xdd\x83\x05", T(23, 59, 59, 999999)),
    (T(12, 30, 1, 1500), b"\xb8\xa8\xa6\xa4\xcf\x02", T(12, 30, 1, 1500)),
    (1000, b"\xd0\x0f", T(0, 0, 0, 1000)),
])
def test_time_micros(value, raw, expected):
    check(TIME_US, value, raw, expected)


CEST = datetime.timezone(datetime.timedelta(hours=2))


@pytest.mark.parametrize("value, raw, expected", [
    (DT(1970, 1, 1, tzinfo=UTC), b"\x00", DT(1970, 1, 1, tzinfo=UTC)),
    (DT(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC), b"\xc6\xe0\xd9\xcb\xe9\x63",
     DT(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)),
    (DT(2024, 5, 6, 9, 8, 9, 123456, tzinfo=CEST), b"\xc6\xe0\xd9\xcb\xe9\x63",
     DT(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)),
    (DT(1900, 1, 1, tzinfo=UTC), b"\xff\x8f\xf1\x9f\xca\x80\x01", DT(1900, 1, 1, tzinfo=UTC)),
    (1234567, b"\x8e\xda\x96\x01", DT(1970, 1, 1, 0, 20, 34, 567000, tzinfo=UTC)),
])
def test_timestamp_millis(value, raw, expected):
    check(TS_MS, value, raw, expected)


@pytest.mark.parametrize("value, raw, expected", [
    (DT(1970, 1, 1, tzinfo=UTC), b"\x00", DT(1970, 1, 1, tzinfo=UTC)),
    (DT(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC), b"\x80\xaa\x9a\xb5\xf7\xf0\x8b\x06",
     DT(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)),
    (DT(2024, 5, 6, 9, 8, 9, 123456, tzinfo=CEST), b"\x80\xaa\x9a\xb5\xf7\xf0\x8b\x06",
     DT(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)),
    (DT(1900, 1, 1, tzinfo=UTC), b"\xff\xff\xe4\x8b\x89\xc4\xec\x07",
     DT(1900, 1, 1, tzinfo=UTC)),
    (1234567, b"\x8e\xda\x96\x01", DT(1970, 1, 1, 0, 0, 1, 234567, tzinfo=UTC)),
])
def test_timestamp_micros(value, raw, expected):
    check(TS_US, value, raw, expected)


def test_timestamp_is_utc_timezone_object():
    out = roundtrip(TS_MS, DT(2000, 1, 1, tzinfo=UTC))
    assert out.tzinfo is UTC or out.utcoffset() == datetime.timedelta(0)
    assert out.tzinfo == UTC


@pytest.mark.parametrize("schema, value, raw, expected", [
    (LTS_MS, DT(2024, 5, 6, 7, 8, 9, 123456), b"\xc6\xe0\xd9\xcb\xe9\x63",
     DT(2024, 5, 6, 7, 8, 9, 123000)),
    (LTS_US, DT(2024, 5, 6, 7, 8, 9, 123456), b"\x80\xaa\x9a\xb5\xf7\xf0\x8b\x06",
     DT(2024, 5, 6, 7, 8, 9, 123456)),
    (LTS_MS, DT(1960, 1, 1), b"\xff\xaf\xf6\xc5\xaf\x12", DT(1960, 1, 1)),
    (LTS_US, DT(1960, 1, 1), b"\xff\xff\xe6\xa4\xba\xc3\x8f\x01", DT(1960, 1, 1)),
    (LTS_MS, 5, b"\x0a", DT(1970, 1, 1, 0, 0, 0, 5000)),
    (LTS_US, 5, b"\x0a", DT(1970, 1, 1, 0, 0, 0, 5)),
])
def test_local_timestamp(schema, value, raw, expected):
    check(schema, value, raw, expected)
    assert decode(schema, raw).tzinfo is None


def test_local_timestamp_ignores_the_timezone_of_an_aware_value():
    # fastavro replaces the tzinfo by UTC: the wall-clock time is what is stored
    assert encode(LTS_MS, DT(2024, 5, 6, 7, 8, 9, tzinfo=CEST)) == \
        encode(LTS_MS, DT(2024, 5, 6, 7, 8, 9))


@pytest.mark.parametrize("value, raw, expected", [
    (DEC("3.14"), b"\x04\x01\x3a", DEC("3.14")),
    (DEC("-3.14"), b"\x04\xfe\xc6", DEC("-3.14")),
    (DEC("1.5"), b"\x04\x00\x96", DEC("1.50")),
    (DEC("0"), b"\x02\x00", DEC("0.00")),
    (DEC("999.99"), b"\x06\x01\x86\x9f", DEC("999.99")),
    (DEC("-0.01"), b"\x02\xff", DEC("-0.01")),
    (DEC("1.27"), b"\x02\x7f", DEC("1.27")),
    (DEC("1.28"), b"\x04\x00\x80", DEC("1.28")),
])
def test_decimal_bytes(value, raw, expected):
    check(DEC_BYTES, value, raw, expected)
    assert decode(DEC_BYTES, raw).as_tuple().exponent == -2


@pytest.mark.parametrize("value", [DEC("-1.28"), DEC("-1.29"), DEC("-999.99"), DEC("0.01")])
def test_decimal_bytes_negative_roundtrip(value):
    # the bytes are two's complement big-endian; fastavro does not always use the fewest
    assert roundtrip(DEC_BYTES, value) == value


@pytest.mark.parametrize("value, raw, expected", [
    (DEC("3.14"), b"\x00\x00\x01\x3a", DEC("3.14")),
    (DEC("-3.14"), b"\xff\xff\xfe\xc6", DEC("-3.14")),
    (DEC("1.5"), b"\x00\x00\x00\x96", DEC("1.50")),
    (DEC("0"), b"\x00\x00\x00\x00", DEC("0.00")),
    (DEC("-0.01"), b"\xff\xff\xff\xff", DEC("-0.01")),
    (DEC("-1.28"), b"\xff\xff\xff\x80", DEC("-1.28")),
    (DEC("9999999.99"), b"\x3b\x9a\xc9\xff", DEC("9999999.99")),
])
def test_decimal_fixed(value, raw, expected):
    check(DEC_FIXED, value, raw, expected)


def test_decimal_without_scale():
    schema = {"type": "bytes", "logicalType": "decimal", "precision": 5}
    check(schema, DEC("12"), b"\x02\x0c", DEC("12"))


def test_decimal_raw_bytes_pass_through():
    assert encode(DEC_BYTES, b"\x01\x3a") == b"\x04\x01\x3a"


def test_decimal_scale_too_fine_is_value_error():
    with pytest.raises(ValueError):
        encode(DEC_BYTES, DEC("1.234"))


def test_decimal_too_many_digits_is_value_error():
    with pytest.raises(ValueError):
        encode(DEC_BYTES, DEC("123456"))


def test_decimal_read_in_a_large_precision():
    schema = {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 10}
    value = DEC("1234567890123456789012345678.0123456789")
    assert roundtrip(schema, value) == value


U = uuid.UUID("12345678-1234-5678-1234-567812345678")


def test_uuid():
    raw = b"\x48" + str(U).encode()
    check(UUID, U, raw, U)
    check(UUID, str(U), raw, U)


def test_fixed_with_uuid_logical_type_stays_bytes():
    # fastavro 1.12 knows only the string form of uuid
    schema = {"type": "fixed", "name": "u", "size": 16, "logicalType": "uuid"}
    check(schema, U.bytes, U.bytes, U.bytes)


@pytest.mark.parametrize("schema, value", [
    ({"type": "long", "logicalType": "whatever"}, 5),
    ({"type": "string", "logicalType": "foo"}, "x"),
    ({"type": "long", "logicalType": "time-millis"}, 5),  # wrong underlying type
    ({"type": "long", "logicalType": "date"}, 5),
    ({"type": "string", "logicalType": "decimal", "precision": 4}, "1"),
])
def test_unknown_or_misplaced_logical_type_is_the_underlying_type(schema, value):
    out = roundtrip(schema, value)
    assert type(out) is type(value) and out == value


LOGICAL_RECORD = {
    "type": "record", "name": "Logical", "fields": [
        {"name": "d", "type": DATE},
        {"name": "tm", "type": TIME_MS},
        {"name": "tu", "type": TIME_US},
        {"name": "tsm", "type": TS_MS},
        {"name": "tsu", "type": TS_US},
        {"name": "lm", "type": LTS_MS},
        {"name": "lu", "type": LTS_US},
        {"name": "db", "type": DEC_BYTES},
        {"name": "df", "type": DEC_FIXED},
        {"name": "u", "type": UUID},
        {"name": "opt", "type": ["null", TS_US, DATE]},
        {"name": "arr", "type": {"type": "array", "items": DATE}},
    ],
}
LOGICAL_VALUE = {
    "d": D(2020, 2, 2), "tm": T(1, 2, 3, 4000), "tu": T(1, 2, 3, 4),
    "tsm": DT(2020, 1, 1, tzinfo=UTC), "tsu": DT(2020, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    "lm": DT(2020, 1, 1, 1), "lu": DT(2020, 1, 1, 1, 0, 0, 7),
    "db": DEC("-12.34"), "df": DEC("12.34"), "u": U, "opt": DT(1999, 12, 31, 23, 59, tzinfo=UTC),
    "arr": [D(2000, 1, 1), D(1960, 6, 6)],
}


def test_logical_types_in_a_record_schemaless():
    assert roundtrip(LOGICAL_RECORD, LOGICAL_VALUE) == LOGICAL_VALUE


def test_logical_types_in_a_container_file():
    assert file_roundtrip(LOGICAL_RECORD, [LOGICAL_VALUE] * 3) == [LOGICAL_VALUE] * 3


def test_union_of_logical_types_picks_by_python_type():
    schema = ["null", TS_US, DATE]
    assert encode(schema, D(1970, 1, 2)) == b"\x04\x02"
    assert decode(schema, b"\x04\x02") == D(1970, 1, 2)
    assert decode(schema, b"\x02\x02") == DT(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
