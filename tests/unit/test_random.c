/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random datums (random.h): each one decodes to exactly its own bytes, and encodes back to the
 * same bytes from its Avro JSON (so strings are valid UTF-8: the JSON writer would replace a
 * bad byte), logical values render in their plain forms within their ranges, the same seed
 * gives the same datums and sync marker, recursion ends, and a schema with no finite value
 * is refused.
 */
#include "ak.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char *EVERYTHING =
	"{\"type\":\"record\",\"name\":\"E\",\"fields\":["
	"{\"name\":\"n\",\"type\":\"null\"},{\"name\":\"b\",\"type\":\"boolean\"},"
	"{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"l\",\"type\":\"long\"},"
	"{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
	"{\"name\":\"by\",\"type\":\"bytes\"},{\"name\":\"s\",\"type\":\"string\"},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"C\",\"symbols\":[\"A\",\"B\"]}},"
	"{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":5}},"
	"{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"int\",\"C\"]}},"
	"{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
	"{\"name\":\"tm\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}},"
	"{\"name\":\"tu\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
	"{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
	"{\"name\":\"tn\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\"}},"
	"{\"name\":\"lt\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}},"
	"{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,"
	"\"scale\":2}},"
	"{\"name\":\"decf\",\"type\":{\"type\":\"fixed\",\"name\":\"D\",\"size\":3,\"logicalType\":"
	"\"decimal\",\"precision\":7,\"scale\":0}},"
	"{\"name\":\"u\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
	"{\"name\":\"uf\",\"type\":{\"type\":\"fixed\",\"name\":\"U\",\"size\":16,\"logicalType\":"
	"\"uuid\"}},"
	"{\"name\":\"du\",\"type\":{\"type\":\"fixed\",\"name\":\"Du\",\"size\":12,\"logicalType\":"
	"\"duration\"}}]}";

static const char *RECURSIVE =
	"{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
	"{\"name\":\"next\",\"type\":[\"null\",\"T\"]},"
	"{\"name\":\"kids\",\"type\":{\"type\":\"array\",\"items\":\"T\"}},"
	"{\"name\":\"byname\",\"type\":{\"type\":\"map\",\"values\":\"T\"}}]}";

struct gen {
	struct ak_schema *s;
	struct ak_plan *p;
	struct ak_random *r;
	struct ak_json_encoder *enc;
};

static int gen_open(struct gen *g, const char *schema, uint64_t seed, struct ak_error *err)
{
	struct ak_random_opts o = { .seed = seed };

	memset(g, 0, sizeof(*g));
	if (!(g->s = ak_schema_parse(schema, strlen(schema), 0, err)) ||
	    !(g->p = ak_plan_new(g->s, err)) || !(g->enc = ak_json_encoder_new(g->p, 0, err)) ||
	    !(g->r = ak_random_new(g->s, &o, err)))
		return -1;
	return 0;
}

static void gen_close(struct gen *g)
{
	ak_random_free(g->r);
	ak_json_encoder_free(g->enc);
	ak_plan_free(g->p);
	ak_schema_free(g->s);
}

/* Make @n datums; check each decodes to exactly its bytes and re-encodes from its JSON to the
 * same bytes. The datums' bytes, one after another, go to @all; the plain JSON to @plain. */
static int roundtrip(struct gen *g, int n, struct ak_buf *all, struct ak_buf *plain,
		     const char **why)
{
	struct ak_json_writer w = { g->p, 0, 0, 0, NULL }, wp = { g->p, AK_JSON_PLAIN, 0, 0, NULL };
	struct ak_buf d = AK_BUF_INIT, json = AK_BUF_INIT, back = AK_BUF_INIT;
	struct ak_error err = { 0 };
	int ok = 1;

	for (int i = 0; i < n && ok; i++) {
		const unsigned char *p;
		struct ak_json_in j;

		d.len = json.len = back.len = 0;
		if (ak_random_datum(g->r, &d, &err) != AK_OK) {
			*why = "ak_random_datum failed";
			ok = 0;
			break;
		}
		p = d.data;
		if (ak_datum_json(&w, &p, d.data + d.len, &json, &err) != AK_OK ||
		    p != d.data + d.len) {
			*why = "the datum does not decode to exactly its bytes";
			ok = 0;
			break;
		}
		if (w.bad_utf8) {
			*why = "a string is not valid UTF-8";
			ok = 0;
			break;
		}
		ak_json_in_init_mem(&j, (const char *)json.data, json.len);
		if (ak_json_encode(g->enc, &j, &back, &err) != AK_OK || back.len != d.len ||
		    memcmp(back.data, d.data, d.len) != 0) {
			*why = "its Avro JSON does not encode back to the same bytes";
			ok = 0;
			break;
		}
		p = d.data;
		if (plain && (ak_datum_json(&wp, &p, d.data + d.len, plain, &err) != AK_OK ||
			      ak_buf_append(plain, "\n", 1, &err) != AK_OK)) {
			*why = "plain JSON";
			ok = 0;
		}
		if (all)
			ak_buf_append(all, d.data, d.len, &err);
	}
	ak_json_writer_release(&w);
	ak_json_writer_release(&wp);
	ak_buf_release(&d);
	ak_buf_release(&json);
	ak_buf_release(&back);
	return ok;
}

static void test_everything(void)
{
	struct gen g;
	struct ak_error err = { 0 };
	struct ak_buf plain = AK_BUF_INIT;
	const char *why = "";

	if (gen_open(&g, EVERYTHING, 42, &err) != 0) {
		CHECK(0, "schema: %s", err.msg);
		gen_close(&g);
		return;
	}
	CHECK(roundtrip(&g, 500, NULL, &plain, &why), "500 datums of every type: %s", why);
	ak_buf_append(&plain, "", 1, &err);
	/* the plain forms: a logical value out of its range would print as a number */
	const char *t = (const char *)plain.data;
	CHECK(t && !strstr(t, "\"dt\":-") && !strstr(t, "\"dt\":1") && !strstr(t, "\"dt\":2"),
	      "every date in its plain form");
	CHECK(t && strstr(t, "\"ts\":\"19") && strstr(t, "\"ts\":\"20") && !strstr(t, "\"ts\":\"18") &&
	      !strstr(t, "\"ts\":\"21"), "timestamps from the years 1900 to 2099");
	CHECK(t && !strstr(t, "\"tm\":-") && !strstr(t, "\"tm\":1") && strstr(t, "\"tm\":\""),
	      "times of day in their plain form");
	CHECK(t && strstr(t, "\"uf\":\"") && !strstr(t, "\"uf\":{"), "uuid fixed in uuid form");
	CHECK(t && strstr(t, "\"du\":{\"months\""), "durations as objects");
	CHECK(t && strstr(t, "\"e\":\"A\"") && strstr(t, "\"e\":\"B\""), "both enum symbols");
	CHECK(t && strstr(t, "{\"C\":") == NULL && strstr(t, "\"m\":{}"), "empty maps too");
	free(plain.data);
	gen_close(&g);
}

static void test_decimal_precision(void)
{
	/* precision 2 in one byte: -99..99; the bytes form with the fewest bytes */
	const char *schema = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"f\","
			     "\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":1,\"logicalType\":"
			     "\"decimal\",\"precision\":2,\"scale\":1}},{\"name\":\"b\",\"type\":"
			     "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":3,"
			     "\"scale\":0}}]}";
	struct gen g;
	struct ak_error err = { 0 };
	int bad = 0, minimal = 1, neg = 0;

	if (gen_open(&g, schema, 7, &err) != 0) {
		CHECK(0, "schema: %s", err.msg);
		gen_close(&g);
		return;
	}
	for (int i = 0; i < 2000; i++) {
		struct ak_buf d = AK_BUF_INIT;

		ak_random_datum(g.r, &d, &err);
		signed char f = (signed char)d.data[0];
		int64_t blen = 0;
		const unsigned char *p = d.data + 1;

		ak_varint_decode(&p, d.data + d.len, &blen);
		int64_t v = 0;

		for (int64_t k = 0; k < blen; k++)
			v = k == 0 ? (signed char)p[k] : v * 256 + p[k];
		if (f < -99 || f > 99 || v < -999 || v > 999 || blen < 1)
			bad++;
		if (blen == 2 && ((p[0] == 0 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80))))
			minimal = 0;
		neg += v < 0;
		ak_buf_release(&d);
	}
	CHECK(bad == 0, "decimals within their precision (%d outside)", bad);
	CHECK(minimal, "bytes decimals in the fewest bytes");
	CHECK(neg > 100, "negative decimals too (%d)", neg);
	gen_close(&g);
}

static void test_seed(void)
{
	struct ak_buf a = AK_BUF_INIT, b = AK_BUF_INIT, c = AK_BUF_INIT;
	unsigned char s1[AK_SYNC_SIZE], s2[AK_SYNC_SIZE], s3[AK_SYNC_SIZE];
	struct ak_error err = { 0 };
	const char *why = "";
	struct gen g;

	gen_open(&g, EVERYTHING, 1, &err);
	roundtrip(&g, 50, &a, NULL, &why);
	gen_close(&g);
	gen_open(&g, EVERYTHING, 1, &err);
	roundtrip(&g, 50, &b, NULL, &why);
	gen_close(&g);
	gen_open(&g, EVERYTHING, 2, &err);
	roundtrip(&g, 50, &c, NULL, &why);
	gen_close(&g);
	CHECK(a.len && a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	      "the same seed gives the same datums");
	CHECK(a.len != c.len || memcmp(a.data, c.data, a.len) != 0,
	      "another seed gives other datums");
	ak_random_sync(1, s1);
	ak_random_sync(1, s2);
	ak_random_sync(2, s3);
	CHECK(memcmp(s1, s2, AK_SYNC_SIZE) == 0 && memcmp(s1, s3, AK_SYNC_SIZE) != 0,
	      "the sync marker follows the seed");
	/* known bytes: splitmix64 is the same on every platform, and files made from a seed
	 * must stay the same from one version to the next */
	static const unsigned char want[AK_SYNC_SIZE] = {
		0x9b, 0xa9, 0x43, 0x8b, 0x5a, 0x58, 0x5e, 0x8d,
		0x39, 0xa8, 0x67, 0xe6, 0x5f, 0xd5, 0x08, 0xff,
	};
	CHECK(memcmp(s1, want, AK_SYNC_SIZE) == 0, "the sync marker of seed 1 is the known one");
	ak_buf_release(&a);
	ak_buf_release(&b);
	ak_buf_release(&c);
}

static void test_recursion(void)
{
	struct gen g;
	struct ak_error err = { 0 };
	struct ak_buf all = AK_BUF_INIT;
	const char *why = "";

	if (gen_open(&g, RECURSIVE, 3, &err) != 0) {
		CHECK(0, "schema: %s", err.msg);
		gen_close(&g);
		return;
	}
	CHECK(roundtrip(&g, 300, &all, NULL, &why), "recursive datums: %s", why);
	CHECK(all.len < 300 * 200000, "recursive datums are bounded (%zu bytes for 300)", all.len);
	ak_buf_release(&all);
	gen_close(&g);

	static const char *never[] = {
		"{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"l\",\"type\":\"L\"}]}",
		"{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"l\",\"type\":[\"L\"]}]}",
		"[\"int\",{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"b\",\"type\":"
		"{\"type\":\"record\",\"name\":\"B\",\"fields\":[{\"name\":\"a\",\"type\":\"A\"}]}}]}]",
	};
	for (int i = 0; i < 3; i++) {
		ak_error_clear(&err);
		int rc = gen_open(&g, never[i], 1, &err);

		if (i < 2)
			CHECK(rc != 0 && err.code == AK_E_SCHEMA &&
			      strstr(err.msg, "no value of this schema can end"),
			      "never-ending schema %d refused: %s", i, err.msg);
		else
			CHECK(rc == 0 && roundtrip(&g, 100, NULL, NULL, &why),
			      "a union's never-ending branch is never taken (%s %s)", err.msg, why);
		gen_close(&g);
	}
}

/* An enum without symbols and a union without branches have no value. */
static void test_no_value(void)
{
	static const char *none[] = {
		"{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[]}",
		"[]",
		"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"e\",\"type\":{\"type\":"
		"\"enum\",\"name\":\"E\",\"symbols\":[]}}]}",
	};
	struct ak_error err = { 0 };
	const char *why = "";
	struct gen g;

	for (int i = 0; i < 3; i++) {
		ak_error_clear(&err);
		CHECK(gen_open(&g, none[i], 1, &err) != 0 && err.code == AK_E_SCHEMA &&
		      strstr(err.msg, "has no value at all"), "schema %d has no value: %s", i,
		      err.msg);
		gen_close(&g);
	}
	/* ... but where a union can leave it out, the other branch is taken */
	CHECK(gen_open(&g, "[\"null\",{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[]}]", 1,
		       &err) == 0 && roundtrip(&g, 50, NULL, NULL, &why),
	      "a union never takes an enum without symbols (%s %s)", err.msg, why);
	gen_close(&g);
}

/* Every branch of a union is taken within its first visits. */
static void test_branches(void)
{
	const char *schema = "[\"null\",\"int\",\"string\",{\"type\":\"array\",\"items\":\"int\"},"
			     "{\"type\":\"map\",\"values\":\"int\"},\"double\"]";
	struct gen g;
	struct ak_error err = { 0 };
	unsigned seen = 0;

	gen_open(&g, schema, 9, &err);
	for (int i = 0; i < 6; i++) {
		struct ak_buf d = AK_BUF_INIT;

		ak_random_datum(g.r, &d, &err);
		seen |= 1u << (d.data[0] >> 1);
		ak_buf_release(&d);
	}
	CHECK(seen == 0x3f, "six datums take all six branches (%#x)", seen);
	gen_close(&g);
}

int main(void)
{
	test_everything();
	test_decimal_precision();
	test_seed();
	test_recursion();
	test_no_value();
	test_branches();
	return tap_done();
}
