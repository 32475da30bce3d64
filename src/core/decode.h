/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding Avro binary datums through a plan, into one of three consumers: JSON text
 * (ak_datum_json), a caller's visitor callbacks (ak_datum_visit, the public API's way), or
 * nothing (ak_datum_skip: checks and skips). Every read is checked against the end of the
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

/* Deepest nesting of data values by default (records in records, arrays in arrays, ...). */
#define AK_DATA_MAX_DEPTH 1000
/* Most items that take no bytes (null, empty records) arrays may hold in one datum: their
 * counts cannot be checked against the bytes, so they are capped. */
#define AK_MAX_EMPTY_ITEMS (1u << 24)

/* enum ak_json_flags: avrokit.h */

struct ak_json_writer {
	const struct ak_plan *plan; /* borrowed */
	unsigned flags;             /* enum ak_json_flags */
	size_t bad_utf8;            /* invalid UTF-8 bytes replaced so far */
	unsigned max_depth;         /* 0: AK_DATA_MAX_DEPTH */
	void *scratch;              /* private: reused buffers; free with ak_json_writer_release() */
};

/* Free the writer's scratch buffers (the struct itself belongs to the caller). */
void ak_json_writer_release(struct ak_json_writer *w);

/*
 * Decode one datum from [*p, end) and append it to @out as JSON. On success *p moves past
 * the datum. On failure @err says what and where inside the datum (err->path) and @out may
 * hold a partial value (the caller rolls it back).
 */
int ak_datum_json(struct ak_json_writer *w, const unsigned char **p, const unsigned char *end,
		  struct ak_buf *out, struct ak_error *err);

/* The same, calling @v's callbacks (public avrokit.h semantics). @max_depth 0: the default. */
int ak_datum_visit(const struct ak_plan *plan, const unsigned char **p, const unsigned char *end,
		   const struct ak_visitor *v, void *ctx, unsigned max_depth, struct ak_error *err);

/* Skip one datum, checking it as thoroughly as the others do. */
int ak_datum_skip(const struct ak_plan *plan, const unsigned char **p, const unsigned char *end,
		  unsigned max_depth, struct ak_error *err);

/*
 * Check a block's record count against its size before decoding: @count records of the plan's
 * root type must fit in @size bytes (records that take no bytes are capped at
 * AK_MAX_EMPTY_ITEMS per block). AK_OK or AK_E_FORMAT.
 */
int ak_decode_check_count(const struct ak_plan *plan, int64_t count, size_t size,
			  struct ak_error *err);

#endif /* AK_DECODE_H */
