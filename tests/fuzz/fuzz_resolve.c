/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: two schemas (the input split at its first NUL byte) resolved against each other,
 * both ways (once for Avro JSON, once for plain JSON); when they resolve, a few datums of the
 * writer type are decoded through the plan. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct ak_error err = { 0 };
	struct ak_schema *a, *b;
	size_t na;

	if (!nul)
		return 0;
	na = (size_t)(nul - data);
	a = ak_schema_parse((const char *)data, na, 0, &err);
	b = a ? ak_schema_parse((const char *)nul + 1, size - na - 1, 0, &err) : NULL;
	for (int dir = 0; b && dir < 2; dir++) {
		struct ak_issues issues = { 0 };
		/* one direction with Avro JSON, the other with plain JSON (defaults differ) */
		unsigned flags = dir ? AK_JSON_PLAIN : 0;
		struct ak_plan *p = ak_plan_resolve(dir ? b : a, dir ? a : b, &issues, &err);

		if (p) {
			/* decode the bytes of the first schema's text as data: anything goes */
			struct ak_json_writer w = { p, flags, 0, 0, NULL };
			struct ak_buf out = AK_BUF_INIT;
			const unsigned char *q = data, *end = data + na;

			for (int n = 0; n < 8 && q < end; n++) {
				out.len = 0;
				if (ak_datum_json(&w, &q, end, &out, &err) != AK_OK)
					break;
			}
			ak_json_writer_release(&w);
			ak_buf_release(&out);
			ak_plan_free(p);
		}
		ak_issues_release(&issues);
	}
	ak_schema_free(a);
	ak_schema_free(b);
	return 0;
}
