/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary text as a schema for the random generator, the first 8 bytes as the
 * seed. Whatever schema parses, either the generator refuses it (no finite value) or every
 * datum it makes decodes to exactly its own bytes, or (fixed types of many megabytes) it
 * reports a datum too large.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_random_opts o = { 0 };
	struct ak_error err = { 0 };
	struct ak_schema *s;
	struct ak_plan *p = NULL;
	struct ak_random *r = NULL;
	struct ak_buf d = AK_BUF_INIT, json = AK_BUF_INIT;
	int rc;

	if (size < 8)
		return 0;
	memcpy(&o.seed, data, 8);
	data += 8;
	size -= 8;
	if (!(s = ak_schema_parse((const char *)data, size, 0, &err)))
		return 0;
	if (!(p = ak_plan_new(s, &err)))
		goto out;
	if (!(r = ak_random_new(s, &o, &err))) {
		if (err.code != AK_E_SCHEMA)
			__builtin_trap();
		goto out;
	}
	for (int i = 0; i < 8; i++) {
		static const unsigned char none[1];
		struct ak_json_writer w = { p, 0, 0, 0, NULL };
		const unsigned char *q, *end;

		d.len = json.len = 0;
		rc = ak_random_datum(r, &d, &err);
		if (rc == AK_E_LIMIT)
			break; /* fixed types of many megabytes */
		if (rc != AK_OK)
			__builtin_trap();
		/* a datum of no bytes (a record without fields) leaves the buffer unallocated */
		q = d.len ? d.data : none;
		end = q + d.len;
		if (d.len > (64 << 10)) {
			/* large (fixed types of many kilobytes): their JSON is slow to make, so the
			 * datum is only walked, and one is enough */
			if (ak_datum_skip(p, &q, end, 0, &err) != AK_OK || q != end)
				__builtin_trap();
			break;
		}
		if (ak_datum_json(&w, &q, end, &json, &err) != AK_OK || q != end || w.bad_utf8)
			__builtin_trap();
		ak_json_writer_release(&w);
	}
out:
	ak_buf_release(&d);
	ak_buf_release(&json);
	ak_random_free(r);
	ak_plan_free(p);
	ak_schema_free(s);
	return 0;
}
