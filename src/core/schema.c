/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema parsing. The JSON is parsed by jansson and kept for the life of the schema (field
 * defaults point into it). Nodes and strings come from a small arena owned by the schema.
 * Named types live in a hash table keyed by full name while parsing; a name must be defined
 * before it is used (a record's own name is defined before its fields, which is what makes
 * recursive types possible). Field defaults are checked after the whole schema is parsed, so a
 * default may hold a value of a record whose definition was still open when the field was read.
 * The text goes through one rewriting pass before jansson sees it: integer literals beyond
 * int64 are made reals, and object keys holding U+0000, which jansson refuses, are escaped
 * (see KEY_ESC); ak_schema_key_append() gives a key's real bytes back.
 */
#include "schema.h"

#include "buf.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct ak_schema {
	struct ak_node *root;
	json_t *json;
	struct chunk *chunks;
	struct ak_node **nodes;
	size_t nnodes, nodes_cap;
};

static void *arena_alloc(struct ak_schema *s, size_t n)
{
	struct chunk *c = s->chunks;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 16384 ? n : 16384;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = s->chunks;
		c->used = 0;
		c->cap = cap;
		s->chunks = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

static char *arena_strdup(struct ak_schema *s, const char *str)
{
	size_t n = strlen(str) + 1;
	char *p = arena_alloc(s, n);

	if (p)
		memcpy(p, str, n);
	return p;
}

/* ---- parse context ---- */

struct name_slot {
	const char *fullname;
	struct ak_node *node;
};

struct deferred_default {
	const struct ak_field *field;
	char *path;
};

struct pctx {
	struct ak_schema *s;
	struct ak_error *err;
	struct name_slot *names;
	size_t names_cap, names_len;
	struct deferred_default *defs;
	size_t ndefs, defs_cap;
	char path[1024];
	size_t pathlen;
	unsigned depth;
	int failed;
	int lenient;              /* AK_SCHEMA_LENIENT */
};

static const char *const type_names[AK_TYPE_COUNT] = {
	"null", "boolean", "int", "long", "float", "double", "bytes", "string",
	"record", "enum", "array", "map", "union", "fixed",
};

const char *ak_type_name(enum ak_type t)
{
	return (unsigned)t < AK_TYPE_COUNT ? type_names[t] : "?";
}

const char *ak_node_branch_name(const struct ak_node *n)
{
	return n->fullname ? n->fullname : type_names[n->type];
}

static int primitive_type(const char *name)
{
	for (int t = AK_NULL; t <= AK_STRING; t++)
		if (strcmp(name, type_names[t]) == 0)
			return t;
	return -1;
}

__attribute__((format(printf, 2, 3)))
static void *perr(struct pctx *c, const char *fmt, ...)
{
	char msg[AK_ERROR_MSG_MAX];
	va_list ap;

	if (c->failed)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->pathlen > 160)
		ak_fail(c->err, AK_E_SCHEMA, "...%s: %s", c->path + c->pathlen - 157, msg);
	else if (c->pathlen)
		ak_fail(c->err, AK_E_SCHEMA, "%s: %s", c->path, msg);
	else
		ak_fail(c->err, AK_E_SCHEMA, "%s", msg);
	c->failed = 1;
	return NULL;
}

static void *nomem(struct pctx *c)
{
	if (!c->failed)
		ak_fail(c->err, AK_E_NOMEM, "out of memory while parsing the schema");
	c->failed = 1;
	return NULL;
}

/* Append a path component; returns the old length to restore with path_pop(). */
__attribute__((format(printf, 2, 3)))
static size_t path_push(struct pctx *c, const char *fmt, ...)
{
	size_t old = c->pathlen;
	va_list ap;
	int n;

	if (c->pathlen && fmt[0] != '[' && c->pathlen < sizeof(c->path) - 1)
		c->path[c->pathlen++] = '.';
	va_start(ap, fmt);
	n = vsnprintf(c->path + c->pathlen, sizeof(c->path) - c->pathlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->pathlen += (size_t)n;
	if (c->pathlen >= sizeof(c->path))
		c->pathlen = sizeof(c->path) - 1;
	c->path[c->pathlen] = '\0';
	return old;
}

static void path_pop(struct pctx *c, size_t old)
{
	c->pathlen = old;
	c->path[old] = '\0';
}

/* ---- names ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* A set of strings for duplicate checks (field names, symbols): linear for a few, hashed for
 * many, so that a record with 100,000 fields does not take quadratic time. */
struct strset {
	const char **slots;
	size_t cap;
};

/* 1 when @s was already in the set (then it is not added), 0 when added, -1 on no memory. */
static int strset_add(struct strset *set, const char *s, size_t expect)
{
	if (!set->slots) {
		set->cap = 16;
		while (set->cap < expect * 2)
			set->cap *= 2;
		if (!(set->slots = calloc(set->cap, sizeof(*set->slots))))
			return -1;
	}
	for (size_t i = hash_str(s) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		if (!set->slots[i]) {
			set->slots[i] = s;
			return 0;
		}
		if (strcmp(set->slots[i], s) == 0)
			return 1;
	}
}

static struct ak_node *name_find(struct pctx *c, const char *fullname)
{
	if (!c->names_cap)
		return NULL;
	for (size_t i = hash_str(fullname) & (c->names_cap - 1);; i = (i + 1) & (c->names_cap - 1)) {
		if (!c->names[i].fullname)
			return NULL;
		if (strcmp(c->names[i].fullname, fullname) == 0)
			return c->names[i].node;
	}
}

static int name_add(struct pctx *c, const char *fullname, struct ak_node *node)
{
	if ((c->names_len + 1) * 2 > c->names_cap) {
		size_t cap = c->names_cap ? c->names_cap * 2 : 64;
		struct name_slot *t = calloc(cap, sizeof(*t));

		if (!t)
			return -1;
		for (size_t i = 0; i < c->names_cap; i++) {
			if (!c->names[i].fullname)
				continue;
			size_t j = hash_str(c->names[i].fullname) & (cap - 1);
			while (t[j].fullname)
				j = (j + 1) & (cap - 1);
			t[j] = c->names[i];
		}
		free(c->names);
		c->names = t;
		c->names_cap = cap;
	}
	size_t i = hash_str(fullname) & (c->names_cap - 1);
	while (c->names[i].fullname)
		i = (i + 1) & (c->names_cap - 1);
	c->names[i].fullname = fullname;
	c->names[i].node = node;
	c->names_len++;
	return 0;
}

static int lenient_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '$' || ch == '-';
}

/* A name as the specification has it; or, leniently (as Java and Python read the schemas
 * of existing files), one that may also hold '$' and '-' and start with a digit. */
static int valid_name(const struct pctx *c, const char *s)
{
	if (c->lenient) {
		if (!*s)
			return 0;
		for (; *s; s++)
			if (!lenient_char(*s))
				return 0;
		return 1;
	}
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* A dotted name: every component a valid name. The empty string is the null namespace. */
static int valid_dotted(const struct pctx *c, const char *s, int allow_empty)
{
	char part[256];

	if (!*s)
		return allow_empty;
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);

		if (n == 0 || n >= sizeof(part))
			return 0;
		memcpy(part, s, n);
		part[n] = '\0';
		if (!valid_name(c, part))
			return 0;
		s += n;
		if (dot && !*++s)
			return 0; /* trailing dot */
	}
	return 1;
}

static char *make_fullname(struct pctx *c, const char *name, const char *space)
{
	size_t nn = strlen(name), ns = space ? strlen(space) : 0;
	char *p = arena_alloc(c->s, nn + ns + 2);

	if (!p)
		return nomem(c);
	if (ns) {
		memcpy(p, space, ns);
		p[ns] = '.';
		memcpy(p + ns + 1, name, nn + 1);
	} else {
		memcpy(p, name, nn + 1);
	}
	return p;
}

/* ---- nodes ---- */

static struct ak_node *new_node(struct pctx *c, enum ak_type t)
{
	struct ak_schema *s = c->s;
	struct ak_node *n = arena_alloc(s, sizeof(*n));

	if (!n)
		return nomem(c);
	if (s->nnodes == s->nodes_cap) {
		size_t cap = s->nodes_cap ? s->nodes_cap * 2 : 32;
		struct ak_node **v = realloc(s->nodes, cap * sizeof(*v));

		if (!v)
			return nomem(c);
		s->nodes = v;
		s->nodes_cap = cap;
	}
	n->type = t;
	n->id = (unsigned)s->nnodes;
	n->enum_default = -1;
	s->nodes[s->nnodes++] = n;
	return n;
}

static struct ak_node *parse_node(struct pctx *c, json_t *j, const char *ns);

static struct ak_node *lookup_ref(struct pctx *c, const char *ref, const char *ns)
{
	struct ak_node *n;
	char *full;

	if (strchr(ref, '.') || !ns)
		return name_find(c, ref);
	full = make_fullname(c, ref, ns);
	if (!full)
		return NULL;
	n = name_find(c, full);
	if (!n) /* a bare name may also refer to a type in the null namespace */
		n = name_find(c, ref);
	return n;
}

static struct ak_node *parse_name_ref(struct pctx *c, const char *str, const char *ns)
{
	int t = primitive_type(str);
	struct ak_node *n;

	if (t >= 0)
		return new_node(c, (enum ak_type)t);
	n = lookup_ref(c, str, ns);
	if (!n && !c->failed)
		return perr(c, "unknown type \"%s\"", str);
	return n;
}

static struct ak_node *parse_union(struct pctx *c, json_t *arr, const char *ns)
{
	struct ak_node *u = new_node(c, AK_UNION);
	size_t n = json_array_size(arr);

	if (!u)
		return NULL;
	u->branches = arena_alloc(c->s, (n ? n : 1) * sizeof(*u->branches));
	if (!u->branches)
		return nomem(c);
	for (size_t i = 0; i < n; i++) {
		size_t old = path_push(c, "[%zu]", i);
		struct ak_node *b = parse_node(c, json_array_get(arr, i), ns);

		if (!b)
			return NULL;
		if (b->type == AK_UNION)
			return perr(c, "a union may not directly contain another union");
		for (size_t k = 0; k < i; k++) {
			struct ak_node *o = u->branches[k];

			if (o->type != b->type)
				continue;
			if (o->fullname ? strcmp(o->fullname, b->fullname) == 0 : 1)
				return perr(c, "duplicate union branch \"%s\" (also at [%zu])",
					    ak_node_branch_name(b), k);
		}
		u->branches[i] = b;
		path_pop(c, old);
	}
	u->nbranches = n;
	return u;
}

static const char **parse_aliases(struct pctx *c, json_t *obj, const char *space, size_t *count,
				  int qualify)
{
	json_t *a = json_object_get(obj, "aliases");
	const char **out;
	size_t n;

	*count = 0;
	if (!a)
		return NULL;
	if (!json_is_array(a))
		return perr(c, "\"aliases\" must be an array of names");
	n = json_array_size(a);
	out = arena_alloc(c->s, (n ? n : 1) * sizeof(*out));
	if (!out)
		return nomem(c);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(a, i));

		if (!s || !(qualify ? valid_dotted(c, s, 0) : valid_name(c, s)))
			return perr(c, "aliases[%zu]: invalid alias", i);
		if (qualify && !strchr(s, '.') && space)
			out[i] = make_fullname(c, s, space);
		else
			out[i] = arena_strdup(c->s, s);
		if (!out[i])
			return nomem(c);
	}
	*count = n;
	return out;
}

/* Fill name, space and fullname of a named type and register it. */
static int define_name(struct pctx *c, struct ak_node *n, json_t *obj, const char *ns)
{
	json_t *jname = json_object_get(obj, "name"), *jns = json_object_get(obj, "namespace");
	const char *name, *space = ns;

	if (!jname)
		return perr(c, "%s is missing its \"name\"", type_names[n->type]), -1;
	if (!json_is_string(jname))
		return perr(c, "\"name\" must be a string"), -1;
	name = json_string_value(jname);
	if (jns && !json_is_null(jns)) {
		if (!json_is_string(jns))
			return perr(c, "\"namespace\" must be a string"), -1;
		space = json_string_value(jns);
		if (!valid_dotted(c, space, 1))
			return perr(c, "invalid namespace \"%s\"", space), -1;
	}
	if (strchr(name, '.')) {
		const char *dot = strrchr(name, '.');

		if (!valid_dotted(c, name, 0))
			return perr(c, "invalid name \"%s\"", name), -1;
		n->fullname = arena_strdup(c->s, name);
		n->name = arena_strdup(c->s, dot + 1);
		char *sp = arena_alloc(c->s, (size_t)(dot - name) + 1);
		if (!n->fullname || !n->name || !sp)
			return nomem(c), -1;
		memcpy(sp, name, (size_t)(dot - name));
		n->space = sp;
	} else {
		if (!valid_name(c, name))
			return perr(c, "invalid name \"%s\"", name), -1;
		if (space && !*space)
			space = NULL;
		n->name = arena_strdup(c->s, name);
		n->space = space ? arena_strdup(c->s, space) : NULL;
		n->fullname = make_fullname(c, name, space);
		if (!n->name || (space && !n->space) || !n->fullname)
			return nomem(c), -1;
	}
	/* leniently, "n.int" is a name like any other: only the bare name would be ambiguous */
	if (primitive_type(n->name) >= 0 && !(c->lenient && n->space))
		return perr(c, "a %s may not be named after the primitive type \"%s\"",
			    type_names[n->type], n->name), -1;
	if (name_find(c, n->fullname))
		return perr(c, "type \"%s\" is defined twice", n->fullname), -1;
	if (name_add(c, n->fullname, n) != 0)
		return nomem(c), -1;
	n->aliases = parse_aliases(c, obj, n->space, &n->naliases, 1);
	return c->failed ? -1 : 0;
}

static int defer_default(struct pctx *c, const struct ak_field *f)
{
	if (c->ndefs == c->defs_cap) {
		size_t cap = c->defs_cap ? c->defs_cap * 2 : 16;
		struct deferred_default *d = realloc(c->defs, cap * sizeof(*d));

		if (!d)
			return -1;
		c->defs = d;
		c->defs_cap = cap;
	}
	c->defs[c->ndefs].field = f;
	c->defs[c->ndefs].path = strdup(c->path);
	if (!c->defs[c->ndefs].path)
		return -1;
	c->ndefs++;
	return 0;
}

/* The fields of record @n (the loop of parse_record; @names checks for duplicates). */
static struct ak_node *parse_fields(struct pctx *c, struct ak_node *n, json_t *fields, size_t nf,
				    struct strset *names)
{
	for (size_t i = 0; i < nf; i++) {
		json_t *fj = json_array_get(fields, i), *jt, *jo;
		struct ak_field *f = &n->fields[i];
		const char *fname;
		size_t old = path_push(c, "fields[%zu]", i);

		if (!json_is_object(fj))
			return perr(c, "a field must be a JSON object");
		fname = json_string_value(json_object_get(fj, "name"));
		if (!fname)
			return perr(c, "field has no \"name\" string");
		if (!valid_name(c, fname))
			return perr(c, "invalid field name \"%s\"", fname);
		f->name = arena_strdup(c->s, fname);
		if (!f->name)
			return nomem(c);
		switch (strset_add(names, f->name, nf)) {
		case 1:
			return perr(c, "duplicate field \"%s\" in record \"%s\"", fname, n->fullname);
		case -1:
			return nomem(c);
		}
		jt = json_object_get(fj, "type");
		if (!jt)
			return perr(c, "field \"%s\" has no \"type\"", fname);
		size_t old2 = path_push(c, "type");
		f->type = parse_node(c, jt, n->space);
		if (!f->type)
			return NULL;
		path_pop(c, old2);
		f->order = AK_ORDER_ASCENDING;
		jo = json_object_get(fj, "order");
		if (jo) {
			const char *o = json_string_value(jo);

			if (o && strcmp(o, "ascending") == 0)
				f->order = AK_ORDER_ASCENDING;
			else if (o && strcmp(o, "descending") == 0)
				f->order = AK_ORDER_DESCENDING;
			else if (o && strcmp(o, "ignore") == 0)
				f->order = AK_ORDER_IGNORE;
			else
				return perr(c, "field \"%s\": \"order\" must be ascending, "
					    "descending or ignore", fname);
		}
		f->aliases = parse_aliases(c, fj, NULL, &f->naliases, 0);
		if (c->failed)
			return NULL;
		f->def = json_object_get(fj, "default");
		if (f->def && defer_default(c, f) != 0)
			return nomem(c);
		n->nfields = i + 1;
		path_pop(c, old);
	}
	return n;
}

static struct ak_node *parse_record(struct pctx *c, json_t *obj, const char *ns, enum ak_type t)
{
	struct ak_node *n = new_node(c, t);
	struct strset names = { NULL, 0 };
	struct ak_node *ret;
	json_t *fields;
	size_t nf;

	if (!n || define_name(c, n, obj, ns) != 0)
		return NULL;
	fields = json_object_get(obj, "fields");
	if (!fields)
		return perr(c, "record \"%s\" has no \"fields\"", n->fullname);
	if (!json_is_array(fields))
		return perr(c, "\"fields\" of record \"%s\" must be an array", n->fullname);
	nf = json_array_size(fields);
	n->fields = arena_alloc(c->s, (nf ? nf : 1) * sizeof(*n->fields));
	if (!n->fields)
		return nomem(c);
	ret = parse_fields(c, n, fields, nf, &names);
	free(names.slots);
	return ret;
}

static struct ak_node *parse_enum(struct pctx *c, json_t *obj, const char *ns)
{
	struct ak_node *n = new_node(c, AK_ENUM);
	json_t *syms, *def;
	size_t ns_;

	if (!n || define_name(c, n, obj, ns) != 0)
		return NULL;
	syms = json_object_get(obj, "symbols");
	if (!json_is_array(syms))
		return perr(c, "enum \"%s\" needs a \"symbols\" array", n->fullname);
	ns_ = json_array_size(syms);
	n->symbols = arena_alloc(c->s, (ns_ ? ns_ : 1) * sizeof(*n->symbols));
	if (!n->symbols)
		return nomem(c);
	for (size_t i = 0; i < ns_; i++) {
		const char *s = json_string_value(json_array_get(syms, i));

		if (!s)
			return perr(c, "symbols[%zu]: a symbol must be a string", i);
		if (!valid_name(c, s))
			return perr(c, "symbols[%zu]: invalid symbol \"%s\"", i, s);
		n->symbols[i] = arena_strdup(c->s, s);
		if (!n->symbols[i])
			return nomem(c);
	}
	{
		struct strset set = { NULL, 0 };

		for (size_t i = 0; i < ns_; i++) {
			int r = strset_add(&set, n->symbols[i], ns_);

			if (r) {
				free(set.slots);
				return r < 0 ? nomem(c)
					     : perr(c, "symbols[%zu]: duplicate symbol \"%s\"", i,
						    n->symbols[i]);
			}
		}
		free(set.slots);
	}
	n->nsymbols = ns_;
	def = json_object_get(obj, "default");
	if (def) {
		const char *d = json_string_value(def);

		for (size_t i = 0; d && i < ns_; i++)
			if (strcmp(n->symbols[i], d) == 0)
				n->enum_default = (long)i;
		if (n->enum_default < 0)
			return perr(c, "enum \"%s\": default is not one of its symbols", n->fullname);
	}
	return n;
}

static struct ak_node *parse_fixed(struct pctx *c, json_t *obj, const char *ns)
{
	struct ak_node *n = new_node(c, AK_FIXED);
	json_t *size;

	if (!n || define_name(c, n, obj, ns) != 0)
		return NULL;
	size = json_object_get(obj, "size");
	if (!size)
		return perr(c, "fixed \"%s\" has no \"size\"", n->fullname);
	if (!json_is_integer(size) || json_integer_value(size) < 0 ||
	    json_integer_value(size) > INT32_MAX)
		return perr(c, "fixed \"%s\": \"size\" must be a non-negative integer", n->fullname);
	n->size = (size_t)json_integer_value(size);
	return n;
}

/* Largest decimal precision a fixed of @size bytes can hold: floor(log10(2^(8*size-1) - 1)). */
static long max_fixed_precision(size_t size)
{
	if (size == 0)
		return 0;
	if (size > 1024)
		return LONG_MAX;
	return (long)floor(log10(2.0) * (8.0 * (double)size - 1.0));
}

static void set_logical(struct ak_node *n, json_t *obj)
{
	const char *lt = json_string_value(json_object_get(obj, "logicalType"));
	enum ak_type t = n->type;

	if (!lt)
		return;
	if (strcmp(lt, "decimal") == 0 && (t == AK_BYTES || t == AK_FIXED)) {
		json_t *p = json_object_get(obj, "precision"), *s = json_object_get(obj, "scale");
		json_int_t pv, sv = 0;

		if (!json_is_integer(p) || (s && !json_is_integer(s)))
			return;
		pv = json_integer_value(p);
		if (s)
			sv = json_integer_value(s);
		if (pv <= 0 || pv > INT32_MAX || sv < 0 || sv > pv)
			return;
		if (t == AK_FIXED && pv > max_fixed_precision(n->size))
			return;
		n->logical = AK_LT_DECIMAL;
		n->precision = (int)pv;
		n->scale = (int)sv;
		return;
	}
	static const struct {
		const char *name;
		enum ak_type base;
		enum ak_logical lt;
	} simple[] = {
		{ "uuid", AK_STRING, AK_LT_UUID },
		{ "date", AK_INT, AK_LT_DATE },
		{ "time-millis", AK_INT, AK_LT_TIME_MILLIS },
		{ "time-micros", AK_LONG, AK_LT_TIME_MICROS },
		{ "timestamp-millis", AK_LONG, AK_LT_TIMESTAMP_MILLIS },
		{ "timestamp-micros", AK_LONG, AK_LT_TIMESTAMP_MICROS },
		{ "timestamp-nanos", AK_LONG, AK_LT_TIMESTAMP_NANOS },
		{ "local-timestamp-millis", AK_LONG, AK_LT_LOCAL_TIMESTAMP_MILLIS },
		{ "local-timestamp-micros", AK_LONG, AK_LT_LOCAL_TIMESTAMP_MICROS },
		{ "local-timestamp-nanos", AK_LONG, AK_LT_LOCAL_TIMESTAMP_NANOS },
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (strcmp(lt, simple[i].name) == 0 && t == simple[i].base)
			n->logical = simple[i].lt;
	if (strcmp(lt, "uuid") == 0 && t == AK_FIXED && n->size == 16)
		n->logical = AK_LT_UUID;
	if (strcmp(lt, "duration") == 0 && t == AK_FIXED && n->size == 12)
		n->logical = AK_LT_DURATION;
}

static struct ak_node *parse_object(struct pctx *c, json_t *obj, const char *ns)
{
	json_t *jt = json_object_get(obj, "type");
	struct ak_node *n = NULL;
	const char *t;

	if (!jt)
		return perr(c, "schema object has no \"type\"");
	if (json_is_object(jt) || json_is_array(jt)) {
		/* {"type": {...}} or {"type": [...]}: a schema wrapped in another object */
		size_t old = path_push(c, "type");

		n = parse_node(c, jt, ns);
		if (n)
			path_pop(c, old);
		return n;
	}
	t = json_string_value(jt);
	if (!t)
		return perr(c, "\"type\" must be a string, object or array");
	if (strcmp(t, "record") == 0 || strcmp(t, "error") == 0) {
		n = parse_record(c, obj, ns, AK_RECORD);
	} else if (strcmp(t, "enum") == 0) {
		n = parse_enum(c, obj, ns);
	} else if (strcmp(t, "fixed") == 0) {
		n = parse_fixed(c, obj, ns);
	} else if (strcmp(t, "array") == 0) {
		json_t *items = json_object_get(obj, "items");

		if (!items)
			return perr(c, "array has no \"items\"");
		n = new_node(c, AK_ARRAY);
		if (!n)
			return NULL;
		size_t old = path_push(c, "items");
		n->items = parse_node(c, items, ns);
		if (!n->items)
			return NULL;
		path_pop(c, old);
	} else if (strcmp(t, "map") == 0) {
		json_t *values = json_object_get(obj, "values");

		if (!values)
			return perr(c, "map has no \"values\"");
		n = new_node(c, AK_MAP);
		if (!n)
			return NULL;
		size_t old = path_push(c, "values");
		n->items = parse_node(c, values, ns);
		if (!n->items)
			return NULL;
		path_pop(c, old);
	} else {
		int pt = primitive_type(t);

		if (pt >= 0) {
			n = new_node(c, (enum ak_type)pt);
		} else {
			/* {"type": "SomeName"}: a reference in object form */
			n = lookup_ref(c, t, ns);
			if (!n && !c->failed)
				return perr(c, "unknown type \"%s\"", t);
			return n;
		}
	}
	if (!n)
		return NULL;
	set_logical(n, obj);
	json_t *lt = json_object_get(obj, "logicalType");
	if (json_is_string(lt)) {
		n->logical_name = arena_strdup(c->s, json_string_value(lt));
		if (!n->logical_name)
			return nomem(c);
	}
	return n;
}

static struct ak_node *parse_node(struct pctx *c, json_t *j, const char *ns)
{
	struct ak_node *n = NULL;

	if (c->failed)
		return NULL;
	if (++c->depth > AK_SCHEMA_MAX_DEPTH) {
		c->depth--;
		return perr(c, "schema nested deeper than %d levels", AK_SCHEMA_MAX_DEPTH);
	}
	if (json_is_string(j))
		n = parse_name_ref(c, json_string_value(j), ns);
	else if (json_is_array(j))
		n = parse_union(c, j, ns);
	else if (json_is_object(j))
		n = parse_object(c, j, ns);
	else
		perr(c, "a schema must be a string, object or array, not %s",
		     json_is_null(j) ? "null" : json_is_number(j) ? "a number" : "a boolean");
	c->depth--;
	return n;
}

/* ---- defaults ---- */

/* Every code point of the UTF-8 string @s below 256; the count of code points in *n. */
static int latin1_string(const char *s, size_t len, size_t *n)
{
	size_t count = 0;

	for (size_t i = 0; i < len; count++) {
		unsigned char b = (unsigned char)s[i];

		if (b < 0x80) {
			i++;
		} else if ((b == 0xc2 || b == 0xc3) && i + 1 < len) {
			i += 2;
		} else {
			return 0;
		}
	}
	*n = count;
	return 1;
}

static int special_double(json_t *v)
{
	const char *s = json_string_value(v);

	return s && (strcmp(s, "NaN") == 0 || strcmp(s, "Infinity") == 0 ||
		     strcmp(s, "-Infinity") == 0);
}

static int default_fits(const struct ak_node *n, json_t *v, unsigned depth)
{
	size_t cnt;

	if (depth > AK_SCHEMA_MAX_DEPTH)
		return 0;
	switch (n->type) {
	case AK_NULL:
		return json_is_null(v);
	case AK_BOOLEAN:
		return json_is_boolean(v);
	case AK_INT:
		return json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
		       json_integer_value(v) <= INT32_MAX;
	case AK_LONG:
		return json_is_integer(v);
	case AK_FLOAT:
	case AK_DOUBLE:
		return json_is_number(v) || special_double(v);
	case AK_STRING:
		return json_is_string(v);
	case AK_BYTES:
		return json_is_string(v) &&
		       latin1_string(json_string_value(v), json_string_length(v), &cnt);
	case AK_FIXED:
		return json_is_string(v) &&
		       latin1_string(json_string_value(v), json_string_length(v), &cnt) &&
		       cnt == n->size;
	case AK_ENUM:
		if (!json_is_string(v))
			return 0;
		for (size_t i = 0; i < n->nsymbols; i++)
			if (strcmp(n->symbols[i], json_string_value(v)) == 0)
				return 1;
		return 0;
	case AK_ARRAY:
		if (!json_is_array(v))
			return 0;
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!default_fits(n->items, json_array_get(v, i), depth + 1))
				return 0;
		return 1;
	case AK_MAP: {
		const char *k;
		json_t *e;

		if (!json_is_object(v))
			return 0;
		json_object_foreach(v, k, e)
			if (!default_fits(n->items, e, depth + 1))
				return 0;
		return 1;
	}
	case AK_UNION:
		/* The specification says the first branch; Java and Python accept any branch,
		 * and real schemas rely on that, so any branch is accepted here. */
		for (size_t i = 0; i < n->nbranches; i++)
			if (default_fits(n->branches[i], v, depth + 1))
				return 1;
		return 0;
	case AK_RECORD:
		if (!json_is_object(v))
			return 0;
		for (size_t i = 0; i < n->nfields; i++) {
			const struct ak_field *f = &n->fields[i];
			json_t *fv = json_object_get(v, f->name);

			if (!fv)
				fv = (json_t *)f->def;
			if (!fv || !default_fits(f->type, fv, depth + 1))
				return 0;
		}
		return 1;
	}
	return 0;
}

int ak_node_accepts_json(const struct ak_node *n, const void *json)
{
	return default_fits(n, (json_t *)(uintptr_t)json, 0);
}

static char *dump_json(const json_t *j, size_t flags);

static int check_defaults(struct pctx *c)
{
	for (size_t i = 0; i < c->ndefs; i++) {
		const struct ak_field *f = c->defs[i].field;

		if (!default_fits(f->type, (json_t *)f->def, 0)) {
			char *txt = dump_json(f->def, JSON_ENCODE_ANY | JSON_COMPACT);

			snprintf(c->path, sizeof(c->path), "%s", c->defs[i].path);
			c->pathlen = strlen(c->path);
			perr(c, "default %.64s%s of field \"%s\" does not fit its type %s",
			     txt ? txt : "?", txt && strlen(txt) > 64 ? "..." : "", f->name,
			     f->type->fullname ? f->type->fullname : type_names[f->type->type]);
			free(txt);
			return -1;
		}
	}
	return 0;
}

/* ---- JSON text: big integers and object keys ---- */

/* Does the digit string @d (@n digits, no sign) exceed what a 64-bit integer holds? */
static int beyond_int64(const char *d, size_t n, int neg)
{
	const char *lim = neg ? "9223372036854775808" : "9223372036854775807";

	while (n > 1 && *d == '0')
		d++, n--;
	return n > 19 || (n == 19 && memcmp(d, lim, 19) > 0);
}

/*
 * Object keys. jansson refuses U+0000 in an object key ("NUL byte in object key not
 * supported", even with JSON_ALLOW_NUL), yet a map default may hold one ({"a\u0000b": 1}), and
 * so may any custom attribute; other implementations write such schemas. So keys are stored
 * escaped, with U+FFFF (a noncharacter, valid in JSON and UTF-8) as the escape: U+0000 as
 * U+FFFF '0' and U+FFFF itself as U+FFFF U+FFFF. The mapping is injective and leaves every
 * key without U+0000 or U+FFFF as it is, so names and attributes are looked up as usual.
 * ak_schema_key_append() gives a key's real bytes back; ak_schema_json() writes the keys
 * as they were.
 */
#define KEY_ESC "\xEF\xBF\xBF"
#define KEY_ESC_LEN 3

static int is_key_esc(const char *p, const char *end)
{
	return end - p >= KEY_ESC_LEN && memcmp(p, KEY_ESC, KEY_ESC_LEN) == 0;
}

/* The value of the four hex digits at @p, or -1. */
static long hex4(const char *p)
{
	long v = 0;

	for (int k = 0; k < 4; k++) {
		char ch = p[k];

		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v |= ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			v |= ch - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * The JSON string whose opening quote is at @text[@i]: returns the index just past its closing
 * quote (@len when there is none). *@special is set when the string is terminated and holds
 * \u0000, or U+FFFF raw or as \uFFFF: a key that must be escaped, or restored.
 */
static size_t scan_string(const char *text, size_t len, size_t i, int *special)
{
	int sp = 0;

	for (i++; i < len && text[i] != '"'; i++) {
		if (text[i] == '\\') {
			if (len - i > 5 && text[i + 1] == 'u') {
				long v = hex4(text + i + 2);

				sp |= v == 0 || v == 0xFFFF;
			}
			i++;
		} else if (text[i] == KEY_ESC[0] && is_key_esc(text + i, text + len)) {
			sp = 1;
		}
	}
	*special = sp && i < len;
	return i < len ? i + 1 : len;
}

/* Is the string that ends before @text[@i] an object key (followed by a colon)? */
static int before_colon(const char *text, size_t len, size_t i)
{
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	return i < len && text[i] == ':';
}

/* Append the JSON string @s (@n bytes, quotes included) to @out with its content escaped as
 * an object key: \u0000 becomes U+FFFF '0', U+FFFF (raw or \uFFFF) U+FFFF U+FFFF. Other
 * escapes are copied whole, so "\\u0000" (a backslash, then u0000) stays as it is. */
static int escape_key(struct ak_buf *out, const char *s, size_t n)
{
	const char *p = s + 1, *end = s + n - 1;
	int rc = ak_buf_append(out, "\"", 1, NULL);

	while (rc == AK_OK && p < end) {
		if (*p == '\\') {
			long v = end - p >= 6 && p[1] == 'u' ? hex4(p + 2) : -1;

			if (v == 0)
				rc = ak_buf_append(out, KEY_ESC "0", KEY_ESC_LEN + 1, NULL);
			else if (v == 0xFFFF)
				rc = ak_buf_append(out, KEY_ESC KEY_ESC, 2 * KEY_ESC_LEN, NULL);
			else
				rc = ak_buf_append(out, p, v < 0 ? 2 : 6, NULL);
			p += v < 0 ? 2 : 6;
		} else if (is_key_esc(p, end)) {
			rc = ak_buf_append(out, KEY_ESC KEY_ESC, 2 * KEY_ESC_LEN, NULL);
			p += KEY_ESC_LEN;
		} else {
			rc = ak_buf_append(out, p++, 1, NULL);
		}
	}
	return rc == AK_OK ? ak_buf_append(out, "\"", 1, NULL) : rc;
}

/* The reverse of escape_key() on the JSON string @s (@n bytes, quotes included) as
 * json_dumps() writes it (U+FFFF raw): U+FFFF '0' becomes \u0000, U+FFFF U+FFFF U+FFFF. */
static int restore_key(struct ak_buf *out, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int rc = AK_OK;

	while (rc == AK_OK && p < end) {
		if (*p == '\\') { /* \uXXXX or a two-character escape: no U+FFFF inside */
			rc = ak_buf_append(out, p, 2, NULL);
			p += 2;
		} else if (is_key_esc(p, end) && end - p > KEY_ESC_LEN && p[KEY_ESC_LEN] == '0') {
			rc = ak_buf_append(out, "\\u0000", 6, NULL);
			p += KEY_ESC_LEN + 1;
		} else if (is_key_esc(p, end) && is_key_esc(p + KEY_ESC_LEN, end)) {
			rc = ak_buf_append(out, KEY_ESC, KEY_ESC_LEN, NULL);
			p += 2 * KEY_ESC_LEN;
		} else {
			rc = ak_buf_append(out, p++, 1, NULL);
		}
	}
	return rc;
}

int ak_schema_key_append(struct ak_buf *out, const char *key, struct ak_error *err)
{
	const char *p = key, *end = key + strlen(key), *esc;
	int rc = AK_OK;

	while (rc == AK_OK && (esc = strstr(p, KEY_ESC)) != NULL) {
		if ((rc = ak_buf_append(out, p, (size_t)(esc - p), err)) != AK_OK)
			break;
		p = esc + KEY_ESC_LEN;
		if (*p == '0') { /* U+0000 */
			rc = ak_buf_append(out, "", 1, err);
			p++;
		} else { /* U+FFFF, doubled (or, never made by the parser, alone) */
			rc = ak_buf_append(out, KEY_ESC, KEY_ESC_LEN, err);
			if (is_key_esc(p, end))
				p += KEY_ESC_LEN;
		}
	}
	return rc == AK_OK ? ak_buf_append(out, p, (size_t)(end - p), err) : rc;
}

/*
 * Rewrite JSON @text for jansson, or back. Forward (@restore 0): escape each object key that
 * holds U+0000 or U+FFFF (see KEY_ESC), and put ".0" after each integer literal beyond int64
 * outside strings, which jansson refuses ("too big integer") while JSON allows it and a float
 * or double default may be one, so that it is read as a real number. Back (@restore 1, on
 * json_dumps() output): restore the escaped keys. Sets *@out to the new text (malloc'd,
 * NUL-terminated, length in *@newlen), or to NULL when nothing changes: then it allocates
 * nothing, the common case. AK_OK or AK_E_NOMEM.
 */
static int rewrite_json(const char *text, size_t len, int restore, char **out, size_t *newlen)
{
	struct ak_buf b = AK_BUF_INIT;
	size_t i = 0, copied = 0;
	int rc = AK_OK, found = 0;

	*out = NULL;
	while (i < len && rc == AK_OK) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '"') {
			int special;
			size_t end = scan_string(text, len, i, &special);

			if (special && before_colon(text, len, end)) {
				rc = ak_buf_append(&b, text + copied, i - copied, NULL);
				if (rc == AK_OK)
					rc = restore ? restore_key(&b, text + i, end - i)
						     : escape_key(&b, text + i, end - i);
				copied = end;
				found = 1;
			}
			i = end;
			continue;
		}
		if (restore || (ch != '-' && (ch < '0' || ch > '9'))) {
			i++;
			continue;
		}
		size_t d0;
		int neg = ch == '-';

		i += (size_t)neg;
		d0 = i;
		while (i < len && text[i] >= '0' && text[i] <= '9')
			i++;
		if (i < len && (text[i] == '.' || text[i] == 'e' || text[i] == 'E')) {
			while (i < len && strchr("0123456789.eE+-", text[i]))
				i++;
			continue; /* already a real */
		}
		if (i == d0 || !beyond_int64(text + d0, i - d0, neg))
			continue;
		if ((rc = ak_buf_append(&b, text + copied, i - copied, NULL)) == AK_OK)
			rc = ak_buf_append(&b, ".0", 2, NULL);
		copied = i;
		found = 1;
	}
	if (rc == AK_OK && found &&
	    (rc = ak_buf_append(&b, text + copied, len - copied, NULL)) == AK_OK)
		rc = ak_buf_append(&b, "", 1, NULL);
	if (rc != AK_OK || !found) {
		ak_buf_release(&b);
		return rc;
	}
	*newlen = b.len - 1;
	*out = (char *)b.data;
	return AK_OK;
}

/* json_dumps() of @j with the object keys as they were written (malloc'd), or NULL. */
static char *dump_json(const json_t *j, size_t flags)
{
	char *txt = json_dumps(j, flags), *back;
	size_t n;

	if (!txt || rewrite_json(txt, strlen(txt), 1, &back, &n) != AK_OK) {
		free(txt);
		return NULL;
	}
	if (!back)
		return txt;
	free(txt);
	return back;
}

/* ---- public ---- */

AK_API struct ak_schema *ak_schema_parse(const char *text, size_t len, unsigned flags,
					 struct ak_error *err)
{
	struct pctx c;
	json_error_t jerr;
	struct ak_schema *s = calloc(1, sizeof(*s));

	if (!s) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.err = err;
	c.lenient = (flags & AK_SCHEMA_LENIENT) != 0;
	{
		size_t wlen = 0;
		char *wide;

		if (rewrite_json(text, len, 0, &wide, &wlen) != AK_OK) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			ak_schema_free(s);
			return NULL;
		}
		s->json = json_loadb(wide ? wide : text, wide ? wlen : len,
				     JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		free(wide);
	}
	if (!s->json) {
		ak_fail(err, AK_E_SCHEMA, "schema is not valid JSON: %s (line %d, column %d)",
			jerr.text, jerr.line, jerr.column);
		ak_schema_free(s);
		return NULL;
	}
	s->root = parse_node(&c, s->json, NULL);
	if (s->root)
		check_defaults(&c);
	free(c.names);
	for (size_t i = 0; i < c.ndefs; i++)
		free(c.defs[i].path);
	free(c.defs);
	if (c.failed) {
		ak_schema_free(s);
		return NULL;
	}
	return s;
}

void ak_schema_free(struct ak_schema *s)
{
	if (!s)
		return;
	while (s->chunks) {
		struct chunk *next = s->chunks->next;

		free(s->chunks);
		s->chunks = next;
	}
	free(s->nodes);
	json_decref(s->json);
	free(s);
}

const struct ak_node *ak_schema_root(const struct ak_schema *s)
{
	return s->root;
}

size_t ak_schema_node_count(const struct ak_schema *s)
{
	return s->nnodes;
}

const struct ak_node *ak_schema_node(const struct ak_schema *s, size_t id)
{
	return id < s->nnodes ? s->nodes[id] : NULL;
}

char *ak_schema_json(const struct ak_schema *s, int indent)
{
	size_t flags = JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;

	if (indent > 0)
		flags |= JSON_INDENT(indent > 31 ? 31 : indent);
	else
		flags |= JSON_COMPACT;
	return dump_json(s->json, flags);
}

/* ---- Parsing Canonical Form ---- */

static int pcf(const struct ak_node *n, struct ak_buf *b, unsigned char *seen, unsigned depth,
	       struct ak_error *err)
{
#define LIT(s) ak_buf_append(b, s, strlen(s), err)
	int rc = AK_OK;

	if (depth > AK_SCHEMA_MAX_DEPTH)
		return ak_fail(err, AK_E_LIMIT, "schema too deep");
	if (n->fullname) {
		if (seen[n->id]) /* defined already: refer to it by full name */
			return (rc = LIT("\"")) || (rc = LIT(n->fullname)) || (rc = LIT("\"")) ? rc : 0;
		seen[n->id] = 1;
		if ((rc = LIT("{\"name\":\"")) || (rc = LIT(n->fullname)) ||
		    (rc = LIT("\",\"type\":\"")) || (rc = LIT(type_names[n->type])) ||
		    (rc = LIT("\"")))
			return rc;
	}
	switch (n->type) {
	case AK_RECORD:
		if ((rc = LIT(",\"fields\":[")))
			return rc;
		for (size_t i = 0; i < n->nfields; i++) {
			if ((i && (rc = LIT(","))) || (rc = LIT("{\"name\":\"")) ||
			    (rc = LIT(n->fields[i].name)) || (rc = LIT("\",\"type\":")) ||
			    (rc = pcf(n->fields[i].type, b, seen, depth + 1, err)) || (rc = LIT("}")))
				return rc;
		}
		return LIT("]}");
	case AK_ENUM:
		if ((rc = LIT(",\"symbols\":[")))
			return rc;
		for (size_t i = 0; i < n->nsymbols; i++)
			if ((i && (rc = LIT(","))) || (rc = LIT("\"")) || (rc = LIT(n->symbols[i])) ||
			    (rc = LIT("\"")))
				return rc;
		return LIT("]}");
	case AK_FIXED: {
		char num[32];

		snprintf(num, sizeof(num), ",\"size\":%zu}", n->size);
		return LIT(num);
	}
	case AK_ARRAY:
	case AK_MAP:
		if ((rc = LIT(n->type == AK_ARRAY ? "{\"type\":\"array\",\"items\":"
						  : "{\"type\":\"map\",\"values\":")) ||
		    (rc = pcf(n->items, b, seen, depth + 1, err)))
			return rc;
		return LIT("}");
	case AK_UNION:
		if ((rc = LIT("[")))
			return rc;
		for (size_t i = 0; i < n->nbranches; i++)
			if ((i && (rc = LIT(","))) ||
			    (rc = pcf(n->branches[i], b, seen, depth + 1, err)))
				return rc;
		return LIT("]");
	default:
		if ((rc = LIT("\"")) || (rc = LIT(type_names[n->type])))
			return rc;
		return LIT("\"");
	}
#undef LIT
}

char *ak_schema_canonical(const struct ak_schema *s, struct ak_error *err)
{
	struct ak_buf b = AK_BUF_INIT;
	unsigned char *seen = calloc(s->nnodes ? s->nnodes : 1, 1);

	if (!seen) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	if (pcf(s->root, &b, seen, 0, err) != AK_OK || ak_buf_append(&b, "", 1, err) != AK_OK) {
		free(seen);
		ak_buf_release(&b);
		return NULL;
	}
	free(seen);
	return (char *)b.data;
}
