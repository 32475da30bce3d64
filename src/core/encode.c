/* SPDX-License-Identifier: Apache-2.0 */
#include "encode.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "path.h"
#include "plain.h"
#include "varint.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#define AK_BIG_ENDIAN 1
#endif

struct span {
	size_t start, end;
};

/* Scratch for one level of record nesting: where each field's bytes went, and a buffer to put
 * them in schema order when they came in another order. */
struct level {
	struct span *spans;
	size_t cap;
	struct ak_buf tmp;
};

struct def {
	size_t off, len; /* into defmem; off == SIZE_MAX when the field has no default */
};

struct ak_json_encoder {
	const struct ak_plan *plan;
	unsigned flags;
	struct def **defaults;     /* per op: one entry per record field */
	struct ak_buf defmem;
	int32_t *null_branch;      /* per op: index of the null branch of a union, or -1 */
	struct ak_buf key;         /* field names and map keys */
	struct level *levels;      /* AK_DATA_MAX_DEPTH + 2 of them, allocated lazily */
	struct ak_path path;       /* built while unwinding after an error */
	uint64_t trial_bytes;      /* plain unions: bytes read again to pick branches, this value */
	unsigned char (*wrap_first)[32]; /* plain, per union op: first bytes of its branch names,
					  * a quick no to {"Branch": value} (bit set) */
};

/* ---- binary output helpers ---- */

static inline int put_long(struct ak_buf *b, int64_t v, struct ak_error *err)
{
	if (ak_buf_reserve(b, AK_VARINT_MAX, err) != AK_OK)
		return AK_E_NOMEM;
	b->len += ak_varint_encode(b->data + b->len, v);
	return AK_OK;
}

static int put_float(struct ak_buf *b, float f, struct ak_error *err)
{
	if (ak_buf_reserve(b, 4, err) != AK_OK)
		return AK_E_NOMEM;
#ifdef AK_BIG_ENDIAN
	uint32_t u;
	memcpy(&u, &f, 4);
	for (int i = 0; i < 4; i++)
		b->data[b->len + i] = (unsigned char)(u >> (8 * i));
#else
	memcpy(b->data + b->len, &f, 4);
#endif
	b->len += 4;
	return AK_OK;
}

static int put_double(struct ak_buf *b, double d, struct ak_error *err)
{
	if (ak_buf_reserve(b, 8, err) != AK_OK)
		return AK_E_NOMEM;
#ifdef AK_BIG_ENDIAN
	uint64_t u;
	memcpy(&u, &d, 8);
	for (int i = 0; i < 8; i++)
		b->data[b->len + i] = (unsigned char)(u >> (8 * i));
#else
	memcpy(b->data + b->len, &d, 8);
#endif
	b->len += 8;
	return AK_OK;
}

/* Put a varint @v in front of the bytes from @start to the end of @b. */
static int insert_long(struct ak_buf *b, size_t start, int64_t v, struct ak_error *err)
{
	unsigned char tmp[AK_VARINT_MAX];
	size_t n = ak_varint_encode(tmp, v);

	if (ak_buf_reserve(b, n, err) != AK_OK)
		return AK_E_NOMEM;
	memmove(b->data + start + n, b->data + start, b->len - start);
	memcpy(b->data + start, tmp, n);
	b->len += n;
	return AK_OK;
}

/* ---- defaults (from the schema's JSON) ---- */

static int latin1_bytes(const char *s, size_t len, struct ak_buf *out, struct ak_error *err)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i], b;

		if (c < 0x80) {
			b = c;
			i++;
		} else if ((c == 0xc2 || c == 0xc3) && i + 1 < len) {
			b = (unsigned char)(((c & 0x03) << 6) | ((unsigned char)s[i + 1] & 0x3f));
			i += 2;
		} else {
			return ak_fail(err, AK_E_SCHEMA, "default holds a character above U+00FF");
		}
		if (ak_buf_append(out, &b, 1, err) != AK_OK)
			return AK_E_NOMEM;
	}
	return AK_OK;
}

static double json_double(json_t *v)
{
	const char *s = json_string_value(v);

	if (s)
		return strcmp(s, "NaN") == 0 ? NAN : s[0] == '-' ? -INFINITY : INFINITY;
	return json_number_value(v);
}

int ak_encode_default(const struct ak_node *n, const void *json, struct ak_buf *out,
		      struct ak_error *err)
{
	json_t *v = (json_t *)(uintptr_t)json;
	int rc;

	if (!ak_node_accepts_json(n, v))
		return ak_fail(err, AK_E_SCHEMA, "default does not fit type %s",
			       ak_node_branch_name(n));
	switch (n->type) {
	case AK_NULL:
		return AK_OK;
	case AK_BOOLEAN: {
		unsigned char b = json_is_true(v);

		return ak_buf_append(out, &b, 1, err);
	}
	case AK_INT:
	case AK_LONG:
		return put_long(out, (int64_t)json_integer_value(v), err);
	case AK_FLOAT:
		return put_float(out, (float)json_double(v), err);
	case AK_DOUBLE:
		return put_double(out, json_double(v), err);
	case AK_STRING:
		if ((rc = put_long(out, (int64_t)json_string_length(v), err)) != AK_OK)
			return rc;
		return ak_buf_append(out, json_string_value(v), json_string_length(v), err);
	case AK_BYTES: {
		size_t start = out->len;

		if ((rc = latin1_bytes(json_string_value(v), json_string_length(v), out, err)) != AK_OK)
			return rc;
		return insert_long(out, start, (int64_t)(out->len - start), err);
	}
	case AK_FIXED:
		return latin1_bytes(json_string_value(v), json_string_length(v), out, err);
	case AK_ENUM:
		for (size_t i = 0; i < n->nsymbols; i++)
			if (strcmp(n->symbols[i], json_string_value(v)) == 0)
				return put_long(out, (int64_t)i, err);
		return ak_fail(err, AK_E_SCHEMA, "default is not a symbol");
	case AK_ARRAY:
		if (json_array_size(v)) {
			if ((rc = put_long(out, (int64_t)json_array_size(v), err)) != AK_OK)
				return rc;
			for (size_t i = 0; i < json_array_size(v); i++)
				if ((rc = ak_encode_default(n->items, json_array_get(v, i), out,
							    err)) != AK_OK)
					return rc;
		}
		return put_long(out, 0, err);
	case AK_MAP: {
		const char *k;
		json_t *e;

		if (json_object_size(v)) {
			if ((rc = put_long(out, (int64_t)json_object_size(v), err)) != AK_OK)
				return rc;
			json_object_foreach(v, k, e) {
				size_t start = out->len;

				/* the key's real bytes (it may hold U+0000), then its length */
				if ((rc = ak_schema_key_append(out, k, err)) != AK_OK ||
				    (rc = insert_long(out, start, (int64_t)(out->len - start),
						      err)) != AK_OK ||
				    (rc = ak_encode_default(n->items, e, out, err)) != AK_OK)
					return rc;
			}
		}
		return put_long(out, 0, err);
	}
	case AK_UNION:
		for (size_t i = 0; i < n->nbranches; i++)
			if (ak_node_accepts_json(n->branches[i], v)) {
				if ((rc = put_long(out, (int64_t)i, err)) != AK_OK)
					return rc;
				return ak_encode_default(n->branches[i], v, out, err);
			}
		return ak_fail(err, AK_E_SCHEMA, "default fits no branch of the union");
	case AK_RECORD:
		for (size_t i = 0; i < n->nfields; i++) {
			json_t *fv = json_object_get(v, n->fields[i].name);

			if (!fv)
				fv = (json_t *)(uintptr_t)n->fields[i].def;
			if ((rc = ak_encode_default(n->fields[i].type, fv, out, err)) != AK_OK)
				return rc;
		}
		return AK_OK;
	}
	return ak_fail(err, AK_E_ARG, "bad type");
}

/* ---- encoder setup ---- */

static void set_first(unsigned char set[32], unsigned char c)
{
	set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

/*
 * Could the object whose '{' is at j->p begin with a member named after a branch of union
 * @opi? A quick look at the first byte of its first name, against the first bytes of the
 * branch names; 1 (then ak_json_in_first_key() decides) also when the buffer ends too soon
 * to tell, so the answer does not depend on where it ends.
 */
static inline int maybe_wrapper(const struct ak_json_encoder *e, const struct ak_json_in *j,
				uint32_t opi)
{
	const unsigned char *p = j->p + 1;

	if (!e->wrap_first) /* a union of null alone */
		return 0;
	while (p < j->end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	if (j->end - p < 2)
		return 1;
	return *p == '"' && (e->wrap_first[opi][p[1] >> 3] >> (p[1] & 7) & 1);
}

struct ak_json_encoder *ak_json_encoder_new(const struct ak_plan *plan, unsigned flags,
				  struct ak_error *err)
{
	struct ak_json_encoder *e = calloc(1, sizeof(*e));

	if (!e || !(e->defaults = calloc(plan->nops ? plan->nops : 1, sizeof(*e->defaults))) ||
	    !(e->null_branch = calloc(plan->nops ? plan->nops : 1, sizeof(*e->null_branch)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		goto fail;
	}
	e->plan = plan;
	e->flags = flags;
	for (size_t i = 0; i < plan->nops; i++) {
		const struct ak_op *op = &plan->ops[i];

		e->null_branch[i] = -1;
		if (op->kind == AK_UNION)
			for (uint32_t k = 0; k < op->n; k++) {
				const struct ak_node *b = plan->ops[op->sub[k]].node;

				if (!op->names[k].s) {
					e->null_branch[i] = (int32_t)k;
					continue;
				}
				if (!(flags & AK_ENCODE_PLAIN))
					continue;
				if (!e->wrap_first &&
				    !(e->wrap_first = calloc(plan->nops, sizeof(*e->wrap_first)))) {
					ak_fail(err, AK_E_NOMEM, "out of memory");
					goto fail;
				}
				set_first(e->wrap_first[i], (unsigned char)op->names[k].s[1]);
				if (b && b->fullname)
					set_first(e->wrap_first[i], (unsigned char)b->name[0]);
			}
		if (op->kind != AK_RECORD || !op->node)
			continue;
		e->defaults[i] = calloc(op->n ? op->n : 1, sizeof(struct def));
		if (!e->defaults[i]) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			goto fail;
		}
		for (uint32_t f = 0; f < op->n; f++) {
			const struct ak_field *fd = &op->node->fields[f];
			size_t start = e->defmem.len;

			e->defaults[i][f].off = SIZE_MAX;
			if (!fd->def)
				continue;
			if (ak_encode_default(fd->type, fd->def, &e->defmem, err) != AK_OK) {
				ak_error_prefix(err, "default of field \"%s\"", fd->name);
				goto fail;
			}
			e->defaults[i][f].off = start;
			e->defaults[i][f].len = e->defmem.len - start;
		}
	}
	return e;
fail:
	ak_json_encoder_free(e);
	return NULL;
}

void ak_json_encoder_free(struct ak_json_encoder *e)
{
	if (!e)
		return;
	if (e->defaults)
		for (size_t i = 0; i < e->plan->nops; i++)
			free(e->defaults[i]);
	free(e->defaults);
	free(e->null_branch);
	free(e->wrap_first);
	ak_buf_release(&e->defmem);
	ak_buf_release(&e->key);
	if (e->levels)
		for (size_t i = 0; i < AK_DATA_MAX_DEPTH + 2; i++) {
			free(e->levels[i].spans);
			ak_buf_release(&e->levels[i].tmp);
		}
	free(e->levels);
	free(e);
}

/* ---- error paths ---- */


static const char *type_desc(const struct ak_op *op, char *buf, size_t n)
{
	if (op->node && op->node->fullname)
		snprintf(buf, n, "%s %s", ak_type_name((enum ak_type)op->kind), op->node->fullname);
	else if (op->kind == AK_UNION)
		snprintf(buf, n, "a union value ({\"branch\": value} or null)");
	else
		snprintf(buf, n, "%s", ak_type_name((enum ak_type)op->kind));
	return buf;
}

/* For a union value given bare in Avro JSON input. */
#define PLAIN_HINT " (fromjson --plain reads union values without the wrapper)"

/* The error paths that read the offending token for the message are out of line, so that
 * their buffers stay off the stack of the recursive encoder. */
__attribute__((noinline, cold))
static int mismatch(struct ak_json_in *j, const struct ak_op *op, int c, struct ak_error *err)
{
	char want[160], kind[AK_JSON_KIND_MAX];

	/* (plain JSON picks union branches itself: only Avro JSON gets here with a union) */
	return ak_json_in_fail(j, AK_E_JSON, err, "expected %s, got %s%s",
			       type_desc(op, want, sizeof(want)), ak_json_in_kind(j, c, kind, err),
			       op->kind == AK_UNION ? PLAIN_HINT : "");
}

/* List names for a message: "a, b, c" (cut short when long). */
static void list_names(char *buf, size_t n, const struct ak_str *names, uint32_t count)
{
	size_t used = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < count && used + 8 < n; i++) {
		const char *s = names[i].s ? names[i].s + 1 : "null";
		int len = names[i].s ? (int)names[i].len - 2 : 4;
		int k = snprintf(buf + used, n - used, "%s%.*s", i ? ", " : "", len, s);

		if (k < 0 || (size_t)k >= n - used) {
			snprintf(buf + (n > 4 ? n - 4 : 0), 4, "...");
			return;
		}
		used += (size_t)k;
	}
}

static int find_name(const struct ak_str *names, uint32_t count, const unsigned char *s,
		     size_t len, uint32_t hint)
{
	if (hint < count && names[hint].s && names[hint].len == len + 2 &&
	    memcmp(names[hint].s + 1, s, len) == 0)
		return (int)hint;
	for (uint32_t i = 0; i < count; i++)
		if (names[i].s && names[i].len == len + 2 && memcmp(names[i].s + 1, s, len) == 0)
			return (int)i;
	return -1;
}

/* "invalid JSON: expected WHAT, got ..." about the token starting with @c. */
__attribute__((noinline, cold))
static int expected_got(struct ak_json_in *j, const char *what, int c, struct ak_error *err)
{
	char kind[AK_JSON_KIND_MAX];

	return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected %s, got %s", what,
			       ak_json_in_kind(j, c, kind, err));
}

static int expect_char(struct ak_json_in *j, int want, const char *what, struct ak_error *err)
{
	int c = ak_json_in_peek(j, err);

	if (c < -1)
		return c;
	if (c != want)
		return expected_got(j, what, c, err);
	ak_json_in_advance(j);
	return AK_OK;
}

/* ---- the encoder ---- */

static int enc(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, struct ak_buf *out,
	       unsigned depth, struct ak_error *err);

/* Parse a JSON integer token; 0, or -1 when it does not fit 64 bits. */
static int parse_int(const char *t, int64_t *out)
{
	int neg = *t == '-';
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

	for (t += neg; *t; t++) {
		unsigned dgt = (unsigned)(*t - '0');

		if (v > (lim - dgt) / 10)
			return -1;
		v = v * 10 + dgt;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/*
 * The exact fast path for JSON numbers (Clinger's): when the digits fit the mantissa and the
 * power of ten is itself exact, one multiplication or division rounds correctly. Returns 1
 * with the value, or 0 when strtod/strtof must do it.
 */
static int fast_real(const char *t, int is_float, double *d, float *f)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
				      1e21, 1e22 };
	static const float p10f[] = { 1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f,
				      1e10f };
	uint64_t w = 0;
	int neg = *t == '-', digits = 0, e10 = 0;

	for (t += neg; *t >= '0' && *t <= '9'; t++, digits++)
		w = w * 10 + (uint64_t)(*t - '0');
	if (digits == 0)
		return 0; /* -Infinity */
	if (*t == '.')
		for (t++; *t >= '0' && *t <= '9'; t++, digits++, e10--)
			w = w * 10 + (uint64_t)(*t - '0');
	if (digits > 19)
		return 0;
	if (*t == 'e' || *t == 'E') {
		int eneg = 0, ev = 0;

		t++;
		if (*t == '+' || *t == '-')
			eneg = *t++ == '-';
		for (; *t; t++) {
			ev = ev * 10 + (*t - '0');
			if (ev > 400)
				return 0;
		}
		e10 += eneg ? -ev : ev;
	}
	if (is_float) {
		float x;

		if (w > (1u << 24) || e10 < -10 || e10 > 10)
			return 0;
		x = (float)w;
		x = e10 < 0 ? x / p10f[-e10] : x * p10f[e10];
		*f = neg ? -x : x;
		return 1;
	}
	if (w > (1ULL << 53) || e10 < -22 || e10 > 22)
		return 0;
	double x = (double)w;
	x = e10 < 0 ? x / p10[-e10] : x * p10[e10];
	*d = neg ? -x : x;
	return 1;
}

/* Encode the number token @tok as an int, long, float or double. */
static int enc_number_tok(struct ak_json_in *j, const struct ak_op *op, const char *tok,
			  int isint, struct ak_buf *out, struct ak_error *err)
{
	if (op->kind == AK_INT || op->kind == AK_LONG) {
		int64_t v;

		if (!isint)
			return ak_json_in_fail(j, AK_E_JSON, err, "expected %s, got the non-integer "
					       "number %s", ak_type_name(op->kind), tok);
		if (parse_int(tok, &v) != 0 ||
		    (op->kind == AK_INT && (v < INT32_MIN || v > INT32_MAX)))
			return ak_json_in_fail(j, AK_E_JSON, err, "%s is out of range for %s", tok,
					       ak_type_name(op->kind));
		return put_long(out, v, err);
	}
	{
		double fd;
		float ff;

		if (fast_real(tok, op->kind == AK_FLOAT, &fd, &ff))
			return op->kind == AK_FLOAT ? put_float(out, ff, err)
						    : put_double(out, fd, err);
	}
	if (op->kind == AK_FLOAT) {
		float f;

		errno = 0;
		f = strtof(tok, NULL);
		if (errno == ERANGE && isinf(f))
			return ak_json_in_fail(j, AK_E_JSON, err, "%s is out of range for float", tok);
		return put_float(out, f, err);
	}
	double d;

	errno = 0;
	d = strtod(tok, NULL);
	if (errno == ERANGE && isinf(d))
		return ak_json_in_fail(j, AK_E_JSON, err, "%s is out of range for double", tok);
	return put_double(out, d, err);
}

static int special_real(const unsigned char *s, size_t n, double *d)
{
	if (n == 3 && memcmp(s, "NaN", 3) == 0)
		*d = NAN;
	else if (n == 8 && memcmp(s, "Infinity", 8) == 0)
		*d = INFINITY;
	else if (n == 9 && memcmp(s, "-Infinity", 9) == 0)
		*d = -INFINITY;
	else
		return -1;
	return 0;
}

static int enc_number(struct ak_json_in *j, const struct ak_op *op, int c, struct ak_buf *out,
		      struct ak_error *err)
{
	char tok[AK_JSON_NUMBER_TOKEN_MAX + 1];
	size_t len;
	int isint, rc;

	if (c == '"' && (op->kind == AK_FLOAT || op->kind == AK_DOUBLE)) {
		/* NaN and the infinities, as tojson writes them */
		struct ak_buf s = AK_BUF_INIT;
		double d = 0;

		rc = ak_json_in_string(j, &s, 0, NULL, err);
		if (rc == AK_OK && special_real(s.data, s.len, &d) != 0)
			rc = ak_json_in_fail(j, AK_E_JSON, err, "expected %s, got a string "
					     "(only \"NaN\", \"Infinity\" and \"-Infinity\" "
					     "are allowed)", ak_type_name(op->kind));
		ak_buf_release(&s);
		if (rc != AK_OK)
			return rc;
		return op->kind == AK_FLOAT ? put_float(out, (float)d, err) : put_double(out, d, err);
	}
	if (c != '-' && (c < '0' || c > '9')) {
		if ((c == 'N' || c == 'I') && (op->kind == AK_FLOAT || op->kind == AK_DOUBLE)) {
			/* the bare NaN and Infinity that Python's json writes */
			double d;

			if ((rc = ak_json_in_nonfinite(j, c, &d, err)) != AK_OK)
				return rc;
			return op->kind == AK_FLOAT ? put_float(out, (float)d, err)
						    : put_double(out, d, err);
		}
		return mismatch(j, op, c, err);
	}
	if ((rc = ak_json_in_number(j, tok, &len, &isint, err)) != AK_OK)
		return rc;
	return enc_number_tok(j, op, tok, isint, out, err);
}

/* A string, bytes, fixed or enum value. */
static int enc_string(struct ak_json_encoder *e, struct ak_json_in *j, const struct ak_op *op,
		      struct ak_buf *out, struct ak_error *err)
{
	size_t start, count;
	int rc;

	if (op->kind == AK_ENUM) {
		char list[200];
		int idx;

		e->key.len = 0;
		if ((rc = ak_json_in_string(j, &e->key, 0, NULL, err)) != AK_OK)
			return rc;
		idx = find_name(op->names, op->n, e->key.data, e->key.len, 0);
		if (idx < 0) {
			list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "\"%.*s\" is not a symbol of enum %s "
					       "(symbols: %s)", (int)(e->key.len > 64 ? 64 : e->key.len),
					       (const char *)e->key.data, op->node->fullname, list);
		}
		return put_long(out, idx, err);
	}
	if (op->kind == AK_FIXED) {
		start = out->len;
		if ((rc = ak_json_in_string(j, out, 1, &count, err)) != AK_OK)
			return rc;
		if (count != op->n)
			return ak_json_in_fail(j, AK_E_JSON, err, "fixed %s takes %" PRIu32
					       " bytes, got %zu", op->node->fullname, op->n, count);
		return AK_OK;
	}
	/* string or bytes: leave one byte for the length, which is usually enough */
	if (ak_buf_reserve(out, 1, err) != AK_OK)
		return AK_E_NOMEM;
	start = ++out->len;
	if ((rc = ak_json_in_string(j, out, op->kind == AK_BYTES, NULL, err)) != AK_OK)
		return rc;
	size_t n = out->len - start;
	if (n < 64) {
		out->data[start - 1] = (unsigned char)(n << 1);
		return AK_OK;
	}
	out->len--;
	memmove(out->data + start - 1, out->data + start, n);
	return insert_long(out, start - 1, (int64_t)n, err);
}

static struct level *get_level(struct ak_json_encoder *e, unsigned depth, size_t nfields,
			       struct ak_error *err)
{
	struct level *l;

	if (!e->levels && !(e->levels = calloc(AK_DATA_MAX_DEPTH + 2, sizeof(*e->levels)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	l = &e->levels[depth];
	if (l->cap < nfields) {
		struct span *s = realloc(l->spans, nfields * sizeof(*s));

		if (!s) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			return NULL;
		}
		l->spans = s;
		l->cap = nfields;
	}
	for (size_t i = 0; i < nfields; i++)
		l->spans[i].start = SIZE_MAX;
	return l;
}

static int enc_record(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi,
		      struct ak_buf *out, unsigned depth, struct ak_error *err)
{
	const struct ak_op *op = &e->plan->ops[opi];
	size_t start = out->len;
	uint32_t expected = 0;
	int in_order = 1, c, rc;
	struct level *l;

	ak_json_in_advance(j); /* '{' */
	if (!(l = get_level(e, depth, op->n, err)))
		return AK_E_NOMEM;
	c = ak_json_in_peek(j, err);
	if (c == '}') {
		ak_json_in_advance(j);
		goto done;
	}
	for (;;) {
		int f;

		if (c < -1)
			return c;
		if (c != '"')
			return expected_got(j, "a field name", c, err);
		e->key.len = 0;
		if ((rc = ak_json_in_string(j, &e->key, 0, NULL, err)) != AK_OK)
			return rc;
		f = find_name(op->names, op->n, e->key.data, e->key.len, expected);
		if (f < 0) {
			char list[200];

			if (e->flags & AK_ENCODE_IGNORE_UNKNOWN) {
				if ((rc = expect_char(j, ':', "':'", err)) != AK_OK ||
				    (rc = ak_json_in_skip_value(j, &e->key, depth, err)) != AK_OK)
					return rc;
				goto next;
			}
			list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "unknown field \"%.*s\" (record %s "
					       "has: %s)", (int)(e->key.len > 64 ? 64 : e->key.len),
					       (const char *)e->key.data, op->node->fullname, list);
		}
		if (l->spans[f].start != SIZE_MAX)
			return ak_json_in_fail(j, AK_E_JSON, err, "field \"%s\" appears twice",
					       op->node->fields[f].name);
		if ((rc = expect_char(j, ':', "':'", err)) != AK_OK)
			return rc;
		if ((uint32_t)f != expected)
			in_order = 0;
		expected = (uint32_t)f + 1;
		l->spans[f].start = out->len;
		if ((rc = enc(e, j, op->sub[f], out, depth + 1, err)) != AK_OK) {
			ak_path_field(&e->path, op->names[f].s + 1, op->names[f].len - 2);
			return rc;
		}
		l = &e->levels[depth]; /* still valid: levels never move */
		l->spans[f].end = out->len;
next:
		c = ak_json_in_peek(j, err);
		if (c == ',') {
			ak_json_in_advance(j);
			c = ak_json_in_peek(j, err);
			continue;
		}
		if (c == '}') {
			ak_json_in_advance(j);
			break;
		}
		if (c < -1)
			return c;
		return expected_got(j, "',' or '}'", c, err);
	}
done:
	if (in_order && expected == op->n)
		return AK_OK;
	/* fields out of order or missing: rebuild in schema order */
	l->tmp.len = 0;
	for (uint32_t f = 0; f < op->n; f++) {
		const struct def *d = &e->defaults[opi][f];

		if (l->spans[f].start != SIZE_MAX) {
			size_t n = l->spans[f].end - l->spans[f].start;

			/* (a null value takes no bytes, and out may still have no buffer) */
			rc = n ? ak_buf_append(&l->tmp, out->data + l->spans[f].start, n, err) : AK_OK;
		} else if (d->off != SIZE_MAX) {
			rc = d->len ? ak_buf_append(&l->tmp, e->defmem.data + d->off, d->len, err)
				    : AK_OK;
		} else {
			return ak_json_in_fail(j, AK_E_JSON, err, "missing field \"%s\" of record %s "
					       "(it has no default)", op->node->fields[f].name,
					       op->node->fullname);
		}
		if (rc != AK_OK)
			return rc;
	}
	out->len = start;
	return l->tmp.len ? ak_buf_append(out, l->tmp.data, l->tmp.len, err) : AK_OK;
}

static int enc_union(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, int c,
		     struct ak_buf *out, unsigned depth, struct ak_error *err)
{
	const struct ak_op *op = &e->plan->ops[opi];
	char list[200];
	int idx, rc;

	if (c == 'n') {
		if ((rc = ak_json_in_literal(j, "null", err)) != AK_OK)
			return rc;
		if (e->null_branch[opi] < 0) {
			list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "null is not allowed: the union has "
					       "no null branch (branches: %s)", list);
		}
		return put_long(out, e->null_branch[opi], err);
	}
	if (c != '{')
		return mismatch(j, op, c, err);
	ak_json_in_advance(j);
	c = ak_json_in_peek(j, err);
	if (c != '"')
		return ak_json_in_fail(j, AK_E_JSON, err, "a union value must be {\"branch\": value} "
				       "with exactly one key");
	e->key.len = 0;
	if ((rc = ak_json_in_string(j, &e->key, 0, NULL, err)) != AK_OK)
		return rc;
	idx = find_name(op->names, op->n, e->key.data, e->key.len, 0);
	if (idx < 0) {
		/* also take the short name of a named type when it is unambiguous */
		for (uint32_t k = 0; k < op->n; k++) {
			const struct ak_node *b = e->plan->ops[op->sub[k]].node;

			if (b && b->fullname && strlen(b->name) == e->key.len &&
			    memcmp(b->name, e->key.data, e->key.len) == 0) {
				if (idx >= 0) {
					idx = -1;
					break;
				}
				idx = (int)k;
			}
		}
	}
	if (idx < 0) {
		list_names(list, sizeof(list), op->names, op->n);
		return ak_json_in_fail(j, AK_E_JSON, err, "the union has no branch \"%.*s\" "
				       "(branches: %s; in Avro's JSON encoding a union value is "
				       "{\"branch\": value}, and fromjson --plain reads it without "
				       "the wrapper)", (int)(e->key.len > 64 ? 64 : e->key.len),
				       (const char *)e->key.data, list);
	}
	if ((rc = expect_char(j, ':', "':'", err)) != AK_OK ||
	    (rc = put_long(out, idx, err)) != AK_OK)
		return rc;
	if ((rc = enc(e, j, op->sub[idx], out, depth + 1, err)) != AK_OK)
		return rc;
	c = ak_json_in_peek(j, err);
	if (c != '}')
		return ak_json_in_fail(j, AK_E_JSON, err, "a union value must be {\"branch\": value} "
				       "with exactly one key");
	ak_json_in_advance(j);
	return AK_OK;
}

static int enc_list(struct ak_json_encoder *e, struct ak_json_in *j, const struct ak_op *op,
		    struct ak_buf *out, unsigned depth, struct ak_error *err)
{
	int is_map = op->kind == AK_MAP, close = is_map ? '}' : ']', c, rc;
	size_t start = out->len;
	uint64_t count = 0;

	ak_json_in_advance(j);
	c = ak_json_in_peek(j, err);
	if (c == close) {
		ak_json_in_advance(j);
		return put_long(out, 0, err);
	}
	for (;;) {
		size_t koff = 0, klen = 0;

		if (c < -1)
			return c;
		if (is_map) {
			if (c != '"')
				return expected_got(j, "a map key", c, err);
			e->key.len = 0;
			if ((rc = ak_json_in_string(j, &e->key, 0, NULL, err)) != AK_OK)
				return rc;
			klen = e->key.len;
			if ((rc = put_long(out, (int64_t)klen, err)) != AK_OK)
				return rc;
			koff = out->len;
			if ((rc = ak_buf_append(out, e->key.data, klen, err)) != AK_OK ||
			    (rc = expect_char(j, ':', "':'", err)) != AK_OK)
				return rc;
		}
		if ((rc = enc(e, j, op->item, out, depth + 1, err)) != AK_OK) {
			if (is_map)
				ak_path_key(&e->path, out->data + koff, klen);
			else
				ak_path_index(&e->path, count);
			return rc;
		}
		count++;
		c = ak_json_in_peek(j, err);
		if (c == ',') {
			ak_json_in_advance(j);
			c = ak_json_in_peek(j, err);
			continue;
		}
		if (c == close) {
			ak_json_in_advance(j);
			break;
		}
		if (c < -1)
			return c;
		return expected_got(j, is_map ? "',' or '}'" : "',' or ']'", c, err);
	}
	if ((rc = insert_long(out, start, (int64_t)count, err)) != AK_OK)
		return rc;
	return put_long(out, 0, err);
}

/* ---- plain JSON ---- */

/* UTF-8 text whose code points are all below 256, as one byte each. */
static int latin1_to_bytes(const unsigned char *s, size_t n, struct ak_buf *out,
			   struct ak_error *err)
{
	for (size_t i = 0; i < n;) {
		unsigned char b;

		if (s[i] < 0x80) {
			b = s[i++];
		} else if ((s[i] == 0xc2 || s[i] == 0xc3) && i + 1 < n) {
			b = (unsigned char)(((s[i] & 0x03) << 6) | (s[i + 1] & 0x3f));
			i += 2;
		} else {
			return -1;
		}
		if (ak_buf_append(out, &b, 1, err) != AK_OK)
			return AK_E_NOMEM;
	}
	return 0;
}

static int plain_bytes(struct ak_json_encoder *e, const unsigned char *s, size_t n, struct ak_buf *out,
		       struct ak_error *err)
{
	if (e->flags & AK_ENCODE_BYTES_BASE64)
		return ak_parse_base64((const char *)s, n, out, err);
	if (e->flags & AK_ENCODE_BYTES_HEX)
		return ak_parse_hex((const char *)s, n, out, err);
	return latin1_to_bytes(s, n, out, err);
}

/*
 * Encode the string @s (already decoded) as a value of @op in plain JSON. Returns AK_OK, or
 * 1 when the string is not a value of that type (nothing useful written: the caller rolls
 * back), or a negative status. *why gets a reason for the 1 case.
 */
static int plain_string(struct ak_json_encoder *e, const struct ak_op *op, const unsigned char *s,
			size_t n, struct ak_buf *out, const char **why, struct ak_error *err)
{
	const char *t = (const char *)s;
	int64_t v;
	size_t start;
	int rc;

	*why = NULL;
	switch (op->kind) {
	case AK_STRING:
		if ((rc = put_long(out, (int64_t)n, err)) != AK_OK)
			return rc;
		return ak_buf_append(out, s, n, err);
	case AK_ENUM: {
		int idx = find_name(op->names, op->n, s, n, 0);

		if (idx < 0) {
			*why = "not one of the enum's symbols";
			return 1;
		}
		return put_long(out, idx, err);
	}
	case AK_FLOAT:
	case AK_DOUBLE: {
		double d;

		if (special_real(s, n, &d) != 0) {
			*why = "only \"NaN\", \"Infinity\" and \"-Infinity\" are allowed as strings";
			return 1;
		}
		return op->kind == AK_FLOAT ? put_float(out, (float)d, err) : put_double(out, d, err);
	}
	case AK_INT:
	case AK_LONG:
		switch (op->logical) {
		case AK_LT_DATE:
			rc = ak_parse_date(t, n, &v);
			*why = "not a date (YYYY-MM-DD)";
			break;
		case AK_LT_TIME_MILLIS:
		case AK_LT_TIME_MICROS:
			rc = ak_parse_time(t, n, op->logical == AK_LT_TIME_MILLIS ? 3 : 6, &v);
			*why = rc == -2 ? "more fraction digits than the time type holds"
					: "not a time of day (HH:MM:SS.fff)";
			break;
		case AK_LT_TIMESTAMP_MILLIS:
		case AK_LT_TIMESTAMP_MICROS:
		case AK_LT_TIMESTAMP_NANOS:
		case AK_LT_LOCAL_TIMESTAMP_MILLIS:
		case AK_LT_LOCAL_TIMESTAMP_MICROS:
		case AK_LT_LOCAL_TIMESTAMP_NANOS: {
			int digits = op->logical == AK_LT_TIMESTAMP_MILLIS ||
						 op->logical == AK_LT_LOCAL_TIMESTAMP_MILLIS ? 3
				     : op->logical == AK_LT_TIMESTAMP_MICROS ||
						 op->logical == AK_LT_LOCAL_TIMESTAMP_MICROS ? 6 : 9;
			int utc = op->logical <= AK_LT_TIMESTAMP_NANOS;

			rc = ak_parse_timestamp(t, n, digits, utc, &v);
			*why = rc == -2 ? "more fraction digits than the timestamp type holds"
			       : rc == -3 ? "a timestamp out of range"
			       : utc ? "not an RFC 3339 timestamp with a zone (...T...Z)"
				     : "not a local timestamp (YYYY-MM-DDTHH:MM:SS.fff, no zone)";
			break;
		}
		default:
			*why = "a string, not a number";
			return 1;
		}
		if (rc != 0)
			return 1;
		if (op->kind == AK_INT && (v < INT32_MIN || v > INT32_MAX)) {
			*why = "out of range for int";
			return 1;
		}
		*why = NULL;
		return put_long(out, v, err);
	case AK_BYTES:
	case AK_FIXED:
		start = out->len;
		if (op->kind == AK_BYTES && (rc = put_long(out, 0, err)) != AK_OK) /* placeholder */
			return rc;
		if (op->logical == AK_LT_DECIMAL) {
			rc = ak_parse_decimal(t, n, op->node->scale, op->kind == AK_FIXED ? op->n : 0,
					      out, err);
			*why = rc == -2 ? "more fraction digits than the decimal's scale"
			       : rc == -3 ? "a decimal too large for its type"
					  : "not a decimal number (\"-12.34\")";
		} else if (op->kind == AK_FIXED && op->logical == AK_LT_UUID) {
			unsigned char u[16];

			rc = ak_parse_uuid(t, n, u);
			if (rc == 0)
				rc = ak_buf_append(out, u, 16, err);
			*why = "not a uuid (8-4-4-4-12 hex digits)";
		} else if (op->kind == AK_FIXED && op->logical == AK_LT_DURATION) {
			*why = "a duration is an object {\"months\":..,\"days\":..,\"milliseconds\":..}";
			return 1;
		} else {
			rc = plain_bytes(e, s, n, out, err);
			*why = e->flags & AK_ENCODE_BYTES_BASE64 ? "not base64"
			       : e->flags & AK_ENCODE_BYTES_HEX ? "not hex"
					: "a character above U+00FF in bytes";
		}
		if (rc < 0 && rc != -1 && rc != -2 && rc != -3)
			return rc;
		if (rc != 0)
			return 1;
		if (op->kind == AK_FIXED && out->len - start != op->n) {
			*why = "the wrong number of bytes for the fixed type";
			return 1;
		}
		*why = NULL;
		if (op->kind == AK_BYTES) {
			/* the real length in place of the placeholder */
			size_t n2 = out->len - start - 1;

			memmove(out->data + start, out->data + start + 1, n2);
			out->len--;
			return insert_long(out, start, (int64_t)n2, err);
		}
		return AK_OK;
	default:
		*why = "a string";
		return 1;
	}
}

static int plain_duration(struct ak_json_in *j, struct ak_buf *scratch, struct ak_buf *out,
			  struct ak_error *err)
{
	static const char *const names[3] = { "months", "days", "milliseconds" };
	uint32_t v[3] = { 0, 0, 0 };
	int seen = 0, c, rc;

	ak_json_in_advance(j); /* '{' */
	c = ak_json_in_peek(j, err);
	while (c != '}') {
		char tok[AK_JSON_NUMBER_TOKEN_MAX + 1];
		size_t len;
		int isint, k;
		int64_t x;

		if (c != '"')
			return ak_json_in_fail(j, AK_E_JSON, err, "a duration is an object "
					       "{\"months\":..,\"days\":..,\"milliseconds\":..}");
		scratch->len = 0;
		if ((rc = ak_json_in_string(j, scratch, 0, NULL, err)) != AK_OK)
			return rc;
		for (k = 0; k < 3; k++)
			if (strlen(names[k]) == scratch->len &&
			    memcmp(names[k], scratch->data, scratch->len) == 0)
				break;
		if (k == 3)
			return ak_json_in_fail(j, AK_E_JSON, err, "unknown duration field \"%.*s\"",
					       (int)(scratch->len > 32 ? 32 : scratch->len),
					       (const char *)scratch->data);
		if ((rc = expect_char(j, ':', "':'", err)) != AK_OK)
			return rc;
		if ((c = ak_json_in_peek(j, err)) != '-' && (c < '0' || c > '9'))
			return ak_json_in_fail(j, AK_E_JSON, err, "duration %s must be a number",
					       names[k]);
		if ((rc = ak_json_in_number(j, tok, &len, &isint, err)) != AK_OK)
			return rc;
		if (!isint || parse_int(tok, &x) != 0 || x < 0 || x > UINT32_MAX)
			return ak_json_in_fail(j, AK_E_JSON, err, "duration %s must be an integer "
					       "from 0 to 4294967295", names[k]);
		v[k] = (uint32_t)x;
		seen |= 1 << k;
		c = ak_json_in_peek(j, err);
		if (c == ',') {
			ak_json_in_advance(j);
			c = ak_json_in_peek(j, err);
		} else if (c != '}') {
			return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected ',' or '}'");
		}
	}
	ak_json_in_advance(j);
	if (seen != 7)
		return ak_json_in_fail(j, AK_E_JSON, err, "a duration needs months, days and "
				       "milliseconds");
	if (ak_buf_reserve(out, 12, err) != AK_OK)
		return AK_E_NOMEM;
	for (int k = 0; k < 3; k++)
		for (int b = 0; b < 4; b++)
			out->data[out->len++] = (unsigned char)(v[k] >> (8 * b));
	return AK_OK;
}

/* A value of a non-union type in plain JSON, where it differs from Avro's JSON. Returns 1
 * when the Avro-JSON path should handle it. */
static int plain_value(struct ak_json_encoder *e, struct ak_json_in *j, const struct ak_op *op, int c,
		       struct ak_buf *out, struct ak_error *err)
{
	const char *why;
	int rc;

	if (c == '"' && op->kind != AK_RECORD && op->kind != AK_ARRAY && op->kind != AK_MAP) {
		size_t mark = out->len;

		e->key.len = 0;
		if ((rc = ak_json_in_string(j, &e->key, 0, NULL, err)) != AK_OK)
			return rc;
		rc = plain_string(e, op, e->key.data, e->key.len, out, &why, err);
		if (rc == 1) {
			char want[160];

			out->len = mark;
			return ak_json_in_fail(j, AK_E_JSON, err, "expected %s: \"%.*s\" is %s",
					       type_desc(op, want, sizeof(want)),
					       (int)(e->key.len > 40 ? 40 : e->key.len),
					       (const char *)e->key.data, why);
		}
		return rc;
	}
	if ((c == '-' || (c >= '0' && c <= '9')) &&
	    (op->kind == AK_BYTES || op->kind == AK_FIXED) && op->logical == AK_LT_DECIMAL) {
		char tok[AK_JSON_NUMBER_TOKEN_MAX + 1];
		size_t len, mark = out->len;
		int isint;

		if ((rc = ak_json_in_number(j, tok, &len, &isint, err)) != AK_OK)
			return rc;
		rc = plain_string(e, op, (const unsigned char *)tok, len, out, &why, err);
		if (rc == 1) {
			out->len = mark;
			return ak_json_in_fail(j, AK_E_JSON, err, "%s: %s", tok, why);
		}
		return rc;
	}
	if (c == '{' && op->kind == AK_FIXED && op->logical == AK_LT_DURATION)
		return plain_duration(j, &e->key, out, err);
	return 1;
}

static const char *kind_word(const struct ak_op *op)
{
	if (op->node && op->node->fullname)
		return op->node->fullname;
	if (op->node && op->logical != AK_LT_NONE && op->node->logical_name)
		return op->node->logical_name;
	return ak_type_name((enum ak_type)op->kind);
}

/* Can a value of @b be a JSON object in plain JSON? */
static int takes_object(const struct ak_op *b)
{
	return b->kind == AK_RECORD || b->kind == AK_MAP ||
	       (b->kind == AK_FIXED && b->logical == AK_LT_DURATION);
}

/*
 * The branch of union @op that @s (@n bytes, an object's first member name) names as Avro
 * JSON's wrapper {"Branch": value} would: its full name, or its type name ("string", "map"),
 * or, for a named type, a short name no other branch has; -1 when none, or when a record
 * branch has a field of that name (then the object is taken as that record's value).
 */
static int branch_named(const struct ak_json_encoder *e, const struct ak_op *op,
			const unsigned char *s, size_t n)
{
	const struct ak_op *ops = e->plan->ops;
	int k = find_name(op->names, op->n, s, n, 0);

	if (k < 0)
		for (uint32_t b = 0; b < op->n; b++) {
			const struct ak_node *nd = ops[op->sub[b]].node;

			if (nd && nd->fullname && strlen(nd->name) == n &&
			    memcmp(nd->name, s, n) == 0) {
				if (k >= 0)
					return -1; /* two branches of that short name */
				k = (int)b;
			}
		}
	for (uint32_t b = 0; k >= 0 && b < op->n; b++)
		if (ops[op->sub[b]].kind == AK_RECORD &&
		    find_name(ops[op->sub[b]].names, ops[op->sub[b]].n, s, n, 0) >= 0)
			return -1;
	return k;
}

/* A plain union value written as {"Branch": value}: branch @k (the value in plain JSON). */
static int plain_wrapper(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, uint32_t k,
			 struct ak_buf *out, unsigned depth, struct ak_error *err)
{
	const struct ak_op *op = &e->plan->ops[opi];
	int rc, c;

	ak_json_in_advance(j); /* '{' */
	ak_json_in_peek(j, err);
	e->key.len = 0;
	if ((rc = ak_json_in_string(j, &e->key, 0, NULL, err)) != AK_OK ||
	    (rc = expect_char(j, ':', "':'", err)) != AK_OK ||
	    (rc = put_long(out, k, err)) != AK_OK ||
	    (rc = enc(e, j, op->sub[k], out, depth + 1, err)) != AK_OK)
		return rc;
	if ((c = ak_json_in_peek(j, err)) != '}')
		return c < -1 ? c : ak_json_in_fail(j, AK_E_JSON, err, "a union value written as "
						   "{\"branch\": value} has exactly one member");
	ak_json_in_advance(j);
	return AK_OK;
}

/* Objects longer than this, in a union of several record or map branches, must name their
 * branch ({"Branch": value}), which is read as it streams. */
#define LOOKAHEAD_MAX ((size_t)8 << 20)
/* Bytes copied and read again to try branches, for one top-level value: nested unions copy
 * and try again inside each try, and this bounds their time and memory. */
#define TRIAL_MAX ((uint64_t)64 << 20)

struct trial {
	int ok;
	struct ak_error err; /* with the path inside the branch in front */
};

/* Is the place of @a after that of @b (for picking the most telling error)? */
static int later(const struct ak_error *a, const struct ak_error *b)
{
	return a->line > b->line || (a->line == b->line && a->column > b->column);
}

/*
 * An object for a union with several record, map or duration branches, in plain JSON: read
 * its text once into memory (at most LOOKAHEAD_MAX bytes), try it as each of those branches,
 * and take the one it fits (required fields there, no unknown ones, every value of its type:
 * the branch encodes it without error, as fastavro and python-avro decide by validating).
 * Two branches that fit are ambiguous and reported, not guessed; none gives the error of the
 * branch that read furthest. Only unions of several such branches come here; they pay for it.
 */
__attribute__((noinline))
static int plain_object(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi,
			struct ak_buf *out, unsigned depth, struct ak_error *err)
{
	const struct ak_op *op = &e->plan->ops[opi], *ops = e->plan->ops;
	struct ak_buf text = AK_BUF_INIT;
	struct ak_json_pos pos;
	struct ak_json_in m;
	struct trial *t = calloc(op->n, sizeof(*t));
	uint64_t line = j->tok_line, col = j->tok_col;
	size_t mark = out->len;
	int rc, nok = 0, first = -1, second = -1, best = -1;

	if (!t)
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	ak_json_in_pos(j, &pos);
	rc = ak_json_in_copy_value(j, &text, LOOKAHEAD_MAX, &e->key, err);
	if (rc == AK_E_LIMIT) {
		j->tok_line = line;
		j->tok_col = col;
		rc = ak_json_in_fail(j, AK_E_LIMIT, err, "an object longer than %zu MiB for a "
				     "union of several record or map branches: write it as "
				     "{\"Branch\": value} to choose its branch",
				     LOOKAHEAD_MAX >> 20);
	}
	if (rc == AK_OK)
		e->trial_bytes += text.len;
	for (uint32_t k = 0; rc == AK_OK && k < op->n; k++) {
		if (!takes_object(&ops[op->sub[k]]))
			continue;
		if ((e->trial_bytes += text.len) > TRIAL_MAX) {
			j->tok_line = line;
			j->tok_col = col;
			rc = ak_json_in_fail(j, AK_E_LIMIT, err, "too many ways to read this "
					     "object (unions of records inside unions of records): "
					     "write {\"Branch\": value} to choose the branches");
			break;
		}
		ak_json_in_init_at(&m, (const char *)text.data, text.len, &pos);
		out->len = mark;
		ak_path_reset(&e->path);
		rc = enc(e, &m, op->sub[k], out, depth + 1, &t[k].err);
		if (rc == AK_OK) {
			t[k].ok = 1;
			nok++;
			if (first < 0)
				first = (int)k;
			else if (second < 0)
				second = (int)k;
			continue;
		}
		if (rc != AK_E_JSON && rc != AK_E_LIMIT) { /* no memory: not about the value */
			*err = t[k].err;
			break;
		}
		rc = AK_OK;
		if (!ak_path_empty(&e->path))
			ak_error_prefix(&t[k].err, "field \"%s\"", ak_path_str(&e->path));
		if (best < 0 || later(&t[k].err, &t[best].err))
			best = (int)k;
	}
	ak_path_reset(&e->path);
	out->len = mark;
	if (rc == AK_OK && nok == 1) {
		/* read it again as that branch, for real */
		ak_json_in_init_at(&m, (const char *)text.data, text.len, &pos);
		if ((rc = put_long(out, first, err)) == AK_OK)
			rc = enc(e, &m, op->sub[first], out, depth + 1, err);
	} else if (rc == AK_OK && nok > 1) {
		j->tok_line = line;
		j->tok_col = col;
		const struct ak_str *a = &op->names[first], *b = &op->names[second];

		rc = ak_json_in_fail(j, AK_E_JSON, err, "ambiguous: the object fits both the "
				     "union's %s and its %s (write {%.*s: {...}} or {%.*s: {...}} "
				     "to choose)", kind_word(&ops[op->sub[first]]),
				     kind_word(&ops[op->sub[second]]), (int)a->len, a->s,
				     (int)b->len, b->s);
	} else if (rc == AK_OK) {
		char list[200];

		list_names(list, sizeof(list), op->names, op->n);
		*err = t[best].err;
		rc = err->code;
		ak_error_prefix(err, "the object fits no branch of the union (branches: %s); read "
				"as %s", list, kind_word(&ops[op->sub[best]]));
	}
	ak_buf_release(&text);
	free(t);
	return rc;
}

/* Pick a union branch from the value itself. */
static int plain_union(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, int c,
		       struct ak_buf *out, unsigned depth, struct ak_error *err)
{
	const struct ak_op *op = &e->plan->ops[opi];
	const struct ak_op *ops = e->plan->ops;
	int pick = -1, rc;

#define BR(k) (&ops[op->sub[k]])
	if (c == 'n' || c == 't' || c == 'f') {
		unsigned want = c == 'n' ? AK_NULL : AK_BOOLEAN;

		for (uint32_t k = 0; k < op->n && pick < 0; k++)
			if (BR(k)->kind == want)
				pick = (int)k;
	} else if (c == 'N' || c == 'I') {
		/* the bare NaN and Infinity of Python's json: double, else float */
		for (uint32_t k = 0; k < op->n && pick < 0; k++)
			if (BR(k)->kind == AK_DOUBLE)
				pick = (int)k;
		for (uint32_t k = 0; k < op->n && pick < 0; k++)
			if (BR(k)->kind == AK_FLOAT)
				pick = (int)k;
	} else if (c == '[') {
		for (uint32_t k = 0; k < op->n && pick < 0; k++)
			if (BR(k)->kind == AK_ARRAY)
				pick = (int)k;
	} else if (c == '{') {
		const unsigned char *key;
		size_t klen;
		int count = 0;

		for (uint32_t k = 0; k < op->n; k++)
			if (takes_object(BR(k))) {
				if (pick < 0)
					pick = (int)k;
				count++;
			}
		/* {"Branch": value}, Avro JSON's wrapper: the way to choose a branch */
		if (!maybe_wrapper(e, j, opi))
			rc = 0;
		else if ((rc = ak_json_in_first_key(j, &key, &klen, err)) < 0)
			return rc;
		if (rc == 1) {
			int k = branch_named(e, op, key, klen);

			if (k >= 0)
				return plain_wrapper(e, j, opi, (uint32_t)k, out, depth, err);
		}
		if (count > 1)
			return plain_object(e, j, opi, out, depth, err);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		char tok[AK_JSON_NUMBER_TOKEN_MAX + 1];
		size_t len;
		int isint;
		int64_t v = 0;
		static const unsigned int_order[] = { AK_INT, AK_LONG, AK_DOUBLE, AK_FLOAT };
		static const unsigned real_order[] = { AK_DOUBLE, AK_FLOAT };

		if ((rc = ak_json_in_number(j, tok, &len, &isint, err)) != AK_OK)
			return rc;
		int fits_int = isint && parse_int(tok, &v) == 0;
		const unsigned *order = isint ? int_order : real_order;
		size_t norder = isint ? 4 : 2;

		for (size_t o = 0; o < norder && pick < 0; o++)
			for (uint32_t k = 0; k < op->n && pick < 0; k++) {
				const struct ak_op *b = BR(k);

				if (b->kind != order[o])
					continue;
				if (b->kind == AK_INT && (!fits_int || v < INT32_MIN || v > INT32_MAX))
					continue;
				if (b->kind == AK_LONG && !fits_int)
					continue;
				pick = (int)k;
			}
		for (uint32_t k = 0; k < op->n && pick < 0; k++)
			if ((BR(k)->kind == AK_BYTES || BR(k)->kind == AK_FIXED) &&
			    BR(k)->logical == AK_LT_DECIMAL)
				pick = (int)k;
		if (pick < 0) {
			char list[200];

			list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "the number %s fits no branch of "
					       "the union (branches: %s)", tok, list);
		}
		if ((rc = put_long(out, pick, err)) != AK_OK)
			return rc;
		if (BR(pick)->kind == AK_BYTES || BR(pick)->kind == AK_FIXED) {
			const char *why;

			rc = plain_string(e, BR(pick), (const unsigned char *)tok, len, out, &why, err);
			if (rc == 1)
				return ak_json_in_fail(j, AK_E_JSON, err, "%s: %s", tok, why);
			return rc;
		}
		return enc_number_tok(j, BR(pick), tok, isint, out, err);
	} else if (c == '"') {
		/* string-like branches: enum symbols, string, logical types in their text form,
		 * NaN and infinities, then bytes and fixed */
		size_t mark = out->len;
		const char *why;

		e->key.len = 0;
		if ((rc = ak_json_in_string(j, &e->key, 0, NULL, err)) != AK_OK)
			return rc;
		/* every branch that takes the string; more than one is an ambiguity that plain
		 * JSON cannot settle, and is reported rather than guessed */
		int first = -1, second = -1;

		for (uint32_t k = 0; k < op->n && second < 0; k++) {
			const struct ak_op *b = BR(k);

			if (b->kind == AK_NULL || b->kind == AK_BOOLEAN || b->kind == AK_RECORD ||
			    b->kind == AK_ARRAY || b->kind == AK_MAP)
				continue;
			out->len = mark;
			rc = plain_string(e, b, e->key.data, e->key.len, out, &why, err);
			if (rc < 0)
				return rc;
			if (rc == AK_OK) {
				if (first < 0)
					first = (int)k;
				else
					second = (int)k;
			}
		}
		out->len = mark;
		if (second >= 0) {
			const struct ak_str *a = &op->names[first], *b = &op->names[second];
			int klen = (int)(e->key.len > 40 ? 40 : e->key.len);

			return ak_json_in_fail(j, AK_E_JSON, err, "ambiguous: the string "
					       "\"%.*s\" could be the union's %s or %s (plain JSON "
					       "cannot tell them apart; write {%.*s: \"...\"} or "
					       "{%.*s: \"...\"} to choose)", klen,
					       (const char *)e->key.data, kind_word(BR(first)),
					       kind_word(BR(second)), (int)a->len, a->s,
					       (int)b->len, b->s);
		}
		if (first >= 0) {
			if ((rc = put_long(out, first, err)) != AK_OK)
				return rc;
			return plain_string(e, BR(first), e->key.data, e->key.len, out, &why, err);
		}
		out->len = mark;
		{
			char list[200];

			list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "the string \"%.*s\" fits no "
					       "branch of the union (branches: %s)",
					       (int)(e->key.len > 40 ? 40 : e->key.len),
					       (const char *)e->key.data, list);
		}
	}
	if (pick < 0) {
		char list[200], kind[AK_JSON_KIND_MAX];
		const char *what = ak_json_in_kind(j, c, kind, err);

		if (what == kind) /* not JSON at all */
			return ak_json_in_fail(j, AK_E_JSON, err, "%s", kind + 4);
		list_names(list, sizeof(list), op->names, op->n);
		return ak_json_in_fail(j, AK_E_JSON, err, "%s fits no branch of the union "
				       "(branches: %s)", what, list);
	}
	if ((rc = put_long(out, pick, err)) != AK_OK)
		return rc;
	return enc(e, j, op->sub[pick], out, depth + 1, err);
#undef BR
}

static int enc(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, struct ak_buf *out,
	       unsigned depth, struct ak_error *err)
{
	const struct ak_op *op = &e->plan->ops[opi];
	int c, rc;

	c = ak_json_in_peek(j, err);
	if (c < -1)
		return c;
	if (depth > AK_DATA_MAX_DEPTH)
		return ak_json_in_fail(j, AK_E_LIMIT, err, "value nested deeper than %d levels",
				       AK_DATA_MAX_DEPTH);
	if (e->flags & AK_ENCODE_PLAIN) {
		if (op->kind == AK_UNION)
			return plain_union(e, j, opi, c, out, depth, err);
		if ((rc = plain_value(e, j, op, c, out, err)) != 1)
			return rc;
	}
	switch (op->kind) {
	case AK_NULL:
		if (c != 'n')
			return mismatch(j, op, c, err);
		return ak_json_in_literal(j, "null", err);
	case AK_BOOLEAN: {
		unsigned char b = c == 't';

		if (c != 't' && c != 'f')
			return mismatch(j, op, c, err);
		if ((rc = ak_json_in_literal(j, b ? "true" : "false", err)) != AK_OK)
			return rc;
		return ak_buf_append(out, &b, 1, err);
	}
	case AK_INT:
	case AK_LONG:
	case AK_FLOAT:
	case AK_DOUBLE:
		return enc_number(j, op, c, out, err);
	case AK_STRING:
	case AK_BYTES:
	case AK_FIXED:
	case AK_ENUM:
		if (c != '"')
			return mismatch(j, op, c, err);
		return enc_string(e, j, op, out, err);
	case AK_RECORD:
		if (c != '{')
			return mismatch(j, op, c, err);
		return enc_record(e, j, opi, out, depth, err);
	case AK_ARRAY:
		if (c != '[')
			return mismatch(j, op, c, err);
		return enc_list(e, j, op, out, depth, err);
	case AK_MAP:
		if (c != '{')
			return mismatch(j, op, c, err);
		return enc_list(e, j, op, out, depth, err);
	case AK_UNION:
		return enc_union(e, j, opi, c, out, depth, err);
	}
	return ak_fail(err, AK_E_ARG, "bad plan op");
}

int ak_json_encode(struct ak_json_encoder *e, struct ak_json_in *j, struct ak_buf *out,
		   struct ak_error *err)
{
	int c = ak_json_in_peek(j, err), rc;

	if (c == -1)
		return AK_EOF;
	if (c < -1)
		return c;
	ak_path_reset(&e->path);
	if (e->trial_bytes)
		e->trial_bytes = 0;
	rc = enc(e, j, e->plan->root, out, 0, err);
	if (rc != AK_OK && !ak_path_empty(&e->path))
		ak_error_set_path(err, ak_path_str(&e->path));
	return rc;
}
