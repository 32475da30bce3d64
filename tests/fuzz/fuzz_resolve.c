/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: two schemas (the input split at its first NUL byte) resolved against each
 * other both ways, through the public API only (avrokit.h): ak_schema_compatibility() lists
 * the issues, and ak_decoder_new() with that reader schema must open exactly when no issue is
 * fatal. When it opens, a few datums of the writer type are decoded (the bytes of the first
 * schema's text serve as data) into a visitor, a value tree and JSON (Avro JSON one way,
 * plain JSON the other); the three must agree on success and on the bytes used. A decoder
 * made with AK_RESOLVE_LAZY must open whatever the issues, agree with itself the same way,
 * and, where the eager one opened, give the same results as it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avrokit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int discard(void *ctx, const void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return 0;
}

/* Decode datum after datum from [q, end) with @d three ways, which must agree; the status
 * and bytes used of each datum in @rc and @used (up to 8). Returns how many were tried. */
static int decode_three_ways(struct ak_decoder *d, const unsigned char *q,
			     const unsigned char *end, int rc[8], size_t used[8])
{
	int n = 0;

	for (; n < 8 && q < end; n++) {
		const struct ak_value *v;
		size_t u1, u2, u3;
		int r1, r2, r3;

		r1 = ak_decode(d, q, (size_t)(end - q), &u1, NULL, NULL, NULL);
		r2 = ak_decode_value(d, q, (size_t)(end - q), &u2, &v, NULL);
		r3 = ak_decode_json(d, q, (size_t)(end - q), &u3, discard, NULL, NULL);
		if (r1 != r2 || r1 != r3 || u1 != u2 || u1 != u3 || (r2 == AK_OK) != (v != NULL))
			__builtin_trap();
		rc[n] = r1;
		used[n] = u1;
		if (r1 != AK_OK || u1 == 0)
			return n + 1;
		q += u1;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct ak_schema *a, *b;
	size_t na;

	if (!nul)
		return 0;
	na = (size_t)(nul - data);
	a = ak_schema_parse((const char *)data, na, 0, NULL);
	b = a ? ak_schema_parse((const char *)nul + 1, size - na - 1, 0, NULL) : NULL;
	for (int dir = 0; b && dir < 2; dir++) {
		const struct ak_schema *writer = dir ? b : a, *reader = dir ? a : b;
		struct ak_compat *c = ak_schema_compatibility(reader, writer, NULL);
		struct ak_decoder_opts o;
		struct ak_decoder *d;
		struct ak_error err;

		if (!c)
			continue;
		for (size_t i = 0; i < ak_compat_count(c); i++)
			if (!ak_compat_path(c, i) || !ak_compat_message(c, i) ||
			    ak_compat_kind(c, i) < AK_ISSUE_TYPE_MISMATCH ||
			    ak_compat_kind(c, i) > AK_ISSUE_NOT_IN_UNION)
				__builtin_trap();
		ak_decoder_opts_init(&o);
		o.reader = reader;
		o.json_flags = dir ? AK_JSON_PLAIN : 0;
		ak_error_clear(&err);
		d = ak_decoder_new(writer, &o, &err);
		if ((d != NULL) != (ak_compat_readable(c) != 0))
			__builtin_trap(); /* the decoder opens exactly when the data is readable */
		if (!d && err.code != AK_E_SCHEMA)
			__builtin_trap();
		ak_compat_free(c);
		{
			struct ak_decoder *lazy;
			int rc[8], lrc[8], n = 0, ln;
			size_t used[8], lused[8];

			o.resolve_flags = AK_RESOLVE_LAZY;
			if (!(lazy = ak_decoder_new(writer, &o, NULL)))
				__builtin_trap(); /* lazily, any pair of valid schemas opens */
			if (d)
				n = decode_three_ways(d, data, data + na, rc, used);
			ln = decode_three_ways(lazy, data, data + na, lrc, lused);
			if (d && n != ln)
				__builtin_trap(); /* where both open, lazy is eager */
			for (int k = 0; d && k < n; k++)
				if (rc[k] != lrc[k] || (rc[k] == AK_OK && used[k] != lused[k]))
					__builtin_trap();
			ak_decoder_free(lazy);
			ak_decoder_free(d);
		}
	}
	ak_schema_free(a);
	ak_schema_free(b);
	return 0;
}
