/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streams of datums through the public API (avrokit.h's ak_stream_reader, ak_stream_writer):
 * round trips in every framing and length prefix, from memory, through a callback that hands
 * out one byte at a time (every refill and re-decode path) and through threads; the messages'
 * positions; schemas found by fingerprint, id, the schema for every id and the lookup
 * callback; and each way a message can be wrong, with the index and offset it is reported at.
 * Messages are made by the writer and, where the bytes matter, by hand.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ak.h"
#include "check.h"

static const char USER[] = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
			   "\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
			   "{\"name\":\"name\",\"type\":\"string\"},"
			   "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}";
static const char POINT[] = "{\"type\":\"record\",\"name\":\"Point\","
			    "\"fields\":[{\"name\":\"x\",\"type\":\"int\"},"
			    "{\"name\":\"y\",\"type\":\"double\"}]}";
/* Point with a field added: reads Point's data by resolution */
static const char POINT2[] = "{\"type\":\"record\",\"name\":\"Point\","
			     "\"fields\":[{\"name\":\"x\",\"type\":\"long\"},"
			     "{\"name\":\"y\",\"type\":\"double\"},"
			     "{\"name\":\"z\",\"type\":\"int\",\"default\":7}]}";

static struct ak_schema *parse(const char *json)
{
	struct ak_error err;
	struct ak_schema *s = ak_schema_parse(json, strlen(json), 0, &err);

	if (!s) {
		fprintf(stderr, "schema: %s\n", err.msg);
		abort();
	}
	return s;
}

/* ---- growable bytes, as a write callback and a read callback ---- */

struct bytes {
	unsigned char *p;
	size_t len, cap, pos;
	size_t chunk; /* read at most this many bytes per call (0: all) */
};

static int bytes_write(void *ctx, const void *p, size_t n)
{
	struct bytes *b = ctx;

	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		if (!(b->p = realloc(b->p, cap)))
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

static ssize_t bytes_read(void *ctx, void *buf, size_t n)
{
	struct bytes *b = ctx;
	size_t left = b->len - b->pos;

	if (b->chunk && n > b->chunk)
		n = b->chunk;
	if (n > left)
		n = left;
	memcpy(buf, b->p + b->pos, n);
	b->pos += n;
	return (ssize_t)n;
}

static void bytes_reset(struct bytes *b)
{
	b->len = b->pos = 0;
}

static void bytes_free(struct bytes *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static const char *framing_name(unsigned f)
{
	return f == AK_FRAMING_NONE ? "none" : f == AK_FRAMING_SINGLE_OBJECT ? "single-object"
									      : "confluent";
}

/* ---- writing ---- */

/* Messages of USER records 0 .. n-1, by putting values (every third one appended encoded,
 * to use both ways). */
static int write_users(struct bytes *out, const struct ak_schema *s, unsigned framing,
		       unsigned prefix, int64_t id, unsigned n)
{
	struct ak_stream_opts o;
	struct ak_error err;
	struct ak_stream_writer *w;
	struct ak_encoder *solo = ak_encoder_new(s, NULL, &err);
	int rc = AK_OK;

	ak_stream_opts_init(&o);
	o.framing = framing;
	o.length_prefix = prefix;
	o.schema_id = id;
	if (!solo || !(w = ak_stream_writer_open_callbacks(bytes_write, out, s, &o, &err)))
		return -100;
	for (unsigned i = 0; i < n && rc == AK_OK; i++) {
		struct ak_encoder *e = i % 3 == 2 ? solo : ak_stream_writer_encoder(w);
		char name[32];

		snprintf(name, sizeof(name), "user %u", i);
		ak_put_record(e, NULL);
		ak_put_field(e, "id", NULL);
		ak_put_long(e, (int64_t)i * 1000003, NULL);
		ak_put_field(e, "name", NULL);
		ak_put_string(e, name, strlen(name), NULL);
		ak_put_field(e, "tags", NULL);
		ak_put_array(e, NULL);
		for (unsigned k = 0; k < i % 3; k++)
			ak_put_string(e, "t", 1, NULL);
		ak_put_end(e, NULL);
		ak_put_end(e, NULL);
		if (e == solo) {
			const void *d;
			size_t len;

			if ((rc = ak_encoder_datum(solo, &d, &len, &err)) == AK_OK)
				rc = ak_stream_writer_append(w, d, len, &err);
			ak_encoder_reset(solo);
		} else {
			rc = ak_stream_writer_commit(w, &err);
		}
	}
	if (rc == AK_OK && ak_stream_writer_count(w) != n)
		rc = -101;
	if (rc == AK_OK)
		rc = ak_stream_writer_flush(w, &err);
	if (rc != AK_OK)
		printf("# write_users: %s\n", ERRSTR(&err));
	ak_stream_writer_free(w);
	ak_encoder_free(solo);
	return rc;
}

/* The JSON line of USER record @i. */
static void user_json(unsigned i, char *buf, size_t size)
{
	static const char *const tags[] = { "[]", "[\"t\"]", "[\"t\",\"t\"]" };

	snprintf(buf, size, "{\"id\":%" PRId64 ",\"name\":\"user %u\",\"tags\":%s}",
		 (int64_t)i * 1000003, i, tags[i % 3]);
}

/* Are @n lines of @got the USER records from 0? */
static int users_match(const struct bytes *got, unsigned n)
{
	const char *p = (const char *)got->p, *end = p + got->len;

	for (unsigned i = 0; i < n; i++) {
		char want[128];
		const char *nl;

		user_json(i, want, sizeof(want));
		if (!p || !(nl = memchr(p, '\n', (size_t)(end - p))) ||
		    (size_t)(nl - p) != strlen(want) || memcmp(p, want, strlen(want)) != 0) {
			printf("# line %u: expected %s\n", i, want);
			return 0;
		}
		p = nl + 1;
	}
	return p == end || (!p && n == 0);
}

static struct ak_stream_reader *reader_for(const struct ak_schema *s, unsigned framing,
					   unsigned prefix, int64_t id, unsigned threads)
{
	struct ak_stream_opts o;
	struct ak_error err;
	struct ak_stream_reader *r;

	ak_stream_opts_init(&o);
	o.framing = framing;
	o.length_prefix = prefix;
	o.threads = threads;
	if (!(r = ak_stream_reader_new(&o, &err)))
		return NULL;
	if (ak_stream_reader_add_schema(r, s, framing == AK_FRAMING_CONFLUENT ? id : -1, &err) !=
	    AK_OK) {
		printf("# add_schema: %s\n", ERRSTR(&err));
		ak_stream_reader_free(r);
		return NULL;
	}
	return r;
}

/* ---- round trips ---- */

static void test_round_trips(void)
{
	struct ak_schema *s = parse(USER);
	struct bytes msgs = { 0 }, out = { 0 };
	struct ak_error err;

	for (unsigned f = AK_FRAMING_NONE; f <= AK_FRAMING_CONFLUENT; f++) {
		for (unsigned pfx = AK_LENGTH_NONE; pfx <= AK_LENGTH_UVARINT; pfx++) {
			struct ak_stream_reader *r;
			const struct ak_message *m;
			unsigned n = 300;
			int rc;

			bytes_reset(&msgs);
			rc = write_users(&msgs, s, f, pfx, 42, n);
			CHECK(rc == AK_OK, "%s, prefix %u: %u messages written", framing_name(f), pfx,
			      n);
			r = reader_for(s, f, pfx, 42, 1);
			/* from memory, all at once */
			bytes_reset(&out);
			rc = ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
			if (rc == AK_OK)
				rc = ak_stream_to_json(r, AK_NO_POS, bytes_write, &out, NULL, NULL,
						       &err);
			CHECK(rc == AK_OK && users_match(&out, n), "%s, prefix %u: to JSON from "
			      "memory (%s)", framing_name(f), pfx, rc ? ERRSTR(&err) : "ok");
			m = ak_stream_reader_message(r);
			CHECK(m && m->index == n - 1 && m->offset + m->size == msgs.len &&
			      m->schema == s && m->key == (f == AK_FRAMING_CONFLUENT ? 42u :
				      f == AK_FRAMING_NONE ? 0u : m->key),
			      "%s, prefix %u: the last message's index, offset and size",
			      framing_name(f), pfx);
			/* a byte at a time through a callback: every datum read again after a
			 * refill */
			bytes_reset(&out);
			msgs.pos = 0;
			msgs.chunk = 1;
			rc = ak_stream_reader_set_callbacks(r, bytes_read, &msgs, &err);
			while (rc == AK_OK && (rc = ak_stream_read_json(r, bytes_write, &out, &err)) ==
			       AK_OK)
				bytes_write(&out, "\n", 1);
			msgs.chunk = 0;
			CHECK(rc == AK_EOF && users_match(&out, n), "%s, prefix %u: one byte per "
			      "read, message by message (%s)", framing_name(f), pfx,
			      rc != AK_EOF ? ERRSTR(&err) : "ok");
			/* to JSON through a callback, three bytes per read: the lines decoded are
			 * written before each read */
			bytes_reset(&out);
			msgs.pos = 0;
			msgs.chunk = 3;
			rc = ak_stream_reader_set_callbacks(r, bytes_read, &msgs, &err);
			if (rc == AK_OK)
				rc = ak_stream_to_json(r, AK_NO_POS, bytes_write, &out, NULL, NULL,
						       &err);
			msgs.chunk = 0;
			CHECK(rc == AK_OK && users_match(&out, n), "%s, prefix %u: to JSON, three "
			      "bytes per read (%s)", framing_name(f), pfx, rc ? ERRSTR(&err) : "ok");
			/* values */
			rc = ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
			{
				const struct ak_value *v;
				unsigned got = 0, good = 0;

				while (rc == AK_OK && (rc = ak_stream_read_value(r, &v, &err)) == AK_OK) {
					const struct ak_value *id = ak_value_field(v, "id");

					good += id && ak_value_long(id) == (int64_t)got * 1000003 &&
						ak_value_count(ak_value_field(v, "tags")) == got % 3;
					got++;
				}
				CHECK(rc == AK_EOF && got == n && good == n, "%s, prefix %u: %u of %u "
				      "value trees right", framing_name(f), pfx, good, n);
			}
			ak_stream_reader_free(r);
		}
	}
	bytes_free(&msgs);
	bytes_free(&out);
	ak_schema_free(s);
}

/* A visitor that counts the longs it sees. */
static int count_long(void *ctx, const struct ak_node *type, int64_t v)
{
	(void)type;
	(void)v;
	++*(unsigned *)ctx;
	return 0;
}

static void test_visitor_once(void)
{
	struct ak_schema *s = parse(USER);
	struct bytes msgs = { 0 };
	struct ak_visitor v = AK_VISITOR_INIT;
	struct ak_stream_reader *r;
	struct ak_error err;
	unsigned longs = 0, n = 0;
	int rc;

	v.on_long = count_long;
	write_users(&msgs, s, AK_FRAMING_NONE, AK_LENGTH_NONE, -1, 200);
	r = reader_for(s, AK_FRAMING_NONE, AK_LENGTH_NONE, -1, 1);
	msgs.chunk = 7;
	rc = ak_stream_reader_set_callbacks(r, bytes_read, &msgs, &err);
	while (rc == AK_OK && (rc = ak_stream_read(r, &v, &longs, &err)) == AK_OK)
		n++;
	/* a datum split across reads would call the visitor twice for its first values */
	CHECK(rc == AK_EOF && n == 200 && longs == 200, "a visitor sees each datum once when "
	      "datums cross reads (%u datums, %u longs)", n, longs);
	ak_stream_reader_free(r);
	bytes_free(&msgs);
	ak_schema_free(s);
}

/* More than the first MiB, so that the threads take over; the same lines as on one thread,
 * and the lines before a bad message, then its error. */
static void test_threads(void)
{
	struct ak_schema *s = parse(USER);
	struct bytes msgs = { 0 }, one = { 0 }, many = { 0 };
	struct ak_stream_reader *r1, *r4;
	struct ak_error err;
	unsigned n = 60000;
	int rc1, rc4;

	for (unsigned f = AK_FRAMING_NONE; f <= AK_FRAMING_CONFLUENT; f += 2) {
		bytes_reset(&msgs);
		bytes_reset(&one);
		bytes_reset(&many);
		write_users(&msgs, s, f, AK_LENGTH_NONE, 9, n);
		r1 = reader_for(s, f, AK_LENGTH_NONE, 9, 1);
		r4 = reader_for(s, f, AK_LENGTH_NONE, 9, 4);
		ak_stream_reader_set_memory(r1, msgs.p, msgs.len, &err);
		rc1 = ak_stream_to_json(r1, AK_NO_POS, bytes_write, &one, NULL, NULL, &err);
		ak_stream_reader_set_memory(r4, msgs.p, msgs.len, &err);
		rc4 = ak_stream_to_json(r4, AK_NO_POS, bytes_write, &many, NULL, NULL, &err);
		CHECK(rc1 == AK_OK && rc4 == AK_OK && users_match(&many, n) && one.len == many.len &&
		      memcmp(one.p, many.p, one.len) == 0, "%s: %u messages (%zu bytes) on 4 "
		      "threads as on one", framing_name(f), n, msgs.len);
		CHECK(ak_stream_reader_message(r4)->index == n - 1, "%s: threads: the last "
		      "message's index", framing_name(f));
		/* small batches from the first byte: the workers' and this thread's batches mix */
		{
			struct ak_stream_reader *rt = reader_for(s, f, AK_LENGTH_NONE, 9, 2);

			ak_stream_reader_tune(rt, 0, 700);
			bytes_reset(&many);
			ak_stream_reader_set_memory(rt, msgs.p, msgs.len, &err);
			rc4 = ak_stream_to_json(rt, AK_NO_POS, bytes_write, &many, NULL, NULL, &err);
			CHECK(rc4 == AK_OK && one.len == many.len && memcmp(one.p, many.p, one.len) == 0,
			      "%s: batches of 700 bytes on 2 threads as on one", framing_name(f));
			ak_stream_reader_free(rt);
		}
		/* a bad array count in a message in the threads' part: its index and offset */
		{
			struct ak_stream_reader *rs = reader_for(s, f, AK_LENGTH_NONE, 9, 1);
			const struct ak_message *m;
			unsigned bad = n - 100;
			uint64_t at;
			int rc;

			ak_stream_reader_set_memory(rs, msgs.p, msgs.len, &err);
			for (unsigned i = 0; i < bad; i++)
				ak_stream_read(rs, NULL, NULL, &err);
			m = ak_stream_reader_message(rs);
			at = m->offset + m->size;
			/* the message starts with its header, then the id varint and the name:
			 * make the name's length negative */
			{
				size_t h = f == AK_FRAMING_CONFLUENT ? 5 : 0, k = at + h;

				while (msgs.p[k] & 0x80)
					k++;
				msgs.p[k + 1] = 0x03; /* zig-zag -2 */
			}
			bytes_reset(&many);
			ak_stream_reader_set_memory(r4, msgs.p, msgs.len, &err);
			rc = ak_stream_to_json(r4, AK_NO_POS, bytes_write, &many, NULL, NULL, &err);
			CHECK(rc == AK_E_FORMAT && err.record == bad && err.offset == at &&
			      users_match(&many, bad), "%s: threads: the %u lines before a bad "
			      "message, then its error at its index and offset (%s)",
			      framing_name(f), bad, ERRSTR(&err));
			rc = ak_stream_read_json(r4, NULL, NULL, &err);
			CHECK(rc == AK_E_FORMAT && err.record == bad, "%s: the error stays until the "
			      "next input", framing_name(f));
			ak_stream_reader_free(rs);
		}
		ak_stream_reader_free(r1);
		ak_stream_reader_free(r4);
	}
	bytes_free(&msgs);
	bytes_free(&one);
	bytes_free(&many);
	ak_schema_free(s);
}

/* Count the lines of @b. */
static size_t count_lines(const struct bytes *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->len; i++)
		n += b->p[i] == '\n';
	return n;
}

/*
 * Bare datums of a flat schema go to the threads as runs, found by the skip program, which
 * checks only lengths: an overlong varint is the worker's to find, at its own index and
 * offset, after the lines before it; and every record of a run comes out once, in order.
 */
static void test_threads_flat_runs(void)
{
	static const char flat[] = "{\"type\":\"record\",\"name\":\"F\",\"fields\":["
				   "{\"name\":\"s\",\"type\":\"string\"},"
				   "{\"name\":\"n\",\"type\":\"long\"}]}";
	struct ak_schema *s = parse(flat);
	struct bytes msgs = { 0 }, one = { 0 }, many = { 0 };
	struct ak_error err = { 0 };
	unsigned n = 240000, bad = 220000; /* past the first MiB, which is not threaded */
	uint64_t bad_at = 0;
	int rc;

	for (unsigned i = 0; i < n; i++) {
		unsigned char d[24] = { 6, 'a', 'b', 'c' };
		size_t len = 4;

		if (i == bad) {
			bad_at = msgs.len;
			memset(d + len, 0x80, 10); /* eleven bytes: longer than any long */
			len += 10;
			d[len++] = 0x00;
		} else {
			uint64_t z = (uint64_t)i << 1;

			do {
				d[len++] = (unsigned char)((z & 0x7f) | (z > 0x7f ? 0x80 : 0));
				z >>= 7;
			} while (z);
		}
		bytes_write(&msgs, d, len);
	}
	for (unsigned batch = 0; batch <= 1; batch++) {
		struct ak_stream_reader *r1 = reader_for(s, AK_FRAMING_NONE, AK_LENGTH_NONE, 0, 1);
		struct ak_stream_reader *r2 = reader_for(s, AK_FRAMING_NONE, AK_LENGTH_NONE, 0, 2);

		if (batch) /* threads from the first byte, in batches of 300 bytes */
			ak_stream_reader_tune(r2, 0, 300);
		bytes_reset(&one);
		bytes_reset(&many);
		memset(&err, 0, sizeof(err));
		ak_stream_reader_set_memory(r1, msgs.p, bad_at, &err);
		rc = ak_stream_to_json(r1, AK_NO_POS, bytes_write, &one, NULL, NULL, &err);
		CHECK(rc == AK_OK && count_lines(&one) == bad, "flat runs: %u good datums on one "
		      "thread (%s)", bad, ERRSTR(&err));
		memset(&err, 0, sizeof(err));
		ak_stream_reader_set_memory(r2, msgs.p, bad_at, &err);
		rc = ak_stream_to_json(r2, AK_NO_POS, bytes_write, &many, NULL, NULL, &err);
		CHECK(rc == AK_OK && one.len == many.len && memcmp(one.p, many.p, one.len) == 0,
		      "flat runs%s: the same lines on 2 threads as on one",
		      batch ? " of 300 bytes" : "");
		bytes_reset(&many);
		ak_stream_reader_set_memory(r2, msgs.p, msgs.len, &err);
		rc = ak_stream_to_json(r2, AK_NO_POS, bytes_write, &many, NULL, NULL, &err);
		CHECK(rc == AK_E_FORMAT && err.record == bad && err.offset == bad_at &&
		      one.len == many.len && memcmp(one.p, many.p, one.len) == 0,
		      "flat runs%s: the %u lines before an overlong varint, then its error at its "
		      "index and offset %" PRIu64 " (%s: record %" PRIu64 ", offset %" PRIu64 ")",
		      batch ? " of 300 bytes" : "", bad, bad_at, ERRSTR(&err), err.record,
		      err.offset);
		ak_stream_reader_free(r1);
		ak_stream_reader_free(r2);
	}
	bytes_free(&msgs);
	bytes_free(&one);
	bytes_free(&many);
	ak_schema_free(s);
}

/* ---- schemas by fingerprint and id ---- */

static const struct ak_schema *lookup_point(void *ctx, unsigned framing, uint64_t key)
{
	(void)framing;
	return key == 77 ? ctx : NULL;
}

static void test_schemas(void)
{
	struct ak_schema *user = parse(USER), *point = parse(POINT), *point2 = parse(POINT2);
	struct bytes msgs = { 0 }, out = { 0 };
	struct ak_stream_opts o;
	struct ak_stream_reader *r;
	struct ak_stream_writer *w;
	struct ak_encoder *e;
	struct ak_error err;
	unsigned char fp[32];
	uint64_t key = 0;
	int rc;

	/* single-object: two schemas in one stream */
	ak_stream_opts_init(&o);
	o.framing = AK_FRAMING_SINGLE_OBJECT;
	write_users(&msgs, user, AK_FRAMING_SINGLE_OBJECT, AK_LENGTH_NONE, -1, 2);
	w = ak_stream_writer_open_callbacks(bytes_write, &msgs, point, &o, &err);
	e = ak_stream_writer_encoder(w);
	ak_put_record(e, NULL);
	ak_put_field(e, "x", NULL);
	ak_put_int(e, 3, NULL);
	ak_put_field(e, "y", NULL);
	ak_put_double(e, 0.5, NULL);
	ak_put_end(e, NULL);
	rc = ak_stream_writer_commit(w, &err);
	if (rc == AK_OK)
		rc = ak_stream_writer_flush(w, &err);
	ak_stream_writer_free(w);
	CHECK(rc == AK_OK, "a single-object stream of two schemas written");
	ak_schema_fingerprint(point, AK_FP_CRC64, fp, NULL);
	for (int i = 7; i >= 0; i--)
		key = key << 8 | fp[i];
	CHECK(msgs.len > 10 && memcmp(msgs.p, "\xC3\x01", 2) == 0,
	      "single-object messages start C3 01");
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_add_schema(r, user, -1, &err);
	ak_stream_reader_add_schema(r, point, -1, &err);
	rc = ak_stream_reader_add_schema(r, point, -1, &err);
	CHECK(rc == AK_OK, "the same schema added twice is kept once");
	ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
	rc = ak_stream_to_json(r, AK_NO_POS, bytes_write, &out, NULL, NULL, &err);
	CHECK(rc == AK_OK && out.len > 0 &&
	      strstr((char *)out.p, "\n{\"x\":3,\"y\":0.5}\n") != NULL,
	      "each message read with the schema of its fingerprint");
	CHECK(ak_stream_reader_message(r)->key == key &&
	      ak_stream_reader_message(r)->schema == point,
	      "the message's key is its fingerprint as a little-endian number");
	/* peeking: the schema of the next message, which the next read then reads */
	ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
	{
		const struct ak_message *m;
		unsigned ok = 0;
		int i;

		for (i = 0; i < 3; i++) {
			uint64_t off;

			rc = ak_stream_peek(r, &err);
			m = ak_stream_reader_message(r);
			off = m->offset;
			ok += rc == AK_OK && m->index == (uint64_t)i &&
			      m->schema == (i < 2 ? user : point) &&
			      ak_stream_peek(r, &err) == AK_OK && m->offset == off;
			bytes_reset(&out);
			rc = ak_stream_read_json(r, bytes_write, &out, &err);
			ok += rc == AK_OK && ak_stream_reader_message(r)->index == (uint64_t)i &&
			      ak_stream_reader_message(r)->offset == off;
		}
		CHECK(ok == 6 && ak_stream_peek(r, &err) == AK_EOF, "ak_stream_peek() tells the "
		      "next message's schema, and the next read reads it (%u of 6)", ok);
	}
	ak_stream_reader_free(r);
	/* with only one of them: the other's fingerprint is an error naming it */
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_add_schema(r, user, -1, &err);
	ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
	bytes_reset(&out);
	rc = ak_stream_to_json(r, AK_NO_POS, bytes_write, &out, NULL, NULL, &err);
	{
		char hex[17];

		for (int i = 0; i < 8; i++)
			snprintf(hex + 2 * i, 3, "%02x", fp[i]);
		CHECK(rc == AK_E_SCHEMA && (err.flags & AK_ERROR_UNKNOWN_SCHEMA) &&
		      err.record == 2 && strstr(err.msg, hex) && users_match(&out, 2),
		      "an unknown fingerprint: the messages before it, then an error naming it and "
		      "the message (%s)", ERRSTR(&err));
	}
	ak_stream_reader_free(r);
	/* resolution: Point's data read as Point2 */
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_free(r);
	o.reader_schema = point2;
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_add_schema(r, point, -1, &err);
	ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
	bytes_reset(&out);
	/* (the first two messages are Users, which Point2 cannot read) */
	rc = ak_stream_read_json(r, bytes_write, &out, &err);
	CHECK(rc == AK_E_SCHEMA && (err.flags & AK_ERROR_UNKNOWN_SCHEMA), "with a reader "
	      "schema, an unknown fingerprint is still that");
	ak_stream_reader_free(r);
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_add_schema(r, point, -1, &err);
	ak_stream_reader_add_schema(r, user, -1, &err);
	ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
	rc = ak_stream_read_json(r, bytes_write, &out, &err);
	CHECK(rc == AK_E_SCHEMA && (err.flags & AK_ERROR_READER_SCHEMA) && err.record == 0,
	      "a writer schema the reader schema cannot read: AK_ERROR_READER_SCHEMA (%s)",
	      ERRSTR(&err));
	ak_stream_reader_free(r);
	{
		/* the Point message alone, resolved */
		size_t at = 0;
		struct ak_stream_reader *rr = reader_for(user, AK_FRAMING_SINGLE_OBJECT,
							 AK_LENGTH_NONE, -1, 1);

		ak_stream_reader_set_memory(rr, msgs.p, msgs.len, &err);
		ak_stream_read(rr, NULL, NULL, &err);
		ak_stream_read(rr, NULL, NULL, &err);
		at = ak_stream_reader_message(rr)->offset + ak_stream_reader_message(rr)->size;
		ak_stream_reader_free(rr);
		r = ak_stream_reader_new(&o, &err);
		ak_stream_reader_add_schema(r, point, -1, &err);
		ak_stream_reader_set_memory(r, msgs.p + at, msgs.len - at, &err);
		bytes_reset(&out);
		rc = ak_stream_read_json(r, bytes_write, &out, &err);
		CHECK(rc == AK_OK && out.len == strlen("{\"x\":3,\"y\":0.5,\"z\":7}") &&
		      memcmp(out.p, "{\"x\":3,\"y\":0.5,\"z\":7}", out.len) == 0,
		      "a message resolved to the reader schema: promoted, with its default");
		ak_stream_reader_free(r);
	}

	/* Confluent: by id, the schema for every id, the lookup callback */
	bytes_reset(&msgs);
	write_users(&msgs, user, AK_FRAMING_CONFLUENT, AK_LENGTH_NONE, 5, 3);
	CHECK(msgs.len > 5 && memcmp(msgs.p, "\0\0\0\0\5", 5) == 0, "Confluent: 00, then the id "
	      "as 4 bytes, big-endian");
	ak_stream_opts_init(&o);
	o.framing = AK_FRAMING_CONFLUENT;
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_add_schema(r, user, 6, &err);
	ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
	rc = ak_stream_read(r, NULL, NULL, &err);
	CHECK(rc == AK_E_SCHEMA && (err.flags & AK_ERROR_UNKNOWN_SCHEMA) && err.record == 0 &&
	      err.offset == 0 && strstr(err.msg, "schema id 5"), "an unknown id: %s",
	      ERRSTR(&err));
	rc = ak_stream_reader_add_schema(r, user, -1, &err);
	ak_stream_reader_set_memory(r, msgs.p, msgs.len, &err);
	bytes_reset(&out);
	if (rc == AK_OK)
		rc = ak_stream_to_json(r, AK_NO_POS, bytes_write, &out, NULL, NULL, &err);
	CHECK(rc == AK_OK && users_match(&out, 3), "the schema for every id reads id 5");
	rc = ak_stream_reader_add_schema(r, point, 5, &err);
	CHECK(rc == AK_OK, "a schema for an id read with the schema for every id replaces it");
	rc = ak_stream_reader_add_schema(r, user, 6, &err);
	CHECK(rc == AK_OK, "an id given the same schema again");
	rc = ak_stream_reader_add_schema(r, point, 6, &err);
	CHECK(rc == AK_E_ARG, "an id given another schema: AK_E_ARG");
	rc = ak_stream_reader_add_schema(r, point, (int64_t)UINT32_MAX + 1, &err);
	CHECK(rc == AK_E_ARG, "an id past 2^32 - 1: AK_E_ARG");
	ak_stream_reader_free(r);
	o.lookup = lookup_point;
	o.lookup_ctx = point;
	r = ak_stream_reader_new(&o, &err);
	{
		/* two Points under id 77, one User under id 5 */
		struct bytes m2 = { 0 };
		struct ak_stream_opts wo;

		ak_stream_opts_init(&wo);
		wo.framing = AK_FRAMING_CONFLUENT;
		wo.schema_id = 77;
		w = ak_stream_writer_open_callbacks(bytes_write, &m2, point, &wo, &err);
		for (int i = 0; i < 2; i++) {
			static const unsigned char datum[] = { 0x04, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f };

			rc = ak_stream_writer_append(w, datum, sizeof(datum), &err);
		}
		ak_stream_writer_flush(w, &err);
		ak_stream_writer_free(w);
		bytes_write(&m2, msgs.p, msgs.len);
		ak_stream_reader_set_memory(r, m2.p, m2.len, &err);
		bytes_reset(&out);
		rc = ak_stream_to_json(r, AK_NO_POS, bytes_write, &out, NULL, NULL, &err);
		CHECK(rc == AK_E_SCHEMA && err.record == 2 && err.offset == 2 * 14 &&
		      out.len == 2 * strlen("{\"x\":2,\"y\":1.0}\n"),
		      "the lookup callback finds id 77, not id 5: %s", ERRSTR(&err));
		bytes_free(&m2);
	}
	ak_stream_reader_free(r);

	/* bare datums: one schema */
	r = reader_for(user, AK_FRAMING_NONE, AK_LENGTH_NONE, -1, 1);
	rc = ak_stream_reader_add_schema(r, point, -1, &err);
	CHECK(rc == AK_E_ARG, "bare datums take one schema");
	rc = ak_stream_reader_add_schema(r, user, 3, &err);
	CHECK(rc == AK_E_ARG, "bare datums have no ids");
	ak_stream_reader_free(r);
	ak_stream_opts_init(&o);
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_set_memory(r, "\2", 1, &err);
	rc = ak_stream_read(r, NULL, NULL, &err);
	CHECK(rc == AK_E_STATE, "no schema: AK_E_STATE");
	ak_stream_reader_free(r);
	r = ak_stream_reader_new(&o, &err);
	ak_stream_reader_add_schema(r, user, -1, &err);
	rc = ak_stream_read(r, NULL, NULL, &err);
	CHECK(rc == AK_E_STATE, "no input: AK_E_STATE");
	ak_stream_reader_free(r);

	bytes_free(&msgs);
	bytes_free(&out);
	ak_schema_free(user);
	ak_schema_free(point);
	ak_schema_free(point2);
}

/* ---- bad messages ---- */

/* Read @len bytes of messages of "long" (bare, framed or prefixed as asked) to the end;
 * the status, @err, and the number of messages read in *@n. */
static int read_longs(unsigned framing, unsigned prefix, const void *data, size_t len,
		      struct ak_error *err, unsigned *n)
{
	struct ak_schema *s = parse("\"long\"");
	struct ak_stream_reader *r = reader_for(s, framing, prefix, 1, 1);
	int rc;

	*n = 0;
	ak_stream_reader_set_memory(r, data, len, err);
	while ((rc = ak_stream_read(r, NULL, NULL, err)) == AK_OK)
		++*n;
	ak_stream_reader_free(r);
	ak_schema_free(s);
	return rc;
}

static void test_bad_messages(void)
{
	struct ak_error err;
	unsigned n;
	int rc;

	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_NONE, "\x02\x04\x86", 3, &err, &n);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_TRUNCATED) && n == 2 &&
	      err.record == 2 && err.offset == 2 && strstr(err.msg, "the input ends inside"),
	      "a bare datum cut short: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_CONFLUENT, AK_LENGTH_NONE, "\0\0\0\0\1\x02\0\0\0", 9, &err,
			&n);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_TRUNCATED) && n == 1 &&
	      err.offset == 6 && strstr(err.msg, "header (3 of 5 bytes)"),
	      "a header cut short: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_CONFLUENT, AK_LENGTH_NONE, "\0\0\0\0\1\x02\1\0\0\0\1\x02", 12,
			&err, &n);
	CHECK(rc == AK_E_FORMAT && !(err.flags & AK_ERROR_TRUNCATED) && n == 1 &&
	      err.record == 1 && err.offset == 6 && strstr(err.msg, "magic byte 00, found 01"),
	      "a wrong magic byte: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_SINGLE_OBJECT, AK_LENGTH_NONE, "Obj\1abcdefgh", 12, &err, &n);
	CHECK(rc == AK_E_FORMAT && strstr(err.msg, "C3 01, found 4F 62") &&
	      strstr(err.msg, "Avro data file"), "a data file given as single-object messages: "
	      "%s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_4BE, "\0\0\0\1\x02\0\0\0\2\x04", 10, &err,
			&n);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_TRUNCATED) && n == 1 &&
	      err.offset == 5 && strstr(err.msg, "inside the message (5 of its 6 bytes)"),
	      "a message shorter than its length prefix says: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_4BE, "\0\0\0\2\x02\x04", 6, &err, &n);
	CHECK(rc == AK_E_FORMAT && strstr(err.msg, "1 bytes left over"),
	      "bytes left over in a message: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_4BE, "\0\0\0\1\x86", 5, &err, &n);
	CHECK(rc == AK_E_FORMAT && !(err.flags & AK_ERROR_TRUNCATED) &&
	      strstr(err.msg, "runs past the end of its 5-byte message"),
	      "a datum longer than its message: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_4BE, "\x7f\0\0\0\x02", 5, &err, &n);
	CHECK(rc == AK_E_LIMIT && strstr(err.msg, "exceeds"), "a length past the limit: %s",
	      ERRSTR(&err));
	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_VARINT, "\x03\x02", 2, &err, &n);
	CHECK(rc == AK_E_FORMAT && strstr(err.msg, "negative"), "a negative varint length: %s",
	      ERRSTR(&err));
	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_UVARINT, "\x80\x80", 2, &err, &n);
	CHECK(rc == AK_E_FORMAT && (err.flags & AK_ERROR_TRUNCATED) &&
	      strstr(err.msg, "length prefix"), "a length prefix cut short: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_SINGLE_OBJECT, AK_LENGTH_UVARINT, "\x05\xC3\x01\0\0\0", 6, &err,
			&n);
	CHECK(rc == AK_E_FORMAT && strstr(err.msg, "shorter than its 10-byte header"),
	      "a length shorter than the header: %s", ERRSTR(&err));
	rc = read_longs(AK_FRAMING_NONE, AK_LENGTH_NONE, "", 0, &err, &n);
	CHECK(rc == AK_EOF && n == 0, "no bytes: no messages");
	{
		struct ak_schema *s = parse("\"null\"");
		struct ak_stream_reader *r = reader_for(s, AK_FRAMING_NONE, AK_LENGTH_NONE, -1, 1);

		ak_stream_reader_set_memory(r, "\0", 1, &err);
		rc = ak_stream_read(r, NULL, NULL, &err);
		CHECK(rc == AK_E_FORMAT && strstr(err.msg, "takes no bytes"), "bare datums that "
		      "take no bytes cannot be told apart: %s", ERRSTR(&err));
		ak_stream_reader_free(r);
		r = reader_for(s, AK_FRAMING_NONE, AK_LENGTH_4BE, -1, 1);
		ak_stream_reader_set_memory(r, "\0\0\0\0\0\0\0\0", 8, &err);
		n = 0;
		while ((rc = ak_stream_read(r, NULL, NULL, &err)) == AK_OK)
			n++;
		CHECK(rc == AK_EOF && n == 2, "with a length prefix they can");
		ak_stream_reader_free(r);
		ak_schema_free(s);
	}
	{
		/* max_message: a bare datum whose string would be larger */
		struct ak_schema *s = parse("\"string\"");
		struct ak_stream_opts o;
		struct ak_stream_reader *r;
		struct bytes in = { 0 };
		static unsigned char big[4096];

		ak_stream_opts_init(&o);
		o.max_message = 1000;
		r = ak_stream_reader_new(&o, &err);
		ak_stream_reader_add_schema(r, s, -1, &err);
		memset(big, 'a', sizeof(big));
		big[0] = 0xd0; /* 2000 bytes */
		big[1] = 0x1f;
		bytes_write(&in, big, sizeof(big));
		in.chunk = 100;
		ak_stream_reader_set_callbacks(r, bytes_read, &in, &err);
		rc = ak_stream_read(r, NULL, NULL, &err);
		CHECK(rc == AK_E_LIMIT && err.record == 0 && strstr(err.msg, "1000-byte limit"),
		      "a datum larger than max_message: %s", ERRSTR(&err));
		ak_stream_reader_free(r);
		bytes_free(&in);
		ak_schema_free(s);
	}
}

/* ---- the writer ---- */

static ssize_t text_read(void *ctx, void *buf, size_t n)
{
	const char **t = ctx;
	size_t len = strlen(*t);

	if (n > len)
		n = len;
	memcpy(buf, *t, n);
	*t += n;
	return (ssize_t)n;
}

static void test_writer(void)
{
	struct ak_schema *s = parse("\"long\"");
	struct bytes out = { 0 };
	struct ak_stream_opts o;
	struct ak_stream_writer *w;
	struct ak_error err;
	const char *text;
	int rc;

	ak_stream_opts_init(&o);
	o.framing = AK_FRAMING_CONFLUENT;
	w = ak_stream_writer_open_callbacks(bytes_write, &out, s, &o, &err);
	CHECK(!w && err.code == AK_E_ARG, "Confluent without a schema id: AK_E_ARG");
	o.schema_id = (int64_t)UINT32_MAX + 1;
	w = ak_stream_writer_open_callbacks(bytes_write, &out, s, &o, &err);
	CHECK(!w && err.code == AK_E_ARG, "a schema id past 2^32 - 1: AK_E_ARG");
	o.framing = 9;
	w = ak_stream_writer_open_callbacks(bytes_write, &out, s, &o, &err);
	CHECK(!w && err.code == AK_E_ARG, "an unknown framing: AK_E_ARG");
	ak_stream_opts_init(&o);
	o.length_prefix = AK_LENGTH_UVARINT;
	w = ak_stream_writer_open_callbacks(bytes_write, &out, s, &o, &err);
	rc = ak_stream_writer_commit(w, &err);
	CHECK(rc == AK_E_STATE, "commit with no datum: AK_E_STATE");
	ak_put_long(ak_stream_writer_encoder(w), 1, &err);
	ak_put_long(ak_stream_writer_encoder(w), 2, &err);
	rc = ak_stream_writer_commit(w, &err);
	CHECK(rc == AK_E_STATE, "commit with two datums: AK_E_STATE");
	ak_put_string(ak_stream_writer_encoder(w), "x", 1, &err);
	rc = ak_stream_writer_commit(w, &err);
	CHECK(rc == AK_E_VALUE, "a value of the wrong type: the encoder's error");
	rc = ak_stream_writer_append(w, "\x02\x04", 2, &err);
	CHECK(rc == AK_E_FORMAT && strstr(err.msg, "left over"), "append of two datums: "
	      "AK_E_FORMAT");
	rc = ak_stream_writer_append(w, "\x80", 1, &err);
	CHECK(rc == AK_E_FORMAT, "append of a cut datum: AK_E_FORMAT");
	ak_put_long(ak_stream_writer_encoder(w), -1, &err);
	rc = ak_stream_writer_commit(w, &err);
	text = "[5, 300]";
	if (rc == AK_OK)
		rc = ak_stream_writer_write_json(w, text_read, &text, AK_JSON_ARRAY, NULL, NULL,
						 &err);
	text = "64 bad";
	CHECK(rc == AK_OK && ak_stream_writer_count(w) == 3, "the writer goes on after bad "
	      "datums: 3 messages");
	rc = ak_stream_writer_write_json(w, text_read, &text, 0, NULL, NULL, &err);
	CHECK(rc == AK_E_JSON && err.line == 1 && err.column == 4 &&
	      ak_stream_writer_count(w) == 4, "JSON: the message before an error is kept: %s",
	      ERRSTR(&err));
	rc = ak_stream_writer_flush(w, &err);
	/* uvarint lengths 1, 1, 2, 2 before -1, 5, 300 (0xd8 0x04) and 64 (0x80 0x01) */
	CHECK(rc == AK_OK && out.len == 10 &&
	      memcmp(out.p, "\x01\x01\x01\x0a\x02\xd8\x04\x02\x80\x01", 10) == 0,
	      "uvarint length prefixes, and the datums");
	ak_stream_writer_free(w);
	bytes_free(&out);
	ak_schema_free(s);
}

int main(void)
{
	test_round_trips();
	test_visitor_once();
	test_threads();
	test_threads_flat_runs();
	test_schemas();
	test_bad_messages();
	test_writer();
	return tap_done();
}
