/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value trees: the builder behind struct ak_value (avrokit.h). ak_value_visitor is a visitor
 * whose context is a struct ak_value_builder; after a datum has been walked through it,
 * ak_value_builder_root() is the tree, valid until the next reset.
 */
#ifndef AK_VALUE_H
#define AK_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "avrokit.h"
#include "plan.h"

struct ak_value_builder {
	struct chunk *chunks, *cur; /* arena, kept across datums */
	struct slot *stack;         /* values waiting for their container to end */
	size_t nstack, capstack;
	struct frame *frames;       /* open containers */
	size_t nframes, capframes;
	int32_t branch;             /* the union branch of the next value, or -1 */
	uint32_t field;             /* the record field of the next value */
	struct ak_str key;          /* the map key of the next value */
};

extern const struct ak_visitor ak_value_visitor;

/* Empty the builder for the next datum (its memory is kept). Call before the first too. */
void ak_value_builder_reset(struct ak_value_builder *b);
/* The finished tree, or NULL when no complete datum was built. */
const struct ak_value *ak_value_builder_root(const struct ak_value_builder *b);
void ak_value_builder_release(struct ak_value_builder *b);

#endif /* AK_VALUE_H */
