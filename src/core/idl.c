/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro IDL parser (see idl.h): recursive descent over the tokens of idl_lex.c, building the
 * model of idl_int.h. It follows the grammar of the language (Idl.g4) and the choices of the
 * Java implementation where the grammar leaves them open: which documentation comment
 * documents what (the last one right before a declaration's first token; every other one is a
 * warning), where the namespace of a name comes from (the innermost record, the `namespace`
 * declaration or @namespace of the protocol), how `T?` orders its union (null last when the
 * default is not null), the checks on names, properties and defaults.
 *
 * Every recursion is bounded: types and JSON values nest at most AK_SCHEMA_MAX_DEPTH levels,
 * imports AK_IDL_MAX_IMPORT_DEPTH files deep. Names are resolved once all files are read, so a
 * type may be used before it is defined.
 */
#include "idl.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idl_int.h"
#include "idl_lex.h"
#include "json_out.h"
#include "schema.h"
#include "text.h"

/* ---- memory ---- */

struct idl_arena {
	struct idl_arena *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536

void *idl_alloc(struct idl_ctx *c, size_t n)
{
	struct idl_arena *a = c->arena;

	n = (n + 15) & ~(size_t)15;
	if (!a || a->cap - a->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		if (!(a = malloc(sizeof(*a) + cap))) {
			ak_fail(c->err, AK_E_NOMEM, "out of memory");
			return NULL;
		}
		a->cap = cap;
		a->used = 0;
		a->next = c->arena;
		c->arena = a;
	}
	a->used += n;
	memset(a->data + a->used - n, 0, n);
	return a->data + a->used - n;
}

char *idl_strndup(struct idl_ctx *c, const char *s, size_t n)
{
	char *d = idl_alloc(c, n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static char *idl_strdup(struct idl_ctx *c, const char *s)
{
	return idl_strndup(c, s, strlen(s));
}

int idl_vec_push(struct ak_buf *v, const void *p, struct ak_error *err)
{
	return ak_buf_append(v, &p, sizeof(p), err);
}

#define VEC_LEN(v, T) ((v)->len / sizeof(T))
#define VEC_AT(v, T, i) (((T *)(v)->data)[i])

int idl_own(struct idl_ctx *c, json_t *v)
{
	if (!v)
		return ak_fail(c->err, AK_E_NOMEM, "out of memory");
	if (idl_vec_push(&c->owned, v, c->err) != AK_OK) {
		json_decref(v);
		return c->err->code;
	}
	return AK_OK;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void *idl_map_get(const struct idl_map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].key)
			return NULL;
		if (strcmp(m->slots[i].key, key) == 0)
			return m->slots[i].val;
	}
}

int idl_map_put(struct idl_map *m, const char *key, void *val, struct ak_error *err)
{
	size_t i;

	if ((m->count + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct idl_map_slot *s = calloc(cap, sizeof(*s));

		if (!s)
			return ak_fail(err, AK_E_NOMEM, "out of memory");
		for (size_t j = 0; j < m->cap; j++) {
			if (!m->slots[j].key)
				continue;
			i = hash_str(m->slots[j].key) & (cap - 1);
			while (s[i].key)
				i = (i + 1) & (cap - 1);
			s[i] = m->slots[j];
		}
		free(m->slots);
		m->slots = s;
		m->cap = cap;
	}
	for (i = hash_str(key) & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->slots[i].key, key) == 0) {
			m->slots[i].val = val;
			return AK_OK;
		}
	}
	m->slots[i].key = key;
	m->slots[i].val = val;
	m->count++;
	return AK_OK;
}

static void map_release(struct idl_map *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

int idl_msgs_put(struct idl_msgs *m, struct idl_message *msg, struct ak_error *err)
{
	uintptr_t pos = (uintptr_t)idl_map_get(&m->index, msg->name);

	if (pos) {
		VEC_AT(&m->list, struct idl_message *, pos - 1) = msg;
		return AK_OK;
	}
	if (idl_vec_push(&m->list, msg, err) != AK_OK)
		return err->code;
	return idl_map_put(&m->index, msg->name,
			   (void *)(uintptr_t)VEC_LEN(&m->list, struct idl_message *), err);
}

void idl_msgs_release(struct idl_msgs *m)
{
	ak_buf_release(&m->list);
	map_release(&m->index);
}

/* ---- errors and warnings ---- */

static int vfail(struct idl_ctx *c, const struct idl_loc *at, const char *fmt, va_list ap)
{
	char msg[AK_ERROR_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (at && at->line)
		ak_fail(c->err, AK_E_SCHEMA, "%s:%lu:%lu: %s", at->file, at->line, at->column, msg);
	else if (at && at->file)
		ak_fail(c->err, AK_E_SCHEMA, "%s: %s", at->file, msg);
	else
		ak_fail(c->err, AK_E_SCHEMA, "%s", msg);
	return AK_E_SCHEMA;
}

int idl_fail(struct idl_ctx *c, const struct idl_loc *at, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(c, at, fmt, ap);
	va_end(ap);
	return rc;
}

static int warn(struct idl_ctx *c, const char *file, unsigned long line, unsigned long col,
		const char *msg)
{
	struct ak_idl_warning w = { file, line, col, msg };

	if (c->nwarnings++ >= AK_IDL_MAX_WARNINGS)
		return AK_OK;
	return ak_buf_append(&c->warnings, &w, sizeof(w), c->err);
}

/* ---- names ---- */

static int valid_name_n(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k;
	uint32_t cp;

	if (!n || !(k = idl_utf8_decode(u, n, &cp)) || !idl_is_id_start(cp))
		return 0;
	for (size_t i = k; i < n; i += k)
		if (!(k = idl_utf8_decode(u + i, n - i, &cp)) || !idl_is_id_continue(cp))
			return 0;
	return 1;
}

int idl_valid_name(const char *s)
{
	return valid_name_n(s, strlen(s));
}

int idl_valid_namespace(const char *s)
{
	for (const char *p = s;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (!valid_name_n(p, n))
			return 0;
		if (!dot)
			return 1;
		p = dot + 1;
	}
}

/* Names a named type may not have (the Java implementation's list, its "localtimestamp_ms"
 * spelling included). */
static int reserved_type_name(const char *s)
{
	static const char *const bad[] = { "boolean", "int", "long", "float", "double", "bytes",
					   "string", "null", "date", "time_ms", "timestamp_ms",
					   "localtimestamp_ms", "uuid" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(s, bad[i]) == 0)
			return 1;
	return 0;
}

static int props_equal(const json_t *a, const json_t *b)
{
	size_t na = a ? json_object_size(a) : 0, nb = b ? json_object_size(b) : 0;

	return na == nb && (na == 0 || json_equal((json_t *)a, (json_t *)b));
}

/* The name a type goes by in a union or a comparison: the full name of a named type (or of
 * the one a reference names), else NULL. */
static const char *named_name(const struct idl_type *t)
{
	if (t->kind == IK_REF)
		return t->target ? t->target->nm->full : t->ref;
	if (t->kind == IK_RECORD || t->kind == IK_ENUM || t->kind == IK_FIXED)
		return t->nm->full;
	return NULL;
}

/* Are @a and @b the same type, named types inside compared by name? */
static int same_shallow(const struct idl_type *a, const struct idl_type *b, unsigned depth)
{
	const char *na = named_name(a), *nb = named_name(b);

	if (na || nb)
		return na && nb && strcmp(na, nb) == 0;
	if (a->kind != b->kind || !props_equal(a->props, b->props) || depth > AK_SCHEMA_MAX_DEPTH)
		return 0;
	if (a->kind == IK_ARRAY || a->kind == IK_MAP)
		return same_shallow(a->items, b->items, depth + 1);
	if (a->kind == IK_UNION) {
		if (a->nbranches != b->nbranches)
			return 0;
		for (size_t i = 0; i < a->nbranches; i++)
			if (!same_shallow(a->branches[i], b->branches[i], depth + 1))
				return 0;
	}
	return 1;
}

static int same_definition(const struct idl_type *a, const struct idl_type *b)
{
	if (a->kind != b->kind || strcmp(a->nm->full, b->nm->full) != 0 ||
	    !props_equal(a->props, b->props))
		return 0;
	switch (a->kind) {
	case IK_RECORD:
		if (a->nm->is_error != b->nm->is_error || a->nm->nfields != b->nm->nfields)
			return 0;
		for (size_t i = 0; i < a->nm->nfields; i++) {
			const struct idl_field *x = &a->nm->fields[i], *y = &b->nm->fields[i];

			if (strcmp(x->name, y->name) != 0 || x->order != y->order ||
			    !same_shallow(x->type, y->type, 0) ||
			    !props_equal(x->props, y->props) || !x->def != !y->def ||
			    (x->def && !json_equal(x->def, y->def)))
				return 0;
		}
		return 1;
	case IK_ENUM:
		if (a->nm->nsymbols != b->nm->nsymbols)
			return 0;
		for (size_t i = 0; i < a->nm->nsymbols; i++)
			if (strcmp(a->nm->symbols[i], b->nm->symbols[i]) != 0)
				return 0;
		return 1;
	default:
		return a->nm->size == b->nm->size;
	}
}

int idl_register(struct idl_ctx *c, struct idl_type *t)
{
	struct idl_type *old = idl_map_get(&c->names, t->nm->full);

	if (old) {
		/* Java keeps the first of two equal definitions, and refuses different ones */
		if (!same_definition(old, t)) {
			const char *name = t->nm->full;

			if (old->loc.line)
				return idl_fail(c, &t->loc, "type '%s' is already defined at "
						"%s:%lu:%lu", name, old->loc.file, old->loc.line,
						old->loc.column);
			return idl_fail(c, &t->loc, "type '%s' is already defined in %s", name,
					old->loc.file);
		}
		t->nm->index = old->nm->index;
		return AK_OK;
	}
	t->nm->index = VEC_LEN(&c->types, struct idl_type *);
	if (idl_vec_push(&c->types, t, c->err) != AK_OK)
		return c->err->code;
	return idl_map_put(&c->names, t->nm->full, t, c->err);
}

struct idl_type *idl_shared(struct idl_ctx *c, enum idl_kind kind)
{
	struct idl_type *t = c->shared[kind];

	if (!t && (t = idl_alloc(c, sizeof(*t)))) {
		t->kind = kind;
		t->shared = 1;
		c->shared[kind] = t;
	}
	return t;
}

/* ---- documentation comments ---- */

/* Java's \h: a horizontal blank. Its length in bytes at @s, or 0. */
static size_t hblank(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	if (n && (s[0] == ' ' || s[0] == '\t'))
		return 1;
	if (!n || s[0] < 0x80 || !(k = idl_utf8_decode(s, n, &cp)))
		return 0;
	if (cp == 0xa0 || cp == 0x1680 || cp == 0x180e || (cp >= 0x2000 && cp <= 0x200a) ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000)
		return k;
	return 0;
}

/* A line terminator (what Java's '.' does not match): its length, or 0. With @vf, also
 * vertical tab and form feed (Java's \R matches those too). */
static size_t line_break(const unsigned char *s, size_t n, int vf)
{
	uint32_t cp;
	size_t k;

	if (!n)
		return 0;
	if (s[0] == '\r')
		return n > 1 && s[1] == '\n' ? 2 : 1;
	if (s[0] == '\n' || (vf && (s[0] == '\v' || s[0] == '\f')))
		return 1;
	if (s[0] >= 0x80 && (k = idl_utf8_decode(s, n, &cp)) &&
	    (cp == 0x85 || cp == 0x2028 || cp == 0x2029))
		return k;
	return 0;
}

/* Skip horizontal blanks from @i. */
static size_t skip_h(const unsigned char *s, size_t n, size_t i)
{
	size_t k;

	while (i < n && (k = hblank(s + i, n - i)))
		i += k;
	return i;
}

/* The end of the line that starts at @i (before its terminator). */
static size_t line_end(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && !line_break(s + i, n - i, 0))
		i++;
	return i;
}

int ak_idl_strip_doc(const char *text, size_t n, struct ak_buf *out, struct ak_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t stars = 0, i, e, k, nlines = 0, ind = 0, l1 = 0;

	/* stars: every line (after its blanks, except the first) starts with "**", or "*" */
	for (size_t want = 2; want >= 1 && !stars; want--) {
		int ok = n >= want && memcmp(s, "**", want) == 0;

		for (i = line_end(s, n, 0); ok && i < n;) {
			i += line_break(s + i, n - i, 0);
			k = skip_h(s, n, i);
			ok = n - k >= want && memcmp(s + k, "**", want) == 0;
			i = line_end(s, n, k);
		}
		if (ok)
			stars = want;
	}
	if (stars) {
		i = stars;
		if (i < n)
			i += hblank(s + i, n - i) ? hblank(s + i, n - i) : 0;
		while (i < n) {
			size_t b = line_break(s + i, n - i, 1);

			if (!b) {
				if (ak_buf_append(out, s + i, 1, err) != AK_OK)
					return err->code;
				i++;
				continue;
			}
			if (ak_buf_append(out, s + i, b, err) != AK_OK)
				return err->code;
			i += b;
			k = skip_h(s, n, i);
			if (n - k >= stars && memcmp(s + k, "**", stars) == 0) {
				i = k + stars;
				i += hblank(s + i, n - i);
			}
		}
		return AK_OK;
	}
	/* else the indentation of the second line, as far as every later line shares it */
	for (i = line_end(s, n, 0); i < n; i = line_end(s, n, i)) {
		i += line_break(s + i, n - i, 0);
		if (++nlines == 1) {
			l1 = i;
			ind = skip_h(s, n, i) - i;
		} else {
			for (k = 0; k < ind && i + k < n && s[i + k] == s[l1 + k]; k++)
				;
			ind = k;
		}
	}
	/* a cut inside a multi-byte blank falls back to the last whole one */
	for (k = 0, e = 0; k < ind;) {
		size_t h = hblank(s + l1 + k, ind - k);

		if (!h)
			break;
		k += h;
		e = k;
	}
	ind = e;
	for (i = 0; i < n;) {
		size_t b = line_break(s + i, n - i, 1);

		if (!b) {
			if (ak_buf_append(out, s + i, 1, err) != AK_OK)
				return err->code;
			i++;
			continue;
		}
		if (ak_buf_append(out, s + i, b, err) != AK_OK)
			return err->code;
		i += b;
		if (ind && n - i >= ind && memcmp(s + i, s + l1, ind) == 0)
			i += ind;
	}
	return AK_OK;
}

/* ---- the parser of one file ---- */

#define LOOKAHEAD 5

struct idl_parser {
	struct idl_ctx *c;
	const char *file;     /* name for messages */
	const char *path;     /* name for the loader: NULL for a main file without one */
	struct idl_lexer lx;
	struct idl_token la[LOOKAHEAD];
	unsigned nla;
	int rc;               /* first error (sticky), AK_OK until then */
	size_t docs_done;     /* documentation comments dealt with */
	struct ak_buf ns;     /* const char *[], the namespace stack ("" for none) */
	unsigned depth;       /* nesting of types and JSON values */
	int protocol;         /* the file is a protocol */
	const char *proto_name, *proto_space, *proto_doc;
	json_t *proto_props;
	struct idl_msgs msgs;
	struct idl_type *main;
};

/* Annotations (@name(value)...) in the order written; a name given twice keeps its first
 * place and its last value. */
struct props {
	json_t *obj;
	struct ak_buf locs; /* struct prop_loc[] */
};

struct prop_loc {
	const char *key;
	struct idl_loc loc;
};

static struct idl_loc tok_loc(const struct idl_parser *p, const struct idl_token *t)
{
	struct idl_loc l = { p->file, t->line, t->column };

	return l;
}

static int pfail(struct idl_parser *p, const struct idl_token *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int pfail(struct idl_parser *p, const struct idl_token *t, const char *fmt, ...)
{
	struct idl_loc l = tok_loc(p, t);
	va_list ap;

	if (p->rc)
		return p->rc;
	va_start(ap, fmt);
	p->rc = vfail(p->c, &l, fmt, ap);
	va_end(ap);
	return p->rc;
}

/* Record the error in c->err (from a helper that reported it) as the parser's. */
static int pfailed(struct idl_parser *p)
{
	if (!p->rc)
		p->rc = p->c->err->code ? p->c->err->code : AK_E_SCHEMA;
	return p->rc;
}

static const struct idl_token *peek(struct idl_parser *p, unsigned k)
{
	while (p->nla <= k) {
		struct idl_token *t = &p->la[p->nla];

		if (!p->rc && idl_lex_next(&p->lx, t, p->c->err) != AK_OK) {
			struct idl_loc l = { p->file, p->c->err->line, p->c->err->column };
			char msg[AK_ERROR_MSG_MAX];

			if (p->c->err->code == AK_E_NOMEM) {
				p->rc = AK_E_NOMEM;
			} else {
				snprintf(msg, sizeof(msg), "%s", p->c->err->msg);
				p->rc = idl_fail(p->c, &l, "%s", msg);
			}
			p->c->err->line = p->c->err->column = 0;
		}
		if (p->rc) {
			/* after an error every token is the end, so the parse winds down */
			memset(t, 0, sizeof(*t));
			t->type = IDL_T_EOF;
			t->line = p->lx.line;
			t->column = p->lx.column;
		}
		p->nla++;
	}
	return &p->la[k];
}

static void consume(struct idl_parser *p, struct idl_token *out)
{
	peek(p, 0);
	if (out)
		*out = p->la[0];
	memmove(p->la, p->la + 1, (p->nla - 1) * sizeof(p->la[0]));
	p->nla--;
}

static int is_ident(enum idl_tok t)
{
	return t == IDL_T_IDENT || (t >= IDL_T_FIRST_KEYWORD && t <= IDL_T_LAST_KEYWORD);
}

/* "expected X, found 'y'" at @t. */
static int unexpected(struct idl_parser *p, const struct idl_token *t, const char *what)
{
	if (t->type == IDL_T_EOF)
		return pfail(p, t, "expected %s, found the end of the input", what);
	if (t->len > 40)
		return pfail(p, t, "expected %s, found '%.40s...'", what, p->lx.text + t->start);
	return pfail(p, t, "expected %s, found '%.*s'", what, (int)t->len, p->lx.text + t->start);
}

static int expect(struct idl_parser *p, enum idl_tok type, struct idl_token *out)
{
	const struct idl_token *t = peek(p, 0);

	if (t->type != type)
		return unexpected(p, t, idl_tok_name(type));
	consume(p, out);
	return AK_OK;
}

/* An identifier (keywords are identifiers too), without its backticks. */
static int identifier(struct idl_parser *p, const char **out, struct idl_token *tok)
{
	const struct idl_token *t = peek(p, 0);
	const char *s = p->lx.text + t->start;
	char *d;
	size_t n = 0;

	if (!is_ident(t->type))
		return unexpected(p, t, "an identifier");
	if (!(d = idl_alloc(p->c, t->len + 1)))
		return pfailed(p);
	for (size_t i = 0; i < t->len; i++)
		if (s[i] != '`')
			d[n++] = s[i];
	d[n] = '\0';
	*out = d;
	consume(p, tok);
	return AK_OK;
}

static int deeper(struct idl_parser *p, const struct idl_token *t)
{
	if (++p->depth > AK_SCHEMA_MAX_DEPTH)
		return pfail(p, t, "nested more than %d levels deep", AK_SCHEMA_MAX_DEPTH);
	return AK_OK;
}

/* The documentation comment of the declaration that starts with @start: the last comment
 * right before it. Every other comment since the last declaration is a warning. */
static const char *take_doc(struct idl_parser *p, const struct idl_token *start)
{
	size_t end = start->docs_before, chosen = start->docs_run ? end - 1 : (size_t)-1;
	size_t warn_end = start->docs_run ? end - 1 : end;
	const struct idl_doc *d;
	struct ak_buf b = AK_BUF_INIT;
	const char *text = NULL;

	for (size_t n = p->docs_done; n < warn_end; n++) {
		if ((d = idl_lexer_doc(&p->lx, n)) &&
		    warn(p->c, p->file, d->line, d->column,
			 "out-of-place documentation comment ignored; did you mean a plain "
			 "comment (/* ... */)?") != AK_OK) {
			pfailed(p);
			return NULL;
		}
	}
	if (end > p->docs_done)
		p->docs_done = end;
	if (chosen != (size_t)-1 && (d = idl_lexer_doc(&p->lx, chosen))) {
		const char *s = p->lx.text + d->start + 3;
		size_t n = d->len - 5;

		/* String.trim(): every character up to U+0020 at both ends */
		while (n && (unsigned char)*s <= ' ') {
			s++;
			n--;
		}
		while (n && (unsigned char)s[n - 1] <= ' ')
			n--;
		if (ak_idl_strip_doc(s, n, &b, p->c->err) != AK_OK ||
		    !(text = idl_strndup(p->c, (const char *)b.data ? (const char *)b.data : "",
					 b.len)))
			pfailed(p);
		ak_buf_release(&b);
	}
	/* keep the comments right before @start: another declaration may start there too */
	idl_lexer_drop_docs(&p->lx, end - start->docs_run < p->docs_done ? end - start->docs_run
									 : p->docs_done);
	return text;
}

static const char *cur_ns(const struct idl_parser *p)
{
	size_t n = VEC_LEN(&p->ns, const char *);
	const char *s = n ? VEC_AT(&p->ns, const char *, n - 1) : NULL;

	return s && *s ? s : NULL;
}

static int push_ns(struct idl_parser *p, const char *ns)
{
	if (idl_vec_push(&p->ns, ns ? ns : "", p->c->err) != AK_OK)
		return pfailed(p);
	return AK_OK;
}

static void pop_ns(struct idl_parser *p)
{
	if (p->ns.len)
		p->ns.len -= sizeof(const char *);
}

/* ---- literals ---- */

static void put_utf8(char *d, size_t *n, uint32_t cp)
{
	*n += ak_utf8_put((unsigned char *)d + *n, cp);
}

static unsigned hexval(char c)
{
	return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

/* The value of string token @t (Java's escapes), as a NUL-terminated arena string of *@len
 * bytes (it may hold U+0000). */
static int string_value(struct idl_parser *p, const struct idl_token *t, const char **out,
			size_t *len)
{
	const char *s = p->lx.text + t->start + 1;
	size_t n = t->len - 2, o = 0;
	char *d = idl_alloc(p->c, n + 1); /* escapes never make it longer */

	if (!d)
		return pfailed(p);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;

		if (s[i] != '\\') {
			if (!(k = idl_utf8_decode((const unsigned char *)s + i, n - i, &cp)))
				return pfail(p, t, "invalid UTF-8 in a string");
			memcpy(d + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		switch (s[i + 1]) {
		case 'n': d[o++] = '\n'; i += 2; continue;
		case 'r': d[o++] = '\r'; i += 2; continue;
		case 'b': d[o++] = '\b'; i += 2; continue;
		case 'f': d[o++] = '\f'; i += 2; continue;
		case 't': d[o++] = '\t'; i += 2; continue;
		case 'u':
			cp = hexval(s[i + 2]) << 12 | hexval(s[i + 3]) << 8 |
			     hexval(s[i + 4]) << 4 | hexval(s[i + 5]);
			i += 6;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 5 < n && s[i] == '\\' &&
			    s[i + 1] == 'u') {
				uint32_t lo = hexval(s[i + 2]) << 12 | hexval(s[i + 3]) << 8 |
					      hexval(s[i + 4]) << 4 | hexval(s[i + 5]);

				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					i += 6;
				}
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				return pfail(p, t, "a lone surrogate (\\u%04X) in a string",
					     (unsigned)cp);
			put_utf8(d, &o, cp);
			continue;
		default:
			break;
		}
		if (s[i + 1] >= '0' && s[i + 1] <= '7') {
			unsigned v = 0, max = s[i + 1] <= '3' ? 3 : 2;

			for (k = 0; k < max && i + 1 + k < n && s[i + 1 + k] >= '0' &&
				    s[i + 1 + k] <= '7'; k++)
				v = v * 8 + (unsigned)(s[i + 1 + k] - '0');
			put_utf8(d, &o, v);
			i += 1 + k;
			continue;
		}
		d[o++] = s[i + 1]; /* \\ \' \" */
		i += 2;
	}
	d[o] = '\0';
	*out = d;
	*len = o;
	return AK_OK;
}

/* An integer token as Java's Long.decode() reads it (an 'L' suffix allowed): AK_OK, or
 * AK_E_LIMIT when it does not fit in 64 bits. */
static int int_value(const char *s, size_t n, int64_t *out, int *suffix)
{
	int neg = 0;
	unsigned base = 10;
	uint64_t v = 0, lim;

	*suffix = n && (s[n - 1] == 'l' || s[n - 1] == 'L');
	n -= (size_t)*suffix;
	if (n && *s == '-') {
		neg = 1;
		s++;
		n--;
	}
	if (n > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	} else if (n > 1 && s[0] == '0') {
		base = 8;
		s++;
		n--;
	}
	lim = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = hexval(s[i]);

		if (v > (lim - d) / base)
			return AK_E_LIMIT;
		v = v * base + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return AK_OK;
}

/* An int for a fixed size or a decimal's precision and scale (Java's Integer.decode()). */
static int int32_token(struct idl_parser *p, const struct idl_token *t, const char *what,
		       int64_t *out)
{
	int suffix;

	if (t->type != IDL_T_INT)
		return unexpected(p, t, what);
	if (int_value(p->lx.text + t->start, t->len, out, &suffix) != AK_OK || suffix ||
	    *out < INT32_MIN || *out > INT32_MAX)
		return pfail(p, t, "%s '%.*s' is not a 32-bit integer", what, (int)t->len,
			     p->lx.text + t->start);
	return AK_OK;
}

static json_t *number_json(struct idl_parser *p, const struct idl_token *t)
{
	const char *s = p->lx.text + t->start;
	size_t n = t->len;
	char buf[512];
	double d;

	if (t->type == IDL_T_INT) {
		int64_t v;
		int suffix;

		if (int_value(s, n, &v, &suffix) != AK_OK) {
			pfail(p, t, "integer '%.*s' does not fit in 64 bits", (int)n, s);
			return NULL;
		}
		return json_integer(v);
	}
	/* Double.parseDouble(): the type suffix does not change the value */
	if (n && strchr("fFdD", s[n - 1]) && !(n >= 3 && memcmp(s + n - 3, "NaN", 3) == 0))
		n--;
	if (n >= sizeof(buf)) {
		pfail(p, t, "number too long");
		return NULL;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strstr(buf, "NaN"))
		return json_string("NaN");
	if (strstr(buf, "Infinity"))
		return json_string(buf[0] == '-' ? "-Infinity" : "Infinity");
	errno = 0;
	d = strtod(buf, NULL);
	/* like Java, a number too large for a double is infinite, not an error; Jackson then
	 * writes it as a string */
	if (isinf(d))
		return json_string(d < 0 ? "-Infinity" : "Infinity");
	return json_real(d);
}

/* A JSON value (for a default or an annotation) into *@out; the value is owned by the parse
 * (nothing to free). */
static int json_value(struct idl_parser *p, json_t **out)
{
	const struct idl_token *t = peek(p, 0);
	struct idl_token tok;
	json_t *v = NULL;
	const char *s;
	size_t len;
	int rc, container = 0;

	if ((rc = deeper(p, t)) != AK_OK)
		return rc;
	switch (t->type) {
	case IDL_T_LBRACE:
	case IDL_T_LBRACKET: {
		int obj = t->type == IDL_T_LBRACE;
		enum idl_tok close = obj ? IDL_T_RBRACE : IDL_T_RBRACKET;

		consume(p, &tok);
		container = 1;
		v = obj ? json_object() : json_array();
		if (idl_own(p->c, v) != AK_OK)
			return pfailed(p);
		if (peek(p, 0)->type == close) {
			consume(p, NULL);
			break;
		}
		for (;;) {
			json_t *item;
			const char *key = NULL;

			if (obj) {
				t = peek(p, 0);
				if (t->type != IDL_T_STRING)
					return unexpected(p, t, "a string (an object key)");
				tok = *t;
				if ((rc = string_value(p, &tok, &key, &len)) != AK_OK)
					return rc;
				consume(p, NULL);
				if (strlen(key) != len)
					return pfail(p, &tok, "U+0000 in an object key is not "
						     "supported");
				if ((rc = expect(p, IDL_T_COLON, NULL)) != AK_OK)
					return rc;
			}
			if ((rc = json_value(p, &item)) != AK_OK)
				return rc;
			if ((obj ? json_object_set(v, key, item) : json_array_append(v, item)) != 0)
				return pfail(p, peek(p, 0), "out of memory");
			t = peek(p, 0);
			if (t->type == close) {
				consume(p, NULL);
				break;
			}
			if (t->type != IDL_T_COMMA)
				return unexpected(p, t, obj ? "',' or '}'" : "',' or ']'");
			consume(p, NULL);
		}
		break;
	}
	case IDL_T_STRING:
		tok = *t;
		if ((rc = string_value(p, &tok, &s, &len)) != AK_OK)
			return rc;
		consume(p, NULL);
		v = json_stringn(s, len);
		break;
	case IDL_T_INT:
	case IDL_T_FLOAT:
		consume(p, &tok);
		if (!(v = number_json(p, &tok)))
			return p->rc ? p->rc : pfail(p, &tok, "out of memory");
		break;
	case IDL_T_TRUE:
		consume(p, NULL);
		v = json_true();
		break;
	case IDL_T_FALSE:
		consume(p, NULL);
		v = json_false();
		break;
	case IDL_T_NULL:
		consume(p, NULL);
		v = json_null();
		break;
	default:
		return unexpected(p, t, "a JSON value");
	}
	if (!container && idl_own(p->c, v) != AK_OK)
		return pfailed(p);
	p->depth--;
	*out = v;
	return AK_OK;
}

/* ---- annotations ---- */

static const char *const schema_reserved[] = { "doc", "fields", "items", "name", "namespace",
					       "size", "symbols", "values", "type", "aliases",
					       NULL };
static const char *const enum_reserved[] = { "doc", "fields", "items", "name", "namespace",
					     "size", "symbols", "values", "type", "aliases",
					     "default", NULL };
static const char *const field_reserved[] = { "default", "doc", "name", "order", "type",
					      "aliases", NULL };
static const char *const message_reserved[] = { "doc", "response", "request", "errors",
						"one-way", NULL };
static const char *const protocol_reserved[] = { "namespace", "protocol", "doc", "messages",
						 "types", "errors", NULL };

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int parse_props(struct idl_parser *p, struct props *pr)
{
	while (peek(p, 0)->type == IDL_T_AT) {
		struct idl_token at;
		struct prop_loc pl;
		const char *name;
		json_t *v;
		int rc;

		consume(p, &at);
		if ((rc = identifier(p, &name, NULL)) != AK_OK ||
		    (rc = expect(p, IDL_T_LPAREN, NULL)) != AK_OK ||
		    (rc = json_value(p, &v)) != AK_OK ||
		    (rc = expect(p, IDL_T_RPAREN, NULL)) != AK_OK)
			return rc;
		if (!pr->obj) {
			pr->obj = json_object();
			if (idl_own(p->c, pr->obj) != AK_OK)
				return pfailed(p);
		}
		pl.key = name;
		pl.loc = tok_loc(p, &at);
		if (json_object_set(pr->obj, name, v) != 0 ||
		    ak_buf_append(&pr->locs, &pl, sizeof(pl), p->c->err) != AK_OK)
			return pfail(p, &at, "out of memory");
	}
	return AK_OK;
}

static void props_release(struct props *pr)
{
	ak_buf_release(&pr->locs);
}

/* Where annotation @key was written (its last time). */
static struct idl_loc props_loc(const struct props *pr, const char *key)
{
	size_t n = VEC_LEN(&pr->locs, struct prop_loc);

	for (size_t i = n; i-- > 0;)
		if (strcmp(((struct prop_loc *)pr->locs.data)[i].key, key) == 0)
			return ((struct prop_loc *)pr->locs.data)[i].loc;
	return ((struct prop_loc *)pr->locs.data)[0].loc;
}

static int props_empty(const struct props *pr)
{
	return !pr->obj || json_object_size(pr->obj) == 0;
}

/* Take annotation @key out of @pr: its value (kept alive by the parse), or NULL. */
static json_t *props_take(struct props *pr, const char *key, struct idl_loc *loc)
{
	json_t *v = pr->obj ? json_object_get(pr->obj, key) : NULL;

	if (v) {
		*loc = props_loc(pr, key);
		json_object_del(pr->obj, key);
	}
	return v;
}

/* Refuse annotations named in @reserved. */
static int check_reserved(struct idl_parser *p, const struct props *pr,
			  const char *const *reserved)
{
	const char *key;
	json_t *v;

	if (!pr->obj)
		return AK_OK;
	json_object_foreach(pr->obj, key, v) {
		if (in_list(reserved, key)) {
			struct idl_loc l = props_loc(pr, key);

			if (!p->rc)
				p->rc = idl_fail(p->c, &l, "'%s' is a reserved property here", key);
			return p->rc;
		}
	}
	return AK_OK;
}

/* Add the annotations of @pr to type @t (Java's copyProperties). */
static int type_add_props(struct idl_parser *p, struct idl_type *t, const struct props *pr)
{
	const char *key;
	json_t *v;

	if (props_empty(pr))
		return AK_OK;
	if (check_reserved(p, pr, t->kind == IK_ENUM ? enum_reserved : schema_reserved) != AK_OK)
		return p->rc;
	if (t->kind == IK_UNION)
		return AK_OK; /* Java keeps them on the union, where nothing writes them */
	if (!t->props) {
		t->props = json_object();
		if (idl_own(p->c, t->props) != AK_OK)
			return pfailed(p);
	}
	json_object_foreach(pr->obj, key, v) {
		json_t *old = json_object_get(t->props, key);

		if (old && !json_equal(old, v)) {
			struct idl_loc l = props_loc(pr, key);

			if (!p->rc)
				p->rc = idl_fail(p->c, &l, "property '%s' already has another "
						 "value", key);
			return p->rc;
		}
		if (!old && json_object_set(t->props, key, v) != 0)
			return pfail(p, peek(p, 0), "out of memory");
	}
	return AK_OK;
}

/* @aliases: an array of strings, into *@out. */
static int take_aliases(struct idl_parser *p, struct props *pr, const char ***out, size_t *n)
{
	struct idl_loc l;
	json_t *v = props_take(pr, "aliases", &l), *a;
	size_t i;

	if (!v)
		return AK_OK;
	if (!json_is_array(v))
		goto bad;
	if (!(*out = idl_alloc(p->c, (json_array_size(v) + 1) * sizeof(char *))))
		return pfailed(p);
	json_array_foreach(v, i, a) {
		if (!json_is_string(a))
			goto bad;
		if (!((*out)[i] = idl_strdup(p->c, json_string_value(a))))
			return pfailed(p);
	}
	*n = json_array_size(v);
	return AK_OK;
bad:
	if (!p->rc)
		p->rc = idl_fail(p->c, &l, "@aliases(...) must hold an array of strings");
	return p->rc;
}

/* ---- types ---- */

static struct idl_type *new_type(struct idl_parser *p, enum idl_kind kind,
				 const struct idl_token *t)
{
	struct idl_type *ty = idl_alloc(p->c, sizeof(*ty));

	if (!ty) {
		pfailed(p);
		return NULL;
	}
	ty->kind = kind;
	ty->loc = tok_loc(p, t);
	if ((kind == IK_RECORD || kind == IK_ENUM || kind == IK_FIXED) &&
	    !(ty->nm = idl_alloc(p->c, sizeof(*ty->nm)))) {
		pfailed(p);
		return NULL;
	}
	if ((kind == IK_UNION && idl_vec_push(&p->c->unions, ty, p->c->err) != AK_OK) ||
	    (kind == IK_REF && idl_vec_push(&p->c->refs, ty, p->c->err) != AK_OK)) {
		pfailed(p);
		return NULL;
	}
	return ty;
}

/* A primitive with a logical type: {"type": base, "logicalType": name}, shared like the
 * primitives (slot @slot of the five after them). */
static struct idl_type *logical(struct idl_parser *p, enum idl_kind base, const char *name,
				int slot)
{
	struct idl_type **t = &p->c->shared[IK_STRING + 1 + slot];

	if (*t)
		return *t;
	if (!(*t = idl_alloc(p->c, sizeof(**t)))) {
		pfailed(p);
		return NULL;
	}
	(*t)->kind = base;
	(*t)->shared = 1;
	(*t)->props = json_pack("{ss}", "logicalType", name);
	if (idl_own(p->c, (*t)->props) != AK_OK) {
		(*t)->props = NULL;
		*t = NULL;
		pfailed(p);
	}
	return *t;
}

static struct idl_type *prim(struct idl_parser *p, enum idl_kind kind)
{
	struct idl_type *t = idl_shared(p->c, kind);

	if (!t)
		pfailed(p);
	return t;
}

/* A node of its own for the shared node *@t, so it can take annotations. */
static int unshare(struct idl_parser *p, struct idl_type **t, const struct idl_token *at)
{
	struct idl_type *u;

	if (!(*t)->shared)
		return AK_OK;
	if (!(u = idl_alloc(p->c, sizeof(*u))))
		return pfailed(p);
	*u = **t;
	u->shared = 0;
	u->loc = tok_loc(p, at);
	if (u->props && idl_own(p->c, u->props = json_copy(u->props)) != AK_OK)
		return pfailed(p);
	*t = u;
	return AK_OK;
}

/* "ns.name" unless @id has a dot already. */
static const char *full_name(struct idl_parser *p, const char *ns, const char *id)
{
	size_t a, b;
	char *s;

	if (strchr(id, '.') || !ns)
		return id;
	a = strlen(ns);
	b = strlen(id);
	if (!(s = idl_alloc(p->c, a + b + 2))) {
		pfailed(p);
		return NULL;
	}
	memcpy(s, ns, a);
	s[a] = '.';
	memcpy(s + a + 1, id, b + 1);
	return s;
}

static int union_add(struct idl_parser *p, struct idl_type *u, struct idl_type **branches,
		     size_t n)
{
	if (!(u->branches = idl_alloc(p->c, n * sizeof(*branches))))
		return pfailed(p);
	memcpy(u->branches, branches, n * sizeof(*branches));
	u->nbranches = n;
	return AK_OK;
}

static int parse_type(struct idl_parser *p, int full, struct idl_type **out);

/* array<T> or map<T> */
static int container_type(struct idl_parser *p, enum idl_kind kind, struct idl_type **out)
{
	struct idl_token t;
	int rc;

	consume(p, &t);
	consume(p, NULL);
	if (!(*out = new_type(p, kind, &t)))
		return p->rc;
	if ((rc = parse_type(p, 1, &(*out)->items)) != AK_OK)
		return rc;
	return expect(p, IDL_T_GT, NULL);
}

static int union_type(struct idl_parser *p, struct idl_type **out)
{
	struct ak_buf b = AK_BUF_INIT, locs = AK_BUF_INIT;
	struct idl_token t;
	int rc;

	consume(p, &t);
	consume(p, NULL);
	if (!(*out = new_type(p, IK_UNION, &t)))
		return p->rc;
	for (;;) {
		struct idl_type *br;
		const struct idl_token *n;
		struct idl_loc at = tok_loc(p, peek(p, 0));

		if ((rc = parse_type(p, 1, &br)) != AK_OK)
			goto out;
		if (idl_vec_push(&b, br, p->c->err) != AK_OK ||
		    ak_buf_append(&locs, &at, sizeof(at), p->c->err) != AK_OK) {
			rc = pfailed(p);
			goto out;
		}
		n = peek(p, 0);
		if (n->type == IDL_T_RBRACE) {
			consume(p, NULL);
			break;
		}
		if (n->type != IDL_T_COMMA) {
			rc = unexpected(p, n, "',' or '}'");
			goto out;
		}
		consume(p, NULL);
	}
	if ((rc = union_add(p, *out, (struct idl_type **)b.data, VEC_LEN(&b, struct idl_type *))) ==
	    AK_OK) {
		if (!((*out)->blocs = idl_alloc(p->c, locs.len)))
			rc = pfailed(p);
		else
			memcpy((*out)->blocs, locs.data, locs.len);
	}
out:
	ak_buf_release(&b);
	ak_buf_release(&locs);
	return rc;
}

static int decimal_type(struct idl_parser *p, struct idl_type **out)
{
	struct idl_token t, pt, st;
	int64_t prec, scale = 0;
	int rc;

	consume(p, &t);
	consume(p, NULL);
	pt = *peek(p, 0);
	if ((rc = int32_token(p, &pt, "the precision", &prec)) != AK_OK)
		return rc;
	consume(p, NULL);
	if (peek(p, 0)->type == IDL_T_COMMA) {
		consume(p, NULL);
		st = *peek(p, 0);
		if ((rc = int32_token(p, &st, "the scale", &scale)) != AK_OK)
			return rc;
		consume(p, NULL);
		if (scale < 0)
			return pfail(p, &st, "invalid decimal scale %lld (must not be negative)",
				     (long long)scale);
		if (scale > prec)
			return pfail(p, &st, "invalid decimal scale %lld (greater than the "
				     "precision %lld)", (long long)scale, (long long)prec);
	}
	if (prec <= 0)
		return pfail(p, &pt, "invalid decimal precision %lld (must be positive)",
			     (long long)prec);
	if ((rc = expect(p, IDL_T_RPAREN, NULL)) != AK_OK)
		return rc;
	if (!(*out = new_type(p, IK_BYTES, &t)))
		return p->rc;
	(*out)->props = json_pack("{sssIsI}", "logicalType", "decimal", "precision",
				  (json_int_t)prec, "scale", (json_int_t)scale);
	if (idl_own(p->c, (*out)->props) != AK_OK)
		return pfailed(p);
	return AK_OK;
}

/*
 * A type: with @full, annotations first (the grammar's fullType), else not (a message's
 * result). array<T>, map<T>, union {T, ...}, a primitive or logical type, or a name; the last
 * two may end in '?' (a union with null).
 */
static int parse_type(struct idl_parser *p, int full, struct idl_type **out)
{
	struct props pr = { 0 };
	struct idl_type *ty = NULL;
	struct idl_token t;
	int rc, nullable = 1;

	*out = NULL;
	if (full && (rc = parse_props(p, &pr)) != AK_OK)
		goto out;
	t = *peek(p, 0);
	if ((rc = deeper(p, &t)) != AK_OK)
		goto out;
	switch (t.type) {
	case IDL_T_ARRAY:
	case IDL_T_MAP:
		if (peek(p, 1)->type != IDL_T_LT)
			goto reference;
		rc = container_type(p, t.type == IDL_T_ARRAY ? IK_ARRAY : IK_MAP, &ty);
		nullable = 0;
		break;
	case IDL_T_UNION:
		if (peek(p, 1)->type != IDL_T_LBRACE)
			goto reference;
		rc = union_type(p, &ty);
		nullable = 0;
		break;
	case IDL_T_DECIMAL:
		if (peek(p, 1)->type != IDL_T_LPAREN)
			goto reference;
		rc = decimal_type(p, &ty);
		break;
	case IDL_T_BOOLEAN: ty = prim(p, IK_BOOLEAN); break;
	case IDL_T_INT_TYPE: ty = prim(p, IK_INT); break;
	case IDL_T_LONG: ty = prim(p, IK_LONG); break;
	case IDL_T_FLOAT_TYPE: ty = prim(p, IK_FLOAT); break;
	case IDL_T_DOUBLE: ty = prim(p, IK_DOUBLE); break;
	case IDL_T_BYTES: ty = prim(p, IK_BYTES); break;
	case IDL_T_STRING_TYPE: ty = prim(p, IK_STRING); break;
	case IDL_T_NULL: ty = prim(p, IK_NULL); break;
	case IDL_T_DATE: ty = logical(p, IK_INT, "date", 0); break;
	case IDL_T_TIME_MS: ty = logical(p, IK_INT, "time-millis", 1); break;
	case IDL_T_TIMESTAMP_MS: ty = logical(p, IK_LONG, "timestamp-millis", 2); break;
	case IDL_T_LOCAL_TIMESTAMP_MS: ty = logical(p, IK_LONG, "local-timestamp-millis", 3); break;
	case IDL_T_UUID: ty = logical(p, IK_STRING, "uuid", 4); break;
	default:
	reference:
		if (!is_ident(t.type)) {
			rc = unexpected(p, &t, "a type");
			goto out;
		}
		if (!props_empty(&pr)) {
			rc = pfail(p, &t, "a reference to a named type cannot be annotated");
			goto out;
		}
		{
			const char *id;

			if ((rc = identifier(p, &id, NULL)) != AK_OK)
				goto out;
			if (!(ty = new_type(p, IK_REF, &t)) ||
			    !(ty->ref = full_name(p, cur_ns(p), id)))
				goto out;
		}
		break;
	}
	if (!ty || rc != AK_OK) {
		rc = p->rc ? p->rc : rc;
		goto out;
	}
	/* the keyword of a primitive type is still to be taken */
	if (t.type >= IDL_T_BOOLEAN && t.type <= IDL_T_UUID && t.type != IDL_T_DECIMAL &&
	    t.type != IDL_T_TRUE && t.type != IDL_T_FALSE && ty->kind != IK_REF)
		consume(p, NULL);
	if (nullable && peek(p, 0)->type == IDL_T_QUESTION) {
		struct idl_token q;
		struct idl_type *u, *br[2];

		consume(p, &q);
		if (!(u = new_type(p, IK_UNION, &t)) || !(br[0] = prim(p, IK_NULL))) {
			rc = p->rc;
			goto out;
		}
		br[1] = ty;
		if ((rc = union_add(p, u, br, 2)) != AK_OK)
			goto out;
		u->optional = 1;
		ty = u;
	}
	p->depth--;
	/* annotations go on the type, or on the non-null one of T? */
	if (!props_empty(&pr)) {
		struct idl_type **target = ty->optional ? &ty->branches[1] : &ty;

		if ((rc = unshare(p, target, &t)) == AK_OK)
			rc = type_add_props(p, *target, &pr);
	}
	*out = ty;
out:
	props_release(&pr);
	return rc ? rc : p->rc;
}

/* ---- declarations ---- */

/* The name and namespace of a named type from identifier @id (a dotted one carries its
 * namespace; else @namespace, else the enclosing one), checked. */
static int set_name(struct idl_parser *p, struct idl_type *t, const char *id, json_t *ns,
		    const struct idl_token *at)
{
	const char *dot = strrchr(id, '.');
	const char *space = ns ? json_string_value(ns) : cur_ns(p);

	if (dot) {
		if (!(space = idl_strndup(p->c, id, (size_t)(dot - id))))
			return pfailed(p);
		id = dot + 1;
	}
	if (space && !*space)
		space = NULL;
	if (!idl_valid_name(id) || reserved_type_name(id))
		return pfail(p, at, "invalid type name '%s'", id);
	if (space && !idl_valid_namespace(space))
		return pfail(p, at, "invalid namespace '%s'", space);
	t->nm->name = id;
	t->nm->space = space;
	if (!(t->nm->full = full_name(p, space, id)))
		return p->rc;
	return AK_OK;
}

/* @namespace for a named type or the protocol: a string. */
static int take_namespace(struct idl_parser *p, struct props *pr, json_t **ns)
{
	struct idl_loc l;

	*ns = props_take(pr, "namespace", &l);
	if (*ns && !json_is_string(*ns)) {
		if (!p->rc)
			p->rc = idl_fail(p->c, &l, "@namespace(...) must hold a string");
		return p->rc;
	}
	return AK_OK;
}

/* What record, enum and fixed declarations share: name, doc, @namespace, @aliases and the
 * other annotations. */
static int named_decl(struct idl_parser *p, struct idl_type *t, const struct idl_token *start,
		      struct props *pr)
{
	struct idl_token nt;
	const char *id;
	json_t *ns;
	int rc;

	if ((rc = identifier(p, &id, &nt)) != AK_OK)
		return rc;
	t->nm->doc = take_doc(p, start);
	if (p->rc || (rc = take_namespace(p, pr, &ns)) != AK_OK ||
	    (rc = set_name(p, t, id, ns, &nt)) != AK_OK ||
	    (rc = take_aliases(p, pr, &t->nm->aliases, &t->nm->naliases)) != AK_OK)
		return p->rc ? p->rc : rc;
	for (size_t i = 0; i < t->nm->naliases; i++) {
		const char *a = strrchr(t->nm->aliases[i], '.');

		if (!idl_valid_name(a ? a + 1 : t->nm->aliases[i]))
			return pfail(p, &nt, "invalid alias '%s'", t->nm->aliases[i]);
	}
	t->loc = tok_loc(p, &nt);
	return type_add_props(p, t, pr);
}

/* `T?` with a default that is not null puts null last (Java's fixOptionalSchema). */
static struct idl_type *fix_optional(struct idl_parser *p, struct idl_type *t, const json_t *def)
{
	struct idl_type *u, *br[2];

	/* T? is [null, T] already: the other order needs a union of its own */
	if (!t->optional || !def || json_is_null(def))
		return t;
	if (!(u = idl_alloc(p->c, sizeof(*u))) ||
	    idl_vec_push(&p->c->unions, u, p->c->err) != AK_OK) {
		pfailed(p);
		return NULL;
	}
	*u = *t;
	u->optional = 0;
	br[0] = t->branches[1];
	br[1] = t->branches[0];
	if (union_add(p, u, br, 2) != AK_OK)
		return NULL;
	return u;
}

/* A variable (a field or a parameter) of type @type: annotations, name, default. */
static int variable(struct idl_parser *p, struct idl_type *type, const char *def_doc,
		    struct idl_field *f)
{
	struct idl_token start = *peek(p, 0), nt;
	struct props pr = { 0 };
	struct idl_loc l;
	json_t *order;
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = parse_props(p, &pr)) != AK_OK || (rc = identifier(p, &f->name, &nt)) != AK_OK)
		goto out;
	f->loc = tok_loc(p, &nt);
	if (peek(p, 0)->type == IDL_T_EQUALS) {
		consume(p, NULL);
		f->def_loc = tok_loc(p, peek(p, 0));
		if ((rc = json_value(p, &f->def)) != AK_OK)
			goto out;
	}
	f->doc = take_doc(p, &start);
	if (p->rc) {
		rc = p->rc;
		goto out;
	}
	if (!f->doc)
		f->doc = def_doc;
	if (!idl_valid_name(f->name)) {
		rc = pfail(p, &nt, "invalid field name '%s'", f->name);
		goto out;
	}
	if (!(f->type = fix_optional(p, type, f->def))) {
		rc = p->rc;
		goto out;
	}
	if ((rc = take_aliases(p, &pr, &f->aliases, &f->naliases)) != AK_OK)
		goto out;
	if ((order = props_take(&pr, "order", &l))) {
		const char *o = json_string_value(order);

		if (o && strcasecmp(o, "ascending") == 0)
			f->order = 0;
		else if (o && strcasecmp(o, "descending") == 0)
			f->order = 1;
		else if (o && strcasecmp(o, "ignore") == 0)
			f->order = 2;
		else {
			rc = p->rc = idl_fail(p->c, &l, "@order(...) must hold \"ascending\", "
					      "\"descending\" or \"ignore\"");
			goto out;
		}
	}
	if ((rc = check_reserved(p, &pr, field_reserved)) != AK_OK)
		goto out;
	if (!props_empty(&pr))
		f->props = pr.obj;
out:
	props_release(&pr);
	return rc ? rc : p->rc;
}

/* Move the fields gathered in @v (struct idl_field[]) into the arena, refusing a name used
 * twice; those with a default are then checked once every name is known. */
static int fields_done(struct idl_parser *p, struct ak_buf *v, struct idl_field **out, size_t *n)
{
	struct idl_map seen = { 0 };
	size_t count = VEC_LEN(v, struct idl_field);
	int rc = AK_OK;

	*n = count;
	if (!(*out = idl_alloc(p->c, (count ? count : 1) * sizeof(struct idl_field))))
		return pfailed(p);
	if (count)
		memcpy(*out, v->data, v->len);
	for (size_t i = 0; i < count && rc == AK_OK; i++) {
		struct idl_field *f = &(*out)[i];

		if (idl_map_get(&seen, f->name)) {
			if (!p->rc)
				p->rc = idl_fail(p->c, &f->loc, "field '%s' is declared twice",
						 f->name);
			rc = p->rc;
			break;
		}
		if (idl_map_put(&seen, f->name, f, p->c->err) != AK_OK ||
		    (f->def && idl_vec_push(&p->c->fields, f, p->c->err) != AK_OK))
			rc = pfailed(p);
	}
	map_release(&seen);
	return rc;
}

static int record_decl(struct idl_parser *p, const struct idl_token *start, struct props *pr)
{
	struct idl_token kw;
	struct idl_type *t;
	struct ak_buf fields = AK_BUF_INIT;
	int rc;

	consume(p, &kw);
	if (!(t = new_type(p, IK_RECORD, &kw)))
		return p->rc;
	t->nm->is_error = kw.type == IDL_T_ERROR;
	if ((rc = named_decl(p, t, start, pr)) != AK_OK || (rc = push_ns(p, t->nm->space)) != AK_OK)
		goto out;
	if ((rc = expect(p, IDL_T_LBRACE, NULL)) != AK_OK)
		goto out;
	while (peek(p, 0)->type != IDL_T_RBRACE && peek(p, 0)->type != IDL_T_EOF) {
		struct idl_token fstart = *peek(p, 0);
		const char *def_doc = take_doc(p, &fstart);
		struct idl_type *type;

		if (p->rc || (rc = parse_type(p, 1, &type)) != AK_OK)
			goto out;
		for (;;) {
			struct idl_field f;
			const struct idl_token *n;

			if ((rc = variable(p, type, def_doc, &f)) != AK_OK)
				goto out;
			if (ak_buf_append(&fields, &f, sizeof(f), p->c->err) != AK_OK) {
				rc = pfailed(p);
				goto out;
			}
			n = peek(p, 0);
			if (n->type == IDL_T_SEMI) {
				consume(p, NULL);
				break;
			}
			if (n->type != IDL_T_COMMA) {
				rc = unexpected(p, n, "',' or ';'");
				goto out;
			}
			consume(p, NULL);
		}
	}
	if ((rc = expect(p, IDL_T_RBRACE, NULL)) != AK_OK)
		goto out;
	pop_ns(p);
	if ((rc = fields_done(p, &fields, &t->nm->fields, &t->nm->nfields)) != AK_OK)
		goto out;
	rc = idl_register(p->c, t);
out:
	ak_buf_release(&fields);
	return rc ? (p->rc ? p->rc : (p->rc = rc)) : p->rc;
}

static int enum_decl(struct idl_parser *p, const struct idl_token *start, struct props *pr)
{
	struct idl_token kw, st;
	struct idl_type *t;
	struct ak_buf syms = AK_BUF_INIT;
	struct idl_map seen = { 0 };
	int rc;

	consume(p, &kw);
	if (!(t = new_type(p, IK_ENUM, &kw)))
		return p->rc;
	if ((rc = named_decl(p, t, start, pr)) != AK_OK ||
	    (rc = expect(p, IDL_T_LBRACE, NULL)) != AK_OK)
		goto out;
	if (peek(p, 0)->type != IDL_T_RBRACE) {
		for (;;) {
			struct props sp = { 0 };
			const struct idl_token *n;
			const char *sym;

			/* a symbol's annotations are read and dropped, as Java does */
			rc = parse_props(p, &sp);
			props_release(&sp);
			if (rc != AK_OK || (rc = identifier(p, &sym, &st)) != AK_OK)
				goto out;
			if (!idl_valid_name(sym)) {
				rc = pfail(p, &st, "invalid enum symbol '%s'", sym);
				goto out;
			}
			if (idl_map_get(&seen, sym)) {
				rc = pfail(p, &st, "enum symbol '%s' is declared twice", sym);
				goto out;
			}
			if (idl_map_put(&seen, sym, t, p->c->err) != AK_OK ||
			    idl_vec_push(&syms, sym, p->c->err) != AK_OK) {
				rc = pfailed(p);
				goto out;
			}
			n = peek(p, 0);
			if (n->type == IDL_T_RBRACE)
				break;
			if (n->type != IDL_T_COMMA) {
				rc = unexpected(p, n, "',' or '}'");
				goto out;
			}
			consume(p, NULL);
		}
	}
	consume(p, NULL);
	t->nm->nsymbols = VEC_LEN(&syms, const char *);
	if (!(t->nm->symbols = idl_alloc(p->c, (t->nm->nsymbols + 1) * sizeof(char *)))) {
		rc = pfailed(p);
		goto out;
	}
	if (t->nm->nsymbols)
		memcpy(t->nm->symbols, syms.data, syms.len);
	if (peek(p, 0)->type == IDL_T_EQUALS) {
		consume(p, NULL);
		if ((rc = identifier(p, &t->nm->enum_default, &st)) != AK_OK ||
		    (rc = expect(p, IDL_T_SEMI, NULL)) != AK_OK)
			goto out;
		if (!idl_map_get(&seen, t->nm->enum_default)) {
			rc = pfail(p, &st, "the default '%s' is not a symbol of enum '%s'",
				   t->nm->enum_default, t->nm->name);
			goto out;
		}
	}
	rc = idl_register(p->c, t);
out:
	map_release(&seen);
	ak_buf_release(&syms);
	return rc ? (p->rc ? p->rc : (p->rc = rc)) : p->rc;
}

static int fixed_decl(struct idl_parser *p, const struct idl_token *start, struct props *pr)
{
	struct idl_token kw, st;
	struct idl_type *t;
	int rc;

	consume(p, &kw);
	if (!(t = new_type(p, IK_FIXED, &kw)))
		return p->rc;
	if ((rc = named_decl(p, t, start, pr)) != AK_OK ||
	    (rc = expect(p, IDL_T_LPAREN, NULL)) != AK_OK)
		return rc;
	st = *peek(p, 0);
	if ((rc = int32_token(p, &st, "the size", &t->nm->size)) != AK_OK)
		return rc;
	consume(p, NULL);
	if (t->nm->size < 0)
		return pfail(p, &st, "invalid fixed size %lld", (long long)t->nm->size);
	if ((rc = expect(p, IDL_T_RPAREN, NULL)) != AK_OK ||
	    (rc = expect(p, IDL_T_SEMI, NULL)) != AK_OK)
		return rc;
	if ((rc = idl_register(p->c, t)) != AK_OK)
		p->rc = rc;
	return rc;
}

/* A record, error, enum or fixed declaration whose annotations @pr are read. */
static int named_schema(struct idl_parser *p, const struct idl_token *start, struct props *pr)
{
	switch (peek(p, 0)->type) {
	case IDL_T_RECORD:
	case IDL_T_ERROR:
		return record_decl(p, start, pr);
	case IDL_T_ENUM:
		return enum_decl(p, start, pr);
	default:
		return fixed_decl(p, start, pr);
	}
}

static int message_decl(struct idl_parser *p, const struct idl_token *start, struct props *pr)
{
	struct idl_message *m = idl_alloc(p->c, sizeof(*m));
	struct ak_buf params = AK_BUF_INIT, errs = AK_BUF_INIT;
	struct idl_token nt, t;
	int rc;

	if (!m)
		return pfailed(p);
	m->doc = take_doc(p, start);
	if (p->rc)
		return p->rc;
	t = *peek(p, 0);
	if (t.type == IDL_T_VOID) {
		consume(p, NULL);
		if (!(m->response = prim(p, IK_NULL)))
			return p->rc;
	} else if ((rc = parse_type(p, 0, &m->response)) != AK_OK) {
		return rc;
	}
	if ((rc = identifier(p, &m->name, &nt)) != AK_OK ||
	    (rc = expect(p, IDL_T_LPAREN, NULL)) != AK_OK)
		goto out;
	m->loc = tok_loc(p, &nt);
	if (peek(p, 0)->type != IDL_T_RPAREN) {
		for (;;) {
			struct idl_token pstart = *peek(p, 0);
			const char *pdoc = take_doc(p, &pstart);
			const struct idl_token *n;
			struct idl_type *type;
			struct idl_field f;

			if (p->rc || (rc = parse_type(p, 1, &type)) != AK_OK ||
			    (rc = variable(p, type, pdoc, &f)) != AK_OK)
				goto out;
			if (ak_buf_append(&params, &f, sizeof(f), p->c->err) != AK_OK) {
				rc = pfailed(p);
				goto out;
			}
			n = peek(p, 0);
			if (n->type == IDL_T_RPAREN)
				break;
			if (n->type != IDL_T_COMMA) {
				rc = unexpected(p, n, "',' or ')'");
				goto out;
			}
			consume(p, NULL);
		}
	}
	consume(p, NULL);
	if ((rc = fields_done(p, &params, &m->params, &m->nparams)) != AK_OK)
		goto out;
	t = *peek(p, 0);
	if (t.type == IDL_T_ONEWAY) {
		consume(p, NULL);
		if (m->response->kind != IK_NULL) {
			rc = pfail(p, &t, "one-way message '%s' must return void", m->name);
			goto out;
		}
		m->oneway = 1;
	} else if (t.type == IDL_T_THROWS) {
		consume(p, NULL);
		for (;;) {
			struct idl_token et = *peek(p, 0);
			struct idl_type *e;
			const char *id;

			if ((rc = identifier(p, &id, NULL)) != AK_OK)
				goto out;
			if (!(e = new_type(p, IK_REF, &et)) ||
			    !(e->ref = full_name(p, cur_ns(p), id)) ||
			    idl_vec_push(&errs, e, p->c->err) != AK_OK) {
				rc = pfailed(p);
				goto out;
			}
			if (peek(p, 0)->type != IDL_T_COMMA)
				break;
			consume(p, NULL);
		}
		m->nerrors = VEC_LEN(&errs, struct idl_type *);
		if (!(m->errors = idl_alloc(p->c, errs.len))) {
			rc = pfailed(p);
			goto out;
		}
		memcpy(m->errors, errs.data, errs.len);
		/* Java makes a union of them: the same error twice is refused, which the union
		 * check does once the names are resolved */
		{
			struct idl_type *u = new_type(p, IK_UNION, &t);

			if (!u || union_add(p, u, m->errors, m->nerrors) != AK_OK) {
				rc = p->rc;
				goto out;
			}
		}
	}
	if ((rc = expect(p, IDL_T_SEMI, NULL)) != AK_OK ||
	    (rc = check_reserved(p, pr, message_reserved)) != AK_OK)
		goto out;
	if (!props_empty(pr))
		m->props = pr->obj;
	if (idl_msgs_put(&p->msgs, m, p->c->err) != AK_OK)
		rc = pfailed(p);
out:
	ak_buf_release(&params);
	ak_buf_release(&errs);
	return rc ? rc : p->rc;
}

/* ---- files and imports ---- */

struct idl_file_id {
	uint64_t id[2];
};

static int parse_file(struct idl_parser *p);

static void parser_init(struct idl_parser *p, struct idl_ctx *c, const char *file,
			const char *path, const char *text, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->c = c;
	p->file = file;
	p->path = path;
	idl_lexer_init(&p->lx, text, len);
}

static void parser_release(struct idl_parser *p)
{
	idl_lexer_release(&p->lx);
	ak_buf_release(&p->ns);
	idl_msgs_release(&p->msgs);
}

/* Has a file with this identity been read? If not, remember it. */
static int seen_file(struct idl_ctx *c, const struct ak_idl_source *s, int *seen)
{
	size_t n = VEC_LEN(&c->files, struct idl_file_id);
	struct idl_file_id id;

	*seen = 0;
	if (!s->has_id)
		return AK_OK;
	for (size_t i = 0; i < n; i++) {
		const struct idl_file_id *f = &((const struct idl_file_id *)c->files.data)[i];

		if (f->id[0] == s->id[0] && f->id[1] == s->id[1]) {
			*seen = 1;
			return AK_OK;
		}
	}
	id.id[0] = s->id[0];
	id.id[1] = s->id[1];
	return ak_buf_append(&c->files, &id, sizeof(id), c->err);
}

/* Keep @s's name and text until the end (messages and the model point into them). */
static int keep_source(struct idl_ctx *c, struct ak_idl_source *s)
{
	if (idl_vec_push(&c->texts, s->name, c->err) != AK_OK)
		return c->err->code;
	s->name = NULL;
	if (idl_vec_push(&c->texts, s->text, c->err) != AK_OK)
		return c->err->code;
	return AK_OK;
}

static int do_import(struct idl_parser *p, enum idl_tok kind, const char *path,
		     const struct idl_token *at)
{
	struct idl_ctx *c = p->c;
	struct ak_idl_source src = { 0 };
	struct ak_error lerr = { 0 };
	const char *name;
	int seen, rc;

	if (!c->loader)
		return pfail(p, at, "cannot import \"%s\": there is no file system here", path);
	if (++c->nimports > AK_IDL_MAX_IMPORTS)
		return pfail(p, at, "more than %d import statements", AK_IDL_MAX_IMPORTS);
	if (c->import_depth >= AK_IDL_MAX_IMPORT_DEPTH)
		return pfail(p, at, "imports nest more than %d files deep",
			     AK_IDL_MAX_IMPORT_DEPTH);
	if (c->loader->find(c->loader->ctx, p->path, path, &src, &lerr) != AK_OK) {
		free(src.name);
		if (lerr.code == AK_E_NOMEM)
			return p->rc = ak_fail(c->err, AK_E_NOMEM, "out of memory");
		return pfail(p, at, "import \"%s\": %s", path, lerr.msg);
	}
	if ((rc = seen_file(c, &src, &seen)) != AK_OK || seen) {
		/* Java skips a file it has read already: imports cycle without harm */
		free(src.name);
		return rc == AK_OK ? AK_OK : pfailed(p);
	}
	if (VEC_LEN(&c->files, struct idl_file_id) > c->max_files) {
		free(src.name);
		return pfail(p, at, "more than %zu files imported", c->max_files);
	}
	if (c->loader->read(c->loader->ctx, &src, c->max_bytes - c->bytes, &lerr) != AK_OK) {
		free(src.name);
		free(src.text);
		if (lerr.code == AK_E_NOMEM)
			return p->rc = ak_fail(c->err, AK_E_NOMEM, "out of memory");
		if (lerr.code == AK_E_LIMIT)
			return pfail(p, at, "import \"%s\": the files imported exceed %zu bytes "
				     "in all", path, c->max_bytes);
		return pfail(p, at, "import \"%s\": %s", path, lerr.msg);
	}
	c->bytes += src.len;
	name = src.name;
	if (keep_source(c, &src) != AK_OK) {
		free(src.name);
		free(src.text);
		return pfailed(p);
	}
	switch (kind) {
	case IDL_T_IDL: {
		struct idl_parser child;

		parser_init(&child, c, name, name, src.text, src.len);
		c->import_depth++;
		rc = parse_file(&child);
		c->import_depth--;
		/* a protocol importing a protocol takes its messages too */
		if (rc == AK_OK && p->protocol && child.protocol) {
			size_t n = VEC_LEN(&child.msgs.list, struct idl_message *);

			for (size_t i = 0; i < n && rc == AK_OK; i++)
				rc = idl_msgs_put(&p->msgs,
						  VEC_AT(&child.msgs.list, struct idl_message *, i),
						  c->err);
		}
		parser_release(&child);
		break;
	}
	case IDL_T_PROTOCOL:
		rc = idl_import_protocol(c, name, src.text, src.len, p->protocol ? &p->msgs : NULL);
		break;
	default:
		rc = idl_import_schema(c, name, src.text, src.len);
		break;
	}
	if (rc != AK_OK && !p->rc)
		p->rc = rc;
	return rc;
}

static int import_stmt(struct idl_parser *p)
{
	struct idl_token kind, st;
	const char *path;
	size_t len;
	int rc;

	consume(p, NULL);
	kind = *peek(p, 0);
	if (kind.type != IDL_T_IDL && kind.type != IDL_T_PROTOCOL && kind.type != IDL_T_SCHEMA)
		return unexpected(p, &kind, "'idl', 'protocol' or 'schema'");
	consume(p, NULL);
	st = *peek(p, 0);
	if (st.type != IDL_T_STRING)
		return unexpected(p, &st, "a file name in quotes");
	if ((rc = string_value(p, &st, &path, &len)) != AK_OK)
		return rc;
	consume(p, NULL);
	if ((rc = expect(p, IDL_T_SEMI, NULL)) != AK_OK)
		return rc;
	if (strlen(path) != len)
		return pfail(p, &st, "U+0000 in a file name");
	return do_import(p, kind.type, path, &st);
}

static int is_import(struct idl_parser *p)
{
	enum idl_tok k = peek(p, 1)->type;

	return peek(p, 0)->type == IDL_T_IMPORT &&
	       (k == IDL_T_IDL || k == IDL_T_PROTOCOL || k == IDL_T_SCHEMA) &&
	       peek(p, 2)->type == IDL_T_STRING;
}

/* In a protocol, `record X {` starts a record but `record X(` a message returning type
 * "record"; the grammar allows both and ANTLR tells them apart by looking ahead. */
static int named_follows(struct idl_parser *p)
{
	enum idl_tok t = peek(p, 0)->type;

	if (t != IDL_T_RECORD && t != IDL_T_ERROR && t != IDL_T_ENUM && t != IDL_T_FIXED)
		return 0;
	if (!is_ident(peek(p, 1)->type) || peek(p, 2)->type != IDL_T_LPAREN)
		return 1;
	return t == IDL_T_FIXED && peek(p, 3)->type == IDL_T_INT;
}

static int protocol_decl(struct idl_parser *p, const struct idl_token *start, struct props *pr)
{
	struct idl_token nt;
	struct idl_named dn = { 0 };
	struct idl_type dummy = { 0 };
	const char *id;
	json_t *ns;
	int rc;

	dummy.nm = &dn;
	consume(p, NULL);
	if ((rc = identifier(p, &id, &nt)) != AK_OK || (rc = take_namespace(p, pr, &ns)) != AK_OK ||
	    (rc = set_name(p, &dummy, id, ns, &nt)) != AK_OK)
		return rc;
	p->proto_name = dummy.nm->name;
	p->proto_space = dummy.nm->space;
	p->proto_doc = take_doc(p, start);
	if (p->rc || (rc = check_reserved(p, pr, protocol_reserved)) != AK_OK)
		return p->rc;
	if (!props_empty(pr))
		p->proto_props = pr->obj;
	p->protocol = 1;
	if ((rc = push_ns(p, dummy.nm->space)) != AK_OK ||
	    (rc = expect(p, IDL_T_LBRACE, NULL)) != AK_OK)
		return rc;
	for (;;) {
		const struct idl_token *t = peek(p, 0);
		struct idl_token dstart;
		struct props dp = { 0 };

		if (t->type == IDL_T_RBRACE)
			break;
		if (t->type == IDL_T_EOF)
			return unexpected(p, t, "'}'");
		if (is_import(p)) {
			if ((rc = import_stmt(p)) != AK_OK)
				return rc;
			continue;
		}
		dstart = *t;
		rc = parse_props(p, &dp);
		if (rc == AK_OK)
			rc = named_follows(p) ? named_schema(p, &dstart, &dp)
					      : message_decl(p, &dstart, &dp);
		props_release(&dp);
		if (rc != AK_OK)
			return rc;
	}
	consume(p, NULL);
	pop_ns(p);
	return AK_OK;
}

static int parse_file(struct idl_parser *p)
{
	struct idl_token start = *peek(p, 0);
	struct props pr = { 0 };
	const struct idl_token *t;
	int rc, first = 1;

	if ((rc = parse_props(p, &pr)) != AK_OK)
		goto out;
	if (peek(p, 0)->type == IDL_T_PROTOCOL) {
		if ((rc = protocol_decl(p, &start, &pr)) != AK_OK)
			goto out;
		t = peek(p, 0);
		if (t->type != IDL_T_EOF)
			rc = unexpected(p, t, "the end of the input after the protocol");
		goto out;
	}
	/* the schema syntax: [namespace N;] [schema TYPE;] then imports and named types */
	if (props_empty(&pr) && peek(p, 0)->type == IDL_T_NAMESPACE) {
		struct idl_token nt;
		const char *ns;

		consume(p, NULL);
		if ((rc = identifier(p, &ns, &nt)) != AK_OK ||
		    (rc = expect(p, IDL_T_SEMI, NULL)) != AK_OK)
			goto out;
		if (!idl_valid_namespace(ns)) {
			rc = pfail(p, &nt, "invalid namespace '%s'", ns);
			goto out;
		}
		if ((rc = push_ns(p, ns)) != AK_OK)
			goto out;
	}
	if (props_empty(&pr) && peek(p, 0)->type == IDL_T_SCHEMA) {
		consume(p, NULL);
		if ((rc = parse_type(p, 1, &p->main)) != AK_OK ||
		    (rc = expect(p, IDL_T_SEMI, NULL)) != AK_OK)
			goto out;
	}
	for (;;) {
		t = peek(p, 0);
		if (first && !props_empty(&pr)) {
			if (t->type != IDL_T_RECORD && t->type != IDL_T_ERROR &&
			    t->type != IDL_T_ENUM && t->type != IDL_T_FIXED) {
				rc = unexpected(p, t, "'protocol', 'record', 'error', 'enum' or "
						"'fixed' after annotations");
				goto out;
			}
			rc = named_schema(p, &start, &pr);
		} else if (t->type == IDL_T_EOF) {
			break;
		} else if (t->type == IDL_T_IMPORT) {
			rc = import_stmt(p);
		} else {
			struct idl_token dstart = *t;
			struct props dp = { 0 };

			rc = parse_props(p, &dp);
			t = peek(p, 0);
			if (rc == AK_OK && t->type != IDL_T_RECORD && t->type != IDL_T_ERROR &&
			    t->type != IDL_T_ENUM && t->type != IDL_T_FIXED)
				rc = unexpected(p, t, props_empty(&dp)
							  ? "'import', 'record', 'error', 'enum', "
							    "'fixed' or the end of the input"
							  : "'record', 'error', 'enum' or 'fixed'");
			if (rc == AK_OK)
				rc = named_schema(p, &dstart, &dp);
			props_release(&dp);
		}
		first = 0;
		if (rc != AK_OK)
			goto out;
	}
out:
	props_release(&pr);
	return rc ? rc : p->rc;
}

/* ---- once everything is read ---- */

static const struct idl_type *deref(const struct idl_type *t)
{
	return t->kind == IK_REF && t->target ? t->target : t;
}

static const char *kind_name(enum idl_kind k)
{
	static const char *const names[] = { "null", "boolean", "int", "long", "float",
					     "double", "bytes", "string", "record", "enum",
					     "fixed", "array", "map", "union", "reference" };

	return names[k];
}

/* The name of a union branch (duplicates are refused): a named type's full name, else the
 * type's name. */
static const char *branch_name(const struct idl_type *t)
{
	t = deref(t);
	if (t->kind == IK_RECORD || t->kind == IK_ENUM || t->kind == IK_FIXED)
		return t->nm->full;
	return kind_name(t->kind);
}

static int resolve(struct idl_ctx *c)
{
	size_t n = VEC_LEN(&c->refs, struct idl_type *);

	for (size_t i = 0; i < n; i++) {
		struct idl_type *r = VEC_AT(&c->refs, struct idl_type *, i);
		const char *dot;

		if (r->target)
			continue;
		r->target = idl_map_get(&c->names, r->ref);
		/* like Java's ParseContext, a name not found in its namespace is looked for in
		 * the null namespace */
		if (!r->target && (dot = strrchr(r->ref, '.')))
			r->target = idl_map_get(&c->names, dot + 1);
		if (!r->target)
			return idl_fail(c, &r->loc, "unknown type '%s'", r->ref);
	}
	return AK_OK;
}

static int check_unions(struct idl_ctx *c)
{
	size_t n = VEC_LEN(&c->unions, struct idl_type *);
	int rc = AK_OK;

	for (size_t i = 0; i < n && rc == AK_OK; i++) {
		const struct idl_type *u = VEC_AT(&c->unions, struct idl_type *, i);
		struct idl_map seen = { 0 };

		for (size_t j = 0; j < u->nbranches && rc == AK_OK; j++) {
			const struct idl_type *b = deref(u->branches[j]);
			const char *name = branch_name(b);
			int twice = 0;

			const struct idl_loc *at = &u->branches[j]->loc;

			if (u->blocs)
				at = &u->blocs[j];
			else if (u->branches[j]->shared)
				at = &u->loc;

			if (b->kind == IK_UNION) {
				rc = idl_fail(c, at, "a union cannot hold another union");
				break;
			}
			/* a small union is searched, a large one hashed */
			if (u->nbranches <= 16) {
				for (size_t k = 0; k < j && !twice; k++)
					twice = strcmp(branch_name(u->branches[k]), name) == 0;
			} else {
				twice = idl_map_get(&seen, name) != NULL;
				if (!twice)
					rc = idl_map_put(&seen, name, (void *)b, c->err);
			}
			if (twice)
				rc = idl_fail(c, at, "'%s' is in the union twice", name);
		}
		map_release(&seen);
	}
	return rc;
}

static int float_string(const json_t *v)
{
	const char *s = json_string_value(v);

	return s && (strcmp(s, "NaN") == 0 || strcmp(s, "Infinity") == 0 ||
		     strcmp(s, "-Infinity") == 0);
}

/* Java's Schema.isValidDefault(): may @v be a value of @t? */
static int valid_default(const struct idl_type *t, const json_t *v, unsigned depth)
{
	const char *key;
	json_t *item;
	size_t i;

	t = deref(t);
	if (depth > AK_SCHEMA_JSON_MAX_DEPTH)
		return 0;
	switch (t->kind) {
	case IK_NULL:
		return json_is_null(v);
	case IK_BOOLEAN:
		return json_is_boolean(v);
	case IK_INT:
		return json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
		       json_integer_value(v) <= INT32_MAX;
	case IK_LONG:
		return json_is_integer(v);
	case IK_FLOAT:
	case IK_DOUBLE:
		/* NaN and the infinities are strings here, as Jackson writes them */
		return json_is_number(v) || float_string(v);
	case IK_BYTES:
	case IK_STRING:
	case IK_ENUM:
	case IK_FIXED:
		return json_is_string(v);
	case IK_ARRAY:
		if (!json_is_array(v))
			return 0;
		json_array_foreach(v, i, item)
			if (!valid_default(t->items, item, depth + 1))
				return 0;
		return 1;
	case IK_MAP:
		if (!json_is_object(v))
			return 0;
		json_object_foreach((json_t *)v, key, item)
			if (!valid_default(t->items, item, depth + 1))
				return 0;
		return 1;
	case IK_UNION:
		for (i = 0; i < t->nbranches; i++)
			if (valid_default(t->branches[i], v, depth + 1))
				return 1;
		return 0;
	case IK_RECORD:
		if (!json_is_object(v))
			return 0;
		for (i = 0; i < t->nm->nfields; i++) {
			const json_t *fv = json_object_get(v, t->nm->fields[i].name);


			/* a field left out takes its own default, which is checked on its own */
			const struct idl_field *f = &t->nm->fields[i];

			if (fv ? !valid_default(f->type, fv, depth + 1) : !f->def)
				return 0;
		}
		return 1;
	default:
		return 0;
	}
}

static int check_defaults(struct idl_ctx *c)
{
	size_t n = VEC_LEN(&c->fields, struct idl_field *);

	for (size_t i = 0; i < n; i++) {
		const struct idl_field *f = VEC_AT(&c->fields, struct idl_field *, i);
		const struct idl_type *t = deref(f->type);

		if (!valid_default(t, f->def, 0)) {
			if (t->nm)
				return idl_fail(c, &f->def_loc, "invalid default for field '%s': not "
						"a value of %s '%s'", f->name, kind_name(t->kind),
						t->nm->full);
			return idl_fail(c, &f->def_loc, "invalid default for field '%s': not a "
					"value of type %s", f->name, kind_name(t->kind));
		}
	}
	return AK_OK;
}

/* ---- the API ---- */

struct ak_idl {
	struct idl_ctx c;
	struct idl_result r;
	struct ak_error err; /* where c.err points, for the output functions */
};

static void ctx_release(struct idl_ctx *c)
{
	size_t n = VEC_LEN(&c->owned, json_t *);

	for (size_t i = 0; i < n; i++)
		json_decref(VEC_AT(&c->owned, json_t *, i));
	ak_buf_release(&c->owned);
	n = VEC_LEN(&c->texts, char *);
	for (size_t i = 0; i < n; i++)
		free(VEC_AT(&c->texts, char *, i));
	ak_buf_release(&c->texts);
	while (c->arena) {
		struct idl_arena *next = c->arena->next;

		free(c->arena);
		c->arena = next;
	}
	map_release(&c->names);
	ak_buf_release(&c->types);
	ak_buf_release(&c->refs);
	ak_buf_release(&c->unions);
	ak_buf_release(&c->fields);
	ak_buf_release(&c->files);
	ak_buf_release(&c->warnings);
	free(c->seen);
}

void ak_idl_free(struct ak_idl *idl)
{
	if (!idl)
		return;
	idl_msgs_release(&idl->r.msgs);
	ctx_release(&idl->c);
	free(idl);
}

struct ak_idl *ak_idl_parse(struct ak_idl_source *main, const struct ak_idl_opts *opts,
			    struct ak_error *err)
{
	struct ak_idl *idl = calloc(1, sizeof(*idl));
	struct idl_ctx *c;
	struct idl_parser p;
	const char *file, *path;
	int seen, rc;

	if (!idl) {
		free(main->name);
		free(main->text);
		ak_fail(err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	c = &idl->c;
	c->err = &idl->err;
	c->loader = opts ? opts->loader : NULL;
	c->max_files = opts && opts->max_files ? opts->max_files : AK_IDL_MAX_FILES;
	c->max_bytes = opts && opts->max_bytes ? opts->max_bytes : AK_IDL_MAX_BYTES;
	path = main->name;
	file = path ? path : "(standard input)";
	if (keep_source(c, main) != AK_OK) {
		free(main->name);
		free(main->text);
		goto fail;
	}
	if (main->len > c->max_bytes) {
		ak_fail(c->err, AK_E_LIMIT, "%s: larger than %zu bytes", file, c->max_bytes);
		goto fail;
	}
	c->bytes = main->len;
	if (seen_file(c, main, &seen) != AK_OK)
		goto fail;
	parser_init(&p, c, file, path, main->text, main->len);
	rc = parse_file(&p);
	if (rc == AK_OK && (rc = resolve(c)) == AK_OK && (rc = check_unions(c)) == AK_OK)
		rc = check_defaults(c);
	if (rc == AK_OK) {
		idl->r.kind = AK_IDL_SCHEMAS;
		if (p.protocol)
			idl->r.kind = AK_IDL_PROTOCOL;
		else if (p.main)
			idl->r.kind = AK_IDL_SCHEMA;
		idl->r.name = p.proto_name;
		idl->r.space = p.proto_space;
		idl->r.doc = p.proto_doc;
		idl->r.props = p.proto_props;
		idl->r.main = p.main;
		idl->r.msgs = p.msgs;
		memset(&p.msgs, 0, sizeof(p.msgs));
	}
	parser_release(&p);
	if (rc == AK_OK && !(c->seen = calloc(VEC_LEN(&c->types, struct idl_type *) + 1, 1)))
		rc = ak_fail(c->err, AK_E_NOMEM, "out of memory");
	if (rc == AK_OK)
		return idl;
fail:
	*err = idl->err;
	ak_idl_free(idl);
	return NULL;
}

enum ak_idl_kind ak_idl_kind(const struct ak_idl *idl)
{
	return idl->r.kind;
}

static int finish_json(struct ak_idl *idl, struct ak_buf *tmp, int indent, struct ak_buf *out,
		       struct ak_error *err, int rc)
{
	if (rc == AK_OK) {
		if (indent)
			rc = ak_json_reformat((const char *)tmp->data, tmp->len, indent, 0, out,
					      err);
		else
			rc = ak_buf_append(out, tmp->data, tmp->len, err);
	} else {
		*err = idl->err;
	}
	ak_buf_release(tmp);
	return rc;
}

int ak_idl_json(const struct ak_idl *idl, int indent, struct ak_buf *out, struct ak_error *err)
{
	struct ak_buf tmp = AK_BUF_INIT;
	struct ak_idl *m = (struct ak_idl *)idl;

	return finish_json(m, &tmp, indent, out, err, idl_emit_result(&idl->c, &idl->r, &tmp));
}

int ak_idl_schema_json(const struct ak_idl *idl, int indent, struct ak_buf *out,
		       struct ak_error *err)
{
	struct ak_buf tmp = AK_BUF_INIT;
	struct ak_idl *m = (struct ak_idl *)idl;

	if (idl->r.kind == AK_IDL_PROTOCOL)
		return ak_fail(err, AK_E_SCHEMA, "an IDL protocol is not a schema (it has no "
			       "`schema` declaration); avrokit idl2schemata writes its types");
	if (!idl->r.main)
		return ak_fail(err, AK_E_SCHEMA, "the IDL file has no `schema` declaration naming "
			       "its main schema");
	return finish_json(m, &tmp, indent, out, err, idl_emit_alone(&idl->c, idl->r.main, &tmp));
}

size_t ak_idl_type_count(const struct ak_idl *idl)
{
	return VEC_LEN(&idl->c.types, struct idl_type *);
}

const char *ak_idl_type_name(const struct ak_idl *idl, size_t i)
{
	return VEC_AT(&idl->c.types, struct idl_type *, i)->nm->name;
}

const char *ak_idl_type_fullname(const struct ak_idl *idl, size_t i)
{
	return VEC_AT(&idl->c.types, struct idl_type *, i)->nm->full;
}

int ak_idl_type_json(const struct ak_idl *idl, size_t i, int indent, struct ak_buf *out,
		     struct ak_error *err)
{
	struct ak_buf tmp = AK_BUF_INIT;
	struct ak_idl *m = (struct ak_idl *)idl;

	return finish_json(m, &tmp, indent, out, err,
			   idl_emit_alone(&idl->c, VEC_AT(&idl->c.types, struct idl_type *, i),
					  &tmp));
}

size_t ak_idl_warning_count(const struct ak_idl *idl)
{
	return VEC_LEN(&idl->c.warnings, struct ak_idl_warning);
}

size_t ak_idl_warning_total(const struct ak_idl *idl)
{
	return idl->c.nwarnings;
}

const struct ak_idl_warning *ak_idl_warning(const struct ak_idl *idl, size_t i)
{
	return &((const struct ak_idl_warning *)idl->c.warnings.data)[i];
}
