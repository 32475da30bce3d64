/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: a schema given as several texts (the CLI's repeated --schema-file and
 * --import), whose named types refer to each other in any order: the input is cut at its NUL
 * bytes into up to eight texts for ak_schema_parse_many(), which is internal (the public API
 * takes one text), so this target links the core. What parses must give a canonical form
 * that parses again to itself, its JSON, plans, and a resolution against itself.
 */
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
	char *pcf, *json;

	if ((json = ak_schema_json(s, 0))) {
		struct ak_schema *again = ak_schema_parse_ex(json, strlen(json), AK_SCHEMA_LENIENT,
							     &err);

		if (!again)
			__builtin_trap(); /* the combined schema's JSON is one schema */
		ak_schema_free(again);
		free(json);
	}
	if ((pcf = ak_schema_canonical(s, &err)))
		free(pcf);
	if ((p = ak_plan_new(s, &err)))
		ak_plan_free(p);
	ak_plan_free(ak_plan_resolve(s, s, &issues, &err));
	ak_issues_release(&issues);
	ak_schema_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_error err = { 0 };
	struct ak_schema_text t[8];
	struct ak_schema *s;
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= size && n < 8; i++)
		if (i == size || data[i] == 0) {
			t[n].text = (const char *)data + start;
			t[n].len = i - start;
			t[n].name = NULL;
			n++;
			start = i + 1;
		}
	if ((s = ak_schema_parse_many(t, n, 0, &err)))
		use(s);
	else if (err.code >= 0 || !err.msg[0])
		__builtin_trap(); /* a failure says what */
	return 0;
}
