/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema inference through avrokit.h (ak_infer): JSON text from a read callback (a stream and
 * an array) and in pieces of every size (the same schema whichever way the text is cut, errors
 * at their line and column in the whole text, a value cut at the end of the text), the value
 * calls with the kinds JSON lacks (bytes, decimals, dates, times, timestamps, uuids: their
 * types, their order in a union, the precision a place needs, the finest timestamp) and the
 * pairs that cannot share a place, calls out of place, the visitor over decoded Avro data (its
 * schema then takes the data's plain JSON), the options, the notes, and a NULL error struct.
 */
#include "fixtures.h"

#define REC(fields) "{\"type\":\"record\",\"name\":\"Record\",\"fields\":[" fields "]}"

static const char ndjson[] =
	"{\"id\":1,\"name\":\"a\",\"tags\":[\"x\"],\"address\":{\"city\":\"Z\"}}\n"
	"{\"id\":3000000000,\"tags\":[],\"score\":1.5,\"name\":null}\n"
	"  {\"id\": -2,\n   \"tags\": [\"y\", \"z\"]}\n";

static const char ndjson_schema[] = REC(
	"{\"name\":\"id\",\"type\":\"long\"},"
	"{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null},"
	"{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
	"{\"name\":\"address\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Address\","
	"\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}],\"default\":null},"
	"{\"name\":\"score\",\"type\":[\"null\",\"double\"],\"default\":null}");

/* The compact schema of @inf, or "" with the error noted (free it when not ""). */
static char *schema_of(struct ak_infer *inf, struct ak_error *err)
{
	char *s = ak_infer_schema(inf, 0, err);

	return s ? s : (char *)"";
}

static void release(char *s)
{
	if (*s)
		ak_free(s);
}

static void test_options(void)
{
	struct ak_infer_opts o;
	struct ak_error err = { 0 };
	struct ak_infer *inf;
	char *s;

	memset(&o, 0x5a, sizeof(o));
	ak_infer_opts_init(&o);
	CHECK(!o.name && !o.space && o.max_fields == 1000 && !o.logical && !o.reserved[7],
	      "ak_infer_opts_init: no name, no namespace, 1000 fields, no logical types, reserved 0");
	inf = ak_infer_new(NULL, &err);
	s = schema_of(inf, &err);
	CHECK(strcmp(s, REC("")) == 0, "nothing added: a record with no fields: %s", s);
	CHECK(ak_infer_count(inf) == 0 && ak_infer_note_count(inf) == 0 && !ak_infer_note(inf, 0),
	      "no values, no notes");
	release(s);
	ak_infer_free(inf);

	o.name = "Event";
	o.space = "com.example";
	inf = ak_infer_new(&o, &err);
	ak_infer_json_chunk(inf, "{\"a\":{\"b\":1}}", 13, &err);
	ak_infer_json_end(inf, &err);
	s = ak_infer_schema(inf, 2, &err);
	CHECK(s && strcmp(s, "{\n  \"type\" : \"record\",\n  \"name\" : \"Event\",\n"
			  "  \"namespace\" : \"com.example\",\n  \"fields\" : [ {\n"
			  "    \"name\" : \"a\",\n    \"type\" : {\n      \"type\" : \"record\",\n"
			  "      \"name\" : \"A\",\n      \"fields\" : [ {\n        \"name\" : \"b\",\n"
			  "        \"type\" : \"int\"\n      } ]\n    }\n  } ]\n}") == 0,
	      "name, namespace, indent 2 as getschema lays schemas out:\n%s", s ? s : errstr(&err));
	ak_free(s);
	ak_infer_free(inf);

	static const char *const bad_names[] = { "1x", "", "a-b", "a.b" };
	for (size_t i = 0; i < 4; i++) {
		ak_infer_opts_init(&o);
		o.name = bad_names[i];
		ak_error_clear(&err);
		CHECK(!ak_infer_new(&o, &err) && err.code == AK_E_ARG, "name \"%s\" refused: %s",
		      bad_names[i], err.msg);
	}
	ak_infer_opts_init(&o);
	o.space = "a..b";
	CHECK(!ak_infer_new(&o, &err) && err.code == AK_E_ARG, "namespace a..b refused: %s",
	      err.msg);
	CHECK(!ak_infer_new(&o, NULL), "refused with a NULL error struct too");

	/* max_fields and the notes */
	ak_infer_opts_init(&o);
	o.max_fields = 2;
	inf = ak_infer_new(&o, &err);
	ak_infer_json_chunk(inf, "{\"a\":1,\"b\":2,\"c\":3}\n{\"x-y\":{}}\n", 31, &err);
	s = schema_of(inf, &err);
	CHECK(strcmp(s, "{\"type\":\"map\",\"values\":[\"int\",{\"type\":\"map\",\"values\":"
			"\"string\"}]}") == 0, "more keys than max_fields: a map: %s", s);
	CHECK(ak_infer_note_count(inf) == 1 && strstr(ak_infer_note(inf, 0), "$: more than 2") &&
	      !ak_infer_note(inf, 1), "a note says so: %s",
	      ak_infer_note_count(inf) ? ak_infer_note(inf, 0) : "none");
	release(s);
	ak_infer_free(inf);

	/* logical types in strings */
	ak_infer_opts_init(&o);
	o.logical = 1;
	inf = ak_infer_new(&o, &err);
	ak_infer_json_chunk(inf, "{\"d\":\"2024-06-06\",\"t\":\"2024-06-06T10:00:00.123456Z\","
			    "\"u\":\"123e4567-e89b-12d3-a456-426614174000\"}", 95, &err);
	ak_infer_json_end(inf, &err);
	s = schema_of(inf, &err);
	CHECK(strcmp(s, REC("{\"name\":\"d\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
			    "{\"name\":\"t\",\"type\":{\"type\":\"long\",\"logicalType\":"
			    "\"timestamp-micros\"}},{\"name\":\"u\",\"type\":{\"type\":\"string\","
			    "\"logicalType\":\"uuid\"}}")) == 0, "logical: dates, timestamps, uuids: %s",
	      s);
	release(s);
	ak_infer_free(inf);
}

static void test_read_json(void)
{
	struct ak_error err = { 0 };
	struct ak_infer *inf = ak_infer_new(NULL, &err);
	struct memsrc src;
	static const char array[] = "[{\"id\":1},\n {\"id\":2.5}]  \n";
	char *s;

	memsrc_init(&src, ndjson, strlen(ndjson), 7);
	CHECK_RC(ak_infer_read_json(inf, memsrc_read, &src, 0, &err), AK_OK, &err,
		 "a stream of values, read 7 bytes at a time");
	s = schema_of(inf, &err);
	CHECK(strcmp(s, ndjson_schema) == 0, "the schema:\n%s", s);
	CHECK(ak_infer_count(inf) == 3, "three values");
	release(s);
	ak_infer_free(inf);

	inf = ak_infer_new(NULL, &err);
	memsrc_init(&src, array, strlen(array), 3);
	CHECK_RC(ak_infer_read_json(inf, memsrc_read, &src, AK_JSON_ARRAY | AK_JSON_PLAIN, &err),
		 AK_OK, &err, "AK_JSON_ARRAY: one array of values");
	s = schema_of(inf, &err);
	CHECK(strcmp(s, REC("{\"name\":\"id\",\"type\":\"double\"}")) == 0 &&
	      ak_infer_count(inf) == 2, "its items are the values: %s", s);
	release(s);
	memsrc_init(&src, "{}", 2, 3);
	CHECK_RC(ak_infer_read_json(inf, memsrc_read, &src, AK_JSON_ARRAY, &err), AK_E_JSON, &err,
		 "AK_JSON_ARRAY without an array");
	memsrc_init(&src, ndjson, strlen(ndjson), 4096);
	src.fail_at = 10;
	CHECK_RC(ak_infer_read_json(inf, memsrc_read, &src, 0, &err), AK_E_IO, &err,
		 "a read that fails");
	CHECK(err.sys_errno == EIO, "with its errno");
	CHECK_RC(ak_infer_read_json(inf, NULL, &src, 0, &err), AK_E_ARG, &err, "no read callback");
	CHECK_RC(ak_infer_read_json(NULL, memsrc_read, &src, 0, &err), AK_E_ARG, &err,
		 "no inferer");
	memsrc_init(&src, "{\"a\":1}\n{\"a\":\n", 14, 4096);
	CHECK_RC(ak_infer_read_json(inf, memsrc_read, &src, 0, NULL), AK_E_JSON, NULL,
		 "a NULL error struct: the status alone");
	ak_infer_free(inf);
}

/* @text in pieces of @size bytes, then the end; the schema, or "". */
static char *chunked(const char *text, size_t size, int *rc, struct ak_error *err)
{
	struct ak_infer *inf = ak_infer_new(NULL, err);
	size_t len = strlen(text);
	char *s = (char *)"";

	*rc = AK_OK;
	for (size_t at = 0; at < len && *rc == AK_OK; at += size)
		*rc = ak_infer_json_chunk(inf, text + at, at + size > len ? len - at : size, err);
	if (*rc == AK_OK)
		*rc = ak_infer_json_end(inf, err);
	if (*rc == AK_OK)
		s = schema_of(inf, err);
	ak_infer_free(inf);
	return s;
}

static void test_chunks(void)
{
	struct ak_error err = { 0 };
	struct ak_infer *inf;
	char *s;
	int rc, same = 1;
	size_t bad = 0;

	/* every piece size, from one byte to the whole text */
	for (size_t size = 1; size <= sizeof(ndjson); size++) {
		s = chunked(ndjson, size, &rc, &err);
		if (rc != AK_OK || strcmp(s, ndjson_schema) != 0) {
			same = 0;
			bad = size;
		}
		release(s);
	}
	CHECK(same, "the same schema for pieces of every size (differs at %zu)", bad);

	/* values cut in strings, escapes, numbers and literals, and top-level scalars */
	static const char mixed[] = "\"a\\\"}b\" 12345 true null [1,{\"k\\u0041\":-7.5e3}] "
				    "{\"x\":\"}]\"} 42";
	same = 1;
	for (size_t size = 1; size <= sizeof(mixed); size++) {
		struct ak_error e2 = { 0 };
		char *whole = chunked(mixed, sizeof(mixed), &rc, &e2);

		s = chunked(mixed, size, &rc, &err);
		if (rc != AK_OK || strcmp(s, whole) != 0 || !*s) {
			same = 0;
			bad = size;
		}
		release(s);
		release(whole);
	}
	CHECK(same, "top-level scalars and brackets in strings, cut anywhere (differs at %zu)",
	      bad);
	inf = ak_infer_new(NULL, &err);
	ak_infer_json_chunk(inf, mixed, strlen(mixed), &err);
	CHECK(ak_infer_count(inf) == 6, "the value the text ends with waits for the end: %llu",
	      (unsigned long long)ak_infer_count(inf));
	ak_infer_json_end(inf, &err);
	CHECK(ak_infer_count(inf) == 7, "and counts then");
	s = schema_of(inf, &err);
	CHECK(strcmp(s, "[\"null\",\"boolean\",\"int\",\"string\",{\"type\":\"array\",\"items\":"
			"[\"int\",{\"type\":\"record\",\"name\":\"Record\",\"fields\":[{\"name\":"
			"\"kA\",\"type\":\"double\"}]}]},{\"type\":\"record\",\"name\":\"Record2\","
			"\"fields\":[{\"name\":\"x\",\"type\":\"string\"}]}]") == 0,
	      "their schema: %s", s);
	release(s);
	/* after the end a new text begins */
	CHECK_RC(ak_infer_json_chunk(inf, "1", 1, &err), AK_OK, &err, "a new text");
	CHECK_RC(ak_infer_json_end(inf, &err), AK_OK, &err, "ended");
	CHECK(ak_infer_count(inf) == 8, "one more value");
	ak_infer_free(inf);

	/* an error: its line and column in the whole text, whatever the pieces */
	static const char broken[] = "{\"a\":1}\n{\"a\":2}\n{\"a\" 3}\n{\"a\":4}\n";
	same = 1;
	for (size_t size = 1; size <= sizeof(broken); size++) {
		inf = ak_infer_new(NULL, &err);
		rc = AK_OK;
		for (size_t at = 0; at < strlen(broken) && rc == AK_OK; at += size)
			rc = ak_infer_json_chunk(inf, broken + at, at + size > strlen(broken)
					     ? strlen(broken) - at : size, &err);
		if (rc == AK_OK)
			rc = ak_infer_json_end(inf, &err);
		if (rc != AK_E_JSON || err.line != 3 || err.column != 6) {
			same = 0;
			bad = size;
		}
		ak_infer_free(inf);
	}
	CHECK(same, "a JSON error at line 3, column 6 for pieces of every size (not at %zu: %s)",
	      bad, errstr(&err));

	inf = ak_infer_new(NULL, &err);
	CHECK_RC(ak_infer_json_chunk(inf, "{\"a\" 3}\n", 8, &err), AK_E_JSON, &err, "an error");
	ak_error_clear(&err);
	CHECK_RC(ak_infer_json_chunk(inf, "{\"a\":1}\n", 8, &err), AK_E_JSON, &err,
		 "returned again by the next piece");
	CHECK(err.line == 1 && strstr(err.msg, "':'"), "the same error: %s", errstr(&err));
	CHECK_RC(ak_infer_json_end(inf, &err), AK_E_JSON, &err, "and by the end");
	CHECK_RC(ak_infer_json_chunk(inf, "{\"a\":1}\n", 8, &err), AK_OK, &err,
		 "after the end, a new text");
	ak_infer_free(inf);

	inf = ak_infer_new(NULL, &err);
	CHECK_RC(ak_infer_json_chunk(inf, "{\"a\":[1,\n2", 10, &err), AK_OK, &err,
		 "a value not complete yet");
	CHECK_RC(ak_infer_json_end(inf, &err), AK_E_JSON, &err, "the text ends inside it");
	CHECK(err.line == 2, "at the end of the text: %s", errstr(&err));
	CHECK_RC(ak_infer_json_chunk(inf, NULL, 3, &err), AK_E_ARG, &err, "NULL text");
	CHECK_RC(ak_infer_json_chunk(inf, NULL, 0, &err), AK_OK, &err, "no text");
	CHECK_RC(ak_infer_json_chunk(NULL, "1", 1, &err), AK_E_ARG, &err, "no inferer");
	CHECK_RC(ak_infer_json_end(NULL, &err), AK_E_ARG, &err, "no inferer at the end");
	CHECK_RC(ak_infer_json_chunk(inf, "}", 1, NULL), AK_E_JSON, NULL, "a NULL error struct");
	ak_infer_free(inf);
}

static void test_kinds(void)
{
	struct ak_error err = { 0 };
	struct ak_infer *inf = ak_infer_new(NULL, &err);
	int rc = 0;
	char *s;

	/* kinds at one place, in the order a union has them */
	rc |= ak_infer_begin_array(inf, &err);
	rc |= ak_infer_null(inf, &err);
	rc |= ak_infer_boolean(inf, 1, &err);
	rc |= ak_infer_double(inf, 0.5, &err);
	rc |= ak_infer_logical(inf, AK_LT_TIMESTAMP_MILLIS, &err);
	rc |= ak_infer_logical(inf, AK_LT_TIMESTAMP_MICROS, &err);
	rc |= ak_infer_logical(inf, AK_LT_DATE, &err);
	rc |= ak_infer_string(inf, "s", 1, &err);
	rc |= ak_infer_bytes(inf, "\0", 1, &err);
	rc |= ak_infer_begin_array(inf, &err);
	rc |= ak_infer_end_array(inf, &err);
	rc |= ak_infer_end_array(inf, &err);
	CHECK(rc == AK_OK && ak_infer_count(inf) == 1, "values of many kinds (%s)", err.msg);
	s = schema_of(inf, &err);
	CHECK(strcmp(s, "{\"type\":\"array\",\"items\":[\"null\",\"boolean\",\"double\","
			"{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"},"
			"{\"type\":\"int\",\"logicalType\":\"date\"},\"string\",\"bytes\","
			"{\"type\":\"array\",\"items\":\"string\"}]}") == 0,
	      "a union in the order null, boolean, number, timestamp, date, string, bytes, array; "
	      "the finest timestamps: %s", s);
	release(s);
	ak_infer_free(inf);
	inf = ak_infer_new(NULL, &err);
	rc = ak_infer_begin_array(inf, &err);
	rc |= ak_infer_logical(inf, AK_LT_UUID, &err);
	rc |= ak_infer_logical(inf, AK_LT_TIME_MILLIS, &err);
	rc |= ak_infer_logical(inf, AK_LT_LOCAL_TIMESTAMP_NANOS, &err);
	rc |= ak_infer_logical(inf, AK_LT_LOCAL_TIMESTAMP_MILLIS, &err);
	rc |= ak_infer_end_array(inf, &err);
	s = schema_of(inf, &err);
	CHECK(rc == AK_OK && strcmp(s, "{\"type\":\"array\",\"items\":["
				    "{\"type\":\"long\",\"logicalType\":\"local-timestamp-nanos\"},"
				    "{\"type\":\"int\",\"logicalType\":\"time-millis\"},"
				    "{\"type\":\"string\",\"logicalType\":\"uuid\"}]}") == 0,
	      "local timestamps, then times, then uuids: %s", s);
	release(s);
	ak_infer_free(inf);

	/* decimals: the precision and scale the place needs */
	inf = ak_infer_new(NULL, &err);
	rc = ak_infer_begin_object(inf, &err);
	rc |= ak_infer_key(inf, "d", 1, &err);
	rc |= ak_infer_decimal(inf, 5, 2, &err);         /* 123.45 */
	rc |= ak_infer_key(inf, "u", 1, &err);
	rc |= ak_infer_logical(inf, AK_LT_UUID, &err);
	rc |= ak_infer_key(inf, "t", 1, &err);
	rc |= ak_infer_logical(inf, AK_LT_TIME_MILLIS, &err);
	rc |= ak_infer_end_object(inf, &err);
	rc |= ak_infer_begin_object(inf, &err);
	rc |= ak_infer_key(inf, "d", 1, &err);
	rc |= ak_infer_decimal(inf, 4, 4, &err);         /* 0.1234 */
	rc |= ak_infer_key(inf, "t", 1, &err);
	rc |= ak_infer_logical(inf, AK_LT_TIME_MICROS, &err);
	rc |= ak_infer_end_object(inf, &err);
	rc |= ak_infer_begin_object(inf, &err);
	rc |= ak_infer_key(inf, "d", 1, &err);
	rc |= ak_infer_decimal(inf, 6, 0, &err);         /* 123456 */
	rc |= ak_infer_end_object(inf, &err);
	s = schema_of(inf, &err);
	CHECK(rc == AK_OK && strcmp(s, REC("{\"name\":\"d\",\"type\":{\"type\":\"bytes\","
					   "\"logicalType\":\"decimal\",\"precision\":10,"
					   "\"scale\":4}},{\"name\":\"u\",\"type\":[\"null\","
					   "{\"type\":\"string\",\"logicalType\":\"uuid\"}],"
					   "\"default\":null},{\"name\":\"t\",\"type\":[\"null\","
					   "{\"type\":\"long\",\"logicalType\":\"time-micros\"}],"
					   "\"default\":null}")) == 0,
	      "a decimal's digits before and after the point, each the most seen; times in "
	      "micros when one was: %s", s);
	release(s);
	CHECK_RC(ak_infer_decimal(inf, 0, 0, &err), AK_E_ARG, &err, "a decimal of no digits");
	CHECK_RC(ak_infer_decimal(inf, 2, 3, &err), AK_E_ARG, &err, "a scale above the precision");
	CHECK_RC(ak_infer_decimal(inf, 1000001, 0, &err), AK_E_LIMIT, &err,
		 "a precision above 1000000");
	CHECK_RC(ak_infer_logical(inf, AK_LT_DECIMAL, &err), AK_E_ARG, &err,
		 "ak_infer_logical() does not take decimals");
	CHECK_RC(ak_infer_logical(inf, AK_LT_DURATION, &err), AK_E_ARG, &err, "nor durations");
	CHECK_RC(ak_infer_logical(inf, (enum ak_logical)99, &err), AK_E_ARG, &err,
		 "nor what is no logical type");
	CHECK_RC(ak_infer_bytes(inf, NULL, 2, &err), AK_E_ARG, &err, "NULL bytes with a length");
	CHECK_RC(ak_infer_string(inf, NULL, 2, &err), AK_E_ARG, &err, "a NULL string");
	CHECK(ak_infer_count(inf) == 3, "the refused values did not count");
	ak_infer_free(inf);

	/* kinds that are one Avro type cannot share a place */
	static const struct {
		enum ak_logical a, b; /* AK_LT_NONE: a number (a long, or an int), or a string */
		int a_long, b_string;
		const char *what;
	} clash[] = {
		{ AK_LT_NONE, AK_LT_TIMESTAMP_MICROS, 1, 0, "numbers and timestamps" },
		{ AK_LT_NONE, AK_LT_DATE, 0, 0, "numbers and dates" },
		{ AK_LT_TIMESTAMP_MILLIS, AK_LT_LOCAL_TIMESTAMP_MILLIS, 0, 0,
		  "timestamps and local timestamps" },
		{ AK_LT_TIME_MICROS, AK_LT_LOCAL_TIMESTAMP_MICROS, 0, 0,
		  "local timestamps and times" },
		{ AK_LT_UUID, AK_LT_NONE, 0, 1, "strings and uuids" },
	};
	for (size_t i = 0; i < sizeof(clash) / sizeof(clash[0]); i++) {
		inf = ak_infer_new(NULL, &err);
		ak_infer_begin_object(inf, &err);
		ak_infer_key(inf, "when", 4, &err);
		if (clash[i].a != AK_LT_NONE)
			ak_infer_logical(inf, clash[i].a, &err);
		else
			ak_infer_long(inf, clash[i].a_long ? INT64_MAX : 7, &err);
		ak_infer_end_object(inf, &err);
		ak_infer_begin_object(inf, &err);
		ak_infer_key(inf, "when", 4, &err);
		if (clash[i].b_string)
			ak_infer_string(inf, "x", 1, &err);
		else
			ak_infer_logical(inf, clash[i].b, &err);
		ak_infer_end_object(inf, &err);
		ak_error_clear(&err);
		s = ak_infer_schema(inf, 0, &err);
		CHECK(!s && err.code == AK_E_VALUE && strstr(err.msg, "$.when: holds ") &&
		      strstr(err.msg, clash[i].what), "%s at one place: %s", clash[i].what, err.msg);
		ak_free(s);
		ak_infer_free(inf);
	}
	inf = ak_infer_new(NULL, &err);
	ak_infer_logical(inf, AK_LT_TIME_MICROS, &err);
	ak_infer_long(inf, 5, &err); /* an int: not the times' long */
	ak_infer_logical(inf, AK_LT_TIMESTAMP_MILLIS, &err);
	ak_infer_bytes(inf, "", 0, &err);
	ak_infer_decimal(inf, 3, 1, &err);
	CHECK(!ak_infer_schema(inf, 0, &err) && err.code == AK_E_VALUE &&
	      strstr(err.msg, "$: holds timestamps and times, which are both long"),
	      "the first pair that clashes: %s", err.msg);
	ak_infer_free(inf);
	inf = ak_infer_new(NULL, &err);
	ak_infer_long(inf, 5, &err);
	ak_infer_logical(inf, AK_LT_TIMESTAMP_MILLIS, &err);
	ak_infer_logical(inf, AK_LT_TIME_MICROS, &err);
	CHECK(!ak_infer_schema(inf, 0, NULL), "a clash with a NULL error struct");
	ak_infer_free(inf);
	inf = ak_infer_new(NULL, &err);
	ak_infer_long(inf, 5, &err);
	ak_infer_logical(inf, AK_LT_TIMESTAMP_MILLIS, &err);
	s = schema_of(inf, &err);
	CHECK(strcmp(s, "[\"int\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}]") == 0,
	      "ints and timestamps are int and long: %s", s);
	release(s);
	ak_infer_free(inf);
}

static void test_out_of_place(void)
{
	struct ak_error err = { 0 };
	struct ak_infer *inf = ak_infer_new(NULL, &err);

	ak_error_clear(&err);
	CHECK_RC(ak_infer_key(inf, "k", 1, &err), AK_E_STATE, &err, "a key outside an object");
	CHECK_RC(ak_infer_end_object(inf, &err), AK_E_STATE, &err, "an end with nothing open");
	ak_infer_begin_object(inf, &err);
	CHECK_RC(ak_infer_long(inf, 1, &err), AK_E_STATE, &err, "a value where a key is due");
	CHECK_RC(ak_infer_end_array(inf, &err), AK_E_STATE, &err, "the wrong end");
	CHECK(!ak_infer_schema(inf, 0, &err) && err.code == AK_E_STATE,
	      "no schema while a value is open: %s", err.msg);
	ak_infer_key(inf, "id", 2, &err);
	CHECK_RC(ak_infer_end_object(inf, &err), AK_E_STATE, &err, "an end where a value is due");
	CHECK_RC(ak_infer_key(inf, "x", 1, &err), AK_E_STATE, &err, "two keys in a row");
	ak_infer_null(inf, &err);
	CHECK_RC(ak_infer_key(inf, "id", 2, &err), AK_E_JSON, &err, "a key twice");
	CHECK_RC(ak_infer_key(inf, NULL, 1, &err), AK_E_ARG, &err, "a NULL key with a length");
	CHECK_RC(ak_infer_key(inf, "q", 1, NULL), AK_OK, NULL, "a NULL error struct");
	CHECK_RC(ak_infer_begin_object(inf, NULL), AK_OK, NULL, "an object");
	CHECK_RC(ak_infer_long(inf, 1, NULL), AK_E_STATE, NULL,
		 "out of place with a NULL error struct");
	CHECK(ak_infer_count(inf) == 0, "nothing complete");
	ak_infer_free(inf);

	CHECK_RC(ak_infer_null(NULL, &err), AK_E_ARG, &err, "no inferer");
	CHECK_RC(ak_infer_begin_array(NULL, &err), AK_E_ARG, &err, "no inferer for an array");
	CHECK_RC(ak_infer_end_array(NULL, &err), AK_E_ARG, &err, "no inferer for its end");
	CHECK_RC(ak_infer_key(NULL, "a", 1, &err), AK_E_ARG, &err, "no inferer for a key");
	CHECK(!ak_infer_schema(NULL, 0, &err) && err.code == AK_E_ARG, "no inferer, no schema");
	CHECK(ak_infer_count(NULL) == 0 && ak_infer_note_count(NULL) == 0 &&
	      !ak_infer_note(NULL, 0), "the counts of no inferer are 0");
	ak_infer_free(NULL);

	/* depth */
	inf = ak_infer_new(NULL, &err);
	int rc = AK_OK;

	for (int k = 0; k < 100 && rc == AK_OK; k++)
		rc = ak_infer_begin_array(inf, &err);
	CHECK(rc == AK_OK, "100 levels");
	CHECK_RC(ak_infer_begin_object(inf, &err), AK_E_LIMIT, &err, "not 101");
	ak_infer_free(inf);
}

/* ---- the visitor over decoded Avro data ---- */

static void test_visitor(void)
{
	struct ak_error err = { 0 };
	struct ak_schema *s = ak_schema_parse(all_schema, strlen(all_schema), 0, &err), *is = NULL;
	struct ak_decoder_opts dopt;
	struct ak_decoder *d, *dj = NULL;
	struct ak_encoder_opts eopt;
	struct ak_encoder *e = NULL;
	struct ak_random *r;
	struct ak_infer *inf = ak_infer_new(NULL, &err);
	struct membuf json = MEMBUF_INIT;
	static struct bin b;
	const void *data;
	size_t len, used;
	char *text;
	int rc;

	d = ak_decoder_new(s, NULL, &err);
	all_datum(&b);
	CHECK_RC(ak_decode(d, b.b, b.n, &used, ak_infer_visitor(), inf, &err), AK_OK, &err,
		 "the fixture's datum through ak_infer_visitor()");
	text = schema_of(inf, &err);
	CHECK(strcmp(text, REC(
		"{\"name\":\"n\",\"type\":[\"null\",\"string\"],\"default\":null},"
		"{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"i\",\"type\":\"int\"},"
		"{\"name\":\"l\",\"type\":\"long\"},{\"name\":\"f\",\"type\":\"double\"},"
		"{\"name\":\"d\",\"type\":\"double\"},{\"name\":\"by\",\"type\":\"bytes\"},"
		"{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"e\",\"type\":\"string\"},"
		"{\"name\":\"x\",\"type\":\"bytes\"},"
		"{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
		"{\"name\":\"m\",\"type\":{\"type\":\"record\",\"name\":\"M\",\"fields\":["
		"{\"name\":\"k\",\"type\":\"int\"}]}},"
		"{\"name\":\"u\",\"type\":\"string\"},"
		"{\"name\":\"date\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
		"{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
		"{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
		"\"precision\":5,\"scale\":2}},"
		"{\"name\":\"id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
		"{\"name\":\"sub\",\"type\":{\"type\":\"record\",\"name\":\"Sub\",\"fields\":["
		"{\"name\":\"z\",\"type\":\"int\"}]}},"
		"{\"name\":\"o\",\"type\":{\"type\":\"record\",\"name\":\"O\",\"fields\":["
		"{\"name\":\"z\",\"type\":\"int\"}]}}")) == 0,
	      "records and maps are objects, enums strings, fixed bytes, logical types "
	      "themselves:\n%s", text);
	release(text);
	ak_infer_free(inf);

	/* random data of the schema: the inferred schema takes its plain JSON */
	inf = ak_infer_new(NULL, &err);
	r = ak_random_new(s, NULL, &err);
	rc = ak_random_next(r, 200, &data, &len, &err);
	for (size_t at = 0; rc == AK_OK && at < len; at += used)
		rc = ak_decode(d, (const char *)data + at, len - at, &used, ak_infer_visitor(), inf,
			       &err);
	CHECK(rc == AK_OK && ak_infer_count(inf) == 200, "200 random datums inferred (%s)",
	      errstr(&err));
	text = schema_of(inf, &err);
	CHECK(*text && (is = ak_schema_parse(text, strlen(text), 0, &err)),
	      "their schema parses: %s", text);
	ak_decoder_opts_init(&dopt);
	dopt.json_flags = AK_JSON_PLAIN;
	ak_encoder_opts_init(&eopt);
	eopt.json_flags = AK_JSON_PLAIN;
	if (is) {
		dj = ak_decoder_new(s, &dopt, &err);
		e = ak_encoder_new(is, &eopt, &err);
	}
	rc = dj && e ? AK_OK : AK_E_ARG;
	for (size_t at = 0, n = 0; rc == AK_OK && at < len; at += used, n++) {
		membuf_clear(&json);
		rc = ak_decode_json(dj, (const char *)data + at, len - at, &used, membuf_write,
				    &json, &err);
		if (rc == AK_OK)
			rc = ak_encode_json(e, membuf_str(&json), json.len, NULL, &err);
		if (rc != AK_OK)
			tap_note("datum %zu: %s", n, membuf_str(&json));
	}
	CHECK_RC(rc, AK_OK, &err, "every datum's plain JSON fits the inferred schema");
	release(text);
	ak_encoder_free(e);
	ak_decoder_free(dj);
	ak_schema_free(is);
	ak_random_free(r);
	ak_infer_free(inf);

	/* a map with a key twice stops the decoding */
	{
		static const char ms[] = "{\"type\":\"map\",\"values\":\"int\"}";
		struct ak_schema *m = ak_schema_parse(ms, strlen(ms), 0, &err);
		struct ak_decoder *md = ak_decoder_new(m, NULL, &err);
		static struct bin mb;

		bin_long(&mb, 2);
		bin_str(&mb, "k", 1);
		bin_long(&mb, 1);
		bin_str(&mb, "k", 1);
		bin_long(&mb, 2);
		bin_long(&mb, 0);
		inf = ak_infer_new(NULL, &err);
		CHECK_RC(ak_decode(md, mb.b, mb.n, &used, ak_infer_visitor(), inf, &err), AK_E_JSON,
			 &err, "a map datum with a key twice");
		ak_infer_free(inf);
		ak_decoder_free(md);
		ak_schema_free(m);
	}
	membuf_free(&json);
	ak_decoder_free(d);
	ak_schema_free(s);
}

int main(void)
{
	test_options();
	test_read_json();
	test_chunks();
	test_kinds();
	test_out_of_place();
	test_visitor();
	return tap_done();
}
