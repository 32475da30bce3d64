/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro schemas: parsing from JSON, named types with namespaces and aliases, recursion,
 * logical types, and the checks the specification asks for. A parsed schema is immutable;
 * all of its nodes and strings live as long as the struct ak_schema that owns them.
 */
#ifndef AK_SCHEMA_H
#define AK_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "avrokit.h"
#include "buf.h"
#include "error.h"

/* enum ak_type, enum ak_logical, enum ak_order: avrokit.h */
#define AK_TYPE_COUNT (AK_FIXED + 1)

struct ak_node;

struct ak_field {
	const char *name;
	struct ak_node *type;
	const void *def;        /* default as a jansson json_t *, or NULL when there is none */
	const char **aliases;
	size_t naliases;
	enum ak_order order;
};

struct ak_node {
	enum ak_type type;
	unsigned id;              /* dense index, 0 .. ak_schema_node_count() - 1 */

	/* record, enum, fixed */
	const char *name;         /* the simple name */
	const char *space;        /* namespace, or NULL for the null namespace */
	const char *fullname;
	const char **aliases;     /* full names */
	size_t naliases;

	const char *logical_name; /* the logicalType attribute as written, or NULL */
	enum ak_logical logical;  /* AK_LT_NONE when absent, unknown or invalid */
	int precision, scale;     /* decimal */

	struct ak_field *fields;  /* record */
	size_t nfields;

	const char **symbols;     /* enum */
	size_t nsymbols;
	long enum_default;        /* index into symbols, or -1 */

	struct ak_node *items;    /* array items, map values */

	struct ak_node **branches;/* union */
	size_t nbranches;

	size_t size;              /* fixed */
};

struct ak_schema;

/* Nesting limit for schemas (and for the JSON that holds them). */
#define AK_SCHEMA_MAX_DEPTH 256

/* ak_schema_parse() and enum ak_schema_flags: avrokit.h */

/* ak_schema_parse() with @flags (enum ak_schema_flags). */
struct ak_schema *ak_schema_parse_ex(const char *text, size_t len, unsigned flags,
				     struct ak_error *err);

/* One schema text of several, for ak_schema_parse_many(). */
struct ak_schema_text {
	const char *text;
	size_t len;
	const char *name; /* put in front of messages about this text ("user.avsc"), or NULL */
};

/*
 * Parse @n schema texts whose named types refer to each other, as projects keep their types
 * in separate .avsc files (fastavro's load_schema and parse_schema's named_schemas do this):
 * one schema holds the named types of them all, and its root is the last text's schema. The
 * order of the others does not matter: a text that uses a name not defined yet is tried again
 * after the rest. A name defined in two texts is an error. ak_schema_to_json() of the result
 * gives the root's JSON with the definition of each type from another text written in place
 * of its first use, so that it stands alone (the schema a data file must hold). Errors name
 * the text (its @name) and the path inside it.
 */
struct ak_schema *ak_schema_parse_many(const struct ak_schema_text *texts, size_t n,
				       unsigned flags, struct ak_error *err);

/* Does nothing when @s is NULL. */
void ak_schema_free(struct ak_schema *s);

const struct ak_node *ak_schema_root(const struct ak_schema *s);
size_t ak_schema_node_count(const struct ak_schema *s);
/* The node whose id is @id, or NULL. */
const struct ak_node *ak_schema_node(const struct ak_schema *s, size_t id);

/* The schema as JSON text (malloc'd, caller frees). @indent 0 gives one line. */
char *ak_schema_json(const struct ak_schema *s, int indent);

/*
 * jansson cannot hold U+0000 in an object key, so the JSON of a parsed schema keeps its object
 * keys escaped: U+0000 as U+FFFF '0', U+FFFF as U+FFFF U+FFFF, any other key as written.
 * Appends the real bytes of such a key @key (a map default's key, say), U+0000 included, to
 * @out. AK_OK or AK_E_NOMEM.
 */
int ak_schema_key_append(struct ak_buf *out, const char *key, struct ak_error *err);

/* The schema's Parsing Canonical Form (malloc'd, caller frees), or NULL with @err set. */
char *ak_schema_canonical(const struct ak_schema *s, struct ak_error *err);

/* "record", "int", ... */
const char *ak_type_name(enum ak_type t);

/* The name a union branch of this node carries in Avro JSON: the full name for named
 * types, the type name otherwise ("int", "array", "map"). */
const char *ak_node_branch_name(const struct ak_node *n);

#endif /* AK_SCHEMA_H */
