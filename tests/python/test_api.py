# SPDX-License-Identifier: Apache-2.0
"""The public names, argument lists and exception classes of fastavro 1.12's core API.

A script that did `import fastavro` must run with `import avrokit as fastavro`: the same
top-level functions, the same keywords (positional where fastavro takes them positionally),
the exception classes reachable where fastavro's users import them from; the typing
aliases of fastavro.types.
"""

import io

import pytest

from support import (av, avrokit_only, decode, encode, read_file, read_mod, schema_mod,
                     types_mod, validation_mod, write_file, write_mod)

SCHEMA = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}

CORE_NAMES = ["reader", "block_reader", "schemaless_reader", "writer", "schemaless_writer",
              "json_reader", "json_writer", "parse_schema", "is_avro"]


@pytest.mark.parametrize("name", CORE_NAMES)
def test_top_level_name(name):
    assert callable(getattr(av, name))
    assert name in av.__all__


def test_version_string():
    assert isinstance(av.__version__, str) and av.__version__


@pytest.mark.parametrize("mod, name", [
    (read_mod, "reader"), (read_mod, "block_reader"), (read_mod, "schemaless_reader"),
    (read_mod, "is_avro"), (write_mod, "writer"), (write_mod, "schemaless_writer"),
    (schema_mod, "parse_schema"),
])
def test_submodule_names_are_the_top_level_ones(mod, name):
    assert getattr(mod, name) is getattr(av, name)


@pytest.mark.parametrize("name", ["read", "write", "schema", "validation", "json_read",
                                  "json_write", "repository", "types", "logical_readers",
                                  "logical_writers"])
def test_submodules_are_there_after_importing_the_package(name):
    """`import fastavro` alone makes these reachable as attributes (fastavro.repository...):
    a script may use them without importing them itself."""
    import importlib
    assert getattr(av, name) is importlib.import_module(f"{av.__name__}.{name}")


def test_json_submodules():
    import importlib
    jr = importlib.import_module(av.__name__ + ".json_read")
    jw = importlib.import_module(av.__name__ + ".json_write")
    assert jr.json_reader is av.json_reader
    assert jw.json_writer is av.json_writer


# Where fastavro 1.12 defines its exception classes and where its users import them from.
def test_schema_resolution_error_class():
    cls = read_mod.SchemaResolutionError
    assert issubclass(cls, Exception)
    with pytest.raises(cls):
        decode("int", b"\x02", "string")


def test_unknown_type_class():
    cls = schema_mod.UnknownType
    assert issubclass(cls, ValueError)
    with pytest.raises(cls) as ei:
        av.parse_schema({"type": "record", "name": "R", "fields": [{"name": "a", "type": "Nope"}]})
    assert ei.value.name == "Nope"


def test_schema_parse_exception_class():
    cls = schema_mod.SchemaParseException
    assert issubclass(cls, Exception)
    with pytest.raises(cls):
        av.parse_schema({"type": "record", "fields": []})


def test_validation_error_class():
    cls = validation_mod.ValidationError
    assert issubclass(cls, Exception)
    with pytest.raises(cls) as ei:
        write_file(SCHEMA, [{"a": "not an int"}], validator=True)
    assert ei.value.errors, "ValidationError.errors lists what failed"


def test_reader_is_a_class_with_fastavro_keywords():
    data = write_file(SCHEMA, [{"a": 1}])
    r = av.reader(io.BytesIO(data), reader_schema=None, return_record_name=False,
                  return_record_name_override=False, handle_unicode_errors="strict",
                  return_named_type=False, return_named_type_override=False)
    assert isinstance(r, av.reader)
    assert list(r) == [{"a": 1}]


def test_reader_positional_order():
    data = write_file(SCHEMA, [{"a": 1}])
    r = av.reader(io.BytesIO(data), SCHEMA, False, False, "strict", False, False)
    assert list(r) == [{"a": 1}]


def test_block_reader_keywords():
    data = write_file(SCHEMA, [{"a": 1}])
    br = av.block_reader(io.BytesIO(data), reader_schema=None, return_record_name=False,
                         return_record_name_override=False, handle_unicode_errors="strict",
                         return_named_type=False, return_named_type_override=False)
    assert isinstance(br, av.block_reader)
    assert [list(b) for b in br] == [[{"a": 1}]]


def test_writer_positional_order():
    # fo, schema, records, codec, sync_interval, metadata, validator, sync_marker,
    # codec_compression_level
    buf = io.BytesIO()
    av.writer(buf, SCHEMA, [{"a": 5}], "deflate", 16000, {"k": "v"}, True, b"S" * 16, 6)
    r, recs = read_file(buf.getvalue())
    assert recs == [{"a": 5}]
    assert r.codec == "deflate" and r.metadata["k"] == "v"
    assert buf.getvalue().endswith(b"S" * 16)


def test_writer_keywords():
    buf = io.BytesIO()
    av.writer(buf, SCHEMA, [{"a": 5}], codec="null", sync_interval=16000, metadata=None,
              validator=False, sync_marker=b"", codec_compression_level=None, strict=False,
              strict_allow_default=False, disable_tuple_notation=False)
    assert read_file(buf.getvalue())[1] == [{"a": 5}]


def test_writer_strict_is_keyword_only():
    with pytest.raises(TypeError):
        av.writer(io.BytesIO(), SCHEMA, [], "null", 16000, None, False, b"", None, True)


def test_schemaless_reader_positional_order():
    data = encode(SCHEMA, {"a": 3})
    out = av.schemaless_reader(io.BytesIO(data), SCHEMA, SCHEMA, False, False, "strict",
                               False, False)
    assert out == {"a": 3}


def test_schemaless_reader_keywords():
    data = encode(SCHEMA, {"a": 3})
    out = av.schemaless_reader(io.BytesIO(data), writer_schema=SCHEMA, reader_schema=None,
                               return_record_name=False, return_record_name_override=False,
                               handle_unicode_errors="strict", return_named_type=False,
                               return_named_type_override=False)
    assert out == {"a": 3}


def test_schemaless_writer_keywords():
    buf = io.BytesIO()
    av.schemaless_writer(buf, SCHEMA, {"a": 3}, strict=False, strict_allow_default=False,
                         disable_tuple_notation=False)
    assert buf.getvalue() == b"\x06"


def test_parse_schema_keywords():
    named = {}
    out = av.parse_schema(SCHEMA, named, expand=False, _write_hint=True)
    assert out["name"] == "R"
    assert "R" in named


def test_json_writer_and_reader_keywords():
    buf = io.StringIO()
    av.json_writer(buf, SCHEMA, [{"a": 1}], write_union_type=True, validator=False,
                   strict=False, strict_allow_default=False, disable_tuple_notation=False)
    buf.seek(0)
    assert list(av.json_reader(buf, SCHEMA, None)) == [{"a": 1}]


@pytest.mark.parametrize("call", [
    lambda: av.writer(io.BytesIO(), SCHEMA, [], no_such_keyword=1),
    lambda: av.schemaless_writer(io.BytesIO(), SCHEMA, {"a": 1}, no_such_keyword=1),
    lambda: av.schemaless_reader(io.BytesIO(b"\x02"), SCHEMA, no_such_keyword=1),
    lambda: av.reader(io.BytesIO(write_file(SCHEMA, [])), no_such_keyword=1),
    lambda: av.block_reader(io.BytesIO(write_file(SCHEMA, [])), no_such_keyword=1),
    lambda: av.parse_schema(SCHEMA, no_such_keyword=1),
    lambda: av.json_writer(io.StringIO(), SCHEMA, [], no_such_keyword=1),
    lambda: av.json_reader(io.StringIO(""), SCHEMA, no_such_keyword=1),
], ids=["writer", "schemaless_writer", "schemaless_reader", "reader", "block_reader",
        "parse_schema", "json_writer", "json_reader"])
def test_unknown_keyword_is_a_type_error(call):
    with pytest.raises(TypeError):
        call()


# --- avrokit's own additions -----------------------------------------------------------

@avrokit_only
def test_avro_error_is_a_value_error():
    assert issubclass(av.AvroError, ValueError)


@avrokit_only
def test_avrokit_exceptions_share_a_base():
    """Every error avrokit raises for bad data or schemas can be caught as AvroError."""
    for cls in (read_mod.SchemaResolutionError, schema_mod.UnknownType,
                schema_mod.SchemaParseException, validation_mod.ValidationError):
        assert issubclass(cls, av.AvroError), cls


def test_typing_aliases():
    import decimal
    from typing import Any, Dict, List, Union
    assert types_mod.DictSchema == Dict[Any, Any]
    assert types_mod.Schema == Union[str, List[Any], Dict[Any, Any]]
    assert types_mod.NamedSchemas == Dict[str, Dict[Any, Any]]
    assert types_mod.AvroMessage == Union[None, str, float, int, decimal.Decimal, bool, bytes,
                                          List[Any], Dict[Any, Any]]


def test_typing_aliases_annotate_and_are_there_after_importing_the_package():
    import importlib
    import subprocess
    import sys
    code = (f"import {av.__name__} as m\n"
            "def f(s: m.types.Schema) -> m.types.AvroMessage: pass\n"
            "print(f.__annotations__['s'] is m.types.Schema)")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
    assert importlib.import_module(av.__name__ + ".types") is types_mod
