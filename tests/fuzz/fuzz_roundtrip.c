/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: decode, encode, the same datum. The input is a schema, a NUL byte, then bytes
 * taken as datums of that schema. Each datum decoded is put again into an encoder for the same
 * schema by a visitor that calls the matching ak_put_* for every event (ak_put_branch for
 * unions, ak_put_field_index for fields), giving E1. Avro allows several encodings of one value
 * (arrays and maps in blocks split any way, negative block counts with byte sizes, varints
 * that are not minimal), so the input's bytes themselves need not come back. What must hold:
 *
 *   - E1 decodes, to its last byte, to the same values (the same events; NaNs count as equal,
 *     since a float's NaN payload may change on the way) and to the same JSON text;
 *   - E1 is a fixed point: decoding it and encoding again gives E1, byte for byte;
 *   - E1 is no longer than the bytes the input's datum took (the encoder writes the shortest
 *     form: minimal varints, one block per array or map).
 *
 * A datum whose strings or map keys are not UTF-8 cannot be put (the encoder checks what the
 * decoder passes on as stored) and is left out.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avrokit.h"
#include "fuzz_buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOT_UTF8 1     /* a visitor's stop: the datum cannot be put */
#define TOO_BIG 2      /* a visitor's stop: too many events for a fuzz run */
#define MAX_EVENTS 200000

/* memcmp() == 0, for pointers that may be NULL when @n is 0 */
static int same(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

/* The visitor's state: the encoder to put into, and a log of the events (types and values,
 * with no block-size hints) to compare datums by. */
struct ctx {
	struct ak_encoder *e;
	struct buf log;
	unsigned long events;
};

static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		i += len;
	}
	return 1;
}

/* Log an event: a tag, the type's node id, then the value's bytes. */
static int ev(struct ctx *c, char tag, const struct ak_node *t, const void *p, size_t n)
{
	uint64_t id = t ? ak_node_id(t) : UINT64_MAX;
	uint64_t len = n;

	if (++c->events > MAX_EVENTS)
		return TOO_BIG;
	if (put(&c->log, &tag, 1) || put(&c->log, &id, sizeof(id)) ||
	    put(&c->log, &len, sizeof(len)) || (n && put(&c->log, p, n)))
		return -1;
	return 0;
}

/* A put's status: a failure stops the decoding with it (a negative status passes through). */
#define PUT(call) do { int rc_ = (call); if (rc_ != AK_OK) return rc_; } while (0)

static int v_null(void *x, const struct ak_node *t)
{
	struct ctx *c = x;
	int rc = ev(c, 'n', t, NULL, 0);

	return rc ? rc : ak_put_null(c->e, NULL);
}

static int v_boolean(void *x, const struct ak_node *t, int v)
{
	struct ctx *c = x;
	unsigned char b = (unsigned char)v;
	int rc = ev(c, 'b', t, &b, 1);

	return rc ? rc : ak_put_boolean(c->e, v, NULL);
}

static int v_int(void *x, const struct ak_node *t, int32_t v)
{
	struct ctx *c = x;
	int rc = ev(c, 'i', t, &v, sizeof(v));

	return rc ? rc : ak_put_int(c->e, v, NULL);
}

static int v_long(void *x, const struct ak_node *t, int64_t v)
{
	struct ctx *c = x;
	int rc = ev(c, 'l', t, &v, sizeof(v));

	return rc ? rc : ak_put_long(c->e, v, NULL);
}

static int v_float(void *x, const struct ak_node *t, float v)
{
	struct ctx *c = x;
	int rc = isnan(v) ? ev(c, 'F', t, NULL, 0) : ev(c, 'f', t, &v, sizeof(v));

	return rc ? rc : ak_put_float(c->e, v, NULL);
}

static int v_double(void *x, const struct ak_node *t, double v)
{
	struct ctx *c = x;
	int rc = isnan(v) ? ev(c, 'D', t, NULL, 0) : ev(c, 'd', t, &v, sizeof(v));

	return rc ? rc : ak_put_double(c->e, v, NULL);
}

static int v_bytes(void *x, const struct ak_node *t, const void *p, size_t n)
{
	struct ctx *c = x;
	int rc = ev(c, 'y', t, p, n);

	return rc ? rc : ak_put_bytes(c->e, p, n, NULL);
}

static int v_string(void *x, const struct ak_node *t, const char *p, size_t n)
{
	struct ctx *c = x;
	int rc;

	if (!utf8_ok((const unsigned char *)p, n))
		return NOT_UTF8;
	rc = ev(c, 's', t, p, n);
	return rc ? rc : ak_put_string(c->e, p, n, NULL);
}

static int v_fixed(void *x, const struct ak_node *t, const void *p, size_t n)
{
	struct ctx *c = x;
	int rc = ev(c, 'x', t, p, n);

	return rc ? rc : ak_put_fixed(c->e, p, n, NULL);
}

static int v_enum(void *x, const struct ak_node *t, uint32_t i)
{
	struct ctx *c = x;
	int rc = ev(c, 'e', t, &i, sizeof(i));

	return rc ? rc : ak_put_enum(c->e, i, NULL);
}

static int v_rbegin(void *x, const struct ak_node *t)
{
	struct ctx *c = x;
	int rc = ev(c, '{', t, NULL, 0);

	return rc ? rc : ak_put_record(c->e, NULL);
}

static int v_rfield(void *x, const struct ak_node *t, uint32_t i)
{
	struct ctx *c = x;
	int rc = ev(c, '.', t, &i, sizeof(i));

	return rc ? rc : ak_put_field_index(c->e, i, NULL);
}

static int v_end(void *x, const struct ak_node *t)
{
	struct ctx *c = x;
	int rc = ev(c, '}', t, NULL, 0);

	return rc ? rc : ak_put_end(c->e, NULL);
}

static int v_abegin(void *x, const struct ak_node *t, uint64_t hint)
{
	struct ctx *c = x;
	int rc = ev(c, '[', t, NULL, 0);

	(void)hint; /* how the items were split into blocks: not a value */
	return rc ? rc : ak_put_array(c->e, NULL);
}

static int v_mbegin(void *x, const struct ak_node *t, uint64_t hint)
{
	struct ctx *c = x;
	int rc = ev(c, '<', t, NULL, 0);

	(void)hint;
	return rc ? rc : ak_put_map(c->e, NULL);
}

static int v_mkey(void *x, const struct ak_node *t, const char *k, size_t n)
{
	struct ctx *c = x;
	int rc;

	if (!utf8_ok((const unsigned char *)k, n))
		return NOT_UTF8;
	rc = ev(c, 'k', t, k, n);
	return rc ? rc : ak_put_key(c->e, k, n, NULL);
}

static int v_union(void *x, const struct ak_node *t, uint32_t i)
{
	struct ctx *c = x;
	int rc = ev(c, '|', t, &i, sizeof(i));

	return rc ? rc : ak_put_branch(c->e, i, NULL);
}

static const struct ak_visitor reput = {
	sizeof(struct ak_visitor), v_null, v_boolean, v_int, v_long, v_float, v_double, v_bytes,
	v_string, v_fixed, v_enum, v_rbegin, v_rfield, v_end, v_abegin, v_end, v_mbegin, v_mkey,
	v_end, v_union,
};

/* Decode one datum at @p into @c (a fresh log, a reset encoder): AK_OK with the bytes used,
 * AK_E_CALLBACK when the datum cannot be put (NOT_UTF8, TOO_BIG), or the decoder's error. */
static int reencode(struct ak_decoder *d, struct ctx *c, const void *p, size_t n, size_t *used)
{
	c->log.len = 0;
	c->events = 0;
	ak_encoder_reset(c->e);
	return ak_decode(d, p, n, used, &reput, c, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size), *q, *end = data + size;
	struct ak_schema *s;
	struct ak_decoder *d = NULL;
	struct ctx c1 = { NULL, { NULL, 0, 0 }, 0 }, c2 = { NULL, { NULL, 0, 0 }, 0 };
	struct buf j1 = { NULL, 0, 0 }, j2 = { NULL, 0, 0 }, e1 = { NULL, 0, 0 };

	if (!nul)
		return 0;
	if (!(s = ak_schema_parse((const char *)data, (size_t)(nul - data), 0, NULL)))
		return 0;
	d = ak_decoder_new(s, NULL, NULL);
	c1.e = ak_encoder_new(s, NULL, NULL);
	c2.e = ak_encoder_new(s, NULL, NULL);
	if (!d || !c1.e || !c2.e)
		__builtin_trap();
	q = nul + 1;
	for (int n = 0; n < 16 && q <= end; n++) {
		const void *p;
		size_t used = 0, used2 = 0, len;
		int rc;

		rc = reencode(d, &c1, q, (size_t)(end - q), &used);
		if (rc != AK_OK) {
			/* bad data stops; so does a datum the encoder cannot take, but only for a
			 * reason the visitor gave */
			if (rc != AK_E_FORMAT && rc != AK_E_LIMIT && rc != AK_E_CALLBACK)
				__builtin_trap();
			break;
		}
		if (ak_encoder_datum(c1.e, &p, &len, NULL) != AK_OK)
			__builtin_trap(); /* every value decoded must be taken by the encoder */
		e1.len = 0;
		if (put(&e1, p, len))
			break;
		if (e1.len > used)
			__builtin_trap(); /* the encoder's form is the shortest */
		/* E1 decodes to the same values, and encodes to itself */
		if (reencode(d, &c2, e1.p, e1.len, &used2) != AK_OK || used2 != e1.len)
			__builtin_trap();
		if (c1.log.len != c2.log.len || !same(c1.log.p, c2.log.p, c1.log.len))
			__builtin_trap();
		if (ak_encoder_datum(c2.e, &p, &len, NULL) != AK_OK || len != e1.len ||
		    !same(p, e1.p, len))
			__builtin_trap();
		/* and to the same JSON text */
		j1.len = j2.len = 0;
		if (ak_decode_json(d, q, used, NULL, collect, &j1, NULL) != AK_OK ||
		    ak_decode_json(d, e1.p, e1.len, NULL, collect, &j2, NULL) != AK_OK ||
		    j1.len != j2.len || !same(j1.p, j2.p, j1.len))
			__builtin_trap();
		if (used == 0)
			break; /* a datum of no bytes: the rest would be the same */
		q += used;
	}
	free(c1.log.p);
	free(c2.log.p);
	free(j1.p);
	free(j2.p);
	free(e1.p);
	ak_encoder_free(c1.e);
	ak_encoder_free(c2.e);
	ak_decoder_free(d);
	ak_schema_free(s);
	return 0;
}
