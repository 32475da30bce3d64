/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Plan compilation. Ops are appended to a growing array; their strings, child indexes and maps
 * go to side buffers as offsets and become pointers in one final allocation. Compilation is
 * memoised per writer node (plain plans) and per (writer, reader) pair (resolution), which is
 * what makes recursive types compile to a finite plan.
 */
#include "plan.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decode.h"
#include "default.h"
#include "json_out.h"
#include "encode.h"
#include "plain.h"

#define NONE UINT32_MAX
#define NO_OFF SIZE_MAX

struct soff {
	size_t off, len; /* into text; off == NO_OFF for a NULL string */
};

struct meta {
	size_t names, sub, map, defaults, defops; /* first entry in strs / idx / i32 / strs /
						   * idx, or NO_OFF */
};

struct pair {
	uint64_t key; /* writer id << 32 | reader id, plus 1 so that 0 means empty */
	uint32_t op;
};

struct pb {
	struct ak_op *ops;
	struct meta *meta;
	size_t nops, cap;
	struct ak_buf text, strs, idx, i32;
	uint32_t *wmemo;          /* writer node id -> its op */
	uint32_t *rmemo;          /* reader node id -> its op, for reading reader defaults */
	size_t nw, nr;
	struct pair *pairs;
	size_t npairs, pcap;
	struct ak_issues *issues;
	struct ak_error *err;
	int fatal, nomem;
	int lazy;                 /* AK_RESOLVE_LAZY: fatal issues become AK_OP_ERROR */
	char last_msg[AK_ERROR_MSG_MAX]; /* the message of the last issue */
	char path[512];
	size_t pathlen;
};

/* ---- builder basics ---- */

static uint32_t new_op(struct pb *b, unsigned kind, const struct ak_node *node)
{
	if (b->nops == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct ak_op *ops = realloc(b->ops, cap * sizeof(*ops));
		struct meta *meta;

		if (!ops) {
			b->nomem = 1;
			return NONE;
		}
		b->ops = ops;
		meta = realloc(b->meta, cap * sizeof(*meta));
		if (!meta) {
			b->nomem = 1;
			return NONE;
		}
		b->meta = meta;
		b->cap = cap;
	}
	memset(&b->ops[b->nops], 0, sizeof(struct ak_op));
	b->ops[b->nops].kind = (uint8_t)kind;
	b->ops[b->nops].node = node;
	b->ops[b->nops].rnode = node;
	if (node)
		b->ops[b->nops].logical = (uint8_t)node->logical;
	b->meta[b->nops] = (struct meta){ NO_OFF, NO_OFF, NO_OFF, NO_OFF, NO_OFF };
	return (uint32_t)b->nops++;
}

static size_t nstrs(struct pb *b)
{
	return b->strs.len / sizeof(struct soff);
}

static void add_soff(struct pb *b, struct soff so)
{
	if (ak_buf_append(&b->strs, &so, sizeof(so), NULL) != AK_OK)
		b->nomem = 1;
}

/* Add a string: quoted and escaped as JSON when @quote, else as is. */
static void add_str(struct pb *b, const char *s, size_t len, int quote)
{
	struct soff so = { b->text.len, 0 };

	if (ak_buf_reserve(&b->text, AK_JSON_STRING_MAX(len) + 1, NULL) != AK_OK) {
		b->nomem = 1;
		return;
	}
	if (quote) {
		ak_json_put_string(&b->text, (const unsigned char *)s, len);
	} else {
		memcpy(b->text.data + b->text.len, s, len);
		b->text.len += len;
	}
	so.len = b->text.len - so.off;
	b->text.data[b->text.len++] = '\0';
	add_soff(b, so);
}

static void add_null_str(struct pb *b)
{
	add_soff(b, (struct soff){ NO_OFF, 0 });
}

static void add_idx(struct pb *b, uint32_t v)
{
	if (ak_buf_append(&b->idx, &v, sizeof(v), NULL) != AK_OK)
		b->nomem = 1;
}

static void add_i32(struct pb *b, int32_t v)
{
	if (ak_buf_append(&b->i32, &v, sizeof(v), NULL) != AK_OK)
		b->nomem = 1;
}

/* ---- paths and issues ---- */

static size_t path_push(struct pb *b, const char *sep, const char *s)
{
	size_t old = b->pathlen;
	int n = snprintf(b->path + b->pathlen, sizeof(b->path) - b->pathlen, "%s%s",
			 b->pathlen && sep[0] == '.' ? "." : sep[0] == '.' ? "" : sep, s);

	if (n > 0)
		b->pathlen += (size_t)n;
	if (b->pathlen >= sizeof(b->path))
		b->pathlen = sizeof(b->path) - 1;
	return old;
}

static void path_pop(struct pb *b, size_t old)
{
	b->pathlen = old;
	b->path[old] = '\0';
}

__attribute__((format(printf, 4, 5)))
static void issue(struct pb *b, int fatal, int kind, const char *fmt, ...)
{
	char msg[AK_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(b->last_msg, sizeof(b->last_msg), "%s", msg);
	if (fatal && !b->fatal && !b->lazy) {
		if (b->pathlen)
			ak_fail(b->err, AK_E_SCHEMA, "field \"%s\": %s", b->path, msg);
		else
			ak_fail(b->err, AK_E_SCHEMA, "%s", msg);
	}
	if (fatal)
		b->fatal++;
	if (b->issues) {
		struct ak_issues *is = b->issues;

		if (is->n == is->cap) {
			size_t cap = is->cap ? is->cap * 2 : 8;
			struct ak_issue *v = realloc(is->v, cap * sizeof(*v));

			if (!v) {
				b->nomem = 1;
				return;
			}
			is->v = v;
			is->cap = cap;
		}
		is->v[is->n].path = strdup(b->path);
		is->v[is->n].msg = strdup(msg);
		is->v[is->n].fatal = fatal;
		is->v[is->n].kind = kind;
		if (!is->v[is->n].path || !is->v[is->n].msg) {
			free(is->v[is->n].path);
			free(is->v[is->n].msg);
			b->nomem = 1;
			return;
		}
		is->n++;
	}
}

void ak_issues_release(struct ak_issues *is)
{
	for (size_t i = 0; i < is->n; i++) {
		free(is->v[i].path);
		free(is->v[i].msg);
	}
	free(is->v);
	is->v = NULL;
	is->n = is->cap = 0;
}

static const char *describe(const struct ak_node *n)
{
	return ak_node_branch_name(n);
}

/* ---- writer-only ops ---- */

/* The ops that read type @n as it is (no resolution); @memo is indexed by the node ids of
 * @n's schema (b->wmemo for the writer's, b->rmemo for the reader's). */
static uint32_t sop(struct pb *b, const struct ak_node *n, uint32_t *memo)
{
	uint32_t i, *kids = NULL;
	size_t nk = 0;

	if (memo[n->id] != NONE)
		return memo[n->id];
	i = new_op(b, n->type, n);
	if (i == NONE)
		return NONE;
	memo[n->id] = i;
	switch (n->type) {
	case AK_RECORD:
	case AK_UNION:
		nk = n->type == AK_RECORD ? n->nfields : n->nbranches;
		kids = malloc((nk ? nk : 1) * sizeof(*kids));
		if (!kids) {
			b->nomem = 1;
			return NONE;
		}
		for (size_t k = 0; k < nk; k++) {
			kids[k] = sop(b, n->type == AK_RECORD ? n->fields[k].type : n->branches[k],
				      memo);
			if (kids[k] == NONE) {
				free(kids);
				return NONE;
			}
		}
		b->ops[i].n = (uint32_t)nk;
		b->meta[i].names = nstrs(b);
		for (size_t k = 0; k < nk; k++) {
			if (n->type == AK_RECORD)
				add_str(b, n->fields[k].name, strlen(n->fields[k].name), 1);
			else if (n->branches[k]->type == AK_NULL)
				add_null_str(b);
			else
				add_str(b, describe(n->branches[k]), strlen(describe(n->branches[k])), 1);
		}
		b->meta[i].sub = b->idx.len / sizeof(uint32_t);
		for (size_t k = 0; k < nk; k++)
			add_idx(b, kids[k]);
		free(kids);
		break;
	case AK_ENUM:
		b->ops[i].n = (uint32_t)n->nsymbols;
		b->meta[i].names = nstrs(b);
		for (size_t k = 0; k < n->nsymbols; k++)
			add_str(b, n->symbols[k], strlen(n->symbols[k]), 1);
		break;
	case AK_ARRAY:
	case AK_MAP: {
		uint32_t item = sop(b, n->items, memo);

		if (item == NONE)
			return NONE;
		b->ops[i].item = item;
		break;
	}
	case AK_FIXED:
		b->ops[i].n = (uint32_t)n->size;
		break;
	default:
		break;
	}
	return i;
}

static uint32_t wop(struct pb *b, const struct ak_node *n)
{
	return sop(b, n, b->wmemo);
}

/* ---- resolution ---- */

static uint32_t *pair_slot(struct pb *b, unsigned w, unsigned r, int insert)
{
	uint64_t key = ((uint64_t)w << 32 | r) + 1;

	if (insert && (b->npairs + 1) * 2 > b->pcap) {
		size_t cap = b->pcap ? b->pcap * 2 : 64;
		struct pair *t = calloc(cap, sizeof(*t));

		if (!t) {
			b->nomem = 1;
			return NULL;
		}
		for (size_t k = 0; k < b->pcap; k++) {
			if (!b->pairs[k].key)
				continue;
			size_t j = (b->pairs[k].key * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
			while (t[j].key)
				j = (j + 1) & (cap - 1);
			t[j] = b->pairs[k];
		}
		free(b->pairs);
		b->pairs = t;
		b->pcap = cap;
	}
	if (!b->pcap)
		return NULL;
	size_t j = (key * 0x9e3779b97f4a7c15ULL >> 20) & (b->pcap - 1);
	while (b->pairs[j].key && b->pairs[j].key != key)
		j = (j + 1) & (b->pcap - 1);
	if (b->pairs[j].key == key)
		return &b->pairs[j].op;
	if (!insert)
		return NULL;
	b->pairs[j].key = key;
	b->npairs++;
	return &b->pairs[j].op;
}

static const char *unqualified(const char *fullname)
{
	const char *dot = strrchr(fullname, '.');

	return dot ? dot + 1 : fullname;
}

/*
 * Named types match by unqualified name (as Java and fastavro match them), or by one of the
 * reader's aliases: its full name, or its unqualified name when the alias is in the
 * reader's own namespace (written without one, say), as the type's own name would. An
 * alias that names another namespace must name the writer's type fully.
 */
static int names_match(const struct ak_node *w, const struct ak_node *r)
{
	if (strcmp(w->name, r->name) == 0)
		return 1;
	for (size_t i = 0; i < r->naliases; i++) {
		const char *a = r->aliases[i], *u = unqualified(a);
		size_t ns = u == a ? 0 : (size_t)(u - a) - 1;
		int own = r->space ? ns == strlen(r->space) && strncmp(a, r->space, ns) == 0
				   : ns == 0;

		if (strcmp(a, w->fullname) == 0 || (own && strcmp(u, w->name) == 0))
			return 1;
	}
	return 0;
}

static int promotable(enum ak_type w, enum ak_type r)
{
	switch (w) {
	case AK_INT: return r == AK_LONG || r == AK_FLOAT || r == AK_DOUBLE;
	case AK_LONG: return r == AK_FLOAT || r == AK_DOUBLE;
	case AK_FLOAT: return r == AK_DOUBLE;
	case AK_STRING: return r == AK_BYTES;
	case AK_BYTES: return r == AK_STRING;
	default: return 0;
	}
}

/* Does writer type @w match reader type @r well enough to be resolved against it? */
static int matches(const struct ak_node *w, const struct ak_node *r, int allow_promotion)
{
	if (w->type != r->type)
		return allow_promotion && promotable(w->type, r->type);
	switch (w->type) {
	case AK_RECORD:
	case AK_ENUM:
		return names_match(w, r);
	case AK_FIXED:
		return names_match(w, r) && w->size == r->size;
	default:
		return 1;
	}
}

static int find_branch(const struct ak_node *ru, const struct ak_node *w)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < ru->nbranches; k++)
			if (matches(w, ru->branches[k], pass))
				return (int)k;
	return -1;
}

/* An op that fails when reached, saying why: the issue just recorded, which each caller
 * reports first (else @why). */
static uint32_t error_op(struct pb *b, const char *why)
{
	uint32_t i = new_op(b, AK_OP_ERROR, NULL);

	if (i == NONE)
		return NONE;
	if (b->last_msg[0])
		why = b->last_msg;
	b->meta[i].names = nstrs(b);
	add_str(b, why, strlen(why), 0);
	return i;
}

static uint32_t rop(struct pb *b, const struct ak_node *w, const struct ak_node *r);

/*
 * A record read as the reader's record. Lazily (b->lazy), a reader field that can be had
 * neither from the writer nor from its default makes the record itself an AK_OP_ERROR, so
 * that it fails where a record of this type is read (through recursion too: the op keeps its
 * index) and nowhere else.
 */
static uint32_t resolve_record(struct pb *b, uint32_t i, const struct ak_node *w,
			       const struct ak_node *r)
{
	int32_t *dest = malloc((w->nfields ? w->nfields : 1) * sizeof(*dest));
	uint32_t *kids = malloc((w->nfields ? w->nfields : 1) * sizeof(*kids));
	size_t *defs = malloc((r->nfields ? r->nfields : 1) * sizeof(*defs));
	uint32_t *defops = malloc((r->nfields ? r->nfields : 1) * sizeof(*defops));
	struct ak_buf txt = AK_BUF_INIT;
	uint32_t ret = i;
	char why[AK_ERROR_MSG_MAX] = "";
	int fatal;

	if (!dest || !kids || !defs || !defops) {
		b->nomem = 1;
		ret = NONE;
		goto out;
	}
	/*
	 * Each writer field, in order, goes to the reader field of its name, else to one that
	 * has its name as an alias, if no earlier writer field took that one: so aliases can
	 * rename in a chain (a to b while b becomes c), as Java (which renames the writer's
	 * fields by the reader's aliases) and fastavro read them, and no reader field loses its
	 * writer field to another one's alias without its default being used or an error.
	 */
	for (size_t rf = 0; rf < r->nfields; rf++)
		defs[rf] = 0; /* taken: not yet */
	for (size_t k = 0; k < w->nfields; k++) {
		const char *name = w->fields[k].name;
		int found = -1;

		for (size_t rf = 0; rf < r->nfields && found < 0; rf++)
			if (!defs[rf] && strcmp(r->fields[rf].name, name) == 0)
				found = (int)rf;
		for (size_t rf = 0; rf < r->nfields && found < 0; rf++)
			for (size_t a = 0; a < r->fields[rf].naliases && found < 0; a++)
				if (!defs[rf] && strcmp(r->fields[rf].aliases[a], name) == 0)
					found = (int)rf;
		dest[k] = found;
		if (found >= 0)
			defs[found] = 1;
	}
	fatal = b->fatal;
	for (size_t rf = 0; rf < r->nfields; rf++) {
		const struct ak_field *f = &r->fields[rf];
		int taken = defs[rf] != 0;

		defs[rf] = NO_OFF;
		defops[rf] = NONE;
		if (taken)
			continue;
		size_t old = path_push(b, ".", f->name);
		if (!f->def) {
			issue(b, 1, AK_ISSUE_MISSING_FIELD, "the reader's field \"%s\" is not in the writer's record %s and "
			      "has no default", f->name, w->fullname);
		} else {
			/* kept as Avro binary of the reader's type, which every consumer reads
			 * the way it reads data: through ops of the reader's schema */
			txt.len = 0;
			if (ak_encode_default(f->type, f->def, &txt, NULL) != AK_OK) {
				issue(b, 1, AK_ISSUE_BAD_DEFAULT, "cannot use the default of field \"%s\"", f->name);
			} else {
				defs[rf] = nstrs(b);
				add_str(b, txt.len ? (const char *)txt.data : "", txt.len, 0);
				if ((defops[rf] = sop(b, f->type, b->rmemo)) == NONE) {
					ret = NONE;
					goto out;
				}
			}
		}
		path_pop(b, old);
	}
	if (b->lazy && b->fatal != fatal)
		memcpy(why, b->last_msg, sizeof(why));
	for (size_t k = 0; k < w->nfields; k++) {
		const struct ak_field *wf = &w->fields[k];

		if (dest[k] < 0) {
			/* a writer field the reader does not have: read past it */
			uint32_t item = wop(b, wf->type), s;

			if (item == NONE || (s = new_op(b, AK_OP_SKIP, wf->type)) == NONE) {
				ret = NONE;
				goto out;
			}
			b->ops[s].item = item;
			kids[k] = s;
		} else {
			size_t old = path_push(b, ".", r->fields[dest[k]].name);

			kids[k] = rop(b, wf->type, r->fields[dest[k]].type);
			path_pop(b, old);
			if (kids[k] == NONE) {
				ret = NONE;
				goto out;
			}
		}
	}
	b->ops[i].n = (uint32_t)w->nfields;
	b->ops[i].nout = (uint32_t)r->nfields;
	b->meta[i].names = nstrs(b);
	for (size_t rf = 0; rf < r->nfields; rf++)
		add_str(b, r->fields[rf].name, strlen(r->fields[rf].name), 1);
	b->meta[i].defaults = nstrs(b);
	for (size_t rf = 0; rf < r->nfields; rf++) {
		if (defs[rf] == NO_OFF) {
			add_null_str(b);
		} else {
			const struct soff *so = (const struct soff *)b->strs.data + defs[rf];

			add_soff(b, *so);
		}
	}
	b->meta[i].defops = b->idx.len / sizeof(uint32_t);
	for (size_t rf = 0; rf < r->nfields; rf++)
		add_idx(b, defops[rf]);
	b->meta[i].sub = b->idx.len / sizeof(uint32_t);
	for (size_t k = 0; k < w->nfields; k++)
		add_idx(b, kids[k]);
	b->meta[i].map = b->i32.len / sizeof(int32_t);
	for (size_t k = 0; k < w->nfields; k++)
		add_i32(b, dest[k]);
	if (why[0]) {
		b->ops[i].kind = AK_OP_ERROR;
		b->meta[i].names = nstrs(b);
		add_str(b, why, strlen(why), 0);
	}
out:
	free(dest);
	free(kids);
	free(defs);
	free(defops);
	ak_buf_release(&txt);
	return ret;
}

static void add_union_names(struct pb *b, uint32_t i, const struct ak_node *ru)
{
	b->meta[i].names = nstrs(b);
	for (size_t k = 0; k < ru->nbranches; k++) {
		if (ru->branches[k]->type == AK_NULL)
			add_null_str(b);
		else
			add_str(b, describe(ru->branches[k]), strlen(describe(ru->branches[k])), 1);
	}
}

static uint32_t rop(struct pb *b, const struct ak_node *w, const struct ak_node *r)
{
	uint32_t *slot = pair_slot(b, w->id, r->id, 0), i;

	if (slot)
		return *slot;
	if (b->nomem)
		return NONE;

	if (w->type == AK_UNION) {
		uint32_t *kids = malloc((w->nbranches ? w->nbranches : 1) * sizeof(*kids));
		int32_t *map = malloc((w->nbranches ? w->nbranches : 1) * sizeof(*map));

		if (!kids || !map || (i = new_op(b, AK_OP_UNION_R, w)) == NONE ||
		    !(slot = pair_slot(b, w->id, r->id, 1))) {
			free(kids);
			free(map);
			b->nomem = 1;
			return NONE;
		}
		*slot = i;
		b->ops[i].rnode = r;
		for (size_t k = 0; k < w->nbranches; k++) {
			const struct ak_node *wb = w->branches[k];
			char why[AK_ERROR_MSG_MAX];
			int rb = -1;

			if (r->type == AK_UNION) {
				rb = find_branch(r, wb);
				map[k] = rb;
			} else {
				map[k] = matches(wb, r, 1) ? -1 : -2;
			}
			if ((r->type == AK_UNION && rb < 0) || map[k] == -2) {
				snprintf(why, sizeof(why), "the writer's union branch %s has no match in "
					 "the reader's %s", describe(wb),
					 r->type == AK_UNION ? "union" : describe(r));
				issue(b, 0, AK_ISSUE_MISSING_BRANCH, "%s", why);
				map[k] = -2;
				kids[k] = error_op(b, why);
			} else {
				kids[k] = rop(b, wb, r->type == AK_UNION ? r->branches[rb] : r);
			}
			if (kids[k] == NONE) {
				free(kids);
				free(map);
				return NONE;
			}
		}
		b->ops[i].n = (uint32_t)w->nbranches;
		if (r->type == AK_UNION)
			add_union_names(b, i, r);
		b->meta[i].sub = b->idx.len / sizeof(uint32_t);
		for (size_t k = 0; k < w->nbranches; k++)
			add_idx(b, kids[k]);
		b->meta[i].map = b->i32.len / sizeof(int32_t);
		for (size_t k = 0; k < w->nbranches; k++)
			add_i32(b, map[k]);
		free(kids);
		free(map);
		return i;
	}
	if (r->type == AK_UNION) {
		int rb = find_branch(r, w);
		uint32_t item;

		if (rb < 0) {
			issue(b, 1, AK_ISSUE_NOT_IN_UNION, "the writer's %s is not one of the reader's union branches",
			      describe(w));
			return error_op(b, "type not in the reader's union");
		}
		if ((i = new_op(b, AK_OP_TO_UNION, w)) == NONE || !(slot = pair_slot(b, w->id, r->id, 1)))
			return NONE;
		*slot = i;
		b->ops[i].rnode = r;
		item = rop(b, w, r->branches[rb]);
		if (item == NONE)
			return NONE;
		b->ops[i].item = item;
		add_union_names(b, i, r);
		b->meta[i].map = b->i32.len / sizeof(int32_t);
		add_i32(b, rb);
		return i;
	}
	if (w->type != r->type) {
		static const struct {
			enum ak_type w, r;
			unsigned kind;
		} promo[] = {
			{ AK_INT, AK_LONG, AK_INT },
			{ AK_INT, AK_FLOAT, AK_OP_INT_FLOAT },
			{ AK_INT, AK_DOUBLE, AK_OP_INT_DOUBLE },
			{ AK_LONG, AK_FLOAT, AK_OP_LONG_FLOAT },
			{ AK_LONG, AK_DOUBLE, AK_OP_LONG_DOUBLE },
			{ AK_FLOAT, AK_DOUBLE, AK_OP_FLOAT_DOUBLE },
			{ AK_BYTES, AK_STRING, AK_OP_BYTES_STRING },
			{ AK_STRING, AK_BYTES, AK_OP_STRING_BYTES },
		};
		for (size_t k = 0; k < sizeof(promo) / sizeof(promo[0]); k++)
			if (promo[k].w == w->type && promo[k].r == r->type) {
				if ((i = new_op(b, promo[k].kind, w)) == NONE ||
				    !(slot = pair_slot(b, w->id, r->id, 1)))
					return NONE;
				*slot = i;
				b->ops[i].rnode = r;
				b->ops[i].logical = (uint8_t)r->logical;
				return i;
			}
		issue(b, 1, AK_ISSUE_TYPE_MISMATCH, "the writer's %s cannot be read as the reader's %s", describe(w),
		      describe(r));
		return error_op(b, "types do not match");
	}
	switch (w->type) {
	case AK_RECORD:
		if (!names_match(w, r)) {
			issue(b, 1, AK_ISSUE_NAME_MISMATCH, "the writer's record %s and the reader's record %s have different "
			      "names (and no alias joins them)", w->fullname, r->fullname);
			return error_op(b, "record names differ");
		}
		if ((i = new_op(b, AK_OP_RECORD_R, w)) == NONE ||
		    !(slot = pair_slot(b, w->id, r->id, 1)))
			return NONE;
		*slot = i;
		b->ops[i].rnode = r;
		return resolve_record(b, i, w, r);
	case AK_ENUM: {
		if (!names_match(w, r)) {
			issue(b, 1, AK_ISSUE_NAME_MISMATCH, "the writer's enum %s and the reader's enum %s have different names",
			      w->fullname, r->fullname);
			return error_op(b, "enum names differ");
		}
		if ((i = new_op(b, AK_OP_ENUM_R, w)) == NONE || !(slot = pair_slot(b, w->id, r->id, 1)))
			return NONE;
		*slot = i;
		b->ops[i].rnode = r;
		b->ops[i].n = (uint32_t)w->nsymbols;
		b->ops[i].nout = (uint32_t)r->nsymbols;
		b->meta[i].names = nstrs(b);
		for (size_t k = 0; k < r->nsymbols; k++)
			add_str(b, r->symbols[k], strlen(r->symbols[k]), 1);
		b->meta[i].map = b->i32.len / sizeof(int32_t);
		for (size_t k = 0; k < w->nsymbols; k++) {
			int32_t to = (int32_t)r->enum_default;

			for (size_t m = 0; m < r->nsymbols; m++)
				if (strcmp(w->symbols[k], r->symbols[m]) == 0)
					to = (int32_t)m;
			if (to < 0)
				issue(b, 0, AK_ISSUE_MISSING_SYMBOL, "the writer's symbol %s is not in the reader's enum %s, "
				      "which has no default", w->symbols[k], r->fullname);
			add_i32(b, to);
		}
		return i;
	}
	case AK_FIXED:
		if (!names_match(w, r) || w->size != r->size) {
			issue(b, 1, w->size != r->size ? AK_ISSUE_FIXED_SIZE : AK_ISSUE_NAME_MISMATCH, "the writer's fixed %s (%zu bytes) does not match the reader's "
			      "fixed %s (%zu bytes)", w->fullname, w->size, r->fullname, r->size);
			return error_op(b, "fixed types differ");
		}
		break;
	case AK_ARRAY:
	case AK_MAP: {
		size_t old;
		uint32_t item;

		if ((i = new_op(b, w->type, w)) == NONE || !(slot = pair_slot(b, w->id, r->id, 1)))
			return NONE;
		*slot = i;
		b->ops[i].rnode = r;
		old = path_push(b, "", w->type == AK_ARRAY ? "[]" : "{}");
		item = rop(b, w->items, r->items);
		path_pop(b, old);
		if (item == NONE)
			return NONE;
		b->ops[i].item = item;
		return i;
	}
	default:
		break;
	}
	/* same primitive (or fixed): read as the writer wrote it, presented as the reader's type
	 * (its logical type, for plain JSON and visitors); of two decimals of different scales
	 * the JSON writer keeps the writer's, which is the value that was written (decode.c) */
	if ((i = new_op(b, w->type, w)) == NONE || !(slot = pair_slot(b, w->id, r->id, 1)))
		return NONE;
	*slot = i;
	b->ops[i].rnode = r;
	b->ops[i].logical = (uint8_t)r->logical;
	if (w->type == AK_FIXED)
		b->ops[i].n = (uint32_t)w->size;
	if (w->logical == AK_LT_DECIMAL && r->logical == AK_LT_DECIMAL && w->scale != r->scale) {
		/* the same number in the reader's scale: 1.23 (123, scale 2) reads as 1.230 (1230,
		 * scale 3), not as 0.123; to a smaller scale only when no digit is lost */
		if (r->scale - w->scale > AK_RESCALE_MAX || w->scale - r->scale > AK_RESCALE_MAX) {
			issue(b, 1, AK_ISSUE_TYPE_MISMATCH, "the writer's decimal of scale %d cannot be "
			      "read as the reader's of scale %d (more than %d apart)", w->scale,
			      r->scale, AK_RESCALE_MAX);
			return error_op(b, "decimal scales too far apart");
		}
		/* a kind of its own: the common kinds' cases test nothing more */
		b->ops[i].kind = w->type == AK_FIXED ? AK_OP_RESCALE_FIXED : AK_OP_RESCALE_BYTES;
		b->ops[i].rescale = (int8_t)(r->scale - w->scale);
	}
	return i;
}

/* ---- finishing ---- */

/* zero_size by fixpoint: start from "may be empty" for records and lower it. */
static void compute_zero_sizes(struct ak_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned k = ops[i].kind;

		/* (an error op stands for a writer's value that may take no bytes: a null read
		 * as an int fails at its value, not at a count the data holds) */
		ops[i].zero_size = k == AK_NULL || (k == AK_FIXED && ops[i].n == 0) ||
				   k == AK_RECORD || k == AK_OP_RECORD_R || k == AK_OP_SKIP ||
				   k == AK_OP_TO_UNION || k == AK_OP_ERROR;
	}
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned k = ops[i].kind, z = ops[i].zero_size;

			if (!z)
				continue;
			if (k == AK_RECORD || k == AK_OP_RECORD_R) {
				for (uint32_t f = 0; f < ops[i].n; f++)
					if (!ops[ops[i].sub[f]].zero_size)
						z = 0;
			} else if (k == AK_OP_SKIP || k == AK_OP_TO_UNION) {
				z = ops[ops[i].item].zero_size;
			}
			if (z != ops[i].zero_size) {
				ops[i].zero_size = (uint8_t)z;
				changed = 1;
			}
		}
	}
}

static struct ak_plan *finish(struct pb *b, uint32_t root)
{
	size_t nstr = nstrs(b), nidx = b->idx.len / sizeof(uint32_t);
	size_t ni32 = b->i32.len / sizeof(int32_t);
	size_t sz = nstr * sizeof(struct ak_str) + nidx * sizeof(uint32_t) +
		    ni32 * sizeof(int32_t) + b->text.len + 1;
	struct ak_plan *p = calloc(1, sizeof(*p));
	char *mem = malloc(sz);

	if (!p || !mem) {
		free(p);
		free(mem);
		ak_fail(b->err, AK_E_NOMEM, "out of memory");
		return NULL;
	}
	struct ak_str *strs = (struct ak_str *)mem;
	uint32_t *idx = (uint32_t *)(strs + nstr);
	int32_t *i32 = (int32_t *)(idx + nidx);
	char *text = (char *)(i32 + ni32);

	if (b->text.len)
		memcpy(text, b->text.data, b->text.len);
	if (nidx)
		memcpy(idx, b->idx.data, nidx * sizeof(uint32_t));
	if (ni32)
		memcpy(i32, b->i32.data, ni32 * sizeof(int32_t));
	for (size_t k = 0; k < nstr; k++) {
		const struct soff *so = (const struct soff *)b->strs.data + k;

		strs[k].s = so->off == NO_OFF ? NULL : text + so->off;
		strs[k].len = so->off == NO_OFF ? 0 : so->len;
	}
	for (size_t k = 0; k < b->nops; k++) {
		struct ak_op *op = &b->ops[k];
		const struct meta *m = &b->meta[k];

		op->names = m->names == NO_OFF ? NULL : strs + m->names;
		op->sub = m->sub == NO_OFF ? NULL : idx + m->sub;
		op->map = m->map == NO_OFF ? NULL : i32 + m->map;
		op->defaults = m->defaults == NO_OFF ? NULL : strs + m->defaults;
		op->defops = m->defops == NO_OFF ? NULL : idx + m->defops;
	}
	p->ops = b->ops;
	p->nops = b->nops;
	p->root = root;
	p->mem = mem;
	b->ops = NULL;
	compute_zero_sizes(p->ops, p->nops);
	return p;
}

static void pb_release(struct pb *b)
{
	free(b->ops);
	free(b->meta);
	free(b->wmemo);
	free(b->rmemo);
	free(b->pairs);
	ak_buf_release(&b->text);
	ak_buf_release(&b->strs);
	ak_buf_release(&b->idx);
	ak_buf_release(&b->i32);
}

static int pb_init(struct pb *b, size_t nw, size_t nr, struct ak_issues *issues,
		   struct ak_error *err)
{
	memset(b, 0, sizeof(*b));
	b->err = err;
	b->issues = issues;
	b->nw = nw;
	b->nr = nr;
	b->wmemo = malloc((nw ? nw : 1) * sizeof(*b->wmemo));
	b->rmemo = malloc((nr ? nr : 1) * sizeof(*b->rmemo));
	if (!b->wmemo || !b->rmemo) {
		free(b->wmemo);
		free(b->rmemo);
		b->wmemo = b->rmemo = NULL;
		return ak_fail(err, AK_E_NOMEM, "out of memory");
	}
	for (size_t k = 0; k < nw; k++)
		b->wmemo[k] = NONE;
	for (size_t k = 0; k < nr; k++)
		b->rmemo[k] = NONE;
	return AK_OK;
}

struct ak_plan *ak_plan_new(const struct ak_schema *s, struct ak_error *err)
{
	struct ak_plan *p = NULL;
	struct pb b;
	uint32_t root;

	if (pb_init(&b, ak_schema_node_count(s), 0, NULL, err) != AK_OK)
		return NULL;
	root = wop(&b, ak_schema_root(s));
	if (root == NONE || b.nomem)
		ak_fail(err, AK_E_NOMEM, "out of memory");
	else
		p = finish(&b, root);
	pb_release(&b);
	return p;
}

static struct ak_plan *resolve(const struct ak_schema *writer, const struct ak_schema *reader,
			       struct ak_issues *issues, int lazy, struct ak_error *err)
{
	struct ak_plan *p = NULL;
	struct pb b;
	uint32_t root;

	if (pb_init(&b, ak_schema_node_count(writer), ak_schema_node_count(reader), issues,
		    err) != AK_OK)
		return NULL;
	b.lazy = lazy;
	root = rop(&b, ak_schema_root(writer), ak_schema_root(reader));
	if (root == NONE || b.nomem)
		ak_fail(err, AK_E_NOMEM, "out of memory");
	else if (!b.fatal || lazy)
		p = finish(&b, root);
	pb_release(&b);
	return p;
}

struct ak_plan *ak_plan_resolve(const struct ak_schema *writer, const struct ak_schema *reader,
				struct ak_issues *issues, struct ak_error *err)
{
	return resolve(writer, reader, issues, 0, err);
}

struct ak_plan *ak_plan_resolve_lazy(const struct ak_schema *writer,
				     const struct ak_schema *reader, struct ak_error *err)
{
	return resolve(writer, reader, NULL, 1, err);
}

void ak_plan_free(struct ak_plan *p)
{
	if (!p)
		return;
	free(p->ops);
	free(p->mem);
	free(p);
}
