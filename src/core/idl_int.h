/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the IDL parser: the model that idl.c (the IDL parser, name resolution, checks) and
 * idl_json.c (imported JSON files, JSON output) share. A parse builds one struct idl_ctx; all
 * of its nodes and strings live in its arena, its JSON values (properties, defaults) are
 * jansson values it owns, and everything goes at ak_idl_free().
 */
#ifndef AK_IDL_INT_H
#define AK_IDL_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "idl.h"

enum idl_kind {
	IK_NULL,
	IK_BOOLEAN,
	IK_INT,
	IK_LONG,
	IK_FLOAT,
	IK_DOUBLE,
	IK_BYTES,
	IK_STRING,
	IK_RECORD,
	IK_ENUM,
	IK_FIXED,
	IK_ARRAY,
	IK_MAP,
	IK_UNION,
	IK_REF, /* a name, resolved to @target once everything is read */
};

/* Where something is written: line 0 when it comes from a JSON file (no position kept). */
struct idl_loc {
	const char *file;
	unsigned long line, column;
};

struct idl_type;

struct idl_field {
	const char *name;
	const char *doc;
	struct idl_type *type;
	json_t *def;            /* default, or NULL */
	struct idl_loc loc;     /* of the name */
	struct idl_loc def_loc; /* of the default */
	int order;              /* 0 ascending, 1 descending, 2 ignore */
	const char **aliases;
	size_t naliases;
	json_t *props;          /* other properties (object), or NULL */
};

/* What a record, enum or fixed has beyond other types. */
struct idl_named {
	const char *name, *space, *full, *doc;
	const char **aliases;   /* as written */
	size_t naliases;
	size_t index;           /* in ctx->types, the same for equal redefinitions */
	int is_error;
	struct idl_field *fields;
	size_t nfields;
	const char **symbols;
	size_t nsymbols;
	const char *enum_default;
	int64_t size;
};

struct idl_type {
	enum idl_kind kind;
	unsigned char optional; /* made by T?: null goes last when the default is not null */
	unsigned char shared;   /* a primitive node shared by every use (see idl_shared()) */
	json_t *props;          /* extra properties (object), or NULL */
	struct idl_loc loc;
	struct idl_named *nm;   /* record, enum, fixed */
	/* array items, map values */
	struct idl_type *items;
	/* union */
	struct idl_type **branches;
	size_t nbranches;
	struct idl_loc *blocs;  /* where each branch is written (a union {...}), or NULL */
	/* reference */
	const char *ref;        /* full name */
	struct idl_type *target;
};

struct idl_message {
	const char *name, *doc;
	json_t *props;
	struct idl_field *params;
	size_t nparams;
	struct idl_type *response;
	struct idl_type **errors;
	size_t nerrors;
	int oneway;
	struct idl_loc loc;
};

/* A string -> pointer hash map; keys are borrowed (they live in the arena). */
struct idl_map {
	struct idl_map_slot {
		const char *key;
		void *val;
	} *slots;
	size_t cap, count;
};

/* Messages in order, by name; a message with a name already there replaces it in place. */
struct idl_msgs {
	struct ak_buf list; /* struct idl_message *[] */
	struct idl_map index; /* name -> position + 1 */
};

struct idl_arena;

struct idl_ctx {
	struct ak_error *err;
	struct idl_arena *arena;
	struct idl_map names;   /* full name -> registered named type */
	struct ak_buf types;    /* struct idl_type *[], named types in the order they were defined */
	struct ak_buf refs;     /* struct idl_type *[], references to resolve */
	struct ak_buf unions;   /* struct idl_type *[], unions to check */
	struct ak_buf fields;   /* struct idl_field *[], fields whose default is to be checked */
	struct ak_buf owned;    /* json_t *[], released at the end */
	struct ak_buf files;    /* struct idl_file_id[], files read so far */
	struct ak_buf texts;    /* char *[], file names and texts, freed at the end */
	struct ak_buf warnings; /* struct ak_idl_warning[] */
	size_t nwarnings;       /* all of them, counted past AK_IDL_MAX_WARNINGS */
	size_t bytes;           /* text read so far */
	size_t nimports;        /* import statements so far */
	size_t max_files, max_bytes;
	const struct ak_idl_loader *loader;
	unsigned import_depth;
	/* the primitive and logical types without annotations: one node each, used everywhere
	 * (a parse makes millions of them otherwise) */
	struct idl_type *shared[IK_STRING + 1 + 5];
	/* for writing: which types are written already (by index), all 0 between writes */
	unsigned char *seen;
};

/* ---- idl.c, for idl_json.c ---- */

void *idl_alloc(struct idl_ctx *c, size_t n);                 /* zeroed; NULL on ENOMEM */
char *idl_strndup(struct idl_ctx *c, const char *s, size_t n); /* NUL-terminated copy */
int idl_own(struct idl_ctx *c, json_t *v);                     /* decref'd at the end */
int idl_vec_push(struct ak_buf *v, const void *p, struct ak_error *err);
int idl_map_put(struct idl_map *m, const char *key, void *val, struct ak_error *err);
void *idl_map_get(const struct idl_map *m, const char *key);
int idl_msgs_put(struct idl_msgs *m, struct idl_message *msg, struct ak_error *err);
void idl_msgs_release(struct idl_msgs *m);

/* "FILE:LINE:COL: " (or "FILE: " at line 0) and the message, into c->err; AK_E_SCHEMA. */
int idl_fail(struct idl_ctx *c, const struct idl_loc *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Is @s (a whole name) valid: a letter or '_', then letters, digits and '_'? */
int idl_valid_name(const char *s);
/* Check the parts of a dotted namespace. */
int idl_valid_namespace(const char *s);

/* Register named type @t (its full name set); an equal type of that name already there is
 * kept instead. */
int idl_register(struct idl_ctx *c, struct idl_type *t);

/* The shared node of primitive type @kind (no properties, no place); NULL on ENOMEM. */
struct idl_type *idl_shared(struct idl_ctx *c, enum idl_kind kind);

/* ---- idl_json.c ---- */

/* An imported JSON schema file: its named types are registered. */
int idl_import_schema(struct idl_ctx *c, const char *file, const char *text, size_t len);
/* An imported JSON protocol file: its types are registered, its messages added to @msgs
 * (when not NULL). */
int idl_import_protocol(struct idl_ctx *c, const char *file, const char *text, size_t len,
			struct idl_msgs *msgs);

/* What the JSON output needs of a parse. */
struct idl_result {
	enum ak_idl_kind kind;
	const char *name, *space, *doc; /* protocol */
	json_t *props;                  /* protocol */
	struct idl_msgs msgs;           /* protocol */
	struct idl_type *main;          /* schema */
};

/* Write the output (compact JSON) to @out. */
int idl_emit_result(const struct idl_ctx *c, const struct idl_result *r, struct ak_buf *out);
/* Type @t on its own (compact). */
int idl_emit_alone(const struct idl_ctx *c, const struct idl_type *t, struct ak_buf *out);
/* A JSON value as compact text, doubles spelled as Java spells them. */
int idl_put_json(struct ak_buf *out, const json_t *v, unsigned depth, struct ak_error *err);

#endif /* AK_IDL_INT_H */
