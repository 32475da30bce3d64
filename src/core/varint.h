/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Zig-zag varints as Avro encodes int and long: at most 10 bytes for a long, 5 for an int.
 * These sit on the hot path, so they are static inline and never allocate.
 */
#ifndef AK_VARINT_H
#define AK_VARINT_H

#include <stddef.h>
#include <stdint.h>

/* Longest encoding of a 64-bit value. */
#define AK_VARINT_MAX 10

enum ak_varint_rc {
	AK_VARINT_OK = 0,
	AK_VARINT_SHORT = -1,    /* the bytes ended inside the varint */
	AK_VARINT_OVERLONG = -2, /* more than 10 bytes, or bits beyond 64 */
};

static inline int64_t ak_zigzag_decode(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static inline uint64_t ak_zigzag_encode(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/*
 * Decode one long from [*p, end). On success advances *p and returns AK_VARINT_OK; on failure
 * *p is left where it was.
 */
static inline int ak_varint_decode(const unsigned char **p, const unsigned char *end, int64_t *out)
{
	const unsigned char *s = *p;
	uint64_t v;

	if (s < end && !(s[0] & 0x80)) { /* one byte: the common case */
		*out = ak_zigzag_decode(s[0]);
		*p = s + 1;
		return AK_VARINT_OK;
	}
	v = 0;
	for (unsigned i = 0; i < AK_VARINT_MAX; i++) {
		unsigned char c;

		if (s + i >= end)
			return AK_VARINT_SHORT;
		c = s[i];
		if (i == 9 && (c & 0x7e))
			return AK_VARINT_OVERLONG;
		v |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			*out = ak_zigzag_decode(v);
			*p = s + i + 1;
			return AK_VARINT_OK;
		}
	}
	return AK_VARINT_OVERLONG;
}

/* Encode @v at @dst (room for AK_VARINT_MAX bytes). Returns the byte count. */
static inline size_t ak_varint_encode(unsigned char *dst, int64_t v)
{
	uint64_t u = ak_zigzag_encode(v);
	size_t n = 0;

	while (u >= 0x80) {
		dst[n++] = (unsigned char)(u | 0x80);
		u >>= 7;
	}
	dst[n++] = (unsigned char)u;
	return n;
}

#endif /* AK_VARINT_H */
