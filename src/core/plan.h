/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A decode plan: the schema compiled once into a flat array of ops that the per-record loop
 * runs without looking anything up. Each op holds what its type needs at run time: child op
 * indexes, JSON keys and union branch names already quoted and escaped, enum symbols already
 * quoted, and the smallest number of bytes a value can take (to bound item counts).
 *
 * Plans are built from one writer schema now; schema resolution (a reader schema) adds ops of
 * its own kinds on the same structure.
 */
#ifndef AK_PLAN_H
#define AK_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "schema.h"

struct ak_str {
	const char *s;
	size_t len;
};

struct ak_op {
	uint8_t kind;           /* enum ak_type */
	uint8_t logical;        /* enum ak_logical */
	uint32_t n;             /* fields, branches, symbols; fixed size */
	uint32_t item;          /* array items / map values */
	uint32_t min_size;      /* fewest bytes one encoded value takes (0 or 1 is what matters) */
	const uint32_t *sub;    /* record fields / union branches: op indexes */
	const struct ak_str *names; /* record: quoted keys; union: quoted branch names (NULL
				     * entry for the null branch); enum: quoted symbols */
	const struct ak_node *node; /* borrowed from the schema */
};

struct ak_plan {
	struct ak_op *ops;
	size_t nops;
	uint32_t root;
	/* private */
	void *mem;
};

/* Compile @s. The schema is borrowed and must outlive the plan. NULL with @err on failure. */
struct ak_plan *ak_plan_new(const struct ak_schema *s, struct ak_error *err);
void ak_plan_free(struct ak_plan *p);

#endif /* AK_PLAN_H */
