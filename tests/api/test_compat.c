/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema compatibility through avrokit.h: ak_schema_compatibility() lists each way a reader
 * schema cannot read a writer's data as an issue with a kind, a path in the reader's terms,
 * a message and whether it is fatal; ak_decoder_new() with that reader refuses exactly the
 * fatal cases, with AK_E_SCHEMA.
 */
#include "tap.h"

struct want {
	enum ak_issue_kind kind;
	int fatal;
	const char *path;
	const char *msg_part;
};

/* Compare writer @w and reader @r: the issues in @want (in order), and a decoder that opens
 * when no issue is fatal. */
static void compat_is(const char *w, const char *r, const struct want *want, size_t n,
		      const char *what)
{
	struct ak_schema *ws = schema_or_die(w), *rs = schema_or_die(r);
	struct ak_error err;
	struct ak_compat *c;
	struct ak_decoder_opts o;
	struct ak_decoder *d;
	int fatal = 0, ok;

	ak_error_clear(&err);
	c = ak_schema_compatibility(rs, ws, &err);
	if (!CHECK(c != NULL, "%s: ak_schema_compatibility() (%s)", what, errstr(&err)))
		goto out;
	ok = ak_compat_count(c) == n;
	for (size_t i = 0; ok && i < n; i++) {
		ok &= ak_compat_kind(c, i) == want[i].kind;
		ok &= ak_compat_fatal(c, i) == want[i].fatal;
		ok &= ak_compat_path(c, i) && strcmp(ak_compat_path(c, i), want[i].path) == 0;
		ok &= ak_compat_message(c, i) && strstr(ak_compat_message(c, i), want[i].msg_part);
		fatal |= want[i].fatal;
	}
	CHECK(ok, "%s: %zu issue(s) with their kinds, paths and messages", what, n);
	if (!ok)
		for (size_t i = 0; i < ak_compat_count(c); i++)
			tap_note("issue %zu: kind %d, fatal %d, path \"%s\": %s", i,
				 (int)ak_compat_kind(c, i), ak_compat_fatal(c, i),
				 ak_compat_path(c, i), ak_compat_message(c, i));
	CHECK(ak_compat_readable(c) == !fatal, "%s: readable is %d", what, !fatal);
	/* beyond the end */
	CHECK(ak_compat_path(c, n) == NULL && ak_compat_message(c, n) == NULL &&
	      ak_compat_fatal(c, n) == 0, "%s: no issue %zu", what, n);

	ak_decoder_opts_init(&o);
	o.reader = rs;
	ak_error_clear(&err);
	d = ak_decoder_new(ws, &o, &err);
	if (fatal)
		CHECK(!d && err.code == AK_E_SCHEMA && strstr(err.msg, want[0].msg_part),
		      "%s: ak_decoder_new() refuses it with AK_E_SCHEMA and the first fatal issue "
		      "(%s)", what, d ? "opened" : errstr(&err));
	else
		CHECK(d != NULL, "%s: ak_decoder_new() takes it (%s)", what, errstr(&err));
	ak_decoder_free(d);
out:
	ak_compat_free(c);
	ak_schema_free(ws);
	ak_schema_free(rs);
}

#define REC(fields) "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" fields "]}"

/* Decode @n bytes of @data written with @w as @r, lazily: its JSON in @out, or the status. */
static int lazy_json(const char *w, const char *r, const char *data, size_t n,
		     struct membuf *out, struct ak_error *err)
{
	struct ak_schema *ws = schema_or_die(w), *rs = schema_or_die(r);
	struct ak_decoder_opts o;
	struct ak_decoder *d;
	int rc;

	ak_decoder_opts_init(&o);
	o.reader = rs;
	o.resolve_flags = AK_RESOLVE_LAZY;
	ak_error_clear(err);
	membuf_clear(out);
	if (!(d = ak_decoder_new(ws, &o, err))) {
		rc = err->code;
	} else {
		size_t used = 0;

		rc = ak_decode_json(d, data, n, &used, membuf_write, out, err);
		if (rc == AK_OK && used != n)
			rc = AK_E_ARG;
	}
	ak_decoder_free(d);
	ak_schema_free(ws);
	ak_schema_free(rs);
	return rc;
}

/* AK_RESOLVE_LAZY: the decoder is made whatever is incompatible, and a part the reader cannot
 * read fails where a value of it is read (AK_E_FORMAT, AK_ERROR_READER_SCHEMA). */
static void test_lazy(void)
{
	/* a record (an array's items) that lacks a field without default; an int read as a
	 * string in a union's branch; a list whose reader adds a field */
	static const char *w = REC("{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":"
				   "{\"type\":\"record\",\"name\":\"S\",\"fields\":[]}}},"
				   "{\"name\":\"u\",\"type\":[\"null\",\"int\"]}");
	static const char *r = REC("{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":"
				   "{\"type\":\"record\",\"name\":\"S\",\"fields\":[{\"name\":"
				   "\"x\",\"type\":\"int\"}]}}},"
				   "{\"name\":\"u\",\"type\":[\"null\",\"string\"]}");
	static const char *lw = "{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":"
				"\"next\",\"type\":[\"null\",\"L\"]}]}";
	static const char *lr = "{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":"
				"\"next\",\"type\":[\"null\",\"L\"]},{\"name\":\"v\",\"type\":"
				"\"int\"}]}";
	struct membuf out = MEMBUF_INIT;
	struct ak_error err;
	struct ak_decoder_opts o;
	struct ak_schema *ws = schema_or_die(w), *rs = schema_or_die(r);
	int rc;

	/* eager, the default: refused at once */
	ak_decoder_opts_init(&o);
	o.reader = rs;
	ak_error_clear(&err);
	CHECK(!ak_decoder_new(ws, &o, &err) && err.code == AK_E_SCHEMA,
	      "without AK_RESOLVE_LAZY the pair is refused when the decoder is made (%s)",
	      errstr(&err));
	ak_schema_free(ws);
	ak_schema_free(rs);

	/* an empty array and a null: nothing of the parts is read */
	rc = lazy_json(w, r, "\x00\x00", 2, &out, &err);
	CHECK(rc == AK_OK && strcmp(membuf_str(&out), "{\"a\":[],\"u\":null}") == 0,
	      "lazily, data without the parts reads (%s)", rc ? errstr(&err) : membuf_str(&out));
	rc = lazy_json(w, r, "\x02\x00\x00" "\x00", 4, &out, &err);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_READER_SCHEMA) &&
		      strstr(errstr(&err), "field a[0]: ") &&
		      strstr(err.msg, "the reader's field \"x\" is not in the writer's record S"),
	      "lazily, a record of the type that lacks the field fails where it is (%s)",
	      errstr(&err));
	rc = lazy_json(w, r, "\x00\x02\x0e", 3, &out, &err);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_READER_SCHEMA) &&
		      strstr(errstr(&err), "field u: ") && strstr(err.msg, "int"),
	      "lazily, an int read as a string fails where it is (%s)", errstr(&err));
	/* values that take no bytes: the error is at the value, not at a count the data holds */
	rc = lazy_json("{\"type\":\"array\",\"items\":\"null\"}",
		       "{\"type\":\"array\",\"items\":\"int\"}", "\x06\x00", 2, &out, &err);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_READER_SCHEMA) &&
		      strstr(errstr(&err), "field [0]: ") &&
		      strstr(err.msg, "the writer's null cannot be read as the reader's int"),
	      "lazily, nulls read as ints fail at the first, with the issue's words (%s)",
	      errstr(&err));
	/* recursion: every record of the type fails, the nested ones too */
	rc = lazy_json(lw, lr, "\x00", 1, &out, &err);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_READER_SCHEMA),
	      "lazily, a recursive record that lacks a field fails (%s)", errstr(&err));
	membuf_free(&out);
}

int main(void)
{
	static const struct want none[1] = { { 0, 0, "", "" } };

	compat_is("\"int\"", "\"int\"", none, 0, "the same type");
	compat_is(REC("{\"name\":\"a\",\"type\":\"int\"}"), REC("{\"name\":\"a\",\"type\":\"int\"}"),
		  none, 0, "the same record");
	compat_is("\"int\"", "\"long\"", none, 0, "int to long");
	compat_is("\"int\"", "\"double\"", none, 0, "int to double");
	compat_is("\"long\"", "\"float\"", none, 0, "long to float");
	compat_is("\"float\"", "\"double\"", none, 0, "float to double");
	compat_is("\"string\"", "\"bytes\"", none, 0, "string to bytes");
	compat_is("\"bytes\"", "\"string\"", none, 0, "bytes to string");
	{
		static const struct want w[] = {
			{ AK_ISSUE_TYPE_MISMATCH, 1, "", "long cannot be read as the reader's int" },
		};

		compat_is("\"long\"", "\"int\"", w, 1, "long to int");
	}
	{
		static const struct want w[] = {
			{ AK_ISSUE_TYPE_MISMATCH, 1, "", "" },
		};

		compat_is("\"double\"", "\"float\"", w, 1, "double to float");
		compat_is("{\"type\":\"array\",\"items\":\"int\"}",
			  "{\"type\":\"map\",\"values\":\"int\"}", w, 1, "array to map");
	}
	{
		static const struct want w[] = {
			{ AK_ISSUE_MISSING_FIELD, 1, "b", "field \"b\"" },
		};

		compat_is(REC("{\"name\":\"a\",\"type\":\"int\"}"),
			  REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}"),
			  w, 1, "a reader field without default");
	}
	compat_is(REC("{\"name\":\"a\",\"type\":\"int\"}"),
		  REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\","
		      "\"default\":\"x\"},{\"name\":\"u\",\"type\":[\"null\",\"int\"],\"default\":1}"),
		  none, 0, "reader fields with defaults (one for a union's second branch)");
	compat_is(REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"gone\",\"type\":\"string\"}"),
		  REC("{\"name\":\"a\",\"type\":\"int\"}"), none, 0, "a writer field the reader lacks");
	compat_is(REC("{\"name\":\"old\",\"type\":\"int\"}"),
		  REC("{\"name\":\"new\",\"type\":\"int\",\"aliases\":[\"old\"]}"), none, 0,
		  "a field found by its alias");
	compat_is(REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}"),
		  REC("{\"name\":\"b\",\"type\":\"int\",\"aliases\":[\"a\"]},"
		      "{\"name\":\"c\",\"type\":\"string\",\"aliases\":[\"b\"]}"),
		  none, 0, "aliases that rename in a chain (a to b, b to c)");
	{
		static const struct want w[] = {
			{ AK_ISSUE_MISSING_FIELD, 1, "x", "field \"x\"" },
		};

		/* writer b goes to reader b by its name; x, which has b as an alias, is left
		 * with neither a writer field nor a default */
		compat_is(REC("{\"name\":\"a\",\"type\":\"int\"},"
			      "{\"name\":\"b\",\"type\":\"string\"}"),
			  REC("{\"name\":\"b\",\"type\":\"string\"},"
			      "{\"name\":\"x\",\"type\":\"string\",\"aliases\":[\"b\"]}"),
			  w, 1, "two reader fields for one writer field: the second has none");
	}
	{
		static const struct want w[] = {
			{ AK_ISSUE_NAME_MISMATCH, 1, "", "different names" },
		};

		compat_is("{\"type\":\"record\",\"name\":\"A\",\"fields\":[]}",
			  "{\"type\":\"record\",\"name\":\"B\",\"fields\":[]}", w, 1,
			  "records of different names");
		compat_is("{\"type\":\"enum\",\"name\":\"A\",\"symbols\":[\"X\"]}",
			  "{\"type\":\"enum\",\"name\":\"B\",\"symbols\":[\"X\"]}", w, 1,
			  "enums of different names");
	}
	compat_is("{\"type\":\"record\",\"name\":\"A\",\"fields\":[]}",
		  "{\"type\":\"record\",\"name\":\"B\",\"aliases\":[\"A\"],\"fields\":[]}", none, 0,
		  "a record found by its alias");
	compat_is("{\"type\":\"record\",\"name\":\"a.A\",\"fields\":[]}",
		  "{\"type\":\"record\",\"name\":\"c.B\",\"aliases\":[\"A\"],\"fields\":[]}",
		  none, 0, "an alias in the reader's namespace matches the name in another");
	compat_is("{\"type\":\"record\",\"name\":\"a.A\",\"fields\":[]}",
		  "{\"type\":\"record\",\"name\":\"B\",\"aliases\":[\"a.A\"],\"fields\":[]}",
		  none, 0, "an alias that is the writer's full name");
	{
		static const struct want w[] = {
			{ AK_ISSUE_NAME_MISMATCH, 1, "", "different names" },
		};

		compat_is("{\"type\":\"record\",\"name\":\"a.A\",\"fields\":[]}",
			  "{\"type\":\"record\",\"name\":\"B\",\"aliases\":[\"c.A\"],"
			  "\"fields\":[]}", w, 1,
			  "an alias of another namespace must be the writer's full name");
	}
	{
		static const struct want w[] = {
			{ AK_ISSUE_FIXED_SIZE, 1, "", "4 bytes" },
		};

		compat_is("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}",
			  "{\"type\":\"fixed\",\"name\":\"F\",\"size\":8}", w, 1, "fixed sizes differ");
	}
	{
		static const struct want w[] = {
			{ AK_ISSUE_MISSING_SYMBOL, 0, "", "symbol C" },
		};

		compat_is("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]}",
			  "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", w, 1,
			  "a writer symbol the reader lacks (not fatal)");
	}
	compat_is("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]}",
		  "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"],\"default\":\"A\"}",
		  none, 0, "a writer symbol the reader lacks, with a reader default");
	{
		static const struct want w[] = {
			{ AK_ISSUE_MISSING_BRANCH, 0, "", "branch int" },
		};

		compat_is("[\"null\",\"string\",\"int\"]", "[\"null\",\"string\"]", w, 1,
			  "a writer branch the reader lacks (not fatal)");
	}
	{
		static const struct want w[] = {
			{ AK_ISSUE_NOT_IN_UNION, 1, "", "int is not one of the reader's union" },
		};

		compat_is("\"int\"", "[\"null\",\"string\"]", w, 1, "a type not in the reader's "
			  "union");
	}
	compat_is("\"int\"", "[\"null\",\"long\"]", none, 0, "a type promoted into a union");
	compat_is("[\"null\",\"int\"]", "[\"long\",\"null\"]", none, 0, "branches reordered and "
		  "promoted");
	{
		static const struct want w[] = {
			{ AK_ISSUE_MISSING_BRANCH, 0, "", "" },
		};

		compat_is("[\"null\",\"int\"]", "\"int\"", w, 1, "a union read as its one type: the "
			  "other branch fails");
	}
	{
		static const struct want w[] = {
			/* the record's reader-only fields are looked at first */
			{ AK_ISSUE_MISSING_FIELD, 1, "addr.more", "field \"more\"" },
			{ AK_ISSUE_TYPE_MISMATCH, 1, "addr.zip", "int cannot be read as the reader's "
			  "string" },
			{ AK_ISSUE_TYPE_MISMATCH, 1, "tags[]", "long cannot be read" },
			{ AK_ISSUE_TYPE_MISMATCH, 1, "m{}", "double cannot be read" },
		};

		compat_is(REC("{\"name\":\"addr\",\"type\":{\"type\":\"record\",\"name\":\"A\","
			      "\"fields\":[{\"name\":\"zip\",\"type\":\"int\"}]}},"
			      "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"long\"}},"
			      "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"double\"}}"),
			  REC("{\"name\":\"addr\",\"type\":{\"type\":\"record\",\"name\":\"A\","
			      "\"fields\":[{\"name\":\"zip\",\"type\":\"string\"},"
			      "{\"name\":\"more\",\"type\":\"int\"}]}},"
			      "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
			      "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"float\"}}"),
			  w, 4, "paths of nested fields, array items and map values");
	}
	/* a recursive type */
	compat_is("{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
		  "{\"name\":\"next\",\"type\":[\"null\",\"L\"]}]}",
		  "{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"},"
		  "{\"name\":\"next\",\"type\":[\"null\",\"L\"]}]}", none, 0, "a recursive list");
	test_lazy();
	return tap_done();
}
