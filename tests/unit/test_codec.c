/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Block codecs (codec.h): every codec built in must round-trip, refuse corrupt and truncated
 * data without crashing, and never inflate past the caller's limit. Snappy's trailing CRC-32
 * is checked; the table holds every codec Avro names plus the read-only "lzma" (avro-c's) and
 * "lz4" (fastavro's, whose format is pinned by test_lz4_format()).
 */
#include "ak.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define BIG_LIMIT ((size_t)64 << 20)

static uint64_t lcg_state;

static unsigned char lcg_byte(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned char)(lcg_state >> 56);
}

static void fill_random(unsigned char *p, size_t n, uint64_t seed)
{
	lcg_state = seed;
	for (size_t i = 0; i < n; i++)
		p[i] = lcg_byte();
}

/* English-looking text from a small vocabulary: compresses well but is not one long run. */
static void fill_text(unsigned char *p, size_t n, uint64_t seed)
{
	static const char *const words[] = {
		"avro", "block", "codec", "schema", "record", "field", "the", "of", "and", "sync",
		"marker", "container", "file", "deflate", "snappy", "zstandard", "union", "map",
	};
	size_t i = 0;

	lcg_state = seed;
	while (i < n) {
		const char *w = words[lcg_byte() % (sizeof(words) / sizeof(words[0]))];

		for (size_t k = 0; w[k] && i < n; k++)
			p[i++] = (unsigned char)w[k];
		if (i < n)
			p[i++] = lcg_byte() % 11 == 0 ? '\n' : ' ';
	}
}

/* Does the codec carry a check over the whole stream, so that any flipped byte is caught? */
static int has_integrity_check(const char *name)
{
	return strcmp(name, "snappy") == 0 || strcmp(name, "xz") == 0 ||
	       strcmp(name, "bzip2") == 0;
}

static int is_known_status(int rc)
{
	return rc == AK_OK || (rc <= AK_E_NOMEM && rc >= AK_E_JSON);
}

static void test_table(void)
{
	static const char *const want[] = {
		"null", "deflate", "snappy", "bzip2", "xz", "zstandard", "lzma", "lz4",
	};
	const struct ak_codec *list = ak_codec_list();
	size_t n = 0;

	while (list[n].name)
		n++;
	CHECK(n == sizeof(want) / sizeof(want[0]), "codec table holds %zu codecs (got %zu)",
	      sizeof(want) / sizeof(want[0]), n);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]) && i < n; i++) {
		const struct ak_codec *c = ak_codec_find(want[i], strlen(want[i]));

		CHECK(strcmp(list[i].name, want[i]) == 0, "codec %zu is %s (got %s)", i, want[i],
		      list[i].name);
		CHECK(c == &list[i], "ak_codec_find(\"%s\") returns its table entry", want[i]);
		if (c && c->available)
			CHECK(c->decompress != NULL && c->compress != NULL,
			      "%s is available and has both functions", want[i]);
	}
	for (size_t i = 0; i < 3 && i < n; i++)
		CHECK(list[i].available, "%s is always built in", list[i].name);

	const struct ak_codec *lz = ak_codec_find("lzma", 4), *l4 = ak_codec_find("lz4", 3);
	CHECK(lz != NULL && lz->can_write == 0, "\"lzma\" is in the table and read-only");
	CHECK(l4 != NULL && l4->can_write == 0, "\"lz4\" is in the table and read-only");
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, "lzma") != 0 && strcmp(list[i].name, "lz4") != 0)
			CHECK(list[i].can_write == 1, "%s can be written", list[i].name);

	static const struct {
		const char *s;
		size_t len;
	} unknown[] = {
		{ "", 0 }, { "nul", 3 }, { "snap", 4 }, { "nullx", 5 }, { "Deflate", 7 },
		{ "zstd", 4 }, { "gzip", 4 }, { "lz4f", 4 }, { "LZ4", 3 }, { "null\0", 5 },
	};
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		CHECK(ak_codec_find(unknown[i].s, unknown[i].len) == NULL,
		      "ak_codec_find(\"%.*s\", %zu) is NULL", (int)unknown[i].len, unknown[i].s,
		      unknown[i].len);
	/* the length, not the terminator, bounds the name */
	CHECK(ak_codec_find("deflate-ish", 7) == ak_codec_find("deflate", 7),
	      "ak_codec_find compares only @len bytes");

	CHECK(ak_crc32((const unsigned char *)"123456789", 9) == 0xcbf43926UL,
	      "ak_crc32(\"123456789\") = cbf43926 (got %08lx)",
	      ak_crc32((const unsigned char *)"123456789", 9));
	CHECK(ak_crc32((const unsigned char *)"", 0) == 0, "ak_crc32 of nothing is 0");
}

/* Compress @in at @level and decompress it again; 1 when the bytes come back exactly. */
static int round_trip(const struct ak_codec *c, const unsigned char *in, size_t len, int level,
		      struct ak_buf *z, struct ak_buf *back, struct ak_error *err)
{
	int rc;

	ak_error_clear(err);
	/* junk in the output buffers: the codec must replace, not append */
	for (int k = 0; k < 2; k++) {
		struct ak_buf *b = k ? back : z;

		if (ak_buf_reserve(b, 7, NULL) == AK_OK) {
			memcpy(b->data, "garbage", 7);
			b->len = 7;
		}
	}
	rc = c->compress(in, len, z, level, err);
	if (rc != AK_OK)
		return 0;
	rc = c->decompress(z->data, z->len, back, BIG_LIMIT, err);
	if (rc != AK_OK)
		return 0;
	return back->len == len && (len == 0 || memcmp(back->data, in, len) == 0);
}

static void test_round_trips(const struct ak_codec *c)
{
	size_t big = 100 * 1024;
	unsigned char *text = malloc(big), *rnd = malloc(big);
	struct ak_buf z = AK_BUF_INIT, back = AK_BUF_INIT;
	struct ak_error err = { 0 };
	static const unsigned char one = 'x';

	if (!CHECK(text && rnd, "allocate test data")) {
		free(text);
		free(rnd);
		return;
	}
	fill_text(text, big, 42);
	fill_random(rnd, big, 7);

	CHECK(round_trip(c, (const unsigned char *)"", 0, -1, &z, &back, &err),
	      "%s: empty input round-trips (%s)", c->name, ERRSTR(&err));
	CHECK(round_trip(c, &one, 1, -1, &z, &back, &err), "%s: 1 byte round-trips (%s)",
	      c->name, ERRSTR(&err));
	CHECK(round_trip(c, text, big, -1, &z, &back, &err),
	      "%s: 100 KB of text round-trips (%s)", c->name, ERRSTR(&err));
	if (strcmp(c->name, "null") != 0)
		CHECK(z.len < big / 2, "%s: 100 KB of text compresses (to %zu bytes)", c->name,
		      z.len);
	CHECK(round_trip(c, rnd, big, -1, &z, &back, &err),
	      "%s: 100 KB of random bytes round-trips (%s)", c->name, ERRSTR(&err));
	CHECK(round_trip(c, text, big, c->min_level, &z, &back, &err),
	      "%s: text round-trips at the lowest level %d (%s)", c->name, c->min_level, ERRSTR(&err));
	ak_buf_release(&z);
	ak_buf_release(&back);
	free(text);
	free(rnd);
}

static void test_corruption(const struct ak_codec *c)
{
	size_t len = 20 * 1024;
	unsigned char *text = malloc(len), *bad = NULL;
	struct ak_buf z = AK_BUF_INIT, out = AK_BUF_INIT;
	struct ak_error err = { 0 };
	size_t flips = 0, flips_failed = 0, flips_odd = 0, flips_silent = 0;
	size_t cuts = 0, cuts_failed = 0;
	size_t garbage_failed = 0, garbage_odd = 0;
	int rc;

	if (!text)
		return;
	fill_text(text, len, 3);
	if (c->compress(text, len, &z, -1, &err) != AK_OK || !(bad = malloc(z.len + 1))) {
		CHECK(0, "%s: compress the corruption sample (%s)", c->name, ERRSTR(&err));
		goto out;
	}

	/* flip bytes one at a time all through the stream */
	static const unsigned char masks[] = { 0x01, 0x80, 0xff, 0x55 };
	size_t step = z.len / 97 + 1;
	for (size_t pos = 0; pos < z.len; pos += (pos < 24 || pos + 24 > z.len) ? 1 : step) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			memcpy(bad, z.data, z.len);
			bad[pos] ^= masks[m];
			ak_error_clear(&err);
			rc = c->decompress(bad, z.len, &out, 1 << 20, &err);
			flips++;
			if (rc < 0 && ERRSTR(&err)[0])
				flips_failed++;
			else if (!is_known_status(rc) || (rc == AK_OK && out.len > (1 << 20)))
				flips_odd++;
			else if (rc == AK_OK &&
				 (out.len != len || memcmp(out.data, text, len) != 0))
				flips_silent++;
		}
	}
	CHECK(flips_odd == 0, "%s: %zu flipped-byte inputs give a known status and stay within "
	      "the limit (%zu odd)", c->name, flips, flips_odd);
	/* A flip may land where it changes nothing (a copy offset into equal text, bzip2's
	 * block size digit); what a checked codec must never do is return different data. */
	if (has_integrity_check(c->name))
		CHECK(flips_silent == 0 && flips_failed + 10 > flips,
		      "%s: flipped bytes are detected, never returned as wrong data (%zu of %zu "
		      "refused, %zu silently wrong)", c->name, flips_failed, flips, flips_silent);
	else if (strcmp(c->name, "null") != 0)
		CHECK(flips_failed > 0, "%s: some flipped bytes are detected (%zu of %zu)", c->name,
		      flips_failed, flips);

	/* truncate at several points, including the very start and one byte short */
	size_t cut_at[] = { 0, 1, 2, 5, z.len / 4, z.len / 2, z.len - 5, z.len - 2, z.len - 1 };
	for (size_t i = 0; i < sizeof(cut_at) / sizeof(cut_at[0]); i++) {
		size_t n = cut_at[i];

		if (n >= z.len)
			continue;
		memcpy(bad, z.data, n);
		ak_error_clear(&err);
		rc = c->decompress(bad, n, &out, 1 << 20, &err);
		cuts++;
		if (rc < 0 && ERRSTR(&err)[0])
			cuts_failed++;
		else if (strcmp(c->name, "null") != 0)
			tap_note("%s: truncated to %zu of %zu bytes decompressed with rc %d",
				 c->name, n, z.len, rc);
	}
	if (strcmp(c->name, "null") != 0)
		CHECK(cuts_failed == cuts,
		      "%s: truncated data is refused at every cut (%zu of %zu)", c->name,
		      cuts_failed, cuts);

	/* plain garbage */
	for (uint64_t seed = 1; seed <= 50; seed++) {
		size_t n = (size_t)(seed * 37 % (z.len + 1));

		fill_random(bad, n, seed);
		ak_error_clear(&err);
		rc = c->decompress(bad, n, &out, 1 << 20, &err);
		if (rc < 0)
			garbage_failed++;
		else if (!is_known_status(rc) || (rc == AK_OK && out.len > (1 << 20)))
			garbage_odd++;
	}
	CHECK(garbage_odd == 0, "%s: random garbage gives a known status", c->name);
	if (strcmp(c->name, "null") != 0 && strcmp(c->name, "deflate") != 0 &&
	    strcmp(c->name, "lzma") != 0)
		CHECK(garbage_failed == 50, "%s: random garbage is refused (%zu of 50)", c->name,
		      garbage_failed);
out:
	ak_buf_release(&z);
	ak_buf_release(&out);
	free(bad);
	free(text);
}

static void test_limit(const struct ak_codec *c)
{
	size_t len = (size_t)10 << 20, limit = (size_t)1 << 20;
	unsigned char *zeros = calloc(1, len);
	struct ak_buf z = AK_BUF_INIT, out = AK_BUF_INIT;
	struct ak_error err = { 0 };
	int rc;

	if (!zeros)
		return;
	/* some structure so it is not a single run, but still highly compressible */
	for (size_t i = 0; i < len; i += 4096)
		zeros[i] = (unsigned char)(i >> 12);
	rc = c->compress(zeros, len, &z, -1, &err);
	if (!CHECK(rc == AK_OK, "%s: compress 10 MB (%s)", c->name, ERRSTR(&err)))
		goto out;
	ak_error_clear(&err);
	rc = c->decompress(z.data, z.len, &out, limit, &err);
	CHECK(rc == AK_E_LIMIT && err.code == AK_E_LIMIT && strstr(ERRSTR(&err), "limit"),
	      "%s: %zu bytes inflating to 10 MB with a 1 MB limit give AK_E_LIMIT (rc %d, \"%s\")",
	      c->name, z.len, rc, ERRSTR(&err));
	CHECK(out.cap <= 2 * limit, "%s: the output buffer stayed near the limit (%zu bytes)",
	      c->name, out.cap);

	/* exactly at the limit is fine; one byte under is not */
	ak_buf_release(&out);
	rc = c->compress(zeros, limit, &z, -1, &err);
	if (rc == AK_OK) {
		ak_error_clear(&err);
		rc = c->decompress(z.data, z.len, &out, limit, &err);
		CHECK(rc == AK_OK && out.len == limit, "%s: a block of exactly the limit inflates "
		      "(rc %d, \"%s\")", c->name, rc, ERRSTR(&err));
		ak_error_clear(&err);
		rc = c->decompress(z.data, z.len, &out, limit - 1, &err);
		CHECK(rc == AK_E_LIMIT,
		      "%s: one byte over the limit gives AK_E_LIMIT (rc %d, \"%s\")", c->name, rc,
		      ERRSTR(&err));
	}
out:
	ak_buf_release(&z);
	ak_buf_release(&out);
	free(zeros);
}

static void test_snappy_crc(void)
{
	const struct ak_codec *c = ak_codec_find("snappy", 6);
	struct ak_buf z = AK_BUF_INIT, out = AK_BUF_INIT;
	struct ak_error err = { 0 };
	unsigned char text[1000];
	unsigned long crc;
	int rc;

	if (!CHECK(c && c->available, "snappy is built in"))
		return;
	fill_text(text, sizeof(text), 11);
	rc = c->compress(text, sizeof(text), &z, -1, &err);
	if (!CHECK(rc == AK_OK && z.len > 4, "snappy compress"))
		goto out;
	crc = ak_crc32(text, sizeof(text));
	CHECK(z.data[z.len - 4] == (unsigned char)(crc >> 24) &&
	      z.data[z.len - 3] == (unsigned char)(crc >> 16) &&
	      z.data[z.len - 2] == (unsigned char)(crc >> 8) &&
	      z.data[z.len - 1] == (unsigned char)crc,
	      "snappy block ends with the big-endian CRC-32 of the uncompressed data (%08lx)", crc);
	for (size_t k = 1; k <= 4; k++) {
		z.data[z.len - k] ^= 0x10;
		ak_error_clear(&err);
		rc = c->decompress(z.data, z.len, &out, BIG_LIMIT, &err);
		CHECK(rc == AK_E_CODEC && strstr(ERRSTR(&err), "CRC"),
		      "snappy: CRC byte %zu flipped gives a CRC error (rc %d, \"%s\")", 4 - k, rc,
		      ERRSTR(&err));
		z.data[z.len - k] ^= 0x10;
	}
	ak_error_clear(&err);
	rc = c->decompress(z.data, z.len, &out, BIG_LIMIT, &err);
	CHECK(rc == AK_OK && out.len == sizeof(text), "snappy: the restored block decompresses");
	/* a block shorter than its CRC */
	rc = c->decompress(z.data, 3, &out, BIG_LIMIT, &err);
	CHECK(rc < 0, "snappy: a 3-byte block is refused (\"%s\")", ERRSTR(&err));
out:
	ak_buf_release(&z);
	ak_buf_release(&out);
}

/*
 * fastavro's lz4 blocks, as python-lz4's lz4.block.compress() makes them: the size as 4 bytes
 * little-endian, then a raw LZ4 block. The bytes below are what it gave for "", "hello" and
 * "avro " 20 times (a literal run, then a match 5 back).
 */
static void test_lz4_format(void)
{
	static const unsigned char empty[] = { 0x00, 0x00, 0x00, 0x00, 0x00 };
	static const unsigned char hello[] = { 0x05, 0x00, 0x00, 0x00, 0x50, 'h', 'e', 'l', 'l', 'o' };
	static const unsigned char avro[] = { 0x64, 0x00, 0x00, 0x00, 0x5f, 'a', 'v', 'r', 'o', ' ',
					      0x05, 0x00, 0x47, 0x50, 'a', 'v', 'r', 'o', ' ' };
	const struct ak_codec *c = ak_codec_find("lz4", 3);
	struct ak_buf out = AK_BUF_INIT;
	struct ak_error err = { 0 };
	unsigned char bad[sizeof(hello)];
	int rc, same = 1;

	if (!c || !c->available) {
		tap_skip("lz4 not built in");
		return;
	}
	rc = c->decompress(empty, sizeof(empty), &out, BIG_LIMIT, &err);
	CHECK(rc == AK_OK && out.len == 0, "lz4: an empty block (rc %d, \"%s\")", rc, ERRSTR(&err));
	rc = c->decompress(hello, sizeof(hello), &out, BIG_LIMIT, &err);
	CHECK(rc == AK_OK && out.len == 5 && memcmp(out.data, "hello", 5) == 0,
	      "lz4: a block of literals (rc %d, \"%s\")", rc, ERRSTR(&err));
	rc = c->decompress(avro, sizeof(avro), &out, BIG_LIMIT, &err);
	for (size_t i = 0; rc == AK_OK && i < out.len; i++)
		same &= out.data[i] == "avro "[i % 5];
	CHECK(rc == AK_OK && out.len == 100 && same,
	      "lz4: a block with a match (rc %d, %zu bytes, \"%s\")", rc, out.len, ERRSTR(&err));

	/* the size before the data must be right, either way */
	memcpy(bad, hello, sizeof(hello));
	bad[0] = 6;
	ak_error_clear(&err);
	rc = c->decompress(bad, sizeof(bad), &out, BIG_LIMIT, &err);
	CHECK(rc == AK_E_CODEC && strstr(ERRSTR(&err), "says 6"),
	      "lz4: a size one too large is refused (rc %d, \"%s\")", rc, ERRSTR(&err));
	bad[0] = 4;
	ak_error_clear(&err);
	rc = c->decompress(bad, sizeof(bad), &out, BIG_LIMIT, &err);
	CHECK(rc == AK_E_CODEC, "lz4: a size one too small is refused (rc %d, \"%s\")", rc,
	      ERRSTR(&err));
	/* a claimed size past the limit is refused before any memory is taken */
	ak_buf_release(&out);
	memcpy(bad, hello, sizeof(hello));
	bad[3] = 0xff;
	ak_error_clear(&err);
	rc = c->decompress(bad, sizeof(bad), &out, BIG_LIMIT, &err);
	CHECK(rc == AK_E_LIMIT && out.cap == 0,
	      "lz4: a 4 GB claim gives AK_E_LIMIT and takes no memory (rc %d, cap %zu, \"%s\")",
	      rc, out.cap, ERRSTR(&err));
	for (size_t n = 0; n < 4; n++) {
		ak_error_clear(&err);
		rc = c->decompress(hello, n, &out, BIG_LIMIT, &err);
		CHECK(rc == AK_E_CODEC && strstr(ERRSTR(&err), "no size"),
		      "lz4: a block of %zu bytes is refused (rc %d, \"%s\")", n, rc, ERRSTR(&err));
	}
	ak_buf_release(&out);
}

int main(void)
{
	test_table();
	for (const struct ak_codec *c = ak_codec_list(); c->name; c++) {
		if (!c->available) {
			char why[64];

			snprintf(why, sizeof(why), "codec %s not built in", c->name);
			tap_skip(why);
			continue;
		}
		test_round_trips(c);
		test_corruption(c);
		test_limit(c);
	}
	test_snappy_crc();
	test_lz4_format();
	return tap_done();
}
