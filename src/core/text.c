/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 checks and the Latin-1 form of bytes in JSON (text.h). */
#include "text.h"

int ak_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (!(k = ak_utf8_seq(s + i, n - i)))
			return 0;
		i += k;
	}
	return 1;
}

size_t ak_utf8_put(unsigned char o[4], uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

int ak_latin1_from_utf8(const unsigned char *s, size_t n, struct ak_buf *out, size_t *count,
			struct ak_error *err)
{
	size_t i = 0, cps = 0;

	/* code points below U+0100 are ASCII or C2/C3 and one continuation byte */
	if (out && ak_buf_reserve(out, n, err) != AK_OK)
		return AK_E_NOMEM;
	while (i < n) {
		unsigned char b;

		if (s[i] < 0x80) {
			b = s[i++];
		} else if ((s[i] == 0xc2 || s[i] == 0xc3) && i + 1 < n &&
			   (s[i + 1] & 0xc0) == 0x80) {
			b = (unsigned char)((s[i] & 0x03) << 6 | (s[i + 1] & 0x3f));
			i += 2;
		} else {
			return 1;
		}
		if (out)
			out->data[out->len++] = b;
		cps++;
	}
	if (count)
		*count = cps;
	return AK_OK;
}
