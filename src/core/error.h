/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Errors in the core. Every function that can fail returns an int: AK_OK (0), AK_EOF (1, a
 * normal end where one makes sense), or a negative enum ak_status. The caller passes a
 * struct ak_error that receives the status, the saved errno (for I/O failures) and a
 * human-readable message that already carries the location (block, offset, record, field).
 * There is no global error state.
 */
#ifndef AK_ERROR_H
#define AK_ERROR_H

#include <stddef.h>

enum ak_status {
	AK_OK = 0,
	AK_EOF = 1,
	AK_E_NOMEM = -1,       /* allocation failed */
	AK_E_IO = -2,          /* read or write failed; sys_errno is set */
	AK_E_FORMAT = -3,      /* the bytes are not valid Avro (container or datum) */
	AK_E_SCHEMA = -4,      /* the schema is invalid */
	AK_E_LIMIT = -5,       /* a configured limit was exceeded */
	AK_E_CODEC = -6,       /* compressed data is corrupt, or the codec is unknown */
	AK_E_UNSUPPORTED = -7, /* valid, but not supported by this build */
	AK_E_ARG = -8,         /* the caller passed something invalid */
	AK_E_JSON = -9,        /* JSON input is malformed or does not fit the schema */
};

#define AK_ERROR_MSG_MAX 512

struct ak_error {
	int code;      /* enum ak_status, 0 when no error was recorded */
	int sys_errno; /* errno for AK_E_IO, else 0 */
	unsigned long line, column; /* position in a text input (1-based), 0 when none */
	char msg[AK_ERROR_MSG_MAX];
};

/* Record an error and return @code, so that `return ak_fail(err, ...)` reads as one line. */
int ak_fail(struct ak_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like ak_fail() with AK_E_IO, saving @errnum and appending strerror(@errnum). */
int ak_fail_errno(struct ak_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "PREFIX: " in front of the message already in @err (for adding outer context). */
void ak_error_prefix(struct ak_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Forget any recorded error. */
void ak_error_clear(struct ak_error *err);

/* A short name for a status, e.g. "format error". */
const char *ak_status_name(int code);

#endif /* AK_ERROR_H */
