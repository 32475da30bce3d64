/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the stream reader (ak_stream_reader, stream.c). The first byte picks the
 * framing and the length prefix, the second the schema (one of a few, flat and not, or the
 * input's own text up to a NUL byte), a reader schema, the JSON form and how many bytes each
 * read hands over; the rest is the messages. They are read three ways, which must agree:
 * to JSON on the caller's thread through a callback that hands out a few bytes per read
 * (refills, datums decoded again), to JSON from memory on two threads from the first byte
 * (the batching, the skip programs), and as value trees. Then the JSON is written back as
 * messages by the stream writer and read again: the same JSON must come out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const SCHEMAS[] = {
	/* flat: the threads skip it with a program */
	"{\"type\":\"record\",\"name\":\"F\",\"fields\":[{\"name\":\"l\",\"type\":\"long\"},"
	"{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"i\",\"type\":\"int\"},"
	"{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"f\",\"type\":\"float\"},"
	"{\"name\":\"d\",\"type\":\"double\"},{\"name\":\"e\",\"type\":{\"type\":\"enum\","
	"\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]}},{\"name\":\"x\",\"type\":{\"type\":"
	"\"fixed\",\"name\":\"X\",\"size\":3}},{\"name\":\"y\",\"type\":\"bytes\"}]}",
	/* not flat */
	"{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"u\",\"type\":[\"null\","
	"\"string\",\"long\"]},{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"double\"}}]}",
	"\"string\"",
	"{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
	"{\"name\":\"next\",\"type\":[\"null\",\"L\"]}]}",
};

/* Reader schemas for the first two: fields dropped, promoted, added with defaults. */
static const char *const READERS[] = {
	"{\"type\":\"record\",\"name\":\"F\",\"fields\":[{\"name\":\"i\",\"type\":\"double\"},"
	"{\"name\":\"s\",\"type\":\"bytes\"},{\"name\":\"e\",\"type\":{\"type\":\"enum\","
	"\"name\":\"E\",\"symbols\":[\"A\",\"Z\"],\"default\":\"Z\"}},"
	"{\"name\":\"z\",\"type\":\"int\",\"default\":4}]}",
	"{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"u\",\"type\":[\"null\","
	"\"string\"]},{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"double\"}}]}",
};

struct chunks {
	const uint8_t *p;
	size_t len, pos, step;
};

static ssize_t chunk_read(void *ctx, void *buf, size_t n)
{
	struct chunks *c = ctx;

	if (n > c->step)
		n = c->step;
	if (n > c->len - c->pos)
		n = c->len - c->pos;
	if (n)
		memcpy(buf, c->p + c->pos, n);
	c->pos += n;
	return (ssize_t)n;
}

/* Show what differs, then crash: the fuzzer keeps the input. */
static void mismatch(const char *what, int rc1, int rc2, const struct ak_buf *a,
		     const struct ak_buf *b)
{
	fprintf(stderr, "%s: status %d and %d, %zu and %zu bytes of JSON:\n%.*s\n--\n%.*s\n", what,
		rc1, rc2, a->len, b->len, (int)a->len, a->data ? (const char *)a->data : "",
		(int)b->len, b->data ? (const char *)b->data : "");
	abort();
}

static int buf_write(void *ctx, const void *p, size_t n)
{
	return ak_buf_append(ctx, p, n, NULL) == AK_OK ? 0 : -1;
}

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct chunks *c = ctx;

	if (n > c->len - c->pos)
		n = c->len - c->pos;
	if (n)
		memcpy(buf, c->p + c->pos, n);
	c->pos += n;
	return (ssize_t)n;
}

/* The schema of every fingerprint and id. */
static const struct ak_schema *any(void *ctx, unsigned framing, uint64_t key)
{
	(void)framing;
	(void)key;
	return ctx;
}

static struct ak_stream_reader *reader(const struct ak_stream_opts *o, struct ak_schema *s,
				       int known)
{
	struct ak_stream_opts so = *o;
	struct ak_stream_reader *r;

	if (known && so.framing == AK_FRAMING_SINGLE_OBJECT) {
		so.lookup = any;
		so.lookup_ctx = s;
	}
	if (!(r = ak_stream_reader_new(&so, NULL)))
		return NULL;
	if (so.framing != AK_FRAMING_SINGLE_OBJECT &&
	    ak_stream_reader_add_schema(r, s, so.framing == AK_FRAMING_CONFLUENT && !known ? 1
											  : -1,
					NULL) != AK_OK)
		abort();
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_schema *s = NULL, *rs = NULL;
	struct ak_stream_opts o;
	struct ak_stream_reader *r1 = NULL, *r2 = NULL;
	struct ak_buf j1 = AK_BUF_INIT, j2 = AK_BUF_INIT, m = AK_BUF_INIT, j3 = AK_BUF_INIT;
	struct ak_error e1, e2;
	struct chunks c;
	unsigned b0, b1, which;
	int rc1, rc2, known;

	if (size < 2)
		return 0;
	b0 = data[0];
	b1 = data[1];
	data += 2;
	size -= 2;
	ak_stream_opts_init(&o);
	o.framing = b0 % 3;
	o.length_prefix = (b0 / 3) % 4;
	o.json_flags = (b1 & 0x20 ? AK_JSON_PLAIN : 0) | (b1 & 0x40 ? AK_JSON_PRETTY : 0);
	known = !(b1 & 0x80); /* else confluent's id 1 and single-object's fingerprints unknown */
	which = b1 & 3;
	if (b0 & 0x80) {
		const uint8_t *nul = memchr(data, 0, size);

		if (!nul)
			return 0;
		s = ak_schema_parse((const char *)data, (size_t)(nul - data), 0, NULL);
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	} else {
		s = ak_schema_parse(SCHEMAS[which], strlen(SCHEMAS[which]), 0, NULL);
		if ((b1 & 0x10) && which < 2)
			o.reader_schema = rs = ak_schema_parse(READERS[which],
							       strlen(READERS[which]), 0, NULL);
	}
	if (!s)
		goto out;

	/* on this thread, a few bytes per read */
	o.threads = 1;
	if (!(r1 = reader(&o, s, known)))
		goto out;
	c = (struct chunks){ data, size, 0, 1 + ((b1 >> 2) & 3) * 5 };
	ak_stream_reader_set_callbacks(r1, chunk_read, &c, NULL);
	rc1 = ak_stream_to_json(r1, AK_NO_POS, buf_write, &j1, NULL, NULL, &e1);
	/* from memory, on two threads at once */
	o.threads = 2;
	if (!(r2 = reader(&o, s, known)))
		goto out;
	ak_stream_reader_tune(r2, 0, 1 + (b0 >> 3) % 64);
	ak_stream_reader_set_memory(r2, data, size, NULL);
	rc2 = ak_stream_to_json(r2, AK_NO_POS, buf_write, &j2, NULL, NULL, &e2);
	if (rc1 != rc2 || j1.len != j2.len || (j1.len && memcmp(j1.data, j2.data, j1.len)) ||
	    (rc1 < 0 && (e1.record != e2.record || e1.offset != e2.offset)))
		/* the threads must print what one thread prints */
		mismatch("threads", rc1, rc2, &j1, &j2);
	/* value trees: as many as there were lines (plain JSON has errors of its own) */
	if (!(o.json_flags & AK_JSON_PLAIN)) {
		const struct ak_value *v;
		uint64_t n = 0;
		int rc;

		ak_stream_reader_set_memory(r1, data, size, NULL);
		while ((rc = ak_stream_read_value(r1, &v, NULL)) == AK_OK)
			n++;
		if (rc != (rc1 == AK_OK ? AK_EOF : rc1) || (rc1 < 0 && n != e1.record))
			abort();
	}
	/* the JSON back into messages, and read again */
	if (!rs && !(o.json_flags & AK_JSON_PLAIN) && known) {
		struct ak_stream_opts wo = o;
		struct ak_stream_writer *w;
		struct chunks text = { j1.data, j1.len, 0, 0 };
		int rc;

		wo.schema_id = 1;
		if (!(w = ak_stream_writer_open_callbacks(buf_write, &m, s, &wo, NULL)))
			goto out;
		rc = ak_stream_writer_write_json(w, mem_read, &text, 0, NULL, NULL, &e2);
		if (rc == AK_OK)
			rc = ak_stream_writer_flush(w, &e2);
		ak_stream_writer_free(w);
		if (rc != AK_OK) {
			fprintf(stderr, "writing back: %s\n", e2.msg);
			abort(); /* what tojson prints, fromjson reads */
		}
		ak_stream_reader_set_memory(r2, m.data, m.len, NULL);
		rc = ak_stream_to_json(r2, AK_NO_POS, buf_write, &j3, NULL, NULL, &e2);
		if (rc != AK_OK || j3.len != j1.len || (j1.len && memcmp(j1.data, j3.data, j1.len)))
			mismatch("written back", AK_OK, rc, &j1, &j3);
	}
out:
	ak_stream_reader_free(r1);
	ak_stream_reader_free(r2);
	ak_buf_release(&j1);
	ak_buf_release(&j2);
	ak_buf_release(&j3);
	ak_buf_release(&m);
	ak_schema_free(s);
	ak_schema_free(rs);
	return 0;
}
