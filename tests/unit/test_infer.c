/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema inference (infer.h): expected schemas written out by hand for small inputs, the event
 * API giving what the JSON path gives, every schema parsed and then used by the plain-JSON
 * encoder on its own input, the notes, and the errors (bad JSON with its position, a key
 * twice, too deep, a number beyond double, bad names, events out of place).
 */
#include "ak.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The compact schema inferred from @json (NULL on error, with @err). */
static char *infer_text(const char *json, const struct ak_infer_opts *o, int array,
			struct ak_error *err)
{
	struct ak_infer *inf = ak_infer_new(o, err);
	struct ak_json_in j;
	char *s = NULL;

	if (!inf)
		return NULL;
	ak_json_in_init_mem(&j, json, strlen(json));
	if (ak_infer_json_input(inf, &j, array, err) == AK_OK)
		s = ak_infer_schema(inf, 0, err);
	ak_infer_free(inf);
	return s;
}

/* Does @schema read every value of @json with the plain-JSON encoder? */
static int encodes(const char *schema, const char *json, int array, struct ak_error *err)
{
	struct ak_schema *s = ak_schema_parse(schema, strlen(schema), 0, err);
	struct ak_plan *p = s ? ak_plan_new(s, err) : NULL;
	struct ak_json_encoder *e = p ? ak_json_encoder_new(p, AK_ENCODE_PLAIN, err) : NULL;
	struct ak_buf out = AK_BUF_INIT;
	struct ak_json_in j;
	int rc = e ? AK_OK : AK_E_SCHEMA, c;

	ak_json_in_init_mem(&j, json, strlen(json));
	if (rc == AK_OK && array) {
		ak_json_in_peek(&j, err);
		ak_json_in_advance(&j); /* '[' */
	}
	while (rc == AK_OK) {
		rc = ak_json_encode(e, &j, &out, err);
		if (rc == AK_EOF) {
			rc = AK_OK;
			break;
		}
		if (rc == AK_OK && array) {
			c = ak_json_in_peek(&j, err);
			ak_json_in_advance(&j); /* ',' or ']' */
			if (c == ']')
				break;
		}
	}
	ak_buf_release(&out);
	ak_json_encoder_free(e);
	ak_plan_free(p);
	ak_schema_free(s);
	return rc == AK_OK;
}

static const struct {
	const char *what, *json, *want;
	int logical, array;
	size_t max_fields;
} cases[] = {
	{ "no values: a record with no fields", "", "{\"type\":\"record\",\"name\":\"Record\","
	  "\"fields\":[]}", 0, 0, 0 },
	{ "one record, every primitive kind",
	  "{\"b\":true,\"i\":1,\"s\":\"x\",\"d\":1.5,\"n\":null}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"b\",\"type\":\"boolean\"},"
	  "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"d\","
	  "\"type\":\"double\"},{\"name\":\"n\",\"type\":[\"null\",\"string\"],\"default\":null}]}",
	  0, 0, 0 },
	{ "int, then long, then double as the values need",
	  "{\"a\":1,\"b\":1,\"c\":1}\n{\"a\":2147483647,\"b\":2147483648,\"c\":-2147483649}\n"
	  "{\"a\":-2147483648,\"b\":9223372036854775807,\"c\":1e0}\n{\"a\":0,\"b\":-5,\"c\":7}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
	  "{\"name\":\"b\",\"type\":\"long\"},{\"name\":\"c\",\"type\":\"double\"}]}", 0, 0, 0 },
	{ "an integer beyond 64 bits is a double",
	  "{\"a\":9223372036854775808}", "{\"type\":\"record\",\"name\":\"Record\",\"fields\":"
	  "[{\"name\":\"a\",\"type\":\"double\"}]}", 0, 0, 0 },
	{ "missing in one record, null in another: optional with default null",
	  "{\"a\":1,\"b\":\"x\"}\n{\"b\":null}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"a\",\"type\":[\"null\","
	  "\"int\"],\"default\":null},{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":"
	  "null}]}", 0, 0, 0 },
	{ "field order as first seen, whatever the order later",
	  "{\"z\":1,\"a\":2}\n{\"a\":3,\"m\":4,\"z\":5}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"z\",\"type\":\"int\"},"
	  "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"m\",\"type\":[\"null\",\"int\"],\"default\":"
	  "null}]}", 0, 0, 0 },
	{ "records named from their key, unique, the namespace on the first",
	  "{\"address\":{\"home\":{\"address\":{\"zip\":\"1\"}}}}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"address\",\"type\":"
	  "{\"type\":\"record\",\"name\":\"Address\",\"fields\":[{\"name\":\"home\",\"type\":"
	  "{\"type\":\"record\",\"name\":\"Home\",\"fields\":[{\"name\":\"address\",\"type\":"
	  "{\"type\":\"record\",\"name\":\"Address2\",\"fields\":[{\"name\":\"zip\",\"type\":"
	  "\"string\"}]}}]}}]}}]}", 0, 0, 0 },
	{ "a union, one branch per kind, null first",
	  "{\"v\":1}\n{\"v\":\"s\"}\n{\"v\":[true]}\n{\"v\":{\"k\":1}}\n{\"v\":false}\n{\"v\":null}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"v\",\"type\":[\"null\","
	  "\"boolean\",\"int\",\"string\",{\"type\":\"array\",\"items\":\"boolean\"},{\"type\":"
	  "\"record\",\"name\":\"V\",\"fields\":[{\"name\":\"k\",\"type\":\"int\"}]}],\"default\":"
	  "null}]}", 0, 0, 0 },
	{ "arrays of the merged item type; always-empty arrays of strings",
	  "{\"a\":[1,2],\"e\":[]}\n{\"a\":[2.5,null],\"e\":[]}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":"
	  "\"array\",\"items\":[\"null\",\"double\"]}},{\"name\":\"e\",\"type\":{\"type\":\"array\","
	  "\"items\":\"string\"}}]}", 0, 0, 0 },
	{ "objects in arrays merge into one record",
	  "{\"xs\":[{\"a\":1},{\"b\":\"q\"}]}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"xs\",\"type\":{\"type\":"
	  "\"array\",\"items\":{\"type\":\"record\",\"name\":\"Xs\",\"fields\":[{\"name\":\"a\","
	  "\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"b\",\"type\":[\"null\","
	  "\"string\"],\"default\":null}]}}}]}", 0, 0, 0 },
	{ "a key that is not a name makes the object a map",
	  "{\"m\":{\"a\":1,\"first-name\":\"x\"}}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"m\",\"type\":{\"type\":"
	  "\"map\",\"values\":[\"int\",\"string\"]}}]}", 0, 0, 0 },
	{ "an always-empty object is a map of strings",
	  "{\"m\":{}}", "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"m\","
	  "\"type\":{\"type\":\"map\",\"values\":\"string\"}}]}", 0, 0, 0 },
	{ "more keys than max_fields: a map", "{\"m\":{\"a\":1,\"b\":2}}\n{\"m\":{\"c\":3}}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"m\",\"type\":{\"type\":"
	  "\"map\",\"values\":\"int\"}}]}", 0, 0, 2 },
	{ "as many keys as max_fields: still a record", "{\"a\":1,\"b\":2}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
	  "{\"name\":\"b\",\"type\":\"int\"}]}", 0, 0, 2 },
	{ "\"NaN\" with numbers is a double", "{\"d\":1}\n{\"d\":\"NaN\"}\n{\"d\":\"-Infinity\"}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"d\",\"type\":\"double\"}"
	  "]}", 0, 0, 0 },
	{ "\"NaN\" without numbers is a string", "{\"d\":\"NaN\"}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"d\",\"type\":\"string\"}"
	  "]}", 0, 0, 0 },
	{ "logical: dates, timestamps (the finest fraction), uuids",
	  "{\"d\":\"2024-02-29\",\"t\":\"2024-01-01T00:00:00Z\","
	  "\"n\":\"2024-01-01 00:00:00.1234567+02:00\","
	  "\"u\":\"123e4567-e89b-12d3-a456-426614174000\"}\n"
	  "{\"d\":\"1900-01-01\",\"t\":\"2024-01-01T00:00:00.123+01:00\","
	  "\"n\":\"2024-01-01T00:00:00Z\",\"u\":\"123E4567-E89B-12D3-A456-426614174000\"}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"d\",\"type\":{\"type\":"
	  "\"int\",\"logicalType\":\"date\"}},{\"name\":\"t\",\"type\":{\"type\":\"long\","
	  "\"logicalType\":\"timestamp-millis\"}},{\"name\":\"n\",\"type\":{\"type\":\"long\","
	  "\"logicalType\":\"timestamp-nanos\"}},{\"name\":\"u\",\"type\":{\"type\":\"string\","
	  "\"logicalType\":\"uuid\"}}]}", 1, 0, 0 },
	{ "logical: one string out of form, or numbers too, gives string",
	  "{\"d\":\"2024-02-29\",\"e\":\"2024-02-29\"}\n{\"d\":\"2024-02-30\",\"e\":5}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"d\",\"type\":\"string\"},"
	  "{\"name\":\"e\",\"type\":[\"int\",\"string\"]}]}", 1, 0, 0 },
	{ "without logical, dates are strings", "{\"d\":\"2024-02-29\"}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"d\",\"type\":\"string\"}"
	  "]}", 0, 0, 0 },
	{ "--array: the items are the values", "[{\"a\":1},\n{\"a\":2}]",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}",
	  0, 1, 0 },
	{ "top-level values of several kinds", "1\n\"x\"\nnull\n{\"a\":1}",
	  "[\"null\",\"int\",\"string\",{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":"
	  "\"a\",\"type\":\"int\"}]}]", 0, 0, 0 },
	{ "a top-level map keeps the record names from the top name",
	  "{\"1\":{\"a\":1}}", "{\"type\":\"map\",\"values\":{\"type\":\"record\",\"name\":"
	  "\"Record\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}}", 0, 0, 0 },
	{ "keys with escapes are read as their characters", "{\"\\u0061b\":1}",
	  "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":\"ab\",\"type\":\"int\"}]}",
	  0, 0, 0 },
};

static void test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ak_infer_opts o = { .max_fields = cases[i].max_fields,
					    .logical = cases[i].logical };
		struct ak_error err = { 0 };
		char *s = infer_text(cases[i].json, &o, cases[i].array, &err);

		CHECK(s && strcmp(s, cases[i].want) == 0, "%s: %s", cases[i].what,
		      s ? s : err.msg);
		if (s)
			CHECK(encodes(s, cases[i].json, cases[i].array, &err),
			      "%s: fromjson --plain reads the input with it (%s)", cases[i].what,
			      err.msg);
		free(s);
	}
}

static void test_name_namespace_indent(void)
{
	struct ak_infer_opts o = { .name = "Event", .space = "com.example" };
	struct ak_error err = { 0 };
	char *s = infer_text("{\"address\":{\"city\":\"x\"}}", &o, 0, &err);

	CHECK(s && strcmp(s, "{\"type\":\"record\",\"name\":\"Event\",\"namespace\":\"com.example\","
			     "\"fields\":[{\"name\":\"address\",\"type\":{\"type\":\"record\","
			     "\"name\":\"Address\",\"fields\":[{\"name\":\"city\",\"type\":"
			     "\"string\"}]}}]}") == 0,
	      "--name Event --namespace com.example: Event.address is Address: %s",
	      s ? s : err.msg);
	free(s);

	struct ak_infer *inf = ak_infer_new(NULL, &err);
	struct ak_json_in j;

	ak_json_in_init_mem(&j, "{\"a\":[1]}", 9);
	ak_infer_json_input(inf, &j, 0, &err);
	s = ak_infer_schema(inf, 2, &err);
	CHECK(s && strcmp(s, "{\n  \"type\" : \"record\",\n  \"name\" : \"Record\",\n  \"fields\" : [ {"
			     "\n    \"name\" : \"a\",\n    \"type\" : {\n      \"type\" : \"array\",\n"
			     "      \"items\" : \"int\"\n    }\n  } ]\n}") == 0,
	      "indented as getschema prints schemas: %s", s ? s : err.msg);
	free(s);
	/* the summary goes on after a schema was asked for */
	ak_json_in_init_mem(&j, "{\"b\":1}", 7);
	ak_infer_json_input(inf, &j, 0, &err);
	s = ak_infer_schema(inf, 0, &err);
	CHECK(s && strstr(s, "\"name\":\"b\",\"type\":[\"null\",\"int\"]") && ak_infer_count(inf) == 2,
	      "more values after ak_infer_schema(): %s", s ? s : err.msg);
	free(s);
	ak_infer_free(inf);

	static const char *bad_names[] = { "1x", "", "a-b", "a.b" };
	for (size_t i = 0; i < 4; i++) {
		struct ak_infer_opts b = { .name = bad_names[i] };

		ak_error_clear(&err);
		CHECK(!ak_infer_new(&b, &err) && err.code == AK_E_ARG, "name \"%s\" refused: %s",
		      bad_names[i], err.msg);
	}
	static const char *bad_spaces[] = { "a..b", ".a", "a.", "a.1b" };
	for (size_t i = 0; i < 4; i++) {
		struct ak_infer_opts b = { .space = bad_spaces[i] };

		ak_error_clear(&err);
		CHECK(!ak_infer_new(&b, &err) && err.code == AK_E_ARG, "namespace \"%s\" refused: %s",
		      bad_spaces[i], err.msg);
	}
}

static void test_errors(void)
{
	static const struct {
		const char *json;
		int code;
		unsigned long line, col;
		const char *msg;
	} bad[] = {
		{ "{\"a\":1}\n{\"a\":}", AK_E_JSON, 2, 6, "invalid JSON" },
		{ "{\"a\":1,\"a\":2}", AK_E_JSON, 1, 8, "key \"a\" appears twice" },
		{ "{\"a\":1e400}", AK_E_JSON, 1, 6, "out of range for double" },
		{ "[1,", AK_E_JSON, 1, 4, "end of input" },
		{ "{\"a\" 1}", AK_E_JSON, 1, 6, "expected ':'" },
		{ "tru", AK_E_JSON, 1, 1, "" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ak_error err = { 0 };
		char *s = infer_text(bad[i].json, NULL, 0, &err);

		CHECK(!s && err.code == bad[i].code && err.line == bad[i].line &&
		      err.column == bad[i].col && strstr(err.msg, bad[i].msg),
		      "%s: %d:%lu:%lu %s", bad[i].json, err.code, err.line, err.column, err.msg);
		free(s);
	}
	/* nesting: AK_INFER_MAX_DEPTH levels are fine, one more is not */
	for (int extra = 0; extra <= 1; extra++) {
		int n = AK_INFER_MAX_DEPTH + extra;
		struct ak_buf b = AK_BUF_INIT;
		struct ak_error err = { 0 };

		for (int k = 0; k < n; k++)
			ak_buf_append(&b, k % 2 ? "[" : "{\"a\":", k % 2 ? 1 : 5, &err);
		ak_buf_append(&b, "1", 1, &err);
		for (int k = n; k-- > 0;)
			ak_buf_append(&b, k % 2 ? "]" : "}", 1, &err);
		ak_buf_append(&b, "", 1, &err);
		char *deep = (char *)b.data;
		char *s = infer_text(deep, NULL, 0, &err);

		if (extra) {
			CHECK(!s && err.code == AK_E_LIMIT, "%d levels: too deep (%s)", n, err.msg);
		} else {
			CHECK(s != NULL, "%d levels: fine (%s)", n, err.msg);
			if (s)
				CHECK(encodes(s, deep, 0, &err), "%d levels: read back (%s)", n,
				      err.msg);
		}
		free(s);
		free(deep);
	}
	{
		struct ak_error err = { 0 };
		char *s = infer_text("[{\"a\":1}] 2", NULL, 1, &err);

		CHECK(!s && strstr(err.msg, "after the array"), "--array: nothing after it: %s",
		      err.msg);
		free(s);
		ak_error_clear(&err);
		s = infer_text("{\"a\":1}", NULL, 1, &err);
		CHECK(!s && strstr(err.msg, "must be one JSON array"), "--array: not an array: %s",
		      err.msg);
		free(s);
	}
}

static void test_notes(void)
{
	struct ak_infer_opts o = { .max_fields = 3 };
	struct ak_error err = { 0 };
	struct ak_infer *inf = ak_infer_new(&o, &err);
	struct ak_json_in j;
	const char *json = "{\"m\":{\"x-y\":1},\"w\":{\"a\":1,\"b\":1,\"c\":1,\"d\":1},"
			   "\"z\":[1,\"s\",\"NaN\"]}";
	char *s;

	ak_json_in_init_mem(&j, json, strlen(json));
	ak_infer_json_input(inf, &j, 0, &err);
	s = ak_infer_schema(inf, 0, &err);
	CHECK(s && ak_infer_note_count(inf) == 3, "three notes: %zu", ak_infer_note_count(inf));
	CHECK(ak_infer_note(inf, 0) && strcmp(ak_infer_note(inf, 0), "$.m: the key \"x-y\" is not a "
					       "valid Avro name, so the object is a map") == 0,
	      "note on the key: %s", ak_infer_note(inf, 0));
	CHECK(ak_infer_note(inf, 1) && strcmp(ak_infer_note(inf, 1), "$.w: more than 3 different "
					       "keys, so the object is a map") == 0,
	      "note on max_fields: %s", ak_infer_note(inf, 1));
	CHECK(ak_infer_note(inf, 2) && strstr(ak_infer_note(inf, 2), "$.z[*]: holds numbers and "
					       "strings"), "note on \"NaN\": %s",
	      ak_infer_note(inf, 2));
	free(s);
	ak_infer_free(inf);

	/* a key with quotes, a line end and U+0000 is shown as a JSON string, on one line */
	inf = ak_infer_new(NULL, &err);
	json = "{\"a\\\"b\\nc\\u0000d\":1}";
	ak_json_in_init_mem(&j, json, strlen(json));
	ak_infer_json_input(inf, &j, 0, &err);
	s = ak_infer_schema(inf, 0, &err);
	CHECK(ak_infer_note_count(inf) == 1 &&
	      strcmp(ak_infer_note(inf, 0), "$: the key \"a\\\"b\\nc\\u0000d\" is not a valid Avro "
		     "name, so the object is a map") == 0, "an odd key, escaped: %s",
	      ak_infer_note(inf, 0));
	free(s);
	ak_infer_free(inf);
}

/* The events give what the JSON path gives for the same values. */
static void test_events(void)
{
	struct ak_error err = { 0 };
	struct ak_infer *inf = ak_infer_new(NULL, &err);
	const char *json = "{\"id\":5,\"big\":5000000000,\"x\":1.5,\"s\":\"a\",\"t\":true,"
			   "\"n\":null,\"o\":{\"k\":[1,2]},\"arr\":[[]]}\n{\"id\":-1,\"o\":{}}";
	char *a, *b;
	int rc = AK_OK;

	/* the first record */
	rc |= ak_infer_begin_object(inf, &err);
	rc |= ak_infer_key(inf, "id", 2, &err);
	rc |= ak_infer_long(inf, 5, &err);
	rc |= ak_infer_key(inf, "big", 3, &err);
	rc |= ak_infer_long(inf, 5000000000LL, &err);
	rc |= ak_infer_key(inf, "x", 1, &err);
	rc |= ak_infer_double(inf, 1.5, &err);
	rc |= ak_infer_key(inf, "s", 1, &err);
	rc |= ak_infer_string(inf, "a", 1, &err);
	rc |= ak_infer_key(inf, "t", 1, &err);
	rc |= ak_infer_boolean(inf, 1, &err);
	rc |= ak_infer_key(inf, "n", 1, &err);
	rc |= ak_infer_null(inf, &err);
	rc |= ak_infer_key(inf, "o", 1, &err);
	rc |= ak_infer_begin_object(inf, &err);
	rc |= ak_infer_key(inf, "k", 1, &err);
	rc |= ak_infer_begin_array(inf, &err);
	rc |= ak_infer_number(inf, "1", 1, 1, &err);
	rc |= ak_infer_long(inf, 2, &err);
	rc |= ak_infer_end_array(inf, &err);
	rc |= ak_infer_end_object(inf, &err);
	rc |= ak_infer_key(inf, "arr", 3, &err);
	rc |= ak_infer_begin_array(inf, &err);
	rc |= ak_infer_begin_array(inf, &err);
	rc |= ak_infer_end_array(inf, &err);
	rc |= ak_infer_end_array(inf, &err);
	rc |= ak_infer_end_object(inf, &err);
	/* the second */
	rc |= ak_infer_begin_object(inf, &err);
	rc |= ak_infer_key(inf, "id", 2, &err);
	rc |= ak_infer_long(inf, -1, &err);
	rc |= ak_infer_key(inf, "o", 1, &err);
	rc |= ak_infer_begin_object(inf, &err);
	rc |= ak_infer_end_object(inf, &err);
	rc |= ak_infer_end_object(inf, &err);
	CHECK(rc == AK_OK && ak_infer_count(inf) == 2, "events accepted, two values (%s)", err.msg);
	a = ak_infer_schema(inf, 0, &err);
	b = infer_text(json, NULL, 0, &err);
	CHECK(a && b && strcmp(a, b) == 0, "events give the JSON path's schema:\n%s\n%s",
	      a ? a : "", b ? b : "");
	free(a);
	free(b);

	/* events out of place */
	ak_error_clear(&err);
	CHECK(ak_infer_key(inf, "k", 1, &err) == AK_E_STATE, "a key outside an object: %s", err.msg);
	CHECK(ak_infer_end_object(inf, &err) == AK_E_STATE, "an end with nothing open: %s", err.msg);
	ak_infer_begin_object(inf, &err);
	CHECK(ak_infer_long(inf, 1, &err) == AK_E_STATE, "a value where a key is due: %s", err.msg);
	CHECK(ak_infer_end_array(inf, &err) == AK_E_STATE, "the wrong end: %s", err.msg);
	CHECK(!ak_infer_schema(inf, 0, &err) && err.code == AK_E_STATE,
	      "no schema while a value is open: %s", err.msg);
	ak_infer_key(inf, "id", 2, &err);
	CHECK(ak_infer_end_object(inf, &err) == AK_E_STATE, "an end where a value is due: %s",
	      err.msg);
	ak_infer_long(inf, 1, &err);
	ak_infer_key(inf, "o", 1, &err);
	CHECK(ak_infer_key(inf, "x", 1, &err) == AK_E_STATE, "two keys in a row: %s", err.msg);
	ak_infer_null(inf, &err);
	CHECK(ak_infer_key(inf, "id", 2, &err) == AK_E_JSON, "a key twice: %s", err.msg);
	CHECK(ak_infer_number(inf, "1e999", 5, 0, &err) == AK_E_JSON,
	      "a number beyond double: %s", err.msg);
	ak_infer_free(inf);

	/* depth through the events */
	inf = ak_infer_new(NULL, &err);
	rc = AK_OK;
	for (int k = 0; k < AK_INFER_MAX_DEPTH && rc == AK_OK; k++)
		rc = ak_infer_begin_array(inf, &err);
	CHECK(rc == AK_OK && ak_infer_begin_array(inf, &err) == AK_E_LIMIT,
	      "events nested past AK_INFER_MAX_DEPTH: %s", err.msg);
	ak_infer_free(inf);
}

/* Many different keys under one object: a map, and the summary does not keep them. */
static void test_many_keys(void)
{
	struct ak_buf text = AK_BUF_INIT;
	struct ak_error err = { 0 };
	char *s;

	ak_buf_append(&text, "{", 1, &err);
	for (int i = 0; i < 5000; i++) {
		char k[32];
		int n = snprintf(k, sizeof(k), "%s\"k%d\":%d", i ? "," : "", i, i);

		ak_buf_append(&text, k, (size_t)n, &err);
	}
	ak_buf_append(&text, "}", 2, &err);
	s = infer_text((const char *)text.data, NULL, 0, &err);
	CHECK(s && strcmp(s, "{\"type\":\"map\",\"values\":\"int\"}") == 0,
	      "5000 keys in one object: a map at the default max_fields: %s", s ? s : err.msg);
	free(s);
	ak_buf_release(&text);
}

int main(void)
{
	test_cases();
	test_name_namespace_indent();
	test_errors();
	test_notes();
	test_events();
	test_many_keys();
	return tap_done();
}
