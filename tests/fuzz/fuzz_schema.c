/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary text as a schema, through the public API only (avrokit.h): parse
 * (strict and lenient), every node accessor over the whole schema, the schema written back as
 * JSON (one line and indented), which must parse back to the same canonical form, the three
 * fingerprints, an encoder and a decoder for it, and its compatibility with itself, which
 * must hold without an issue.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avrokit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walk every node once (named types may be reached many times, and recursively). */
static void walk(const struct ak_schema *s, const struct ak_node *n, unsigned char *seen)
{
	size_t id;

	if (!n)
		__builtin_trap();
	id = ak_node_id(n);
	if (id >= ak_schema_node_count(s))
		__builtin_trap();
	if (seen[id])
		return;
	seen[id] = 1;
	(void)ak_type_name(ak_node_type(n));
	(void)ak_node_branch_name(n);
	(void)ak_node_logical(n);
	(void)ak_node_logical_name(n);
	(void)ak_node_precision(n);
	(void)ak_node_scale(n);
	(void)ak_node_size(n);
	(void)ak_node_enum_default(n);
	if (ak_node_fullname(n) && ak_schema_find(s, ak_node_fullname(n)) != n)
		__builtin_trap();
	switch (ak_node_type(n)) {
	case AK_RECORD:
		for (size_t i = 0; i < ak_node_count(n); i++) {
			if (ak_node_field_index(n, ak_node_field_name(n, i)) != (long)i)
				__builtin_trap();
			(void)ak_node_field_has_default(n, i);
			walk(s, ak_node_field_type(n, i), seen);
		}
		break;
	case AK_ENUM:
		for (size_t i = 0; i < ak_node_count(n); i++)
			if (ak_node_symbol_index(n, ak_node_symbol(n, i)) != (long)i)
				__builtin_trap();
		break;
	case AK_UNION:
		for (size_t i = 0; i < ak_node_count(n); i++)
			walk(s, ak_node_branch(n, i), seen);
		break;
	case AK_ARRAY:
	case AK_MAP:
		walk(s, ak_node_items(n), seen);
		break;
	default:
		break;
	}
}

/* Does @text parse to a schema whose canonical form is @pcf? */
static int same_canonical(const char *text, const char *pcf)
{
	struct ak_schema *s = ak_schema_parse(text, strlen(text), 0, NULL);
	char *c = s ? ak_schema_canonical(s, NULL) : NULL;
	int same = c && strcmp(c, pcf) == 0;

	ak_free(c);
	ak_schema_free(s);
	return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ak_error err;
	struct ak_schema *s, *lenient;
	char *json, *pretty, *pcf;
	unsigned char fp[32], *seen;
	struct ak_compat *c;

	ak_error_clear(&err);
	lenient = ak_schema_parse((const char *)data, size, AK_SCHEMA_LENIENT, NULL);
	s = ak_schema_parse((const char *)data, size, 0, &err);
	ak_schema_free(lenient);
	if (!s) {
		if (err.code >= 0 || !err.msg[0])
			__builtin_trap(); /* a failure says what */
		return 0;
	}
	if (!(seen = calloc(ak_schema_node_count(s) + 1, 1)))
		goto out;
	walk(s, ak_schema_root(s), seen);
	free(seen);

	pcf = ak_schema_canonical(s, &err);
	json = ak_schema_json(s, 0);
	pretty = ak_schema_json(s, 2);
	if (pcf) {
		/* the JSON written back parses to the same canonical form (the canonical form
		 * itself need not parse back: a name of the null namespace inside a namespaced
		 * type is ambiguous there, a limit of the specification's transformation) */
		if ((json && !same_canonical(json, pcf)) || (pretty && !same_canonical(pretty, pcf)))
			__builtin_trap();
		if (ak_schema_fingerprint(s, AK_FP_CRC64, fp, NULL) != 8)
			__builtin_trap();
		if (ak_crc64_avro(pcf, strlen(pcf)) !=
		    ((uint64_t)fp[0] | (uint64_t)fp[1] << 8 | (uint64_t)fp[2] << 16 |
		     (uint64_t)fp[3] << 24 | (uint64_t)fp[4] << 32 | (uint64_t)fp[5] << 40 |
		     (uint64_t)fp[6] << 48 | (uint64_t)fp[7] << 56))
			__builtin_trap();
		if (ak_schema_fingerprint(s, AK_FP_MD5, fp, NULL) != 16 ||
		    ak_schema_fingerprint(s, AK_FP_SHA256, fp, NULL) != 32)
			__builtin_trap();
	}
	ak_free(pcf);
	ak_free(json);
	ak_free(pretty);

	ak_encoder_free(ak_encoder_new(s, NULL, NULL));
	ak_decoder_free(ak_decoder_new(s, NULL, NULL));
	if ((c = ak_schema_compatibility(s, s, NULL))) {
		if (!ak_compat_readable(c) || ak_compat_count(c) != 0)
			__builtin_trap(); /* a schema reads its own data */
		ak_compat_free(c);
	}
out:
	ak_schema_free(s);
	return 0;
}
