/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Avro IDL: a hand-written recursive-descent parser for the IDL language (protocols, and the
 * schema syntax with `namespace` and `schema` declarations), with imports of IDL, JSON
 * protocol and JSON schema files, that yields what Java's avro-tools `idl` prints for the same
 * input: the protocol, the main schema, or the list of named schemas, as JSON.
 *
 * The core never opens files: imports are read through a loader the caller supplies, which
 * finds the file (relative to the importing one, then along an import path) and hands back its
 * text and an identity, so a file imported twice, or importing itself, is read once (the
 * second import is skipped, as Java skips it). Nesting of types and JSON values is limited
 * (AK_SCHEMA_MAX_DEPTH), as are the number of files, their nesting and their total size, so
 * memory stays bounded by the input.
 *
 * Errors name the file, line and column: "schema.avdl:12:8: expected ';', found '}'", in
 * err->msg (err->line and err->column stay 0, because the place may be in an imported file).
 */
#ifndef AK_IDL_H
#define AK_IDL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* A file given to the parser: the main one, or one a loader found for an import. */
struct ak_idl_source {
	char *name;      /* for messages and for the loader (malloc'd; the parser frees it) */
	char *text;      /* the contents (malloc'd; the parser frees it) */
	size_t len;
	int has_id;      /* id names the file: two sources with the same id are one file */
	uint64_t id[2];  /* e.g. device and inode */
};

struct ak_idl_loader {
	/*
	 * Find @path, as written in an import statement of the file named @from (NULL for a
	 * main file without a name, e.g. standard input): fill out->name (malloc'd) and, when
	 * the file can be told apart that way, out->id and out->has_id; not the text yet. AK_OK,
	 * or fail with @err, whose message is put after the place of the import statement.
	 */
	int (*find)(void *ctx, const char *from, const char *path, struct ak_idl_source *out,
		    struct ak_error *err);
	/* Read the file find() found into src->text and src->len, at most @max bytes (a larger
	 * file is an AK_E_LIMIT error). Not called for a file already read. */
	int (*read)(void *ctx, struct ak_idl_source *src, size_t max, struct ak_error *err);
	void *ctx;
};

#define AK_IDL_MAX_FILES 1000       /* files read by one parse, the main one included */
#define AK_IDL_MAX_IMPORTS 100000   /* import statements in all of them (repeats included) */
#define AK_IDL_MAX_IMPORT_DEPTH 64  /* imports inside imports */
#define AK_IDL_MAX_BYTES ((size_t)64 << 20) /* total size of those files */
/* JSON written by one call: this plus 16 times the input's size. (A type used by many others
 * is written out in full in each, so the output of idl2schemata or of a file without a main
 * schema can be far larger than its input.) */
#define AK_IDL_MAX_OUTPUT ((size_t)64 << 20)

struct ak_idl_opts {
	const struct ak_idl_loader *loader; /* NULL: an import is an error */
	size_t max_files;                   /* 0: AK_IDL_MAX_FILES */
	size_t max_bytes;                   /* 0: AK_IDL_MAX_BYTES */
};

enum ak_idl_kind {
	AK_IDL_PROTOCOL, /* a `protocol` file: the result is a protocol (.avpr) */
	AK_IDL_SCHEMA,   /* schema syntax with a `schema` declaration: that schema (.avsc) */
	AK_IDL_SCHEMAS,  /* schema syntax without one: a JSON array of its named schemas */
};

struct ak_idl;

/*
 * Parse @main. Takes @main's name and text (freed here, also on failure). NULL with @err set
 * on any error. The warnings (documentation comments where nothing can use them) are kept in
 * the result.
 */
struct ak_idl *ak_idl_parse(struct ak_idl_source *main, const struct ak_idl_opts *opts,
			    struct ak_error *err);

/* Does nothing when @idl is NULL. */
void ak_idl_free(struct ak_idl *idl);

enum ak_idl_kind ak_idl_kind(const struct ak_idl *idl);

/*
 * Append the result to @out as JSON: with @indent 0 on one line, else laid out the way
 * avro-tools prints it (Jackson's "key" : value, @indent spaces a level). What avro-tools
 * `idl` prints: the protocol, the main schema, or the array of named schemas. Fails
 * (AK_E_LIMIT) only when types nest deeper than AK_SCHEMA_MAX_DEPTH as written out.
 */
int ak_idl_json(const struct ak_idl *idl, int indent, struct ak_buf *out, struct ak_error *err);

/* The main schema alone (for a command that takes a schema): fails with AK_E_SCHEMA when the
 * file is a protocol or has no `schema` declaration. */
int ak_idl_schema_json(const struct ak_idl *idl, int indent, struct ak_buf *out,
		       struct ak_error *err);

/* The named schemas, in the order avro-tools `idl2schemata` writes them (the protocol's
 * types, imported ones included). */
size_t ak_idl_type_count(const struct ak_idl *idl);
const char *ak_idl_type_name(const struct ak_idl *idl, size_t i);     /* simple name */
const char *ak_idl_type_fullname(const struct ak_idl *idl, size_t i); /* with namespace */
/* Type @i as a schema on its own: the types it uses are defined inline where first used. */
int ak_idl_type_json(const struct ak_idl *idl, size_t i, int indent, struct ak_buf *out,
		     struct ak_error *err);

struct ak_idl_warning {
	const char *file;
	unsigned long line, column;
	const char *msg;
};

#define AK_IDL_MAX_WARNINGS 1000 /* kept; the rest are only counted */

size_t ak_idl_warning_count(const struct ak_idl *idl); /* kept */
size_t ak_idl_warning_total(const struct ak_idl *idl); /* kept and counted */
const struct ak_idl_warning *ak_idl_warning(const struct ak_idl *idl, size_t i);

/* Strip a documentation comment's text (without its slash-stars, already trimmed of blanks
 * at both ends) of leading stars and common indentation the way the Java implementation
 * does: every line starting with the same one or two stars loses them and one blank after;
 * else the indentation the later lines share is removed. Appends to @out. */
int ak_idl_strip_doc(const char *s, size_t len, struct ak_buf *out, struct ak_error *err);

#endif /* AK_IDL_H */
