/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The decode loop. One recursive function walks the plan ops; it writes JSON straight into the
 * output buffer (no intermediate tree, no allocation per value). When something is wrong it
 * records the error where it is found and each frame on the way out adds its piece of the
 * path (field name, array index, map key), so messages say where inside the record it was.
 */
#include "decode.h"

#include <inttypes.h>
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

struct dctx {
	struct ak_json_writer *w;  /* scratch for resolved records; NULL when skipping */
	const struct ak_op *ops;
	const unsigned char *end;
	struct ak_buf *out;       /* NULL when only skipping */
	struct ak_error *err;
	unsigned pretty;
	unsigned plain;
	unsigned bytes;            /* AK_JSON_BYTES_* or 0 for code points */
	unsigned indent;
	size_t bad_utf8;
	struct ak_path path;     /* built while unwinding after an error */
};


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

static int too_short(struct dctx *c, const char *what, uint64_t need, const unsigned char *p)
{
	return ak_fail(c->err, AK_E_FORMAT, "%s needs %" PRIu64 " bytes but only %zu remain",
		       what, need, (size_t)(c->end - p));
}

static int bad_varint(struct dctx *c, int rc, const char *what)
{
	if (rc == AK_VARINT_SHORT)
		return ak_fail(c->err, AK_E_FORMAT, "data ends inside %s", what);
	return ak_fail(c->err, AK_E_FORMAT, "%s is an overlong varint", what);
}

#define READ_LONG(var, what)                                                   \
	do {                                                                   \
		int vrc_ = ak_varint_decode(&p, end, &(var));                  \
		if (vrc_ != AK_VARINT_OK)                                      \
			return bad_varint(c, vrc_, what);                      \
	} while (0)

#define RESERVE(n)                                                             \
	do {                                                                   \
		if (o && ak_buf_reserve(o, (n), c->err) != AK_OK)              \
			return AK_E_NOMEM;                                     \
	} while (0)

#define PUT_LIT(lit)                                                           \
	do {                                                                   \
		memcpy(o->data + o->len, lit, sizeof(lit) - 1);                \
		o->len += sizeof(lit) - 1;                                     \
	} while (0)

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
		READ_LONG(size, "block byte size");
		if (size < 0 || (uint64_t)size > (uint64_t)(end - p))
			return ak_fail(c->err, AK_E_FORMAT,
				       "%s block byte size %" PRId64 " does not fit in the %zu bytes left",
				       is_map ? "map" : "array", size, (size_t)(end - p));
	}
	left = (uint64_t)(end - p);
	/* a map entry takes at least one byte (its key length) */
	if (is_map || !item->zero_size)
		max = left;
	else
		max = AK_MAX_EMPTY_ITEMS;
	if ((uint64_t)n > max)
		return ak_fail(c->err, AK_E_FORMAT,
			       "%s block claims %" PRId64 " items, more than the %" PRIu64 " %s",
			       is_map ? "map" : "array", n, max,
			       max == left ? "bytes left could hold" : "allowed for empty items");
	*count = n;
	*pp = p;
	return AK_OK;
}

static int dec(struct dctx *c, uint32_t opi, const unsigned char **pp, unsigned depth);

/* Bytes or fixed as a JSON string in the chosen form (room already reserved). */
static void put_bytes_as(struct dctx *c, const unsigned char *p, size_t n)
{
	if (c->bytes == AK_JSON_BYTES_BASE64)
		ak_plain_base64(c->out, p, n);
	else if (c->bytes == AK_JSON_BYTES_HEX)
		ak_plain_hex(c->out, p, n);
	else
		ak_json_put_bytes(c->out, p, n);
}

/* {"branch": value} around a value; a NULL name (the null branch) writes the value bare. */
static int wrapped(struct dctx *c, const struct ak_str *name, uint32_t opi,
		   const unsigned char **pp, unsigned depth)
{
	struct ak_buf *o = c->out;
	int rc;

	if (!o || !name->s || c->plain)
		return dec(c, opi, pp, depth + 1);
	RESERVE(name->len + 8 + 2 * (size_t)c->indent);
	o->data[o->len++] = '{';
	c->indent++;
	if (c->pretty)
		put_indent(o, c->indent);
	put_str(o, name);
	if (c->pretty)
		PUT_LIT(" : ");
	else
		o->data[o->len++] = ':';
	if ((rc = dec(c, opi, pp, depth + 1)) != AK_OK)
		return rc;
	c->indent--;
	RESERVE(2 + 2 * (size_t)c->indent);
	if (c->pretty)
		put_indent(o, c->indent);
	o->data[o->len++] = '}';
	return AK_OK;
}

/* Decode without output (a writer field the reader does not have). */
static int skip(struct dctx *c, uint32_t opi, const unsigned char **pp, unsigned depth)
{
	struct ak_buf *save = c->out;
	int rc;

	c->out = NULL;
	rc = dec(c, opi, pp, depth);
	c->out = save;
	return rc;
}

struct ak_decode_scratch {
	struct rspan {
		size_t start, end;
	} *spans[AK_DATA_MAX_DEPTH + 2];
	size_t cap[AK_DATA_MAX_DEPTH + 2];
	struct ak_buf tmp;
};

/* A record read through a reader schema: fields are decoded in the writer's order, then laid
 * out in the reader's order with defaults for the fields the writer lacks. */
static int dec_record_r(struct dctx *c, const struct ak_op *op, const unsigned char **pp,
			unsigned depth)
{
	struct ak_buf *o = c->out;
	struct ak_decode_scratch *sc;
	struct rspan *sp;
	size_t start;
	int rc;

	if (!o) {
		for (uint32_t i = 0; i < op->n; i++)
			if ((rc = dec(c, op->sub[i], pp, depth + 1)) != AK_OK)
				return rc;
		return AK_OK;
	}
	if (!c->w->scratch && !(c->w->scratch = calloc(1, sizeof(struct ak_decode_scratch))))
		return ak_fail(c->err, AK_E_NOMEM, "out of memory");
	sc = c->w->scratch;
	if (sc->cap[depth] < op->nout) {
		sp = realloc(sc->spans[depth], op->nout * sizeof(*sp));
		if (!sp)
			return ak_fail(c->err, AK_E_NOMEM, "out of memory");
		sc->spans[depth] = sp;
		sc->cap[depth] = op->nout;
	}
	sp = sc->spans[depth];
	for (uint32_t k = 0; k < op->nout; k++)
		sp[k].start = SIZE_MAX;
	start = o->len;
	c->indent++;
	for (uint32_t i = 0; i < op->n; i++) {
		int32_t d = op->map[i];

		if (d < 0) {
			rc = skip(c, op->sub[i], pp, depth + 1);
		} else {
			sp[d].start = o->len;
			rc = dec(c, op->sub[i], pp, depth + 1);
			sp[d].end = o->len;
		}
		if (rc != AK_OK) {
			if (d < 0)
				ak_path_field(&c->path, op->node->fields[i].name,
					      strlen(op->node->fields[i].name));
			else
				ak_path_field(&c->path, op->names[d].s + 1, op->names[d].len - 2);
			return rc;
		}
	}
	c->indent--;
	/* lay the fields out in the reader's order */
	struct ak_buf *t = &sc->tmp;
	t->len = 0;
	for (uint32_t k = 0; k < op->nout; k++) {
		const struct ak_str *key = &op->names[k];
		size_t vlen = sp[k].start != SIZE_MAX ? sp[k].end - sp[k].start : op->defaults[k].len;

		if (ak_buf_reserve(t, key->len + vlen + 16 + 2 * (size_t)c->indent, c->err) != AK_OK)
			return AK_E_NOMEM;
		t->data[t->len++] = k ? ',' : '{';
		if (c->pretty)
			put_indent(t, c->indent + 1);
		put_str(t, key);
		if (c->pretty) {
			memcpy(t->data + t->len, " : ", 3);
			t->len += 3;
		} else {
			t->data[t->len++] = ':';
		}
		if (sp[k].start != SIZE_MAX) {
			memcpy(t->data + t->len, o->data + sp[k].start, vlen);
			t->len += vlen;
		} else if (c->pretty) {
			/* defaults are kept compact; lay them out like the rest */
			if (ak_json_reformat(op->defaults[k].s, vlen, 2, c->indent + 1, t, c->err) !=
			    AK_OK)
				return c->err->code;
		} else {
			memcpy(t->data + t->len, op->defaults[k].s, vlen);
			t->len += vlen;
		}
	}
	if (ak_buf_reserve(t, 4 + 2 * (size_t)c->indent, c->err) != AK_OK)
		return AK_E_NOMEM;
	if (!op->nout) {
		t->data[t->len++] = '{';
		if (c->pretty)
			t->data[t->len++] = ' ';
	} else if (c->pretty) {
		put_indent(t, c->indent);
	}
	t->data[t->len++] = '}';
	o->len = start;
	return ak_buf_append(o, t->data, t->len, c->err);
}

void ak_json_writer_release(struct ak_json_writer *w)
{
	struct ak_decode_scratch *sc = w->scratch;

	if (!sc)
		return;
	for (size_t i = 0; i < AK_DATA_MAX_DEPTH + 2; i++)
		free(sc->spans[i]);
	ak_buf_release(&sc->tmp);
	free(sc);
	w->scratch = NULL;
}

static int dec(struct dctx *c, uint32_t opi, const unsigned char **pp, unsigned depth)
{
	const struct ak_op *op = &c->ops[opi];
	const unsigned char *p = *pp, *end = c->end;
	struct ak_buf *o = c->out;
	int64_t v;
	int rc;

	if (depth > AK_DATA_MAX_DEPTH)
		return ak_fail(c->err, AK_E_LIMIT, "data nested deeper than %d levels",
			       AK_DATA_MAX_DEPTH);
	switch (op->kind) {
	case AK_NULL:
		if (o) {
			RESERVE(4);
			PUT_LIT("null");
		}
		break;
	case AK_BOOLEAN:
		if (p >= end)
			return too_short(c, "boolean", 1, p);
		if (*p > 1)
			return ak_fail(c->err, AK_E_FORMAT, "invalid boolean byte 0x%02x", *p);
		if (o) {
			RESERVE(5);
			if (*p)
				PUT_LIT("true");
			else
				PUT_LIT("false");
		}
		p++;
		break;
	case AK_INT:
		READ_LONG(v, "int");
		if (v < INT32_MIN || v > INT32_MAX)
			return ak_fail(c->err, AK_E_FORMAT, "int value %" PRId64 " is out of range", v);
		if (o) {
			RESERVE(AK_PLAIN_MAX);
			if (!c->plain || !op->logical || ak_plain_logical_long(c->out, op->logical, v) != 0)
				ak_json_put_long(o, v);
		}
		break;
	case AK_LONG:
		READ_LONG(v, "long");
		if (o) {
			RESERVE(AK_PLAIN_MAX);
			if (!c->plain || !op->logical || ak_plain_logical_long(c->out, op->logical, v) != 0)
				ak_json_put_long(o, v);
		}
		break;
	case AK_FLOAT: {
		float f;

		if (end - p < 4)
			return too_short(c, "float", 4, p);
		f = read_float(p);
		p += 4;
		if (o) {
			RESERVE(AK_JSON_NUMBER_MAX);
			ak_json_put_float(o, f);
		}
		break;
	}
	case AK_DOUBLE: {
		double d;

		if (end - p < 8)
			return too_short(c, "double", 8, p);
		d = read_double(p);
		p += 8;
		if (o) {
			RESERVE(AK_JSON_NUMBER_MAX);
			ak_json_put_double(o, d);
		}
		break;
	}
	case AK_BYTES:
	case AK_STRING: {
		const char *what = op->kind == AK_STRING ? "string" : "bytes";

		READ_LONG(v, op->kind == AK_STRING ? "string length" : "bytes length");
		if (v < 0)
			return ak_fail(c->err, AK_E_FORMAT, "negative %s length %" PRId64, what, v);
		if ((uint64_t)v > (uint64_t)(end - p))
			return too_short(c, what, (uint64_t)v, p);
		if (o) {
			RESERVE(AK_JSON_STRING_MAX((size_t)v));
			if (op->kind == AK_STRING)
				c->bad_utf8 += ak_json_put_string(o, p, (size_t)v);
			else if (!c->plain || op->logical != AK_LT_DECIMAL ||
				 (o->cap - o->len < AK_PLAIN_DECIMAL_MAX((size_t)v, op->node->scale) &&
				  ak_buf_reserve(o, AK_PLAIN_DECIMAL_MAX((size_t)v, op->node->scale),
						 c->err) != AK_OK) ||
				 ak_plain_decimal(o, p, (size_t)v, op->node->scale) != 0)
				put_bytes_as(c, p, (size_t)v);
		}
		p += v;
		break;
	}
	case AK_FIXED:
		if ((size_t)(end - p) < op->n)
			return too_short(c, "fixed", op->n, p);
		if (o) {
			RESERVE(AK_JSON_STRING_MAX((size_t)op->n) + AK_PLAIN_MAX);
			if (c->plain && op->logical == AK_LT_UUID)
				ak_plain_uuid(o, p);
			else if (c->plain && op->logical == AK_LT_DURATION)
				ak_plain_duration(o, p);
			else if (!c->plain || op->logical != AK_LT_DECIMAL ||
				 (o->cap - o->len < AK_PLAIN_DECIMAL_MAX(op->n, op->node->scale) &&
				  ak_buf_reserve(o, AK_PLAIN_DECIMAL_MAX(op->n, op->node->scale),
						 c->err) != AK_OK) ||
				 ak_plain_decimal(o, p, op->n, op->node->scale) != 0)
				put_bytes_as(c, p, op->n);
		}
		p += op->n;
		break;
	case AK_ENUM:
		READ_LONG(v, "enum index");
		if (v < 0 || v >= op->n)
			return ak_fail(c->err, AK_E_FORMAT, "enum index %" PRId64 " is out of range "
				       "(%s has %" PRIu32 " symbols)", v, op->node->fullname, op->n);
		if (o) {
			RESERVE(op->names[v].len);
			put_str(o, &op->names[v]);
		}
		break;
	case AK_RECORD:
		if (o) {
			RESERVE(4 + 2 * (size_t)c->indent);
			o->data[o->len++] = '{';
			if (c->pretty && op->n == 0)
				o->data[o->len++] = ' ';
			c->indent++;
		}
		for (uint32_t i = 0; i < op->n; i++) {
			if (o) {
				const struct ak_str *k = &op->names[i];

				RESERVE(k->len + 8 + 2 * (size_t)c->indent);
				if (i)
					o->data[o->len++] = ',';
				if (c->pretty)
					put_indent(o, c->indent);
				put_str(o, k);
				if (c->pretty)
					PUT_LIT(" : ");
				else
					o->data[o->len++] = ':';
			}
			if ((rc = dec(c, op->sub[i], &p, depth + 1)) != AK_OK) {
				ak_path_field(&c->path, op->names[i].s + 1, op->names[i].len - 2);
				return rc;
			}
		}
		if (o) {
			c->indent--;
			RESERVE(2 + 2 * (size_t)c->indent);
			if (c->pretty && op->n)
				put_indent(o, c->indent);
			o->data[o->len++] = '}';
		}
		break;
	case AK_ARRAY: {
		const struct ak_op *item = &c->ops[op->item];
		uint64_t idx = 0;
		int64_t n;

		if (o) {
			RESERVE(2);
			o->data[o->len++] = '[';
		}
		for (;;) {
			if ((rc = read_block_count(c, &p, item, &n, 0)) != AK_OK)
				return rc;
			if (n == 0)
				break;
			for (int64_t i = 0; i < n; i++, idx++) {
				if (o) {
					RESERVE(2);
					if (idx)
						o->data[o->len++] = ',';
					if (c->pretty)
						o->data[o->len++] = ' ';
				}
				if ((rc = dec(c, op->item, &p, depth + 1)) != AK_OK) {
					ak_path_index(&c->path, idx);
					return rc;
				}
			}
		}
		if (o) {
			RESERVE(2);
			if (c->pretty)
				o->data[o->len++] = ' ';
			o->data[o->len++] = ']';
		}
		break;
	}
	case AK_MAP: {
		const struct ak_op *item = &c->ops[op->item];
		uint64_t idx = 0;
		int64_t n;

		if (o) {
			RESERVE(2);
			o->data[o->len++] = '{';
			c->indent++;
		}
		for (;;) {
			if ((rc = read_block_count(c, &p, item, &n, 1)) != AK_OK)
				return rc;
			if (n == 0)
				break;
			for (int64_t i = 0; i < n; i++, idx++) {
				const unsigned char *key;
				int64_t klen;

				READ_LONG(klen, "map key length");
				if (klen < 0)
					return ak_fail(c->err, AK_E_FORMAT,
						       "negative map key length %" PRId64, klen);
				if ((uint64_t)klen > (uint64_t)(end - p))
					return too_short(c, "map key", (uint64_t)klen, p);
				key = p;
				p += klen;
				if (o) {
					RESERVE(AK_JSON_STRING_MAX((size_t)klen) + 8 +
						2 * (size_t)c->indent);
					if (idx)
						o->data[o->len++] = ',';
					if (c->pretty)
						put_indent(o, c->indent);
					c->bad_utf8 += ak_json_put_string(o, key, (size_t)klen);
					if (c->pretty)
						PUT_LIT(" : ");
					else
						o->data[o->len++] = ':';
				}
				if ((rc = dec(c, op->item, &p, depth + 1)) != AK_OK) {
					ak_path_key(&c->path, key, (size_t)klen);
					return rc;
				}
			}
		}
		if (o) {
			c->indent--;
			RESERVE(4 + 2 * (size_t)c->indent);
			if (c->pretty) {
				if (idx)
					put_indent(o, c->indent);
				else
					o->data[o->len++] = ' ';
			}
			o->data[o->len++] = '}';
		}
		break;
	}
	case AK_UNION: {
		READ_LONG(v, "union branch index");
		if (v < 0 || v >= op->n)
			return ak_fail(c->err, AK_E_FORMAT,
				       "union branch index %" PRId64 " is out of range (%" PRIu32
				       " branches)", v, op->n);
		/* {"branch": value}; the null branch and plain JSON give the value alone */
		if ((rc = wrapped(c, &op->names[v], op->sub[v], &p, depth)) != AK_OK)
			return rc;
		break;
	}
	case AK_OP_RECORD_R:
		if ((rc = dec_record_r(c, op, &p, depth)) != AK_OK)
			return rc;
		break;
	case AK_OP_ENUM_R:
		READ_LONG(v, "enum index");
		if (v < 0 || v >= op->n)
			return ak_fail(c->err, AK_E_FORMAT, "enum index %" PRId64 " is out of range "
				       "(%s has %" PRIu32 " symbols)", v, op->node->fullname, op->n);
		if (op->map[v] < 0)
			return ak_fail(c->err, AK_E_FORMAT, "symbol %s is not in the reader's enum "
				       "(which has no default)", op->node->symbols[v]);
		if (o) {
			RESERVE(op->names[op->map[v]].len);
			put_str(o, &op->names[op->map[v]]);
		}
		break;
	case AK_OP_UNION_R:
		READ_LONG(v, "union branch index");
		if (v < 0 || v >= op->n)
			return ak_fail(c->err, AK_E_FORMAT,
				       "union branch index %" PRId64 " is out of range (%" PRIu32
				       " branches)", v, op->n);
		if (op->map[v] < 0)
			rc = dec(c, op->sub[v], &p, depth + 1);
		else
			rc = wrapped(c, &op->names[op->map[v]], op->sub[v], &p, depth);
		if (rc != AK_OK)
			return rc;
		break;
	case AK_OP_TO_UNION:
		if ((rc = wrapped(c, &op->names[op->map[0]], op->item, &p, depth)) != AK_OK)
			return rc;
		break;
	case AK_OP_INT_FLOAT:
	case AK_OP_INT_DOUBLE:
	case AK_OP_LONG_FLOAT:
	case AK_OP_LONG_DOUBLE:
		READ_LONG(v, op->kind <= AK_OP_INT_DOUBLE ? "int" : "long");
		if (op->kind <= AK_OP_INT_DOUBLE && (v < INT32_MIN || v > INT32_MAX))
			return ak_fail(c->err, AK_E_FORMAT, "int value %" PRId64 " is out of range", v);
		if (o) {
			RESERVE(AK_JSON_NUMBER_MAX);
			if (op->kind == AK_OP_INT_FLOAT || op->kind == AK_OP_LONG_FLOAT)
				ak_json_put_float(o, (float)v);
			else
				ak_json_put_double(o, (double)v);
		}
		break;
	case AK_OP_FLOAT_DOUBLE: {
		float f;

		if (end - p < 4)
			return too_short(c, "float", 4, p);
		f = read_float(p);
		p += 4;
		if (o) {
			RESERVE(AK_JSON_NUMBER_MAX);
			ak_json_put_double(o, (double)f);
		}
		break;
	}
	case AK_OP_BYTES_STRING:
	case AK_OP_STRING_BYTES:
		READ_LONG(v, "length");
		if (v < 0)
			return ak_fail(c->err, AK_E_FORMAT, "negative length %" PRId64, v);
		if ((uint64_t)v > (uint64_t)(end - p))
			return too_short(c, op->kind == AK_OP_BYTES_STRING ? "bytes" : "string",
					 (uint64_t)v, p);
		if (o) {
			RESERVE(AK_JSON_STRING_MAX((size_t)v));
			if (op->kind == AK_OP_BYTES_STRING)
				c->bad_utf8 += ak_json_put_string(o, p, (size_t)v);
			else
				ak_json_put_bytes(o, p, (size_t)v);
		}
		p += v;
		break;
	case AK_OP_SKIP:
		if ((rc = skip(c, op->item, &p, depth + 1)) != AK_OK)
			return rc;
		break;
	case AK_OP_ERROR:
		return ak_fail(c->err, AK_E_FORMAT, "cannot read this value with the reader's schema: "
			       "%s", op->names[0].s);
	default:
		return ak_fail(c->err, AK_E_ARG, "bad plan op %u", op->kind);
	}
	*pp = p;
	return AK_OK;
}

static int finish(struct dctx *c, int rc)
{
	if (rc != AK_OK && !ak_path_empty(&c->path)) {
		ak_error_prefix(c->err, "field %s", ak_path_str(&c->path));
	}
	return rc;
}

int ak_decode_json(struct ak_json_writer *w, const unsigned char **p, const unsigned char *end,
		   struct ak_buf *out, struct ak_error *err)
{
	struct dctx c;
	int rc;

	c.w = w;
	c.ops = w->plan->ops;
	c.end = end;
	c.out = out;
	c.err = err;
	c.pretty = (w->flags & AK_JSON_PRETTY) != 0;
	c.plain = (w->flags & AK_JSON_PLAIN) != 0;
	c.bytes = w->flags & (AK_JSON_BYTES_BASE64 | AK_JSON_BYTES_HEX);
	c.indent = 0;
	c.bad_utf8 = 0;
	ak_path_reset(&c.path);
	rc = dec(&c, w->plan->root, p, 0);
	w->bad_utf8 += c.bad_utf8;
	return finish(&c, rc);
}

int ak_decode_skip(const struct ak_plan *plan, const unsigned char **p, const unsigned char *end,
		   struct ak_error *err)
{
	struct dctx c;

	c.w = NULL;
	c.ops = plan->ops;
	c.end = end;
	c.out = NULL;
	c.err = err;
	c.pretty = 0;
	c.plain = 0;
	c.bytes = 0;
	c.indent = 0;
	c.bad_utf8 = 0;
	ak_path_reset(&c.path);
	return finish(&c, dec(&c, plan->root, p, 0));
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
