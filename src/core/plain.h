/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Readable forms of logical types, for plain JSON (tojson --plain): dates, times and
 * timestamps as ISO 8601 / RFC 3339 strings, decimals as exact decimal strings, uuid fixed as
 * its 8-4-4-4-12 hex string, durations as objects, and bytes as base64 or hex. No binary
 * floating point is used anywhere here.
 *
 * Each function appends to @b, which must have room (AK_PLAIN_MAX, or as documented).
 */
#ifndef AK_PLAIN_H
#define AK_PLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

#define AK_PLAIN_MAX 96

/* Days since 1970-01-01 as "YYYY-MM-DD" (years outside 0000..9999 as +YYYYY or -YYYY). */
void ak_plain_date(struct ak_buf *b, int64_t days);

/* Time of day: @v in units of 10^-@digits seconds (3 or 6) since midnight, as
 * "HH:MM:SS.fff" or "HH:MM:SS.ffffff". Returns 0, or -1 when @v is not within a day (the
 * caller then prints the number). */
int ak_plain_time(struct ak_buf *b, int64_t v, int digits);

/* Timestamp: @v in units of 10^-@digits seconds (3, 6 or 9) since the epoch, as
 * "YYYY-MM-DDTHH:MM:SS.fff[fff[fff]]" followed by "Z" when @utc. */
void ak_plain_timestamp(struct ak_buf *b, int64_t v, int digits, int utc);

/* A big-endian two's-complement integer of @n bytes scaled by 10^-@scale, as an exact decimal
 * string in quotes ("-12.34"). Needs AK_PLAIN_DECIMAL_MAX(@n, @scale) bytes. Returns -1
 * (nothing written) above AK_PLAIN_DECIMAL_BYTES bytes or a scale above 1000, where the caller
 * prints the bytes instead. */
#define AK_PLAIN_DECIMAL_BYTES 256
#define AK_PLAIN_DECIMAL_MAX(n, scale) ((size_t)(n) * 3 + (size_t)(scale) + 8)
int ak_plain_decimal(struct ak_buf *b, const unsigned char *p, size_t n, int scale);

/* An int or long with logical type @logical (enum ak_logical) in its readable form: 0 when
 * written, -1 when the type has none or @v is out of its range (the caller prints the
 * number). */
int ak_plain_logical_long(struct ak_buf *b, unsigned logical, int64_t v);

/* 16 bytes as a quoted uuid string. */
void ak_plain_uuid(struct ak_buf *b, const unsigned char *p);

/* 12 bytes (three little-endian unsigned 32-bit counts) as
 * {"months":M,"days":D,"milliseconds":MS}. */
void ak_plain_duration(struct ak_buf *b, const unsigned char *p);

/* Bytes as a quoted base64 (RFC 4648, padded) or lowercase hex string; room for
 * AK_PLAIN_BYTES_MAX(@n) bytes. */
#define AK_PLAIN_BYTES_MAX(n) ((n) * 2 + 8)
void ak_plain_base64(struct ak_buf *b, const unsigned char *p, size_t n);
void ak_plain_hex(struct ak_buf *b, const unsigned char *p, size_t n);

/*
 * The reverse, for fromjson --plain. Each returns 0, or -1 when the text is not in the form,
 * -2 when it has more precision than the type holds, -3 when the value does not fit.
 */
int ak_parse_date(const char *s, size_t n, int64_t *days);
int ak_parse_time(const char *s, size_t n, int digits, int64_t *v);
/* RFC 3339 with "Z" or an offset when @utc, without a zone otherwise. */
int ak_parse_timestamp(const char *s, size_t n, int digits, int utc, int64_t *v);
/* "-12.34" with at most @scale fraction digits, appended to @out as big-endian two's
 * complement: the shortest form, or exactly @size bytes when @size is not 0. */
int ak_parse_decimal(const char *s, size_t n, int scale, size_t size, struct ak_buf *out,
		     struct ak_error *err);
int ak_parse_uuid(const char *s, size_t n, unsigned char out[16]);
int ak_parse_hex(const char *s, size_t n, struct ak_buf *out, struct ak_error *err);
int ak_parse_base64(const char *s, size_t n, struct ak_buf *out, struct ak_error *err);

#endif /* AK_PLAIN_H */
