/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding Avro binary datums through a plan. Every read is checked against the end of the
 * bytes given (normally the end of one decompressed block); counts are checked against what
 * the remaining bytes could hold before anything is done with them; nesting is limited.
 */
#ifndef AK_DECODE_H
#define AK_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "plan.h"

/* Deepest nesting of data values (records in records, arrays in arrays, ...). */
#define AK_DATA_MAX_DEPTH 1000
/* Most items an array or map block may declare when its items take no bytes (null, empty
 * records): such counts cannot be checked against the bytes, so they are capped. */
#define AK_MAX_EMPTY_ITEMS (1u << 24)

enum ak_json_flags {
	AK_JSON_PRETTY = 1 << 0,       /* indent: two spaces, "key" : value, [ a, b ] */
	AK_JSON_PLAIN = 1 << 1,        /* unions unwrapped, logical types rendered (plain.h) */
	AK_JSON_BYTES_BASE64 = 1 << 2, /* bytes and fixed as base64 strings */
	AK_JSON_BYTES_HEX = 1 << 3,    /* bytes and fixed as hex strings */
};

struct ak_json_writer {
	const struct ak_plan *plan; /* borrowed */
	unsigned flags;
	size_t bad_utf8;            /* invalid UTF-8 bytes replaced so far */
	void *scratch;              /* private: reused buffers; free with ak_json_writer_release() */
};

/* Free the writer's scratch buffers (the struct itself belongs to the caller). */
void ak_json_writer_release(struct ak_json_writer *w);

/*
 * Decode one datum from [*p, end) and append it to @out as Avro JSON. On success *p moves past
 * the datum. On failure @err says what and where inside the datum ("field .a.b[3]: ...") and
 * @out may hold a partial value (the caller rolls it back).
 */
int ak_decode_json(struct ak_json_writer *w, const unsigned char **p, const unsigned char *end,
		   struct ak_buf *out, struct ak_error *err);

/* Skip one datum, checking it as thoroughly as ak_decode_json() does. */
int ak_decode_skip(const struct ak_plan *plan, const unsigned char **p, const unsigned char *end,
		   struct ak_error *err);

/*
 * Check a block's record count against its size before decoding: @count records of the plan's
 * root type must fit in @size bytes (records that take no bytes are capped at
 * AK_MAX_EMPTY_ITEMS per block). AK_OK or AK_E_FORMAT.
 */
int ak_decode_check_count(const struct ak_plan *plan, int64_t count, size_t size,
			  struct ak_error *err);

#endif /* AK_DECODE_H */
