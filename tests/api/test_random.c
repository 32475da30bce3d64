/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random datums through avrokit.h (ak_random): the option defaults, the same datums for the same
 * seed (and the bytes a seed gives, fixed here, so that a change to the generator is seen),
 * other datums for another seed, n datums at once the same as one at a time, every datum
 * decoding to exactly its bytes, union branches taken in turn, the options' bounds, a data
 * file written from them, the sync marker of a seed, and the errors (a schema whose values
 * cannot end, NULL arguments).
 */
#include "fixtures.h"

/* Seed 42, four datums of "long" (see test_seeds()). */
#define GOLDEN_LONG "e3 03 bd fd e4 c4 9f ae a9 c7 26 00 f1 fd cf c1 82 af ec e5 4c"

static struct ak_schema *parse(const char *json)
{
	struct ak_error err = { 0 };
	struct ak_schema *s = ak_schema_parse(json, strlen(json), 0, &err);

	if (!s)
		tap_note("schema %s: %s", json, errstr(&err));
	return s;
}

/* @n datums of @s from @seed into @out (malloc'd); their length, or 0 on failure. */
static size_t datums(const struct ak_schema *s, uint64_t seed, size_t n, unsigned char **out)
{
	struct ak_random_opts o;
	struct ak_error err = { 0 };
	struct ak_random *r;
	const void *data;
	size_t len = 0;

	ak_random_opts_init(&o);
	o.seed = seed;
	*out = NULL;
	if (!(r = ak_random_new(s, &o, &err)))
		return 0;
	if (ak_random_next(r, n, &data, &len, &err) == AK_OK && (*out = malloc(len + 1)))
		memcpy(*out, data, len);
	else
		len = 0;
	ak_random_free(r);
	return len;
}

static void test_options_and_errors(void)
{
	struct ak_random_opts o;
	struct ak_error err = { 0 };
	struct ak_schema *s = parse("{\"type\":\"record\",\"name\":\"T\",\"fields\":["
				    "{\"name\":\"t\",\"type\":\"T\"}]}");
	struct ak_random *r;
	const void *data = "x";
	size_t len = 5;

	memset(&o, 0x5a, sizeof(o));
	ak_random_opts_init(&o);
	CHECK(o.seed == 0 && o.max_depth == 6 && o.max_items == 5 && o.max_length == 16 &&
	      !o.reserved0 && !o.reserved[7], "ak_random_opts_init: seed 0, depth 6, 5 items, "
	      "length 16, reserved 0");
	ak_error_clear(&err);
	CHECK(!ak_random_new(s, NULL, &err) && err.code == AK_E_SCHEMA &&
	      strstr(err.msg, "every T holds another"),
	      "a record that always holds itself has no finite value: %s", err.msg);
	CHECK(!ak_random_new(s, NULL, NULL), "refused with a NULL error struct too");
	CHECK(!ak_random_new(NULL, NULL, &err) && err.code == AK_E_ARG, "no schema: %s", err.msg);
	ak_schema_free(s);

	s = parse("\"int\"");
	r = ak_random_new(s, NULL, &err);
	CHECK_RC(ak_random_next(r, 0, &data, &len, &err), AK_OK, &err, "no datums");
	CHECK(data && len == 0, "are no bytes, at a pointer all the same");
	CHECK_RC(ak_random_next(NULL, 1, &data, &len, &err), AK_E_ARG, &err, "no generator");
	CHECK(!data && len == 0, "no datums then");
	CHECK_RC(ak_random_next(r, 1, NULL, &len, &err), AK_E_ARG, &err, "no place for the data");
	CHECK_RC(ak_random_next(r, 1, &data, NULL, NULL), AK_E_ARG, NULL,
		 "no place for the length, NULL error struct");
	ak_random_free(r);
	ak_random_free(NULL);
	ak_schema_free(s);

	/* a datum over 64 MiB (a fixed that size alone) is refused, naming the fixed's size */
	s = parse("{\"type\":\"fixed\",\"name\":\"Huge\",\"size\":70000000}");
	r = ak_random_new(s, NULL, &err);
	ak_error_clear(&err);
	CHECK_RC(ak_random_next(r, 1, &data, &len, &err), AK_E_LIMIT, &err,
		 "a datum over 64 MiB");
	CHECK(!data && len == 0 && strstr(err.msg, "more than 64 MiB") &&
	      strstr(err.msg, "70000000 bytes"), "no datum, and a message that says why: %s",
	      err.msg);
	ak_random_free(r);
	ak_schema_free(s);
}

static void test_seeds(void)
{
	struct ak_error err = { 0 };
	struct ak_schema *s = parse(all_schema);
	struct ak_decoder *d = s ? ak_decoder_new(s, NULL, &err) : NULL;
	struct ak_random *r;
	unsigned char *a, *b, *c, *one = NULL;
	size_t la = datums(s, 7, 100, &a), lb = datums(s, 7, 100, &b), lc = datums(s, 8, 100, &c);
	size_t n1 = 0, used, at, count;
	int rc = AK_OK;

	CHECK(la > 100 && la == lb && memcmp(a, b, la) == 0, "the same seed, the same datums");
	CHECK(lc > 100 && (lc != la || memcmp(a, c, la) != 0), "another seed, other datums");

	/* one at a time: the same bytes */
	r = ak_random_new(s, &(struct ak_random_opts){ .seed = 7 }, &err);
	for (int i = 0; i < 100 && rc == AK_OK; i++) {
		const void *p;
		size_t n;
		unsigned char *q;

		if ((rc = ak_random_next(r, 1, &p, &n, &err)) == AK_OK &&
		    (q = realloc(one, n1 + n + 1))) {
			one = q;
			memcpy(one + n1, p, n);
			n1 += n;
		}
	}
	CHECK(rc == AK_OK && n1 == la && memcmp(one, a, la) == 0,
	      "one datum per call gives what 100 in one call give");
	ak_random_free(r);

	/* each decodes to exactly its bytes */
	rc = d ? AK_OK : AK_E_ARG;
	for (at = 0, count = 0; rc == AK_OK && at < la; at += used, count++)
		rc = ak_decode(d, a + at, la - at, &used, NULL, NULL, &err);
	CHECK(rc == AK_OK && at == la && count == 100, "100 datums that decode, end to end (%s)",
	      errstr(&err));
	free(a);
	free(b);
	free(c);
	free(one);
	ak_decoder_free(d);
	ak_schema_free(s);

	/* the bytes of a seed, fixed: xoshiro256** through splitmix64 is the same everywhere */
	s = parse("\"long\"");
	la = datums(s, 42, 4, &a);
	CHECK(la && strcmp(hexstr(a, la), GOLDEN_LONG) == 0, "seed 42, four longs: %s",
	      hexstr(a, la));
	free(a);
	ak_schema_free(s);
}

static void test_unions_and_bounds(void)
{
	struct ak_error err = { 0 };
	struct ak_schema *s = parse("[\"null\",\"int\",\"string\",{\"type\":\"array\","
				    "\"items\":\"string\"}]");
	struct ak_decoder *d = ak_decoder_new(s, NULL, &err);
	struct ak_random_opts o;
	struct ak_random *r;
	const struct ak_value *v;
	const void *data;
	size_t len, used, at;
	int turn = 1, within = 1, rc;

	ak_random_opts_init(&o);
	o.seed = 3;
	o.max_items = 2;
	o.max_length = 3;
	r = ak_random_new(s, &o, &err);
	rc = ak_random_next(r, 300, &data, &len, &err);
	at = 0;
	for (int i = 0; rc == AK_OK && i < 300; i++, at += used) {
		if ((rc = ak_decode_value(d, (const char *)data + at, len - at, &used, &v, &err)))
			break;
		if (i < 4 && ak_value_branch(v) != i)
			turn = 0;
		if (ak_value_type(v) == AK_STRING) {
			size_t n, chars = 0;
			const char *p = ak_value_string(v, &n);

			for (size_t k = 0; k < n; k++)
				chars += ((unsigned char)p[k] & 0xc0) != 0x80;
			within &= chars <= 3;
		}
		if (ak_value_type(v) == AK_ARRAY)
			within &= ak_value_count(v) <= 2;
	}
	CHECK_RC(rc, AK_OK, &err, "300 datums of a union");
	CHECK(turn, "the first four take the branches in turn");
	CHECK(within, "strings of at most max_length characters, arrays of at most max_items");
	ak_random_free(r);
	ak_decoder_free(d);
	ak_schema_free(s);
}

static void test_file(void)
{
	struct ak_error err = { 0 };
	struct ak_schema *s = parse(all_schema);
	struct ak_writer_opts wo;
	struct ak_writer *w;
	struct ak_reader *rd;
	struct ak_random *r = ak_random_new(s, NULL, &err);
	struct membuf out = MEMBUF_INIT;
	unsigned char sync[16], sync2[16], sync3[16];
	const void *data;
	size_t len, used;
	int rc = AK_OK;
	uint64_t n = 0;

	ak_random_sync(7, sync);
	ak_random_sync(7, sync2);
	ak_random_sync(8, sync3);
	CHECK(memcmp(sync, sync2, 16) == 0 && memcmp(sync, sync3, 16) != 0,
	      "ak_random_sync: the same marker for a seed, another for another");
	ak_writer_opts_init(&wo);
	wo.codec = "deflate";
	wo.sync = sync;
	w = ak_writer_open_callbacks(membuf_write, &out, s, &wo, &err);
	for (int i = 0; i < 50 && rc == AK_OK; i++) {
		rc = ak_random_next(r, 1, &data, &len, &err);
		if (rc == AK_OK)
			rc = ak_writer_append(w, data, len, &err);
	}
	if (rc == AK_OK)
		rc = ak_writer_finish(w, &err);
	CHECK_RC(rc, AK_OK, &err, "50 random records written with ak_writer_append()");
	ak_writer_free(w);
	rd = ak_reader_open_memory(out.p, out.len, NULL, &err);
	while (rd && (rc = ak_reader_read(rd, NULL, NULL, &err)) == AK_OK)
		n++;
	CHECK(rd && rc == AK_EOF && n == 50 && memcmp(ak_reader_sync(rd), sync, 16) == 0,
	      "read back: 50 records, the seed's sync marker (%s)", errstr(&err));
	(void)used;
	ak_reader_free(rd);
	ak_random_free(r);
	membuf_free(&out);
	ak_schema_free(s);
}

int main(void)
{
	test_options_and_errors();
	test_seeds();
	test_unions_and_bounds();
	test_file();
	return tap_done();
}
