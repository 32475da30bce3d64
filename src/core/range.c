/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Byte-range splits of container files, by the rule of Hadoop's Avro input format (its record
 * reader syncs to the split's start, then reads while the last sync marker seen starts before
 * the split's end): a range [start, end) owns the blocks whose sync marker, the 16 bytes just
 * before the block (the header's own marker for the first block), starts at an offset in
 * [start, end). Every marker starts in exactly one range of any set of ranges that covers the
 * file without overlapping, so every block is read by exactly one worker, and no worker needs
 * to know where the others start or where the blocks are: it reads the header from the start
 * of the file, moves to @start, searches the bytes for the first marker, and reads on
 * (container.c stops before the first block whose marker starts at @end or later).
 */
#include <string.h>

#include "container_impl.h"

/* The first place @m (AK_SYNC_SIZE bytes) occurs in the @n bytes at @p, or @n when none. */
static size_t search(const unsigned char *p, size_t n, const unsigned char *m)
{
	const unsigned char *q = p, *end = p + n;

	while ((size_t)(end - q) >= AK_SYNC_SIZE &&
	       (q = memchr(q, m[0], (size_t)(end - q) - (AK_SYNC_SIZE - 1))) != NULL) {
		if (memcmp(q, m, AK_SYNC_SIZE) == 0)
			return (size_t)(q - p);
		q++;
	}
	return n;
}

/*
 * Consume the input up to and including the first marker @m. @carry holds the @c bytes (at
 * most AK_SYNC_SIZE - 1) just before the input's position that a marker may start in. AK_OK,
 * AK_EOF when the input ends first, or an I/O error.
 */
static int find_marker(struct ak_in *in, const unsigned char *m, unsigned char *carry, size_t c,
		       struct ak_error *err)
{
	enum { KEEP = AK_SYNC_SIZE - 1 };
	unsigned char join[2 * KEEP];
	int rc;

	for (;;) {
		const unsigned char *p;
		size_t n, at;

		if ((rc = ak_in_fill(in, err)) != AK_OK)
			return rc;
		p = in->buf + in->pos;
		n = in->end - in->pos;
		/* a marker that starts in the carried bytes and ends in these */
		if (c) {
			size_t k = n < KEEP ? n : KEEP;

			memcpy(join, carry, c);
			memcpy(join + c, p, k);
			at = search(join, c + k, m);
			if (at < c) {
				in->pos += at + AK_SYNC_SIZE - c;
				return AK_OK;
			}
		}
		if ((at = search(p, n, m)) < n) {
			in->pos += at + AK_SYNC_SIZE;
			return AK_OK;
		}
		/* carry the last bytes seen: a marker may start there */
		if (n >= KEEP) {
			memcpy(carry, p + n - KEEP, KEEP);
			c = KEEP;
		} else {
			size_t keep = c + n > KEEP ? KEEP - n : c;

			memmove(carry, carry + c - keep, keep);
			memcpy(carry + keep, p, n);
			c = keep + n;
		}
		in->pos = in->end;
	}
}

AK_API int ak_reader_set_range(struct ak_reader *r, uint64_t start, uint64_t end,
			       struct ak_error *err)
{
	uint64_t hs, first;
	unsigned char carry[AK_SYNC_SIZE];
	size_t c = 0;
	struct ak_error local;
	int rc;

	if (!r)
		return ak_fail(err, AK_E_ARG, "no reader");
	if (start > end)
		return ak_fail(err, AK_E_ARG, "a range that ends (%llu) before it starts (%llu)",
			       (unsigned long long)end, (unsigned long long)start);
	if (r->range_set || r->next_index || r->done)
		return ak_fail(err, AK_E_STATE, "a range must be set once, before any record or "
			       "block is read");
	hs = r->header_size;
	first = hs - AK_SYNC_SIZE; /* where the header's marker starts */
	r->range_set = 1;
	r->range_end = end;
	if (start <= first)
		return AK_OK; /* the reader is at the first block */
	/* search from @start: the part of the header's marker at or after it, then the blocks */
	if (start < hs) {
		c = (size_t)(hs - start); /* at most 15: start is past the marker's first byte */
		memcpy(carry, r->sync + AK_SYNC_SIZE - c, c);
	} else if (start > hs) {
		rc = ak_in_skip(&r->in, start - hs, &local);
		if (rc == AK_EOF || (rc == AK_E_FORMAT && (local.flags & AK_ERROR_TRUNCATED))) {
			r->done = 1; /* @start is past the end of the file */
			return AK_OK;
		}
		if (rc != AK_OK) {
			ak_error_copy(err, &local);
			r->done = 1;
			return rc;
		}
	}
	rc = find_marker(&r->in, r->sync, carry, c, err);
	if (rc == AK_EOF) {
		r->done = 1;
		return AK_OK;
	}
	if (rc != AK_OK) {
		r->done = 1;
		ak_error_at_offset(err, start);
		return rc;
	}
	return AK_OK;
}
