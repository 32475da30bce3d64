/* SPDX-License-Identifier: Apache-2.0 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json_out.h"

/* All strings of a plan live in one buffer; ak_str pointers are fixed up at the end. */
struct builder {
	struct ak_buf text;
	struct ak_buf strs;   /* struct ak_str, with offsets in .s until fixed up */
	struct ak_buf idx;    /* uint32_t op indexes, same trick */
	struct ak_error *err;
};

static int add_quoted(struct builder *b, const char *s, size_t *out_index)
{
	size_t len = strlen(s), off = b->text.len;
	struct ak_str str;
	int rc;

	if ((rc = ak_buf_reserve(&b->text, AK_JSON_STRING_MAX(len) + 1, b->err)) != AK_OK)
		return rc;
	ak_json_put_string(&b->text, (const unsigned char *)s, len);
	b->text.data[b->text.len++] = '\0';
	str.s = (const char *)(uintptr_t)off;
	str.len = b->text.len - off - 1;
	*out_index = b->strs.len / sizeof(struct ak_str);
	return ak_buf_append(&b->strs, &str, sizeof(str), b->err);
}

static int add_none(struct builder *b)
{
	struct ak_str str = { NULL, 0 };

	return ak_buf_append(&b->strs, &str, sizeof(str), b->err);
}

static int add_index(struct builder *b, uint32_t v)
{
	return ak_buf_append(&b->idx, &v, sizeof(v), b->err);
}

/* Smallest encoding, computed to a fixpoint because of recursion (only 0 vs >0 matters). */
static void compute_min_sizes(struct ak_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case AK_NULL: ops[i].min_size = 0; break;
		case AK_FIXED: ops[i].min_size = ops[i].n; break;
		case AK_RECORD: ops[i].min_size = 0; break; /* raised below */
		case AK_FLOAT: ops[i].min_size = 4; break;
		case AK_DOUBLE: ops[i].min_size = 8; break;
		default: ops[i].min_size = 1; break;
		}
	}
	/* Records: sum of fields. Start from 0 (optimistic for recursion is wrong: a recursive
	 * record always has at least one branch byte, so iterate upwards to the fixpoint). */
	for (int changed = 1, rounds = 0; changed && rounds < 64; rounds++) {
		changed = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t sum = 0;

			if (ops[i].kind != AK_RECORD)
				continue;
			for (uint32_t f = 0; f < ops[i].n; f++)
				sum += ops[ops[i].sub[f]].min_size;
			if (sum > 1)
				sum = 1; /* only "zero or not" is used */
			if (sum != ops[i].min_size) {
				ops[i].min_size = (uint32_t)sum;
				changed = 1;
			}
		}
	}
}

struct ak_plan *ak_plan_new(const struct ak_schema *s, struct ak_error *err)
{
	size_t n = ak_schema_node_count(s);
	struct ak_plan *p = calloc(1, sizeof(*p));
	struct builder b = { AK_BUF_INIT, AK_BUF_INIT, AK_BUF_INIT, err };
	size_t *first_str = NULL, *first_idx = NULL;
	const struct ak_node **nodes = NULL;

	if (!p || !(p->ops = calloc(n ? n : 1, sizeof(*p->ops))) ||
	    !(first_str = calloc(n ? n : 1, sizeof(size_t))) ||
	    !(first_idx = calloc(n ? n : 1, sizeof(size_t))) ||
	    !(nodes = calloc(n ? n : 1, sizeof(*nodes)))) {
		ak_fail(err, AK_E_NOMEM, "out of memory");
		goto fail;
	}
	p->nops = n;

	/* Collect the nodes by id with a walk from the root. */
	{
		const struct ak_node **stack = calloc(n ? n : 1, sizeof(*stack));
		size_t sp = 0;

		if (!stack) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			goto fail;
		}
		stack[sp++] = ak_schema_root(s);
		nodes[ak_schema_root(s)->id] = ak_schema_root(s);
		while (sp) {
			const struct ak_node *x = stack[--sp];
			const struct ak_node *kids[1];
			size_t nk = 0;

#define VISIT(k) do { if (!nodes[(k)->id]) { nodes[(k)->id] = (k); stack[sp++] = (k); } } while (0)
			if (x->type == AK_RECORD)
				for (size_t i = 0; i < x->nfields; i++)
					VISIT(x->fields[i].type);
			if (x->type == AK_UNION)
				for (size_t i = 0; i < x->nbranches; i++)
					VISIT(x->branches[i]);
			if (x->type == AK_ARRAY || x->type == AK_MAP)
				kids[nk++] = x->items;
			for (size_t i = 0; i < nk; i++)
				VISIT(kids[i]);
#undef VISIT
		}
		free(stack);
	}

	for (size_t i = 0; i < n; i++) {
		const struct ak_node *x = nodes[i];
		struct ak_op *op = &p->ops[i];
		size_t dummy;

		if (!x) { /* a node not reachable from the root (cannot happen today) */
			op->kind = AK_NULL;
			continue;
		}
		op->kind = (uint8_t)x->type;
		op->logical = (uint8_t)x->logical;
		op->node = x;
		first_str[i] = b.strs.len / sizeof(struct ak_str);
		first_idx[i] = b.idx.len / sizeof(uint32_t);
		switch (x->type) {
		case AK_RECORD:
			op->n = (uint32_t)x->nfields;
			for (size_t f = 0; f < x->nfields; f++)
				if (add_quoted(&b, x->fields[f].name, &dummy) != AK_OK ||
				    add_index(&b, x->fields[f].type->id) != AK_OK)
					goto fail;
			break;
		case AK_UNION:
			op->n = (uint32_t)x->nbranches;
			for (size_t k = 0; k < x->nbranches; k++) {
				const struct ak_node *br = x->branches[k];
				int rc = br->type == AK_NULL ? add_none(&b)
							     : add_quoted(&b, ak_node_branch_name(br), &dummy);

				if (rc != AK_OK || add_index(&b, br->id) != AK_OK)
					goto fail;
			}
			break;
		case AK_ENUM:
			op->n = (uint32_t)x->nsymbols;
			for (size_t k = 0; k < x->nsymbols; k++)
				if (add_quoted(&b, x->symbols[k], &dummy) != AK_OK)
					goto fail;
			break;
		case AK_ARRAY:
		case AK_MAP:
			op->item = x->items->id;
			break;
		case AK_FIXED:
			op->n = (uint32_t)x->size;
			break;
		default:
			break;
		}
	}
	p->root = ak_schema_root(s)->id;

	/* One allocation holds the text, the strings and the indexes. */
	{
		size_t nstr = b.strs.len / sizeof(struct ak_str);
		size_t nidx = b.idx.len / sizeof(uint32_t);
		size_t sz = nstr * sizeof(struct ak_str) + nidx * sizeof(uint32_t) + b.text.len + 1;
		char *mem = malloc(sz);
		struct ak_str *strs = (struct ak_str *)mem;
		uint32_t *idx = (uint32_t *)(mem + nstr * sizeof(struct ak_str));
		char *text = (char *)(idx + nidx);

		if (!mem) {
			ak_fail(err, AK_E_NOMEM, "out of memory");
			goto fail;
		}
		if (b.text.len)
			memcpy(text, b.text.data, b.text.len);
		if (nidx)
			memcpy(idx, b.idx.data, nidx * sizeof(uint32_t));
		for (size_t i = 0; i < nstr; i++) {
			const struct ak_str *src = (const struct ak_str *)b.strs.data + i;

			strs[i].len = src->len;
			strs[i].s = src->s || src->len ? text + (uintptr_t)src->s : NULL;
		}
		p->mem = mem;
		for (size_t i = 0; i < n; i++) {
			struct ak_op *op = &p->ops[i];

			if (op->kind == AK_RECORD || op->kind == AK_UNION || op->kind == AK_ENUM)
				op->names = strs + first_str[i];
			if (op->kind == AK_RECORD || op->kind == AK_UNION)
				op->sub = idx + first_idx[i];
		}
	}
	compute_min_sizes(p->ops, n);
	ak_buf_release(&b.text);
	ak_buf_release(&b.strs);
	ak_buf_release(&b.idx);
	free(first_str);
	free(first_idx);
	free(nodes);
	return p;
fail:
	ak_buf_release(&b.text);
	ak_buf_release(&b.strs);
	ak_buf_release(&b.idx);
	free(first_str);
	free(first_idx);
	free(nodes);
	ak_plan_free(p);
	return NULL;
}

void ak_plan_free(struct ak_plan *p)
{
	if (!p)
		return;
	free(p->ops);
	free(p->mem);
	free(p);
}
