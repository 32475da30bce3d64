/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema inference (infer.h). The summary is a tree of shapes, one per key path: the kinds of
 * value seen there, what the strings looked like, the shape of array items, and for objects
 * the fields (each with how many objects had it) or, once the object type is a map, the shape
 * of its values. Nothing per value is kept, so memory depends on the number of distinct key
 * paths (bounded by max_fields per object type), not on the input.
 */
#include "infer.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json_feed.h"
#include "json_out.h"
#include "plain.h"
#include "schema.h"

/* Kinds of JSON value (a number by what it needs). */
enum {
	K_NULL = 1 << 0,
	K_BOOL = 1 << 1,
	K_INT = 1 << 2,
	K_LONG = 1 << 3,
	K_DOUBLE = 1 << 4,
	K_STRING = 1 << 5,
	K_ARRAY = 1 << 6,
	K_OBJECT = 1 << 7,
	/* kinds JSON does not have, from the events: each is its own Avro type */
	K_BYTES = 1 << 8,
	K_DECIMAL = 1 << 9,
	K_UUID = 1 << 10,
	K_DATE = 1 << 11,
	K_TIME_MS = 1 << 12,
	K_TIME_US = 1 << 13,
	K_TS_MS = 1 << 14,
	K_TS_US = 1 << 15,
	K_TS_NS = 1 << 16,
	K_LTS_MS = 1 << 17,
	K_LTS_US = 1 << 18,
	K_LTS_NS = 1 << 19,
};
#define K_NUMBER (K_INT | K_LONG | K_DOUBLE)

/* What the strings of a place looked like. The logical bits hold while every string so far
 * matched; the other two say whether any string was or was not a double's special value. */
enum {
	S_DATE = 1 << 0,
	S_TS3 = 1 << 1, /* an RFC 3339 timestamp that fits timestamp-millis */
	S_TS6 = 1 << 2,
	S_TS9 = 1 << 3,
	S_UUID = 1 << 4,
	S_LOGICAL = S_DATE | S_TS3 | S_TS6 | S_TS9 | S_UUID,
	S_SPECIAL = 1 << 5, /* "NaN", "Infinity" or "-Infinity" */
	S_OTHER = 1 << 6,   /* any other string */
};

struct obj;

struct shape {
	unsigned kinds;
	unsigned str;
	uint32_t dec_int, dec_scale; /* K_DECIMAL: most digits before and after the point */
	struct shape *items; /* array items; NULL until an array held an item */
	struct obj *obj;     /* NULL until an object was seen */
};

struct field {
	char *name;
	size_t len;
	uint64_t present; /* objects that had the key */
	uint64_t stamp;   /* the object (its count) that had the key last: a key twice */
	size_t index;     /* in the record's fields */
	struct shape shape;
};

enum map_why { REC, MAP_KEY, MAP_MANY };

struct obj {
	uint64_t count;        /* objects seen */
	enum map_why why;      /* REC while a record */
	char *bad_key;         /* MAP_KEY: the first key that is not a name (cut short) */
	size_t bad_len;
	struct shape values;   /* a map's values */
	struct field **fields; /* a record's fields, in the order first seen */
	size_t nfields, cap;
	uint32_t *slots;       /* hash of the names: field index + 1; 0 is empty */
	size_t nslots;         /* a power of two, at least twice nfields */
	size_t hint;           /* the field expected next (keys tend to come in one order) */
};

struct frame {
	struct shape *s;   /* the array's or the object's shape */
	struct shape *cur; /* object: the value's place after a key, NULL when a key is due */
	int is_obj;
};

#define MAX_NOTES 50

struct ak_infer {
	struct ak_infer_opts opts;
	char *name, *space;
	struct shape root;
	uint64_t count;
	struct ak_buf key, str; /* scratch for the tokenizer */
	struct frame frames[AK_INFER_MAX_DEPTH + 1];
	unsigned depth;         /* open events */
	struct ak_json_feed feed; /* ak_infer_json_chunk()'s text */
	char **notes;
	size_t nnotes, dropped;
};

/* ---- names ---- */

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int valid_space(const char *s)
{
	const char *p = s;

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (!valid_name(p, n))
			return 0;
		if (!dot)
			return 1;
		p = dot + 1;
	}
}

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* ---- the summary ---- */

static void shape_release(struct shape *s);

static void obj_free_fields(struct obj *o)
{
	for (size_t i = 0; i < o->nfields; i++) {
		shape_release(&o->fields[i]->shape);
		free(o->fields[i]->name);
		free(o->fields[i]);
	}
	free(o->fields);
	free(o->slots);
	o->fields = NULL;
	o->slots = NULL;
	o->nfields = o->cap = o->nslots = 0;
}

static void obj_free(struct obj *o)
{
	if (!o)
		return;
	obj_free_fields(o);
	shape_release(&o->values);
	free(o->bad_key);
	free(o);
}

static void shape_release(struct shape *s)
{
	if (s->items) {
		shape_release(s->items);
		free(s->items);
	}
	obj_free(s->obj);
	memset(s, 0, sizeof(*s));
}

static void add_strings(struct shape *d, unsigned had_string, unsigned str)
{
	if (had_string)
		d->str = (d->str & str & S_LOGICAL) | ((d->str | str) & ~(unsigned)S_LOGICAL);
	else
		d->str = str;
}

static int obj_to_map(struct obj *o, enum map_why why, const char *key, size_t klen,
		      size_t max_fields, struct ak_error *err);
static int merge_obj(struct obj *d, struct obj *s, size_t max_fields, struct ak_error *err);

/* Merge @s into @d; @s is released either way. */
static int merge_shape(struct shape *d, struct shape *s, size_t max_fields, struct ak_error *err)
{
	int rc = AK_OK;

	if (s->kinds & K_STRING)
		add_strings(d, d->kinds & K_STRING, s->str);
	d->kinds |= s->kinds;
	if (s->dec_int > d->dec_int)
		d->dec_int = s->dec_int;
	if (s->dec_scale > d->dec_scale)
		d->dec_scale = s->dec_scale;
	if (s->items) {
		if (!d->items) {
			d->items = s->items;
			s->items = NULL;
		} else {
			rc = merge_shape(d->items, s->items, max_fields, err);
		}
	}
	if (rc == AK_OK && s->obj) {
		if (!d->obj) {
			d->obj = s->obj;
			s->obj = NULL;
		} else {
			rc = merge_obj(d->obj, s->obj, max_fields, err);
			s->obj = NULL; /* merge_obj freed it */
		}
	}
	shape_release(s);
	return rc;
}

static struct field *find_field(const struct obj *o, const char *s, size_t n)
{
	size_t mask = o->nslots - 1, i;

	if (!o->nslots)
		return NULL;
	for (i = hash_name(s, n) & mask; o->slots[i]; i = (i + 1) & mask) {
		struct field *f = o->fields[o->slots[i] - 1];

		if (f->len == n && memcmp(f->name, s, n) == 0)
			return f;
	}
	return NULL;
}

static int rehash(struct obj *o, size_t nslots, struct ak_error *err)
{
	uint32_t *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	for (size_t k = 0; k < o->nfields; k++) {
		size_t i = hash_name(o->fields[k]->name, o->fields[k]->len) & (nslots - 1);

		while (slots[i])
			i = (i + 1) & (nslots - 1);
		slots[i] = (uint32_t)(k + 1);
	}
	free(o->slots);
	o->slots = slots;
	o->nslots = nslots;
	return AK_OK;
}

/* Append a new field @s (a valid name, not there yet); *@out gets it. */
static int add_field(struct obj *o, const char *s, size_t n, struct field **out,
		     struct ak_error *err)
{
	struct field *f;

	if (o->nfields == o->cap) {
		size_t ncap = o->cap ? 2 * o->cap : 8;
		struct field **v = realloc(o->fields, ncap * sizeof(*v));

		if (!v)
			return ak_fail(err, AK_E_NOMEM, "out of memory");
		o->fields = v;
		o->cap = ncap;
	}
	if (2 * (o->nfields + 1) > o->nslots &&
	    rehash(o, o->nslots ? 2 * o->nslots : 16, err) != AK_OK)
		return AK_E_NOMEM;
	if (!(f = calloc(1, sizeof(*f))) || !(f->name = malloc(n + 1))) {
		free(f);
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	}
	memcpy(f->name, s, n);
	f->name[n] = '\0';
	f->len = n;
	f->index = o->nfields;
	o->fields[o->nfields++] = f;
	{
		size_t i = hash_name(s, n) & (o->nslots - 1);

		while (o->slots[i])
			i = (i + 1) & (o->nslots - 1);
		o->slots[i] = (uint32_t)o->nfields;
	}
	*out = f;
	return AK_OK;
}

/* The record becomes a map: every field's shape goes into the values. */
static int obj_to_map(struct obj *o, enum map_why why, const char *key, size_t klen,
		      size_t max_fields, struct ak_error *err)
{
	int rc = AK_OK;

	o->why = why;
	if (key) {
		size_t n = klen > 64 ? 64 : klen;

		/* cut at a character boundary */
		while (n < klen && n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
		if (!(o->bad_key = malloc(n + 1)))
			return ak_fail(err, AK_E_NOMEM, "out of memory");
		memcpy(o->bad_key, key, n);
		o->bad_key[n] = '\0';
		o->bad_len = n;
	}
	for (size_t i = 0; i < o->nfields && rc == AK_OK; i++)
		rc = merge_shape(&o->values, &o->fields[i]->shape, max_fields, err);
	obj_free_fields(o);
	return rc;
}

/* Merge @s into @d and free @s. */
static int merge_obj(struct obj *d, struct obj *s, size_t max_fields, struct ak_error *err)
{
	int rc = AK_OK;

	d->count += s->count;
	if (s->why != REC && d->why == REC)
		rc = obj_to_map(d, s->why, s->bad_key, s->bad_len, max_fields, err);
	if (rc == AK_OK && d->why != REC)
		rc = merge_shape(&d->values, &s->values, max_fields, err);
	for (size_t i = 0; i < s->nfields && rc == AK_OK; i++) {
		struct field *sf = s->fields[i], *df;

		if (d->why == REC && !(df = find_field(d, sf->name, sf->len))) {
			if (d->nfields >= max_fields)
				rc = obj_to_map(d, MAP_MANY, NULL, 0, max_fields, err);
			else if ((rc = add_field(d, sf->name, sf->len, &df, err)) == AK_OK)
				df->present = 0;
		}
		if (rc != AK_OK)
			break;
		if (d->why != REC) {
			rc = merge_shape(&d->values, &sf->shape, max_fields, err);
		} else {
			df->present += sf->present;
			rc = merge_shape(&df->shape, &sf->shape, max_fields, err);
		}
	}
	obj_free(s);
	return rc;
}

/* ---- adding values ---- */

static int is_special(const char *s, size_t n)
{
	return (n == 3 && memcmp(s, "NaN", 3) == 0) || (n == 8 && memcmp(s, "Infinity", 8) == 0) ||
	       (n == 9 && memcmp(s, "-Infinity", 9) == 0);
}

/* The logical forms @s is in, as fromjson --plain reads them. */
static unsigned logical_forms(const char *s, size_t n)
{
	unsigned m = 0;
	int64_t v;

	if (n < 10)
		return 0;
	if (n == 36 && s[8] == '-' && ak_parse_uuid(s, n, (unsigned char[16]){ 0 }) == 0)
		return S_UUID;
	if (ak_parse_date(s, n, &v) == 0)
		return v >= INT32_MIN && v <= INT32_MAX ? S_DATE : 0;
	if (ak_parse_timestamp(s, n, 3, 1, &v) == 0)
		m |= S_TS3;
	if (ak_parse_timestamp(s, n, 6, 1, &v) == 0)
		m |= S_TS6;
	if (ak_parse_timestamp(s, n, 9, 1, &v) == 0)
		m |= S_TS9;
	return m;
}

static void add_string(struct ak_infer *inf, struct shape *s, const char *str, size_t n)
{
	unsigned f = is_special(str, n) ? S_SPECIAL : S_OTHER;

	if (inf->opts.logical)
		f |= logical_forms(str, n);
	add_strings(s, s->kinds & K_STRING, f);
	s->kinds |= K_STRING;
}

static int64_t parse_int(const char *t, int *ok)
{
	int neg = *t == '-';
	uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

	*ok = 1;
	for (t += neg; *t; t++) {
		unsigned dgt = (unsigned)(*t - '0');

		if (v > (lim - dgt) / 10) {
			*ok = 0;
			return 0;
		}
		v = v * 10 + dgt;
	}
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

/* The kind fromjson gives the number token @tok; -1 when it is out of range for double. */
static int number_kind(const char *tok, size_t len, int is_int)
{
	if (is_int) {
		int ok;
		int64_t v = parse_int(tok, &ok);

		if (ok)
			return v >= INT32_MIN && v <= INT32_MAX ? K_INT : K_LONG;
	}
	/* strtod only where the value may be huge: an exponent, or very many digits */
	if (len > 300 || memchr(tok, 'e', len) || memchr(tok, 'E', len)) {
		double d;

		errno = 0;
		d = strtod(tok, NULL);
		if (errno == ERANGE && isinf(d))
			return -1;
	}
	return K_DOUBLE;
}

/* A new object at @s: its struct obj, with the count of this one done. */
static struct obj *obj_begin(struct shape *s, struct ak_error *err)
{
	s->kinds |= K_OBJECT;
	if (!s->obj && !(s->obj = calloc(1, sizeof(*s->obj)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	s->obj->count++;
	s->obj->hint = 0;
	return s->obj;
}

/*
 * The place for the value of key @k in the object being read; *@dup is set when the object had
 * the key already.
 */
static struct shape *obj_key(struct ak_infer *inf, struct obj *o, const char *k, size_t n,
			     int *dup, struct ak_error *err)
{
	struct field *f = NULL;

	*dup = 0;
	if (o->why != REC)
		return &o->values;
	if (o->hint < o->nfields && o->fields[o->hint]->len == n &&
	    memcmp(o->fields[o->hint]->name, k, n) == 0)
		f = o->fields[o->hint];
	else
		f = find_field(o, k, n);
	if (!f) {
		if (!valid_name(k, n) || o->nfields >= inf->opts.max_fields) {
			int bad = !valid_name(k, n);

			if (obj_to_map(o, bad ? MAP_KEY : MAP_MANY, bad ? k : NULL, n,
				       inf->opts.max_fields, err) != AK_OK)
				return NULL;
			return &o->values;
		}
		if (add_field(o, k, n, &f, err) != AK_OK)
			return NULL;
	}
	if (f->stamp == o->count) {
		*dup = 1;
		return NULL;
	}
	f->stamp = o->count;
	f->present++;
	o->hint = f->index + 1; /* the next key is likely the one after this field */
	return &f->shape;
}

/* ---- JSON ---- */

static int expect(struct ak_json_in *j, int want, const char *what, struct ak_error *err)
{
	int c = ak_json_in_peek(j, err);

	if (c < -1)
		return c;
	if (c != want)
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected %s, got %s", what,
				       c == -1 ? "end of input" : ak_json_kind(c));
	ak_json_in_advance(j);
	return AK_OK;
}

static int walk(struct ak_infer *inf, struct ak_json_in *j, struct shape *s, unsigned depth,
		struct ak_error *err);

static int walk_object(struct ak_infer *inf, struct ak_json_in *j, struct shape *s,
		       unsigned depth, struct ak_error *err)
{
	struct obj *o;
	int c, rc;

	ak_json_in_advance(j); /* '{' */
	if (!(o = obj_begin(s, err)))
		return err->code;
	c = ak_json_in_peek(j, err);
	if (c == '}') {
		ak_json_in_advance(j);
		return AK_OK;
	}
	for (;;) {
		struct shape *v;
		int dup;

		if (c < -1)
			return c;
		if (c != '"')
			return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected a key, got "
					       "%s", c == -1 ? "end of input" : ak_json_kind(c));
		inf->key.len = 0;
		if ((rc = ak_json_in_string(j, &inf->key, 0, NULL, err)) != AK_OK)
			return rc;
		v = obj_key(inf, o, (const char *)inf->key.data, inf->key.len, &dup, err);
		if (dup)
			return ak_json_in_fail(j, AK_E_JSON, err, "key \"%.*s\" appears twice in one "
					       "object", (int)(inf->key.len > 64 ? 64 : inf->key.len),
					       (const char *)inf->key.data);
		if (!v)
			return err->code;
		if ((rc = expect(j, ':', "':'", err)) != AK_OK ||
		    (rc = walk(inf, j, v, depth + 1, err)) != AK_OK)
			return rc;
		c = ak_json_in_peek(j, err);
		if (c == ',') {
			ak_json_in_advance(j);
			c = ak_json_in_peek(j, err);
			continue;
		}
		if (c == '}') {
			ak_json_in_advance(j);
			return AK_OK;
		}
		if (c < -1)
			return c;
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected ',' or '}', got %s",
				       c == -1 ? "end of input" : ak_json_kind(c));
	}
}

static int walk_array(struct ak_infer *inf, struct ak_json_in *j, struct shape *s,
		      unsigned depth, struct ak_error *err)
{
	int c, rc;

	ak_json_in_advance(j); /* '[' */
	s->kinds |= K_ARRAY;
	c = ak_json_in_peek(j, err);
	if (c == ']') {
		ak_json_in_advance(j);
		return AK_OK;
	}
	if (!s->items && !(s->items = calloc(1, sizeof(*s->items))))
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	for (;;) {
		if (c < -1)
			return c;
		if ((rc = walk(inf, j, s->items, depth + 1, err)) != AK_OK)
			return rc;
		c = ak_json_in_peek(j, err);
		if (c == ',') {
			ak_json_in_advance(j);
			c = ak_json_in_peek(j, err);
			continue;
		}
		if (c == ']') {
			ak_json_in_advance(j);
			return AK_OK;
		}
		if (c < -1)
			return c;
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: expected ',' or ']', got %s",
				       c == -1 ? "end of input" : ak_json_kind(c));
	}
}

static int walk(struct ak_infer *inf, struct ak_json_in *j, struct shape *s, unsigned depth,
		struct ak_error *err)
{
	int c = ak_json_in_peek(j, err), rc;

	if (c < -1)
		return c;
	switch (c) {
	case '{':
	case '[':
		if (depth >= AK_INFER_MAX_DEPTH)
			return ak_json_in_fail(j, AK_E_LIMIT, err, "value nested deeper than %d "
					       "levels", AK_INFER_MAX_DEPTH);
		return c == '{' ? walk_object(inf, j, s, depth, err) : walk_array(inf, j, s, depth, err);
	case '"':
		inf->str.len = 0;
		if ((rc = ak_json_in_string(j, &inf->str, 0, NULL, err)) != AK_OK)
			return rc;
		add_string(inf, s, inf->str.len ? (const char *)inf->str.data : "", inf->str.len);
		return AK_OK;
	case 't':
	case 'f':
		if ((rc = ak_json_in_literal(j, c == 't' ? "true" : "false", err)) != AK_OK)
			return rc;
		s->kinds |= K_BOOL;
		return AK_OK;
	case 'n':
		if ((rc = ak_json_in_literal(j, "null", err)) != AK_OK)
			return rc;
		s->kinds |= K_NULL;
		return AK_OK;
	case -1:
		return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: unexpected end of input");
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		char tok[AK_JSON_NUMBER_TOKEN_MAX + 1];
		size_t len;
		int is_int, k;

		if ((rc = ak_json_in_number(j, tok, &len, &is_int, err)) != AK_OK)
			return rc;
		if ((k = number_kind(tok, len, is_int)) < 0)
			return ak_json_in_fail(j, AK_E_JSON, err, "%s is out of range for double",
					       tok);
		s->kinds |= (unsigned)k;
		return AK_OK;
	}
	return ak_json_in_fail(j, AK_E_JSON, err, "invalid JSON: unexpected %s",
			       ak_json_kind(c));
}

int ak_infer_json(struct ak_infer *inf, struct ak_json_in *j, struct ak_error *err)
{
	int c = ak_json_in_peek(j, err), rc;

	if (c == -1)
		return AK_EOF;
	if (c < -1)
		return c;
	if (inf->depth)
		return ak_fail(err, AK_E_STATE, "a value is still open in the events");
	if ((rc = walk(inf, j, &inf->root, 0, err)) != AK_OK)
		return rc;
	inf->count++;
	return AK_OK;
}

int ak_infer_json_input(struct ak_infer *inf, struct ak_json_in *j, int array,
			struct ak_error *err)
{
	struct ak_json_seq seq;
	int rc;

	ak_json_seq_init(&seq, j, array);
	while ((rc = ak_json_seq_next(&seq, err)) == AK_OK)
		if ((rc = ak_infer_json(inf, j, err)) != AK_OK)
			break;
	return rc == AK_EOF ? AK_OK : rc;
}

/* ---- events ---- */

/* *@out: the place for the next value. AK_E_STATE when no value may come now. */
static int value_place(struct ak_infer *inf, struct shape **out, struct ak_error *err)
{
	struct frame *f;

	if (!inf)
		return ak_fail(err, AK_E_ARG, "no inferer");
	if (!inf->depth) {
		*out = &inf->root;
		return AK_OK;
	}
	f = &inf->frames[inf->depth - 1];
	if (f->is_obj) {
		if (!(*out = f->cur))
			return ak_fail(err, AK_E_STATE, "a value where an object key is due");
		f->cur = NULL;
		return AK_OK;
	}
	if (!f->s->items && !(f->s->items = calloc(1, sizeof(*f->s->items))))
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	*out = f->s->items;
	return AK_OK;
}

/* A value is complete: a top-level one counts. */
static int value_done(struct ak_infer *inf)
{
	if (!inf->depth)
		inf->count++;
	return AK_OK;
}

/* A value of the kinds @kinds. */
static int add_kind(struct ak_infer *inf, unsigned kinds, struct ak_error *err)
{
	struct shape *s;
	int rc = value_place(inf, &s, err);

	if (rc != AK_OK)
		return rc;
	s->kinds |= kinds;
	return value_done(inf);
}

AK_API int ak_infer_null(struct ak_infer *inf, struct ak_error *err)
{
	return add_kind(inf, K_NULL, err);
}

AK_API int ak_infer_boolean(struct ak_infer *inf, int v, struct ak_error *err)
{
	(void)v;
	return add_kind(inf, K_BOOL, err);
}

AK_API int ak_infer_long(struct ak_infer *inf, int64_t v, struct ak_error *err)
{
	return add_kind(inf, v >= INT32_MIN && v <= INT32_MAX ? K_INT : K_LONG, err);
}

AK_API int ak_infer_double(struct ak_infer *inf, double v, struct ak_error *err)
{
	(void)v;
	return add_kind(inf, K_DOUBLE, err);
}

int ak_infer_number(struct ak_infer *inf, const char *tok, size_t len, int is_int,
		    struct ak_error *err)
{
	char buf[AK_JSON_NUMBER_TOKEN_MAX + 1];
	int k;

	if (len > AK_JSON_NUMBER_TOKEN_MAX)
		return ak_fail(err, AK_E_JSON, "number longer than %d characters",
			       AK_JSON_NUMBER_TOKEN_MAX);
	memcpy(buf, tok, len);
	buf[len] = '\0';
	if ((k = number_kind(buf, len, is_int)) < 0)
		return ak_fail(err, AK_E_JSON, "%s is out of range for double", buf);
	return add_kind(inf, (unsigned)k, err);
}

AK_API int ak_infer_string(struct ak_infer *inf, const char *str, size_t n,
			   struct ak_error *err)
{
	struct shape *s;
	int rc;

	if (!str && n)
		return ak_fail(err, AK_E_ARG, "a NULL string with a length");
	if ((rc = value_place(inf, &s, err)) != AK_OK)
		return rc;
	add_string(inf, s, n ? str : "", n);
	return value_done(inf);
}

AK_API int ak_infer_bytes(struct ak_infer *inf, const void *p, size_t n, struct ak_error *err)
{
	if (!p && n)
		return ak_fail(err, AK_E_ARG, "NULL bytes with a length");
	return add_kind(inf, K_BYTES, err);
}

AK_API int ak_infer_decimal(struct ak_infer *inf, uint32_t precision, uint32_t scale,
			    struct ak_error *err)
{
	struct shape *s;
	int rc;

	if (precision < 1 || scale > precision || precision > AK_INFER_MAX_PRECISION)
		return ak_fail(err, precision > AK_INFER_MAX_PRECISION ? AK_E_LIMIT : AK_E_ARG,
			       "a decimal of precision %" PRIu32 " and scale %" PRIu32 " (the "
			       "precision must be 1 to %d, the scale at most the precision)",
			       precision, scale, AK_INFER_MAX_PRECISION);
	if ((rc = value_place(inf, &s, err)) != AK_OK)
		return rc;
	s->kinds |= K_DECIMAL;
	if (precision - scale > s->dec_int)
		s->dec_int = precision - scale;
	if (scale > s->dec_scale)
		s->dec_scale = scale;
	return value_done(inf);
}

AK_API int ak_infer_logical(struct ak_infer *inf, enum ak_logical lt, struct ak_error *err)
{
	unsigned k;

	switch (lt) {
	case AK_LT_DATE:
		k = K_DATE;
		break;
	case AK_LT_TIME_MILLIS:
		k = K_TIME_MS;
		break;
	case AK_LT_TIME_MICROS:
		k = K_TIME_US;
		break;
	case AK_LT_TIMESTAMP_MILLIS:
		k = K_TS_MS;
		break;
	case AK_LT_TIMESTAMP_MICROS:
		k = K_TS_US;
		break;
	case AK_LT_TIMESTAMP_NANOS:
		k = K_TS_NS;
		break;
	case AK_LT_LOCAL_TIMESTAMP_MILLIS:
		k = K_LTS_MS;
		break;
	case AK_LT_LOCAL_TIMESTAMP_MICROS:
		k = K_LTS_US;
		break;
	case AK_LT_LOCAL_TIMESTAMP_NANOS:
		k = K_LTS_NS;
		break;
	case AK_LT_UUID:
		k = K_UUID;
		break;
	default:
		return ak_fail(err, AK_E_ARG, "logical type %d is not one ak_infer_logical() takes "
			       "(decimals: ak_infer_decimal(); durations: bytes)", (int)lt);
	}
	return add_kind(inf, k, err);
}

static int push(struct ak_infer *inf, int is_obj, struct ak_error *err)
{
	struct shape *s;
	int rc;

	if (inf && inf->depth >= AK_INFER_MAX_DEPTH)
		return ak_fail(err, AK_E_LIMIT, "value nested deeper than %d levels",
			       AK_INFER_MAX_DEPTH);
	if ((rc = value_place(inf, &s, err)) != AK_OK)
		return rc;
	if (is_obj) {
		if (!obj_begin(s, err))
			return AK_E_NOMEM;
	} else {
		s->kinds |= K_ARRAY;
	}
	inf->frames[inf->depth].s = s;
	inf->frames[inf->depth].cur = NULL;
	inf->frames[inf->depth].is_obj = is_obj;
	inf->depth++;
	return AK_OK;
}

static int pop(struct ak_infer *inf, int is_obj, struct ak_error *err)
{
	struct frame *f;

	if (!inf)
		return ak_fail(err, AK_E_ARG, "no inferer");
	if (!inf->depth || inf->frames[inf->depth - 1].is_obj != is_obj)
		return ak_fail(err, AK_E_STATE, "the end of %s that was not begun",
			       is_obj ? "an object" : "an array");
	f = &inf->frames[inf->depth - 1];
	if (is_obj && f->cur)
		return ak_fail(err, AK_E_STATE, "the end of an object where a value is due");
	inf->depth--;
	return value_done(inf);
}

AK_API int ak_infer_begin_object(struct ak_infer *inf, struct ak_error *err)
{
	return push(inf, 1, err);
}

AK_API int ak_infer_key(struct ak_infer *inf, const char *k, size_t n, struct ak_error *err)
{
	struct frame *f = inf && inf->depth ? &inf->frames[inf->depth - 1] : NULL;
	struct shape *v;
	int dup;

	if (!inf || (!k && n))
		return ak_fail(err, AK_E_ARG, "no inferer, or a NULL key with a length");
	if (!f || !f->is_obj || f->cur)
		return ak_fail(err, AK_E_STATE, "a key where no key is due");
	v = obj_key(inf, f->s->obj, n ? k : "", n, &dup, err);
	if (dup)
		return ak_fail(err, AK_E_JSON, "key \"%.*s\" appears twice in one object",
			       (int)(n > 64 ? 64 : n), k);
	if (!v)
		return AK_E_NOMEM; /* the only other way obj_key() fails */
	f->cur = v;
	return AK_OK;
}

AK_API int ak_infer_end_object(struct ak_infer *inf, struct ak_error *err)
{
	return pop(inf, 1, err);
}

AK_API int ak_infer_begin_array(struct ak_infer *inf, struct ak_error *err)
{
	return push(inf, 0, err);
}

AK_API int ak_infer_end_array(struct ak_infer *inf, struct ak_error *err)
{
	return pop(inf, 0, err);
}

AK_API uint64_t ak_infer_count(const struct ak_infer *inf)
{
	return inf ? inf->count : 0;
}

/* ---- text in pieces ---- */

static int feed_values(void *ctx, struct ak_json_in *j, struct ak_error *err)
{
	return ak_infer_json_input(ctx, j, 0, err);
}

AK_API int ak_infer_json_chunk(struct ak_infer *inf, const char *text, size_t len,
			       struct ak_error *err)
{
	struct ak_error mine; /* the reader needs one to report through */

	if (!inf || (!text && len))
		return ak_fail(err, AK_E_ARG, "no inferer, or NULL text with a length");
	return ak_json_feed_push(&inf->feed, text, len, feed_values, inf, err ? err : &mine);
}

AK_API int ak_infer_json_end(struct ak_infer *inf, struct ak_error *err)
{
	struct ak_error mine;

	if (!inf)
		return ak_fail(err, AK_E_ARG, "no inferer");
	return ak_json_feed_end(&inf->feed, feed_values, inf, err ? err : &mine);
}

/* ---- the schema ---- */

struct emit {
	struct ak_infer *inf;
	struct ak_buf *out;
	char **names;          /* record names given so far */
	size_t nnames, cap;
	int space_done;        /* the namespace went on the first record */
	struct ak_error *err;
};

static int lit(struct emit *e, const char *s)
{
	return ak_buf_append(e->out, s, strlen(s), e->err);
}

static void note(struct ak_infer *inf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct ak_infer *inf, const char *fmt, ...)
{
	char buf[512], *p, **v;
	va_list ap;

	if (inf->nnotes >= MAX_NOTES) {
		inf->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!(p = strdup(buf)) || !(v = realloc(inf->notes, (inf->nnotes + 1) * sizeof(*v)))) {
		free(p); /* a note lost to a lack of memory is no error */
		return;
	}
	inf->notes = v;
	inf->notes[inf->nnotes++] = p;
}

static void clear_notes(struct ak_infer *inf)
{
	for (size_t i = 0; i < inf->nnotes; i++)
		free(inf->notes[i]);
	free(inf->notes);
	inf->notes = NULL;
	inf->nnotes = inf->dropped = 0;
}

/* A record name from @hint not given yet (@hint from a key is capitalized). */
static char *record_name(struct emit *e, const char *hint, int from_key)
{
	size_t n = strlen(hint);
	char *name = malloc(n + 24), **v;

	if (!name) {
		ak_fail(e->err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	memcpy(name, hint, n + 1);
	if (from_key && name[0] >= 'a' && name[0] <= 'z')
		name[0] = (char)(name[0] - 'a' + 'A');
	for (unsigned k = 1;; k++) {
		size_t i;

		if (k > 1)
			snprintf(name + n, 24, "%u", k);
		for (i = 0; i < e->nnames; i++)
			if (strcmp(e->names[i], name) == 0)
				break;
		if (i == e->nnames)
			break;
	}
	if (e->nnames == e->cap) {
		size_t ncap = e->cap ? 2 * e->cap : 16;

		if (!(v = realloc(e->names, ncap * sizeof(*v)))) {
			free(name);
			ak_fail(e->err, AK_E_NOMEM, "out of memory");
			return NULL;
		}
		e->names = v;
		e->cap = ncap;
	}
	e->names[e->nnames++] = name;
	return name;
}

/* Where a place is, for the notes: a JSONPath ("$.address.zip", "$.tags[*]" for the items of
 * an array, "$.headers.*" for the values of a map). */
static void where(char *buf, size_t n, const char *path)
{
	snprintf(buf, n, "$%s", path);
}

static int emit_type(struct emit *e, const struct shape *s, const char *hint, int from_key,
		     const char *path, int optional);

static int emit_object(struct emit *e, const struct obj *o, const char *hint, int from_key,
		       const char *path)
{
	char at[300], sub[600];
	int rc;

	where(at, sizeof(at), path);
	if (o->why != REC || o->nfields == 0) {
		if (o->why == MAP_KEY) {
			/* the key as a JSON string: it may hold quotes, control characters, U+0000 */
			unsigned char key[AK_JSON_STRING_MAX(64) + 1];
			struct ak_buf kb = { key, 0, sizeof(key) };

			ak_json_put_string(&kb, (const unsigned char *)(o->bad_key ? o->bad_key : ""),
					   o->bad_len);
			note(e->inf, "%s: the key %.*s is not a valid Avro name, so the object is a map",
			     at, (int)kb.len, (const char *)key);
		}
		else if (o->why == MAP_MANY)
			note(e->inf, "%s: more than %zu different keys, so the object is a map", at,
			     e->inf->opts.max_fields);
		snprintf(sub, sizeof(sub), "%s.*", path);
		if ((rc = lit(e, "{\"type\":\"map\",\"values\":")) != AK_OK ||
		    (rc = emit_type(e, &o->values, hint, from_key, sub, 0)) != AK_OK)
			return rc;
		return lit(e, "}");
	}
	const char *name = record_name(e, hint, from_key);

	if (!name)
		return e->err->code;
	if ((rc = lit(e, "{\"type\":\"record\",\"name\":\"")) != AK_OK || (rc = lit(e, name)) ||
	    (rc = lit(e, "\"")))
		return rc;
	if (e->inf->space && !e->space_done) {
		e->space_done = 1;
		if ((rc = lit(e, ",\"namespace\":\"")) || (rc = lit(e, e->inf->space)) ||
		    (rc = lit(e, "\"")))
			return rc;
	}
	if ((rc = lit(e, ",\"fields\":[")) != AK_OK)
		return rc;
	for (size_t i = 0; i < o->nfields; i++) {
		const struct field *f = o->fields[i];
		int optional = f->present < o->count || (f->shape.kinds & K_NULL);

		snprintf(sub, sizeof(sub), "%s.%s", path, f->name);
		if ((rc = lit(e, i ? ",{\"name\":\"" : "{\"name\":\"")) || (rc = lit(e, f->name)) ||
		    (rc = lit(e, "\",\"type\":")) ||
		    (rc = emit_type(e, &f->shape, f->name, 1, sub, optional)))
			return rc;
		if ((rc = lit(e, optional ? ",\"default\":null}" : "}")) != AK_OK)
			return rc;
	}
	return lit(e, "]}");
}

/* Avro types that two kinds of value may share, so that a union cannot have both. */
enum { G_NONE, G_INT, G_LONG, G_STRING, G_BYTES };

struct branch {
	const char *text;
	int group;
	const char *what; /* the kind of value, for a message */
};

static int emit_type(struct emit *e, const struct shape *s, const char *hint, int from_key,
		     const char *path, int optional)
{
	static const struct shape none = { 0, 0, 0, 0, NULL, NULL };
	static const char *const group_names[] = { "", "int", "long", "string", "bytes" };
	struct branch prim[12];
	char decimal[96];
	unsigned kinds = s->kinds, np = 0, total, typed = kinds & ~(K_NUMBER | K_NULL | K_BOOL |
								   K_STRING | K_ARRAY | K_OBJECT);
	int rc, num = 0, str = 0, arr = !!(kinds & K_ARRAY), ob = !!(kinds & K_OBJECT);
	int first = 1;

	if (kinds & K_DOUBLE)
		num = K_DOUBLE;
	else if (kinds & K_LONG)
		num = K_LONG;
	else if (kinds & K_INT)
		num = K_INT;
	if (kinds & K_STRING) {
		str = 1;
		if (num && (s->str & S_SPECIAL)) {
			/* "NaN" and the infinities are doubles here, as tojson writes them */
			num = K_DOUBLE;
			if (!(s->str & S_OTHER)) {
				str = 0;
			} else {
				char at[300];

				where(at, sizeof(at), path);
				note(e->inf, "%s: holds numbers and strings, and some strings are "
				     "\"NaN\", \"Infinity\" or \"-Infinity\": fromjson --plain cannot "
				     "tell whether those are strings or doubles", at);
			}
		}
	}
	if (str) {
		/* strings all in one logical form are values of that type */
		unsigned l = e->inf->opts.logical && !num ? s->str : 0;

		if (l & (S_DATE | S_TS3 | S_TS6 | S_TS9 | S_UUID))
			str = 0;
		typed |= l & S_DATE ? K_DATE : l & S_TS3 ? K_TS_MS : l & S_TS6 ? K_TS_US
			 : l & S_TS9 ? K_TS_NS : l & S_UUID ? K_UUID : 0;
	}
#define BRANCH(t, g, w) (prim[np].text = (t), prim[np].group = (g), prim[np++].what = (w))
	if ((kinds & K_NULL) || optional)
		BRANCH("\"null\"", G_NONE, "nulls");
	if (kinds & K_BOOL)
		BRANCH("\"boolean\"", G_NONE, "booleans");
	if (num)
		BRANCH(num == K_DOUBLE ? "\"double\"" : num == K_LONG ? "\"long\"" : "\"int\"",
		       num == K_DOUBLE ? G_NONE : num == K_LONG ? G_LONG : G_INT, "numbers");
	/* the typed kinds before strings, dates after timestamps: a binding that picks the first
	 * branch a value fits (fastavro's rule) must not put a datetime into a date or a string
	 * that looks like a date into one */
	if (typed & (K_TS_MS | K_TS_US | K_TS_NS))
		BRANCH(typed & K_TS_NS ? "{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\"}"
		       : typed & K_TS_US ? "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}"
		       : "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}",
		       G_LONG, "timestamps");
	if (typed & (K_LTS_MS | K_LTS_US | K_LTS_NS))
		BRANCH(typed & K_LTS_NS
		       ? "{\"type\":\"long\",\"logicalType\":\"local-timestamp-nanos\"}"
		       : typed & K_LTS_US
		       ? "{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}"
		       : "{\"type\":\"long\",\"logicalType\":\"local-timestamp-millis\"}",
		       G_LONG, "local timestamps");
	if (typed & K_TIME_US)
		BRANCH("{\"type\":\"long\",\"logicalType\":\"time-micros\"}", G_LONG, "times");
	else if (typed & K_TIME_MS)
		BRANCH("{\"type\":\"int\",\"logicalType\":\"time-millis\"}", G_INT, "times");
	if (typed & K_DATE)
		BRANCH("{\"type\":\"int\",\"logicalType\":\"date\"}", G_INT, "dates");
	if (str)
		BRANCH("\"string\"", G_STRING, "strings");
	if (typed & K_UUID)
		BRANCH("{\"type\":\"string\",\"logicalType\":\"uuid\"}", G_STRING, "uuids");
	if (typed & K_BYTES)
		BRANCH("\"bytes\"", G_BYTES, "bytes");
	if (typed & K_DECIMAL) {
		snprintf(decimal, sizeof(decimal), "{\"type\":\"bytes\",\"logicalType\":\"decimal\","
			 "\"precision\":%" PRIu32 ",\"scale\":%" PRIu32 "}",
			 s->dec_int + s->dec_scale, s->dec_scale);
		BRANCH(decimal, G_BYTES, "decimals");
	}
#undef BRANCH
	for (unsigned i = 0; i < np; i++)
		for (unsigned k = i + 1; k < np; k++)
			if (prim[i].group != G_NONE && prim[i].group == prim[k].group) {
				char at[300];

				where(at, sizeof(at), path);
				return ak_fail(e->err, AK_E_VALUE, "%s: holds %s and %s, which are both "
					       "%s in Avro: no union can hold both", at, prim[i].what,
					       prim[k].what, group_names[prim[i].group]);
			}
	if (!arr && !ob) {
		if (np == 0) /* nothing ever seen here: the items of arrays that were all empty */
			return lit(e, "\"string\"");
		if (np == 1 && ((kinds & K_NULL) || optional)) /* only ever null */
			return lit(e, "[\"null\",\"string\"]");
	}
	total = np + (unsigned)arr + (unsigned)ob;
	if (total > 1 && (rc = lit(e, "[")) != AK_OK)
		return rc;
	for (unsigned i = 0; i < np; i++, first = 0)
		if ((!first && (rc = lit(e, ","))) || (rc = lit(e, prim[i].text)))
			return rc;
	if (arr) {
		char sub[600];

		snprintf(sub, sizeof(sub), "%s[*]", path);
		if ((!first && (rc = lit(e, ","))) || (rc = lit(e, "{\"type\":\"array\",\"items\":")) ||
		    (rc = emit_type(e, s->items ? s->items : &none, hint, from_key, sub, 0)) ||
		    (rc = lit(e, "}")))
			return rc;
		first = 0;
	}
	if (ob && ((!first && (rc = lit(e, ","))) ||
		   (rc = emit_object(e, s->obj, hint, from_key, path))))
		return rc;
	if (total > 1)
		return lit(e, "]");
	return AK_OK;
}

AK_API char *ak_infer_schema(struct ak_infer *inf, int indent, struct ak_error *err)
{
	struct ak_error mine; /* the emitter reads the code back */
	struct ak_buf text = AK_BUF_INIT, pretty = AK_BUF_INIT;
	struct emit e = { inf, &text, NULL, 0, 0, 0, err ? err : &mine };
	struct ak_schema *check = NULL;
	char *ret = NULL;
	int rc;

	err = e.err;
	if (indent > 31)
		indent = 31;
	if (!inf) {
		ak_fail(err, AK_E_ARG, "no inferer");
		return NULL;
	}
	if (inf->depth) {
		ak_fail(err, AK_E_STATE, "a value is still open in the events");
		return NULL;
	}
	clear_notes(inf);
	if (inf->count == 0) {
		/* no values: a record with no fields fits them all */
		rc = lit(&e, "{\"type\":\"record\",\"name\":\"");
		if (rc == AK_OK)
			rc = lit(&e, inf->name);
		if (rc == AK_OK && inf->space && (rc = lit(&e, "\",\"namespace\":\"")) == AK_OK)
			rc = lit(&e, inf->space);
		if (rc == AK_OK)
			rc = lit(&e, "\",\"fields\":[]}");
	} else {
		rc = emit_type(&e, &inf->root, inf->name, 0, "", 0);
	}
	if (rc == AK_OK && inf->dropped)
		note(inf, "and %zu more such notes", inf->dropped);
	if (rc != AK_OK)
		goto out;
	/* a schema that does not parse would be a bug here; better an error than a bad file */
	if (!(check = ak_schema_parse((const char *)text.data, text.len, 0, err))) {
		ak_error_prefix(err, "the inferred schema is not valid");
		goto out;
	}
	if (indent > 0) {
		if (ak_json_reformat((const char *)text.data, text.len, indent, 0, &pretty, err) !=
		    AK_OK)
			goto out;
		ak_buf_release(&text);
		text = pretty;
		pretty = (struct ak_buf)AK_BUF_INIT;
	}
	if (ak_buf_append(&text, "", 1, err) != AK_OK)
		goto out;
	ret = (char *)text.data;
	text = (struct ak_buf)AK_BUF_INIT;
out:
	ak_schema_free(check);
	ak_buf_release(&text);
	ak_buf_release(&pretty);
	for (size_t i = 0; i < e.nnames; i++)
		free(e.names[i]);
	free(e.names);
	return ret;
}

AK_API size_t ak_infer_note_count(const struct ak_infer *inf)
{
	return inf ? inf->nnotes : 0;
}

AK_API const char *ak_infer_note(const struct ak_infer *inf, size_t i)
{
	return inf && i < inf->nnotes ? inf->notes[i] : NULL;
}

/* ---- lifetime ---- */

AK_API struct ak_infer *ak_infer_new(const struct ak_infer_opts *opts, struct ak_error *err)
{
	struct ak_infer *inf = calloc(1, sizeof(*inf));
	const char *name = opts && opts->name ? opts->name : "Record";
	const char *space = opts && opts->space && *opts->space ? opts->space : NULL;

	if (!inf) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	ak_json_feed_init(&inf->feed);
	if (opts)
		inf->opts = *opts;
	if (!inf->opts.max_fields)
		inf->opts.max_fields = AK_INFER_MAX_FIELDS;
	if (!valid_name(name, strlen(name))) {
		ak_fail(err, AK_E_ARG, "\"%s\" is not a valid Avro name (letters, digits and _, "
			"not starting with a digit)", name);
		goto fail;
	}
	if (space && !valid_space(space)) {
		ak_fail(err, AK_E_ARG, "\"%s\" is not a valid Avro namespace (names joined by dots)",
			space);
		goto fail;
	}
	if (!(inf->name = strdup(name)) || (space && !(inf->space = strdup(space)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		goto fail;
	}
	inf->opts.name = inf->name;
	inf->opts.space = inf->space;
	return inf;
fail:
	ak_infer_free(inf);
	return NULL;
}

AK_API void ak_infer_free(struct ak_infer *inf)
{
	if (!inf)
		return;
	shape_release(&inf->root);
	ak_json_feed_release(&inf->feed);
	ak_buf_release(&inf->key);
	ak_buf_release(&inf->str);
	clear_notes(inf);
	free(inf->name);
	free(inf->space);
	free(inf);
}
