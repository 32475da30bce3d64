/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Byte-range splits (ak_reader_set_range(), range.c) through the public API, as a property
 * test: random files (codecs, block sizes, record sizes) cut into random sets of ranges,
 * aligned or not, with cuts on and around the sync markers and inside the header; read range
 * by range from memory, through short reads without seeking, or through a skip callback;
 * every record must come out exactly once and in file order when the ranges' records are
 * joined, and the same for blocks and for JSON made on threads. Then damaged files: the
 * damage is reported by one range only, with the offset of its block, and the other ranges
 * read their records. AK_SEED=N repeats a run (the seed is printed).
 */
#include "ak.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static const char SCHEMA[] = "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
			     "{\"name\":\"id\",\"type\":\"long\"},"
			     "{\"name\":\"pad\",\"type\":\"bytes\"}]}";

static int buf_write(void *ctx, const void *p, size_t n)
{
	return ak_buf_append(ctx, p, n, NULL) == AK_OK ? 0 : -1;
}

/* A file of @n records (id 0..n-1, random padding) with @codec and blocks of about @bs
 * bytes. */
static int make_file(struct ak_buf *out, const struct ak_schema *s, const char *codec,
		     size_t bs, uint64_t n)
{
	struct ak_writer_opts o;
	struct ak_writer *w;
	struct ak_error err;
	unsigned char pad[400];
	int rc = AK_OK;

	ak_writer_opts_init(&o);
	o.codec = codec;
	o.block_size = bs;
	if (!(w = ak_writer_open_callbacks(buf_write, out, s, &o, &err)))
		return err.code;
	for (uint64_t i = 0; i < n && rc == AK_OK; i++) {
		struct ak_encoder *e = ak_writer_encoder(w);
		size_t len = (size_t)below(i % 7 == 0 ? sizeof(pad) : 24);

		for (size_t k = 0; k < len; k++)
			pad[k] = (unsigned char)rnd();
		if ((rc = ak_put_record(e, &err)) == AK_OK &&
		    (rc = ak_put_field_index(e, 0, &err)) == AK_OK &&
		    (rc = ak_put_long(e, (int64_t)i, &err)) == AK_OK &&
		    (rc = ak_put_field_index(e, 1, &err)) == AK_OK &&
		    (rc = ak_put_bytes(e, pad, len, &err)) == AK_OK &&
		    (rc = ak_put_end(e, &err)) == AK_OK)
			rc = ak_writer_commit(w, &err);
	}
	if (rc == AK_OK)
		rc = ak_writer_finish(w, &err);
	ak_writer_free(w);
	return rc;
}

/* Sources: memory (seeks), short reads of random sizes without skip, short reads with skip. */
struct src {
	const unsigned char *data;
	size_t len, pos, maxchunk;
};

static ssize_t src_read(void *ctx, void *buf, size_t n)
{
	struct src *s = ctx;
	size_t k = 1 + (size_t)below(s->maxchunk);

	if (k > n)
		k = n;
	if (k > s->len - s->pos)
		k = s->len - s->pos;
	memcpy(buf, s->data + s->pos, k);
	s->pos += k;
	return (ssize_t)k;
}

static int src_skip(void *ctx, uint64_t n)
{
	struct src *s = ctx;

	s->pos = n > s->len - s->pos ? s->len : s->pos + (size_t)n;
	return 0;
}

static struct ak_reader *open_kind(int kind, struct src *s, const struct ak_buf *f,
				   const struct ak_reader_opts *o, struct ak_error *err)
{
	s->data = f->data;
	s->len = f->len;
	s->pos = 0;
	s->maxchunk = kind == 1 ? 1 + below(64) : 4096;
	if (kind == 0)
		return ak_reader_open_memory(f->data, f->len, o, err);
	return ak_reader_open_callbacks(src_read, kind == 2 ? src_skip : NULL, s, o, err);
}

/* What one range gave: the ids of its records, or of its blocks' offsets. */
struct seen {
	uint64_t *v;
	size_t n, cap;
};

static void seen_add(struct seen *s, uint64_t x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		if (!(s->v = realloc(s->v, s->cap * sizeof(*s->v))))
			abort();
	}
	s->v[s->n++] = x;
}

/* The records of [start, end) into @ids. The status of the reading. */
static int read_range(const struct ak_buf *f, int kind, uint64_t start, uint64_t end,
		      struct seen *ids, struct ak_error *err)
{
	struct src s;
	struct ak_reader *r = open_kind(kind, &s, f, NULL, err);
	const struct ak_value *v;
	int rc;

	if (!r)
		return err->code;
	if ((rc = ak_reader_set_range(r, start, end, err)) == AK_OK) {
		while ((rc = ak_reader_read_value(r, &v, err)) == AK_OK)
			seen_add(ids, (uint64_t)ak_value_long(ak_value_field(v, "id")));
	}
	ak_reader_free(r);
	return rc;
}

static int range_blocks(const struct ak_buf *f, int kind, uint64_t start, uint64_t end,
			struct seen *offs, struct ak_error *err)
{
	struct src s;
	struct ak_reader *r = open_kind(kind, &s, f, NULL, err);
	struct ak_block b;
	int rc;

	if (!r)
		return err->code;
	if ((rc = ak_reader_set_range(r, start, end, err)) == AK_OK) {
		while ((rc = ak_reader_next_block(r, &b, kind == 1 ? 0 : AK_BLOCK_SKIP_DATA,
						  err)) == AK_OK)
			seen_add(offs, b.offset);
	}
	ak_reader_free(r);
	return rc;
}

static int json_write(void *ctx, const void *p, size_t n)
{
	return ak_buf_append(ctx, p, n, NULL) == AK_OK ? 0 : -1;
}

static int range_json(const struct ak_buf *f, uint64_t start, uint64_t end, unsigned threads,
		      struct ak_buf *out, struct ak_error *err)
{
	struct ak_reader_opts o;
	struct src s;
	struct ak_reader *r;
	int rc;

	ak_reader_opts_init(&o);
	o.threads = threads;
	if (!(r = open_kind(0, &s, f, &o, err)))
		return err->code;
	if ((rc = ak_reader_set_range(r, start, end, err)) == AK_OK)
		rc = ak_reader_to_json(r, AK_NO_POS, json_write, out, NULL, NULL, err);
	ak_reader_free(r);
	return rc;
}

/* The whole file's blocks: offsets and record counts. */
struct layout {
	uint64_t header;
	struct seen offs, counts;
};

static int file_layout(const struct ak_buf *f, struct layout *l)
{
	struct ak_error err;
	struct ak_reader *r = ak_reader_open_memory(f->data, f->len, NULL, &err);
	struct ak_block b;
	int rc;

	memset(l, 0, sizeof(*l));
	if (!r)
		return err.code;
	l->header = ak_reader_header_size(r);
	while ((rc = ak_reader_next_block(r, &b, AK_BLOCK_SKIP_DATA, &err)) == AK_OK) {
		seen_add(&l->offs, b.offset);
		seen_add(&l->counts, (uint64_t)b.count);
	}
	ak_reader_free(r);
	return rc == AK_EOF ? AK_OK : rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Random cut points for a file of @len bytes: some anywhere, some on and next to the sync
 * markers (a block's offset - 16 is where its marker starts), some in the header. Sorted;
 * cuts[0] is 0 and the last is the end of the last range (the file's length, past it, or
 * UINT64_MAX). Returns the number of ranges (cuts - 1).
 */
static size_t make_cuts(const struct layout *l, uint64_t len, uint64_t *cuts, size_t max)
{
	size_t n = 1 + (size_t)below(max - 2), k = 1;

	cuts[0] = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t c;

		switch (below(4)) {
		case 0:
			c = below(len + 1);
			break;
		case 1: {
			uint64_t m = l->offs.n ? l->offs.v[below(l->offs.n)] - 16 : l->header - 16;

			c = m + 2 - below(5); /* m - 2 .. m + 2 */
			break;
		}
		case 2:
			c = l->header - below(20); /* the header's marker and before it */
			break;
		default:
			c = below(l->header + 1);
			break;
		}
		cuts[k++] = c > len ? len : c;
	}
	switch (below(3)) {
	case 0:
		cuts[k++] = len;
		break;
	case 1:
		cuts[k++] = len + 1 + below(100);
		break;
	default:
		cuts[k++] = UINT64_MAX;
		break;
	}
	qsort(cuts + 1, k - 2, sizeof(*cuts), cmp_u64);
	return k - 1;
}

static void test_file(const char *codec, size_t bs, uint64_t n, int rounds)
{
	struct ak_error err;
	struct ak_schema *s = ak_schema_parse(SCHEMA, strlen(SCHEMA), 0, &err);
	struct ak_buf f = AK_BUF_INIT, all_json = AK_BUF_INIT;
	struct layout l;
	uint64_t cuts[40];
	int bad_rec = 0, bad_blk = 0, bad_json = 0, bad_rc = 0;

	if (!s || make_file(&f, s, codec, bs, n) != AK_OK || file_layout(&f, &l) != AK_OK ||
	    range_json(&f, 0, UINT64_MAX, 1, &all_json, &err) != AK_OK) {
		CHECK(0, "%s: making the file", codec);
		ak_schema_free(s);
		return;
	}
	for (int round = 0; round < rounds; round++) {
		size_t nr = make_cuts(&l, f.len, cuts, sizeof(cuts) / sizeof(cuts[0]));
		int kind = (int)below(3);
		struct seen ids = { 0 }, offs = { 0 };
		struct ak_buf json = AK_BUF_INIT;
		unsigned threads = 1 + (unsigned)below(3);

		for (size_t i = 0; i < nr; i++) {
			if (read_range(&f, kind, cuts[i], cuts[i + 1], &ids, &err) != AK_EOF ||
			    range_blocks(&f, kind, cuts[i], cuts[i + 1], &offs, &err) != AK_EOF ||
			    range_json(&f, cuts[i], cuts[i + 1], threads, &json, &err) != AK_OK) {
				if (!bad_rc++)
					tap_note("%s: range [%" PRIu64 ", %" PRIu64 "): %s", codec,
						 cuts[i], cuts[i + 1], ERRSTR(&err));
			}
		}
		int ok = ids.n == n;

		for (size_t i = 0; ok && i < n; i++)
			ok = ids.v[i] == i;
		if (!ok && !bad_rec++) {
			tap_note("%s round %d: %zu records for %" PRIu64 "; ranges:", codec, round,
				 ids.n, n);
			for (size_t i = 0; i < nr; i++)
				tap_note("  [%" PRIu64 ", %" PRIu64 ")", cuts[i], cuts[i + 1]);
		}
		ok = offs.n == l.offs.n;
		for (size_t i = 0; ok && i < offs.n; i++)
			ok = offs.v[i] == l.offs.v[i];
		bad_blk += !ok;
		bad_json += json.len != all_json.len ||
			    (json.len && memcmp(json.data, all_json.data, json.len));
		free(ids.v);
		free(offs.v);
		ak_buf_release(&json);
	}
	CHECK(bad_rc == 0, "%s, %zu blocks: every range of %d random sets reads to its end",
	      codec, l.offs.n, rounds);
	CHECK(bad_rec == 0, "%s: records of the ranges joined are the file's, each once, in order "
	      "(%d of %d sets wrong)", codec, bad_rec, rounds);
	CHECK(bad_blk == 0, "%s: blocks of the ranges joined are the file's (%d of %d sets wrong)",
	      codec, bad_blk, rounds);
	CHECK(bad_json == 0, "%s: JSON of the ranges (threads) joined is the file's (%d of %d "
	      "sets wrong)", codec, bad_json, rounds);
	free(l.offs.v);
	free(l.counts.v);
	ak_buf_release(&f);
	ak_buf_release(&all_json);
	ak_schema_free(s);
}

/* Ranges that own a known part of the file. */
static void test_edges(void)
{
	struct ak_error err;
	struct ak_schema *s = ak_schema_parse(SCHEMA, strlen(SCHEMA), 0, &err);
	struct ak_buf f = AK_BUF_INIT;
	struct layout l;
	struct seen ids = { 0 };
	struct ak_reader *r;
	const struct ak_value *v;
	uint64_t hs, m1;
	int rc;

	if (!s || make_file(&f, s, "null", 200, 300) != AK_OK || file_layout(&f, &l) != AK_OK ||
	    l.offs.n < 4) {
		CHECK(0, "making the file");
		return;
	}
	hs = l.header;
	m1 = l.offs.v[1] - 16; /* the marker before the second block */
	rc = read_range(&f, 0, 0, hs - 16, &ids, &err);
	CHECK(rc == AK_EOF && ids.n == 0, "a range inside the header owns no block (%zu records)",
	      ids.n);
	ids.n = 0;
	rc = read_range(&f, 0, hs - 16, hs - 15, &ids, &err);
	CHECK(rc == AK_EOF && ids.n == l.counts.v[0], "[header marker, +1) owns the first block "
	      "(%zu records, %" PRIu64 " in it)", ids.n, l.counts.v[0]);
	ids.n = 0;
	rc = read_range(&f, 0, hs - 15, m1 + 1, &ids, &err);
	CHECK(rc == AK_EOF && ids.n == l.counts.v[1] && ids.n && ids.v[0] == l.counts.v[0],
	      "a range from just past the header's marker to just past the next owns the second "
	      "block");
	ids.n = 0;
	rc = read_range(&f, 0, m1, m1, &ids, &err);
	CHECK(rc == AK_EOF && ids.n == 0, "an empty range owns nothing");
	rc = read_range(&f, 0, f.len, UINT64_MAX, &ids, &err);
	CHECK(rc == AK_EOF && ids.n == 0, "a range at the end of the file owns nothing");
	rc = read_range(&f, 1, f.len + 1000, f.len + 2000, &ids, &err);
	CHECK(rc == AK_EOF && ids.n == 0, "a range past the end, over a pipe, owns nothing");
	ids.n = 0;
	rc = read_range(&f, 1, m1 + 1, UINT64_MAX, &ids, &err);
	CHECK(rc == AK_EOF && ids.n && ids.v[0] == l.counts.v[0] + l.counts.v[1] &&
	      ids.v[ids.n - 1] == 299, "a range from just past a marker starts at the next block");

	r = ak_reader_open_memory(f.data, f.len, NULL, &err);
	rc = ak_reader_set_range(r, 10, 5, &err);
	CHECK(rc == AK_E_ARG, "start after end: AK_E_ARG (%d: %s)", rc, ERRSTR(&err));
	rc = ak_reader_set_range(r, 5, 10, &err);
	CHECK(rc == AK_OK, "then a good range");
	rc = ak_reader_set_range(r, 5, 10, &err);
	CHECK(rc == AK_E_STATE, "a second range: AK_E_STATE (%d)", rc);
	ak_reader_free(r);
	r = ak_reader_open_memory(f.data, f.len, NULL, &err);
	rc = ak_reader_read_value(r, &v, &err);
	rc = ak_reader_set_range(r, 0, 10, &err);
	CHECK(rc == AK_E_STATE, "a range after a read: AK_E_STATE (%d: %s)", rc, ERRSTR(&err));
	ak_reader_free(r);
	CHECK(ak_reader_set_range(NULL, 0, 1, &err) == AK_E_ARG, "no reader: AK_E_ARG");
	free(ids.v);
	free(l.offs.v);
	free(l.counts.v);
	ak_buf_release(&f);
	ak_schema_free(s);
}

/*
 * Damage in one block: a wrong sync marker after it, or compressed data that does not
 * inflate. The range that owns the block reports it with the block's offset; the others
 * read to their end.
 */
static void test_damage(const char *codec, int marker)
{
	struct ak_error err;
	struct ak_schema *s = ak_schema_parse(SCHEMA, strlen(SCHEMA), 0, &err);
	struct ak_buf f = AK_BUF_INIT;
	struct layout l;
	uint64_t cuts[40], bad_off, first = 0;
	int wrong = 0, rounds = 30;
	size_t k;

	if (!s || make_file(&f, s, codec, 300, 400) != AK_OK || file_layout(&f, &l) != AK_OK ||
	    l.offs.n < 6) {
		CHECK(0, "%s: making the file", codec);
		return;
	}
	k = 2 + (size_t)below(l.offs.n - 4);
	bad_off = l.offs.v[k];
	for (size_t i = 0; i < k; i++)
		first += l.counts.v[i];
	if (marker)
		f.data[l.offs.v[k + 1] - 16 + below(16)] ^= 0x5a; /* the marker after block k */
	else
		memset(f.data + l.offs.v[k] + 6, 0x77, 8); /* inside its compressed data */
	for (int round = 0; round < rounds; round++) {
		size_t nr = make_cuts(&l, f.len, cuts, sizeof(cuts) / sizeof(cuts[0]));
		int kind = (int)below(3), failed = 0, other = 0;
		struct seen ids = { 0 };

		for (size_t i = 0; i < nr; i++) {
			int rc = read_range(&f, kind, cuts[i], cuts[i + 1], &ids, &err);

			if (rc == AK_EOF)
				continue;
			if (rc < 0 && err.offset == bad_off) {
				failed++;
			} else {
				other++;
				if (other == 1)
					tap_note("%s: unexpected: %s", codec, ERRSTR(&err));
			}
		}
		/* the records that came out are in order, each once, and none is from the
		 * damaged block */
		int ok = failed == 1 && other == 0;

		for (size_t i = 1; ok && i < ids.n; i++)
			ok = ids.v[i] > ids.v[i - 1];
		for (size_t i = 0; ok && i < ids.n; i++)
			ok = ids.v[i] < first || ids.v[i] >= first + l.counts.v[k];
		wrong += !ok;
		free(ids.v);
	}
	CHECK(wrong == 0, "%s, damaged %s in block %zu: one range of each of %d sets reports it at "
	      "offset %" PRIu64 ", the others read to their end (%d sets wrong)", codec,
	      marker ? "sync marker" : "data", k, rounds, bad_off, wrong);
	free(l.offs.v);
	free(l.counts.v);
	ak_buf_release(&f);
	ak_schema_free(s);
}

int main(void)
{
	const char *seed = getenv("AK_SEED");
	static const char *codecs[] = { "null", "deflate", "snappy", "zstandard", "bzip2", "xz" };

	rng_state = seed ? strtoull(seed, NULL, 10) : (uint64_t)time(NULL);
	tap_note("AK_SEED=%" PRIu64, rng_state);
	test_edges();
	for (size_t i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++) {
		if (ak_codec_supported(codecs[i]) != 2) {
			tap_skip(codecs[i]);
			continue;
		}
		test_file(codecs[i], 64 + (size_t)below(4000), 500 + below(1500), i < 2 ? 40 : 12);
	}
	test_file("null", 1 << 20, 50, 20); /* one block */
	test_file("null", 100, 0, 10);      /* no block */
	test_damage("null", 1);
	test_damage("deflate", 1);
	if (ak_codec_supported("snappy") == 2)
		test_damage("snappy", 0); /* its CRC-32 finds any damage to the data */
	return tap_done();
}
