/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct ak_buf: a growable byte buffer (git's strbuf, for bytes). Invariants: @data is NULL
 * only while @cap is 0; @len <= @cap. Growth is bounded by the caller: every reserve that
 * depends on input is checked against a limit before it is asked for.
 */
#ifndef AK_BUF_H
#define AK_BUF_H

#include <stddef.h>
#include <string.h>

#include "error.h"

struct ak_buf {
	unsigned char *data;
	size_t len;
	size_t cap;
};

#define AK_BUF_INIT { NULL, 0, 0 }

static inline void ak_buf_init(struct ak_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Free the memory; the buffer is empty and reusable afterwards. */
void ak_buf_release(struct ak_buf *b);

/* Make room for @extra more bytes after @len. AK_OK or AK_E_NOMEM (with @err set). */
int ak_buf_grow(struct ak_buf *b, size_t extra, struct ak_error *err);

static inline int ak_buf_reserve(struct ak_buf *b, size_t extra, struct ak_error *err)
{
	if (b->cap - b->len >= extra)
		return AK_OK;
	return ak_buf_grow(b, extra, err);
}

static inline int ak_buf_append(struct ak_buf *b, const void *p, size_t n, struct ak_error *err)
{
	int rc = ak_buf_reserve(b, n, err);

	if (rc != AK_OK)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return AK_OK;
}

#endif /* AK_BUF_H */
