/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary text through the inferer. The first byte picks the options (logical
 * types, a small max_fields, --array); the rest is the JSON. Whatever infer accepts, its schema
 * must parse and the plain-JSON encoder must read every value of the same text with it (the one
 * allowed failure is the ambiguity a note announces: "NaN" strings where numbers and other
 * strings are also seen).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_infer_opts o = { 0 };
	struct ak_error err = { 0 };
	struct ak_infer *inf;
	struct ak_json_in j;
	struct ak_schema *s = NULL;
	struct ak_plan *p = NULL;
	struct ak_json_encoder *e = NULL;
	struct ak_buf out = AK_BUF_INIT;
	char *schema = NULL;
	int array, ambiguous = 0, rc;

	if (size < 1)
		return 0;
	o.logical = data[0] & 1;
	o.max_fields = data[0] & 2 ? 2 : 0;
	array = !!(data[0] & 4);
	data++;
	size--;
	if (!(inf = ak_infer_new(&o, &err)))
		__builtin_trap();
	ak_json_in_init_mem(&j, (const char *)data, size);
	if (ak_infer_json_input(inf, &j, array, &err) != AK_OK)
		goto out;
	if (!(schema = ak_infer_schema(inf, 0, &err)))
		__builtin_trap(); /* infer took the input: its schema must be valid */
	for (size_t i = 0; i < ak_infer_note_count(inf); i++)
		ambiguous |= strstr(ak_infer_note(inf, i), "cannot tell") != NULL;
	if (!(s = ak_schema_parse(schema, strlen(schema), 0, &err)) || !(p = ak_plan_new(s, &err)) ||
	    !(e = ak_json_encoder_new(p, AK_ENCODE_PLAIN, &err)))
		__builtin_trap();
	ak_json_in_init_mem(&j, (const char *)data, size);
	if (array) {
		ak_json_in_peek(&j, &err);
		ak_json_in_advance(&j); /* '[' */
		if (ak_json_in_peek(&j, &err) == ']')
			goto out;
	}
	for (;;) {
		out.len = 0;
		rc = ak_json_encode(e, &j, &out, &err);
		if (rc == AK_EOF)
			break;
		if (rc != AK_OK) {
			if (ambiguous && strstr(err.msg, "ambiguous"))
				break;
			__builtin_trap(); /* a value the inferred schema does not read */
		}
		if (array) {
			int c = ak_json_in_peek(&j, &err);

			ak_json_in_advance(&j);
			if (c == ']')
				break;
		}
	}
out:
	ak_buf_release(&out);
	ak_json_encoder_free(e);
	ak_plan_free(p);
	ak_schema_free(s);
	free(schema);
	ak_infer_free(inf);
	return 0;
}
