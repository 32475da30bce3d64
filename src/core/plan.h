/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A decode plan: a schema compiled once into a flat array of ops that the per-record loop
 * runs without looking anything up. Each op holds what its type needs at run time: child op
 * indexes, JSON keys and union branch names already quoted, enum symbols already quoted, and
 * whether a value can take zero bytes (to bound item counts).
 *
 * A plan is built from a writer schema alone (ak_plan_new), or from a writer and a reader
 * schema (ak_plan_resolve), in which case it carries the specification's resolution rules:
 * fields matched by name and reader aliases, writer-only fields skipped, reader-only fields
 * filled from their defaults, promotions, enum symbols mapped by name (with the reader's
 * default), unions on either side, named types matched by unqualified name or alias. Every
 * decision that can be made up front is made here, not per record. Reader defaults are kept
 * as Avro binary of the reader's type, with the ops that read it: every consumer (JSON, a
 * visitor) gets a default exactly as it gets data.
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

/* Op kinds: the enum ak_type values for plain reads, then these for resolution. */
enum ak_op_kind {
	AK_OP_RECORD_R = AK_TYPE_COUNT, /* record read into a reader record */
	AK_OP_ENUM_R,       /* enum, symbols mapped to the reader's */
	AK_OP_UNION_R,      /* writer union; branches mapped to the reader's */
	AK_OP_TO_UNION,     /* writer non-union read as one branch of a reader union */
	AK_OP_INT_FLOAT,    /* promotions */
	AK_OP_INT_DOUBLE,
	AK_OP_LONG_FLOAT,
	AK_OP_LONG_DOUBLE,
	AK_OP_FLOAT_DOUBLE,
	AK_OP_BYTES_STRING,
	AK_OP_STRING_BYTES,
	AK_OP_SKIP,         /* read the writer value in `item` and write nothing */
	AK_OP_ERROR,        /* a value that cannot be read: names[0] holds why */
	AK_OP_RESCALE_BYTES, /* a decimal read in another scale (rescale): bytes, fixed */
	AK_OP_RESCALE_FIXED,
};

/* How far apart a writer's and a reader's decimal scales may be (ak_op.rescale), and the
 * longest unscaled value, in bytes, that is rescaled. */
#define AK_RESCALE_MAX 64
#define AK_RESCALE_BYTES 256

struct ak_op {
	uint8_t kind;           /* enum ak_type or enum ak_op_kind */
	uint8_t logical;        /* enum ak_logical */
	uint8_t zero_size;      /* a value may take no bytes at all */
	int8_t rescale;         /* RESCALE_*: the reader's decimal scale minus the writer's (the
				 * unscaled value is multiplied or, when exact, divided by 10 to
				 * that power) */
	uint32_t n;             /* fields, branches, symbols (writer side); fixed size */
	uint32_t nout;          /* RECORD_R: reader fields; ENUM_R: reader symbols */
	uint32_t item;          /* array items, map values, SKIP / TO_UNION target */
	const uint32_t *sub;    /* record fields / union branches: op indexes */
	const struct ak_str *names; /* record: quoted keys; union: quoted branch names (NULL
				     * entry for the null branch); enum: quoted symbols.
				     * Reader-side names for the _R kinds. */
	const int32_t *map;     /* RECORD_R: reader field of each writer field (-1: skip);
				 * ENUM_R: reader symbol of each writer symbol (-1: none);
				 * UNION_R: reader branch of each writer branch (-1: the reader is
				 * not a union, -2: no match); TO_UNION: map[0] = reader branch */
	const struct ak_str *defaults; /* RECORD_R: per reader field, its default as Avro binary
					* of the reader's type when the writer lacks the field,
					* else NULL */
	const uint32_t *defops; /* RECORD_R: per reader field, the op that reads that default
				 * (UINT32_MAX when the writer has the field) */
	const struct ak_node *node;  /* writer node, borrowed from the schema */
	const struct ak_node *rnode; /* the type the value is presented as: the reader's type
				      * when resolving, else the writer's (NULL for SKIP and
				      * ERROR) */
};

struct ak_plan {
	struct ak_op *ops;
	size_t nops;
	uint32_t root;
	void *mem; /* private */
};

/* Compile @s. The schema is borrowed and must outlive the plan. NULL with @err on failure. */
struct ak_plan *ak_plan_new(const struct ak_schema *s, struct ak_error *err);

/* Incompatibilities found while resolving, each with its path inside the schemas. */
struct ak_issue {
	char *path;    /* "" for the top level, else e.g. "address.zip" or "tags[]" */
	char *msg;
	int kind;      /* enum ak_issue_kind */
	int fatal;     /* no data can be read (a reader field without default, a type clash);
			* otherwise only some values fail (an enum symbol or union branch that
			* the reader lacks) */
};

struct ak_issues {
	struct ak_issue *v;
	size_t n, cap;
};

void ak_issues_release(struct ak_issues *is);

/*
 * Compile the resolution of data written with @writer to be read as @reader. Returns NULL with
 * @err naming the first fatal incompatibility ("field \"zip\": ..."). When @issues is not NULL
 * it receives every incompatibility found, fatal or not (the plan is then still returned if
 * none is fatal). Both schemas are borrowed and must outlive the plan.
 */
struct ak_plan *ak_plan_resolve(const struct ak_schema *writer, const struct ak_schema *reader,
				struct ak_issues *issues, struct ak_error *err);
/* The same, but the plan is made whatever is incompatible (AK_RESOLVE_LAZY): each part the
 * reader cannot read becomes an AK_OP_ERROR (a record that lacks a field: the record), which
 * fails when a value of it is read. */
struct ak_plan *ak_plan_resolve_lazy(const struct ak_schema *writer,
				     const struct ak_schema *reader, struct ak_error *err);

void ak_plan_free(struct ak_plan *p);

/* ak_plan_new(@writer) when @reader is NULL, else ak_plan_resolve() without the issues, its
 * failure prefixed "cannot read with the reader schema" (ak_plan_resolve_lazy() with
 * AK_RESOLVE_LAZY in @resolve_flags). */
struct ak_plan *ak_plan_for(const struct ak_schema *writer, const struct ak_schema *reader,
			    unsigned resolve_flags, struct ak_error *err);

#endif /* AK_PLAN_H */
