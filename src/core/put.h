/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Appending Avro binary to an ak_buf: longs as zig-zag varints, floats and doubles as
 * little-endian IEEE 754, and a length put in front of bytes already written (for values
 * whose length is known only once they are out). Static inline: the encoders call these per
 * value. Each returns AK_OK or AK_E_NOMEM (with @err).
 */
#ifndef AK_PUT_H
#define AK_PUT_H

#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "varint.h"

static inline int ak_buf_put_long(struct ak_buf *b, int64_t v, struct ak_error *err)
{
	if (ak_buf_reserve(b, AK_VARINT_MAX, err) != AK_OK)
		return AK_E_NOMEM;
	b->len += ak_varint_encode(b->data + b->len, v);
	return AK_OK;
}

/* The low @n bytes of @v, least significant first. */
static inline int ak_buf_put_le(struct ak_buf *b, uint64_t v, size_t n, struct ak_error *err)
{
	if (ak_buf_reserve(b, n, err) != AK_OK)
		return AK_E_NOMEM;
	for (size_t i = 0; i < n; i++)
		b->data[b->len + i] = (unsigned char)(v >> (8 * i));
	b->len += n;
	return AK_OK;
}

static inline int ak_buf_put_float(struct ak_buf *b, float f, struct ak_error *err)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return ak_buf_put_le(b, u, 4, err);
}

static inline int ak_buf_put_double(struct ak_buf *b, double d, struct ak_error *err)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return ak_buf_put_le(b, u, 8, err);
}

/* Put the varint @v in front of the bytes from @start to the end of @b. */
static inline int ak_buf_insert_long(struct ak_buf *b, size_t start, int64_t v,
				     struct ak_error *err)
{
	unsigned char tmp[AK_VARINT_MAX];
	size_t n = ak_varint_encode(tmp, v);

	if (ak_buf_reserve(b, n, err) != AK_OK)
		return AK_E_NOMEM;
	memmove(b->data + start + n, b->data + start, b->len - start);
	memcpy(b->data + start, tmp, n);
	b->len += n;
	return AK_OK;
}

#endif /* AK_PUT_H */
