/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schemas through avrokit.h: parsing (and its errors, with the place in the schema), every
 * node accessor on every type, finding named types, ids, JSON and Parsing Canonical Form,
 * the three fingerprints against known values (the specification's, the test vectors of
 * share/test/data/schema-tests.txt when the shared corpus is there, and what
 * `avrokit fingerprint` prints), and CRC-64-AVRO of plain bytes.
 */
#include "fixtures.h"

static const char *corpus_dir;

/* Parse @json expecting failure with @code and a message holding @part. */
static void parse_fails(const char *json, unsigned flags, int code, const char *part,
			const char *what)
{
	struct ak_error err;
	struct ak_schema *s;

	ak_error_clear(&err);
	s = ak_schema_parse(json, strlen(json), flags, &err);
	CHECK(!s && err.code == code && strstr(err.msg, part),
	      "%s: status %s, message with \"%s\" (%s)", what, ak_status_name(code), part,
	      s ? "parsed" : errstr(&err));
	ak_schema_free(s);
}

static void test_parse_errors(void)
{
	struct ak_error err;
	struct ak_schema *s;
	const char *text = "{\"type\":\n  \"record\",";

	parse_fails("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
		    "{\"name\":\"b\",\"type\":{\"type\":\"array\",\"items\":\"strng\"}}]}", 0,
		    AK_E_SCHEMA, "fields[1].type.items: unknown type \"strng\"",
		    "an unknown type names its place");
	parse_fails("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
		    "{\"name\":\"a\",\"type\":\"long\"}]}", 0, AK_E_SCHEMA,
		    "fields[1]: duplicate field \"a\"", "a duplicate field");
	parse_fails("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"A\"]}", 0,
		    AK_E_SCHEMA, "symbols[2]: duplicate symbol \"A\"", "a duplicate symbol");
	parse_fails("[\"int\",\"string\",\"int\"]", 0, AK_E_SCHEMA, "[2]: duplicate union branch",
		    "a duplicate union branch");
	parse_fails("[\"null\",[\"int\"]]", 0, AK_E_SCHEMA, "[1]: a union may not directly contain",
		    "a union in a union");
	parse_fails("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\","
		    "\"default\":\"x\"}]}", 0, AK_E_SCHEMA, "fields[0]: default \"x\"",
		    "a default that does not fit");
	parse_fails("{\"type\":\"fixed\",\"name\":\"F\",\"size\":-1}", 0, AK_E_SCHEMA, "size",
		    "a negative fixed size");
	parse_fails("{\"type\":\"record\",\"name\":\"a-b\",\"fields\":[]}", 0, AK_E_SCHEMA,
		    "invalid name \"a-b\"", "an invalid name");
	parse_fails("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"1a\",\"type\":"
		    "\"int\"}]}", 0, AK_E_SCHEMA, "fields[0]: invalid field name", "an invalid field "
		    "name");
	parse_fails("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
		    "\"type\":\"R2\"}]}", 0, AK_E_SCHEMA, "fields[0].type", "an unknown named type");
	parse_fails("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"],\"default\":\"B\"}", 0,
		    AK_E_SCHEMA, "default", "an enum default that is no symbol");
	parse_fails("{\"type\":\"record\",\"name\":\"R\"}", 0, AK_E_SCHEMA, "fields",
		    "a record without fields");
	parse_fails("{\"type\":\"map\"}", 0, AK_E_SCHEMA, "values", "a map without values");
	parse_fails("\"strng\"", 0, AK_E_SCHEMA, "unknown type \"strng\"", "a bad primitive name");

	/* text that is not JSON: AK_E_SCHEMA, as the header says, with the line and column */
	ak_error_clear(&err);
	s = ak_schema_parse(text, strlen(text), 0, &err);
	CHECK(!s && err.code < 0, "text that is not JSON fails (%s)", errstr(&err));
	CHECK(err.code == AK_E_SCHEMA, "text that is not JSON is AK_E_SCHEMA (%s)",
	      ak_status_name(err.code));
	CHECK(err.line == 2 && err.column > 0, "its err->line and err->column say where (%llu:%llu)",
	      (unsigned long long)err.line, (unsigned long long)err.column);
	ak_schema_free(s);
	ak_error_clear(&err);
	s = ak_schema_parse("", 0, 0, &err);
	CHECK(!s && err.code < 0, "no text at all fails (%s)", errstr(&err));
	s = ak_schema_parse(NULL, 0, 0, NULL);
	CHECK(!s, "NULL text fails, also with no error struct");
	/* @len need not end at a NUL; the rest is not read */
	s = ak_schema_parse("\"int\"garbage", 5, 0, &err);
	CHECK(s && ak_node_type(ak_schema_root(s)) == AK_INT, "the text is @len bytes long, not "
	      "NUL-terminated");
	ak_schema_free(s);
	/* deep nesting is refused, not a stack overflow */
	{
		static const char open[] = "{\"type\":\"array\",\"items\":";
		size_t depth = 2000, n = 0, cap = depth * (sizeof(open) + 1) + 16;
		char *deep = malloc(cap);

		for (size_t i = 0; deep && i < depth; i++) {
			memcpy(deep + n, open, sizeof(open) - 1);
			n += sizeof(open) - 1;
		}
		if (deep) {
			memcpy(deep + n, "\"int\"", 5);
			n += 5;
			memset(deep + n, '}', depth);
			n += depth;
		}
		ak_error_clear(&err);
		s = deep ? ak_schema_parse(deep, n, 0, &err) : NULL;
		CHECK(!s && err.code < 0, "a schema nested %zu deep is refused (%s)", depth,
		      errstr(&err));
		ak_schema_free(s);
		free(deep);
	}
}

static void test_lenient(void)
{
	static const char *const names[] = {
		"{\"type\":\"record\",\"name\":\"a-b\",\"fields\":[]}",
		"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"1a\",\"type\":\"int\"}]}",
		"{\"type\":\"enum\",\"name\":\"$E\",\"symbols\":[\"A\",\"2-b\"]}",
		"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"x-1.$y\",\"fields\":[]}",
		"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":"
		"{\"type\":\"record\",\"name\":\"int\",\"namespace\":\"n\",\"fields\":[]}},"
		"{\"name\":\"b\",\"type\":\"n.int\"},{\"name\":\"c\",\"type\":\"int\"}]}",
		/* Java reads a file's schema without checking names at all: any non-empty name */
		"{\"type\":\"record\",\"name\":\"a b\",\"fields\":[]}",
		"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"a..b\",\"fields\":[]}",
	};
	static const char *const still_bad[] = {
		"{\"type\":\"record\",\"name\":\"\",\"fields\":[]}",
		"{\"type\":\"record\",\"name\":\"int\",\"fields\":[]}",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct ak_error err;
		struct ak_schema *s;

		ak_error_clear(&err);
		s = ak_schema_parse(names[i], strlen(names[i]), 0, &err);
		CHECK(!s && err.code == AK_E_SCHEMA, "strictly, %s is refused (%s)", names[i],
		      errstr(&err));
		ak_schema_free(s);
		s = ak_schema_parse(names[i], strlen(names[i]), AK_SCHEMA_LENIENT, &err);
		CHECK(s != NULL, "AK_SCHEMA_LENIENT accepts %s (%s)", names[i], s ? "ok" :
		      errstr(&err));
		if (s && i == 4) {
			const struct ak_node *r = ak_schema_root(s);

			CHECK(ak_node_field_type(r, 0) == ak_node_field_type(r, 1) &&
			      strcmp(ak_node_fullname(ak_node_field_type(r, 0)), "n.int") == 0 &&
			      ak_node_type(ak_node_field_type(r, 2)) == AK_INT,
			      "a record n.int: \"n.int\" names it, a bare \"int\" is still the "
			      "primitive");
		}
		ak_schema_free(s);
	}
	for (size_t i = 0; i < sizeof(still_bad) / sizeof(still_bad[0]); i++) {
		struct ak_error err;
		struct ak_schema *s;

		ak_error_clear(&err);
		s = ak_schema_parse(still_bad[i], strlen(still_bad[i]), AK_SCHEMA_LENIENT, &err);
		CHECK(!s && err.code == AK_E_SCHEMA, "leniently still refused: %s (%s)", still_bad[i],
		      errstr(&err));
		ak_schema_free(s);
	}
}

static void test_primitives(void)
{
	static const char *const names[] = {
		"null", "boolean", "int", "long", "float", "double", "bytes", "string",
	};

	for (int t = 0; t < 8; t++) {
		char json[64];
		struct ak_schema *s;
		const struct ak_node *n;
		char *canon;

		snprintf(json, sizeof(json), "{\"type\":\"%s\"}", names[t]);
		s = schema_or_die(json);
		n = ak_schema_root(s);
		canon = ak_schema_canonical(s, NULL);
		CHECK(ak_node_type(n) == (enum ak_type)t, "%s: ak_node_type", names[t]);
		CHECK(strcmp(ak_type_name((enum ak_type)t), names[t]) == 0, "ak_type_name(%d) is %s",
		      t, names[t]);
		CHECK(strcmp(ak_node_branch_name(n), names[t]) == 0, "%s: branch name", names[t]);
		CHECK(!ak_node_name(n) && !ak_node_fullname(n) && !ak_node_namespace(n),
		      "%s: no name", names[t]);
		CHECK(ak_node_count(n) == 0 && ak_node_size(n) == 0 && !ak_node_items(n) &&
		      !ak_node_branch(n, 0) && !ak_node_field_name(n, 0) && !ak_node_field_type(n, 0) &&
		      !ak_node_symbol(n, 0) && ak_node_field_index(n, "a") == -1 &&
		      ak_node_symbol_index(n, "A") == -1 && ak_node_enum_default(n) == -1 &&
		      !ak_node_field_has_default(n, 0), "%s: the other accessors give nothing",
		      names[t]);
		CHECK(ak_node_logical(n) == AK_LT_NONE && !ak_node_logical_name(n) &&
		      ak_node_precision(n) == 0 && ak_node_scale(n) == 0, "%s: no logical type",
		      names[t]);
		CHECK(ak_schema_node_count(s) == 1 && ak_node_id(n) == 0, "%s: one node, id 0",
		      names[t]);
		snprintf(json, sizeof(json), "\"%s\"", names[t]);
		CHECK(canon && strcmp(canon, json) == 0, "%s: canonical form %s (%s)", names[t], json,
		      canon ? canon : "NULL");
		ak_free(canon);
		ak_schema_free(s);
	}
	CHECK(strcmp(ak_type_name(AK_RECORD), "record") == 0 &&
	      strcmp(ak_type_name(AK_ENUM), "enum") == 0 &&
	      strcmp(ak_type_name(AK_ARRAY), "array") == 0 &&
	      strcmp(ak_type_name(AK_MAP), "map") == 0 &&
	      strcmp(ak_type_name(AK_UNION), "union") == 0 &&
	      strcmp(ak_type_name(AK_FIXED), "fixed") == 0, "ak_type_name of the complex types");
}

static void test_nodes(void)
{
	struct ak_schema *s = schema_or_die(all_schema);
	const struct ak_node *r = ak_schema_root(s), *n, *suit, *sub;
	size_t count = ak_schema_node_count(s);
	static const char *const fields[F_COUNT] = {
		"n", "b", "i", "l", "f", "d", "by", "s", "e", "x", "a", "m", "u", "date", "ts", "dec",
		"id", "sub", "o",
	};
	static const enum ak_type types[F_COUNT] = {
		AK_NULL, AK_BOOLEAN, AK_INT, AK_LONG, AK_FLOAT, AK_DOUBLE, AK_BYTES, AK_STRING, AK_ENUM,
		AK_FIXED, AK_ARRAY, AK_MAP, AK_UNION, AK_INT, AK_LONG, AK_BYTES, AK_STRING, AK_RECORD,
		AK_UNION,
	};
	int ok = 1;

	/* record */
	CHECK(ak_node_type(r) == AK_RECORD, "root is a record");
	CHECK(strcmp(ak_node_name(r), "All") == 0 && strcmp(ak_node_fullname(r), "t.All") == 0 &&
	      strcmp(ak_node_namespace(r), "t") == 0, "record: name, full name, namespace");
	CHECK(strcmp(ak_node_branch_name(r), "t.All") == 0, "record: branch name is the full name");
	CHECK(ak_node_count(r) == F_COUNT, "record: %d fields (%zu)", F_COUNT, ak_node_count(r));
	for (size_t i = 0; i < F_COUNT; i++) {
		ok &= ak_node_field_name(r, i) && strcmp(ak_node_field_name(r, i), fields[i]) == 0;
		ok &= ak_node_field_type(r, i) && ak_node_type(ak_node_field_type(r, i)) == types[i];
		ok &= ak_node_field_index(r, fields[i]) == (long)i;
		ok &= ak_node_field_has_default(r, i) == (i == F_O);
	}
	CHECK(ok, "record: every field's name, type, index and default flag");
	CHECK(!ak_node_field_name(r, F_COUNT) && !ak_node_field_type(r, F_COUNT) &&
	      !ak_node_field_has_default(r, F_COUNT) && ak_node_field_index(r, "zz") == -1 &&
	      ak_node_field_index(r, NULL) == -1, "record: out of range and unknown fields");
	CHECK(!ak_node_items(r) && !ak_node_symbol(r, 0) && !ak_node_branch(r, 0) &&
	      ak_node_size(r) == 0 && ak_node_enum_default(r) == -1,
	      "record: no items, symbols, branches, size");

	/* enum */
	suit = ak_node_field_type(r, F_E);
	CHECK(strcmp(ak_node_name(suit), "Suit") == 0 &&
	      strcmp(ak_node_fullname(suit), "t.Suit") == 0 &&
	      strcmp(ak_node_namespace(suit), "t") == 0, "enum: the namespace is inherited");
	CHECK(ak_node_count(suit) == 3 && strcmp(ak_node_symbol(suit, 0), "HEARTS") == 0 &&
	      strcmp(ak_node_symbol(suit, 2), "CLUBS") == 0 && !ak_node_symbol(suit, 3),
	      "enum: symbols");
	CHECK(ak_node_symbol_index(suit, "SPADES") == 1 && ak_node_symbol_index(suit, "X") == -1 &&
	      ak_node_symbol_index(suit, NULL) == -1, "enum: symbol index");
	CHECK(ak_node_enum_default(suit) == 0, "enum: default symbol HEARTS is 0");
	CHECK(!ak_node_field_name(suit, 0) && !ak_node_items(suit) && ak_node_size(suit) == 0,
	      "enum: no fields, items, size");

	/* fixed */
	n = ak_node_field_type(r, F_X);
	CHECK(ak_node_size(n) == 2 && strcmp(ak_node_fullname(n), "t.F2") == 0 &&
	      ak_node_count(n) == 0, "fixed: size 2, full name t.F2");

	/* array and map */
	n = ak_node_field_type(r, F_A);
	CHECK(ak_node_items(n) && ak_node_type(ak_node_items(n)) == AK_INT && !ak_node_name(n) &&
	      strcmp(ak_node_branch_name(n), "array") == 0 && ak_node_count(n) == 0,
	      "array: items int, branch name \"array\"");
	n = ak_node_field_type(r, F_M);
	CHECK(ak_node_items(n) && ak_node_type(ak_node_items(n)) == AK_LONG &&
	      strcmp(ak_node_branch_name(n), "map") == 0, "map: values long, branch name \"map\"");

	/* union */
	n = ak_node_field_type(r, F_U);
	CHECK(ak_node_count(n) == 3 && ak_node_type(ak_node_branch(n, 0)) == AK_NULL &&
	      ak_node_type(ak_node_branch(n, 1)) == AK_STRING && ak_node_branch(n, 2) == suit &&
	      !ak_node_branch(n, 3), "union: three branches, the named one is the same node");
	CHECK(strcmp(ak_node_branch_name(n), "union") == 0 && !ak_node_items(n),
	      "union: type name, no items");

	/* the named type used twice is one node */
	sub = ak_node_field_type(r, F_SUB);
	CHECK(ak_node_branch(ak_node_field_type(r, F_O), 1) == sub, "a named type is one node");
	CHECK(strcmp(ak_node_fullname(sub), "t.Sub") == 0 && ak_node_count(sub) == 1,
	      "nested record: t.Sub with one field");

	/* logical types */
	n = ak_node_field_type(r, F_DATE);
	CHECK(ak_node_logical(n) == AK_LT_DATE && strcmp(ak_node_logical_name(n), "date") == 0,
	      "date");
	n = ak_node_field_type(r, F_TS);
	CHECK(ak_node_logical(n) == AK_LT_TIMESTAMP_MILLIS, "timestamp-millis");
	n = ak_node_field_type(r, F_DEC);
	CHECK(ak_node_logical(n) == AK_LT_DECIMAL && ak_node_precision(n) == 5 &&
	      ak_node_scale(n) == 2, "decimal(5, 2): precision and scale");
	n = ak_node_field_type(r, F_ID);
	CHECK(ak_node_logical(n) == AK_LT_UUID, "uuid");

	/* ids */
	{
		int dense = count > 0 && count < 64;

		for (size_t i = 0; i < F_COUNT && dense; i++) {
			size_t id = ak_node_id(ak_node_field_type(r, i));

			dense &= id < count;
		}
		dense &= ak_node_id(r) < count;
		CHECK(dense, "every node id is below ak_schema_node_count() (%zu)", count);
		CHECK(ak_node_id(ak_node_field_type(r, F_I)) != ak_node_id(ak_node_field_type(r, F_L)),
		      "different nodes have different ids");
	}

	/* find */
	CHECK(ak_schema_find(s, "t.Suit") == suit && ak_schema_find(s, "t.Sub") == sub &&
	      ak_schema_find(s, "t.All") == r, "ak_schema_find by full name");
	CHECK(!ak_schema_find(s, "Suit") && !ak_schema_find(s, "t.Nope") &&
	      !ak_schema_find(s, NULL), "ak_schema_find: a simple name, an unknown one, NULL");
	ak_schema_free(s);
}

static void test_logical(void)
{
	static const struct {
		const char *json;
		enum ak_logical lt;
		const char *name;
	} cases[] = {
		{ "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":1}",
		  AK_LT_DECIMAL, "decimal" },
		{ "{\"type\":\"fixed\",\"name\":\"D\",\"size\":8,\"logicalType\":\"decimal\","
		  "\"precision\":10}", AK_LT_DECIMAL, "decimal" },
		{ "{\"type\":\"string\",\"logicalType\":\"uuid\"}", AK_LT_UUID, "uuid" },
		{ "{\"type\":\"int\",\"logicalType\":\"date\"}", AK_LT_DATE, "date" },
		{ "{\"type\":\"int\",\"logicalType\":\"time-millis\"}", AK_LT_TIME_MILLIS,
		  "time-millis" },
		{ "{\"type\":\"long\",\"logicalType\":\"time-micros\"}", AK_LT_TIME_MICROS,
		  "time-micros" },
		{ "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}", AK_LT_TIMESTAMP_MILLIS,
		  "timestamp-millis" },
		{ "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}", AK_LT_TIMESTAMP_MICROS,
		  "timestamp-micros" },
		{ "{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\"}", AK_LT_TIMESTAMP_NANOS,
		  "timestamp-nanos" },
		{ "{\"type\":\"long\",\"logicalType\":\"local-timestamp-millis\"}",
		  AK_LT_LOCAL_TIMESTAMP_MILLIS, "local-timestamp-millis" },
		{ "{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}",
		  AK_LT_LOCAL_TIMESTAMP_MICROS, "local-timestamp-micros" },
		{ "{\"type\":\"long\",\"logicalType\":\"local-timestamp-nanos\"}",
		  AK_LT_LOCAL_TIMESTAMP_NANOS, "local-timestamp-nanos" },
		{ "{\"type\":\"fixed\",\"name\":\"Dur\",\"size\":12,\"logicalType\":\"duration\"}",
		  AK_LT_DURATION, "duration" },
		/* not understood: the underlying type, the name still there */
		{ "{\"type\":\"string\",\"logicalType\":\"color\"}", AK_LT_NONE, "color" },
		{ "{\"type\":\"int\",\"logicalType\":\"timestamp-millis\"}", AK_LT_NONE,
		  "timestamp-millis" },
		{ "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":0}", AK_LT_NONE,
		  "decimal" },
		{ "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":2,\"scale\":3}",
		  AK_LT_NONE, "decimal" },
		{ "{\"type\":\"fixed\",\"name\":\"D\",\"size\":1,\"logicalType\":\"decimal\","
		  "\"precision\":5}", AK_LT_NONE, "decimal" },
		{ "{\"type\":\"fixed\",\"name\":\"Dur\",\"size\":4,\"logicalType\":\"duration\"}",
		  AK_LT_NONE, "duration" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ak_error err;
		struct ak_schema *s;
		const struct ak_node *n;

		ak_error_clear(&err);
		s = ak_schema_parse(cases[i].json, strlen(cases[i].json), 0, &err);
		n = s ? ak_schema_root(s) : NULL;
		CHECK(n && ak_node_logical(n) == cases[i].lt && ak_node_logical_name(n) &&
		      strcmp(ak_node_logical_name(n), cases[i].name) == 0,
		      "logical type %d, named %s: %s (%s)", (int)cases[i].lt, cases[i].name,
		      cases[i].json, s ? "parsed" : errstr(&err));
		if (n && cases[i].lt == AK_LT_NONE)
			CHECK(ak_node_precision(n) == 0 && ak_node_scale(n) == 0,
			      "not understood: no precision or scale");
		ak_schema_free(s);
	}
	{
		struct ak_schema *s = schema_or_die(cases[1].json);

		CHECK(ak_node_precision(ak_schema_root(s)) == 10 &&
		      ak_node_scale(ak_schema_root(s)) == 0, "fixed decimal: precision 10, scale 0 "
		      "by default");
		ak_schema_free(s);
	}
}

static void test_json_canonical(void)
{
	const char *src = "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"ns\",\"doc\":\"d\","
			  "\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"int\"},\"default\":1,"
			  "\"aliases\":[\"b\"]},{\"name\":\"e\",\"type\":{\"type\":\"enum\","
			  "\"name\":\"E\",\"namespace\":\"other\",\"symbols\":[\"X\"]}},"
			  "{\"name\":\"f\",\"type\":[\"null\",\"other.E\",\"R\"]}]}";
	struct ak_schema *s = schema_or_die(src), *s2;
	char *one = ak_schema_json(s, 0), *ind = ak_schema_json(s, 2), *canon, *canon2;
	struct ak_error err;

	ak_error_clear(&err);
	canon = ak_schema_canonical(s, &err);
	CHECK(one && !strchr(one, '\n'), "ak_schema_json(s, 0) is one line");
	CHECK(one && strstr(one, "\"doc\":\"d\"") && strstr(one, "\"default\":1") &&
	      strstr(one, "\"aliases\":[\"b\"]"), "ak_schema_json keeps doc, defaults and aliases: "
	      "%s", one ? one : "NULL");
	CHECK(ind && strncmp(ind, "{\n  \"type\": \"record\",\n", 22) == 0,
	      "ak_schema_json(s, 2) is indented by two: %.40s", ind ? ind : "NULL");
	CHECK(canon && strcmp(canon, "{\"name\":\"ns.R\",\"type\":\"record\",\"fields\":["
			      "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"e\",\"type\":"
			      "{\"name\":\"other.E\",\"type\":\"enum\",\"symbols\":[\"X\"]}},"
			      "{\"name\":\"f\",\"type\":[\"null\",\"other.E\",\"ns.R\"]}]}") == 0,
	      "Parsing Canonical Form: full names, attributes dropped, order fixed: %s",
	      canon ? canon : errstr(&err));
	/* the JSON parses back to the same schema */
	s2 = one ? ak_schema_parse(one, strlen(one), 0, &err) : NULL;
	canon2 = s2 ? ak_schema_canonical(s2, &err) : NULL;
	CHECK(canon && canon2 && strcmp(canon, canon2) == 0, "ak_schema_json parses back to the "
	      "same canonical form");
	ak_free(canon2);
	ak_schema_free(s2);
	s2 = ind ? ak_schema_parse(ind, strlen(ind), 0, &err) : NULL;
	canon2 = s2 ? ak_schema_canonical(s2, &err) : NULL;
	CHECK(canon && canon2 && strcmp(canon, canon2) == 0, "so does the indented form");
	ak_free(canon2);
	ak_schema_free(s2);
	ak_free(one);
	ak_free(ind);
	ak_free(canon);
	ak_schema_free(s);
}

static uint64_t le64(const unsigned char *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static void fingerprint_is(const char *json, enum ak_fingerprint alg, const char *hex,
			   const char *what)
{
	struct ak_schema *s = schema_or_die(json);
	unsigned char out[32];
	char got[65] = "";
	struct ak_error err;
	int n;

	ak_error_clear(&err);
	n = ak_schema_fingerprint(s, alg, out, &err);
	for (int i = 0; i < n && i < 32; i++)
		snprintf(got + 2 * i, 3, "%02x", out[i]);
	CHECK(n == (int)strlen(hex) / 2 && strcmp(got, hex) == 0, "%s: %s (got %d bytes, %s)", what,
	      hex, n, n < 0 ? errstr(&err) : got);
	ak_schema_free(s);
}

static void test_fingerprints(void)
{
	struct ak_schema *s;
	unsigned char out[32];
	struct ak_error err;

	/* the specification's example: the CRC-64-AVRO of "null" is 0x63dd24e7cc258f8a */
	CHECK(ak_crc64_avro("\"null\"", 6) == 0x63dd24e7cc258f8aULL, "CRC-64-AVRO of \"null\"");
	CHECK(ak_crc64_avro("", 0) == 0xc15d213aa4d7a795ULL &&
	      ak_crc64_avro(NULL, 0) == 0xc15d213aa4d7a795ULL, "CRC-64-AVRO of no bytes is the "
	      "empty fingerprint");
	fingerprint_is("\"null\"", AK_FP_CRC64, "8a8f25cce724dd63",
		       "CRC-64 of null, little-endian as avrokit fingerprint prints it");
	fingerprint_is("{\"type\":\"null\"}", AK_FP_CRC64, "8a8f25cce724dd63",
		       "the fingerprint is of the canonical form");
	fingerprint_is("\"null\"", AK_FP_MD5, "9b41ef67651c18488a8b08bb67c75699", "MD5 of null");
	fingerprint_is("\"null\"", AK_FP_SHA256,
		       "f072cbec3bf8841871d4284230c5e983dc211a56837aed862487148f947d1a1f",
		       "SHA-256 of null");
	/* tests/data/weather.avsc, as `avrokit fingerprint -a ALG` prints it */
	{
		const char *weather = "{\"type\":\"record\",\"name\":\"Weather\",\"namespace\":"
				      "\"test\",\"doc\":\"Invented weather readings for the "
				      "avrokit tests\",\"fields\":[{\"name\":\"station\",\"type\":"
				      "\"string\"},{\"name\":\"time\",\"type\":\"long\",\"doc\":"
				      "\"milliseconds since 1970-01-01T00:00:00Z\"},{\"name\":"
				      "\"temp\",\"type\":\"int\",\"doc\":\"tenths of a degree "
				      "Celsius\"}]}";

		fingerprint_is(weather, AK_FP_CRC64, "cb7dac7ef74d569d", "weather.avsc CRC-64");
		fingerprint_is(weather, AK_FP_MD5, "c43aa8dd51988ec54f49bf20e582479a",
			       "weather.avsc MD5");
		fingerprint_is(weather, AK_FP_SHA256, "6423ca3f9fb4892640ba32dcfa9c599f1d18ba14574"
			       "2630acffadb7d9d661a89", "weather.avsc SHA-256");
	}
	s = schema_or_die("\"int\"");
	ak_error_clear(&err);
	CHECK_RC(ak_schema_fingerprint(s, (enum ak_fingerprint)7, out, &err), AK_E_ARG, &err,
		 "an unknown fingerprint algorithm is AK_E_ARG");
	ak_schema_free(s);
}

/* share/test/data/schema-tests.txt: canonical forms and Rabin fingerprints (as Java longs) */
static void test_vectors(void)
{
	char path[1024];
	size_t len, cases = 0, bad = 0;
	unsigned char *text;
	char *line, *save = NULL, input[8192] = "", canon[8192] = "";
	int multi = 0;

	snprintf(path, sizeof(path), "%s/share/test/data/schema-tests.txt", corpus_dir);
	if (!(text = read_file(path, &len))) {
		tap_skip("the shared corpus (share/test/data/schema-tests.txt) is not here");
		return;
	}
	for (line = strtok_r((char *)text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (multi) {
			if (strcmp(line, "INPUT") == 0)
				multi = 0;
			else
				strncat(input, line, sizeof(input) - strlen(input) - 1);
			continue;
		}
		if (strcmp(line, "<<INPUT") == 0) {
			multi = 1;
			input[0] = '\0';
		} else if (strncmp(line, "<<INPUT ", 8) == 0) {
			snprintf(input, sizeof(input), "%s", line + 8);
		} else if (strncmp(line, "<<canonical ", 12) == 0) {
			struct ak_error err;
			struct ak_schema *s;
			char *c;

			snprintf(canon, sizeof(canon), "%s", line + 12);
			ak_error_clear(&err);
			s = ak_schema_parse(input, strlen(input), 0, &err);
			c = s ? ak_schema_canonical(s, &err) : NULL;
			cases++;
			if (!c || strcmp(c, canon) != 0) {
				bad++;
				tap_note("canonical of %s: %s, wanted %s", input, c ? c : errstr(&err),
					 canon);
			}
			ak_free(c);
			ak_schema_free(s);
		} else if (strncmp(line, "<<fingerprint ", 14) == 0) {
			int64_t want = strtoll(line + 14, NULL, 10);
			struct ak_schema *s = ak_schema_parse(input, strlen(input), 0, NULL);
			unsigned char out[32];

			cases++;
			if (!s || ak_schema_fingerprint(s, AK_FP_CRC64, out, NULL) != 8 ||
			    (int64_t)le64(out) != want ||
			    (int64_t)ak_crc64_avro(canon, strlen(canon)) != want) {
				bad++;
				tap_note("fingerprint of %s: wanted %lld", input, (long long)want);
			}
			ak_schema_free(s);
		}
	}
	CHECK(cases >= 50 && bad == 0, "schema-tests.txt: %zu canonical forms and fingerprints, %zu "
	      "wrong", cases, bad);
	free(text);
}

int main(int argc, char **argv)
{
	corpus_dir = argc > 2 ? argv[2] : "../shared/corpus";
	test_parse_errors();
	test_lenient();
	test_primitives();
	test_nodes();
	test_logical();
	test_json_canonical();
	test_fingerprints();
	test_vectors();
	return tap_done();
}
