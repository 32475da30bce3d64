/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building datums from C values (struct ak_encoder, avrokit.h). The caller puts values depth
 * first; the encoder follows along in the schema's plan, checks each value against the type
 * expected where it is put, and writes its binary at once. What it keeps is a stack of the
 * open records, arrays and maps:
 *
 * - a record notes where each field's bytes went. Fields put in the schema's order (the
 *   common case, and what the Python binding does) are already in place when the record ends;
 *   otherwise the fields are laid out again in order there, with the defaults of those left
 *   out (encoded once per record type, when first needed).
 * - an array or a map is written as one block, its count put in front when it ends.
 *
 * A union takes the branch given with ak_put_branch(), or else the first branch that takes
 * the value put (fastavro's rule), except that records, arrays and maps need their branch to
 * be the only one of their kind.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "default.h"
#include "encode.h"
#include "encoder.h"
#include "json_in.h"
#include "text.h"
#include "varint.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#define AK_BIG_ENDIAN 1
#endif

struct span {
	size_t start, end; /* end == SIZE_MAX: not put */
};

struct frame {
	uint32_t op;            /* the record, array or map */
	uint8_t kind;
	size_t start;           /* where its bytes start in the output */
	uint64_t count;         /* array items, map entries */
	/* record */
	int32_t field;          /* the field whose value comes next, or -1 */
	uint32_t next;          /* the field that comes next when they come in order */
	int ordered;            /* every field so far came in order */
	struct span *spans;     /* one per field (owned, reused) */
	uint32_t cap;
	/* map */
	int have_key;           /* a key was put, its value comes next */
	size_t key_off, key_len;/* the last key's bytes in the output, for messages */
};

struct defaults {
	size_t *off, *len;      /* per field; off == SIZE_MAX: no default */
};

struct ak_encoder {
	const struct ak_schema *schema;
	struct ak_plan *plan;
	struct ak_encoder_opts opts;
	struct ak_buf own;      /* the output when it is ours */
	struct ak_buf *out;
	size_t datum_start;     /* where the unfinished datum starts */
	size_t first_start;     /* where the first datum since the last restart starts */
	size_t ndatums;
	int in_datum;           /* a datum is under way (a container is open) */
	int32_t branch;         /* the union branch given for the next value, or -1 */
	struct frame *frames;
	size_t nframes, capframes;
	struct defaults *defs;  /* per op, for records (made when first needed) */
	struct ak_buf defmem;
	struct ak_buf tmp;
	struct ak_json_encoder *jenc; /* ak_encode_json() */
	int rc;                 /* the first error, sticky */
	struct ak_error err;
};

/* ---- errors ---- */

/* The path of the value being put: "address.zip", "tags[3]", "m[\"k\"]". */
static void where(struct ak_encoder *e, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < e->nframes && len < size; i++) {
		const struct frame *f = &e->frames[i];
		const struct ak_op *op = &e->plan->ops[f->op];
		int n = 0;

		if (f->kind == AK_RECORD && f->field >= 0)
			n = snprintf(buf + len, size - len, "%s%s", len ? "." : "",
				     op->node->fields[f->field].name);
		else if (f->kind == AK_ARRAY)
			n = snprintf(buf + len, size - len, "[%" PRIu64 "]", f->count);
		else if (f->kind == AK_MAP && f->have_key)
			n = snprintf(buf + len, size - len, "[\"%.*s\"]",
				     (int)(f->key_len > 40 ? 40 : f->key_len),
				     (const char *)e->out->data + f->key_off);
		if (n > 0)
			len += (size_t)n;
	}
}

__attribute__((format(printf, 3, 4)))
static int fail(struct ak_encoder *e, int code, const char *fmt, ...)
{
	char path[AK_ERROR_PATH_MAX];
	va_list ap;

	if (e->rc)
		return e->rc;
	ak_fail(&e->err, code, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e->err.msg, sizeof(e->err.msg), fmt, ap);
	va_end(ap);
	where(e, path, sizeof(path));
	ak_error_set_path(&e->err, path);
	e->rc = code;
	return code;
}

/* Every put starts here: the sticky error, copied out. */
static int sticky(struct ak_encoder *e, struct ak_error *err)
{
	ak_error_copy(err, &e->err);
	return e->rc;
}

#define FAIL(e, err, code, ...) (fail(e, code, __VA_ARGS__), sticky(e, err))

/* ---- output ---- */

static int put_varint(struct ak_encoder *e, int64_t v)
{
	if (ak_buf_reserve(e->out, AK_VARINT_MAX, NULL) != AK_OK)
		return fail(e, AK_E_NOMEM, "out of memory");
	e->out->len += ak_varint_encode(e->out->data + e->out->len, v);
	return AK_OK;
}

static int put_raw(struct ak_encoder *e, const void *p, size_t n)
{
	if (ak_buf_append(e->out, p, n, NULL) != AK_OK)
		return fail(e, AK_E_NOMEM, "out of memory");
	return AK_OK;
}

static int put_le(struct ak_encoder *e, const void *p, size_t n)
{
#ifdef AK_BIG_ENDIAN
	unsigned char b[8];

	for (size_t i = 0; i < n; i++)
		b[i] = ((const unsigned char *)p)[n - 1 - i];
	return put_raw(e, b, n);
#else
	return put_raw(e, p, n);
#endif
}

/* Put a varint @v in front of the bytes from @start to the end of the output. */
static int insert_varint(struct ak_encoder *e, size_t start, int64_t v)
{
	unsigned char tmp[AK_VARINT_MAX];
	size_t n = ak_varint_encode(tmp, v);

	if (ak_buf_reserve(e->out, n, NULL) != AK_OK)
		return fail(e, AK_E_NOMEM, "out of memory");
	memmove(e->out->data + start + n, e->out->data + start, e->out->len - start);
	memcpy(e->out->data + start, tmp, n);
	e->out->len += n;
	return AK_OK;
}

/* ---- where a value goes ---- */

/* The op of the value to be put next, or a negative status (a state error). */
static int64_t expected(struct ak_encoder *e)
{
	struct frame *f;

	if (!e->nframes) {
		if (!e->in_datum) {
			e->in_datum = 1;
			e->datum_start = e->out->len;
			if (!e->ndatums)
				e->first_start = e->out->len;
		}
		return e->plan->root;
	}
	f = &e->frames[e->nframes - 1];
	switch (f->kind) {
	case AK_RECORD:
		if (f->field < 0)
			return fail(e, AK_E_STATE, "a value in a record needs ak_put_field() first");
		return e->plan->ops[f->op].sub[f->field];
	case AK_MAP:
		if (!f->have_key)
			return fail(e, AK_E_STATE, "a value in a map needs ak_put_key() first");
		return e->plan->ops[f->op].item;
	default:
		return e->plan->ops[f->op].item;
	}
}

/* What kind of value a put is, to match a type or pick a union branch. */
enum put_kind {
	P_NULL, P_BOOLEAN, P_LONG, P_DOUBLE, P_BYTES, P_STRING, P_FIXED, P_ENUM, P_SYMBOL,
	P_RECORD, P_ARRAY, P_MAP,
};

static const char *const put_names[] = {
	"null", "boolean", "integer", "real number", "bytes", "string", "fixed", "enum index",
	"enum symbol", "record", "array", "map",
};

struct putv {
	enum put_kind kind;
	int64_t l;
	double d;
	const void *p;
	size_t n;
};

/* Can type @op take the value @v? */
static int takes(const struct ak_op *op, const struct putv *v)
{
	switch (v->kind) {
	case P_NULL: return op->kind == AK_NULL;
	case P_BOOLEAN: return op->kind == AK_BOOLEAN;
	case P_LONG:
		return (op->kind == AK_INT && v->l >= INT32_MIN && v->l <= INT32_MAX) ||
		       op->kind == AK_LONG || op->kind == AK_FLOAT || op->kind == AK_DOUBLE ||
		       (op->kind == AK_ENUM && v->l >= 0 && v->l < op->n);
	case P_DOUBLE: return op->kind == AK_FLOAT || op->kind == AK_DOUBLE;
	case P_BYTES: return op->kind == AK_BYTES || (op->kind == AK_FIXED && v->n == op->n);
	case P_STRING: return op->kind == AK_STRING;
	case P_FIXED: return op->kind == AK_FIXED && v->n == op->n;
	case P_ENUM: return op->kind == AK_ENUM && v->l >= 0 && v->l < op->n;
	case P_SYMBOL: return op->kind == AK_ENUM && ak_node_symbol_index(op->node, v->p) >= 0;
	case P_RECORD: return op->kind == AK_RECORD;
	case P_ARRAY: return op->kind == AK_ARRAY;
	case P_MAP: return op->kind == AK_MAP;
	}
	return 0;
}

/*
 * Resolve a union at @opi for value @v: write the branch index and return the branch's op.
 * Returns the op unchanged when it is no union, or a negative status.
 */
static int64_t through_union(struct ak_encoder *e, uint32_t opi, const struct putv *v)
{
	const struct ak_op *op = &e->plan->ops[opi];
	int32_t pick = -1;
	int rc;

	if (op->kind != AK_UNION) {
		if (e->branch >= 0)
			return fail(e, AK_E_STATE, "ak_put_branch() given, but the type here is %s, "
				    "not a union", ak_node_branch_name(op->node));
		return opi;
	}
	if (e->branch >= 0) {
		pick = e->branch;
		e->branch = -1;
	} else if (v->kind == P_RECORD || v->kind == P_ARRAY || v->kind == P_MAP) {
		for (uint32_t k = 0; k < op->n; k++) {
			if (!takes(&e->plan->ops[op->sub[k]], v))
				continue;
			if (pick >= 0)
				return fail(e, AK_E_VALUE, "which branch of the union is this %s? "
					    "ak_put_branch() says", put_names[v->kind]);
			pick = (int32_t)k;
		}
	} else {
		/* a number picks no enum branch: that takes ak_put_enum() or ak_put_branch() */
		for (uint32_t k = 0; k < op->n && pick < 0; k++)
			if (takes(&e->plan->ops[op->sub[k]], v) &&
			    !(v->kind == P_LONG && e->plan->ops[op->sub[k]].kind == AK_ENUM))
				pick = (int32_t)k;
	}
	if (pick < 0)
		return fail(e, AK_E_VALUE, "no branch of the union takes a %s", put_names[v->kind]);
	if ((rc = put_varint(e, pick)) != AK_OK)
		return rc;
	return op->sub[pick];
}

/* A value is complete: tell its container (or the datum). */
static void value_done(struct ak_encoder *e)
{
	struct frame *f;

	if (!e->nframes) {
		e->in_datum = 0;
		e->ndatums++;
		return;
	}
	f = &e->frames[e->nframes - 1];
	switch (f->kind) {
	case AK_RECORD:
		f->spans[f->field].end = e->out->len;
		f->field = -1;
		break;
	case AK_ARRAY:
		f->count++;
		break;
	case AK_MAP:
		f->count++;
		f->have_key = 0;
		break;
	}
}

/* Find the op for a put of @v, write the union branch if any: the op, or a status. */
static int64_t target(struct ak_encoder *e, const struct putv *v)
{
	int64_t opi = expected(e);

	if (opi < 0)
		return opi;
	opi = through_union(e, (uint32_t)opi, v);
	if (opi < 0)
		return opi;
	if (!takes(&e->plan->ops[opi], v)) {
		const struct ak_op *op = &e->plan->ops[opi];

		if (v->kind == P_LONG && op->kind == AK_INT)
			return fail(e, AK_E_VALUE, "%" PRId64 " is out of the range of an int", v->l);
		if ((v->kind == P_FIXED || v->kind == P_BYTES) && op->kind == AK_FIXED)
			return fail(e, AK_E_VALUE, "%s is a fixed of %" PRIu32 " bytes, not %zu",
				    op->node->fullname, op->n, v->n);
		if ((v->kind == P_ENUM || v->kind == P_LONG) && op->kind == AK_ENUM)
			return fail(e, AK_E_VALUE, "enum index %" PRId64 " is out of range (%s has %"
				    PRIu32 " symbols)", v->l, op->node->fullname, op->n);
		if (v->kind == P_SYMBOL && op->kind == AK_ENUM)
			return fail(e, AK_E_VALUE, "\"%s\" is not a symbol of %s", (const char *)v->p,
				    op->node->fullname);
		return fail(e, AK_E_VALUE, "expected %s, got %s", ak_node_branch_name(op->node),
			    put_names[v->kind]);
	}
	return opi;
}

/* ---- scalars ---- */

static int scalar(struct ak_encoder *e, const struct putv *v, struct ak_error *err)
{
	int64_t opi;
	const struct ak_op *op;
	int rc = AK_OK;

	if (e->rc)
		return sticky(e, err);
	if ((opi = target(e, v)) < 0)
		return sticky(e, err);
	op = &e->plan->ops[opi];
	switch (op->kind) {
	case AK_NULL:
		break;
	case AK_BOOLEAN: {
		unsigned char b = v->l != 0;

		rc = put_raw(e, &b, 1);
		break;
	}
	case AK_INT:
	case AK_LONG:
		rc = put_varint(e, v->l);
		break;
	case AK_FLOAT: {
		float f = v->kind == P_LONG ? (float)v->l : (float)v->d;

		rc = put_le(e, &f, 4);
		break;
	}
	case AK_DOUBLE: {
		double d = v->kind == P_LONG ? (double)v->l : v->d;

		rc = put_le(e, &d, 8);
		break;
	}
	case AK_STRING:
		if (!ak_utf8_valid(v->p, v->n))
			return FAIL(e, err, AK_E_VALUE, "the string is not valid UTF-8");
		/* fall through */
	case AK_BYTES:
		if ((rc = put_varint(e, (int64_t)v->n)) == AK_OK)
			rc = put_raw(e, v->p, v->n);
		break;
	case AK_FIXED:
		rc = put_raw(e, v->p, v->n);
		break;
	case AK_ENUM:
		rc = put_varint(e, v->kind == P_SYMBOL ? ak_node_symbol_index(op->node, v->p) : v->l);
		break;
	default:
		return FAIL(e, err, AK_E_ARG, "bad plan op %u", op->kind);
	}
	if (rc != AK_OK)
		return sticky(e, err);
	value_done(e);
	return AK_OK;
}

AK_API int ak_put_null(struct ak_encoder *e, struct ak_error *err)
{
	struct putv v = { P_NULL, 0, 0, NULL, 0 };

	return scalar(e, &v, err);
}

AK_API int ak_put_boolean(struct ak_encoder *e, int x, struct ak_error *err)
{
	struct putv v = { P_BOOLEAN, x != 0, 0, NULL, 0 };

	return scalar(e, &v, err);
}

AK_API int ak_put_int(struct ak_encoder *e, int32_t x, struct ak_error *err)
{
	struct putv v = { P_LONG, x, 0, NULL, 0 };

	return scalar(e, &v, err);
}

AK_API int ak_put_long(struct ak_encoder *e, int64_t x, struct ak_error *err)
{
	struct putv v = { P_LONG, x, 0, NULL, 0 };

	return scalar(e, &v, err);
}

AK_API int ak_put_float(struct ak_encoder *e, float x, struct ak_error *err)
{
	struct putv v = { P_DOUBLE, 0, x, NULL, 0 };

	return scalar(e, &v, err);
}

AK_API int ak_put_double(struct ak_encoder *e, double x, struct ak_error *err)
{
	struct putv v = { P_DOUBLE, 0, x, NULL, 0 };

	return scalar(e, &v, err);
}

AK_API int ak_put_bytes(struct ak_encoder *e, const void *p, size_t len, struct ak_error *err)
{
	struct putv v = { P_BYTES, 0, 0, p ? p : "", len };

	if (!p && len)
		return FAIL(e, err, AK_E_ARG, "no bytes");
	return scalar(e, &v, err);
}

AK_API int ak_put_string(struct ak_encoder *e, const char *p, size_t len, struct ak_error *err)
{
	struct putv v = { P_STRING, 0, 0, p ? p : "", len };

	if (!p && len)
		return FAIL(e, err, AK_E_ARG, "no string");
	return scalar(e, &v, err);
}

AK_API int ak_put_fixed(struct ak_encoder *e, const void *p, size_t len, struct ak_error *err)
{
	struct putv v = { P_FIXED, 0, 0, p ? p : "", len };

	if (!p && len)
		return FAIL(e, err, AK_E_ARG, "no bytes");
	return scalar(e, &v, err);
}

AK_API int ak_put_enum(struct ak_encoder *e, uint32_t index, struct ak_error *err)
{
	struct putv v = { P_ENUM, index, 0, NULL, 0 };

	return scalar(e, &v, err);
}

AK_API int ak_put_symbol(struct ak_encoder *e, const char *symbol, struct ak_error *err)
{
	struct putv v = { P_SYMBOL, 0, 0, symbol ? symbol : "", 0 };

	return scalar(e, &v, err);
}

/* ---- containers ---- */

static int open_container(struct ak_encoder *e, enum put_kind kind, struct ak_error *err)
{
	struct putv v = { kind, 0, 0, NULL, 0 };
	struct frame *f;
	int64_t opi;

	if (e->rc)
		return sticky(e, err);
	if (e->nframes >= e->opts.max_depth)
		return FAIL(e, err, AK_E_LIMIT, "values nested deeper than %u levels",
			    e->opts.max_depth);
	if ((opi = target(e, &v)) < 0)
		return sticky(e, err);
	if (e->nframes == e->capframes) {
		size_t cap = e->capframes ? 2 * e->capframes : 16;
		struct frame *fr = realloc(e->frames, cap * sizeof(*fr));

		if (!fr)
			return FAIL(e, err, AK_E_NOMEM, "out of memory");
		memset(fr + e->capframes, 0, (cap - e->capframes) * sizeof(*fr));
		e->frames = fr;
		e->capframes = cap;
	}
	f = &e->frames[e->nframes];
	f->op = (uint32_t)opi;
	f->kind = kind == P_RECORD ? AK_RECORD : kind == P_ARRAY ? AK_ARRAY : AK_MAP;
	f->start = e->out->len;
	f->count = 0;
	f->field = -1;
	f->next = 0;
	f->ordered = 1;
	f->have_key = 0;
	if (f->kind == AK_RECORD) {
		uint32_t n = e->plan->ops[opi].n;

		if (f->cap < n) {
			struct span *sp = realloc(f->spans, n * sizeof(*sp));

			if (!sp)
				return FAIL(e, err, AK_E_NOMEM, "out of memory");
			f->spans = sp;
			f->cap = n;
		}
		for (uint32_t i = 0; i < n; i++)
			f->spans[i].end = SIZE_MAX;
	}
	e->nframes++;
	return AK_OK;
}

AK_API int ak_put_record(struct ak_encoder *e, struct ak_error *err)
{
	return open_container(e, P_RECORD, err);
}

AK_API int ak_put_array(struct ak_encoder *e, struct ak_error *err)
{
	return open_container(e, P_ARRAY, err);
}

AK_API int ak_put_map(struct ak_encoder *e, struct ak_error *err)
{
	return open_container(e, P_MAP, err);
}

static struct frame *top(struct ak_encoder *e, uint8_t kind)
{
	struct frame *f = e->nframes ? &e->frames[e->nframes - 1] : NULL;

	return f && f->kind == kind ? f : NULL;
}

AK_API int ak_put_field_index(struct ak_encoder *e, size_t index, struct ak_error *err)
{
	struct frame *f;
	const struct ak_op *op;

	if (e->rc)
		return sticky(e, err);
	if (!(f = top(e, AK_RECORD)) || f->field >= 0 || e->branch >= 0)
		return FAIL(e, err, AK_E_STATE, "ak_put_field() outside a record, or twice");
	op = &e->plan->ops[f->op];
	if (index >= op->n)
		return FAIL(e, err, AK_E_VALUE, "record %s has %" PRIu32 " fields, not %zu",
			    op->node->fullname, op->n, index + 1);
	if (f->spans[index].end != SIZE_MAX) {
		f->field = (int32_t)index;
		return FAIL(e, err, AK_E_VALUE, "field put twice");
	}
	if (index != f->next)
		f->ordered = 0;
	f->next = (uint32_t)index + 1;
	f->field = (int32_t)index;
	f->spans[index].start = e->out->len;
	return AK_OK;
}

AK_API int ak_put_field(struct ak_encoder *e, const char *name, struct ak_error *err)
{
	struct frame *f;
	long i;

	if (e->rc)
		return sticky(e, err);
	if (!(f = top(e, AK_RECORD)))
		return FAIL(e, err, AK_E_STATE, "ak_put_field() outside a record");
	if ((i = ak_node_field_index(e->plan->ops[f->op].node, name ? name : "")) < 0)
		return FAIL(e, err, AK_E_VALUE, "record %s has no field \"%s\"",
			    e->plan->ops[f->op].node->fullname, name ? name : "");
	return ak_put_field_index(e, (size_t)i, err);
}

AK_API int ak_put_key(struct ak_encoder *e, const char *key, size_t len, struct ak_error *err)
{
	struct frame *f;

	if (e->rc)
		return sticky(e, err);
	if (!(f = top(e, AK_MAP)) || f->have_key || e->branch >= 0)
		return FAIL(e, err, AK_E_STATE, "ak_put_key() outside a map, or twice");
	if (!key && len)
		return FAIL(e, err, AK_E_ARG, "no key");
	if (!ak_utf8_valid((const unsigned char *)(key ? key : ""), len))
		return FAIL(e, err, AK_E_VALUE, "the map key is not valid UTF-8");
	if (put_varint(e, (int64_t)len) != AK_OK)
		return sticky(e, err);
	f->key_off = e->out->len;
	f->key_len = len;
	if (put_raw(e, key ? key : "", len) != AK_OK)
		return sticky(e, err);
	f->have_key = 1;
	return AK_OK;
}

AK_API int ak_put_branch(struct ak_encoder *e, uint32_t index, struct ak_error *err)
{
	int64_t opi;
	const struct ak_op *op;

	if (e->rc)
		return sticky(e, err);
	if (e->branch >= 0)
		return FAIL(e, err, AK_E_STATE, "ak_put_branch() twice");
	if ((opi = expected(e)) < 0)
		return sticky(e, err);
	op = &e->plan->ops[opi];
	if (op->kind != AK_UNION)
		return FAIL(e, err, AK_E_VALUE, "ak_put_branch(): the type here is %s, not a union",
			    ak_node_branch_name(op->node));
	if (index >= op->n)
		return FAIL(e, err, AK_E_VALUE, "the union has %" PRIu32 " branches, not %" PRIu32,
			    op->n, index + 1);
	e->branch = (int32_t)index;
	return AK_OK;
}

/* The defaults of record op @opi's fields, as binary, made once. */
static struct defaults *defaults_of(struct ak_encoder *e, uint32_t opi)
{
	const struct ak_op *op = &e->plan->ops[opi];
	struct defaults *d = &e->defs[opi];

	if (d->off)
		return d;
	if (!(d->off = malloc((op->n ? op->n : 1) * sizeof(*d->off))) ||
	    !(d->len = malloc((op->n ? op->n : 1) * sizeof(*d->len)))) {
		free(d->off);
		d->off = NULL;
		return NULL;
	}
	for (uint32_t i = 0; i < op->n; i++) {
		const struct ak_field *fd = &op->node->fields[i];
		size_t start = e->defmem.len;

		d->off[i] = SIZE_MAX;
		d->len[i] = 0;
		if (fd->def && ak_encode_default(fd->type, fd->def, &e->defmem, NULL) == AK_OK) {
			d->off[i] = start;
			d->len[i] = e->defmem.len - start;
		}
	}
	return d;
}

/* A record ends: put its fields in order and fill in the defaults when it has to. */
static int end_record(struct ak_encoder *e, struct frame *f)
{
	const struct ak_op *op = &e->plan->ops[f->op];
	struct defaults *d = NULL;
	struct ak_buf *t = &e->tmp;

	if (f->ordered && f->next == op->n)
		return AK_OK; /* every field, in order: in place already */
	for (uint32_t i = 0; i < op->n; i++) {
		if (f->spans[i].end != SIZE_MAX)
			continue;
		if (!d && !(d = defaults_of(e, f->op)))
			return fail(e, AK_E_NOMEM, "out of memory");
		if (d->off[i] == SIZE_MAX) {
			f->field = (int32_t)i;
			return fail(e, AK_E_VALUE, "no value, and the field has no default");
		}
	}
	t->len = 0;
	for (uint32_t i = 0; i < op->n; i++) {
		const unsigned char *p;
		size_t n;

		if (f->spans[i].end != SIZE_MAX) {
			p = e->out->data + f->spans[i].start;
			n = f->spans[i].end - f->spans[i].start;
		} else {
			p = e->defmem.data + d->off[i];
			n = d->len[i];
		}
		if (n && ak_buf_append(t, p, n, NULL) != AK_OK)
			return fail(e, AK_E_NOMEM, "out of memory");
	}
	e->out->len = f->start;
	if (t->len && ak_buf_append(e->out, t->data, t->len, NULL) != AK_OK)
		return fail(e, AK_E_NOMEM, "out of memory");
	return AK_OK;
}

AK_API int ak_put_end(struct ak_encoder *e, struct ak_error *err)
{
	struct frame *f;
	int rc = AK_OK;

	if (e->rc)
		return sticky(e, err);
	if (!e->nframes)
		return FAIL(e, err, AK_E_STATE, "ak_put_end() with no record, array or map open");
	f = &e->frames[e->nframes - 1];
	if (e->branch >= 0 || (f->kind == AK_RECORD && f->field >= 0) ||
	    (f->kind == AK_MAP && f->have_key))
		return FAIL(e, err, AK_E_STATE, "ak_put_end() before the value");
	if (f->kind == AK_RECORD) {
		rc = end_record(e, f);
	} else if (f->count) {
		if ((rc = insert_varint(e, f->start, (int64_t)f->count)) == AK_OK)
			rc = put_varint(e, 0);
	} else {
		rc = put_varint(e, 0);
	}
	if (rc != AK_OK)
		return sticky(e, err);
	e->nframes--;
	value_done(e);
	return AK_OK;
}

/* ---- the encoder ---- */

AK_API void ak_encoder_opts_init(struct ak_encoder_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_depth = AK_DATA_MAX_DEPTH;
}

struct ak_encoder *ak_encoder_new_into(const struct ak_schema *s,
				       const struct ak_encoder_opts *o, struct ak_buf *out,
				       struct ak_error *err)
{
	struct ak_encoder *e;

	if (!s) {
		ak_fail(err, AK_E_ARG, "no schema");
		return NULL;
	}
	if (!(e = calloc(1, sizeof(*e)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	e->schema = s;
	if (o)
		e->opts = *o;
	else
		ak_encoder_opts_init(&e->opts);
	if (!e->opts.max_depth)
		e->opts.max_depth = AK_DATA_MAX_DEPTH;
	e->out = out ? out : &e->own;
	e->branch = -1;
	ak_error_clear(&e->err);
	if (!(e->plan = ak_plan_new(s, err)) ||
	    !(e->defs = calloc(e->plan->nops ? e->plan->nops : 1, sizeof(*e->defs)))) {
		if (e->plan)
			ak_fail(err, AK_E_NOMEM, "out of memory");
		ak_encoder_free(e);
		return NULL;
	}
	return e;
}

AK_API struct ak_encoder *ak_encoder_new(const struct ak_schema *s,
					 const struct ak_encoder_opts *o, struct ak_error *err)
{
	return ak_encoder_new_into(s, o, NULL, err);
}

AK_API void ak_encoder_free(struct ak_encoder *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->capframes; i++)
		free(e->frames[i].spans);
	free(e->frames);
	if (e->defs && e->plan)
		for (size_t i = 0; i < e->plan->nops; i++) {
			free(e->defs[i].off);
			free(e->defs[i].len);
		}
	free(e->defs);
	ak_json_encoder_free(e->jenc);
	ak_plan_free(e->plan);
	ak_buf_release(&e->own);
	ak_buf_release(&e->defmem);
	ak_buf_release(&e->tmp);
	free(e);
}

int ak_encoder_idle(const struct ak_encoder *e)
{
	return !e->in_datum && e->branch < 0 && !e->ndatums && !e->rc;
}

size_t ak_encoder_count(const struct ak_encoder *e)
{
	return e->ndatums;
}

int ak_encoder_check(const struct ak_encoder *e, struct ak_error *err)
{
	if (e->rc) {
		ak_error_copy(err, &e->err);
		return e->rc;
	}
	if (e->in_datum || e->branch >= 0)
		return ak_fail(err, AK_E_STATE, "a value is unfinished (%zu record, array or map "
			       "left open)", e->nframes);
	return AK_OK;
}

void ak_encoder_restart(struct ak_encoder *e)
{
	e->nframes = 0;
	e->in_datum = 0;
	e->ndatums = 0;
	e->branch = -1;
	e->rc = 0;
	ak_error_clear(&e->err);
}

AK_API void ak_encoder_reset(struct ak_encoder *e)
{
	if (!e)
		return;
	/* a writer's encoder gives back what it put since the last record (nothing else
	 * writes there meanwhile: the writer refuses to); its own buffer is emptied */
	if (e->out == &e->own)
		e->own.len = 0;
	else if ((e->in_datum || e->ndatums) && e->out->len > e->first_start)
		e->out->len = e->first_start;
	ak_encoder_restart(e);
}

AK_API int ak_encoder_datum(struct ak_encoder *e, const void **data, size_t *len,
			    struct ak_error *err)
{
	int rc;

	*data = NULL;
	*len = 0;
	if (e->out != &e->own)
		return ak_fail(err, AK_E_STATE, "this encoder writes into a file: ak_writer_commit()");
	if ((rc = ak_encoder_check(e, err)) != AK_OK)
		return rc;
	*data = e->own.data ? e->own.data : (const void *)"";
	*len = e->own.len;
	return AK_OK;
}

AK_API int ak_encode_json(struct ak_encoder *e, const char *json, size_t len, size_t *used,
			  struct ak_error *err)
{
	struct ak_json_in j;
	size_t start;
	int rc;

	if (used)
		*used = 0;
	if (e->rc)
		return sticky(e, err);
	if (e->in_datum || e->branch >= 0)
		return ak_fail(err, AK_E_STATE, "ak_encode_json() inside an unfinished value");
	if (!json && len)
		return ak_fail(err, AK_E_ARG, "no text");
	if (!e->jenc &&
	    !(e->jenc = ak_json_encoder_new(e->plan, ak_encode_flags_of(e->opts.json_flags), err)))
		return err && err->code ? err->code : AK_E_NOMEM;
	ak_json_in_init_mem(&j, json ? json : "", len);
	start = e->out->len;
	if (!e->ndatums)
		e->first_start = start;
	rc = ak_json_encode(e->jenc, &j, e->out, err);
	if (rc != AK_OK) {
		e->out->len = start;
		return rc;
	}
	if (used)
		*used = (size_t)(j.p - j.buf);
	e->ndatums++;
	return AK_OK;
}

AK_API int ak_encoder_fail(struct ak_encoder *e, int code, const char *msg,
			   struct ak_error *err)
{
	if (code >= 0)
		code = AK_E_VALUE;
	return FAIL(e, err, code, "%s", msg ? msg : ak_status_name(code));
}

/* ---- re-encoding decoded data ---- */

static int t_null(void *ctx, const struct ak_node *n)
{
	(void)n;
	return ak_put_null(ctx, NULL);
}

static int t_boolean(void *ctx, const struct ak_node *n, int v)
{
	(void)n;
	return ak_put_boolean(ctx, v, NULL);
}

static int t_int(void *ctx, const struct ak_node *n, int32_t v)
{
	(void)n;
	return ak_put_int(ctx, v, NULL);
}

static int t_long(void *ctx, const struct ak_node *n, int64_t v)
{
	(void)n;
	return ak_put_long(ctx, v, NULL);
}

static int t_float(void *ctx, const struct ak_node *n, float v)
{
	(void)n;
	return ak_put_float(ctx, v, NULL);
}

static int t_double(void *ctx, const struct ak_node *n, double v)
{
	(void)n;
	return ak_put_double(ctx, v, NULL);
}

static int t_bytes(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	(void)n;
	return ak_put_bytes(ctx, p, len, NULL);
}

static int t_string(void *ctx, const struct ak_node *n, const char *p, size_t len)
{
	(void)n;
	return ak_put_string(ctx, p, len, NULL);
}

static int t_fixed(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	(void)n;
	return ak_put_fixed(ctx, p, len, NULL);
}

static int t_enum(void *ctx, const struct ak_node *n, uint32_t i)
{
	(void)n;
	return ak_put_enum(ctx, i, NULL);
}

static int t_record_begin(void *ctx, const struct ak_node *n)
{
	(void)n;
	return ak_put_record(ctx, NULL);
}

static int t_record_field(void *ctx, const struct ak_node *n, uint32_t i)
{
	(void)n;
	return ak_put_field_index(ctx, i, NULL);
}

static int t_end(void *ctx, const struct ak_node *n)
{
	(void)n;
	return ak_put_end(ctx, NULL);
}

static int t_array_begin(void *ctx, const struct ak_node *n, uint64_t hint)
{
	(void)n;
	(void)hint;
	return ak_put_array(ctx, NULL);
}

static int t_map_begin(void *ctx, const struct ak_node *n, uint64_t hint)
{
	(void)n;
	(void)hint;
	return ak_put_map(ctx, NULL);
}

static int t_map_key(void *ctx, const struct ak_node *n, const char *k, size_t len)
{
	(void)n;
	return ak_put_key(ctx, k, len, NULL);
}

static int t_union(void *ctx, const struct ak_node *n, uint32_t i)
{
	(void)n;
	return ak_put_branch(ctx, i, NULL);
}

static const struct ak_visitor reencode = {
	sizeof(struct ak_visitor),
	t_null,
	t_boolean,
	t_int,
	t_long,
	t_float,
	t_double,
	t_bytes,
	t_string,
	t_fixed,
	t_enum,
	t_record_begin,
	t_record_field,
	t_end,
	t_array_begin,
	t_end,
	t_map_begin,
	t_map_key,
	t_end,
	t_union,
};

AK_API const struct ak_visitor *ak_encoder_visitor(void)
{
	return &reencode;
}
