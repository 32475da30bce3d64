/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: arbitrary text as a schema: parse, write back as JSON, canonical form,
 * fingerprint, plans. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_error err = { 0 };
	struct ak_schema *s = ak_schema_parse((const char *)data, size, 0, &err);
	struct ak_issues issues = { 0 };
	struct ak_plan *p;
	struct ak_json_encoder *e;
	char *pcf;

	if (!s)
		return 0;
	free(ak_schema_json(s, 0));
	if ((pcf = ak_schema_canonical(s, &err))) {
		ak_crc64_avro(pcf, strlen(pcf));
		free(pcf);
	}
	if ((p = ak_plan_new(s, &err))) {
		if ((e = ak_json_encoder_new(p, 0, &err)))
			ak_json_encoder_free(e);
		ak_plan_free(p);
	}
	ak_plan_free(ak_plan_resolve(s, s, &issues, &err));
	ak_issues_release(&issues);
	ak_schema_free(s);
	return 0;
}
