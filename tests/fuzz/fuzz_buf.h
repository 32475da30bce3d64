/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable byte buffer for the fuzz targets that see only avrokit.h, and collect(), an
 * ak_write_fn that appends to one: what a target writes (JSON, a container file) to compare
 * or read back. The caller frees p. An allocation failure is the write's failure (-1).
 */
#ifndef AK_FUZZ_BUF_H
#define AK_FUZZ_BUF_H

#include <stdlib.h>
#include <string.h>

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static inline int put(struct buf *b, const void *p, size_t n)
{
	if (!n)
		return 0;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *q;

		while (cap < b->len + n)
			cap *= 2;
		if (!(q = realloc(b->p, cap)))
			return -1;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

static inline int collect(void *ctx, const void *p, size_t n)
{
	return put(ctx, p, n);
}

#endif /* AK_FUZZ_BUF_H */
