/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 and Latin-1, the two text forms Avro uses: strings are UTF-8, and the JSON forms of
 * bytes and fixed values (Avro JSON, schema defaults, plain JSON) are strings whose code
 * points U+0000..U+00FF each stand for one byte. The checks and conversions live here once;
 * the JSON reader's own streaming string parser (json_in.c) is the one exception, as it
 * decodes escapes in the same pass.
 */
#ifndef AK_TEXT_H
#define AK_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* Length of the valid UTF-8 sequence of two to four bytes at @s, with @left bytes there, or 0
 * when it is not one (ASCII is the caller's fast path): no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
static inline size_t ak_utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return left >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (left < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0; /* overlong, or a surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (left < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0; /* overlong, or above U+10FFFF */
		return 4;
	}
	return 0;
}

/* Is @s (@n bytes) valid UTF-8? */
int ak_utf8_valid(const unsigned char *s, size_t n);

/* The UTF-8 form of the code point @cp (at most U+10FFFF) into @o; its length, 1 to 4. */
size_t ak_utf8_put(unsigned char o[4], uint32_t cp);

/*
 * The valid UTF-8 text @s (@n bytes) as Latin-1: one byte per code point, appended to @out
 * (NULL: only check and count). Returns AK_OK with the number of code points in *@count
 * (when not NULL); 1 when a code point is above U+00FF or the text is not valid UTF-8 (@out
 * then holds part of the bytes: the caller rolls back); AK_E_NOMEM with @err.
 */
int ak_latin1_from_utf8(const unsigned char *s, size_t n, struct ak_buf *out, size_t *count,
			struct ak_error *err);

#endif /* AK_TEXT_H */
