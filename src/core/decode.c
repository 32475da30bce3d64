/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding Avro binary through a plan, for three consumers: none (checking and skipping), the
 * JSON writer (Avro JSON or plain, straight into the output buffer), and a caller's visitor
 * callbacks. The walk itself is in decode_walk.h, included once per consumer with that
 * consumer's hooks; this file holds what the instances share and the hooks. When something is
 * wrong the error is recorded where it is found and each frame on the way out adds its piece
 * of the path (field name, array index, map key), so messages say where inside the record.
 */
#include "decode.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "path.h"
#include "plain.h"
#include "varint.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#define AK_BIG_ENDIAN 1
#endif

/* Per-depth places of a resolved record's fields in the JSON output, to put them in the
 * reader's order at its end. */
struct rspan {
	size_t start, end;
};

struct ak_decode_scratch {
	struct rspan **spans; /* [max_depth + 2] */
	size_t *cap;
	size_t *rstart;       /* where the record at that depth starts in the output */
	unsigned depths;
	struct ak_buf tmp;
};

struct dctx {
	const struct ak_op *ops;
	const unsigned char *end;
	struct ak_error *err;
	unsigned max_depth;
	uint64_t empty_left;       /* items that take no bytes this datum may still hold */
	struct ak_path path;       /* built while unwinding after an error */
	/* JSON */
	struct ak_json_writer *w;
	struct ak_buf ob;          /* the output, a copy of the caller's for the datum: reached
				    * without a pointer to load, and written back at the end */
	unsigned flags, indent;    /* enum ak_json_flags; the depth of pretty output */
	size_t bad_utf8;
	/* visitor: the caller's own when it has every callback this library knows (read through
	 * the pointer, not copied: a copy per datum was 60 instructions of a small record's
	 * decoding), else @vcopy, a copy with those it does not have (older size) NULL */
	const struct ak_visitor *vis;
	void *vctx;
	struct ak_visitor vcopy;
};

/* Room for a decimal read in another scale (ak_op.rescale), its sign bytes included. Kept
 * in the frame of the one function that rescales: an array in struct dctx, which every
 * datum's call has on its stack, gave those calls the stack protector's check. */
#define RESCALE_ROOM (AK_RESCALE_BYTES + AK_RESCALE_MAX / 2 + 8)

/* ---- what every instance shares ---- */

/* Little-endian IEEE 754 values, whatever the host's byte order. */
static inline float read_float(const unsigned char *p)
{
	float f;
#ifdef AK_BIG_ENDIAN
	uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		     (uint32_t)p[3] << 24;
	memcpy(&f, &u, 4);
#else
	memcpy(&f, p, 4);
#endif
	return f;
}

static inline double read_double(const unsigned char *p)
{
	double d;
#ifdef AK_BIG_ENDIAN
	uint64_t u = 0;
	for (int i = 7; i >= 0; i--)
		u = u << 8 | p[i];
	memcpy(&d, &u, 8);
#else
	memcpy(&d, p, 8);
#endif
	return d;
}

static int truncated(struct dctx *c)
{
	if (c->err)
		c->err->flags |= AK_ERROR_TRUNCATED;
	return AK_E_FORMAT;
}

/* A value the reader schema cannot take (a symbol or a branch it lacks): AK_E_FORMAT, marked
 * as the reader schema's. */
__attribute__((format(printf, 2, 3)))
static int resolution_error(struct dctx *c, const char *fmt, ...)
{
	char msg[AK_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ak_fail(c->err, AK_E_FORMAT, "%s", msg);
	if (c->err)
		c->err->flags |= AK_ERROR_READER_SCHEMA;
	return AK_E_FORMAT;
}

/* @d (@m bytes, big-endian two's complement) negated in place. */
static void negate(unsigned char *d, size_t m)
{
	unsigned carry = 1;

	for (size_t i = m; i-- > 0;) {
		unsigned v = (unsigned char)~d[i] + carry;

		d[i] = (unsigned char)v;
		carry = v >> 8;
	}
}

/*
 * The decimal @*p (@*n bytes, big-endian two's complement, the writer's scale) in the
 * reader's scale, op->rescale digits more (multiplied by a power of ten) or fewer (divided,
 * when nothing is left over), as the shortest bytes (a fixed: its size) in @d (RESCALE_ROOM
 * bytes); *@p and *@n are pointed there. AK_E_FORMAT marked as the reader schema's when the
 * value cannot be had exactly, does not fit the fixed, or is longer than AK_RESCALE_BYTES.
 */
static int rescale_decimal(struct dctx *c, const struct ak_op *op, const unsigned char **p,
			   size_t *n, unsigned char *d)
{
	size_t len = *n, m, k;
	int neg = len && (**p & 0x80), digits = op->rescale;

	if (len > AK_RESCALE_BYTES)
		return resolution_error(c, "a decimal of %zu bytes is too long to read in another "
					"scale (at most %d bytes)", len, AK_RESCALE_BYTES);
	/* sign-extended by enough bytes that the result fits: 10^64 < 2^213 */
	m = len + (digits > 0 ? (size_t)digits / 2 + 2 : 1);
	memset(d, neg ? 0xff : 0, m - len);
	if (len)
		memcpy(d + m - len, *p, len);
	if (digits > 0) {
		for (int t = 0; t < digits; t++) {
			unsigned carry = 0;

			for (size_t i = m; i-- > 0;) {
				unsigned v = d[i] * 10u + carry;

				d[i] = (unsigned char)v;
				carry = v >> 8;
			}
		}
	} else {
		/* on the magnitude: negate, divide, negate back */
		if (neg)
			negate(d, m);
		for (int t = 0; t < -digits; t++) {
			unsigned rem = 0;

			for (size_t i = 0; i < m; i++) {
				unsigned v = rem << 8 | d[i];

				d[i] = (unsigned char)(v / 10);
				rem = v % 10;
			}
			if (rem)
				return resolution_error(c, "the decimal's value cannot be read with "
							"the reader's scale %d without losing digits "
							"(the writer's is %d)", op->rnode->scale,
							op->node->scale);
		}
		if (neg)
			negate(d, m);
	}
	/* the shortest form: drop sign bytes the next byte repeats */
	for (k = 0; k + 1 < m; k++)
		if (!((d[k] == 0 && !(d[k + 1] & 0x80)) || (d[k] == 0xff && (d[k + 1] & 0x80))))
			break;
	if (op->kind == AK_OP_RESCALE_FIXED) {
		if (m - k > op->n)
			return resolution_error(c, "the decimal's value in the reader's scale %d does "
						"not fit the fixed of %" PRIu32 " bytes",
						op->rnode->scale, op->n);
		k = m - op->n; /* sign bytes up to its size */
	}
	*p = d + k;
	*n = m - k;
	return AK_OK;
}

static int too_short(struct dctx *c, const char *what, uint64_t need, const unsigned char *p)
{
	ak_fail(c->err, AK_E_FORMAT, "%s needs %" PRIu64 " bytes but only %zu remain", what, need,
		(size_t)(c->end - p));
	return truncated(c);
}

static int bad_varint(struct dctx *c, int rc, const char *what)
{
	if (rc == AK_VARINT_SHORT) {
		ak_fail(c->err, AK_E_FORMAT, "data ends inside %s", what);
		return truncated(c);
	}
	return ak_fail(c->err, AK_E_FORMAT, "%s is an overlong varint", what);
}

#define READ_LONG(var, what)                                                   \
	do {                                                                   \
		int vrc_ = ak_varint_decode(&p, end, &(var));                  \
		if (vrc_ != AK_VARINT_OK)                                      \
			return bad_varint(c, vrc_, what);                      \
	} while (0)

/* Block counts of arrays and maps: negative means a byte size follows. */
static int read_block_count(struct dctx *c, const unsigned char **pp, const struct ak_op *item,
			    int64_t *count, int is_map)
{
	const unsigned char *p = *pp, *end = c->end;
	int64_t n, size;
	uint64_t left, max;

	READ_LONG(n, is_map ? "map block count" : "array block count");
	if (n < 0) {
		if (n == INT64_MIN)
			return ak_fail(c->err, AK_E_FORMAT, "invalid %s block count",
				       is_map ? "map" : "array");
		n = -n;
		/* The byte size is read and not used, as Java's, Python's and fastavro's readers
		 * do: the items are read one by one, so a wrong size changes nothing, and whether
		 * a datum decodes never depends on the bytes after it. */
		READ_LONG(size, "block byte size");
		(void)size;
	}
	left = (uint64_t)(end - p);
	/* a map entry takes at least one byte (its key length); items that take none are
	 * counted against one budget for the whole datum, so that nested arrays of them cannot
	 * multiply it */
	if (is_map || !item->zero_size)
		max = left;
	else
		max = c->empty_left;
	if ((uint64_t)n > max) {
		ak_fail(c->err, AK_E_FORMAT,
			"%s block claims %" PRId64 " items, more than the %" PRIu64 " %s",
			is_map ? "map" : "array", n, max,
			max == left ? "bytes left could hold" : "allowed for empty items");
		return max == left ? truncated(c) : AK_E_FORMAT;
	}
	if (!is_map && item->zero_size)
		c->empty_left -= (uint64_t)n;
	*count = n;
	*pp = p;
	return AK_OK;
}

/* ---- instance 1: skipping (no consumer) ---- */

#define WALK(x) skip_##x
#define WALK_READS_DEFAULTS 0
#define H_NULL(c, op) AK_OK
#define H_BOOLEAN(c, op, b) AK_OK
#define H_INT(c, op, v) AK_OK
#define H_LONG(c, op, v) AK_OK
#define H_FLOAT(c, op, v) AK_OK
#define H_DOUBLE(c, op, v) AK_OK
#define H_BYTES(c, op, p, n) AK_OK
#define H_STRING(c, op, p, n) AK_OK
#define H_FIXED(c, op, p, n) AK_OK
#define H_ENUM(c, op, i) AK_OK
#define H_REC_BEGIN(c, op) AK_OK
#define H_REC_FIELD(c, op, i) AK_OK
#define H_REC_END(c, op) AK_OK
#define H_RBEGIN(c, op, depth) AK_OK
#define H_RFIELD(c, op, i, depth) AK_OK
#define H_RFIELD_END(c, op, i, depth) AK_OK
#define H_REND(c, op, depth) AK_OK
#define H_ARR_BEGIN(c, op, hint) AK_OK
#define H_ARR_ITEM(c, op, i) AK_OK
#define H_ARR_END(c, op, n) AK_OK
#define H_MAP_BEGIN(c, op, hint) AK_OK
#define H_MAP_KEY(c, op, i, k, n) AK_OK
#define H_MAP_END(c, op, n) AK_OK
#define H_UNION_BEGIN(c, op, i) AK_OK
#define H_UNION_END(c, op, i) AK_OK
#include "decode_walk.h"
#undef WALK
#undef WALK_READS_DEFAULTS
#undef H_NULL
#undef H_BOOLEAN
#undef H_INT
#undef H_LONG
#undef H_FLOAT
#undef H_DOUBLE
#undef H_BYTES
#undef H_STRING
#undef H_FIXED
#undef H_ENUM
#undef H_REC_BEGIN
#undef H_REC_FIELD
#undef H_REC_END
#undef H_RBEGIN
#undef H_RFIELD
#undef H_RFIELD_END
#undef H_REND
#undef H_ARR_BEGIN
#undef H_ARR_ITEM
#undef H_ARR_END
#undef H_MAP_BEGIN
#undef H_MAP_KEY
#undef H_MAP_END
#undef H_UNION_BEGIN
#undef H_UNION_END

/* ---- instance 2: the JSON writer ---- */

#define J_RESERVE(c, n)                                                        \
	do {                                                                   \
		if (ak_buf_reserve(&(c)->ob, (n), (c)->err) != AK_OK)          \
			return AK_E_NOMEM;                                     \
	} while (0)

#define J_LIT(o, lit)                                                          \
	do {                                                                   \
		memcpy((o)->data + (o)->len, lit, sizeof(lit) - 1);            \
		(o)->len += sizeof(lit) - 1;                                   \
	} while (0)

#define J_INLINE static inline __attribute__((always_inline)) int

/* The writer's flags (enum ak_json_flags), kept whole in the context: testing a bit costs what
 * loading a flag of its own did, and copying one word per datum is cheaper than three. */
#define PRETTY(c) ((c)->flags & AK_JSON_PRETTY)
#define PLAIN(c) ((c)->flags & AK_JSON_PLAIN)
#define BYTES_AS(c) ((c)->flags & (AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX))

static inline void put_str(struct ak_buf *o, const struct ak_str *s)
{
	memcpy(o->data + o->len, s->s, s->len);
	o->len += s->len;
}

static inline void put_indent(struct ak_buf *o, unsigned indent)
{
	o->data[o->len++] = '\n';
	memset(o->data + o->len, ' ', 2 * (size_t)indent);
	o->len += 2 * (size_t)indent;
}

/* Bytes or fixed as a JSON string in the chosen form (room already reserved). */
static void put_bytes_as(struct dctx *c, const unsigned char *p, size_t n)
{
	if (BYTES_AS(c) == AK_JSON_BYTES_BASE64)
		ak_plain_base64(&c->ob, p, n);
	else if (BYTES_AS(c) == AK_JSON_BYTES_HEX)
		ak_plain_hex(&c->ob, p, n);
	else
		ak_json_put_bytes(&c->ob, p, n);
}

/* A decimal in plain JSON, when it can be written as one: 0, else -1 (print the bytes), in
 * the reader's scale. */
static int put_plain_decimal(struct dctx *c, const struct ak_op *op, const unsigned char *p,
			     size_t n)
{
	int scale = op->rnode->scale; /* a writer's of another scale was rescaled */
	size_t need = AK_PLAIN_DECIMAL_MAX(n, scale);

	if (c->ob.cap - c->ob.len < need && ak_buf_reserve(&c->ob, need, c->err) != AK_OK)
		return -1;
	return ak_plain_decimal(&c->ob, p, n, scale);
}

J_INLINE j_null(struct dctx *c)
{
	J_RESERVE(c, 4);
	J_LIT(&c->ob, "null");
	return AK_OK;
}

J_INLINE j_boolean(struct dctx *c, unsigned b)
{
	J_RESERVE(c, 5);
	if (b)
		J_LIT(&c->ob, "true");
	else
		J_LIT(&c->ob, "false");
	return AK_OK;
}

J_INLINE j_long(struct dctx *c, const struct ak_op *op, int64_t v)
{
	J_RESERVE(c, AK_PLAIN_MAX);
	if (!PLAIN(c) || !op->logical || ak_plain_logical_long(&c->ob, op->logical, v) != 0)
		ak_json_put_long(&c->ob, v);
	return AK_OK;
}

J_INLINE j_float(struct dctx *c, float f)
{
	J_RESERVE(c, AK_JSON_NUMBER_MAX);
	ak_json_put_float(&c->ob, f);
	return AK_OK;
}

J_INLINE j_double(struct dctx *c, double d)
{
	J_RESERVE(c, AK_JSON_NUMBER_MAX);
	ak_json_put_double(&c->ob, d);
	return AK_OK;
}

J_INLINE j_string(struct dctx *c, const unsigned char *p, size_t n)
{
	J_RESERVE(c, AK_JSON_STRING_MAX(n));
	c->bad_utf8 += ak_json_put_string(&c->ob, p, n);
	return AK_OK;
}

J_INLINE j_bytes(struct dctx *c, const struct ak_op *op, const unsigned char *p, size_t n)
{
	J_RESERVE(c, AK_JSON_STRING_MAX(n));
	if (!PLAIN(c) || op->logical != AK_LT_DECIMAL || put_plain_decimal(c, op, p, n) != 0)
		put_bytes_as(c, p, n);
	return AK_OK;
}

J_INLINE j_fixed(struct dctx *c, const struct ak_op *op, const unsigned char *p, size_t n)
{
	J_RESERVE(c, AK_JSON_STRING_MAX(n) + AK_PLAIN_MAX);
	if (PLAIN(c) && op->logical == AK_LT_UUID && n == 16)
		ak_plain_uuid(&c->ob, p);
	else if (PLAIN(c) && op->logical == AK_LT_DURATION && n == 12)
		ak_plain_duration(&c->ob, p);
	else if (!PLAIN(c) || op->logical != AK_LT_DECIMAL || put_plain_decimal(c, op, p, n) != 0)
		put_bytes_as(c, p, n);
	return AK_OK;
}

J_INLINE j_enum(struct dctx *c, const struct ak_op *op, uint32_t i)
{
	J_RESERVE(c, op->names[i].len);
	put_str(&c->ob, &op->names[i]);
	return AK_OK;
}

J_INLINE j_key(struct dctx *c, const struct ak_str *k)
{
	struct ak_buf *o = &c->ob;

	if (PRETTY(c))
		put_indent(o, c->indent);
	put_str(o, k);
	if (PRETTY(c))
		J_LIT(o, " : ");
	else
		o->data[o->len++] = ':';
	return AK_OK;
}

J_INLINE j_rec_begin(struct dctx *c, const struct ak_op *op)
{
	J_RESERVE(c, 4 + 2 * (size_t)c->indent);
	c->ob.data[c->ob.len++] = '{';
	if (PRETTY(c) && op->n == 0)
		c->ob.data[c->ob.len++] = ' ';
	c->indent++;
	return AK_OK;
}

J_INLINE j_rec_field(struct dctx *c, const struct ak_op *op, uint32_t i)
{
	const struct ak_str *k = &op->names[i];

	J_RESERVE(c, k->len + 8 + 2 * (size_t)c->indent);
	if (i)
		c->ob.data[c->ob.len++] = ',';
	return j_key(c, k);
}

J_INLINE j_rec_end(struct dctx *c, const struct ak_op *op)
{
	c->indent--;
	J_RESERVE(c, 2 + 2 * (size_t)c->indent);
	if (PRETTY(c) && op->n)
		put_indent(&c->ob, c->indent);
	c->ob.data[c->ob.len++] = '}';
	return AK_OK;
}

J_INLINE j_arr_item(struct dctx *c, uint64_t i)
{
	J_RESERVE(c, 2);
	if (i)
		c->ob.data[c->ob.len++] = ',';
	if (PRETTY(c))
		c->ob.data[c->ob.len++] = ' ';
	return AK_OK;
}

J_INLINE j_arr_end(struct dctx *c)
{
	J_RESERVE(c, 2);
	if (PRETTY(c))
		c->ob.data[c->ob.len++] = ' ';
	c->ob.data[c->ob.len++] = ']';
	return AK_OK;
}

J_INLINE j_open(struct dctx *c, char ch, unsigned indent)
{
	J_RESERVE(c, 2);
	c->ob.data[c->ob.len++] = ch;
	c->indent += indent;
	return AK_OK;
}

J_INLINE j_map_key(struct dctx *c, uint64_t i, const unsigned char *k, size_t n)
{
	struct ak_buf *o = &c->ob;

	J_RESERVE(c, AK_JSON_STRING_MAX(n) + 8 + 2 * (size_t)c->indent);
	if (i)
		o->data[o->len++] = ',';
	if (PRETTY(c))
		put_indent(o, c->indent);
	c->bad_utf8 += ak_json_put_string(o, k, n);
	if (PRETTY(c))
		J_LIT(o, " : ");
	else
		o->data[o->len++] = ':';
	return AK_OK;
}

J_INLINE j_map_end(struct dctx *c, uint64_t n)
{
	c->indent--;
	J_RESERVE(c, 4 + 2 * (size_t)c->indent);
	if (PRETTY(c)) {
		if (n)
			put_indent(&c->ob, c->indent);
		else
			c->ob.data[c->ob.len++] = ' ';
	}
	c->ob.data[c->ob.len++] = '}';
	return AK_OK;
}

/* {"branch": value} around a union value; the null branch and plain JSON give the value
 * alone. */
J_INLINE j_union_begin(struct dctx *c, const struct ak_op *op, uint32_t i)
{
	const struct ak_str *name = &op->names[i];

	if (!name->s || PLAIN(c))
		return AK_OK;
	J_RESERVE(c, name->len + 8 + 2 * (size_t)c->indent);
	c->ob.data[c->ob.len++] = '{';
	c->indent++;
	return j_key(c, name);
}

J_INLINE j_union_end(struct dctx *c, const struct ak_op *op, uint32_t i)
{
	if (!op->names[i].s || PLAIN(c))
		return AK_OK;
	c->indent--;
	J_RESERVE(c, 2 + 2 * (size_t)c->indent);
	if (PRETTY(c))
		put_indent(&c->ob, c->indent);
	c->ob.data[c->ob.len++] = '}';
	return AK_OK;
}

/* A resolved record: the fields are written in the writer's order (then the defaults), and
 * put in the reader's order at the end. */
static int j_rbegin(struct dctx *c, const struct ak_op *op, unsigned depth)
{
	struct ak_decode_scratch *sc = c->w->scratch;

	if (!sc || sc->depths < c->max_depth + 2) {
		unsigned n = c->max_depth + 2;

		if (sc) {
			ak_json_writer_release(c->w);
			sc = NULL;
		}
		if (!(sc = calloc(1, sizeof(*sc))) || !(sc->spans = calloc(n, sizeof(*sc->spans))) ||
		    !(sc->cap = calloc(n, sizeof(*sc->cap))) ||
		    !(sc->rstart = calloc(n, sizeof(*sc->rstart)))) {
			if (sc) {
				free(sc->spans);
				free(sc->cap);
				free(sc);
			}
			return ak_fail(c->err, AK_E_NOMEM, "out of memory");
		}
		sc->depths = n;
		c->w->scratch = sc;
	}
	if (sc->cap[depth] < op->nout) {
		struct rspan *sp = realloc(sc->spans[depth], op->nout * sizeof(*sp));

		if (!sp)
			return ak_fail(c->err, AK_E_NOMEM, "out of memory");
		sc->spans[depth] = sp;
		sc->cap[depth] = op->nout;
	}
	sc->rstart[depth] = c->ob.len;
	c->indent++;
	return AK_OK;
}

J_INLINE j_rfield(struct dctx *c, uint32_t i, unsigned depth)
{
	((struct ak_decode_scratch *)c->w->scratch)->spans[depth][i].start = c->ob.len;
	return AK_OK;
}

J_INLINE j_rfield_end(struct dctx *c, uint32_t i, unsigned depth)
{
	((struct ak_decode_scratch *)c->w->scratch)->spans[depth][i].end = c->ob.len;
	return AK_OK;
}

static int j_rend(struct dctx *c, const struct ak_op *op, unsigned depth)
{
	struct ak_decode_scratch *sc = c->w->scratch;
	struct rspan *sp = sc->spans[depth];
	struct ak_buf *o = &c->ob, *t = &sc->tmp;

	c->indent--;
	t->len = 0;
	for (uint32_t k = 0; k < op->nout; k++) {
		const struct ak_str *key = &op->names[k];
		size_t vlen = sp[k].end - sp[k].start;

		if (ak_buf_reserve(t, key->len + vlen + 16 + 2 * (size_t)c->indent, c->err) != AK_OK)
			return AK_E_NOMEM;
		t->data[t->len++] = k ? ',' : '{';
		if (PRETTY(c))
			put_indent(t, c->indent + 1);
		put_str(t, key);
		if (PRETTY(c)) {
			memcpy(t->data + t->len, " : ", 3);
			t->len += 3;
		} else {
			t->data[t->len++] = ':';
		}
		memcpy(t->data + t->len, o->data + sp[k].start, vlen);
		t->len += vlen;
	}
	if (ak_buf_reserve(t, 4 + 2 * (size_t)c->indent, c->err) != AK_OK)
		return AK_E_NOMEM;
	if (!op->nout) {
		t->data[t->len++] = '{';
		if (PRETTY(c))
			t->data[t->len++] = ' ';
	} else if (PRETTY(c)) {
		put_indent(t, c->indent);
	}
	t->data[t->len++] = '}';
	o->len = sc->rstart[depth];
	return ak_buf_append(o, t->data, t->len, c->err);
}

#define WALK(x) json_##x
#define WALK_READS_DEFAULTS 1
#define H_NULL(c, op) j_null(c)
#define H_BOOLEAN(c, op, b) j_boolean(c, b)
#define H_INT(c, op, v) j_long(c, op, v)
#define H_LONG(c, op, v) j_long(c, op, v)
#define H_FLOAT(c, op, v) j_float(c, v)
#define H_DOUBLE(c, op, v) j_double(c, v)
#define H_BYTES(c, op, p, n) j_bytes(c, op, p, n)
#define H_STRING(c, op, p, n) j_string(c, p, n)
#define H_FIXED(c, op, p, n) j_fixed(c, op, p, n)
#define H_ENUM(c, op, i) j_enum(c, op, i)
#define H_REC_BEGIN(c, op) j_rec_begin(c, op)
#define H_REC_FIELD(c, op, i) j_rec_field(c, op, i)
#define H_REC_END(c, op) j_rec_end(c, op)
#define H_RBEGIN(c, op, depth) j_rbegin(c, op, depth)
#define H_RFIELD(c, op, i, depth) j_rfield(c, i, depth)
#define H_RFIELD_END(c, op, i, depth) j_rfield_end(c, i, depth)
#define H_REND(c, op, depth) j_rend(c, op, depth)
#define H_ARR_BEGIN(c, op, hint) j_open(c, '[', 0)
#define H_ARR_ITEM(c, op, i) j_arr_item(c, i)
#define H_ARR_END(c, op, n) j_arr_end(c)
#define H_MAP_BEGIN(c, op, hint) j_open(c, '{', 1)
#define H_MAP_KEY(c, op, i, k, n) j_map_key(c, i, k, n)
#define H_MAP_END(c, op, n) j_map_end(c, n)
#define H_UNION_BEGIN(c, op, i) j_union_begin(c, op, i)
#define H_UNION_END(c, op, i) j_union_end(c, op, i)
#include "decode_walk.h"
#undef WALK
#undef WALK_READS_DEFAULTS
#undef H_NULL
#undef H_BOOLEAN
#undef H_INT
#undef H_LONG
#undef H_FLOAT
#undef H_DOUBLE
#undef H_BYTES
#undef H_STRING
#undef H_FIXED
#undef H_ENUM
#undef H_REC_BEGIN
#undef H_REC_FIELD
#undef H_REC_END
#undef H_RBEGIN
#undef H_RFIELD
#undef H_RFIELD_END
#undef H_REND
#undef H_ARR_BEGIN
#undef H_ARR_ITEM
#undef H_ARR_END
#undef H_MAP_BEGIN
#undef H_MAP_KEY
#undef H_MAP_END
#undef H_UNION_BEGIN
#undef H_UNION_END

/* ---- instance 3: a caller's visitor ---- */

/* A callback asked to stop: its own negative status, or AK_E_CALLBACK. */
static int stopped(struct dctx *c, int r)
{
	int code = r < 0 && r >= AK_E_CALLBACK ? r : AK_E_CALLBACK;

	return ak_fail(c->err, code, "stopped by a callback");
}

#define V(c, cb, ...)                                                                      \
	((c)->vis->cb ? ((vrc_ = (c)->vis->cb((c)->vctx, __VA_ARGS__)) ? stopped(c, vrc_) : AK_OK) \
		      : AK_OK)

static inline int v_null(struct dctx *c, const struct ak_op *op)
{
	int vrc_;

	return V(c, on_null, op->rnode);
}

static inline int v_boolean(struct dctx *c, const struct ak_op *op, unsigned b)
{
	int vrc_;

	return V(c, on_boolean, op->rnode, (int)b);
}

/* An int, or an int promoted to a reader's long (the plan reads both as ints). */
static inline int v_int(struct dctx *c, const struct ak_op *op, int32_t v)
{
	int vrc_;

	if (op->rnode->type == AK_LONG)
		return V(c, on_long, op->rnode, v);
	return V(c, on_int, op->rnode, v);
}

static inline int v_long(struct dctx *c, const struct ak_op *op, int64_t v)
{
	int vrc_;

	return V(c, on_long, op->rnode, v);
}

static inline int v_float(struct dctx *c, const struct ak_op *op, float v)
{
	int vrc_;

	return V(c, on_float, op->rnode, v);
}

static inline int v_double(struct dctx *c, const struct ak_op *op, double v)
{
	int vrc_;

	return V(c, on_double, op->rnode, v);
}

static inline int v_bytes(struct dctx *c, const struct ak_op *op, const unsigned char *p,
			  size_t n)
{
	int vrc_;

	return V(c, on_bytes, op->rnode, p, n);
}

static inline int v_string(struct dctx *c, const struct ak_op *op, const unsigned char *p,
			   size_t n)
{
	int vrc_;

	return V(c, on_string, op->rnode, (const char *)p, n);
}

static inline int v_fixed(struct dctx *c, const struct ak_op *op, const unsigned char *p,
			  size_t n)
{
	int vrc_;

	return V(c, on_fixed, op->rnode, p, n);
}

static inline int v_enum(struct dctx *c, const struct ak_op *op, uint32_t i)
{
	int vrc_;

	return V(c, on_enum, op->rnode, i);
}

static inline int v_rec_begin(struct dctx *c, const struct ak_op *op)
{
	int vrc_;

	return V(c, record_begin, op->rnode);
}

static inline int v_rec_field(struct dctx *c, const struct ak_op *op, uint32_t i)
{
	int vrc_;

	return V(c, record_field, op->rnode, i);
}

static inline int v_rec_end(struct dctx *c, const struct ak_op *op)
{
	int vrc_;

	return V(c, record_end, op->rnode);
}

static inline int v_arr_begin(struct dctx *c, const struct ak_op *op, uint64_t hint)
{
	int vrc_;

	return V(c, array_begin, op->rnode, hint);
}

static inline int v_arr_end(struct dctx *c, const struct ak_op *op)
{
	int vrc_;

	return V(c, array_end, op->rnode);
}

static inline int v_map_begin(struct dctx *c, const struct ak_op *op, uint64_t hint)
{
	int vrc_;

	return V(c, map_begin, op->rnode, hint);
}

static inline int v_map_key(struct dctx *c, const struct ak_op *op, const unsigned char *k,
			    size_t n)
{
	int vrc_;

	return V(c, map_key, op->rnode, (const char *)k, n);
}

static inline int v_map_end(struct dctx *c, const struct ak_op *op)
{
	int vrc_;

	return V(c, map_end, op->rnode);
}

static inline int v_union(struct dctx *c, const struct ak_op *op, uint32_t i)
{
	int vrc_;

	return V(c, union_branch, op->rnode, i);
}

#define WALK(x) visit_##x
#define WALK_READS_DEFAULTS 1
#define H_NULL(c, op) v_null(c, op)
#define H_BOOLEAN(c, op, b) v_boolean(c, op, b)
#define H_INT(c, op, v) v_int(c, op, v)
#define H_LONG(c, op, v) v_long(c, op, v)
#define H_FLOAT(c, op, v) v_float(c, op, v)
#define H_DOUBLE(c, op, v) v_double(c, op, v)
#define H_BYTES(c, op, p, n) v_bytes(c, op, p, n)
#define H_STRING(c, op, p, n) v_string(c, op, p, n)
#define H_FIXED(c, op, p, n) v_fixed(c, op, p, n)
#define H_ENUM(c, op, i) v_enum(c, op, i)
#define H_REC_BEGIN(c, op) v_rec_begin(c, op)
#define H_REC_FIELD(c, op, i) v_rec_field(c, op, i)
#define H_REC_END(c, op) v_rec_end(c, op)
#define H_RBEGIN(c, op, depth) v_rec_begin(c, op)
#define H_RFIELD(c, op, i, depth) v_rec_field(c, op, i)
#define H_RFIELD_END(c, op, i, depth) AK_OK
#define H_REND(c, op, depth) v_rec_end(c, op)
#define H_ARR_BEGIN(c, op, hint) v_arr_begin(c, op, hint)
#define H_ARR_ITEM(c, op, i) AK_OK
#define H_ARR_END(c, op, n) v_arr_end(c, op)
#define H_MAP_BEGIN(c, op, hint) v_map_begin(c, op, hint)
#define H_MAP_KEY(c, op, i, k, n) v_map_key(c, op, k, n)
#define H_MAP_END(c, op, n) v_map_end(c, op)
#define H_UNION_BEGIN(c, op, i) v_union(c, op, i)
#define H_UNION_END(c, op, i) AK_OK
#include "decode_walk.h"

/* ---- entry points ---- */

void ak_json_writer_release(struct ak_json_writer *w)
{
	struct ak_decode_scratch *sc = w->scratch;

	if (!sc)
		return;
	for (size_t i = 0; i < sc->depths; i++)
		free(sc->spans[i]);
	free(sc->spans);
	free(sc->cap);
	free(sc->rstart);
	ak_buf_release(&sc->tmp);
	free(sc);
	w->scratch = NULL;
}

static void ctx_init(struct dctx *c, const struct ak_plan *plan, const unsigned char *end,
		     unsigned max_depth, struct ak_error *err)
{
	c->ops = plan->ops;
	c->end = end;
	c->err = err;
	c->max_depth = max_depth ? max_depth : AK_DATA_MAX_DEPTH;
	c->empty_left = AK_MAX_EMPTY_ITEMS;
	ak_path_reset(&c->path);
}

static int finish(struct dctx *c, int rc)
{
	if (rc != AK_OK && !ak_path_empty(&c->path))
		ak_error_set_path(c->err, ak_path_str(&c->path));
	return rc;
}

int ak_datum_json(struct ak_json_writer *w, const unsigned char **p, const unsigned char *end,
		  struct ak_buf *out, struct ak_error *err)
{
	struct dctx c;
	int rc;

	ctx_init(&c, w->plan, end, w->max_depth, err);
	c.w = w;
	c.ob = *out;
	c.flags = w->flags;
	c.indent = 0;
	c.bad_utf8 = 0;
	rc = json_dec(&c, w->plan->root, p, 0);
	*out = c.ob; /* grown or not, whatever happened */
	w->bad_utf8 += c.bad_utf8;
	return finish(&c, rc);
}

int ak_datum_visit(const struct ak_plan *plan, const unsigned char **p, const unsigned char *end,
		   const struct ak_visitor *v, void *ctx, unsigned max_depth, struct ak_error *err)
{
	struct dctx c;

	ctx_init(&c, plan, end, max_depth, err);
	if (v && v->size >= sizeof(c.vcopy)) {
		c.vis = v;
	} else {
		memset(&c.vcopy, 0, sizeof(c.vcopy));
		if (v)
			memcpy(&c.vcopy, v, v->size);
		c.vis = &c.vcopy;
	}
	c.vctx = ctx;
	return finish(&c, visit_dec(&c, plan->root, p, 0));
}

int ak_datum_skip(const struct ak_plan *plan, const unsigned char **p, const unsigned char *end,
		  unsigned max_depth, struct ak_error *err)
{
	struct dctx c;

	ctx_init(&c, plan, end, max_depth, err);
	return finish(&c, skip_dec(&c, plan->root, p, 0));
}

int ak_decode_check_count(const struct ak_plan *plan, int64_t count, size_t size,
			  struct ak_error *err)
{
	uint64_t max = !plan->ops[plan->root].zero_size ? size : AK_MAX_EMPTY_ITEMS;

	if (count < 0 || (uint64_t)count > max)
		return ak_fail(err, AK_E_FORMAT, "block claims %" PRId64 " records but its %zu bytes "
			       "cannot hold that many", count, size);
	return AK_OK;
}
