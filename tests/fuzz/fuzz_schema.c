/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: arbitrary text as a schema: parse (strictly, else as a data file's header is
 * read), write back as JSON, canonical form, fingerprint, plans. Text with NUL bytes is also
 * cut there into several texts for ak_schema_parse_many(). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use(struct ak_schema *s)
{
	struct ak_error err = { 0 };
	struct ak_issues issues = { 0 };
	struct ak_plan *p;
	struct ak_json_encoder *e;
	char *pcf;

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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_error err = { 0 };
	struct ak_schema *s = ak_schema_parse((const char *)data, size, 0, &err);
	struct ak_schema_text t[8];
	size_t n = 0, start = 0;

	if (!s)
		s = ak_schema_parse_ex((const char *)data, size, AK_SCHEMA_LENIENT, &err);
	if (s)
		use(s);
	for (size_t i = 0; i <= size && n < 8; i++)
		if (i == size || data[i] == 0) {
			t[n].text = (const char *)data + start;
			t[n].len = i - start;
			t[n].name = NULL;
			n++;
			start = i + 1;
		}
	if (n > 1 && (s = ak_schema_parse_many(t, n, 0, &err)))
		use(s);
	return 0;
}
