/* SPDX-License-Identifier: Apache-2.0 */
/*
 * avrokit.h: the public interface of libavrokit, an Apache Avro codec.
 *
 * This is the only header the library installs. Link with `pkg-config --libs avrokit`.
 * avrokit(3) is the overview, with a complete example; each area has a page of its own
 * (ak_schema(3), ak_reader(3), ak_writer(3), ak_decoder(3), ak_encoder(3), ak_visitor(3),
 * ak_value(3), ak_error(3), ak_json(3), ak_infer(3), ak_random(3), ak_stream(3)).
 *
 * The pieces:
 *
 *   schema    parse a schema from JSON (with every check the specification asks for), walk
 *             its types, Parsing Canonical Form, fingerprints, compatibility of two schemas
 *   reader    an object container file over a path, a file descriptor, memory or your
 *             callbacks (pipes work: it never needs to seek), record by record or block by
 *             block, with a reader schema (schema resolution) if you like
 *   writer    an object container file with any codec, level, block size, metadata and sync
 *             marker; records from C values, from encoded datums or from JSON text
 *   decoder   one datum without a container (schemaless), from a byte buffer
 *   encoder   build one datum from C values (or JSON text), with the schema's checks
 *   visitor   how decoded data reaches you: a callback per value, in schema order
 *   value     or a read-only tree of the record, for code that wants to look things up
 *   infer     a schema that fits JSON values (or your own values), as `avrokit infer`
 *   random    random datums for a schema, as `avrokit random`
 *   stream    messages one after the other (bare datums, single-object encoding, Confluent's
 *             wire format), read with their schemas found by fingerprint or id, and written
 *
 * Conventions, the same everywhere:
 *
 * - Functions that can fail return an int: AK_OK (0), AK_EOF (1) where an end is normal,
 *   or a negative enum ak_status. Their last parameter is a struct ak_error * that receives
 *   the code, errno for I/O errors, where it happened (byte offset, block, record, field path,
 *   line and column of text input) and a message. It may be NULL when you only want the
 *   code. Functions that return a pointer return NULL on failure and fill the error. The
 *   struct is written only when a call fails: after a success it holds what it held before,
 *   so test the return value, not err->code.
 * - Handles are opaque. Create with ak_X_new()/ak_X_open*(), free with ak_X_free(); every free
 *   function does nothing when given NULL.
 * - "Borrowed" means the pointer stays valid only as long as the object it came from, or, for
 *   data handed out by a read call, until the next call on the same handle. Strings the
 *   library allocates for you are freed with ak_free().
 * - Option structs are versioned: always fill them with their ak_X_opts_init() first, then
 *   set the fields you need. New fields are only ever added in the reserved space.
 * - Threads: there is no global state. A schema is immutable once parsed and may be shared by
 *   any number of threads. Every other handle (reader, writer, decoder, encoder, value) is used
 *   by one thread at a time; use one per thread. The library may start threads of its own
 *   (the `threads` options); they never call your callbacks. Every callback you pass (read,
 *   skip, write, progress, visitor) is called on the thread that called the library, during
 *   that call.
 * - Nothing is written to standard output or standard error, nothing calls exit(), and no
 *   signal handler is installed.
 */
#ifndef AVROKIT_H
#define AVROKIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AK_BUILDING_LIBRARY) && defined(__GNUC__)
#define AK_API __attribute__((visibility("default")))
#else
#define AK_API
#endif

/* ==== version ==== */

#define AK_VERSION_MAJOR 0
#define AK_VERSION_MINOR 1
#define AK_VERSION_PATCH 0
#define AK_VERSION_STRING "0.1.0"
/* One number that compares: 10000 * major + 100 * minor + patch. */
#define AK_VERSION_NUMBER (AK_VERSION_MAJOR * 10000 + AK_VERSION_MINOR * 100 + AK_VERSION_PATCH)

/* The version of the library actually loaded, which may be newer than the header's. */
AK_API const char *ak_version(void);
AK_API unsigned ak_version_number(void);

/* ==== errors ==== */

/*
 * Status codes. Their values are frozen: new codes are only ever appended (more negative).
 */
enum ak_status {
	AK_OK = 0,
	AK_EOF = 1,             /* a normal end: no more records, blocks or values */
	AK_E_NOMEM = -1,        /* an allocation failed */
	AK_E_IO = -2,           /* a read or write failed; sys_errno says why */
	AK_E_FORMAT = -3,       /* the bytes are not valid Avro (container file or datum) */
	AK_E_SCHEMA = -4,       /* the schema is invalid, or two schemas cannot be resolved */
	AK_E_LIMIT = -5,        /* a limit was exceeded (block size, header size, depth) */
	AK_E_CODEC = -6,        /* compressed data is corrupt, or the codec is unknown */
	AK_E_UNSUPPORTED = -7,  /* valid, but not supported by this build (a codec left out) */
	AK_E_ARG = -8,          /* the caller passed something invalid */
	AK_E_JSON = -9,         /* JSON text is malformed or does not fit the schema */
	AK_E_VALUE = -10,       /* a C value does not fit the schema (encoder) */
	AK_E_STATE = -11,       /* a call out of order (a record left unfinished, say) */
	AK_E_CALLBACK = -12,    /* a callback of yours asked to stop */
};

/* A position that is not known or does not apply. */
#define AK_NO_POS UINT64_MAX

enum ak_error_flags {
	AK_ERROR_OUTPUT = 1 << 0,       /* the failure was in writing the output, not in the
					 * input */
	AK_ERROR_LIMIT_HEADER = 1 << 1, /* AK_E_LIMIT: the max_header limit */
	AK_ERROR_LIMIT_BLOCK = 1 << 2,  /* AK_E_LIMIT: the max_block limit */
	AK_ERROR_TRUNCATED = 1 << 3,    /* AK_E_FORMAT: the data ends inside a value or a
					 * header (more input might have completed it) */
	AK_ERROR_READER_SCHEMA = 1 << 4,/* the reader schema cannot read the writer schema's
					 * data (AK_E_SCHEMA), or a value of it (AK_E_FORMAT:
					 * a symbol or union branch the reader lacks) */
	AK_ERROR_UNKNOWN_TYPE = 1 << 5, /* AK_E_SCHEMA: a type name that is neither a
					 * primitive nor defined before its use */
	AK_ERROR_UNKNOWN_SCHEMA = 1 << 6, /* AK_E_SCHEMA: a message's fingerprint or schema id
					   * matches no schema the stream reader has */
};

#define AK_ERROR_PATH_MAX 256
#define AK_ERROR_MSG_MAX 512

/*
 * What went wrong and where. Caller-owned: put one on the stack, pass its address. Fields
 * that do not apply are AK_NO_POS (positions) or 0 (line, column) or "" (path).
 */
struct ak_error {
	int code;         /* enum ak_status; 0 when no error was recorded */
	int sys_errno;    /* errno for AK_E_IO, else 0 */
	unsigned flags;   /* enum ak_error_flags */
	unsigned reserved0;
	uint64_t offset;  /* byte offset in the input: of the block for container data, of the
			   * datum or message for schemaless data */
	uint64_t block;   /* block index in a container file, from 0 */
	uint64_t record;  /* record index: within the block for container files, else within
			   * the input */
	uint64_t line;    /* text input (JSON, schemas): line and column, from 1; else 0 */
	uint64_t column;
	char path[AK_ERROR_PATH_MAX]; /* where inside the value: "address.zip", "tags[3]",
				       * "m[\"k\"]"; "" at the top level or when none */
	char msg[AK_ERROR_MSG_MAX];   /* what is wrong, without the position; path and msg
				       * are valid UTF-8 ('?' for the bytes of a character
				       * a cut would split) */
	uint64_t reserved[8];
};

/* Make @err empty: code 0, no position, no message. */
AK_API void ak_error_clear(struct ak_error *err);

/*
 * Write @err in avrokit's usual form into @buf (always NUL-terminated, cut to @size):
 * "block 7 (offset 81234): record 3: field address.zip: negative string length" for
 * container data, "12:5: field \"a.b\": expected string, got number" for text input, or the
 * message alone. Returns the length the whole text has (as snprintf does).
 */
AK_API size_t ak_error_format(const struct ak_error *err, char *buf, size_t size);

/* A short name for a status code: "format error", "I/O error", ...; "unknown error" for a
 * code this version does not know. Static storage. */
AK_API const char *ak_status_name(int code);

/* Free memory the library allocated for you (schema JSON, canonical forms, ...). */
AK_API void ak_free(void *p);

/* ==== callbacks for I/O ==== */

/* Read up to @n bytes into @buf: the count read, 0 at the end of the input, or -1 with errno
 * set (EIO when left at 0). Short reads are fine; a count above @n is refused (AK_E_IO). */
typedef ssize_t (*ak_read_fn)(void *ctx, void *buf, size_t n);
/* Optional: move forward @n bytes without reading them. 0, or -1 with errno set (ESPIPE:
 * cannot; the library then reads instead, and stops asking; any other errno is an AK_E_IO
 * error). Only called for distances larger than the library's read buffer. */
typedef int (*ak_skip_fn)(void *ctx, uint64_t n);
/* Write all @n bytes: 0, or -1 with errno set. */
typedef int (*ak_write_fn)(void *ctx, const void *buf, size_t n);

/* ==== schemas ==== */

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

/* Logical types. AK_LT_NONE when there is none, or when the attribute names a logical type
 * this library does not know or its parameters are invalid (the specification says to use
 * the underlying type then). */
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

/* The "order" attribute of a record field (sort order). No function of this version returns
 * it. */
enum ak_order { AK_ORDER_ASCENDING, AK_ORDER_DESCENDING, AK_ORDER_IGNORE };

/* A parsed schema: owns every type in it. */
struct ak_schema;
/* One type inside a schema. Borrowed from its schema. */
struct ak_node;

enum ak_schema_flags {
	/*
	 * A data file's own schema, read as Java reads it (without name or default validation),
	 * because the file exists and its user needs the records: names, namespaces, field
	 * names, enum symbols and aliases need only be non-empty (Java reflection writes
	 * namespaces ending in '$', Pig enum symbols starting with a digit); a named type may be
	 * named after a primitive inside a namespace ("ns.int"; a bare "int" is still the
	 * primitive); a default that does not fit its field's type is dropped; a schema object
	 * in place of a type name ({"type": {"type": "fixed", ...}, "logicalType": "duration"},
	 * as Rust's apache-avro writes it) is taken as the inner schema with the outer logical
	 * type. Use it for schemas that come from existing files, never for schemas you are
	 * about to write.
	 */
	AK_SCHEMA_LENIENT = 1 << 0,
	/* The specification's rule for union defaults: a union field's default must fit the
	 * union's first branch (Java and Python take any branch, and so does avrokit without
	 * this flag), also inside record and array defaults. */
	AK_SCHEMA_UNION_DEFAULT_FIRST = 1 << 1,
};

/*
 * Parse a schema from JSON text (@len bytes; need not be NUL-terminated). Checks everything the
 * specification asks for: names, duplicate fields and symbols, unions (no duplicate branches,
 * no union directly in a union), defaults that fit their type (a float or double default may
 * be the string "NaN", "Infinity" or "-Infinity", or any case of nan, inf or infinity with or
 * without a sign, as Python writes them); types nest at most 256 levels deep. A logical type with invalid parameters is no error: it is ignored, as the
 * specification asks (see enum ak_logical). @flags: enum ak_schema_flags, or 0. On failure
 * returns NULL with AK_E_SCHEMA (or AK_E_NOMEM) and a message that names the place in the
 * schema: `fields[3].type.items: unknown type "strng"`; for text that is not JSON at all,
 * err->line and err->column say where in it.
 * Free the schema with ak_schema_free() once nothing that borrows from it is left.
 */
AK_API struct ak_schema *ak_schema_parse(const char *json, size_t len, unsigned flags,
					 struct ak_error *err);

AK_API void ak_schema_free(struct ak_schema *s);

/* The top-level type. */
AK_API const struct ak_node *ak_schema_root(const struct ak_schema *s);
/* Number of distinct types; ak_node_id() numbers them from 0. */
AK_API size_t ak_schema_node_count(const struct ak_schema *s);
/* The named type (record, enum, fixed) with this full name, or NULL. */
AK_API const struct ak_node *ak_schema_find(const struct ak_schema *s, const char *fullname);

/* The schema as JSON text, as parsed (attributes kept, in their order): on one line when
 * @indent is 0 or less, else indented by @indent spaces (at most 31). Free with ak_free().
 * NULL when out of memory. */
AK_API char *ak_schema_json(const struct ak_schema *s, int indent);
/* Parsing Canonical Form (the specification's transformation: full names, only the
 * attributes that matter, no white space). Free with ak_free(). NULL with @err on failure
 * (AK_E_NOMEM). */
AK_API char *ak_schema_canonical(const struct ak_schema *s, struct ak_error *err);

enum ak_fingerprint {
	AK_FP_CRC64,  /* CRC-64-AVRO ("Rabin"), 8 bytes, little-endian as single-object
		       * encoding stores it */
	AK_FP_MD5,    /* 16 bytes */
	AK_FP_SHA256, /* 32 bytes */
};

/* The fingerprint of the canonical form into @out (room for 32 bytes). Returns the number of
 * bytes written (8, 16 or 32), or a negative status with @err: AK_E_ARG for an unknown @alg,
 * AK_E_NOMEM. */
AK_API int ak_schema_fingerprint(const struct ak_schema *s, enum ak_fingerprint alg,
				 unsigned char out[32], struct ak_error *err);
/* CRC-64-AVRO of any bytes, as a number (the fingerprint of no bytes is
 * 0xc15d213aa4d7a795). */
AK_API uint64_t ak_crc64_avro(const void *data, size_t len);

/* Types. Every function here takes a node from a live schema (never NULL). Asked for
 * something its type does not have (the fields of an int, an index past the end), a function
 * returns NULL, 0 or -1 as its comment says. Strings are borrowed from the schema. */
AK_API enum ak_type ak_node_type(const struct ak_node *n);
/* A dense number for the node, 0 .. ak_schema_node_count() - 1: index your own tables. */
AK_API size_t ak_node_id(const struct ak_node *n);
/* "record", "int", ...; "?" for a value that is no enum ak_type. Static storage. */
AK_API const char *ak_type_name(enum ak_type t);
/* Named types: the simple name, the full name, the namespace (NULL for none). NULL for
 * other types. */
AK_API const char *ak_node_name(const struct ak_node *n);
AK_API const char *ak_node_fullname(const struct ak_node *n);
AK_API const char *ak_node_namespace(const struct ak_node *n);
/* The name a union branch of this type carries in Avro's JSON encoding: the full name for
 * named types, the type name otherwise ("int", "array"). */
AK_API const char *ak_node_branch_name(const struct ak_node *n);
AK_API enum ak_logical ak_node_logical(const struct ak_node *n);
/* The logicalType attribute as written (also when not understood), or NULL. */
AK_API const char *ak_node_logical_name(const struct ak_node *n);
/* Decimal precision and scale (0 for other types). */
AK_API int ak_node_precision(const struct ak_node *n);
AK_API int ak_node_scale(const struct ak_node *n);
/* Fixed: its size in bytes. */
AK_API size_t ak_node_size(const struct ak_node *n);
/* Record: fields; enum: symbols; union: branches; 0 for other types. The functions below take
 * an index @i below that count and return NULL (or 0) otherwise. */
AK_API size_t ak_node_count(const struct ak_node *n);
AK_API const char *ak_node_field_name(const struct ak_node *n, size_t i);
AK_API const struct ak_node *ak_node_field_type(const struct ak_node *n, size_t i);
/* The sort order of field @i (ascending when not given). */
AK_API enum ak_order ak_node_field_order(const struct ak_node *n, size_t i);
/* 1 when field @i has a default, else 0. */
AK_API int ak_node_field_has_default(const struct ak_node *n, size_t i);
/* The index of the field named @name (aliases not included), or -1. */
AK_API long ak_node_field_index(const struct ak_node *n, const char *name);
AK_API const char *ak_node_symbol(const struct ak_node *n, size_t i);
/* The index of symbol @name, or -1. */
AK_API long ak_node_symbol_index(const struct ak_node *n, const char *name);
/* The index of the enum's default symbol, or -1 (none, or not an enum). */
AK_API long ak_node_enum_default(const struct ak_node *n);
AK_API const struct ak_node *ak_node_branch(const struct ak_node *n, size_t i);
/* Array items, map values; NULL for other types. */
AK_API const struct ak_node *ak_node_items(const struct ak_node *n);

/* ---- compatibility ---- */

/* Why a reader schema cannot read (some) data of a writer schema. Frozen values, appended to
 * only. */
enum ak_issue_kind {
	AK_ISSUE_TYPE_MISMATCH = 1,    /* the types cannot be resolved at all */
	AK_ISSUE_NAME_MISMATCH = 2,    /* named types with different names and no alias */
	AK_ISSUE_FIXED_SIZE = 3,       /* fixed types of different sizes */
	AK_ISSUE_MISSING_FIELD = 4,    /* a reader field the writer lacks, without default */
	AK_ISSUE_BAD_DEFAULT = 5,      /* a reader default that cannot be used */
	AK_ISSUE_MISSING_SYMBOL = 6,   /* a writer enum symbol the reader lacks (no default) */
	AK_ISSUE_MISSING_BRANCH = 7,   /* a writer union branch the reader cannot take */
	AK_ISSUE_NOT_IN_UNION = 8,     /* the writer's type is none of the reader union's */
};

struct ak_compat;

/*
 * Check whether data written with @writer can be read with @reader. Returns the list of
 * incompatibilities (possibly empty), or NULL with @err when out of memory. Free with
 * ak_compat_free().
 */
AK_API struct ak_compat *ak_schema_compatibility(const struct ak_schema *reader,
						 const struct ak_schema *writer,
						 struct ak_error *err);
/* 1 when no issue is fatal: every datum can be read, though some may fail (a symbol or branch
 * the reader lacks makes only those values fail). */
AK_API int ak_compat_readable(const struct ak_compat *c);
/* The issues, 0 .. ak_compat_count() - 1; the functions below want @i in that range (out of
 * it they return AK_ISSUE_TYPE_MISMATCH, 0 or NULL). Strings are borrowed from @c. */
AK_API size_t ak_compat_count(const struct ak_compat *c);
AK_API enum ak_issue_kind ak_compat_kind(const struct ak_compat *c, size_t i);
/* 1 when no datum can be read because of this issue. */
AK_API int ak_compat_fatal(const struct ak_compat *c, size_t i);
/* Where, in the reader's terms: "" for the top level, "address.zip", "tags[]", "m{}". */
AK_API const char *ak_compat_path(const struct ak_compat *c, size_t i);
/* What is wrong, in words, without the path. */
AK_API const char *ak_compat_message(const struct ak_compat *c, size_t i);
AK_API void ak_compat_free(struct ak_compat *c);

/* ==== decoded data: visitors ==== */

/*
 * Decoded values reach you as calls, in the order of the data, depth first. @type is the type
 * the value has in the schema you read with: the reader schema when there is one (promoted
 * values arrive as the reader's type: an int written, a double read gives on_double), else
 * the writer's. Logical types arrive as their underlying values (a date as on_int with the
 * days since the epoch); ak_node_logical(@type) tells which.
 *
 * A record gives record_begin, then for each field record_field (its index in @type) and the
 * field's value, then record_end. Fields come in the writer's order; with a reader schema,
 * fields the reader does not have are skipped and fields only the reader has come last, with
 * their defaults. An array gives array_begin, each item's value, array_end; a map gives
 * map_begin, then map_key and the value for each entry, map_end. A union value gives
 * union_branch (the branch's index in the union @type) and then the value (with its branch
 * type). Byte pointers are borrowed for the duration of the call only.
 *
 * Every callback is optional: a NULL one is not called (the value is still checked), and a
 * NULL visitor only checks the datum. A callback returns 0 to go on; anything else stops the
 * decoding, which fails with AK_E_CALLBACK, or with the status you returned when it is one of
 * enum ak_status's errors (AK_E_NOMEM .. AK_E_CALLBACK); the error's path says where it
 * stopped. A reader stopped this way stays stopped (see ak_reader_read()).
 *
 * Set @size to sizeof(struct ak_visitor) (AK_VISITOR_INIT does): callbacks added in later
 * versions are only read when @size covers them, and a @size of 0 means no callback at all.
 * The struct is read during the call, not copied: leave it unchanged until the call returns.
 */
struct ak_visitor {
	size_t size;
	int (*on_null)(void *ctx, const struct ak_node *type);
	int (*on_boolean)(void *ctx, const struct ak_node *type, int v);
	int (*on_int)(void *ctx, const struct ak_node *type, int32_t v);
	int (*on_long)(void *ctx, const struct ak_node *type, int64_t v);
	int (*on_float)(void *ctx, const struct ak_node *type, float v);
	int (*on_double)(void *ctx, const struct ak_node *type, double v);
	int (*on_bytes)(void *ctx, const struct ak_node *type, const void *p, size_t len);
	/* Strings are passed as stored: normally UTF-8, but not checked. */
	int (*on_string)(void *ctx, const struct ak_node *type, const char *p, size_t len);
	int (*on_fixed)(void *ctx, const struct ak_node *type, const void *p, size_t len);
	/* @index into ak_node_symbol(@type, ...) */
	int (*on_enum)(void *ctx, const struct ak_node *type, uint32_t index);
	int (*record_begin)(void *ctx, const struct ak_node *type);
	int (*record_field)(void *ctx, const struct ak_node *type, uint32_t index);
	int (*record_end)(void *ctx, const struct ak_node *type);
	/* @hint: the items or entries of the first block (there may be more), for sizing */
	int (*array_begin)(void *ctx, const struct ak_node *type, uint64_t hint);
	int (*array_end)(void *ctx, const struct ak_node *type);
	int (*map_begin)(void *ctx, const struct ak_node *type, uint64_t hint);
	int (*map_key)(void *ctx, const struct ak_node *type, const char *key, size_t len);
	int (*map_end)(void *ctx, const struct ak_node *type);
	int (*union_branch)(void *ctx, const struct ak_node *type, uint32_t index);
};

#define AK_VISITOR_INIT { sizeof(struct ak_visitor), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
			  0, 0, 0, 0, 0, 0 }

/* ==== decoded data: value trees ==== */

/*
 * A decoded datum as a read-only tree. Values are borrowed from the reader or decoder that
 * made them and stay valid until its next read call or its free. A union value is the value
 * of its branch (ak_value_branch() tells which branch); there is no separate union node.
 */
struct ak_value;

/* The value's type (for a union value, the branch's type), and its node in the schema read
 * with (the reader schema when there is one). Every ak_value_ function takes a non-NULL
 * value; asked for what its type does not have, it returns 0 or NULL. */
AK_API enum ak_type ak_value_type(const struct ak_value *v);
AK_API const struct ak_node *ak_value_node(const struct ak_value *v);
/* The union branch this value was written as, or -1 when it is not in a union. */
AK_API long ak_value_branch(const struct ak_value *v);
/* boolean: 1 or 0 (0 for other types). */
AK_API int ak_value_boolean(const struct ak_value *v);
/* int, long and enum (the symbol's index), boolean (1 or 0); 0 for other types. */
AK_API int64_t ak_value_long(const struct ak_value *v);
/* float and double, and int and long converted; 0 for other types. */
AK_API double ak_value_double(const struct ak_value *v);
/* string, bytes, fixed: the bytes and their length (NULL and 0 for other types). They are
 * NUL-terminated too, beyond @len; a string is not checked for UTF-8. @len may be NULL. */
AK_API const void *ak_value_bytes(const struct ak_value *v, size_t *len);
AK_API const char *ak_value_string(const struct ak_value *v, size_t *len);
/* enum: the symbol (borrowed from the schema); NULL for other types. */
AK_API const char *ak_value_symbol(const struct ak_value *v);
/* Fields of a record, items of an array, entries of a map; 0 for other types. */
AK_API size_t ak_value_count(const struct ak_value *v);
/* Record field by name (the reader's names, not aliases), or NULL. */
AK_API const struct ak_value *ak_value_field(const struct ak_value *v, const char *name);
/* The @i-th field of a record in schema order, item of an array or value of a map entry (in
 * the order of the data); NULL when @i is not below ak_value_count(). */
AK_API const struct ak_value *ak_value_at(const struct ak_value *v, size_t i);
/* The key of the @i-th map entry (NUL-terminated too), or NULL. */
AK_API const char *ak_value_key(const struct ak_value *v, size_t i, size_t *len);
/* The value of map key @key (NUL-terminated), or NULL. When a key occurs twice, the last
 * entry wins; a key holding a NUL byte can only be found through ak_value_key(). */
AK_API const struct ak_value *ak_value_get(const struct ak_value *v, const char *key);

/* ==== JSON ==== */

/* How JSON is written and read. */
enum ak_json_flags {
	AK_JSON_PRETTY = 1 << 0,         /* indented output, as avro-tools --pretty */
	AK_JSON_PLAIN = 1 << 1,          /* plain JSON: union values without their
					  * {"branch": ...} wrapper, logical types readable
					  * (dates, timestamps, decimals, uuids); on input the
					  * branch is picked from the value */
	AK_JSON_BYTES_BASE64 = 1 << 2,   /* bytes and fixed as base64: on output in either
					  * form, on input with AK_JSON_PLAIN only */
	AK_JSON_BYTES_HEX = 1 << 3,      /* bytes and fixed as hex, the same way (give one of
					  * the two at most) */
	AK_JSON_IGNORE_UNKNOWN = 1 << 4, /* input: skip fields the schema does not have */
	AK_JSON_ARRAY = 1 << 5,          /* input: one JSON array of values, not a stream */
};

/* Called now and then by the functions that convert whole files, on the caller's thread:
 * ak_reader_to_json() after each block, with the records written and the block bytes (as
 * stored) read so far in the call; ak_writer_write_json() every few thousand records, with
 * ak_writer_count() and the bytes of JSON text read so far. Return 0 to go on, anything else
 * to stop (AK_E_CALLBACK). */
typedef int (*ak_progress_fn)(void *ctx, uint64_t records, uint64_t bytes);

/* ==== schemaless datums: decoder ==== */

/*
 * How a reader schema is resolved against a writer's (the decoder's, reader's and stream
 * reader's resolve_flags). By default the pair is checked when the decoder or reader is made,
 * which fails with AK_E_SCHEMA when the reader cannot read some part of the writer's data
 * (a field without default it lacks, two types that do not match). AK_RESOLVE_LAZY makes it
 * anyway, and such a part fails only when a value of it is read (AK_E_FORMAT, flag
 * AK_ERROR_READER_SCHEMA), as Java's and Python's readers fail: data whose arrays, maps and
 * unions never hold the part reads without error.
 */
enum ak_resolve_flags {
	AK_RESOLVE_LAZY = 1 << 0,
};

struct ak_decoder;

struct ak_decoder_opts {
	/* Read the data as this schema (schema resolution), or NULL for the writer's. Borrowed:
	 * must outlive the decoder. */
	const struct ak_schema *reader;
	unsigned json_flags;   /* enum ak_json_flags, for ak_decode_json() */
	unsigned max_depth;    /* deepest nesting of values (default, and 0: 1000) */
	unsigned resolve_flags; /* enum ak_resolve_flags (default 0) */
	unsigned reserved0;
	uint64_t reserved[7];
};

AK_API void ak_decoder_opts_init(struct ak_decoder_opts *o);

/*
 * A decoder for datums written with @writer (borrowed: must outlive the decoder). @o may be
 * NULL for the defaults. NULL with @err: AK_E_SCHEMA when the reader schema cannot read the
 * writer's data at all (ak_schema_compatibility() says why in detail), AK_E_ARG for a NULL
 * @writer, AK_E_NOMEM.
 */
AK_API struct ak_decoder *ak_decoder_new(const struct ak_schema *writer,
					 const struct ak_decoder_opts *o, struct ak_error *err);
AK_API void ak_decoder_free(struct ak_decoder *d);

/*
 * Decode one datum from the @len bytes at @data, calling @v's callbacks (@v may be NULL: check
 * only). On success *@used (may be NULL) is the number of bytes it took, which may be fewer
 * than @len (datums one after the other: go on at @data + *@used); on failure it is 0. Every
 * read is checked against @len: a datum that runs past it, or bytes that are no datum of the
 * schema, are AK_E_FORMAT with err->path saying where. Also AK_E_LIMIT (nested deeper than
 * max_depth), AK_E_CALLBACK (see struct ak_visitor), AK_E_ARG (NULL @d, or NULL @data with a
 * @len).
 */
AK_API int ak_decode(struct ak_decoder *d, const void *data, size_t len, size_t *used,
		     const struct ak_visitor *v, void *ctx, struct ak_error *err);
/* The same into a value tree, borrowed until the decoder's next call or its free; *@out is
 * NULL on failure. */
AK_API int ak_decode_value(struct ak_decoder *d, const void *data, size_t len, size_t *used,
			   const struct ak_value **out, struct ak_error *err);
/* The same as JSON text (per the decoder's json_flags), handed to @write (may be NULL: check
 * only) in one or more pieces; no newline is added. A failing @write is AK_E_IO with
 * AK_ERROR_OUTPUT set. */
AK_API int ak_decode_json(struct ak_decoder *d, const void *data, size_t len, size_t *used,
			  ak_write_fn write, void *wctx, struct ak_error *err);
/* Check one datum and skip it. */
AK_API int ak_decode_skip(struct ak_decoder *d, const void *data, size_t len, size_t *used,
			  struct ak_error *err);

/* ==== building datums: encoder ==== */

/*
 * An encoder builds datums from C values, checking each against the schema as it comes: an int
 * out of range, a string that is not UTF-8, an unknown enum symbol, a fixed of the wrong
 * size, a field the record does not have, a value of the wrong type are AK_E_VALUE errors
 * whose err->path names the field. Put the values depth first:
 *
 *     ak_put_record(e, err);                      a record: then its fields, by name or
 *         ak_put_field(e, "id", err);             index, each followed by its value; fields
 *         ak_put_long(e, 42, err);                may come in any order; those left out take
 *         ak_put_field(e, "name", err);           their default (no default: an error at
 *         ak_put_string(e, "ann", 3, err);        ak_put_end())
 *     ak_put_end(e, err);
 *
 * Arrays: ak_put_array(), the items, ak_put_end(); maps: ak_put_map(), then ak_put_key() and
 * the value for each entry, ak_put_end(). A union takes ak_put_branch() before its value, or
 * else the first of its branches, in the union's order, that can take the value put
 * (ak_put_null() the null branch, ak_put_string() the string branch, ak_put_long(5) the first
 * of int, long, float and double the union has, an int only when the value fits); a record,
 * array or map must then be the only branch of its kind, else AK_E_VALUE asks for
 * ak_put_branch(). ak_put_branch() where the type is no union, or with an index past the
 * last branch, is AK_E_VALUE too. Logical types are put as their underlying values.
 *
 * Other errors: AK_E_STATE for a call out of order (a value in a record without
 * ak_put_field() before it, a map value without ak_put_key(), ak_put_end() with nothing open
 * or before the last value, ak_put_branch() twice), AK_E_LIMIT for values nested deeper than
 * max_depth, AK_E_ARG for a NULL pointer with a non-zero length.
 *
 * The encoder remembers its first error: later calls do nothing and return it again, so a
 * sequence of puts may be checked once, at ak_encoder_datum() or ak_writer_commit().
 * ak_encoder_reset() forgets it, and so does ak_writer_commit() for a writer's encoder.
 * Every put returns AK_OK or a negative status.
 */
struct ak_encoder;

struct ak_encoder_opts {
	unsigned json_flags;   /* enum ak_json_flags, for ak_encode_json() */
	unsigned max_depth;    /* deepest nesting of values (default, and 0: 1000) */
	uint64_t reserved[8];
};

AK_API void ak_encoder_opts_init(struct ak_encoder_opts *o);

/* An encoder for @s (borrowed: must outlive the encoder); @o may be NULL. NULL with @err:
 * AK_E_ARG for a NULL @s, AK_E_NOMEM. */
AK_API struct ak_encoder *ak_encoder_new(const struct ak_schema *s,
					 const struct ak_encoder_opts *o, struct ak_error *err);
AK_API void ak_encoder_free(struct ak_encoder *e);

AK_API int ak_put_null(struct ak_encoder *e, struct ak_error *err);
AK_API int ak_put_boolean(struct ak_encoder *e, int v, struct ak_error *err);
/* Into int (AK_E_VALUE when out of its range) or long; also float and double (converted).
 * An enum takes ak_put_enum() or ak_put_symbol(), not these. */
AK_API int ak_put_int(struct ak_encoder *e, int32_t v, struct ak_error *err);
AK_API int ak_put_long(struct ak_encoder *e, int64_t v, struct ak_error *err);
/* Into float (a double is rounded to float) or double. */
AK_API int ak_put_float(struct ak_encoder *e, float v, struct ak_error *err);
AK_API int ak_put_double(struct ak_encoder *e, double v, struct ak_error *err);
/* Into bytes, or into a fixed of exactly @len bytes. */
AK_API int ak_put_bytes(struct ak_encoder *e, const void *p, size_t len, struct ak_error *err);
/* @len bytes at @p (need not be NUL-terminated), which must be valid UTF-8. */
AK_API int ak_put_string(struct ak_encoder *e, const char *p, size_t len, struct ak_error *err);
/* @len must be the fixed type's size. */
AK_API int ak_put_fixed(struct ak_encoder *e, const void *p, size_t len, struct ak_error *err);
/* An enum by symbol index, or by symbol name (NUL-terminated). */
AK_API int ak_put_enum(struct ak_encoder *e, uint32_t index, struct ak_error *err);
AK_API int ak_put_symbol(struct ak_encoder *e, const char *symbol, struct ak_error *err);
AK_API int ak_put_record(struct ak_encoder *e, struct ak_error *err);
/* The field whose value comes next, by name (not aliases) or by index; each field once. */
AK_API int ak_put_field(struct ak_encoder *e, const char *name, struct ak_error *err);
AK_API int ak_put_field_index(struct ak_encoder *e, size_t index, struct ak_error *err);
AK_API int ak_put_array(struct ak_encoder *e, struct ak_error *err);
AK_API int ak_put_map(struct ak_encoder *e, struct ak_error *err);
/* The key of the map entry whose value comes next: @len bytes of UTF-8. Keys are not checked
 * for duplicates. */
AK_API int ak_put_key(struct ak_encoder *e, const char *key, size_t len, struct ak_error *err);
/* Ends the innermost record, array or map. */
AK_API int ak_put_end(struct ak_encoder *e, struct ak_error *err);
/* The branch of the union about to be put. */
AK_API int ak_put_branch(struct ak_encoder *e, uint32_t index, struct ak_error *err);

/*
 * Encode one JSON value (Avro's JSON encoding, or plain JSON per the json_flags) of @len
 * bytes at @json as a datum. *@used (may be NULL) gets the bytes of text it took (0 on
 * failure), so that several values in one text can be taken one call at a time. AK_EOF when
 * the text holds no value, only white space. Errors are AK_E_JSON, with line, column and
 * field path; AK_E_STATE inside an unfinished put. A failed call is not remembered as the
 * encoder's first error: the encoder is as it was before the call.
 */
AK_API int ak_encode_json(struct ak_encoder *e, const char *json, size_t len, size_t *used,
			  struct ak_error *err);

/*
 * Record an error of your own at the encoder's current position, for a binding that meets a
 * value it cannot put at all (a Python list where an int belongs): the encoder's error becomes
 * @code (a negative enum ak_status) with @msg and the path of the value being put, exactly as
 * if a put had failed, and is copied to @err. Returns @code.
 */
AK_API int ak_encoder_fail(struct ak_encoder *e, int code, const char *msg,
			   struct ak_error *err);

/*
 * A visitor that puts every value it is given into the encoder passed as its context: decoding
 * with it re-encodes data, for instance data written with one schema into the schema a
 * decoder reads it as (the decoder's reader schema must be the encoder's schema). When the
 * encoder refuses a value, the decoding stops with the encoder's status, and the encoder holds
 * the reason with its field path (ak_encoder_datum() reports it). Static storage.
 */
AK_API const struct ak_visitor *ak_encoder_visitor(void);

/*
 * The bytes of the datums finished since the last ak_encoder_reset(), one after the other
 * (borrowed until the next call on the encoder). AK_E_STATE when a datum is unfinished or
 * @e is a writer's encoder (see ak_writer_commit()), or the encoder's first error; *@data is
 * then NULL and *@len 0.
 */
AK_API int ak_encoder_datum(struct ak_encoder *e, const void **data, size_t *len,
			    struct ak_error *err);
/* Forget the datums and any error or unfinished value: ready for the next datum. A writer's
 * encoder also takes back the bytes it put into the writer since the last commit. */
AK_API void ak_encoder_reset(struct ak_encoder *e);

/* ==== container files: reading ==== */

struct ak_reader;

struct ak_reader_opts {
	/* Read records as this schema (schema resolution), or NULL for the writer's. Borrowed:
	 * must outlive the reader. */
	const struct ak_schema *reader_schema;
	/* Limits; 0 means the default. */
	size_t max_header;     /* metadata, keys and values together (default 64 MiB) */
	size_t max_block;      /* one block, as stored or decompressed (default 512 MiB) */
	unsigned max_depth;    /* deepest nesting of values (default 1000) */
	unsigned threads;      /* decompress (and for ak_reader_to_json() decode) on this many
				* threads, at most 256; 0 or 1: on the caller's (default 1).
				* Records still come in file order. */
	unsigned json_flags;   /* enum ak_json_flags, for ak_reader_read_json() and
				* ak_reader_to_json() */
	unsigned schema_flags; /* enum ak_schema_flags for the file's schema (default
				* AK_SCHEMA_LENIENT, as other implementations read files) */
	unsigned resolve_flags; /* enum ak_resolve_flags, for reader_schema (default 0) */
	unsigned reserved0;
	uint64_t reserved[7];
};

AK_API void ak_reader_opts_init(struct ak_reader_opts *o);

/* Open a container file and read its header. NULL with @err: AK_E_FORMAT (not an Avro data
 * file, truncated or bad header), AK_E_SCHEMA (its schema, or the reader schema, is invalid or
 * they cannot be resolved), AK_E_CODEC (a codec Avro does not have), AK_E_UNSUPPORTED (a codec
 * not built in), AK_E_LIMIT (max_header; AK_ERROR_LIMIT_HEADER is set), AK_E_IO, AK_E_NOMEM,
 * AK_E_ARG (a NULL path or read callback). @o may be NULL for the defaults; it is copied. */
AK_API struct ak_reader *ak_reader_open_path(const char *path, const struct ak_reader_opts *o,
					     struct ak_error *err);
/* Over an open file descriptor (borrowed: not closed by the reader). Pipes work. */
AK_API struct ak_reader *ak_reader_open_fd(int fd, const struct ak_reader_opts *o,
					   struct ak_error *err);
/* Over @len bytes in memory (borrowed: must outlive the reader). */
AK_API struct ak_reader *ak_reader_open_memory(const void *data, size_t len,
					       const struct ak_reader_opts *o,
					       struct ak_error *err);
/* Over your callbacks (@skip may be NULL). @read is only called from the thread that calls
 * the reader's functions. */
AK_API struct ak_reader *ak_reader_open_callbacks(ak_read_fn read, ak_skip_fn skip, void *ctx,
						  const struct ak_reader_opts *o,
						  struct ak_error *err);
AK_API void ak_reader_free(struct ak_reader *r);

/* The writer schema from the header. Borrowed: valid until ak_reader_free(). The other
 * header accessors below return borrowed data too. */
AK_API const struct ak_schema *ak_reader_schema(const struct ak_reader *r);
/* The codec's name: avro.codec ("null" when absent or empty). */
AK_API const char *ak_reader_codec(const struct ak_reader *r);
/* The 16-byte sync marker. */
AK_API const unsigned char *ak_reader_sync(const struct ak_reader *r);
/* Metadata entries, in file order (avro.schema and avro.codec included): key
 * (NUL-terminated), value and its length (any bytes, NUL-terminated too). NULL (and *@len 0)
 * when @i is not below the count; @len may be NULL. */
AK_API size_t ak_reader_meta_count(const struct ak_reader *r);
AK_API const char *ak_reader_meta_key(const struct ak_reader *r, size_t i);
AK_API const void *ak_reader_meta_value(const struct ak_reader *r, size_t i, size_t *len);
/* The value of @key, or NULL. */
AK_API const void *ak_reader_meta_get(const struct ak_reader *r, const char *key, size_t *len);
/* The size of the header, which is the offset of the first block. */
AK_API uint64_t ak_reader_header_size(const struct ak_reader *r);

/*
 * Records, one per call: AK_OK, AK_EOF after the last, or an error whose err->block,
 * err->offset, err->record and err->path say where. A block is decompressed when its first
 * record is read. An error ends the reading: every later record call (ak_reader_prepare()
 * and ak_reader_to_json() too) returns the same error again. That includes a visitor's stop
 * (AK_E_CALLBACK), so a stopped reader cannot go on.
 *
 * ak_reader_read() hands the record to @v (NULL: check it only). ak_reader_read_value() makes
 * a tree, *@out, borrowed until the next call on @r (NULL on failure).
 */
AK_API int ak_reader_read(struct ak_reader *r, const struct ak_visitor *v, void *ctx,
			  struct ak_error *err);
AK_API int ak_reader_read_value(struct ak_reader *r, const struct ak_value **out,
				struct ak_error *err);
/* One record as JSON text (per the json_flags of the options), without a newline, handed to
 * @write (may be NULL: check only) in one piece. A failing @write is AK_E_IO with
 * AK_ERROR_OUTPUT set; that record counts as read and the reader can go on. */
AK_API int ak_reader_read_json(struct ak_reader *r, ak_write_fn write, void *wctx,
			       struct ak_error *err);
/* Records of the current block not read yet: 0 when the next read starts a block (and
 * so may read and decompress), which ak_reader_prepare() then does. */
AK_API uint64_t ak_reader_records_left(const struct ak_reader *r);

/*
 * Make the next record ready: read and decompress the next block when the current one is
 * done. AK_OK, AK_EOF, or an error. It calls no callback but the reader's read callback, so
 * a caller may release its own locks around it (the Python binding releases the GIL).
 */
AK_API int ak_reader_prepare(struct ak_reader *r, struct ak_error *err);

/*
 * Every remaining record as JSON text, each followed by a newline, to @write: the same as
 * calling ak_reader_read_json() in a loop, but with the reader's threads decoding whole blocks
 * in parallel (the output order is kept; without a limit, threads start after the first MiB
 * of blocks). Stops after @limit records (AK_NO_POS: no limit), returning AK_EOF when the
 * limit was reached, AK_OK when the file ended first; with a limit the records are read one
 * by one on this thread and those after the limit stay for the calls that come next. The
 * records before an error are written first. @write may be called with many records at
 * once; @progress may be NULL (see ak_progress_fn). Errors as for ak_reader_read(), and
 * AK_E_IO with AK_ERROR_OUTPUT when @write fails, AK_E_CALLBACK when @progress stops it,
 * AK_E_ARG for a NULL @write.
 */
AK_API int ak_reader_to_json(struct ak_reader *r, uint64_t limit, ak_write_fn write,
			     void *wctx, ak_progress_fn progress, void *pctx,
			     struct ak_error *err);

/* ---- blocks ---- */

struct ak_block {
	uint64_t index;            /* 0 for the first block */
	uint64_t offset;           /* file offset where the block starts */
	int64_t count;             /* records in the block */
	uint64_t stored_size;      /* bytes as stored (after the codec) */
	const unsigned char *data; /* the records' bytes, decompressed (or as stored with
				    * AK_BLOCK_RAW); borrowed until the next call on the reader */
	size_t size;               /* their number; 0 (and data NULL) with AK_BLOCK_SKIP_DATA */
	int sync_ok;               /* 0 only with AK_BLOCK_ANY_SYNC, when the marker is wrong */
	int reserved0;
	uint64_t reserved[4];
};

enum ak_block_flags {
	AK_BLOCK_SKIP_DATA = 1 << 0, /* check the sync marker, but neither keep nor decompress the
				      * data (seeks over it when the input can) */
	AK_BLOCK_RAW = 1 << 1,       /* the data as stored, not decompressed */
	AK_BLOCK_ANY_SYNC = 1 << 2,  /* a wrong sync marker sets sync_ok = 0 instead of failing
				      * (for inspecting damaged files) */
};

/*
 * The next block into *@blk: AK_OK, AK_EOF after the last, or an error naming the block and its
 * offset: AK_E_FORMAT (a bad block header, a truncated block, a wrong sync marker), AK_E_LIMIT
 * (max_block; AK_ERROR_LIMIT_BLOCK is set), AK_E_CODEC (data the codec cannot decompress),
 * AK_E_IO. After an error there are no more blocks: later calls return AK_EOF. The sync
 * marker is checked after every block; the records are not decoded. Mixing this with the
 * record calls skips what is left of the current block.
 */
AK_API int ak_reader_next_block(struct ak_reader *r, struct ak_block *blk, unsigned flags,
				struct ak_error *err);

/* ---- byte ranges (splits) ---- */

/*
 * Read only the blocks that the byte range [@start, @end) of the file owns, by the rule of
 * Hadoop's Avro input format: those whose sync marker (the 16 bytes just before the block;
 * for the first block, the marker that ends the header) starts at an offset in [@start, @end).
 * Whatever the ranges, aligned or not, a set of them that covers the file without overlap
 * reads every block exactly once, so workers can each take a range knowing nothing of the
 * others; the header is always read from the start of the file (by the open call). @end may
 * be past the end of the file (UINT64_MAX: to the end).
 *
 * Call it after opening and before reading any record or block. It moves to @start (seeking
 * where the input can, reading through otherwise) and searches the bytes for the first sync
 * marker there; the reads then return AK_EOF before the first block whose marker starts at
 * @end or later. A range that owns no block is no error: the first read returns AK_EOF.
 * Block indexes (ak_block.index, err->block) count from the range's first block, which is the
 * file's first block only when @start is at or before the header's marker; offsets are the
 * file's. Like Hadoop's, the search trusts the first 16 bytes equal to the marker: a file
 * whose records hold its own sync marker can mislead it.
 *
 * AK_OK, or AK_E_ARG (@start after @end), AK_E_STATE (called twice, or after a read), AK_E_IO.
 */
AK_API int ak_reader_set_range(struct ak_reader *r, uint64_t start, uint64_t end,
			       struct ak_error *err);

/* ==== container files: writing ==== */

struct ak_writer;

struct ak_writer_opts {
	const char *codec;          /* "null" (default), "deflate", "snappy", "bzip2", "xz",
				     * "zstandard" */
	int level;                  /* compression level, -1 for the codec's default: deflate
				     * and xz 0 to 9, bzip2 1 to 9, zstandard 1 to 22; null
				     * and snappy take none */
	size_t block_size;          /* end a block when its records reach this many bytes
				     * before compression (default, and 0: 64 KiB) */
	const unsigned char *sync;  /* 16 bytes, or NULL for a random marker; copied during the
				     * open call */
	/* Extra metadata: @nmeta keys (NUL-terminated, not starting with "avro.") and values
	 * of the given lengths. Borrowed during the open call only. */
	const char *const *meta_keys;
	const void *const *meta_values;
	const size_t *meta_lens;
	size_t nmeta;
	unsigned threads;           /* compress, and parse ak_writer_write_json()'s text, on
				     * this many threads, at most 256 (0 or 1: the caller's);
				     * the file is the same whatever the number */
	unsigned flags;             /* enum ak_writer_flags */
	/* Store this text as avro.schema instead of the schema's JSON (it must be the text the
	 * schema was parsed from; not checked). NULL: ak_schema_json(). Copied during the open
	 * call. */
	const char *schema_text;
	size_t schema_text_len;
	uint64_t reserved[8];
};

enum ak_writer_flags {
	/* Append to an existing file: write no header; the caller has positioned the output at
	 * the end of a file whose header holds this schema, codec and sync marker (which must
	 * be given). */
	AK_WRITER_NO_HEADER = 1 << 0,
};

#define AK_DEFAULT_BLOCK_SIZE ((size_t)64 << 10)

AK_API void ak_writer_opts_init(struct ak_writer_opts *o);

/*
 * Start a container file for records of @s (borrowed: must outlive the writer). The header is
 * written at once. ak_writer_open_path() writes a temporary file beside @path and renames it
 * over @path in ak_writer_finish(): until then, and on any failure, @path is untouched. @o may
 * be NULL for the defaults. NULL with @err: AK_E_ARG (a codec that cannot be written, a level
 * out of its range, an empty, repeated or "avro." metadata key, AK_WRITER_NO_HEADER without
 * a sync marker, a NULL schema, path or callback), AK_E_UNSUPPORTED (a codec not built in),
 * AK_E_IO (creating the file, writing the header, no random bytes), AK_E_NOMEM.
 */
AK_API struct ak_writer *ak_writer_open_path(const char *path, const struct ak_schema *s,
					     const struct ak_writer_opts *o,
					     struct ak_error *err);
/* Over an open file descriptor (borrowed: not closed by the writer). */
AK_API struct ak_writer *ak_writer_open_fd(int fd, const struct ak_schema *s,
					   const struct ak_writer_opts *o, struct ak_error *err);
/* Over your callback. @write is only called from the thread that calls the writer. */
AK_API struct ak_writer *ak_writer_open_callbacks(ak_write_fn write, void *ctx,
						  const struct ak_schema *s,
						  const struct ak_writer_opts *o,
						  struct ak_error *err);

/*
 * The writer's encoder (borrowed; NULL when out of memory): put a record's values into it,
 * then ak_writer_commit(). Its first error is reported by ak_writer_commit(). The same encoder
 * comes back on every call.
 */
AK_API struct ak_encoder *ak_writer_encoder(struct ak_writer *w);
/* The datum now complete in the writer's encoder is one more record. Ends and writes the
 * block when it is full. When the record is wrong (the encoder's first error, with
 * err->record its index; AK_E_STATE when nothing, or more than one value, or an unfinished
 * value was put) it is dropped, the encoder starts afresh and the writer stays usable. An
 * error in writing the block out (AK_E_IO, AK_E_CODEC) stops the writer: nothing more is
 * written, every later call returns that error again ("an earlier error stopped the
 * writer: ..."), and ak_writer_free() is what is left to do. AK_E_STATE after
 * ak_writer_finish(). */
AK_API int ak_writer_commit(struct ak_writer *w, struct ak_error *err);
/* Append one datum already encoded with this schema (checked by decoding it, then copied):
 * AK_E_FORMAT when the @len bytes are not exactly one datum. This and the other calls that
 * write around the writer's encoder (ak_writer_write_json(), ak_writer_append_block(),
 * ak_writer_append_compressed(), ak_writer_flush()) are AK_E_STATE while a record put into
 * the encoder is not committed, and after ak_writer_finish(). */
AK_API int ak_writer_append(struct ak_writer *w, const void *datum, size_t len,
			    struct ak_error *err);
/* Append JSON records from @read until it ends (Avro's JSON encoding, or per @json_flags,
 * see enum ak_json_flags: AK_JSON_PLAIN, AK_JSON_ARRAY, AK_JSON_IGNORE_UNKNOWN, bytes forms).
 * With threads, the text is parsed in parallel; the file is the same. Errors: AK_E_JSON with
 * the line, column and field path, AK_E_IO when @read fails, AK_E_CALLBACK when @progress
 * (may be NULL) stops it. The records before an error stay in the writer. */
AK_API int ak_writer_write_json(struct ak_writer *w, ak_read_fn read, void *ctx,
				unsigned json_flags, ak_progress_fn progress, void *pctx,
				struct ak_error *err);
/* Append @count records already encoded (@len bytes, not compressed) as one block, which the
 * writer compresses; the records committed before it are written out first, as a block of
 * their own. The bytes are not checked. */
AK_API int ak_writer_append_block(struct ak_writer *w, const void *data, size_t len,
				  int64_t count, struct ak_error *err);
/* Append a block as stored by a file with the same codec (copied as it is, not checked),
 * after the records committed before it, as for ak_writer_append_block(). */
AK_API int ak_writer_append_compressed(struct ak_writer *w, const void *data, size_t len,
				       int64_t count, struct ak_error *err);
/* End the current block now (if it holds any record) and write it out, waiting for the
 * compression threads. AK_E_STATE after ak_writer_finish(). */
AK_API int ak_writer_flush(struct ak_writer *w, struct ak_error *err);
/* Write out the last block (and for ak_writer_open_path(), sync the file to disk and rename
 * it into place). The writer can then only be freed, also after an error: AK_E_IO, or
 * AK_E_STATE when called twice. */
AK_API int ak_writer_finish(struct ak_writer *w, struct ak_error *err);
/* Records in the file so far: committed, appended, and from JSON and whole blocks. */
AK_API uint64_t ak_writer_count(const struct ak_writer *w);
/* Bytes of the block being built (records committed, and the one being put): when this
 * reaches the block size, the next commit ends the block (and may compress and write it). */
AK_API size_t ak_writer_block_bytes(const struct ak_writer *w);
/* Frees the writer. A writer not finished leaves no file behind (ak_writer_open_path()), or,
 * over a descriptor or callback, an output that ends after the last block written out: the
 * records not yet written are lost. */
AK_API void ak_writer_free(struct ak_writer *w);

/* ==== streams of datums: messages ==== */

/*
 * Avro outside container files, as message queues, key-value stores and RPC carry it: a
 * file, pipe or buffer of messages one after the other, each holding one datum, in one of
 * three framings, and each after its length when the tool that stored them wrote one. A
 * stream reader finds each message's writer schema from its framing among the schemas it was
 * given, decodes the datum (resolved to a reader schema if you like) and hands it out as the
 * decoder does (visitor, value tree, JSON); a stream writer frames datums the same ways.
 * ak_stream(3).
 */
enum ak_framing {
	AK_FRAMING_NONE = 0,          /* the datum alone: every message has the same schema */
	AK_FRAMING_SINGLE_OBJECT = 1, /* the specification's single-object encoding: C3 01, the
				       * writer schema's CRC-64-AVRO fingerprint (8 bytes,
				       * little-endian), the datum */
	AK_FRAMING_CONFLUENT = 2,     /* Confluent's wire format: 00, the writer schema's
				       * registry id (4 bytes, big-endian), the datum */
};

/* The length written before each message (its header and datum), if any. */
enum ak_length_prefix {
	AK_LENGTH_NONE = 0,    /* none: a message ends where its datum does */
	AK_LENGTH_4BE = 1,     /* 4 bytes, big-endian */
	AK_LENGTH_VARINT = 2,  /* a zig-zag varint, as Avro writes a long (and the length of a
				* bytes value: a stream of bytes values is one of these) */
	AK_LENGTH_UVARINT = 3, /* an unsigned base-128 varint, as protobuf's delimited streams */
};

/* Bytes of the longest framing header (single-object's). */
#define AK_FRAME_HEADER_MAX 10

struct ak_stream_opts {
	unsigned framing;       /* enum ak_framing (default AK_FRAMING_NONE) */
	unsigned length_prefix; /* enum ak_length_prefix (default AK_LENGTH_NONE) */
	/* Reader: read every datum as this schema (schema resolution), or NULL for each
	 * message's writer schema. Borrowed: must outlive the reader. */
	const struct ak_schema *reader_schema;
	unsigned json_flags;    /* reader: enum ak_json_flags of its JSON output */
	unsigned max_depth;     /* deepest nesting of values (default, and 0: 1000) */
	unsigned threads;       /* reader: ak_stream_to_json() decodes on this many threads, at
				 * most 256 (0 or 1: on the caller's, the default) */
	unsigned resolve_flags; /* reader: enum ak_resolve_flags, for reader_schema */
	uint64_t max_message;   /* reader: the largest message, length prefix and header
				 * included (default, and 0: 512 MiB) */
	int64_t schema_id;      /* writer, AK_FRAMING_CONFLUENT: the schema's registry id, 0 to
				 * 2^32 - 1 (default -1: none) */
	/*
	 * Reader, optional: the schema of a fingerprint (single-object) or schema id (confluent)
	 * that no schema added has, or NULL when you know none either. Called once per key, on
	 * the thread that reads; the answer is kept. The schema is borrowed: it must outlive the
	 * reader.
	 */
	const struct ak_schema *(*lookup)(void *ctx, unsigned framing, uint64_t key);
	void *lookup_ctx;
	uint64_t reserved[8];
};

AK_API void ak_stream_opts_init(struct ak_stream_opts *o);

/* What a stream reader knows about the message it read last. */
struct ak_message {
	uint64_t index;   /* from 0 in the input */
	uint64_t offset;  /* byte offset of its first byte (of its length prefix, if any) */
	uint64_t size;    /* its bytes: length prefix, header and datum */
	uint64_t key;     /* single-object: the fingerprint (its 8 bytes as a little-endian
			   * number); confluent: the schema id; none: 0 */
	const struct ak_schema *schema; /* the writer schema it was read with */
	uint64_t reserved[4];
};

/* ---- reading ---- */

struct ak_stream_reader;

/* A stream reader, without schemas and input yet. @o may be NULL for the defaults; it is
 * copied. NULL with @err: AK_E_ARG (an unknown framing or length prefix), AK_E_NOMEM. */
AK_API struct ak_stream_reader *ak_stream_reader_new(const struct ak_stream_opts *o,
						     struct ak_error *err);
AK_API void ak_stream_reader_free(struct ak_stream_reader *r);

/*
 * Add a writer schema (borrowed: must outlive the reader). AK_FRAMING_NONE takes one, the
 * schema of every datum. AK_FRAMING_SINGLE_OBJECT finds a message's schema by its
 * fingerprint, computed here (@id: -1). AK_FRAMING_CONFLUENT by @id, 0 to 2^32 - 1, or -1 for
 * the schema of every id that no other schema has. The same schema (the same canonical form)
 * added twice under one key is kept once. AK_E_ARG: a second schema for AK_FRAMING_NONE, or
 * for a key taken, an @id out of range; AK_E_NOMEM.
 */
AK_API int ak_stream_reader_add_schema(struct ak_stream_reader *r, const struct ak_schema *s,
				       int64_t id, struct ak_error *err);

/*
 * Start reading an input: a file descriptor (borrowed, not closed; pipes work), @len bytes
 * in memory (borrowed: must outlive the reading) or your callback. Messages are numbered, and
 * offsets counted, from 0 again; the schemas (and the plans compiled for them) stay, so one
 * reader may read many inputs, one message each if you like. AK_E_ARG (a NULL callback, or
 * NULL @data with a @len), AK_E_NOMEM.
 */
AK_API int ak_stream_reader_set_fd(struct ak_stream_reader *r, int fd, struct ak_error *err);
AK_API int ak_stream_reader_set_memory(struct ak_stream_reader *r, const void *data,
				       size_t len, struct ak_error *err);
AK_API int ak_stream_reader_set_callbacks(struct ak_stream_reader *r, ak_read_fn read,
					  void *ctx, struct ak_error *err);

/*
 * The next message: AK_OK, AK_EOF at the end of the input, or an error whose err->record is
 * the message's index and err->offset its offset: AK_E_FORMAT (a wrong magic, a datum that is
 * not one of its schema, bytes left over in a message of known length, an input that ends
 * inside a message: AK_ERROR_TRUNCATED), AK_E_SCHEMA with AK_ERROR_UNKNOWN_SCHEMA (a
 * fingerprint or id no schema has; the message says which), AK_E_SCHEMA with
 * AK_ERROR_READER_SCHEMA (the reader schema cannot read that writer schema), AK_E_LIMIT
 * (max_message, max_depth), AK_E_STATE (no input or no schema given), AK_E_IO. An error ends
 * the input: later calls return it again, until the next ak_stream_reader_set_*().
 *
 * ak_stream_read() hands the datum to @v (NULL: check it only), ak_stream_read_value() makes
 * a tree (borrowed until the next call on @r), ak_stream_read_json() hands its JSON text (per
 * the json_flags, no newline) to @write in one piece.
 */
AK_API int ak_stream_read(struct ak_stream_reader *r, const struct ak_visitor *v, void *ctx,
			  struct ak_error *err);
AK_API int ak_stream_read_value(struct ak_stream_reader *r, const struct ak_value **out,
				struct ak_error *err);
AK_API int ak_stream_read_json(struct ak_stream_reader *r, ak_write_fn write, void *wctx,
			       struct ak_error *err);

/*
 * Every remaining message as JSON text, each followed by a newline, to @write (the same as
 * ak_stream_read_json() in a loop, with the reader's threads decoding batches of messages in
 * parallel after the first MiB; the order is kept). Stops after @limit messages (AK_NO_POS:
 * none), returning AK_EOF when the limit was reached, AK_OK when the input ended first. The
 * messages before an error are written first. @progress (may be NULL) is called after each
 * write with the messages written and the input bytes read in this call. Errors as for
 * ak_stream_read(), and AK_E_IO with AK_ERROR_OUTPUT when @write fails, AK_E_CALLBACK when
 * @progress stops it, AK_E_ARG for a NULL @write.
 */
AK_API int ak_stream_to_json(struct ak_stream_reader *r, uint64_t limit, ak_write_fn write,
			     void *wctx, ak_progress_fn progress, void *pctx,
			     struct ak_error *err);

/*
 * Look at the next message without reading it: its frame is parsed, its schema found and its
 * datum checked, and ak_stream_reader_message() describes it (size included); the next read
 * call reads that same message. For a caller that wants a message's schema before its values
 * (to route it, or to pick what to build them with). AK_OK, AK_EOF, or the error reading it
 * would give.
 */
AK_API int ak_stream_peek(struct ak_stream_reader *r, struct ak_error *err);

/* The message read last (after AK_OK), or peeked at; NULL before the first of an input.
 * Borrowed until the next call on @r. */
AK_API const struct ak_message *ak_stream_reader_message(const struct ak_stream_reader *r);

/* ---- writing ---- */

struct ak_stream_writer;

/*
 * A writer of messages of schema @s (borrowed: must outlive the writer), framed by
 * o->framing (with o->schema_id for AK_FRAMING_CONFLUENT) and o->length_prefix. Output is
 * buffered: ak_stream_writer_flush() writes it out. @o may be NULL for the defaults (bare
 * datums). NULL with @err: AK_E_ARG (an unknown framing or length prefix,
 * AK_FRAMING_CONFLUENT without a schema id or with one out of range, a NULL schema or
 * callback), AK_E_NOMEM.
 */
AK_API struct ak_stream_writer *ak_stream_writer_open_fd(int fd, const struct ak_schema *s,
							 const struct ak_stream_opts *o,
							 struct ak_error *err);
AK_API struct ak_stream_writer *ak_stream_writer_open_callbacks(ak_write_fn write, void *ctx,
								const struct ak_schema *s,
								const struct ak_stream_opts *o,
								struct ak_error *err);
/* The writer's encoder (borrowed): put one datum into it, then ak_stream_writer_commit(). */
AK_API struct ak_encoder *ak_stream_writer_encoder(struct ak_stream_writer *w);
/* Frame the datum now complete in the encoder as the next message. The encoder's first error
 * (AK_E_STATE when it holds no datum, several or an unfinished one) drops the datum; the
 * encoder starts afresh either way and the writer stays usable. */
AK_API int ak_stream_writer_commit(struct ak_stream_writer *w, struct ak_error *err);
/* A datum already encoded with the schema, as the next message: checked by decoding it
 * (AK_E_FORMAT when the @len bytes are not exactly one datum). */
AK_API int ak_stream_writer_append(struct ak_stream_writer *w, const void *datum, size_t len,
				   struct ak_error *err);
/* One message per JSON value read from @read until it ends (Avro's JSON encoding, or per
 * @json_flags as for ak_writer_write_json()). Errors: AK_E_JSON with line, column and field
 * path (the messages before it are written), AK_E_IO, AK_E_CALLBACK when @progress (may be
 * NULL) stops it. */
AK_API int ak_stream_writer_write_json(struct ak_stream_writer *w, ak_read_fn read, void *ctx,
				       unsigned json_flags, ak_progress_fn progress, void *pctx,
				       struct ak_error *err);
/* Write out the buffered messages. AK_E_IO with AK_ERROR_OUTPUT when writing fails; the
 * writer is then good only for ak_stream_writer_free(). */
AK_API int ak_stream_writer_flush(struct ak_stream_writer *w, struct ak_error *err);
/* Messages framed so far. */
AK_API uint64_t ak_stream_writer_count(const struct ak_stream_writer *w);
/* Frees the writer without writing what is buffered (call ak_stream_writer_flush() first). */
AK_API void ak_stream_writer_free(struct ak_stream_writer *w);

/* ==== codecs ==== */

/* 2 when this build reads and writes codec @name, 1 when it only reads it (avro-c's "lzma",
 * fastavro's "lz4"), 0 when it does not have it, Avro has no such codec, or @name is NULL. */
AK_API int ak_codec_supported(const char *name);
/* The libraries behind the codecs and their versions, e.g. "zlib 1.2.13 libdeflate 1.14
 * snappy ...". Static storage. */
AK_API const char *ak_codec_libraries(void);

/* ==== schema inference ==== */

/*
 * An inferer reads values and gives one schema that fits them all, as `avrokit infer` does
 * (ak_infer(3) has the rules): objects become records named after their key, keys missing or
 * null in some values optional fields, numbers int, long or double as the values need, a place
 * holding several kinds of value a union of one branch per kind. The values come as JSON
 * text (a stream of values, NDJSON or not, or one array of them), as calls made by a binding
 * that walks its own objects (ak_infer_null() ... ak_infer_end_array()), or from decoded Avro
 * data (ak_infer_visitor()). Only a summary of the types seen at each place is kept, never
 * the values: memory does not grow with their number. ak_infer_schema() may be called at any
 * time between values, and again after more.
 *
 * After an error the inferer may hold part of the value that failed (the values before it
 * are all in): free it. A JSON text error is also returned again by every later
 * ak_infer_json_chunk() and ak_infer_json_end().
 */
struct ak_infer;

struct ak_infer_opts {
	const char *name;   /* the top-level record's name (default "Record"); copied */
	const char *space;  /* its namespace, which the nested records inherit (default, and
			     * NULL or "": none); copied */
	size_t max_fields;  /* an object type seen with more distinct keys becomes a map
			     * (default 1000; 0: the default) */
	int logical;        /* nonzero: strings that are all dates, RFC 3339 timestamps with a
			     * zone, or uuids get those logical types (default 0) */
	int reserved0;
	uint64_t reserved[8];
};

AK_API void ak_infer_opts_init(struct ak_infer_opts *o);

/* A new inferer; @o may be NULL for the defaults (it is copied). NULL with @err: AK_E_ARG for
 * a name or namespace that is not valid in Avro, AK_E_NOMEM. */
AK_API struct ak_infer *ak_infer_new(const struct ak_infer_opts *o, struct ak_error *err);
AK_API void ak_infer_free(struct ak_infer *inf);

/*
 * JSON text, as `avrokit infer` reads it. ak_infer_read_json() reads @read to its end: a stream
 * of values (one per line, or spread over lines), or with AK_JSON_ARRAY in @json_flags (the
 * other flags are ignored) one JSON array whose items are the values. AK_OK, or AK_E_JSON
 * (invalid JSON, a key twice in one object, a number beyond double) or AK_E_LIMIT (nested
 * deeper than 100 levels) with err->line and err->column, AK_E_IO when @read fails, AK_E_ARG
 * for a NULL @read.
 *
 * ak_infer_json_chunk() takes the text of a stream of values in pieces of any size (a value may
 * be cut anywhere), each value counted once it is complete; ak_infer_json_end() says the text
 * is over: it adds the value the text ends with when nothing followed it, and is AK_E_JSON
 * when the text ends inside a value. Errors as above, with lines and columns counted over
 * the whole text; the text of an unfinished value is kept until it is complete. After
 * ak_infer_json_end() a new text may begin.
 */
AK_API int ak_infer_read_json(struct ak_infer *inf, ak_read_fn read, void *ctx,
			      unsigned json_flags, struct ak_error *err);
AK_API int ak_infer_json_chunk(struct ak_infer *inf, const char *text, size_t len,
			       struct ak_error *err);
AK_API int ak_infer_json_end(struct ak_infer *inf, struct ak_error *err);

/*
 * Values as calls: null, a boolean, a number, a string, or ak_infer_begin_object(), then
 * ak_infer_key() and the value for each member, ak_infer_end_object(); or
 * ak_infer_begin_array(), the items, ak_infer_end_array(). A top-level value counts once it
 * is complete. Each returns AK_OK, AK_E_STATE for a call out of place (a key outside an
 * object or where a value is due, a value where a key is due, an end that matches nothing),
 * AK_E_JSON for a key given twice in one object, AK_E_LIMIT past 100 levels of nesting,
 * AK_E_ARG for a NULL pointer with a length or a value these calls do not take.
 *
 * ak_infer_long() is an integer (int when every value at its place fits 32 bits, else long);
 * ak_infer_double() a number with a fraction or an exponent (any double: NaN and the
 * infinities are doubles too). Strings and keys are @len bytes of UTF-8 (not checked). JSON
 * has no more kinds; a binding has, and these give them their Avro types:
 * ak_infer_bytes() (bytes); ak_infer_decimal() (bytes with the decimal logical type, its
 * precision and scale the largest the place needs: @precision digits in all, @scale of them
 * after the point, at most 1000000); ak_infer_logical() a value of logical type @lt: AK_LT_DATE,
 * AK_LT_TIME_MILLIS, AK_LT_TIME_MICROS, AK_LT_UUID (a string), or a timestamp or local
 * timestamp of any precision (a place that holds several precisions gets the finest). Two
 * kinds that are one Avro type (numbers and timestamps, both long; strings and uuids) cannot
 * share a place: ak_infer_schema() then fails with AK_E_VALUE naming it.
 */
AK_API int ak_infer_null(struct ak_infer *inf, struct ak_error *err);
AK_API int ak_infer_boolean(struct ak_infer *inf, int v, struct ak_error *err);
AK_API int ak_infer_long(struct ak_infer *inf, int64_t v, struct ak_error *err);
AK_API int ak_infer_double(struct ak_infer *inf, double v, struct ak_error *err);
AK_API int ak_infer_string(struct ak_infer *inf, const char *s, size_t len,
			   struct ak_error *err);
AK_API int ak_infer_bytes(struct ak_infer *inf, const void *p, size_t len, struct ak_error *err);
AK_API int ak_infer_decimal(struct ak_infer *inf, uint32_t precision, uint32_t scale,
			    struct ak_error *err);
AK_API int ak_infer_logical(struct ak_infer *inf, enum ak_logical lt, struct ak_error *err);
AK_API int ak_infer_begin_object(struct ak_infer *inf, struct ak_error *err);
AK_API int ak_infer_key(struct ak_infer *inf, const char *key, size_t len, struct ak_error *err);
AK_API int ak_infer_end_object(struct ak_infer *inf, struct ak_error *err);
AK_API int ak_infer_begin_array(struct ak_infer *inf, struct ak_error *err);
AK_API int ak_infer_end_array(struct ak_infer *inf, struct ak_error *err);

/*
 * A visitor that adds each datum it is given to the inferer passed as its context, as the
 * calls above would: records and maps as objects (fields by name), arrays, the value of a
 * union's branch, enum symbols as strings, bytes and fixed as bytes, and logical types as
 * themselves (a decimal with its type's precision and scale; a duration as bytes). Decoding
 * Avro data with it infers the schema of that data as plain JSON sees it. Static storage.
 */
AK_API const struct ak_visitor *ak_infer_visitor(void);

/* Top-level values added so far. */
AK_API uint64_t ak_infer_count(const struct ak_infer *inf);

/*
 * The schema for every value added so far, as JSON text (free with ak_free()): on one line when
 * @indent is 0 or less, else indented by @indent spaces (at most 31). It has been parsed back
 * and checked. With no value added it is a record with no fields. NULL with @err: AK_E_STATE
 * while a value is open in the calls, AK_E_VALUE for a place holding two kinds that are one
 * Avro type, AK_E_NOMEM.
 */
AK_API char *ak_infer_schema(struct ak_infer *inf, int indent, struct ak_error *err);

/*
 * What the last ak_infer_schema() decided that a user may not expect (an object that became a
 * map, and why; strings that plain JSON cannot place), as sentences that start with the place
 * as a JSONPath ("$.address", "$.tags[*]", "$.headers.*"). Borrowed until the next
 * ak_infer_schema() or ak_infer_free(); NULL when @i is not below the count.
 */
AK_API size_t ak_infer_note_count(const struct ak_infer *inf);
AK_API const char *ak_infer_note(const struct ak_infer *inf, size_t i);

/* ==== random data ==== */

/*
 * A generator of random datums for a schema, as `avrokit random` makes them: every value
 * valid for its type (UTF-8 strings with non-ASCII characters, enum symbols, fixed values of
 * their size, decimals within their precision, dates and timestamps from 1900 to 2099),
 * every union branch taken within the first datums, recursion that ends. The same seed and
 * options give the same datums on every platform, the datums `avrokit random --seed` writes.
 */
struct ak_random;

struct ak_random_opts {
	uint64_t seed;        /* default 0 */
	unsigned max_depth;   /* nesting of records, arrays and maps before values must end
			       * (default 6; 0: the default) */
	unsigned max_items;   /* arrays and maps hold 0 to this many items (default 5; 0: the
			       * default) */
	unsigned max_length;  /* strings (in characters, at most 256) and bytes have 0 to this
			       * many (default 16; 0: the default) */
	unsigned reserved0;
	uint64_t reserved[8];
};

AK_API void ak_random_opts_init(struct ak_random_opts *o);

/* A generator for @s (borrowed: must outlive it); @o may be NULL for the defaults. NULL with
 * @err: AK_E_SCHEMA when no value of the schema can be finite (a record that always holds
 * itself) or none exists (an enum without symbols), AK_E_ARG for a NULL @s, AK_E_NOMEM. */
AK_API struct ak_random *ak_random_new(const struct ak_schema *s, const struct ak_random_opts *o,
				       struct ak_error *err);
AK_API void ak_random_free(struct ak_random *r);

/*
 * The next @n datums, binary-encoded one after the other (ak_decode()'s @used finds where each
 * ends), in *@data and *@len: borrowed until the next call on @r. ak_writer_append() writes
 * them to a file one by one. AK_OK, or AK_E_NOMEM, AK_E_ARG (NULL pointers), AK_E_LIMIT (a
 * datum of more than 64 MiB: fixed types of many megabytes); *@data is NULL and *@len 0 on
 * failure.
 */
AK_API int ak_random_next(struct ak_random *r, size_t n, const void **data, size_t *len,
			  struct ak_error *err);

/* The 16-byte sync marker `avrokit random --seed @seed` gives its file (from a stream of its
 * own, apart from the datums'): with it as the writer's sync marker, the deflate codec and the
 * default block size, the same datums make the same file. */
AK_API void ak_random_sync(uint64_t seed, unsigned char sync[16]);

#ifdef __cplusplus
}
#endif

#endif /* AVROKIT_H */
