/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text helpers (text.h) and field defaults (default.h): UTF-8 sequences at the edges of
 * validity, code points written back, the Latin-1 form of bytes, and defaults checked and
 * written as binary by the one walk (union rules, NaN strings, fixed sizes, nested records
 * whose fields fall back on their own defaults).
 */
#include "ak.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static const char *hex(const unsigned char *p, size_t n)
{
	static char out[3 * 64 + 1];
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && k + 4 < sizeof(out); i++)
		k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%02x", i ? " " : "", p[i]);
	return out;
}

static void test_utf8_seq(void)
{
	static const struct {
		const char *what, *s;
		size_t n, want;
	} cases[] = {
		{ "U+0080", "\xc2\x80", 2, 2 },
		{ "U+07FF", "\xdf\xbf", 2, 2 },
		{ "overlong 2-byte C0 80", "\xc0\x80", 2, 0 },
		{ "overlong 2-byte C1 BF", "\xc1\xbf", 2, 0 },
		{ "lone continuation", "\x80", 1, 0 },
		{ "2-byte cut short", "\xc3", 1, 0 },
		{ "bad continuation", "\xc3\x41", 2, 0 },
		{ "U+0800", "\xe0\xa0\x80", 3, 3 },
		{ "overlong 3-byte", "\xe0\x9f\xbf", 3, 0 },
		{ "U+D7FF", "\xed\x9f\xbf", 3, 3 },
		{ "surrogate U+D800", "\xed\xa0\x80", 3, 0 },
		{ "surrogate U+DFFF", "\xed\xbf\xbf", 3, 0 },
		{ "U+FFFF", "\xef\xbf\xbf", 3, 3 },
		{ "3-byte cut short", "\xe2\x82", 2, 0 },
		{ "U+10000", "\xf0\x90\x80\x80", 4, 4 },
		{ "overlong 4-byte", "\xf0\x8f\xbf\xbf", 4, 0 },
		{ "U+10FFFF", "\xf4\x8f\xbf\xbf", 4, 4 },
		{ "above U+10FFFF", "\xf4\x90\x80\x80", 4, 0 },
		{ "F5 lead", "\xf5\x80\x80\x80", 4, 0 },
		{ "4-byte cut short", "\xf0\x9f\x98", 3, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t got = ak_utf8_seq((const unsigned char *)cases[i].s, cases[i].n);

		CHECK(got == cases[i].want, "ak_utf8_seq: %s is %zu bytes (got %zu)", cases[i].what,
		      cases[i].want, got);
	}
	CHECK(ak_utf8_valid((const unsigned char *)"a\xc3\xa9z\xe2\x82\xac\xf0\x9f\x98\x80", 12),
	      "ak_utf8_valid: ASCII, 2, 3 and 4-byte characters");
	CHECK(ak_utf8_valid((const unsigned char *)"", 0), "ak_utf8_valid: the empty string");
	CHECK(!ak_utf8_valid((const unsigned char *)"ok\xed\xa0\x80", 5),
	      "ak_utf8_valid: a surrogate after ASCII is refused");
	CHECK(!ak_utf8_valid((const unsigned char *)"ok\xe2\x82", 4),
	      "ak_utf8_valid: a sequence cut at the end is refused");
}

static void test_utf8_put(void)
{
	static const uint32_t cps[] = { 0, 0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xd7ff,
					0xe000, 0xffff, 0x10000, 0x1f600, 0x10ffff };
	size_t bad = 0;
	uint32_t first = 0;

	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		unsigned char o[4];
		size_t n = ak_utf8_put(o, cps[i]);
		size_t want = cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4;

		if (n != want || (n > 1 && ak_utf8_seq(o, n) != n)) {
			if (!bad++)
				first = cps[i];
		}
	}
	CHECK(bad == 0, "ak_utf8_put: every code point takes its length and reads back as valid "
	      "(%zu bad, first U+%04X)", bad, (unsigned)first);
	{
		unsigned char o[4];
		size_t n = ak_utf8_put(o, 0x20ac);

		CHECK(n == 3 && memcmp(o, "\xe2\x82\xac", 3) == 0, "ak_utf8_put: U+20AC is E2 82 AC "
		      "(got %s)", hex(o, n));
	}
}

static void test_latin1(void)
{
	struct ak_buf b = AK_BUF_INIT;
	struct ak_error err;
	size_t count = 0;
	int rc;

	rc = ak_latin1_from_utf8((const unsigned char *)"A\xc2\x80\xc3\xbf\x00z", 7, &b, &count,
				 &err);
	CHECK(rc == AK_OK && count == 5 && b.len == 5 && memcmp(b.data, "A\x80\xff\x00z", 5) == 0,
	      "ak_latin1_from_utf8: U+0041 U+0080 U+00FF U+0000 U+007A are five bytes (rc %d, "
	      "count %zu, %s)", rc, count, hex(b.data, b.len));
	b.len = 0;
	rc = ak_latin1_from_utf8((const unsigned char *)"ab\xc4\x80", 4, &b, &count, &err);
	CHECK(rc == 1, "ak_latin1_from_utf8: U+0100 is not a byte (rc %d)", rc);
	rc = ak_latin1_from_utf8((const unsigned char *)"\xc3", 1, NULL, &count, &err);
	CHECK(rc == 1, "ak_latin1_from_utf8: a cut sequence is refused (rc %d)", rc);
	rc = ak_latin1_from_utf8((const unsigned char *)"\xc3\x41", 2, NULL, &count, &err);
	CHECK(rc == 1, "ak_latin1_from_utf8: a lead byte without its continuation (rc %d)", rc);
	count = 99;
	rc = ak_latin1_from_utf8((const unsigned char *)"x\xc3\xa9", 3, NULL, &count, &err);
	CHECK(rc == AK_OK && count == 2, "ak_latin1_from_utf8: counting alone (rc %d, count %zu)",
	      rc, count);
	ak_buf_release(&b);
}

/* ---- defaults ---- */

/* The node of field @name of the record schema @s. */
static const struct ak_node *field_type(const struct ak_schema *s, const char *name)
{
	const struct ak_node *r = ak_schema_root(s);

	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return r->fields[i].type;
	return NULL;
}

struct fit_case {
	const char *what, *type, *value;
	int any, first; /* fits with any branch; with the first-branch rule */
	const char *bin; /* its binary (hex, spaces between bytes), when it fits */
};

static void check_fit(const struct fit_case *c)
{
	char schema[1024];
	struct ak_error err;
	struct ak_schema *s;
	const struct ak_node *n;
	json_t *v;
	json_error_t je;

	snprintf(schema, sizeof(schema),
		 "{\"type\": \"record\", \"name\": \"R\", \"fields\": [{\"name\": \"f\", \"type\": %s}]}",
		 c->type);
	s = ak_schema_parse(schema, strlen(schema), 0, &err);
	v = json_loads(c->value, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!CHECK(s && v, "%s: the schema and the value parse (%s)", c->what,
		   s ? je.text : ERRSTR(&err))) {
		ak_schema_free(s);
		json_decref(v);
		return;
	}
	n = field_type(s, "f");
	CHECK(ak_default_fits(n, v, 0) == c->any, "%s: %s fits %s with any union branch: %s",
	      c->what, c->value, c->type, c->any ? "yes" : "no");
	CHECK(ak_default_fits(n, v, 1) == c->first, "%s: with the first-branch rule: %s", c->what,
	      c->first ? "yes" : "no");
	{
		struct ak_buf b = AK_BUF_INIT;
		int rc = ak_encode_default(n, v, &b, &err);

		if (c->any)
			CHECK(rc == AK_OK && strcmp(hex(b.data, b.len), c->bin) == 0,
			      "%s: written as %s (rc %d, got %s)", c->what, c->bin, rc,
			      hex(b.data, b.len));
		else
			CHECK(rc == AK_E_SCHEMA && strstr(err.msg, "does not fit"),
			      "%s: writing it fails with AK_E_SCHEMA (rc %d: %s)", c->what, rc,
			      rc ? err.msg : "");
		ak_buf_release(&b);
	}
	json_decref(v);
	ak_schema_free(s);
}

static void test_defaults(void)
{
	static const struct fit_case cases[] = {
		{ "null", "\"null\"", "null", 1, 1, "" },
		{ "boolean", "\"boolean\"", "true", 1, 1, "01" },
		{ "int", "\"int\"", "-1", 1, 1, "01" },
		{ "int out of range", "\"int\"", "2147483648", 0, 0, NULL },
		{ "long beyond int", "\"long\"", "2147483648", 1, 1, "80 80 80 80 10" },
		{ "int given a real", "\"int\"", "1.5", 0, 0, NULL },
		{ "float", "\"float\"", "1.5", 1, 1, "00 00 c0 3f" },
		{ "double NaN string", "\"double\"", "\"NaN\"", 1, 1, "00 00 00 00 00 00 f8 7f" },
		{ "double -Infinity", "\"double\"", "\"-Infinity\"", 1, 1, "00 00 00 00 00 00 f0 ff" },
		{ "double nan as Python spells it", "\"double\"", "\"nan\"", 1, 1,
		  "00 00 00 00 00 00 f8 7f" },
		{ "double -inf as Python spells it", "\"double\"", "\"-inf\"", 1, 1,
		  "00 00 00 00 00 00 f0 ff" },
		{ "double other string", "\"double\"", "\"nope\"", 0, 0, NULL },
		{ "string", "\"string\"", "\"h\\u00e9\"", 1, 1, "06 68 c3 a9" },
		{ "bytes as Latin-1", "\"bytes\"", "\"\\u0000\\u00ff\"", 1, 1, "04 00 ff" },
		{ "bytes above U+00FF", "\"bytes\"", "\"\\u0100\"", 0, 0, NULL },
		{ "fixed of its size", "{\"type\": \"fixed\", \"name\": \"F\", \"size\": 2}",
		  "\"a\\u00ff\"", 1, 1, "61 ff" },
		{ "fixed too short", "{\"type\": \"fixed\", \"name\": \"F\", \"size\": 2}", "\"a\"",
		  0, 0, NULL },
		{ "enum symbol", "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\", \"B\"]}",
		  "\"B\"", 1, 1, "02" },
		{ "enum non-symbol",
		  "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\", \"B\"]}", "\"C\"", 0, 0,
		  NULL },
		{ "array", "{\"type\": \"array\", \"items\": \"int\"}", "[1, 2]", 1, 1, "04 02 04 00" },
		{ "empty array", "{\"type\": \"array\", \"items\": \"int\"}", "[]", 1, 1, "00" },
		{ "array with a bad item", "{\"type\": \"array\", \"items\": \"int\"}", "[1, \"x\"]", 0,
		  0, NULL },
		{ "map", "{\"type\": \"map\", \"values\": \"long\"}", "{\"k\": 3}", 1, 1,
		  "02 02 6b 06 00" },
		{ "union, first branch", "[\"null\", \"int\"]", "null", 1, 1, "00" },
		{ "union, second branch", "[\"null\", \"int\"]", "5", 1, 0, "02 0a" },
		{ "union, no branch", "[\"null\", \"int\"]", "\"x\"", 0, 0, NULL },
		{ "record field with its own default",
		  "{\"type\": \"record\", \"name\": \"In\", \"fields\": [{\"name\": \"a\", \"type\": "
		  "\"int\"}, {\"name\": \"b\", \"type\": \"string\", \"default\": \"d\"}]}",
		  "{\"a\": 1}", 1, 1, "02 02 64" },
		{ "record field missing, no default",
		  "{\"type\": \"record\", \"name\": \"In\", \"fields\": [{\"name\": \"a\", \"type\": "
		  "\"int\"}]}", "{}", 0, 0, NULL },
		{ "union inside an array, later branch",
		  "{\"type\": \"array\", \"items\": [\"null\", \"string\"]}", "[null, \"s\"]", 1, 0,
		  "04 00 02 02 73 00" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_fit(&cases[i]);
}

int main(void)
{
	test_utf8_seq();
	test_utf8_put();
	test_latin1();
	test_defaults();
	return tap_done();
}
