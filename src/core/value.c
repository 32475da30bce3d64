/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value trees (struct ak_value, public): a datum decoded into a read-only tree, for callers
 * who would rather look things up than write visitor callbacks. The tree is built by a
 * visitor like any other consumer. Children of a container collect on a stack while their
 * own children are built, and move into the arena when the container ends, so every
 * container's children sit in one array. Strings and keys are copied into the arena too (and
 * NUL-terminated), so a tree depends on nothing but its builder. The arena and the stack are
 * kept from one datum to the next: after the first few records nothing is allocated.
 */
#include "value.h"

#include <stdlib.h>
#include <string.h>

struct ak_value {
	uint8_t type;             /* enum ak_type of the value (the branch's, in a union) */
	int32_t branch;           /* union branch, or -1 */
	const struct ak_node *node;
	union {
		int64_t l;
		double d;
		struct {
			const char *p;
			size_t n;
		} s;
		struct {
			struct ak_value *items; /* fields (in the schema's order), items, values */
			const struct ak_str *keys; /* map keys */
			size_t n;
		} c;
	} u;
};

/* ---- arena ---- */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

static void *arena_alloc(struct ak_value_builder *b, size_t n)
{
	struct chunk *c = b->cur;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!c || c->cap - c->used < n) {
		struct chunk *next = c ? c->next : b->chunks;

		if (next && next->cap >= n) {
			c = next; /* kept from an earlier datum */
			c->used = 0;
		} else {
			size_t cap = n > 65536 ? n : 65536;
			struct chunk *nc = malloc(sizeof(*nc) + cap);

			if (!nc)
				return NULL;
			nc->cap = cap;
			nc->used = 0;
			nc->next = next;
			if (c)
				c->next = nc;
			else
				b->chunks = nc;
			c = nc;
		}
		b->cur = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

/* ---- building ---- */

struct frame {
	size_t base;     /* stack height when the container began */
	uint8_t type;    /* AK_RECORD, AK_ARRAY, AK_MAP */
};

struct slot {
	struct ak_value v;
	uint32_t index;  /* record: field index */
	struct ak_str key; /* map: key */
};

static int push(struct ak_value_builder *b, struct ak_value *v)
{
	if (b->nstack == b->capstack) {
		size_t cap = b->capstack ? 2 * b->capstack : 64;
		struct slot *s = realloc(b->stack, cap * sizeof(*s));

		if (!s)
			return AK_E_NOMEM;
		b->stack = s;
		b->capstack = cap;
	}
	v->branch = b->branch;
	b->branch = -1;
	b->stack[b->nstack].v = *v;
	b->stack[b->nstack].index = b->field;
	b->stack[b->nstack].key = b->key;
	b->nstack++;
	return AK_OK;
}

static int scalar(struct ak_value_builder *b, const struct ak_node *n, uint8_t type)
{
	struct ak_value v;

	v.type = type;
	v.node = n;
	v.u.l = 0;
	return push(b, &v);
}

static int copy_bytes(struct ak_value_builder *b, const struct ak_node *n, uint8_t type,
		      const void *p, size_t len)
{
	struct ak_value v;
	char *q = arena_alloc(b, len + 1);

	if (!q)
		return AK_E_NOMEM;
	if (len)
		memcpy(q, p, len);
	q[len] = '\0';
	v.type = type;
	v.node = n;
	v.u.s.p = q;
	v.u.s.n = len;
	return push(b, &v);
}

static int v_null(void *ctx, const struct ak_node *n)
{
	return scalar(ctx, n, AK_NULL);
}

static int v_boolean(void *ctx, const struct ak_node *n, int x)
{
	struct ak_value v = { AK_BOOLEAN, 0, n, { .l = x } };

	return push(ctx, &v);
}

static int v_int(void *ctx, const struct ak_node *n, int32_t x)
{
	struct ak_value v = { AK_INT, 0, n, { .l = x } };

	return push(ctx, &v);
}

static int v_long(void *ctx, const struct ak_node *n, int64_t x)
{
	struct ak_value v = { AK_LONG, 0, n, { .l = x } };

	return push(ctx, &v);
}

static int v_float(void *ctx, const struct ak_node *n, float x)
{
	struct ak_value v = { AK_FLOAT, 0, n, { .d = x } };

	return push(ctx, &v);
}

static int v_double(void *ctx, const struct ak_node *n, double x)
{
	struct ak_value v = { AK_DOUBLE, 0, n, { .d = x } };

	return push(ctx, &v);
}

static int v_bytes(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	return copy_bytes(ctx, n, AK_BYTES, p, len);
}

static int v_string(void *ctx, const struct ak_node *n, const char *p, size_t len)
{
	return copy_bytes(ctx, n, AK_STRING, p, len);
}

static int v_fixed(void *ctx, const struct ak_node *n, const void *p, size_t len)
{
	return copy_bytes(ctx, n, AK_FIXED, p, len);
}

static int v_enum(void *ctx, const struct ak_node *n, uint32_t i)
{
	struct ak_value v = { AK_ENUM, 0, n, { .l = i } };

	return push(ctx, &v);
}

static int begin(struct ak_value_builder *b, uint8_t type)
{
	if (b->nframes == b->capframes) {
		size_t cap = b->capframes ? 2 * b->capframes : 16;
		struct frame *f = realloc(b->frames, cap * sizeof(*f));

		if (!f)
			return AK_E_NOMEM;
		b->frames = f;
		b->capframes = cap;
	}
	b->frames[b->nframes].type = type;
	b->nframes++;
	/* the container's own slot: its branch, field index and key are the pending ones */
	{
		struct ak_value v;

		v.type = type;
		v.node = NULL;
		v.u.c.items = NULL;
		v.u.c.keys = NULL;
		v.u.c.n = 0;
		if (push(b, &v) != AK_OK)
			return AK_E_NOMEM;
	}
	b->frames[b->nframes - 1].base = b->nstack;
	return AK_OK;
}

/* Move the children of the innermost container into the arena and pop them. */
static int end(struct ak_value_builder *b, const struct ak_node *n)
{
	struct frame *f = &b->frames[--b->nframes];
	struct slot *kids = b->stack + f->base;
	size_t nk = b->nstack - f->base, count = nk;
	struct ak_value *self = &b->stack[f->base - 1].v, *items;
	struct ak_str *keys = NULL;

	if (f->type == AK_RECORD)
		count = ak_node_count(n);
	items = arena_alloc(b, (count ? count : 1) * sizeof(*items));
	if (!items)
		return AK_E_NOMEM;
	if (f->type == AK_RECORD) {
		/* fields arrive in the writer's order (then the defaults): put them in place */
		memset(items, 0, (count ? count : 1) * sizeof(*items));
		for (size_t i = 0; i < nk; i++)
			if (kids[i].index < count)
				items[kids[i].index] = kids[i].v;
	} else {
		for (size_t i = 0; i < nk; i++)
			items[i] = kids[i].v;
	}
	if (f->type == AK_MAP) {
		if (!(keys = arena_alloc(b, (nk ? nk : 1) * sizeof(*keys))))
			return AK_E_NOMEM;
		for (size_t i = 0; i < nk; i++)
			keys[i] = kids[i].key;
	}
	self->node = n;
	self->u.c.items = items;
	self->u.c.keys = keys;
	self->u.c.n = count;
	b->nstack = f->base;
	return AK_OK;
}

static int v_record_begin(void *ctx, const struct ak_node *n)
{
	(void)n;
	return begin(ctx, AK_RECORD);
}

static int v_record_field(void *ctx, const struct ak_node *n, uint32_t i)
{
	struct ak_value_builder *b = ctx;

	(void)n;
	b->field = i;
	return AK_OK;
}

static int v_record_end(void *ctx, const struct ak_node *n)
{
	return end(ctx, n);
}

static int v_array_begin(void *ctx, const struct ak_node *n, uint64_t hint)
{
	(void)n;
	(void)hint;
	return begin(ctx, AK_ARRAY);
}

static int v_map_begin(void *ctx, const struct ak_node *n, uint64_t hint)
{
	(void)n;
	(void)hint;
	return begin(ctx, AK_MAP);
}

static int v_map_key(void *ctx, const struct ak_node *n, const char *k, size_t len)
{
	struct ak_value_builder *b = ctx;
	char *q = arena_alloc(b, len + 1);

	(void)n;
	if (!q)
		return AK_E_NOMEM;
	if (len)
		memcpy(q, k, len);
	q[len] = '\0';
	b->key.s = q;
	b->key.len = len;
	return AK_OK;
}

static int v_container_end(void *ctx, const struct ak_node *n)
{
	return end(ctx, n);
}

static int v_union(void *ctx, const struct ak_node *n, uint32_t i)
{
	struct ak_value_builder *b = ctx;

	(void)n;
	b->branch = (int32_t)i;
	return AK_OK;
}

const struct ak_visitor ak_value_visitor = {
	sizeof(struct ak_visitor),
	v_null,
	v_boolean,
	v_int,
	v_long,
	v_float,
	v_double,
	v_bytes,
	v_string,
	v_fixed,
	v_enum,
	v_record_begin,
	v_record_field,
	v_record_end,
	v_array_begin,
	v_container_end,
	v_map_begin,
	v_map_key,
	v_container_end,
	v_union,
};

void ak_value_builder_reset(struct ak_value_builder *b)
{
	b->cur = b->chunks;
	if (b->cur)
		b->cur->used = 0;
	b->nstack = 0;
	b->nframes = 0;
	b->branch = -1;
	b->field = 0;
	b->key.s = NULL;
	b->key.len = 0;
}

const struct ak_value *ak_value_builder_root(const struct ak_value_builder *b)
{
	return b->nstack == 1 && b->nframes == 0 ? &b->stack[0].v : NULL;
}

void ak_value_builder_release(struct ak_value_builder *b)
{
	struct chunk *c = b->chunks;

	while (c) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
	free(b->stack);
	free(b->frames);
	memset(b, 0, sizeof(*b));
}

/* ---- reading a tree ---- */

AK_API enum ak_type ak_value_type(const struct ak_value *v)
{
	return (enum ak_type)v->type;
}

AK_API const struct ak_node *ak_value_node(const struct ak_value *v)
{
	return v->node;
}

AK_API long ak_value_branch(const struct ak_value *v)
{
	return v->branch;
}

AK_API int ak_value_boolean(const struct ak_value *v)
{
	return v->type == AK_BOOLEAN ? (int)v->u.l : 0;
}

AK_API int64_t ak_value_long(const struct ak_value *v)
{
	switch (v->type) {
	case AK_BOOLEAN:
	case AK_INT:
	case AK_LONG:
	case AK_ENUM:
		return v->u.l;
	default:
		return 0;
	}
}

AK_API double ak_value_double(const struct ak_value *v)
{
	switch (v->type) {
	case AK_FLOAT:
	case AK_DOUBLE:
		return v->u.d;
	case AK_INT:
	case AK_LONG:
		return (double)v->u.l;
	default:
		return 0;
	}
}

AK_API const void *ak_value_bytes(const struct ak_value *v, size_t *len)
{
	if (v->type != AK_BYTES && v->type != AK_STRING && v->type != AK_FIXED) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = v->u.s.n;
	return v->u.s.p;
}

AK_API const char *ak_value_string(const struct ak_value *v, size_t *len)
{
	return ak_value_bytes(v, len);
}

AK_API const char *ak_value_symbol(const struct ak_value *v)
{
	if (v->type != AK_ENUM)
		return NULL;
	return ak_node_symbol(v->node, (size_t)v->u.l);
}

static int is_container(const struct ak_value *v)
{
	return v->type == AK_RECORD || v->type == AK_ARRAY || v->type == AK_MAP;
}

AK_API size_t ak_value_count(const struct ak_value *v)
{
	return is_container(v) ? v->u.c.n : 0;
}

AK_API const struct ak_value *ak_value_at(const struct ak_value *v, size_t i)
{
	if (!is_container(v) || i >= v->u.c.n)
		return NULL;
	return &v->u.c.items[i];
}

AK_API const struct ak_value *ak_value_field(const struct ak_value *v, const char *name)
{
	long i;

	if (v->type != AK_RECORD || (i = ak_node_field_index(v->node, name)) < 0)
		return NULL;
	return ak_value_at(v, (size_t)i);
}

AK_API const char *ak_value_key(const struct ak_value *v, size_t i, size_t *len)
{
	if (v->type != AK_MAP || i >= v->u.c.n) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = v->u.c.keys[i].len;
	return v->u.c.keys[i].s;
}

AK_API const struct ak_value *ak_value_get(const struct ak_value *v, const char *key)
{
	size_t n;

	if (v->type != AK_MAP)
		return NULL;
	n = strlen(key);
	/* the last entry wins, as when the map is read into a dictionary */
	for (size_t i = v->u.c.n; i-- > 0;)
		if (v->u.c.keys[i].len == n && memcmp(v->u.c.keys[i].s, key, n) == 0)
			return &v->u.c.items[i];
	return NULL;
}
