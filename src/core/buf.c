/* SPDX-License-Identifier: Apache-2.0 */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>

void ak_buf_release(struct ak_buf *b)
{
	free(b->data);
	ak_buf_init(b);
}

int ak_buf_grow(struct ak_buf *b, size_t extra, struct ak_error *err)
{
	size_t need, cap;
	unsigned char *p;

	if (extra > SIZE_MAX - b->len)
		return ak_fail(err, AK_E_NOMEM, "buffer size overflow");
	need = b->len + extra;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return ak_fail(err, AK_E_NOMEM, "out of memory (%zu bytes)", cap);
	b->data = p;
	b->cap = cap;
	return AK_OK;
}
