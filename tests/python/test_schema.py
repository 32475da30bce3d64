# SPDX-License-Identifier: Apache-2.0
"""parse_schema: full names, namespaces, references, named_schemas, expand, _write_hint,
and the exceptions for bad schemas (UnknownType, SchemaParseException); fastavro's private
schema helpers that scripts import (schema_name, extract_record_type, extract_logical_type,
is_single_record_union, is_single_name_union); utils.anonymize_schema."""

import hashlib
import json

import pytest

from support import av, roundtrip, schema_mod, utils_mod

OUTER = {
    "type": "record", "name": "Outer", "namespace": "a.b", "doc": "d", "custom": "c",
    "fields": [
        {"name": "f1", "type": {"type": "record", "name": "In", "fields": [
            {"name": "x", "type": "int", "doc": "xd", "custom": 1}]}},
        {"name": "f2", "type": "In"},
        {"name": "f3", "type": {"type": "enum", "name": "c.E", "symbols": ["A"]}},
        {"name": "f4", "type": {"type": "fixed", "name": "F", "namespace": "", "size": 1}},
        {"name": "f5", "type": ["null", "a.b.In", "c.E"]},
        {"name": "f6", "type": {"type": "map", "values": "c.E"}},
    ],
}
IN = {"type": "record", "name": "a.b.In", "fields": [
    {"name": "x", "type": "int", "doc": "xd", "custom": 1}]}
E = {"type": "enum", "name": "c.E", "symbols": ["A"]}
PARSED = {
    "type": "record", "name": "a.b.Outer", "doc": "d", "custom": "c",
    "fields": [
        {"name": "f1", "type": IN},
        {"name": "f2", "type": "a.b.In"},
        {"name": "f3", "type": E},
        {"name": "f4", "type": {"type": "fixed", "name": "F", "size": 1}},
        {"name": "f5", "type": ["null", "a.b.In", "c.E"]},
        {"name": "f6", "type": {"type": "map", "values": "c.E"}},
    ],
}
EXPANDED = dict(PARSED, fields=[
    {"name": "f1", "type": IN},
    {"name": "f2", "type": IN},
    {"name": "f3", "type": E},
    {"name": "f4", "type": {"type": "fixed", "name": "F", "size": 1}},
    {"name": "f5", "type": ["null", IN, E]},
    {"name": "f6", "type": {"type": "map", "values": E}},
])


def strip_hints(schema):
    return {k: v for k, v in schema.items() if not k.startswith("__")}


def test_full_names_and_namespaces():
    assert av.parse_schema(OUTER, _write_hint=False) == PARSED


def test_default_parse_adds_the_parsed_hint():
    parsed = av.parse_schema(OUTER)
    assert parsed["__fastavro_parsed"] is True
    assert strip_hints(parsed) == PARSED


def test_parse_is_idempotent():
    parsed = av.parse_schema(OUTER)
    again = av.parse_schema(parsed)
    assert strip_hints(again) == PARSED


def test_input_schema_is_not_modified():
    import copy
    before = copy.deepcopy(OUTER)
    av.parse_schema(OUTER)
    av.parse_schema(OUTER, expand=True)
    assert OUTER == before


def test_expand():
    assert strip_hints(av.parse_schema(OUTER, expand=True)) == EXPANDED


def test_expand_recursive_type_stays_a_name_inside_itself():
    node = {"type": "record", "name": "Node", "fields": [
        {"name": "next", "type": ["null", "Node"]}]}
    out = av.parse_schema(node, expand=True)
    assert out["fields"][0]["type"] == ["null", "Node"]


def test_named_schemas_collects_definitions():
    named = {}
    av.parse_schema(OUTER, named)
    assert set(named) == {"a.b.Outer", "a.b.In", "c.E", "F"}
    assert strip_hints(named["a.b.In"]) == IN


def test_named_schemas_shared_between_parses():
    named = {}
    child = {"type": "record", "name": "Child", "namespace": "ns",
             "fields": [{"name": "v", "type": "int"}]}
    parent = {"type": "record", "name": "Parent", "namespace": "ns",
              "fields": [{"name": "c", "type": "Child"}]}
    av.parse_schema(child, named)
    parsed = av.parse_schema(parent, named)
    assert set(named) == {"ns.Child", "ns.Parent"}
    assert parsed["fields"] == [{"name": "c", "type": "ns.Child"}]
    assert roundtrip(parsed, {"c": {"v": 3}}) == {"c": {"v": 3}}


def test_reference_without_named_schemas_is_unknown_type():
    parent = {"type": "record", "name": "Parent", "namespace": "ns",
              "fields": [{"name": "c", "type": "Child"}]}
    with pytest.raises(schema_mod.UnknownType) as ei:
        av.parse_schema(parent)
    assert ei.value.name == "ns.Child"


def test_dotted_name_ignores_namespace_and_sets_it_for_children():
    schema = {"type": "record", "name": "x.y.Z", "namespace": "ignored",
              "fields": [{"name": "r", "type": {"type": "record", "name": "Q", "fields": []}}]}
    assert av.parse_schema(schema, _write_hint=False) == {
        "type": "record", "name": "x.y.Z",
        "fields": [{"name": "r", "type": {"type": "record", "name": "x.y.Q", "fields": []}}]}


def test_nested_namespace_overrides_parent():
    schema = {"type": "record", "name": "A", "namespace": "one", "fields": [
        {"name": "b", "type": {"type": "record", "name": "B", "namespace": "two", "fields": [
            {"name": "c", "type": {"type": "enum", "name": "C", "symbols": ["X"]}}]}},
        {"name": "c2", "type": "two.C"}]}
    named = {}
    av.parse_schema(schema, named)
    assert set(named) == {"one.A", "two.B", "two.C"}


_NULL_NS = {"type": "record", "name": "Y", "namespace": "com.example", "fields": [
    {"name": "x", "type": ["null", {"type": "record", "name": "P", "namespace": "",
                                    "fields": [{"name": "a", "type": "int"}]}]},
    {"name": "e", "type": ["null", {"type": "enum", "name": "E", "namespace": "",
                                    "symbols": ["A"]}]}]}


def test_empty_namespace_is_the_null_namespace_inside_another():
    """"namespace": "" puts a type in the null namespace even inside a namespaced record;
    a parsed schema keeps it there wherever it is used (canonical form, fingerprint, the
    union names of tuple notation and return_named_type)."""
    from support import decode, encode
    parsed = av.parse_schema(_NULL_NS)
    assert set(parsed["__named_schemas"]) == {"com.example.Y", "P", "E"}
    canonical = schema_mod.to_parsing_canonical_form(parsed)
    assert canonical == schema_mod.to_parsing_canonical_form(_NULL_NS)
    assert '{"name":"P","type":"record"' in canonical
    assert '{"name":"E","type":"enum"' in canonical
    assert schema_mod.fingerprint(canonical, "CRC-64-AVRO") == "3a6e36595105aec0"
    rec = {"x": ("P", {"a": 1}), "e": ("E", "A")}
    for schema in (_NULL_NS, parsed):
        data = encode(schema, rec)
        assert data == b"\x02\x02\x02\x00"
        assert decode(schema, data, return_named_type=True) == rec


def test_primitive_and_complex_unnamed_schemas():
    assert av.parse_schema("int") == "int"
    assert av.parse_schema({"type": "int"}) == {"type": "int"}
    assert av.parse_schema(["null", "int"]) == ["null", "int"]
    assert av.parse_schema({"type": "array", "items": "long"}) == \
        {"type": "array", "items": "long"}


def test_union_of_named_types_at_top_level():
    a = {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]}
    b = {"type": "record", "name": "B", "fields": [{"name": "a", "type": "A"}]}
    parsed = av.parse_schema([a, b])
    assert [strip_hints(s) for s in parsed] == [a, b]
    assert roundtrip(parsed, {"a": {"x": 1}}) == {"a": {"x": 1}}


def test_extra_attributes_kept():
    schema = {"type": "string", "logicalType": "x-custom", "prop": [1, 2]}
    assert av.parse_schema(schema) == schema


def test_logical_type_schema_kept():
    schema = {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}
    assert av.parse_schema(schema) == schema


def test_field_aliases_default_and_order_kept():
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "int", "default": 1, "aliases": ["b"], "order": "descending",
         "doc": "x"}]}
    assert av.parse_schema(schema, _write_hint=False)["fields"] == schema["fields"]


# --- bad schemas ---------------------------------------------------------------------------

@pytest.mark.parametrize("schema", [
    "nope",
    {"type": "nope"},
    {"type": "record", "name": "R", "fields": [{"name": "a", "type": "Missing"}]},
    {"type": "array", "items": "Missing"},
    ["null", "Missing"],
], ids=["string", "type", "field", "items", "union"])
def test_unknown_type(schema):
    with pytest.raises(schema_mod.UnknownType):
        av.parse_schema(schema)


def test_unknown_type_is_a_value_error():
    with pytest.raises(ValueError):
        av.parse_schema("nope")


@pytest.mark.parametrize("schema", [
    {"type": "record", "fields": []},
    {"type": "record", "name": "X", "fields": [
        {"name": "a", "type": {"type": "fixed", "name": "X", "size": 1}}]},
    {"type": "record", "name": "X", "fields": [{"name": "a", "type": "int", "default": "x"}]},
    {"type": "record", "name": "X", "fields": [
        {"name": "a", "type": ["null", "int"], "default": "s"}]},
    {"type": "record", "name": "X", "fields": [{"name": "a", "type": "string", "default": 1}]},
    {"type": "enum", "name": "X", "symbols": ["1a"]},
    {"type": "enum", "name": "X", "symbols": ["a", "a"]},
    {"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 3},
    {"type": "bytes", "logicalType": "decimal", "precision": -1},
    {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": -1},
    {"type": "fixed", "name": "D", "size": 2, "logicalType": "decimal", "precision": 10},
    {"type": "record", "name": "X", "fields": [
        {"name": "a", "type": "int", "aliases": "notalist"}]},
], ids=["noname", "redefined", "int-default", "union-default", "string-default",
        "enum-symbol", "enum-dup", "scale-over-precision", "precision-negative", "scale-negative",
        "precision-too-big-for-fixed", "aliases-not-list"])
def test_schema_parse_exception(schema):
    with pytest.raises(schema_mod.SchemaParseException):
        av.parse_schema(schema)


def test_union_default_may_match_any_branch():
    # the specification wants the first branch; fastavro 1.12 accepts any
    for default in (None, 1):
        schema = {"type": "record", "name": "X", "fields": [
            {"name": "a", "type": ["null", "int"], "default": default}]}
        assert av.parse_schema(schema)["fields"][0]["default"] == default


# --- fingerprints -----------------------------------------------------------------------------

@pytest.mark.parametrize("pcf, algorithm, expected", [
    # CRC-64-AVRO of "int" is 0x7275d51a3f395c8f (the specification's test vector, as
    # Java's SchemaNormalization gives it); fastavro writes its bytes little-endian
    ('"int"', "CRC-64-AVRO", "8f5c393f1ad57572"),
    ('"null"', "CRC-64-AVRO", "8a8f25cce724dd63"),  # 0x63dd24e7cc258f8a
    ('"int"', "MD5", "ef524ea1b91e73173d938ade36c1db32"),
    ('"int"', "SHA-256", "3f2b87a9fe7cc9b13835598c3981cd45e3e355309e5090aa0933d7becb6fba45"),
    ('"int"', "sha1", "8939f664e194befd659b3c1fd5dbee3c9397d601"),
])
def test_fingerprint(pcf, algorithm, expected):
    assert schema_mod.fingerprint(pcf, algorithm) == expected


def test_fingerprint_of_a_record():
    pcf = schema_mod.to_parsing_canonical_form(
        {"type": "record", "name": "R", "namespace": "n", "doc": "d",
         "fields": [{"name": "a", "type": "int", "default": 1}]})
    assert pcf == '{"name":"n.R","type":"record","fields":[{"name":"a","type":"int"}]}'
    assert len(schema_mod.fingerprint(pcf, "CRC-64-AVRO")) == 16


def test_canonical_form_of_names_parse_schema_takes():
    # names the specification does not allow, which parse_schema takes as fastavro's does
    # (and writing data with them is refused): their canonical form all the same
    for schema, want in [
            ({"type": "record", "name": "R", "fields": [{"name": "a-b", "type": "long"}]},
             '{"name":"R","type":"record","fields":[{"name":"a-b","type":"long"}]}'),
            ({"type": "enum", "name": "1E", "namespace": "x-y", "symbols": ["A", "b"]},
             '{"name":"x-y.1E","type":"enum","symbols":["A","b"]}')]:
        schema_mod.parse_schema(schema)
        assert schema_mod.to_parsing_canonical_form(schema) == want


def test_fingerprint_algorithms():
    algs = schema_mod.FINGERPRINT_ALGORITHMS
    assert {"CRC-64-AVRO", "MD5", "SHA-256", "md5", "sha256"} <= set(algs)
    with pytest.raises(ValueError):
        schema_mod.fingerprint('"int"', "no-such-algorithm")


# --- load_schema, load_schema_ordered ---------------------------------------------------------

PARENT = {"type": "record", "name": "Parent", "namespace": "ns", "fields": [
    {"name": "c1", "type": "Child"}, {"name": "c2", "type": ["null", "Child"]},
    {"name": "o", "type": "other.Other"}]}
CHILD = {"type": "record", "name": "Child", "namespace": "ns", "fields": [
    {"name": "g", "type": "GrandChild"}]}
GRANDCHILD = {"type": "enum", "name": "GrandChild", "namespace": "ns", "symbols": ["A"]}
OTHER = {"type": "fixed", "name": "Other", "namespace": "other", "size": 2}
LOADED = {"type": "record", "name": "ns.Parent", "fields": [
    {"name": "c1", "type": {"type": "record", "name": "ns.Child", "fields": [
        {"name": "g", "type": {"type": "enum", "name": "ns.GrandChild", "symbols": ["A"]}}]}},
    {"name": "c2", "type": ["null", "ns.Child"]},
    {"name": "o", "type": {"type": "fixed", "name": "other.Other", "size": 2}}]}


def schema_files(tmp_path):
    import json
    for name, schema in (("ns.Parent", PARENT), ("ns.Child", CHILD),
                         ("ns.GrandChild", GRANDCHILD), ("other.Other", OTHER)):
        (tmp_path / f"{name}.avsc").write_text(json.dumps(schema))
    return tmp_path


def test_load_schema_writes_loaded_types_in_where_first_used(tmp_path):
    d = schema_files(tmp_path)
    loaded = schema_mod.load_schema(str(d / "ns.Parent.avsc"))
    assert strip_hints(loaded) == LOADED
    assert loaded["__fastavro_parsed"] is True
    value = {"c1": {"g": "A"}, "c2": {"g": "A"}, "o": b"xy"}
    assert roundtrip(loaded, value) == value


def test_load_schema_keeps_types_the_caller_knows_as_names(tmp_path):
    d = schema_files(tmp_path)
    named = {}
    av.parse_schema(GRANDCHILD, named)
    loaded = schema_mod.load_schema(str(d / "ns.Child.avsc"), named_schemas=named)
    assert strip_hints(loaded) == {"type": "record", "name": "ns.Child", "fields": [
        {"name": "g", "type": "ns.GrandChild"}]}
    assert "ns.Child" in named


def test_load_schema_from_a_repository():
    class Repo:
        def load(self, name):
            return {"a.A": {"type": "record", "name": "A", "namespace": "a", "fields": [
                {"name": "b", "type": "B"}]},
                    "a.B": {"type": "record", "name": "B", "namespace": "a",
                            "fields": []}}[name]
    loaded = schema_mod.load_schema("a.A", repo=Repo())
    assert strip_hints(loaded) == {"type": "record", "name": "a.A", "fields": [
        {"name": "b", "type": {"type": "record", "name": "a.B", "fields": []}}]}


def test_repository_module_flat_dict_and_abstract_base(tmp_path):
    import importlib
    import json
    repo_mod = importlib.import_module(f"{av.__name__}.repository")
    assert set(repo_mod.__all__) == {"AbstractSchemaRepository", "FlatDictRepository",
                                     "SchemaRepositoryError"}
    with pytest.raises(TypeError):
        repo_mod.AbstractSchemaRepository()  # load() is abstract
    (tmp_path / "a.A.avsc").write_text(json.dumps(
        {"type": "record", "name": "A", "namespace": "a", "fields": [{"name": "b",
                                                                     "type": "B"}]}))
    (tmp_path / "a.B.avsc").write_text(json.dumps(
        {"type": "record", "name": "B", "namespace": "a", "fields": []}))
    (tmp_path / "bad.avsc").write_text("{not json")
    repo = repo_mod.FlatDictRepository(str(tmp_path))
    assert isinstance(repo, repo_mod.AbstractSchemaRepository)
    assert repo.load("a.B") == {"type": "record", "name": "B", "namespace": "a",
                                "fields": []}
    loaded = schema_mod.load_schema("a.A", repo=repo)
    assert strip_hints(loaded) == {"type": "record", "name": "a.A", "fields": [
        {"name": "b", "type": {"type": "record", "name": "a.B", "fields": []}}]}
    with pytest.raises(repo_mod.SchemaRepositoryError, match="Failed to load 'nope'"):
        repo.load("nope")
    with pytest.raises(repo_mod.SchemaRepositoryError, match="Failed to parse 'bad'"):
        repo.load("bad")
    with pytest.raises(repo_mod.SchemaRepositoryError):
        schema_mod.load_schema(str(tmp_path / "nope.avsc"))

    class Mine(repo_mod.AbstractSchemaRepository):
        def load(self, name):
            return {"type": "enum", "name": name, "symbols": ["X"]}
    assert strip_hints(schema_mod.load_schema("E", repo=Mine())) == {
        "type": "enum", "name": "E", "symbols": ["X"]}


def test_load_schema_missing_type_is_unknown_type(tmp_path):
    import json
    (tmp_path / "Bad.avsc").write_text(json.dumps(
        {"type": "record", "name": "Bad", "fields": [{"name": "x", "type": "Missing"}]}))
    with pytest.raises(schema_mod.UnknownType) as ei:
        schema_mod.load_schema(str(tmp_path / "Bad.avsc"))
    assert ei.value.name == "Missing"


def test_load_schema_missing_file_raises(tmp_path):
    with pytest.raises(Exception, match="Failed to load 'nope' schema"):
        schema_mod.load_schema(str(tmp_path / "nope.avsc"))


def test_load_schema_ordered(tmp_path):
    d = schema_files(tmp_path)
    loaded = schema_mod.load_schema_ordered([
        str(d / "other.Other.avsc"), str(d / "ns.GrandChild.avsc"), str(d / "ns.Child.avsc"),
        str(d / "ns.Parent.avsc")])
    assert strip_hints(loaded) == LOADED


@pytest.mark.parametrize("order", [["ns.Parent"], ["ns.Child", "ns.Parent"],
                                   ["ns.Parent", "ns.GrandChild"]])
def test_load_schema_ordered_finds_what_the_list_leaves_out_beside_the_files(tmp_path, order):
    """Each file is loaded as load_schema loads it: a type no file before defines comes
    from namespace.Name.avsc beside it."""
    d = schema_files(tmp_path)
    loaded = schema_mod.load_schema_ordered([str(d / f"{n}.avsc") for n in order])
    assert strip_hints(loaded) == strip_hints(schema_mod.load_schema(str(d / f"{order[-1]}.avsc")))
    if order[-1] == "ns.Parent":
        assert strip_hints(loaded) == LOADED


# --- fastavro's private helpers (schema_name, extract_*, is_single_*_union) ----------------

HELPERS = ["schema_name", "extract_record_type", "extract_logical_type",
           "is_single_record_union", "is_single_name_union"]


@pytest.mark.parametrize("name", HELPERS)
def test_helpers_are_there_but_not_in_all(name):
    assert callable(getattr(schema_mod, name))
    assert name not in schema_mod.__all__


@pytest.mark.parametrize("schema, parent_ns, expected", [
    ({"name": "A"}, "", ("", "A")),
    ({"name": "A"}, None, ("", "A")),
    ({"name": "A"}, "p", ("p", "p.A")),
    ({"name": "A"}, "p.q", ("p.q", "p.q.A")),
    ({"name": "A", "namespace": "n"}, "p", ("n", "n.A")),
    ({"name": "A", "namespace": "n.m"}, "", ("n.m", "n.m.A")),
    ({"name": "A", "namespace": ""}, "p", ("", "A")),      # an empty namespace: none
    ({"name": "A", "namespace": None}, "p", ("", "A")),
    ({"name": "x.y.A", "namespace": "n"}, "p", ("x.y", "x.y.A")),  # a full name wins
    ({"name": "y.A"}, "", ("y", "y.A")),
    ({"name": "A", "type": "record", "fields": []}, "p", ("p", "p.A")),
])
def test_schema_name(schema, parent_ns, expected):
    assert schema_mod.schema_name(schema, parent_ns) == expected
    assert schema_mod.schema_name(schema=schema, parent_ns=parent_ns) == expected
    assert schema_mod.fullname(schema) == schema_mod.schema_name(schema, "")[1]


def test_schema_name_without_a_name():
    with pytest.raises(schema_mod.SchemaParseException, match='"name" is a required field'):
        schema_mod.schema_name({"type": "record"}, "p")


@pytest.mark.parametrize("schema", [{"name": 5}, {"name": None}, "A", ["A"], None])
def test_schema_name_of_what_is_not_a_named_type_is_a_type_error(schema):
    with pytest.raises(TypeError):
        schema_mod.schema_name(schema, "")


def test_schema_name_takes_two_arguments():
    with pytest.raises(TypeError):
        schema_mod.schema_name({"name": "A"})


@pytest.mark.parametrize("schema, expected", [
    ("int", "int"), ("ns.Named", "ns.Named"), (["null", "int"], "union"), ([], "union"),
    ({"type": "record", "name": "R", "fields": []}, "record"),
    ({"type": "long", "logicalType": "timestamp-millis"}, "long"),
    ({"type": "array", "items": "int"}, "array"),
    ({"type": "Unknown"}, "Unknown"),
    (("int",), ("int",)), (5, 5), (None, None),   # anything else comes back as it is
])
def test_extract_record_type(schema, expected):
    assert schema_mod.extract_record_type(schema) == expected


@pytest.mark.parametrize("schema, expected", [
    ({"type": "int", "logicalType": "date"}, "int-date"),
    ({"type": "bytes", "logicalType": "decimal", "precision": 4}, "bytes-decimal"),
    ({"type": "fixed", "name": "F", "size": 16, "logicalType": "duration"}, "fixed-duration"),
    ({"type": "string", "logicalType": "whatever"}, "string-whatever"),
    ({"type": "int", "logicalType": 1}, "int-1"),
    ({"type": "int"}, None), ({"type": "int", "logicalType": ""}, None),
    ({"type": "int", "logicalType": None}, None), ({"type": "int", "logicalType": 0}, None),
    ("int", None), ("ns.Named", None), (["int", {"type": "int", "logicalType": "date"}], None),
    (5, None), (None, None),
])
def test_extract_logical_type(schema, expected):
    assert schema_mod.extract_logical_type(schema) == expected


@pytest.mark.parametrize("schema", [{}, {"logicalType": "date"}])
def test_extract_type_of_a_dict_without_type_is_a_key_error(schema):
    with pytest.raises(KeyError):
        schema_mod.extract_record_type(schema)
    with pytest.raises(KeyError):
        schema_mod.extract_logical_type(schema)


REC = {"type": "record", "name": "R", "fields": []}
ENUM = {"type": "enum", "name": "E", "symbols": ["A"]}
FIXED = {"type": "fixed", "name": "F", "size": 1}
ERR = {"type": "error", "name": "X", "fields": []}


@pytest.mark.parametrize("union, single_record, single_name", [
    (["null", REC], True, True),
    (["null", "ns.R"], True, True),          # a name counts as a record, which it may be
    (["null", ENUM], False, True),
    (["null", FIXED], False, True),
    ([REC, ENUM], True, False),
    ([ENUM, FIXED], False, False),
    (["R", "S"], False, False),
    (["null", ERR], False, False),           # an error counts as neither, as in fastavro
    ([ERR, REC], True, True),
    ([], False, False),
    (["null", "int", "string"], False, False),
    (["null", {"type": "array", "items": REC}], False, False),
    (["null", ["int", REC]], False, False),  # a union in the union: a union, not a record
    ([{"type": "int", "logicalType": "date"}, REC], True, True),
    (("null", REC), True, True),             # any sequence of branches
])
def test_single_record_and_single_name_unions(union, single_record, single_name):
    assert schema_mod.is_single_record_union(union) is single_record
    assert schema_mod.is_single_name_union(union) is single_name
    assert schema_mod.is_single_record_union(iter(union)) is single_record


def test_union_branch_dict_without_type_is_a_key_error():
    with pytest.raises(KeyError):
        schema_mod.is_single_record_union(["null", {"name": "R"}])


@pytest.mark.parametrize("name", HELPERS[1:])
def test_one_argument_helpers_take_it_positionally_only(name):
    """As fastavro's compiled helpers: no keyword."""
    with pytest.raises(TypeError):
        getattr(schema_mod, name)(schema=["int"])


# --- utils.anonymize_schema ---------------------------------------------------------------

def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def anon(name):
    return "A_" + md5(name)


TO_ANONYMIZE = {
    "type": "record", "name": "Person", "namespace": "com.example", "doc": "A person.",
    "aliases": ["Human"], "custom": "x",
    "fields": [
        {"name": "name", "type": "string", "doc": "The name.", "aliases": ["nom", "n"],
         "order": "descending"},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "doc": "What.",
                                  "symbols": ["ADULT", "CHILD"], "default": "ADULT",
                                  "aliases": ["Sort"]},
         "default": "CHILD"},
        {"name": "kind2", "type": "Kind"},
        {"name": "id", "type": {"type": "fixed", "name": "other.Id", "size": 16,
                                "logicalType": "duration"}},
        {"name": "born", "type": {"type": "int", "logicalType": "date"}},
        {"name": "money", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9,
                                   "scale": 2}},
        {"name": "tags", "type": {"type": "array", "doc": "Tags.", "items": "string"},
         "default": []},
        {"name": "scores", "type": {"type": "map", "values": ["null", "double"]},
         "default": {"a": 1.5}},
        {"name": "parent", "type": ["null", "Person"], "default": None},
        {"name": "ids", "type": {"type": "array", "items": "other.Id"}},
        {"name": "inner", "type": {"type": "record", "name": "Inner", "namespace": "",
                                   "fields": [{"name": "n", "type": {"type": "long"}}]}},
        {"name": "oops", "type": {"type": "error", "name": "Oops", "fields": []}},
    ],
}
ANONYMIZED = {
    "type": "record", "doc": md5("A person."), "name": anon("com.example.Person"),
    "fields": [
        {"doc": md5("The name."), "aliases": [md5("nom"), md5("n")], "name": md5("name"),
         "type": "string"},
        {"default": "CHILD", "name": md5("kind"), "type": {
            "type": "enum", "doc": md5("What."), "name": anon("com.example.Kind"),
            "symbols": [anon("ADULT"), anon("CHILD")]}},
        {"name": md5("kind2"), "type": anon("com.example.Kind")},
        {"name": md5("id"), "type": {"type": "fixed", "name": anon("other.Id"), "size": 16}},
        {"name": md5("born"), "type": {"type": "int"}},
        {"name": md5("money"), "type": {"type": "bytes"}},
        {"default": [], "name": md5("tags"), "type": {
            "type": "array", "doc": md5("Tags."), "items": "string"}},
        {"default": {"a": 1.5}, "name": md5("scores"), "type": {
            "type": "map", "values": ["null", "double"]}},
        {"default": None, "name": md5("parent"), "type": ["null", anon("com.example.Person")]},
        {"name": md5("ids"), "type": {"type": "array", "items": anon("other.Id")}},
        {"name": md5("inner"), "type": {"type": "record", "name": anon("Inner"), "fields": [
            {"name": md5("n"), "type": {"type": "long"}}]}},
        {"name": md5("oops"), "type": {"type": "error", "name": anon("com.example.Oops"),
                                       "fields": []}},
    ],
}


def test_anonymize_schema():
    out = utils_mod.anonymize_schema(TO_ANONYMIZE)
    assert out == ANONYMIZED
    # the keys in fastavro's order, for the same JSON text
    assert json.dumps(out) == json.dumps(ANONYMIZED)


def test_anonymize_schema_of_a_parsed_schema_is_the_same():
    assert utils_mod.anonymize_schema(av.parse_schema(TO_ANONYMIZE)) == ANONYMIZED
    assert "__fastavro_parsed" not in utils_mod.anonymize_schema(av.parse_schema(TO_ANONYMIZE))


def test_anonymize_schema_leaves_the_input_alone():
    before = json.dumps(TO_ANONYMIZE)
    utils_mod.anonymize_schema(TO_ANONYMIZE)
    assert json.dumps(TO_ANONYMIZE) == before


@pytest.mark.parametrize("schema, expected", [
    ("int", "int"), ("null", "null"), (["null", "string"], ["null", "string"]),
    ({"type": "string", "doc": "d"}, {"type": "string", "doc": md5("d")}),
    ({"type": "long", "logicalType": "timestamp-millis"}, {"type": "long"}),
    ({"type": "enum", "name": "n.E", "symbols": []},
     {"type": "enum", "name": anon("n.E"), "symbols": []}),
    (["null", {"type": "fixed", "name": "F", "namespace": "n", "size": 2}, "n.F"],
     ["null", {"type": "fixed", "name": anon("n.F"), "size": 2}, anon("n.F")]),
    ({"type": "record", "name": "R", "fields": [{"name": "é", "type": "int", "doc": "ü"}]},
     {"type": "record", "name": anon("R"), "fields": [
         {"doc": md5("ü"), "name": md5("é"), "type": "int"}]}),
])
def test_anonymize_schema_of_other_schemas(schema, expected):
    assert utils_mod.anonymize_schema(schema) == expected


def test_anonymize_schema_is_the_same_each_time():
    assert utils_mod.anonymize_schema(TO_ANONYMIZE) == utils_mod.anonymize_schema(TO_ANONYMIZE)


@pytest.mark.parametrize("schema, error", [
    ({"type": "record", "name": "R", "fields": [{"name": "a", "type": "Missing"}]},
     "UnknownType"),
    ({"type": "record", "fields": []}, "SchemaParseException"),
])
def test_anonymize_schema_of_an_invalid_schema_raises_what_parse_schema_does(schema, error):
    with pytest.raises(getattr(schema_mod, error)):
        utils_mod.anonymize_schema(schema)


@pytest.mark.avrokit_only
def test_fixed_without_size_is_a_schema_parse_exception():
    # fastavro: KeyError('size')
    with pytest.raises(av.SchemaParseException, match='fixed "F" is missing its "size"'):
        av.parse_schema({"type": "record", "name": "R", "fields": [
            {"name": "f", "type": {"type": "fixed", "name": "F"}}]})


@pytest.mark.avrokit_only
def test_load_schema_keeps_a_null_namespace_type_of_a_file_beside(tmp_path):
    """A file loaded from beside defines a type with "namespace": "" inside a namespaced
    one: the type stays in the null namespace, and the main schema's reference to it
    resolves (fastavro writes the type out as x.y.R5 beside a reference to R5)."""
    (tmp_path / "x.y.E2.avsc").write_text(json.dumps({
        "type": "record", "name": "x.y.E2", "fields": [
            {"name": "f", "type": {"type": "fixed", "name": "R5", "namespace": "",
                                   "size": 2}}]}))
    (tmp_path / "main.avsc").write_text(json.dumps({
        "type": "record", "name": "Main", "fields": [
            {"name": "c0", "type": "x.y.E2"}, {"name": "c1", "type": "R5"}]}))
    for loaded in (schema_mod.load_schema(str(tmp_path / "main.avsc")),
                   schema_mod.load_schema_ordered([str(tmp_path / "x.y.E2.avsc"),
                                                   str(tmp_path / "main.avsc")])):
        assert loaded["fields"][0]["type"]["fields"][0]["type"]["name"] == "R5"
        assert loaded["fields"][1]["type"] == "R5"
        assert roundtrip(loaded, {"c0": {"f": b"ab"}, "c1": b"cd"}) == \
            {"c0": {"f": b"ab"}, "c1": b"cd"}


def test_a_schema_whose_doc_holds_a_lone_surrogate_is_written_and_read():
    """Python's surrogateescape makes such str; json.dumps writes them as \\udc80, which
    JSON's grammar allows (and Java reads). The file reads back; the doc's text is the
    library's business (avrokit's core reads the lone surrogate as U+FFFD)."""
    import io
    s = {"type": "record", "name": "R", "doc": "caf\udc80", "fields": [
        {"name": "x", "type": "int", "doc": "\ud83d"}]}
    buf = io.BytesIO()
    av.writer(buf, av.parse_schema(s), [{"x": 1}, {"x": 2}])
    buf.seek(0)
    r = av.reader(buf)
    assert list(r) == [{"x": 1}, {"x": 2}]
    assert "\\udc80" in r.metadata["avro.schema"]
    assert roundtrip(s, {"x": 3}) == {"x": 3}
