/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema parsing. The JSON is parsed by jansson and kept for the life of the schema (field
 * defaults point into it). Nodes and strings come from a small arena owned by the schema.
 * Named types live in a hash table keyed by full name while parsing; a name must be defined
 * before it is used (a record's own name is defined before its fields, which is what makes
 * recursive types possible). Field defaults are checked after the whole schema is parsed, so a
 * default may hold a value of a record whose definition was still open when the field was read.
 * The text goes through jansson by way of schema_text.c, which works around what jansson
 * cannot hold; the Parsing Canonical Form is written by schema_canonical.c.
 */
#include "schema.h"

#include "buf.h"
#include "default.h"
#include "schema_text.h"

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
	size_t text; /* which text of ak_schema_parse_many() */
};

/* A JSON value (by address) -> the node it defines or refers to (ak_schema_parse_many). */
struct jslot {
	const json_t *key;
	struct ak_node *node;
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
	unsigned flags;           /* enum ak_schema_flags */
	/* several texts (ak_schema_parse_many): which one is parsed; whether the failure was a
	 * name not defined (yet); each definition's and reference's JSON -> node; by node id,
	 * the JSON object that defines a named type and its text */
	size_t text;
	int many, unknown;
	struct jslot *jm;
	size_t jm_cap, jm_len;
	json_t **defobj;
	size_t *deftext;
	size_t def_cap;
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

/* ---- JSON -> node, for ak_schema_parse_many() ---- */

static size_t ptr_hash(const void *p, size_t cap)
{
	return (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

static struct ak_node *jm_get(const struct pctx *c, const json_t *key)
{
	if (!c->jm_cap)
		return NULL;
	for (size_t i = ptr_hash(key, c->jm_cap);; i = (i + 1) & (c->jm_cap - 1)) {
		if (!c->jm[i].key)
			return NULL;
		if (c->jm[i].key == key)
			return c->jm[i].node;
	}
}

/* Map @key to @n (replacing what a failed attempt left). 0, or -1 on no memory. */
static int jm_put(struct pctx *c, const json_t *key, struct ak_node *n)
{
	size_t i;

	if ((c->jm_len + 1) * 2 > c->jm_cap) {
		size_t cap = c->jm_cap ? c->jm_cap * 2 : 256;
		struct jslot *t = calloc(cap, sizeof(*t));

		if (!t)
			return -1;
		for (size_t k = 0; k < c->jm_cap; k++) {
			if (!c->jm[k].key)
				continue;
			for (i = ptr_hash(c->jm[k].key, cap); t[i].key; i = (i + 1) & (cap - 1))
				;
			t[i] = c->jm[k];
		}
		free(c->jm);
		c->jm = t;
		c->jm_cap = cap;
	}
	for (i = ptr_hash(key, c->jm_cap); c->jm[i].key; i = (i + 1) & (c->jm_cap - 1))
		if (c->jm[i].key == key) {
			c->jm[i].node = n;
			return 0;
		}
	c->jm[i].key = key;
	c->jm[i].node = n;
	c->jm_len++;
	return 0;
}

/* Record that @j refers to the named type @n (several texts only). */
static struct ak_node *note_ref(struct pctx *c, const json_t *j, struct ak_node *n)
{
	if (c->many && n && n->fullname && jm_put(c, j, n) != 0)
		return nomem(c);
	return n;
}

/* Record that the JSON object @obj defines @n, in the current text (several texts only). */
static int note_def(struct pctx *c, json_t *obj, struct ak_node *n)
{
	if (!c->many)
		return 0;
	if (n->id >= c->def_cap) {
		size_t cap = c->def_cap ? c->def_cap * 2 : 64;
		json_t **d;
		size_t *t;

		while (cap <= n->id)
			cap *= 2;
		if (!(d = realloc(c->defobj, cap * sizeof(*d))))
			return -1;
		c->defobj = d;
		if (!(t = realloc(c->deftext, cap * sizeof(*t))))
			return -1;
		c->deftext = t;
		c->def_cap = cap;
	}
	c->defobj[n->id] = obj;
	c->deftext[n->id] = c->text;
	return jm_put(c, obj, n);
}

static int valid_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* A dotted name: every component a valid name. The empty string is the null namespace. */
static int valid_dotted(const char *s, int allow_empty)
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
		if (!valid_name(part))
			return 0;
		s += n;
		if (dot && !*++s)
			return 0; /* trailing dot */
	}
	return 1;
}

/*
 * The name checks, by the rules of the schema being read: a user's schema by the
 * specification's, a data file's own header (AK_SCHEMA_LENIENT) as Java reads it, where only
 * an empty name (or, in a full name, an empty last part or a leading dot) is refused.
 */
static int name_ok(const struct pctx *c, const char *s)
{
	return c->flags & AK_SCHEMA_LENIENT ? *s != '\0' : valid_name(s);
}

/* A namespace (@space) or a full name. */
static int dotted_ok(const struct pctx *c, const char *s, int space)
{
	const char *dot;

	if (!(c->flags & AK_SCHEMA_LENIENT))
		return valid_dotted(s, space);
	if (space)
		return 1;
	dot = strrchr(s, '.');
	return *s != '.' && *(dot ? dot + 1 : s) != '\0';
}

/* "a" or "an" before @word (a type name). */
static const char *article(const char *word)
{
	return word[0] && strchr("aeio", word[0]) ? "an" : "a"; /* not "an union" */
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
	if (!n && !c->failed) {
		c->unknown = 1;
		perr(c, "unknown type \"%s\"", str);
		if (c->err)
			c->err->flags |= AK_ERROR_UNKNOWN_TYPE;
		return NULL;
	}
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
		size_t k = *count;

		if (!s)
			return perr(c, "aliases[%zu]: invalid alias", i);
		if (!(qualify ? dotted_ok(c, s, 0) : name_ok(c, s))) {
			/* A file's schema (lenient) may carry an alias that no name can equal
			 * there ("", ".a", "a."), as Java and Python write them: it is left out,
			 * which matches the same names, none. */
			if (c->flags & AK_SCHEMA_LENIENT)
				continue;
			return perr(c, "aliases[%zu]: invalid alias", i);
		}
		if (qualify && !strchr(s, '.') && space)
			out[k] = make_fullname(c, s, space);
		else
			out[k] = arena_strdup(c->s, s);
		if (!out[k])
			return nomem(c);
		*count = k + 1;
	}
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
		if (!dotted_ok(c, space, 1))
			return perr(c, "invalid namespace \"%s\"", space), -1;
	}
	if (strchr(name, '.')) {
		const char *dot = strrchr(name, '.');

		if (!dotted_ok(c, name, 0))
			return perr(c, "invalid name \"%s\"", name), -1;
		n->fullname = arena_strdup(c->s, name);
		n->name = arena_strdup(c->s, dot + 1);
		char *sp = arena_alloc(c->s, (size_t)(dot - name) + 1);
		if (!n->fullname || !n->name || !sp)
			return nomem(c), -1;
		memcpy(sp, name, (size_t)(dot - name));
		n->space = sp;
	} else {
		if (!name_ok(c, name))
			return perr(c, "invalid name \"%s\"", name), -1;
		if (space && !*space)
			space = NULL;
		n->name = arena_strdup(c->s, name);
		n->space = space ? arena_strdup(c->s, space) : NULL;
		n->fullname = make_fullname(c, name, space);
		if (!n->name || (space && !n->space) || !n->fullname)
			return nomem(c), -1;
	}
	/* the specification: primitive type names may not be defined in any namespace; Java
	 * and Python refuse only a full name that is one ("int", not "ns.int") */
	if (primitive_type(c->flags & AK_SCHEMA_LENIENT ? n->fullname : n->name) >= 0)
		return perr(c, "%s %s may not be named after the primitive type \"%s\"",
			    article(type_names[n->type]), type_names[n->type], n->name), -1;
	if (name_find(c, n->fullname))
		return perr(c, "type \"%s\" is defined twice", n->fullname), -1;
	if (name_add(c, n->fullname, n) != 0 || note_def(c, obj, n) != 0)
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
	c->defs[c->ndefs].text = c->text;
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
		if (!name_ok(c, fname))
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
		if (!name_ok(c, s))
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
		/* {"type": {...}} or {"type": [...]}: a schema where a type name belongs. Java,
		 * Python, avsc and avro-c refuse it; Rust's apache-avro writes it for durations
		 * ({"type": {"type": "fixed", ...}, "logicalType": "duration"}), so a data file's
		 * header may hold it: read there as the inner schema, with the outer logical type
		 * when the inner one is a new definition without one of its own */
		size_t old, before = c->s->nnodes;

		if (!(c->flags & AK_SCHEMA_LENIENT))
			return perr(c, "\"type\" holds a %s where a type name belongs (write the "
				    "inner schema in place of this object)",
				    json_is_object(jt) ? "schema object" : "union");
		old = path_push(c, "type");
		n = parse_node(c, jt, ns);
		if (!n)
			return NULL;
		path_pop(c, old);
		if (n->id >= before && n->type != AK_UNION && !n->logical_name &&
		    json_is_string(json_object_get(obj, "logicalType"))) {
			set_logical(n, obj);
			n->logical_name = arena_strdup(c->s, json_string_value(
						json_object_get(obj, "logicalType")));
			if (!n->logical_name)
				return nomem(c);
		}
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
			if (!n && !c->failed) {
				c->unknown = 1;
				perr(c, "unknown type \"%s\"", t);
				if (c->err)
					c->err->flags |= AK_ERROR_UNKNOWN_TYPE;
				return NULL;
			}
			return note_ref(c, obj, n);
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
		n = note_ref(c, j, parse_name_ref(c, json_string_value(j), ns));
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

static int check_defaults(struct pctx *c)
{
	for (size_t i = 0; i < c->ndefs; i++) {
		const struct ak_field *f = c->defs[i].field;
		int first = !!(c->flags & AK_SCHEMA_UNION_DEFAULT_FIRST);

		if (!ak_default_fits(f->type, f->def, first)) {
			char *txt;

			if (c->flags & AK_SCHEMA_LENIENT) {
				/* a writer's default is never used: forget it, so that nothing
				 * relies on a value that does not fit */
				((struct ak_field *)(uintptr_t)f)->def = NULL;
				continue;
			}
			txt = ak_schema_dump_json(f->def, JSON_ENCODE_ANY | JSON_COMPACT);
			c->text = c->defs[i].text;

			snprintf(c->path, sizeof(c->path), "%s", c->defs[i].path);
			c->pathlen = strlen(c->path);
			if (ak_default_fits(f->type, f->def, 0))
				perr(c, "default %.64s%s of field \"%s\" fits %s only by a union "
				     "branch other than the first (the specification asks a "
				     "union's default to fit its first branch, %s)",
				     txt ? txt : "?", txt && strlen(txt) > 64 ? "..." : "", f->name,
				     f->type->type == AK_UNION ? "its union" : "its type",
				     f->type->type == AK_UNION && f->type->nbranches
					     ? ak_node_branch_name(f->type->branches[0])
					     : "in each union inside");
			else
				perr(c, "default %.64s%s of field \"%s\" does not fit its type %s",
				     txt ? txt : "?", txt && strlen(txt) > 64 ? "..." : "", f->name,
				     f->type->fullname ? f->type->fullname
						       : type_names[f->type->type]);
			free(txt);
			return -1;
		}
	}
	return 0;
}

/* ---- public ---- */

AK_API struct ak_schema *ak_schema_parse(const char *text, size_t len, unsigned flags,
					 struct ak_error *err)
{
	return ak_schema_parse_ex(text, len, flags, err);
}

static void pctx_release(struct pctx *c)
{
	free(c->names);
	for (size_t i = 0; i < c->ndefs; i++)
		free(c->defs[i].path);
	free(c->defs);
	free(c->jm);
	free(c->defobj);
	free(c->deftext);
}

struct ak_schema *ak_schema_parse_ex(const char *text, size_t len, unsigned flags,
				     struct ak_error *err)
{
	struct pctx c;
	struct ak_schema *s = calloc(1, sizeof(*s));

	if (!s) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.err = err;
	c.flags = flags;
	if (!(s->json = ak_schema_load_json(text, len, err))) {
		ak_schema_free(s);
		return NULL;
	}
	s->root = parse_node(&c, s->json, NULL);
	if (s->root)
		check_defaults(&c);
	pctx_release(&c);
	if (c.failed) {
		ak_schema_free(s);
		return NULL;
	}
	return s;
}

/* ---- several texts ---- */

/*
 * Undo a failed attempt at a text: forget the nodes from @nnodes on (their memory stays in the
 * arena until the schema is freed), the names they defined and the defaults they deferred.
 */
static int rollback(struct pctx *c, size_t nnodes, size_t ndefs)
{
	struct name_slot *old = c->names;
	size_t cap = c->names_cap;

	c->s->nnodes = nnodes;
	for (size_t i = ndefs; i < c->ndefs; i++)
		free(c->defs[i].path);
	c->ndefs = ndefs;
	c->names = NULL;
	c->names_cap = c->names_len = 0;
	for (size_t i = 0; i < cap; i++)
		if (old[i].fullname && old[i].node->id < nnodes &&
		    name_add(c, old[i].fullname, old[i].node) != 0) {
			free(old);
			return -1;
		}
	free(old);
	c->failed = c->unknown = 0;
	c->depth = 0;
	path_pop(c, 0);
	return 0;
}

struct asm_ctx {
	struct pctx *c;
	unsigned char *emitted; /* by node id: its definition is in the output already */
	size_t root;            /* the root text */
	unsigned depth;
};

static json_t *asm_node(struct asm_ctx *a, json_t *j);

/* Where @n is used in the output: its definition the first time, else its name (the full
 * name, as a reference from one text to another's type may sit under another namespace). */
static json_t *asm_use(struct asm_ctx *a, json_t *j, struct ak_node *n)
{
	json_t *o;

	if (a->emitted[n->id])
		return a->c->deftext[n->id] == a->root ? json_incref(j) : json_string(n->fullname);
	if (!(o = asm_node(a, a->c->defobj[n->id])) || !json_is_object(o))
		return o;
	/* the definition keeps the namespace it had where it was written */
	if (json_object_set_new(o, "name", json_string(n->name)) != 0 ||
	    json_object_set_new(o, "namespace", json_string(n->space ? n->space : "")) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A copy of the schema JSON @j with the definitions of other texts' types put in (see
 * ak_schema_parse_many). NULL on no memory. */
static json_t *asm_node(struct asm_ctx *a, json_t *j)
{
	struct ak_node *n = jm_get(a->c, j);
	const char *t, *k;
	json_t *o, *v;

	if (n && a->c->defobj[n->id] != j)
		return asm_use(a, j, n); /* a reference */
	if (json_is_array(j)) {
		if (!(o = json_array()))
			return NULL;
		for (size_t i = 0; i < json_array_size(j); i++)
			if (json_array_append_new(o, asm_node(a, json_array_get(j, i))) != 0) {
				json_decref(o);
				return NULL;
			}
		return o;
	}
	if (!json_is_object(j) || a->depth > AK_SCHEMA_MAX_DEPTH)
		return json_incref(j);
	if (n) {
		if (a->emitted[n->id]) /* inside a definition written out already */
			return json_string(n->fullname);
		a->emitted[n->id] = 1;
	}
	t = json_string_value(json_object_get(j, "type"));
	if (!(o = json_object()))
		return NULL;
	a->depth++;
	json_object_foreach(j, k, v) {
		json_t *nv;

		int record = t && (!strcmp(t, "record") || !strcmp(t, "error"));

		if (strcmp(k, "fields") == 0 && record && json_is_array(v)) {
			nv = json_array();
			for (size_t i = 0; nv && i < json_array_size(v); i++) {
				json_t *f = json_array_get(v, i), *nf = json_copy(f);

				json_t *ft = json_object_get(f, "type");

				if (nf && ft &&
				    json_object_set_new(nf, "type", asm_node(a, ft)) != 0) {
					json_decref(nf);
					nf = NULL;
				}
				if (json_array_append_new(nv, nf) != 0) {
					json_decref(nv);
					nv = NULL;
				}
			}
		} else if ((strcmp(k, "items") == 0 && t && !strcmp(t, "array")) ||
			   (strcmp(k, "values") == 0 && t && !strcmp(t, "map")) ||
			   (strcmp(k, "type") == 0 && !t)) {
			nv = asm_node(a, v);
		} else {
			nv = json_incref(v);
		}
		if (json_object_set_new(o, k, nv) != 0) {
			json_decref(o);
			o = NULL;
			break;
		}
	}
	a->depth--;
	return o;
}

/* Parse @texts into one set of named types with retries (see ak_schema_parse_many), then put
 * the root's JSON together; the text (malloc'd) in *@out. 0, or -1 with @err set. */
static int combine(const struct ak_schema_text *texts, size_t n, unsigned flags, char **out,
		   char **canon, struct ak_error *err)
{
	struct ak_schema *s = calloc(1, sizeof(*s));
	json_t **js = calloc(n, sizeof(*js)), *whole = NULL;
	struct ak_node **roots = calloc(n, sizeof(*roots));
	struct ak_error first;
	struct pctx c;
	size_t left = n, first_text = 0;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.err = err;
	c.flags = flags;
	c.many = 1;
	*out = *canon = NULL;
	if (!s || !js || !roots) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (!(js[i] = ak_schema_load_json(texts[i].text, texts[i].len, err))) {
			c.text = i;
			goto named;
		}
	while (left) {
		int progress = 0;

		ak_error_clear(&first);
		for (size_t i = 0; i < n; i++) {
			size_t nnodes = s->nnodes, ndefs = c.ndefs;

			if (roots[i])
				continue;
			c.text = i;
			if ((roots[i] = parse_node(&c, js[i], NULL)) != NULL) {
				left--;
				progress = 1;
				continue;
			}
			if (!c.unknown)
				goto named;
			/* a name from a text not parsed yet, perhaps: try again after the others */
			if (!first.code) {
				first = *err;
				first_text = i;
			}
			if (rollback(&c, nnodes, ndefs) != 0) {
				ak_fail(err, AK_E_NOMEM, "out of memory");
				goto done;
			}
		}
		if (!progress) {
			*err = first;
			c.text = first_text;
			goto named;
		}
	}
	if (check_defaults(&c) != 0)
		goto named;
	s->root = roots[n - 1];
	if (!(*canon = ak_schema_canonical(s, err)))
		goto done;
	{
		struct asm_ctx a = { &c, calloc(s->nnodes ? s->nnodes : 1, 1), n - 1, 0 };

		if (a.emitted)
			whole = asm_node(&a, js[n - 1]);
		free(a.emitted);
	}
	if (!whole || !(*out = ak_schema_dump_json(whole, JSON_ENCODE_ANY | JSON_COMPACT))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		goto done;
	}
	rc = 0;
	goto done;
named:
	if (texts[c.text].name)
		ak_error_prefix(err, "%s", texts[c.text].name);
done:
	json_decref(whole);
	for (size_t i = 0; js && i < n; i++)
		json_decref(js[i]);
	free(js);
	free(roots);
	pctx_release(&c);
	ak_schema_free(s);
	return rc;
}

struct ak_schema *ak_schema_parse_many(const struct ak_schema_text *texts, size_t n,
				       unsigned flags, struct ak_error *err)
{
	struct ak_schema *s = NULL;
	char *text, *canon, *canon2 = NULL;

	if (n == 0) {
		ak_fail(err, AK_E_ARG, "no schema");
		return NULL;
	}
	if (n == 1) {
		s = ak_schema_parse_ex(texts[0].text, texts[0].len, flags, err);
		if (!s && texts[0].name)
			ak_error_prefix(err, "%s", texts[0].name);
		return s;
	}
	if (combine(texts, n, flags, &text, &canon, err) != 0)
		return NULL;
	/* the schema is the one text put together: parsing it again must give the same types
	 * (it could only differ when a name's meaning moved with a namespace) */
	s = ak_schema_parse_ex(text, strlen(text), flags, err);
	if (s && (!(canon2 = ak_schema_canonical(s, err)) || strcmp(canon, canon2) != 0)) {
		if (canon2)
			ak_fail(err, AK_E_SCHEMA, "%s: its types mean something else once the "
				"schemas are put together in one (a name that another namespace "
				"also defines?)", texts[n - 1].name ? texts[n - 1].name : "schema");
		ak_schema_free(s);
		s = NULL;
	} else if (!s) {
		ak_error_prefix(err, "the schemas put together");
	}
	free(text);
	free(canon);
	free(canon2);
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
	return ak_schema_dump_json(s->json, flags);
}
