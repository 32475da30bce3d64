/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Plain JSON input for the JSON encoder (fromjson --plain, ak_encode_json with
 * AK_JSON_PLAIN): a union's branch is picked from the value itself (trying branches on a
 * bounded lookahead when the value's first token does not decide), bytes and fixed may be
 * base64 or hex, and logical types come in their readable forms (dates, timestamps, decimals,
 * uuids, durations). What plain JSON writes as Avro's JSON does is handed back to encode.c.
 */
#include "encode_int.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plain.h"
#include "put.h"
#include "text.h"
#include "varint.h"

static int plain_bytes(struct ak_json_encoder *e, const unsigned char *s, size_t n,
		       struct ak_buf *out, struct ak_error *err)
{
	int rc;

	if (e->flags & AK_ENCODE_BYTES_BASE64)
		return ak_parse_base64((const char *)s, n, out, err);
	if (e->flags & AK_ENCODE_BYTES_HEX)
		return ak_parse_hex((const char *)s, n, out, err);
	/* UTF-8 text whose code points are all below 256, one byte each */
	rc = ak_latin1_from_utf8(s, n, out, NULL, err);
	return rc == 1 ? -1 : rc;
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
		if ((rc = ak_buf_put_long(out, (int64_t)n, err)) != AK_OK)
			return rc;
		return ak_buf_append(out, s, n, err);
	case AK_ENUM: {
		int idx = ak_enc_find_name(op->names, op->n, s, n, 0);

		if (idx < 0) {
			*why = "not one of the enum's symbols";
			return 1;
		}
		return ak_buf_put_long(out, idx, err);
	}
	case AK_FLOAT:
	case AK_DOUBLE: {
		double d;

		if (ak_enc_special_real(s, n, &d) != 0) {
			*why = "only \"NaN\", \"Infinity\" and \"-Infinity\" are allowed as strings";
			return 1;
		}
		return op->kind == AK_FLOAT ? ak_buf_put_float(out, (float)d, err)
					    : ak_buf_put_double(out, d, err);
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
		return ak_buf_put_long(out, v, err);
	case AK_BYTES:
	case AK_FIXED:
		start = out->len;
		if (op->kind == AK_BYTES && (rc = ak_buf_put_long(out, 0, err)) != AK_OK) /* placeholder */
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
			return ak_buf_insert_long(out, start, (int64_t)n2, err);
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
		if ((rc = ak_enc_expect_char(j, ':', "':'", err)) != AK_OK)
			return rc;
		if ((c = ak_json_in_peek(j, err)) != '-' && (c < '0' || c > '9'))
			return ak_json_in_fail(j, AK_E_JSON, err, "duration %s must be a number",
					       names[k]);
		if ((rc = ak_json_in_number(j, tok, &len, &isint, err)) != AK_OK)
			return rc;
		if (!isint || ak_enc_parse_int(tok, &x) != 0 || x < 0 || x > UINT32_MAX)
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
int ak_enc_plain_value(struct ak_json_encoder *e, struct ak_json_in *j, const struct ak_op *op,
		       int c, struct ak_buf *out, struct ak_error *err)
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
					       ak_enc_type_desc(op, want, sizeof(want)),
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
	int k = ak_enc_find_name(op->names, op->n, s, n, 0);

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
		    ak_enc_find_name(ops[op->sub[b]].names, ops[op->sub[b]].n, s, n, 0) >= 0)
			return -1;
	return k;
}

/*
 * Could a plain JSON value that starts with @c be a value of @op? Yes when unsure: a no here
 * only lets a wrapper stream instead of being read into memory to try the other readings.
 */
static int may_start(const struct ak_json_encoder *e, const struct ak_op *op, int c)
{
	if (op->logical != AK_LT_NONE)
		return 1;
	switch (op->kind) {
	case AK_NULL: return c == 'n';
	case AK_BOOLEAN: return c == 't' || c == 'f';
	case AK_STRING:
	case AK_BYTES:
	case AK_ENUM:
	case AK_FIXED: return c == '"';
	case AK_RECORD:
	case AK_MAP: return c == '{';
	case AK_ARRAY: return c == '[';
	case AK_UNION:
		for (uint32_t b = 0; b < op->n; b++)
			if (may_start(e, &e->plan->ops[op->sub[b]], c))
				return 1;
		return 0;
	}
	return 1;
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
	    (rc = ak_enc_expect_char(j, ':', "':'", err)) != AK_OK ||
	    (rc = ak_buf_put_long(out, k, err)) != AK_OK ||
	    (rc = ak_enc_value(e, j, op->sub[k], out, depth + 1, err)) != AK_OK)
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
 * @wrap >= 0: the object's first key names that branch while a map branch could also take the
 * object; its plain readings come first (what tojson --plain writes must read back: the map
 * {"string": 1} is not the wrapper of a string), the wrapper {"Branch": value} is tried when
 * none fits.
 */
__attribute__((noinline))
static int plain_object(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, int wrap,
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
		rc = ak_enc_value(e, &m, op->sub[k], out, depth + 1, &t[k].err);
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
	if (rc == AK_OK && nok == 0 && wrap >= 0) {
		struct ak_error werr = { 0 };

		ak_json_in_init_at(&m, (const char *)text.data, text.len, &pos);
		ak_json_in_peek(&m, &werr);
		rc = plain_wrapper(e, &m, opi, (uint32_t)wrap, out, depth, &werr);
		ak_path_reset(&e->path);
		if (rc == AK_OK) {
			ak_buf_release(&text);
			free(t);
			return AK_OK; /* the wrapper read for real: it was the only reading */
		}
		out->len = mark;
		if (rc != AK_E_JSON && rc != AK_E_LIMIT) {
			*err = werr;
		} else {
			rc = AK_OK;
			if (best < 0 || later(&werr, &t[best].err)) {
				/* the wrapper read furthest: its error tells most */
				ak_buf_release(&text);
				free(t);
				*err = werr;
				return err->code;
			}
		}
	}
	if (rc == AK_OK && nok == 1) {
		/* read it again as that branch, for real */
		ak_json_in_init_at(&m, (const char *)text.data, text.len, &pos);
		if ((rc = ak_buf_put_long(out, first, err)) == AK_OK)
			rc = ak_enc_value(e, &m, op->sub[first], out, depth + 1, err);
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

		ak_enc_list_names(list, sizeof(list), op->names, op->n);
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
int ak_enc_plain_union(struct ak_json_encoder *e, struct ak_json_in *j, uint32_t opi, int c,
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
		int count = 0, vc = 0;

		for (uint32_t k = 0; k < op->n; k++)
			if (takes_object(BR(k))) {
				if (pick < 0)
					pick = (int)k;
				count++;
			}
		/* {"Branch": value}, Avro JSON's wrapper: the way to choose a branch */
		if (!ak_enc_maybe_wrapper(e, j, opi))
			rc = 0;
		else if ((rc = ak_json_in_first_key(j, &key, &klen, &vc, err)) < 0)
			return rc;
		if (rc == 1) {
			int k = branch_named(e, op, key, klen);

			/* a map branch could take the object as it is, unless its values
			 * cannot start with the first member's value */
			for (uint32_t b = 0; k >= 0 && b < op->n; b++)
				if (BR(b)->kind == AK_MAP &&
				    (!vc || may_start(e, &ops[BR(b)->item], vc)))
					return plain_object(e, j, opi, k, out, depth, err);
			if (k >= 0)
				return plain_wrapper(e, j, opi, (uint32_t)k, out, depth, err);
		}
		if (count > 1)
			return plain_object(e, j, opi, -1, out, depth, err);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		char tok[AK_JSON_NUMBER_TOKEN_MAX + 1];
		size_t len;
		int isint;
		int64_t v = 0;
		static const unsigned int_order[] = { AK_INT, AK_LONG, AK_DOUBLE, AK_FLOAT };
		static const unsigned real_order[] = { AK_DOUBLE, AK_FLOAT };

		if ((rc = ak_json_in_number(j, tok, &len, &isint, err)) != AK_OK)
			return rc;
		int fits_int = isint && ak_enc_parse_int(tok, &v) == 0;
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

			ak_enc_list_names(list, sizeof(list), op->names, op->n);
			return ak_json_in_fail(j, AK_E_JSON, err, "the number %s fits no branch of "
					       "the union (branches: %s)", tok, list);
		}
		if ((rc = ak_buf_put_long(out, pick, err)) != AK_OK)
			return rc;
		if (BR(pick)->kind == AK_BYTES || BR(pick)->kind == AK_FIXED) {
			const char *why;

			rc = plain_string(e, BR(pick), (const unsigned char *)tok, len, out, &why, err);
			if (rc == 1)
				return ak_json_in_fail(j, AK_E_JSON, err, "%s: %s", tok, why);
			return rc;
		}
		return ak_enc_number_tok(j, BR(pick), tok, isint, out, err);
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
			if ((rc = ak_buf_put_long(out, first, err)) != AK_OK)
				return rc;
			return plain_string(e, BR(first), e->key.data, e->key.len, out, &why, err);
		}
		out->len = mark;
		{
			char list[200];

			ak_enc_list_names(list, sizeof(list), op->names, op->n);
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
		ak_enc_list_names(list, sizeof(list), op->names, op->n);
		return ak_json_in_fail(j, AK_E_JSON, err, "%s fits no branch of the union "
				       "(branches: %s)", what, list);
	}
	if ((rc = ak_buf_put_long(out, pick, err)) != AK_OK)
		return rc;
	return ak_enc_value(e, j, op->sub[pick], out, depth + 1, err);
#undef BR
}

