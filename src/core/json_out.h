/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pieces of JSON text, appended to a struct ak_buf: strings (escaped, UTF-8 checked), Avro bytes
 * as strings of code points U+0000..U+00FF, integers, and floats and doubles in the shortest form
 * that reads back to the same value, spelled the way Java's Double.toString spells them (as
 * avro-tools prints them): 1.0, 0.001, 1.0E7, 1.5E-4. NaN and the infinities are not JSON
 * numbers; they are written as the JSON strings "NaN", "Infinity" and "-Infinity" (what Java's
 * Jackson writes, and what avrokit reads back).
 *
 * Callers reserve room first: every function here needs at most the bytes its
 * AK_JSON_*_MAX macro gives, or for strings AK_JSON_STRING_MAX(len).
 */
#ifndef AK_JSON_OUT_H
#define AK_JSON_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

#define AK_JSON_NUMBER_MAX 40
/* Worst case: every byte becomes \u00XX (6 bytes), plus the quotes. */
#define AK_JSON_STRING_MAX(len) ((len) * 6 + 2)

/* Append @s (UTF-8, @len bytes) as a quoted JSON string. Invalid UTF-8 sequences become
 * U+FFFD, one per invalid byte, so the output is always valid JSON. Needs
 * AK_JSON_STRING_MAX(@len) bytes reserved. Returns the number of bytes replaced. */
size_t ak_json_put_string(struct ak_buf *b, const unsigned char *s, size_t len);

/* Append Avro bytes or fixed as a quoted string of code points U+0000..U+00FF: printable ASCII
 * as itself, everything else escaped (\n, \u0000, \u00FF). */
void ak_json_put_bytes(struct ak_buf *b, const unsigned char *s, size_t len);

void ak_json_put_long(struct ak_buf *b, int64_t v);
void ak_json_put_double(struct ak_buf *b, double d);
void ak_json_put_float(struct ak_buf *b, float f);

/* Format @d / @f as above into @dst (AK_JSON_NUMBER_MAX bytes); returns the length. The
 * non-finite values give NaN, Infinity, -Infinity with quotes. */
size_t ak_format_double(char *dst, double d);
size_t ak_format_float(char *dst, float f);

#define AK_SCHEMA_JSON_MAX_DEPTH 2048

/*
 * Re-lay out valid JSON @text: with @indent 0 on one line without spaces, else the way Java's
 * avro-tools (Jackson) indents: objects one "key" : value per line, indented by @indent spaces
 * per object level (starting at level @base), arrays on the line as [ a, b ]. Strings and
 * numbers are copied exactly as written, so nothing is re-spelled. Appends to @out. The text
 * must already be known to be valid JSON.
 */
int ak_json_reformat(const char *text, size_t len, int indent, unsigned base,
		     struct ak_buf *out, struct ak_error *err);

#endif /* AK_JSON_OUT_H */
