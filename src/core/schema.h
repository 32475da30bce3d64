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

#include "buf.h"
#include "error.h"

enum ak_type {
	AK_NULL,
	AK_BOOLEAN,
	AK_INT,
	AK_LONG,
	AK_FLOAT,
	AK_DOUBLE,
	AK_BYTES,
	AK_STRING,
	AK_RECORD,
	AK_ENUM,
	AK_ARRAY,
	AK_MAP,
	AK_UNION,
	AK_FIXED,
};
#define AK_TYPE_COUNT (AK_FIXED + 1)

/* Logical types this build understands. A logical type that is unknown, or invalid for its
 * base type (say, a decimal whose scale exceeds its precision), is AK_LT_NONE here, as the
 * specification asks; its attribute is still kept in the schema's JSON. */
enum ak_logical {
	AK_LT_NONE,
	AK_LT_DECIMAL,
	AK_LT_UUID,
	AK_LT_DATE,
	AK_LT_TIME_MILLIS,
	AK_LT_TIME_MICROS,
	AK_LT_TIMESTAMP_MILLIS,
	AK_LT_TIMESTAMP_MICROS,
	AK_LT_TIMESTAMP_NANOS,
	AK_LT_LOCAL_TIMESTAMP_MILLIS,
	AK_LT_LOCAL_TIMESTAMP_MICROS,
	AK_LT_LOCAL_TIMESTAMP_NANOS,
	AK_LT_DURATION,
};

enum ak_order { AK_ORDER_ASCENDING, AK_ORDER_DESCENDING, AK_ORDER_IGNORE };

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

/*
 * Parse a schema from JSON text. Returns NULL with @err set (AK_E_SCHEMA, message naming the
 * path inside the schema such as `fields[3].type.items: unknown type "strng"`).
 */
struct ak_schema *ak_schema_parse(const char *text, size_t len, struct ak_error *err);

/* How ak_schema_parse_ex() and ak_schema_parse_many() read a schema. */
enum ak_schema_flags {
	/*
	 * A data file's own header schema: read as Java reads it (DataFileStream parses it with
	 * NameValidator.NO_VALIDATION and without default validation), because the file exists
	 * and its user needs the records. Names, namespaces, field names, enum symbols and
	 * aliases need only be non-empty (Java reflection writes namespaces ending in "$", Pig
	 * enum symbols starting with a digit); a named type may be named after a primitive type
	 * inside a namespace ("ns.int", which Java and Python allow; a bare "int" still means the
	 * primitive, as in Java); a default that does not fit its field's type is dropped (a
	 * writer schema's defaults are never used); a schema object in place of a type name,
	 * {"type": {"type": "fixed", ...}, "logicalType": "duration"} as Rust's apache-avro
	 * writes it, is taken as the inner schema with the outer logical type. Everything else
	 * is checked as usual. Without this flag all of those are errors.
	 */
	AK_SCHEMA_LENIENT = 1 << 0,
	/* The specification's rule for union defaults: a union field's default must fit the
	 * union's first branch (Java and Python take any branch, and so does avrokit without this
	 * flag). Applies inside record and array defaults too. */
	AK_SCHEMA_UNION_DEFAULT_FIRST = 1 << 1,
};

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

/* The schema as JSON text (malloc'd, caller frees). @indent 0 gives one line. */
char *ak_schema_to_json(const struct ak_schema *s, int indent);

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

/* Does the JSON value @json (a jansson json_t *) fit type @n, by the rules for field defaults
 * (unions: any branch; bytes and fixed: strings of code points U+0000..U+00FF)? */
int ak_node_accepts_json(const struct ak_node *n, const void *json);

#endif /* AK_SCHEMA_H */
