/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Errors in the core. Every function that can fail returns an int: AK_OK (0), AK_EOF (1, a
 * normal end where one makes sense), or a negative enum ak_status. The caller passes a
 * struct ak_error (public: avrokit.h) that receives the status, the saved errno for I/O
 * failures, the message, and the position as separate fields: byte offset, block, record,
 * field path, line and column. ak_fail() records the what; the layers that know the where
 * fill those fields as the error travels up (ak_error_at_block() and friends). There is no
 * global error state.
 */
#ifndef AK_ERROR_H
#define AK_ERROR_H

#include <stddef.h>

#include "avrokit.h"

/* Record an error and return @code, so that `return ak_fail(err, ...)` reads as one line.
 * Clears every position field. */
int ak_fail(struct ak_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like ak_fail() with AK_E_IO, saving @errnum and appending strerror(@errnum). */
int ak_fail_errno(struct ak_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same for a failure to write the output: the error is marked AK_ERROR_OUTPUT. */
int ak_fail_write(struct ak_error *err, int errnum);

/* Put "PREFIX: " in front of the message already in @err (context that is not a position,
 * such as "header" or "cannot read with the reader schema"). */
void ak_error_prefix(struct ak_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Positions, set on the way up. Each does nothing when @err is NULL. */
static inline void ak_error_at_block(struct ak_error *err, uint64_t index, uint64_t offset)
{
	if (err) {
		err->block = index;
		err->offset = offset;
	}
}

static inline void ak_error_at_record(struct ak_error *err, uint64_t record)
{
	if (err)
		err->record = record;
}

static inline void ak_error_at_offset(struct ak_error *err, uint64_t offset)
{
	if (err)
		err->offset = offset;
}

/* Set the field path (cut to AK_ERROR_PATH_MAX - 1 bytes, keeping its end). */
void ak_error_set_path(struct ak_error *err, const char *path);

/* Copy @src into @dst (either may be NULL). */
void ak_error_copy(struct ak_error *dst, const struct ak_error *src);

#endif /* AK_ERROR_H */
