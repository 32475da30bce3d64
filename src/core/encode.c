/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text to Avro binary (encode.h): the encoder's setup, Avro's JSON encoding (records,
 * arrays, maps, unions as {"branch": value}, numbers, strings) and the error paths. Plain
 * JSON's own rules are in encode_plain.c (encode_int.h joins the two).
 */
#include "encode_int.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "default.h"
#include "path.h"
#include "plain.h"
#include "put.h"
#include "text.h"
#include "varint.h"

/* ---- encoder setup ---- */

static void set_first(unsigned char set[32], unsigned char c)
{
	set[c >> 3] |= (unsigned char)(1u << (c & 7));
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


const char *ak_enc_type_desc(const struct ak_op *op, char *buf, size_t n)
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
			       ak_enc_type_desc(op, want, sizeof(want)), ak_json_in_kind(j, c, kind, err),
			       op->kind == AK_UNION ? PLAIN_HINT : "");
}

/* List names for a message: "a, b, c" (cut short when long). */
void ak_enc_list_names(char *buf, size_t n, const struct ak_str *names, uint32_t count)
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


/* "invalid JSON: expected WHAT, got ..." about the token starting with @c. */
__attribute__((noinline, cold))
static int expected_got(struct ak_json_in *j, const char *what, int c, struct ak_error *err)
{
	char kind[AK_JSON_KIND_MAX];

	return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected %s, got %s", what,
			       ak_json_in_kind(j, c, kind, err));
}

int ak_enc_expect_char(struct ak_json_in *j, int want, const char *what, struct ak_error *err)
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


/* Parse a JSON integer token; 0, or -1 when it does not fit 64 bits. */
int ak_enc_parse_int(const char *t, int64_t *out)
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
int ak_enc_number_tok(struct ak_json_in *j, const struct ak_op *op, const char *tok,
		      int isint, struct ak_buf *out, struct ak_error *err)
{
	if (op->kind == AK_INT || op->kind == AK_LONG) {
		int64_t v;

		if (!isint)
			return ak_json_in_fail(j, AK_E_JSON, err, "expected %s, got the non-integer "
					       "number %s", ak_type_name(op->kind), tok);
		if (ak_enc_parse_int(tok, &v) != 0 ||
		    (op->kind == AK_INT && (v < INT32_MIN || v > INT32_MAX)))
			return ak_json_in_fail(j, AK_E_JSON, err, "%s is out of range for %s", tok,
					       ak_type_name(op->kind));
		return ak_buf_put_long(out, v, err);
	}
	{
		double fd;
		float ff;

		if (fast_real(tok, op->kind == AK_FLOAT, &fd, &ff))
			return op->kind == AK_FLOAT ? ak_buf_put_float(out, ff, err)
						    : ak_buf_put_double(out, fd, err);
	}
	if (op->kind == AK_FLOAT) {
		float f;

		errno = 0;
		f = strtof(tok, NULL);
		if (errno == ERANGE && isinf(f))
			return ak_json_in_fail(j, AK_E_JSON, err, "%s is out of range for float", tok);
		return ak_buf_put_float(out, f, err);
	}
	double d;

	errno = 0;
	d = strtod(tok, NULL);
	if (errno == ERANGE && isinf(d))
		return ak_json_in_fail(j, AK_E_JSON, err, "%s is out of range for double", tok);
	return ak_buf_put_double(out, d, err);
}

int ak_enc_special_real(const unsigned char *s, size_t n, double *d)
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
		if (rc == AK_OK && ak_enc_special_real(s.data, s.len, &d) != 0)
			rc = ak_json_in_fail(j, AK_E_JSON, err, "expected %s, got a string "
					     "(only \"NaN\", \"Infinity\" and \"-Infinity\" "
					     "are allowed)", ak_type_name(op->kind));
		ak_buf_release(&s);
		if (rc != AK_OK)
			return rc;
		return op->kind == AK_FLOAT ? ak_buf_put_float(out, (float)d, err)
					    : ak_buf_put_double(out, d, err);
	}
	if (c != '-' && (c < '0' || c > '9')) {
		if ((c == 'N' || c == 'I') && (op->kind == AK_FLOAT || op->kind == AK_DOUBLE)) {
			/* the bare NaN and Infinity that Python's json writes */
			double d;

			if ((rc = ak_json_in_nonfinite(j, c, &d, err)) != AK_OK)
				return rc;
			return op->kind == AK_FLOAT ? ak_buf_put_float(out, (float)d, err)
						    : ak_buf_put_double(out, d, err);
		}
		return mismatch(j, op, c, err);
	}
	if ((rc = ak_json_in_number(j, tok, &len, &isint, err)) != AK_OK)
		return rc;
	return ak_enc_number_tok(j, op, tok, isint, out, err);
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
		idx = ak_enc_find_name(op->names, op->n, e->key.data, e->key.len, 0);
		if (idx < 0) {
			ak_enc_list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "\"%.*s\" is not a symbol of enum %s "
					       "(symbols: %s)", (int)(e->key.len > 64 ? 64 : e->key.len),
					       (const char *)e->key.data, op->node->fullname, list);
		}
		return ak_buf_put_long(out, idx, err);
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
	return ak_buf_insert_long(out, start - 1, (int64_t)n, err);
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
		f = ak_enc_find_name(op->names, op->n, e->key.data, e->key.len, expected);
		if (f < 0) {
			char list[200];

			if (e->flags & AK_ENCODE_IGNORE_UNKNOWN) {
				if ((rc = ak_enc_expect_char(j, ':', "':'", err)) != AK_OK ||
				    (rc = ak_json_in_skip_value(j, &e->key, depth, err)) != AK_OK)
					return rc;
				goto next;
			}
			ak_enc_list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "unknown field \"%.*s\" (record %s "
					       "has: %s)", (int)(e->key.len > 64 ? 64 : e->key.len),
					       (const char *)e->key.data, op->node->fullname, list);
		}
		if (l->spans[f].start != SIZE_MAX)
			return ak_json_in_fail(j, AK_E_JSON, err, "field \"%s\" appears twice",
					       op->node->fields[f].name);
		if ((rc = ak_enc_expect_char(j, ':', "':'", err)) != AK_OK)
			return rc;
		if ((uint32_t)f != expected)
			in_order = 0;
		expected = (uint32_t)f + 1;
		l->spans[f].start = out->len;
		if ((rc = ak_enc_value(e, j, op->sub[f], out, depth + 1, err)) != AK_OK) {
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
			ak_enc_list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "null is not allowed: the union has "
					       "no null branch (branches: %s)", list);
		}
		return ak_buf_put_long(out, e->null_branch[opi], err);
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
	idx = ak_enc_find_name(op->names, op->n, e->key.data, e->key.len, 0);
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
		ak_enc_list_names(list, sizeof(list), op->names, op->n);
		return ak_json_in_fail(j, AK_E_JSON, err, "the union has no branch \"%.*s\" "
				       "(branches: %s; in Avro's JSON encoding a union value is "
				       "{\"branch\": value}, and fromjson --plain reads it without "
				       "the wrapper)", (int)(e->key.len > 64 ? 64 : e->key.len),
				       (const char *)e->key.data, list);
	}
	if ((rc = ak_enc_expect_char(j, ':', "':'", err)) != AK_OK ||
	    (rc = ak_buf_put_long(out, idx, err)) != AK_OK)
		return rc;
	if ((rc = ak_enc_value(e, j, op->sub[idx], out, depth + 1, err)) != AK_OK)
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
		return ak_buf_put_long(out, 0, err);
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
			if ((rc = ak_buf_put_long(out, (int64_t)klen, err)) != AK_OK)
				return rc;
			koff = out->len;
			if ((rc = ak_buf_append(out, e->key.data, klen, err)) != AK_OK ||
			    (rc = ak_enc_expect_char(j, ':', "':'", err)) != AK_OK)
				return rc;
		}
		if ((rc = ak_enc_value(e, j, op->item, out, depth + 1, err)) != AK_OK) {
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
	if ((rc = ak_buf_insert_long(out, start, (int64_t)count, err)) != AK_OK)
		return rc;
	return ak_buf_put_long(out, 0, err);
}

int ak_enc_value(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, struct ak_buf *out,
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
			return ak_enc_plain_union(e, j, opi, c, out, depth, err);
		if ((rc = ak_enc_plain_value(e, j, op, c, out, err)) != 1)
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
	rc = ak_enc_value(e, j, e->plan->root, out, 0, err);
	if (rc != AK_OK && !ak_path_empty(&e->path))
		ak_error_set_path(err, ak_path_str(&e->path));
	return rc;
}
